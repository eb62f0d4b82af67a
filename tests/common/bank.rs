//! Shared set-up for the payment and bank statement tests: three subscribers with individual
//! accounts and invoices of a series of their own, billing staff, the upload form and the CLI.

use chrono::NaiveDate;
use diesel::prelude::*;
use ebok::app::audit::Actor;
use ebok::app::invoicing::{self, Invoicing, IssueRequest, LineRequest, PdfStore};
use ebok::app::{clock, invoices};
use ebok::db::customers::NewCustomer;
use ebok::db::invoices::NewInvoiceSeries;
use ebok::db::schema::payment_allocations;
use ebok::domain::CustomerId;
use ebok::domain::InvoiceId;
use ebok::domain::{Money, Nrb, VatRate};
use ebok::pdf::PdfRenderer;
use rocket::http::{ContentType, Header, Status};
use rocket::local::blocking::Client;
use rust_decimal::Decimal;

use super::{TestApp, count, csrf_token, page_text, post};

/// Three subscribers with individual accounts and invoices in a series of their own, so the
/// numbers written into the sample statements are known: TP/2026/0001 and 0002 (customer 9001,
/// due 15 October and 15 November, 100 zł each), 0003 (9002, 80 zł), 0004 (9003, 50 zł).
pub struct Fixture {
    pub c1: CustomerId,
    pub c2: CustomerId,
    pub c3: CustomerId,
    pub inv1: InvoiceId,
    pub inv2: InvoiceId,
    pub inv3: InvoiceId,
    pub inv4: InvoiceId,
}

pub fn fixture(app: TestApp) -> (TestApp, Fixture) {
    let app = app.with_demo(0);
    let now = clock::now();
    ebok::db::invoices::insert_series(
        &mut app.conn(),
        &NewInvoiceSeries {
            code: "TP".into(),
            name: "Testowa".into(),
            kind: "invoice".into(),
            template: "TP/{YYYY}/{N:04}".into(),
            reset_period: "yearly".into(),
            active: true,
            created_at: now,
        },
    )
    .unwrap();
    let c1 = customer(&app, 9001, "Jan", "Kowalski");
    let c2 = customer(&app, 9002, "Anna", "Żak");
    let c3 = customer(&app, 9003, "Zofia", "Źdźbło");
    let inv1 = issue(&app, c1, date(2026, 10, 1), 10_000);
    let inv2 = issue(&app, c1, date(2026, 11, 1), 10_000);
    let inv3 = issue(&app, c2, date(2026, 11, 1), 8_000);
    let inv4 = issue(&app, c3, date(2026, 11, 1), 5_000);
    let fixture = Fixture {
        c1,
        c2,
        c3,
        inv1,
        inv2,
        inv3,
        inv4,
    };
    (app, fixture)
}

/// A transfer of `grosze` from the customer, booked by hand on `on` through the real ledger;
/// its payment id.
pub fn pay_by_transfer(app: &TestApp, customer_id: CustomerId, grosze: i64, on: NaiveDate) -> i64 {
    ebok::app::payments::record_payment(
        &mut app.conn(),
        &ebok::app::payments::PaymentRequest {
            customer_id,
            amount: Money::from_grosze(grosze),
            received_on: on,
            method: "transfer",
            source: "manual",
            title: None,
            payer_name: None,
            bank_reference: None,
            recorded_by_staff_id: None,
            match_reason: None,
        },
        clock::now(),
    )
    .unwrap()
    .payment_id
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn customer(app: &TestApp, number: i64, first: &str, last: &str) -> CustomerId {
    let now = clock::now();
    ebok::db::customers::insert(
        &mut app.conn(),
        &NewCustomer {
            customer_number: number,
            kind: ebok::domain::CustomerKind::Person,
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            company_name: None,
            pesel_hash: None,
            pesel_last4: None,
            nip: None,
            address_line: "ul. Łąkowa 5".into(),
            postal_code: "90-001".into(),
            city: "Łódź".into(),
            country_code: "PL".into(),
            correspondence_address_line: None,
            correspondence_postal_code: None,
            correspondence_city: None,
            email: format!("klient{number}@example.com"),
            phone: None,
            language: "pl".into(),
            nrb: Nrb::for_customer("102010267777", number as u64)
                .unwrap()
                .as_str()
                .into(),
            created_at: now,
            updated_at: now,
        },
    )
    .unwrap()
}

pub fn issue(
    app: &TestApp,
    customer_id: CustomerId,
    issue_date: NaiveDate,
    gross: i64,
) -> InvoiceId {
    let renderer = PdfRenderer::new().unwrap();
    let store = PdfStore::new(&app.config.paths.invoices_dir);
    let ctx = Invoicing {
        renderer: &renderer,
        store: &store,
        outgoing: None,
    };
    let request = IssueRequest {
        customer_id,
        contract_id: None,
        series_code: "TP".into(),
        issue_date,
        sale_date: None,
        period: None,
        payment_days: 14,
        lines: vec![LineRequest {
            name: "Internet światłowodowy".into(),
            unit: "usł.".into(),
            quantity: Decimal::ONE,
            unit_price: Money::from_grosze(gross),
            rate: VatRate::Standard23,
            service_id: None,
            subscription: None,
        }],
        annex_15_goods: false,
        invoiced_by: ebok::domain::subscription_periods::InvoicedBy::Manual,
        actor: Actor::default(),
    };
    invoicing::issue_invoice(&mut app.conn(), &ctx, &request, clock::now())
        .unwrap()
        .invoice_id
}

/// Grosze allocated to an invoice.
pub fn paid(app: &TestApp, invoice_id: InvoiceId) -> i64 {
    payment_allocations::table
        .filter(payment_allocations::invoice_id.eq(invoice_id))
        .select(payment_allocations::amount)
        .load::<i64>(&mut *app.conn())
        .unwrap()
        .iter()
        .sum()
}

/// (owed now, unallocated credit) of a customer.
pub fn balance(app: &TestApp, customer_id: CustomerId) -> (i64, i64) {
    let ledger = invoices::ledger(&mut app.conn(), customer_id, None, None).unwrap();
    (ledger.balance, ledger.credit)
}

pub fn active_payments(app: &TestApp) -> i64 {
    count(
        &mut app.conn(),
        "SELECT id FROM payments WHERE reversed_at IS NULL AND source <> 'demo'",
    )
}

pub fn staff(app: &TestApp, login: &str) -> Client {
    let client = app.another_browser();
    let password = if login == "admin" {
        "Admin-ebok-2026"
    } else {
        "Staff-ebok-2026"
    };
    let status = post(
        &client,
        "/staff/login",
        "/staff/login",
        &[("login", login), ("password", password)],
    )
    .status();
    assert_eq!(status, Status::SeeOther, "{login} logs in");
    client
}

/// The import id at the end of a preview address.
pub fn batch_of(location: &str) -> i64 {
    location.rsplit('/').next().unwrap().parse().unwrap()
}

pub const BOUNDARY: &str = "----ebok-test-boundary-7f3a";

/// Uploads a statement through the real multipart form; returns (status, Location, page text).
pub fn upload(
    client: &Client,
    file_name: &str,
    bytes: &[u8],
    format: &str,
) -> (Status, String, String) {
    let token = csrf_token(client, "/staff/platnosci");
    let mut body = Vec::new();
    for (name, value) in [("csrf_token", token.as_str()), ("format", format)] {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let response = client
        .post("/staff/platnosci/import")
        .header(ContentType::new("multipart", "form-data").with_params(("boundary", BOUNDARY)))
        .header(Header::new("Origin", "http://127.0.0.1:8000"))
        .body(body)
        .dispatch();
    let status = response.status();
    let location = response
        .headers()
        .get_one("Location")
        .unwrap_or_default()
        .to_owned();
    let text = page_text(&response.into_string().unwrap_or_default());
    (status, location, text)
}

/// Uploads and commits a statement as billing staff; returns the preview page text.
pub fn import_and_commit(app: &TestApp, client: &Client, file_name: &str, bytes: &[u8]) -> String {
    let (status, location, _) = upload(client, file_name, bytes, "");
    assert_eq!(status, Status::SeeOther, "the upload leads to the preview");
    let preview = page_text(
        &client
            .get(location.clone())
            .dispatch()
            .into_string()
            .unwrap(),
    );
    let committed = post(client, &location, &format!("{location}/zatwierdz"), &[]);
    assert_eq!(committed.status(), Status::SeeOther);
    let _ = app;
    preview
}

pub fn ebok_cli(app: &TestApp, args: &[&str]) -> (bool, String) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_ebok"));
    command.current_dir(app.data_dir()).args(args);
    for (key, _) in std::env::vars().filter(|(key, _)| key.starts_with("EBOK_")) {
        command.env_remove(key);
    }
    command
        .env("EBOK_DATA_DIR", app.data_dir())
        .env("EBOK_DATABASE_URL", app.config.database.url.to_string());
    let output = command.output().expect("ebok runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}
