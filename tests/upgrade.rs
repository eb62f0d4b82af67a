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

const WAVE_1: &str = "2026-11-21-000010_contact_roles";
const WAVE_1_FIXTURE: &str = include_str!("data/upgrade/wave1.sql");

#[test]
fn sqlite_wave_1_upgrades_to_the_current_schema() {
    let dir = tempfile::tempdir().unwrap();
    let url = DatabaseUrl::sqlite_file(&dir.path().join("ebok.sqlite3"));
    wave_1_upgrades_to_the_current_schema(db::connect(&url).unwrap());
}

#[test]
fn postgres_wave_1_upgrades_to_the_current_schema() {
    let Some(admin) = std::env::var(common::POSTGRES_URL_VAR)
        .ok()
        .filter(|url| !url.trim().is_empty())
    else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} must be set in CI",
            common::POSTGRES_URL_VAR
        );
        eprintln!(
            "skipped on PostgreSQL: {} is not set",
            common::POSTGRES_URL_VAR
        );
        return;
    };
    let database = PostgresDatabase::create(&admin);
    let url = DatabaseUrl::parse(&database.url).unwrap();
    wave_1_upgrades_to_the_current_schema(db::connect(&url).unwrap());
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
    invoice_id: i64,
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

fn wave_1_upgrades_to_the_current_schema(mut conn: DbConn) {
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

    let upgraded = db::run_migrations(&mut conn).expect("every later migration applies");
    assert!(!upgraded.is_empty(), "there were migrations to apply");

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
            invoice_id: 1,
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
        1,
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
