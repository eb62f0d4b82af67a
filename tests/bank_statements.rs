//! Bank statements as Polish banks really write them (issue 15), on every backend: golden files
//! of each format and bank read into the expected transactions and book their credits exactly
//! once; the SWIFT envelope with a EUR account, "300,", PKO BP's fillers and split titles, payer
//! names from ~32/~33 and a second :86:, mBank's ID IPH, repeated payer references, possible
//! duplicates held for staff, ISO-8859-2, spreadsheet CSVs; previews that name payers and
//! customers.

mod common;

use ebok::domain::CustomerId;
use std::path::{Path, PathBuf};

use common::bank::{Fixture, active_payments, ebok_cli, fixture, paid, staff, upload};
use common::{TestApp, count, page_text, post};
use diesel::prelude::*;
use ebok::app::audit::Actor;
use ebok::app::bank_import::{self, CommitSummary, Upload};
use ebok::app::clock;
use ebok::db::schema::{bank_transactions, payments};
use rocket::http::Status;
use rocket::local::blocking::Client;

backend_tests!(
    every_golden_statement_books_its_credits_once,
    an_mbank_swift_file_books_the_pln_account_and_reports_the_eur_one,
    pko_fillers_and_a_split_invoice_number_still_match,
    the_payer_comes_from_32_33_and_a_second_86_line_is_kept,
    a_repeated_payer_reference_never_swallows_a_credit,
    a_possible_duplicate_is_held_until_staff_book_it_anyway,
    an_iso_8859_2_file_keeps_its_polish_letters,
    spreadsheet_quirks_are_accepted_and_broken_cells_are_named,
    the_preview_names_payers_and_matched_customers,
);

/// What a person sees on the page at `path`.
fn seen(client: &Client, path: impl Into<String>) -> String {
    let path: String = path.into();
    page_text(
        &client
            .get(path)
            .dispatch()
            .into_string()
            .unwrap_or_default(),
    )
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/banks")
}

fn golden(name: &str) -> Vec<u8> {
    std::fs::read(golden_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The golden files with what each must read into.
struct Expected {
    file: String,
    meta: Vec<(String, String)>,
    /// line, date, grosze, payer, account_to, bank reference, title
    rows: Vec<[String; 7]>,
}

fn expectations() -> Vec<Expected> {
    let mut all: Vec<Expected> = std::fs::read_dir(golden_dir())
        .unwrap()
        .filter_map(|entry| {
            let path = entry.unwrap().path();
            let file = path
                .file_name()?
                .to_str()?
                .strip_suffix(".expected")?
                .to_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let mut meta = Vec::new();
            let mut rows = Vec::new();
            for line in text.lines() {
                if let Some(pair) = line.strip_prefix("# ") {
                    let (k, v) = pair.split_once(": ").unwrap();
                    meta.push((k.to_owned(), v.to_owned()));
                } else {
                    let cells: Vec<String> = line.split('\t').map(str::to_owned).collect();
                    rows.push(cells.try_into().expect("seven cells"));
                }
            }
            Some(Expected { file, meta, rows })
        })
        .collect();
    all.sort_by(|a, b| a.file.cmp(&b.file));
    all
}

fn dash(value: Option<&str>) -> String {
    value.unwrap_or("-").to_owned()
}

#[test]
fn golden_statements_read_into_the_expected_transactions() {
    let all = expectations();
    assert!(all.len() >= 12, "every format and bank has a golden file");
    for expected in all {
        let bytes = golden(&expected.file);
        let read = bank_import::read(&Upload {
            file_name: &expected.file,
            bytes: &bytes,
            format: None,
            encoding: None,
        })
        .unwrap_or_else(|e| panic!("{}: {e}", expected.file));
        let meta = |key: &str| {
            expected
                .meta
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        let f = &expected.file;
        assert_eq!(Some(read.format.as_str()), meta("format"), "{f}");
        assert_eq!(Some(read.encoding.as_str()), meta("encoding"), "{f}");
        assert_eq!(read.statement.layout, meta("layout"), "{f}");
        let skipped: Vec<String> = read
            .statement
            .skipped
            .iter()
            .map(|s| format!("{} {}", s.currency, s.transactions))
            .collect();
        assert_eq!(skipped.first().map(String::as_str), meta("skipped"), "{f}");
        let got: Vec<[String; 7]> = read
            .statement
            .lines
            .iter()
            .map(|l| {
                [
                    l.line_no.to_string(),
                    l.booked_on.to_string(),
                    l.amount.grosze().to_string(),
                    dash(l.payer_name.as_deref()),
                    dash(l.account_to.as_deref()),
                    dash(l.bank_reference.as_deref()),
                    l.title.clone(),
                ]
            })
            .collect();
        assert_eq!(got, expected.rows, "{f}");
    }
}

fn import(app: &TestApp, name: &str, bytes: &[u8]) -> CommitSummary {
    let mut conn = app.conn();
    let actor = Actor::default();
    let now = clock::now();
    let upload = Upload {
        file_name: name,
        bytes,
        format: None,
        encoding: None,
    };
    let batch = bank_import::preview(&mut conn, &upload, &actor, now)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    bank_import::commit(&mut conn, batch, &actor, now).unwrap()
}

fn every_golden_statement_books_its_credits_once(app: TestApp) {
    let (app, _f) = fixture(app);
    for expected in expectations() {
        let f = &expected.file;
        let credits: Vec<i64> = expected
            .rows
            .iter()
            .map(|r| r[2].parse::<i64>().unwrap())
            .filter(|g| *g > 0)
            .collect();
        let first = import(&app, f, &golden(f));
        assert_eq!(
            first.booked + first.unmatched,
            credits.len(),
            "{f}: {first:?}"
        );
        assert_eq!(
            first.booked_amount + first.unmatched_amount,
            credits.iter().sum::<i64>(),
            "{f}"
        );
        assert_eq!((first.held, first.duplicates), (0, 0), "{f}");
        let before = active_payments(&app);
        let again = import(&app, f, &golden(f));
        assert_eq!(
            (again.booked, again.unmatched, again.held),
            (0, 0, 0),
            "{f} imported twice books nothing new: {again:?}"
        );
        assert_eq!(again.duplicates, expected.rows.len(), "{f}");
        assert_eq!(active_payments(&app), before, "{f}");
    }
}

/// The import reason and payer stored with each import payment, by customer.
fn import_payments(app: &TestApp) -> Vec<(CustomerId, i64, Option<String>, Option<String>)> {
    payments::table
        .filter(payments::source.eq("import"))
        .filter(payments::reversed_at.is_null())
        .order((payments::customer_id, payments::id))
        .select((
            payments::customer_id,
            payments::amount,
            payments::match_reason,
            payments::payer_name,
        ))
        .load(&mut *app.conn())
        .unwrap()
}

/// Issue 15, points 1, 2 and 4 (mBank): SOH/ETX/SUB envelope, a EUR statement in the same file,
/// "300,", the individual account given as "ID IPH:".
fn an_mbank_swift_file_books_the_pln_account_and_reports_the_eur_one(app: TestApp) {
    let (app, f) = fixture(app);
    let billing = staff(&app, "ksiegowosc");
    let (status, location, text) = upload(&billing, "mbank.sta", &golden("mbank_swift.sta"), "");
    assert_eq!(status, Status::SeeOther, "{text}");
    let preview = seen(&billing, location.clone());
    assert!(
        preview.contains(
            "Pominięto rachunek /PL61109010140000071219812874 w walucie EUR (operacje: 2, od wiersza 14)"
        ),
        "{preview}"
    );
    let committed = post(&billing, &location, &format!("{location}/zatwierdz"), &[]);
    assert_eq!(committed.status(), Status::SeeOther);
    assert_eq!(
        import_payments(&app),
        vec![
            (
                f.c1,
                30_000,
                Some("account".into()),
                Some("JAN KOWALSKI".into())
            ),
            (
                f.c2,
                8_000,
                Some("invoice_number".into()),
                Some("ANNA ŻAK-WIŚNIEWSKA".into())
            ),
        ]
    );
    assert_eq!(paid(&app, f.inv1) + paid(&app, f.inv2), 20_000);
}

/// Issue 15, point 3: PKO BP's 0xFF fillers and TP/2026/0004 split across ~20/~21.
fn pko_fillers_and_a_split_invoice_number_still_match(app: TestApp) {
    let (app, f) = fixture(app);
    import(&app, "pko.sta", &golden("pko_bp.sta"));
    let (title, reason): (String, Option<String>) = bank_transactions::table
        .filter(bank_transactions::line_no.eq(5))
        .filter(bank_transactions::amount.eq(5_000))
        .select((bank_transactions::title, bank_transactions::match_reason))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(title, "Zapłata TP/2026/0004");
    assert_eq!(reason.as_deref(), Some("invoice_number"));
    assert_eq!(paid(&app, f.inv4), 5_000);
}

/// Issue 15, point 4: the payer in ~32/~33, and a second :86: line that names the customer.
fn the_payer_comes_from_32_33_and_a_second_86_line_is_kept(app: TestApp) {
    let (app, f) = fixture(app);
    import(&app, "pko.sta", &golden("pko_bp.sta"));
    let payments = import_payments(&app);
    assert!(
        payments.contains(&(
            f.c2,
            4_500,
            Some("customer_number".into()),
            Some("ANNA ŻAK".into())
        )),
        "{payments:?}"
    );
    assert!(
        payments.contains(&(
            f.c3,
            5_000,
            Some("invoice_number".into()),
            Some("ZOFIA ŹDŹBŁO".into())
        )),
        "{payments:?}"
    );
}

/// A one-transaction statement to customer 9001's individual account with the payer's own
/// reference and no bank reference, as some banks write them.
fn monthly_transfer(statement: &str, yymmdd: &str) -> Vec<u8> {
    format!(
        ":20:{statement}\r\n:25:/PL07102010260000001234567890\r\n:28C:1/1\r\n:60F:C{yymmdd}PLN0,\r\n\
:61:{yymmdd}C60,00N240ABON-KOWALSKI\r\n58 1020 1026 7777 0000 0000 9001\r\n\
:86:240~20Abonament internet~32JAN KOWALSKI\r\n:62F:C{yymmdd}PLN60,00\r\n-\r\n"
    )
    .into_bytes()
}

/// Issue 15, point 5: the same payer reference on 1 and 15 December is two payments.
fn a_repeated_payer_reference_never_swallows_a_credit(app: TestApp) {
    let (app, f) = fixture(app);
    let first = import(&app, "2026-12-01.sta", &monthly_transfer("S1", "261201"));
    let second = import(&app, "2026-12-15.sta", &monthly_transfer("S2", "261215"));
    assert_eq!((first.booked, second.booked), (1, 1), "{second:?}");
    assert_eq!(second.duplicates, 0);
    assert_eq!(paid(&app, f.inv1) + paid(&app, f.inv2), 12_000);
}

/// Issue 15, point 5: a line alike in everything but without a bank reference, in another
/// file, is held for staff (never dropped, never booked by itself), and booked with one click.
fn a_possible_duplicate_is_held_until_staff_book_it_anyway(app: TestApp) {
    let (app, f) = fixture(app);
    import(&app, "2026-12-01.sta", &monthly_transfer("S1", "261201"));
    let billing = staff(&app, "ksiegowosc");
    // The month's statement repeats the 1 December line.
    let (status, location, _) = upload(
        &billing,
        "grudzien.sta",
        &monthly_transfer("MONTH", "261201"),
        "",
    );
    assert_eq!(status, Status::SeeOther);
    let preview = seen(&billing, location.clone());
    assert!(
        preview.contains("możliwy duplikat, wstrzymana"),
        "{preview}"
    );
    post(&billing, &location, &format!("{location}/zatwierdz"), &[]);
    assert_eq!(active_payments(&app), 1, "held, not booked");
    let overview = seen(&billing, "/staff/platnosci");
    assert!(
        overview.contains("1 możliwy duplikat wstrzymany (60,00 zł)"),
        "{overview}"
    );

    let queue = seen(&billing, "/staff/platnosci/do-przypisania");
    assert!(queue.contains("Możliwe duplikaty"), "{queue}");
    assert!(queue.contains("9001 Jan Kowalski"), "{queue}");
    let held: i64 = bank_transactions::table
        .filter(bank_transactions::status.eq("held"))
        .select(bank_transactions::id)
        .first(&mut *app.conn())
        .unwrap();
    let action = format!("/staff/platnosci/do-przypisania/{held}/zaksieguj");
    // Support staff cannot book it, even with a valid form.
    let support = staff(&app, "serwis");
    let refused = post(&support, "/staff", &action, &[]);
    assert_eq!(refused.status(), Status::Forbidden);
    assert_eq!(active_payments(&app), 1);
    let booked = post(&billing, "/staff/platnosci/do-przypisania", &action, &[]);
    assert_eq!(booked.status(), Status::SeeOther);
    assert_eq!(active_payments(&app), 2, "booked anyway");
    assert_eq!(paid(&app, f.inv1), 10_000);
    assert_eq!(paid(&app, f.inv2), 2_000);
    // A second click books nothing more, and says so.
    post(&billing, "/staff/platnosci/do-przypisania", &action, &[]);
    let queue = seen(&billing, "/staff/platnosci/do-przypisania");
    assert!(queue.contains("nie jest już wstrzymana"), "{queue}");
    assert_eq!(active_payments(&app), 2);
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM audit_log WHERE action = 'bank_transaction_booked_anyway'"
        ),
        1
    );
    // The same month's file again: nothing new, nothing held twice.
    let again = import(&app, "grudzien.sta", &monthly_transfer("MONTH", "261201"));
    assert_eq!((again.booked, again.held, again.duplicates), (0, 0, 1));
}

/// Issue 15, point 6.
fn an_iso_8859_2_file_keeps_its_polish_letters(app: TestApp) {
    let (app, f) = fixture(app);
    let billing = staff(&app, "ksiegowosc");
    let bytes = golden("iso8859_2.csv");
    let (_, location, _) = upload(&billing, "iso.csv", &bytes, "");
    let preview = seen(&billing, location.clone());
    assert!(preview.contains("Źdźbło Świętosława"), "{preview}");
    assert!(preview.contains("Dopłata klient 9003 - Ąś"), "{preview}");
    assert!(preview.contains("ISO-8859-2"), "{preview}");
    post(&billing, &location, &format!("{location}/zatwierdz"), &[]);
    assert_eq!(paid(&app, f.inv4), 2_500);
}

/// Issue 15, point 7: a header ending in ";", "1.234,56", a title over two lines; and a broken
/// file says which line and column and why, storing nothing.
fn spreadsheet_quirks_are_accepted_and_broken_cells_are_named(app: TestApp) {
    let (app, f) = fixture(app);
    let billing = staff(&app, "ksiegowosc");
    let batches = |app: &TestApp| count(&mut app.conn(), "SELECT id FROM import_batches");
    let before = batches(&app);
    for (file, message) in [
        (
            &b"data;kwota;tytu\xc5\x82;\n2026-12-10;12,345;x;\n"[..],
            "Wiersz 2, kolumna 2: „12,345” nie jest kwotą.",
        ),
        (
            &b"data;kwota;tytu\xc5\x82;\n\"2026-12-10;12,00;x;\n"[..],
            "Wiersz 2, kolumna 1: cudzysłów otwarty w tym miejscu nie jest nigdzie zamknięty.",
        ),
        (
            &b"data;kwota;tytu\xc5\x82\nx;1,00;a\n\"b\nc\";2026-12-10;1,00\n"[..],
            "Wiersz 2, kolumna 1: „x” nie jest datą.",
        ),
    ] {
        let (status, _, text) = upload(&billing, "zly.csv", file, "");
        assert_eq!(status, Status::UnprocessableEntity);
        assert!(text.contains(message), "{message}: {text}");
    }
    assert_eq!(batches(&app), before, "nothing stored");

    let (_, location, _) = upload(&billing, "arkusz.csv", &golden("spreadsheet.csv"), "");
    let preview = seen(&billing, location.clone());
    assert!(preview.contains("Abonament TP/2026/0001"), "{preview}");
    assert!(preview.contains("1 234,56 zł"), "{preview}");
    post(&billing, &location, &format!("{location}/zatwierdz"), &[]);
    assert_eq!(paid(&app, f.inv1), 10_000);
}

/// The preview (panel and CLI) names who paid and who it goes to, not only numbers.
fn the_preview_names_payers_and_matched_customers(app: TestApp) {
    let (app, Fixture { .. }) = fixture(app);
    let billing = staff(&app, "ksiegowosc");
    let (_, location, _) = upload(&billing, "pekao.csv", &golden("pekao.csv"), "");
    let preview = seen(&billing, location);
    for expected in [
        "ANNA ŻAK",
        "9002 Anna Żak",
        "układ: Pekao",
        "rachunek indywidualny",
    ] {
        assert!(preview.contains(expected), "{expected}: {preview}");
    }
    let file = golden_dir().join("mbank_swift.sta");
    let (ok, out) = ebok_cli(
        &app,
        &["payments", "import", file.to_str().unwrap(), "--dry-run"],
    );
    assert!(ok, "{out}");
    for expected in [
        "9001 Jan Kowalski",
        "JAN KOWALSKI",
        "9002 Anna Żak",
        "ANNA ŻAK-WIŚNIEWSKA",
        "Skipped: account /PL61109010140000071219812874 in EUR (2 transactions, from line 14)",
        "Dry run: nothing was booked.",
    ] {
        assert!(out.contains(expected), "{expected}: {out}");
    }
    assert_eq!(active_payments(&app), 0);
}
