//! ISP news and network outage notices.

pub mod announcements;

use crate::domain::{CustomerId, NewsKind};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::news;

/// A row of `news`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct NewsItem {
    pub id: i64,
    pub kind: NewsKind,
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
    pub kind: NewsKind,
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
        .filter(news::kind.eq(NewsKind::News))
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
        .filter(news::kind.eq_any(NewsKind::NOTICES))
        .filter(news::retired_at.is_null())
        .filter(news::published_at.le(now))
        .filter(news::starts_at.le(horizon))
        .filter(news::ends_at.is_null().or(news::ends_at.gt(now)))
        .order(news::starts_at.asc())
        .load(conn)
}

/// Items not retired whose end (if any) is after `ended_after`, scheduled ones included: what
/// the in-memory notice board (`app::news_board`) filters by area and time.
pub fn not_retired_since(
    conn: &mut DbConn,
    ended_after: NaiveDateTime,
) -> QueryResult<Vec<NewsItem>> {
    news::table
        .filter(news::retired_at.is_null())
        .filter(news::ends_at.is_null().or(news::ends_at.gt(ended_after)))
        .load(conn)
}

/// Offer banners not retired and not ended at `now`, scheduled ones included.
pub fn offers_not_retired_since(
    conn: &mut DbConn,
    now: NaiveDateTime,
) -> QueryResult<Vec<OfferBanner>> {
    use super::schema::offer_banners;
    offer_banners::table
        .filter(offer_banners::retired_at.is_null())
        .filter(
            offer_banners::ends_at
                .is_null()
                .or(offer_banners::ends_at.gt(now)),
        )
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
        .get_result(conn)
        .optional()
}

/// Ids of the items this customer has confirmed.
pub fn confirmed_by(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<Vec<i64>> {
    use super::schema::news_confirmations;
    concrete!(conn, |c| {
        news_confirmations::table
            .filter(news_confirmations::customer_id.eq(customer_id))
            .select(news_confirmations::news_id)
            .load(c)
    })
}

/// Records that the customer read an urgent notice; confirming twice changes nothing.
pub fn confirm(
    conn: &mut DbConn,
    news_id: i64,
    customer_id: CustomerId,
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

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = super::schema::offer_banners, treat_none_as_default_value = false)]
pub struct NewOfferBanner {
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

pub fn insert_offer_banner(conn: &mut DbConn, banner: &NewOfferBanner) -> QueryResult<i64> {
    use super::schema::offer_banners;
    diesel::insert_into(offer_banners::table)
        .values(banner)
        .returning(offer_banners::id)
        .get_result(conn)
}
