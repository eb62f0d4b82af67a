//! Runs the KSeF sender in the background of the web server: every few seconds it sends what is
//! queued and asks KSeF about what it sent. Where to send is read each pass (`EBOK_KSEF_*` when
//! set, else the seller's KSeF settings in the panel). Safe with several instances (see
//! `jobs::ksef`).

use std::time::Duration;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::{Orbit, Rocket};

use crate::app::App;
use crate::app::clock;
use crate::app::crypto::SecretBox;
use crate::app::invoicing::PdfStore;
use crate::app::ksef::settings::EnvSettings;
use crate::jobs::ksef::Sender;

const POLL_EVERY: Duration = Duration::from_secs(5);

/// What the sender needs besides the database.
#[derive(Clone)]
pub struct KsefWorker {
    pub secrets: SecretBox,
    /// `EBOK_KSEF_*` as the process was started with; they win over the panel.
    pub env: Option<EnvSettings>,
    /// The local KSeF server this process runs (`ebok demo`).
    pub local_url: Option<String>,
    pub invoices: PdfStore,
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
        let Some(pool) = rocket.state::<App>().map(|app| app.pool().clone()) else {
            tracing::error!("KSeF sender not started: no pool");
            return;
        };
        let mut sender = Sender::new(
            self.secrets.clone(),
            self.env.clone(),
            self.local_url.clone(),
            self.invoices.clone(),
        );
        let mut shutdown = rocket.shutdown();
        rocket::tokio::spawn(async move {
            let mut last_problem: Option<String> = None;
            loop {
                match sender.pass(&pool, clock::now()).await {
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
