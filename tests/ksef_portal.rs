//! KSeF as subscribers and staff meet it: KOD I on the invoice PDF over exactly the stored FA(3)
//! bytes (labelled "OFFLINE" at issue, the KSeF number on the visualisation rendered once when
//! KSeF accepts), the KSeF number and state on the subscriber's invoice pages, the billing run
//! making each invoice's FA(3) document, the seller's KSeF settings with a sealed token, and the
//! UPO download — on every backend.

mod common;
#[path = "billing/dataset.rs"]
mod dataset;

use ebok::domain::CustomerId;
use ebok::domain::InvoiceId;
use ebok::domain::KsefState;
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Datelike;
use common::TestApp;
use common::documents::{pdf_text, qr_codes_in, render_first_page};
use diesel::prelude::*;
use ebok::app::audit::Actor;
use ebok::app::billing::{self, Source};
use ebok::app::invoicing::{self, Invoicing, IssueRequest, Issued, LineRequest, PdfStore};
use ebok::app::{clock, ksef};
use ebok::db::ksef::{KsefDocument, KsefSettingsRow};
use ebok::db::schema::invoices;
use ebok::domain::subscription_periods::InvoicedBy;
use ebok::domain::{Money, VatRate};
use ebok::jobs::ksef::{BatchPolicy, KsefTarget, SendReport, Sender};
use ebok::ksef::client::KsefClient;
use ebok::ksef::schema::SchemaDir;
use ebok::pdf::PdfRenderer;
use ebok::sim::ksef::{Faults, KsefSim, SimOptions};
use rocket::http::Status;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

backend_tests!(
    kod_i_carries_the_hash_of_the_stored_xml_offline_at_issue_and_the_ksef_number_once_accepted,
    subscribers_see_the_ksef_number_or_why_there_is_none_yet,
    the_billing_run_makes_each_invoices_fa3_document_in_its_own_transaction,
    staff_keep_the_ksef_settings_with_the_token_sealed_and_the_sender_follows_them,
    staff_download_the_upo_of_an_accepted_invoice,
);

const TOKEN: &str = "20260101-EC-0123456789-ABCDEF0123-FF|nip-6182007145|e-BOK-test";
const SELLER_NIP: &str = "6182007145";

fn schema() -> SchemaDir {
    SchemaDir::new(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/ksef-fa3")).unwrap()
}

fn line(name: &str, price: i64) -> LineRequest {
    LineRequest {
        name: name.into(),
        unit: "usł.".into(),
        quantity: Decimal::ONE,
        unit_price: Money::from_grosze(price),
        rate: VatRate::Standard23,
        service_id: None,
        subscription: None,
    }
}

fn customer_id(app: &TestApp, number: i64) -> CustomerId {
    ebok::db::customers::find_by_number(&mut app.conn(), number)
        .unwrap()
        .unwrap()
        .id
}

fn issue(app: &TestApp, customer_id: CustomerId, lines: Vec<LineRequest>) -> Issued {
    let renderer = PdfRenderer::shared().unwrap();
    let store = PdfStore::new(&app.config.paths.invoices_dir);
    let today = clock::today();
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
            lines,
            annex_15_goods: false,
            invoiced_by: InvoicedBy::Manual,
            actor: Actor::default(),
        },
        clock::now(),
    )
    .unwrap()
}

fn document(app: &TestApp, invoice_id: InvoiceId) -> KsefDocument {
    ebok::db::ksef::find(&mut app.conn(), invoice_id)
        .unwrap()
        .expect("every issued invoice has a KSeF document")
}

/// The seller sends to e-BOK's local KSeF server (the demo's setting): KOD I points at the
/// Ministry's test verification host.
fn settings(app: &TestApp, environment: &str, send_consumer_invoices: bool) {
    ebok::db::ksef::save_settings(
        &mut app.conn(),
        &KsefSettingsRow {
            id: 1,
            environment: environment.into(),
            token_ciphertext: None,
            send_consumer_invoices,
            updated_at: clock::now(),
        },
    )
    .unwrap();
}

fn local_ksef() -> KsefSim {
    ebok::sim::ksef::spawn(SimOptions {
        token: TOKEN.into(),
        schema: Some(schema()),
        port: 0,
    })
    .unwrap()
}

fn target(app: &TestApp, server: &KsefSim) -> KsefTarget {
    KsefTarget {
        client: KsefClient::new(&server.base_url, Duration::from_secs(10)).unwrap(),
        token: TOKEN.into(),
        environment: "local".into(),
        invoices: PdfStore::new(&app.config.paths.invoices_dir),
        batch: BatchPolicy::default(),
    }
}

fn send(app: &TestApp, target: &KsefTarget, at: chrono::NaiveDateTime) -> SendReport {
    rocket::tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(ebok::jobs::ksef::send_due(&app.pool, target, at))
        .unwrap()
}

fn drain(app: &TestApp, target: &KsefTarget) {
    for _ in 0..5 {
        let report = send(app, target, clock::now());
        if report.sent == 0 && report.waiting == 0 {
            break;
        }
    }
}

/// KOD I's link for `xml` of an invoice issued today by the demo seller.
fn kod_i(host: &str, xml: &str, issue_date: chrono::NaiveDate) -> String {
    format!(
        "https://{host}/invoice/{SELLER_NIP}/{}/{}",
        issue_date.format("%d-%m-%Y"),
        URL_SAFE_NO_PAD.encode(Sha256::digest(xml.as_bytes()))
    )
}

/// The QR codes on page 1, or `None` where poppler is not installed.
fn codes_on_page_one(pdf: &[u8], name: &str) -> Option<Vec<String>> {
    let png = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}.png"));
    render_first_page(pdf, &png, 200).then(|| qr_codes_in(&png))
}

fn issue_time_pdf(app: &TestApp, invoice_id: InvoiceId) -> Vec<u8> {
    let (path, sha): (Option<String>, Option<String>) = invoices::table
        .find(invoice_id)
        .select((invoices::pdf_path, invoices::pdf_sha256))
        .first(&mut *app.conn())
        .unwrap();
    PdfStore::new(&app.config.paths.invoices_dir)
        .read_verified(&path.unwrap(), &sha.unwrap())
        .unwrap()
}

fn kod_i_carries_the_hash_of_the_stored_xml_offline_at_issue_and_the_ksef_number_once_accepted(
    app: TestApp,
) {
    let app = app.with_demo(0);
    settings(&app, "local", true);
    let jan = customer_id(&app, 1);
    let issued = issue(&app, jan, vec![line("Internet 600/60", 7_999)]);
    let stored = document(&app, issued.invoice_id);
    let xml = stored.xml.clone().expect("the XML is stored at issue");
    schema().validate(xml.as_bytes()).unwrap();
    let expected = kod_i("qr-test.ksef.mf.gov.pl", &xml, clock::today());

    let at_issue = issue_time_pdf(&app, issued.invoice_id);
    if let Some(text) = pdf_text(&at_issue) {
        assert!(text.contains("OFFLINE"), "{text}");
    }
    if let Some(codes) = codes_on_page_one(&at_issue, &format!("kod-i-{}", app.backend.name())) {
        assert!(
            codes.contains(&expected),
            "KOD I over the stored XML: {codes:?}"
        );
    }

    let server = local_ksef();
    drain(&app, &target(&app, &server));
    let accepted = document(&app, issued.invoice_id);
    assert_eq!(accepted.state, KsefState::Accepted);
    let number = accepted.ksef_number.clone().unwrap();
    assert_eq!(
        accepted.xml.as_deref(),
        Some(xml.as_str()),
        "never rewritten"
    );
    let numbered_path = accepted
        .numbered_pdf_path
        .clone()
        .expect("rendered once more with the KSeF number");

    // The subscriber is served the numbered visualisation; the issue-time file stays as issued.
    let store = PdfStore::new(&app.config.paths.invoices_dir);
    let (_, served) = ebok::app::invoices::pdf(&mut app.conn(), &store, jan, issued.invoice_id)
        .unwrap()
        .unwrap();
    assert_eq!(
        served,
        store
            .read_verified(
                &numbered_path,
                accepted.numbered_pdf_sha256.as_ref().unwrap()
            )
            .unwrap()
    );
    assert_eq!(issue_time_pdf(&app, issued.invoice_id), at_issue);
    if let Some(text) = pdf_text(&served) {
        assert!(text.contains(&number), "{text}");
        assert!(!text.contains("OFFLINE"), "{text}");
    }
    if let Some(codes) = codes_on_page_one(&served, &format!("kod-i-ksef-{}", app.backend.name())) {
        assert!(codes.contains(&expected), "the same link: {codes:?}");
    }

    // Never rendered again: a later pass finds nothing to do and the record stays.
    let renderer = PdfRenderer::shared().unwrap();
    let again = ksef::render_numbered(&mut app.conn(), &renderer, &store, 100).unwrap();
    assert_eq!(again, 0);
    assert_eq!(
        document(&app, issued.invoice_id).numbered_pdf_sha256,
        accepted.numbered_pdf_sha256
    );
}

fn subscribers_see_the_ksef_number_or_why_there_is_none_yet(app: TestApp) {
    let app = app.with_demo(0);
    settings(&app, "local", true);
    let jan = customer_id(&app, 1);
    let first = issue(&app, jan, vec![line("Internet 600/60", 7_999)]);
    let response = common::log_in(&app.client, "demo", "Demo-ebok-2026");
    assert_eq!(response.status(), Status::SeeOther);
    let page = |id: InvoiceId| {
        common::page_text(&app.get(&format!("/faktury/{id}")).into_string().unwrap())
    };
    assert!(
        page(first.invoice_id).contains("czeka na numer KSeF"),
        "{}",
        page(first.invoice_id)
    );

    // KSeF down: the invoice is valid, issued offline, and says so.
    let server = local_ksef();
    server.set_faults(Faults {
        down: true,
        ..Faults::default()
    });
    send(&app, &target(&app, &server), clock::now());
    assert!(page(first.invoice_id).contains("trybie offline"));

    server.set_faults(Faults::default());
    let later = clock::now() + chrono::Duration::hours(2);
    send(&app, &target(&app, &server), later);
    drain(&app, &target(&app, &server));
    let number = document(&app, first.invoice_id).ksef_number.unwrap();
    let detail = page(first.invoice_id);
    assert!(detail.contains(&number), "{detail}");
    assert!(detail.contains("przyjęta do KSeF"), "{detail}");
    let list = common::page_text(&app.get("/faktury").into_string().unwrap());
    assert!(list.contains(&number), "{list}");

    // A rejection is for staff to fix; the subscriber sees an invoice still on its way.
    let second = issue(&app, jan, vec![line("Telewizja", 2_999)]);
    server.set_faults(Faults {
        reject: Some((450, "Błąd weryfikacji semantyki dokumentu faktury.".into())),
        ..Faults::default()
    });
    drain(&app, &target(&app, &server));
    assert_eq!(document(&app, second.invoice_id).state, KsefState::Rejected);
    let rejected = page(second.invoice_id);
    assert!(rejected.contains("trybie offline"), "{rejected}");
    assert!(
        !rejected.contains("odrzuc") && !rejected.contains("450"),
        "{rejected}"
    );

    // The same in English.
    common::post(
        &app.client,
        "/faktury",
        "/jezyk",
        &[("lang", "en"), ("back", "/faktury")],
    );
    let english = common::page_text(&app.get("/faktury").into_string().unwrap());
    assert!(english.contains("issued offline"), "{english}");
    let english = page(first.invoice_id);
    assert!(english.contains("accepted by KSeF"), "{english}");
}

fn the_billing_run_makes_each_invoices_fa3_document_in_its_own_transaction(app: TestApp) {
    let app = app.with_demo(0);
    dataset::suspend_existing(&mut app.conn());
    let (person, company) = {
        let conn = &mut *app.conn();
        (
            dataset::add_customer(conn, 101, false, &[dataset::ServiceSpec::internet(7_999)]),
            dataset::add_customer(conn, 108, true, &[dataset::ServiceSpec::internet(7_999)]),
        )
    };
    let renderer = PdfRenderer::shared().unwrap();
    let store = PdfStore::new(&app.config.paths.invoices_dir);
    let invoicing = Invoicing {
        renderer: renderer.as_ref(),
        store: &store,
        outgoing: None,
    };
    let mut conn = app.conn();
    let actor = Actor::default();
    let started = billing::start_run(
        &mut conn,
        &app.config.database.url,
        "2026-12",
        clock::today(),
        Source::Cli,
        &actor,
        clock::now(),
    )
    .unwrap();
    billing::execute_run(&mut conn, &invoicing, started, &actor, 4, &|_| {}).unwrap();
    drop(conn);
    for customer in [person, company] {
        let (id, issue_date, seller_nip): (InvoiceId, chrono::NaiveDate, String) = invoices::table
            .filter(invoices::customer_id.eq(customer))
            .select((invoices::id, invoices::issue_date, invoices::seller_nip))
            .first(&mut *app.conn())
            .unwrap();
        let stored = document(&app, id);
        assert_eq!(stored.state, KsefState::Queued, "{stored:?}");
        let xml = stored.xml.expect("made in the run's transaction");
        schema().validate(xml.as_bytes()).unwrap();
        assert_eq!(
            stored.xml_sha256.as_deref(),
            Some(ksef::xml_sha256_base64(xml.as_bytes()).as_str())
        );
        let summary = ebok::ksef::fa3::read_summary(&xml).unwrap();
        assert_eq!(summary.seller_nip, seller_nip);
        assert_eq!(summary.buyer_nip.is_some(), customer == company);
        if customer == person
            && let Some(codes) = codes_on_page_one(
                &issue_time_pdf(&app, id),
                &format!("run-{}", app.backend.name()),
            )
        {
            // No settings: the Ministry's production host.
            assert!(
                codes.contains(&kod_i("qr.ksef.mf.gov.pl", &xml, issue_date)),
                "{codes:?}"
            );
        }
    }
}

fn staff_keep_the_ksef_settings_with_the_token_sealed_and_the_sender_follows_them(app: TestApp) {
    let app = app.with_demo(0);
    let staff = common::staff_client(
        &app,
        ebok::app::demo::ADMIN_LOGIN,
        ebok::app::demo::ADMIN_PASSWORD,
    );
    let page = staff.get("/staff/ksef/ustawienia").dispatch();
    assert_eq!(page.status(), Status::Ok);
    let saved = common::post(
        &staff,
        "/staff/ksef/ustawienia",
        "/staff/ksef/ustawienia",
        &[("environment", "local"), ("token", TOKEN)],
    );
    assert_eq!(saved.status(), Status::SeeOther);
    let row = ebok::db::ksef::settings(&mut app.conn()).unwrap().unwrap();
    assert_eq!(row.environment, "local");
    assert!(!row.send_consumer_invoices, "the switch was left off");
    let sealed = row.token_ciphertext.clone().unwrap();
    assert!(sealed.starts_with("enc1:") && !sealed.contains("nip-6182007145"));
    let html = staff
        .get("/staff/ksef/ustawienia")
        .dispatch()
        .into_string()
        .unwrap();
    assert!(!html.contains("nip-6182007145"), "never shown again");
    assert!(common::page_text(&html).contains("Token jest zapisany"));

    // Bad input: a clear message, nothing changed.
    let refused = common::post(
        &staff,
        "/staff/ksef/ustawienia",
        "/staff/ksef/ustawienia",
        &[("environment", "prod"), ("token", "")],
    );
    assert_eq!(refused.status(), Status::SeeOther);
    let html = staff
        .get("/staff/ksef/ustawienia")
        .dispatch()
        .into_string()
        .unwrap();
    assert!(
        common::page_text(&html).contains("Wybierz środowisko KSeF z listy"),
        "{html}"
    );
    // An empty token keeps the stored one; the B2C switch turns on.
    common::post(
        &staff,
        "/staff/ksef/ustawienia",
        "/staff/ksef/ustawienia",
        &[
            ("environment", "local"),
            ("token", ""),
            ("send_consumer_invoices", "true"),
        ],
    );
    let row = ebok::db::ksef::settings(&mut app.conn()).unwrap().unwrap();
    assert_eq!(row.token_ciphertext.as_deref(), Some(sealed.as_str()));
    assert!(row.send_consumer_invoices);

    // The sender takes environment and token from the panel.
    let jan = customer_id(&app, 1);
    let issued = issue(&app, jan, vec![line("Internet", 5_999)]);
    let server = local_ksef();
    let mut sender = Sender::new(
        app.config.security.secrets.clone(),
        None,
        Some(server.base_url.clone()),
        PdfStore::new(&app.config.paths.invoices_dir),
    );
    let runtime = rocket::tokio::runtime::Runtime::new().unwrap();
    for _ in 0..5 {
        let report = runtime
            .block_on(sender.pass(&app.pool, clock::now()))
            .unwrap();
        assert_eq!(report.problem, None);
        if report.sent == 0 && report.waiting == 0 {
            break;
        }
    }
    assert_eq!(document(&app, issued.invoice_id).state, KsefState::Accepted);
    // Without a token nothing is sent, and the sender says what is missing.
    settings(&app, "test", true);
    let report = runtime
        .block_on(sender.pass(&app.pool, clock::now()))
        .unwrap();
    assert!(
        report.problem.as_deref().unwrap_or("").contains("token"),
        "{report:?}"
    );
}

fn staff_download_the_upo_of_an_accepted_invoice(app: TestApp) {
    let app = app.with_demo(0);
    settings(&app, "local", true);
    let issued = issue(&app, customer_id(&app, 1), vec![line("Internet", 5_999)]);
    let staff = common::staff_client(
        &app,
        ebok::app::demo::ADMIN_LOGIN,
        ebok::app::demo::ADMIN_PASSWORD,
    );
    let before = staff
        .get(format!("/staff/ksef/{}/upo", issued.invoice_id))
        .dispatch();
    assert_eq!(
        before.status(),
        Status::NotFound,
        "no UPO before KSeF accepts"
    );
    let server = local_ksef();
    drain(&app, &target(&app, &server));
    let number = document(&app, issued.invoice_id).ksef_number.unwrap();
    let page = common::page_text(&staff.get("/staff/ksef").dispatch().into_string().unwrap());
    assert!(page.contains(&number), "{page}");
    let upo = staff
        .get(format!("/staff/ksef/{}/upo", issued.invoice_id))
        .dispatch();
    assert_eq!(upo.status(), Status::Ok);
    assert_eq!(upo.content_type(), Some(rocket::http::ContentType::XML));
    let body = upo.into_string().unwrap();
    assert!(
        body.contains(&number) && body.contains("<Potwierdzenie"),
        "{body}"
    );
}
