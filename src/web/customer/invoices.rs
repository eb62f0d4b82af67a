//! `/faktury` (list, detail, stored PDF, several as ZIP, how to pay) and `/saldo` (ledger and
//! statement PDF). Every read is scoped to the signed-in customer; another customer's id is a 404.

use crate::app::access::Area;
use crate::domain::InvoiceId;
use crate::web::views::{Template, context};
use chrono::NaiveDate;
use rocket::http::{ContentType, Header, Status};
use rocket::{Responder, Route, State, get, routes};

use crate::app::App;
use crate::app::invoices::{self, Document, InvoiceFilter, PaymentStatus};
use crate::app::statement;
use crate::web::catchers::document_not_stored;
use crate::web::page::LayoutDraft;
use crate::web::session::CustomerCookie;

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
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
    rok: Option<i32>,
    status: Option<&str>,
) -> Result<Template, Status> {
    let filter = InvoiceFilter {
        year: rok,
        status: status.and_then(PaymentStatus::parse),
    };
    let selected_status = status
        .filter(|s| PaymentStatus::parse(s).is_some())
        .unwrap_or("")
        .to_owned();
    let (me, page) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .run(move |conn, cx| invoices::list(conn, cx.customer_id(), &filter, cx.today))
        .await?;
    Ok(Template::render(
        "customer/invoices",
        context! { layout: layout.signed_in(&me), page, selected_year: rok, selected_status },
    ))
}

#[get("/faktury/<id>", rank = 2)]
async fn detail(
    id: InvoiceId,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, detail) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .run(move |conn, cx| invoices::detail(conn, cx.customer_id(), id, cx.today))
        .await?;
    let detail = detail.ok_or(Status::NotFound)?;
    Ok(Template::render(
        "customer/invoice",
        context! { layout: layout.signed_in(&me), detail },
    ))
}

/// A stored file, or a page saying why there is none.
#[derive(Responder)]
enum DocumentAnswer {
    File(Download),
    Page((Status, Template)),
}

/// The file stored at issue time, after its hash is checked; never rendered again.
#[get("/faktury/<id>/pdf")]
async fn pdf(
    id: InvoiceId,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<DocumentAnswer, Status> {
    let (me, found) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .run(move |conn, cx| invoices::document(conn, &cx.documents().store, cx.customer_id(), id))
        .await?;
    Ok(match found.ok_or(Status::NotFound)? {
        Document::Pdf { name, bytes } => {
            DocumentAnswer::File(Download::new(bytes, ContentType::PDF, &name))
        }
        Document::NotStored => DocumentAnswer::Page(document_not_stored(layout.signed_in(&me))),
    })
}

/// Several invoices in one ZIP: `/faktury/zip?id=1&id=2`.
#[get("/faktury/zip?<id>", rank = 1)]
async fn zip(
    id: Vec<InvoiceId>,
    app: &State<App>,
    cookie: CustomerCookie,
) -> Result<Download, Status> {
    let (_, bytes) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .run(move |conn, cx| invoices::pdf_zip(conn, &cx.documents().store, cx.customer_id(), &id))
        .await?;
    let bytes = bytes.ok_or(Status::NotFound)?;
    Ok(Download::new(bytes, ContentType::ZIP, "faktury.zip"))
}

#[get("/faktury/<id>/zaplac")]
async fn pay(
    id: InvoiceId,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, payment) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .run(move |conn, cx| invoices::payment_instructions(conn, cx.customer_id(), id, cx.today))
        .await?;
    let payment = payment.ok_or(Status::NotFound)?;
    Ok(Template::render(
        "customer/invoice_pay",
        context! { layout: layout.signed_in(&me), payment },
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
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
    period: Period<'_>,
) -> Result<Template, Status> {
    let (from, to) = (parse_date(period.from), parse_date(period.to));
    let typed_but_wrong = |text: Option<&str>, parsed: Option<NaiveDate>| {
        text.is_some_and(|t| !t.trim().is_empty()) && parsed.is_none()
    };
    let bad_dates = typed_but_wrong(period.from, from) || typed_but_wrong(period.to, to);
    let (me, (ledger, dunning)) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .run(move |conn, cx| invoices::balance_page(conn, cx.customer_id(), from, to, cx.today))
        .await?;
    Ok(Template::render(
        "customer/balance",
        context! {
            layout: layout.signed_in(&me),
            ledger,
            from,
            to,
            bad_dates,
            dunning,
            online_pay: app.gateway().is_some(),
        },
    ))
}

#[get("/saldo/zestawienie.pdf?<period..>")]
async fn statement_pdf(
    app: &State<App>,
    cookie: CustomerCookie,
    period: Period<'_>,
) -> Result<Download, Status> {
    let (from, to) = (parse_date(period.from), parse_date(period.to));
    let (_, bytes) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .run(move |conn, cx| {
            statement::render(conn, &cx.documents().renderer, cx.customer_id(), from, to)
        })
        .await?;
    let bytes = bytes.ok_or(Status::NotFound)?;
    Ok(Download::new(
        bytes,
        ContentType::PDF,
        "zestawienie-rozliczen.pdf",
    ))
}
