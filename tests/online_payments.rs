//! Paying invoices online through the local PayU server, on every backend: an invoice paid end to
//! end (PayU's page, signed notifications to a real HTTP instance of the portal, the continue page
//! that reads the database), all overdue invoices in one payment, duplicate, reordered, forged and
//! mismatched notifications, PayU down when paying, concurrent deliveries of one notification, and
//! the two-hour expiry with a clock the test controls and the subscriber's mail.

mod common;

use ebok::domain::InvoiceId;
use std::time::{Duration, Instant};

use common::bank::{date, fixture, issue, paid};
use common::payu::{self, Paying, http_post};
use common::smtp::SmtpSink;
use common::{TestApp, count, csrf_token, form, page_text};
use diesel::prelude::*;
use ebok::app::mail_queue::Outgoing;
use ebok::app::online_payments::Gateway;
use ebok::app::online_payments::expiry::expire_due;
use ebok::app::{clock, invoices};
use ebok::db::schema::online_payments;
use ebok::mail::MailTemplates;
use ebok::payu::signature::{Algorithm, header_for};
use ebok::payu::wire::OrderNotification;
use ebok::sim::payu::{self as payu_sim, Faults};
use rocket::http::{ContentType, Header, Status};

backend_tests!(
    an_invoice_paid_at_payu_shows_paid_and_the_balance_is_right,
    all_overdue_invoices_are_paid_in_one_payment,
    duplicate_and_reordered_notifications_book_one_payment,
    forged_and_unsigned_notifications_are_refused_and_change_nothing,
    a_notification_with_another_amount_is_flagged_and_books_nothing,
    payu_down_when_paying_is_explained_and_the_invoice_can_be_paid_later,
    concurrent_deliveries_of_one_notification_book_one_payment,
    an_order_unpaid_for_two_hours_is_cancelled_and_the_subscriber_is_mailed,
);

/// The demo subscriber signed in, a local PayU server and the portal over HTTP for its
/// notifications (`common::payu`), on the bank fixture's data.
fn set_up(app: TestApp, faults: Faults) -> Paying {
    let (app, _) = fixture(app);
    payu::set_up(app, faults)
}

/// Clicks "Zapłać online" on the invoice page; returns PayU's payment page.
fn pay_online(p: &Paying, invoice_id: InvoiceId) -> String {
    let page = format!("/faktury/{invoice_id}");
    let html = p.app.get(&page).into_string().unwrap_or_default();
    assert!(
        html.contains("zaplac-online"),
        "the invoice offers paying online"
    );
    let token = csrf_token(&p.app.client, &page);
    let response = p
        .app
        .client
        .post(format!("/faktury/{invoice_id}/zaplac-online"))
        .header(ContentType::Form)
        .header(Header::new("Origin", "http://127.0.0.1:8000"))
        .body(form(&[("csrf_token", &token)]))
        .dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    let location = response.headers().get_one("Location").unwrap().to_owned();
    assert!(
        location.starts_with(&p.payu.base_url),
        "sent to PayU: {location}"
    );
    location
}

/// (our id, state, PayU's id) of the newest order.
fn last_order(p: &Paying) -> (i64, String, Option<String>) {
    payu::last_order(&p.app).expect("an order")
}

fn state_of(p: &Paying, id: i64) -> (String, Option<String>) {
    payu::state_of(&p.app, id)
}

fn wait_for_state(p: &Paying, id: i64, state: &str) {
    payu::wait_for_state(&p.app, id, state)
}

fn online_payments_booked(p: &Paying) -> i64 {
    count(
        &mut p.app.conn(),
        "SELECT id FROM payments WHERE source = 'online' AND reversed_at IS NULL",
    )
}

fn owed(p: &Paying) -> i64 {
    invoices::ledger(&mut p.app.conn(), p.customer_id, None, None)
        .expect("ledger")
        .balance
}

/// A notification for PayU's order `payu_id` in `status`, signed with `key`.
fn notification(p: &Paying, payu_id: &str, status: &str, amount: Option<&str>) -> Vec<u8> {
    let mut order = p.payu.order(payu_id).expect("PayU has the order");
    order.status = status.into();
    if let Some(amount) = amount {
        order.total_amount = amount.into();
    }
    serde_json::to_vec(&OrderNotification {
        order,
        local_receipt_date_time: None,
        properties: Vec::new(),
    })
    .unwrap()
}

fn deliver(p: &Paying, body: &[u8], signature: Option<String>) -> Status {
    let mut request = p
        .app
        .client
        .post("/payu/powiadomienia")
        .header(ContentType::JSON)
        .body(body);
    if let Some(signature) = signature {
        request = request.header(Header::new("OpenPayu-Signature", signature));
    }
    request.dispatch().status()
}

fn signed(body: &[u8]) -> Option<String> {
    Some(header_for(body, payu_sim::DEMO_SECOND_KEY, Algorithm::Md5))
}

fn an_invoice_paid_at_payu_shows_paid_and_the_balance_is_right(app: TestApp) {
    let p = set_up(app, Faults::default());
    let invoice = issue(&p.app, p.customer_id, clock::today(), 12_345);
    let before = owed(&p);
    // Dunning had limited the connection; paying online lifts it at once, as any payment does.
    let flagged = ebok::db::dunning::flag_endpoints(
        &mut p.app.conn(),
        p.customer_id,
        invoice,
        "block",
        clock::now(),
    )
    .unwrap();
    assert!(flagged > 0, "the subscriber has endpoints to flag");
    let pay_page = pay_online(&p, invoice);
    let (id, state, payu_id) = last_order(&p);
    assert_eq!(state, "new");
    let payu_id = payu_id.expect("PayU took the order");
    let payu_order = p.payu.order(&payu_id).unwrap();
    assert_eq!(payu_order.total_amount, "12345", "grosze, as PayU counts");
    assert_eq!(payu_order.products.len(), 1);

    // Back from PayU before paying: the page says what the database says, whatever the query.
    let pending = p.app.get(&format!("/platnosci-online/{id}?status=SUCCESS"));
    assert_eq!(pending.status(), Status::Ok);
    assert!(
        pending
            .into_string()
            .unwrap()
            .contains("data-state=\"new\"")
    );

    let (status, back) = http_post(&format!("{pay_page}/pay"), &[], b"");
    assert_eq!(status, 303, "PayU sends the buyer back");
    assert!(back.unwrap().ends_with(&format!("/platnosci-online/{id}")));
    wait_for_state(&p, id, "completed");

    let page = p
        .app
        .get(&format!("/platnosci-online/{id}?error=501"))
        .into_string()
        .unwrap();
    assert!(page.contains("data-state=\"completed\""), "{page}");
    assert_eq!(paid(&p.app, invoice), 12_345, "the invoice is paid");
    assert_eq!(owed(&p), before - 12_345, "the balance fell by the payment");
    assert_eq!(online_payments_booked(&p), 1);
    assert!(
        ebok::db::dunning::flags_of_customer(&mut p.app.conn(), p.customer_id)
            .unwrap()
            .is_empty(),
        "the payment lifted dunning's block"
    );
    let invoice_page = p
        .app
        .get(&format!("/faktury/{invoice}"))
        .into_string()
        .unwrap();
    assert!(
        !invoice_page.contains("zaplac-online"),
        "a paid invoice offers no payment"
    );

    // A browser without the session (another person's, or ours coming back from PayU's site,
    // which leaves the SameSite=Strict cookie out) gets a page that reloads itself once from
    // our own site, where the cookie goes along; it shows nothing of the order.
    let stranger = p.app.another_browser();
    let arriving = stranger.get(format!("/platnosci-online/{id}")).dispatch();
    assert_eq!(arriving.status(), Status::Ok);
    let arriving = arriving.into_string().unwrap();
    let again = format!("/platnosci-online/{id}?powrot=1");
    assert!(
        arriving.contains(&format!(
            "http-equiv=\"refresh\" content=\"0; url={again}\""
        )),
        "{arriving}"
    );
    assert!(!arriving.contains("data-state"), "{arriving}");
    // The reload without a session goes to the login page; with it, the order is shown.
    let reloaded = stranger.get(again.clone()).dispatch();
    assert_eq!(reloaded.status(), Status::SeeOther);
    assert_eq!(reloaded.headers().get_one("Location"), Some("/logowanie"));
    let ours = p.app.get(&again).into_string().unwrap();
    assert!(ours.contains("data-state=\"completed\""), "{ours}");
}

fn all_overdue_invoices_are_paid_in_one_payment(app: TestApp) {
    let p = set_up(app, Faults::default());
    let today = clock::today();
    let old = issue(
        &p.app,
        p.customer_id,
        today - chrono::Duration::days(40),
        5_000,
    );
    let older = issue(
        &p.app,
        p.customer_id,
        today - chrono::Duration::days(60),
        7_000,
    );
    let owed_before = owed(&p);
    let token = csrf_token(&p.app.client, "/saldo");
    let response = p
        .app
        .client
        .post("/saldo/zaplac-online")
        .header(ContentType::Form)
        .header(Header::new("Origin", "http://127.0.0.1:8000"))
        .body(form(&[("csrf_token", &token)]))
        .dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    let pay_page = response.headers().get_one("Location").unwrap().to_owned();
    let (id, _, payu_id) = last_order(&p);
    let total: i64 = p
        .payu
        .order(&payu_id.unwrap())
        .unwrap()
        .total_amount
        .parse()
        .unwrap();
    assert!(
        total >= 12_000,
        "both overdue invoices are in the order: {total}"
    );
    http_post(&format!("{pay_page}/pay"), &[], b"");
    wait_for_state(&p, id, "completed");
    assert_eq!(paid(&p.app, old), 5_000);
    assert_eq!(paid(&p.app, older), 7_000);
    assert_eq!(owed(&p), owed_before - total);
    assert_eq!(online_payments_booked(&p), 1, "one payment for all of them");
}

fn duplicate_and_reordered_notifications_book_one_payment(app: TestApp) {
    let p = set_up(
        app,
        Faults {
            duplicate: true,
            reorder: true,
            ..Faults::default()
        },
    );
    let invoice = issue(&p.app, p.customer_id, clock::today(), 9_900);
    let pay_page = pay_online(&p, invoice);
    let (id, _, _) = last_order(&p);
    http_post(&format!("{pay_page}/pay"), &[], b"");
    let started = Instant::now();
    while p.payu.delivered().len() < 4 {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "four deliveries"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
    let statuses: Vec<String> = p.payu.delivered().into_iter().map(|(_, s)| s).collect();
    assert_eq!(statuses, ["COMPLETED", "COMPLETED", "PENDING", "PENDING"]);
    assert_eq!(
        state_of(&p, id).0,
        "completed",
        "a late PENDING changes nothing"
    );
    assert_eq!(online_payments_booked(&p), 1);
    assert_eq!(paid(&p.app, invoice), 9_900);
}

fn forged_and_unsigned_notifications_are_refused_and_change_nothing(app: TestApp) {
    let p = set_up(
        app,
        Faults {
            silent: true,
            ..Faults::default()
        },
    );
    let invoice = issue(&p.app, p.customer_id, clock::today(), 4_000);
    pay_online(&p, invoice);
    let (id, _, payu_id) = last_order(&p);
    let payu_id = payu_id.unwrap();
    let body = notification(&p, &payu_id, "COMPLETED", None);

    assert_eq!(deliver(&p, &body, None), Status::Forbidden, "unsigned");
    let wrong_key = Some(header_for(&body, "not-the-second-key", Algorithm::Md5));
    assert_eq!(
        deliver(&p, &body, wrong_key),
        Status::Forbidden,
        "wrong key"
    );
    let tampered = notification(&p, &payu_id, "COMPLETED", Some("1"));
    assert_eq!(
        deliver(&p, &tampered, signed(&body)),
        Status::Forbidden,
        "body changed after signing"
    );
    assert_eq!(state_of(&p, id).0, "new");
    assert_eq!(online_payments_booked(&p), 0);

    // The genuine one books; a CANCELED that arrives afterwards changes nothing.
    let sha = Some(header_for(
        &body,
        payu_sim::DEMO_SECOND_KEY,
        Algorithm::Sha256,
    ));
    assert_eq!(deliver(&p, &body, sha), Status::Ok);
    assert_eq!(state_of(&p, id).0, "completed");
    let cancelled = notification(&p, &payu_id, "CANCELED", None);
    assert_eq!(deliver(&p, &cancelled, signed(&cancelled)), Status::Ok);
    assert_eq!(state_of(&p, id).0, "completed");
    assert_eq!(online_payments_booked(&p), 1);
}

fn a_notification_with_another_amount_is_flagged_and_books_nothing(app: TestApp) {
    let p = set_up(
        app,
        Faults {
            silent: true,
            ..Faults::default()
        },
    );
    let invoice = issue(&p.app, p.customer_id, clock::today(), 6_000);
    pay_online(&p, invoice);
    let (id, _, payu_id) = last_order(&p);
    let payu_id = payu_id.unwrap();
    let cheaper = notification(&p, &payu_id, "COMPLETED", Some("100"));
    assert_eq!(deliver(&p, &cheaper, signed(&cheaper)), Status::Ok);
    let (state, flag) = state_of(&p, id);
    assert_eq!(state, "new");
    assert!(
        flag.unwrap().contains("100"),
        "staff see the amount PayU gave"
    );
    // Even the right amount afterwards books nothing until staff look.
    let right = notification(&p, &payu_id, "COMPLETED", None);
    assert_eq!(deliver(&p, &right, signed(&right)), Status::Ok);
    assert_eq!(online_payments_booked(&p), 0);
    assert_eq!(paid(&p.app, invoice), 0);
    let page = p
        .app
        .get(&format!("/platnosci-online/{id}"))
        .into_string()
        .unwrap();
    assert!(page.contains("data-state=\"flagged\""));
}

fn payu_down_when_paying_is_explained_and_the_invoice_can_be_paid_later(app: TestApp) {
    let p = set_up(
        app,
        Faults {
            down: true,
            ..Faults::default()
        },
    );
    let invoice = issue(&p.app, p.customer_id, clock::today(), 3_000);
    let page = format!("/faktury/{invoice}");
    let token = csrf_token(&p.app.client, &page);
    let response = p
        .app
        .client
        .post(format!("/faktury/{invoice}/zaplac-online"))
        .header(ContentType::Form)
        .header(Header::new("Origin", "http://127.0.0.1:8000"))
        .body(form(&[("csrf_token", &token)]))
        .dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(response.headers().get_one("Location"), Some(page.as_str()));
    let shown = page_text(&p.app.get(&page).into_string().unwrap());
    assert!(shown.contains("Nie udało się połączyć z PayU"), "{shown}");
    assert_eq!(state_of(&p, last_order(&p).0).0, "canceled");
    assert_eq!(paid(&p.app, invoice), 0);

    p.payu.set_faults(Faults::default());
    let pay_page = pay_online(&p, invoice);
    let (id, _, _) = last_order(&p);
    http_post(&format!("{pay_page}/pay"), &[], b"");
    wait_for_state(&p, id, "completed");
    assert_eq!(paid(&p.app, invoice), 3_000);
}

fn concurrent_deliveries_of_one_notification_book_one_payment(app: TestApp) {
    let p = set_up(
        app,
        Faults {
            silent: true,
            ..Faults::default()
        },
    );
    let invoice = issue(&p.app, p.customer_id, clock::today(), 7_700);
    pay_online(&p, invoice);
    let (id, _, payu_id) = last_order(&p);
    let body = notification(&p, &payu_id.unwrap(), "COMPLETED", None);
    let header = signed(&body).unwrap();
    let url = p
        .app
        .config
        .payu
        .as_ref()
        .unwrap()
        .notify_url
        .clone()
        .unwrap();
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (url, header, body) = (url.clone(), header.clone(), body.clone());
            std::thread::spawn(move || {
                http_post(
                    &url,
                    &[
                        ("Content-Type", "application/json"),
                        ("OpenPayu-Signature", &header),
                    ],
                    &body,
                )
                .0
            })
        })
        .collect();
    let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 500),
        "answered: {statuses:?}"
    );
    assert!(statuses.contains(&200));
    assert_eq!(state_of(&p, id).0, "completed");
    assert_eq!(
        online_payments_booked(&p),
        1,
        "one payment, whatever the races"
    );
    assert_eq!(paid(&p.app, invoice), 7_700);
}

fn an_order_unpaid_for_two_hours_is_cancelled_and_the_subscriber_is_mailed(app: TestApp) {
    let smtp = SmtpSink::start();
    let app = app.with_config(|c| c.mail.smtp_url = Some(smtp.url()));
    let p = set_up(app, Faults::default());
    let invoice = issue(&p.app, p.customer_id, date(2026, 12, 1), 2_500);
    pay_online(&p, invoice);
    let (id, _, payu_id) = last_order(&p);
    let placed = online_payments::table
        .find(id)
        .select(online_payments::created_at)
        .get_result::<chrono::NaiveDateTime>(&mut *p.app.conn())
        .unwrap();
    let templates =
        MailTemplates::load(&p.app.config.paths.templates_dir.join("mail")).expect("mail");
    let gateway = Gateway::from_config(
        p.app.config.payu.as_ref().unwrap(),
        &p.app.config.web.public_url,
    )
    .unwrap();
    let outgoing = Outgoing {
        templates: &templates,
        public_url: &p.app.config.web.public_url,
        isp_name: "Operator",
    };
    let runtime = rocket::tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let expire = |now| {
        runtime
            .block_on(expire_due(&p.app.pool, Some(&gateway), outgoing, now))
            .expect("expiry")
    };
    let early = expire(placed + chrono::Duration::minutes(119));
    assert_eq!(early.cancelled, 0, "still within two hours");
    assert_eq!(state_of(&p, id).0, "new");
    let late = expire(placed + chrono::Duration::minutes(120) + chrono::Duration::seconds(1));
    // The demo's own unpaid shop order (seeded for `demo`) expires in the same pass.
    let demo_orders = common::scalar_i64(
        &p.app,
        "SELECT COUNT(*) AS v FROM online_payments WHERE purpose = 'order'",
    ) as usize;
    assert_eq!(late.cancelled, 1 + demo_orders);
    assert_eq!(state_of(&p, id).0, "canceled");
    assert_eq!(
        p.payu.order(&payu_id.unwrap()).unwrap().status,
        "CANCELED",
        "cancelled at PayU too"
    );
    assert_eq!(
        expire(placed + chrono::Duration::hours(3)).cancelled,
        0,
        "once"
    );
    p.app.deliver_mail_at(placed + chrono::Duration::hours(3));
    let mails = smtp.received();
    let mail = mails
        .iter()
        .find(|m| m.subject().contains("anulowana"))
        .expect("the subscriber is told");
    assert!(mail.text().contains("25,00"), "{}", mail.text());
    assert_eq!(paid(&p.app, invoice), 0);
}
