//! Two instances, one database (issue 24, part 1): the real binary serving twice, each on its
//! own port, against one database and one invoices directory, both running their background
//! jobs (the outbox sender to a local SMTP server, PayU's notifications to each instance). Staff
//! start the billing run for the same period on both at once, through each instance's staff
//! panel, while subscribers sign in, pay online, open tickets and a visitor registers, their
//! requests handed to the two instances in turn as a round-robin proxy would.
//!
//! Afterwards: exactly one invoice per customer and period, every series gapless and every PDF
//! and FA(3) document matching its hash (`ebok verify`), every queued mail received exactly once,
//! every PayU payment booked once, every ticket the subscriber was told about stored once, one
//! account for the one registration, and every request answered as intended (none 5xx, none
//! unanswered).
//!
//! Run with `--nocapture` to see the figures.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Barrier, Mutex};
use std::time::{Duration, Instant};

use chrono::{Datelike, Months};
use common::payu::{free_port, http_post};
use common::serve::{Answer, Browser, Instance, csrf_token};
use common::smtp::SmtpSink;
use common::{TestApp, count};
use diesel::prelude::*;
use ebok::app::demo::{
    ADMIN_LOGIN, ADMIN_PASSWORD, GENERATED_PASSWORD, UNREGISTERED_CONTRACT, UNREGISTERED_EMAIL,
    UNREGISTERED_PESEL,
};
use ebok::sim::payu::{self as payu_sim, PayuSim, SimOptions};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Generated demo customers: the billing run and the delivery of its mail take long enough in
/// a debug build for the subscribers' requests to land while both instances bill and send.
const CUSTOMERS: u32 = 100;
/// How long the SMTP server takes to acknowledge each message.
const SMTP_DELAY: Duration = Duration::from_millis(150);
/// Staff starting the run, one on each instance.
const STARTERS: usize = 2;
/// Subscribers signed in at once, each on a thread of its own.
const SUBSCRIBERS: usize = 6;
/// The demo's billing staff ("ksiegowosc") sign in with this.
const STAFF_PASSWORD: &str = "Staff-ebok-2026";
/// Rounds every subscriber makes even if the billing run and its mail are over sooner.
const MIN_ROUNDS: usize = 3;

backend_tests!(two_instances_bill_once_mail_once_and_answer_every_request);

/// Every answer, by what was asked; and what should not have happened.
#[derive(Default)]
struct Tally {
    statuses: Mutex<BTreeMap<&'static str, BTreeMap<u16, usize>>>,
    unintended: Mutex<Vec<String>>,
}

impl Tally {
    /// Records the answer to a `what` request; `intended` are the statuses it may have.
    fn record(
        &self,
        what: &'static str,
        answer: Result<Answer, String>,
        intended: &[u16],
    ) -> Option<Answer> {
        match answer {
            Ok(answer) => {
                *self
                    .statuses
                    .lock()
                    .expect("tally")
                    .entry(what)
                    .or_default()
                    .entry(answer.status)
                    .or_default() += 1;
                if !intended.contains(&answer.status) {
                    let start: String = answer.body.chars().take(300).collect();
                    self.unintended.lock().expect("tally").push(format!(
                        "{what}: {} (intended {intended:?}): {start}",
                        answer.status
                    ));
                }
                Some(answer)
            }
            Err(error) => {
                self.unintended
                    .lock()
                    .expect("tally")
                    .push(format!("{what}: not answered: {error}"));
                None
            }
        }
    }

    /// Records both requests of a submitted form: the form page (200) and the submission.
    fn record_form(
        &self,
        what: &'static str,
        answer: Result<(Answer, Answer), String>,
        intended: &[u16],
    ) -> Option<Answer> {
        match answer {
            Ok((page, sent)) => {
                self.record("form page", Ok(page), &[200]);
                self.record(what, Ok(sent), intended)
            }
            Err(error) => self.record(what, Err(error), intended),
        }
    }

    fn requests(&self) -> usize {
        self.statuses
            .lock()
            .expect("tally")
            .values()
            .flat_map(|statuses| statuses.values())
            .sum()
    }

    fn answered(&self, what: &str, status: u16) -> usize {
        self.statuses
            .lock()
            .expect("tally")
            .get(what)
            .and_then(|statuses| statuses.get(&status))
            .copied()
            .unwrap_or(0)
    }
}

fn next_month() -> String {
    let next = ebok::app::clock::today()
        .with_day(1)
        .and_then(|d| d.checked_add_months(Months::new(1)))
        .expect("next month");
    next.format("%Y-%m").to_string()
}

/// The settings that make an instance one of the pair: SMTP, PayU (notifications to itself).
fn instance_env(smtp: &SmtpSink, payu: &PayuSim, port: u16) -> Vec<(&'static str, String)> {
    vec![
        ("EBOK_SMTP_URL", smtp.url()),
        ("EBOK_PAYU_URL", payu.base_url.clone()),
        ("EBOK_PAYU_POS_ID", payu_sim::DEMO_POS_ID.into()),
        ("EBOK_PAYU_CLIENT_ID", payu_sim::DEMO_POS_ID.into()),
        (
            "EBOK_PAYU_CLIENT_SECRET",
            payu_sim::DEMO_CLIENT_SECRET.into(),
        ),
        ("EBOK_PAYU_SECOND_KEY", payu_sim::DEMO_SECOND_KEY.into()),
        (
            "EBOK_PAYU_NOTIFY_URL",
            format!("http://127.0.0.1:{port}/payu/powiadomienia"),
        ),
    ]
}

/// A staff member signed in on one instance, starting the run for `period` once `together`
/// lets every starter go at the same moment.
fn start_the_run(
    tally: &Tally,
    port: u16,
    (login, password): (&str, &str),
    period: &str,
    together: &Barrier,
) {
    let mut staff = Browser::new("10.0.1.1", &[port]);
    tally.record_form(
        "staff login",
        staff.submit(
            "/staff/login",
            "/staff/login",
            &[("login", login), ("password", password)],
            false,
        ),
        &[303],
    );
    let panel = tally.record("billing panel", staff.get("/staff/rozliczenia"), &[200]);
    let token = panel
        .and_then(|page| csrf_token(&page.body))
        .unwrap_or_default();
    together.wait();
    let body = common::form(&[("period", period), ("csrf_token", &token)]);
    // Started (to the run's page), or refused while the other instance's run holds the
    // period: both are what staff are meant to see. Refused, they try again a little later,
    // until their own run starts (and finds everyone billed).
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let started = tally.record(
            "billing run start",
            staff.post(
                "/staff/rozliczenia",
                "application/x-www-form-urlencoded",
                body.as_bytes(),
            ),
            &[303, 422],
        );
        let Some(started) = started else { return };
        if let Some(run_page) = started.location() {
            tally.record("billing run page", staff.get(run_page), &[200]);
            return;
        }
        if Instant::now() > deadline {
            return;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// The visitor registering the demo's unregistered contract at the same moment on both
/// instances (under two logins): one account, the other told it is registered already.
fn register(tally: &Tally, port: u16, n: usize, together: &Barrier) {
    let mut visitor = Browser::new(&format!("10.0.2.{n}"), &[port]);
    let page = tally.record("form page", visitor.get("/rejestracja"), &[200]);
    let token = page
        .and_then(|page| csrf_token(&page.body))
        .unwrap_or_default();
    let login = format!("nowak{n}");
    let fields = |pesel: &'static str| {
        common::form(&[
            ("login", &login),
            ("password", "Rejestracja-2026-bezpieczna"),
            ("password_repeated", "Rejestracja-2026-bezpieczna"),
            ("email", UNREGISTERED_EMAIL),
            ("pesel", pesel),
            ("contract_number", UNREGISTERED_CONTRACT),
            ("accepts_terms", "true"),
            ("csrf_token", &token),
        ])
    };
    together.wait();
    tally.record(
        "registration",
        visitor.post(
            "/rejestracja",
            "application/x-www-form-urlencoded",
            fields(UNREGISTERED_PESEL).as_bytes(),
        ),
        &[303, 409, 429],
    );
    // Someone else's PESEL: the same refusal as an unknown contract.
    tally.record(
        "registration with a wrong PESEL",
        visitor.post(
            "/rejestracja",
            "application/x-www-form-urlencoded",
            fields("44051401359").as_bytes(),
        ),
        &[422, 429],
    );
}

/// Invoice ids linked from the subscriber's invoice list.
fn invoice_ids(html: &str) -> Vec<i64> {
    html.match_indices("/faktury/")
        .filter_map(|(at, found)| {
            let digits: String = html[at + found.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .collect()
}

/// What PayU orders the subscribers paid, and the tickets they were told were opened.
#[derive(Default)]
struct Done {
    /// PayU's payment pages paid, by address: paying an invoice again while its first payment's
    /// notification is on its way goes back to the same order (one payment, one completion).
    paid_at_payu: BTreeSet<String>,
    tickets_opened: usize,
}

/// A subscriber's session: sign in, then rounds of the dashboard, the invoices, paying one of
/// them at PayU, opening a ticket and reading the ticket list, until the billing run is over
/// and its mail delivered.
fn subscriber(
    tally: &Tally,
    ports: &[u16],
    payu: &PayuSim,
    login: &str,
    n: usize,
    work_over: &AtomicBool,
) -> Done {
    let mut rng = StdRng::seed_from_u64(n as u64);
    let mut browser = Browser::new(&format!("10.0.3.{n}"), ports);
    let mut done = Done::default();
    let signed_in = tally.record_form(
        "subscriber login",
        browser.submit(
            "/logowanie",
            "/logowanie",
            &[("identifier", login), ("password", GENERATED_PASSWORD)],
            false,
        ),
        &[303],
    );
    if signed_in.is_none_or(|answer| answer.status != 303) {
        return done;
    }
    let mut round = 0;
    while round < MIN_ROUNDS || !work_over.load(Ordering::SeqCst) {
        round += 1;
        tally.record("dashboard", browser.get("/"), &[200]);
        let invoices = tally.record("invoice list", browser.get("/faktury"), &[200]);
        let ids = invoices
            .map(|page| invoice_ids(&page.body))
            .unwrap_or_default();
        if !ids.is_empty() {
            let id = ids[rng.gen_range(0..ids.len())];
            let page = tally.record("invoice", browser.get(&format!("/faktury/{id}")), &[200]);
            // Paid when the page offers it: to PayU, or back to the invoice when it was paid
            // (or its payment started) in the meantime.
            let offered = page.filter(|page| page.body.contains("zaplac-online"));
            let paying = offered.and_then(|page| {
                let body = common::form(&[("csrf_token", &csrf_token(&page.body)?)]);
                tally.record(
                    "pay online",
                    browser.post(
                        &format!("/faktury/{id}/zaplac-online"),
                        "application/x-www-form-urlencoded",
                        body.as_bytes(),
                    ),
                    &[303],
                )
            });
            if let Some(at_payu) = paying
                .as_ref()
                .and_then(Answer::location)
                .filter(|to| to.starts_with(&payu.base_url))
            {
                let (status, _) = http_post(&format!("{at_payu}/pay"), &[], b"");
                assert_eq!(status, 303, "PayU takes the payment");
                done.paid_at_payu.insert(at_payu.to_owned());
            }
        }
        let subject = format!("Niezawodność {n}/{round}");
        let opened = tally.record_form(
            "ticket",
            browser.submit(
                "/zgloszenia/nowe",
                "/zgloszenia/nowe",
                &[
                    ("category", "fault"),
                    ("service", ""),
                    ("subject", &subject),
                    ("body", "Internet przerywa co kilka minut."),
                ],
                true,
            ),
            &[303],
        );
        if opened.is_some_and(|answer| answer.status == 303) {
            done.tickets_opened += 1;
        }
        tally.record("ticket list", browser.get("/zgloszenia"), &[200]);
    }
    done
}

/// The address part of `Name <address>` or a bare address, as SMTP's RCPT TO carries it.
fn address(recipient: &str) -> String {
    recipient
        .rsplit_once('<')
        .map_or(recipient, |(_, rest)| rest.trim_end_matches('>'))
        .trim()
        .to_lowercase()
}

/// The highest id in `table` (0 when empty).
fn last_id(app: &TestApp, table: &str) -> i64 {
    #[derive(QueryableByName)]
    struct Last {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    diesel::sql_query(format!(
        "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) AS id FROM {table}"
    ))
    .get_result::<Last>(&mut *app.conn())
    .expect("last id")
    .id
}

/// How the period's billing runs ended (or that they still run), oldest first.
fn run_statuses(app: &TestApp, period: &str) -> Vec<String> {
    use ebok::db::schema::billing_runs;
    billing_runs::table
        .filter(billing_runs::period.eq(period))
        .order(billing_runs::id)
        .select(billing_runs::status)
        .load(&mut *app.conn())
        .expect("billing runs")
}

/// Polls `done` for up to `limit`; the error says what did not come about.
fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) -> Result<(), String> {
    let deadline = Instant::now() + limit;
    while !done() {
        if Instant::now() > deadline {
            return Err(format!("waited {limit:?} for {what}"));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Ok(())
}

fn two_instances_bill_once_mail_once_and_answer_every_request(app: TestApp) {
    let began = Instant::now();
    app.seed_demo(CUSTOMERS);
    // Every customer takes invoices by e-mail: the run queues one mail (with its PDF) each,
    // for the two instances' senders to deliver.
    let everyone: Vec<ebok::domain::CustomerId> = {
        use ebok::db::schema::customers;
        customers::table
            .select(customers::id)
            .load(&mut *app.conn())
            .expect("customers")
    };
    for customer_id in everyone {
        ebok::db::consents::record(
            &mut app.conn(),
            &ebok::db::consents::NewConsent {
                customer_id,
                kind: "einvoice".into(),
                granted: true,
                text_version: "e-faktura-2026-01".into(),
                account_id: None,
                ip: None,
                at: ebok::app::clock::now(),
            },
        )
        .expect("consent");
    }
    let period = next_month();
    let first_day = format!("{period}-01");
    // Slow enough that delivering the run's mail outlasts the senders' 15-second poll: the
    // instance that did not bill takes its share, and the two race for each message.
    let smtp = SmtpSink::start_slow(SMTP_DELAY);
    let mut options = SimOptions::demo(0);
    options.minute = Duration::from_millis(10);
    let payu = payu_sim::spawn(options).expect("local PayU");
    // What the demo marked sent without any server: not ours to count.
    let sent_before: Vec<i64> = {
        use ebok::db::schema::outbox;
        outbox::table
            .filter(outbox::status.eq("sent"))
            .select(outbox::id)
            .load(&mut *app.conn())
            .expect("outbox")
    };
    // Where the demo's own payments end: the test counts what came after.
    let orders_before = last_id(&app, "online_payments");
    let payments_before = last_id(&app, "payments");
    let ports = [free_port(), free_port()];
    let instances: Vec<Instance> = ports
        .iter()
        .enumerate()
        .map(|(n, &port)| {
            Instance::start(
                &app,
                &format!("instance-{n}"),
                port,
                &instance_env(&smtp, &payu, port),
            )
        })
        .collect();
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

    let tally = Tally::default();
    let work_over = AtomicBool::new(false);
    let starters = Barrier::new(STARTERS);
    let registrants = Barrier::new(ports.len());
    let staff = [
        (ADMIN_LOGIN, ADMIN_PASSWORD),
        ("ksiegowosc", STAFF_PASSWORD),
    ];
    let load_began = Instant::now();
    let (done, billing): (Vec<Done>, Result<(), String>) = std::thread::scope(|scope| {
        for (n, &port) in ports.iter().enumerate() {
            let (tally, period, starters, registrants) = (&tally, &period, &starters, &registrants);
            scope.spawn(move || start_the_run(tally, port, staff[n], period, starters));
            scope.spawn(move || register(tally, port, n + 1, registrants));
        }
        let sessions: Vec<_> = logins
            .iter()
            .enumerate()
            .map(|(n, login)| {
                let (tally, payu, work_over) = (&tally, &payu, &work_over);
                scope.spawn(move || subscriber(tally, &ports, payu, login, n + 1, work_over))
            })
            .collect();
        // Over once each staff member's run of the period has ended and the mail the runs
        // queued is out: the subscribers' requests go on through both.
        let billing = wait_for("the billing runs", Duration::from_secs(300), || {
            run_statuses(&app, &period).len() == STARTERS
                && !run_statuses(&app, &period).iter().any(|s| s == "running")
        })
        .and_then(|()| {
            wait_for("the outbox to empty", Duration::from_secs(300), || {
                count(
                    &mut app.conn(),
                    "SELECT id FROM outbox WHERE status <> 'sent'",
                ) == 0
            })
        });
        work_over.store(true, Ordering::SeqCst);
        let done = sessions
            .into_iter()
            .map(|session| session.join().expect("subscriber session"))
            .collect();
        (done, billing)
    });
    let load_took = load_began.elapsed();
    let unintended = tally.unintended.lock().expect("tally").clone();
    let logs = || {
        instances
            .iter()
            .map(Instance::log)
            .collect::<Vec<_>>()
            .join("\n---\n")
    };
    assert!(
        unintended.is_empty(),
        "{} of {} requests answered otherwise than intended:\n{}\n{}",
        unintended.len(),
        tally.requests(),
        unintended.join("\n"),
        logs()
    );
    billing.unwrap_or_else(|e| panic!("{e}\n{}", logs()));
    assert_eq!(
        tally.answered("billing run start", 303),
        STARTERS,
        "each staff member's run started in the end"
    );
    assert_eq!(
        run_statuses(&app, &period),
        ["finished"; STARTERS],
        "the runs of the period, in order: the first bills, the later one finds everyone billed"
    );

    // One invoice per customer and period, however many instances billed.
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

    // Every payment made at PayU booked once, by whichever instance PayU told; so are the
    // automatic card charges the instances' own jobs make meanwhile.
    let paid_at_payu = done
        .iter()
        .flat_map(|d| &d.paid_at_payu)
        .collect::<BTreeSet<_>>()
        .len();
    let completed = |by_subscribers: &str| {
        count(
            &mut app.conn(),
            &format!(
                "SELECT id FROM online_payments WHERE id > {orders_before} AND state = 'completed' \
                 {by_subscribers}"
            ),
        )
    };
    wait_for("PayU's notifications", Duration::from_secs(60), || {
        completed("AND account_id IS NOT NULL") >= paid_at_payu as i64
    })
    .unwrap_or_else(|e| {
        let completed = completed("AND account_id IS NOT NULL");
        panic!("{e}: {completed} of {paid_at_payu} completed\n{}", logs())
    });
    assert_eq!(
        completed("AND account_id IS NOT NULL"),
        paid_at_payu as i64,
        "each payment at PayU completes its order once"
    );
    assert_eq!(
        payu.refused(),
        Vec::<u16>::new(),
        "PayU's notifications answered otherwise than 200"
    );
    let online_payments = completed("");
    assert_eq!(
        count(
            &mut app.conn(),
            &format!(
                "SELECT id FROM payments WHERE id > {payments_before} AND source = 'online' \
                 AND reversed_at IS NULL"
            )
        ),
        online_payments,
        "each completed order booked once"
    );

    // Every ticket the subscribers were shown as opened is there, once.
    let tickets_opened: usize = done.iter().map(|d| d.tickets_opened).sum();
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM tickets WHERE subject LIKE 'Niezawodno%'"
        ),
        tickets_opened as i64
    );

    // One registration of the contract, one account.
    assert_eq!(tally.answered("registration", 303), 1, "one registration");
    assert_eq!(
        count(
            &mut app.conn(),
            &format!(
                "SELECT a.id FROM accounts a JOIN contracts c ON c.customer_id = a.customer_id \
                 WHERE c.number = '{UNREGISTERED_CONTRACT}' AND a.role = 'owner'"
            )
        ),
        1
    );

    // Every queued mail delivered by one of the senders, and received exactly once.
    // (The load ended once the outbox was empty; what it queued since is out too.)
    wait_for("the outbox to empty", Duration::from_secs(60), || {
        count(
            &mut app.conn(),
            "SELECT id FROM outbox WHERE status <> 'sent'",
        ) == 0
    })
    .unwrap_or_else(|e| panic!("{e}\n{}", logs()));
    // Stopped before the outbox and the server are compared, so that no job queues and sends
    // a message between the two readings.
    drop(instances);
    let not_sent = count(
        &mut app.conn(),
        "SELECT id FROM outbox WHERE status <> 'sent'",
    );
    assert_eq!(not_sent, 0, "mail queued in the instances' last moments");
    let queued: Vec<(i64, String, String)> = {
        use ebok::db::schema::outbox;
        outbox::table
            .select((outbox::id, outbox::recipient, outbox::subject))
            .load(&mut *app.conn())
            .expect("outbox")
    };
    let mut expected = BTreeMap::<(String, String), i64>::new();
    for (_, recipient, subject) in queued.iter().filter(|(id, ..)| !sent_before.contains(id)) {
        *expected
            .entry((address(recipient), subject.clone()))
            .or_default() += 1;
    }
    let mut received = BTreeMap::<(String, String), i64>::new();
    let mails = smtp.received();
    for mail in &mails {
        for to in &mail.to {
            *received.entry((address(to), mail.subject())).or_default() += 1;
        }
    }
    let differing: Vec<_> = expected
        .iter()
        .filter(|(key, n)| received.get(*key) != Some(n))
        .map(|(key, n)| (key, n, received.get(key)))
        .chain(
            received
                .iter()
                .filter(|(key, _)| !expected.contains_key(*key))
                .map(|(key, n)| (key, n, None)),
        )
        .collect();
    assert!(
        differing.is_empty(),
        "mail not received exactly once ((recipient, subject), queued, received): {differing:?}"
    );

    // The books: every stored document against its hash, every series without a gap.
    let verify = common::ebok_command(&app, &["verify"])
        .output()
        .expect("ebok verify starts");
    assert!(
        verify.status.success(),
        "ebok verify:\n{}\n{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
    eprintln!(
        "{:?}: {} requests in {load_took:.1?} ({:?}), {billed} invoices, {} mails, \
         {paid_at_payu} PayU payments by subscribers ({online_payments} online payments in all), \
         {tickets_opened} tickets; {:.1?} in all",
        app.backend,
        tally.requests(),
        tally.statuses.lock().expect("tally"),
        mails.len(),
        began.elapsed()
    );
}
