//! Payments end to end on every backend: bank statements (MT940 in Windows-1250, CSV in UTF-8)
//! uploaded through the staff panel, previewed, committed and matched by account, invoice
//! number and customer number; duplicates and re-imports that book nothing twice; the review
//! queue; manual entry and reversal (audited); credit that the next invoice uses; bad files
//! and wrong roles.

mod common;

use common::bank::{
    active_payments, balance, batch_of, date, ebok_cli, fixture, import_and_commit, issue, paid,
    staff, upload,
};
use common::{TestApp, count, csrf_token, form, page_text, post};
use diesel::prelude::*;
use ebok::app::audit::Actor;
use ebok::app::bank_import::{self, Upload};
use ebok::app::{clock, invoices};
use ebok::db::schema::{bank_transactions, payments};
use ebok::domain::CustomerId;
use rocket::http::{ContentType, Header, Status};

backend_tests!(
    an_mt940_statement_is_previewed_then_booked_by_account_invoice_and_customer_number,
    importing_the_same_statement_again_books_nothing,
    csv_lines_that_repeat_are_two_transfers_but_a_reimport_adds_nothing,
    an_overpayment_is_credit_that_the_next_invoice_uses,
    an_unknown_payer_waits_in_the_queue_until_staff_assign_it,
    a_reversal_keeps_history_and_lays_the_other_payments_out_again,
    a_manual_payment_is_booked_and_audited_and_bad_input_is_explained,
    bad_files_are_explained_and_import_nothing,
    a_preview_is_committed_once_and_a_discarded_one_never,
    support_staff_cannot_reach_payments,
    the_cli_previews_with_dry_run_and_books_a_statement_once,
    a_reversed_import_goes_back_to_the_queue_and_can_be_booked_for_the_right_customer,
);

const MT940: &[u8] = include_bytes!("data/statement_2026-11-19.mt940");
const CSV: &[u8] = include_bytes!("data/statement_2026-11-20.csv");

fn an_mt940_statement_is_previewed_then_booked_by_account_invoice_and_customer_number(
    app: TestApp,
) {
    let (app, f) = fixture(app);
    let billing = staff(&app, "ksiegowosc");
    let before = active_payments(&app);
    let (status, location, _) = upload(&billing, "wyciag.sta", MT940, "mt940");
    assert_eq!(status, Status::SeeOther);
    let preview = page_text(
        &billing
            .get(location.clone())
            .dispatch()
            .into_string()
            .unwrap(),
    );
    // The preview shows what will happen, with Polish titles read from Windows-1250.
    for expected in [
        "Opłata za internet - październik i listopad",
        "JAN KOWALSKI",
        "rachunek indywidualny",
        "numer faktury w tytule: TP/2026/0003",
        "numer klienta w tytule",
        "Przelew środków",
        "do przypisania",
        "już zaimportowana",
        "obciążenie",
        "nic nie zostało jeszcze zaksięgowane",
    ] {
        assert!(
            preview.contains(expected),
            "preview shows {expected:?}: {preview}"
        );
    }
    assert_eq!(active_payments(&app), before, "a preview books nothing");

    let committed = post(&billing, &location, &format!("{location}/zatwierdz"), &[]);
    assert_eq!(committed.status(), Status::SeeOther);
    assert_eq!(
        active_payments(&app),
        before + 3,
        "three matched credits booked"
    );

    // 150 zł to customer 9001's individual account: the October invoice in full, then 50 zł of
    // November's (partial payment).
    assert_eq!(paid(&app, f.inv1), 10_000);
    assert_eq!(paid(&app, f.inv2), 5_000);
    assert_eq!(balance(&app, f.c1), (5_000, 0));
    // 100 zł naming invoice TP/2026/0003 (80 zł): paid, 20 zł credit.
    assert_eq!(paid(&app, f.inv3), 8_000);
    assert_eq!(balance(&app, f.c2), (-2_000, 2_000));
    // 30 zł naming customer 9003: partial payment of 50 zł.
    assert_eq!(paid(&app, f.inv4), 3_000);
    assert_eq!(balance(&app, f.c3), (2_000, 0));

    let reasons: Vec<(CustomerId, Option<String>, String)> = payments::table
        .filter(payments::source.eq("import"))
        .order(payments::customer_id)
        .select((
            payments::customer_id,
            payments::match_reason,
            payments::method,
        ))
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(
        reasons,
        vec![
            (f.c1, Some("account".into()), "transfer".into()),
            (f.c2, Some("invoice_number".into()), "transfer".into()),
            (f.c3, Some("customer_number".into()), "transfer".into()),
        ]
    );
    let statuses: Vec<String> = bank_transactions::table
        .filter(bank_transactions::batch_id.eq(batch_of(&location)))
        .order(bank_transactions::line_no)
        .select(bank_transactions::status)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(
        statuses,
        [
            "matched",
            "matched",
            "matched",
            "unmatched",
            "debit",
            "duplicate"
        ]
    );
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM audit_log WHERE action = 'bank_import_committed' AND actor_staff_id IS NOT NULL"
        ),
        1
    );
    // The customer's ledger page shows the payment and why it was matched.
    let page = page_text(
        &billing
            .get(format!("/staff/platnosci/klient/{}", f.c1))
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(page.contains("TP/2026/0001 (100,00 zł)"), "{page}");
    assert!(page.contains("TP/2026/0002 (50,00 zł)"), "{page}");
    assert!(
        page.contains("wyciąg bankowy · rachunek indywidualny"),
        "{page}"
    );
}

fn importing_the_same_statement_again_books_nothing(app: TestApp) {
    let (app, f) = fixture(app);
    let billing = staff(&app, "ksiegowosc");
    import_and_commit(&app, &billing, "wyciag.sta", MT940);
    let booked = active_payments(&app);
    let queued = count(
        &mut app.conn(),
        "SELECT id FROM bank_transactions WHERE status = 'unmatched'",
    );
    // The same file under another name, e.g. downloaded again from the bank.
    let preview = import_and_commit(&app, &billing, "wyciag (1).sta", MT940);
    assert!(
        preview.contains("6 operacji już zaimportowanych"),
        "{preview}"
    );
    assert_eq!(active_payments(&app), booked, "nothing booked twice");
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM bank_transactions WHERE status = 'unmatched'"
        ),
        queued,
        "the review queue did not grow"
    );
    assert_eq!(paid(&app, f.inv1), 10_000);
    assert_eq!(paid(&app, f.inv2), 5_000);
    assert_eq!(balance(&app, f.c2), (-2_000, 2_000));
}

fn csv_lines_that_repeat_are_two_transfers_but_a_reimport_adds_nothing(app: TestApp) {
    let (app, f) = fixture(app);
    let mut conn = app.conn();
    let actor = Actor::default();
    let now = clock::now();
    let upload = Upload {
        file_name: "wyciag.csv",
        bytes: CSV,
        format: None,
        encoding: None,
    };
    let batch = bank_import::preview(&mut conn, &upload, &actor, now).unwrap();
    let summary = bank_import::commit(&mut conn, batch, &actor, now).unwrap();
    // Two identical 60 zł transfers on one day are two payments; the debit is only listed.
    assert_eq!(summary.booked, 3);
    assert_eq!(summary.booked_amount, 14_000);
    assert_eq!(summary.debits, 1);
    assert_eq!(summary.duplicates, 0);
    drop(conn);
    // 20 zł naming TP/2026/0004 (50 zł): partly paid.
    assert_eq!(paid(&app, f.inv4), 2_000);
    // 2 × 60 zł to 9001's account (spaced NRB in the file): October paid, 20 zł of November.
    assert_eq!(paid(&app, f.inv1), 10_000);
    assert_eq!(paid(&app, f.inv2), 2_000);
    assert_eq!(balance(&app, f.c1), (8_000, 0));

    let mut conn = app.conn();
    let again = bank_import::preview(&mut conn, &upload, &actor, now).unwrap();
    let summary = bank_import::commit(&mut conn, again, &actor, now).unwrap();
    assert_eq!(summary.booked, 0);
    assert_eq!(summary.duplicates, 4);
    drop(conn);
    assert_eq!(balance(&app, f.c1), (8_000, 0));
    assert_eq!(paid(&app, f.inv4), 2_000);
}

fn an_overpayment_is_credit_that_the_next_invoice_uses(app: TestApp) {
    let (app, f) = fixture(app);
    let billing = staff(&app, "ksiegowosc");
    import_and_commit(&app, &billing, "wyciag.sta", MT940);
    assert_eq!(balance(&app, f.c2), (-2_000, 2_000), "20 zł overpaid");
    // The December invoice takes the credit in the issuing transaction.
    let december = issue(&app, f.c2, date(2026, 12, 1), 8_000);
    assert_eq!(paid(&app, december), 2_000);
    assert_eq!(balance(&app, f.c2), (6_000, 0));
    // The subscriber's own invoice page shows it partly paid.
    let rows = invoices::list(
        &mut app.conn(),
        f.c2,
        &invoices::InvoiceFilter::default(),
        date(2026, 12, 2),
    )
    .unwrap();
    let row = rows.invoices.iter().find(|r| r.id == december).unwrap();
    assert_eq!((row.paid, row.outstanding), (2_000, 6_000));
}

fn an_unknown_payer_waits_in_the_queue_until_staff_assign_it(app: TestApp) {
    let (app, f) = fixture(app);
    let billing = staff(&app, "ksiegowosc");
    import_and_commit(&app, &billing, "wyciag.sta", MT940);
    let queue = page_text(
        &billing
            .get("/staff/platnosci/do-przypisania")
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(queue.contains("Przelew środków"), "{queue}");
    let english = page_text(
        &billing
            .get("/staff/platnosci/do-przypisania")
            .header(Header::new("Accept-Language", "en-GB,en;q=0.9"))
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(english.contains("Payments to assign"), "{english}");
    assert!(english.contains("Assign to customer"), "{english}");
    assert!(queue.contains("NIEZNANY PŁATNIK SP. Z O.O."), "{queue}");
    assert!(queue.contains("45,00 zł"), "{queue}");
    let id: i64 = bank_transactions::table
        .filter(bank_transactions::status.eq("unmatched"))
        .filter(bank_transactions::title.eq("Przelew środków"))
        .select(bank_transactions::id)
        .first(&mut *app.conn())
        .unwrap();
    let path = format!("/staff/platnosci/do-przypisania/{id}");
    // A customer number that does not exist is explained and changes nothing.
    let wrong = post(
        &billing,
        "/staff/platnosci/do-przypisania",
        &path,
        &[("customer_number", "777777")],
    );
    assert_eq!(wrong.status(), Status::SeeOther);
    let after_wrong = page_text(
        &billing
            .get("/staff/platnosci/do-przypisania")
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(
        after_wrong.contains("Nie ma klienta o takim numerze."),
        "{after_wrong}"
    );
    assert_eq!(paid(&app, f.inv4), 3_000);

    let assigned = post(
        &billing,
        "/staff/platnosci/do-przypisania",
        &path,
        &[("customer_number", "9003")],
    );
    assert_eq!(assigned.status(), Status::SeeOther);
    // 9003 owed 20 zł of 50: now paid, 25 zł credit.
    assert_eq!(paid(&app, f.inv4), 5_000);
    assert_eq!(balance(&app, f.c3), (-2_500, 2_500));
    let (status, reason): (String, Option<String>) = bank_transactions::table
        .find(id)
        .select((bank_transactions::status, bank_transactions::match_reason))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        (status.as_str(), reason.as_deref()),
        ("assigned", Some("manual"))
    );
    assert_eq!(
        count(
            &mut app.conn(),
            &format!(
                "SELECT id FROM audit_log WHERE action = 'bank_transaction_assigned' AND actor_staff_id IS NOT NULL AND customer_id = {}",
                f.c3
            )
        ),
        1
    );
    // Assigning it again is refused: it left the queue.
    let again = post(
        &billing,
        "/staff/platnosci/do-przypisania",
        &path,
        &[("customer_number", "9001")],
    );
    assert_eq!(again.status(), Status::SeeOther);
    assert_eq!(balance(&app, f.c1), (5_000, 0), "9001 got nothing");
}

fn a_reversal_keeps_history_and_lays_the_other_payments_out_again(app: TestApp) {
    let (app, f) = fixture(app);
    let billing = staff(&app, "ksiegowosc");
    let page = format!("/staff/platnosci/klient/{}", f.c1);
    // Two manual payments: 100 zł pays October, 60 zł pays 60 of November's 100.
    for (amount, day) in [("100,00", "2026-11-02"), ("60,00", "2026-11-03")] {
        let response = post(
            &billing,
            "/staff/platnosci",
            "/staff/platnosci/wplata",
            &[
                ("customer_number", "9001"),
                ("amount", amount),
                ("received_on", day),
                ("method", "cash"),
                ("title", "Kasa"),
            ],
        );
        assert_eq!(response.status(), Status::SeeOther);
    }
    assert_eq!((paid(&app, f.inv1), paid(&app, f.inv2)), (10_000, 6_000));
    let first: i64 = payments::table
        .filter(payments::customer_id.eq(f.c1))
        .order(payments::id)
        .select(payments::id)
        .first(&mut *app.conn())
        .unwrap();
    let path = format!("/staff/platnosci/wplaty/{first}/cofnij");
    // Without a reason nothing happens.
    post(&billing, &page, &path, &[("reason", "  ")]);
    assert_eq!(paid(&app, f.inv1), 10_000);

    let response = post(&billing, &page, &path, &[("reason", "Pomyłka kasjera")]);
    assert_eq!(response.status(), Status::SeeOther);
    // The 60 zł now goes to the oldest due invoice (October), November is unpaid again.
    assert_eq!((paid(&app, f.inv1), paid(&app, f.inv2)), (6_000, 0));
    assert_eq!(balance(&app, f.c1), (14_000, 0));
    let (reversed_at, reason, by): (Option<chrono::NaiveDateTime>, Option<String>, Option<i64>) =
        payments::table
            .find(first)
            .select((
                payments::reversed_at,
                payments::reversal_reason,
                payments::reversed_by_staff_id,
            ))
            .first(&mut *app.conn())
            .unwrap();
    assert!(reversed_at.is_some() && by.is_some());
    assert_eq!(reason.as_deref(), Some("Pomyłka kasjera"));
    let text = page_text(&billing.get(page.clone()).dispatch().into_string().unwrap());
    assert!(text.contains("cofnięta"), "{text}");
    assert!(text.contains("Pomyłka kasjera"), "{text}");
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM audit_log WHERE action = 'payment_reversed' AND actor_staff_id IS NOT NULL"
        ),
        1
    );
    // Reversing twice is refused; a payment that does not exist is 404.
    post(&billing, &page, &path, &[("reason", "jeszcze raz")]);
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM audit_log WHERE action = 'payment_reversed'"
        ),
        1
    );
    let token = csrf_token(&billing, &page);
    let missing = billing
        .post("/staff/platnosci/wplaty/999999/cofnij")
        .header(ContentType::Form)
        .header(Header::new("Origin", "http://127.0.0.1:8000"))
        .body(form(&[("reason", "x"), ("csrf_token", &token)]))
        .dispatch();
    assert_eq!(missing.status(), Status::NotFound);
}

fn a_manual_payment_is_booked_and_audited_and_bad_input_is_explained(app: TestApp) {
    let (app, f) = fixture(app);
    let billing = staff(&app, "ksiegowosc");
    let before = active_payments(&app);
    let bad = post(
        &billing,
        "/staff/platnosci",
        "/staff/platnosci/wplata",
        &[
            ("customer_number", "123456789"),
            ("amount", "-5"),
            ("received_on", "2999-01-01"),
            ("method", "bitcoin"),
            ("title", "x"),
        ],
    );
    assert_eq!(bad.status(), Status::UnprocessableEntity);
    let text = page_text(&bad.into_string().unwrap());
    for message in [
        "Nie ma klienta o takim numerze.",
        "Podaj kwotę większą od zera",
        "Data wpłaty nie może być z przyszłości.",
        "Wybierz formę wpłaty",
    ] {
        assert!(text.contains(message), "{message}: {text}");
    }
    assert_eq!(active_payments(&app), before, "nothing written");

    let good = post(
        &billing,
        "/staff/platnosci",
        "/staff/platnosci/wplata",
        &[
            ("customer_number", "9002"),
            ("amount", "100"),
            ("received_on", "2026-11-10"),
            ("method", "cash"),
            ("title", "Wpłata w biurze"),
        ],
    );
    assert_eq!(good.status(), Status::SeeOther);
    assert_eq!(paid(&app, f.inv3), 8_000);
    assert_eq!(balance(&app, f.c2), (-2_000, 2_000));
    let (method, source, staff_id): (String, String, Option<i64>) = payments::table
        .filter(payments::customer_id.eq(f.c2))
        .select((
            payments::method,
            payments::source,
            payments::recorded_by_staff_id,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!((method.as_str(), source.as_str()), ("cash", "manual"));
    assert!(staff_id.is_some());
    assert_eq!(
        count(
            &mut app.conn(),
            &format!(
                "SELECT id FROM audit_log WHERE action = 'payment_recorded' AND actor_staff_id IS NOT NULL AND customer_id = {}",
                f.c2
            )
        ),
        1
    );
    // Unknown customers: the search explains, a missing card is 404.
    let search = billing.get("/staff/platnosci/klient?numer=abc").dispatch();
    assert_eq!(search.status(), Status::SeeOther);
    let overview = page_text(
        &billing
            .get("/staff/platnosci")
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(
        overview.contains("Nie ma klienta o takim numerze."),
        "{overview}"
    );
    let found = billing.get("/staff/platnosci/klient?numer=9003").dispatch();
    assert_eq!(
        found.headers().get_one("Location"),
        Some(format!("/staff/platnosci/klient/{}", f.c3).as_str())
    );
    assert_eq!(
        billing
            .get("/staff/platnosci/klient/999999")
            .dispatch()
            .status(),
        Status::NotFound
    );
    let _ = f.c1;
}

fn bad_files_are_explained_and_import_nothing(app: TestApp) {
    let (app, _f) = fixture(app);
    let billing = staff(&app, "ksiegowosc");
    let cases: [(&str, &[u8], &str, &str); 6] = [
        (
            "empty.csv",
            include_bytes!("data/empty.csv"),
            "",
            "Plik jest pusty.",
        ),
        (
            "utf16.csv",
            include_bytes!("data/utf16.csv"),
            "",
            "To nie jest plik tekstowy w UTF-8, Windows-1250 ani ISO-8859-2",
        ),
        (
            "obraz.png",
            include_bytes!("data/garbage.bin"),
            "",
            "To nie jest plik tekstowy",
        ),
        (
            "zla.csv",
            include_bytes!("data/bad_amount.csv"),
            "csv",
            "Wiersz 3, kolumna 2: „dwadzieścia” nie jest kwotą.",
        ),
        ("wyciag.csv", CSV, "mt940", "To nie jest wyciąg MT940"),
        (
            "wyciag.sta",
            MT940,
            "csv",
            "Wiersz 1: oczekiwano 6 kolumn rozdzielonych średnikiem, jest 1.",
        ),
    ];
    for (name, bytes, format, message) in cases {
        let (status, _, text) = upload(&billing, name, bytes, format);
        assert_eq!(status, Status::UnprocessableEntity, "{name}");
        assert!(text.contains(message), "{name}: {message}: {text}");
    }
    // Only the demo ISP's own statements are there.
    let demo = "SELECT id FROM import_batches WHERE file_name LIKE 'wyciag-demo-%'";
    assert_eq!(
        count(&mut app.conn(), "SELECT id FROM import_batches"),
        count(&mut app.conn(), demo)
    );
    assert_eq!(
        count(&mut app.conn(), "SELECT id FROM bank_transactions"),
        count(
            &mut app.conn(),
            &format!("SELECT id FROM bank_transactions WHERE batch_id IN ({demo})")
        )
    );
}

fn a_preview_is_committed_once_and_a_discarded_one_never(app: TestApp) {
    let (app, _f) = fixture(app);
    let billing = staff(&app, "admin");
    let (_, location, _) = upload(&billing, "wyciag.sta", MT940, "");
    post(&billing, &location, &format!("{location}/zatwierdz"), &[]);
    let booked = active_payments(&app);
    let second = post(&billing, &location, &format!("{location}/zatwierdz"), &[]);
    assert_eq!(second.status(), Status::SeeOther);
    let text = page_text(
        &billing
            .get(location.clone())
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(
        text.contains("został już zatwierdzony albo odrzucony"),
        "{text}"
    );
    assert_eq!(active_payments(&app), booked);

    let (_, other, _) = upload(&billing, "wyciag.csv", CSV, "csv");
    post(&billing, &other, &format!("{other}/odrzuc"), &[]);
    let after = post(&billing, &other, &format!("{other}/zatwierdz"), &[]);
    assert_eq!(after.status(), Status::SeeOther);
    assert_eq!(
        active_payments(&app),
        booked,
        "a discarded import books nothing"
    );
    assert_eq!(
        billing
            .get("/staff/platnosci/import/999999")
            .dispatch()
            .status(),
        Status::NotFound
    );
}

fn support_staff_cannot_reach_payments(app: TestApp) {
    let (app, f) = fixture(app);
    let billing = staff(&app, "ksiegowosc");
    let (_, location, _) = upload(&billing, "wyciag.sta", MT940, "");
    let support = staff(&app, "serwis");
    for path in [
        "/staff/platnosci".to_owned(),
        "/staff/platnosci/do-przypisania".to_owned(),
        format!("/staff/platnosci/klient/{}", f.c1),
        location.clone(),
    ] {
        assert_eq!(
            support.get(path.clone()).dispatch().status(),
            Status::Forbidden,
            "{path}"
        );
    }
    // Forms with a valid token are refused too, and change nothing.
    let token = csrf_token(&support, "/staff");
    for path in [
        format!("{location}/zatwierdz"),
        "/staff/platnosci/wplata".to_owned(),
    ] {
        let response = support
            .post(path.clone())
            .header(ContentType::Form)
            .header(Header::new("Origin", "http://127.0.0.1:8000"))
            .body(form(&[
                ("csrf_token", &token),
                ("customer_number", "9001"),
                ("amount", "10"),
                ("received_on", "2026-11-10"),
                ("method", "cash"),
            ]))
            .dispatch();
        assert_eq!(response.status(), Status::Forbidden, "{path}");
    }
    assert_eq!(active_payments(&app), 0);
    // Not signed in: no page either.
    let anonymous = app.another_browser();
    assert_ne!(
        anonymous.get("/staff/platnosci").dispatch().status(),
        Status::Ok
    );
}

fn the_cli_previews_with_dry_run_and_books_a_statement_once(app: TestApp) {
    let (app, f) = fixture(app);
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/statement_2026-11-19.mt940"
    );
    let (ok, out) = ebok_cli(&app, &["payments", "import", file, "--dry-run"]);
    assert!(ok, "{out}");
    assert!(out.contains("Dry run: nothing was booked."), "{out}");
    assert!(out.contains("invoice_number"), "{out}");
    assert!(
        out.contains(
            "3 matched (280,00 zł), 1 unmatched (45,00 zł), 0 possible duplicates held (0,00 zł), 1 already imported, 1 debits."
        ),
        "{out}"
    );
    assert_eq!(active_payments(&app), 0);

    let (ok, out) = ebok_cli(&app, &["payments", "import", file, "--format", "mt940"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("Booked 3 payments (280,00 zł); 1 to assign by hand (45,00 zł)"),
        "{out}"
    );
    assert_eq!(active_payments(&app), 3);
    assert_eq!(paid(&app, f.inv3), 8_000);

    let (ok, out) = ebok_cli(&app, &["payments", "import", file]);
    assert!(ok, "{out}");
    assert!(out.contains("Booked 0 payments"), "{out}");
    assert_eq!(active_payments(&app), 3);

    let empty = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/empty.csv");
    let (ok, out) = ebok_cli(&app, &["payments", "import", empty]);
    assert!(!ok);
    assert!(out.contains("the file is empty"), "{out}");
}

fn a_reversed_import_goes_back_to_the_queue_and_can_be_booked_for_the_right_customer(app: TestApp) {
    let (app, f) = fixture(app);
    let billing = staff(&app, "ksiegowosc");
    import_and_commit(&app, &billing, "wyciag.sta", MT940);
    // The 100 zł naming TP/2026/0003 was really 9003's money (a parent paying for a child).
    let (payment, transaction): (i64, i64) = bank_transactions::table
        .filter(bank_transactions::bank_reference.eq("BR002"))
        .filter(bank_transactions::payment_id.is_not_null())
        .select((
            bank_transactions::payment_id.assume_not_null(),
            bank_transactions::id,
        ))
        .first(&mut *app.conn())
        .unwrap();
    let page = format!("/staff/platnosci/klient/{}", f.c2);
    let reversed = post(
        &billing,
        &page,
        &format!("/staff/platnosci/wplaty/{payment}/cofnij"),
        &[("reason", "Wpłata za innego klienta")],
    );
    assert_eq!(reversed.status(), Status::SeeOther);
    assert_eq!(paid(&app, f.inv3), 0);
    assert_eq!(balance(&app, f.c2), (8_000, 0));
    let status: String = bank_transactions::table
        .find(transaction)
        .select(bank_transactions::status)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(status, "unmatched", "back in the review queue");

    let assigned = post(
        &billing,
        "/staff/platnosci/do-przypisania",
        &format!("/staff/platnosci/do-przypisania/{transaction}"),
        &[("customer_number", "9003")],
    );
    assert_eq!(assigned.status(), Status::SeeOther);
    // 9003 owed 20 zł of 50: paid, 80 zł credit.
    assert_eq!(paid(&app, f.inv4), 5_000);
    assert_eq!(balance(&app, f.c3), (-8_000, 8_000));
    // The reversed payment stays in 9002's history.
    let history = page_text(&billing.get(page).dispatch().into_string().unwrap());
    assert!(history.contains("Wpłata za innego klienta"), "{history}");
    // Importing the statement again still books nothing.
    let before = active_payments(&app);
    import_and_commit(&app, &billing, "wyciag.sta", MT940);
    assert_eq!(active_payments(&app), before);
}
