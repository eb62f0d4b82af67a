//! Traffic counters (raw 5-minute rows, hourly and daily roll-ups, the roll-up queue) and RADIUS
//! accounting sessions.

use crate::domain::CustomerId;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Text, Timestamp};
use serde::Serialize;

use super::DbConn;
use super::schema::{
    customers, endpoints, radius_sessions, services, traffic_daily, traffic_hourly,
    traffic_rollups, traffic_samples,
};

/// Rows per multi-row INSERT: four values each, well under SQLite's 32 766 variables.
const CHUNK: usize = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Insertable, Queryable)]
#[diesel(table_name = traffic_samples)]
pub struct Sample {
    pub endpoint_id: i64,
    pub interval_start: NaiveDateTime,
    pub bytes_in: i64,
    pub bytes_out: i64,
}

/// Rows per `IN (…)` list of a lookup: well under both backends' limits on bound values.
const LOOKUP_CHUNK: usize = 500;

diesel::define_sql_function!(fn lower(text: Nullable<Text>) -> Nullable<Text>);

/// The endpoints with these IPv4 addresses, spelled as they are stored (normalised by
/// `domain::network::ipv4`): (endpoint, address). By the batch's addresses, not every endpoint:
/// an ISP with a million lines would otherwise read them all for each batch.
pub fn endpoints_by_address(
    conn: &mut DbConn,
    addresses: &[String],
) -> QueryResult<Vec<(i64, String)>> {
    let mut found = Vec::new();
    for part in addresses.chunks(LOOKUP_CHUNK) {
        found.extend(
            endpoints::table
                .filter(endpoints::ipv4.eq_any(part))
                .select((endpoints::id, endpoints::ipv4.assume_not_null()))
                .load::<(i64, String)>(conn)?,
        );
    }
    Ok(found)
}

/// The first `limit` endpoints with a fixed IPv4 address other than `except`, oldest first:
/// (endpoint, address).
pub fn first_endpoint_addresses(
    conn: &mut DbConn,
    except: &str,
    limit: i64,
) -> QueryResult<Vec<(i64, String)>> {
    endpoints::table
        .filter(endpoints::ipv4.is_not_null())
        .filter(endpoints::ipv4.ne(except))
        .order(endpoints::id)
        .limit(limit)
        .select((endpoints::id, endpoints::ipv4.assume_not_null()))
        .load(conn)
}

/// An endpoint with its PPPoE login and IPv4 address: (endpoint, login, address).
pub type EndpointLogin = (i64, Option<String>, Option<String>);

/// The endpoints whose PPPoE login, in lower case, is one of `logins` (given in lower case:
/// RADIUS sends the login as the subscriber typed it), or whose IPv4 address is one of
/// `addresses`, to find RADIUS sessions' endpoints. The logins are looked up through the index
/// on `lower(pppoe_login)`.
pub fn endpoints_by_login_or_address(
    conn: &mut DbConn,
    logins: &[String],
    addresses: &[String],
) -> QueryResult<Vec<EndpointLogin>> {
    let mut found = Vec::new();
    for part in logins.chunks(LOOKUP_CHUNK) {
        found.extend(
            endpoints::table
                .filter(lower(endpoints::pppoe_login).eq_any(part))
                .select((endpoints::id, endpoints::pppoe_login, endpoints::ipv4))
                .load::<EndpointLogin>(conn)?,
        );
    }
    for part in addresses.chunks(LOOKUP_CHUNK) {
        found.extend(
            endpoints::table
                .filter(endpoints::ipv4.eq_any(part))
                .select((endpoints::id, endpoints::pppoe_login, endpoints::ipv4))
                .load::<EndpointLogin>(conn)?,
        );
    }
    Ok(found)
}

/// Writes the samples; a sample for an (endpoint, interval) already stored replaces it. Answers
/// how many rows were inserted or changed: a sample equal to the stored row is not counted.
///
/// One multi-row statement per chunk, written as SQL: Diesel has no upsert for a batch on SQLite.
/// Every value is an integer or a timestamp formatted here, so nothing from outside reaches the
/// text. Timestamps are spelled as Diesel stores them on SQLite (`%Y-%m-%d %H:%M:%S`), where they
/// are compared as text.
pub fn upsert_samples(conn: &mut DbConn, samples: &[Sample]) -> QueryResult<usize> {
    use std::fmt::Write;
    let mut written = 0;
    for chunk in samples.chunks(CHUNK) {
        let mut sql = String::from(
            "INSERT INTO traffic_samples (endpoint_id, interval_start, bytes_in, bytes_out) VALUES ",
        );
        for (index, s) in chunk.iter().enumerate() {
            if index > 0 {
                sql.push(',');
            }
            let _ = write!(
                sql,
                "({}, '{}', {}, {})",
                s.endpoint_id,
                s.interval_start.format("%Y-%m-%d %H:%M:%S"),
                s.bytes_in,
                s.bytes_out
            );
        }
        sql.push_str(
            " ON CONFLICT (endpoint_id, interval_start) DO UPDATE SET \
             bytes_in = excluded.bytes_in, bytes_out = excluded.bytes_out \
             WHERE traffic_samples.bytes_in <> excluded.bytes_in \
             OR traffic_samples.bytes_out <> excluded.bytes_out",
        );
        written += diesel::sql_query(sql).execute(conn)?;
    }
    Ok(written)
}

/// Queues buckets for the roll-up job (`level` 'hour' or 'day'); a bucket already queued gets a
/// new generation and loses its claim, so a job summing it now will leave it queued.
pub fn enqueue(conn: &mut DbConn, level: &str, buckets: &[NaiveDateTime]) -> QueryResult<()> {
    for bucket in buckets {
        concrete!(conn, |c| diesel::insert_into(traffic_rollups::table)
            .values((
                traffic_rollups::level.eq(level),
                traffic_rollups::bucket.eq(bucket),
                traffic_rollups::generation.eq(1_i64),
                traffic_rollups::claimed_until.eq(None::<NaiveDateTime>),
            ))
            .on_conflict((traffic_rollups::level, traffic_rollups::bucket))
            .do_update()
            .set((
                traffic_rollups::generation.eq(traffic_rollups::generation + 1_i64),
                traffic_rollups::claimed_until.eq(None::<NaiveDateTime>),
            ))
            .execute(c))?;
    }
    Ok(())
}

/// Queued buckets of a level nobody holds a claim on, oldest first.
pub fn claimable(
    conn: &mut DbConn,
    level: &str,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<NaiveDateTime>> {
    traffic_rollups::table
        .filter(traffic_rollups::level.eq(level))
        .filter(
            traffic_rollups::claimed_until
                .is_null()
                .or(traffic_rollups::claimed_until.lt(now)),
        )
        .order(traffic_rollups::bucket)
        .select(traffic_rollups::bucket)
        .limit(limit)
        .load(conn)
}

/// Claims a bucket until `until`: its generation, or `None` when another instance holds it or
/// it is done.
pub fn claim(
    conn: &mut DbConn,
    level: &str,
    bucket: NaiveDateTime,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    let claimed = diesel::update(
        traffic_rollups::table
            .filter(traffic_rollups::level.eq(level))
            .filter(traffic_rollups::bucket.eq(bucket))
            .filter(
                traffic_rollups::claimed_until
                    .is_null()
                    .or(traffic_rollups::claimed_until.lt(now)),
            ),
    )
    .set(traffic_rollups::claimed_until.eq(until))
    .execute(conn)?;
    if claimed == 0 {
        return Ok(None);
    }
    traffic_rollups::table
        .filter(traffic_rollups::level.eq(level))
        .filter(traffic_rollups::bucket.eq(bucket))
        .select(traffic_rollups::generation)
        .get_result(conn)
        .optional()
}

/// Takes a summed bucket off the queue, unless new counters came in since (a newer generation).
pub fn finish(
    conn: &mut DbConn,
    level: &str,
    bucket: NaiveDateTime,
    generation: i64,
) -> QueryResult<bool> {
    let deleted = diesel::delete(
        traffic_rollups::table
            .filter(traffic_rollups::level.eq(level))
            .filter(traffic_rollups::bucket.eq(bucket))
            .filter(traffic_rollups::generation.eq(generation)),
    )
    .execute(conn)?;
    Ok(deleted == 1)
}

/// The oldest bucket still queued at a level.
pub fn oldest_queued(conn: &mut DbConn, level: &str) -> QueryResult<Option<NaiveDateTime>> {
    traffic_rollups::table
        .filter(traffic_rollups::level.eq(level))
        .select(diesel::dsl::min(traffic_rollups::bucket))
        .get_result(conn)
}

/// Replaces the hourly rows of `hour` (ending at `to`) with the sums of its raw rows.
pub fn roll_up_hour(
    conn: &mut DbConn,
    hour: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(traffic_hourly::table.filter(traffic_hourly::hour_start.eq(hour)))
        .execute(conn)?;
    const BODY: &str = "INSERT INTO traffic_hourly (endpoint_id, hour_start, bytes_in, bytes_out) \
        SELECT endpoint_id, {1}, CAST(SUM(bytes_in) AS BIGINT), CAST(SUM(bytes_out) AS BIGINT) \
        FROM traffic_samples WHERE interval_start >= {2} AND interval_start < {3} \
        GROUP BY endpoint_id";
    match conn {
        DbConn::Sqlite(c) => diesel::sql_query(
            BODY.replace("{1}", "?")
                .replace("{2}", "?")
                .replace("{3}", "?"),
        )
        .bind::<Timestamp, _>(hour)
        .bind::<Timestamp, _>(hour)
        .bind::<Timestamp, _>(to)
        .execute(c),
        DbConn::Pg(c) => diesel::sql_query(
            BODY.replace("{1}", "$1")
                .replace("{2}", "$1")
                .replace("{3}", "$2"),
        )
        .bind::<Timestamp, _>(hour)
        .bind::<Timestamp, _>(to)
        .execute(c),
    }
}

/// Replaces the daily rows of `day` with the sums of its hourly rows `[from, to)`.
pub fn roll_up_day(
    conn: &mut DbConn,
    day: NaiveDate,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(traffic_daily::table.filter(traffic_daily::day.eq(day))).execute(conn)?;
    const BODY: &str = "INSERT INTO traffic_daily (endpoint_id, day, bytes_in, bytes_out) \
        SELECT endpoint_id, {1}, CAST(SUM(bytes_in) AS BIGINT), CAST(SUM(bytes_out) AS BIGINT) \
        FROM traffic_hourly WHERE hour_start >= {2} AND hour_start < {3} GROUP BY endpoint_id";
    match conn {
        DbConn::Sqlite(c) => diesel::sql_query(
            BODY.replace("{1}", "?")
                .replace("{2}", "?")
                .replace("{3}", "?"),
        )
        .bind::<Date, _>(day)
        .bind::<Timestamp, _>(from)
        .bind::<Timestamp, _>(to)
        .execute(c),
        DbConn::Pg(c) => diesel::sql_query(
            BODY.replace("{1}", "$1")
                .replace("{2}", "$2")
                .replace("{3}", "$3"),
        )
        .bind::<Date, _>(day)
        .bind::<Timestamp, _>(from)
        .bind::<Timestamp, _>(to)
        .execute(c),
    }
}

/// Deletes raw rows older than `before`.
pub fn prune_samples(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(traffic_samples::table.filter(traffic_samples::interval_start.lt(before)))
        .execute(conn)
}

/// Hourly rows of the endpoint in `[from, to)`: (hour, in, out).
pub fn hourly_of(
    conn: &mut DbConn,
    endpoint_id: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(NaiveDateTime, i64, i64)>> {
    traffic_hourly::table
        .filter(traffic_hourly::endpoint_id.eq(endpoint_id))
        .filter(traffic_hourly::hour_start.ge(from))
        .filter(traffic_hourly::hour_start.lt(to))
        .order(traffic_hourly::hour_start)
        .select((
            traffic_hourly::hour_start,
            traffic_hourly::bytes_in,
            traffic_hourly::bytes_out,
        ))
        .load(conn)
}

/// Daily rows of the endpoint in `[first, last]`: (day, in, out).
pub fn daily_of(
    conn: &mut DbConn,
    endpoint_id: i64,
    first: NaiveDate,
    last: NaiveDate,
) -> QueryResult<Vec<(NaiveDate, i64, i64)>> {
    traffic_daily::table
        .filter(traffic_daily::endpoint_id.eq(endpoint_id))
        .filter(traffic_daily::day.ge(first))
        .filter(traffic_daily::day.le(last))
        .order(traffic_daily::day)
        .select((
            traffic_daily::day,
            traffic_daily::bytes_in,
            traffic_daily::bytes_out,
        ))
        .load(conn)
}

/// An endpoint of the customer with its service, for the statistics pages.
#[derive(Debug, Clone, Serialize, Queryable)]
pub struct OwnEndpoint {
    pub id: i64,
    pub ipv4: Option<String>,
    pub pppoe_login: Option<String>,
    pub service_id: i64,
    pub service_name: String,
}

/// The customer's endpoints, by service and id.
pub fn endpoints_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<Vec<OwnEndpoint>> {
    endpoints::table
        .inner_join(services::table)
        .filter(services::customer_id.eq(customer_id))
        .order((services::id, endpoints::id))
        .select((
            endpoints::id,
            endpoints::ipv4,
            endpoints::pppoe_login,
            services::id,
            services::name,
        ))
        .load(conn)
}

/// The heaviest users of `[first, last]`: endpoints by bytes moved, most first.
#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct TopUser {
    #[diesel(sql_type = BigInt)]
    pub endpoint_id: i64,
    #[diesel(sql_type = BigInt)]
    pub customer_id: CustomerId,
    #[diesel(sql_type = Nullable<Text>)]
    pub ipv4: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub first_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub last_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub company_name: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub bytes_in: i64,
    #[diesel(sql_type = BigInt)]
    pub bytes_out: i64,
}

pub fn top_users(
    conn: &mut DbConn,
    first: NaiveDate,
    last: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<TopUser>> {
    const BODY: &str = "SELECT t.endpoint_id AS endpoint_id, s.customer_id AS customer_id, \
        e.ipv4 AS ipv4, c.first_name AS first_name, c.last_name AS last_name, \
        c.company_name AS company_name, t.bytes_in AS bytes_in, t.bytes_out AS bytes_out \
        FROM (SELECT endpoint_id, CAST(SUM(bytes_in) AS BIGINT) AS bytes_in, \
        CAST(SUM(bytes_out) AS BIGINT) AS bytes_out FROM traffic_daily \
        WHERE day >= {1} AND day <= {2} GROUP BY endpoint_id \
        ORDER BY SUM(bytes_in) + SUM(bytes_out) DESC LIMIT {3}) t \
        JOIN endpoints e ON e.id = t.endpoint_id JOIN services s ON s.id = e.service_id \
        JOIN customers c ON c.id = s.customer_id \
        ORDER BY t.bytes_in + t.bytes_out DESC, t.endpoint_id";
    match conn {
        DbConn::Sqlite(c) => diesel::sql_query(
            BODY.replace("{1}", "?")
                .replace("{2}", "?")
                .replace("{3}", "?"),
        )
        .bind::<Date, _>(first)
        .bind::<Date, _>(last)
        .bind::<BigInt, _>(limit)
        .load(c),
        DbConn::Pg(c) => diesel::sql_query(
            BODY.replace("{1}", "$1")
                .replace("{2}", "$2")
                .replace("{3}", "$3"),
        )
        .bind::<Date, _>(first)
        .bind::<Date, _>(last)
        .bind::<BigInt, _>(limit)
        .load(c),
    }
}

/// The customer an endpoint belongs to.
pub fn customer_of_endpoint(
    conn: &mut DbConn,
    endpoint_id: i64,
) -> QueryResult<Option<CustomerId>> {
    endpoints::table
        .inner_join(services::table)
        .filter(endpoints::id.eq(endpoint_id))
        .select(services::customer_id)
        .get_result(conn)
        .optional()
}

/// Whether any counters were ever stored (the demo seeds them once).
pub fn any_traffic(conn: &mut DbConn) -> QueryResult<bool> {
    let raw: bool = diesel::select(diesel::dsl::exists(
        traffic_samples::table.select(traffic_samples::endpoint_id),
    ))
    .get_result(conn)?;
    let hourly: bool = diesel::select(diesel::dsl::exists(
        traffic_hourly::table.select(traffic_hourly::endpoint_id),
    ))
    .get_result(conn)?;
    Ok(raw || hourly)
}

/// Whether the customer exists.
pub fn customer_exists(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        customers::table.filter(customers::id.eq(customer_id)),
    ))
    .get_result(conn)
}

// RADIUS sessions

#[derive(Debug, Clone, Serialize, Queryable, Selectable)]
#[diesel(table_name = radius_sessions)]
pub struct RadiusSession {
    pub id: i64,
    pub session_key: String,
    pub endpoint_id: i64,
    pub username: String,
    pub nas_ip: Option<String>,
    pub framed_ip: Option<String>,
    pub started_at: NaiveDateTime,
    pub stopped_at: Option<NaiveDateTime>,
    pub bytes_in: i64,
    pub bytes_out: i64,
    pub terminate_cause: Option<String>,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = radius_sessions, treat_none_as_null = true)]
pub struct SessionValues {
    pub session_key: String,
    pub endpoint_id: i64,
    pub username: String,
    pub nas_ip: Option<String>,
    pub framed_ip: Option<String>,
    pub started_at: NaiveDateTime,
    pub stopped_at: Option<NaiveDateTime>,
    pub bytes_in: i64,
    pub bytes_out: i64,
    pub terminate_cause: Option<String>,
    pub updated_at: NaiveDateTime,
}

pub fn session_by_key(conn: &mut DbConn, key: &str) -> QueryResult<Option<RadiusSession>> {
    radius_sessions::table
        .filter(radius_sessions::session_key.eq(key))
        .select(RadiusSession::as_select())
        .get_result(conn)
        .optional()
}

pub fn insert_session(conn: &mut DbConn, values: &SessionValues) -> QueryResult<usize> {
    diesel::insert_into(radius_sessions::table)
        .values(values)
        .execute(conn)
}

pub fn update_session(conn: &mut DbConn, id: i64, values: &SessionValues) -> QueryResult<usize> {
    diesel::update(radius_sessions::table.find(id))
        .set(values)
        .execute(conn)
}

/// The latest sessions of the given endpoints, newest first.
pub fn recent_sessions(
    conn: &mut DbConn,
    endpoint_ids: &[i64],
    limit: i64,
) -> QueryResult<Vec<RadiusSession>> {
    radius_sessions::table
        .filter(radius_sessions::endpoint_id.eq_any(endpoint_ids))
        .order((
            radius_sessions::started_at.desc(),
            radius_sessions::id.desc(),
        ))
        .select(RadiusSession::as_select())
        .limit(limit)
        .load(conn)
}
