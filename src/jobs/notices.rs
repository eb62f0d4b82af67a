//! The notice mail job, once (`app::notice_mail::run`). Idempotent and safe with several
//! instances: every mail is claimed under a UNIQUE key in the transaction that queues it.

use chrono::{NaiveDate, NaiveDateTime};

use crate::app::mail_queue::Outgoing;
use crate::app::notice_mail::{self, NoticeMailError, NoticeMailReport};
use crate::config::NoticeConfig;
use crate::db::Pool;

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("no database connection: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error(transparent)]
    Notices(#[from] NoticeMailError),
}

pub fn run_once(
    pool: &Pool,
    outgoing: &Outgoing<'_>,
    config: &NoticeConfig,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<NoticeMailReport, JobError> {
    let mut conn = pool.get()?;
    Ok(notice_mail::run(&mut conn, outgoing, config, today, now)?)
}
