//! The monthly billing run end to end, on every backend: a generated dataset billed with
//! hand-computed amounts (pro-rata, discounts, queued charges, businesses net), skips with
//! their reasons, a second run that issues nothing, refusals, and a real `ebok billing run`
//! killed mid-way and run again: exactly one invoice per customer with PDFs matching their hash.

mod common;
#[path = "billing/dataset.rs"]
mod dataset;

use ebok::domain::CustomerId;
use ebok::domain::InvoiceId;
use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::documents::pdf_text;
use common::{TestApp, count};
use dataset::{ServiceSpec, add_charge, add_customer, add_many, date, grant_einvoice};
use diesel::prelude::*;
use ebok::app::audit::Actor;
use ebok::app::billing::{self, BillingError, RunReport, Source};
use ebok::app::clock;
use ebok::app::invoicing::{Invoicing, PdfStore};
use ebok::app::mail_queue::Outgoing;
use ebok::db::schema::{billing_runs, invoice_lines, invoices, outbox, pending_charges};
use ebok::mail::MailTemplates;
use ebok::pdf::PdfRenderer;

backend_tests!(
    a_run_bills_every_customer_with_hand_computed_amounts,
    pro_rata_invoices_cover_only_the_days_of_service,
    a_consenting_customer_gets_the_periodic_invoice_by_mail,
    a_second_run_for_the_period_issues_nothing,
    credit_from_an_overpayment_settles_the_periodic_invoice,
    queued_charges_go_on_exactly_one_invoice,
    a_run_is_refused_for_bad_periods_and_while_another_runs,
    a_killed_run_finished_by_a_rerun_leaves_one_invoice_per_customer_with_its_pdf,
);

const PERIOD: &str = "2026-12";

/// (customer, invoice id, seq, number, PDF path, PDF hash) of a billed invoice.
type BilledRow = (
    i64,
    i64,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn run(app: &TestApp, period: &str) -> RunReport {
    let renderer = PdfRenderer::shared().unwrap();
    let store = PdfStore::new(&app.config.paths.invoices_dir);
    let templates = MailTemplates::load(&app.config.paths.templates_dir.join("mail")).unwrap();
    let invoicing = Invoicing {
        renderer: renderer.as_ref(),
        store: &store,
        outgoing: Some(Outgoing {
            templates: &templates,
            public_url: "http://127.0.0.1:8000",
            isp_name: "Przykładowy Operator",
        }),
    };
    let mut conn = app.conn();
    let actor = Actor::default();
    let started = billing::start_run(
        &mut conn,
        &app.config.database.url,
        period,
        clock::today(),
        Source::Cli,
        &actor,
        clock::now(),
    )
    .unwrap();
    // Small chunks, so a handful of customers already spans several transactions.
    billing::execute_run(&mut conn, &invoicing, started, &actor, 4, &|_| {}).unwrap()
}

/// (net, vat, gross, period start, period end, delivery) of the customer's only invoice.
type InvoiceRow = (
    i64,
    i64,
    i64,
    Option<chrono::NaiveDate>,
    Option<chrono::NaiveDate>,
    String,
);

fn invoices_of(app: &TestApp, customer_id: CustomerId) -> Vec<InvoiceRow> {
    invoices::table
        .filter(invoices::customer_id.eq(customer_id))
        .select((
            invoices::total_net,
            invoices::total_vat,
            invoices::total_gross,
            invoices::period_start,
            invoices::period_end,
            invoices::delivery,
        ))
        .load(&mut *app.conn())
        .unwrap()
}

fn gross_of(app: &TestApp, customer_id: CustomerId) -> Option<i64> {
    let rows = invoices_of(app, customer_id);
    assert!(
        rows.len() <= 1,
        "one invoice per customer and period: {rows:?}"
    );
    rows.first().map(|row| row.2)
}

/// The demo ISP (seller, series, staff) with its own customers suspended.
fn prepared(app: TestApp) -> TestApp {
    let app = app.with_demo(0);
    dataset::suspend_existing(&mut app.conn());
    app
}

fn a_run_bills_every_customer_with_hand_computed_amounts(app: TestApp) {
    let app = prepared(app);
    let existing = count(&mut app.conn(), "SELECT id FROM customers");
    let conn = &mut *app.conn();
    let internet = |fee| ServiceSpec::internet(fee);
    let whole = add_customer(conn, 101, false, &[internet(7_999)]);
    let ends_mid_month = add_customer(
        conn,
        103,
        false,
        &[ServiceSpec {
            expires_on: Some(date(2026, 12, 10)),
            ..internet(7_999)
        }],
    );
    let discounted = add_customer(
        conn,
        104,
        false,
        &[
            ServiceSpec {
                discounts: vec![("Lojalność −15%", "percent", 1_500, date(2026, 1, 1), None)],
                ..internet(7_999)
            },
            ServiceSpec {
                name: "Stały publiczny adres IP",
                ..internet(1_000)
            },
        ],
    );
    let suspended = add_customer(
        conn,
        105,
        false,
        &[ServiceSpec {
            status: "suspended",
            ..internet(7_999)
        }],
    );
    let ended = add_customer(
        conn,
        106,
        false,
        &[ServiceSpec {
            status: "ended",
            expires_on: Some(date(2026, 10, 31)),
            ..internet(7_999)
        }],
    );
    let company = add_customer(conn, 108, true, &[internet(7_999)]);
    let future = add_customer(
        conn,
        110,
        false,
        &[ServiceSpec {
            activated_on: date(2027, 1, 5),
            ..internet(7_999)
        }],
    );
    let old_discount = add_customer(
        conn,
        112,
        false,
        &[ServiceSpec {
            discounts: vec![(
                "Rabat 20 zł",
                "amount",
                2_000,
                date(2026, 1, 1),
                Some(date(2026, 11, 30)),
            )],
            ..internet(7_999)
        }],
    );
    let ended_inside = add_customer(
        conn,
        113,
        false,
        &[ServiceSpec {
            status: "ended",
            activated_on: date(2024, 6, 1),
            expires_on: Some(date(2026, 12, 5)),
            ..internet(7_999)
        }],
    );
    let nothing = add_customer(conn, 114, false, &[]);

    let report = run(&app, PERIOD);

    assert_eq!(gross_of(&app, whole), Some(7_999));
    // 79,99 × 10/31 = 25,8032… → 25,80
    assert_eq!(gross_of(&app, ends_mid_month), Some(2_580));
    // 79,99 × 0,85 = 67,9915 → 67,99, plus 10,00
    assert_eq!(gross_of(&app, discounted), Some(7_799));
    assert_eq!(gross_of(&app, suspended), None);
    assert_eq!(gross_of(&app, ended), None);
    assert_eq!(gross_of(&app, future), None);
    assert_eq!(gross_of(&app, nothing), None);
    assert_eq!(
        gross_of(&app, old_discount),
        Some(7_999),
        "the discount ended in November"
    );
    // 79,99 × 5/31 = 12,9016… → 12,90
    assert_eq!(gross_of(&app, ended_inside), Some(1_290));
    // A business pays the same price, invoiced net: 79,99 / 1,23 = 65,03 net, 14,96 VAT.
    assert_eq!(
        invoices_of(&app, company)[0].0..=invoices_of(&app, company)[0].2,
        6_503..=7_999
    );
    assert_eq!(invoices_of(&app, company)[0].1, 1_496);

    let totals = &report.totals;
    assert_eq!(totals.issued, 6);
    assert_eq!(
        totals.total_gross,
        7_999 + 2_580 + 7_799 + 7_999 + 7_999 + 1_290
    );
    assert_eq!(totals.customers_done, existing + 10);
    assert_eq!(totals.skipped, existing + 4);
    assert_eq!(totals.skip_reasons.get("ended"), Some(&1));
    assert_eq!(totals.skip_reasons.get("not_yet_active"), Some(&1));
    assert_eq!(totals.skip_reasons.get("no_services"), Some(&1));
    assert!(
        totals
            .skip_reasons
            .get("suspended")
            .is_some_and(|n| *n >= 1)
    );

    // The run record holds the same summary.
    let stored: (String, i64, i64, i64, String) = billing_runs::table
        .find(report.run_id)
        .select((
            billing_runs::status,
            billing_runs::issued,
            billing_runs::skipped,
            billing_runs::total_gross,
            billing_runs::skip_reasons,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(stored.0, "finished");
    assert_eq!(
        (stored.1, stored.2, stored.3),
        (6, totals.skipped, totals.total_gross)
    );
    let reasons: HashMap<String, i64> = serde_json::from_str(&stored.4).unwrap();
    assert_eq!(reasons.get("not_yet_active"), Some(&1));

    // Lines say what was billed.
    let names: Vec<(String, i64)> = invoice_lines::table
        .inner_join(invoices::table)
        .filter(invoices::customer_id.eq(discounted))
        .order(invoice_lines::position)
        .select((invoice_lines::name, invoice_lines::gross))
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(
        names,
        vec![
            (
                "Internet Światłowód 600/60 — abonament 12.2026, rabat: Lojalność −15%".to_owned(),
                6_799
            ),
            (
                "Stały publiczny adres IP — abonament 12.2026".to_owned(),
                1_000
            ),
        ]
    );
    // The run is in the audit trail.
    for action in ["billing_run_started", "billing_run_finished"] {
        assert_eq!(
            count(
                &mut app.conn(),
                &format!("SELECT id FROM audit_log WHERE action = '{action}'")
            ),
            1,
            "{action}"
        );
    }
}

fn pro_rata_invoices_cover_only_the_days_of_service(app: TestApp) {
    let app = prepared(app);
    let starts = add_customer(
        &mut app.conn(),
        102,
        false,
        &[ServiceSpec {
            activated_on: date(2026, 12, 15),
            ..ServiceSpec::internet(7_999)
        }],
    );
    run(&app, PERIOD);
    let rows = invoices_of(&app, starts);
    // 79,99 × 17/31 = 43,8654… → 43,87
    assert_eq!(rows[0].2, 4_387);
    assert_eq!(
        (rows[0].3, rows[0].4),
        (Some(date(2026, 12, 15)), Some(date(2026, 12, 31)))
    );
    let (path, sha, number): (Option<String>, Option<String>, Option<String>) = invoices::table
        .filter(invoices::customer_id.eq(starts))
        .select((invoices::pdf_path, invoices::pdf_sha256, invoices::number))
        .first(&mut *app.conn())
        .unwrap();
    let pdf = PdfStore::new(&app.config.paths.invoices_dir)
        .read_verified(&path.unwrap(), &sha.unwrap())
        .unwrap();
    let text = pdf_text(&pdf).unwrap_or_default();
    assert!(text.contains(&number.unwrap()), "{text}");
    // The name may wrap in the lines table: the period is on the line, wherever it breaks.
    assert!(text.contains("abonament"), "{text}");
    assert!(text.contains("15.12–31.12.2026 (17/31 dni)"), "{text}");
    assert!(text.contains("43,87"), "{text}");
}

fn a_consenting_customer_gets_the_periodic_invoice_by_mail(app: TestApp) {
    let app = prepared(app);
    let consenting = add_customer(&mut app.conn(), 111, false, &[ServiceSpec::internet(7_999)]);
    grant_einvoice(&mut app.conn(), consenting);
    let on_paper = add_customer(&mut app.conn(), 115, false, &[ServiceSpec::internet(7_999)]);
    run(&app, PERIOD);
    assert_eq!(invoices_of(&app, consenting)[0].5, "email");
    assert_eq!(invoices_of(&app, on_paper)[0].5, "paper");
    let mails: Vec<(String, Option<String>)> = outbox::table
        .filter(outbox::kind.eq("invoice"))
        .select((outbox::recipient, outbox::attachment_path))
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].0, "klient111@example.com");
    assert!(
        mails[0]
            .1
            .as_deref()
            .is_some_and(|p| std::path::Path::new(p).is_file())
    );
}

fn a_second_run_for_the_period_issues_nothing(app: TestApp) {
    let app = prepared(app);
    for number in 201..=209 {
        add_customer(
            &mut app.conn(),
            number,
            number == 205,
            &[ServiceSpec::internet(5_999)],
        );
    }
    let first = run(&app, PERIOD);
    assert_eq!(first.totals.issued, 9);
    let invoices_before = count(&mut app.conn(), "SELECT id FROM invoices");
    let second = run(&app, PERIOD);
    assert_eq!(second.totals.issued, 0);
    assert_eq!(second.totals.total_gross, 0);
    assert_eq!(second.totals.skip_reasons.get("already_invoiced"), Some(&9));
    assert_eq!(
        count(&mut app.conn(), "SELECT id FROM invoices"),
        invoices_before
    );
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM billing_runs WHERE status = 'finished'"
        ),
        2
    );
}

/// A customer who paid ahead has the new invoice (partly) paid by the run itself; a customer
/// without credit is left owing all of it.
fn credit_from_an_overpayment_settles_the_periodic_invoice(app: TestApp) {
    let app = prepared(app);
    let ahead = add_customer(&mut app.conn(), 301, false, &[ServiceSpec::internet(5_999)]);
    let owing = add_customer(&mut app.conn(), 302, false, &[ServiceSpec::internet(5_999)]);
    ebok::db::payments::insert(
        &mut app.conn(),
        &ebok::db::payments::NewPayment {
            customer_id: ahead,
            amount: 2_000,
            received_on: date(2026, 11, 20),
            method: "transfer".into(),
            source: "manual".into(),
            title: Some("nadpłata".into()),
            payer_name: None,
            bank_reference: None,
            recorded_by_staff_id: None,
            created_at: clock::now(),
            match_reason: None,
        },
    )
    .unwrap();
    let report = run(&app, PERIOD);
    assert_eq!(report.totals.issued, 2);
    let allocated = |customer_id: CustomerId| -> i64 {
        ebok::db::invoices::balances_of_customer(&mut app.conn(), customer_id)
            .unwrap()
            .iter()
            .map(|b| b.paid)
            .sum()
    };
    assert_eq!(
        allocated(ahead),
        2_000,
        "the credit went onto the new invoice"
    );
    assert_eq!(allocated(owing), 0);
}

fn queued_charges_go_on_exactly_one_invoice(app: TestApp) {
    let app = prepared(app);
    let only_charge = add_customer(&mut app.conn(), 107, false, &[]);
    add_charge(
        &mut app.conn(),
        only_charge,
        "Instalacja i konfiguracja routera",
        19_900,
        PERIOD,
    );
    let with_service = add_customer(&mut app.conn(), 109, false, &[ServiceSpec::internet(5_999)]);
    let lost_router = add_charge(
        &mut app.conn(),
        with_service,
        "Opłata za niezwrócony router",
        14_900,
        PERIOD,
    );
    let january = add_charge(
        &mut app.conn(),
        with_service,
        "Przeniesienie usługi",
        9_900,
        "2027-01",
    );
    run(&app, PERIOD);
    assert_eq!(gross_of(&app, only_charge), Some(19_900));
    assert_eq!(gross_of(&app, with_service), Some(5_999 + 14_900));
    let invoice_id: InvoiceId = invoices::table
        .filter(invoices::customer_id.eq(with_service))
        .select(invoices::id)
        .first(&mut *app.conn())
        .unwrap();
    let consumed = |id: i64| -> Option<InvoiceId> {
        pending_charges::table
            .find(id)
            .select(pending_charges::invoice_id)
            .first(&mut *app.conn())
            .unwrap()
    };
    assert_eq!(consumed(lost_router), Some(invoice_id));
    assert_eq!(
        consumed(january),
        None,
        "January's charge waits for January"
    );
    // The second run finds nothing left to put on an invoice.
    run(&app, PERIOD);
    assert_eq!(gross_of(&app, with_service), Some(5_999 + 14_900));
}

fn a_run_is_refused_for_bad_periods_and_while_another_runs(app: TestApp) {
    let app = prepared(app);
    let mut conn = app.conn();
    let actor = Actor::default();
    let url = app.config.database.url.clone();
    let start = |conn: &mut ebok::db::DbConn, period: &str| {
        billing::start_run(
            conn,
            &url,
            period,
            date(2026, 11, 21),
            Source::Cli,
            &actor,
            clock::now(),
        )
    };
    assert!(matches!(
        start(&mut conn, "2026-13"),
        Err(BillingError::Period(_))
    ));
    assert!(matches!(
        start(&mut conn, "grudzień"),
        Err(BillingError::Period(_))
    ));
    assert!(matches!(
        start(&mut conn, "2027-01"),
        Err(BillingError::TooFarAhead(_))
    ));
    let running = start(&mut conn, PERIOD).unwrap();
    assert!(matches!(
        start(&mut conn, PERIOD),
        Err(BillingError::AlreadyRunning)
    ));
    // Another period is not held up.
    assert!(start(&mut conn, "2026-11").is_ok());
    // Once the process holding the period lets go (here: drops the run unexecuted, as a killed
    // process would), the next run starts and records the dead one as interrupted.
    let running_id = running.id;
    drop(running);
    let next = start(&mut conn, PERIOD).unwrap();
    assert_ne!(next.id, running_id);
    let running = running_id;
    let (status, error): (String, Option<String>) = billing_runs::table
        .find(running)
        .select((billing_runs::status, billing_runs::error))
        .first(&mut *conn)
        .unwrap();
    assert_eq!(
        (status.as_str(), error.as_deref()),
        ("failed", Some("interrupted"))
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT id FROM invoices WHERE period_start >= '2026-12-01'"
        ),
        0
    );
}

/// `ebok billing run` as an operator starts it, against the test's database.
fn billing_run_child(app: &TestApp) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ebok"));
    for (key, _) in std::env::vars().filter(|(key, _)| key.starts_with("EBOK_")) {
        command.env_remove(key);
    }
    command
        .current_dir(app.data_dir())
        .args(["billing", "run", "--period", PERIOD, "--chunk-size", "20"])
        .env("EBOK_DATA_DIR", app.data_dir())
        .env("EBOK_DATABASE_URL", app.config.database.url.to_string())
        .env("EBOK_INVOICES_DIR", &app.config.paths.invoices_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ebok starts")
}

fn customers_done(app: &TestApp) -> i64 {
    billing_runs::table
        .order(billing_runs::id.desc())
        .select(billing_runs::customers_done)
        .first(&mut *app.conn())
        .optional()
        .unwrap()
        .unwrap_or(0)
}

/// Starts a run and kills it (SIGKILL) once it has committed at least `after` customers.
fn kill_after(app: &TestApp, after: i64) {
    let mut child = billing_run_child(app);
    let deadline = Instant::now() + Duration::from_secs(120);
    while customers_done(app) < after {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it could be killed"
        );
        assert!(Instant::now() < deadline, "the run made no progress");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

fn a_killed_run_finished_by_a_rerun_leaves_one_invoice_per_customer_with_its_pdf(app: TestApp) {
    let app = prepared(app);
    const CUSTOMERS: i64 = 400;
    add_many(&mut app.conn(), 1_000, CUSTOMERS);
    let existing = count(&mut app.conn(), "SELECT id FROM customers");

    kill_after(&app, 60);
    let killed_at = customers_done(&app);
    assert!(
        killed_at < existing,
        "killed mid-way, at {killed_at} of {existing}"
    );
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM billing_runs WHERE status = 'running'"
        ),
        1,
        "the killed run never finished"
    );
    // Killed again, later, in a run that itself resumed the first one.
    kill_after(&app, killed_at + 60);

    let output = billing_run_child(&app).wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("already_invoiced"), "{stdout}");

    // Exactly one invoice per customer, each recorded in billed_periods.
    let billed: Vec<BilledRow> = invoices::table
        .filter(invoices::period_start.ge(date(2026, 12, 1)))
        .select((
            invoices::customer_id,
            invoices::id,
            invoices::seq.assume_not_null(),
            invoices::number,
            invoices::pdf_path,
            invoices::pdf_sha256,
        ))
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(billed.len() as i64, CUSTOMERS);
    let customers: std::collections::HashSet<i64> = billed.iter().map(|row| row.0).collect();
    assert_eq!(customers.len() as i64, CUSTOMERS, "no customer twice");
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT customer_id FROM billed_periods WHERE period = '2026-12'"
        ),
        CUSTOMERS
    );
    // Numbers stay gapless across the kills: rolled-back chunks gave theirs back.
    let seqs: std::collections::BTreeSet<i64> = billed.iter().map(|row| row.2).collect();
    let (first, last) = (*seqs.first().unwrap(), *seqs.last().unwrap());
    assert_eq!(last - first + 1, CUSTOMERS, "gapless");
    // Every invoice has its PDF, matching the recorded hash, showing its own number.
    let store = PdfStore::new(&app.config.paths.invoices_dir);
    for (_, id, _, number, path, sha) in &billed {
        let (path, sha) = (
            path.as_deref()
                .unwrap_or_else(|| panic!("invoice {id} has no PDF")),
            sha.as_deref().unwrap(),
        );
        let pdf = store
            .read_verified(path, sha)
            .unwrap_or_else(|e| panic!("invoice {id}: {e}"));
        if id % 50 == 0 {
            let text = pdf_text(&pdf).unwrap_or_default();
            assert!(
                text.contains(number.as_deref().unwrap()),
                "invoice {id} shows its number"
            );
        }
    }
    let runs: Vec<(String, Option<String>)> = billing_runs::table
        .order(billing_runs::id)
        .select((billing_runs::status, billing_runs::error))
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(
        runs,
        vec![
            ("failed".to_owned(), Some("interrupted".to_owned())),
            ("failed".to_owned(), Some("interrupted".to_owned())),
            ("finished".to_owned(), None),
        ]
    );
}
