//! Faults with figures (issue 24). SMTP down during 1 000 notifications: the SMTP server
//! refuses, then goes away in the middle of a delivery run, then comes back; afterwards every
//! message has been received exactly once, and the back-off is visible in the outbox meanwhile.

mod common;

use std::collections::BTreeMap;

use chrono::Duration;
use common::TestApp;
use common::smtp::SmtpSink;
use ebok::app::clock;
use ebok::db::outbox;
use ebok::domain::{MailStatus, StoredWord};
use ebok::jobs::outbox::DeliveryReport;

const MESSAGES: usize = 1_000;

fn deliver(
    config: &ebok::config::Config,
    pool: &ebok::db::Pool,
    now: chrono::NaiveDateTime,
) -> DeliveryReport {
    let from = config.mail.from.parse().expect("mail from");
    let runtime = rocket::tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime
        .block_on(async {
            let mailer = ebok::mail::Mailer::from_config(&config.mail).expect("mailer");
            ebok::jobs::outbox::deliver_due(pool, &mailer, &from, now).await
        })
        .expect("outbox delivery")
}

fn statuses(app: &TestApp) -> BTreeMap<String, i64> {
    MailStatus::ALL
        .iter()
        .map(|&status| {
            let mut conn = app.conn();
            (
                status.to_string(),
                outbox::count_with_status(&mut conn, status).unwrap(),
            )
        })
        .collect()
}

fn smtp_down_during_a_thousand_notifications_loses_and_doubles_nothing(app: TestApp) {
    let mut smtp = SmtpSink::start();
    let app = app.with_config(|config| config.mail.smtp_url = Some(smtp.url()));
    let start = clock::now();
    common::smtp::queue_notices(&app, MESSAGES, start);

    // 1. The server refuses every connection: nothing is lost, everything waits its back-off.
    // A run stops at the first batch that fails whole (no point hammering a dead server); the
    // sender's next wake-ups take the rest, each message on its own back-off.
    smtp.stop();
    let mut refused = DeliveryReport::default();
    loop {
        let run = deliver(&app.config, &app.pool, start);
        if run.will_retry == 0 {
            break;
        }
        refused.will_retry += run.will_retry;
        refused.sent += run.sent;
        refused.gave_up += run.gave_up;
    }
    assert_eq!(
        (refused.sent, refused.will_retry, refused.gave_up),
        (0, MESSAGES, 0)
    );
    assert_eq!(statuses(&app)["pending"], MESSAGES as i64);
    let backed_off = common::count(
        &mut app.conn(),
        &format!(
            "SELECT id FROM outbox WHERE attempts = 1 AND last_error IS NOT NULL \
             AND next_attempt_at > '{}'",
            start.format("%Y-%m-%d %H:%M:%S")
        ),
    );
    assert_eq!(
        backed_off, MESSAGES as i64,
        "the back-off is visible in the outbox"
    );
    assert_eq!(
        deliver(&app.config, &app.pool, start).sent,
        0,
        "nothing is retried before its time"
    );

    // 2. Back, then gone in the middle of a run.
    smtp.restart();
    let later = start + Duration::hours(1);
    let runner = {
        let (config, pool) = (app.config.clone(), app.pool.clone());
        std::thread::spawn(move || deliver(&config, &pool, later))
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
    while smtp.received().len() < MESSAGES / 3 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    smtp.stop();
    let interrupted = runner.join().expect("delivery run");
    let in_the_middle = smtp.received().len();
    assert!(
        in_the_middle < MESSAGES && interrupted.will_retry > 0,
        "the server went away mid-run: {interrupted:?}, {in_the_middle} received"
    );

    // 3. Back for good: the rest goes out, and a further run sends nothing.
    smtp.restart();
    let recovered = deliver(&app.config, &app.pool, start + Duration::days(1));
    let again = deliver(&app.config, &app.pool, start + Duration::days(3));
    assert_eq!(again.sent, 0);
    assert_eq!(
        statuses(&app)["sent"],
        MESSAGES as i64,
        "{:?}",
        statuses(&app)
    );

    let mut per_recipient: BTreeMap<String, usize> = BTreeMap::new();
    for mail in smtp.received() {
        for recipient in &mail.to {
            *per_recipient.entry(recipient.clone()).or_default() += 1;
        }
    }
    let doubled: Vec<_> = per_recipient.iter().filter(|(_, n)| **n > 1).collect();
    assert_eq!(per_recipient.len(), MESSAGES, "0 lost");
    assert!(doubled.is_empty(), "0 duplicated: {doubled:?}");
    eprintln!(
        "SMTP down: {MESSAGES} messages; refused run: {} to retry; interrupted run: {} sent, {} to \
         retry; recovery run: {} sent; lost 0, duplicated 0",
        refused.will_retry, interrupted.sent, interrupted.will_retry, recovered.sent
    );
}

/// A delivery run that began minutes ago (a long queue to a slow server) and a second sender
/// (another instance) starting now: the first run's claims hold from the moment they are made,
/// so the second never takes, and sends again, a message the first is sending.
fn a_long_delivery_run_keeps_its_claims_from_a_second_sender(app: TestApp) {
    const QUEUED: usize = 40;
    let smtp = SmtpSink::start_slow(std::time::Duration::from_millis(30));
    let app = app.with_config(|config| config.mail.smtp_url = Some(smtp.url()));
    let started_long_ago = clock::now() - Duration::minutes(10);
    common::smtp::queue_notices(&app, QUEUED, started_long_ago - Duration::hours(1));
    let long_run = {
        let (config, pool) = (app.config.clone(), app.pool.clone());
        std::thread::spawn(move || deliver(&config, &pool, started_long_ago))
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while smtp.received().len() < QUEUED / 4 {
        assert!(
            std::time::Instant::now() < deadline,
            "the long run delivers"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let second = deliver(&app.config, &app.pool, clock::now());
    let first = long_run.join().expect("long run");
    assert_eq!(first.sent + second.sent, QUEUED, "{first:?} {second:?}");
    let mut per_subject: BTreeMap<String, usize> = BTreeMap::new();
    for mail in smtp.received() {
        *per_subject.entry(mail.subject()).or_default() += 1;
    }
    let doubled: Vec<_> = per_subject.iter().filter(|(_, n)| **n > 1).collect();
    assert_eq!(per_subject.len(), QUEUED, "0 lost");
    assert!(doubled.is_empty(), "0 duplicated: {doubled:?}");
}

backend_tests!(
    smtp_down_during_a_thousand_notifications_loses_and_doubles_nothing,
    a_long_delivery_run_keeps_its_claims_from_a_second_sender,
);
