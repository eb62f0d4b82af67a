//! Money going back through PayU, whatever gave it back (a refunded shop order, a contract
//! ended at once with a card-paid period): the correction wrote a `payu_refunds` row `to_send`
//! in its transaction; `send_due` hands it to PayU after commit with `extRefundId` =
//! `ebok-refund-{id}` (PayU refuses a second refund with the same one), and PayU's refund
//! notification (`finish`) marks it paid back, or cancelled (staff then send it by transfer
//! from `/staff/zwroty`).

use chrono::NaiveDateTime;

use crate::db::refunds::{PAYU_EXT_PREFIX, PayuRefund};
use crate::db::{self, DbConn, Pool};
use crate::domain::PayuRefundState;
use crate::payu::client::{PayuClient, PayuError};
use crate::payu::wire::{RefundNotification, refund_status};

/// Hands the refunds waiting for PayU to PayU; returns how many PayU took. A refund is claimed
/// (`to_send` → `requested`) before the call, so two instances never send one twice; a call
/// that could not reach PayU gives it back for the next pass. When PayU refuses, its list of
/// the order's refunds decides: our extRefundId there means an earlier answer was lost.
pub async fn send_due(pool: &Pool, client: &PayuClient, now: NaiveDateTime) -> usize {
    let due = blocking(pool, |conn| db::refunds::payu_to_send(conn, 50))
        .await
        .unwrap_or_default();
    let mut taken = 0;
    for refund in due {
        let claimed = blocking(pool, move |conn| {
            db::refunds::move_payu(
                conn,
                refund.id,
                &[PayuRefundState::ToSend],
                PayuRefundState::Requested,
                None,
                None,
                now,
            )
        })
        .await
        .unwrap_or(false);
        if !claimed {
            continue;
        }
        let ext = format!("{PAYU_EXT_PREFIX}{}", refund.id);
        let answer = client
            .refund(
                &refund.payu_order_id,
                Some(refund.amount),
                &refund.description,
                &ext,
            )
            .await;
        let outcome = match answer {
            Ok(response) => Sent::Taken(response.refund.refund_id),
            Err(error) if error.is_retryable() => Sent::Later(error.to_string()),
            Err(error) => match already_taken(client, &refund.payu_order_id, &ext).await {
                Some(refund_id) => Sent::Taken(refund_id),
                None => Sent::Refused(error),
            },
        };
        let id = refund.id;
        let recorded = blocking(pool, move |conn| match outcome {
            Sent::Taken(refund_id) => {
                db::refunds::move_payu(
                    conn,
                    id,
                    &[PayuRefundState::Requested],
                    PayuRefundState::Requested,
                    Some(&refund_id),
                    None,
                    now,
                )?;
                Ok(true)
            }
            Sent::Later(why) => {
                db::refunds::move_payu(conn, id, &[PayuRefundState::Requested], PayuRefundState::ToSend, None, None, now)?;
                db::refunds::note_payu_attempt(conn, id, &why, now)?;
                Ok(false)
            }
            Sent::Refused(error) => {
                tracing::warn!(refund = id, %error, "PayU refused a refund; staff send it by transfer");
                db::refunds::move_payu(
                    conn,
                    id,
                    &[PayuRefundState::Requested],
                    PayuRefundState::Refused,
                    None,
                    Some(&error.to_string()),
                    now,
                )?;
                Ok(false)
            }
        })
        .await;
        if recorded.unwrap_or(false) {
            taken += 1;
        }
    }
    taken
}

enum Sent {
    Taken(String),
    Later(String),
    Refused(PayuError),
}

async fn already_taken(client: &PayuClient, payu_order_id: &str, ext: &str) -> Option<String> {
    client
        .refunds(payu_order_id)
        .await
        .ok()?
        .into_iter()
        .find(|r| r.ext_refund_id.as_deref() == Some(ext))
        .map(|r| r.refund_id)
}

async fn blocking<T: Send + 'static>(
    pool: &Pool,
    work: impl FnOnce(&mut DbConn) -> diesel::QueryResult<T> + Send + 'static,
) -> Option<T> {
    let pool = pool.clone();
    let result = rocket::tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        work(&mut conn).map_err(|e| e.to_string())
    })
    .await;
    match result {
        Ok(Ok(value)) => Some(value),
        Ok(Err(error)) => {
            tracing::error!(%error, "PayU refunds: database work failed");
            None
        }
        Err(error) => {
            tracing::error!(%error, "PayU refunds: database work did not finish");
            None
        }
    }
}

/// What PayU's refund notification changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finished {
    /// The money is back with the payer: the refund is marked sent.
    PaidBack { refund_id: i64 },
    /// PayU cancelled it: it stays in the staff queue to send by transfer.
    Cancelled { refund_id: i64 },
    /// A repeat, or a status that changes nothing.
    Ignored,
    /// Not one of ours.
    Unknown,
}

/// Applies PayU's refund notification (already signature-checked), inside the caller's
/// transaction; conditional updates make a repeat change nothing.
pub fn finish(
    conn: &mut DbConn,
    notification: &RefundNotification,
    now: NaiveDateTime,
) -> diesel::QueryResult<Finished> {
    let Some(refund) = db::refunds::payu_for_notification(
        conn,
        notification.refund.ext_refund_id.as_deref(),
        &notification.refund.refund_id,
    )?
    .filter(|r: &PayuRefund| r.payu_order_id == notification.order_id) else {
        return Ok(Finished::Unknown);
    };
    let from = [PayuRefundState::ToSend, PayuRefundState::Requested];
    let payu_id = Some(notification.refund.refund_id.as_str());
    match notification.refund.status.as_str() {
        refund_status::FINALIZED => {
            if db::refunds::move_payu(
                conn,
                refund.id,
                &from,
                PayuRefundState::Finalized,
                payu_id,
                None,
                now,
            )? {
                db::refunds::mark_sent(conn, refund.correction_refund_id, None, now)?;
                Ok(Finished::PaidBack {
                    refund_id: refund.id,
                })
            } else {
                Ok(Finished::Ignored)
            }
        }
        refund_status::CANCELED => {
            let why = "PayU anulowało zwrot: wyślij go przelewem";
            if db::refunds::move_payu(
                conn,
                refund.id,
                &from,
                PayuRefundState::Canceled,
                payu_id,
                Some(why),
                now,
            )? {
                Ok(Finished::Cancelled {
                    refund_id: refund.id,
                })
            } else {
                Ok(Finished::Ignored)
            }
        }
        _ => Ok(Finished::Ignored),
    }
}
