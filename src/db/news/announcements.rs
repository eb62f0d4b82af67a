//! News, outage notices and the dashboard offer banner, as staff manage them (the subscriber
//! side reads them through `news` and its own queries).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::news::NewsItem;
use crate::db::schema::{contracts, news, offer_banners};
use crate::domain::NewsKind;

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
#[diesel(table_name = offer_banners, treat_none_as_default_value = false)]
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

#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = offer_banners, treat_none_as_null = true)]
pub struct BannerChanges {
    pub title: String,
    pub body: String,
    pub link_url: Option<String>,
    pub area: Option<String>,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = news, treat_none_as_null = true)]
pub struct NewsChanges {
    pub kind: NewsKind,
    pub title: String,
    pub body: String,
    pub urgent: bool,
    pub area: Option<String>,
    pub published_at: NaiveDateTime,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
}

/// Everything, newest first; retired items stay listed (greyed out) as a record.
pub fn all_news(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<NewsItem>> {
    news::table
        .order((news::published_at.desc(), news::id.desc()))
        .limit(limit)
        .load(conn)
}

pub fn find_news(conn: &mut DbConn, id: i64) -> QueryResult<Option<NewsItem>> {
    news::table.find(id).get_result(conn).optional()
}

pub fn update_news(conn: &mut DbConn, id: i64, changes: &NewsChanges) -> QueryResult<bool> {
    diesel::update(news::table.find(id))
        .set(changes)
        .execute(conn)
        .map(|n| n == 1)
}

/// False when already retired.
pub fn retire_news(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(news::table.find(id).filter(news::retired_at.is_null()))
        .set(news::retired_at.eq(now))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn all_banners(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<OfferBanner>> {
    offer_banners::table
        .order((offer_banners::starts_at.desc(), offer_banners::id.desc()))
        .limit(limit)
        .load(conn)
}

pub fn find_banner(conn: &mut DbConn, id: i64) -> QueryResult<Option<OfferBanner>> {
    offer_banners::table.find(id).get_result(conn).optional()
}

pub fn insert_banner(conn: &mut DbConn, banner: &NewOfferBanner) -> QueryResult<i64> {
    diesel::insert_into(offer_banners::table)
        .values(banner)
        .returning(offer_banners::id)
        .get_result(conn)
}

pub fn update_banner(conn: &mut DbConn, id: i64, changes: &BannerChanges) -> QueryResult<bool> {
    diesel::update(offer_banners::table.find(id))
        .set(changes)
        .execute(conn)
        .map(|n| n == 1)
}

pub fn retire_banner(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        offer_banners::table
            .find(id)
            .filter(offer_banners::retired_at.is_null()),
    )
    .set(offer_banners::retired_at.eq(now))
    .execute(conn)
    .map(|n| n == 1)
}

/// The cities where the ISP has installations: the areas a notice can target.
pub fn installation_cities(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    contracts::table
        .select(contracts::install_city)
        .distinct()
        .order(contracts::install_city)
        .limit(500)
        .load(conn)
}
