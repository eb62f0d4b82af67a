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

/// News, outages and maintenance visible to a customer in `areas` (plus everything for all
/// areas): published, not retired, and (for outages) not ended more than a week ago. Urgent
/// first, then newest.
pub fn for_areas(
    conn: &mut DbConn,
    areas: &[String],
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<NewsItem>> {
    let recently_ended = now - chrono::Duration::days(7);
    news::table
        .filter(news::published_at.le(now))
        .filter(news::retired_at.is_null())
        .filter(news::area.is_null().or(news::area.eq_any(areas)))
        .filter(news::ends_at.is_null().or(news::ends_at.gt(recently_ended)))
        .order((
            news::urgent.desc(),
            news::published_at.desc(),
            news::id.desc(),
        ))
        .limit(limit)
        .load(conn)
}

/// One item, only if the customer in `areas` may see it.
pub fn find_for_areas(
    conn: &mut DbConn,
    news_id: i64,
    areas: &[String],
    now: NaiveDateTime,
) -> QueryResult<Option<NewsItem>> {
    news::table
        .filter(news::id.eq(news_id))
        .filter(news::published_at.le(now))
        .filter(news::retired_at.is_null())
        .filter(news::area.is_null().or(news::area.eq_any(areas)))
        .first(conn)
        .optional()
}

/// Ids of the items this customer has confirmed.
pub fn confirmed_by(conn: &mut DbConn, customer_id: i64) -> QueryResult<Vec<i64>> {
    use super::schema::news_confirmations;
    news_confirmations::table
        .filter(news_confirmations::customer_id.eq(customer_id))
        .select(news_confirmations::news_id)
        .load(conn)
}

/// Records that the customer read an urgent notice; confirming twice changes nothing.
pub fn confirm(
    conn: &mut DbConn,
    news_id: i64,
    customer_id: i64,
    account_id: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    use super::schema::news_confirmations;
    let already = news_confirmations::table
        .filter(news_confirmations::news_id.eq(news_id))
        .filter(news_confirmations::customer_id.eq(customer_id))
        .count()
        .get_result::<i64>(conn)?;
    if already > 0 {
        return Ok(0);
    }
    diesel::insert_into(news_confirmations::table)
        .values((
            news_confirmations::news_id.eq(news_id),
            news_confirmations::customer_id.eq(customer_id),
            news_confirmations::account_id.eq(Some(account_id)),
            news_confirmations::confirmed_at.eq(now),
        ))
        .execute(conn)
}

/// A row of `offer_banners`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct OfferBanner {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub link_url: Option<String>,
    pub area: Option<String>,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
    pub retired_at: Option<NaiveDateTime>,
    pub created_by_staff_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// The offer banner running now for a customer in `areas`: an area's own offer before the one
/// for everybody, newest first.
pub fn current_offer(
    conn: &mut DbConn,
    areas: &[String],
    now: NaiveDateTime,
) -> QueryResult<Option<OfferBanner>> {
    use super::schema::offer_banners;
    let mut running: Vec<OfferBanner> = offer_banners::table
        .filter(offer_banners::starts_at.le(now))
        .filter(
            offer_banners::ends_at
                .is_null()
                .or(offer_banners::ends_at.gt(now)),
        )
        .filter(offer_banners::retired_at.is_null())
        .filter(
            offer_banners::area
                .is_null()
                .or(offer_banners::area.eq_any(areas)),
        )
        .order(offer_banners::starts_at.desc())
        .limit(10)
        .load(conn)?;
    running.sort_by_key(|offer| offer.area.is_none());
    Ok(running.into_iter().next())
}
