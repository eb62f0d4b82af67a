//! Upgrades: a database as a released version left it (built here from that release's
//! migrations and a fixture of real-looking data) migrates to the current schema on both
//! backends, keeps every row it had, and the current code reads it right.
//!
//! Released schemas, oldest first. When a version ships, add its last migration here and a
//! fixture written against its schema; migrations are forward-only, so every one stays tested.

mod common;

use common::PostgresDatabase;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use ebok::db::{self, DatabaseUrl, DbConn};
use ebok::domain::InvoiceId;

const WAVE_1: &str = "2026-11-21-000010_contact_roles";
const WAVE_1_FIXTURE: &str = include_str!("data/upgrade/wave1.sql");

#[test]
fn sqlite_wave_1_upgrades_to_the_current_schema() {
    let dir = tempfile::tempdir().unwrap();
    let url = DatabaseUrl::sqlite_file(&dir.path().join("ebok.sqlite3"));
    wave_1_upgrades_to_the_current_schema(url);
}

#[test]
fn postgres_wave_1_upgrades_to_the_current_schema() {
    let Some(admin) = common::postgres_admin_url() else {
        return;
    };
    let database = PostgresDatabase::create(&admin);
    let url = DatabaseUrl::parse(&database.url).unwrap();
    wave_1_upgrades_to_the_current_schema(url);
}

#[derive(QueryableByName, Debug, PartialEq)]
struct Invoice {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Nullable<Text>)]
    number: Option<String>,
    #[diesel(sql_type = BigInt)]
    total_gross: i64,
    #[diesel(sql_type = Text)]
    status: String,
}

#[derive(QueryableByName, Debug, PartialEq)]
struct Fact {
    #[diesel(sql_type = BigInt)]
    service_id: i64,
    #[diesel(sql_type = Text)]
    period: String,
    #[diesel(sql_type = BigInt)]
    invoice_id: InvoiceId,
    #[diesel(sql_type = Text)]
    source: String,
}

#[derive(QueryableByName, Debug, PartialEq)]
struct BankLine {
    #[diesel(sql_type = Text)]
    format: String,
    #[diesel(sql_type = Text)]
    batch_status: String,
    #[diesel(sql_type = BigInt)]
    amount: i64,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    payment_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    committed_key: Option<String>,
}

fn invoices(conn: &mut DbConn) -> Vec<Invoice> {
    diesel::sql_query("SELECT id, number, total_gross, status FROM invoices ORDER BY id")
        .load(conn)
        .unwrap()
}

fn wave_1_upgrades_to_the_current_schema(url: DatabaseUrl) {
    let mut conn = db::connect(&url).unwrap();
    let applied = db::run_migrations_through(&mut conn, WAVE_1).unwrap();
    assert_eq!(applied.last().map(String::as_str), Some(WAVE_1));
    conn.batch_execute(WAVE_1_FIXTURE)
        .expect("the fixture fits the wave-1 schema");
    if let DbConn::Pg(_) = conn {
        // Explicit ids leave PostgreSQL's sequences behind; an ISP's database has them in step.
        for table in [
            "sellers",
            "tariffs",
            "customers",
            "contracts",
            "services",
            "invoice_series",
            "invoices",
            "invoice_lines",
            "payments",
            "payment_allocations",
            "import_batches",
            "bank_transactions",
        ] {
            diesel::sql_query(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 (SELECT MAX(id) FROM {table}))"
            ))
            .execute(&mut conn)
            .unwrap();
        }
    }
    let before = invoices(&mut conn);

    let applied_before = applied_migrations(&mut conn);
    a_migration_that_cannot_run_online_says_so_before_it_starts(&url);
    assert_eq!(
        applied_migrations(&mut conn),
        applied_before,
        "nothing was applied"
    );
    let ebok = |args: &[&str]| {
        let data = tempfile::tempdir().unwrap();
        std::process::Command::new(env!("CARGO_BIN_EXE_ebok"))
            .args(args)
            .env("EBOK_DATA_DIR", data.path())
            .env("EBOK_DATABASE_URL", url.to_string())
            .output()
            .unwrap()
    };
    let refused = ebok(&["migrate"]);
    let said = String::from_utf8_lossy(&refused.stderr).into_owned();
    assert_eq!(refused.status.code(), Some(2), "{said}");
    assert!(
        said.contains("2026-12-05-100001_subscription_periods")
            && said.contains("Stop every e-BOK node")
            && said.contains("ebok migrate --offline"),
        "{said}"
    );
    assert_eq!(applied_migrations(&mut conn), applied_before);
    let upgraded = ebok(&["migrate", "--offline"]);
    assert!(upgraded.status.success(), "{upgraded:?}");
    assert!(
        applied_migrations(&mut conn) > applied_before,
        "there were migrations to apply"
    );
    let again = ebok(&["migrate"]);
    assert!(
        again.status.success(),
        "an upgraded database opens for serving: {again:?}"
    );
    assert!(db::run_migrations(&mut conn).unwrap().is_empty());

    // Every invoice is as it was: issued documents never change.
    assert_eq!(invoices(&mut conn), before);

    // October billed twice in wave 1 is one fact now, held by the first invoice.
    let facts: Vec<Fact> = diesel::sql_query(
        "SELECT service_id, period, invoice_id, source FROM subscription_periods ORDER BY id",
    )
    .load(&mut conn)
    .unwrap();
    assert_eq!(
        facts,
        vec![Fact {
            service_id: 1,
            period: "2026-10".into(),
            invoice_id: ebok::domain::InvoiceId(1),
            source: "earlier".into(),
        }]
    );

    // The committed bank import kept its batch, line and booking through the table rebuilds.
    let lines: Vec<BankLine> = diesel::sql_query(
        "SELECT b.format, b.status AS batch_status, t.amount, t.status, t.payment_id, \
         t.committed_key FROM bank_transactions t JOIN import_batches b ON b.id = t.batch_id",
    )
    .load(&mut conn)
    .unwrap();
    assert_eq!(
        lines,
        vec![BankLine {
            format: "mt940".into(),
            batch_status: "committed".into(),
            amount: 6900,
            status: "matched".into(),
            payment_id: Some(1),
            committed_key: Some("REF-2026-10-10-1".into()),
        }]
    );

    // The current code reads the upgraded data right: the first invoice is paid, the second
    // (the duplicate) is still owed, and nothing is credit.
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
    let list = ebok::app::invoices::list(
        &mut conn,
        ebok::domain::CustomerId(1),
        &ebok::app::invoices::InvoiceFilter::default(),
        today,
    )
    .unwrap();
    let owed: Vec<(String, i64)> = list
        .invoices
        .iter()
        .map(|row| (row.number.clone(), row.outstanding))
        .collect();
    assert_eq!(
        owed,
        vec![
            ("FV/2026/10/000002".to_owned(), 6900),
            ("FV/2026/10/000001".to_owned(), 0),
        ]
    );
    assert_eq!((list.to_pay, list.credit), (6900, 0));
}

fn applied_migrations(conn: &mut DbConn) -> i64 {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    diesel::sql_query("SELECT COUNT(*) AS n FROM __diesel_schema_migrations")
        .get_result::<Count>(conn)
        .unwrap()
        .n
}

/// Opening the wave-1 database for serving refuses, naming the migration and why, before any
/// migration runs: a node of the new version must not backfill while old nodes still issue.
fn a_migration_that_cannot_run_online_says_so_before_it_starts(url: &DatabaseUrl) {
    let refused = match db::open(url, 1) {
        Err(error) => error.to_string(),
        Ok(_) => panic!("a database in use was migrated through an offline migration"),
    };
    assert!(
        refused.contains("cannot run while e-BOK serves")
            && refused.contains("2026-12-05-100001_subscription_periods")
            && refused.contains("billed once"),
        "{refused}"
    );
    // A new database has nobody serving it: everything runs.
    let fresh = tempfile::tempdir().unwrap();
    db::open(
        &DatabaseUrl::sqlite_file(&fresh.path().join("new.sqlite3")),
        1,
    )
    .expect("a new database migrates in one go");
}
