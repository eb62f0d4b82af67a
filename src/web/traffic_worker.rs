//! Runs the traffic roll-up in the background of the web server every five minutes, as often
//! as collectors send counters. Several instances may run it (see `jobs::traffic`).

use std::time::Duration;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::{Orbit, Rocket};

use crate::app::App;
use crate::app::clock;
use crate::config::Config;
use crate::jobs::traffic::run_once;

const RUN_EVERY: Duration = Duration::from_secs(300);
const FIRST_RUN_AFTER: Duration = Duration::from_secs(30);

pub struct TrafficRollup;

#[rocket::async_trait]
impl Fairing for TrafficRollup {
    fn info(&self) -> Info {
        Info {
            name: "Traffic roll-up",
            kind: Kind::Liftoff,
        }
    }

    async fn on_liftoff(&self, rocket: &Rocket<Orbit>) {
        let (Some(pool), Some(config)) = (
            rocket.state::<App>().map(|app| app.pool().clone()),
            rocket.state::<Config>().cloned(),
        ) else {
            tracing::error!("traffic roll-up not started: no pool or configuration");
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
                let pool = pool.clone();
                let raw_days = config.traffic_raw_days;
                let result = rocket::tokio::task::spawn_blocking(move || {
                    run_once(&pool, raw_days, clock::now())
                })
                .await;
                match result {
                    Ok(Ok(report)) if report.hours + report.days + report.pruned == 0 => {}
                    Ok(Ok(report)) => tracing::info!(
                        hours = report.hours,
                        days = report.days,
                        pruned = report.pruned,
                        "traffic rolled up"
                    ),
                    Ok(Err(error)) => {
                        tracing::error!(%error, "traffic roll-up failed; will try again")
                    }
                    Err(error) => tracing::error!(%error, "traffic roll-up stopped"),
                }
            }
        });
    }
}
