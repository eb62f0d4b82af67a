//! Issue 20: the printed-letter queue and the B2B compensation on formal demands. A plan step
//! sent by letter waits at `/staff/windykacja/listy` until staff print its PDF and mark it
//! posted (once, audited); a formal demand to a business offers the art. 10 compensation
//! (40 EUR at the NBP rate) as its own line, a consumer's never. On every backend.

mod common;

use chrono::{Duration, NaiveDate};
use common::bank::{date, fixture, staff};
use common::{TestApp, page_text, post, scalar_i64};
use ebok::app::clock;
use ebok::app::dunning::{self, RunReport};
use ebok::app::mail_queue::Outgoing;
use ebok::domain::CustomerId;
use ebok::domain::InvoiceId;
use ebok::mail::MailTemplates;
use rocket::http::Status;

backend_tests!(
    a_demand_sent_by_letter_is_printed_and_marked_posted_once_with_the_b2b_compensation,
    a_consumer_demand_offers_no_compensation_and_support_staff_do_not_see_the_queue,
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

fn letters_by_post(app: &TestApp) {
    diesel::RunQueryDsl::execute(
        diesel::sql_query(
            "UPDATE dunning_plan_steps SET by_letter = TRUE WHERE kind = 'formal_demand'",
        ),
        &mut *app.conn(),
    )
    .unwrap();
}

fn company(app: &TestApp) -> CustomerId {
    let now = clock::now();
    ebok::db::customers::insert(
        &mut app.conn(),
        &ebok::db::customers::NewCustomer {
            customer_number: 9100,
            kind: ebok::domain::CustomerKind::Company,
            first_name: None,
            last_name: None,
            company_name: Some("Hurtownia Łąka sp. z o.o.".into()),
            pesel_hash: None,
            pesel_last4: None,
            nip: Some("1234563218".into()),
            address_line: "ul. Polna 1".into(),
            postal_code: "90-001".into(),
            city: "Łódź".into(),
            country_code: "PL".into(),
            correspondence_address_line: None,
            correspondence_postal_code: None,
            correspondence_city: None,
            email: "biuro@laka.example.com".into(),
            phone: None,
            language: "pl".into(),
            nrb: ebok::domain::Nrb::for_customer("102010267777", 9100)
                .unwrap()
                .as_str()
                .into(),
            created_at: now,
            updated_at: now,
        },
    )
    .unwrap()
}

fn demand_step(app: &TestApp, invoice: InvoiceId) -> i64 {
    scalar_i64(
        app,
        &format!(
            "SELECT id AS v FROM dunning_steps WHERE invoice_id = {invoice} \
             AND step = 'formal_demand' AND status = 'sent'"
        ),
    )
}

fn audits(app: &TestApp, action: &str) -> i64 {
    scalar_i64(
        app,
        &format!("SELECT COUNT(*) AS v FROM audit_log WHERE action = '{action}'"),
    )
}

fn a_demand_sent_by_letter_is_printed_and_marked_posted_once_with_the_b2b_compensation(
    app: TestApp,
) {
    let (app, _f) = fixture(app);
    letters_by_post(&app);
    let company = company(&app);
    // 100 zł net due Thu 15 Oct 2026; 40 EUR at the (demo) NBP rate of Wed 30 Sep 2026, 4,2345.
    let invoice = common::bank::issue(&app, company, date(2026, 10, 1), 10_000);
    let number: String = scalar_text(&app, invoice);
    run_on(&app, date(2026, 10, 15) + Duration::days(14));
    let step = demand_step(&app, invoice);

    let billing = staff(&app, "ksiegowosc");
    let queue = billing.get("/staff/windykacja/listy").dispatch();
    assert_eq!(queue.status(), Status::Ok);
    let html = queue.into_string().unwrap();
    assert!(
        html.contains(&format!("/staff/windykacja/listy/{step}/pdf")),
        "{html}"
    );
    assert!(
        html.contains(&format!(r#"data-step="{step}" data-sent="no""#)),
        "{html}"
    );
    assert!(page_text(&html).contains(&number));

    let pdf = billing
        .get(format!("/staff/windykacja/listy/{step}/pdf"))
        .dispatch();
    assert_eq!(pdf.status(), Status::Ok);
    let bytes = pdf.into_bytes().unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    if let Some(text) = common::documents::pdf_text(&bytes) {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains("Wezwanie do zapłaty"), "{text}");
        assert!(text.contains(&number), "{text}");
        assert!(
            text.contains("Rekompensata 40 EUR (kurs NBP z 30.09.2026)"),
            "{text}"
        );
        assert!(text.contains("169,38 zł"), "{text}");
        assert!(text.contains("art. 10 ust. 1"), "{text}");
    }

    let action = format!("/staff/windykacja/listy/{step}/wyslany");
    let response = post(&billing, "/staff/windykacja/listy", &action, &[]);
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(
        scalar_i64(
            &app,
            &format!(
                "SELECT COUNT(*) AS v FROM dunning_steps WHERE id = {step} \
                 AND letter_sent_at IS NOT NULL AND letter_sent_by_staff_id IS NOT NULL"
            )
        ),
        1
    );
    assert_eq!(audits(&app, "dunning_letter_sent"), 1);
    let again = post(&billing, "/staff/windykacja/listy", &action, &[]);
    assert_eq!(again.status(), Status::SeeOther);
    assert_eq!(audits(&app, "dunning_letter_sent"), 1, "posted once");
    let html = billing
        .get("/staff/windykacja/listy")
        .dispatch()
        .into_string()
        .unwrap();
    assert!(
        html.contains(&format!(r#"data-step="{step}" data-sent="yes""#)),
        "{html}"
    );
    // A step not sent by letter is not in the queue and has no letter PDF there.
    let no_letter = scalar_i64(
        &app,
        "SELECT COALESCE(MIN(id), 0) AS v FROM dunning_steps WHERE by_letter = FALSE",
    );
    if no_letter > 0 {
        assert_eq!(
            billing
                .get(format!("/staff/windykacja/listy/{no_letter}/pdf"))
                .dispatch()
                .status(),
            Status::NotFound
        );
    }
}

fn scalar_text(app: &TestApp, invoice: InvoiceId) -> String {
    ebok::db::invoices::find(&mut app.conn(), invoice)
        .unwrap()
        .unwrap()
        .number
        .unwrap()
}

fn a_consumer_demand_offers_no_compensation_and_support_staff_do_not_see_the_queue(app: TestApp) {
    let (app, f) = fixture(app);
    letters_by_post(&app);
    run_on(&app, date(2026, 10, 15) + Duration::days(14));
    let step = demand_step(&app, f.inv1);
    let billing = staff(&app, "ksiegowosc");
    let pdf = billing
        .get(format!("/staff/windykacja/listy/{step}/pdf"))
        .dispatch();
    assert_eq!(pdf.status(), Status::Ok);
    if let Some(text) = common::documents::pdf_text(&pdf.into_bytes().unwrap()) {
        assert!(text.contains("Wezwanie do zapłaty"), "{text}");
        assert!(!text.contains("Rekompensata"), "{text}");
        assert!(!text.contains("EUR"), "{text}");
    }
    let support = staff(&app, "serwis");
    assert_eq!(
        support.get("/staff/windykacja/listy").dispatch().status(),
        Status::Forbidden
    );
    assert_eq!(
        support
            .get(format!("/staff/windykacja/listy/{step}/pdf"))
            .dispatch()
            .status(),
        Status::Forbidden
    );
    let refused = post(
        &support,
        "/staff",
        &format!("/staff/windykacja/listy/{step}/wyslany"),
        &[],
    );
    assert_eq!(refused.status(), Status::Forbidden);
    assert_eq!(audits(&app, "dunning_letter_sent"), 0);
}
