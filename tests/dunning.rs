//! Dunning end to end: one unpaid invoice walked day by day through every step of the default
//! plan with a controlled clock, each step's mail received over SMTP, the endpoint flagged for a
//! warning page and then a block, and a bank import lifting the flag.

mod common;

use chrono::{Duration, NaiveDate};
use common::bank::{date, fixture, import_and_commit, staff};
use common::smtp::SmtpSink;
use common::{TestApp, count, log_in, page_text, post, scalar_i64};
use ebok::app::clock;
use ebok::app::dunning::{self, ExportFormat, RunReport};
use ebok::app::mail_queue::Outgoing;
use ebok::db::services::{NewEndpoint, NewService};
use ebok::domain::CustomerId;
use ebok::domain::InvoiceId;
use ebok::domain::dunning::StepKind;
use ebok::mail::MailTemplates;

backend_tests!(
    one_unpaid_invoice_walks_every_step_and_a_bank_import_lifts_the_flag,
    two_instances_on_the_same_day_take_each_step_once,
    a_dry_run_takes_nothing,
    a_paused_customer_is_not_dunned,
    an_invoice_paid_before_its_day_is_never_dunned,
    the_subscriber_sees_overdue_interest_the_step_and_opens_the_letter,
    billing_staff_set_the_plan_and_pause_and_admins_add_a_rate,
    the_cli_prints_the_dry_run_table_and_the_ipset_file,
    a_subscriber_who_turned_reminders_off_gets_the_letter_but_no_reminder_mail,
);

/// The fixture's first invoice: TP/2026/0001, customer 9001, 100 zł due Thu 15 Oct 2026.
const NUMBER: &str = "TP/2026/0001";

fn due() -> NaiveDate {
    date(2026, 10, 15)
}

fn templates(app: &TestApp) -> MailTemplates {
    MailTemplates::load(&app.config.paths.templates_dir.join("mail")).expect("mail templates")
}

fn run_on(app: &TestApp, templates: &MailTemplates, day: NaiveDate, dry_run: bool) -> RunReport {
    let outgoing = Outgoing {
        templates,
        public_url: "http://127.0.0.1:8000",
        isp_name: "Testowy Operator",
    };
    dunning::run(&mut app.conn(), &outgoing, day, clock::now(), dry_run).expect("dunning run")
}

/// The steps a report took for the walked invoice.
fn taken_for(report: &RunReport, invoice_id: InvoiceId) -> Vec<StepKind> {
    report
        .planned
        .iter()
        .filter(|p| p.invoice_id == invoice_id)
        .map(|p| p.step.kind)
        .collect()
}

fn give_endpoint(app: &TestApp, customer_id: CustomerId, ipv4: &str) {
    let now = clock::now();
    let service = ebok::db::services::insert(
        &mut app.conn(),
        &NewService {
            customer_id,
            contract_id: None,
            kind: ebok::domain::ServiceKind::Internet,
            name: "Internet 600 Mb/s".into(),
            status: ebok::domain::ServiceStatus::Active,
            activated_on: date(2026, 1, 1),
            expires_on: None,
            monthly_fee: 10_000,
            renewal_price: None,
            auto_renew: false,
            created_at: now,
        },
    )
    .unwrap();
    ebok::db::services::insert_endpoint(
        &mut app.conn(),
        &NewEndpoint {
            service_id: service,
            ipv4: Some(ipv4.into()),
            ipv6_prefix: Some("2001:db8:9001::/56".into()),
            mac: None,
            pppoe_login: None,
            pppoe_password: None,
            address_line: "ul. Łąkowa 5".into(),
            postal_code: "90-001".into(),
            city: "Łódź".into(),
            access_enabled: true,
            created_at: now,
        },
    )
    .unwrap();
}

fn flags(app: &TestApp, customer_id: CustomerId) -> Vec<String> {
    ebok::db::dunning::flags_of_customer(&mut app.conn(), customer_id).unwrap()
}

fn export(app: &TestApp, format: ExportFormat) -> String {
    dunning::network_export(&mut app.conn(), format).unwrap()
}

fn one_unpaid_invoice_walks_every_step_and_a_bank_import_lifts_the_flag(app: TestApp) {
    let smtp = SmtpSink::start();
    let (app, f) = fixture(app);
    let app = app.with_config(|config| config.mail.smtp_url = Some(smtp.url()));
    give_endpoint(&app, f.c1, "100.64.90.1");
    let templates = templates(&app);

    let mut walked = Vec::new();
    for offset in 0..=50 {
        let day = due() + Duration::days(offset);
        let report = run_on(&app, &templates, day, false);
        for kind in taken_for(&report, f.inv1) {
            walked.push((offset, kind));
        }
        app.deliver_mail_at(clock::now());
        match offset {
            20 => assert!(
                flags(&app, f.c1).is_empty(),
                "no flag before the warning step"
            ),
            21..=27 => assert_eq!(flags(&app, f.c1), ["warning"]),
            28.. => assert_eq!(flags(&app, f.c1), ["block"]),
            _ => {}
        }
    }
    assert_eq!(
        walked,
        vec![
            (3, StepKind::Reminder),
            (14, StepKind::FormalDemand),
            (21, StepKind::WarningPage),
            (28, StepKind::Limitation),
            (45, StepKind::PreCourtDemand),
        ]
    );

    // Each step's mail arrived over SMTP, once, in the order taken.
    let mails: Vec<_> = smtp
        .received()
        .into_iter()
        .filter(|m| m.subject().contains(NUMBER))
        .collect();
    let subjects: Vec<String> = mails.iter().map(|m| m.subject()).collect();
    assert_eq!(
        subjects,
        vec![
            format!("Przypomnienie o płatności: {NUMBER}"),
            format!("Wezwanie do zapłaty: {NUMBER}"),
            format!("Informacja o zaległości: {NUMBER}"),
            format!("Ograniczenie usługi: {NUMBER}"),
            format!("Ostateczne przedsądowe wezwanie do zapłaty: {NUMBER}"),
        ]
    );
    assert!(mails.iter().all(|m| m.to == ["klient9001@example.com"]));
    // The formal demand on 29 Oct: 14 days (16–29 Oct) at 9,25 % on 100 zł = 0,3548 → 0,35 zł,
    // and a new deadline 7 days on.
    let demand = mails[1].text();
    assert!(
        demand.contains("Odsetki ustawowe za opóźnienie do dnia 29.10.2026: 0,35 zł"),
        "{demand}"
    );
    assert!(demand.contains("w terminie do dnia 05.11.2026"), "{demand}");
    assert!(demand.contains("/saldo/monity/"), "{demand}");

    // The network side sees the blocked endpoint (the demo's own debtors may be there too).
    let list = export(&app, ExportFormat::IpList);
    assert!(list.lines().any(|l| l == "100.64.90.1"), "{list}");
    assert!(list.lines().any(|l| l == "2001:db8:9001::/56"), "{list}");
    assert!(export(&app, ExportFormat::Ipset).contains("add ebok-block 100.64.90.1 -exist"));

    // A bank statement pays the invoice: the flag goes at once.
    let statement = format!(
        "2026-12-01;100,00;Faktura {NUMBER};Jan Kowalski;{};BANKREF-DUN-1\n",
        customer_nrb(&app, f.c1)
    );
    let billing = staff(&app, "ksiegowosc");
    import_and_commit(&app, &billing, "wyciag.csv", statement.as_bytes());
    assert_eq!(common::bank::paid(&app, f.inv1), 10_000);
    assert!(flags(&app, f.c1).is_empty());
    let list = export(&app, ExportFormat::IpList);
    assert!(
        !list.contains("100.64.90.1") && !list.contains("2001:db8:9001"),
        "{list}"
    );

    // Nothing more ever happens to the paid invoice.
    let later = run_on(&app, &templates, due() + Duration::days(90), false);
    assert!(taken_for(&later, f.inv1).is_empty());
    assert_eq!(
        count(
            &mut app.conn(),
            &format!("SELECT id FROM dunning_steps WHERE invoice_id = {}", f.inv1)
        ),
        5
    );
}

fn customer_nrb(app: &TestApp, customer_id: CustomerId) -> String {
    ebok::db::customers::find(&mut app.conn(), customer_id)
        .unwrap()
        .unwrap()
        .nrb
}

fn two_instances_on_the_same_day_take_each_step_once(app: TestApp) {
    let (app, f) = fixture(app);
    let day = due() + Duration::days(14);
    let templates = templates(&app);
    let pool = app.pool.clone();
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                let outgoing = Outgoing {
                    templates: &templates,
                    public_url: "http://127.0.0.1:8000",
                    isp_name: "Testowy Operator",
                };
                let mut conn = pool.get().expect("connection");
                dunning::run(&mut conn, &outgoing, day, clock::now(), false).expect("run")
            });
        }
    });
    let steps = count(
        &mut app.conn(),
        &format!(
            "SELECT id FROM dunning_steps WHERE invoice_id = {} AND status = 'sent'",
            f.inv1
        ),
    );
    assert_eq!(steps, 1);
    let mails = count(
        &mut app.conn(),
        &format!("SELECT id FROM outbox WHERE kind = 'dunning' AND subject LIKE '%{NUMBER}%'"),
    );
    assert_eq!(mails, 1);
}

fn a_dry_run_takes_nothing(app: TestApp) {
    let (app, f) = fixture(app);
    let templates = templates(&app);
    let report = run_on(&app, &templates, due() + Duration::days(14), true);
    assert_eq!(taken_for(&report, f.inv1), [StepKind::FormalDemand]);
    let planned = report
        .planned
        .iter()
        .find(|p| p.invoice_id == f.inv1)
        .unwrap();
    assert_eq!(planned.interest.grosze(), 35);
    assert_eq!(planned.deadline, Some(date(2026, 11, 5)));
    assert_eq!(count(&mut app.conn(), "SELECT id FROM dunning_steps"), 0);
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM outbox WHERE kind = 'dunning'"
        ),
        0
    );
}

fn a_paused_customer_is_not_dunned(app: TestApp) {
    let (app, f) = fixture(app);
    let actor = ebok::app::audit::Actor::default();
    dunning::pause(
        &mut app.conn(),
        9001,
        "plan spłaty do końca roku",
        &actor,
        clock::now(),
    )
    .unwrap();
    let templates = templates(&app);
    let report = run_on(&app, &templates, due() + Duration::days(14), false);
    assert!(taken_for(&report, f.inv1).is_empty());
    assert!(report.paused >= 1);
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM audit_log WHERE action = 'dunning_paused'"
        ),
        1
    );
    dunning::unpause(&mut app.conn(), f.c1, &actor, clock::now()).unwrap();
    let report = run_on(&app, &templates, due() + Duration::days(14), false);
    assert_eq!(taken_for(&report, f.inv1), [StepKind::FormalDemand]);
    // The reminder's day passed while paused: recorded as skipped, never sent after the demand.
    assert_eq!(
        count(
            &mut app.conn(),
            &format!(
                "SELECT id FROM dunning_steps WHERE invoice_id = {} AND status = 'skipped'",
                f.inv1
            )
        ),
        1
    );
}

fn an_invoice_paid_before_its_day_is_never_dunned(app: TestApp) {
    let (app, f) = fixture(app);
    let actor = ebok::app::audit::Actor::default();
    ebok::app::payments::record_payment(
        &mut app.conn(),
        &ebok::app::payments::PaymentRequest {
            customer_id: f.c1,
            amount: ebok::domain::Money::from_grosze(10_000),
            received_on: date(2026, 10, 16),
            method: "transfer",
            source: "manual",
            title: Some(NUMBER.into()),
            payer_name: None,
            bank_reference: None,
            recorded_by_staff_id: None,
            match_reason: None,
        },
        clock::now(),
    )
    .unwrap();
    let _ = actor;
    let templates = templates(&app);
    for offset in [3, 14, 21, 28, 45] {
        let report = run_on(&app, &templates, due() + Duration::days(offset), false);
        assert!(taken_for(&report, f.inv1).is_empty(), "day {offset}");
    }
}

fn the_subscriber_sees_overdue_interest_the_step_and_opens_the_letter(app: TestApp) {
    let (app, f) = fixture(app);
    let demo_customer = CustomerId(scalar_i64(
        &app,
        "SELECT customer_id AS v FROM accounts WHERE login = 'demo'",
    ));
    let invoice = common::bank::issue(&app, demo_customer, date(2026, 10, 1), 12_345);
    let templates = templates(&app);
    let report = run_on(&app, &templates, due() + Duration::days(14), false);
    assert_eq!(taken_for(&report, invoice), [StepKind::FormalDemand]);
    let number = report
        .planned
        .iter()
        .find(|p| p.invoice_id == invoice)
        .unwrap()
        .invoice_number
        .clone();

    log_in(
        &app.client,
        ebok::app::demo::DEMO_LOGIN,
        ebok::app::demo::DEMO_PASSWORD,
    );
    let balance = page_text(&app.get("/saldo").into_string().unwrap());
    assert!(balance.contains("Zaległe płatności"), "{balance}");
    assert!(balance.contains(&number), "{balance}");
    assert!(balance.contains("Wezwanie do zapłaty"), "{balance}");
    assert!(balance.contains("termin: 05.11.2026"), "{balance}");
    assert!(
        balance.contains("Odsetki ustawowe za opóźnienie do dziś"),
        "{balance}"
    );

    let step = scalar_i64(
        &app,
        &format!(
            "SELECT id AS v FROM dunning_steps WHERE invoice_id = {invoice} AND status = 'sent'"
        ),
    );
    let page = app.get("/saldo/zaleglosci").into_string().unwrap();
    assert!(
        page.contains(&format!("/saldo/monity/{step}.pdf")),
        "{page}"
    );
    let pdf = app.get(&format!("/saldo/monity/{step}.pdf"));
    assert_eq!(pdf.status(), rocket::http::Status::Ok);
    let bytes = pdf.into_bytes().unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    if let Some(text) = common::documents::pdf_text(&bytes) {
        assert!(text.contains("Wezwanie do zapłaty"), "{text}");
        assert!(text.contains(&number), "{text}");
    }

    // Another customer's letter is not found.
    let others = scalar_i64(
        &app,
        &format!(
            "SELECT MIN(id) AS v FROM dunning_steps WHERE customer_id = {}",
            f.c1
        ),
    );
    assert_eq!(
        app.get(&format!("/saldo/monity/{others}.pdf")).status(),
        rocket::http::Status::NotFound
    );
}

fn plan_fields(reminder_offset: &str) -> Vec<(String, String)> {
    let mut fields = vec![("minimum_debt".to_owned(), "25,00".to_owned())];
    let steps = [
        ("reminder", reminder_offset, ""),
        ("formal_demand", "14", "7"),
        ("warning_page", "21", ""),
        ("limitation", "28", ""),
        ("pre_court_demand", "45", "7"),
    ];
    for (i, (kind, offset, deadline)) in steps.iter().enumerate() {
        fields.push((format!("steps[{i}].kind"), (*kind).to_owned()));
        fields.push((format!("steps[{i}].offset_days"), (*offset).to_owned()));
        fields.push((format!("steps[{i}].deadline_days"), (*deadline).to_owned()));
        fields.push((format!("steps[{i}].by_email"), "true".to_owned()));
        fields.push((format!("steps[{i}].active"), "true".to_owned()));
    }
    fields
}

fn post_plan<'c>(
    client: &'c rocket::local::blocking::Client,
    reminder_offset: &str,
) -> rocket::local::blocking::LocalResponse<'c> {
    let fields = plan_fields(reminder_offset);
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    post(
        client,
        "/staff/windykacja",
        "/staff/windykacja/plan",
        &borrowed,
    )
}

fn billing_staff_set_the_plan_and_pause_and_admins_add_a_rate(app: TestApp) {
    use rocket::http::Status;
    let (app, _f) = fixture(app);
    let billing = staff(&app, "ksiegowosc");
    let page = page_text(
        &billing
            .get("/staff/windykacja")
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(page.contains("Odsetki ustawowe"), "{page}");
    assert!(page.contains("9.25 %") || page.contains("9,25 %"), "{page}");

    assert_eq!(post_plan(&billing, "5").status(), Status::SeeOther);
    let setup = dunning::setup(&mut app.conn()).unwrap();
    assert_eq!(setup.plan[0].offset_days, 5);
    assert_eq!(setup.minimum_debt, 2_500);
    assert!(!setup.plan[0].in_portal, "unchecked channels are off");

    // A reminder after the formal demand is refused with a message, and nothing changes.
    let refused = post_plan(&billing, "20");
    assert_eq!(refused.status(), Status::UnprocessableEntity);
    let text = page_text(&refused.into_string().unwrap());
    assert!(text.contains("Kroki muszą następować po sobie"), "{text}");
    assert_eq!(
        dunning::setup(&mut app.conn()).unwrap().plan[0].offset_days,
        5
    );

    let paused = post(
        &billing,
        "/staff/windykacja",
        "/staff/windykacja/wstrzymania",
        &[("customer_number", "9002"), ("reason", "reklamacja w toku")],
    );
    assert_eq!(paused.status(), Status::SeeOther);
    assert_eq!(
        count(&mut app.conn(), "SELECT customer_id FROM dunning_pauses"),
        1
    );
    let unknown = post(
        &billing,
        "/staff/windykacja",
        "/staff/windykacja/wstrzymania",
        &[("customer_number", "123456789"), ("reason", "x")],
    );
    assert_eq!(unknown.status(), Status::UnprocessableEntity);

    // The statutory rates are for admins.
    let rate = [
        ("valid_from", "2026-12-10"),
        ("reference", "3,50"),
        ("consumer", "9,00"),
        ("commercial", "13,50"),
    ];
    let denied = post(
        &billing,
        "/staff/windykacja",
        "/staff/windykacja/stawki",
        &rate,
    );
    assert_eq!(denied.status(), Status::Forbidden);
    let admin = staff(&app, "admin");
    let saved = post(
        &admin,
        "/staff/windykacja",
        "/staff/windykacja/stawki",
        &rate,
    );
    assert_eq!(saved.status(), Status::SeeOther);
    let rates = dunning::setup(&mut app.conn()).unwrap().rates;
    let newest = rates.periods().last().unwrap();
    assert_eq!(
        (newest.valid_from, newest.consumer_bp, newest.commercial_bp),
        (date(2026, 12, 10), 900, 1350)
    );
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM audit_log WHERE action IN ('dunning_plan_changed', 'dunning_paused', 'interest_rate_saved')"
        ),
        3
    );
}

fn the_cli_prints_the_dry_run_table_and_the_ipset_file(app: TestApp) {
    let (app, f) = fixture(app);
    give_endpoint(&app, f.c1, "100.64.90.1");
    let templates = templates(&app);
    run_on(&app, &templates, due() + Duration::days(28), false);
    let steps_before = count(&mut app.conn(), "SELECT id FROM dunning_steps");

    let (ok, out) = common::bank::ebok_cli(&app, &["dunning", "run", "--dry-run"]);
    assert!(ok, "{out}");
    // Today (the real clock) is more than 45 days after 15 Oct 2026: the pre-court demand.
    let row = out
        .lines()
        .find(|l| l.contains(NUMBER))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        row.contains("9001") && row.contains("wezwanie przedsądowe"),
        "{row}"
    );
    assert!(out.contains("próba, nic nie zapisano"), "{out}");
    assert_eq!(
        count(&mut app.conn(), "SELECT id FROM dunning_steps"),
        steps_before
    );

    let (ok, out) = common::bank::ebok_cli(&app, &["network", "export", "--format", "ipset"]);
    assert!(ok, "{out}");
    assert!(out.contains("add ebok-block 100.64.90.1 -exist"), "{out}");
    assert!(
        out.contains("add ebok-block6 2001:db8:9001::/56 -exist"),
        "{out}"
    );
    let (ok, out) = common::bank::ebok_cli(&app, &["network", "export", "--format", "ip-list"]);
    assert!(ok && out.lines().any(|l| l == "100.64.90.1"), "{out}");
}

fn a_subscriber_who_turned_reminders_off_gets_the_letter_but_no_reminder_mail(app: TestApp) {
    use diesel::prelude::*;
    use ebok::db::schema::customers;
    let (app, f) = fixture(app);
    diesel::update(customers::table.find(f.c1))
        .set(customers::notify_reminders.eq(false))
        .execute(&mut *app.conn())
        .unwrap();
    let templates = templates(&app);
    let mails = |app: &TestApp| {
        count(
            &mut app.conn(),
            &format!("SELECT id FROM outbox WHERE kind = 'dunning' AND subject LIKE '%{NUMBER}%'"),
        )
    };
    let report = run_on(&app, &templates, due() + Duration::days(3), false);
    assert_eq!(taken_for(&report, f.inv1), [StepKind::Reminder]);
    assert_eq!(mails(&app), 0);
    // The formal demand is not a notification one can turn off.
    run_on(&app, &templates, due() + Duration::days(14), false);
    assert_eq!(mails(&app), 1);
}
