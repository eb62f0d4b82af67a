//! Runs the visit reminders in the background of the web server every ten minutes. Several
//! instances may run it; each reminder is still queued once (see `jobs::visits`).

use std::time::Duration;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::{Orbit, Rocket};

use super::mailing::Mailing;
use crate::app::App;
use crate::app::clock;
use crate::app::service::MailsQueued;
use crate::config::Config;
use crate::jobs::visits::run_once;

const RUN_EVERY: Duration = Duration::from_secs(600);
const FIRST_RUN_AFTER: Duration = Duration::from_secs(20);

pub struct VisitReminders;

#[rocket::async_trait]
impl Fairing for VisitReminders {
    fn info(&self) -> Info {
        Info {
            name: "Visit reminders",
            kind: Kind::Liftoff,
        }
    }

    async fn on_liftoff(&self, rocket: &Rocket<Orbit>) {
        let (Some(app), Some(mailing), Some(config)) = (
            rocket.state::<App>().cloned(),
            rocket.state::<Mailing>().cloned(),
            rocket.state::<Config>().cloned(),
        ) else {
            tracing::error!("visit reminders not started: no pool or mail set-up");
            return;
        };
        let mut shutdown = rocket.shutdown();
        rocket::tokio::spawn(async move {
            let mut wait = FIRST_RUN_AFTER;
            loop {
                rocket::tokio::select! {
                    _ = rocket::tokio::time::sleep(wait) => {}
                    _ = &mut shutdown => break,
                }
                wait = RUN_EVERY;
                let (mailing, config) = (mailing.clone(), config.clone());
                let pass = app.blocking_pass("visit reminders", move |pool| {
                    run_once(pool, &config, mailing.outgoing(), clock::now()).map(MailsQueued)
                });
                if let Some(MailsQueued(queued)) = pass.await
                    && queued > 0
                {
                    tracing::info!(queued, "visit reminders");
                }
            }
        });
    }
}
