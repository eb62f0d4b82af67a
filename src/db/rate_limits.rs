//! Attempts that count against a limit, per bucket (what) and subject (who: an IP, a login).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::rate_limit_events;

pub fn record(
    conn: &mut DbConn,
    bucket: &str,
    subject: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(rate_limit_events::table)
        .values((
            rate_limit_events::bucket.eq(bucket),
            rate_limit_events::subject.eq(subject),
            rate_limit_events::at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// How many attempts since `since`, and when the latest was.
pub fn since(
    conn: &mut DbConn,
    bucket: &str,
    subject: &str,
    since: NaiveDateTime,
) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    rate_limit_events::table
        .filter(rate_limit_events::bucket.eq(bucket))
        .filter(rate_limit_events::subject.eq(subject))
        .filter(rate_limit_events::at.gt(since))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::max(rate_limit_events::at),
        ))
        .first(conn)
}

/// Forgets the subject's attempts (a successful login clears its failures).
pub fn clear(conn: &mut DbConn, bucket: &str, subject: &str) -> QueryResult<usize> {
    diesel::delete(
        rate_limit_events::table
            .filter(rate_limit_events::bucket.eq(bucket))
            .filter(rate_limit_events::subject.eq(subject)),
    )
    .execute(conn)
}

/// Drops attempts too old to matter to any limit.
pub fn purge_before(conn: &mut DbConn, cutoff: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(rate_limit_events::table.filter(rate_limit_events::at.lt(cutoff))).execute(conn)
}
