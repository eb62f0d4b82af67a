//! Runs the dunning job in the background of the web server: soon after start and then every
//! hour, so a step is taken on its day whenever the server runs. Several instances may run it;
//! each step is still taken once (see `jobs::dunning`).

use std::time::Duration;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::{Orbit, Rocket};

use super::mailing::Mailing;
use crate::app::App;
use crate::app::clock;
use crate::jobs::dunning::run_once;

const RUN_EVERY: Duration = Duration::from_secs(3600);
/// Lets the server answer its first requests before the first run reads every debtor.
const FIRST_RUN_AFTER: Duration = Duration::from_secs(30);

pub struct DunningWorker;

#[rocket::async_trait]
impl Fairing for DunningWorker {
    fn info(&self) -> Info {
        Info {
            name: "Dunning",
            kind: Kind::Liftoff,
        }
    }

    async fn on_liftoff(&self, rocket: &Rocket<Orbit>) {
        let (Some(app), Some(mailing)) = (
            rocket.state::<App>().cloned(),
            rocket.state::<Mailing>().cloned(),
        ) else {
            tracing::error!("dunning not started: no pool or mail set-up");
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
                let mailing = mailing.clone();
                let pass = app.blocking_pass("dunning", move |pool| {
                    run_once(pool, &mailing.outgoing(), clock::today(), clock::now())
                });
                if let Some(report) = pass.await {
                    if !report.planned.is_empty() {
                        tracing::info!(steps = report.planned.len(), "dunning");
                    }
                    for problem in &report.problems {
                        tracing::warn!(%problem, "dunning left an invoice alone");
                    }
                }
            }
        });
    }
}
