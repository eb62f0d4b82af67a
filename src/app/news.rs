//! News and outage notices as a subscriber sees them: for everyone or for their area, urgent ones
//! on top until this customer confirms them.

use crate::domain::CustomerId;
use chrono::NaiveDateTime;

use crate::app::news_board::NewsBoard;
use crate::db::news::NewsItem;
use crate::db::{self, DbConn};

/// How many items the news page lists.
const NEWS_PAGE: usize = 50;

#[derive(Debug, Clone, serde::Serialize)]
pub struct NewsView {
    #[serde(flatten)]
    pub item: NewsItem,
    /// Urgent and not yet confirmed by this customer: shown on top with a "confirm" button.
    pub needs_confirmation: bool,
}

/// `items` as this customer sees them: unconfirmed urgent items first (one query, only when an
/// urgent item is among them).
pub fn with_confirmations(
    conn: &mut DbConn,
    customer_id: CustomerId,
    items: Vec<NewsItem>,
) -> diesel::QueryResult<Vec<NewsView>> {
    let confirmed = if items.iter().any(|i| i.urgent) {
        db::news::confirmed_by(conn, customer_id)?
    } else {
        Vec::new()
    };
    let mut views: Vec<NewsView> = items
        .into_iter()
        .map(|item| NewsView {
            needs_confirmation: item.urgent && !confirmed.contains(&item.id),
            item,
        })
        .collect();
    // Stable: keeps urgent-then-newest order inside each group.
    views.sort_by_key(|v| !v.needs_confirmation);
    Ok(views)
}

/// The news page.
pub fn for_customer(
    conn: &mut DbConn,
    board: &NewsBoard,
    customer_id: CustomerId,
    now: NaiveDateTime,
) -> diesel::QueryResult<Vec<NewsView>> {
    let areas = db::contracts::areas_of_customer(conn, customer_id)?;
    let items = board.current(conn, now)?.news_for(&areas, now, NEWS_PAGE);
    with_confirmations(conn, customer_id, items)
}

/// Records that the customer read an urgent item. `false` when the item is not one this
/// customer can see (another area, retired, unpublished, or no such id): nothing is written.
pub fn confirm(
    conn: &mut DbConn,
    customer_id: CustomerId,
    account_id: i64,
    news_id: i64,
    now: NaiveDateTime,
) -> diesel::QueryResult<bool> {
    let areas = db::contracts::areas_of_customer(conn, customer_id)?;
    if db::news::find_for_areas(conn, news_id, &areas, now)?.is_none() {
        return Ok(false);
    }
    db::news::confirm(conn, news_id, customer_id, account_id, now)?;
    Ok(true)
}
