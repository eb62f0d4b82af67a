//! The outbox sender: claims due messages, delivers them, and records the outcome. A message that
//! fails waits longer before each retry; nothing is lost while SMTP is down.

use chrono::{Duration, NaiveDateTime};
use lettre::message::Mailbox;

use crate::app::clock;
use crate::db::{self, Pool};
use crate::mail::{Mailer, build_message};

/// Attempts before a message is marked failed for good (about two days of backoff).
pub const MAX_ATTEMPTS: i32 = 12;
/// How long a claimed message is ours before another sender may take it over.
const LEASE: Duration = Duration::minutes(5);
const BATCH: i64 = 50;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: usize,
    pub will_retry: usize,
    pub gave_up: usize,
}

/// When to try again after `attempts` failed tries: 30 s, 1 min, 2 min … capped at 6 h.
pub fn next_attempt(attempts: i32, now: NaiveDateTime) -> Option<NaiveDateTime> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let seconds = (30_i64 << attempts.clamp(0, 20)).min(6 * 3600);
    Some(now + Duration::seconds(seconds))
}

/// Delivers every message due at `now` (tests pass a later `now` to skip the backoff).
pub async fn deliver_due(
    pool: &Pool,
    mailer: &Mailer,
    from: &Mailbox,
    now: NaiveDateTime,
) -> Result<DeliveryReport, String> {
    let mut report = DeliveryReport::default();
    loop {
        let due = {
            let pool = pool.clone();
            rocket::tokio::task::spawn_blocking(move || -> Result<_, String> {
                let mut conn = pool.get().map_err(|e| e.to_string())?;
                db::outbox::due_ids(&mut conn, now, BATCH).map_err(|e| e.to_string())
            })
            .await
            .map_err(|e| e.to_string())??
        };
        if due.is_empty() {
            return Ok(report);
        }
        for id in due {
            // Claimed one at a time, right before sending, never the whole batch up front: a
            // sender killed mid-batch then holds only the message it was sending for the lease
            // (the rest stay pending for the next sender), and a batch to a slow server cannot
            // outlive its lease and be sent a second time by another instance. The lease runs
            // from the clock, not from `now`: a run delivering a long queue started minutes
            // ago, and a lease counted from its start would already have run out.
            let claimed = {
                let pool = pool.clone();
                rocket::tokio::task::spawn_blocking(move || -> Result<_, String> {
                    let mut conn = pool.get().map_err(|e| e.to_string())?;
                    let at = clock::now().max(now);
                    db::outbox::claim(&mut conn, id, at, at + LEASE).map_err(|e| e.to_string())
                })
                .await
                .map_err(|e| e.to_string())??
            };
            // Another sender took it, or it was sent since the batch was read.
            let Some(stored) = claimed else { continue };
            let outcome = match build_message(from, &stored) {
                Ok(message) => mailer.send(message, &stored).await,
                Err(error) => Err(error),
            };
            let attempts_after = stored.attempts + 1;
            let next = match &outcome {
                Ok(()) => None,
                Err(_) => next_attempt(attempts_after, clock::now().max(now)),
            };
            match &outcome {
                Ok(()) => report.sent += 1,
                Err(error) if next.is_some() => {
                    tracing::warn!(id = stored.id, to = %stored.recipient, %error, "mail not delivered; will retry");
                    report.will_retry += 1;
                }
                Err(error) => {
                    tracing::error!(id = stored.id, to = %stored.recipient, %error, "mail not delivered; giving up");
                    report.gave_up += 1;
                }
            }
            let pool = pool.clone();
            rocket::tokio::task::spawn_blocking(move || -> Result<(), String> {
                let mut conn = pool.get().map_err(|e| e.to_string())?;
                match outcome {
                    Ok(()) => db::outbox::mark_sent(&mut conn, stored.id, clock::now()),
                    Err(error) => db::outbox::mark_failed(&mut conn, stored.id, &error, next),
                }
                .map_err(|e| e.to_string())
            })
            .await
            .map_err(|e| e.to_string())??;
        }
        // A failed message is rescheduled into the future, so the loop ends once nothing is due.
        if report.will_retry + report.gave_up > 0 && report.sent == 0 {
            return Ok(report);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_then_gives_up() {
        let now = clock::now();
        assert_eq!(next_attempt(1, now), Some(now + Duration::seconds(60)));
        assert_eq!(next_attempt(2, now), Some(now + Duration::seconds(120)));
        assert_eq!(next_attempt(11, now), Some(now + Duration::hours(6)));
        assert_eq!(next_attempt(MAX_ATTEMPTS, now), None);
    }
}
