//! The real `ebok ksef send`, killed with SIGKILL while its KSeF session is open (online: some
//! invoices sent, others still claimed; batch: KSeF has processed the whole package, the sender
//! has recorded none of it), then run again once its claims' lease has run out: every invoice ends up accepted with
//! one KSeF number, and the local KSeF server numbered each exactly once (a resent invoice is
//! answered "duplicate" with the first number). On every backend.

mod common;

use ebok::domain::InvoiceId;
use std::collections::HashSet;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Datelike;
use common::TestApp;
use diesel::prelude::*;
use ebok::app::audit::Actor;
use ebok::app::clock;
use ebok::app::invoicing::{self, Invoicing, IssueRequest, LineRequest, PdfStore};
use ebok::db::schema::{ksef_documents, ksef_sessions};
use ebok::domain::subscription_periods::InvoicedBy;
use ebok::domain::{Money, VatRate};
use ebok::ksef::schema::SchemaDir;
use ebok::pdf::PdfRenderer;
use ebok::sim::ksef::{Faults, KsefSim, SimOptions};
use rust_decimal::Decimal;

backend_tests!(
    a_sender_killed_mid_online_session_leaves_every_invoice_numbered_once,
    a_sender_killed_mid_batch_session_leaves_every_invoice_numbered_once,
);

const TOKEN: &str = "ebok-kill-test-token";
const INVOICES: usize = 16;

fn local_ksef() -> KsefSim {
    ebok::sim::ksef::spawn(SimOptions {
        token: TOKEN.into(),
        schema: Some(
            SchemaDir::new(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/ksef-fa3"))
                .unwrap(),
        ),
        port: 0,
    })
    .unwrap()
}

fn issue_many(app: &TestApp, count: usize) -> Vec<InvoiceId> {
    let customer_id = ebok::db::customers::find_by_number(&mut app.conn(), 1)
        .unwrap()
        .unwrap()
        .id;
    let renderer = PdfRenderer::shared().unwrap();
    let store = PdfStore::new(&app.config.paths.invoices_dir);
    let today = clock::today();
    (0..count)
        .map(|n| {
            invoicing::issue_invoice(
                &mut app.conn(),
                &Invoicing {
                    renderer: &renderer,
                    store: &store,
                    outgoing: None,
                },
                &IssueRequest {
                    customer_id,
                    contract_id: None,
                    series_code: "FV".into(),
                    issue_date: today,
                    sale_date: None,
                    period: Some((today.with_day(1).unwrap(), today)),
                    payment_days: 14,
                    lines: vec![LineRequest {
                        name: format!("Internet, usługa {n}"),
                        unit: "usł.".into(),
                        quantity: Decimal::ONE,
                        unit_price: Money::from_grosze(6_000 + n as i64),
                        rate: VatRate::Standard23,
                        service_id: None,
                        subscription: None,
                    }],
                    annex_15_goods: false,
                    invoiced_by: InvoicedBy::Manual,
                    actor: Actor::default(),
                },
                clock::now(),
            )
            .unwrap()
            .invoice_id
        })
        .collect()
}

/// `ebok ksef send` as an operator runs it, to the local server, against the test's database.
fn ksef_send(app: &TestApp, server: &KsefSim, batch_threshold: usize) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ebok"));
    for (key, _) in std::env::vars().filter(|(key, _)| key.starts_with("EBOK_")) {
        command.env_remove(key);
    }
    command
        .current_dir(app.data_dir())
        .args(["ksef", "send"])
        .env("EBOK_DATA_DIR", app.data_dir())
        .env("EBOK_DATABASE_URL", app.config.database.url.to_string())
        .env("EBOK_INVOICES_DIR", &app.config.paths.invoices_dir)
        .env("EBOK_KSEF_ENV", "local")
        .env("EBOK_KSEF_URL", &server.base_url)
        .env("EBOK_KSEF_TOKEN", TOKEN)
        .env("EBOK_KSEF_BATCH_THRESHOLD", batch_threshold.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ebok starts")
}

fn count_in(app: &TestApp, state: &str) -> i64 {
    ksef_documents::table
        .filter(ksef_documents::state.eq(state))
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

fn open_sessions(app: &TestApp, kind: &str) -> i64 {
    ksef_sessions::table
        .filter(ksef_sessions::reference_number.like(format!("%-{kind}-%")))
        .filter(ksef_sessions::closed_at.is_null())
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

/// Starts the sender and SIGKILLs it as soon as `mid_session` holds.
fn kill_when(app: &TestApp, mut child: Child, mid_session: impl Fn(&TestApp) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while !mid_session(app) {
        if let Some(status) = child.try_wait().unwrap() {
            let output = child.wait_with_output().unwrap();
            panic!(
                "the sender ended ({status}) before it could be killed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        assert!(Instant::now() < deadline, "the sender made no progress");
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Five minutes later, as far as the killed sender's claims are concerned: their lease is over.
fn lease_runs_out(app: &TestApp) {
    let past = clock::now() - chrono::Duration::minutes(1);
    diesel::update(ksef_documents::table.filter(ksef_documents::state.eq("sending")))
        .set(ksef_documents::locked_until.eq(Some(past)))
        .execute(&mut *app.conn())
        .unwrap();
}

fn run_to_completion(app: &TestApp, server: &KsefSim, batch_threshold: usize, total: usize) {
    for _ in 0..3 {
        let output = ksef_send(app, server, batch_threshold)
            .wait_with_output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        if count_in(app, "accepted") == total as i64 {
            return;
        }
    }
}

/// Every invoice that was queued (the demo's and the test's `ids`) is accepted with a number of
/// its own, and KSeF numbered `total` invoices: each once.
fn every_invoice_numbered_once(app: &TestApp, server: &KsefSim, ids: &[InvoiceId], total: usize) {
    let rows: Vec<(InvoiceId, String, Option<String>)> = ksef_documents::table
        .filter(ksef_documents::state.ne("local"))
        .select((
            ksef_documents::invoice_id,
            ksef_documents::state,
            ksef_documents::ksef_number,
        ))
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(rows.len(), total);
    assert!(ids.iter().all(|id| rows.iter().any(|r| r.0 == *id)));
    assert!(
        rows.iter().all(|(_, state, _)| state == "accepted"),
        "{rows:?}"
    );
    let numbers: HashSet<&String> = rows.iter().filter_map(|(_, _, n)| n.as_ref()).collect();
    assert_eq!(numbers.len(), total, "one number each: {rows:?}");
    assert_eq!(
        server.accepted_count(),
        total,
        "KSeF numbered each invoice once"
    );
}

fn queued(app: &TestApp) -> usize {
    count_in(app, "queued") as usize
}

fn a_sender_killed_mid_online_session_leaves_every_invoice_numbered_once(app: TestApp) {
    let app = app.with_demo(0);
    let server = local_ksef();
    let ids = issue_many(&app, INVOICES);
    let total = queued(&app);
    // Slow enough to be caught with its session open.
    server.set_faults(Faults {
        delay: Duration::from_millis(60),
        ..Faults::default()
    });
    let child = ksef_send(&app, &server, 0);
    kill_when(&app, child, |app| {
        count_in(app, "sent") >= 3 && count_in(app, "sending") >= 3
    });
    assert_eq!(open_sessions(&app, "SO"), 1, "killed with its session open");
    assert!(count_in(&app, "sending") > 0);
    server.set_faults(Faults::default());
    lease_runs_out(&app);
    run_to_completion(&app, &server, 0, total);
    every_invoice_numbered_once(&app, &server, &ids, total);
}

fn a_sender_killed_mid_batch_session_leaves_every_invoice_numbered_once(app: TestApp) {
    let app = app.with_demo(0);
    let server = local_ksef();
    let ids = issue_many(&app, INVOICES);
    let total = queued(&app);
    server.set_faults(Faults {
        delay: Duration::from_millis(150),
        ..Faults::default()
    });
    let child = ksef_send(&app, &server, 5);
    // KSeF has taken the whole package; the sender has recorded none of it yet.
    kill_when(&app, child, |app| {
        open_sessions(app, "SB") == 1 && server.accepted_count() == total
    });
    assert_eq!(
        count_in(&app, "sending"),
        total as i64,
        "killed before any invoice of the package was recorded"
    );
    server.set_faults(Faults::default());
    lease_runs_out(&app);
    run_to_completion(&app, &server, 5, total);
    every_invoice_numbered_once(&app, &server, &ids, total);
}
