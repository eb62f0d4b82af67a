//! Reminders a day ahead. Each visit's reminder is claimed with a conditional UPDATE in the
//! transaction that queues its mail, so with several instances exactly one queues it.

use chrono::{Duration, NaiveDateTime};

use super::notify::{self, Event};
use super::{Effects, VisitError};
use crate::db::{self, DbConn};

/// How long before a visit its reminder goes out.
pub const AHEAD_HOURS: i64 = 24;
/// Visits read per pass; the rest wait for the next one.
const BATCH: i64 = 200;

/// Queues the reminders now due; returns how many this instance queued. A visit booked or moved
/// within the last day before it starts is claimed without a reminder: its confirmation has
/// just gone out.
pub fn run(conn: &mut DbConn, fx: &Effects<'_>) -> Result<usize, VisitError> {
    let until = fx.now + Duration::hours(AHEAD_HOURS);
    let due = db::visits::due_for_reminder(conn, fx.now, until, BATCH)?;
    let mut queued = 0;
    for visit in due {
        let sent = db::write_transaction(conn, |conn| -> Result<bool, VisitError> {
            if !db::visits::claim_reminder(conn, visit.id, fx.now)? {
                return Ok(false);
            }
            if recently_confirmed(visit.updated_at, visit.starts_at) {
                return Ok(false);
            }
            let Some(kind) = db::visits::find_kind(conn, visit.kind_id)? else {
                return Ok(false);
            };
            notify::send(conn, fx, &visit, &kind, Event::Reminder, None)?;
            Ok(true)
        })?;
        if sent {
            queued += 1;
        }
    }
    Ok(queued)
}

fn recently_confirmed(changed_at: NaiveDateTime, starts_at: NaiveDateTime) -> bool {
    starts_at - changed_at < Duration::hours(AHEAD_HOURS)
}
