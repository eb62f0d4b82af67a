//! The one way a billing run is started, for the command line and the staff panel alike: the
//! run is recorded (or refused) under the period's lock, then executed chunk by chunk with its
//! invoices' PDFs and mail, and the outbox sender is woken when it ends.

use rocket::tokio::sync::oneshot;

use super::{BillingError, RunReport, RunTotals, Source, execute_run, run_view, start_run};
use crate::app::audit::Actor;
use crate::app::clock;
use crate::app::invoicing::Invoicing;
use crate::app::service::{Documents, Mailing, Signal};
use crate::db::{DatabaseUrl, DbConn, Pool};

/// What a run needs besides its period, all cheap to clone.
#[derive(Clone)]
pub struct BillingRunner {
    pool: Pool,
    database: DatabaseUrl,
    documents: Documents,
    mailing: Mailing,
    /// Woken when a run ends, so its mail goes out without waiting for the sender's timer.
    outbox: Option<Signal>,
}

/// What a caller watching a run in its own thread is told.
pub trait RunWatch {
    /// The run is recorded: its id and how many customers it will go through.
    fn started(&self, run_id: i64, customers_total: i64);
    /// After every chunk.
    fn progress(&self, totals: &RunTotals);
}

/// Watches nothing (the panel reads progress from the run's record).
struct Unwatched;

impl RunWatch for Unwatched {
    fn started(&self, _: i64, _: i64) {}
    fn progress(&self, _: &RunTotals) {}
}

impl BillingRunner {
    pub fn new(
        pool: Pool,
        database: DatabaseUrl,
        documents: Documents,
        mailing: Mailing,
    ) -> BillingRunner {
        BillingRunner {
            pool,
            database,
            documents,
            mailing,
            outbox: None,
        }
    }

    /// Wakes this outbox sender when a run ends.
    pub fn waking(mut self, outbox: Signal) -> BillingRunner {
        self.outbox = Some(outbox);
        self
    }

    /// Records the run and executes it in the calling thread, telling `watch` as it goes. The
    /// thread keeps one connection and the period's lock from start to end.
    pub fn run(
        &self,
        period: &str,
        source: Source,
        actor: &Actor,
        chunk_customers: i64,
        watch: &dyn RunWatch,
    ) -> Result<RunReport, BillingError> {
        let mut conn = self
            .pool
            .get()
            .map_err(|error| BillingError::NoConnection(error.to_string()))?;
        self.run_on(
            &mut conn,
            period,
            source,
            actor,
            chunk_customers,
            watch,
            &|_| {},
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn run_on(
        &self,
        conn: &mut DbConn,
        period: &str,
        source: Source,
        actor: &Actor,
        chunk_customers: i64,
        watch: &dyn RunWatch,
        recorded: &dyn Fn(i64),
    ) -> Result<RunReport, BillingError> {
        let started = start_run(
            conn,
            &self.database,
            period,
            clock::today(),
            source,
            actor,
            clock::now(),
        )?;
        recorded(started.id);
        let total = run_view(conn, started.id, clock::now())?
            .map(|run| run.customers_total)
            .unwrap_or(0);
        watch.started(started.id, total);
        let invoicing = Invoicing {
            renderer: self.documents.renderer.as_ref(),
            store: &self.documents.store,
            outgoing: Some(self.mailing.outgoing()),
        };
        let report = execute_run(
            conn,
            &invoicing,
            started,
            actor,
            chunk_customers,
            &|totals| watch.progress(totals),
        );
        if let Some(outbox) = &self.outbox {
            outbox.wake();
        }
        report
    }

    /// Starts a run on a thread of its own (it outlives the request that asked for it) and
    /// answers as soon as the run is recorded, with its id, or refused. A failure later is
    /// recorded on the run and logged by the run itself.
    pub async fn start_in_background(
        &self,
        period: String,
        actor: Actor,
    ) -> Result<i64, BillingError> {
        let (recorded_tx, recorded_rx) = oneshot::channel::<Result<i64, BillingError>>();
        let runner = self.clone();
        let spawned = std::thread::Builder::new()
            .name("billing-run".into())
            .spawn(move || {
                // Taken by the first (and only) call of `recorded`.
                let reply = std::sync::Mutex::new(Some(recorded_tx));
                let answer = |result: Result<i64, BillingError>| {
                    if let Some(tx) = reply.lock().ok().and_then(|mut tx| tx.take()) {
                        let _ = tx.send(result);
                    }
                };
                let mut conn = match runner.pool.get() {
                    Ok(conn) => conn,
                    Err(error) => {
                        answer(Err(BillingError::NoConnection(error.to_string())));
                        return;
                    }
                };
                let finished = runner.run_on(
                    &mut conn,
                    &period,
                    Source::Panel,
                    &actor,
                    super::CHUNK_CUSTOMERS,
                    &Unwatched,
                    &|id| answer(Ok(id)),
                );
                // Reaches the caller only when the run was refused before it was recorded;
                // a later failure is on the run's record.
                if let Err(error) = finished {
                    answer(Err(error));
                }
            });
        if let Err(error) = spawned {
            return Err(BillingError::NoConnection(error.to_string()));
        }
        recorded_rx
            .await
            .unwrap_or_else(|_| Err(BillingError::NoRun))
    }
}
