//! Issue 25: `ebok demo --no-pdfs` seeds the generated customers' past invoices without their
//! files (a million customers' history would be ~100 GB). Such an invoice is recorded as any
//! other; its page, its PDF link (subscriber and staff) and the ZIP of several say plainly that
//! the demo document is not stored, in Polish and English, never a 500. The fixed demo
//! customers keep their PDFs. On every backend.

mod common;

use common::{TestApp, log_in, page_text, scalar_i64};
use ebok::app::demo::{self, DemoOptions};
use rocket::http::Status;

backend_tests!(
    past_demo_invoices_are_recorded_without_files_and_the_fixed_ones_keep_theirs,
    the_invoice_page_and_its_pdf_link_say_the_demo_document_is_not_stored,
);

const GENERATED: u32 = 3;

fn seeded_without_pdfs(app: TestApp) -> TestApp {
    demo::seed(
        &mut app.conn(),
        &app.config,
        &DemoOptions::quiet(GENERATED).without_pdfs(),
    )
    .expect("demo seed without PDFs");
    // Tops up nothing; rebuilds the client on the seeded data.
    app.with_demo(GENERATED)
}

/// Invoices of generated customers (numbers above the two fixed ones) without a stored file.
const WITHOUT_FILE: &str = "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM invoices i \
     JOIN customers c ON c.id = i.customer_id \
     WHERE c.customer_number > 2 AND i.pdf_path IS NULL AND i.status = 'issued'";

fn past_demo_invoices_are_recorded_without_files_and_the_fixed_ones_keep_theirs(app: TestApp) {
    let app = seeded_without_pdfs(app);
    assert!(
        scalar_i64(&app, WITHOUT_FILE) >= 3,
        "generated history has no files"
    );
    assert_eq!(
        scalar_i64(
            &app,
            "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM invoices i \
             JOIN customers c ON c.id = i.customer_id \
             WHERE c.customer_number <= 2 AND i.status = 'issued' AND i.pdf_path IS NULL"
        ),
        0,
        "the fixed demo customers keep their PDFs"
    );
    // No file was written for them: `invoices/YYYY/MM/<number>.pdf` is not there.
    #[derive(diesel::QueryableByName)]
    struct Stored {
        #[diesel(sql_type = diesel::sql_types::Text)]
        number: String,
        #[diesel(sql_type = diesel::sql_types::Date)]
        issue_date: chrono::NaiveDate,
    }
    let without: Vec<Stored> = diesel::RunQueryDsl::load(
        diesel::sql_query(
            "SELECT number, issue_date FROM invoices \
             WHERE pdf_path IS NULL AND status = 'issued'",
        ),
        &mut *app.conn(),
    )
    .expect("invoices without files");
    assert!(!without.is_empty());
    for invoice in &without {
        let name: String = invoice
            .number
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = app
            .config
            .paths
            .invoices_dir
            .join(invoice.issue_date.format("%Y/%m").to_string())
            .join(format!("{name}.pdf"));
        assert!(!path.exists(), "{} has a file", invoice.number);
    }
    // The fixed customers' files are there.
    let named = scalar_i64(
        &app,
        "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM invoices WHERE pdf_path IS NOT NULL",
    );
    assert!(named > 0);
    // The amounts are there as for any invoice: issued, numbered, with lines and FA(3).
    assert_eq!(
        scalar_i64(
            &app,
            "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM invoices i \
             WHERE i.pdf_path IS NULL AND (i.number IS NULL OR NOT EXISTS \
             (SELECT 1 FROM invoice_lines l WHERE l.invoice_id = i.id))"
        ),
        0
    );
}

fn the_invoice_page_and_its_pdf_link_say_the_demo_document_is_not_stored(app: TestApp) {
    let app = seeded_without_pdfs(app);
    let (customer_id, invoice_id) = (
        scalar_i64(
            &app,
            "SELECT CAST(id AS BIGINT) AS v FROM customers WHERE customer_number = 3",
        ),
        scalar_i64(
            &app,
            "SELECT CAST(MIN(i.id) AS BIGINT) AS v FROM invoices i \
             JOIN customers c ON c.id = i.customer_id \
             WHERE c.customer_number = 3 AND i.pdf_path IS NULL",
        ),
    );
    let login = log_in(&app.client, "klient3", demo::GENERATED_PASSWORD);
    assert_eq!(login.status(), Status::SeeOther);

    let page = app.get(&format!("/faktury/{invoice_id}"));
    assert_eq!(page.status(), Status::Ok);
    let text = page_text(&page.into_string().unwrap_or_default());
    assert!(
        text.contains("jej dokument demonstracyjny nie jest przechowywany"),
        "{text}"
    );
    assert!(!text.contains("Pobierz PDF"), "{text}");

    let list = page_text(&app.get("/faktury").into_string().unwrap_or_default());
    assert!(list.contains("dokument nieprzechowywany"), "{list}");

    let pdf = app.get(&format!("/faktury/{invoice_id}/pdf"));
    assert_eq!(pdf.status(), Status::NotFound);
    let text = page_text(&pdf.into_string().unwrap_or_default());
    assert!(text.contains("Dokument nie jest przechowywany"), "{text}");
    assert!(
        text.contains("jej dokument demonstracyjny nie jest przechowywany"),
        "{text}"
    );

    // A ZIP of only such invoices has nothing in it: not found, not a server error.
    let zip = app.get(&format!("/faktury/zip?id={invoice_id}"));
    assert_eq!(zip.status(), Status::NotFound);

    // Staff see the same from the customer card's link.
    let staff = common::staff_client(&app, demo::ADMIN_LOGIN, demo::ADMIN_PASSWORD);
    let card = page_text(
        &staff
            .get(format!("/staff/klienci/{customer_id}"))
            .dispatch()
            .into_string()
            .unwrap_or_default(),
    );
    assert!(!card.is_empty());
    let staff_pdf = staff
        .get(format!(
            "/staff/klienci/{customer_id}/faktury/{invoice_id}/pdf"
        ))
        .dispatch();
    assert_eq!(staff_pdf.status(), Status::NotFound);
    let text = page_text(&staff_pdf.into_string().unwrap_or_default());
    assert!(
        text.contains("jej dokument demonstracyjny nie jest przechowywany"),
        "{text}"
    );

    // In English when the subscriber chose it.
    diesel::RunQueryDsl::execute(
        diesel::sql_query("UPDATE accounts SET language = 'en' WHERE login = 'klient3'"),
        &mut *app.conn(),
    )
    .expect("language");
    let pdf = app.get(&format!("/faktury/{invoice_id}/pdf"));
    assert_eq!(pdf.status(), Status::NotFound);
    let text = page_text(&pdf.into_string().unwrap_or_default());
    assert!(text.contains("Document not stored"), "{text}");
    assert!(text.contains("its demo document is not stored"), "{text}");
    let page = page_text(
        &app.get(&format!("/faktury/{invoice_id}"))
            .into_string()
            .unwrap_or_default(),
    );
    assert!(page.contains("its demo document is not stored"), "{page}");
}
