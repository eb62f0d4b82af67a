//! The application service: the one doorway through which a request (or any other caller that
//! serves people, such as a future JSON API) reaches the use cases.
//!
//! A call is built and awaited in one expression:
//!
//! ```text
//! let (me, page) = app
//!     .customer(&cookie)                   // who: a session token (or `visitor`, `staff`)
//!     .needs(Area::Invoices)               // what their role must open (optional)
//!     .run(move |conn, cx| invoices::list(conn, cx.customer_id(), &filter, cx.today))
//!     .await?;
//! ```
//!
//! The call takes the request's turn for a connection (first come, first served), checks one out
//! on the blocking pool, resumes the session from its token in the same trip (a signed-in page is
//! one trip, not two), checks the role, runs the use case (inside one write transaction when the
//! call says `.writes()`), and after the work is committed wakes the outbox sender when the use
//! case asked for the mail setup (`cx.mail()`) and the KSeF sender when it issued invoices
//! (`cx.invoices_issued()`). So no handler composes database work or remembers after-commit
//! effects. `run` turns a use-case error into a logged failure; `attempt` hands it back for the
//! caller to answer with a message.

mod outage;
mod password_slots;

pub use password_slots::PasswordSlots;

use crate::domain::CustomerId;
use std::cell::Cell;
use std::net::IpAddr;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use rocket::tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use serde_json::Value;

use crate::app::access::{self, Area};
use crate::app::api::{ApiClient, Scope};
use crate::app::audit::{self, Actor};
use crate::app::billing::{BillingError, BillingRunner};
use crate::app::clock;
use crate::app::crypto::{self, SecretBox};
use crate::app::invoicing::{Invoicing, PdfStore};
use crate::app::mail_queue::Outgoing;
use crate::app::news_board::NewsBoard;
use crate::app::online_payments::Gateway;
use crate::app::sessions::{self, ClientInfo, CustomerSession, StaffSession};
use crate::app::staff_roles::{self, Permission};
use crate::app::tickets::AttachmentStore;
use crate::config::Config;
use crate::db::{self, DbConn, Pool};
use crate::mail::MailTemplates;
use crate::pdf::PdfRenderer;

/// What mail use cases need to write a message: templates, the portal's address, the ISP's name.
pub struct MailSetup {
    pub templates: MailTemplates,
    pub public_url: String,
    pub isp_name: String,
}

/// Cheap to clone into a blocking closure.
#[derive(Clone)]
pub struct Mailing(pub Arc<MailSetup>);

impl Mailing {
    pub fn outgoing(&self) -> Outgoing<'_> {
        Outgoing {
            templates: &self.0.templates,
            public_url: &self.0.public_url,
            isp_name: &self.0.isp_name,
        }
    }
}

/// Tells a background sender that work was just committed, so it need not wait for its timer.
#[derive(Clone, Default)]
pub struct Signal(pub Arc<Notify>);

impl Signal {
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// What a background pass reports to the application service: whether it queued mail.
pub trait QueuesMail {
    fn queued_mail(&self) -> bool;
}

/// A pass that never mails.
impl QueuesMail for () {
    fn queued_mail(&self) -> bool {
        false
    }
}

/// A pass that reports only how many messages it queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailsQueued(pub usize);

impl QueuesMail for MailsQueued {
    fn queued_mail(&self) -> bool {
        self.0 > 0
    }
}

/// The outbox sender's wake-up.
pub type OutboxSignal = Signal;

/// Invoice PDFs: the renderer (fonts subset once) and where issued files live.
#[derive(Clone)]
pub struct Documents {
    pub renderer: Arc<PdfRenderer>,
    pub store: PdfStore,
}

/// Everything the use cases share, built once at start.
pub struct AppParts {
    pub pool: Pool,
    pub config: Config,
    pub mailing: Mailing,
    pub documents: Documents,
    pub attachments: AttachmentStore,
    /// PayU, when configured (one client: its OAuth token is shared by every request).
    pub gateway: Option<Gateway>,
}

struct Shared {
    pool: Pool,
    /// The database was found gone moments ago: requests are answered 503 at once.
    outage: outage::Outage,
    /// Requests take turns for the pool's connections in the order they asked, one turn per
    /// connection. r2d2 alone hands a returned connection to whichever thread takes the lock
    /// first, and a waiter that loses goes to the back of the line: with a PostgreSQL pool of 8
    /// under 32 concurrent dashboards, p99 was 672 ms without turns and 16 ms with them. Tokio's
    /// semaphore is first come, first served, and its waiters park no thread.
    turns: Arc<Semaphore>,
    passwords: PasswordSlots,
    outbox: Signal,
    ksef: Signal,
    config: Config,
    mailing: Mailing,
    documents: Documents,
    attachments: AttachmentStore,
    gateway: Option<Gateway>,
    news: NewsBoard,
    billing: BillingRunner,
}

/// The application service (Rocket state; clones share one).
#[derive(Clone)]
pub struct App(Arc<Shared>);

/// Why a call did not produce its value. The use case's own failures are in `Failed` (already
/// logged) or, for `attempt`, handed back as its value.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("the session has ended or never existed")]
    SignedOut,
    #[error("this login's role does not open it")]
    Forbidden,
    #[error("the service is shutting down")]
    Closing,
    /// The database does not answer (restarting, failing over, cut off): try again shortly.
    #[error("the database does not answer")]
    Unavailable,
    /// Too many calls wait to hash a password (a storm of logins): try again in a moment.
    #[error("too many passwords are being checked at once")]
    Busy,
    #[error("the work failed: {0}")]
    Failed(String),
}

impl App {
    pub fn new(parts: AppParts) -> App {
        let turns = Arc::new(Semaphore::new(parts.pool.max_size() as usize));
        let outbox = Signal::default();
        let billing = BillingRunner::new(
            parts.pool.clone(),
            parts.config.database.url.clone(),
            parts.documents.clone(),
            parts.mailing.clone(),
        )
        .waking(outbox.clone());
        App(Arc::new(Shared {
            pool: parts.pool,
            outage: outage::Outage::default(),
            turns,
            passwords: PasswordSlots::for_this_machine(),
            outbox,
            ksef: Signal::default(),
            config: parts.config,
            mailing: parts.mailing,
            documents: parts.documents,
            attachments: parts.attachments,
            gateway: parts.gateway,
            news: NewsBoard::default(),
            billing,
        }))
    }

    /// Starts a billing run for `period` on a thread of its own for the staff member signed in
    /// with `key` (who must be allowed to issue invoices); answers once the run is recorded
    /// (its id) or refused.
    pub async fn start_billing_run(
        &self,
        key: &SessionKey,
        period: String,
    ) -> Result<(StaffSession, Result<i64, BillingError>), Refusal> {
        let me = self
            .staff(key)
            .needs(Permission::IssueInvoices)
            .resume()
            .await?;
        let actor = Actor::staff(me.staff.id, key.client.ip.clone());
        let started = self.0.billing.start_in_background(period, actor).await;
        Ok((me, started))
    }

    /// One pass of a background job (dunning, reminders, expiries…) on the blocking pool. After
    /// the pass the outbox sender is woken if it queued mail, so no job can forget it; a failed
    /// pass is logged (the job tries again on its next turn) and gives `None`.
    pub async fn blocking_pass<R, E>(
        &self,
        job: &'static str,
        pass: impl FnOnce(&Pool) -> Result<R, E> + Send + 'static,
    ) -> Option<R>
    where
        R: QueuesMail + Send + 'static,
        E: std::fmt::Display + Send + 'static,
    {
        let pool = self.0.pool.clone();
        match rocket::tokio::task::spawn_blocking(move || pass(&pool)).await {
            Ok(result) => self.pass_done(job, result),
            Err(error) => {
                tracing::error!(%error, job, "background pass stopped");
                None
            }
        }
    }

    /// The same for a pass that talks to another service itself (PayU) and so is async.
    pub async fn async_pass<R, E>(
        &self,
        job: &'static str,
        pass: impl std::future::Future<Output = Result<R, E>>,
    ) -> Option<R>
    where
        R: QueuesMail,
        E: std::fmt::Display,
    {
        self.pass_done(job, pass.await)
    }

    fn pass_done<R: QueuesMail, E: std::fmt::Display>(
        &self,
        job: &'static str,
        result: Result<R, E>,
    ) -> Option<R> {
        match result {
            Ok(report) => {
                // The pass has returned, so what it queued is committed.
                if report.queued_mail() {
                    self.0.outbox.wake();
                }
                Some(report)
            }
            Err(error) => {
                tracing::error!(%error, job, "background pass failed; will try again");
                None
            }
        }
    }

    /// Work for someone not signed in (login, registration, links from mail).
    pub fn visitor(&self, client: &ClientInfo) -> Call<'_, Visitor> {
        self.call(Visitor, client.clone())
    }

    /// Work for the subscriber whose session token this is.
    pub fn customer(&self, key: &SessionKey) -> Call<'_, CustomerKey> {
        self.call(CustomerKey(key.token.clone()), key.client.clone())
    }

    /// Work for a JSON API call whose token `authenticate` accepted in this request.
    pub fn api(&self, client: &ApiClient, info: &ClientInfo) -> Call<'_, ApiCaller> {
        self.call(ApiCaller(client.clone()), info.clone())
    }

    /// Work for the staff member whose session token this is.
    pub fn staff(&self, key: &SessionKey) -> Call<'_, StaffKey> {
        self.call(StaffKey(key.token.clone()), key.client.clone())
    }

    fn call<W: Caller>(&self, who: W, client: ClientInfo) -> Call<'_, W> {
        Call {
            app: self,
            who,
            client,
            needs: None,
            writes: false,
            hashes: false,
        }
    }

    /// An argon2id hash of a new password, made off the async workers in a password slot and
    /// without holding a database connection.
    pub async fn hash_password(&self, password: String) -> Result<String, Refusal> {
        let _slot = self
            .0
            .passwords
            .0
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Refusal::Closing)?;
        rocket::tokio::task::spawn_blocking(move || crypto::hash_password(&password))
            .await
            .map_err(|e| failed(&e))?
            .map_err(|e| failed(&e))
    }

    /// Waited on by the outbox sender.
    pub fn outbox_signal(&self) -> Signal {
        self.0.outbox.clone()
    }

    /// Woken after a call issued invoices, for a KSeF sender that waits on it.
    pub fn ksef_signal(&self) -> Signal {
        self.0.ksef.clone()
    }

    /// The pool and the turns, for the background jobs and the guard of the pages not yet
    /// served through calls.
    pub fn pool(&self) -> &Pool {
        &self.0.pool
    }

    /// The pool as monitoring reports it.
    pub fn pool_figures(&self) -> crate::app::metrics::PoolFigures {
        let state = self.0.pool.state();
        crate::app::metrics::PoolFigures {
            connections: state.connections,
            idle: state.idle_connections,
            free_turns: self.0.turns.available_permits(),
        }
    }

    pub fn turns(&self) -> Arc<Semaphore> {
        self.0.turns.clone()
    }

    pub fn password_slots(&self) -> PasswordSlots {
        self.0.passwords.clone()
    }

    pub fn mailing(&self) -> Mailing {
        self.0.mailing.clone()
    }

    pub fn documents(&self) -> Documents {
        self.0.documents.clone()
    }

    /// PayU, when online payments are configured.
    pub fn gateway(&self) -> Option<&Gateway> {
        self.0.gateway.as_ref()
    }

    pub fn attachments(&self) -> AttachmentStore {
        self.0.attachments.clone()
    }

    pub fn news_board(&self) -> NewsBoard {
        self.0.news.clone()
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }
}

/// A session token from a cookie, with where the request came from.
#[derive(Debug, Clone)]
pub struct SessionKey {
    pub token: String,
    pub client: ClientInfo,
}

/// Who a call runs for: how their session is resumed and what their role opens.
pub trait Caller: Send + 'static {
    /// The signed-in person (or `()` for a visitor).
    type Me: Send + 'static;
    /// What a call may require of their role.
    type Right: Copy + Send + 'static;
    /// `None` when the session has ended.
    fn resume(self, conn: &mut DbConn, now: NaiveDateTime)
    -> diesel::QueryResult<Option<Self::Me>>;
    fn allows(me: &Self::Me, right: Self::Right) -> bool;
    fn actor(me: &Self::Me, ip: Option<String>) -> Actor;
}

pub struct Visitor;

impl Caller for Visitor {
    type Me = ();
    type Right = ();
    fn resume(self, _: &mut DbConn, _: NaiveDateTime) -> diesel::QueryResult<Option<()>> {
        Ok(Some(()))
    }
    fn allows(_: &(), _: ()) -> bool {
        true
    }
    fn actor(_: &(), ip: Option<String>) -> Actor {
        Actor::anonymous(ip)
    }
}

pub struct CustomerKey(String);

impl Caller for CustomerKey {
    type Me = CustomerSession;
    type Right = Area;
    fn resume(
        self,
        conn: &mut DbConn,
        now: NaiveDateTime,
    ) -> diesel::QueryResult<Option<CustomerSession>> {
        sessions::resume_customer(conn, &self.0, now)
    }
    fn allows(me: &CustomerSession, area: Area) -> bool {
        access::may(&me.account.role, area)
    }
    fn actor(me: &CustomerSession, ip: Option<String>) -> Actor {
        Actor::account(me.account.id, me.account.customer_id, ip)
    }
}

pub struct StaffKey(String);

impl Caller for StaffKey {
    type Me = StaffSession;
    type Right = Permission;
    fn resume(
        self,
        conn: &mut DbConn,
        now: NaiveDateTime,
    ) -> diesel::QueryResult<Option<StaffSession>> {
        sessions::resume_staff(conn, &self.0, now)
    }
    fn allows(me: &StaffSession, permission: Permission) -> bool {
        staff_roles::role_allows(&me.staff.role, permission)
    }
    fn actor(me: &StaffSession, ip: Option<String>) -> Actor {
        Actor::staff(me.staff.id, ip)
    }
}

/// A JSON API call: its token was checked (and counted) by `api::authenticate` at the start
/// of the request, so there is no session to resume; its scopes are its rights.
pub struct ApiCaller(ApiClient);

impl Caller for ApiCaller {
    type Me = ApiClient;
    type Right = Scope;
    fn resume(self, _: &mut DbConn, _: NaiveDateTime) -> diesel::QueryResult<Option<ApiClient>> {
        Ok(Some(self.0))
    }
    fn allows(me: &ApiClient, scope: Scope) -> bool {
        me.may(scope)
    }
    fn actor(me: &ApiClient, ip: Option<String>) -> Actor {
        Actor::api(&me.name, ip)
    }
}

/// One call being built; nothing happens until `run` or `attempt` is awaited.
#[must_use = "a call does nothing until it is run"]
pub struct Call<'a, W: Caller> {
    app: &'a App,
    who: W,
    client: ClientInfo,
    needs: Option<W::Right>,
    writes: bool,
    hashes: bool,
}

/// What a use case sees besides its connection: who, when, from where, and the shared services.
pub struct Cx<'a, M> {
    /// The signed-in person the session resumed to.
    pub me: &'a M,
    pub now: NaiveDateTime,
    /// The date in Poland (invoices, notices, due dates).
    pub today: NaiveDate,
    pub client: &'a ClientInfo,
    shared: &'a Shared,
    actor: fn(&M, Option<String>) -> Actor,
    wake_outbox: Cell<bool>,
    wake_ksef: Cell<bool>,
}

impl<'a, M> Cx<'a, M> {
    /// Who acts, for the audit trail.
    pub fn actor(&self) -> Actor {
        (self.actor)(self.me, self.client.ip.clone())
    }

    pub fn ip(&self) -> Option<IpAddr> {
        self.client.ip.as_deref().and_then(|ip| ip.parse().ok())
    }

    /// Records an audit entry by this call's actor, in the caller's transaction.
    pub fn audit(
        &self,
        conn: &mut DbConn,
        action: &str,
        details: Value,
    ) -> diesel::QueryResult<()> {
        audit::record(conn, &self.actor(), action, details, self.now)
    }

    /// The mail setup for a use case that may queue mail; the outbox sender is woken after the
    /// call's work is committed.
    pub fn mail(&self) -> Outgoing<'a> {
        self.wake_outbox.set(true);
        self.shared.mailing.outgoing()
    }

    /// What a use case that issues invoices needs (renderer, file store, mail setup); the
    /// outbox and the KSeF sender are woken after the call's work is committed.
    pub fn invoicing(&self) -> Invoicing<'a> {
        self.invoices_issued();
        Invoicing {
            renderer: &self.shared.documents.renderer,
            store: &self.shared.documents.store,
            outgoing: Some(self.mail()),
        }
    }

    /// Says that the call issued invoices: the KSeF sender is woken after commit.
    pub fn invoices_issued(&self) {
        self.wake_ksef.set(true);
    }

    pub fn config(&self) -> &'a Config {
        &self.shared.config
    }

    pub fn secrets(&self) -> &'a SecretBox {
        &self.shared.config.security.secrets
    }

    pub fn documents(&self) -> &'a Documents {
        &self.shared.documents
    }

    pub fn attachments(&self) -> &'a AttachmentStore {
        &self.shared.attachments
    }

    pub fn news_board(&self) -> &'a NewsBoard {
        &self.shared.news
    }
}

impl Cx<'_, CustomerSession> {
    pub fn customer_id(&self) -> CustomerId {
        self.me.account.customer_id
    }
}

/// A use case's own error, or the database's failing under the call's transaction.
enum InTransaction<E> {
    Database(diesel::result::Error),
    UseCase(E),
}

impl<E> From<diesel::result::Error> for InTransaction<E> {
    fn from(error: diesel::result::Error) -> Self {
        InTransaction::Database(error)
    }
}

/// What the blocking part hands back: who, the use case's result, which senders to wake.
struct Ran<M, R> {
    me: M,
    value: R,
    wake_outbox: bool,
    wake_ksef: bool,
}

impl<'a, W: Caller> Call<'a, W> {
    /// The role must open this (an area of the portal, a staff permission); otherwise the call
    /// is refused with `Forbidden` before the use case runs.
    pub fn needs(mut self, right: W::Right) -> Self {
        self.needs = Some(right);
        self
    }

    /// The use case runs inside one write transaction (`BEGIN IMMEDIATE` on SQLite), committed
    /// when it succeeds and rolled back when it fails.
    pub fn writes(mut self) -> Self {
        self.writes = true;
        self
    }

    /// The use case hashes or verifies a password: it waits for a password slot first.
    pub fn hashes_password(mut self) -> Self {
        self.hashes = true;
        self
    }

    /// Only who the session belongs to, for a page that needs nothing else from the database.
    pub async fn resume(self) -> Result<W::Me, Refusal> {
        let (me, ()) = self
            .run(|_, _| Ok::<_, std::convert::Infallible>(()))
            .await?;
        Ok(me)
    }

    /// Runs `work`; its error is logged and becomes `Refusal::Failed`.
    pub async fn run<R, E, F>(self, work: F) -> Result<(W::Me, R), Refusal>
    where
        F: FnOnce(&mut DbConn, &Cx<'_, W::Me>) -> Result<R, E> + Send + 'static,
        R: Send + 'static,
        E: std::fmt::Display + Send + 'static,
    {
        let span = request_span(&self.client);
        let (me, result) = self.attempt(work).await?;
        match result {
            Ok(value) => Ok((me, value)),
            Err(error) => Err(span.in_scope(|| failed(&error))),
        }
    }

    /// Runs `work` and hands back its own result, error included, for the caller to answer.
    pub async fn attempt<R, E, F>(self, work: F) -> Result<(W::Me, Result<R, E>), Refusal>
    where
        F: FnOnce(&mut DbConn, &Cx<'_, W::Me>) -> Result<R, E> + Send + 'static,
        R: Send + 'static,
        E: Send + 'static,
    {
        let Call {
            app,
            who,
            client,
            needs,
            writes,
            hashes,
        } = self;
        let shared = app.0.clone();
        let _password: Option<OwnedSemaphorePermit> = if hashes {
            Some(shared.passwords.take().await?)
        } else {
            None
        };
        if shared.outage.ongoing() {
            return Err(Refusal::Unavailable);
        }
        let turn = shared
            .turns
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Refusal::Closing)?;
        let blocking = shared.clone();
        let span = request_span(&client);
        let ran = rocket::tokio::task::spawn_blocking(move || {
            let _in_request = span.enter();
            // Declared first, dropped last: the connection is back in the pool before the next
            // request's turn begins.
            let _turn = turn;
            let shared = blocking;
            let mut conn = shared
                .pool
                .get_timeout(CHECKOUT_WAIT)
                .map_err(|e| shared.no_connection(&e))?;
            let now = clock::now();
            let me = who
                .resume(&mut conn, now)
                .map_err(|e| shared.failure(&mut conn, &e))?
                .ok_or(Refusal::SignedOut)?;
            if let Some(right) = needs
                && !W::allows(&me, right)
            {
                return Err(Refusal::Forbidden);
            }
            let cx = Cx {
                me: &me,
                now,
                today: clock::today(),
                client: &client,
                shared: &shared,
                actor: W::actor,
                wake_outbox: Cell::new(false),
                wake_ksef: Cell::new(false),
            };
            let value = if writes {
                match db::write_transaction(&mut conn, |conn| {
                    work(conn, &cx).map_err(InTransaction::UseCase)
                }) {
                    Ok(value) => Ok(value),
                    Err(InTransaction::UseCase(error)) => Err(error),
                    Err(InTransaction::Database(error)) => {
                        return Err(shared.failure(&mut conn, &error));
                    }
                }
            } else {
                work(&mut conn, &cx)
            };
            // A use case that failed because the server went away mid-call: not its own
            // failure, and nothing of it was committed.
            if value.is_err() && db::lost_its_server(&mut conn) {
                return Err(shared.database_gone(&"the connection lost its server"));
            }
            let (wake_outbox, wake_ksef) = (cx.wake_outbox.get(), cx.wake_ksef.get());
            Ok(Ran {
                me,
                value,
                wake_outbox,
                wake_ksef,
            })
        })
        .await
        .map_err(|e| failed(&e))??;
        // After commit: a sender woken earlier could look before the rows are visible.
        if ran.wake_outbox {
            shared.outbox.wake();
        }
        if ran.wake_ksef {
            shared.ksef.wake();
        }
        Ok((ran.me, ran.value))
    }
}

/// How long a request waits for a pooled connection. Requests take turns for connections, so
/// one is normally free at once; a longer wait means the database cannot be reached (a new
/// connection is refused or times out), and the visitor is better told so than kept waiting.
const CHECKOUT_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

impl Shared {
    /// No connection within the wait: an outage when the pool could not reach the server;
    /// otherwise every connection was busy (background jobs hold some too), and this one
    /// visitor is asked to try again.
    fn no_connection(&self, error: &diesel::r2d2::PoolError) -> Refusal {
        if db::checkout_reached_no_server(error) {
            self.database_gone(error)
        } else {
            tracing::warn!(%error, "no free database connection; answering 503");
            Refusal::Unavailable
        }
    }

    /// The connection in hand lost its server, or none could be made: an outage begins.
    fn database_gone(&self, error: &dyn std::fmt::Display) -> Refusal {
        tracing::warn!(%error, "the database does not answer; answering 503 for a moment");
        self.outage.begin();
        Refusal::Unavailable
    }

    /// A database error during the call: the outage when the connection lost its server,
    /// otherwise a failure of ours.
    fn failure(&self, conn: &mut DbConn, error: &dyn std::fmt::Display) -> Refusal {
        if db::lost_its_server(conn) {
            self.database_gone(error)
        } else {
            failed(error)
        }
    }
}

/// The use case's log lines carry the web request's id (`request{id=…}`).
fn request_span(client: &ClientInfo) -> tracing::Span {
    tracing::info_span!("request", id = client.request_id.as_deref().unwrap_or("-"))
}

fn failed(error: &dyn std::fmt::Display) -> Refusal {
    tracing::error!(%error, "request failed");
    Refusal::Failed(error.to_string())
}
