//! Runs the outbox sender in the background of the web server: right after a message is queued
//! (woken by `OutboxSignal`) and every few seconds for retries.

use std::time::Duration;

use lettre::message::Mailbox;
use rocket::fairing::{Fairing, Info, Kind};
use rocket::{Orbit, Rocket};

use super::mailing::OutboxSignal;
use crate::app::App;
use crate::app::clock;
use crate::config::MailConfig;
use crate::jobs::outbox;
use crate::mail::Mailer;

const POLL_EVERY: Duration = Duration::from_secs(15);

pub struct OutboxWorker {
    pub mail: MailConfig,
    pub from: Mailbox,
}

#[rocket::async_trait]
impl Fairing for OutboxWorker {
    fn info(&self) -> Info {
        Info {
            name: "Outbox sender",
            kind: Kind::Liftoff,
        }
    }

    async fn on_liftoff(&self, rocket: &Rocket<Orbit>) {
        let (Some(pool), Some(signal)) = (
            rocket.state::<App>().map(|app| app.pool().clone()),
            rocket.state::<OutboxSignal>().cloned(),
        ) else {
            tracing::error!("outbox sender not started: no pool");
            return;
        };
        let from = self.from.clone();
        let mail = self.mail.clone();
        let mut shutdown = rocket.shutdown();
        rocket::tokio::spawn(async move {
            // Built here: lettre's SMTP pool must live inside the runtime.
            let mailer = match Mailer::from_config(&mail) {
                Ok(mailer) => mailer,
                Err(error) => {
                    tracing::error!(%error, "outbox sender not started");
                    return;
                }
            };
            let mut last_purge: Option<std::time::Instant> = None;
            loop {
                if let Err(error) = outbox::deliver_due(&pool, &mailer, &from, clock::now()).await {
                    tracing::error!(%error, "outbox sender failed; will try again");
                }
                // Old throttling records are of no use; clear them out once an hour.
                if last_purge.is_none_or(|at| at.elapsed() > Duration::from_secs(3600)) {
                    last_purge = Some(std::time::Instant::now());
                    let pool = pool.clone();
                    let _ = rocket::tokio::task::spawn_blocking(move || {
                        pool.get().ok().map(|mut conn| {
                            crate::app::throttle::purge_old(&mut conn, clock::now())
                        })
                    })
                    .await;
                }
                rocket::tokio::select! {
                    _ = signal.0.notified() => {}
                    _ = rocket::tokio::time::sleep(POLL_EVERY) => {}
                    _ = &mut shutdown => break,
                }
            }
        });
    }
}
