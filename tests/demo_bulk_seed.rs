//! Issue 25: the demo seeder writes its generated customers a chunk at a time with multi-row
//! INSERTs, their history issued as the billing run issues invoices. The books it leaves must be
//! those of the one-by-one issuing path: `ebok verify` clean (every PDF and FA(3) document
//! against its hash, every series without a gap), numbers gapless across chunks and runs, each
//! payment allocated to the invoice it paid, every customer's balance on the dashboard what
//! their invoices and payments say, and a generated subscriber able to sign in and open an
//! invoice. On every backend.

mod common;

use common::{TestApp, log_in, scalar_i64};
use ebok::app::demo::{self, DemoOptions};
use ebok::domain::CustomerId;
use ebok::domain::InvoiceId;
use ebok::domain::Money;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rocket::http::Status;

backend_tests!(
    a_bulk_seeded_demo_with_pdfs_topped_up_in_two_runs_verifies_clean,
    every_generated_balance_is_its_invoices_less_its_payments,
    a_generated_subscriber_signs_in_sees_the_balance_and_opens_an_invoice,
);

fn seed(app: &TestApp, options: &DemoOptions) {
    demo::seed(&mut app.conn(), &app.config, options).expect("demo seed");
}

// Customer 3 (`klient3`) is where the demo's later steps happen (shop orders, a refunded
// correction): the checks of the history alone start after it, at customer 4.

/// Per series and period: numbers 1..=n, each once.
fn assert_numbering_gapless(app: &TestApp) {
    assert_eq!(
        scalar_i64(
            app,
            "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM (\
             SELECT series_id, period_key FROM invoices WHERE seq IS NOT NULL \
             GROUP BY series_id, period_key \
             HAVING MIN(seq) <> 1 OR MAX(seq) <> COUNT(*) OR COUNT(DISTINCT seq) <> COUNT(*)) g"
        ),
        0,
        "a series has a gap or a duplicate"
    );
    assert_eq!(
        scalar_i64(
            app,
            "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM invoice_counters c \
             WHERE c.last_seq <> (SELECT COUNT(*) FROM invoices i \
             WHERE i.series_id = c.series_id AND i.period_key = c.period_key)"
        ),
        0,
        "a counter is ahead of or behind its invoices"
    );
}

fn a_bulk_seeded_demo_with_pdfs_topped_up_in_two_runs_verifies_clean(app: TestApp) {
    seed(&app, &DemoOptions::quiet(40));
    seed(&app, &DemoOptions::quiet(130));
    assert_eq!(
        scalar_i64(
            &app,
            "SELECT CAST(MAX(customer_number) AS BIGINT) AS v FROM customers"
        ),
        132
    );
    let report = app.verify();
    assert!(report.is_clean(), "{:?}", report.problems);
    assert_eq!(report.invoices_without_file, 0);
    assert!(report.invoices_checked >= 130 * 2, "{report:?}");
    assert_numbering_gapless(&app);
    // Each generated invoice as the issuing path leaves it: lines, a subscription period per
    // service billed, its FA(3) document, delivered, audited.
    for (what, sql) in [
        (
            "an invoice without lines",
            "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM invoices i WHERE NOT EXISTS \
             (SELECT 1 FROM invoice_lines l WHERE l.invoice_id = i.id)",
        ),
        (
            "a service line without its subscription period",
            "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM invoice_lines l \
             JOIN invoices i ON i.id = l.invoice_id \
             WHERE l.service_id IS NOT NULL AND i.kind = 'invoice' AND i.period_start IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM subscription_periods s \
             WHERE s.invoice_id = i.id AND s.service_id = l.service_id)",
        ),
        (
            "an invoice without its FA(3) document",
            "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM invoices i \
             JOIN customers c ON c.id = i.customer_id \
             WHERE c.customer_number > 3 AND i.kind = 'invoice' \
             AND NOT EXISTS (SELECT 1 FROM ksef_documents d \
             WHERE d.invoice_id = i.id AND d.xml IS NOT NULL)",
        ),
        (
            "a past generated invoice not delivered",
            "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM invoices i \
             JOIN customers c ON c.id = i.customer_id \
             WHERE c.customer_number > 3 AND i.delivered_at IS NULL",
        ),
    ] {
        assert_eq!(scalar_i64(&app, sql), 0, "{what}");
    }
    assert_eq!(
        scalar_i64(
            &app,
            "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM audit_log WHERE action = 'invoice_issued'"
        ),
        scalar_i64(
            &app,
            "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM invoices WHERE kind = 'invoice'"
        ),
        "one audit entry per invoice issued"
    );
}

fn every_generated_balance_is_its_invoices_less_its_payments(app: TestApp) {
    seed(&app, &DemoOptions::quiet(300).without_pdfs());
    let report = app.verify();
    assert!(report.is_clean(), "{:?}", report.problems);
    assert_numbering_gapless(&app);
    assert!(
        scalar_i64(
            &app,
            "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM payments \
             WHERE source = 'demo' AND title LIKE 'FV/%'"
        ) > 300,
        "most history invoices are paid"
    );
    // A payment of the history pays the invoice named in its title, all of it, and nothing
    // else.
    assert_eq!(
        scalar_i64(
            &app,
            "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM payments p \
             JOIN customers c ON c.id = p.customer_id \
             WHERE c.customer_number > 3 AND p.source = 'demo' AND p.title LIKE 'FV/%' \
             AND NOT EXISTS (SELECT 1 FROM payment_allocations a \
             JOIN invoices i ON i.id = a.invoice_id \
             WHERE a.payment_id = p.id AND i.number = p.title AND a.amount = p.amount \
             AND i.total_gross = p.amount)"
        ),
        0
    );
    #[derive(diesel::QueryableByName)]
    struct Books {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: CustomerId,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        invoiced: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        allocated: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        paid: i64,
    }
    let books: Vec<Books> = diesel::RunQueryDsl::load(
        diesel::sql_query(
            "SELECT CAST(c.id AS BIGINT) AS id, \
             CAST(COALESCE((SELECT SUM(i.total_gross) FROM invoices i \
               WHERE i.customer_id = c.id AND i.status = 'issued'), 0) AS BIGINT) AS invoiced, \
             CAST(COALESCE((SELECT SUM(a.amount) FROM payment_allocations a \
               JOIN invoices i ON i.id = a.invoice_id WHERE i.customer_id = c.id), 0) AS BIGINT) \
               AS allocated, \
             CAST(COALESCE((SELECT SUM(p.amount) FROM payments p \
               WHERE p.customer_id = c.id), 0) AS BIGINT) AS paid \
             FROM customers c WHERE c.customer_number > 3 ORDER BY c.id",
        ),
        &mut *app.conn(),
    )
    .expect("books");
    assert_eq!(books.len(), 299);
    let today = ebok::app::clock::today();
    let mut owing = 0;
    for customer in &books {
        let standing = ebok::app::receivables::of_customer(&mut app.conn(), customer.id, today)
            .expect("receivables")
            .standing;
        assert_eq!(
            standing.owed,
            customer.invoiced - customer.allocated,
            "customer {}",
            customer.id
        );
        assert_eq!(
            customer.paid, customer.allocated,
            "customer {}",
            customer.id
        );
        assert_eq!(standing.credit, 0, "customer {}", customer.id);
        owing += i64::from(standing.owed > 0);
    }
    assert!(
        owing > 250,
        "most generated customers owe their last invoice"
    );
}

fn a_generated_subscriber_signs_in_sees_the_balance_and_opens_an_invoice(app: TestApp) {
    seed(&app, &DemoOptions::quiet(120).without_pdfs());
    let app = app.with_demo(120);
    let number = 100;
    let customer_id = CustomerId(scalar_i64(
        &app,
        &format!("SELECT CAST(id AS BIGINT) AS v FROM customers WHERE customer_number = {number}"),
    ));
    let owed = ebok::app::receivables::of_customer(
        &mut app.conn(),
        customer_id,
        ebok::app::clock::today(),
    )
    .expect("receivables")
    .standing
    .owed;
    let login = log_in(
        &app.client,
        &format!("klient{number}"),
        demo::GENERATED_PASSWORD,
    );
    assert_eq!(login.status(), Status::SeeOther);
    let dashboard = app.get("/").into_string().unwrap_or_default();
    assert!(
        dashboard.contains(&Money::from_grosze(owed).to_string()),
        "the dashboard shows {} due: {dashboard}",
        Money::from_grosze(owed)
    );
    let invoice_id = InvoiceId(scalar_i64(
        &app,
        &format!(
            "SELECT CAST(MAX(id) AS BIGINT) AS v FROM invoices WHERE customer_id = {customer_id}"
        ),
    ));
    let page = app.get(&format!("/faktury/{invoice_id}"));
    assert_eq!(page.status(), Status::Ok);
    let text = common::page_text(&page.into_string().unwrap_or_default());
    let stored = ebok::db::customers::find(&mut app.conn(), customer_id)
        .expect("customer")
        .expect("customer row");
    let invoice = ebok::db::invoices::find(&mut app.conn(), invoice_id)
        .expect("invoice")
        .expect("invoice row");
    let invoice_number = invoice.number.unwrap_or_default();
    assert!(text.contains(&invoice_number), "{invoice_number}: {text}");
    // The same fictional person as every earlier seeder made of this number.
    let person = demo::people::random_person(&mut StdRng::seed_from_u64(number as u64));
    assert_eq!(
        (stored.first_name, stored.last_name),
        (Some(person.first_name), Some(person.last_name))
    );
}
