//! `/staff/ksef`: invoices on their way to KSeF (waiting, failed with KSeF's code and text),
//! counts per state, the last sessions; a rejected invoice can be sent again.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Route, get, post, routes};

use crate::app::audit::Actor;
use crate::app::staff_roles::Permission;
use crate::app::{clock, ksef};
use crate::i18n::{self, Lang};
use crate::web::Db;
use crate::web::client_ip::ClientIp;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::Layout;
use crate::web::session::CurrentStaff;
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![page, resend]
}

#[get("/staff/ksef")]
async fn page(staff: CurrentStaff, layout: Layout, db: Db) -> Result<Template, Status> {
    staff.require(Permission::IssueInvoices)?;
    let overview = db.query(|conn| ksef::overview(conn, 200)).await?;
    Ok(Template::render(
        "staff/ksef",
        context! { layout, overview },
    ))
}

#[derive(Debug, FromForm)]
pub struct ResendFields {
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for ResendFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/staff/ksef/<id>/ponow", data = "<_form>")]
async fn resend(
    id: i64,
    _form: Protected<ResendFields>,
    staff: CurrentStaff,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Flash<Redirect>, Status> {
    staff.require(Permission::IssueInvoices)?;
    let actor = Actor::staff(staff.staff.id, ip.0.map(|ip| ip.to_string()));
    let now = clock::now();
    let queued = db
        .query(move |conn| ksef::resend_rejected(conn, id, &actor, now))
        .await?;
    let back = Redirect::to("/staff/ksef");
    Ok(if queued {
        Flash::success(back, i18n::text(lang, "staff-ksef-resent"))
    } else {
        Flash::error(back, i18n::text(lang, "staff-ksef-not-rejected"))
    })
}
