//! While the database does not answer (a PostgreSQL restart or failover, a cut network), a
//! request would wait the pool's whole checkout time and then fail as an error of ours. The
//! first request that finds the database gone marks an outage for a moment instead; requests
//! in that moment are told at once to try again shortly (503, a friendly page), and the first
//! one after it asks the database again, so the portal is back within about a second of it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long requests are answered 503 without asking the database after it was found gone.
const PAUSE: Duration = Duration::from_secs(1);

pub struct Outage {
    /// The moment `until` counts from.
    epoch: Instant,
    /// Milliseconds after `epoch` until which the database counts as gone; 0: it answers.
    until: AtomicU64,
}

impl Default for Outage {
    fn default() -> Self {
        Outage {
            epoch: Instant::now(),
            until: AtomicU64::new(0),
        }
    }
}

impl Outage {
    fn millis_now(&self) -> u64 {
        // +1: a moment in the first millisecond must not read as "no outage".
        self.epoch.elapsed().as_millis() as u64 + 1
    }

    /// The database was found gone moments ago.
    pub fn ongoing(&self) -> bool {
        self.millis_now() < self.until.load(Ordering::Relaxed)
    }

    /// The database was found gone now.
    pub fn begin(&self) {
        let until = self.millis_now() + PAUSE.as_millis() as u64;
        self.until.fetch_max(until, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outage_lasts_a_moment() {
        let outage = Outage::default();
        assert!(!outage.ongoing());
        outage.begin();
        assert!(outage.ongoing());
        // Ended: as if it had begun more than a pause ago.
        outage.until.store(1, Ordering::Relaxed);
        assert!(!outage.ongoing());
    }
}
