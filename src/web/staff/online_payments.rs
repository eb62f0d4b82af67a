//! `/staff/platnosci-online`: online payment orders with their PayU state for staff who manage
//! payments; flagged orders wait at the top until someone records what they found or did.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use crate::app::App;
use crate::app::online_payments::staff::{self, ResolveError};
use crate::app::staff_roles::Permission;
use crate::i18n;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::StaffCookie;
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![desk, resolve]
}

#[get("/staff/platnosci-online")]
async fn desk(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, desk) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .run(|conn, _| staff::desk(conn))
        .await?;
    Ok(Template::render(
        "staff/online_payments",
        context! { layout: layout.staff(&me), desk },
    ))
}

#[derive(Debug, FromForm)]
pub struct ResolveFields {
    #[field(default = String::new())]
    resolution: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for ResolveFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/staff/platnosci-online/<id>/wyjasnione", data = "<form>")]
async fn resolve(
    id: i64,
    form: Protected<ResolveFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Flash<Redirect>, Status> {
    let resolution = form.resolution.clone();
    let (_, resolved) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .writes()
        .attempt(move |conn, cx| staff::resolve(conn, id, &resolution, &cx.actor(), cx.now))
        .await?;
    let back = Redirect::to("/staff/platnosci-online");
    let lang = layout.lang();
    match resolved {
        Ok(()) => Ok(Flash::success(
            back,
            i18n::text(lang, "online-staff-resolved"),
        )),
        Err(ResolveError::NoResolution) => Ok(Flash::error(
            back,
            i18n::text(lang, "online-staff-resolution-missing"),
        )),
        Err(ResolveError::TooLong) => Ok(Flash::error(
            back,
            i18n::text(lang, "online-staff-resolution-too-long"),
        )),
        Err(ResolveError::NotWaiting) => Ok(Flash::error(
            back,
            i18n::text(lang, "online-staff-not-waiting"),
        )),
        Err(error @ ResolveError::Database(_)) => Err(server_error(&error)),
    }
}
