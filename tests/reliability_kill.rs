//! SIGKILL at random points (issue 24, part 2): the real binary seeding the demo, running the
//! monthly billing and importing a bank statement is killed 20 times each, at moments drawn
//! from a seeded generator (the same moments every run), and started again. After every kill
//! `ebok verify` must find every stored PDF and FA(3) document matching its hash and every
//! numbering series gapless; after the last, uninterrupted run the books must be exactly what
//! one uninterrupted run makes: the demo's rows as in a database seeded without kills, one
//! invoice per customer for the period, every credit of the statement booked once.
//!
//! The outbox sender of `ebok serve`, delivering to a slowed SMTP server, is killed the same
//! way while it delivers. Its promise is "at least once": a message the server took in the
//! moment before the kill, not yet marked sent, goes out again once its lease has run out. So
//! afterwards every message was received and is marked sent, and only a message that was in
//! flight at a kill (at most one per kill) was received twice.
//!
//! Run with `--nocapture` to see where each kill landed.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use chrono::{Datelike, Months};
use common::payu::free_port;
use common::serve::Instance;
use common::smtp::SmtpSink;
use common::{TestApp, count};
use diesel::prelude::*;
use ebok::db::Backend;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const KILLS: usize = 20;
/// Generated demo customers: enough that seeding, the run and the import take a few seconds
/// in a debug build, so the kills land inside them.
const CUSTOMERS: u32 = 120;
/// Tables the server's own background jobs write to while the test's app is up (the demo's
/// reference database has its own jobs at other moments), or that hold what differs between
/// two runs by design (sessions, the audit of each start).
const NOT_COMPARED: &[&str] = &[
    "__diesel_schema_migrations",
    "audit_log",
    "outbox",
    "rate_limit_events",
    "sessions",
    "one_time_tokens",
    "dunning_steps",
    "endpoint_flags",
    "notice_mails",
    "outage_mailings",
    "traffic_samples",
    "traffic_hourly",
    "traffic_daily",
    "traffic_rollups",
];

fn ebok(app: &TestApp, args: &[&str]) -> Command {
    common::ebok_command(app, args)
}

fn run_to_the_end(app: &TestApp, args: &[&str]) -> Output {
    let output = ebok(app, args).output().expect("ebok starts");
    assert!(
        output.status.success(),
        "ebok {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Starts `ebok <args>` and kills it (SIGKILL) after `after`, unless it ended first; says which.
fn kill_after(app: &TestApp, args: &[&str], after: Duration) -> &'static str {
    let deadline = Instant::now() + after;
    kill_when(app, args, move |_| Instant::now() >= deadline)
}

/// Starts `ebok <args>` and kills it once `reached` says so (polled every few milliseconds),
/// unless it ended first; says which.
fn kill_when(app: &TestApp, args: &[&str], reached: impl Fn(&TestApp) -> bool) -> &'static str {
    let mut child = ebok(app, args).spawn().expect("ebok starts");
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        if let Some(status) = child.try_wait().expect("child state") {
            let output = child.wait_with_output().expect("output");
            assert!(
                status.success(),
                "ebok {args:?} failed before its kill:\n{}\n{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            return "ended before its kill";
        }
        if reached(app) {
            break;
        }
        assert!(Instant::now() < deadline, "ebok {args:?} made no progress");
        std::thread::sleep(Duration::from_millis(3));
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    "killed"
}

fn latest_run_progress(app: &TestApp) -> i64 {
    #[derive(QueryableByName)]
    struct Done {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        done: i64,
    }
    diesel::sql_query("SELECT customers_done AS done FROM billing_runs ORDER BY id DESC LIMIT 1")
        .load::<Done>(&mut *app.conn())
        .expect("run progress")
        .first()
        .map_or(0, |d| d.done)
}

/// `ebok verify`: every stored file against its hash, every series without a gap.
fn verified(app: &TestApp, after: &str) {
    let output = ebok(app, &["verify"]).output().expect("ebok verify starts");
    assert!(
        output.status.success(),
        "ebok verify after {after}:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Kills `ebok <args>` at KILLS moments drawn from `rng` between `from` and `to`, verifying
/// the books after each; then runs it to the end.
fn kill_repeatedly(
    app: &TestApp,
    rng: &mut StdRng,
    what: &str,
    args: &[&str],
    (from, to): (u64, u64),
) -> Output {
    let mut landed = BTreeMap::<&str, usize>::new();
    for kill in 1..=KILLS {
        let after = Duration::from_millis(rng.gen_range(from..to));
        let outcome = kill_after(app, args, after);
        *landed.entry(outcome).or_default() += 1;
        verified(app, &format!("{what}, kill {kill} at {after:?}"));
    }
    eprintln!("{what}: {landed:?} of {KILLS}");
    run_to_the_end(app, args)
}

fn table_names(app: &TestApp) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let sql = match app.backend {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        Backend::Postgres => "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
    };
    diesel::sql_query(sql)
        .load::<Name>(&mut *app.conn())
        .expect("table names")
        .into_iter()
        .map(|n| n.name)
        .filter(|name| !NOT_COMPARED.contains(&name.as_str()))
        .collect()
}

fn rows_per_table(app: &TestApp) -> BTreeMap<String, i64> {
    table_names(app)
        .into_iter()
        .map(|table| {
            let rows = count(&mut app.conn(), &format!("SELECT 1 FROM {table}"));
            (table, rows)
        })
        .collect()
}

/// The same kind of database as `app`'s, empty.
fn fresh_like(app: &TestApp) -> TestApp {
    match app.backend {
        Backend::Sqlite => TestApp::sqlite(),
        Backend::Postgres => TestApp::postgres().expect("PostgreSQL answers for the reference"),
    }
}

fn next_month() -> String {
    let next = ebok::app::clock::today()
        .with_day(1)
        .and_then(|d| d.checked_add_months(Months::new(1)))
        .expect("next month");
    next.format("%Y-%m").to_string()
}

/// A bank statement paying every unpaid invoice of the generated customers in full, each by
/// its number and the customer's own account, in the plain CSV format.
fn statement_paying_everything(app: &TestApp, file: &Path) -> usize {
    #[derive(QueryableByName)]
    struct Unpaid {
        #[diesel(sql_type = diesel::sql_types::Text)]
        number: String,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        gross: i64,
        #[diesel(sql_type = diesel::sql_types::Text)]
        nrb: String,
    }
    let unpaid: Vec<Unpaid> = diesel::sql_query(
        "SELECT i.number AS number, i.total_gross AS gross, c.nrb AS nrb \
         FROM invoices i JOIN customers c ON c.id = i.customer_id \
         WHERE i.status = 'issued' AND i.kind = 'invoice' AND c.customer_number > 2 \
         AND NOT EXISTS (SELECT 1 FROM payment_allocations a WHERE a.invoice_id = i.id) \
         ORDER BY i.id",
    )
    .load(&mut *app.conn())
    .expect("unpaid invoices");
    let today = ebok::app::clock::today().format("%Y-%m-%d");
    let mut csv = String::from("date;amount;title;payer;account_to;reference\n");
    for (n, invoice) in unpaid.iter().enumerate() {
        csv.push_str(&format!(
            "{today};{},{:02};Faktura {};Abonent {n};{};KILL{n:06}\n",
            invoice.gross / 100,
            invoice.gross % 100,
            invoice.number,
            invoice.nrb,
        ));
    }
    std::fs::write(file, csv).expect("statement written");
    unpaid.len()
}

fn killed_seeding_billing_and_import_leave_the_books_as_one_run_would(app: TestApp) {
    let mut rng = StdRng::seed_from_u64(24);
    let customers = CUSTOMERS.to_string();
    let seed = ["demo", "--customers", &customers, "--seed-only"];

    // 1. The demo seeding, killed 20 times, then finished: the same rows as a clean seeding.
    kill_repeatedly(&app, &mut rng, "demo seeding", &seed, (50, 6_000));
    let reference = fresh_like(&app);
    run_to_the_end(&reference, &seed);
    let (ours, theirs) = (rows_per_table(&app), rows_per_table(&reference));
    let differing: Vec<_> = ours
        .iter()
        .filter(|(table, rows)| theirs.get(*table) != Some(rows))
        .map(|(table, rows)| (table, rows, theirs.get(table)))
        .collect();
    assert!(
        differing.is_empty(),
        "after the kills the demo differs from a clean seeding (table, ours, clean): {differing:?}"
    );
    drop(reference);

    // 2. The billing run for the next month, killed 20 times, then finished.
    let period = next_month();
    let run = ["billing", "run", "--period", &period, "--chunk-size", "3"];
    // Twenty points of progress (customers committed), drawn at random: each kill lands in the
    // middle of a run that resumed the one killed before it.
    let everyone = count(&mut app.conn(), "SELECT id FROM customers");
    let mut points: Vec<i64> = (0..KILLS).map(|_| rng.gen_range(1..everyone)).collect();
    points.sort_unstable();
    let mut landed = BTreeMap::<&str, usize>::new();
    for (kill, point) in points.iter().enumerate() {
        let outcome = kill_when(&app, &run, |app| latest_run_progress(app) >= *point);
        *landed.entry(outcome).or_default() += 1;
        verified(
            &app,
            &format!("billing run, kill {} at {point} customers", kill + 1),
        );
    }
    eprintln!("billing run: {landed:?} of {KILLS} (at {points:?} customers)");
    run_to_the_end(&app, &run);
    let first_day = format!("{period}-01");
    let billed = count(
        &mut app.conn(),
        &format!(
            "SELECT customer_id FROM invoices WHERE kind = 'invoice' AND period_start >= '{first_day}'"
        ),
    );
    let billed_customers = count(
        &mut app.conn(),
        &format!(
            "SELECT DISTINCT customer_id FROM invoices WHERE kind = 'invoice' \
             AND period_start >= '{first_day}'"
        ),
    );
    assert!(
        billed >= i64::from(CUSTOMERS),
        "every customer billed: {billed}"
    );
    assert_eq!(billed, billed_customers, "no customer billed twice");
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM billing_runs WHERE status = 'running'"
        ),
        0,
        "the last run finished what the killed ones began"
    );

    // 3. A bank statement paying every unpaid invoice, imported with kills, then to the end.
    let file = app.data_dir().join("wyciag.csv");
    let credits = statement_paying_everything(&app, &file);
    assert!(credits > 50, "a statement worth killing: {credits} credits");
    let payments_before = count(&mut app.conn(), "SELECT id FROM payments");
    let file = file.to_string_lossy().into_owned();
    let import = ["payments", "import", &file, "--format", "csv"];
    // The kills are drawn within the time a dry run of the same file takes.
    let started = Instant::now();
    run_to_the_end(
        &app,
        &["payments", "import", &file, "--format", "csv", "--dry-run"],
    );
    let dry_run = started.elapsed().as_millis() as u64;
    kill_repeatedly(
        &app,
        &mut rng,
        "bank import",
        &import,
        (dry_run / 10, dry_run.max(20)),
    );
    let booked = count(&mut app.conn(), "SELECT id FROM payments") - payments_before;
    assert_eq!(booked, credits as i64, "every credit booked once");
    // Imported again: nothing more.
    run_to_the_end(&app, &import);
    assert_eq!(
        count(&mut app.conn(), "SELECT id FROM payments") - payments_before,
        credits as i64
    );
    verified(&app, "the end");
}

/// Mail queued for the sender to deliver while it is killed.
const MESSAGES: usize = 300;
const SENDER_KILLS: usize = 10;
/// How long the SMTP server takes to acknowledge a message it has kept: 300 messages take
/// about six seconds, so the kills land mid-delivery, and many between the server keeping a
/// message and the sender hearing so.
const SMTP_DELAY: Duration = Duration::from_millis(20);

fn queue_notices(app: &TestApp) {
    common::smtp::queue_notices(app, MESSAGES, ebok::app::clock::now());
}

/// Subjects of the outbox's messages in `status`.
fn subjects_with_status(app: &TestApp, status: &str) -> BTreeSet<String> {
    use ebok::db::schema::outbox;
    outbox::table
        .filter(outbox::status.eq(status))
        .select(outbox::subject)
        .load::<String>(&mut *app.conn())
        .expect("outbox")
        .into_iter()
        .collect()
}

/// Waits until the database has finished what a killed instance sent it. On PostgreSQL a
/// statement sent just before the kill (a claim's `UPDATE`) still runs and commits in its server
/// process after the client is gone, so reading the outbox at once could miss it and see it at
/// the next kill instead. SQLite writes inside the killed process: nothing outlives it.
fn settled(app: &TestApp) {
    #[derive(QueryableByName)]
    struct Busy {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    if app.backend != Backend::Postgres {
        return;
    }
    wait_until("the killed sender's last statement to finish", || {
        diesel::sql_query(
            "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
             AND pid <> pg_backend_pid() AND state <> 'idle'",
        )
        .get_result::<Busy>(&mut *app.conn())
        .expect("pg_stat_activity")
        .n == 0
    });
}

fn sender(app: &TestApp, smtp: &SmtpSink) -> Instance {
    Instance::start(app, "sender", free_port(), &[("EBOK_SMTP_URL", smtp.url())])
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(300);
    while !done() {
        assert!(Instant::now() < deadline, "waited 300 s for {what}");
        std::thread::sleep(Duration::from_millis(3));
    }
}

fn the_outbox_sender_killed_while_it_delivers_loses_nothing(app: TestApp) {
    let smtp = SmtpSink::start_slow(SMTP_DELAY);
    queue_notices(&app);
    let mut rng = StdRng::seed_from_u64(2424);
    // Kills by messages received: each lands in the middle of a delivery that resumed the one
    // killed before it.
    let mut points: Vec<(usize, u64)> = (0..SENDER_KILLS)
        .map(|_| (rng.gen_range(1..MESSAGES), rng.gen_range(0..30)))
        .collect();
    points.sort_unstable();
    let mut in_flight_at_kills = BTreeSet::new();
    for (kill, (point, later)) in points.iter().enumerate() {
        let mut instance = sender(&app, &smtp);
        wait_until(&format!("{point} messages received"), || {
            smtp.received().len() >= *point
        });
        // A moment within the next message's round (the server's acknowledgement, marking it
        // sent, claiming and sending the next), not always the same one.
        std::thread::sleep(Duration::from_millis(*later));
        instance.kill();
        settled(&app);
        // Held by this kill (those of earlier kills wait out their leases).
        let in_flight: BTreeSet<String> = subjects_with_status(&app, "sending")
            .difference(&in_flight_at_kills)
            .cloned()
            .collect();
        // Claimed one by one: a killed sender holds only the message it was sending; the
        // rest of its batch is the next sender's at once, not after the lease.
        assert!(
            in_flight.len() <= 1,
            "kill {} at {point} received + {later} ms: more than the one message in flight \
             held: {in_flight:?}",
            kill + 1
        );
        in_flight_at_kills.extend(in_flight);
    }
    // Uninterrupted: everything but the messages held by a killed sender's lease goes out.
    let instance = sender(&app, &smtp);
    wait_until("every message not held by a lease sent", || {
        subjects_with_status(&app, "pending").is_empty()
            && subjects_with_status(&app, "sending") == in_flight_at_kills
    });
    drop(instance);
    // The leases would run out five minutes on; let them run out now instead of waiting.
    {
        use ebok::db::schema::outbox;
        let past = ebok::app::clock::now() - chrono::Duration::seconds(1);
        diesel::update(outbox::table.filter(outbox::status.eq("sending")))
            .set(outbox::locked_until.eq(Some(past)))
            .execute(&mut *app.conn())
            .expect("leases run out");
    }
    let instance = sender(&app, &smtp);
    wait_until("every message sent", || {
        subjects_with_status(&app, "sent").len() == MESSAGES
    });
    drop(instance);

    let mut received = BTreeMap::<String, usize>::new();
    for mail in smtp.received() {
        *received.entry(mail.subject()).or_default() += 1;
    }
    let lost: Vec<usize> = (0..MESSAGES)
        .filter(|n| !received.contains_key(&format!("Powiadomienie {n}")))
        .collect();
    assert!(lost.is_empty(), "lost: {lost:?}");
    let twice: BTreeSet<String> = received
        .iter()
        .filter(|(_, times)| **times > 1)
        .map(|(subject, _)| subject.clone())
        .collect();
    assert!(
        received.values().all(|times| *times <= 2),
        "received more than twice: {received:?}"
    );
    assert!(
        twice.is_subset(&in_flight_at_kills),
        "received twice though not in flight at a kill: {:?}",
        twice.difference(&in_flight_at_kills).collect::<Vec<_>>()
    );
    eprintln!(
        "outbox sender: {SENDER_KILLS} kills at {points:?} (received, ms later), {MESSAGES} messages, \
         {} in flight at a kill, {} received twice",
        in_flight_at_kills.len(),
        twice.len()
    );
}

backend_tests!(
    killed_seeding_billing_and_import_leave_the_books_as_one_run_would,
    the_outbox_sender_killed_while_it_delivers_loses_nothing,
);
