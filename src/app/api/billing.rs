//! Invoices and payments through the JSON API. Invoices are read as the subscriber's pages read
//! them (`app::invoices`: what each owes, the stored PDF checked against its hash, never
//! re-rendered); the FA(3) XML once it went to KSeF. A payment is recorded by the use case staff
//! use for a payment taken by hand (`app::payments::record_manual`), so it is allocated to the
//! oldest due invoices the same way and audited (with the token's name).

use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use crate::domain::InvoiceKind;
use crate::domain::InvoiceStatus;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{Answer, FieldProblem, ListQuery, Problem, ProblemKind};
use crate::app::audit::Actor;
use crate::app::invoices::{self, DocumentError, InvoiceRow};
use crate::app::invoicing::PdfStore;
use crate::app::payments::{self, ManualError, ManualPayment, ManualProblem, PaymentError};
use crate::db::{self, DbConn};
use crate::domain::Money;

type Db<T> = Result<T, diesel::result::Error>;

/// Amounts are decimal strings in złoty ("79.99").
fn amount(grosze: i64) -> String {
    let sign = if grosze < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", grosze.abs() / 100, grosze.abs() % 100)
}

// ---- invoices -----------------------------------------------------------------------------------

/// An issued invoice (or correction) and where its payment stands.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": 311, "customer_id": 12, "number": "FV/2026/12/0311", "kind": "invoice",
    "issue_date": "2026-12-01", "due_date": "2026-12-15", "period_start": "2026-12-01",
    "period_end": "2026-12-31", "total_gross": "79.99", "corrected_gross": "79.99",
    "paid": "0.00", "outstanding": "79.99", "payment_status": "unpaid", "has_pdf": true,
    "ksef_state": "accepted", "ksef_number": "5252248481-20261201-0100A1B2C3D4-5E"
}))]
pub struct InvoiceOut {
    #[schema(value_type = i64)]
    pub id: InvoiceId,
    #[schema(value_type = i64)]
    pub customer_id: CustomerId,
    pub number: String,
    /// `invoice` or `correction`.
    #[schema(value_type = String)]
    pub kind: InvoiceKind,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub total_gross: String,
    /// What the invoice is for after its corrections.
    pub corrected_gross: String,
    pub paid: String,
    pub outstanding: String,
    /// `unpaid`, `partly_paid`, `overdue`, `paid`, `credit` or `correction`.
    pub payment_status: String,
    /// Whether `GET /api/v1/invoices/{id}/pdf` has a file.
    pub has_pdf: bool,
    /// `accepted`, `waiting` or `offline`; null when the invoice does not go to KSeF.
    pub ksef_state: Option<String>,
    pub ksef_number: Option<String>,
}

impl InvoiceOut {
    fn of(customer_id: CustomerId, row: InvoiceRow) -> InvoiceOut {
        let text = |value: serde_json::Value| value.as_str().unwrap_or_default().to_owned();
        InvoiceOut {
            id: row.id,
            customer_id,
            number: row.number,
            kind: row.kind,
            issue_date: row.issue_date,
            due_date: row.due_date,
            period_start: row.period_start,
            period_end: row.period_end,
            total_gross: amount(row.total_gross),
            corrected_gross: amount(row.corrected_gross),
            paid: amount(row.paid),
            outstanding: amount(row.outstanding),
            payment_status: text(json!(row.status)),
            has_pdf: row.has_pdf,
            ksef_state: row.ksef.as_ref().map(|k| text(json!(k.state))),
            ksef_number: row.ksef.and_then(|k| k.number),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InvoiceList {
    pub items: Vec<InvoiceOut>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

fn views(
    conn: &mut DbConn,
    invoices: Vec<db::invoices::Invoice>,
    today: NaiveDate,
) -> Db<Vec<InvoiceOut>> {
    let customers: Vec<CustomerId> = invoices.iter().map(|i| i.customer_id).collect();
    let rows = invoices::payment_rows(conn, invoices, today)?;
    Ok(customers
        .into_iter()
        .zip(rows)
        .map(|(customer_id, row)| InvoiceOut::of(customer_id, row))
        .collect())
}

/// Issued invoices by id; `updated_since` finds those issued since.
pub fn list_invoices(conn: &mut DbConn, query: &ListQuery, today: NaiveDate) -> Db<Answer> {
    let page = match query.page() {
        Ok(page) => page,
        Err(problem) => return Ok(problem.into()),
    };
    let mut found = db::api::invoices_page(conn, page)?;
    // The page query read one more than asked: it tells whether another page follows.
    let limit = (page.limit - 1).max(0) as usize;
    let more = found.len() > limit;
    found.truncate(limit);
    let next_cursor = more
        .then(|| found.last().map(|i| i.id.to_string()))
        .flatten();
    Ok(Answer::ok(
        200,
        InvoiceList {
            items: views(conn, found, today)?,
            next_cursor,
        },
    ))
}

fn issued(conn: &mut DbConn, id: InvoiceId) -> Db<Option<db::invoices::Invoice>> {
    Ok(db::invoices::find(conn, id)?.filter(|i| i.status == InvoiceStatus::Issued))
}

pub fn get_invoice(conn: &mut DbConn, id: InvoiceId, today: NaiveDate) -> Db<Answer> {
    let Some(invoice) = issued(conn, id)? else {
        return Ok(Problem::not_found("invoice").into());
    };
    Ok(match views(conn, vec![invoice], today)?.pop() {
        Some(view) => Answer::ok(200, view),
        None => Problem::not_found("invoice").into(),
    })
}

/// A document to hand out as it is stored: its file name and bytes.
pub type Document = Result<(String, Vec<u8>), Problem>;

/// The invoice's stored PDF (the KSeF-numbered visualisation once there is one), checked
/// against its hash.
pub fn invoice_pdf(conn: &mut DbConn, store: &PdfStore, id: InvoiceId) -> Db<Document> {
    let Some(invoice) = issued(conn, id)? else {
        return Ok(Err(Problem::not_found("invoice")));
    };
    match invoices::pdf(conn, store, invoice.customer_id, id) {
        Ok(Some(file)) => Ok(Ok(file)),
        Ok(None) => Ok(Err(
            Problem::not_found("invoice PDF").detail("the invoice has no stored PDF (yet)")
        )),
        Err(DocumentError::NotStored) => Ok(Err(Problem::not_found("invoice PDF")
            .detail("a demo invoice seeded without its document (ebok demo --no-pdfs)"))),
        Err(DocumentError::Database(error)) => Err(error),
        Err(DocumentError::Storage(error)) => {
            tracing::error!(%error, invoice = id.0, "stored invoice PDF cannot be served");
            Ok(Err(
                Problem::new(ProblemKind::ServerError).detail("the stored file cannot be served")
            ))
        }
    }
}

/// The FA(3) XML the invoice went to KSeF with; a 404 problem before it was sent.
pub fn invoice_xml(conn: &mut DbConn, id: InvoiceId) -> Db<Document> {
    let Some(invoice) = issued(conn, id)? else {
        return Ok(Err(Problem::not_found("invoice")));
    };
    let sent = db::ksef::find(conn, id)?
        .filter(|d| d.state.is_with_ksef())
        .and_then(|d| d.xml);
    Ok(match sent {
        Some(xml) => {
            let name = invoice.number.unwrap_or_else(|| id.to_string());
            Ok((format!("{}.xml", name.replace('/', "_")), xml.into_bytes()))
        }
        None => {
            Err(Problem::not_found("KSeF document").detail("the invoice has not been sent to KSeF"))
        }
    })
}

// ---- payments -----------------------------------------------------------------------------------

/// A payment received (a transfer seen at the bank, cash at the office).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "customer_id": 12, "amount": "79.99", "received_on": "2026-12-08", "method": "transfer",
    "title": "FV/2026/12/0311"
}))]
pub struct PaymentIn {
    #[schema(value_type = i64)]
    pub customer_id: CustomerId,
    /// In złoty, e.g. "79.99" (a comma is read too).
    pub amount: String,
    /// `YYYY-MM-DD`, not in the future.
    pub received_on: String,
    /// `transfer` (the default), `cash` or `card`.
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
}

/// One part of a payment laid on an invoice.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AllocationOut {
    #[schema(value_type = i64)]
    pub invoice_id: InvoiceId,
    pub amount: String,
}

/// A recorded payment and where it went: the oldest due invoices first, the rest credit.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": 901, "customer_id": 12, "amount": "100.00", "received_on": "2026-12-08",
    "method": "transfer", "allocations": [{"invoice_id": 311, "amount": "79.99"}],
    "credit_left": "20.01"
}))]
pub struct PaymentOut {
    pub id: i64,
    #[schema(value_type = i64)]
    pub customer_id: CustomerId,
    pub amount: String,
    pub received_on: NaiveDate,
    pub method: String,
    pub allocations: Vec<AllocationOut>,
    /// What no invoice took: the customer's credit for the next ones.
    pub credit_left: String,
}

pub fn create_payment(
    conn: &mut DbConn,
    input: &PaymentIn,
    actor: &Actor,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Db<Answer> {
    let Some(customer) = db::customers::find(conn, input.customer_id)? else {
        return Ok(Problem::field(
            "customer_id",
            "api-unknown-customer",
            "There is no such customer.",
        )
        .into());
    };
    let method = input
        .method
        .clone()
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| "transfer".into());
    let form = ManualPayment {
        customer_number: customer.customer_number.to_string(),
        amount: input.amount.clone(),
        received_on: input.received_on.clone(),
        method: method.clone(),
        title: input.title.clone().unwrap_or_default(),
    };
    match payments::record_manual(conn, &form, actor, today, now) {
        Ok((recorded, customer_id)) => {
            let received_on =
                crate::domain::bank_statement::parse_date(&input.received_on).unwrap_or(today);
            let total = crate::domain::bank_statement::parse_amount(&input.amount)
                .unwrap_or_else(Money::zero);
            Ok(Answer::ok(
                201,
                PaymentOut {
                    id: recorded.payment_id,
                    customer_id,
                    amount: amount(total.grosze()),
                    received_on,
                    method: method.trim().to_owned(),
                    allocations: recorded
                        .allocations
                        .iter()
                        .map(|(invoice_id, part)| AllocationOut {
                            invoice_id: *invoice_id,
                            amount: amount(part.grosze()),
                        })
                        .collect(),
                    credit_left: amount(recorded.credit_left.grosze()),
                },
            ))
        }
        Err(ManualError::Invalid(problems)) => {
            Ok(Problem::field_list(problems.into_iter().map(payment_problem).collect()).into())
        }
        Err(ManualError::Payment(PaymentError::Database(error))) => Err(error),
        Err(ManualError::Payment(error)) => Ok(Problem::field(
            "amount",
            "api-payment",
            &format!("The payment cannot be recorded: {error}."),
        )
        .into()),
    }
}

fn payment_problem(problem: ManualProblem) -> FieldProblem {
    let (field, code, message) = match problem {
        ManualProblem::UnknownCustomer => (
            "customer_id",
            "api-unknown-customer",
            "There is no such customer.",
        ),
        ManualProblem::BadAmount => (
            "amount",
            "api-amount",
            "Give an amount over zero in złoty, e.g. 79.99.",
        ),
        ManualProblem::BadDate => ("received_on", "api-date", "Use a date as YYYY-MM-DD."),
        ManualProblem::FutureDate => (
            "received_on",
            "api-future-date",
            "A payment cannot be received in the future.",
        ),
        ManualProblem::BadMethod => ("method", "api-choice", "Choose transfer, cash or card."),
        ManualProblem::TitleTooLong => (
            "title",
            "api-too-long",
            "The title may be 200 characters at most.",
        ),
    };
    FieldProblem {
        field: field.into(),
        code: code.into(),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn amounts_are_decimal_strings() {
        assert_eq!(super::amount(7999), "79.99");
        assert_eq!(super::amount(-5), "-0.05");
        assert_eq!(super::amount(100_000), "1000.00");
    }
}

// ---- bank statements ----------------------------------------------------------------------------

/// A statement file as the bank gave it (the body), and how to read it.
#[derive(Debug, Clone)]
pub struct StatementIn {
    pub bytes: Vec<u8>,
    /// `mt940`, `mt942`, `csv` or `elixir0`; recognised from the content when absent.
    pub format: Option<String>,
    /// `utf8`, `windows1250` or `iso8859_2`; recognised from the bytes when absent.
    pub encoding: Option<String>,
    /// The file's name, for the staff's list of imports.
    pub name: Option<String>,
}

/// What importing a statement booked (the staff panel's commit summary).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "batch_id": 17, "format": "mt940", "encoding": "windows1250", "booked": 41,
    "booked_amount": "3279.59", "unmatched": 2, "unmatched_amount": "120.00", "duplicates": 0,
    "held": 1, "debits": 3
}))]
pub struct StatementOut {
    /// The import in the staff panel (`/staff/platnosci/import/{batch_id}`).
    pub batch_id: i64,
    pub format: String,
    pub encoding: String,
    /// Credits matched to a customer: booked as payments and allocated.
    pub booked: usize,
    pub booked_amount: String,
    /// Credits no customer was found for: in the staff's review queue.
    pub unmatched: usize,
    pub unmatched_amount: String,
    /// Transactions booked before (by any import): nothing booked again.
    pub duplicates: usize,
    /// Lines that only look like ones booked before: held for staff.
    pub held: usize,
    pub debits: usize,
}

/// Imports a statement file and books it at once, as staff would preview and commit it: every
/// bank transaction is booked once however often its file comes.
pub fn import_statement(
    conn: &mut DbConn,
    input: &StatementIn,
    actor: &Actor,
    now: NaiveDateTime,
) -> Db<Answer> {
    use crate::app::bank_import::{self, Encoding, Format, ImportError, Upload};
    let mut problems = Vec::new();
    let format = match input.format.as_deref().filter(|f| !f.trim().is_empty()) {
        None => None,
        Some(text) => Format::parse(text).or_else(|| {
            problems.push(FieldProblem {
                field: "format".into(),
                code: "api-statement-format".into(),
                message: "Use mt940, mt942, csv or elixir0, or leave it out.".into(),
            });
            None
        }),
    };
    let encoding = match input.encoding.as_deref().filter(|e| !e.trim().is_empty()) {
        None => None,
        Some(text) => Encoding::parse(text).or_else(|| {
            problems.push(FieldProblem {
                field: "encoding".into(),
                code: "api-statement-encoding".into(),
                message: "Use utf8, windows1250 or iso8859_2, or leave it out.".into(),
            });
            None
        }),
    };
    if !problems.is_empty() {
        return Ok(Problem::field_list(problems).into());
    }
    let upload = Upload {
        file_name: input.name.as_deref().unwrap_or("api"),
        bytes: &input.bytes,
        format,
        encoding,
    };
    let refused = |message: String| -> Db<Answer> {
        Ok(Problem::field("file", "api-statement", &message).into())
    };
    let batch_id = match bank_import::preview(conn, &upload, actor, now) {
        Ok(id) => id,
        Err(ImportError::Database(error)) => return Err(error),
        Err(error) => return refused(format!("The statement cannot be read: {error}.")),
    };
    let summary = match bank_import::commit(conn, batch_id, actor, now) {
        Ok(summary) => summary,
        Err(ImportError::Database(error)) => return Err(error),
        Err(error) => return refused(format!("The statement cannot be booked: {error}.")),
    };
    let batch = db::bank_import::find_batch(conn, batch_id)?;
    Ok(Answer::ok(
        201,
        StatementOut {
            batch_id,
            format: batch.as_ref().map(|b| b.format.clone()).unwrap_or_default(),
            encoding: batch.map(|b| b.encoding).unwrap_or_default(),
            booked: summary.booked,
            booked_amount: amount(summary.booked_amount),
            unmatched: summary.unmatched,
            unmatched_amount: amount(summary.unmatched_amount),
            duplicates: summary.duplicates,
            held: summary.held,
            debits: summary.debits,
        },
    ))
}
