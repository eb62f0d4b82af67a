//! `/staff/ksef`: invoices on their way to KSeF (waiting, failed with KSeF's code and text,
//! accepted with their KSeF number and UPO), counts per state, the last sessions; a rejected
//! invoice can be sent again. `/staff/ksef/ustawienia`: the seller's KSeF settings.

use rocket::form::FromForm;
use rocket::http::{ContentType, Header, Status};
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use crate::app::audit::Actor;
use crate::app::crypto::SecretBox;
use crate::app::ksef::settings::{self, SettingsError, SettingsForm};
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
    routes![page, resend, upo, settings_page, save_settings]
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

#[derive(rocket::Responder)]
pub struct XmlDownload {
    body: String,
    content_type: ContentType,
    disposition: Header<'static>,
}

/// KSeF's UPO of an accepted invoice, as KSeF gave it.
#[get("/staff/ksef/<id>/upo")]
async fn upo(id: i64, staff: CurrentStaff, db: Db) -> Result<XmlDownload, Status> {
    staff.require(Permission::IssueInvoices)?;
    let (name, body) = db
        .query(move |conn| ksef::upo(conn, id))
        .await?
        .ok_or(Status::NotFound)?;
    Ok(XmlDownload {
        body,
        content_type: ContentType::XML,
        disposition: Header::new(
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ),
    })
}

#[get("/staff/ksef/ustawienia")]
async fn settings_page(staff: CurrentStaff, layout: Layout, db: Db) -> Result<Template, Status> {
    staff.require(Permission::ConfigureInvoicing)?;
    let settings = db.query(settings::view).await?;
    Ok(Template::render(
        "staff/ksef_settings",
        context! { layout, settings },
    ))
}

#[derive(Debug, FromForm)]
pub struct SettingsFields {
    #[field(default = String::new())]
    environment: String,
    /// Empty: keep the stored token.
    #[field(default = String::new())]
    token: String,
    #[field(default = false)]
    send_consumer_invoices: bool,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for SettingsFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/staff/ksef/ustawienia", data = "<fields>")]
async fn save_settings(
    fields: Protected<SettingsFields>,
    staff: CurrentStaff,
    lang: Lang,
    ip: ClientIp,
    db: Db,
    secrets: &State<SecretBox>,
) -> Result<Flash<Redirect>, Status> {
    staff.require(Permission::ConfigureInvoicing)?;
    let actor = Actor::staff(staff.staff.id, ip.0.map(|ip| ip.to_string()));
    let form = SettingsForm {
        environment: fields.environment.clone(),
        token: fields.token.clone(),
        send_consumer_invoices: fields.send_consumer_invoices,
    };
    let secrets = secrets.inner().clone();
    let now = clock::now();
    let saved = db
        .run(move |conn| settings::save(conn, &secrets, &form, &actor, now))
        .await
        .map_err(|e| crate::web::server_error(&e))?;
    let back = Redirect::to("/staff/ksef/ustawienia");
    match saved {
        Ok(()) => Ok(Flash::success(
            back,
            i18n::text(lang, "staff-ksef-settings-saved"),
        )),
        Err(SettingsError::Environment) => Ok(Flash::error(
            back,
            i18n::text(lang, "staff-ksef-settings-bad-environment"),
        )),
        Err(SettingsError::Token) => Ok(Flash::error(
            back,
            i18n::text(lang, "staff-ksef-settings-bad-token"),
        )),
        Err(error) => Err(crate::web::server_error(&error)),
    }
}
