//! KSeF documents end to end: every invoice issued through the real path gets its FA(3) XML in
//! the issuing transaction, valid against the Ministry's XSD, stating the invoice's amounts to the
//! grosz, stored with its hash; the sender takes them to the local KSeF server, which speaks the
//! real protocol, through every fault it can show — on every backend.

mod common;

use ebok::domain::CustomerId;
use ebok::domain::InvoiceId;
use ebok::domain::KsefState;
use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ebok::jobs::{
    self,
    ksef::{BatchPolicy, KsefTarget, SendReport},
};
use ebok::ksef::client::KsefClient;
use ebok::ksef::number::is_ksef_number;
use ebok::sim::{
    self,
    ksef::{Faults, KsefSim, SimOptions},
};

use chrono::Datelike;
use common::TestApp;
use ebok::app::audit::Actor;
use ebok::app::invoicing::{
    self, CorrectionRequest, Invoicing, IssueRequest, Issued, LineRequest, PdfStore,
};
use ebok::app::{clock, ksef};
use ebok::db::customers::NewCustomer;
use ebok::db::ksef::{KsefDocument, KsefSettingsRow};
use ebok::domain::subscription_periods::InvoicedBy;
use ebok::domain::{Money, VatRate};
use ebok::ksef::fa3::read_summary;
use ebok::ksef::schema::SchemaDir;
use ebok::pdf::PdfRenderer;
use rust_decimal::Decimal;

backend_tests!(
    a_consumer_invoice_gets_valid_fa3_xml_with_its_amounts_and_hash_at_issue,
    a_business_invoice_states_each_rate_to_the_grosz,
    a_correction_waits_for_its_originals_ksef_number_and_then_cites_it,
    a_correction_of_an_invoice_kept_outside_ksef_says_so,
    consumer_invoices_stay_local_when_the_seller_keeps_them_out_of_ksef,
    the_local_server_accepts_every_queued_invoice_with_a_ksef_number_and_upo,
    ksef_down_mid_drain_loses_nothing_and_the_queue_drains_when_it_is_back,
    a_rejected_invoice_keeps_the_code_and_text_and_can_be_sent_again,
    a_wrong_token_keeps_the_queue_and_says_why,
    a_sender_that_died_after_sending_is_reconciled_without_a_second_number,
    two_senders_at_once_never_send_an_invoice_twice,
    an_invoice_ksef_never_decides_on_stays_sent_and_is_asked_about_again,
    staff_see_the_rejection_on_the_ksef_page_and_send_the_invoice_again,
    a_throttled_sender_waits_as_long_as_ksef_asks,
);

fn schema() -> SchemaDir {
    SchemaDir::new(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/ksef-fa3")).unwrap()
}

fn line(name: &str, price: i64, rate: VatRate) -> LineRequest {
    LineRequest {
        name: name.into(),
        unit: "usł.".into(),
        quantity: Decimal::ONE,
        unit_price: Money::from_grosze(price),
        rate,
        service_id: None,
        subscription: None,
    }
}

fn issue(app: &TestApp, customer_id: CustomerId, lines: Vec<LineRequest>) -> Issued {
    let renderer = PdfRenderer::new().unwrap();
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

fn correct(app: &TestApp, original_id: InvoiceId, lines: Vec<LineRequest>) -> Issued {
    let renderer = PdfRenderer::new().unwrap();
    let store = PdfStore::new(&app.config.paths.invoices_dir);
    invoicing::issue_correction(
        &mut app.conn(),
        &Invoicing {
            renderer: &renderer,
            store: &store,
            outgoing: None,
        },
        &CorrectionRequest {
            original_id,
            series_code: "FK".into(),
            issue_date: clock::today(),
            reason: "Obniżka za przerwę w dostępie".into(),
            lines,
            payment_days: 14,
            actor: Actor::default(),
            overpaid: Default::default(),
            refund_account: None,
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

fn customer_id(app: &TestApp, number: i64) -> CustomerId {
    ebok::db::customers::find_by_number(&mut app.conn(), number)
        .unwrap()
        .unwrap()
        .id
}

fn company(app: &TestApp) -> CustomerId {
    let now = clock::now();
    ebok::db::customers::insert(
        &mut app.conn(),
        &NewCustomer {
            customer_number: 950,
            kind: ebok::domain::CustomerKind::Company,
            first_name: None,
            last_name: None,
            company_name: Some("Firma Testowa Sp. z o.o.".into()),
            pesel_hash: None,
            pesel_last4: None,
            nip: Some("1234563218".into()),
            address_line: "ul. Prosta 2".into(),
            postal_code: "00-001".into(),
            city: "Warszawa".into(),
            country_code: "PL".into(),
            correspondence_address_line: None,
            correspondence_postal_code: None,
            correspondence_city: None,
            email: "firma@example.com".into(),
            phone: None,
            language: "pl".into(),
            nrb: ebok::domain::Nrb::for_customer("102010267777", 950)
                .unwrap()
                .as_str()
                .into(),
            created_at: now,
            updated_at: now,
        },
    )
    .unwrap()
}

/// The stored XML validates, its hash is over its exact bytes, and it states the row's totals.
fn check_against_invoice(
    app: &TestApp,
    invoice_id: InvoiceId,
) -> (String, ebok::ksef::fa3::Fa3Summary) {
    let document = document(app, invoice_id);
    let xml = document.xml.expect("the XML is stored");
    schema().validate(xml.as_bytes()).unwrap();
    assert_eq!(
        document.xml_sha256.as_deref(),
        Some(ksef::xml_sha256_base64(xml.as_bytes()).as_str())
    );
    let invoice = ebok::db::invoices::find(&mut app.conn(), invoice_id)
        .unwrap()
        .unwrap();
    let summary = read_summary(&xml).unwrap();
    assert_eq!(summary.number, invoice.number.unwrap());
    assert_eq!(summary.seller_nip, invoice.seller_nip);
    assert_eq!(summary.total, Money::from_grosze(invoice.total_gross));
    let sum = |prefix: &str| -> Money {
        summary
            .per_rate
            .iter()
            .filter(|(field, _)| field.starts_with(prefix))
            .map(|(_, amount)| *amount)
            .sum()
    };
    assert_eq!(sum("P_13_"), Money::from_grosze(invoice.total_net));
    assert_eq!(sum("P_14_"), Money::from_grosze(invoice.total_vat));
    (xml, summary)
}

fn a_consumer_invoice_gets_valid_fa3_xml_with_its_amounts_and_hash_at_issue(app: TestApp) {
    let app = app.with_demo(0);
    let issued = issue(
        &app,
        customer_id(&app, 1),
        vec![
            line("Internet 600/60", 7_999, VatRate::Standard23),
            line("Telewizja — pakiet Start", 999, VatRate::Standard23),
        ],
    );
    assert_eq!(document(&app, issued.invoice_id).state, KsefState::Queued);
    let (xml, summary) = check_against_invoice(&app, issued.invoice_id);
    assert_eq!(summary.buyer_nip, None);
    assert!(xml.contains("<BrakID>1</BrakID>"));
    assert!(xml.contains("<OkresFa>"));
    assert!(xml.contains("<NrRB>73102010267777000000000001</NrRB>"));
    assert_eq!(summary.total, Money::from_grosze(8_998));
}

fn a_business_invoice_states_each_rate_to_the_grosz(app: TestApp) {
    let app = app.with_demo(0);
    let issued = issue(
        &app,
        company(&app),
        vec![
            line("Internet biznes", 33_333, VatRate::Standard23),
            line("Stały adres IP", 1_001, VatRate::Standard23),
            line("Catering na szkolenie", 12_345, VatRate::Reduced8),
        ],
    );
    let (_, summary) = check_against_invoice(&app, issued.invoice_id);
    assert_eq!(summary.buyer_nip.as_deref(), Some("1234563218"));
    // Net per rate: 343,34 at 23 % (VAT 78,97) and 123,45 at 8 % (VAT 9,88).
    assert_eq!(
        summary.per_rate,
        vec![
            ("P_13_1".to_owned(), Money::from_grosze(34_334)),
            ("P_14_1".to_owned(), Money::from_grosze(7_897)),
            ("P_13_2".to_owned(), Money::from_grosze(12_345)),
            ("P_14_2".to_owned(), Money::from_grosze(988)),
        ]
    );
}

fn a_correction_waits_for_its_originals_ksef_number_and_then_cites_it(app: TestApp) {
    let app = app.with_demo(0);
    let jan = customer_id(&app, 1);
    let original = issue(
        &app,
        jan,
        vec![line("Internet 600/60", 7_999, VatRate::Standard23)],
    );
    // The original is still on its way to KSeF: the correction cannot cite its number yet.
    let early = correct(
        &app,
        original.invoice_id,
        vec![line("Internet 600/60", 6_999, VatRate::Standard23)],
    );
    let waiting = document(&app, early.invoice_id);
    assert_eq!(waiting.state, KsefState::Queued);
    assert_eq!(waiting.xml, None);

    // Once KSeF has numbered the original, a correction cites that number.
    let mut conn = app.conn();
    let now = clock::now();
    let claimed = ebok::db::ksef::claim(&mut conn, original.invoice_id, now, now).unwrap();
    assert!(claimed.is_some());
    let number = "6182007145-20260512-0100001AF629-AF";
    assert!(
        ebok::db::ksef::record_accepted(&mut conn, original.invoice_id, number, now, None, now)
            .unwrap()
    );
    drop(conn);
    let later = correct(
        &app,
        early.invoice_id,
        vec![line("Internet 600/60", 5_999, VatRate::Standard23)],
    );
    let document = document(&app, later.invoice_id);
    assert!(
        document.xml.is_none(),
        "the first correction is not numbered yet"
    );
    // The second correction corrects the first, still unnumbered: it waits too. The original's
    // correction made now cites the original's number.
    let cited = correct(
        &app,
        original.invoice_id,
        vec![line("Internet 600/60", 7_000, VatRate::Standard23)],
    );
    let (xml, summary) = check_against_invoice(&app, cited.invoice_id);
    assert_eq!(summary.kind, "KOR");
    assert_eq!(summary.corrected_ksef_number.as_deref(), Some(number));
    assert!(xml.contains("<StanPrzed>1</StanPrzed>"));
    assert_eq!(summary.total, Money::from_grosze(7_000 - 7_999));
}

fn a_correction_of_an_invoice_kept_outside_ksef_says_so(app: TestApp) {
    let app = app.with_demo(0);
    keep_consumers_out(&app);
    let original = issue(
        &app,
        customer_id(&app, 1),
        vec![line("Internet 600/60", 7_999, VatRate::Standard23)],
    );
    assert_eq!(document(&app, original.invoice_id).state, KsefState::Local);
    let correction = correct(
        &app,
        original.invoice_id,
        vec![line("Internet 600/60", 8_999, VatRate::Standard23)],
    );
    let (xml, summary) = check_against_invoice(&app, correction.invoice_id);
    assert!(xml.contains("<NrKSeFN>1</NrKSeFN>"));
    assert_eq!(summary.total, Money::from_grosze(1_000));
    assert!(xml.contains("<Platnosc>"), "a raise is to be paid");
}

fn keep_consumers_out(app: &TestApp) {
    ebok::db::ksef::save_settings(
        &mut app.conn(),
        &KsefSettingsRow {
            id: 1,
            environment: "local".into(),
            token_ciphertext: None,
            send_consumer_invoices: false,
            updated_at: clock::now(),
        },
    )
    .unwrap();
}

fn consumer_invoices_stay_local_when_the_seller_keeps_them_out_of_ksef(app: TestApp) {
    let app = app.with_demo(0);
    keep_consumers_out(&app);
    let consumer = issue(
        &app,
        customer_id(&app, 1),
        vec![line("Internet", 5_999, VatRate::Standard23)],
    );
    let business = issue(
        &app,
        company(&app),
        vec![line("Internet biznes", 20_000, VatRate::Standard23)],
    );
    assert_eq!(document(&app, consumer.invoice_id).state, KsefState::Local);
    assert_eq!(document(&app, business.invoice_id).state, KsefState::Queued);
    check_against_invoice(&app, consumer.invoice_id);
}

// ---- Sending to the local KSeF server ------------------------------------------------------

const TOKEN: &str = "20260101-EC-0123456789-ABCDEF0123-FF|nip-6182007145|e-BOK-test";

fn local_ksef() -> KsefSim {
    sim::ksef::spawn(SimOptions {
        token: TOKEN.into(),
        schema: Some(schema()),
        port: 0,
    })
    .unwrap()
}

fn target(app: &TestApp, server: &KsefSim, token: &str) -> KsefTarget {
    KsefTarget {
        client: KsefClient::new(&server.base_url, Duration::from_secs(10)).unwrap(),
        token: token.into(),
        environment: "local".into(),
        invoices: PdfStore::new(&app.config.paths.invoices_dir),
        batch: BatchPolicy::default(),
    }
}

fn send(app: &TestApp, target: &KsefTarget, at: NaiveDateTime) -> SendReport {
    let runtime = rocket::tokio::runtime::Runtime::new().unwrap();
    runtime
        .block_on(jobs::ksef::send_due(&app.pool, target, at))
        .unwrap()
}

fn states(app: &TestApp) -> Vec<(i64, String)> {
    let mut conn = app.conn();
    ebok::db::schema::ksef_documents::table
        .select((
            ebok::db::schema::ksef_documents::invoice_id,
            ebok::db::schema::ksef_documents::state,
        ))
        .order(ebok::db::schema::ksef_documents::invoice_id)
        .load(&mut *conn)
        .unwrap()
}

fn three_invoices(app: &TestApp) -> Vec<InvoiceId> {
    let jan = customer_id(app, 1);
    let firm = company(app);
    vec![
        issue(app, jan, vec![line("Internet", 5_999, VatRate::Standard23)]).invoice_id,
        issue(
            app,
            firm,
            vec![line("Internet biznes", 20_000, VatRate::Standard23)],
        )
        .invoice_id,
        issue(
            app,
            jan,
            vec![line("Telewizja", 2_999, VatRate::Standard23)],
        )
        .invoice_id,
    ]
}

/// Sends until nothing is left to send or decide (at most a few passes).
fn drain(app: &TestApp, target: &KsefTarget) -> SendReport {
    let mut total = SendReport::default();
    for _ in 0..5 {
        let report = send(app, target, clock::now());
        total.sent += report.sent;
        total.accepted += report.accepted;
        total.rejected += report.rejected;
        total.waiting = report.waiting;
        if report.sent == 0 && report.waiting == 0 {
            break;
        }
    }
    total
}

fn the_local_server_accepts_every_queued_invoice_with_a_ksef_number_and_upo(app: TestApp) {
    let app = app.with_demo(0);
    let server = local_ksef();
    let ids = three_invoices(&app);
    let report = drain(&app, &target(&app, &server, TOKEN));
    assert_eq!(report.rejected, 0, "{report:?}");
    for id in &ids {
        let document = document(&app, *id);
        assert_eq!(document.state, KsefState::Accepted, "{document:?}");
        let number = document.ksef_number.unwrap();
        assert!(is_ksef_number(&number), "{number}");
        assert!(number.starts_with("6182007145-"));
        let upo = document.upo.expect("the UPO is stored");
        assert!(upo.contains(&number) && upo.contains("<Potwierdzenie"));
    }
    let everything = states(&app).len();
    assert_eq!(server.accepted_count(), everything);
    // Nothing is sent twice.
    let again = drain(&app, &target(&app, &server, TOKEN));
    assert_eq!(again.sent, 0);
    assert_eq!(server.received_count(), everything);
}

fn ksef_down_mid_drain_loses_nothing_and_the_queue_drains_when_it_is_back(app: TestApp) {
    let app = app.with_demo(0);
    let server = local_ksef();
    let ids = three_invoices(&app);
    server.set_faults(Faults {
        down: true,
        ..Faults::default()
    });
    let report = send(&app, &target(&app, &server, TOKEN), clock::now());
    assert!(report.problem.is_some(), "{report:?}");
    assert_eq!(report.sent, 0);
    for id in &ids {
        let document = document(&app, *id);
        assert_eq!(document.state, KsefState::Queued);
        assert!(
            document.next_attempt_at > clock::now(),
            "it waits before the next try"
        );
    }
    server.set_faults(Faults::default());
    // Before the backoff is over nothing is tried.
    assert_eq!(
        send(&app, &target(&app, &server, TOKEN), clock::now()).sent,
        0
    );
    let later = clock::now() + chrono::Duration::hours(2);
    let report = send(&app, &target(&app, &server, TOKEN), later);
    assert_eq!(report.rejected, 0, "{report:?}");
    drain(&app, &target(&app, &server, TOKEN));
    assert!(states(&app).iter().all(|(_, state)| state == "accepted"));
    assert_eq!(server.received_count(), states(&app).len(), "0 sent twice");
}

fn a_rejected_invoice_keeps_the_code_and_text_and_can_be_sent_again(app: TestApp) {
    let app = app.with_demo(0);
    let server = local_ksef();
    let ids = three_invoices(&app);
    reject_everything(&server);
    let report = drain(&app, &target(&app, &server, TOKEN));
    assert!(report.rejected >= ids.len(), "{report:?}");
    let rejected = document(&app, ids[0]);
    assert_eq!(rejected.state, KsefState::Rejected);
    assert_eq!(rejected.error_code, Some(450));
    assert!(rejected.error_text.unwrap().contains("semantyki"));
    assert_eq!(rejected.ksef_number, None);

    server.set_faults(Faults::default());
    assert!(ebok::db::ksef::requeue_rejected(&mut app.conn(), ids[0], clock::now()).unwrap());
    drain(&app, &target(&app, &server, TOKEN));
    let accepted = document(&app, ids[0]);
    assert_eq!(accepted.state, KsefState::Accepted);
    assert_eq!(accepted.error_code, None);
    assert_eq!(
        document(&app, ids[1]).state,
        KsefState::Rejected,
        "only the one sent again"
    );
}

fn a_wrong_token_keeps_the_queue_and_says_why(app: TestApp) {
    let app = app.with_demo(0);
    let server = local_ksef();
    let ids = three_invoices(&app);
    let report = send(&app, &target(&app, &server, "not-the-token"), clock::now());
    let problem = report.problem.expect("the run says why it stopped");
    assert!(
        problem.contains("login") && problem.contains("token"),
        "{problem}"
    );
    assert_eq!(document(&app, ids[0]).state, KsefState::Queued);
    assert_eq!(server.received_count(), 0);
}

fn a_sender_that_died_after_sending_is_reconciled_without_a_second_number(app: TestApp) {
    let app = app.with_demo(0);
    let server = local_ksef();
    let ids = three_invoices(&app);
    drain(&app, &target(&app, &server, TOKEN));
    let first = document(&app, ids[0]).ksef_number.unwrap();
    // As if the sender had been killed between KSeF's answer and recording it: the claim is
    // still there, its lease run out, and nothing recorded.
    {
        use ebok::db::schema::ksef_documents::dsl as d;
        let past = clock::now() - chrono::Duration::hours(1);
        diesel::update(d::ksef_documents.find(ids[0]))
            .set((
                d::state.eq("sending"),
                d::locked_until.eq(Some(past)),
                d::ksef_number.eq(None::<String>),
                d::upo.eq(None::<String>),
            ))
            .execute(&mut *app.conn())
            .unwrap();
    }
    let accepted_before = server.accepted_count();
    drain(&app, &target(&app, &server, TOKEN));
    let reconciled = document(&app, ids[0]);
    assert_eq!(reconciled.state, KsefState::Accepted);
    assert_eq!(reconciled.ksef_number.as_deref(), Some(first.as_str()));
    assert_eq!(
        server.accepted_count(),
        accepted_before,
        "KSeF numbered it once"
    );
}

fn two_senders_at_once_never_send_an_invoice_twice(app: TestApp) {
    let app = app.with_demo(0);
    let server = local_ksef();
    for _ in 0..3 {
        three_invoices_again(&app);
    }
    let (a, b) = (target(&app, &server, TOKEN), target(&app, &server, TOKEN));
    let runtime = rocket::tokio::runtime::Runtime::new().unwrap();
    let (first, second) = runtime.block_on(async {
        rocket::tokio::join!(
            jobs::ksef::send_due(&app.pool, &a, clock::now()),
            jobs::ksef::send_due(&app.pool, &b, clock::now())
        )
    });
    let (first, second) = (first.unwrap(), second.unwrap());
    drain(&app, &a);
    let all = states(&app);
    assert!(all.iter().all(|(_, state)| state == "accepted"), "{all:?}");
    assert_eq!(first.sent + second.sent, all.len(), "{first:?} {second:?}");
    assert_eq!(server.received_count(), all.len());
}

/// Three more invoices for customers that exist already.
fn three_invoices_again(app: &TestApp) {
    let jan = customer_id(app, 1);
    for price in [1_000, 2_000, 3_000] {
        issue(app, jan, vec![line("Usługa", price, VatRate::Standard23)]);
    }
}

fn an_invoice_ksef_never_decides_on_stays_sent_and_is_asked_about_again(app: TestApp) {
    let app = app.with_demo(0);
    let server = local_ksef();
    let ids = three_invoices(&app);
    server.set_faults(Faults {
        silent: true,
        ..Faults::default()
    });
    let report = send(&app, &target(&app, &server, TOKEN), clock::now());
    assert!(report.waiting >= ids.len(), "{report:?}");
    assert_eq!(document(&app, ids[0]).state, KsefState::Sent);
    server.set_faults(Faults::default());
    let report = send(&app, &target(&app, &server, TOKEN), clock::now());
    assert_eq!(report.sent, 0, "asked about, not sent again");
    assert_eq!(document(&app, ids[0]).state, KsefState::Accepted);
}

fn staff_see_the_rejection_on_the_ksef_page_and_send_the_invoice_again(app: TestApp) {
    let app = app.with_demo(0);
    let server = local_ksef();
    let ids = three_invoices(&app);
    reject_everything(&server);
    drain(&app, &target(&app, &server, TOKEN));
    let staff = app.another_browser();
    let login = common::post(
        &staff,
        "/staff/login",
        "/staff/login",
        &[
            ("login", ebok::app::demo::ADMIN_LOGIN),
            ("password", ebok::app::demo::ADMIN_PASSWORD),
        ],
    );
    assert_eq!(login.status(), rocket::http::Status::SeeOther);
    let html = staff.get("/staff/ksef").dispatch().into_string().unwrap();
    let text = common::page_text(&html);
    assert!(text.contains("odrzucona"), "{text}");
    assert!(text.contains("450") && text.contains("semantyki"), "{text}");
    // offline24: in KSeF by the next working day after issue.
    let due = ebok::domain::holidays::next_working_day(clock::today());
    assert!(text.contains("Termin w KSeF"), "{text}");
    assert!(text.contains(&due.format("%d.%m.%Y").to_string()), "{text}");
    let number = ebok::db::invoices::find(&mut app.conn(), ids[0])
        .unwrap()
        .unwrap()
        .number
        .unwrap();
    assert!(text.contains(&number));

    server.set_faults(Faults::default());
    let resend = common::post(
        &staff,
        "/staff/ksef",
        &format!("/staff/ksef/{}/ponow", ids[0]),
        &[],
    );
    assert_eq!(resend.status(), rocket::http::Status::SeeOther);
    assert_eq!(document(&app, ids[0]).state, KsefState::Queued);
    // Sending again what is not rejected changes nothing and says so.
    let again = common::post(
        &staff,
        "/staff/ksef",
        &format!("/staff/ksef/{}/ponow", ids[0]),
        &[],
    );
    assert_eq!(again.status(), rocket::http::Status::SeeOther);
    drain(&app, &target(&app, &server, TOKEN));
    assert_eq!(document(&app, ids[0]).state, KsefState::Accepted);
    let text = common::page_text(&staff.get("/staff/ksef").dispatch().into_string().unwrap());
    assert!(text.contains("przyjęta"), "{text}");
}

fn reject_everything(server: &KsefSim) {
    server.set_faults(Faults {
        reject: Some((450, "Błąd weryfikacji semantyki dokumentu faktury.".into())),
        ..Faults::default()
    });
}

fn a_throttled_sender_waits_as_long_as_ksef_asks(app: TestApp) {
    let app = app.with_demo(0);
    let server = local_ksef();
    let ids = three_invoices(&app);
    // Ten minutes: longer than the sender's own first backoff (a minute).
    server.set_faults(Faults {
        throttled: Some(600),
        ..Faults::default()
    });
    let now = clock::now();
    let report = send(&app, &target(&app, &server, TOKEN), now);
    let problem = report.problem.expect("the run says why it stopped");
    assert!(
        problem.contains("429") && problem.contains("600"),
        "{problem}"
    );
    for id in &ids {
        let document = document(&app, *id);
        assert_eq!(document.state, KsefState::Queued);
        assert!(
            document.next_attempt_at >= now + chrono::Duration::seconds(600),
            "Retry-After honoured: {document:?}"
        );
    }
    server.set_faults(Faults::default());
    let before_the_window = now + chrono::Duration::seconds(300);
    assert_eq!(
        send(&app, &target(&app, &server, TOKEN), before_the_window).sent,
        0
    );
    let after = now + chrono::Duration::seconds(660);
    send(&app, &target(&app, &server, TOKEN), after);
    drain(&app, &target(&app, &server, TOKEN));
    assert!(states(&app).iter().all(|(_, state)| state == "accepted"));
    assert_eq!(server.received_count(), states(&app).len(), "0 sent twice");
}
