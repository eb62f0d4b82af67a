//! ISP news and network outage notices.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::news;

/// A row of `news`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct NewsItem {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub urgent: bool,
    pub area: Option<String>,
    pub published_at: NaiveDateTime,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub author_staff_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub retired_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = news, treat_none_as_default_value = false)]
pub struct NewNewsItem {
    pub kind: String,
    pub title: String,
    pub body: String,
    pub urgent: bool,
    pub area: Option<String>,
    pub published_at: NaiveDateTime,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub author_staff_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, item: &NewNewsItem) -> QueryResult<i64> {
    diesel::insert_into(news::table)
        .values(item)
        .returning(news::id)
        .get_result(conn)
}

/// Published items for everyone (no area), newest first.
pub fn latest_public(
    conn: &mut DbConn,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<NewsItem>> {
    news::table
        .filter(news::published_at.le(now))
        .filter(news::area.is_null())
        .filter(news::retired_at.is_null())
        .filter(news::kind.eq("news"))
        .order((news::urgent.desc(), news::published_at.desc()))
        .limit(limit)
        .load(conn)
}

/// Outages and maintenance windows, in any area, that have not ended yet and start before
/// `horizon` (so planned work is announced ahead).
pub fn outages_until(
    conn: &mut DbConn,
    now: NaiveDateTime,
    horizon: NaiveDateTime,
) -> QueryResult<Vec<NewsItem>> {
    news::table
        .filter(news::kind.eq_any(["outage", "maintenance"]))
        .filter(news::retired_at.is_null())
        .filter(news::published_at.le(now))
        .filter(news::starts_at.le(horizon))
        .filter(news::ends_at.is_null().or(news::ends_at.gt(now)))
        .order(news::starts_at.asc())
        .load(conn)
}
