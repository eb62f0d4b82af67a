//! One-off and corrective invoices from the customer card:
//! `/staff/klienci/<customer>/faktury/nowa` and `/staff/klienci/<customer>/faktury/<id>/korekta`,
//! and the stored PDF of any of the customer's invoices.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::{ContentType, Status};
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use super::forms::{actor, field_messages, line_messages};
use crate::app::clock;
use crate::app::invoices;
use crate::app::invoicing::{self, Invoicing};
use crate::app::staff::manual_invoices::{
    self, CorrectionForm, LineForm, ManualInvoiceError, OneOffForm,
};
use crate::app::staff::{FieldErrors, customer_card};
use crate::app::staff_roles::Permission;
use crate::db::{self, DbConn};
use crate::i18n::text_with;
use crate::web::client_ip::ClientIp;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::mailing::Mailing;
use crate::web::page::Layout;
use crate::web::session::CurrentStaff;
use crate::web::{Db, Documents, server_error};

pub fn routes() -> Vec<Route> {
    routes![
        one_off_form,
        one_off_issue,
        correction_form,
        correction_issue,
        pdf
    ]
}

const FIELDS: [&str; 9] = [
    "contract_id",
    "subscription_period",
    "series_code",
    "issue_date",
    "payment_days",
    "reason",
    "lines",
    "form",
    "kind",
];

#[derive(Debug, FromForm)]
pub struct LineFields {
    keep: bool,
    #[field(default = String::new())]
    name: String,
    #[field(default = String::new())]
    unit: String,
    #[field(default = String::new())]
    quantity: String,
    #[field(default = String::new())]
    unit_price: String,
    #[field(default = String::new())]
    vat_rate: String,
    #[field(default = String::new())]
    service_id: String,
}

impl LineFields {
    fn form(&self, keep: bool) -> LineForm {
        LineForm {
            keep,
            name: self.name.clone(),
            unit: self.unit.clone(),
            quantity: self.quantity.clone(),
            unit_price: self.unit_price.clone(),
            vat_rate: self.vat_rate.clone(),
            service_id: self.service_id.clone(),
        }
    }
}

#[derive(Debug, FromForm)]
pub struct InvoiceFields {
    #[field(default = String::new())]
    contract_id: String,
    #[field(default = String::new())]
    subscription_period: String,
    #[field(default = String::new())]
    series_code: String,
    #[field(default = String::new())]
    issue_date: String,
    #[field(default = String::new())]
    payment_days: String,
    #[field(default = String::new())]
    reason: String,
    lines: Vec<LineFields>,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for InvoiceFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// The page's header: whose invoice, and whether prices are net or gross for this buyer.
#[derive(Debug, Clone, serde::Serialize)]
struct Buyer {
    id: i64,
    customer_number: i64,
    name: String,
    prices_net: bool,
    contracts: Vec<(i64, String)>,
}

fn buyer(conn: &mut DbConn, customer_id: i64) -> diesel::QueryResult<Option<Buyer>> {
    let Some(customer) = db::customers::find(conn, customer_id)? else {
        return Ok(None);
    };
    Ok(Some(Buyer {
        id: customer.id,
        customer_number: customer.customer_number,
        name: customer_card::display_name(&customer),
        prices_net: customer.kind == "company",
        contracts: db::contracts::of_customer(conn, customer_id)?
            .into_iter()
            .map(|(c, _)| (c.id, c.number))
            .collect(),
    }))
}

#[allow(clippy::too_many_arguments)]
async fn render(
    db: &Db,
    layout: Layout,
    customer_id: i64,
    template: &'static str,
    kind: &'static str,
    invoice: Option<(i64, String)>,
    form: serde_json::Value,
    lines: &[LineForm],
    errors: Option<&FieldErrors>,
) -> Result<Template, Status> {
    let series_kind = if kind == "correction" {
        "correction"
    } else {
        "invoice"
    };
    let (buyer, series) = db
        .query(move |conn| -> diesel::QueryResult<_> {
            Ok((
                buyer(conn, customer_id)?,
                manual_invoices::series_codes(conn, series_kind)?,
            ))
        })
        .await?;
    let buyer = buyer.ok_or(Status::NotFound)?;
    let line_errors = line_messages(layout.lang, errors, lines.len());
    let errors = field_messages(layout.lang, errors, &FIELDS);
    let rates: Vec<&str> = crate::domain::VatRate::ALL
        .iter()
        .map(|r| r.code())
        .collect();
    Ok(Template::render(
        template,
        context! { layout, buyer, series, invoice, form, lines, line_errors, errors, rates },
    ))
}

fn invoicing_parts(documents: &State<Documents>, mailing: &State<Mailing>) -> (Documents, Mailing) {
    (documents.inner().clone(), mailing.inner().clone())
}

#[get("/staff/klienci/<customer_id>/faktury/nowa")]
async fn one_off_form(
    customer_id: i64,
    staff: CurrentStaff,
    layout: Layout,
    db: Db,
) -> Result<Template, Status> {
    staff.require(Permission::IssueInvoices)?;
    let form = manual_invoices::blank_one_off(clock::today());
    let lines = form.lines.clone();
    let json = serde_json::to_value(&form).map_err(|e| server_error(&e))?;
    render(
        &db,
        layout,
        customer_id,
        "staff/invoice_form",
        "invoice",
        None,
        json,
        &lines,
        None,
    )
    .await
}

type Issued = Either<Flash<Redirect>, (Status, Template)>;

#[post("/staff/klienci/<customer_id>/faktury", data = "<fields>")]
#[allow(clippy::too_many_arguments)]
async fn one_off_issue(
    customer_id: i64,
    fields: Protected<InvoiceFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
    documents: &State<Documents>,
    mailing: &State<Mailing>,
) -> Result<Issued, Status> {
    staff.require(Permission::IssueInvoices)?;
    let actor = actor(&staff, &ip);
    let form = OneOffForm {
        contract_id: fields.contract_id.clone(),
        subscription_period: fields.subscription_period.clone(),
        series_code: fields.series_code.clone(),
        issue_date: fields.issue_date.clone(),
        payment_days: fields.payment_days.clone(),
        lines: fields.lines.iter().map(|l| l.form(true)).collect(),
    };
    let input = form.clone();
    let (documents, mailing) = invoicing_parts(documents, mailing);
    let now = clock::now();
    let result = db
        .run(move |conn| {
            let (request, rows) =
                manual_invoices::one_off_request(conn, customer_id, &input, &actor)?;
            let ctx = Invoicing {
                renderer: &documents.renderer,
                store: &documents.store,
                outgoing: Some(mailing.outgoing()),
            };
            invoicing::issue_invoice(conn, &ctx, &request, now)
                .map_err(|e| manual_invoices::refused(e, &rows))
        })
        .await
        .map_err(|e| server_error(&e))?;
    match result {
        Ok(issued) => Ok(Either::Left(Flash::success(
            Redirect::to(format!("/staff/klienci/{customer_id}")),
            text_with(
                layout.lang,
                "staff-invoice-issued",
                &[("number", issued.number.into())],
            ),
        ))),
        Err(ManualInvoiceError::Fields(errors)) => {
            let lines = form.lines.clone();
            let json = serde_json::to_value(&form).map_err(|e| server_error(&e))?;
            Ok(Either::Right((
                Status::UnprocessableEntity,
                render(
                    &db,
                    layout,
                    customer_id,
                    "staff/invoice_form",
                    "invoice",
                    None,
                    json,
                    &lines,
                    Some(&errors),
                )
                .await?,
            )))
        }
        Err(ManualInvoiceError::NotFound) => Err(Status::NotFound),
        Err(error) => Err(server_error(&error)),
    }
}

#[get("/staff/klienci/<customer_id>/faktury/<invoice_id>/korekta")]
async fn correction_form(
    customer_id: i64,
    invoice_id: i64,
    staff: CurrentStaff,
    layout: Layout,
    db: Db,
) -> Result<Template, Status> {
    staff.require(Permission::IssueInvoices)?;
    let today = clock::today();
    let (invoice, form) = db
        .query(move |conn| -> diesel::QueryResult<_> {
            let Some(invoice) = manual_invoices::invoice_of(conn, customer_id, invoice_id)? else {
                return Ok(None);
            };
            let form = manual_invoices::correction_form(conn, &invoice, today)?;
            Ok(Some((invoice, form)))
        })
        .await?
        .ok_or(Status::NotFound)?;
    let lines = form.lines.clone();
    let json = serde_json::to_value(&form).map_err(|e| server_error(&e))?;
    let number = (invoice.id, invoice.number.unwrap_or_default());
    render(
        &db,
        layout,
        customer_id,
        "staff/correction_form",
        "correction",
        Some(number),
        json,
        &lines,
        None,
    )
    .await
}

#[post(
    "/staff/klienci/<customer_id>/faktury/<invoice_id>/korekta",
    data = "<fields>"
)]
#[allow(clippy::too_many_arguments)]
async fn correction_issue(
    customer_id: i64,
    invoice_id: i64,
    fields: Protected<InvoiceFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
    documents: &State<Documents>,
    mailing: &State<Mailing>,
) -> Result<Issued, Status> {
    staff.require(Permission::IssueInvoices)?;
    let actor = actor(&staff, &ip);
    let form = CorrectionForm {
        series_code: fields.series_code.clone(),
        issue_date: fields.issue_date.clone(),
        payment_days: fields.payment_days.clone(),
        reason: fields.reason.clone(),
        lines: fields.lines.iter().map(|l| l.form(l.keep)).collect(),
    };
    let input = form.clone();
    let (documents, mailing) = invoicing_parts(documents, mailing);
    let now = clock::now();
    let result = db
        .run(move |conn| {
            let invoice = manual_invoices::invoice_of(conn, customer_id, invoice_id)?
                .ok_or(ManualInvoiceError::NotFound)?;
            let number = invoice.number.clone().unwrap_or_default();
            let (request, rows) = manual_invoices::correction_request(&invoice, &input, &actor)?;
            let ctx = Invoicing {
                renderer: &documents.renderer,
                store: &documents.store,
                outgoing: Some(mailing.outgoing()),
            };
            invoicing::issue_correction(conn, &ctx, &request, now)
                .map_err(|e| manual_invoices::refused(e, &rows))
                .map(|issued| (issued, number))
        })
        .await
        .map_err(|e| server_error(&e))?;
    match result {
        Ok((issued, _)) => Ok(Either::Left(Flash::success(
            Redirect::to(format!("/staff/klienci/{customer_id}")),
            text_with(
                layout.lang,
                "staff-correction-issued",
                &[("number", issued.number.into())],
            ),
        ))),
        Err(ManualInvoiceError::Fields(errors)) => {
            let number = db
                .query(move |conn| manual_invoices::invoice_of(conn, customer_id, invoice_id))
                .await?
                .ok_or(Status::NotFound)?
                .number
                .unwrap_or_default();
            let lines = form.lines.clone();
            let json = serde_json::to_value(&form).map_err(|e| server_error(&e))?;
            Ok(Either::Right((
                Status::UnprocessableEntity,
                render(
                    &db,
                    layout,
                    customer_id,
                    "staff/correction_form",
                    "correction",
                    Some((invoice_id, number)),
                    json,
                    &lines,
                    Some(&errors),
                )
                .await?,
            )))
        }
        Err(ManualInvoiceError::NotFound) => Err(Status::NotFound),
        Err(error) => Err(server_error(&error)),
    }
}

/// The stored file of one of the customer's invoices, checked against its hash.
#[get("/staff/klienci/<customer_id>/faktury/<invoice_id>/pdf")]
async fn pdf(
    customer_id: i64,
    invoice_id: i64,
    staff: CurrentStaff,
    db: Db,
    documents: &State<Documents>,
) -> Result<(ContentType, Vec<u8>), Status> {
    staff.require(Permission::ViewCustomers)?;
    let store = documents.store.clone();
    let (_, bytes) = db
        .query(move |conn| invoices::pdf(conn, &store, customer_id, invoice_id))
        .await?
        .ok_or(Status::NotFound)?;
    Ok((ContentType::PDF, bytes))
}
