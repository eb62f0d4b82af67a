//! `/staff/faktury/papierowe`: invoices of customers without e-invoice consent, to print and
//! post; marking one as sent records when.

use crate::domain::InvoiceId;
use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use crate::app::App;
use crate::app::invoicing::paper;
use crate::app::staff_roles::Permission;
use crate::i18n::{self, Lang};
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::LayoutDraft;
use crate::web::session::StaffCookie;

pub fn routes() -> Vec<Route> {
    routes![paper_list, mark_sent]
}

#[get("/staff/faktury/papierowe")]
async fn paper_list(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, invoices) = app
        .staff(&cookie)
        .needs(Permission::IssueInvoices)
        .run(|conn, _| paper::awaiting_paper(conn))
        .await?;
    Ok(Template::render(
        "staff/paper_invoices",
        context! { layout: layout.staff(&me), invoices },
    ))
}

#[derive(Debug, FromForm)]
pub struct SentFields {
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for SentFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/staff/faktury/<id>/wyslano", data = "<_form>")]
async fn mark_sent(
    id: InvoiceId,
    _form: Protected<SentFields>,
    app: &State<App>,
    cookie: StaffCookie,
    lang: Lang,
) -> Result<Flash<Redirect>, Status> {
    let (_, marked) = app
        .staff(&cookie)
        .needs(Permission::IssueInvoices)
        .writes()
        .run(move |conn, cx| paper::mark_posted(conn, id, &cx.actor(), cx.now))
        .await?;
    let message = if marked {
        "staff-paper-marked"
    } else {
        "staff-paper-already-marked"
    };
    Ok(Flash::success(
        Redirect::to("/staff/faktury/papierowe"),
        i18n::text(lang, message),
    ))
}
