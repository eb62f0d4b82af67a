//! PayU's notifications: the signature first (nothing is read from a body PayU did not sign),
//! then the order's own amount and currency, then the step its state allows. Everything one
//! notification changes happens in one transaction, and the state moves only by conditional
//! updates, so the same notification twice, two instances receiving it at once, or a stale
//! status arriving late changes nothing twice.

use chrono::{NaiveDate, NaiveDateTime};

use crate::app::invoicing::Invoicing;
use crate::app::online_payments::refunds::{self, Finished};
use crate::app::payments::settle;
use crate::app::receivables;
use crate::db::payments::NewPayment;
use crate::db::{self, DbConn};
use crate::domain::allocation::{OpenInvoice, allocate};
use crate::domain::online_payment::{self, OrderState, PaymentPurpose, Step};
use crate::payu::signature::{self, SignatureError};
use crate::payu::wire::{OrderNotification, RefundNotification};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The order was paid: this payment was booked.
    Booked { order_id: i64, payment_id: i64 },
    /// The order moved (pending, cancelled).
    Moved { order_id: i64, state: OrderState },
    /// Nothing to do (a repeat, a stale status, a final order).
    Ignored { order_id: i64 },
    /// The order waits for staff; nothing was booked.
    Flagged { order_id: i64, reason: String },
    /// A refund's notification.
    Refund(Finished),
    /// A card registration or an automatic charge (`app::recurring`).
    Recurring(crate::app::recurring::notification::Handled),
}

#[derive(Debug, thiserror::Error)]
pub enum NotificationError {
    /// Unsigned or tampered: refused, nothing read.
    #[error(transparent)]
    Signature(#[from] SignatureError),
    #[error("the notification is not PayU's JSON: {0}")]
    Unreadable(String),
    /// A card registration or an automatic charge could not be recorded; PayU will retry.
    #[error("recurring payment: {0}")]
    Recurring(String),
    /// Signed, but for an order we never placed (another shop on the same POS).
    #[error("the notification names an order we do not know")]
    UnknownOrder,
    /// A paid catalogue order could not be invoiced or activated; nothing was booked and PayU
    /// will deliver the notification again.
    #[error(transparent)]
    Order(#[from] crate::app::orders::paid::PaidError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Processes one notification as received: the raw body and the `OpenPayU-Signature` header.
/// `invoicing` issues the invoice of a paid catalogue order.
pub fn process(
    conn: &mut DbConn,
    invoicing: &Invoicing<'_>,
    second_key: &str,
    signature_header: Option<&str>,
    body: &[u8],
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<Outcome, NotificationError> {
    signature::verify(body, signature_header, second_key)?;
    // A refund's notification has its own shape (`refund` beside `orderId`).
    if let Ok(refund) = serde_json::from_slice::<RefundNotification>(body) {
        return db::write_transaction(conn, |conn| match refunds::finish(conn, &refund, now)? {
            Finished::Unknown => Err(NotificationError::UnknownOrder),
            finished => Ok(Outcome::Refund(finished)),
        });
    }
    let notification: OrderNotification =
        serde_json::from_slice(body).map_err(|e| NotificationError::Unreadable(e.to_string()))?;
    let reported = notification.order;
    db::write_transaction(conn, |conn| {
        let Some(order) = db::online_payments::find_for_notification(
            conn,
            &reported.order_id,
            reported.ext_order_id.as_deref(),
        )?
        else {
            return crate::app::recurring::notification::process(
                conn,
                &invoicing.outgoing,
                &reported,
                today,
                now,
            )
            .map_err(|e| match e {
                crate::app::recurring::RecurringError::Database(e) => {
                    NotificationError::Database(e)
                }
                other => NotificationError::Recurring(other.to_string()),
            })?
            .map(Outcome::Recurring)
            .ok_or(NotificationError::UnknownOrder);
        };
        if let Err(mismatch) = online_payment::check_amount(
            order.total_amount,
            &order.currency,
            &reported.total_amount,
            &reported.currency_code,
        ) {
            let reason = mismatch.describe();
            db::online_payments::flag(conn, order.id, &reason, now)?;
            tracing::warn!(order = order.id, %reason, "PayU notification flagged for staff");
            return Ok(Outcome::Flagged {
                order_id: order.id,
                reason,
            });
        }
        let state = order.state;
        if state == OrderState::Canceled && reported.status == "COMPLETED" {
            // We cancel only what PayU confirmed cancelled, so money for a cancelled order is
            // something for people to look at, not to book blindly.
            let reason = "PayU zgłosiło wpłatę za anulowane zamówienie".to_owned();
            db::online_payments::flag(conn, order.id, &reason, now)?;
            tracing::warn!(
                order = order.id,
                "PayU reported a payment for a cancelled order"
            );
            return Ok(Outcome::Flagged {
                order_id: order.id,
                reason,
            });
        }
        let ignored = Ok(Outcome::Ignored { order_id: order.id });
        match online_payment::step(state, &reported.status) {
            Step::Ignore => ignored,
            Step::MarkPending => {
                if db::online_payments::mark_pending(conn, order.id, now)? {
                    Ok(Outcome::Moved {
                        order_id: order.id,
                        state: OrderState::Pending,
                    })
                } else {
                    ignored
                }
            }
            Step::Cancel => {
                if db::online_payments::cancel(conn, order.id, "payu", now)? {
                    Ok(Outcome::Moved {
                        order_id: order.id,
                        state: OrderState::Canceled,
                    })
                } else {
                    ignored
                }
            }
            Step::Complete => {
                if !db::online_payments::claim_completion(conn, order.id, now)? {
                    return ignored;
                }
                let payment_id = match order.purpose {
                    PaymentPurpose::TopUp => {
                        crate::app::top_ups::credit(conn, &order, &reported.order_id, today, now)?
                    }
                    PaymentPurpose::Order => crate::app::orders::paid::book(
                        conn,
                        invoicing,
                        &order,
                        &reported.order_id,
                        today,
                        now,
                    )?,
                    // What the order pays is listed beside it (invoices or the interest note).
                    PaymentPurpose::Invoice
                    | PaymentPurpose::Overdue
                    | PaymentPurpose::InterestNote => {
                        book(conn, &order, &reported.order_id, today, now)?
                    }
                };
                Ok(Outcome::Booked {
                    order_id: order.id,
                    payment_id,
                })
            }
        }
    })
}

/// Books the order's money as one payment: first to the invoices or the interest note it paid
/// (what each still owes, up to what the order put on it), then as every payment (`settle`):
/// other open invoices, oldest due first, notes, and credit for what is left.
fn book(
    conn: &mut DbConn,
    order: &db::online_payments::OnlinePayment,
    payu_order_id: &str,
    today: NaiveDate,
    now: NaiveDateTime,
) -> diesel::QueryResult<i64> {
    let payment_id = crate::app::payments::insert_received(
        conn,
        &NewPayment {
            customer_id: order.customer_id,
            amount: order.total_amount,
            received_on: today,
            method: "online".into(),
            source: "online".into(),
            title: Some(format!("PayU: {}", order.description)),
            payer_name: None,
            // Unique in the ledger: a second booking of the same PayU order cannot exist.
            bank_reference: Some(format!("payu:{payu_order_id}")),
            recorded_by_staff_id: None,
            created_at: now,
            match_reason: None,
        },
    )?;
    let owed = receivables::of_customer(conn, order.customer_id, today)?;
    let targets: Vec<OpenInvoice> = db::online_payments::invoices_of(conn, order.id)?
        .into_iter()
        .filter_map(|(invoice_id, amount)| {
            let debt = owed.debt_of(invoice_id)?;
            Some(OpenInvoice {
                invoice_id,
                due_date: debt.due_date,
                outstanding: debt.outstanding().min(amount),
            })
        })
        .collect();
    for (invoice_id, part) in allocate(&targets, order.total_amount).parts {
        db::payments::add_allocation(conn, payment_id, invoice_id, part, now)?;
    }
    // Attached before `settle`: an order for an interest note is found through its payment, and
    // `settle` lays the money on that note first (what the note no longer owes stays credit).
    db::online_payments::attach_payment(conn, order.id, payment_id)?;
    settle(conn, order.customer_id, now)?;
    Ok(payment_id)
}
