//! The dunning job, once: takes the steps due today (`app::dunning::run`). Idempotent and safe
//! with several instances: each step is recorded under a UNIQUE index in the transaction that
//! queues its mail.

use chrono::{NaiveDate, NaiveDateTime};

use crate::app::dunning::{self, DunningError, RunReport};
use crate::app::mail_queue::Outgoing;
use crate::db::Pool;

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("no database connection: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error(transparent)]
    Dunning(#[from] DunningError),
}

pub fn run_once(
    pool: &Pool,
    outgoing: &Outgoing<'_>,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<RunReport, JobError> {
    let mut conn = pool.get()?;
    Ok(dunning::run(&mut conn, outgoing, today, now, false)?)
}
