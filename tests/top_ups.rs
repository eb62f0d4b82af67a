//! Top-up packages on every backend: staff define them (a message per bad field), a subscriber
//! buys one through the local PayU server and gets its value as credit to the grosz (the cash
//! and the bonus as two ledger rows), later invoices spend the soonest-lapsing credit first,
//! unused value lapses after its validity and is shown (page and ledger), a duplicate
//! notification credits nothing twice, a withdrawn package or PayU down gets a clear message
//! and books nothing.

mod common;

use chrono::{Duration, NaiveDate};
use common::bank::{customer, fixture, issue, staff};
use common::payu::{Paying, http_post, last_order, set_up, wait_for_state};
use common::{TestApp, count, csrf_token, form, page_text, post};
use diesel::prelude::*;
use ebok::app::{clock, credit, invoices, top_ups};
use ebok::db::payments::NewPayment;
use ebok::db::schema::{payment_allocations, payments, top_up_packages};
use ebok::domain::CustomerId;
use ebok::payu::signature::{Algorithm, header_for};
use ebok::payu::wire::OrderNotification;
use ebok::sim::payu::{self as payu_sim, Faults};
use rocket::http::{ContentType, Header, Status};

backend_tests!(
    a_top_up_bought_at_payu_credits_its_value_to_the_grosz,
    a_later_invoice_spends_the_soonest_lapsing_credit_first,
    unused_value_lapses_after_its_validity_and_is_shown,
    staff_define_packages_and_bad_input_gets_a_message_per_field,
    a_withdrawn_package_or_payu_down_gets_a_clear_message_and_books_nothing,
);

/// A package on sale, added straight to the database: (id).
fn package(app: &TestApp, name: &str, price: i64, value: i64, days: i32) -> i64 {
    let now = clock::now();
    ebok::db::top_ups::insert_package(
        &mut app.conn(),
        &ebok::db::top_ups::NewTopUpPackage {
            name: name.into(),
            price,
            value,
            validity_days: days,
            active: true,
            created_at: now,
            updated_at: now,
        },
    )
    .unwrap()
}

/// Clicks "Kup" for `package_id` on `/doladowania`; the answer's Location.
fn buy(p: &Paying, package_id: i64) -> String {
    let html = p.app.get("/doladowania").into_string().unwrap();
    assert!(
        html.contains(&format!("/doladowania/{package_id}/kup")),
        "the package is offered"
    );
    let token = csrf_token(&p.app.client, "/doladowania");
    let response = p
        .app
        .client
        .post(format!("/doladowania/{package_id}/kup"))
        .header(ContentType::Form)
        .header(Header::new("Origin", "http://127.0.0.1:8000"))
        .body(form(&[("csrf_token", &token)]))
        .dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    response.headers().get_one("Location").unwrap().to_owned()
}

/// (owed, credit) as the balance shows them.
fn standing(p: &Paying) -> (i64, i64) {
    let ledger = invoices::ledger(&mut p.app.conn(), p.customer_id, None, None).unwrap();
    (ledger.owed, ledger.credit)
}

/// Amounts of the ledger rows a PayU order booked: (cash, bonus).
fn booked(p: &Paying, payu_id: &str) -> (Option<i64>, Option<i64>) {
    let find = |reference: String| {
        payments::table
            .filter(payments::bank_reference.eq(reference))
            .select(payments::amount)
            .first::<i64>(&mut *p.app.conn())
            .optional()
            .unwrap()
    };
    (
        find(format!("payu:{payu_id}")),
        find(format!("payu:{payu_id}:premia")),
    )
}

fn a_top_up_bought_at_payu_credits_its_value_to_the_grosz(app: TestApp) {
    let (app, _) = fixture(app);
    let p = set_up(app, Faults::default());
    let id = package(&p.app, "Pakiet testowy", 18_101, 23_433, 180);
    let (owed_before, credit_before) = standing(&p);

    let pay_page = buy(&p, id);
    assert!(pay_page.starts_with(&p.payu.base_url), "sent to PayU");
    let (order, state, payu_id) = last_order(&p.app).unwrap();
    assert_eq!(state, "new");
    let payu_id = payu_id.unwrap();
    assert_eq!(p.payu.order(&payu_id).unwrap().total_amount, "18101");

    // A second click within minutes finds the same order.
    assert_eq!(buy(&p, id), pay_page, "a double click places one order");
    assert_eq!(last_order(&p.app).unwrap().0, order);

    // The package's price changes after the order: the order keeps what it was sold for.
    diesel::update(top_up_packages::table.find(id))
        .set(top_up_packages::value.eq(1_000_000))
        .execute(&mut *p.app.conn())
        .unwrap();

    let (status, _) = http_post(&format!("{pay_page}/pay"), &[], b"");
    assert_eq!(status, 303);
    wait_for_state(&p.app, order, "completed");
    assert_eq!(booked(&p, &payu_id), (Some(18_101), Some(5_332)));

    // Exact to the grosz: what was owed fell and the credit rose by the value, together.
    let (owed_after, credit_after) = standing(&p);
    assert_eq!(
        (owed_before - owed_after) + (credit_after - credit_before),
        23_433
    );
    let page = top_ups::page(&mut p.app.conn(), p.customer_id, clock::today()).unwrap();
    let bought = &page.top_ups[0];
    assert_eq!(bought.value, 23_433);
    assert_eq!(bought.used + bought.left + bought.lapsed, 23_433);
    assert_eq!(bought.lapsed, 0);
    assert_eq!(bought.expires_on, clock::today() + Duration::days(180));

    let html = p.app.get("/doladowania").into_string().unwrap();
    assert!(html.contains("Pakiet testowy"), "{}", page_text(&html));
    let continue_page = p
        .app
        .get(&format!("/platnosci-online/{order}"))
        .into_string()
        .unwrap();
    assert!(continue_page.contains("data-state=\"completed\""));

    // PayU repeats the notification: nothing is credited twice.
    let mut info = p.payu.order(&payu_id).unwrap();
    info.status = "COMPLETED".into();
    let body = serde_json::to_vec(&OrderNotification {
        order: info,
        local_receipt_date_time: None,
        properties: Vec::new(),
    })
    .unwrap();
    let signature = header_for(&body, payu_sim::DEMO_SECOND_KEY, Algorithm::Md5);
    let status = p
        .app
        .client
        .post("/payu/powiadomienia")
        .header(ContentType::JSON)
        .header(Header::new("OpenPayu-Signature", signature))
        .body(body)
        .dispatch()
        .status();
    assert_eq!(status, Status::Ok);
    assert_eq!(
        count(
            &mut p.app.conn(),
            &format!("SELECT id FROM payments WHERE bank_reference LIKE 'payu:{payu_id}%'")
        ),
        2
    );
    assert_eq!(standing(&p), (owed_after, credit_after));
}

fn manual_payment(app: &TestApp, customer_id: CustomerId, amount: i64, on: NaiveDate) -> i64 {
    ebok::db::payments::insert(
        &mut app.conn(),
        &NewPayment {
            customer_id,
            amount,
            received_on: on,
            method: "transfer".into(),
            source: "manual".into(),
            title: None,
            payer_name: None,
            bank_reference: None,
            recorded_by_staff_id: None,
            created_at: clock::now(),
            match_reason: None,
        },
    )
    .unwrap()
}

fn allocated(app: &TestApp, payment_id: i64) -> i64 {
    payment_allocations::table
        .filter(payment_allocations::payment_id.eq(payment_id))
        .select(payment_allocations::amount)
        .load::<i64>(&mut *app.conn())
        .unwrap()
        .iter()
        .sum()
}

fn a_later_invoice_spends_the_soonest_lapsing_credit_first(app: TestApp) {
    let (app, _) = fixture(app);
    let today = clock::today();
    let who = customer(&app, 9100, "Piotr", "Nowak");
    // Older money that never lapses, then two top-ups lapsing in 30 and in 10 days.
    let transfer = manual_payment(&app, who, 5_000, today - Duration::days(20));
    let later = manual_payment(&app, who, 5_000, today - Duration::days(5));
    let sooner = manual_payment(&app, who, 5_000, today - Duration::days(1));
    ebok::db::top_ups::insert_expiring(&mut app.conn(), later, who, today + Duration::days(30))
        .unwrap();
    ebok::db::top_ups::insert_expiring(&mut app.conn(), sooner, who, today + Duration::days(10))
        .unwrap();

    let invoice = issue(&app, who, today, 7_001);
    assert_eq!(allocated(&app, sooner), 5_000, "the soonest lapsing first");
    assert_eq!(allocated(&app, later), 2_001);
    assert_eq!(allocated(&app, transfer), 0, "money that never lapses last");
    assert_eq!(common::bank::paid(&app, invoice), 7_001);
    assert_eq!(common::bank::balance(&app, who).1, 7_999);
}

fn unused_value_lapses_after_its_validity_and_is_shown(app: TestApp) {
    let (app, _) = fixture(app);
    let today = clock::today();
    let who = customer(&app, 9101, "Ewa", "Lis");
    let top_up = manual_payment(&app, who, 10_000, today);
    let last_day = today + Duration::days(30);
    ebok::db::top_ups::insert_expiring(&mut app.conn(), top_up, who, last_day).unwrap();
    let first = issue(&app, who, today, 3_333);
    assert_eq!(common::bank::paid(&app, first), 3_333);
    assert_eq!(common::bank::balance(&app, who), (-6_667, 6_667));

    // On its last day nothing lapses; the day after, the unused 66,67 zł does, once.
    let now = clock::now();
    assert_eq!(
        credit::expire_due(&mut app.conn(), last_day, now, 100).unwrap(),
        0
    );
    let after = last_day + Duration::days(1);
    assert_eq!(
        credit::expire_due(&mut app.conn(), after, now, 100).unwrap(),
        1
    );
    assert_eq!(
        credit::expire_due(&mut app.conn(), after, now, 100).unwrap(),
        0
    );
    let ledger = invoices::ledger(&mut app.conn(), who, None, None).unwrap();
    assert_eq!(ledger.credit, 0, "lapsed value is no longer credit");
    assert_eq!(
        ledger.balance, 0,
        "invoice 33,33 − paid 100,00 + lapsed 66,67"
    );
    let lapse = ledger
        .entries
        .iter()
        .find(|e| e.kind == "lapse")
        .expect("the lapse is in the ledger");
    assert_eq!((lapse.charge, lapse.date), (6_667, after));

    // A later invoice is not paid by lapsed value, even when everything is laid out afresh.
    let second = issue(&app, who, today, 2_000);
    assert_eq!(common::bank::paid(&app, second), 0);
    assert_eq!(
        common::bank::paid(&app, first),
        3_333,
        "what it paid stays paid"
    );
    assert_eq!(allocated(&app, top_up), 3_333);
}

fn staff_define_packages_and_bad_input_gets_a_message_per_field(app: TestApp) {
    let app = app.with_demo(0);
    let admin = staff(&app, "admin");
    let page = admin
        .get("/staff/doladowania")
        .dispatch()
        .into_string()
        .unwrap();
    assert!(
        page.contains("Pakiet półroczny"),
        "the demo packages are listed"
    );
    let response = post(
        &admin,
        "/staff/doladowania",
        "/staff/doladowania",
        &[
            ("name", ""),
            ("price", "100,00"),
            ("value", "99,99"),
            ("validity_days", "0"),
        ],
    );
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let html = response.into_string().unwrap();
    let text = page_text(&html);
    assert!(text.contains("Podaj nazwę pakietu"), "{text}");
    assert!(text.contains("nie może być niższa niż cena"), "{text}");
    assert!(text.contains("od 1 do 3660"), "{text}");
    assert!(
        html.contains("value=\"100,00\""),
        "the form keeps what was typed"
    );
    let packages_before = count(&mut app.conn(), "SELECT id FROM top_up_packages");

    let response = post(
        &admin,
        "/staff/doladowania",
        "/staff/doladowania",
        &[
            ("name", "Pakiet roczny"),
            ("price", "1 000,00"),
            ("value", "1234,56"),
            ("validity_days", "365"),
        ],
    );
    assert_eq!(response.status(), Status::SeeOther);
    let (price, value, days, active): (i64, i64, i32, bool) = top_up_packages::table
        .filter(top_up_packages::name.eq("Pakiet roczny"))
        .select((
            top_up_packages::price,
            top_up_packages::value,
            top_up_packages::validity_days,
            top_up_packages::active,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!((price, value, days, active), (100_000, 123_456, 365, true));
    assert_eq!(
        count(&mut app.conn(), "SELECT id FROM top_up_packages"),
        packages_before + 1
    );
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM audit_log WHERE action = 'top_up_package_created'"
        ),
        1
    );

    // Support staff do not manage payments.
    let support = staff(&app, "serwis");
    assert_eq!(
        support.get("/staff/doladowania").dispatch().status(),
        Status::Forbidden
    );
}

fn a_withdrawn_package_or_payu_down_gets_a_clear_message_and_books_nothing(app: TestApp) {
    let (app, _) = fixture(app);
    let p = set_up(app, Faults::default());
    let id = package(&p.app, "Pakiet znikający", 5_000, 6_000, 30);
    let token = csrf_token(&p.app.client, "/doladowania");
    diesel::update(top_up_packages::table.find(id))
        .set(top_up_packages::active.eq(false))
        .execute(&mut *p.app.conn())
        .unwrap();
    let orders_before = last_order(&p.app).map(|o| o.0);
    let response = p
        .app
        .client
        .post(format!("/doladowania/{id}/kup"))
        .header(ContentType::Form)
        .header(Header::new("Origin", "http://127.0.0.1:8000"))
        .body(form(&[("csrf_token", &token)]))
        .dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(response.headers().get_one("Location"), Some("/doladowania"));
    let text = page_text(&p.app.get("/doladowania").into_string().unwrap());
    assert!(text.contains("nie ma już w sprzedaży"), "{text}");
    assert_eq!(last_order(&p.app).map(|o| o.0), orders_before, "no order");

    // An unknown package says the same.
    let token = csrf_token(&p.app.client, "/doladowania");
    let response = p
        .app
        .client
        .post("/doladowania/999999/kup")
        .header(ContentType::Form)
        .header(Header::new("Origin", "http://127.0.0.1:8000"))
        .body(form(&[("csrf_token", &token)]))
        .dispatch();
    assert_eq!(response.status(), Status::SeeOther);

    // PayU down: a clear message, the order closed as not placed, nothing credited.
    let on_sale = package(&p.app, "Pakiet 2", 5_000, 6_000, 30);
    p.payu.set_faults(Faults {
        down: true,
        ..Faults::default()
    });
    let token = csrf_token(&p.app.client, "/doladowania");
    let response = p
        .app
        .client
        .post(format!("/doladowania/{on_sale}/kup"))
        .header(ContentType::Form)
        .header(Header::new("Origin", "http://127.0.0.1:8000"))
        .body(form(&[("csrf_token", &token)]))
        .dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    let text = page_text(&p.app.get("/doladowania").into_string().unwrap());
    assert!(text.contains("Nie udało się połączyć z PayU"), "{text}");
    let (_, state, _) = last_order(&p.app).unwrap();
    assert_eq!(state, "canceled");
    assert_eq!(
        count(
            &mut p.app.conn(),
            "SELECT id FROM top_ups WHERE payment_id IS NOT NULL"
        ),
        0
    );
}
