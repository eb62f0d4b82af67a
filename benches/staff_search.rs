//! How fast the staff search box answers with 100 000 customers, on each backend (issue #6: under
//! a second). Fills a database with 100 000 customers (`EBOK_BENCH_CUSTOMERS` for another
//! number), contracts, services, endpoints and invoices by bulk SQL, then times each kind of
//! term five times and reports the slowest run:
//!
//!     cargo bench --bench staff_search
//!     EBOK_BENCH_CUSTOMERS=1000000 cargo bench --bench staff_search
//!
//! PostgreSQL is measured too when `EBOK_TEST_POSTGRES_URL` is set (as for the tests). Exits
//! non-zero when a search takes a second or more. The search is what the panel runs
//! (`app::staff::customer_search::search`); `tests/staff_panel.rs` checks what it finds.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::TestApp;
use diesel::RunQueryDsl;
use ebok::app::staff::customer_search;

/// How many customers to fill: 100 000, or `EBOK_BENCH_CUSTOMERS` (issue #25 measures 1 000 000).
fn customers() -> i64 {
    std::env::var("EBOK_BENCH_CUSTOMERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000)
}
/// The target for a search answer.
const LIMIT: Duration = Duration::from_secs(1);

const LAST_NAMES: [&str; 20] = [
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Wójcik",
    "Kowalczyk",
    "Kamiński",
    "Lewandowski",
    "Zieliński",
    "Szymański",
    "Woźniak",
    "Dąbrowski",
    "Kozłowski",
    "Jankowski",
    "Mazur",
    "Kwiatkowski",
    "Krawczyk",
    "Piotrowski",
    "Grabowski",
    "Nowakowski",
    "Pawłowski",
];

fn fill(app: &TestApp) {
    let customers = customers();
    let mut conn = app.conn();
    let started = Instant::now();
    let names = LAST_NAMES
        .iter()
        .enumerate()
        .map(|(i, n)| format!("WHEN {i} THEN '{n}'"))
        .collect::<Vec<_>>()
        .join(" ");
    // A date literal each backend reads as a DATE in INSERT … SELECT.
    let date = |d: &str| match app.backend {
        ebok::db::Backend::Postgres => format!("DATE '{d}'"),
        ebok::db::Backend::Sqlite => format!("'{d}'"),
    };
    let (start, issued, due) = (date("2025-01-01"), date("2026-11-01"), date("2026-11-15"));
    let statements = [
        "INSERT INTO tariffs (code, name, download_mbps, upload_mbps, monthly_fee, vat_rate, active, created_at) \
         VALUES ('SCALE', 'Skala', 300, 30, 5999, '23', TRUE, CURRENT_TIMESTAMP)"
            .to_owned(),
        format!(
            "INSERT INTO customers (customer_number, kind, first_name, last_name, address_line, postal_code, city, email, phone, nrb, created_at, updated_at) \
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {customers}) \
             SELECT 1000 + i, 'person', 'Imię' || (i % 97), (CASE i % 20 {names} END) || CASE WHEN i % 7 = 0 THEN '-' || i ELSE '' END, \
                    'ul. Polna ' || i, '62-800', 'Miasto' || (i % 300), 'klient' || i || '@example.com', \
                    '+48 6' || (10 + i % 90) || ' ' || (100 + i % 900) || ' ' || (100 + (i / 7) % 900), 'NRB' || i, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP \
             FROM n"
        ),
        format!("INSERT INTO contracts (customer_id, number, tariff_id, signed_on, starts_on, monthly_fee, billing_day, install_address_line, install_postal_code, install_city, status, created_at, updated_at) \
         SELECT c.id, 'UM/S/' || c.customer_number, t.id, {start}, {start}, 5999, 1, c.address_line, c.postal_code, c.city, 'active', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP \
         FROM customers c CROSS JOIN tariffs t WHERE t.code = 'SCALE'"),
        format!("INSERT INTO services (customer_id, contract_id, kind, name, status, activated_on, monthly_fee, created_at) \
         SELECT customer_id, id, 'internet', 'Internet', 'active', {start}, 5999, CURRENT_TIMESTAMP FROM contracts"),
        "INSERT INTO endpoints (service_id, ipv4, mac, pppoe_login, address_line, postal_code, city, created_at) \
         SELECT s.id, '10.' || (s.id / 65536) || '.' || ((s.id / 256) % 256) || '.' || (s.id % 256), \
                '02:00:00:' || (10 + s.id % 89) || ':' || (10 + (s.id / 89) % 89) || ':' || (10 + (s.id / 7921) % 89), \
                'pppoe' || s.id || '@op.pl', 'ul. Polna 1', '62-800', 'Kalisz', CURRENT_TIMESTAMP FROM services s"
            .to_owned(),
        format!("INSERT INTO invoices (customer_id, kind, status, number, issue_date, due_date, seller_name, seller_nip, seller_address_line, seller_postal_code, seller_city, \
                               buyer_name, buyer_address_line, buyer_postal_code, buyer_city, bank_account, total_net, total_vat, total_gross, created_at, issued_at) \
         SELECT id, 'invoice', 'issued', 'FV/2026/11/' || customer_number, {issued}, {due}, 'ISP', '5260001246', 'ul. A 1', '00-001', 'Kalisz', \
                last_name, address_line, postal_code, city, nrb, 4877, 1122, 5999, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM customers"),
    ];
    for sql in &statements {
        diesel::sql_query(sql.as_str())
            .execute(&mut *conn)
            .unwrap_or_else(|e| panic!("{e}: {sql}"));
    }
    // Fresh statistics, as a live database has them.
    diesel::sql_query("ANALYZE").execute(&mut *conn).unwrap();
    eprintln!(
        "{}: filled {customers} customers in {:.1?}",
        app.backend.name(),
        started.elapsed()
    );
}

/// The slowest search on `app`.
fn measure(app: TestApp) -> Duration {
    fill(&app);
    let customers = customers();
    let middle = 1000 + customers / 2;
    let terms = [
        ("customer number", middle.to_string()),
        ("contract number", format!("um/s/{middle}")),
        ("invoice number", format!("FV/2026/11/{middle}")),
        ("e-mail", format!("klient{}@example.com", customers / 2)),
        ("IP address", "10.0.200.17".to_owned()),
        ("MAC address", "02-00-00-20-30-11".to_owned()),
        ("PPPoE login", "pppoe4242@op.pl".to_owned()),
        ("phone", "610 100 100".to_owned()),
        ("common last name", "kowalski".to_owned()),
        ("first and last name", "Imię5 Zieliński".to_owned()),
        (
            "rare name",
            format!(
                "{}-{}",
                LAST_NAMES[(7 * 1234) % 20].to_lowercase(),
                7 * 1234
            ),
        ),
        ("no match (full scan)", "Żółćwski".to_owned()),
    ];
    let mut conn = app.conn();
    let mut slowest = Duration::ZERO;
    for (kind, term) in &terms {
        let mut worst = Duration::ZERO;
        let mut hits = 0;
        for _ in 0..5 {
            let started = Instant::now();
            let results = customer_search::search(&mut conn, term)
                .expect("the search query")
                .expect("a valid term");
            worst = worst.max(started.elapsed());
            hits = results.hits.len();
        }
        eprintln!(
            "{:>8}  {kind:<22} {term:<24} {hits:>3} hits  {:>8.2?}",
            app.backend.name(),
            worst
        );
        slowest = slowest.max(worst);
    }
    slowest
}

fn main() {
    let mut slowest = measure(TestApp::sqlite());
    if let Some(app) = TestApp::postgres() {
        slowest = slowest.max(measure(app));
    }
    eprintln!("slowest search: {slowest:.2?} (target < {LIMIT:?})");
    if slowest >= LIMIT {
        std::process::exit(1);
    }
}
