//! `/staff/windykacja/listy`: the printed-letter queue. Steps sent "by letter" wait here until
//! staff print the PDF and mark the letter posted (once, audited). For staff who manage
//! payments.

use rocket::http::{ContentType, Status};
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use crate::app::App;
use crate::app::dunning::letters::{self, LetterError};
use crate::app::staff_roles::Permission;
use crate::i18n;
use crate::web::csrf::{Protected, TokenOnly};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::StaffCookie;
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![queue, pdf, mark_sent]
}

#[get("/staff/windykacja/listy")]
async fn queue(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, letters) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .run(|conn, _| letters::queue(conn))
        .await?;
    Ok(Template::render(
        "staff/dunning_letters",
        context! { layout: layout.staff(&me), letters },
    ))
}

#[get("/staff/windykacja/listy/<id>/pdf")]
async fn pdf(
    id: i64,
    app: &State<App>,
    cookie: StaffCookie,
) -> Result<(ContentType, Vec<u8>), Status> {
    let (_, found) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .run(move |conn, cx| letters::pdf(conn, &cx.documents().renderer, id))
        .await?;
    Ok((ContentType::PDF, found.ok_or(Status::NotFound)?))
}

#[post("/staff/windykacja/listy/<id>/wyslany", data = "<_form>")]
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
        .attempt(move |conn, cx| letters::mark_sent(conn, id, &cx.actor(), cx.now))
        .await?;
    let back = Redirect::to("/staff/windykacja/listy");
    let lang = layout.lang();
    match sent {
        Ok(()) => Ok(Flash::success(back, i18n::text(lang, "dunning-post-sent"))),
        Err(LetterError::NotFound) => Err(Status::NotFound),
        Err(LetterError::AlreadySent) => Ok(Flash::error(
            back,
            i18n::text(lang, "dunning-post-already-sent"),
        )),
        Err(error @ LetterError::Database(_)) => Err(server_error(&error)),
    }
}
