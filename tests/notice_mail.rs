//! Notices by e-mail with a controlled clock and a real SMTP server: a service about to expire
//! is mailed once however often (and by however many instances) the job runs, not at all to a
//! subscriber who turned reminders off, and an outage notice goes once to the customers of its
//! area who want outage mail, when it is published.

mod common;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use common::bank::{customer, date};
use common::smtp::{ReceivedMail, SmtpSink};
use common::{TestApp, scalar_i64};
use diesel::prelude::*;
use ebok::app::mail_queue::Outgoing;
use ebok::app::notice_mail::{self, NoticeMailReport};
use ebok::db::contracts::NewContract;
use ebok::db::news::NewNewsItem;
use ebok::db::schema::news;
use ebok::db::services::NewService;
use ebok::domain::CustomerId;
use ebok::mail::MailTemplates;

backend_tests!(
    a_service_about_to_expire_is_mailed_once_even_by_two_instances,
    a_subscriber_who_turned_reminders_off_gets_no_renewal_mail,
    an_outage_is_mailed_once_to_its_area_when_published_honouring_the_switch,
);

fn today() -> NaiveDate {
    date(2026, 12, 7)
}

fn at(day: NaiveDate, hour: u32) -> NaiveDateTime {
    day.and_hms_opt(hour, 0, 0).unwrap()
}

fn templates(app: &TestApp) -> MailTemplates {
    MailTemplates::load(&app.config.paths.templates_dir.join("mail")).expect("mail templates")
}

fn run(app: &TestApp, templates: &MailTemplates, now: NaiveDateTime) -> NoticeMailReport {
    let outgoing = Outgoing {
        templates,
        public_url: "http://127.0.0.1:8000",
        isp_name: "Testowy Operator",
    };
    notice_mail::run(
        &mut app.conn(),
        &outgoing,
        &app.config.notices,
        now.date(),
        now,
    )
    .expect("notice mail")
}

/// Delivers everything queued: the job ran at test times that may be ahead of the real clock.
fn deliver(app: &TestApp) {
    app.deliver_mail_at(at(date(2027, 12, 31), 0));
}

fn mail_to(smtp: &SmtpSink, number: i64) -> Vec<ReceivedMail> {
    let address = format!("klient{number}@example.com");
    smtp.received()
        .into_iter()
        .filter(|m| m.to.iter().any(|to| to.contains(&address)))
        .collect()
}

fn give_service(app: &TestApp, customer_id: CustomerId, name: &str, expires_on: NaiveDate) -> i64 {
    ebok::db::services::insert(
        &mut app.conn(),
        &NewService {
            customer_id,
            contract_id: None,
            kind: ebok::domain::ServiceKind::Tv,
            name: name.into(),
            status: ebok::domain::ServiceStatus::Active,
            activated_on: date(2026, 1, 1),
            expires_on: Some(expires_on),
            monthly_fee: 2_000,
            renewal_price: Some(2_000),
            auto_renew: false,
            created_at: ebok::app::clock::now(),
        },
    )
    .unwrap()
}

fn give_contract(app: &TestApp, customer_id: CustomerId, number: &str, city: &str) {
    let now = ebok::app::clock::now();
    let tariff_id = scalar_i64(app, "SELECT MIN(id) AS v FROM tariffs");
    ebok::db::contracts::insert(
        &mut app.conn(),
        &NewContract {
            customer_id,
            number: number.into(),
            tariff_id,
            signed_on: date(2026, 1, 1),
            starts_on: date(2026, 1, 1),
            ends_on: None,
            term_months: None,
            after_term: "indefinite".into(),
            monthly_fee: 5_000,
            billing_day: 1,
            install_address_line: "ul. Łąkowa 5".into(),
            install_postal_code: "90-001".into(),
            install_city: city.into(),
            status: ebok::domain::ContractStatus::Active,
            created_at: now,
            updated_at: now,
        },
    )
    .unwrap();
}

fn switches(app: &TestApp, customer_id: CustomerId, reminders: bool, outages: bool) {
    ebok::db::customers::set_notifications(
        &mut app.conn(),
        customer_id,
        [true, reminders, outages, true],
        ebok::app::clock::now(),
    )
    .unwrap();
}

fn a_service_about_to_expire_is_mailed_once_even_by_two_instances(app: TestApp) {
    let smtp = SmtpSink::start();
    let app = app
        .with_demo(0)
        .with_config(|config| config.mail.smtp_url = Some(smtp.url()));
    let templates = templates(&app);
    let c1 = customer(&app, 9001, "Jan", "Kowalski");
    give_service(&app, c1, "Telewizja Plus", today() + Duration::days(5));
    // Outside the 7-day window on the first day: not yet.
    give_service(&app, c1, "Pakiet HBO", today() + Duration::days(9));

    let first = run(&app, &templates, at(today(), 8));
    assert!(first.renewal_mails >= 1, "{first:?}");
    // A second instance in the same minute, and the next passes of the day, find it claimed.
    let second = run(&app, &templates, at(today(), 8));
    let later = run(&app, &templates, at(today(), 20));
    deliver(&app);
    let mails = mail_to(&smtp, 9001);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].subject(), "Przypomnienie o terminie odnowienia");
    let text = mails[0].text();
    assert!(text.contains("Dzień dobry Jan Kowalski"), "{text}");
    assert!(
        text.contains("Usługa „Telewizja Plus” wygasa 12.12.2026 (za 5 dni)"),
        "{text}"
    );
    assert!(text.contains("odnów ją w e-BOK"), "{text}");
    assert!(!text.contains("Pakiet HBO"), "{text}");
    for report in [second, later] {
        assert_eq!(report.renewal_mails, 0, "{report:?}");
    }

    // Two days on, the second service enters its window: only it is mailed, once.
    run(&app, &templates, at(today() + Duration::days(2), 8));
    run(&app, &templates, at(today() + Duration::days(3), 8));
    deliver(&app);
    let mails = mail_to(&smtp, 9001);
    assert_eq!(mails.len(), 2, "{mails:?}");
    let text = mails[1].text();
    assert!(
        text.contains("Pakiet HBO") && !text.contains("Telewizja Plus"),
        "{text}"
    );
    assert_eq!(
        scalar_i64(
            &app,
            &format!("SELECT COUNT(*) AS v FROM notice_mails WHERE customer_id = {c1}")
        ),
        2
    );
}

fn a_subscriber_who_turned_reminders_off_gets_no_renewal_mail(app: TestApp) {
    let smtp = SmtpSink::start();
    let app = app
        .with_demo(0)
        .with_config(|config| config.mail.smtp_url = Some(smtp.url()));
    let templates = templates(&app);
    let c2 = customer(&app, 9002, "Anna", "Żak");
    switches(&app, c2, false, true);
    give_service(&app, c2, "Telewizja Plus", today() + Duration::days(3));

    run(&app, &templates, at(today(), 8));
    deliver(&app);
    assert!(mail_to(&smtp, 9002).is_empty());
    assert_eq!(
        scalar_i64(
            &app,
            &format!("SELECT COUNT(*) AS v FROM notice_mails WHERE customer_id = {c2}")
        ),
        0,
        "nothing is recorded as mailed"
    );

    // Switched back on, the notice still due is mailed on the next pass.
    switches(&app, c2, true, true);
    run(&app, &templates, at(today(), 9));
    deliver(&app);
    assert_eq!(mail_to(&smtp, 9002).len(), 1);
}

fn publish_outage(app: &TestApp, title: &str, area: &str, published_at: NaiveDateTime) -> i64 {
    ebok::db::news::insert(
        &mut app.conn(),
        &NewNewsItem {
            kind: ebok::domain::NewsKind::Outage,
            title: title.into(),
            body: "Uszkodzony światłowód, naprawa trwa.".into(),
            urgent: true,
            area: Some(area.into()),
            published_at,
            starts_at: Some(published_at),
            ends_at: Some(published_at + Duration::hours(6)),
            author_staff_id: None,
            created_at: published_at - Duration::hours(1),
        },
    )
    .unwrap()
}

fn an_outage_is_mailed_once_to_its_area_when_published_honouring_the_switch(app: TestApp) {
    let smtp = SmtpSink::start();
    let app = app
        .with_demo(0)
        .with_config(|config| config.mail.smtp_url = Some(smtp.url()));
    let templates = templates(&app);
    let (c1, c2, c3) = (
        customer(&app, 9001, "Jan", "Kowalski"),
        customer(&app, 9002, "Anna", "Żak"),
        customer(&app, 9003, "Zofia", "Źdźbło"),
    );
    give_contract(&app, c1, "UM/2026/09001", "Zgierz Testowy");
    give_contract(&app, c2, "UM/2026/09002", "Zgierz Testowy");
    give_contract(&app, c3, "UM/2026/09003", "Kraków");
    switches(&app, c2, true, false);
    ebok::db::customers::set_language(&mut app.conn(), c1, "en", ebok::app::clock::now()).unwrap();

    // The demo's own outage notices are published relative to the real clock, so on some days
    // and hours they fall between this test's passes (on 7 Dec 2026 at noon one was published
    // at 10:00 and mailed at 10:01). They count as mailed before the test's clock starts.
    let demo_notices: Vec<i64> = news::table.select(news::id).load(&mut *app.conn()).unwrap();
    for id in demo_notices {
        ebok::db::notice_mails::claim_outage(&mut app.conn(), id, 0, at(today(), 8)).unwrap();
    }
    run(&app, &templates, at(today(), 9));
    // Scheduled for 10:00: nothing at 9:30, mailed on the first pass after.
    publish_outage(&app, "Brak internetu", "Zgierz Testowy", at(today(), 10));
    let early = run(&app, &templates, at(today(), 9) + Duration::minutes(30));
    assert_eq!(early.outages, 0, "{early:?}");
    let published = run(&app, &templates, at(today(), 10) + Duration::minutes(1));
    assert_eq!((published.outages, published.outage_recipients), (1, 1));
    let again = run(&app, &templates, at(today(), 11));
    assert_eq!(again.outages, 0, "{again:?}");
    deliver(&app);

    // (Only this test's outage is looked at: the demo's were claimed before the first pass.)
    let about = |number| -> Vec<ReceivedMail> {
        mail_to(&smtp, number)
            .into_iter()
            .filter(|m| m.subject().ends_with("Brak internetu"))
            .collect()
    };
    let mails = about(9001);
    assert_eq!(mails.len(), 1, "{mails:?}");
    // Customer 9001 reads English; the notice is in Polish local time.
    assert_eq!(mails[0].subject(), "Outage: Brak internetu");
    let text = mails[0].text();
    assert!(
        text.contains("From: 07.12.2026 11:00, until: 07.12.2026 17:00"),
        "{text}"
    );
    assert!(text.contains("Uszkodzony światłowód"), "{text}");
    assert!(about(9002).is_empty(), "outage mail switched off");
    assert!(about(9003).is_empty(), "another area");
}
