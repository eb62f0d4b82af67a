//! `/staff/rozliczenia`: billing runs for staff who issue invoices. Start a run for a period
//! (it works on a thread of its own), watch its progress, read past runs' summaries.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::tokio::sync::oneshot;
use rocket::{Either, Route, State, get, post, routes};

use crate::app::audit::Actor;
use crate::app::billing::{self, BillingError, Source};
use crate::app::clock;
use crate::app::invoicing::Invoicing;
use crate::app::staff_roles::Permission;
use crate::config::Config;
use crate::db::Pool;
use crate::domain::billing::BillingPeriod;
use crate::i18n::{self, Lang};
use crate::web::client_ip::ClientIp;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::mailing::{Mailing, OutboxSignal};
use crate::web::page::Layout;
use crate::web::session::CurrentStaff;
use crate::web::{Db, Documents, server_error};

pub fn routes() -> Vec<Route> {
    routes![list, start, show]
}

#[derive(Debug, FromForm)]
pub struct RunFields {
    #[field(default = String::new())]
    period: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for RunFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// The refusal as staff read it; None for failures that are the server's, not theirs.
fn refusal(lang: Lang, error: &BillingError) -> Option<String> {
    let key = match error {
        BillingError::Period(_) => "billing-error-period",
        BillingError::TooFarAhead(_) => "billing-error-too-far-ahead",
        BillingError::AlreadyRunning => "billing-error-already-running",
        BillingError::NoSeller => "billing-error-no-seller",
        BillingError::NoSeries(_) | BillingError::Numbering(_) => "billing-error-no-series",
        _ => return None,
    };
    Some(i18n::text(lang, key))
}

async fn page(
    db: &Db,
    layout: Layout,
    error: Option<String>,
    period: Option<String>,
) -> Result<Template, Status> {
    // The usual run is next month's, a few days before it starts.
    let this_month = BillingPeriod::containing(clock::today());
    let period = period.unwrap_or_else(|| this_month.next().key());
    let shown = [this_month.key(), this_month.next().key()];
    let (runs, invoiced) = db
        .query(move |conn| {
            let runs = billing::runs_overview(conn, clock::now())?;
            let invoiced = shown
                .iter()
                .map(|p| billing::invoiced_summary(conn, p))
                .collect::<diesel::QueryResult<Vec<_>>>()?;
            Ok::<_, diesel::result::Error>((runs, invoiced))
        })
        .await?;
    Ok(Template::render(
        "staff/billing_runs",
        context! { layout, runs, error, period, invoiced },
    ))
}

#[get("/staff/rozliczenia")]
async fn list(staff: CurrentStaff, layout: Layout, db: Db) -> Result<Template, Status> {
    staff.require(Permission::IssueInvoices)?;
    page(&db, layout, None, None).await
}

/// What the run's thread needs, all cheap to clone.
struct Launch {
    pool: Pool,
    config: Config,
    documents: Documents,
    mailing: Mailing,
    signal: OutboxSignal,
}

impl Launch {
    /// Starts the run on a thread of its own (it outlives the request) and answers as soon as
    /// the run is recorded or refused. The thread keeps one connection and the period's lock
    /// from start to end.
    async fn start(
        self,
        period: String,
        actor: Actor,
    ) -> Result<Result<i64, BillingError>, Status> {
        let (started_tx, started_rx) = oneshot::channel();
        let spawned = std::thread::Builder::new()
            .name("billing-run".into())
            .spawn(move || {
                let mut conn = match self.pool.get() {
                    Ok(conn) => conn,
                    Err(error) => {
                        let _ = started_tx.send(Err(BillingError::NoConnection(error.to_string())));
                        return;
                    }
                };
                let started = billing::start_run(
                    &mut conn,
                    &self.config.database.url,
                    &period,
                    clock::today(),
                    Source::Panel,
                    &actor,
                    clock::now(),
                );
                let started = match started {
                    Ok(started) => {
                        let _ = started_tx.send(Ok(started.id));
                        started
                    }
                    Err(error) => {
                        let _ = started_tx.send(Err(error));
                        return;
                    }
                };
                let invoicing = Invoicing {
                    renderer: self.documents.renderer.as_ref(),
                    store: &self.documents.store,
                    outgoing: Some(self.mailing.outgoing()),
                };
                // A failure is recorded on the run (and logged) by execute_run itself.
                let _ = billing::execute_run(
                    &mut conn,
                    &invoicing,
                    started,
                    &actor,
                    billing::CHUNK_CUSTOMERS,
                    &|_| {},
                );
                self.signal.wake();
            });
        if let Err(error) = spawned {
            return Err(server_error(&error));
        }
        started_rx.await.map_err(|e| server_error(&e))
    }
}

#[allow(clippy::too_many_arguments)]
#[post("/staff/rozliczenia", data = "<form>")]
async fn start(
    form: Protected<RunFields>,
    staff: CurrentStaff,
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
    pool: &State<Pool>,
    config: &State<Config>,
    documents: &State<Documents>,
    mailing: &State<Mailing>,
    signal: &State<OutboxSignal>,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    staff.require(Permission::IssueInvoices)?;
    let actor = Actor::staff(staff.staff.id, ip.0.map(|ip| ip.to_string()));
    let launch = Launch {
        pool: pool.inner().clone(),
        config: config.inner().clone(),
        documents: documents.inner().clone(),
        mailing: mailing.inner().clone(),
        signal: signal.inner().clone(),
    };
    let period = form.period.trim().to_owned();
    match launch.start(period.clone(), actor).await? {
        Ok(id) => Ok(Either::Left(Flash::success(
            Redirect::to(format!("/staff/rozliczenia/{id}")),
            i18n::text(lang, "billing-started"),
        ))),
        Err(error) => match refusal(lang, &error) {
            Some(message) => Ok(Either::Right((
                Status::UnprocessableEntity,
                page(&db, layout, Some(message), Some(period)).await?,
            ))),
            None => Err(server_error(&error)),
        },
    }
}

#[get("/staff/rozliczenia/<id>")]
async fn show(id: i64, staff: CurrentStaff, layout: Layout, db: Db) -> Result<Template, Status> {
    staff.require(Permission::IssueInvoices)?;
    let run = db
        .query(move |conn| billing::run_view(conn, id, clock::now()))
        .await?
        .ok_or(Status::NotFound)?;
    Ok(Template::render(
        "staff/billing_run",
        context! { layout, run },
    ))
}
