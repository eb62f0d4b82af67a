//! The ground floor: the start page, health, error pages, headers, migrations and demo data,
//! on every available backend.

mod common;

use common::{TestApp, count, page_text};
use diesel::prelude::*;
use ebok::app::{crypto, demo};
use ebok::db::schema::{accounts, contracts, customers, invoice_series, invoices, staff_users};
use ebok::domain::Pesel;
use rocket::http::{ContentType, Status};

backend_tests!(
    start_page_shows_demo_news_and_the_current_outage,
    start_page_of_an_empty_installation_says_the_network_is_fine,
    health_reports_the_database_and_backend,
    unknown_page_gets_a_friendly_polish_404,
    every_response_carries_strict_security_headers,
    stylesheet_is_served_locally,
    demo_seeding_is_idempotent_and_tops_up,
    demo_logins_verify_against_stored_hashes,
    unregistered_demo_contract_matches_its_printed_identity,
    demo_invoice_numbers_are_gapless_per_month,
    migrations_run_again_without_changes,
    foreign_keys_are_enforced,
    sqlite_runs_in_wal_mode,
    postgres_connections_cut_by_the_server_are_replaced,
);

fn start_page_shows_demo_news_and_the_current_outage(app: TestApp) {
    let app = app.with_demo(3);
    let response = app.get("/");
    assert_eq!(response.status(), Status::Ok);
    let html = response.into_string().unwrap();
    let text = page_text(&html);
    assert!(
        text.contains("Przykładowy Operator Sp. z o.o."),
        "ISP name in the header"
    );
    assert!(
        text.contains("Nowy pakiet Światłowód 1000/100 Mb/s"),
        "demo news"
    );
    assert!(
        text.contains("Awaria łącza światłowodowego — os. Dobrzec"),
        "current outage"
    );
    assert!(
        text.contains("Prace serwisowe w sieci szkieletowej"),
        "maintenance planned within a week"
    );
    assert!(
        text.contains("planowane od"),
        "planned work is marked as planned"
    );
    assert!(
        !text.contains("Awaria zasilania w węźle Pleszew"),
        "a resolved outage is not current"
    );
    assert!(html.contains("href=\"/logowanie\"") && html.contains("href=\"/rejestracja\""));
}

fn start_page_of_an_empty_installation_says_the_network_is_fine(app: TestApp) {
    let text = page_text(&app.get("/").into_string().unwrap());
    assert!(text.contains("Sieć działa bez zakłóceń"));
    assert!(text.contains("Nie ma jeszcze aktualności"));
}

fn health_reports_the_database_and_backend(app: TestApp) {
    let response = app.get("/health");
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(response.content_type(), Some(ContentType::JSON));
    let body: serde_json::Value = response.into_json().unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["backend"], app.backend.name());
}

fn unknown_page_gets_a_friendly_polish_404(app: TestApp) {
    let response = app.get("/nie-ma-takiej-strony");
    assert_eq!(response.status(), Status::NotFound);
    assert_eq!(response.content_type(), Some(ContentType::HTML));
    let text = page_text(&response.into_string().unwrap());
    assert!(text.contains("Nie znaleziono strony"));
    assert!(text.contains("Wróć na stronę główną"));
}

fn every_response_carries_strict_security_headers(app: TestApp) {
    for path in ["/", "/health", "/nie-ma", "/assets/css/ebok.css"] {
        let response = app.get(path);
        let headers = response.headers();
        let csp = headers
            .get_one("Content-Security-Policy")
            .unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(
            headers.get_one("X-Content-Type-Options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            headers.get_one("Referrer-Policy"),
            Some("same-origin"),
            "{path}"
        );
        assert_eq!(
            headers.get_one("Strict-Transport-Security"),
            None,
            "no HSTS over plain HTTP"
        );
    }
}

fn stylesheet_is_served_locally(app: TestApp) {
    let response = app.get("/assets/css/ebok.css");
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(response.content_type(), Some(ContentType::CSS));
    let html = app.get("/").into_string().unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no external assets"
    );
}

fn demo_seeding_is_idempotent_and_tops_up(app: TestApp) {
    let first = app.seed_demo(5);
    assert!(first.seeded_fixed_now);
    assert_eq!(first.customers_total, 7);
    let again = app.seed_demo(5);
    assert!(!again.seeded_fixed_now);
    assert_eq!(again.generated_now, 0);
    assert_eq!(again.customers_total, 7);
    let topped_up = app.seed_demo(8);
    assert_eq!(topped_up.generated_now, 3);
    assert_eq!(topped_up.customers_total, 10);
    let mut conn = app.conn();
    assert_eq!(count(&mut conn, "SELECT id FROM sellers"), 1);
    assert_eq!(count(&mut conn, "SELECT id FROM staff_users"), 3);
    assert_eq!(count(&mut conn, "SELECT id FROM contracts"), 10);
}

fn demo_logins_verify_against_stored_hashes(app: TestApp) {
    app.seed_demo(2);
    let mut conn = app.conn();
    let demo_hash: String = accounts::table
        .filter(accounts::login_key.eq(demo::DEMO_LOGIN))
        .select(accounts::password_hash)
        .first(&mut *conn)
        .unwrap();
    assert!(crypto::verify_password(demo::DEMO_PASSWORD, &demo_hash));
    let admin: (String, String) = staff_users::table
        .filter(staff_users::login_key.eq(demo::ADMIN_LOGIN))
        .select((staff_users::password_hash, staff_users::role))
        .first(&mut *conn)
        .unwrap();
    assert!(crypto::verify_password(demo::ADMIN_PASSWORD, &admin.0));
    assert_eq!(admin.1, "admin");
    let generated_hash: String = accounts::table
        .filter(accounts::login_key.eq("klient3"))
        .select(accounts::password_hash)
        .first(&mut *conn)
        .unwrap();
    assert!(crypto::verify_password(
        demo::GENERATED_PASSWORD,
        &generated_hash
    ));
}

fn unregistered_demo_contract_matches_its_printed_identity(app: TestApp) {
    app.seed_demo(0);
    let mut conn = app.conn();
    let (customer_id, email, pesel_hash, last4): (i64, String, Option<String>, Option<String>) =
        contracts::table
            .inner_join(customers::table)
            .filter(contracts::number.eq(demo::UNREGISTERED_CONTRACT))
            .filter(contracts::status.eq("active"))
            .select((
                customers::id,
                customers::email,
                customers::pesel_hash,
                customers::pesel_last4,
            ))
            .first(&mut *conn)
            .unwrap();
    assert_eq!(email, demo::UNREGISTERED_EMAIL);
    let pesel = Pesel::parse(demo::UNREGISTERED_PESEL).unwrap();
    assert_eq!(
        pesel_hash,
        Some(crypto::pesel_hash(&app.config.security.pesel_key, &pesel))
    );
    assert_eq!(last4.as_deref(), Some("3424"));
    let accounts_of_customer: i64 = accounts::table
        .filter(accounts::customer_id.eq(customer_id))
        .count()
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(
        accounts_of_customer, 0,
        "nobody has registered this contract yet"
    );
    let stored_pesel_digits = count(
        &mut conn,
        &format!(
            "SELECT id FROM customers WHERE pesel_hash = '{}'",
            demo::UNREGISTERED_PESEL
        ),
    );
    assert_eq!(stored_pesel_digits, 0, "PESEL is never stored in clear");
}

fn demo_invoice_numbers_are_gapless_per_month(app: TestApp) {
    app.seed_demo(30);
    let mut conn = app.conn();
    // Every series the demo uses (monthly invoices, yearly corrections) counts without gaps
    // within its own period; the monthly invoice series also spells its numbers FV/YYYY/MM/N.
    type NumberAndTotals = (
        String,
        Option<String>,
        Option<i64>,
        Option<String>,
        i64,
        i64,
        i64,
    );
    let rows: Vec<NumberAndTotals> = invoices::table
        .inner_join(invoice_series::table)
        .select((
            invoice_series::code,
            invoices::period_key,
            invoices::seq,
            invoices::number,
            invoices::total_net,
            invoices::total_vat,
            invoices::total_gross,
        ))
        .order((invoice_series::code, invoices::period_key, invoices::seq))
        .load(&mut *conn)
        .unwrap();
    let monthly = rows
        .iter()
        .filter(|row| row.1.as_deref().is_some_and(|p| p.contains('-')))
        .count();
    assert!(
        monthly >= 60,
        "three months for most customers, got {monthly}"
    );
    let mut expected = (String::new(), String::new(), 0);
    for (series, period, seq, number, net, vat, gross) in rows {
        let (period, seq, number) = (period.unwrap(), seq.unwrap(), number.unwrap());
        if (&series, &period) != (&expected.0, &expected.1) {
            expected = (series.clone(), period.clone(), 0);
        }
        expected.2 += 1;
        assert_eq!(seq, expected.2, "no gap in {series} {period}");
        if let Some((year, month)) = period.split_once('-') {
            assert_eq!(number, format!("FV/{year}/{month}/{seq:06}"));
        }
        assert_eq!(net + vat, gross, "{number}");
    }
}

fn migrations_run_again_without_changes(app: TestApp) {
    let applied = ebok::db::run_migrations(&mut app.conn()).unwrap();
    assert!(applied.is_empty(), "already migrated: {applied:?}");
}

fn foreign_keys_are_enforced(app: TestApp) {
    let result = diesel::sql_query(
        "INSERT INTO accounts (customer_id, login, login_key, email, password_hash, role, status, language, created_at) \
         VALUES (999999, 'x', 'x', 'x@example.com', 'h', 'owner', 'active', 'pl', CURRENT_TIMESTAMP)",
    )
    .execute(&mut *app.conn());
    assert!(
        result.is_err(),
        "an account for a customer that does not exist must be refused"
    );
}

fn sqlite_runs_in_wal_mode(app: TestApp) {
    if app.backend != ebok::db::Backend::Sqlite {
        return;
    }
    #[derive(diesel::QueryableByName)]
    struct Mode {
        #[diesel(sql_type = diesel::sql_types::Text)]
        journal_mode: String,
    }
    #[derive(diesel::QueryableByName)]
    struct Mapped {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        mmap_size: i64,
    }
    // Every pooled connection sees the file's mode, set once when the database was opened, and
    // reads through a memory mapping.
    for _ in 0..3 {
        let mut conn = app.conn();
        let mode: Mode = diesel::sql_query("PRAGMA journal_mode")
            .get_result(&mut *conn)
            .unwrap();
        assert_eq!(mode.journal_mode, "wal");
        let mapped: Mapped = diesel::sql_query("PRAGMA mmap_size")
            .get_result(&mut *conn)
            .unwrap();
        assert_eq!(mapped.mmap_size, 1 << 30);
    }
}

/// The pool pings a PostgreSQL connection only when the server has not answered it within the
/// last half second; a connection the server cut is replaced either way, after at most one
/// failed statement.
fn postgres_connections_cut_by_the_server_are_replaced(app: TestApp) {
    if app.backend != ebok::db::Backend::Postgres {
        return;
    }
    #[derive(diesel::QueryableByName)]
    struct Backend {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        pid: i32,
    }
    fn pid_of(conn: &mut ebok::db::DbConn) -> diesel::QueryResult<i32> {
        diesel::sql_query("SELECT pg_backend_pid() AS pid")
            .get_result::<Backend>(conn)
            .map(|b| b.pid)
    }
    let cut = |pid: i32| {
        // PostgreSQL 14+: waits until the backend has gone.
        diesel::sql_query(format!("SELECT pg_terminate_backend({pid}, 5000)"))
            .execute(&mut *app.conn())
            .unwrap();
    };
    let pool = ebok::db::open(&app.config.database.url, 1).unwrap();

    // Idle past the window: the checkout pings, finds the connection dead and connects anew.
    let first = pid_of(&mut pool.get().unwrap()).unwrap();
    cut(first);
    std::thread::sleep(std::time::Duration::from_millis(600));
    let second = pid_of(&mut pool.get().unwrap()).expect("a fresh connection, nothing failed");
    assert_ne!(second, first);

    // Cut right after an answer: lent without a ping, its statement fails, and the pool drops it.
    cut(second);
    assert!(pid_of(&mut pool.get().unwrap()).is_err());
    let third = pid_of(&mut pool.get().unwrap()).expect("the broken connection was not lent again");
    assert_ne!(third, second);
}
