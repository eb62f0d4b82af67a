//! Refunds chosen on a correction: staff see the transfers still to make at `/staff/zwroty` and
//! mark each sent once it has gone (audited). The refund left the customer's credit when the
//! correction was issued (`app::invoicing::issue_correction`); marking it sent changes no figure.
//! Refunds of paid shop orders go back through PayU (`app::orders::refund`) and are listed here
//! with PayU's state; staff send one by transfer only when PayU cancelled or refused it.

use chrono::NaiveDateTime;
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::db::refunds::QueuedRefund;
use crate::db::{self, DbConn};
use crate::domain::Nrb;

/// Sent refunds shown under the pending ones.
const RECENT_SENT: i64 = 50;

#[derive(Debug, Clone, serde::Serialize)]
pub struct QueueRow {
    #[serde(flatten)]
    pub queued: QueuedRefund,
    /// The account grouped for reading.
    pub account: String,
}

/// The queue: refunds still to send (oldest first), then the most recently sent.
pub fn queue(conn: &mut DbConn) -> diesel::QueryResult<Vec<QueueRow>> {
    Ok(db::refunds::queue(conn, RECENT_SENT)?
        .into_iter()
        .map(|queued| QueueRow {
            account: Nrb::parse(&queued.refund.account)
                .map(|n| n.formatted())
                .unwrap_or_else(|_| queued.refund.account.clone()),
            queued,
        })
        .collect())
}

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("there is no such refund")]
    NotFound,
    #[error("the refund is marked sent already")]
    AlreadySent,
    /// The money goes back through PayU, which has not given up on it.
    #[error("the refund goes through PayU")]
    ThroughPayu,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Marks a refund sent, once, and records who did it.
pub fn mark_sent(
    conn: &mut DbConn,
    id: i64,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), SendError> {
    db::write_transaction(conn, |conn| {
        let refund = db::refunds::find(conn, id)?.ok_or(SendError::NotFound)?;
        // Staff send by transfer only what PayU cancelled or refused.
        if db::refunds::payu_of(conn, id)?.is_some_and(|payu| !payu.state.is_given_up()) {
            return Err(SendError::ThroughPayu);
        }
        if !db::refunds::mark_sent(conn, id, actor.staff_id, now)? {
            return Err(SendError::AlreadySent);
        }
        audit::record(
            conn,
            &actor.for_customer(refund.customer_id),
            "refund_sent",
            json!({ "refund": id, "correction": refund.correction_id, "amount": refund.amount }),
            now,
        )?;
        Ok(())
    })
}
