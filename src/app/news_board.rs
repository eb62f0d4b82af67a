//! What is on the ISP's notice board (news, outages, offer banners), held in memory for a few
//! seconds. Every dashboard shows it and it is the same for everyone in an area, while it
//! changes only when staff publish, retire or schedule something: reading it from the database
//! on each dashboard would be two of its queries. Staff changes in this process drop the copy
//! at once (`invalidate`); another process serving the same database sees them within `ttl`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use crate::db::news::{NewsItem, OfferBanner};
use crate::db::{self, DbConn};

/// How long a loaded board is used.
pub const DEFAULT_TTL: Duration = Duration::from_secs(5);
/// Outages stay listed this long after they ended (as the news page always did).
const ENDED_SHOWN_FOR: chrono::Duration = chrono::Duration::days(7);

/// Everything that is or may become visible while a loaded board is used: not retired, and not
/// ended before the load (scheduled items are included; `news_for` and `offer_for` check the
/// time on every read).
#[derive(Debug, Default)]
pub struct Board {
    news: Vec<NewsItem>,
    offers: Vec<OfferBanner>,
}

impl Board {
    pub fn load(conn: &mut DbConn, now: NaiveDateTime) -> diesel::QueryResult<Board> {
        Ok(Board {
            news: db::news::not_retired_since(conn, now - ENDED_SHOWN_FOR)?,
            offers: db::news::offers_not_retired_since(conn, now)?,
        })
    }

    /// News and outages for a customer in `areas` (and for everyone) at `now`: urgent first,
    /// then newest, at most `limit`.
    pub fn news_for(&self, areas: &[String], now: NaiveDateTime, limit: usize) -> Vec<NewsItem> {
        let recently_ended = now - ENDED_SHOWN_FOR;
        let mut items: Vec<&NewsItem> = self
            .news
            .iter()
            .filter(|n| n.published_at <= now)
            .filter(|n| n.ends_at.is_none_or(|end| end > recently_ended))
            .filter(|n| in_areas(n.area.as_deref(), areas))
            .collect();
        items.sort_by_key(|n| std::cmp::Reverse((n.urgent, n.published_at, n.id)));
        items.into_iter().take(limit).cloned().collect()
    }

    /// The offer running at `now` for a customer in `areas`: an area's own offer before the one
    /// for everybody, newest first.
    pub fn offer_for(&self, areas: &[String], now: NaiveDateTime) -> Option<OfferBanner> {
        self.offers
            .iter()
            .filter(|o| o.starts_at <= now && o.ends_at.is_none_or(|end| end > now))
            .filter(|o| in_areas(o.area.as_deref(), areas))
            .max_by_key(|o| (o.area.is_some(), o.starts_at, o.id))
            .cloned()
    }
}

fn in_areas(area: Option<&str>, areas: &[String]) -> bool {
    area.is_none_or(|area| areas.iter().any(|a| a == area))
}

/// The shared, briefly cached board (Rocket state; clones share one copy).
#[derive(Debug, Clone)]
pub struct NewsBoard {
    ttl: Duration,
    cache: Arc<Mutex<Cache>>,
}

#[derive(Debug, Default)]
struct Cache {
    board: Option<(Instant, Arc<Board>)>,
    /// Bumped by `invalidate`, so a load that began before a staff change is not kept.
    generation: u64,
}

impl NewsBoard {
    pub fn new(ttl: Duration) -> NewsBoard {
        NewsBoard {
            ttl,
            cache: Arc::new(Mutex::new(Cache::default())),
        }
    }

    /// The board, loaded again when the copy is older than `ttl` or was invalidated.
    pub fn current(
        &self,
        conn: &mut DbConn,
        now: NaiveDateTime,
    ) -> diesel::QueryResult<Arc<Board>> {
        let generation = {
            let cache = self.lock();
            if let Some((at, board)) = &cache.board
                && at.elapsed() < self.ttl
            {
                return Ok(Arc::clone(board));
            }
            cache.generation
        };
        // Loaded outside the lock: a few requests may load it at once, none waits for another.
        let board = Arc::new(Board::load(conn, now)?);
        let mut cache = self.lock();
        if cache.generation == generation {
            cache.board = Some((Instant::now(), Arc::clone(&board)));
        }
        Ok(board)
    }

    /// Staff changed the board: the next reader loads it again.
    pub fn invalidate(&self) {
        let mut cache = self.lock();
        cache.board = None;
        cache.generation += 1;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        // A panic while holding the lock leaves at worst a stale copy, which the TTL replaces.
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Default for NewsBoard {
    fn default() -> NewsBoard {
        NewsBoard::new(DEFAULT_TTL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, day)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .unwrap()
    }

    fn item(id: i64, area: Option<&str>, urgent: bool, published: NaiveDateTime) -> NewsItem {
        NewsItem {
            id,
            kind: crate::domain::NewsKind::News,
            title: format!("item {id}"),
            body: String::new(),
            urgent,
            area: area.map(str::to_owned),
            published_at: published,
            starts_at: None,
            ends_at: None,
            author_staff_id: None,
            created_at: published,
            retired_at: None,
        }
    }

    fn offer(id: i64, area: Option<&str>, starts: NaiveDateTime) -> OfferBanner {
        OfferBanner {
            id,
            title: format!("offer {id}"),
            body: String::new(),
            link_url: None,
            area: area.map(str::to_owned),
            starts_at: starts,
            ends_at: None,
            retired_at: None,
            created_by_staff_id: None,
            created_at: starts,
        }
    }

    #[test]
    fn news_are_the_areas_own_and_everyones_urgent_first_then_newest() {
        let mut ended = item(5, None, false, at(1, 8));
        ended.ends_at = Some(at(10, 8)); // more than a week before the 20th
        let board = Board {
            news: vec![
                item(1, None, false, at(10, 8)),
                item(2, Some("Kalisz"), false, at(12, 8)),
                item(3, Some("Pleszew"), true, at(13, 8)),
                item(4, Some("Kalisz"), true, at(11, 8)),
                ended,
                item(6, None, false, at(25, 8)), // scheduled for later
            ],
            offers: Vec::new(),
        };
        let kalisz = ["Kalisz".to_owned()];
        let ids: Vec<i64> = board
            .news_for(&kalisz, at(20, 12), 10)
            .iter()
            .map(|n| n.id)
            .collect();
        assert_eq!(ids, [4, 2, 1]);
        assert_eq!(board.news_for(&kalisz, at(20, 12), 2).len(), 2);
        let later: Vec<i64> = board
            .news_for(&kalisz, at(26, 12), 10)
            .iter()
            .map(|n| n.id)
            .collect();
        assert_eq!(
            later,
            [4, 6, 2, 1],
            "a scheduled item appears when its time comes"
        );
    }

    #[test]
    fn the_areas_own_offer_outranks_the_one_for_everybody() {
        let mut ended = offer(4, Some("Kalisz"), at(1, 8));
        ended.ends_at = Some(at(15, 8));
        let board = Board {
            news: Vec::new(),
            offers: vec![
                offer(1, None, at(18, 8)),
                offer(2, Some("Kalisz"), at(10, 8)),
                offer(3, Some("Pleszew"), at(19, 8)),
                ended,
                offer(5, Some("Kalisz"), at(25, 8)), // not started yet
            ],
        };
        let kalisz = ["Kalisz".to_owned()];
        assert_eq!(board.offer_for(&kalisz, at(20, 12)).map(|o| o.id), Some(2));
        assert_eq!(board.offer_for(&kalisz, at(26, 12)).map(|o| o.id), Some(5));
        assert_eq!(board.offer_for(&[], at(20, 12)).map(|o| o.id), Some(1));
        assert_eq!(board.offer_for(&[], at(17, 12)).map(|o| o.id), None);
    }
}
