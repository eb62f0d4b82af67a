//! Ending a contract at once (seed S §4.11: the seller may end the contract immediately, e.g.
//! for a breach, and returns what was paid in proportion to the rest of the period): staff give
//! a reason and the last day served; the unused part of the paid period is computed to the grosz
//! (days left / days in the period, half-up), a corrective invoice is issued for it, and it is
//! returned the way it was paid: a PayU refund of the card charge, otherwise credit. The
//! subscriber is mailed with the correction attached.

use crate::domain::ContractId;
use crate::domain::ContractStatus;
use crate::domain::InvoiceId;
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::pl_date;
use crate::app::audit::{self, Actor};
use crate::app::invoicing::{
    CorrectionRequest, Invoicing, LineRequest, PayuRefundTarget, issue_correction,
    issue_correction_refunded_through_payu,
};
use crate::app::mail_queue;
use crate::db::{self, DbConn};
use crate::domain::receivables::Overpaid;
use crate::domain::recurring::{ChargeState, MandateStatus, Period, unused_part};
use crate::domain::{Money, VatRate};
use crate::mail::{Language, MailKind};

/// The series corrective invoices are numbered in.
pub const CORRECTION_SERIES: &str = "FK";

#[derive(Debug, Clone)]
pub struct EndRequest {
    pub contract_id: ContractId,
    pub reason: String,
    /// The last day the service is given.
    pub last_day: NaiveDate,
    pub actor: Actor,
    pub today: NaiveDate,
    pub now: NaiveDateTime,
}

/// What ending the contract did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ended {
    /// The correction and its number; none when no paid period reaches past the last day.
    pub correction: Option<(InvoiceId, String)>,
    /// Grosze returned for the unused days.
    pub returned: i64,
    /// Grosze of it going back to the card through PayU (the rest is credit).
    pub to_card: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum EndError {
    #[error("there is no such contract, or it has ended already")]
    NoContract,
    #[error("a reason is needed")]
    NoReason,
    #[error("the last day is before the contract started")]
    BadDate,
    #[error(transparent)]
    Issue(#[from] crate::app::invoicing::IssueError),
    #[error(transparent)]
    Mail(#[from] crate::app::mail_queue::QueueError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// The paid period that reaches past `last_day`: its invoice, its days, and the PayU order of
/// the card charge that paid it (none when paid otherwise).
fn paid_period(
    conn: &mut DbConn,
    contract_id: ContractId,
    last_day: NaiveDate,
) -> diesel::QueryResult<Option<(InvoiceId, Period, Option<String>)>> {
    for charge in db::recurring::charges_of_contract(conn, contract_id)? {
        if charge.period_start <= last_day
            && last_day < charge.period_end
            && let Some(invoice_id) = charge.invoice_id
        {
            let period = Period {
                index: 0,
                start: charge.period_start,
                end: charge.period_end,
            };
            let order = (charge.state == ChargeState::Paid)
                .then_some(charge.payu_order_id)
                .flatten();
            return Ok(Some((invoice_id, period, order)));
        }
    }
    Ok(None)
}

/// Ends the contract on `last_day`, issues the correction for the unused days and records how
/// it is returned; the PayU refund itself is sent after commit (`send_due`).
pub fn end_at_once(
    conn: &mut DbConn,
    invoicing: &Invoicing<'_>,
    request: &EndRequest,
) -> Result<Ended, EndError> {
    let reason = request.reason.trim();
    if reason.is_empty() {
        return Err(EndError::NoReason);
    }
    db::write_transaction(conn, |conn| {
        let contract = db::contracts::find(conn, request.contract_id)?
            .filter(|c| c.status == ContractStatus::Active)
            .ok_or(EndError::NoContract)?;
        if request.last_day < contract.starts_on {
            return Err(EndError::BadDate);
        }
        let mut ended = Ended {
            correction: None,
            returned: 0,
            to_card: 0,
        };
        if let Some((invoice_id, period, order)) = paid_period(conn, contract.id, request.last_day)?
        {
            let lines = db::invoices::lines_of(conn, invoice_id)?
                .into_iter()
                .filter(|l| l.side == "line")
                .map(|l| -> Result<LineRequest, EndError> {
                    let unused =
                        unused_part(Money::from_grosze(l.unit_price), &period, request.last_day);
                    Ok(LineRequest {
                        name: l.name,
                        unit: l.unit,
                        quantity: l.quantity.parse().map_err(|_| {
                            crate::app::invoicing::IssueError::Lines(
                                crate::domain::VatError::NoLines,
                            )
                        })?,
                        unit_price: Money::from_grosze(l.unit_price - unused.grosze()),
                        rate: VatRate::parse(&l.vat_rate)
                            .map_err(crate::app::invoicing::IssueError::Lines)?,
                        service_id: l.service_id,
                        subscription: None,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let request_of_correction = CorrectionRequest {
                original_id: invoice_id,
                series_code: CORRECTION_SERIES.into(),
                issue_date: request.today,
                reason: format!(
                    "Rozwiązanie umowy ze skutkiem natychmiastowym z dniem {}: {reason}",
                    pl_date(request.last_day)
                ),
                lines,
                payment_days: 14,
                actor: request.actor.clone(),
                overpaid: Overpaid::Credit,
                refund_account: None,
            };
            // A card charge's money goes back to the card through PayU (sent after commit by
            // `online_payments::refunds::send_due`); anything else paid stays as credit.
            let issued = match order {
                Some(payu_order_id) => issue_correction_refunded_through_payu(
                    conn,
                    invoicing,
                    &request_of_correction,
                    PayuRefundTarget {
                        shop_order_id: None,
                        payu_order_id,
                        description: "Zwrot za niewykorzystaną część okresu".into(),
                    },
                    request.now,
                )?,
                None => issue_correction(conn, invoicing, &request_of_correction, request.now)?,
            };
            ended.returned = -issued.total_gross.grosze();
            ended.to_card =
                db::refunds::of_correction(conn, issued.invoice_id)?.map_or(0, |r| r.amount);
            ended.correction = Some((issued.invoice_id, issued.number.clone()));
        }
        db::contracts::end_now(conn, contract.id, request.last_day, request.now)?;
        if let Some(mandate) = db::recurring::open_mandate_of_contract(conn, contract.id)? {
            db::recurring::move_mandate(
                conn,
                mandate.id,
                &MandateStatus::OPEN,
                MandateStatus::Cancelled,
                Some(request.last_day),
                Some("contract_ended"),
                request.now,
            )?;
        }
        audit::record(
            conn,
            &request.actor.for_customer(contract.customer_id),
            "contract_ended_at_once",
            json!({ "contract": contract.number, "last_day": request.last_day, "reason": reason,
                    "returned": ended.returned,
                    "correction": ended.correction.as_ref().map(|c| c.1.clone()) }),
            request.now,
        )?;
        if let Some(outgoing) = &invoicing.outgoing {
            let customer =
                db::customers::find(conn, contract.customer_id)?.ok_or(EndError::NoContract)?;
            let attachment = match &ended.correction {
                Some((id, _)) => db::invoices::find(conn, *id)?.and_then(|i| i.pdf_path),
                None => None,
            };
            let mut context = outgoing.context();
            context.insert("event", "terminated");
            context.insert("contract_number", &contract.number);
            context.insert("ends_on", &pl_date(request.last_day));
            context.insert("reason", reason);
            context.insert(
                "amount",
                &format!("{} zł", Money::from_grosze(ended.returned).format_amount()),
            );
            if let Some((_, number)) = &ended.correction {
                context.insert("invoice_number", number);
            }
            context.insert("link", &outgoing.link("/saldo"));
            mail_queue::queue_with_attachment(
                conn,
                outgoing.templates,
                MailKind::Recurring,
                &customer.email,
                Language::from_code(&customer.language),
                &context,
                attachment,
                request.now,
            )?;
        }
        Ok(ended)
    })
}
