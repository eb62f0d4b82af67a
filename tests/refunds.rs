//! Issue 14, part 2: when a correction lowers an invoice the customer has already paid, staff
//! choose on the correction whether the overpayment is credited against what the customer owes
//! ("zaliczona na poczet należności") or refunded to their account ("zwrócona na rachunek").
//! The ledger follows the choice, the correction's PDF says which (and asks for no payment),
//! every page agrees afterwards, and staff mark the transfer sent in a queue (audited). On every
//! backend.

mod common;

use common::{TestApp, log_in, page_text, post};
use diesel::prelude::*;
use ebok::app::audit::Actor;
use ebok::app::invoicing::{self, Invoicing, IssueRequest, LineRequest, PdfStore};
use ebok::app::payments::{self, PaymentRequest};
use ebok::app::{clock, demo, invoices, payment_account, receivables};
use ebok::db::schema::{accounts, audit_log, correction_refunds, invoices as invoice_rows};
use ebok::domain::CustomerId;
use ebok::domain::InvoiceId;
use ebok::domain::InvoiceKind;
use ebok::domain::{Money, Nrb, VatRate};
use ebok::pdf::PdfRenderer;
use rocket::http::Status;
use rocket::local::blocking::Client;
use rust_decimal::Decimal;

backend_tests!(
    staff_choose_credit_or_refund_on_a_correction_and_every_page_follows,
    a_refund_is_refused_without_a_valid_account_and_the_queue_is_for_payment_staff,
);

fn demo_customer(app: &TestApp) -> CustomerId {
    accounts::table
        .filter(accounts::login.eq(demo::DEMO_LOGIN))
        .select(accounts::customer_id)
        .first(&mut *app.conn())
        .unwrap()
}

fn staff_browser(app: &TestApp, login: &str, password: &str) -> Client {
    let browser = app.another_browser();
    let status = post(
        &browser,
        "/staff/login",
        "/staff/login",
        &[("login", login), ("password", password)],
    )
    .status();
    assert_eq!(status, Status::SeeOther, "{login} logs in");
    browser
}

fn zl(grosze: i64) -> String {
    Money::from_grosze(grosze).to_string()
}

fn text(client: &Client, path: &str) -> String {
    page_text(
        &client
            .get(path.to_owned())
            .dispatch()
            .into_string()
            .unwrap_or_default(),
    )
}

fn refund_account() -> Nrb {
    Nrb::from_bban("109010140000071219812874").unwrap()
}

fn audit_count(app: &TestApp, action: &str) -> i64 {
    audit_log::table
        .filter(audit_log::action.eq(action))
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

fn corrections(app: &TestApp, customer_id: CustomerId) -> i64 {
    invoice_rows::table
        .filter(invoice_rows::customer_id.eq(customer_id))
        .filter(invoice_rows::kind.eq("correction"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

/// Pays everything the customer owes, then issues one more invoice (500 zł) left unpaid, so
/// that where an overpayment goes shows on what is owed.
fn paid_up_with_one_open_invoice(app: &TestApp, customer_id: CustomerId) {
    let today = clock::today();
    let owed = receivables::of_customer(&mut app.conn(), customer_id, today)
        .unwrap()
        .standing
        .owed;
    if owed > 0 {
        payments::record_payment(
            &mut app.conn(),
            &PaymentRequest {
                customer_id,
                amount: Money::from_grosze(owed),
                received_on: today,
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
        .unwrap();
    }
    let renderer = PdfRenderer::shared().unwrap();
    let store = PdfStore::new(&app.config.paths.invoices_dir);
    invoicing::issue_invoice(
        &mut app.conn(),
        &Invoicing {
            renderer: renderer.as_ref(),
            store: &store,
            outgoing: None,
        },
        &IssueRequest {
            customer_id,
            contract_id: None,
            series_code: "FV".into(),
            issue_date: today,
            sale_date: Some(today),
            period: None,
            payment_days: 14,
            lines: vec![LineRequest {
                name: "Modernizacja instalacji".into(),
                unit: "usł.".into(),
                quantity: Decimal::ONE,
                unit_price: Money::from_grosze(50_000),
                rate: VatRate::Standard23,
                service_id: None,
                subscription: None,
            }],
            annex_15_goods: false,
            invoiced_by: ebok::domain::subscription_periods::InvoicedBy::Manual,
            actor: Actor::default(),
        },
        clock::now(),
    )
    .unwrap();
}

/// Paid invoices (not corrections) of the customer whose first line is at least 30 zł, newest
/// first.
fn paid_invoices(app: &TestApp, customer_id: CustomerId) -> Vec<invoices::InvoiceRow> {
    let list = invoices::list(
        &mut app.conn(),
        customer_id,
        &invoices::InvoiceFilter::default(),
        clock::today(),
    )
    .unwrap();
    let mut paid: Vec<_> = list
        .invoices
        .into_iter()
        .filter(|r| r.kind == InvoiceKind::Invoice && r.outstanding == 0 && r.paid >= 3_000)
        .collect();
    paid.sort_by_key(|r| std::cmp::Reverse(r.id));
    paid
}

/// The correction form's fields for `invoice` with its first line 29,99 zł cheaper.
fn lowered_lines(app: &TestApp, invoice: InvoiceId) -> Vec<(String, String)> {
    let lines: Vec<_> = ebok::db::invoices::lines_of(&mut app.conn(), invoice)
        .unwrap()
        .into_iter()
        .filter(|l| l.side == "line")
        .collect();
    assert!(lines[0].unit_price > 2_999, "{:?}", lines[0]);
    let mut fields = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let price = if i == 0 {
            line.unit_price - 2_999
        } else {
            line.unit_price
        };
        fields.push((format!("lines[{i}].keep"), "true".into()));
        fields.push((format!("lines[{i}].name"), line.name.clone()));
        fields.push((
            format!("lines[{i}].quantity"),
            line.quantity.replace('.', ","),
        ));
        fields.push((format!("lines[{i}].unit"), line.unit.clone()));
        fields.push((
            format!("lines[{i}].unit_price"),
            Money::from_grosze(price).format_amount(),
        ));
        fields.push((format!("lines[{i}].vat_rate"), line.vat_rate.clone()));
        if let Some(service) = line.service_id {
            fields.push((format!("lines[{i}].service_id"), service.to_string()));
        }
    }
    fields
}

fn correct(
    staff: &Client,
    customer_id: CustomerId,
    invoice: InvoiceId,
    mut fields: Vec<(String, String)>,
    choice: &[(&str, &str)],
) -> (Status, String) {
    let page = format!("/staff/klienci/{customer_id}/faktury/{invoice}/korekta");
    fields.extend([
        ("series_code".to_owned(), "FK".to_owned()),
        ("issue_date".to_owned(), clock::today().to_string()),
        ("payment_days".to_owned(), "14".to_owned()),
        ("reason".to_owned(), "Rabat za awarię".to_owned()),
    ]);
    fields.extend(choice.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let response = post(staff, &page, &page, &borrowed);
    let status = response.status();
    (
        status,
        page_text(&response.into_string().unwrap_or_default()),
    )
}

fn newest_correction(app: &TestApp, customer_id: CustomerId) -> (InvoiceId, String) {
    let (id, number): (InvoiceId, Option<String>) = invoice_rows::table
        .filter(invoice_rows::customer_id.eq(customer_id))
        .filter(invoice_rows::kind.eq("correction"))
        .order(invoice_rows::id.desc())
        .select((invoice_rows::id, invoice_rows::number))
        .first(&mut *app.conn())
        .unwrap();
    (id, number.unwrap())
}

fn pdf_of(app: &TestApp, invoice: InvoiceId) -> Option<String> {
    let row = ebok::db::invoices::find(&mut app.conn(), invoice)
        .unwrap()
        .unwrap();
    let bytes = PdfStore::new(&app.config.paths.invoices_dir)
        .read_verified(
            row.pdf_path.as_deref().unwrap(),
            row.pdf_sha256.as_deref().unwrap(),
        )
        .unwrap();
    common::documents::pdf_text(&bytes).map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Σ documents − Σ payments that count + Σ refunds: the plain ledger.
fn plain_balance(app: &TestApp, customer_id: CustomerId) -> i64 {
    let documents: Vec<i64> = invoice_rows::table
        .filter(invoice_rows::customer_id.eq(customer_id))
        .filter(invoice_rows::status.eq("issued"))
        .select(invoice_rows::total_gross)
        .load(&mut *app.conn())
        .unwrap();
    let paid: i64 = ebok::db::payments::of_customer(&mut app.conn(), customer_id)
        .unwrap()
        .iter()
        .map(|p| p.amount)
        .sum();
    let refunded: Vec<i64> = correction_refunds::table
        .filter(correction_refunds::customer_id.eq(customer_id))
        .select(correction_refunds::amount)
        .load(&mut *app.conn())
        .unwrap();
    documents.iter().sum::<i64>() - paid + refunded.iter().sum::<i64>()
}

/// Every figure the portal and the panel show of the customer: all equal to `owed` and
/// `credit`, and to the plain ledger.
fn every_page_says(app: &TestApp, customer_id: CustomerId, owed: i64, credit: i64, step: &str) {
    let today = clock::today();
    let list = invoices::list(
        &mut app.conn(),
        customer_id,
        &invoices::InvoiceFilter::default(),
        today,
    )
    .unwrap();
    assert_eq!(
        (list.to_pay, list.credit),
        (owed, credit),
        "{step}: /faktury"
    );
    let ledger = invoices::ledger(&mut app.conn(), customer_id, None, None).unwrap();
    assert_eq!(
        (ledger.owed, ledger.credit),
        (owed, credit),
        "{step}: ledger"
    );
    assert_eq!(ledger.balance, owed - credit, "{step}: ledger balance");
    assert_eq!(
        plain_balance(app, customer_id),
        owed - credit,
        "{step}: plain ledger"
    );
    let account = payment_account::customer_account(&mut app.conn(), customer_id, today)
        .unwrap()
        .unwrap();
    assert_eq!(account.outstanding, owed, "{step}: staff account");
    let rows: i64 = list.invoices.iter().map(|r| r.outstanding).sum();
    assert_eq!(rows, owed, "{step}: rows add up");

    let browser = app.another_browser();
    log_in(&browser, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    let expected = zl(owed);
    assert!(
        text(&browser, "/faktury").contains(&expected),
        "{step}: /faktury says {expected}"
    );
    assert!(
        text(&browser, "/saldo").contains(&expected),
        "{step}: /saldo says {expected}"
    );
    assert!(
        text(&browser, "/").contains(&expected),
        "{step}: dashboard says {expected}"
    );
    let staff = staff_browser(app, demo::ADMIN_LOGIN, demo::ADMIN_PASSWORD);
    assert!(
        text(&staff, &format!("/staff/klienci/{customer_id}")).contains(&expected),
        "{step}: the staff card says {expected}"
    );
}

fn staff_choose_credit_or_refund_on_a_correction_and_every_page_follows(app: TestApp) {
    let app = app.with_demo(0);
    let customer_id = demo_customer(&app);
    paid_up_with_one_open_invoice(&app, customer_id);
    let start = receivables::of_customer(&mut app.conn(), customer_id, clock::today())
        .unwrap()
        .standing;
    assert!(start.owed > 2_999, "{start:?}");
    let paid = paid_invoices(&app, customer_id);
    assert!(paid.len() >= 2, "the demo customer has paid invoices");
    let billing = staff_browser(&app, "ksiegowosc", "Staff-ebok-2026");

    // Refund: the 29,99 zł paid too much goes back to the account; what is owed stays.
    let account = refund_account();
    let (status, page) = correct(
        &billing,
        customer_id,
        paid[0].id,
        lowered_lines(&app, paid[0].id),
        &[
            ("overpaid", "refund"),
            ("refund_account", &account.formatted()),
        ],
    );
    assert_eq!(status, Status::SeeOther, "{page}");
    let (refunded_correction, refunded_number) = newest_correction(&app, customer_id);
    let refunds = ebok::db::refunds::of_customer(&mut app.conn(), customer_id).unwrap();
    assert_eq!(refunds.len(), 1);
    assert_eq!(
        (
            refunds[0].amount,
            refunds[0].correction_id,
            refunds[0].status
        ),
        (
            2_999,
            refunded_correction,
            ebok::domain::RefundStatus::Pending
        )
    );
    assert_eq!(refunds[0].account, account.as_str());
    every_page_says(
        &app,
        customer_id,
        start.owed,
        start.credit,
        "after the refund",
    );
    let browser = app.another_browser();
    log_in(&browser, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    let saldo = text(&browser, "/saldo");
    assert!(
        saldo.contains("Zwrot nadpłaty na rachunek") && saldo.contains(&refunded_number),
        "/saldo shows the refund: {saldo}"
    );
    if let Some(printed) = pdf_of(&app, refunded_correction) {
        assert!(
            printed.contains(&format!(
                "Nadpłata 29,99 zł zostanie zwrócona na rachunek nr {}",
                account.formatted()
            )),
            "{printed}"
        );
        assert!(!printed.contains("zaliczona na poczet"), "{printed}");
        assert!(!printed.contains("Tytuł przelewu"), "{printed}");
        assert!(!printed.contains("Numer rachunku"), "{printed}");
    }

    // Credit: the next 29,99 zł paid too much goes to what the customer owes.
    let (status, page) = correct(
        &billing,
        customer_id,
        paid[1].id,
        lowered_lines(&app, paid[1].id),
        &[("overpaid", "credit"), ("refund_account", "")],
    );
    assert_eq!(status, Status::SeeOther, "{page}");
    let (credited_correction, _) = newest_correction(&app, customer_id);
    assert_eq!(
        ebok::db::refunds::of_customer(&mut app.conn(), customer_id)
            .unwrap()
            .len(),
        1,
        "credit makes no refund"
    );
    every_page_says(
        &app,
        customer_id,
        start.owed - 2_999,
        start.credit,
        "after the credit",
    );
    if let Some(printed) = pdf_of(&app, credited_correction) {
        assert!(
            printed.contains("Nadpłata 29,99 zł zostanie zaliczona na poczet należności"),
            "{printed}"
        );
        assert!(!printed.contains("zwrócona"), "{printed}");
        assert!(!printed.contains("Tytuł przelewu"), "{printed}");
    }

    // Payments after the refund are laid out afresh: the refunded money never pays an invoice.
    payments::reverse_payment(
        &mut app.conn(),
        ebok::db::payments::of_customer(&mut app.conn(), customer_id)
            .unwrap()
            .last()
            .unwrap()
            .id,
        "Test",
        &Actor::default(),
        clock::now(),
    )
    .unwrap();
    let after = receivables::of_customer(&mut app.conn(), customer_id, clock::today())
        .unwrap()
        .standing;
    assert_eq!(
        plain_balance(&app, customer_id),
        after.owed - after.credit,
        "after a reversal"
    );

    // The queue: payment staff see the refund, mark it sent once, audited.
    let queue = text(&billing, "/staff/zwroty");
    assert!(queue.contains(&refunded_number), "{queue}");
    assert!(queue.contains(&account.formatted()), "{queue}");
    assert!(queue.contains("29,99"), "{queue}");
    let action = format!("/staff/zwroty/{}/wyslany", refunds[0].id);
    let response = post(&billing, "/staff/zwroty", &action, &[]);
    assert_eq!(response.status(), Status::SeeOther);
    let sent = ebok::db::refunds::find(&mut app.conn(), refunds[0].id)
        .unwrap()
        .unwrap();
    assert_eq!(sent.status, ebok::domain::RefundStatus::Sent);
    assert!(sent.sent_at.is_some() && sent.sent_by_staff_id.is_some());
    assert_eq!(audit_count(&app, "refund_sent"), 1);
    let response = post(&billing, "/staff/zwroty", &action, &[]);
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(audit_count(&app, "refund_sent"), 1, "marked sent once");
    // Marking it sent changes no figure.
    let later = receivables::of_customer(&mut app.conn(), customer_id, clock::today())
        .unwrap()
        .standing;
    assert_eq!(later, after);
}

fn a_refund_is_refused_without_a_valid_account_and_the_queue_is_for_payment_staff(app: TestApp) {
    let app = app.with_demo(0);
    let customer_id = demo_customer(&app);
    paid_up_with_one_open_invoice(&app, customer_id);
    let paid = paid_invoices(&app, customer_id);
    let billing = staff_browser(&app, "ksiegowosc", "Staff-ebok-2026");
    let before = corrections(&app, customer_id);
    for (choice, account) in [
        ("refund", ""),
        ("refund", "12 3456 7890"),
        ("refund", "61 1090 1014 0000 0712 1981 2875"),
        ("cash", ""),
    ] {
        let (status, page) = correct(
            &billing,
            customer_id,
            paid[0].id,
            lowered_lines(&app, paid[0].id),
            &[("overpaid", choice), ("refund_account", account)],
        );
        assert_eq!(status, Status::UnprocessableEntity, "{choice} {account}");
        let expected = if choice == "cash" {
            "Wybierz, co zrobić z nadpłatą"
        } else {
            "Podaj poprawny numer rachunku klienta"
        };
        assert!(page.contains(expected), "{choice} {account}: {page}");
    }
    assert_eq!(corrections(&app, customer_id), before, "nothing issued");
    assert!(
        ebok::db::refunds::of_customer(&mut app.conn(), customer_id)
            .unwrap()
            .is_empty()
    );
    // Support staff neither see the queue nor mark refunds.
    let support = staff_browser(&app, "serwis", "Staff-ebok-2026");
    let response = support.get("/staff/zwroty").dispatch();
    assert_eq!(response.status(), Status::Forbidden);
    assert!(text(&billing, "/staff/zwroty").contains("Nie ma zwrotów do wykonania"));
}
