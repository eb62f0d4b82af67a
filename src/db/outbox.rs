//! The mail outbox: messages are written in the same transaction as the event that causes them,
//! then claimed and delivered by the sender with retries.

use crate::domain::MailStatus;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::outbox;

/// A row of `outbox`.
#[derive(Debug, Clone, Queryable)]
pub struct OutboxMessage {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub attachment_path: Option<String>,
    pub status: MailStatus,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    /// The one-click leave address of a marketing message (`List-Unsubscribe`, RFC 8058).
    pub list_unsubscribe: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = outbox, treat_none_as_default_value = false)]
pub struct NewOutboxMessage {
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub attachment_path: Option<String>,
    pub status: MailStatus,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

pub fn enqueue(conn: &mut DbConn, message: &NewOutboxMessage) -> QueryResult<i64> {
    diesel::insert_into(outbox::table)
        .values(message)
        .returning(outbox::id)
        .get_result(conn)
}

/// Queues many messages with multi-row inserts (a billing chunk's invoice mails).
pub fn enqueue_many(conn: &mut DbConn, messages: &[NewOutboxMessage]) -> QueryResult<usize> {
    Ok(insert_batches!(conn, outbox::table, messages))
}

/// Makes a queued message a mailing-list one: sent with `List-Unsubscribe: <url>` and
/// `List-Unsubscribe-Post` (RFC 8058). Set apart from `enqueue` because only marketing mail has it.
pub fn set_list_unsubscribe(conn: &mut DbConn, id: i64, url: &str) -> QueryResult<()> {
    diesel::update(outbox::table.filter(outbox::id.eq(id)))
        .set(outbox::list_unsubscribe.eq(Some(url)))
        .execute(conn)
        .map(|_| ())
}

/// Messages waiting for delivery: pending and due, or stuck in "sending" past their lease (a
/// sender that died mid-way).
///
/// Each kind is read on its own from the `outbox_claim` index (status, id), in id order.
pub fn due_ids(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<i64>> {
    let due = outbox::table
        .filter(outbox::status.eq(MailStatus::Pending))
        .filter(outbox::next_attempt_at.le(now))
        .order(outbox::id)
        .select(outbox::id)
        .limit(limit)
        .load(conn)?;
    let lease_expired = outbox::table
        .filter(outbox::status.eq(MailStatus::Sending))
        .filter(outbox::locked_until.lt(now))
        .order(outbox::id)
        .select(outbox::id)
        .limit(limit)
        .load(conn)?;
    Ok(super::lowest_ids(due, lease_expired, limit))
}

/// Takes one message for delivery until `lease_until`. The conditional update makes the claim
/// atomic, so several instances never send the same message twice.
pub fn claim(
    conn: &mut DbConn,
    id: i64,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
) -> QueryResult<Option<OutboxMessage>> {
    diesel::update(
        outbox::table.filter(outbox::id.eq(id)).filter(
            outbox::status
                .eq(MailStatus::Pending)
                .and(outbox::next_attempt_at.le(now))
                .or(outbox::status
                    .eq(MailStatus::Sending)
                    .and(outbox::locked_until.lt(now))),
        ),
    )
    .set((
        outbox::status.eq(MailStatus::Sending),
        outbox::locked_until.eq(Some(lease_until)),
    ))
    .get_result(conn)
    .optional()
}

pub fn mark_sent(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<()> {
    // The body is dropped once delivered: it may carry a one-time link, which must not outlive
    // its purpose in the database (only token hashes are kept).
    diesel::update(outbox::table.filter(outbox::id.eq(id)))
        .set((
            outbox::body_text.eq("(delivered; body removed)"),
            outbox::body_html.eq(None::<String>),
            outbox::list_unsubscribe.eq(None::<String>),
            outbox::status.eq(MailStatus::Sent),
            outbox::sent_at.eq(Some(now)),
            outbox::locked_until.eq(None::<NaiveDateTime>),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Records a failed attempt: back to "pending" with the next try scheduled, or "failed" for good.
pub fn mark_failed(
    conn: &mut DbConn,
    id: i64,
    error: &str,
    next_attempt_at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    let status = if next_attempt_at.is_some() {
        MailStatus::Pending
    } else {
        MailStatus::Failed
    };
    let target = outbox::table.filter(outbox::id.eq(id));
    diesel::update(target)
        .set((
            outbox::status.eq(status),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::last_error.eq(Some(error)),
            outbox::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    if let Some(next) = next_attempt_at {
        diesel::update(outbox::table.filter(outbox::id.eq(id)))
            .set(outbox::next_attempt_at.eq(next))
            .execute(conn)?;
    }
    Ok(())
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<OutboxMessage>> {
    outbox::table.find(id).get_result(conn).optional()
}

pub fn count_with_status(conn: &mut DbConn, status: MailStatus) -> QueryResult<i64> {
    outbox::table
        .filter(outbox::status.eq(status))
        .count()
        .get_result(conn)
}
