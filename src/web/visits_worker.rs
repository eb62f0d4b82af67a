//! Runs the visit reminders in the background of the web server every ten minutes. Several
//! instances may run it; each reminder is still queued once (see `jobs::visits`).

use std::time::Duration;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::{Orbit, Rocket};

use super::mailing::{Mailing, OutboxSignal};
use crate::app::App;
use crate::app::clock;
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
        let (Some(pool), Some(mailing), Some(signal), Some(config)) = (
            rocket.state::<App>().map(|app| app.pool().clone()),
            rocket.state::<Mailing>().cloned(),
            rocket.state::<OutboxSignal>().cloned(),
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
                let (pool, mailing, config) = (pool.clone(), mailing.clone(), config.clone());
                let result = rocket::tokio::task::spawn_blocking(move || {
                    run_once(&pool, &config, mailing.outgoing(), clock::now())
                })
                .await;
                match result {
                    Ok(Ok(0)) => {}
                    Ok(Ok(queued)) => {
                        signal.wake();
                        tracing::info!(queued, "visit reminders");
                    }
                    Ok(Err(error)) => {
                        tracing::error!(%error, "visit reminders failed; will try again")
                    }
                    Err(error) => tracing::error!(%error, "visit reminders stopped"),
                }
            }
        });
    }
}
