//! `/wiadomosci`: the ISP's news and outage notices for this subscriber's area; urgent ones stay
//! on top until confirmed.

use crate::web::views::{Template, context};
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use crate::app::{App, news};
use crate::i18n;
use crate::web::csrf::{Protected, TokenOnly};
use crate::web::page::LayoutDraft;
use crate::web::session::{CustomerCookie, language};

pub fn routes() -> Vec<Route> {
    routes![list, confirm]
}

#[get("/wiadomosci")]
async fn list(
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, news) = app
        .customer(&cookie)
        .run(|conn, cx| news::for_customer(conn, cx.news_board(), cx.customer_id(), cx.now))
        .await?;
    Ok(Template::render(
        "customer/news",
        context! { layout: layout.signed_in(&me), news },
    ))
}

/// Confirms an urgent notice for this customer only; an item they cannot see is 404.
#[post("/wiadomosci/<id>/potwierdz", data = "<_form>")]
async fn confirm(
    id: i64,
    _form: Protected<TokenOnly>,
    app: &State<App>,
    cookie: CustomerCookie,
) -> Result<Flash<Redirect>, Status> {
    let (me, confirmed) = app
        .customer(&cookie)
        .run(move |conn, cx| news::confirm(conn, cx.customer_id(), cx.me.account.id, id, cx.now))
        .await?;
    if !confirmed {
        return Err(Status::NotFound);
    }
    Ok(Flash::success(
        Redirect::to("/wiadomosci"),
        i18n::text(language(&me), "news-confirmed"),
    ))
}
