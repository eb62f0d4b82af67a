//! Runs the KSeF sender in the background of the web server: every few seconds it sends what is
//! queued and asks KSeF about what it sent. Safe with several instances (see `jobs::ksef`).

use std::time::Duration;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::{Orbit, Rocket};

use crate::app::clock;
use crate::db::Pool;
use crate::jobs::ksef::{KsefTarget, send_due};
use crate::ksef::client::KsefClient;

const POLL_EVERY: Duration = Duration::from_secs(5);

/// Where the sender sends: a KSeF API base URL and the seller's KSeF token.
#[derive(Clone)]
pub struct KsefWorker {
    pub base_url: String,
    pub token: String,
    pub environment: String,
}

#[rocket::async_trait]
impl Fairing for KsefWorker {
    fn info(&self) -> Info {
        Info {
            name: "KSeF sender",
            kind: Kind::Liftoff,
        }
    }

    async fn on_liftoff(&self, rocket: &Rocket<Orbit>) {
        let Some(pool) = rocket.state::<Pool>().cloned() else {
            tracing::error!("KSeF sender not started: no pool");
            return;
        };
        let client = match KsefClient::new(&self.base_url, Duration::from_secs(30)) {
            Ok(client) => client,
            Err(error) => {
                tracing::error!(%error, "KSeF sender not started");
                return;
            }
        };
        let target = KsefTarget {
            client,
            token: self.token.clone(),
            environment: self.environment.clone(),
        };
        let mut shutdown = rocket.shutdown();
        rocket::tokio::spawn(async move {
            let mut last_problem: Option<String> = None;
            loop {
                match send_due(&pool, &target, clock::now()).await {
                    Ok(report) => {
                        if report.sent + report.accepted + report.rejected > 0 {
                            tracing::info!(
                                sent = report.sent,
                                accepted = report.accepted,
                                rejected = report.rejected,
                                waiting = report.waiting,
                                "KSeF"
                            );
                        }
                        // One line per change of trouble, not one every few seconds.
                        if report.problem != last_problem {
                            if let Some(problem) = &report.problem {
                                tracing::warn!(%problem, "KSeF: invoices stay queued");
                            }
                            last_problem = report.problem;
                        }
                    }
                    Err(error) => tracing::error!(%error, "KSeF sender failed; will try again"),
                }
                rocket::tokio::select! {
                    _ = rocket::tokio::time::sleep(POLL_EVERY) => {}
                    _ = &mut shutdown => break,
                }
            }
        });
    }
}
