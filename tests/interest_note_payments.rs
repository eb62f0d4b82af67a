//! Paying an interest note online through the local PayU server, on every backend: the note's
//! "Zapłać online" on /saldo, PayU's order for its outstanding amount, the COMPLETED
//! notification that pays that note (not the older invoice still open, also after the ledger
//! is laid out afresh), a duplicate notification that changes nothing, a note paid by transfer
//! meanwhile (the online money stays credit), and another customer's, a paid or a garbage note
//! id refused with nothing stored.

mod common;

use common::bank::{Fixture, date, fixture, paid, pay_by_transfer, staff};
use common::payu::{self, Paying, http_post};
use common::{TestApp, count, csrf_token, form, log_in, page_text, post, scalar_i64};
use diesel::RunQueryDsl;
use ebok::app::audit::Actor;
use ebok::app::payments::reverse_payment;
use ebok::app::{clock, interest_notes, invoices};
use ebok::domain::CustomerId;
use ebok::payu::signature::{Algorithm, header_for};
use ebok::payu::wire::OrderNotification;
use ebok::sim::payu::{self as payu_sim, Faults};
use rocket::http::{ContentType, Header, Status};

backend_tests!(
    an_interest_note_paid_at_payu_pays_that_note_and_not_the_older_invoice,
    a_duplicate_notification_for_a_paid_note_changes_nothing,
    a_note_paid_by_transfer_meanwhile_leaves_the_online_money_as_credit,
    another_customers_note_a_paid_note_and_garbage_are_refused_and_store_nothing,
);

const NOTES: &str = "/staff/windykacja/noty";

/// Customer 9001 of the bank fixture paid TP/2026/0001 (100 zł, due 15 Oct) on 1 Dec and got
/// note NO/…/00001 for 1,19 zł; TP/2026/0002 (100 zł, due 15 Nov) is still open. The demo login
/// is moved onto 9001 and signed in, PayU is the local server. Returns (set-up, fixture, note id,
/// the late payment's id).
fn with_a_note(app: TestApp, faults: Faults) -> (Paying, Fixture, i64, i64) {
    let (app, f) = fixture(app);
    let late = pay_by_transfer(&app, f.c1, 10_000, date(2026, 12, 1));
    issue_note(&app, "9001");
    move_demo_login_to(&app, f.c1);
    let note_id = scalar_i64(
        &app,
        &format!(
            "SELECT id AS v FROM interest_notes WHERE customer_id = {}",
            f.c1
        ),
    );
    (payu::set_up(app, faults), f, note_id, late)
}

fn issue_note(app: &TestApp, customer_number: &str) {
    let billing = staff(app, "ksiegowosc");
    let issued = post(
        &billing,
        NOTES,
        NOTES,
        &[("customer_number", customer_number)],
    );
    assert_eq!(issued.status(), Status::SeeOther, "the note is issued");
}

fn move_demo_login_to(app: &TestApp, customer_id: CustomerId) {
    diesel::sql_query(format!(
        "UPDATE accounts SET customer_id = {customer_id} WHERE login = 'demo'"
    ))
    .execute(&mut *app.conn())
    .unwrap();
}

/// (paid, outstanding) of the note, in grosze.
fn note_state(p: &Paying, customer_id: CustomerId, note_id: i64) -> (i64, i64) {
    let note = interest_notes::of_customer(&mut p.app.conn(), customer_id)
        .unwrap()
        .into_iter()
        .find(|n| n.note.id == note_id)
        .expect("the note");
    (note.paid.grosze(), note.outstanding.grosze())
}

fn pay_action(note_id: i64) -> String {
    format!("/saldo/noty/{note_id}/zaplac-online")
}

/// Clicks the note's "Zapłać online" on /saldo; returns the response.
fn click_pay(p: &Paying, note_id: i64) -> rocket::local::blocking::LocalResponse<'_> {
    let token = csrf_token(&p.app.client, "/saldo");
    p.app
        .client
        .post(pay_action(note_id))
        .header(ContentType::Form)
        .header(Header::new("Origin", "http://127.0.0.1:8000"))
        .body(form(&[("csrf_token", &token)]))
        .dispatch()
}

/// Clicks "Zapłać online" and follows to PayU: returns PayU's payment page.
fn pay_online(p: &Paying, note_id: i64) -> String {
    let response = click_pay(p, note_id);
    assert_eq!(response.status(), Status::SeeOther);
    let location = response.headers().get_one("Location").unwrap().to_owned();
    assert!(
        location.starts_with(&p.payu.base_url),
        "sent to PayU: {location}"
    );
    location
}

fn online_payments_booked(p: &Paying) -> i64 {
    count(
        &mut p.app.conn(),
        "SELECT id FROM payments WHERE source = 'online' AND reversed_at IS NULL",
    )
}

/// Orders for interest notes (the demo has orders of its own).
fn orders_placed(p: &Paying) -> i64 {
    count(
        &mut p.app.conn(),
        "SELECT id FROM online_payments WHERE purpose = 'interest_note'",
    )
}

fn credit(p: &Paying, customer_id: CustomerId) -> i64 {
    invoices::ledger(&mut p.app.conn(), customer_id, None, None)
        .unwrap()
        .credit
}

fn an_interest_note_paid_at_payu_pays_that_note_and_not_the_older_invoice(app: TestApp) {
    let (p, f, note_id, late) = with_a_note(app, Faults::default());
    let number = format!("NO/{}/00001", clock::today().format("%Y"));
    assert_eq!(note_state(&p, f.c1, note_id), (0, 119));
    let balance = p.app.get("/saldo").into_string().unwrap();
    assert!(
        balance.contains(&pay_action(note_id)),
        "the unpaid note offers paying online: {balance}"
    );

    let pay_page = pay_online(&p, note_id);
    // A double click within the same-order window finds the order the first click placed.
    assert_eq!(pay_online(&p, note_id), pay_page);
    assert_eq!(orders_placed(&p), 1);
    let (id, state, payu_id) = payu::last_order(&p.app).expect("an order");
    assert_eq!(state, "new");
    let payu_order = p.payu.order(&payu_id.unwrap()).unwrap();
    assert_eq!(
        payu_order.total_amount, "119",
        "the note's outstanding grosze"
    );
    let description = payu_order.description.unwrap_or_default();
    assert!(description.contains(&number), "{description}");

    let (status, _) = http_post(&format!("{pay_page}/pay"), &[], b"");
    assert_eq!(status, 303, "PayU sends the buyer back");
    payu::wait_for_state(&p.app, id, "completed");
    assert_eq!(note_state(&p, f.c1, note_id), (119, 0), "the note is paid");
    assert_eq!(
        paid(&p.app, f.inv2),
        0,
        "not laid on the older open invoice"
    );
    assert_eq!(online_payments_booked(&p), 1);
    let page = p
        .app
        .get(&format!("/platnosci-online/{id}"))
        .into_string()
        .unwrap();
    assert!(page.contains("data-state=\"completed\""), "{page}");
    assert!(page_text(&page).contains(&number), "{page}");
    let balance = p.app.get("/saldo").into_string().unwrap();
    assert!(
        !balance.contains(&pay_action(note_id)),
        "a paid note offers no payment"
    );

    // Laid out afresh (the late transfer reversed: TP/2026/0001 is open again, older than
    // anything), the online money stays on the note it was paid for.
    reverse_payment(
        &mut p.app.conn(),
        late,
        "bounced",
        &Actor::default(),
        clock::now(),
    )
    .unwrap();
    assert_eq!(note_state(&p, f.c1, note_id), (119, 0));
    assert_eq!(paid(&p.app, f.inv1), 0);
}

fn a_duplicate_notification_for_a_paid_note_changes_nothing(app: TestApp) {
    let (p, f, note_id, _) = with_a_note(
        app,
        Faults {
            duplicate: true,
            ..Faults::default()
        },
    );
    let pay_page = pay_online(&p, note_id);
    let (id, _, payu_id) = payu::last_order(&p.app).unwrap();
    http_post(&format!("{pay_page}/pay"), &[], b"");
    payu::wait_for_state(&p.app, id, "completed");
    payu::wait_until("two deliveries", || p.payu.delivered().len() >= 2);

    // Once more by hand, signed as PayU signs it.
    let order = p.payu.order(&payu_id.unwrap()).unwrap();
    let body = serde_json::to_vec(&OrderNotification {
        order,
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
    assert_eq!(online_payments_booked(&p), 1, "one payment");
    assert_eq!(note_state(&p, f.c1, note_id), (119, 0), "paid once");
    assert_eq!(credit(&p, f.c1), 0, "nothing counted twice");
}

fn a_note_paid_by_transfer_meanwhile_leaves_the_online_money_as_credit(app: TestApp) {
    let (p, f, note_id, _) = with_a_note(app, Faults::default());
    let pay_page = pay_online(&p, note_id);
    let (id, _, _) = payu::last_order(&p.app).unwrap();
    // Before PayU's money comes, a transfer pays the open invoice and the note.
    pay_by_transfer(&p.app, f.c1, 10_119, clock::today());
    assert_eq!(note_state(&p, f.c1, note_id), (119, 0));

    http_post(&format!("{pay_page}/pay"), &[], b"");
    payu::wait_for_state(&p.app, id, "completed");
    assert_eq!(online_payments_booked(&p), 1);
    assert_eq!(note_state(&p, f.c1, note_id), (119, 0), "paid once");
    assert_eq!(credit(&p, f.c1), 119, "the online money is credit");
}

fn another_customers_note_a_paid_note_and_garbage_are_refused_and_store_nothing(app: TestApp) {
    let (app, f) = fixture(app);
    pay_by_transfer(&app, f.c1, 10_000, date(2026, 12, 1));
    issue_note(&app, "9001");
    // Customer 9002's TP/2026/0003 (80 zł, due 15 Nov) paid on 1 Dec: their own note.
    pay_by_transfer(&app, f.c2, 8_000, date(2026, 12, 1));
    issue_note(&app, "9002");
    move_demo_login_to(&app, f.c1);
    let note_of = |customer_id: CustomerId| {
        scalar_i64(
            &app,
            &format!("SELECT id AS v FROM interest_notes WHERE customer_id = {customer_id}"),
        )
    };
    let (mine, theirs) = (note_of(f.c1), note_of(f.c2));

    // Without PayU configured the note offers no online payment.
    log_in(
        &app.client,
        ebok::app::demo::DEMO_LOGIN,
        ebok::app::demo::DEMO_PASSWORD,
    );
    let balance = app.get("/saldo").into_string().unwrap();
    assert!(balance.contains("Noty odsetkowe"), "{balance}");
    assert!(!balance.contains(&pay_action(mine)), "{balance}");

    let p = payu::set_up(app, Faults::default());
    for (what, path) in [
        ("another customer's note", pay_action(theirs)),
        ("no such note", pay_action(theirs + 100)),
        ("not a number", "/saldo/noty/abc/zaplac-online".to_owned()),
    ] {
        let token = csrf_token(&p.app.client, "/saldo");
        let response = p
            .app
            .client
            .post(&path)
            .header(ContentType::Form)
            .header(Header::new("Origin", "http://127.0.0.1:8000"))
            .body(form(&[("csrf_token", &token)]))
            .dispatch();
        assert_eq!(response.status(), Status::NotFound, "{what}");
        let text = page_text(&response.into_string().unwrap_or_default());
        assert!(text.contains("Nie znaleziono strony"), "{what}: {text}");
    }
    assert_eq!(orders_placed(&p), 0, "nothing stored");

    // A paid note: back to /saldo with why.
    pay_by_transfer(&p.app, f.c1, 10_119, clock::today());
    let response = click_pay(&p, mine);
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(response.headers().get_one("Location"), Some("/saldo"));
    let text = page_text(&p.app.get("/saldo").into_string().unwrap());
    assert!(
        text.contains("Ta nota odsetkowa jest już zapłacona"),
        "{text}"
    );
    assert_eq!(orders_placed(&p), 0, "nothing stored");
}
