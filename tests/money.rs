//! One truth for money (issue 14, parts 1 and 2), on every backend:
//! - a subscription period is invoiced once, whatever issued it (demo, staff by hand, the run),
//!   the database refuses a second fact, and a correction that cancels the line frees it;
//! - every figure of what is owed (invoice list, ledger, staff account, pay pages, dashboard)
//!   agrees with the others and with a plain recomputation from the ledger, after random
//!   sequences of invoices, corrections, payments, reversals and overpayments.

mod common;
#[path = "billing/dataset.rs"]
mod dataset;

use chrono::NaiveDate;
use common::{TestApp, count, log_in, page_text, post};
use dataset::{ServiceSpec, add_customer};
use diesel::prelude::*;
use ebok::app::audit::Actor;
use ebok::app::billing::{self, Source};
use ebok::app::invoicing::{
    self, CorrectionRequest, Invoicing, IssueError, IssueRequest, LineRequest, PdfStore,
};
use ebok::app::payments::{self, PaymentRequest};
use ebok::app::staff::manual_invoices::{self, LineForm, ManualInvoiceError, OneOffForm};
use ebok::app::{clock, demo, invoices, payment_account};
use ebok::db::schema::{accounts, contracts, invoices as invoice_rows, subscription_periods};
use ebok::db::subscription_periods::NewSubscriptionPeriod;
use ebok::domain::ContractId;
use ebok::domain::CustomerId;
use ebok::domain::InvoiceId;
use ebok::domain::InvoiceKind;
use ebok::domain::billing::BillingPeriod;
use ebok::domain::receivables::Overpaid;
use ebok::domain::subscription_periods::InvoicedBy;
use ebok::domain::{Money, VatRate};
use ebok::pdf::PdfRenderer;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;

backend_tests!(
    the_billing_run_skips_the_subscriptions_the_demo_invoiced,
    a_subscription_invoiced_by_hand_is_refused_twice_skipped_by_the_run_and_freed_by_a_cancelling_correction,
    the_database_refuses_a_second_fact_for_a_service_and_period,
    a_lowering_correction_changes_what_every_page_says_is_owed,
    every_figure_agrees_after_random_invoices_corrections_and_payments,
);

struct Parts {
    renderer: std::sync::Arc<PdfRenderer>,
    store: PdfStore,
}

fn parts(app: &TestApp) -> Parts {
    Parts {
        renderer: PdfRenderer::shared().unwrap(),
        store: PdfStore::new(&app.config.paths.invoices_dir),
    }
}

impl Parts {
    fn invoicing(&self) -> Invoicing<'_> {
        Invoicing {
            renderer: self.renderer.as_ref(),
            store: &self.store,
            outgoing: None,
        }
    }
}

fn run(app: &TestApp, period: &str) -> billing::RunReport {
    let parts = parts(app);
    let mut conn = app.conn();
    let actor = Actor::default();
    let started = billing::start_run(
        &mut conn,
        &app.config.database.url,
        period,
        clock::today(),
        Source::Cli,
        &actor,
        clock::now(),
    )
    .unwrap();
    billing::execute_run(&mut conn, &parts.invoicing(), started, &actor, 7, &|_| {}).unwrap()
}

/// (service, period) pairs billed by more than one invoice's subscription lines.
fn doubly_billed(app: &TestApp) -> i64 {
    count(
        &mut app.conn(),
        "SELECT service_id, period FROM subscription_periods \
         WHERE released_by_invoice_id IS NULL GROUP BY service_id, period HAVING COUNT(*) > 1",
    )
}

fn demo_customer(app: &TestApp) -> CustomerId {
    accounts::table
        .filter(accounts::login.eq(demo::DEMO_LOGIN))
        .select(accounts::customer_id)
        .first(&mut *app.conn())
        .unwrap()
}

fn the_billing_run_skips_the_subscriptions_the_demo_invoiced(app: TestApp) {
    let app = app.with_demo(6);
    let latest: NaiveDate = invoice_rows::table
        .filter(invoice_rows::period_start.is_not_null())
        .select(diesel::dsl::max(invoice_rows::period_start))
        .first::<Option<NaiveDate>>(&mut *app.conn())
        .unwrap()
        .unwrap();
    let period = BillingPeriod::containing(latest).key();
    let demo_facts = count(
        &mut app.conn(),
        &format!(
            "SELECT id FROM subscription_periods WHERE source = 'demo' AND period = '{period}'"
        ),
    );
    assert!(demo_facts > 0, "the demo records what it invoiced");
    let invoices_before = count(&mut app.conn(), "SELECT id FROM invoices");
    let report = run(&app, &period);
    assert!(
        report.totals.skip_reasons.get("already_invoiced").copied() >= Some(1),
        "{:?}",
        report.totals.skip_reasons
    );
    assert_eq!(doubly_billed(&app), 0);
    // No subscription line of the period was written twice for a service.
    let lines_twice = count(
        &mut app.conn(),
        &format!(
            "SELECT l.service_id FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id \
             WHERE i.kind = 'invoice' AND l.unit = 'usł.' AND l.service_id IS NOT NULL \
             AND i.period_start >= '{}' AND i.period_start <= '{}' \
             GROUP BY l.service_id HAVING COUNT(*) > 1",
            BillingPeriod::parse(&period).unwrap().first_day(),
            BillingPeriod::parse(&period).unwrap().last_day()
        ),
    );
    assert_eq!(lines_twice, 0);
    assert_eq!(
        count(&mut app.conn(), "SELECT id FROM invoices") - invoices_before,
        report.totals.issued
    );
}

fn one_off_form(contract_id: ContractId, period: &str) -> OneOffForm {
    OneOffForm {
        contract_id: contract_id.to_string(),
        subscription_period: period.into(),
        series_code: "FV".into(),
        issue_date: clock::today().to_string(),
        payment_days: "14".into(),
        lines: vec![LineForm::default()],
    }
}

fn issue_by_hand(
    app: &TestApp,
    customer_id: CustomerId,
    form: &OneOffForm,
) -> Result<invoicing::Issued, ManualInvoiceError> {
    let parts = parts(app);
    let mut conn = app.conn();
    let (request, rows) =
        manual_invoices::one_off_request(&mut conn, customer_id, form, &Actor::default())?;
    invoicing::issue_invoice(&mut conn, &parts.invoicing(), &request, clock::now())
        .map_err(|e| manual_invoices::refused(e, &rows))
}

fn a_subscription_invoiced_by_hand_is_refused_twice_skipped_by_the_run_and_freed_by_a_cancelling_correction(
    app: TestApp,
) {
    let app = app.with_demo(0);
    let customer_id = demo_customer(&app);
    let contract_id: ContractId = contracts::table
        .filter(contracts::customer_id.eq(customer_id))
        .select(contracts::id)
        .first(&mut *app.conn())
        .unwrap();
    let next = BillingPeriod::containing(clock::today()).next().key();
    let first = issue_by_hand(&app, customer_id, &one_off_form(contract_id, &next))
        .expect("the month is not invoiced yet");
    let facts: Vec<(i64, String)> = subscription_periods::table
        .filter(subscription_periods::invoice_id.eq(first.invoice_id))
        .select((
            subscription_periods::service_id,
            subscription_periods::source,
        ))
        .load(&mut *app.conn())
        .unwrap();
    assert!(!facts.is_empty());
    assert!(facts.iter().all(|(_, source)| source == "manual"));

    match issue_by_hand(&app, customer_id, &one_off_form(contract_id, &next)) {
        Err(ManualInvoiceError::Fields(errors)) => {
            assert!(
                format!("{errors:?}").contains("staff-error-already-invoiced"),
                "{errors:?}"
            )
        }
        other => panic!("a second subscription invoice must be refused: {other:?}"),
    }

    let report = run(&app, &next);
    assert_eq!(doubly_billed(&app), 0);
    let billed_by_run: i64 = count(
        &mut app.conn(),
        &format!(
            "SELECT id FROM subscription_periods WHERE source = 'billing_run' \
             AND period = '{next}' AND contract_id = {contract_id}"
        ),
    );
    assert_eq!(billed_by_run, 0, "the run left the contract alone");
    assert!(report.totals.skip_reasons.contains_key("already_invoiced"));

    // A correction that brings the subscription lines to zero frees the month; the run bills it.
    let parts = parts(&app);
    let original_lines = ebok::db::invoices::lines_of(&mut app.conn(), first.invoice_id).unwrap();
    let cancelled: Vec<LineRequest> = original_lines
        .iter()
        .map(|line| LineRequest {
            name: line.name.clone(),
            unit: line.unit.clone(),
            quantity: Decimal::ONE,
            unit_price: Money::zero(),
            rate: VatRate::parse(&line.vat_rate).unwrap(),
            service_id: line.service_id,
            subscription: None,
        })
        .collect();
    invoicing::issue_correction(
        &mut app.conn(),
        &parts.invoicing(),
        &CorrectionRequest {
            original_id: first.invoice_id,
            series_code: "FK".into(),
            issue_date: clock::today(),
            reason: "Abonament wystawiony omyłkowo".into(),
            lines: cancelled,
            payment_days: 14,
            actor: Actor::default(),
            overpaid: Default::default(),
            refund_account: None,
        },
        clock::now(),
    )
    .unwrap();
    assert_eq!(
        count(
            &mut app.conn(),
            &format!(
                "SELECT id FROM subscription_periods WHERE invoice_id = {} \
                 AND released_by_invoice_id IS NULL",
                first.invoice_id
            )
        ),
        0
    );
    let again = run(&app, &next);
    assert!(again.totals.issued >= 1);
    assert_eq!(doubly_billed(&app), 0);
    assert!(
        count(
            &mut app.conn(),
            &format!(
                "SELECT id FROM subscription_periods WHERE source = 'billing_run' \
                 AND period = '{next}' AND contract_id = {contract_id}"
            ),
        ) > 0
    );
}

fn the_database_refuses_a_second_fact_for_a_service_and_period(app: TestApp) {
    let app = app.with_demo(0);
    let (service_id, invoice_id): (i64, InvoiceId) = subscription_periods::table
        .select((
            subscription_periods::service_id,
            subscription_periods::invoice_id,
        ))
        .first(&mut *app.conn())
        .unwrap();
    let period: String = subscription_periods::table
        .filter(subscription_periods::service_id.eq(service_id))
        .select(subscription_periods::period)
        .first(&mut *app.conn())
        .unwrap();
    let second = NewSubscriptionPeriod {
        service_id,
        contract_id: None,
        period,
        invoice_id,
        source: "manual".into(),
        created_at: clock::now(),
        released_by_invoice_id: None,
        released_at: None,
    };
    let error = ebok::db::subscription_periods::record(&mut app.conn(), &[second]).unwrap_err();
    assert!(ebok::db::is_unique_violation(&error), "{error:?}");
}

/// The owed amount as pages print it.
fn zl(grosze: i64) -> String {
    Money::from_grosze(grosze).to_string()
}

fn a_lowering_correction_changes_what_every_page_says_is_owed(app: TestApp) {
    let app = app.with_demo(0);
    let customer_id = demo_customer(&app);
    let today = clock::today();
    // The demo customer's oldest invoice with something still to pay, lowered by 29,99 zł.
    let list = invoices::list(
        &mut app.conn(),
        customer_id,
        &invoices::InvoiceFilter::default(),
        today,
    )
    .unwrap();
    let target = list
        .invoices
        .iter()
        .find(|r| r.outstanding >= 2999 && r.kind == InvoiceKind::Invoice)
        .expect("the demo customer owes something")
        .clone();
    let parts = parts(&app);
    let lines = ebok::db::invoices::lines_of(&mut app.conn(), target.id).unwrap();
    let mut corrected: Vec<LineRequest> = lines
        .iter()
        .filter(|l| l.side == "line")
        .map(|line| LineRequest {
            name: line.name.clone(),
            unit: line.unit.clone(),
            quantity: line.quantity.parse().unwrap(),
            unit_price: Money::from_grosze(line.unit_price),
            rate: VatRate::parse(&line.vat_rate).unwrap(),
            service_id: line.service_id,
            subscription: None,
        })
        .collect();
    corrected[0].unit_price = Money::from_grosze(corrected[0].unit_price.grosze() - 2999);
    let correction = invoicing::issue_correction(
        &mut app.conn(),
        &parts.invoicing(),
        &CorrectionRequest {
            original_id: target.id,
            series_code: "FK".into(),
            issue_date: today,
            reason: "Rabat za awarię".into(),
            lines: corrected,
            payment_days: 14,
            actor: Actor::default(),
            overpaid: Default::default(),
            refund_account: None,
        },
        clock::now(),
    )
    .unwrap();
    assert_eq!(correction.total_gross.grosze(), -2999);
    payments::record_payment(
        &mut app.conn(),
        &PaymentRequest {
            customer_id,
            amount: Money::from_grosze(1000),
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
    let money = ebok::app::receivables::of_customer(&mut app.conn(), customer_id, today).unwrap();
    let owed = money.standing.owed;
    assert!(owed > 0);
    let detail = invoices::detail(&mut app.conn(), customer_id, target.id, today)
        .unwrap()
        .unwrap();
    assert_eq!(
        detail.row.outstanding,
        money.debt_of(target.id).unwrap().outstanding()
    );
    assert_eq!(detail.row.corrected_gross, target.corrected_gross - 2999);

    let browser = app.another_browser();
    log_in(&browser, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    let text = |path: &str| {
        page_text(
            &browser
                .get(path.to_owned())
                .dispatch()
                .into_string()
                .unwrap_or_default(),
        )
    };
    let expected = zl(owed);
    assert!(
        text("/faktury").contains(&expected),
        "/faktury says {expected}"
    );
    assert!(text("/saldo").contains(&expected), "/saldo says {expected}");
    assert!(
        text("/").contains(&expected),
        "the dashboard says {expected}"
    );
    let pay = text(&format!("/faktury/{}/zaplac", target.id));
    assert!(
        pay.contains(&zl(detail.row.outstanding)),
        "the pay page asks what the invoice still owes"
    );
    let staff = app.another_browser();
    post(
        &staff,
        "/staff/login",
        "/staff/login",
        &[
            ("login", demo::ADMIN_LOGIN),
            ("password", demo::ADMIN_PASSWORD),
        ],
    );
    let card = page_text(
        &staff
            .get(format!("/staff/klienci/{customer_id}"))
            .dispatch()
            .into_string()
            .unwrap_or_default(),
    );
    assert!(card.contains(&expected), "the staff card says {expected}");

    // The correction's PDF does not ask for a refund nor print transfer details.
    let pdf = ebok::db::invoices::find(&mut app.conn(), correction.invoice_id)
        .unwrap()
        .unwrap();
    let bytes = parts
        .store
        .read_verified(
            pdf.pdf_path.as_deref().unwrap(),
            pdf.pdf_sha256.as_deref().unwrap(),
        )
        .unwrap();
    let printed = common::documents::pdf_text(&bytes)
        .expect("pdftotext reads the PDF")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(!printed.contains("Do zwrotu"), "{printed}");
    assert!(!printed.contains("Tytuł przelewu"), "{printed}");
    assert!(printed.contains("Korekta zmniejsza kwotę"), "{printed}");
}

/// A plain recomputation from the ledger: Σ documents − Σ payments that count.
fn plain_balance(app: &TestApp, customer_id: CustomerId) -> i64 {
    let documents: Vec<i64> = invoice_rows::table
        .filter(invoice_rows::customer_id.eq(customer_id))
        .filter(invoice_rows::status.eq("issued"))
        .select(invoice_rows::total_gross)
        .load(&mut *app.conn())
        .unwrap();
    let payments: i64 = ebok::db::payments::of_customer(&mut app.conn(), customer_id)
        .unwrap()
        .iter()
        .map(|p| p.amount)
        .sum();
    // Money refunded on a correction left the ledger.
    let refunded = ebok::db::refunds::total_of_customer(&mut app.conn(), customer_id).unwrap();
    documents.iter().sum::<i64>() - payments + refunded
}

fn check_every_figure(app: &TestApp, customer_id: CustomerId, step: &str) {
    let today = clock::today();
    let mut conn = app.conn();
    let list = invoices::list(
        &mut conn,
        customer_id,
        &invoices::InvoiceFilter::default(),
        today,
    )
    .unwrap();
    let ledger = invoices::ledger(&mut conn, customer_id, None, None).unwrap();
    let account = payment_account::customer_account(&mut conn, customer_id, today)
        .unwrap()
        .unwrap();
    drop(conn);
    let plain = plain_balance(app, customer_id);
    assert_eq!(list.to_pay, plain.max(0), "{step}: owed");
    assert_eq!(list.credit, (-plain).max(0), "{step}: credit");
    assert_eq!(ledger.balance, plain, "{step}: ledger balance");
    assert_eq!(ledger.owed, list.to_pay, "{step}: ledger owed");
    assert_eq!(ledger.credit, list.credit, "{step}: ledger credit");
    assert_eq!(account.outstanding, list.to_pay, "{step}: staff account");
    let by_rows: i64 = list.invoices.iter().map(|r| r.outstanding).sum();
    assert_eq!(by_rows, list.to_pay, "{step}: rows add up");
    for row in &list.invoices {
        let pay = invoices::payment_instructions(&mut app.conn(), customer_id, row.id, today)
            .unwrap()
            .unwrap();
        assert_eq!(
            pay.amount, row.outstanding,
            "{step}: pay page of {}",
            row.number
        );
        assert!(row.outstanding >= 0 && row.paid >= 0, "{step}: {row:?}");
        if row.kind == InvoiceKind::Correction {
            assert_eq!(
                row.outstanding, 0,
                "{step}: a correction is not paid by itself"
            );
        }
    }
}

fn every_figure_agrees_after_random_invoices_corrections_and_payments(app: TestApp) {
    let app = app.with_demo(0);
    let parts = parts(&app);
    // Fixed seed, bounded cases: the same sequences on every run and both backends.
    let mut rng = StdRng::seed_from_u64(14);
    for case in 0..6_i64 {
        let customer_id = add_customer(
            &mut app.conn(),
            9_000 + case,
            case % 3 == 2,
            &[ServiceSpec::internet(5_999)],
        );
        let mut documents: Vec<InvoiceId> = Vec::new();
        let mut payments_made: Vec<i64> = Vec::new();
        for step in 0..9 {
            let label = format!("case {case} step {step}");
            match rng.gen_range(0..10) {
                0..=2 => {
                    let issued = invoicing::issue_invoice(
                        &mut app.conn(),
                        &parts.invoicing(),
                        &IssueRequest {
                            customer_id,
                            contract_id: None,
                            series_code: "FV".into(),
                            issue_date: clock::today() - chrono::Days::new(rng.gen_range(0..40)),
                            sale_date: Some(clock::today()),
                            period: None,
                            payment_days: 14,
                            lines: vec![LineRequest {
                                name: "Usługa".into(),
                                unit: "szt.".into(),
                                quantity: Decimal::from(rng.gen_range(1..4)),
                                unit_price: Money::from_grosze(rng.gen_range(1..20_000)),
                                rate: VatRate::Standard23,
                                service_id: None,
                                subscription: None,
                            }],
                            annex_15_goods: false,
                            invoiced_by: InvoicedBy::Manual,
                            actor: Actor::default(),
                        },
                        clock::now(),
                    )
                    .unwrap();
                    documents.push(issued.invoice_id);
                }
                3..=4 if !documents.is_empty() => {
                    // A correction up or down, of an invoice or of an earlier correction.
                    let original = documents[rng.gen_range(0..documents.len())];
                    let invoice = ebok::db::invoices::find(&mut app.conn(), original)
                        .unwrap()
                        .unwrap();
                    let side = if invoice.kind == InvoiceKind::Correction {
                        "after"
                    } else {
                        "line"
                    };
                    let lines: Vec<LineRequest> =
                        ebok::db::invoices::lines_of(&mut app.conn(), original)
                            .unwrap()
                            .into_iter()
                            .filter(|l| l.side == side)
                            .map(|line| LineRequest {
                                name: line.name,
                                unit: line.unit,
                                quantity: line.quantity.parse().unwrap(),
                                unit_price: Money::from_grosze(
                                    (line.unit_price + rng.gen_range(-9_000..9_000)).max(0),
                                ),
                                rate: VatRate::parse(&line.vat_rate).unwrap(),
                                service_id: None,
                                subscription: None,
                            })
                            .collect();
                    match invoicing::issue_correction(
                        &mut app.conn(),
                        &parts.invoicing(),
                        &CorrectionRequest {
                            original_id: original,
                            series_code: "FK".into(),
                            issue_date: clock::today(),
                            reason: "Zmiana ceny".into(),
                            lines,
                            payment_days: 14,
                            actor: Actor::default(),
                            // Staff choose what happens to money paid too much: credit or refund.
                            overpaid: if rng.gen_bool(0.5) {
                                Overpaid::Refund
                            } else {
                                Overpaid::Credit
                            },
                            refund_account: Some("61109010140000071219812874".into()),
                        },
                        clock::now(),
                    ) {
                        Ok(issued) => documents.push(issued.invoice_id),
                        Err(IssueError::NothingChanges) => {}
                        Err(other) => panic!("{label}: {other}"),
                    }
                }
                5..=7 => {
                    let recorded = payments::record_payment(
                        &mut app.conn(),
                        &PaymentRequest {
                            customer_id,
                            amount: Money::from_grosze(rng.gen_range(1..30_000)),
                            received_on: clock::today(),
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
                    payments_made.push(recorded.payment_id);
                }
                _ if !payments_made.is_empty() => {
                    let payment = payments_made.remove(rng.gen_range(0..payments_made.len()));
                    payments::reverse_payment(
                        &mut app.conn(),
                        payment,
                        "Zwrot przelewu",
                        &Actor::default(),
                        clock::now(),
                    )
                    .unwrap();
                }
                _ => {}
            }
            check_every_figure(&app, customer_id, &label);
        }
    }
}
