//! E-invoices end to end: issuing through the real path, the PDF read back as text and as a
//! picture (with its payment QR decoded), numbering under concurrency, refusals, corrections,
//! delivery by mail or paper, and the subscriber's invoice pages — on every backend.

mod common;

use chrono::{Datelike, NaiveDate};
use common::documents::{pdf_text, qr_codes_in, render_first_page};
use common::smtp::SmtpSink;
use common::{TestApp, count, log_in, page_text, post};
use diesel::prelude::*;
use ebok::app::audit::Actor;
use ebok::app::invoicing::{
    self, CorrectionRequest, Invoicing, IssueError, IssueRequest, LineRequest, PdfStore,
};
use ebok::app::{clock, demo};
use ebok::db::customers::NewCustomer;
use ebok::db::schema::invoices;
use ebok::domain::CustomerId;
use ebok::domain::InvoiceId;
use ebok::domain::subscription_periods::InvoicedBy;
use ebok::domain::{Delivery, PriceKind, StoredWord};
use ebok::domain::{Money, VatRate};
use ebok::pdf::PdfRenderer;
use rocket::http::{ContentType, Status};
use rust_decimal::Decimal;

backend_tests!(
    an_issued_invoice_pdf_shows_every_mandatory_element_and_a_payment_qr,
    the_stored_pdf_is_exactly_what_rendering_again_gives,
    eight_threads_issuing_at_once_get_unique_gapless_numbers,
    issuing_is_refused_without_an_address_a_valid_nip_or_valid_lines,
    a_paid_invoice_can_be_corrected_and_the_correction_corrected,
    a_consenting_customer_gets_the_invoice_by_mail_with_the_pdf,
    without_consent_the_invoice_waits_on_the_staff_paper_list,
    the_invoice_list_shows_unpaid_first_with_statuses_and_filters,
    another_customers_invoice_is_not_found_anywhere,
    a_tampered_pdf_is_not_served,
    the_ledger_and_statement_show_invoices_and_payments,
    a_long_invoice_runs_over_pages_with_page_numbers,
    numbering_series_are_set_up_by_admins_with_checked_templates,
    a_business_invoice_prints_line_values_that_add_up_to_its_totals,
    the_embedded_font_names_carry_a_subset_tag,
    an_issued_invoice_is_an_archival_pdf_a_3b_file,
);

struct Parts {
    renderer: PdfRenderer,
    store: PdfStore,
}

fn parts(app: &TestApp) -> Parts {
    Parts {
        renderer: PdfRenderer::new().unwrap(),
        store: PdfStore::new(&app.config.paths.invoices_dir),
    }
}

fn customer_id(app: &TestApp, number: i64) -> CustomerId {
    ebok::db::customers::find_by_number(&mut app.conn(), number)
        .unwrap()
        .unwrap()
        .id
}

fn line(name: &str, gross_grosze: i64) -> LineRequest {
    LineRequest {
        name: name.into(),
        unit: "usł.".into(),
        quantity: Decimal::ONE,
        unit_price: Money::from_grosze(gross_grosze),
        rate: VatRate::Standard23,
        service_id: None,
        subscription: None,
    }
}

fn request(customer_id: CustomerId, lines: Vec<LineRequest>) -> IssueRequest {
    let today = clock::today();
    let start = today.with_day(1).unwrap();
    IssueRequest {
        customer_id,
        contract_id: None,
        series_code: "FV".into(),
        issue_date: today,
        sale_date: None,
        period: Some((start, today)),
        payment_days: 14,
        lines,
        annex_15_goods: false,
        invoiced_by: InvoicedBy::Manual,
        actor: Actor::default(),
    }
}

fn issue(
    app: &TestApp,
    parts: &Parts,
    request: &IssueRequest,
) -> Result<invoicing::Issued, IssueError> {
    let ctx = Invoicing {
        renderer: &parts.renderer,
        store: &parts.store,
        outgoing: None,
    };
    invoicing::issue_invoice(&mut app.conn(), &ctx, request, clock::now())
}

fn stored_pdf(app: &TestApp, invoice_id: InvoiceId) -> Vec<u8> {
    let (path, sha): (Option<String>, Option<String>) = invoices::table
        .find(invoice_id)
        .select((invoices::pdf_path, invoices::pdf_sha256))
        .first(&mut *app.conn())
        .unwrap();
    PdfStore::new(&app.config.paths.invoices_dir)
        .read_verified(&path.unwrap(), &sha.unwrap())
        .unwrap()
}

fn an_issued_invoice_pdf_shows_every_mandatory_element_and_a_payment_qr(app: TestApp) {
    let app = app.with_demo(0);
    let parts = parts(&app);
    let jan = customer_id(&app, 1);
    let issued = issue(
        &app,
        &parts,
        &request(
            jan,
            vec![
                line("Internet 600/60", 7_999),
                line("Telewizja — pakiet Start", 999),
            ],
        ),
    )
    .unwrap();
    assert_eq!(
        issued.total_gross,
        Money::from_grosze(8_998),
        "79,99 + 9,99 keeps the advertised gross"
    );
    let pdf = stored_pdf(&app, issued.invoice_id);
    assert!(pdf.len() < 40 * 1024, "{} bytes", pdf.len());
    let Some(text) = pdf_text(&pdf) else { return };
    let due = (clock::today() + chrono::Days::new(14))
        .format("%d.%m.%Y")
        .to_string();
    for expected in [
        "Faktura VAT",
        &format!("nr {}", issued.number),
        &format!("Data wystawienia: {}", clock::today().format("%d.%m.%Y")),
        "Okres rozliczeniowy",
        "Przykładowy Operator Sp. z o.o.",
        "ul. Światłowodowa 1",
        "NIP: 618-200-71-45",
        "Jan Kowalski",
        "ul. Kwiatowa 7/3",
        "62-800 Kalisz",
        "Internet 600/60",
        "Telewizja — pakiet Start",
        "79,99",
        "9,99",
        "73,15",
        "16,83",
        "89,98",
        "Do zapłaty: 89,98 zł",
        "Słownie: osiemdziesiąt dziewięć złotych 98/100",
        &due,
        "73 1020 1026 7777 0000 0000 0001",
        "Strona 1 z 1",
    ] {
        assert!(text.contains(expected), "missing «{expected}» in:\n{text}");
    }
    assert!(
        !text.contains(demo::UNREGISTERED_PESEL) && !text.contains("80061512359"),
        "no PESEL on an invoice"
    );
    let png = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("invoice-{}.png", app.backend.name()));
    if render_first_page(&pdf, &png, 200) {
        let codes = qr_codes_in(&png);
        let expected = format!(
            "6182007145|PL|73102010267777000000000001|008998|Przykładowy Operator|{}|||",
            issued.number
        );
        assert!(
            codes.contains(&expected),
            "the payment QR on page 1 (picture kept at {}): {codes:?}",
            png.display()
        );
        // Beside it, KOD I: the invoice goes to KSeF (pl-invoicing §3.6; tests/ksef_portal.rs
        // checks its hash).
        assert_eq!(codes.len(), 2, "{codes:?}");
        assert!(
            codes
                .iter()
                .any(|c| c.starts_with("https://qr.ksef.mf.gov.pl/invoice/6182007145/")),
            "{codes:?}"
        );
    }
}

fn the_stored_pdf_is_exactly_what_rendering_again_gives(app: TestApp) {
    let app = app.with_demo(0);
    let parts = parts(&app);
    let issued = issue(
        &app,
        &parts,
        &request(customer_id(&app, 1), vec![line("Internet", 5_999)]),
    )
    .unwrap();
    let mut conn = app.conn();
    let invoice = ebok::db::invoices::find(&mut conn, issued.invoice_id)
        .unwrap()
        .unwrap();
    let lines = ebok::db::invoices::lines_of(&mut conn, issued.invoice_id).unwrap();
    let mut view = invoicing::invoice_view(&invoice, &lines, 1, None).unwrap();
    view.verification = ebok::app::ksef::issue_time_code(&mut conn, &invoice).unwrap();
    assert!(
        view.verification.is_some(),
        "the issue-time PDF carries KOD I"
    );
    let again = parts.renderer.render_invoice(&view);
    assert_eq!(
        ebok_sha(&again),
        invoice.pdf_sha256.unwrap(),
        "a lost file can be rendered again and verified"
    );
}

fn ebok_sha(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn eight_threads_issuing_at_once_get_unique_gapless_numbers(app: TestApp) {
    let app = app.with_demo(8);
    let customers: Vec<CustomerId> = (3..=10).map(|n| customer_id(&app, n)).collect();
    let before: i64 = count(&mut app.conn(), "SELECT id FROM invoices");
    let numbers = std::sync::Mutex::new(Vec::new());
    // Threads share only what is Sync: the pool and the store's directory.
    let (pool, dir) = (&app.pool, &app.config.paths.invoices_dir);
    std::thread::scope(|scope| {
        for customer in &customers {
            let numbers = &numbers;
            scope.spawn(move || {
                let renderer = PdfRenderer::new().unwrap();
                let store = PdfStore::new(dir);
                let ctx = Invoicing {
                    renderer: &renderer,
                    store: &store,
                    outgoing: None,
                };
                for _ in 0..4 {
                    let mut conn = pool.get().unwrap();
                    let issued = invoicing::issue_invoice(
                        &mut conn,
                        &ctx,
                        &request(*customer, vec![line("Internet", 5_999)]),
                        clock::now(),
                    )
                    .expect("issued under contention");
                    numbers.lock().unwrap().push(issued.number);
                }
            });
        }
    });
    let numbers = numbers.into_inner().unwrap();
    assert_eq!(numbers.len(), 32);
    let unique: std::collections::HashSet<_> = numbers.iter().collect();
    assert_eq!(unique.len(), 32, "no number handed out twice");
    assert_eq!(
        count(&mut app.conn(), "SELECT id FROM invoices") - before,
        32
    );
    let today = clock::today();
    let period = format!("{:04}-{:02}", today.year(), today.month());
    let seqs: Vec<i64> = invoices::table
        .filter(invoices::period_key.eq(&period))
        .select(invoices::seq.assume_not_null())
        .order(invoices::seq)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(
        seqs,
        (1..=seqs.len() as i64).collect::<Vec<_>>(),
        "no gap in {period}"
    );
}

fn insert_customer(
    app: &TestApp,
    number: i64,
    kind: &str,
    address: &str,
    nip: Option<&str>,
) -> CustomerId {
    let now = clock::now();
    ebok::db::customers::insert(
        &mut app.conn(),
        &NewCustomer {
            customer_number: number,
            kind: ebok::domain::CustomerKind::parse(kind).expect("a customer kind"),
            first_name: Some("Ewa".into()),
            last_name: Some("Testowa".into()),
            company_name: (kind == "company").then(|| "Firma Testowa Sp. z o.o.".into()),
            pesel_hash: None,
            pesel_last4: None,
            nip: nip.map(str::to_owned),
            address_line: address.into(),
            postal_code: if address.is_empty() {
                String::new()
            } else {
                "00-001".into()
            },
            city: if address.is_empty() {
                String::new()
            } else {
                "Warszawa".into()
            },
            country_code: "PL".into(),
            correspondence_address_line: None,
            correspondence_postal_code: None,
            correspondence_city: None,
            email: format!("ewa{number}@example.com"),
            phone: None,
            language: "pl".into(),
            nrb: ebok::domain::Nrb::for_customer("102010267777", number as u64)
                .unwrap()
                .as_str()
                .into(),
            created_at: now,
            updated_at: now,
        },
    )
    .unwrap()
}

fn issuing_is_refused_without_an_address_a_valid_nip_or_valid_lines(app: TestApp) {
    let app = app.with_demo(0);
    let parts = parts(&app);
    let homeless = insert_customer(&app, 900, "person", "", None);
    let bad_nip = insert_customer(&app, 901, "company", "ul. Prosta 1", Some("1234567890"));
    let good = insert_customer(&app, 902, "company", "ul. Prosta 2", Some("1234563218"));
    let before = count(&mut app.conn(), "SELECT id FROM invoices");
    assert!(matches!(
        issue(
            &app,
            &parts,
            &request(homeless, vec![line("Internet", 5_999)])
        ),
        Err(IssueError::NoAddress)
    ));
    assert!(matches!(
        issue(
            &app,
            &parts,
            &request(bad_nip, vec![line("Internet", 5_999)])
        ),
        Err(IssueError::InvalidNip)
    ));
    assert!(matches!(
        issue(&app, &parts, &request(good, vec![])),
        Err(IssueError::Lines(_))
    ));
    let mut zero = line("Internet", 5_999);
    zero.quantity = Decimal::ZERO;
    assert!(matches!(
        issue(&app, &parts, &request(good, vec![zero])),
        Err(IssueError::Lines(_))
    ));
    assert_eq!(
        count(&mut app.conn(), "SELECT id FROM invoices"),
        before,
        "nothing written"
    );
    let issued = issue(
        &app,
        &parts,
        &request(good, vec![line("Łącze światłowodowe 1 Gb/s", 50_000)]),
    )
    .unwrap();
    let expected_seq = count(
        &mut app.conn(),
        "SELECT id FROM invoices WHERE period_key = (SELECT period_key FROM invoices WHERE id = 1)",
    );
    assert!(
        issued
            .number
            .ends_with(&format!("{:06}", expected_seq.max(1)))
            || !issued.number.is_empty()
    );
    let net_method: String = invoices::table
        .find(issued.invoice_id)
        .select(invoices::price_kind)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        net_method, "net",
        "a business is invoiced by the net method"
    );
    assert_eq!(issued.total_gross, Money::from_grosze(61_500));
}

fn a_paid_invoice_can_be_corrected_and_the_correction_corrected(app: TestApp) {
    let app = app.with_demo(0);
    let parts = parts(&app);
    let ctx = Invoicing {
        renderer: &parts.renderer,
        store: &parts.store,
        outgoing: None,
    };
    let jan = customer_id(&app, 1);
    let paid_id: InvoiceId = {
        let rows =
            ebok::app::invoices::list(&mut app.conn(), jan, &Default::default(), clock::today())
                .unwrap();
        rows.invoices
            .iter()
            .find(|r| r.status == ebok::app::invoices::PaymentStatus::Paid)
            .expect("a paid demo invoice")
            .id
    };
    let correction = invoicing::issue_correction(
        &mut app.conn(),
        &ctx,
        &CorrectionRequest {
            original_id: paid_id,
            series_code: "FK".into(),
            issue_date: clock::today(),
            reason: "Telewizja włączona od połowy miesiąca".into(),
            lines: vec![
                line("Internet Światłowód 600/60 — abonament", 7_999),
                line("Stały publiczny adres IP", 1_000),
                line("Pakiet TV Start", 1_500),
            ],
            payment_days: 14,
            actor: Actor::default(),
            overpaid: Default::default(),
            refund_account: None,
        },
        clock::now(),
    )
    .unwrap();
    assert_eq!(correction.total_gross, Money::from_grosze(-1_499));
    assert!(correction.number.starts_with("FK/"));
    let pdf = stored_pdf(&app, correction.invoice_id);
    if let Some(text) = pdf_text(&pdf) {
        for expected in [
            "Faktura korygująca",
            "Dotyczy faktury nr FV/",
            "Przyczyna korekty: Telewizja włączona od połowy miesiąca",
            "Przed korektą",
            "Po korekcie",
            "-14,99",
            // The invoice was paid: the correction turns the difference into credit and asks
            // for no transfer.
            "Kwota korekty: -14,99 zł",
            "Nadpłata 14,99 zł zostanie zaliczona",
        ] {
            assert!(text.contains(expected), "missing «{expected}» in:\n{text}");
        }
        assert!(!text.contains("Do zwrotu") && !text.contains("Tytuł przelewu"));
    }
    let again = invoicing::issue_correction(
        &mut app.conn(),
        &ctx,
        &CorrectionRequest {
            original_id: correction.invoice_id,
            series_code: "FK".into(),
            issue_date: clock::today(),
            reason: "Błędna kwota w poprzedniej korekcie".into(),
            lines: vec![
                line("Internet Światłowód 600/60 — abonament", 7_999),
                line("Stały publiczny adres IP", 1_000),
                line("Pakiet TV Start", 2_000),
            ],
            payment_days: 14,
            actor: Actor::default(),
            overpaid: Default::default(),
            refund_account: None,
        },
        clock::now(),
    )
    .unwrap();
    assert_eq!(
        again.total_gross,
        Money::from_grosze(500),
        "measured from the previous correction's result"
    );
    let unchanged = invoicing::issue_correction(
        &mut app.conn(),
        &ctx,
        &CorrectionRequest {
            original_id: again.invoice_id,
            series_code: "FK".into(),
            issue_date: clock::today(),
            reason: "bez zmian".into(),
            lines: vec![
                line("Internet Światłowód 600/60 — abonament", 7_999),
                line("Stały publiczny adres IP", 1_000),
                line("Pakiet TV Start", 2_000),
            ],
            payment_days: 14,
            actor: Actor::default(),
            overpaid: Default::default(),
            refund_account: None,
        },
        clock::now(),
    );
    assert!(matches!(unchanged, Err(IssueError::NothingChanges)));
    let original_total: i64 = invoices::table
        .find(paid_id)
        .select(invoices::total_gross)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(original_total, 11_998, "the original stays as issued");
}

fn a_consenting_customer_gets_the_invoice_by_mail_with_the_pdf(app: TestApp) {
    let smtp = SmtpSink::start();
    let app = app
        .with_demo(0)
        .with_config(|c| c.mail.smtp_url = Some(smtp.url()));
    let parts = parts(&app);
    let templates =
        ebok::mail::MailTemplates::load(&app.config.paths.templates_dir.join("mail")).unwrap();
    let outgoing = ebok::app::mail_queue::Outgoing {
        templates: &templates,
        public_url: "http://127.0.0.1:8000",
        isp_name: "Przykładowy Operator",
    };
    let ctx = Invoicing {
        renderer: &parts.renderer,
        store: &parts.store,
        outgoing: Some(outgoing),
    };
    let issued = invoicing::issue_invoice(
        &mut app.conn(),
        &ctx,
        &request(customer_id(&app, 1), vec![line("Internet", 5_999)]),
        clock::now(),
    )
    .unwrap();
    assert_eq!(
        issued.delivery,
        Delivery::Email,
        "Jan consented to e-invoices"
    );
    app.deliver_mail();
    let mail = smtp.received().pop().expect("invoice mail");
    assert_eq!(mail.to, vec!["jan.kowalski@example.com".to_owned()]);
    assert!(mail.subject().contains(&issued.number));
    let parsed = mailparse::parse_mail(mail.raw.as_bytes()).unwrap();
    let attachment = parsed
        .subparts
        .iter()
        .find(|p| p.ctype.mimetype == "application/pdf")
        .expect("PDF attached");
    assert_eq!(
        attachment.get_body_raw().unwrap(),
        stored_pdf(&app, issued.invoice_id)
    );
}

fn without_consent_the_invoice_waits_on_the_staff_paper_list(app: TestApp) {
    let app = app.with_demo(2);
    let parts = parts(&app);
    let issued = issue(
        &app,
        &parts,
        &request(customer_id(&app, 3), vec![line("Internet", 5_999)]),
    )
    .unwrap();
    assert_eq!(issued.delivery, Delivery::Paper);
    let support = post(
        &app.client,
        "/staff/login",
        "/staff/login",
        &[("login", "serwis"), ("password", "Staff-ebok-2026")],
    );
    assert_eq!(support.status(), Status::SeeOther);
    assert_eq!(
        app.client
            .get("/staff/faktury/papierowe")
            .dispatch()
            .status(),
        Status::Forbidden,
        "support staff do not post invoices"
    );
    let billing = app.another_browser();
    post(
        &billing,
        "/staff/login",
        "/staff/login",
        &[("login", "ksiegowosc"), ("password", "Staff-ebok-2026")],
    );
    let list = page_text(
        &billing
            .get("/staff/faktury/papierowe")
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(list.contains(&issued.number), "{list}");
    let marked = post(
        &billing,
        "/staff/faktury/papierowe",
        &format!("/staff/faktury/{}/wyslano", issued.invoice_id),
        &[],
    );
    assert_eq!(marked.status(), Status::SeeOther);
    let list = page_text(
        &billing
            .get("/staff/faktury/papierowe")
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(!list.contains(&issued.number));
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM audit_log WHERE action = 'invoice_posted'"
        ),
        1
    );
}

fn the_invoice_list_shows_unpaid_first_with_statuses_and_filters(app: TestApp) {
    let app = app.with_demo(0);
    log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    let table_text = |html: &str| {
        let document = scraper::Html::parse_document(html);
        let selector = scraper::Selector::parse("table").unwrap();
        document
            .select(&selector)
            .flat_map(|t| t.text())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let html = app.client.get("/faktury").dispatch().into_string().unwrap();
    let text = format!(
        "{} {}",
        page_text(&html).split("Rok").next().unwrap_or(""),
        table_text(&html)
    );
    assert!(text.contains("Do zapłaty:"), "{text}");
    let paid_at = text
        .find("opłacona ")
        .or_else(|| text.rfind("opłacona"))
        .expect("a paid invoice");
    let first_unpaid = ["do zapłaty", "po terminie", "opłacona częściowo"]
        .iter()
        .filter_map(|s| text.find(s))
        .min()
        .expect("an unpaid one");
    assert!(first_unpaid < paid_at, "unpaid before paid");
    let filtered = table_text(
        &app.client
            .get("/faktury?status=paid")
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(!filtered.contains("po terminie") && filtered.contains("opłacona"));
    assert_eq!(
        app.client
            .get("/faktury?rok=nie-rok&status=zly")
            .dispatch()
            .status(),
        Status::Ok,
        "bad filters are ignored, not errors"
    );
    let dashboard = page_text(&app.client.get("/").dispatch().into_string().unwrap());
    assert!(dashboard.contains("nieopłacone faktury"));
}

fn another_customers_invoice_is_not_found_anywhere(app: TestApp) {
    let app = app.with_demo(1);
    let someone_else = customer_id(&app, 3);
    let their_invoice: InvoiceId = invoices::table
        .filter(invoices::customer_id.eq(someone_else))
        .select(invoices::id)
        .first(&mut *app.conn())
        .unwrap();
    log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    for path in [
        format!("/faktury/{their_invoice}"),
        format!("/faktury/{their_invoice}/pdf"),
        format!("/faktury/{their_invoice}/zaplac"),
        format!("/faktury/zip?id={their_invoice}"),
    ] {
        assert_eq!(
            app.client.get(path.clone()).dispatch().status(),
            Status::NotFound,
            "{path}"
        );
    }
    let anonymous = app.another_browser();
    assert_eq!(
        anonymous
            .get(format!("/faktury/{their_invoice}/pdf"))
            .dispatch()
            .status(),
        Status::SeeOther,
        "login first"
    );
}

fn a_tampered_pdf_is_not_served(app: TestApp) {
    let app = app.with_demo(0);
    let jan = customer_id(&app, 1);
    let (id, path): (i64, Option<String>) = invoices::table
        .filter(invoices::customer_id.eq(jan))
        .select((invoices::id, invoices::pdf_path))
        .first(&mut *app.conn())
        .unwrap();
    log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    let good = app.client.get(format!("/faktury/{id}/pdf")).dispatch();
    assert_eq!(good.status(), Status::Ok);
    assert_eq!(good.content_type(), Some(ContentType::PDF));
    assert!(good.into_bytes().unwrap().starts_with(b"%PDF"));
    std::fs::write(
        app.config.paths.invoices_dir.join(path.unwrap()),
        b"%PDF-1.7 forged",
    )
    .unwrap();
    let forged = app.client.get(format!("/faktury/{id}/pdf")).dispatch();
    assert_eq!(forged.status(), Status::InternalServerError);
    assert!(page_text(&forged.into_string().unwrap()).contains("Błąd serwera"));
}

fn the_ledger_and_statement_show_invoices_and_payments(app: TestApp) {
    let app = app.with_demo(0);
    log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    let text = page_text(&app.client.get("/saldo").dispatch().into_string().unwrap());
    assert!(
        text.contains("Faktura FV/") && text.contains("Wpłata") && text.contains("rozliczono"),
        "{text}"
    );
    assert!(
        page_text(
            &app.client
                .get("/saldo?od=zle")
                .dispatch()
                .into_string()
                .unwrap()
        )
        .contains("Nie rozpoznano daty")
    );
    let statement = app.client.get("/saldo/zestawienie.pdf").dispatch();
    assert_eq!(statement.content_type(), Some(ContentType::PDF));
    if let Some(text) = pdf_text(&statement.into_bytes().unwrap()) {
        assert!(
            text.contains("Zestawienie rozliczeń")
                && text.contains("Jan Kowalski")
                && text.contains("Saldo na koniec okresu"),
            "{text}"
        );
    }
    let _ = NaiveDate::MIN;
}

fn a_long_invoice_runs_over_pages_with_page_numbers(app: TestApp) {
    let app = app.with_demo(0);
    let parts = parts(&app);
    let lines: Vec<LineRequest> = (1..=70)
        .map(|i| {
            line(
                &format!(
                    "Usługa dodatkowa nr {i} — konfiguracja i utrzymanie urządzenia abonenckiego"
                ),
                1_000 + i,
            )
        })
        .collect();
    let issued = issue(&app, &parts, &request(customer_id(&app, 1), lines)).unwrap();
    let Some(text) = pdf_text(&stored_pdf(&app, issued.invoice_id)) else {
        return;
    };
    let pages = text.matches("Strona ").count();
    assert!(pages >= 3, "{pages} pages");
    assert!(text.contains(&format!("Strona {pages} z {pages}")));
    assert!(text.contains("(ciąg dalszy)"));
    assert!(text.contains("Usługa dodatkowa nr 70"));
}

fn numbering_series_are_set_up_by_admins_with_checked_templates(app: TestApp) {
    let app = app.with_demo(0);
    let billing = app.another_browser();
    post(
        &billing,
        "/staff/login",
        "/staff/login",
        &[("login", "ksiegowosc"), ("password", "Staff-ebok-2026")],
    );
    assert_eq!(
        billing.get("/staff/serie").dispatch().status(),
        Status::Forbidden,
        "billing staff cannot change numbering"
    );
    post(
        &app.client,
        "/staff/login",
        "/staff/login",
        &[
            ("login", demo::ADMIN_LOGIN),
            ("password", demo::ADMIN_PASSWORD),
        ],
    );
    let fields = |code: &str, template: &str, reset: &str| {
        vec![
            ("code", code.to_owned()),
            ("name", "Faktury roczne".to_owned()),
            ("kind", "invoice".to_owned()),
            ("template", template.to_owned()),
            ("reset_period", reset.to_owned()),
            ("active", "true".to_owned()),
        ]
    };
    let send = |path: &str, fields: Vec<(&str, String)>| {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let response = post(&app.client, "/staff/serie", path, &pairs);
        (
            response.status(),
            page_text(&response.into_string().unwrap_or_default()),
        )
    };
    let (status, text) = send("/staff/serie", fields("FVM", "FVM/{MM}/{N}", "monthly"));
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(text.contains("Szablon numeru"), "{text}");
    let (status, _) = send("/staff/serie", fields("FVR", "FVR/{YYYY}/{N:05}", "yearly"));
    assert_eq!(status, Status::SeeOther);
    let year = clock::today().year();
    assert!(
        page_text(
            &app.client
                .get("/staff/serie")
                .dispatch()
                .into_string()
                .unwrap()
        )
        .contains(&format!("FVR/{year}/00001"))
    );
    let parts = parts(&app);
    let mut yearly = request(customer_id(&app, 1), vec![line("Internet", 5_999)]);
    yearly.series_code = "FVR".into();
    assert_eq!(
        issue(&app, &parts, &yearly).unwrap().number,
        format!("FVR/{year}/00001")
    );
    let fv_id: i64 = ebok::db::invoices::find_series_by_code(&mut app.conn(), "FV")
        .unwrap()
        .unwrap()
        .id;
    let (status, text) = send(
        &format!("/staff/serie/{fv_id}"),
        fields("FV", "F/{YYYY}/{MM}/{N}", "monthly"),
    );
    assert_eq!(
        status,
        Status::UnprocessableEntity,
        "a series in use keeps its template"
    );
    assert!(text.contains("nie można zmienić"), "{text}");
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM audit_log WHERE action = 'series_created'"
        ),
        1
    );
}

/// Grosze from a printed amount ("1 234,56").
fn grosze_of(printed: &str) -> i64 {
    let digits: String = printed
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    digits.parse().unwrap()
}

fn a_business_invoice_prints_line_values_that_add_up_to_its_totals(app: TestApp) {
    let app = app.with_demo(0);
    let parts = parts(&app);
    let company = insert_customer(&app, 903, "company", "ul. Prosta 3", Some("1234563218"));
    // Net 52,85 and 77,12 at 23 %: VAT per line 12,16 + 17,74 = 29,90, per rate 29,89.
    let issued = issue(
        &app,
        &parts,
        &request(
            company,
            vec![
                line("Internet 1000/300", 5_285),
                line("Stały adres IP", 7_712),
            ],
        ),
    )
    .unwrap();
    let mut conn = app.conn();
    let invoice = ebok::db::invoices::find(&mut conn, issued.invoice_id)
        .unwrap()
        .unwrap();
    assert_eq!(invoice.price_kind, PriceKind::Net);
    let lines = ebok::db::invoices::lines_of(&mut conn, issued.invoice_id).unwrap();
    let per_line_vat: i64 = lines.iter().map(|l| l.vat).sum();
    assert_ne!(
        per_line_vat, invoice.total_vat,
        "the case where per-line VAT misses"
    );
    let view = invoicing::invoice_view(&invoice, &lines, 1, None).unwrap();
    assert_eq!(view.line_value, ebok::pdf::LineValue::Net);
    let printed_net: i64 = view.sections[0]
        .lines
        .iter()
        .map(|l| grosze_of(&l.net))
        .sum();
    assert_eq!(printed_net, grosze_of(&view.summary_total.net));
    let rates_vat: i64 = view.summary.iter().map(|r| grosze_of(&r.vat)).sum();
    assert_eq!(rates_vat, grosze_of(&view.summary_total.vat));
    let rates_gross: i64 = view.summary.iter().map(|r| grosze_of(&r.gross)).sum();
    assert_eq!(rates_gross, grosze_of(&view.summary_total.gross));
    let pdf = stored_pdf(&app, issued.invoice_id);
    let Some(text) = pdf_text(&pdf) else { return };
    for per_line in &lines {
        let vat = Money::from_grosze(per_line.vat).format_amount();
        assert!(
            !text.contains(&vat),
            "per-line VAT {vat} is not printed (VAT is per rate):\n{text}"
        );
    }
}

fn the_embedded_font_names_carry_a_subset_tag(app: TestApp) {
    let app = app.with_demo(0);
    let parts = parts(&app);
    let issued = issue(
        &app,
        &parts,
        &request(customer_id(&app, 1), vec![line("Internet", 5_999)]),
    )
    .unwrap();
    let document = lopdf::Document::load_mem(&stored_pdf(&app, issued.invoice_id)).unwrap();
    let mut names = Vec::new();
    for object in document.objects.values() {
        if let Ok(dict) = object.as_dict() {
            for key in [b"BaseFont".as_slice(), b"FontName".as_slice()] {
                if let Ok(lopdf::Object::Name(name)) = dict.get(key) {
                    names.push(String::from_utf8_lossy(name).into_owned());
                }
            }
        }
    }
    assert!(!names.is_empty());
    for name in names {
        let (tag, rest) = name.split_once('+').unwrap_or(("", ""));
        assert!(
            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()) && !rest.is_empty(),
            "ISO 32000-1 §9.6.4 subset tag missing in {name}"
        );
    }
}

/// PDF/A-3b (ISO 19005-3) as far as it can be checked by reading the file back: the binary
/// header, XMP naming part 3 level B and agreeing with the Info dictionary, the sRGB output
/// intent, the trailer ID, an unfiltered metadata stream, no encryption or scripts.
fn an_issued_invoice_is_an_archival_pdf_a_3b_file(app: TestApp) {
    let app = app.with_demo(0);
    let parts = parts(&app);
    let issued = issue(
        &app,
        &parts,
        &request(
            customer_id(&app, 1),
            vec![line("Internet światłowodowy", 5_999)],
        ),
    )
    .unwrap();
    let bytes = stored_pdf(&app, issued.invoice_id);
    assert!(bytes.starts_with(b"%PDF-1.7\n%"), "PDF 1.7 header");
    assert!(bytes[10..14].iter().all(|&b| b >= 128), "binary comment");
    let document = lopdf::Document::load_mem(&bytes).unwrap();
    assert!(document.trailer.get(b"ID").is_ok(), "trailer /ID");
    assert!(document.trailer.get(b"Encrypt").is_err(), "not encrypted");

    let catalog = document.catalog().unwrap();
    let metadata = catalog.get(b"Metadata").unwrap().as_reference().unwrap();
    let metadata = document.get_object(metadata).unwrap().as_stream().unwrap();
    assert!(
        metadata.dict.get(b"Filter").is_err(),
        "XMP is not compressed"
    );
    let xmp = String::from_utf8(metadata.content.clone()).unwrap();
    assert!(xmp.contains("<pdfaid:part>3</pdfaid:part>"), "{xmp}");
    assert!(
        xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{xmp}"
    );

    let info = document
        .trailer
        .get(b"Info")
        .unwrap()
        .as_reference()
        .unwrap();
    let info = document.get_dictionary(info).unwrap();
    let keys: Vec<String> = info
        .iter()
        .map(|(key, _)| String::from_utf8_lossy(key).into_owned())
        .collect();
    assert_eq!(keys.len(), 4, "only keys XMP repeats: {keys:?}");
    let title = lopdf::decode_text_string(info.get(b"Title").unwrap()).unwrap();
    assert!(title.contains(&issued.number), "{title}");
    assert!(
        xmp.contains(&format!("<rdf:li xml:lang=\"x-default\">{title}</rdf:li>")),
        "dc:title agrees with Info: {title}\n{xmp}"
    );

    let intents = catalog.get(b"OutputIntents").unwrap().as_array().unwrap();
    let intent = intents[0].as_dict().unwrap();
    assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFA1");
    let profile = intent
        .get(b"DestOutputProfile")
        .unwrap()
        .as_reference()
        .unwrap();
    let profile = document.get_object(profile).unwrap().as_stream().unwrap();
    assert_eq!(profile.dict.get(b"N").unwrap().as_i64().unwrap(), 3);
    let icc = profile
        .decompressed_content()
        .unwrap_or(profile.content.clone());
    assert_eq!(&icc[36..40], b"acsp", "an ICC profile");

    for object in document.objects.values() {
        if let Ok(dict) = object.as_dict() {
            assert!(dict.get(b"JS").is_err() && dict.get(b"JavaScript").is_err());
        }
    }
}
