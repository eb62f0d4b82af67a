//! `/staff/faktury/papierowe`: invoices of customers without e-invoice consent, to print and
//! post; marking one as sent records when.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Route, get, post, routes};
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::app::clock;
use crate::app::staff_roles::Permission;
use crate::db;
use crate::i18n::{self, Lang};
use crate::web::Db;
use crate::web::client_ip::ClientIp;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::Layout;
use crate::web::session::CurrentStaff;

pub fn routes() -> Vec<Route> {
    routes![paper_list, mark_sent]
}

#[get("/staff/faktury/papierowe")]
async fn paper_list(staff: CurrentStaff, layout: Layout, db: Db) -> Result<Template, Status> {
    staff.require(Permission::IssueInvoices)?;
    let invoices = db
        .query(|conn| db::invoices::awaiting_paper(conn, 500))
        .await?;
    Ok(Template::render(
        "staff/paper_invoices",
        context! { layout, invoices },
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
    id: i64,
    _form: Protected<SentFields>,
    staff: CurrentStaff,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Flash<Redirect>, Status> {
    staff.require(Permission::IssueInvoices)?;
    let actor = Actor::staff(staff.staff.id, ip.0.map(|ip| ip.to_string()));
    let now = clock::now();
    let marked = db
        .query(move |conn| -> diesel::QueryResult<bool> {
            db::write_transaction(conn, |conn| {
                let marked = db::invoices::mark_delivered(conn, id, now)?;
                if marked {
                    audit::record(
                        conn,
                        &actor,
                        "invoice_posted",
                        json!({ "invoice": id }),
                        now,
                    )?;
                }
                Ok(marked)
            })
        })
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
