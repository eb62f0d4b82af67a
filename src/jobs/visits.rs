//! The visit reminders job, once: a mail a day before each booked visit (`app::visits::
//! reminders`). Safe with several instances: each reminder is claimed before it is queued.

use chrono::NaiveDateTime;

use crate::app::audit::Actor;
use crate::app::mail_queue::Outgoing;
use crate::app::visits::{Effects, VisitError, reminders};
use crate::config::Config;
use crate::db::Pool;

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("no database connection: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error(transparent)]
    Visits(#[from] VisitError),
}

pub fn run_once(
    pool: &Pool,
    config: &Config,
    outgoing: Outgoing<'_>,
    now: NaiveDateTime,
) -> Result<usize, JobError> {
    let mut conn = pool.get()?;
    let fx = Effects {
        outgoing,
        files: &config.paths.attachments_dir,
        organizer_email: crate::app::visits::mail_address(&config.mail.from),
        actor: Actor::anonymous(None),
        now,
    };
    Ok(reminders::run(&mut conn, &fx)?)
}
