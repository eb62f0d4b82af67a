//! `/staff/zwroty`: refunds chosen on corrections, to transfer to the customers' accounts and
//! mark sent (audited). For staff who manage payments.

use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use crate::app::App;
use crate::app::refunds::{self, SendError};
use crate::app::staff_roles::Permission;
use crate::i18n;
use crate::web::csrf::{Protected, TokenOnly};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::StaffCookie;
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![queue, mark_sent]
}

#[get("/staff/zwroty")]
async fn queue(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, rows) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .run(|conn, _| refunds::queue(conn))
        .await?;
    Ok(Template::render(
        "staff/refunds",
        context! { layout: layout.staff(&me), rows },
    ))
}

#[post("/staff/zwroty/<id>/wyslany", data = "<_form>")]
async fn mark_sent(
    id: i64,
    _form: Protected<TokenOnly>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Flash<Redirect>, Status> {
    let (_, sent) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .writes()
        .attempt(move |conn, cx| refunds::mark_sent(conn, id, &cx.actor(), cx.now))
        .await?;
    let back = Redirect::to("/staff/zwroty");
    let lang = layout.lang();
    match sent {
        Ok(()) => Ok(Flash::success(back, i18n::text(lang, "refunds-staff-sent"))),
        Err(SendError::NotFound) => Err(Status::NotFound),
        Err(SendError::AlreadySent) => Ok(Flash::error(
            back,
            i18n::text(lang, "refunds-staff-already-sent"),
        )),
        Err(SendError::ThroughPayu) => Ok(Flash::error(
            back,
            i18n::text(lang, "refunds-staff-through-payu"),
        )),
        Err(error @ SendError::Database(_)) => Err(server_error(&error)),
    }
}
