//! `/faktury` (list, detail, stored PDF, several as ZIP, how to pay) and `/saldo` (ledger and
//! statement PDF). Every read is scoped to the signed-in customer; another customer's id is a 404.

use crate::app::access::Area;
use crate::web::views::{Template, context};
use chrono::NaiveDate;
use rocket::http::{ContentType, Header, Status};
use rocket::{Responder, Route, State, get, routes};

use crate::app::invoices::{self, InvoiceFilter, PaymentStatus};
use crate::app::{clock, statement};
use crate::web::page::Layout;
use crate::web::session::CurrentCustomer;
use crate::web::{Db, Documents};

pub fn routes() -> Vec<Route> {
    routes![list, zip, detail, pdf, pay, balance, statement_pdf]
}

/// A file to download, with its name.
#[derive(Responder)]
pub(super) struct Download {
    body: Vec<u8>,
    content_type: ContentType,
    disposition: Header<'static>,
}

impl Download {
    pub(super) fn new(body: Vec<u8>, content_type: ContentType, file_name: &str) -> Download {
        let safe: String = file_name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
            .collect();
        Download {
            body,
            content_type,
            disposition: Header::new(
                "Content-Disposition",
                format!("attachment; filename=\"{safe}\""),
            ),
        }
    }
}

#[get("/faktury?<rok>&<status>")]
async fn list(
    customer: CurrentCustomer,
    layout: Layout,
    db: Db,
    rok: Option<i32>,
    status: Option<&str>,
) -> Result<Template, Status> {
    customer.require(Area::Invoices)?;
    let filter = InvoiceFilter {
        year: rok,
        status: status.and_then(PaymentStatus::parse),
    };
    let selected_status = status
        .filter(|s| PaymentStatus::parse(s).is_some())
        .unwrap_or("")
        .to_owned();
    let customer_id = customer.customer_id();
    let today = clock::today();
    let page = db
        .query(move |conn| invoices::list(conn, customer_id, &filter, today))
        .await?;
    Ok(Template::render(
        "customer/invoices",
        context! { layout, page, selected_year: rok, selected_status },
    ))
}

#[get("/faktury/<id>", rank = 2)]
async fn detail(
    id: i64,
    customer: CurrentCustomer,
    layout: Layout,
    db: Db,
) -> Result<Template, Status> {
    customer.require(Area::Invoices)?;
    let customer_id = customer.customer_id();
    let today = clock::today();
    let detail = db
        .query(move |conn| invoices::detail(conn, customer_id, id, today))
        .await?
        .ok_or(Status::NotFound)?;
    Ok(Template::render(
        "customer/invoice",
        context! { layout, detail },
    ))
}

/// The file stored at issue time, after its hash is checked; never rendered again.
#[get("/faktury/<id>/pdf")]
async fn pdf(
    id: i64,
    customer: CurrentCustomer,
    db: Db,
    documents: &State<Documents>,
) -> Result<Download, Status> {
    customer.require(Area::Invoices)?;
    let customer_id = customer.customer_id();
    let store = documents.store.clone();
    let (name, bytes) = db
        .query(move |conn| invoices::pdf(conn, &store, customer_id, id))
        .await?
        .ok_or(Status::NotFound)?;
    Ok(Download::new(bytes, ContentType::PDF, &name))
}

/// Several invoices in one ZIP: `/faktury/zip?id=1&id=2`.
#[get("/faktury/zip?<id>", rank = 1)]
async fn zip(
    id: Vec<i64>,
    customer: CurrentCustomer,
    db: Db,
    documents: &State<Documents>,
) -> Result<Download, Status> {
    customer.require(Area::Invoices)?;
    let customer_id = customer.customer_id();
    let store = documents.store.clone();
    let bytes = db
        .query(move |conn| invoices::pdf_zip(conn, &store, customer_id, &id))
        .await?
        .ok_or(Status::NotFound)?;
    Ok(Download::new(bytes, ContentType::ZIP, "faktury.zip"))
}

#[get("/faktury/<id>/zaplac")]
async fn pay(
    id: i64,
    customer: CurrentCustomer,
    layout: Layout,
    db: Db,
) -> Result<Template, Status> {
    customer.require(Area::Invoices)?;
    let customer_id = customer.customer_id();
    let today = clock::today();
    let payment = db
        .query(move |conn| invoices::payment_instructions(conn, customer_id, id, today))
        .await?
        .ok_or(Status::NotFound)?;
    Ok(Template::render(
        "customer/invoice_pay",
        context! { layout, payment },
    ))
}

/// `?od=2026-01-01&do=2026-06-30` (either may be missing).
#[derive(Debug, rocket::FromForm)]
pub struct Period<'r> {
    #[field(name = "od")]
    from: Option<&'r str>,
    #[field(name = "do")]
    to: Option<&'r str>,
}

fn parse_date(text: Option<&str>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").ok())
}

#[get("/saldo?<period..>")]
async fn balance(
    customer: CurrentCustomer,
    layout: Layout,
    db: Db,
    period: Period<'_>,
) -> Result<Template, Status> {
    customer.require(Area::Invoices)?;
    let (from, to) = (parse_date(period.from), parse_date(period.to));
    let typed_but_wrong = |text: Option<&str>, parsed: Option<NaiveDate>| {
        text.is_some_and(|t| !t.trim().is_empty()) && parsed.is_none()
    };
    let bad_dates = typed_but_wrong(period.from, from) || typed_but_wrong(period.to, to);
    let customer_id = customer.customer_id();
    let ledger = db
        .query(move |conn| invoices::ledger(conn, customer_id, from, to))
        .await?;
    let today = clock::today();
    let dunning = db
        .query(move |conn| crate::app::dunning::of_customer(conn, customer_id, today))
        .await?;
    Ok(Template::render(
        "customer/balance",
        context! { layout, ledger, from, to, bad_dates, dunning },
    ))
}

#[get("/saldo/zestawienie.pdf?<period..>")]
async fn statement_pdf(
    customer: CurrentCustomer,
    db: Db,
    documents: &State<Documents>,
    period: Period<'_>,
) -> Result<Download, Status> {
    customer.require(Area::Invoices)?;
    let (from, to) = (parse_date(period.from), parse_date(period.to));
    let customer_id = customer.customer_id();
    let renderer = documents.renderer.clone();
    let bytes = db
        .query(move |conn| statement::render(conn, &renderer, customer_id, from, to))
        .await?
        .ok_or(Status::NotFound)?;
    Ok(Download::new(
        bytes,
        ContentType::PDF,
        "zestawienie-rozliczen.pdf",
    ))
}
