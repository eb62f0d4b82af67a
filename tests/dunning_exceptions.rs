//! Dunning's exceptions and the subscriber's side: a customer with a complaint in progress (a
//! billing ticket waiting for the ISP) is left alone until it is answered or closed; a subscriber whose connection
//! is flagged lands on the overdue page once, and the dashboard shows what is overdue.

mod common;

use chrono::{Duration, NaiveDate};
use common::bank::{date, fixture};
use common::{TestApp, count, log_in, page_text};
use ebok::app::clock;
use ebok::app::dunning::{self, RunReport};
use ebok::app::mail_queue::Outgoing;
use ebok::db::services::{NewEndpoint, NewService};
use ebok::domain::InvoiceId;
use ebok::domain::dunning::StepKind;
use ebok::mail::MailTemplates;

backend_tests!(
    a_customer_with_an_open_complaint_is_skipped_until_it_is_closed,
    a_flagged_subscriber_lands_on_the_overdue_page_once_and_the_dashboard_shows_the_debt,
);

fn run_on(app: &TestApp, day: NaiveDate) -> RunReport {
    let templates =
        MailTemplates::load(&app.config.paths.templates_dir.join("mail")).expect("mail templates");
    let outgoing = Outgoing {
        templates: &templates,
        public_url: "http://127.0.0.1:8000",
        isp_name: "Testowy Operator",
    };
    dunning::run(&mut app.conn(), &outgoing, day, clock::now(), false).expect("dunning run")
}

fn steps_of(report: &RunReport, invoice_id: InvoiceId) -> Vec<StepKind> {
    report
        .planned
        .iter()
        .filter(|p| p.invoice_id == invoice_id)
        .map(|p| p.step.kind)
        .collect()
}

fn execute(app: &TestApp, sql: &str) {
    diesel::RunQueryDsl::execute(diesel::sql_query(sql), &mut *app.conn()).unwrap();
}

fn a_customer_with_an_open_complaint_is_skipped_until_it_is_closed(app: TestApp) {
    let (app, f) = fixture(app);
    let now = clock::now().format("%Y-%m-%d %H:%M:%S");
    // A fault report is not a complaint: it does not stop dunning.
    execute(
        &app,
        &format!(
            "INSERT INTO tickets (customer_id, subject, category, status, priority, created_at, \
             updated_at) VALUES ({}, 'Brak internetu', 'fault', 'open', 'normal', '{now}', '{now}')",
            f.c2
        ),
    );
    execute(
        &app,
        &format!(
            "INSERT INTO tickets (customer_id, subject, category, status, priority, created_at, \
             updated_at) VALUES ({}, 'Reklamacja faktury TP/2026/0001', 'billing', 'new', \
             'normal', '{now}', '{now}')",
            f.c1
        ),
    );
    // TP/2026/0001 is due 15 Oct: its formal demand's day is 29 Oct.
    let day = date(2026, 10, 15) + Duration::days(14);
    let report = run_on(&app, day);
    assert!(steps_of(&report, f.inv1).is_empty());
    assert!(report.complaints >= 1);
    assert_eq!(
        count(
            &mut app.conn(),
            &format!("SELECT id FROM dunning_steps WHERE customer_id = {}", f.c1)
        ),
        0
    );

    execute(
        &app,
        &format!(
            "UPDATE tickets SET status = 'closed' WHERE customer_id = {} AND category = 'billing'",
            f.c1
        ),
    );
    let report = run_on(&app, day);
    assert_eq!(steps_of(&report, f.inv1), [StepKind::FormalDemand]);
}

fn a_flagged_subscriber_lands_on_the_overdue_page_once_and_the_dashboard_shows_the_debt(
    app: TestApp,
) {
    let (app, f) = fixture(app);
    let service = ebok::db::services::insert(
        &mut app.conn(),
        &NewService {
            customer_id: f.c1,
            contract_id: None,
            kind: ebok::domain::ServiceKind::Internet,
            name: "Internet 600 Mb/s".into(),
            status: ebok::domain::ServiceStatus::Active,
            activated_on: date(2026, 1, 1),
            expires_on: None,
            monthly_fee: 10_000,
            renewal_price: None,
            auto_renew: false,
            created_at: clock::now(),
        },
    )
    .unwrap();
    ebok::db::services::insert_endpoint(
        &mut app.conn(),
        &NewEndpoint {
            service_id: service,
            ipv4: Some("100.64.90.7".into()),
            ipv6_prefix: None,
            mac: None,
            pppoe_login: None,
            pppoe_password: None,
            address_line: "ul. Łąkowa 5".into(),
            postal_code: "90-001".into(),
            city: "Łódź".into(),
            access_enabled: true,
            created_at: clock::now(),
        },
    )
    .unwrap();
    // Day 21 after TP/2026/0001's due date: the warning page step flags the endpoint.
    run_on(&app, date(2026, 10, 15) + Duration::days(21));
    execute(
        &app,
        &format!(
            "UPDATE accounts SET customer_id = {} WHERE login = 'demo'",
            f.c1
        ),
    );
    log_in(
        &app.client,
        ebok::app::demo::DEMO_LOGIN,
        ebok::app::demo::DEMO_PASSWORD,
    );
    let first = app.get("/");
    assert_eq!(first.status(), rocket::http::Status::SeeOther);
    assert_eq!(
        first.headers().get_one("Location"),
        Some("/saldo/zaleglosci")
    );
    let overdue = page_text(&app.get("/saldo/zaleglosci").into_string().unwrap());
    assert!(overdue.contains("Przejdź do e-BOK"), "{overdue}");
    // Once per session: the way on leads to the dashboard, which shows the debt.
    let second = app.get("/");
    assert_eq!(second.status(), rocket::http::Status::Ok);
    let dashboard = page_text(&second.into_string().unwrap());
    assert!(dashboard.contains("Zaległe płatności"), "{dashboard}");
    assert!(dashboard.contains("TP/2026/0001"), "{dashboard}");
    assert!(dashboard.contains("Strona z ostrzeżeniem"), "{dashboard}");
}
