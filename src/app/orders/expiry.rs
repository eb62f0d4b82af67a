//! Orders not paid within two hours are cancelled and the subscriber is told. Each order's PayU
//! payments expire at the same moment as the order (`online_payments::expiry` cancels them at
//! PayU first); an order whose payment is still open at PayU (PayU unreachable, or PayU says it
//! is paid and its notification decides) waits for the next run. The cancel is a conditional
//! update with the mail queued in its transaction, so two instances running the job cancel and
//! mail once.

use chrono::NaiveDateTime;

use crate::app::mail_queue::{self, Outgoing, QueueError};
use crate::db::{self, DbConn};
use crate::mail::{Language, MailKind};

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct OrderExpiry {
    pub cancelled: usize,
    /// A PayU payment of the order is still open: decided on a later run.
    pub waiting: usize,
}

impl crate::app::service::QueuesMail for OrderExpiry {
    /// A cancelled order is mailed to its buyer.
    fn queued_mail(&self) -> bool {
        self.cancelled > 0
    }
}

const BATCH: i64 = 100;

#[derive(Debug, thiserror::Error)]
pub enum ExpiryError {
    #[error(transparent)]
    Mail(#[from] QueueError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Cancels every unpaid order whose two hours ran out at `now` (tests pass a later `now`).
pub fn expire_due(
    conn: &mut DbConn,
    outgoing: Outgoing<'_>,
    now: NaiveDateTime,
) -> Result<OrderExpiry, ExpiryError> {
    let mut report = OrderExpiry::default();
    for id in db::orders::expired_ids(conn, now, BATCH)? {
        let cancelled = db::write_transaction(conn, |conn| -> Result<Option<bool>, ExpiryError> {
            for payment_id in db::orders::payments_of_order(conn, id)? {
                let open = db::online_payments::find(conn, payment_id)?
                    .is_some_and(|p| !p.state.is_final());
                if open {
                    return Ok(None);
                }
            }
            let Some(order) = db::orders::find_order(conn, id)? else {
                return Ok(Some(false));
            };
            if !db::orders::cancel(conn, id, "expired", now)? {
                return Ok(Some(false));
            }
            let context = super::order_mail_context(
                outgoing,
                order.id,
                order.total_gross,
                &order.language,
                "cancelled",
            );
            mail_queue::queue(
                conn,
                outgoing.templates,
                MailKind::Order,
                &order.notify_email,
                Language::from_code(&order.language),
                &context,
                now,
            )?;
            Ok(Some(true))
        })?;
        match cancelled {
            Some(true) => report.cancelled += 1,
            Some(false) => {}
            None => report.waiting += 1,
        }
    }
    Ok(report)
}
