//! The public start page: ISP news, network outages going on now, and planned work.

use chrono::{Duration, NaiveDateTime};

use crate::db::news::NewsItem;
use crate::db::{self, DbConn};

const NEWS_ON_START_PAGE: i64 = 5;
/// Planned maintenance is announced this far ahead.
const MAINTENANCE_NOTICE: Duration = Duration::days(7);

#[derive(Debug, Clone, serde::Serialize)]
pub struct StartPage {
    pub news: Vec<NewsItem>,
    pub outages: Vec<OutageNotice>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct OutageNotice {
    #[serde(flatten)]
    pub item: NewsItem,
    /// Not started yet: "planned from …" rather than "since …".
    pub planned: bool,
}

pub fn load(conn: &mut DbConn, now: NaiveDateTime) -> diesel::QueryResult<StartPage> {
    let outages = db::news::outages_until(conn, now, now + MAINTENANCE_NOTICE)?
        .into_iter()
        .map(|item| OutageNotice {
            planned: item.starts_at.is_some_and(|start| start > now),
            item,
        })
        .collect();
    Ok(StartPage {
        news: db::news::latest_public(conn, now, NEWS_ON_START_PAGE)?,
        outages,
    })
}
