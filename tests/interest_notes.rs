//! Interest notes ("nota odsetkowa"): an invoice paid late is listed for billing staff with the
//! statutory interest it earned, staff issue one numbered note for it (once), its stored PDF is
//! checked by `ebok verify`, the subscriber sees it on /saldo and downloads it, and a payment
//! pays it after the invoices; a reversal gives it back.

mod common;

use common::bank::{date, fixture, pay_by_transfer, staff};
use common::{TestApp, count, log_in, page_text, post, scalar_i64};
use ebok::app::payments::reverse_payment;
use ebok::app::{clock, interest_notes, receivables};
use ebok::domain::Money;
use rocket::http::Status;

backend_tests!(
    a_late_payment_is_billed_once_on_a_numbered_note_that_the_subscriber_sees_and_pays,
    an_invoice_paid_in_time_or_not_yet_paid_gets_no_note,
    a_business_note_adds_the_eur_compensation_at_the_nbp_rate_and_admins_edit_the_rates,
);

const PAGE: &str = "/staff/windykacja/noty";

fn a_late_payment_is_billed_once_on_a_numbered_note_that_the_subscriber_sees_and_pays(
    app: TestApp,
) {
    let (app, f) = fixture(app);
    // TP/2026/0001: 100 zł due Thu 15 Oct 2026, paid 1 Dec: 47 days (16 Oct – 1 Dec) at
    // 9,25 % = 1,1911 → 1,19 zł.
    pay_by_transfer(&app, f.c1, 10_000, date(2026, 12, 1));
    let billing = staff(&app, "ksiegowosc");
    let listed = page_text(&billing.get(PAGE).dispatch().into_string().unwrap());
    assert!(listed.contains("TP/2026/0001"), "{listed}");
    assert!(listed.contains("1,19 zł"), "{listed}");
    assert!(
        !listed.contains("TP/2026/0002"),
        "unpaid: not on a note: {listed}"
    );

    let issued = post(&billing, PAGE, PAGE, &[("customer_number", "9001")]);
    assert_eq!(issued.status(), Status::SeeOther);
    let year = clock::today().format("%Y").to_string();
    let number = format!("NO/{year}/00001");
    let note_id = scalar_i64(&app, "SELECT id AS v FROM interest_notes");
    let notes = interest_notes::of_customer(&mut app.conn(), f.c1).unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].note.number, number);
    assert_eq!(notes[0].total, Money::from_grosze(119));
    assert_eq!(notes[0].outstanding, Money::from_grosze(119));
    assert_eq!(
        scalar_i64(&app, "SELECT days AS v FROM interest_note_items"),
        47
    );
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM audit_log WHERE action = 'interest_note_issued'"
        ),
        1
    );

    // The invoice is billed once: a second "issue" is refused with a message, no number used.
    let again = post(&billing, PAGE, PAGE, &[("customer_number", "9001")]);
    assert_eq!(again.status(), Status::UnprocessableEntity);
    let text = page_text(&again.into_string().unwrap());
    assert!(
        text.contains("nie ma faktur zapłaconych po terminie"),
        "{text}"
    );
    assert_eq!(
        scalar_i64(&app, "SELECT last_seq AS v FROM interest_note_counters"),
        1
    );
    let listed = page_text(&billing.get(PAGE).dispatch().into_string().unwrap());
    assert!(listed.contains(&number), "{listed}");

    // The stored PDF, as staff download it.
    let pdf = billing.get(format!("{PAGE}/{}/{note_id}", f.c1)).dispatch();
    assert_eq!(pdf.status(), Status::Ok);
    let bytes = pdf.into_bytes().unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    if let Some(text) = common::documents::pdf_text(&bytes) {
        assert!(text.contains("Nota odsetkowa"), "{text}");
        assert!(text.contains("TP/2026/0001"), "{text}");
    }

    // The subscriber (the demo login, moved onto customer 9001) sees it and downloads it;
    // another customer's note id is not found.
    diesel::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "UPDATE accounts SET customer_id = {} WHERE login = 'demo'",
            f.c1
        )),
        &mut *app.conn(),
    )
    .unwrap();
    log_in(
        &app.client,
        ebok::app::demo::DEMO_LOGIN,
        ebok::app::demo::DEMO_PASSWORD,
    );
    let balance = page_text(&app.get("/saldo").into_string().unwrap());
    assert!(balance.contains("Noty odsetkowe"), "{balance}");
    assert!(balance.contains(&number), "{balance}");
    let mine = app.get(&format!("/saldo/noty/{note_id}.pdf"));
    assert_eq!(mine.status(), Status::Ok);
    assert_eq!(mine.into_bytes().unwrap(), bytes);
    assert_eq!(
        app.get(&format!("/saldo/noty/{}.pdf", note_id + 1))
            .status(),
        Status::NotFound
    );

    // A payment pays the invoices first (TP/2026/0002, 100 zł), then the note; nothing is
    // left as credit.
    let payment = pay_by_transfer(&app, f.c1, 10_119, clock::today());
    let notes = interest_notes::of_customer(&mut app.conn(), f.c1).unwrap();
    assert_eq!(notes[0].outstanding, Money::zero());
    let money = receivables::of_customer(&mut app.conn(), f.c1, clock::today()).unwrap();
    assert_eq!((money.standing.owed, money.standing.credit), (0, 0));
    let balance = page_text(&app.get("/saldo").into_string().unwrap());
    assert!(balance.contains("zapłacona"), "{balance}");

    // Reversing that payment gives the note back its debt.
    reverse_payment(
        &mut app.conn(),
        payment,
        "zwrot przelewu",
        &ebok::app::audit::Actor::default(),
        clock::now(),
    )
    .unwrap();
    let notes = interest_notes::of_customer(&mut app.conn(), f.c1).unwrap();
    assert_eq!(notes[0].outstanding, Money::from_grosze(119));

    // `ebok verify` checks the note's file and its series; a changed file is a problem.
    let report = app.verify();
    assert_eq!(report.interest_notes_checked, 1);
    assert!(report.is_clean(), "{:?}", report.problems);
    let path: String = notes[0].note.pdf_path.clone();
    std::fs::write(
        app.config.paths.invoices_dir.join(&path),
        b"%PDF-1.7 forged",
    )
    .unwrap();
    let report = app.verify();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains(&format!("interest note {number}"))),
        "{:?}",
        report.problems
    );
}

fn an_invoice_paid_in_time_or_not_yet_paid_gets_no_note(app: TestApp) {
    let (app, f) = fixture(app);
    // Customer 9002's TP/2026/0003 (due 15 Nov) paid on its due date; 9003's is unpaid.
    pay_by_transfer(&app, f.c2, 8_000, date(2026, 11, 15));
    assert!(
        interest_notes::pending(&mut app.conn())
            .unwrap()
            .iter()
            .all(|p| p.customer_number != 9002 && p.customer_number != 9003)
    );
    let billing = staff(&app, "ksiegowosc");
    for number in ["9002", "9003", "nie-numer", "123456789"] {
        let refused = post(&billing, PAGE, PAGE, &[("customer_number", number)]);
        assert_eq!(refused.status(), Status::UnprocessableEntity, "{number}");
    }
    assert_eq!(count(&mut app.conn(), "SELECT id FROM interest_notes"), 0);
}

fn a_business_note_adds_the_eur_compensation_at_the_nbp_rate_and_admins_edit_the_rates(
    app: TestApp,
) {
    let (app, _f) = fixture(app);
    let now = clock::now();
    let company = ebok::db::customers::insert(
        &mut app.conn(),
        &ebok::db::customers::NewCustomer {
            customer_number: 9100,
            kind: ebok::domain::CustomerKind::Company,
            first_name: None,
            last_name: None,
            company_name: Some("Hurtownia Łąka sp. z o.o.".into()),
            pesel_hash: None,
            pesel_last4: None,
            nip: Some("1234563218".into()),
            address_line: "ul. Polna 1".into(),
            postal_code: "90-001".into(),
            city: "Łódź".into(),
            country_code: "PL".into(),
            correspondence_address_line: None,
            correspondence_postal_code: None,
            correspondence_city: None,
            email: "biuro@laka.example.com".into(),
            phone: None,
            language: "pl".into(),
            nrb: ebok::domain::Nrb::for_customer("102010267777", 9100)
                .unwrap()
                .as_str()
                .into(),
            created_at: now,
            updated_at: now,
        },
    )
    .unwrap();
    // 100 zł net (123 zł gross: a business's prices are net) due 15 Oct 2026, paid 1 Dec: 47 days
    // at 13,75 % = 2,1778 → 2,18 zł; 40 EUR at the (demo) rate of Wed 30 Sep 2026, 4,2345 =
    // 169,38 zł.
    let invoice = common::bank::issue(&app, company, date(2026, 10, 1), 10_000);
    let gross = scalar_i64(
        &app,
        &format!("SELECT total_gross AS v FROM invoices WHERE id = {invoice}"),
    );
    assert_eq!(gross, 12_300);
    pay_by_transfer(&app, company, gross, date(2026, 12, 1));
    let pending = interest_notes::pending_of_customer(&mut app.conn(), company)
        .unwrap()
        .unwrap();
    assert!(pending.business);
    assert_eq!(pending.interest, Money::from_grosze(218));
    assert_eq!(pending.invoices[0].compensation_eur, 40);
    assert_eq!(pending.invoices[0].eur_rate_on, Some(date(2026, 9, 30)));
    assert_eq!(pending.compensation, Money::from_grosze(16_938));

    // An admin corrects the rate of 30 Sep; billing staff may not.
    let billing = staff(&app, "ksiegowosc");
    let rate = [("valid_on", "2026-09-30"), ("rate", "4,2500")];
    let denied = post(&billing, PAGE, &format!("{PAGE}/kursy"), &rate);
    assert_eq!(denied.status(), Status::Forbidden);
    let admin = staff(&app, "admin");
    let bad = post(
        &admin,
        PAGE,
        &format!("{PAGE}/kursy"),
        &[("valid_on", "2026-09-30"), ("rate", "-1")],
    );
    assert_eq!(bad.status(), Status::UnprocessableEntity);
    let saved = post(&admin, PAGE, &format!("{PAGE}/kursy"), &rate);
    assert_eq!(saved.status(), Status::SeeOther);

    let issued = post(&billing, PAGE, PAGE, &[("customer_number", "9100")]);
    assert_eq!(issued.status(), Status::SeeOther);
    let notes = interest_notes::of_customer(&mut app.conn(), company).unwrap();
    // 40 × 4,25 = 170,00 zł + 2,18 zł interest.
    assert_eq!(notes[0].total, Money::from_grosze(17_218));
    assert_eq!(
        scalar_i64(
            &app,
            "SELECT compensation AS v FROM interest_note_items WHERE compensation_eur = 40"
        ),
        17_000
    );
}
