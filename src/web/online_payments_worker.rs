//! Online payments' place in the running portal: the PayU gateway built from `EBOK_PAYU_*`
//! (one client in the application service, so its OAuth token is shared by every request),
//! and every minute in the background the expiry job that cancels orders unpaid after two hours and records top-up
//! credit that lapsed, the catalogue orders left unpaid (`app::orders::expiry`), and order
//! refunds still to hand to PayU (`app::online_payments::refunds::send_due`), and the
//! recurring card charges due (`jobs::recurring`).

use std::time::Duration;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::{Orbit, Rocket};

use super::mailing::Mailing;
use crate::app::App;
use crate::app::clock;
use crate::app::online_payments::Gateway;
use crate::app::online_payments::expiry::expire_due;
use crate::config::Config;

const EXPIRE_EVERY: Duration = Duration::from_secs(60);

/// PayU's client, when `EBOK_PAYU_*` configure it and it can be built (else online payments
/// are off, and the pages say so).
pub fn gateway(config: &Config) -> Option<Gateway> {
    let payu = config.payu.as_ref()?;
    Gateway::from_config(payu, &config.web.public_url)
        .inspect_err(|error| tracing::error!(%error, "online payments are off"))
        .ok()
}

/// Attach to the portal: runs the expiry job.
pub struct OnlinePayments;

#[rocket::async_trait]
impl Fairing for OnlinePayments {
    fn info(&self) -> Info {
        Info {
            name: "Online payments (PayU)",
            kind: Kind::Liftoff,
        }
    }

    async fn on_liftoff(&self, rocket: &Rocket<Orbit>) {
        // Tests run the job themselves with a clock they control, as they deliver the outbox.
        let runs_jobs = rocket
            .state::<Config>()
            .is_some_and(|config| config.mail.run_sender);
        let (Some(app), Some(mailing), true) = (
            rocket.state::<App>().cloned(),
            rocket.state::<Mailing>().cloned(),
            runs_jobs,
        ) else {
            return;
        };
        let gateway = app.gateway().cloned();
        // Automatic card payments: the periods due today are invoiced and charged (idempotent,
        // so every minute and every instance is fine).
        let recurring = crate::app::recurring::charge::ChargeContext {
            documents: app.documents(),
            mailing: Some(app.mailing()),
            settings: crate::app::recurring::Settings::from_env(),
        };
        let mut shutdown = rocket.shutdown();
        rocket::tokio::spawn(async move {
            loop {
                let pool = app.pool().clone();
                let expired = expire_due(&pool, gateway.as_ref(), mailing.outgoing(), clock::now());
                if let Some(report) = app.async_pass("online payment expiry", expired).await
                    && report.cancelled > 0
                {
                    tracing::info!(cancelled = report.cancelled, "expired online payments");
                }
                // Orders whose payments were just cancelled at PayU are cancelled here, mailed once.
                let orders_mailing = mailing.clone();
                let orders = app.blocking_pass("order expiry", move |pool| {
                    let mut conn = pool.get().map_err(|e| e.to_string())?;
                    crate::app::orders::expiry::expire_due(
                        &mut conn,
                        orders_mailing.outgoing(),
                        clock::now(),
                    )
                    .map_err(|e| e.to_string())
                });
                if let Some(report) = orders.await
                    && report.cancelled > 0
                {
                    tracing::info!(cancelled = report.cancelled, "expired unpaid orders");
                }
                app.blocking_pass("lapsed top-up credit", |pool| {
                    let mut conn = pool.get().map_err(|e| e.to_string())?;
                    crate::app::credit::expire_due(&mut conn, clock::today(), clock::now(), 500)
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                })
                .await;
                // Refunds through PayU that could not reach PayU when they were made.
                if let Some(gateway) = &gateway {
                    crate::app::online_payments::refunds::send_due(
                        &pool,
                        &gateway.client,
                        clock::now(),
                    )
                    .await;
                }
                if let Some(gateway) = gateway.as_ref() {
                    let charges = crate::jobs::recurring::run_once(
                        &pool,
                        gateway,
                        &recurring,
                        clock::today(),
                        clock::now(),
                    );
                    if let Some(report) = app.async_pass("recurring card charges", charges).await
                        && report != Default::default()
                    {
                        tracing::info!(?report, "recurring card charges");
                    }
                }
                rocket::tokio::select! {
                    _ = rocket::tokio::time::sleep(EXPIRE_EVERY) => {}
                    _ = &mut shutdown => break,
                }
            }
        });
    }
}
