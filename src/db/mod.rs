//! The database room: connection and pool, embedded migrations, `schema.rs`, row structs, and one
//! module per aggregate with its queries. The only room that writes SQL or Diesel DSL.
//!
//! One binary serves both backends through Diesel's `MultiConnection`. The backend is chosen by the
//! URL scheme in [`DatabaseUrl::parse`], never by guessing, so a typo in a PostgreSQL URL cannot
//! silently create a SQLite file.
//!
//! A row looked up by a unique key is read with `get_result`, not `first`: `first` adds
//! `LIMIT ?`, and SQLite (since 3.46) re-prepares a statement whose LIMIT is a bound parameter
//! every time the parameter is bound, so each lookup would parse its SQL again (a tenth of the
//! dashboard's time before this rule). `limit` stays where it caps a list.

/// Runs a query on the concrete connection inside a [`DbConn`]: `concrete!(conn, |c| query(c))`
/// expands to a `match` whose arms bind `c` to the SQLite and to the PostgreSQL connection.
/// Defined before the modules below, so they all see it without an import.
///
/// Through `MultiConnection` every execution writes the statement's SQL again, because the
/// prepared-statement cache then keys on the SQL text; on a concrete connection a query of fixed
/// shape is found by its type. Used for the reads every signed-in page or the dashboard makes,
/// where writing SQL was a quarter of the database time; elsewhere the plain form reads better.
macro_rules! concrete {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Sqlite($c) => $body,
            $crate::db::DbConn::Pg($c) => $body,
        }
    };
}

/// Inserts `rows` into `table` in multi-row statements of [`ROWS_PER_INSERT`] rows through the
/// concrete connection: `MultiConnection` cannot build a multi-row INSERT (its backend declares no
/// batch-insert dialect), and one statement per row is most of a bulk load's time on PostgreSQL.
/// `insert_batches!(conn, table, rows)` is the number of rows inserted;
/// `insert_batches!(conn, table, rows, returning (columns))` the returned tuples in one `Vec`.
/// A failed statement returns its error with `?` from the enclosing function.
macro_rules! insert_batches {
    ($conn:expr, $table:expr, $rows:expr) => {{
        let mut inserted = 0usize;
        for part in $rows.chunks($crate::db::ROWS_PER_INSERT) {
            inserted += concrete!(&mut *$conn, |c| diesel::insert_into($table)
                .values(part)
                .execute(c))?;
        }
        inserted
    }};
    ($conn:expr, $table:expr, $rows:expr, returning $columns:expr) => {{
        let mut returned = Vec::with_capacity($rows.len());
        for part in $rows.chunks($crate::db::ROWS_PER_INSERT) {
            let mut rows = concrete!(&mut *$conn, |c| diesel::insert_into($table)
                .values(part)
                .returning($columns)
                .get_results(c))?;
            returned.append(&mut rows);
        }
        returned
    }};
}

/// Rows per multi-row INSERT: SQLite binds at most 32 766 values per statement and the widest
/// row inserted in bulk (an invoice) has 38 columns.
pub const ROWS_PER_INSERT: usize = 200;

pub mod accounts;
pub mod api;
pub mod audit;
pub mod backup;
pub mod bank_import;
pub mod billing;
pub mod canned_responses;
pub mod change_requests;
pub mod consents;
pub mod contracts;
pub mod customers;
pub mod discounts;
pub mod domains;
pub mod dunning;
pub mod interest_notes;
pub mod invoices;
pub mod ksef;
pub mod mailing_list;
pub mod metrics;
pub mod network_records;
pub mod news;
pub mod notice_mails;
pub mod offline_migrations;
pub mod online_payments;
pub mod orders;
pub mod outbox;
pub mod payments;
mod pg_liveness;
pub mod rate_limits;
pub mod recovery_codes;
pub mod recurring;
pub mod refunds;
pub mod run_lock;
pub mod schema;
pub mod seller;
pub mod services;
pub mod sessions;
pub mod staff;
pub mod subscription_periods;
pub mod tariffs;
pub mod ticket_attachments;
pub mod tickets;
pub mod tokens;
pub mod top_ups;
pub mod traffic;
pub mod typed;
pub mod visits;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

/// A connection to whichever backend the configuration chose.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Sqlite(diesel::SqliteConnection),
    Pg(diesel::PgConnection),
}

pub type Pool = r2d2::Pool<DbManager>;
pub type PooledConn = r2d2::PooledConnection<DbManager>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// SQLite needs these on every connection: the busy timeout first, so the others (and every
/// later statement) wait for a lock instead of failing; foreign keys are off by default.
///
/// `mmap_size` lets reads come straight from the operating system's page cache through a
/// mapping instead of a `pread` and a copy per page: the dashboard's queries touch a few dozen
/// pages, and at 100 000 customers it served 9 % more requests per second. SQLite maps the file
/// for reading only (writes still go through `write`); the known cost is that an I/O error on
/// the file arrives as SIGBUS rather than as an error (sqlite.org/mmap.html), acceptable for a
/// database on the server's own disk. Past 1 GiB the rest of the file is read as before.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; \
     PRAGMA synchronous = NORMAL; PRAGMA mmap_size = 1073741824;";
/// WAL lets readers work while one writer commits. It is a property of the database file, set
/// once when it is opened, not by every pooled connection (which would fight over the lock).
const SQLITE_WAL: &str = "PRAGMA journal_mode = WAL;";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

impl DbConn {
    pub fn backend(&self) -> Backend {
        match self {
            DbConn::Sqlite(_) => Backend::Sqlite,
            DbConn::Pg(_) => Backend::Postgres,
        }
    }
}

/// A database location as the operator wrote it, checked for a scheme we know.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DatabaseUrlError {
    #[error("the database URL is empty")]
    Empty,
    #[error(
        "the database URL has the unknown scheme \"{0}\"; use sqlite://PATH or postgres://USER@HOST/DB"
    )]
    UnknownScheme(String),
}

impl DatabaseUrl {
    /// `postgres://…` / `postgresql://…` select PostgreSQL; `sqlite://PATH`, `sqlite:PATH` or a bare
    /// file path select SQLite. Any other `scheme://` is refused.
    pub fn parse(raw: &str) -> Result<DatabaseUrl, DatabaseUrlError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(DatabaseUrlError::Empty);
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(raw.to_owned()));
        }
        if let Some(path) = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err(DatabaseUrlError::Empty);
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if let Some((scheme, _)) = raw.split_once("://") {
            return Err(DatabaseUrlError::UnknownScheme(scheme.to_owned()));
        }
        Ok(DatabaseUrl::Sqlite(PathBuf::from(raw)))
    }

    pub fn sqlite_file(path: &Path) -> DatabaseUrl {
        DatabaseUrl::Sqlite(path.to_path_buf())
    }

    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }
}

/// Printing a URL must never print its password.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => f.write_str(&redact_password(url)),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// Why the database could not be opened, in words an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot connect to {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("cannot migrate {url}: {reason}")]
    Migrate { url: String, reason: String },
    #[error("{url}: {}", offline_migrations::refusal(.migrations))]
    OfflineMigrations {
        url: String,
        migrations: Vec<offline_migrations::OfflineMigration>,
    },
    #[error("cannot build the connection pool for {url}: {reason}")]
    Pool { url: String, reason: String },
}

/// Opens one connection of the backend the URL names, passing the driver's own error through
/// (Diesel's derived `establish` would try each backend and report only "invalid URL").
pub struct DbManager {
    url: DatabaseUrl,
}

impl DbManager {
    pub fn new(url: DatabaseUrl) -> DbManager {
        DbManager { url }
    }

    fn establish(&self) -> Result<DbConn, ConnectionError> {
        match &self.url {
            DatabaseUrl::Sqlite(path) => {
                let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy())?;
                conn.batch_execute(SQLITE_PRAGMAS)
                    .map_err(|e| ConnectionError::BadConnection(e.to_string()))?;

                Ok(DbConn::Sqlite(conn))
            }
            DatabaseUrl::Postgres(url) => {
                let mut conn = diesel::PgConnection::establish(url)?;
                pg_liveness::track(&mut conn);
                Ok(DbConn::Pg(conn))
            }
        }
    }
}

impl ManageConnection for DbManager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        self.establish().map_err(r2d2::Error::ConnectionError)
    }

    /// Asked before every checkout. A SQLite connection is an open file that nothing between it
    /// and the database can drop, so asking it would only add a query to every request; a
    /// PostgreSQL connection may have been cut by a server restart or a proxy, and is pinged
    /// unless the server answered it moments ago (`pg_liveness`).
    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        let needs_ping = match conn {
            DbConn::Sqlite(_) => false,
            DbConn::Pg(pg) => !pg_liveness::answered_recently(pg),
        };
        if needs_ping {
            conn.ping().map_err(r2d2::Error::QueryError)?;
        }
        Ok(())
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        let lost = match conn {
            DbConn::Sqlite(_) => false,
            DbConn::Pg(pg) => pg_liveness::lost(pg),
        };
        lost || conn.is_broken()
    }
}

/// Connections kept open while the portal is quiet.
const MIN_IDLE_CONNECTIONS: u32 = 2;

/// Connects, applies pending migrations and builds the pool. The first connection is made by hand
/// so a wrong host or password is reported at once and in the driver's words. A migration that
/// cannot run while e-BOK serves is refused on a database in use (see `offline_migrations`).
pub fn open(url: &DatabaseUrl, pool_size: u32) -> Result<Pool, OpenError> {
    open_with(url, pool_size, Offline::Refused)
}

/// `open` for `ebok migrate --offline`: the operator has stopped every node.
pub fn open_offline(url: &DatabaseUrl, pool_size: u32) -> Result<Pool, OpenError> {
    open_with(url, pool_size, Offline::Allowed)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Offline {
    Refused,
    Allowed,
}

fn open_with(url: &DatabaseUrl, pool_size: u32, offline: Offline) -> Result<Pool, OpenError> {
    let manager = DbManager::new(url.clone());
    let mut first = manager.establish().map_err(|e| OpenError::Connect {
        url: url.to_string(),
        reason: one_line(&e.to_string()),
    })?;
    if let DbConn::Sqlite(conn) = &mut first {
        conn.batch_execute(SQLITE_WAL)
            .map_err(|e| OpenError::Connect {
                url: url.to_string(),
                reason: one_line(&e.to_string()),
            })?;
    }
    if offline == Offline::Refused {
        let migrations =
            offline_migrations::pending_on_database_in_use(&mut first).map_err(|reason| {
                OpenError::Migrate {
                    url: url.to_string(),
                    reason,
                }
            })?;
        if !migrations.is_empty() {
            return Err(OpenError::OfflineMigrations {
                url: url.to_string(),
                migrations,
            });
        }
    }
    let applied = run_migrations(&mut first).map_err(|reason| OpenError::Migrate {
        url: url.to_string(),
        reason,
    })?;
    for migration in &applied {
        tracing::info!(%migration, "applied migration");
    }
    drop(first);
    r2d2::Pool::builder()
        .max_size(pool_size)
        // Opened as needed (r2d2 would open all of them at start), so a large pool costs the
        // database server nothing until the load is there.
        .min_idle(Some(pool_size.min(MIN_IDLE_CONNECTIONS)))
        .connection_timeout(Duration::from_secs(10))
        .build(manager)
        .map_err(|e| OpenError::Pool {
            url: url.to_string(),
            reason: one_line(&e.to_string()),
        })
}

/// One connection, migrations left alone: for tools that must see a database as it is (a
/// restore checks that its target is empty before anything creates tables there).
pub fn connect(url: &DatabaseUrl) -> Result<DbConn, OpenError> {
    DbManager::new(url.clone())
        .establish()
        .map_err(|e| OpenError::Connect {
            url: url.to_string(),
            reason: one_line(&e.to_string()),
        })
}

/// Applies the embedded migrations of the connection's backend; returns the versions applied.
pub fn run_migrations(conn: &mut DbConn) -> Result<Vec<String>, String> {
    let applied = match conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
        DbConn::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
    };
    applied
        .map(|versions| versions.iter().map(|v| v.to_string()).collect())
        .map_err(|e| one_line(&e.to_string()))
}

/// Applies the embedded migrations in order through the one named `last` (its directory name,
/// e.g. `2026-11-21-000010_contact_roles`): a database as that release left it, for the upgrade
/// tests. Returns the migrations applied.
pub fn run_migrations_through(conn: &mut DbConn, last: &str) -> Result<Vec<String>, String> {
    fn through<DB, C>(
        conn: &mut C,
        source: EmbeddedMigrations,
        last: &str,
    ) -> Result<Vec<String>, String>
    where
        DB: diesel::backend::Backend,
        C: MigrationHarness<DB> + diesel::migration::MigrationConnection,
        EmbeddedMigrations: diesel::migration::MigrationSource<DB>,
    {
        let migrations = diesel::migration::MigrationSource::<DB>::migrations(&source)
            .map_err(|e| one_line(&e.to_string()))?;
        if !migrations.iter().any(|m| m.name().to_string() == last) {
            return Err(format!("no migration is named {last}"));
        }
        // The table of applied migrations, as `run_pending_migrations` creates it.
        conn.setup().map_err(|e| one_line(&e.to_string()))?;
        let mut applied = Vec::new();
        for migration in &migrations {
            let name = migration.name().to_string();
            conn.run_migration(migration.as_ref())
                .map_err(|e| format!("{name}: {}", one_line(&e.to_string())))?;
            applied.push(name.clone());
            if name == last {
                break;
            }
        }
        Ok(applied)
    }
    match conn {
        DbConn::Sqlite(c) => through(c, SQLITE_MIGRATIONS, last),
        DbConn::Pg(c) => through(c, POSTGRES_MIGRATIONS, last),
    }
}

/// Runs `work` in a transaction that takes the write lock at its start.
///
/// On SQLite a plain (deferred) transaction that reads first and writes later can fail at once
/// with SQLITE_BUSY when another writer got in between; `BEGIN IMMEDIATE` makes it wait its
/// turn instead (busy_timeout). PostgreSQL's ordinary transaction already behaves.
pub fn write_transaction<T, E, F>(conn: &mut DbConn, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    if !matches!(conn, DbConn::Sqlite(_)) {
        return conn.transaction(work);
    }
    if let DbConn::Sqlite(inner) = conn {
        // Inside an open transaction the lock is already ours: nest as a savepoint.
        let depth =
            AnsiTransactionManager::transaction_manager_status_mut(inner).transaction_depth()?;
        if depth.is_some() {
            return conn.transaction(work);
        }
        AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
    }
    // The derived manager delegates to the inner connection's, whose depth we just raised.
    type Manager = <DbConn as Connection>::TransactionManager;
    match work(conn) {
        Ok(value) => {
            Manager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => {
            if let Err(rollback) = Manager::rollback_transaction(conn) {
                tracing::error!(%rollback, "rollback failed");
            }
            Err(error)
        }
    }
}

/// True for a UNIQUE violation: a race lost to another request, to be told as such.
/// The `limit` lowest ids of two queues' answers (each already at most `limit`, in id order):
/// how a sender's "due or lease expired" claim is read as two index scans in id order instead of
/// one `OR` that walks the primary key past every finished row (seconds at a million rows).
pub(crate) fn lowest_ids<Id: Ord>(mut first: Vec<Id>, second: Vec<Id>, limit: i64) -> Vec<Id> {
    first.extend(second);
    first.sort_unstable();
    first.dedup();
    first.truncate(usize::try_from(limit).unwrap_or(0));
    first
}

pub fn is_unique_violation(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

/// Refreshes PostgreSQL's planner statistics after a bulk load. Its autovacuum gets there too,
/// but minutes later, and until then plans can ignore the indexes (the 100 000-customer demo's
/// dashboard scanned every payment allocation). SQLite is left without statistics on purpose:
/// with them, its planner re-prepares statements whenever a bound value changes.
pub fn refresh_statistics(conn: &mut DbConn) -> QueryResult<()> {
    match conn {
        DbConn::Pg(c) => diesel::sql_query("ANALYZE").execute(c).map(|_| ()),
        DbConn::Sqlite(_) => Ok(()),
    }
}

/// A cheap round trip that proves the database answers (used by `/health`).
/// A checkout that timed out because the server could not be reached (a new connection or a
/// liveness ping failed meanwhile), not because every connection was busy. r2d2 keeps that
/// reason only as its error's text: "timed out waiting for connection: <why>".
pub fn checkout_reached_no_server(error: &r2d2::PoolError) -> bool {
    error.to_string().contains(": ")
}

/// The connection's server went away under a statement (restart, failover, cut network);
/// SQLite's file cannot.
pub fn lost_its_server(conn: &mut DbConn) -> bool {
    match conn {
        DbConn::Sqlite(_) => false,
        DbConn::Pg(pg) => pg_liveness::lost(pg),
    }
}

pub fn ping(conn: &mut DbConn) -> QueryResult<()> {
    diesel::sql_query("SELECT 1").execute(conn).map(|_| ())
}

/// libpq's messages span several indented lines; operators get them on one.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_schemes_select_postgres() {
        for url in ["postgres://u@h/db", "postgresql://u:p@h:5432/db"] {
            assert_eq!(
                DatabaseUrl::parse(url).unwrap().backend(),
                Backend::Postgres
            );
        }
    }

    #[test]
    fn sqlite_scheme_and_bare_path_select_sqlite() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/ebok.sqlite3").unwrap(),
            DatabaseUrl::Sqlite(PathBuf::from("data/ebok.sqlite3"))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/lib/ebok.db").unwrap(),
            DatabaseUrl::Sqlite(PathBuf::from("/var/lib/ebok.db"))
        );
        assert_eq!(
            DatabaseUrl::parse("./x.sqlite3").unwrap(),
            DatabaseUrl::Sqlite(PathBuf::from("./x.sqlite3"))
        );
    }

    #[test]
    fn unknown_scheme_is_refused_by_name() {
        assert_eq!(
            DatabaseUrl::parse("mysql://root@localhost/ebok"),
            Err(DatabaseUrlError::UnknownScheme("mysql".into()))
        );
        assert_eq!(DatabaseUrl::parse("  "), Err(DatabaseUrlError::Empty));
    }

    #[test]
    fn displayed_url_hides_the_password() {
        let url = DatabaseUrl::parse("postgres://ebok:s3cret@db.local:5432/ebok").unwrap();
        assert_eq!(url.to_string(), "postgres://ebok:***@db.local:5432/ebok");
        assert!(!format!("{url:?}").contains("s3cret"));
        let no_password = DatabaseUrl::parse("postgres://ebok@db.local/ebok").unwrap();
        assert_eq!(no_password.to_string(), "postgres://ebok@db.local/ebok");
    }

    #[test]
    fn driver_errors_are_folded_onto_one_line() {
        assert_eq!(
            one_line("connection failed\n\tIs the server running?\n"),
            "connection failed Is the server running?"
        );
    }

    #[test]
    fn the_lowest_ids_of_both_queues_are_taken_in_order_once_each() {
        assert_eq!(
            lowest_ids(vec![3, 8, 9], vec![1, 8, 12], 4),
            vec![1, 3, 8, 9]
        );
        assert_eq!(lowest_ids(vec![], vec![5], 10), vec![5]);
        assert_eq!(lowest_ids(vec![2], vec![1], 0), Vec::<i64>::new());
    }
}
