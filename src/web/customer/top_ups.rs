//! `/doladowania`: the top-up packages on sale, bought through PayU
//! (`/doladowania/<package>/kup`), and the subscriber's own top-ups with what is used, left
//! and lapsed.

use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use super::online_payments::{PayFields, start};
use crate::app::access::Area;
use crate::app::online_payments::PayFor;
use crate::app::{App, top_ups};
use crate::web::csrf::Protected;
use crate::web::page::LayoutDraft;
use crate::web::session::CustomerCookie;
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![page, buy]
}

#[get("/doladowania")]
async fn page(
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, page) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .run(|conn, cx| top_ups::page(conn, cx.customer_id(), cx.today))
        .await?;
    let online = app.gateway().is_some();
    Ok(Template::render(
        "customer/top_ups",
        context! { layout: layout.signed_in(&me), page, online },
    ))
}

#[post("/doladowania/<package>/kup", data = "<_form>")]
async fn buy(
    package: i64,
    _form: Protected<PayFields>,
    app: &State<App>,
    cookie: CustomerCookie,
) -> Result<Result<Redirect, Flash<Redirect>>, Status> {
    let what = (PayFor::TopUp(package), "/doladowania".to_owned());
    start(app, &cookie, what).await
}
