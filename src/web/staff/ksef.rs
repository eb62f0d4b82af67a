//! `/staff/ksef`: invoices on their way to KSeF (waiting, failed with KSeF's code and text,
//! accepted with their KSeF number and UPO), counts per state, the last sessions; a rejected
//! invoice can be sent again. `/staff/ksef/ustawienia`: the seller's KSeF settings.

use crate::domain::InvoiceId;
use rocket::form::FromForm;
use rocket::http::{ContentType, Header, Status};
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use crate::app::App;
use crate::app::ksef;
use crate::app::ksef::settings::{self, SettingsError, SettingsForm};
use crate::app::staff_roles::Permission;
use crate::i18n::{self, Lang};
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::LayoutDraft;
use crate::web::session::StaffCookie;
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![page, resend, upo, settings_page, save_settings]
}

#[get("/staff/ksef")]
async fn page(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, overview) = app
        .staff(&cookie)
        .needs(Permission::IssueInvoices)
        .run(|conn, _| ksef::overview(conn, 200))
        .await?;
    Ok(Template::render(
        "staff/ksef",
        context! { layout: layout.staff(&me), overview },
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
    id: InvoiceId,
    _form: Protected<ResendFields>,
    app: &State<App>,
    cookie: StaffCookie,
    lang: Lang,
) -> Result<Flash<Redirect>, Status> {
    // The use case keeps its own write transaction (the state change and its audit entry).
    let (_, queued) = app
        .staff(&cookie)
        .needs(Permission::IssueInvoices)
        .run(move |conn, cx| ksef::resend_rejected(conn, id, &cx.actor(), cx.now))
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
async fn upo(id: InvoiceId, app: &State<App>, cookie: StaffCookie) -> Result<XmlDownload, Status> {
    let (_, found) = app
        .staff(&cookie)
        .needs(Permission::IssueInvoices)
        .run(move |conn, _| ksef::upo(conn, id))
        .await?;
    let (name, body) = found.ok_or(Status::NotFound)?;
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
async fn settings_page(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, settings) = app
        .staff(&cookie)
        .needs(Permission::ConfigureInvoicing)
        .run(|conn, _| settings::view(conn))
        .await?;
    Ok(Template::render(
        "staff/ksef_settings",
        context! { layout: layout.staff(&me), settings },
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
    app: &State<App>,
    cookie: StaffCookie,
    lang: Lang,
) -> Result<Flash<Redirect>, Status> {
    let form = SettingsForm {
        environment: fields.environment.clone(),
        token: fields.token.clone(),
        send_consumer_invoices: fields.send_consumer_invoices,
    };
    // `settings::save` seals the token and writes in its own transaction; its refusals are
    // answered here.
    let (_, saved) = app
        .staff(&cookie)
        .needs(Permission::ConfigureInvoicing)
        .attempt(move |conn, cx| settings::save(conn, cx.secrets(), &form, &cx.actor(), cx.now))
        .await?;
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
