//! Runs the notice mail job in the background of the web server: every minute, so an outage
//! notice reaches its area's customers within a minute of being published (or of its scheduled
//! publication); renewal notices are mailed on the first pass of each day they are due. Several
//! instances may run it; each mail is still queued once (see `jobs::notices`).

use std::time::Duration;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::{Orbit, Rocket};

use super::mailing::Mailing;
use crate::app::App;
use crate::app::clock;
use crate::config::Config;
use crate::jobs::notices::run_once;

const RUN_EVERY: Duration = Duration::from_secs(60);
/// Lets the server answer its first requests before the first pass.
const FIRST_RUN_AFTER: Duration = Duration::from_secs(20);

pub struct NoticesWorker;

#[rocket::async_trait]
impl Fairing for NoticesWorker {
    fn info(&self) -> Info {
        Info {
            name: "Notice mail",
            kind: Kind::Liftoff,
        }
    }

    async fn on_liftoff(&self, rocket: &Rocket<Orbit>) {
        let (Some(app), Some(mailing), Some(config)) = (
            rocket.state::<App>().cloned(),
            rocket.state::<Mailing>().cloned(),
            rocket.state::<Config>().map(|c| c.notices),
        ) else {
            tracing::error!("notice mail not started: no pool or mail set-up");
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
                let pass = app.blocking_pass("notice mail", move |pool| {
                    run_once(
                        pool,
                        &mailing.outgoing(),
                        &config,
                        clock::today(),
                        clock::now(),
                    )
                });
                if let Some(report) = pass.await
                    && report.queued_any()
                {
                    tracing::info!(
                        renewal_mails = report.renewal_mails,
                        outages = report.outages,
                        outage_recipients = report.outage_recipients,
                        "notice mail"
                    );
                }
            }
        });
    }
}
