//! The traffic roll-up job, once (`app::traffic::roll_up`): queued hours summed from the raw
//! 5-minute rows, queued Polish days from the hourly rows, raw rows past their days deleted.
//! Safe with several instances: every bucket is claimed before it is summed.

use chrono::NaiveDateTime;

use crate::app::traffic::{self, RollupReport};
use crate::db::Pool;

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("no database connection: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

pub fn run_once(pool: &Pool, raw_days: i64, now: NaiveDateTime) -> Result<RollupReport, JobError> {
    let mut conn = pool.get()?;
    Ok(traffic::roll_up(&mut conn, now, raw_days)?)
}
