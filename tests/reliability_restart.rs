//! PostgreSQL restarting under load (issue 24, part 4): the real binary (`ebok serve`) on a
//! PostgreSQL cluster of the test's own, while subscribers read their dashboard and invoices
//! and open tickets and a monitor polls `/health`. Meanwhile the cluster is restarted
//! (`pg_ctl restart -m fast`) and later stopped (`-m fast`) for a few seconds and started again.
//!
//! Every request is answered within [`PER_REQUEST`] and none with a 500; while the server is
//! down every page answers 503 with the friendly page and `Retry-After`, and `/health` 503;
//! once the server is up, requests succeed again within [`RECOVERY_BOUND`]; every ticket a
//! subscriber was shown as opened is stored once with its first message, and none refused with
//! 503 is stored.
//!
//! PostgreSQL only. Its binaries (`/usr/lib/postgresql/*/bin`) must run as the `postgres` user,
//! so the test needs root, as in CI; elsewhere it says it did not run, and fails under CI.
//! Run with `--nocapture` to see the figures.

mod common;

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::cluster::Cluster;
use common::payu::free_port;
use common::serve::{Answer, Browser, Instance, csrf_token, exchange};
use common::{BOUNDARY, TestApp, count, multipart_body, page_text};
use diesel::prelude::*;
use ebok::app::demo::GENERATED_PASSWORD;

/// Generated demo customers.
const CUSTOMERS: u32 = 50;
/// Subscribers signed in at once, each on a thread of its own.
const SUBSCRIBERS: usize = 4;
/// Longer than this is a hang, even in a debug build on a busy machine.
const PER_REQUEST: Duration = Duration::from_secs(30);
/// Generous for a noisy machine; the figure measured is printed (the goal is 5 s).
const RECOVERY_BOUND: Duration = Duration::from_secs(15);
/// Load before the first fault, between the faults and after the last.
const SETTLE: Duration = Duration::from_secs(6);
/// How long the server stays stopped.
const DOWN_FOR: Duration = Duration::from_secs(4);
/// Every ticket the load opens is called this, and a number.
const SUBJECT: &str = "Restart bazy";

/// One request of the load: what was asked, when (since the load began), how long the answer
/// took, and the answer.
struct Sample {
    what: &'static str,
    began: Duration,
    took: Duration,
    /// The status, or why there was none.
    answer: Result<u16, String>,
    /// The 503 page a visitor should see: its words and `Retry-After: 5`.
    friendly: bool,
    start_of_body: String,
}

impl Sample {
    fn ended(&self) -> Duration {
        self.began + self.took
    }

    fn succeeded(&self) -> bool {
        matches!(self.answer, Ok(200 | 303))
    }
}

/// Every request of the load, as it was answered.
struct Load {
    began: Instant,
    samples: Mutex<Vec<Sample>>,
}

impl Load {
    fn now(&self) -> Duration {
        self.began.elapsed()
    }

    fn ask(
        &self,
        what: &'static str,
        send: impl FnOnce() -> Result<Answer, String>,
    ) -> Option<Answer> {
        let began = self.now();
        let answer = send();
        let took = self.now() - began;
        let text = answer
            .as_ref()
            .map(|a| page_text(&a.body))
            .unwrap_or_default();
        let friendly = answer.as_ref().is_ok_and(|a| {
            a.header("Retry-After") == Some("5")
                && (text.contains("Chwilowa przerwa") || text.contains("Back in a moment"))
        });
        self.samples.lock().expect("samples").push(Sample {
            what,
            began,
            took,
            answer: answer.as_ref().map(|a| a.status).map_err(Clone::clone),
            friendly,
            start_of_body: text.chars().take(200).collect(),
        });
        answer.ok()
    }
}

/// A subscriber's session: signed in before the faults, then rounds of the dashboard, the
/// invoices and a new ticket until `over`. The ticket form's token is kept, so tickets are
/// sent while the server is down too. Returns each ticket's subject and status.
fn subscriber(
    load: &Load,
    port: u16,
    login: &str,
    n: usize,
    over: &AtomicBool,
) -> Vec<(String, u16)> {
    let mut browser = Browser::new(&format!("10.0.3.{n}"), &[port]);
    let signed_in = browser.submit(
        "/logowanie",
        "/logowanie",
        &[("identifier", login), ("password", GENERATED_PASSWORD)],
        false,
    );
    let signed_in = signed_in.map(|(_, answer)| answer.status);
    assert_eq!(signed_in, Ok(303), "{login} signs in");
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let mut token = None;
    let mut tickets = Vec::new();
    let mut round = 0;
    while !over.load(Ordering::SeqCst) {
        round += 1;
        let mut statuses = Vec::new();
        for (what, path) in [("dashboard", "/"), ("invoice list", "/faktury")] {
            statuses.extend(load.ask(what, || browser.get(path)).map(|a| a.status));
        }
        if let Some(form) = load.ask("ticket form", || browser.get("/zgloszenia/nowe")) {
            statuses.push(form.status);
            token = csrf_token(&form.body).or(token);
        }
        if let Some(token) = &token {
            let subject = format!("{SUBJECT} {n}/{round}");
            let body = multipart_body(
                &[
                    ("csrf_token", token),
                    ("category", "fault"),
                    ("service", ""),
                    ("subject", &subject),
                    ("body", "Strona działa, a internet przerywa."),
                ],
                &[],
            );
            let sent = load.ask("ticket", || {
                browser.post("/zgloszenia/nowe", &content_type, &body)
            });
            if let Some(sent) = sent {
                statuses.push(sent.status);
                tickets.push((subject, sent.status));
            }
        }
        // Retry-After asks for 5 s; a tenth of that keeps the outage well sampled.
        if statuses.contains(&503) {
            std::thread::sleep(Duration::from_millis(500));
        }
    }
    tickets
}

/// The monitor: `/health` every 100 ms until `over`.
fn monitor(load: &Load, port: u16, over: &AtomicBool) {
    while !over.load(Ordering::SeqCst) {
        load.ask("health", || exchange(port, "GET", "/health", &[], &[]));
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// When a fault was injected and when the server accepted connections again (since the load
/// began).
struct Fault {
    name: &'static str,
    /// From here on requests may fail.
    from: Duration,
    /// pg_ctl's word that the server accepts connections.
    up: Duration,
}

/// The faults, one after the other, between stretches of plain load.
fn inject(load: &Load, cluster: &Cluster) -> Result<(Vec<Fault>, (Duration, Duration)), String> {
    std::thread::sleep(SETTLE);
    let from = load.now();
    cluster.pg_ctl(&["restart", "-m", "fast"])?;
    let restart = Fault {
        name: "pg_ctl restart -m fast",
        from,
        up: load.now(),
    };
    std::thread::sleep(SETTLE);
    let from = load.now();
    cluster.pg_ctl(&["stop", "-m", "fast"])?;
    let stopped = load.now();
    std::thread::sleep(DOWN_FOR);
    let starting = load.now();
    cluster.pg_ctl(&["start"])?;
    let stop_start = Fault {
        name: "pg_ctl stop -m fast, start",
        from,
        up: load.now(),
    };
    std::thread::sleep(SETTLE);
    Ok((vec![restart, stop_start], (stopped, starting)))
}

/// Statuses each request may be answered with: its success, or 503 while the database does
/// not answer.
fn intended(what: &str) -> &'static [u16] {
    match what {
        "ticket" => &[303, 503],
        _ => &[200, 503],
    }
}

#[test]
fn postgresql_restarting_under_load_answers_503_then_recovers_and_keeps_every_acknowledged_write() {
    let Some(cluster) = Cluster::start("the PostgreSQL restart test") else {
        return;
    };
    let app = TestApp::postgres_on(&cluster.admin_url());
    let customers = CUSTOMERS.to_string();
    let seeded = common::ebok_command(&app, &["demo", "--customers", &customers, "--seed-only"])
        .output()
        .expect("ebok demo starts");
    assert!(
        seeded.status.success(),
        "ebok demo: {}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let logins: Vec<String> = {
        use ebok::db::schema::accounts;
        accounts::table
            .filter(accounts::login.like("klient%"))
            .order(accounts::id)
            .select(accounts::login)
            .limit(SUBSCRIBERS as i64)
            .load(&mut *app.conn())
            .expect("generated subscribers")
    };
    assert_eq!(logins.len(), SUBSCRIBERS, "the demo has subscribers");
    let port = free_port();
    let instance = Instance::start(&app, "serve", port, &[]);

    let load = Load {
        began: Instant::now(),
        samples: Mutex::new(Vec::new()),
    };
    let over = AtomicBool::new(false);
    let (tickets, injected) = std::thread::scope(|scope| {
        let (load, over) = (&load, &over);
        let sessions: Vec<_> = logins
            .iter()
            .enumerate()
            .map(|(n, login)| scope.spawn(move || subscriber(load, port, login, n + 1, over)))
            .collect();
        scope.spawn(move || monitor(load, port, over));
        let injected = inject(load, &cluster);
        over.store(true, Ordering::SeqCst);
        let tickets: Vec<(String, u16)> = sessions
            .into_iter()
            .flat_map(|session| session.join().expect("subscriber session"))
            .collect();
        (tickets, injected)
    });
    let (faults, (stopped, starting)) = injected.unwrap_or_else(|e| panic!("{e}"));
    let samples = load.samples.into_inner().expect("samples");
    let log = || instance.log();

    // Every request answered, in time, as intended: never a 500, never a hang.
    let wrong: Vec<String> = samples
        .iter()
        .filter(|s| {
            s.took > PER_REQUEST
                || !s
                    .answer
                    .as_ref()
                    .is_ok_and(|st| intended(s.what).contains(st))
        })
        .map(|s| {
            format!(
                "{} at {:.1?}: {:?} after {:.1?}: {}",
                s.what, s.began, s.answer, s.took, s.start_of_body
            )
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {} requests unanswered, late or answered otherwise than intended:\n{}\n{}",
        wrong.len(),
        samples.len(),
        wrong.join("\n"),
        log()
    );

    // While the server is stopped: 503, and on pages the friendly page with Retry-After.
    let while_down: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.began >= stopped && s.ended() <= starting)
        .collect();
    for what in [
        "dashboard",
        "invoice list",
        "ticket form",
        "ticket",
        "health",
    ] {
        assert!(
            while_down.iter().any(|s| s.what == what),
            "no {what} request while the server was down"
        );
    }
    let not_refused: Vec<String> = while_down
        .iter()
        .filter(|s| s.answer != Ok(503) || (s.what != "health" && !s.friendly))
        .map(|s| {
            format!(
                "{} at {:.1?}: {:?}: {}",
                s.what, s.began, s.answer, s.start_of_body
            )
        })
        .collect();
    assert!(
        not_refused.is_empty(),
        "answered while the server was down otherwise than 503 with the friendly page:\n{}",
        not_refused.join("\n")
    );

    // Back once the server is: the first success after it was up, and the moment from which
    // every request succeeds (a request refused just before the server was up may be answered
    // after it; one waiting for a connection meanwhile may succeed later).
    let mut figures = Vec::new();
    for (n, fault) in faults.iter().enumerate() {
        let until = faults.get(n + 1).map_or(Duration::MAX, |next| next.from);
        let after: Vec<&Sample> = samples
            .iter()
            .filter(|s| s.began >= fault.from && s.ended() < until)
            .collect();
        let first_success = |from: Duration| {
            after
                .iter()
                .filter(|s| s.succeeded() && s.ended() >= from)
                .map(|s| s.ended())
                .min()
        };
        let last_failure = after
            .iter()
            .filter(|s| !s.succeeded())
            .map(|s| s.ended())
            .max()
            .unwrap_or(fault.up);
        let (Some(first), Some(back)) = (
            first_success(fault.up),
            first_success(last_failure.max(fault.up)),
        ) else {
            panic!("{}: no success after the server was up", fault.name);
        };
        let recovered = back.saturating_sub(fault.up);
        assert!(
            recovered <= RECOVERY_BOUND,
            "{}: every request succeeds only {recovered:.1?} after the server was up",
            fault.name
        );
        let refused = after.iter().filter(|s| s.answer == Ok(503)).count();
        // The last success before the fault bit: from then on visitors saw no page.
        let last_before = after
            .iter()
            .filter(|s| s.succeeded() && s.ended() < first)
            .map(|s| s.ended())
            .max()
            .unwrap_or(fault.from);
        figures.push(format!(
            "{}: server up {:.1?} after pg_ctl began; {refused} answered 503; no success for \
             {:.1?}; after the server was up the first success in {:.1?}, every request \
             succeeding from {recovered:.1?}",
            fault.name,
            fault.up - fault.from,
            first.saturating_sub(last_before),
            first.saturating_sub(fault.up),
        ));
    }

    // Every ticket acknowledged is stored once, with its first message; none refused is.
    let stored: Vec<String> = {
        use ebok::db::schema::tickets;
        tickets::table
            .filter(tickets::subject.like(format!("{SUBJECT} %")))
            .select(tickets::subject)
            .load(&mut *app.conn())
            .expect("tickets")
    };
    let times_stored = |subject: &str| stored.iter().filter(|s| *s == subject).count();
    let acknowledged: Vec<&str> = tickets
        .iter()
        .filter(|(_, status)| *status == 303)
        .map(|(subject, _)| subject.as_str())
        .collect();
    let refused: Vec<&str> = tickets
        .iter()
        .filter(|(_, status)| *status == 503)
        .map(|(subject, _)| subject.as_str())
        .collect();
    let lost: Vec<&&str> = acknowledged
        .iter()
        .filter(|s| times_stored(s) != 1)
        .collect();
    assert!(
        lost.is_empty(),
        "acknowledged tickets not stored once: {lost:?}"
    );
    let left_behind: Vec<&&str> = refused.iter().filter(|s| times_stored(s) != 0).collect();
    assert!(
        left_behind.is_empty(),
        "tickets refused with 503 but stored: {left_behind:?}"
    );
    assert_eq!(
        stored.len(),
        acknowledged.len(),
        "stored tickets that no subscriber was told about"
    );
    let half_written = count(
        &mut app.conn(),
        &format!(
            "SELECT t.id FROM tickets t WHERE t.subject LIKE '{SUBJECT} %' \
             AND NOT EXISTS (SELECT 1 FROM ticket_messages m WHERE m.ticket_id = t.id)"
        ),
    );
    assert_eq!(half_written, 0, "tickets without their first message");

    let answered_503 = samples.iter().filter(|s| s.answer == Ok(503)).count();
    eprintln!(
        "{} requests in {:.1?}, {answered_503} answered 503 ({} of them while the server was \
         stopped); {} tickets acknowledged and stored, {} refused and not stored\n{}",
        samples.len(),
        samples.iter().map(Sample::ended).max().unwrap_or_default(),
        while_down.len(),
        acknowledged.len(),
        refused.len(),
        figures.join("\n")
    );
}
