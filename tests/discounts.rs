//! Discounts by eligibility ("ulgi", issue 19) on every backend: the subscriber sees each ground
//! the tariff allows with the price under it and chooses one; staff approve it and the next
//! billing run's invoice carries it as its own line with the VAT computed on the discounted
//! amount, to the grosz; a newer discount ends the older one and replaces the service's own
//! discounts (they never stack); bad proofs (missing, wrong type, too big, a ground the tariff
//! does not allow) get a clear message and store nothing; a refusal mails its reason; the end
//! of a discount is announced once, 14 days ahead; staff manage per-service discounts.

mod common;

use ebok::domain::CustomerId;
use std::path::Path;

use chrono::{Duration, NaiveDate};
use common::{BOUNDARY, FilePart, TestApp, count, log_in, multipart_body, page_text, post};
use diesel::prelude::*;
use ebok::app::audit::Actor;
use ebok::app::billing::{self, Source};
use ebok::app::clock;
use ebok::app::demo::{ADMIN_LOGIN, ADMIN_PASSWORD, DEMO_CONTRACT, UNREGISTERED_CONTRACT};
use ebok::app::invoicing::{Invoicing, PdfStore};
use ebok::app::mail_queue::Outgoing;
use ebok::db::schema::{
    contracts, discount_applications, discount_types, invoice_lines, invoices, outbox,
    service_discounts, services,
};
use ebok::domain::billing::BillingPeriod;
use ebok::mail::MailTemplates;
use ebok::pdf::PdfRenderer;
use rocket::http::{Header, Status};
use rocket::local::blocking::{Client, LocalResponse};

backend_tests!(
    a_chosen_discount_goes_on_the_next_invoice_with_vat_to_the_grosz,
    a_newer_discount_ends_the_older_and_replaces_the_service_discounts,
    bad_proofs_get_a_message_and_store_nothing,
    staff_define_types_and_a_refusal_mails_its_reason,
    the_end_of_a_discount_is_announced_once_14_days_ahead,
    staff_add_and_end_service_discounts,
);

const ORIGIN: &str = "http://127.0.0.1:8000";

fn demo_app(app: TestApp) -> TestApp {
    let app = app.with_demo(0);
    assert_eq!(
        log_in(&app.client, "demo", "Demo-ebok-2026").status(),
        Status::SeeOther
    );
    app
}

fn contract_id(app: &TestApp, number: &str) -> i64 {
    contracts::table
        .filter(contracts::number.eq(number))
        .select(contracts::id)
        .first(&mut *app.conn())
        .unwrap()
}

fn type_id(app: &TestApp, name: &str) -> i64 {
    discount_types::table
        .filter(discount_types::name.eq(name))
        .select(discount_types::id)
        .first(&mut *app.conn())
        .unwrap()
}

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec()
}

fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0".to_vec();
    bytes.extend_from_slice(b"rest-of-a-tiny-png");
    bytes
}

/// Sends the application form of the contract's discount page.
fn apply<'c>(
    client: &'c Client,
    contract: i64,
    fields: &[(&str, &str)],
    files: &[FilePart<'_>],
) -> LocalResponse<'c> {
    let page = format!("/umowy/{contract}/ulga");
    // The session's token, from a page every subscriber has (another customer's contract is a 404).
    let token = common::csrf_token(client, "/dane");
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    client
        .post(page)
        .header(Header::new(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        ))
        .header(Header::new("Origin", ORIGIN))
        .body(multipart_body(&all, files))
        .dispatch()
}

fn admin(app: &TestApp) -> Client {
    common::staff_client(app, ADMIN_LOGIN, ADMIN_PASSWORD)
}

fn pending_of(app: &TestApp, contract: i64) -> i64 {
    discount_applications::table
        .filter(discount_applications::contract_id.eq(contract))
        .filter(discount_applications::status.eq("pending"))
        .select(discount_applications::id)
        .first(&mut *app.conn())
        .unwrap()
}

fn approve(app: &TestApp, staff: &Client, id: i64, valid_until: &str) {
    let page = format!("/staff/ulgi/wnioski/{id}");
    let response = post(
        staff,
        &page,
        &format!("{page}/przyznaj"),
        &[("proof_valid_until", valid_until)],
    );
    assert_eq!(response.status(), Status::SeeOther, "approved");
    let status: String = discount_applications::table
        .find(id)
        .select(discount_applications::status)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(status, "approved");
}

/// Runs the billing for `period`, issued on `issue_date`.
pub fn run_billing(app: &TestApp, period: BillingPeriod, issue_date: NaiveDate) {
    let renderer = PdfRenderer::shared().unwrap();
    let store = PdfStore::new(&app.config.paths.invoices_dir);
    let templates = MailTemplates::load(&app.config.paths.templates_dir.join("mail")).unwrap();
    let invoicing = Invoicing {
        renderer: renderer.as_ref(),
        store: &store,
        outgoing: Some(Outgoing {
            templates: &templates,
            public_url: ORIGIN,
            isp_name: "Przykładowy Operator",
        }),
    };
    let mut conn = app.conn();
    let actor = Actor::default();
    let started = billing::start_run(
        &mut conn,
        &app.config.database.url,
        &period.key(),
        issue_date,
        Source::Cli,
        &actor,
        clock::now(),
    )
    .unwrap();
    billing::execute_run(&mut conn, &invoicing, started, &actor, 50, &|_| {}).unwrap();
}

/// (name, unit price, vat rate) of the lines of the customer's invoice for `period`, and its
/// (net, vat, gross).
type Billed = (Vec<(String, i64, String)>, (i64, i64, i64));

fn invoice_for(app: &TestApp, contract: i64, period: BillingPeriod) -> Billed {
    let customer: CustomerId = contracts::table
        .find(contract)
        .select(contracts::customer_id)
        .first(&mut *app.conn())
        .unwrap();
    let (id, net, vat, gross): (i64, i64, i64, i64) = invoices::table
        .filter(invoices::customer_id.eq(customer))
        .filter(invoices::period_start.eq(Some(period.first_day())))
        .select((
            invoices::id,
            invoices::total_net,
            invoices::total_vat,
            invoices::total_gross,
        ))
        .first(&mut *app.conn())
        .unwrap();
    let lines = invoice_lines::table
        .filter(invoice_lines::invoice_id.eq(id))
        .order(invoice_lines::position)
        .select((
            invoice_lines::name,
            invoice_lines::unit_price,
            invoice_lines::vat_rate,
        ))
        .load(&mut *app.conn())
        .unwrap();
    (lines, (net, vat, gross))
}

/// VAT in a gross amount at 23 %, half-up to the grosz (art. 106e ust. 11; gross method).
fn vat_in_gross_23(gross: i64) -> i64 {
    (gross * 23 * 2 + 123) / 246
}

fn next_period() -> BillingPeriod {
    BillingPeriod::containing(clock::today()).next()
}

fn files_under(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let path = e.path();
            if path.is_dir() { files_under(&path) } else { 1 }
        })
        .sum()
}

fn a_chosen_discount_goes_on_the_next_invoice_with_vat_to_the_grosz(app: TestApp) {
    let app = demo_app(app);
    let contract = contract_id(&app, DEMO_CONTRACT);
    // Jan's tariff (79,99 zł) allows four grounds; each shows the price under it.
    let html = app
        .get(&format!("/umowy/{contract}/ulga"))
        .into_string()
        .unwrap();
    let text = page_text(&html);
    assert!(text.contains("Ulgi się nie sumują"), "{text}");
    for (ground, price) in [
        ("Uczeń lub student", "63,99 zł"),
        ("Emeryt lub rencista", "67,99 zł"),
        ("Osoba z niepełnosprawnością", "54,99 zł"),
        ("Karta Dużej Rodziny", "71,99 zł"),
    ] {
        assert!(text.contains(ground), "{ground} offered");
        assert!(text.contains(price), "{ground} at {price}: {text}");
    }
    assert!(!text.contains("Pracownik"), "not for this tariff");

    let pensioner = type_id(&app, "Emeryt lub rencista");
    let valid = (clock::today() + Duration::days(400)).to_string();
    let response = apply(
        &app.client,
        contract,
        &[
            ("discount_type", &pensioner.to_string()),
            ("proof_valid_until", &valid),
        ],
        &[("proof", "legitymacja.jpg", "image/jpeg", png())],
    );
    assert_eq!(response.status(), Status::SeeOther);
    let id = pending_of(&app, contract);
    let (name, content_type): (String, String) = discount_applications::table
        .find(id)
        .select((
            discount_applications::proof_file_name,
            discount_applications::proof_content_type,
        ))
        .first(&mut *app.conn())
        .unwrap();
    // The type is what the bytes are, whatever the name said.
    assert_eq!(
        (name.as_str(), content_type.as_str()),
        ("legitymacja.png", "image/png")
    );
    let own = app.get(&format!("/ulgi/{id}/dowod"));
    assert_eq!(own.status(), Status::Ok);
    assert_eq!(own.into_bytes().unwrap(), png());

    let staff = admin(&app);
    let queue = staff.get("/staff/ulgi").dispatch().into_string().unwrap();
    assert!(queue.contains(&format!("/staff/ulgi/wnioski/{id}")));
    let proof = staff
        .get(format!("/staff/ulgi/wnioski/{id}/dowod"))
        .dispatch();
    assert_eq!(proof.into_bytes().unwrap(), png());
    approve(&app, &staff, id, "");
    let (starts_on, ends_on): (Option<NaiveDate>, Option<NaiveDate>) = discount_applications::table
        .find(id)
        .select((
            discount_applications::starts_on,
            discount_applications::ends_on,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        starts_on,
        Some(next_period().first_day()),
        "from the next period"
    );
    assert_eq!(ends_on.map(|d| d.to_string()), Some(valid));
    let mail: (String, String) = outbox::table
        .filter(outbox::kind.eq("discount"))
        .select((outbox::subject, outbox::body_text))
        .first(&mut *app.conn())
        .unwrap();
    assert!(mail.0.contains("Ulga przyznana"), "{mail:?}");

    // The contract page shows it with the price.
    let page = page_text(
        &app.get(&format!("/umowy/{contract}"))
            .into_string()
            .unwrap(),
    );
    assert!(
        page.contains("Emeryt lub rencista : 67,99 zł miesięcznie"),
        "{page}"
    );

    // This month's invoice would not carry it; the next period's does.
    run_billing(&app, next_period(), clock::today());
    let (lines, (net, vat, gross)) = invoice_for(&app, contract, next_period());
    let full = lines
        .iter()
        .find(|(name, ..)| name.starts_with("Internet"))
        .expect("the subscription line");
    assert_eq!(full.1, 7_999, "the subscription line keeps the full price");
    assert!(!full.0.contains("rabat"), "{lines:?}");
    let discount = lines
        .iter()
        .find(|(name, ..)| name.starts_with("Ulga: Emeryt lub rencista"))
        .unwrap_or_else(|| panic!("a discount line: {lines:?}"));
    // 79,99 × 15 % = 11,9985 → the price 67,99, so the line takes 12,00.
    assert_eq!((discount.1, discount.2.as_str()), (-1_200, "23"));
    let sum: i64 = lines.iter().map(|l| l.1).sum();
    assert_eq!(gross, sum, "{lines:?}");
    assert!(lines.iter().all(|l| l.2 == "23"), "{lines:?}");
    assert_eq!(vat, vat_in_gross_23(gross), "VAT on the discounted amount");
    assert_eq!(net + vat, gross);
    // Only the subscription is discounted, not the static IP.
    assert_eq!(
        lines
            .iter()
            .filter(|(n, ..)| n.starts_with("Ulga:"))
            .count(),
        1
    );
}

fn a_newer_discount_ends_the_older_and_replaces_the_service_discounts(app: TestApp) {
    let app = demo_app(app);
    let contract = contract_id(&app, DEMO_CONTRACT);
    let internet: i64 = services::table
        .filter(services::contract_id.eq(Some(contract)))
        .filter(services::kind.eq("internet"))
        .select(services::id)
        .first(&mut *app.conn())
        .unwrap();
    // A loyalty discount the service had: while a discount by eligibility applies, it does not.
    diesel::insert_into(service_discounts::table)
        .values((
            service_discounts::service_id.eq(internet),
            service_discounts::name.eq("Rabat lojalnościowy −10%"),
            service_discounts::kind.eq("percent"),
            service_discounts::value.eq(1_000_i64),
            service_discounts::starts_on.eq(clock::today() - Duration::days(400)),
            service_discounts::ends_on.eq(None::<NaiveDate>),
            service_discounts::created_at.eq(clock::now()),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    let staff = admin(&app);
    let student = type_id(&app, "Uczeń lub student");
    let family = type_id(&app, "Karta Dużej Rodziny");
    let proof = [("proof", "skan.pdf", "application/pdf", pdf())];
    let response = apply(
        &app.client,
        contract,
        &[("discount_type", &student.to_string())],
        &proof,
    );
    assert_eq!(response.status(), Status::SeeOther);
    let first = pending_of(&app, contract);
    // One application waits at a time.
    let again = apply(
        &app.client,
        contract,
        &[("discount_type", &family.to_string())],
        &proof,
    );
    assert_eq!(again.status(), Status::UnprocessableEntity);
    assert!(page_text(&again.into_string().unwrap()).contains("już czeka na decyzję"));
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM discount_applications WHERE status = 'pending'"
        ),
        2,
        "Jan's and the demo's Anna's"
    );
    approve(&app, &staff, first, "");
    let response = apply(
        &app.client,
        contract,
        &[("discount_type", &family.to_string())],
        &proof,
    );
    assert_eq!(response.status(), Status::SeeOther);
    let second = pending_of(&app, contract);
    approve(&app, &staff, second, "");
    // Both were approved in the same month: the newer one replaces the older before it began.
    let status: String = discount_applications::table
        .find(first)
        .select(discount_applications::status)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(status, "ended", "discounts never stack");

    run_billing(&app, next_period(), clock::today());
    let (lines, (_, vat, gross)) = invoice_for(&app, contract, next_period());
    let ulgi: Vec<_> = lines
        .iter()
        .filter(|(n, ..)| n.starts_with("Ulga:"))
        .collect();
    assert_eq!(ulgi.len(), 1, "{lines:?}");
    assert!(ulgi[0].0.starts_with("Ulga: Karta Dużej Rodziny"));
    // 79,99 × 90 % = 71,991 → 71,99: the line takes 8,00; the loyalty 10 % is not added.
    assert_eq!(ulgi[0].1, -800);
    assert!(
        lines.iter().all(|(n, ..)| !n.contains("lojaln")),
        "{lines:?}"
    );
    assert_eq!(vat, vat_in_gross_23(gross));
}

fn bad_proofs_get_a_message_and_store_nothing(app: TestApp) {
    let app = demo_app(app);
    let contract = contract_id(&app, DEMO_CONTRACT);
    let student = type_id(&app, "Uczeń lub student").to_string();
    let employee = type_id(&app, "Pracownik").to_string();
    let files_before = files_under(&app.config.paths.attachments_dir);
    let rows = || count(&mut app.conn(), "SELECT id FROM discount_applications");
    let rows_before = rows();
    let mut too_big = png();
    too_big.resize(5 * 1024 * 1024 + 1, 0);
    let yesterday = (clock::today() - Duration::days(1)).to_string();
    // (what is wrong, form fields, files, the message expected)
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, Vec<FilePart<'a>>, &'a str);
    let cases: Vec<Case<'_>> = vec![
        (
            "missing",
            vec![("discount_type", &student)],
            vec![],
            "Dołącz dokument potwierdzający uprawnienie",
        ),
        (
            "wrong type",
            vec![("discount_type", &student)],
            vec![(
                "proof",
                "legitymacja.pdf",
                "application/pdf",
                b"to nie jest PDF".to_vec(),
            )],
            "„legitymacja.pdf” nie jest plikiem PDF, JPEG ani PNG",
        ),
        (
            "too big",
            vec![("discount_type", &student)],
            vec![("proof", "zdjecie.png", "image/png", too_big)],
            "„zdjecie.png” jest większy niż 5 MB",
        ),
        (
            "not for the tariff",
            vec![("discount_type", &employee)],
            vec![("proof", "zaswiadczenie.pdf", "application/pdf", pdf())],
            "nie przysługuje do taryfy tej umowy",
        ),
        (
            "no choice",
            vec![],
            vec![("proof", "skan.pdf", "application/pdf", pdf())],
            "Wybierz ulgę",
        ),
        (
            "expired proof",
            vec![
                ("discount_type", &student),
                ("proof_valid_until", &yesterday),
            ],
            vec![("proof", "skan.pdf", "application/pdf", pdf())],
            "Data ważności dokumentu",
        ),
        (
            "two files",
            vec![("discount_type", &student)],
            vec![
                ("proof", "a.pdf", "application/pdf", pdf()),
                ("proof", "b.pdf", "application/pdf", pdf()),
            ],
            "Dołącz jeden plik",
        ),
    ];
    for (case, fields, files, message) in cases {
        let response = apply(&app.client, contract, &fields, &files);
        assert_eq!(response.status(), Status::UnprocessableEntity, "{case}");
        let text = page_text(&response.into_string().unwrap());
        assert!(text.contains(message), "{case}: {text}");
        assert_eq!(rows(), rows_before, "{case}: no row");
        assert_eq!(
            files_under(&app.config.paths.attachments_dir),
            files_before,
            "{case}: no file"
        );
    }
    // Another customer's contract and proof are not found; nothing is stored either.
    let anna = contract_id(&app, UNREGISTERED_CONTRACT);
    let response = apply(
        &app.client,
        anna,
        &[("discount_type", &student)],
        &[("proof", "skan.pdf", "application/pdf", pdf())],
    );
    assert_eq!(response.status(), Status::NotFound);
    let annas = pending_of(&app, anna);
    assert_eq!(
        app.get(&format!("/ulgi/{annas}/dowod")).status(),
        Status::NotFound
    );
    assert_eq!(rows(), rows_before);
    // Without the CSRF token nothing is stored.
    let response = app
        .client
        .post(format!("/umowy/{contract}/ulga"))
        .header(Header::new(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        ))
        .header(Header::new("Origin", ORIGIN))
        .body(multipart_body(
            &[("discount_type", &student)],
            &[("proof", "skan.pdf", "application/pdf", pdf())],
        ))
        .dispatch();
    assert_ne!(response.status(), Status::SeeOther);
    assert_eq!(rows(), rows_before);
    assert_eq!(files_under(&app.config.paths.attachments_dir), files_before);
}

fn staff_define_types_and_a_refusal_mails_its_reason(app: TestApp) {
    let app = demo_app(app);
    let staff = admin(&app);
    let bad = post(
        &staff,
        "/staff/ulgi",
        "/staff/ulgi/rodzaje",
        &[
            ("name", ""),
            ("who_qualifies", "Kombatanci"),
            ("proof_required", "Legitymacja kombatancka"),
            ("kind", "percent"),
            ("value", "150"),
            ("tariff", ""),
            ("valid_from", "2026-01-01"),
        ],
    );
    assert_eq!(bad.status(), Status::UnprocessableEntity);
    let text = page_text(&bad.into_string().unwrap());
    assert!(text.contains("Podaj nazwę ulgi"), "{text}");
    assert!(
        text.contains("Procent musi być liczbą od 0,01 do 100"),
        "{text}"
    );
    let good = post(
        &staff,
        "/staff/ulgi",
        "/staff/ulgi/rodzaje",
        &[
            ("name", "Kombatant"),
            ("who_qualifies", "Kombatanci"),
            ("proof_required", "Legitymacja kombatancka"),
            ("kind", "amount"),
            ("value", "15,50"),
            ("tariff", ""),
            ("valid_from", "2026-01-01"),
        ],
    );
    assert_eq!(good.status(), Status::SeeOther);
    let (kind, value): (String, i64) = discount_types::table
        .filter(discount_types::name.eq("Kombatant"))
        .select((discount_types::kind, discount_types::value))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!((kind.as_str(), value), ("amount", 1_550));
    // The subscriber is offered it at once, with its price.
    let contract = contract_id(&app, DEMO_CONTRACT);
    let page = page_text(
        &app.get(&format!("/umowy/{contract}/ulga"))
            .into_string()
            .unwrap(),
    );
    assert!(
        page.contains("Kombatant") && page.contains("64,49 zł"),
        "{page}"
    );

    // Anna's demo application: a refusal needs its reason, which the mail carries.
    let anna = pending_of(&app, contract_id(&app, UNREGISTERED_CONTRACT));
    let detail = format!("/staff/ulgi/wnioski/{anna}");
    let empty = post(
        &staff,
        &detail,
        &format!("{detail}/odrzuc"),
        &[("reason", " ")],
    );
    assert_eq!(empty.status(), Status::UnprocessableEntity);
    assert!(page_text(&empty.into_string().unwrap()).contains("Podaj powód odmowy"));
    let refused = post(
        &staff,
        &detail,
        &format!("{detail}/odrzuc"),
        &[("reason", "Legitymacja jest nieczytelna")],
    );
    assert_eq!(refused.status(), Status::SeeOther);
    let (recipient, subject, body): (String, String, String) = outbox::table
        .filter(outbox::kind.eq("discount"))
        .select((outbox::recipient, outbox::subject, outbox::body_text))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(recipient, ebok::app::demo::UNREGISTERED_EMAIL);
    assert!(subject.contains("odrzucony"), "{subject}");
    assert!(body.contains("Legitymacja jest nieczytelna"), "{body}");
    // Decided once: a second decision changes nothing.
    let twice = post(&staff, &detail, &format!("{detail}/przyznaj"), &[]);
    assert_ne!(twice.status(), Status::SeeOther);
    let status: String = discount_applications::table
        .find(anna)
        .select(discount_applications::status)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(status, "refused");
    // The support role does not open the discounts.
    let support = common::staff_client(&app, "serwis", "Staff-ebok-2026");
    assert_eq!(
        support.get("/staff/ulgi").dispatch().status(),
        Status::Forbidden
    );
}

fn the_end_of_a_discount_is_announced_once_14_days_ahead(app: TestApp) {
    let app = demo_app(app);
    let contract = contract_id(&app, DEMO_CONTRACT);
    let student = type_id(&app, "Uczeń lub student");
    let response = apply(
        &app.client,
        contract,
        &[("discount_type", &student.to_string())],
        &[("proof", "skan.pdf", "application/pdf", pdf())],
    );
    assert_eq!(response.status(), Status::SeeOther);
    let id = pending_of(&app, contract);
    let staff = admin(&app);
    let ends = next_period().first_day() + Duration::days(20);
    approve(&app, &staff, id, &ends.to_string());

    let templates = MailTemplates::load(&app.config.paths.templates_dir.join("mail")).unwrap();
    let outgoing = Outgoing {
        templates: &templates,
        public_url: ORIGIN,
        isp_name: "Przykładowy Operator",
    };
    let announce = |today: NaiveDate| {
        ebok::app::discounts::announce_endings(&mut app.conn(), &outgoing, today, clock::now())
            .unwrap()
    };
    let endings = || {
        count(
            &mut app.conn(),
            "SELECT id FROM outbox WHERE kind = 'discount' AND subject LIKE '%kończy%'",
        )
    };
    assert_eq!(announce(ends - Duration::days(15)), 0, "too early");
    assert_eq!(announce(ends - Duration::days(14)), 1);
    assert_eq!(announce(ends - Duration::days(13)), 0, "once");
    assert_eq!(endings(), 1);
    let body: String = outbox::table
        .filter(outbox::kind.eq("discount"))
        .order(outbox::id.desc())
        .select(outbox::body_text)
        .first(&mut *app.conn())
        .unwrap();
    assert!(
        body.contains(&ends.format("%d.%m.%Y").to_string()),
        "{body}"
    );
    // The notice pass of the notice job does it too, and nothing twice.
    let report = ebok::app::notice_mail::run(
        &mut app.conn(),
        &outgoing,
        &app.config.notices,
        ends - Duration::days(3),
        clock::now(),
    )
    .unwrap();
    assert_eq!(report.discount_endings, 0);
    assert_eq!(endings(), 1);

    // The billing of the period it ends in still carries it; the period after does not.
    run_billing(&app, next_period(), clock::today());
    let (lines, _) = invoice_for(&app, contract, next_period());
    assert!(
        lines.iter().any(|(n, ..)| n.starts_with("Ulga:")),
        "{lines:?}"
    );
    let after = next_period().next();
    run_billing(&app, after, after.first_day() - Duration::days(1));
    let (lines, _) = invoice_for(&app, contract, after);
    assert!(
        !lines.iter().any(|(n, ..)| n.starts_with("Ulga:")),
        "{lines:?}"
    );
}

fn staff_add_and_end_service_discounts(app: TestApp) {
    let app = demo_app(app);
    let staff = admin(&app);
    let contract = contract_id(&app, DEMO_CONTRACT);
    let internet: i64 = services::table
        .filter(services::contract_id.eq(Some(contract)))
        .filter(services::kind.eq("internet"))
        .select(services::id)
        .first(&mut *app.conn())
        .unwrap();
    let bad = post(
        &staff,
        "/staff/rabaty",
        "/staff/rabaty",
        &[
            ("service_id", "999999"),
            ("name", "Promocja"),
            ("kind", "percent"),
            ("value", "10"),
            ("starts_on", "2026-01-01"),
        ],
    );
    assert_eq!(bad.status(), Status::UnprocessableEntity);
    assert!(page_text(&bad.into_string().unwrap()).contains("Sprawdź numer usługi"));
    let starts = next_period().first_day().to_string();
    let good = post(
        &staff,
        "/staff/rabaty",
        "/staff/rabaty",
        &[
            ("service_id", &internet.to_string()),
            ("name", "Promocja świąteczna"),
            ("kind", "amount"),
            ("value", "10,00"),
            ("starts_on", &starts),
        ],
    );
    assert_eq!(good.status(), Status::SeeOther);
    let page = staff.get("/staff/rabaty").dispatch().into_string().unwrap();
    assert!(page_text(&page).contains("Promocja świąteczna"));
    let id: i64 = service_discounts::table
        .filter(service_discounts::name.eq("Promocja świąteczna"))
        .select(service_discounts::id)
        .first(&mut *app.conn())
        .unwrap();
    // The run applies it as it always did: 79,99 − 10,00.
    run_billing(&app, next_period(), clock::today());
    let (lines, _) = invoice_for(&app, contract, next_period());
    let line = lines
        .iter()
        .find(|(n, ..)| n.starts_with("Internet"))
        .unwrap();
    assert_eq!(line.1, 6_999);
    assert!(line.0.contains("rabat: Promocja świąteczna"), "{lines:?}");
    // Ended on the period's last day: it no longer applies after it.
    let last = next_period().last_day().to_string();
    let ended = post(
        &staff,
        "/staff/rabaty",
        &format!("/staff/rabaty/{id}/koniec"),
        &[("last_day", &last)],
    );
    assert_eq!(ended.status(), Status::SeeOther);
    let ends_on: Option<NaiveDate> = service_discounts::table
        .find(id)
        .select(service_discounts::ends_on)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(ends_on, Some(next_period().last_day()));
}
