//! Refunding a paid shop order (staff, `/staff/zamowienia`): staff pick the lines to give back
//! and say why. In one transaction the order's invoice is corrected (the picked lines removed,
//! the correction mailed like any), the lines are marked refunded (each once, whoever clicks
//! twice), and the overpaid money leaves the ledger as a refund that goes back through PayU.
//! After commit `online_payments::refunds::send_due` hands it to PayU; PayU's refund
//! notification marks it paid back, or cancelled (staff then send it by transfer from
//! `/staff/zwroty`). What the lines put into effect (a service, a domain) is not
//! undone here: staff end it where it lives.
//!
//! How much goes back is the ledger's answer, as for any correction: the overpaid part of the
//! order's invoice. When the customer has older unpaid invoices, a re-laid payment may already
//! cover them; that part lowers what they owe instead of going back (`Refunded::amount` below
//! `lowered`, and the flash says so).

use crate::domain::InvoiceId;
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::app::invoicing::{
    CorrectionRequest, Invoicing, IssueError, PayuRefundTarget,
    issue_correction_refunded_through_payu,
};
use crate::db::{self, DbConn};
use crate::domain::online_payment::OrderState;

/// Why a refund was not made; nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum RefundError {
    #[error("there is no such order")]
    NoOrder,
    #[error("the order was not paid through PayU, or not invoiced")]
    NotPaid,
    #[error("no line was chosen")]
    NoLines,
    #[error("a chosen line is not on the order or was refunded already")]
    LineRefunded,
    #[error("the reason is missing or longer than 500 characters")]
    Reason,
    #[error(transparent)]
    Invoice(#[from] IssueError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// What one refund did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refunded {
    pub correction_id: InvoiceId,
    pub correction_number: String,
    /// Grosze going back through PayU: the lowered amount, less what the ledger had already
    /// laid on the customer's other open invoices (that part lowers what they owe instead).
    pub amount: i64,
    /// Grosze the correction took off the order's invoice.
    pub lowered: i64,
}

/// What staff asked: which lines of which order go back, and why.
#[derive(Debug, Clone)]
pub struct RefundRequest {
    pub order_id: i64,
    pub line_ids: Vec<i64>,
    pub reason: String,
}

/// Corrects the order's invoice without the chosen lines and records the refund through PayU.
pub fn refund_lines(
    conn: &mut DbConn,
    ctx: &Invoicing<'_>,
    request: &RefundRequest,
    actor: &Actor,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<Refunded, RefundError> {
    let (order_id, line_ids) = (request.order_id, request.line_ids.as_slice());
    let reason = request.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(RefundError::Reason);
    }
    if line_ids.is_empty() {
        return Err(RefundError::NoLines);
    }
    db::write_transaction(conn, |conn| {
        let order = db::orders::find_order(conn, order_id)?.ok_or(RefundError::NoOrder)?;
        let invoice_id = order.invoice_id.ok_or(RefundError::NotPaid)?;
        let payu_order_id = paid_payu_order(conn, order_id)?.ok_or(RefundError::NotPaid)?;
        let lines = db::orders::lines_of(conn, order_id)?;
        let open: Vec<_> = lines
            .iter()
            .filter(|l| l.refund_correction_id.is_none())
            .collect();
        if !line_ids
            .iter()
            .all(|id| open.iter().any(|line| line.id == *id))
        {
            return Err(RefundError::LineRefunded);
        }
        // The invoice as it should be now: every line not refunded, before or now.
        let keep: Vec<_> = open
            .iter()
            .filter(|line| !line_ids.contains(&line.id))
            .map(|line| super::paid::invoice_line(line))
            .collect();
        let number = super::number(order_id);
        let correction = CorrectionRequest {
            original_id: latest_document(conn, invoice_id)?,
            series_code: "FK".into(),
            issue_date: today,
            reason: format!("Zwrot za zamówienie {number}: {reason}"),
            lines: keep,
            payment_days: 0,
            actor: actor.for_customer(order.customer_id),
            overpaid: crate::domain::receivables::Overpaid::Refund,
            refund_account: None,
        };
        let issued = issue_correction_refunded_through_payu(
            conn,
            ctx,
            &correction,
            PayuRefundTarget {
                shop_order_id: Some(order_id),
                payu_order_id,
                description: format!("Zwrot: zamówienie {number}"),
            },
            now,
        )?;
        let marked = db::orders::mark_lines_refunded(conn, order_id, line_ids, issued.invoice_id)?;
        if marked != line_ids.len() {
            // Another refund took a line between our read and now: undo it all.
            return Err(RefundError::LineRefunded);
        }
        let amount = db::refunds::of_correction(conn, issued.invoice_id)?.map_or(0, |r| r.amount);
        audit::record(
            conn,
            actor,
            "order_refunded",
            json!({ "order": order_id, "lines": line_ids, "correction": issued.invoice_id, "amount": amount }),
            now,
        )?;
        Ok(Refunded {
            correction_id: issued.invoice_id,
            correction_number: issued.number,
            amount,
            lowered: -issued.total_gross.grosze(),
        })
    })
}

/// The newest document of the invoice's chain: a second refund corrects the first correction.
fn latest_document(conn: &mut DbConn, invoice_id: InvoiceId) -> diesel::QueryResult<InvoiceId> {
    let mut current = invoice_id;
    // Each correction refers to an older document, so the walk ends; the bound is a guard.
    for _ in 0..1000 {
        match db::invoices::correction_of(conn, current)? {
            Some(next) => current = next,
            None => break,
        }
    }
    Ok(current)
}

/// PayU's id of the order's paid online payment.
fn paid_payu_order(conn: &mut DbConn, order_id: i64) -> diesel::QueryResult<Option<String>> {
    for id in db::orders::payments_of_order(conn, order_id)? {
        if let Some(payment) = db::online_payments::find(conn, id)?
            && payment.state == OrderState::Completed
            && payment.payu_order_id.is_some()
        {
            return Ok(payment.payu_order_id);
        }
    }
    Ok(None)
}
