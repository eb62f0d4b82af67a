//! The staff page of online payments on every backend: orders with their PayU state, flagged
//! ones at the top until staff record what they found (a message when they write nothing,
//! once only, audited), and only for staff who manage payments.

mod common;

use common::bank::{fixture, staff};
use common::{TestApp, count, page_text, post};
use diesel::prelude::*;
use ebok::app::clock;
use ebok::db::online_payments::NewOnlinePayment;
use ebok::db::schema::online_payments;
use ebok::domain::CustomerId;
use ebok::domain::online_payment::OrderState;
use rocket::http::Status;

backend_tests!(flagged_orders_wait_for_staff_until_resolved_once);

fn order(app: &TestApp, customer_id: CustomerId, ext: &str, state: OrderState, total: i64) -> i64 {
    let now = clock::now();
    ebok::db::online_payments::insert(
        &mut app.conn(),
        &NewOnlinePayment {
            customer_id,
            account_id: None,
            ext_order_id: ext.into(),
            purpose: ebok::domain::online_payment::PaymentPurpose::TopUp,
            description: format!("Zamówienie {ext}"),
            total_amount: total,
            currency: "PLN".into(),
            state,
            notify_email: "jan@example.com".into(),
            language: "pl".into(),
            created_at: now,
            expires_at: now,
            updated_at: now,
        },
        &[],
    )
    .unwrap()
}

fn flagged_orders_wait_for_staff_until_resolved_once(app: TestApp) {
    let (app, f) = fixture(app);
    let paid = order(&app, f.c1, "9001-paid", OrderState::Completed, 12_345);
    let odd = order(&app, f.c2, "9002-odd", OrderState::New, 5_000);
    ebok::db::online_payments::flag(
        &mut app.conn(),
        odd,
        "PayU zgłosiło kwotę 40,00 PLN zamiast 50,00 PLN",
        clock::now(),
    )
    .unwrap();

    let billing = staff(&app, "ksiegowosc");
    let page = billing
        .get("/staff/platnosci-online")
        .dispatch()
        .into_string()
        .unwrap();
    let text = page_text(&page);
    assert!(text.contains("Do wyjaśnienia"), "{text}");
    assert!(text.contains("zamiast 50,00 PLN"), "{text}");
    assert!(text.contains("123,45"), "every order is listed: {text}");
    assert!(page.contains(&format!("data-order=\"{paid}\" data-state=\"completed\"")));

    // Nothing written: a message, and the order still waits.
    let action = format!("/staff/platnosci-online/{odd}/wyjasnione");
    let empty = post(
        &billing,
        "/staff/platnosci-online",
        &action,
        &[("resolution", "  ")],
    );
    assert_eq!(empty.status(), Status::SeeOther);
    let text = page_text(
        &billing
            .get("/staff/platnosci-online")
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(text.contains("Wpisz, co ustalono"), "{text}");

    let done = post(
        &billing,
        "/staff/platnosci-online",
        &action,
        &[(
            "resolution",
            "Klient dopłacił przelewem, zaksięgowane ręcznie",
        )],
    );
    assert_eq!(done.status(), Status::SeeOther);
    let (resolved_at, resolution): (Option<chrono::NaiveDateTime>, Option<String>) =
        online_payments::table
            .find(odd)
            .select((
                online_payments::flag_resolved_at,
                online_payments::flag_resolution,
            ))
            .first(&mut *app.conn())
            .unwrap();
    assert!(resolved_at.is_some());
    assert_eq!(
        resolution.as_deref(),
        Some("Klient dopłacił przelewem, zaksięgowane ręcznie")
    );
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM audit_log WHERE action = 'online_payment_flag_resolved'"
        ),
        1
    );
    let page = billing
        .get("/staff/platnosci-online")
        .dispatch()
        .into_string()
        .unwrap();
    assert!(
        !page.contains(&format!("data-order=\"{odd}\">")),
        "no longer waits among the flagged"
    );
    assert!(page_text(&page).contains("wyjaśnione: Klient dopłacił"));

    // A second resolution (another tab) changes nothing and says why.
    post(
        &billing,
        "/staff/platnosci-online",
        &action,
        &[("resolution", "raz jeszcze")],
    );
    let text = page_text(
        &billing
            .get("/staff/platnosci-online")
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(text.contains("ktoś już je wyjaśnił"), "{text}");
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM audit_log WHERE action = 'online_payment_flag_resolved'"
        ),
        1
    );

    // Support staff do not manage payments.
    let support = staff(&app, "serwis");
    assert_eq!(
        support.get("/staff/platnosci-online").dispatch().status(),
        Status::Forbidden
    );
    let refused = post(&support, "/staff", &action, &[("resolution", "x")]);
    assert_eq!(refused.status(), Status::Forbidden);
}
