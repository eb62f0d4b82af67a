//! Recurring card payments (automatic monthly charge, issue #19): cards registered through PayU
//! (`cards`), a mandate per contract with the subscriber's consent to the recurring terms
//! (`mandates`), the charge of each 30-day period by a background pass (`charge`), PayU's
//! notifications about those orders (`notification`), and ending a contract at once with the
//! unused part of the paid period returned (`terminate`).
//!
//! A period is charged at most once: its charge row is unique per (contract, period start) and
//! is written with the period's invoice in one transaction; each attempt is claimed by a
//! conditional update and carries its own extOrderId, stored before PayU is asked, so a retry
//! after a crash asks PayU about the same order instead of placing another.

pub mod cards;
pub mod charge;
pub mod mandates;
pub mod notification;
pub mod staff;
pub mod terminate;

use std::time::Duration;

use crate::db::{DbConn, Pool};
use crate::payu::client::PayuError;

/// The consent kind of the recurring-payment terms and the version of their text.
pub const CONSENT_KIND: &str = "recurring_payments";
pub const TERMS_VERSION: &str = "2026-12-09";

/// Where PayU sends the buyer back after the card's 3-D Secure step.
pub const PAGE: &str = "/konto/platnosci-automatyczne";

/// The ISP's settings for charges: retry days after a failure (default 1, 3, 7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub retry_days: Vec<u32>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            retry_days: crate::domain::recurring::DEFAULT_RETRY_DAYS.to_vec(),
        }
    }
}

impl Settings {
    /// `EBOK_RECURRING_RETRY_DAYS`, e.g. "1,3,7"; anything unreadable keeps the default.
    pub fn from_env() -> Settings {
        match std::env::var("EBOK_RECURRING_RETRY_DAYS") {
            Ok(text) => {
                let days: Option<Vec<u32>> =
                    text.split(',').map(|d| d.trim().parse().ok()).collect();
                match days {
                    Some(days) if !days.is_empty() && days.windows(2).all(|w| w[0] < w[1]) => {
                        Settings { retry_days: days }
                    }
                    _ => {
                        tracing::warn!(%text, "EBOK_RECURRING_RETRY_DAYS unreadable; using 1,3,7");
                        Settings::default()
                    }
                }
            }
            Err(_) => Settings::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RecurringError {
    #[error("there is no such contract")]
    NoContract,
    #[error("there is no such card")]
    NoCard,
    #[error("there is no such automatic payment")]
    NoMandate,
    #[error("the recurring-payment terms must be accepted")]
    TermsNotAccepted,
    #[error("the contract already pays automatically")]
    AlreadyOn,
    #[error("the card is not registered (yet)")]
    CardNotActive,
    #[error("the card pays an automatic payment; choose another card for it first")]
    CardInUse,
    #[error("the card token is not valid")]
    BadToken,
    #[error("the automatic payment has ended already")]
    AlreadyEnded,
    #[error("online payments are off")]
    PayuOff,
    #[error("PayU: {0}")]
    Payu(#[from] PayuError),
    #[error("the invoice could not be issued: {0}")]
    Invoice(String),
    #[error(transparent)]
    Mail(#[from] crate::app::mail_queue::QueueError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error("no database connection: {0}")]
    Pool(String),
}

impl From<crate::app::invoicing::IssueError> for RecurringError {
    fn from(error: crate::app::invoicing::IssueError) -> RecurringError {
        match error {
            crate::app::invoicing::IssueError::Database(e) => RecurringError::Database(e),
            other => RecurringError::Invoice(other.to_string()),
        }
    }
}

/// Runs database work off the async workers.
pub(crate) async fn with_db<T: Send + 'static>(
    pool: &Pool,
    work: impl FnOnce(&mut DbConn) -> Result<T, RecurringError> + Send + 'static,
) -> Result<T, RecurringError> {
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool
            .get()
            .map_err(|e| RecurringError::Pool(e.to_string()))?;
        work(&mut conn)
    })
    .await
    .map_err(|e| RecurringError::Pool(e.to_string()))?
}

/// How long an attempt is ours while PayU answers; after it another pass may ask PayU again.
pub const LEASE: Duration = Duration::from_secs(600);

/// Dates as the subscriber reads them.
pub(crate) fn pl_date(day: chrono::NaiveDate) -> String {
    day.format("%d.%m.%Y").to_string()
}
