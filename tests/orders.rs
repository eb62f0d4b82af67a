//! Ordering from the catalogue on every backend: staff define items and the online fee, the
//! cart takes quantities (+/−, ✘) and refuses bad input with a message (quantities, domains,
//! auth codes, items withdrawn, another customer's lines), "Złóż zamówienie" places one order
//! however often it is sent, PayU (the local server) is paid, the order is activated once and
//! invoiced through the invoicing path, duplicate, reordered, concurrent and mismatched
//! notifications change nothing twice, PayU down leaves the order payable later, an order unpaid
//! for two hours is cancelled with a mail (a clock the test controls), "Odnów teraz" renews, and
//! staff work the fulfilment queue.

mod common;

use chrono::NaiveDateTime;
use common::bank::staff;
use common::payu::{self, Paying, http_post, wait_until};
use common::{TestApp, count, form, page_text, post};
use diesel::prelude::*;
use ebok::app::mail_queue::Outgoing;
use ebok::app::online_payments::Gateway;
use ebok::app::orders::expiry;
use ebok::app::{clock, receivables};
use ebok::db::orders::NewCatalogueItem;
use ebok::db::schema::{
    cart_items, domains, invoices, online_payments, outbox, services, shop_order_lines,
    shop_order_payments, shop_orders,
};
use ebok::domain::CustomerId;
use ebok::domain::InvoiceId;
use ebok::mail::MailTemplates;
use ebok::payu::signature::{Algorithm, header_for};
use ebok::payu::wire::OrderNotification;
use ebok::sim::payu::{self as payu_sim, Faults};
use rocket::http::{ContentType, Header, Status};

backend_tests!(
    staff_define_items_and_the_fee_and_bad_input_gets_a_message,
    the_cart_changes_quantities_and_refuses_bad_input_with_a_message,
    an_order_placed_twice_is_one_order_paid_activated_once_and_invoiced,
    duplicate_reordered_and_concurrent_notifications_activate_once,
    a_notification_with_another_amount_is_flagged_and_activates_nothing,
    payu_down_when_ordering_leaves_the_order_payable_later,
    an_order_unpaid_for_two_hours_is_cancelled_and_the_subscriber_is_mailed,
    renew_now_puts_the_renewal_in_the_cart_and_payment_extends_it,
    the_demo_has_a_catalogue_and_orders_in_each_state,
    staff_refund_paid_lines_through_payu_with_a_correction_once_each,
);

/// An item on sale, straight into the database: 23 % VAT, `gross` grosze.
fn item(app: &TestApp, kind: &str, name: &str, gross: i64, needs_people: bool) -> i64 {
    let now = clock::now();
    let net = (gross * 100 + 61) / 123;
    ebok::db::orders::insert_item(
        &mut app.conn(),
        &NewCatalogueItem {
            kind: kind.into(),
            name: name.into(),
            description: String::new(),
            price_gross: gross,
            price_net: net,
            vat_rate: "23".into(),
            monthly_fee: 0,
            tariff_id: None,
            needs_people,
            needs_installation: false,
            active: true,
            created_at: now,
            updated_at: now,
        },
    )
    .unwrap()
}

fn location(response: &rocket::local::blocking::LocalResponse<'_>) -> String {
    response
        .headers()
        .get_one("Location")
        .unwrap_or_default()
        .to_owned()
}

/// Follows a redirect in the same browser and returns the page's text (with its flash).
fn shown_after(app: &TestApp, response: rocket::local::blocking::LocalResponse<'_>) -> String {
    assert_eq!(response.status(), Status::SeeOther);
    let to = location(&response);
    drop(response);
    page_text(&app.get(&to).into_string().unwrap_or_default())
}

fn add(app: &TestApp, item_id: i64, fields: &[(&str, &str)]) -> String {
    let response = post(
        &app.client,
        "/sklep",
        &format!("/sklep/{item_id}/do-koszyka"),
        fields,
    );
    shown_after(app, response)
}

fn cart_lines(app: &TestApp, customer_id: CustomerId) -> Vec<(i64, i32)> {
    cart_items::table
        .filter(cart_items::customer_id.eq(customer_id))
        .order(cart_items::id)
        .select((cart_items::id, cart_items::quantity))
        .load(&mut *app.conn())
        .unwrap()
}

/// The cart page's form key and CSRF token, from one rendering.
fn cart_form(app: &TestApp) -> (String, String) {
    let html = app.get("/koszyk").into_string().unwrap();
    let document = scraper::Html::parse_document(&html);
    let value = |name: &str| {
        let selector = scraper::Selector::parse(&format!("input[name={name}]")).unwrap();
        document
            .select(&selector)
            .next()
            .and_then(|i| i.value().attr("value"))
            .unwrap_or_else(|| panic!("no {name} on the cart page"))
            .to_owned()
    };
    (value("key"), value("csrf_token"))
}

fn send_place(app: &TestApp, key: &str, token: &str) -> (Status, String) {
    let response = app
        .client
        .post("/koszyk/zamow")
        .header(ContentType::Form)
        .header(Header::new("Origin", "http://127.0.0.1:8000"))
        .body(form(&[("key", key), ("csrf_token", token)]))
        .dispatch();
    (response.status(), location(&response))
}

/// (id, status, fulfilment, total, invoice) of the customer's newest order.
fn last_shop_order(
    app: &TestApp,
    customer_id: CustomerId,
) -> (i64, String, String, i64, Option<i64>) {
    shop_orders::table
        .filter(shop_orders::customer_id.eq(customer_id))
        .order(shop_orders::id.desc())
        .select((
            shop_orders::id,
            shop_orders::status,
            shop_orders::fulfilment,
            shop_orders::total_gross,
            shop_orders::invoice_id,
        ))
        .first(&mut *app.conn())
        .unwrap()
}

fn order_state(app: &TestApp, id: i64) -> (String, String, Option<InvoiceId>) {
    shop_orders::table
        .find(id)
        .select((
            shop_orders::status,
            shop_orders::fulfilment,
            shop_orders::invoice_id,
        ))
        .get_result(&mut *app.conn())
        .unwrap()
}

/// The online payments of an order: (id, state, PayU id), newest first.
fn payments_of(app: &TestApp, order_id: i64) -> Vec<(i64, String, Option<String>)> {
    shop_order_payments::table
        .inner_join(online_payments::table)
        .filter(shop_order_payments::shop_order_id.eq(order_id))
        .order(online_payments::id.desc())
        .select((
            online_payments::id,
            online_payments::state,
            online_payments::payu_order_id,
        ))
        .load(&mut *app.conn())
        .unwrap()
}

fn invoices_of(app: &TestApp, customer_id: CustomerId) -> i64 {
    count(
        &mut app.conn(),
        &format!("SELECT id FROM invoices WHERE customer_id = {customer_id}"),
    )
}

fn static_ips(app: &TestApp, customer_id: CustomerId) -> i64 {
    count(
        &mut app.conn(),
        &format!(
            "SELECT id FROM services WHERE customer_id = {customer_id} AND kind = 'static_ip'"
        ),
    )
}

fn order_mails(app: &TestApp, recipient_like: &str) -> Vec<(String, Option<String>)> {
    outbox::table
        .filter(outbox::kind.eq("order"))
        .filter(outbox::recipient.like(recipient_like))
        .order(outbox::id)
        .select((outbox::subject, outbox::attachment_path))
        .load(&mut *app.conn())
        .unwrap()
}

/// The demo subscriber signed in, the local PayU server and the portal over HTTP.
fn paying(app: TestApp, faults: Faults) -> Paying {
    payu::set_up(app.with_demo(0), faults)
}

/// Puts `quantity` of a public IP (activated at once, 30 zł) in the cart, places the order and
/// returns (order id, PayU's payment page).
fn order_public_ip(p: &Paying, quantity: &str) -> (i64, String) {
    let ip = item(&p.app, "public_ip", "Publiczny IPv4 (test)", 3_000, false);
    add(&p.app, ip, &[("quantity", quantity)]);
    let (key, token) = cart_form(&p.app);
    let (status, to) = send_place(&p.app, &key, &token);
    assert_eq!(status, Status::SeeOther);
    assert!(to.starts_with(&p.payu.base_url), "sent to PayU: {to}");
    (last_shop_order(&p.app, p.customer_id).0, to)
}

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

fn signed(body: &[u8]) -> String {
    header_for(body, payu_sim::DEMO_SECOND_KEY, Algorithm::Md5)
}

fn deliver(p: &Paying, body: &[u8]) -> Status {
    p.app
        .client
        .post("/payu/powiadomienia")
        .header(ContentType::JSON)
        .header(Header::new("OpenPayu-Signature", signed(body)))
        .body(body)
        .dispatch()
        .status()
}

fn staff_define_items_and_the_fee_and_bad_input_gets_a_message(app: TestApp) {
    let app = app.with_demo(0);
    let admin = staff(&app, "admin");
    let page = admin
        .get("/staff/katalog")
        .dispatch()
        .into_string()
        .unwrap();
    assert!(page.contains("Katalog sklepu"), "{page}");
    let created = post(
        &admin,
        "/staff/katalog",
        "/staff/katalog",
        &[
            ("kind", "device"),
            ("name", "Switch 8 portów"),
            ("price_is", "net"),
            ("price", "100,00"),
            ("vat_rate", "23"),
            ("needs_people", "true"),
        ],
    );
    assert_eq!(created.status(), Status::SeeOther);
    let (gross, net, needs_people): (i64, i64, bool) = ebok::db::schema::catalogue_items::table
        .filter(ebok::db::schema::catalogue_items::name.eq("Switch 8 portów"))
        .select((
            ebok::db::schema::catalogue_items::price_gross,
            ebok::db::schema::catalogue_items::price_net,
            ebok::db::schema::catalogue_items::needs_people,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!((gross, net, needs_people), (12_300, 10_000, true));

    let bad = post(
        &admin,
        "/staff/katalog",
        "/staff/katalog",
        &[
            ("kind", "tariff_change"),
            ("name", ""),
            ("price", "-5"),
            ("vat_rate", "17"),
        ],
    );
    assert_eq!(bad.status(), Status::UnprocessableEntity);
    let text = page_text(&bad.into_string().unwrap());
    for message in [
        "Podaj nazwę.",
        "Cena musi być kwotą większą od zera",
        "Nieznana stawka VAT",
        "Zmiana taryfy musi wskazywać aktywną taryfę",
    ] {
        assert!(text.contains(message), "{message}: {text}");
    }

    let fee = post(
        &admin,
        "/staff/katalog",
        "/staff/katalog/oplata",
        &[("fee", "abc")],
    );
    assert_eq!(fee.status(), Status::SeeOther);
    drop(fee);
    let shown = page_text(
        &admin
            .get("/staff/katalog")
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(
        shown.contains("Opłata musi być kwotą od 0 do 100 zł"),
        "{shown}"
    );
    assert_eq!(
        ebok::db::orders::online_fee(&mut app.conn()).unwrap(),
        100,
        "default 1 zł"
    );
    post(
        &admin,
        "/staff/katalog",
        "/staff/katalog/oplata",
        &[("fee", "0")],
    );
    assert_eq!(ebok::db::orders::online_fee(&mut app.conn()).unwrap(), 0);

    // A subscriber cannot reach the staff pages.
    assert_ne!(app.get("/staff/katalog").status(), Status::Ok);
    let orders = admin.get("/staff/zamowienia").dispatch();
    assert_eq!(orders.status(), Status::Ok);
}

fn the_cart_changes_quantities_and_refuses_bad_input_with_a_message(app: TestApp) {
    let p = paying(app, Faults::default());
    let app = &p.app;
    let router = item(app, "device", "Router testowy", 10_000, true);
    let domain = item(app, "domain_registration", "Domena .pl (test)", 6_000, true);
    let transfer = item(app, "domain_transfer", "Transfer .pl (test)", 3_000, true);

    assert!(add(app, router, &[("quantity", "2")]).contains("Dodano do koszyka"));
    let lines = cart_lines(app, p.customer_id);
    assert_eq!(lines.len(), 1);
    let (line, _) = lines[0];
    let change = |fields: &[(&str, &str)]| {
        let response = post(
            &app.client,
            "/koszyk",
            &format!("/koszyk/{line}/ilosc"),
            fields,
        );
        shown_after(app, response)
    };
    change(&[("change", "plus")]);
    assert_eq!(cart_lines(app, p.customer_id)[0].1, 3);
    change(&[("change", "minus")]);
    change(&[("change", "minus")]);
    assert_eq!(cart_lines(app, p.customer_id)[0].1, 1);
    let below = change(&[("change", "minus")]);
    assert!(below.contains("co najmniej 1"), "{below}");
    assert!(change(&[("change", "set"), ("quantity", "0")]).contains("co najmniej 1"));
    assert!(change(&[("change", "set"), ("quantity", "100000")]).contains("najwyżej 99"));
    assert!(change(&[("change", "set"), ("quantity", "1e9")]).contains("liczbą całkowitą"));
    assert!(add(app, router, &[("quantity", "-4")]).contains("co najmniej 1"));
    assert_eq!(cart_lines(app, p.customer_id)[0].1, 1, "nothing changed");

    // The cart shows the online fee per item (1 zł by default) and the total.
    change(&[("change", "set"), ("quantity", "2")]);
    let cart = app.get("/koszyk").into_string().unwrap();
    assert!(
        cart.contains("data-grosze=\"20200\""),
        "2 × 100 zł + 2 × 1 zł: {cart}"
    );

    // Domains: syntax, already ours, already in the cart, a transfer's auth code.
    assert!(add(app, domain, &[("domain_name", "zła domena!.pl")]).contains("nie jest poprawna"));
    let ours: String = domains::table
        .select(domains::name)
        .first(&mut *app.conn())
        .unwrap();
    assert!(add(app, domain, &[("domain_name", &ours)]).contains("już obsługiwana"));
    assert!(add(app, domain, &[("domain_name", "Nowa-Firma.PL")]).contains("Dodano"));
    assert!(add(app, domain, &[("domain_name", "nowa-firma.pl")]).contains("już w koszyku"));
    assert!(add(app, transfer, &[("domain_name", "inna-firma.pl")]).contains("kodu AuthInfo"));
    assert!(
        add(
            app,
            transfer,
            &[("domain_name", "inna-firma.pl"), ("auth_code", "Xy7#kL9q")]
        )
        .contains("Dodano")
    );
    assert_eq!(cart_lines(app, p.customer_id).len(), 3);
    // The transfer code is sealed at rest (a dump of the database does not hand over the domain).
    let stored: Option<String> = ebok::db::schema::cart_items::table
        .filter(ebok::db::schema::cart_items::domain_name.eq("inna-firma.pl"))
        .select(ebok::db::schema::cart_items::auth_code)
        .first(&mut *app.conn())
        .unwrap();
    let stored = stored.expect("the code is kept");
    assert!(!stored.contains("Xy7#kL9q"), "{stored}");
    assert_eq!(
        app.config
            .security
            .secrets
            .open(ebok::app::crypto::SecretKind::DomainAuthCode, &stored)
            .unwrap(),
        "Xy7#kL9q"
    );

    // Another customer's cart line: neither changed nor removed, and a message.
    let stranger: CustomerId = ebok::db::schema::customers::table
        .filter(ebok::db::schema::customers::id.ne(p.customer_id))
        .select(ebok::db::schema::customers::id)
        .first(&mut *app.conn())
        .unwrap();
    let stranger_line = ebok::db::orders::insert_cart_item(
        &mut app.conn(),
        &ebok::db::orders::NewCartItem {
            customer_id: stranger,
            catalogue_item_id: Some(router),
            renewal_service_id: None,
            renewal_domain_id: None,
            domain_name: None,
            auth_code: None,
            quantity: 1,
            created_at: clock::now(),
        },
    );
    {
        let stranger_line = stranger_line.unwrap();
        let removed = post(
            &app.client,
            "/koszyk",
            &format!("/koszyk/{stranger_line}/usun"),
            &[],
        );
        assert!(shown_after(app, removed).contains("Nie ma takiej pozycji"));
        let changed = post(
            &app.client,
            "/koszyk",
            &format!("/koszyk/{stranger_line}/ilosc"),
            &[("change", "plus")],
        );
        assert!(shown_after(app, changed).contains("Nie ma takiej pozycji"));
        let quantity: i32 = cart_items::table
            .find(stranger_line)
            .select(cart_items::quantity)
            .get_result(&mut *app.conn())
            .unwrap();
        assert_eq!(quantity, 1);
    }

    // An item withdrawn while in the cart: shown, and placing is refused with a message.
    ebok::db::orders::set_item_active(&mut app.conn(), router, false, clock::now()).unwrap();
    let cart = page_text(&app.get("/koszyk").into_string().unwrap());
    assert!(cart.contains("niedostępne"), "{cart}");
    let (key, token) = cart_form(app);
    let (status, to) = send_place(app, &key, &token);
    assert_eq!((status, to.as_str()), (Status::SeeOther, "/koszyk"));
    let shown = page_text(&app.get("/koszyk").into_string().unwrap());
    assert!(shown.contains("nie ma już w ofercie"), "{shown}");
    assert_eq!(
        count(
            &mut app.conn(),
            &format!(
                "SELECT id FROM shop_orders WHERE customer_id = {} AND placement_key = '{key}'",
                p.customer_id
            )
        ),
        0
    );
    // ✘ removes it; the rest can be ordered.
    let removed = post(&app.client, "/koszyk", &format!("/koszyk/{line}/usun"), &[]);
    assert!(shown_after(app, removed).contains("Usunięto"));
    assert_eq!(cart_lines(app, p.customer_id).len(), 2);

    // Someone else's order page is not found.
    let demo_orders: Vec<i64> = shop_orders::table
        .filter(shop_orders::customer_id.ne(p.customer_id))
        .select(shop_orders::id)
        .load(&mut *app.conn())
        .unwrap();
    for id in demo_orders {
        assert_eq!(
            app.get(&format!("/zamowienia/{id}")).status(),
            Status::NotFound
        );
    }
}

fn an_order_placed_twice_is_one_order_paid_activated_once_and_invoiced(app: TestApp) {
    let p = paying(app, Faults::default());
    let app = &p.app;
    let ip = item(app, "public_ip", "Publiczny IPv4 (test)", 3_000, false);
    let router = item(app, "device", "Router testowy", 24_900, true);
    add(app, ip, &[("quantity", "2")]);
    add(app, router, &[]);
    let ips_before = static_ips(app, p.customer_id);
    let invoices_before = invoices_of(app, p.customer_id);
    let owed_before = receivables::of_customer(&mut app.conn(), p.customer_id, clock::today())
        .unwrap()
        .standing
        .owed;

    // Sent twice (a double click): one order, one PayU payment, the same payment page.
    let (key, token) = cart_form(app);
    let (first_status, first) = send_place(app, &key, &token);
    let (second_status, second) = send_place(app, &key, &token);
    assert_eq!(
        (first_status, second_status),
        (Status::SeeOther, Status::SeeOther)
    );
    assert!(first.starts_with(&p.payu.base_url), "{first}");
    assert_eq!(first, second);
    let (order, status, _, total, _) = last_shop_order(app, p.customer_id);
    assert_eq!(status, "unpaid");
    assert_eq!(
        count(
            &mut app.conn(),
            &format!("SELECT id FROM shop_orders WHERE placement_key = '{key}'")
        ),
        1
    );
    assert_eq!(payments_of(app, order).len(), 1);
    // 2 × 30 zł + 249 zł + 3 × 1 zł fee.
    assert_eq!(total, 6_000 + 24_900 + 300);
    let payu_id = payments_of(app, order)[0].2.clone().unwrap();
    assert_eq!(
        p.payu.order(&payu_id).unwrap().total_amount,
        total.to_string()
    );
    assert!(
        cart_lines(app, p.customer_id).is_empty(),
        "the cart was emptied"
    );
    let placed = order_mails(app, "%");
    assert_eq!(placed.len(), 1, "one confirmation: {placed:?}");
    assert!(placed[0].0.contains("Przyjęliśmy zamówienie"), "{placed:?}");

    // A later price change does not touch the placed order.
    diesel::update(ebok::db::schema::catalogue_items::table.find(ip))
        .set(ebok::db::schema::catalogue_items::price_gross.eq(99_900))
        .execute(&mut *app.conn())
        .unwrap();

    let (status, back) = http_post(&format!("{first}/pay"), &[], b"");
    assert_eq!(status, 303);
    let back = back.unwrap();
    wait_until("the order is paid", || order_state(app, order).0 == "paid");
    let (_, fulfilment, invoice) = order_state(app, order);
    assert_eq!(fulfilment, "waiting", "the router needs people");
    let invoice = invoice.expect("invoiced");
    let (number, gross, ksef): (Option<String>, i64, i64) = invoices::table
        .find(invoice)
        .select((invoices::number, invoices::total_gross, invoices::id))
        .get_result(&mut *app.conn())
        .unwrap();
    assert!(number.unwrap().starts_with("FV/"), "numbered in the series");
    assert_eq!(gross, total, "the invoice is the order to the grosz");
    assert_eq!(
        count(
            &mut app.conn(),
            &format!("SELECT invoice_id FROM ksef_documents WHERE invoice_id = {ksef}")
        ),
        1,
        "queued for KSeF"
    );
    assert_eq!(invoices_of(app, p.customer_id), invoices_before + 1);
    assert_eq!(
        common::bank::paid(app, invoice),
        total,
        "paid by the order's money"
    );
    let owed_after = receivables::of_customer(&mut app.conn(), p.customer_id, clock::today())
        .unwrap()
        .standing
        .owed;
    assert_eq!(owed_after, owed_before, "nothing more owed");
    assert_eq!(
        static_ips(app, p.customer_id),
        ips_before + 2,
        "two addresses active"
    );
    let activated: Vec<(String, bool)> = shop_order_lines::table
        .filter(shop_order_lines::shop_order_id.eq(order))
        .order(shop_order_lines::line_no)
        .select((
            shop_order_lines::kind,
            shop_order_lines::activated_at.is_not_null(),
        ))
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(
        activated,
        [
            ("public_ip".to_owned(), true),
            ("device".to_owned(), false),
            ("fee".to_owned(), true)
        ]
    );
    let mails = order_mails(app, "%");
    let paid_mail = mails
        .iter()
        .find(|(subject, _)| subject.contains("opłacone"))
        .expect("a confirmation of payment");
    assert!(
        paid_mail.1.as_deref().is_some_and(|a| a.ends_with(".pdf")),
        "with the invoice"
    );

    // The continue page and the order page show the real state.
    assert!(back.ends_with(&format!(
        "/platnosci-online/{}",
        payments_of(app, order)[0].0
    )));
    let shown = app
        .get(&format!("/zamowienia/{order}"))
        .into_string()
        .unwrap();
    assert!(shown.contains("data-status=\"paid\""), "{shown}");
    assert!(
        !shown.contains("pay-order"),
        "a paid order offers no payment"
    );
    let again = post(
        &app.client,
        &format!("/zamowienia/{order}"),
        &format!("/zamowienia/{order}/zaplac"),
        &[],
    );
    assert!(shown_after(app, again).contains("nie można już opłacić"));

    // Staff see it with PayU's state and work the queue; "done" hands the router over.
    let billing = staff(app, "admin");
    let desk = billing
        .get("/staff/zamowienia")
        .dispatch()
        .into_string()
        .unwrap();
    assert!(
        desk.contains(&format!(
            "data-order=\"{order}\" data-fulfilment=\"waiting\""
        )),
        "{desk}"
    );
    assert!(desk.contains(&payu_id), "PayU's order id shown");
    for expected in ["in_progress", "done"] {
        let moved = post(
            &billing,
            "/staff/zamowienia",
            &format!("/staff/zamowienia/{order}/dalej"),
            &[("note", "Kurier DPD 123")],
        );
        assert_eq!(moved.status(), Status::SeeOther);
        assert_eq!(order_state(app, order).1, expected);
    }
    let late = post(
        &billing,
        "/staff/zamowienia",
        &format!("/staff/zamowienia/{order}/dalej"),
        &[],
    );
    assert_eq!(late.status(), Status::SeeOther);
    drop(late);
    let shown = page_text(
        &billing
            .get("/staff/zamowienia")
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(shown.contains("nie czeka na ten krok"), "{shown}");
    let device_active: bool = shop_order_lines::table
        .filter(shop_order_lines::shop_order_id.eq(order))
        .filter(shop_order_lines::kind.eq("device"))
        .select(shop_order_lines::activated_at.is_not_null())
        .first(&mut *app.conn())
        .unwrap();
    assert!(device_active);
    assert_eq!(static_ips(app, p.customer_id), ips_before + 2, "still two");
    let page = page_text(
        &app.get(&format!("/zamowienia/{order}"))
            .into_string()
            .unwrap(),
    );
    assert!(
        page.contains("zrealizowane") && page.contains("Kurier DPD 123"),
        "{page}"
    );
}

fn duplicate_reordered_and_concurrent_notifications_activate_once(app: TestApp) {
    let p = paying(
        app,
        Faults {
            duplicate: true,
            reorder: true,
            ..Faults::default()
        },
    );
    let ips_before = static_ips(&p.app, p.customer_id);
    let invoices_before = invoices_of(&p.app, p.customer_id);
    let (order, pay_page) = order_public_ip(&p, "1");
    http_post(&format!("{pay_page}/pay"), &[], b"");
    wait_until("four deliveries", || p.payu.delivered().len() >= 4);
    let statuses: Vec<String> = p.payu.delivered().into_iter().map(|(_, s)| s).collect();
    assert_eq!(statuses, ["COMPLETED", "COMPLETED", "PENDING", "PENDING"]);
    assert_eq!(order_state(&p.app, order).0, "paid");
    assert_eq!(static_ips(&p.app, p.customer_id), ips_before + 1);
    assert_eq!(invoices_of(&p.app, p.customer_id), invoices_before + 1);

    // Eight instances receive the same COMPLETED at once: one payment, one invoice.
    p.payu.set_faults(Faults {
        silent: true,
        ..Faults::default()
    });
    let (order, _) = order_public_ip(&p, "1");
    let payu_id = payments_of(&p.app, order)[0].2.clone().unwrap();
    let body = notification(&p, &payu_id, "COMPLETED", None);
    let header = signed(&body);
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
        "{statuses:?}"
    );
    assert!(statuses.contains(&200));
    assert_eq!(order_state(&p.app, order).0, "paid");
    assert_eq!(
        static_ips(&p.app, p.customer_id),
        ips_before + 2,
        "activated once"
    );
    assert_eq!(
        invoices_of(&p.app, p.customer_id),
        invoices_before + 2,
        "invoiced once"
    );
    // A late CANCELED and a repeat change nothing.
    let cancelled = notification(&p, &payu_id, "CANCELED", None);
    assert_eq!(deliver(&p, &cancelled), Status::Ok);
    assert_eq!(deliver(&p, &body), Status::Ok);
    assert_eq!(order_state(&p.app, order).0, "paid");
    assert_eq!(static_ips(&p.app, p.customer_id), ips_before + 2);
}

fn a_notification_with_another_amount_is_flagged_and_activates_nothing(app: TestApp) {
    let p = paying(
        app,
        Faults {
            silent: true,
            ..Faults::default()
        },
    );
    let ips_before = static_ips(&p.app, p.customer_id);
    let invoices_before = invoices_of(&p.app, p.customer_id);
    let (order, _) = order_public_ip(&p, "1");
    let (payment, _, payu_id) = payments_of(&p.app, order)[0].clone();
    let payu_id = payu_id.unwrap();
    let cheaper = notification(&p, &payu_id, "COMPLETED", Some("100"));
    assert_eq!(deliver(&p, &cheaper), Status::Ok);
    let other_currency = {
        let mut order = p.payu.order(&payu_id).unwrap();
        order.status = "COMPLETED".into();
        order.currency_code = "EUR".into();
        serde_json::to_vec(&OrderNotification {
            order,
            local_receipt_date_time: None,
            properties: Vec::new(),
        })
        .unwrap()
    };
    assert_eq!(deliver(&p, &other_currency), Status::Ok);
    let right = notification(&p, &payu_id, "COMPLETED", None);
    assert_eq!(deliver(&p, &right), Status::Ok);
    let flag: Option<String> = online_payments::table
        .find(payment)
        .select(online_payments::flag)
        .get_result(&mut *p.app.conn())
        .unwrap();
    assert!(flag.unwrap().contains("100"), "staff see PayU's amount");
    assert_eq!(order_state(&p.app, order).0, "unpaid", "nothing activated");
    assert_eq!(static_ips(&p.app, p.customer_id), ips_before);
    assert_eq!(invoices_of(&p.app, p.customer_id), invoices_before);
    let desk = staff(&p.app, "admin")
        .get("/staff/zamowienia")
        .dispatch()
        .into_string()
        .unwrap();
    assert!(desk.contains("do sprawdzenia"), "flagged for staff: {desk}");
}

fn payu_down_when_ordering_leaves_the_order_payable_later(app: TestApp) {
    let p = paying(
        app,
        Faults {
            down: true,
            ..Faults::default()
        },
    );
    let ip = item(&p.app, "public_ip", "Publiczny IPv4 (test)", 3_000, false);
    add(&p.app, ip, &[]);
    let (key, token) = cart_form(&p.app);
    let (status, to) = send_place(&p.app, &key, &token);
    let (order, state, ..) = last_shop_order(&p.app, p.customer_id);
    assert_eq!(
        (status, to.clone()),
        (Status::SeeOther, format!("/zamowienia/{order}"))
    );
    assert_eq!(state, "unpaid");
    let shown = page_text(&p.app.get(&to).into_string().unwrap());
    assert!(shown.contains("PayU teraz nie odpowiada"), "{shown}");
    assert!(
        shown.contains("Zapłać przez PayU"),
        "payable later: {shown}"
    );

    p.payu.set_faults(Faults::default());
    let pay = post(
        &p.app.client,
        &to,
        &format!("/zamowienia/{order}/zaplac"),
        &[],
    );
    assert_eq!(pay.status(), Status::SeeOther);
    let pay_page = location(&pay);
    drop(pay);
    assert!(pay_page.starts_with(&p.payu.base_url), "{pay_page}");
    assert_eq!(
        payments_of(&p.app, order).len(),
        2,
        "the failed attempt and this one"
    );
    http_post(&format!("{pay_page}/pay"), &[], b"");
    wait_until("paid", || order_state(&p.app, order).0 == "paid");
}

fn an_order_unpaid_for_two_hours_is_cancelled_and_the_subscriber_is_mailed(app: TestApp) {
    let p = paying(app, Faults::default());
    let (order, _) = order_public_ip(&p, "1");
    let placed: NaiveDateTime = shop_orders::table
        .find(order)
        .select(shop_orders::placed_at)
        .get_result(&mut *p.app.conn())
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
    // What the worker does every minute: PayU's payments first, then the orders.
    let run = |now: NaiveDateTime| {
        runtime
            .block_on(ebok::app::online_payments::expiry::expire_due(
                &p.app.pool,
                Some(&gateway),
                outgoing,
                now,
            ))
            .unwrap();
        expiry::expire_due(&mut p.app.conn(), outgoing, now).unwrap()
    };
    let cancelled_mails = || {
        order_mails(&p.app, "%")
            .into_iter()
            .filter(|(s, _)| s.contains("anulowane") && s.contains(&format!("ZAM-{order:06}")))
            .count()
    };
    run(placed + chrono::Duration::minutes(119));
    assert_eq!(
        order_state(&p.app, order).0,
        "unpaid",
        "still within two hours"
    );
    run(placed + chrono::Duration::minutes(120) + chrono::Duration::seconds(1));
    assert_eq!(order_state(&p.app, order).0, "cancelled");
    let payu_id = payments_of(&p.app, order)[0].2.clone().unwrap();
    assert_eq!(
        p.payu.order(&payu_id).unwrap().status,
        "CANCELED",
        "cancelled at PayU"
    );
    assert_eq!(cancelled_mails(), 1);
    // Two instances running the job later: nothing twice.
    run(placed + chrono::Duration::hours(3));
    expiry::expire_due(
        &mut p.app.conn(),
        outgoing,
        placed + chrono::Duration::hours(3),
    )
    .unwrap();
    assert_eq!(cancelled_mails(), 1, "told once");
    assert_eq!(
        count(
            &mut p.app.conn(),
            "SELECT id FROM outbox WHERE kind = 'online_payment_expired'"
        ),
        0,
        "about the order, not about each payment attempt"
    );
    let shown = page_text(
        &p.app
            .get(&format!("/zamowienia/{order}"))
            .into_string()
            .unwrap(),
    );
    assert!(shown.contains("anulowane"), "{shown}");
    assert!(!shown.contains("Zapłać przez PayU"), "{shown}");
    let late = post(
        &p.app.client,
        &format!("/zamowienia/{order}"),
        &format!("/zamowienia/{order}/zaplac"),
        &[],
    );
    assert!(shown_after(&p.app, late).contains("nie można już opłacić"));
    // A payment PayU reports for it afterwards is flagged and activates nothing.
    let (_, state, _) = payments_of(&p.app, order)[0].clone();
    assert_eq!(state, "canceled");
}

fn renew_now_puts_the_renewal_in_the_cart_and_payment_extends_it(app: TestApp) {
    let p = paying(app, Faults::default());
    let today = clock::today();
    let soon = today + chrono::Duration::days(10);
    let (domain, name): (i64, String) = domains::table
        .filter(domains::customer_id.eq(p.customer_id))
        .select((domains::id, domains::name))
        .first(&mut *p.app.conn())
        .unwrap();
    diesel::update(domains::table.find(domain))
        .set((
            domains::expires_on.eq(soon),
            domains::status.eq("active"),
            domains::renewal_price.eq(5_000),
        ))
        .execute(&mut *p.app.conn())
        .unwrap();
    let dashboard = p.app.get("/").into_string().unwrap();
    assert!(
        dashboard.contains(&format!("/odnow/domena/{domain}")),
        "the notice offers renewing now"
    );
    let renew = post(&p.app.client, "/", &format!("/odnow/domena/{domain}"), &[]);
    assert!(shown_after(&p.app, renew).contains("Odnowienie jest w koszyku"));
    let again = post(&p.app.client, "/", &format!("/odnow/domena/{domain}"), &[]);
    drop(again);
    assert_eq!(cart_lines(&p.app, p.customer_id).len(), 1, "once");
    let cart = page_text(&p.app.get("/koszyk").into_string().unwrap());
    assert!(cart.contains(&name), "{cart}");

    // Another customer's domain or service is not renewable from here.
    let foreign: Option<i64> = domains::table
        .filter(domains::customer_id.ne(p.customer_id))
        .select(domains::id)
        .first(&mut *p.app.conn())
        .optional()
        .unwrap();
    if let Some(foreign) = foreign {
        let refused = post(&p.app.client, "/", &format!("/odnow/domena/{foreign}"), &[]);
        assert!(shown_after(&p.app, refused).contains("Nie ma takiej pozycji"));
    }
    let foreign_service: Option<i64> = services::table
        .filter(services::customer_id.ne(p.customer_id))
        .select(services::id)
        .first(&mut *p.app.conn())
        .optional()
        .unwrap();
    if let Some(foreign) = foreign_service {
        let refused = post(&p.app.client, "/", &format!("/odnow/usluga/{foreign}"), &[]);
        assert!(shown_after(&p.app, refused).contains("Nie ma takiej pozycji"));
    }

    let (key, token) = cart_form(&p.app);
    let (_, pay_page) = send_place(&p.app, &key, &token);
    let (order, _, _, total, _) = last_shop_order(&p.app, p.customer_id);
    assert_eq!(total, 5_000 + 100, "the renewal price and the fee");
    http_post(&format!("{pay_page}/pay"), &[], b"");
    wait_until("paid", || order_state(&p.app, order).0 == "paid");
    let expires: chrono::NaiveDate = domains::table
        .find(domain)
        .select(domains::expires_on)
        .get_result(&mut *p.app.conn())
        .unwrap();
    assert_eq!(
        expires,
        soon.checked_add_months(chrono::Months::new(12)).unwrap(),
        "a year on from its end"
    );
    assert_eq!(
        order_state(&p.app, order).1,
        "none",
        "nothing waits for people"
    );
}

fn the_demo_has_a_catalogue_and_orders_in_each_state(app: TestApp) {
    let app = app.with_demo(1);
    let on_sale = count(
        &mut app.conn(),
        "SELECT id FROM catalogue_items WHERE active = TRUE",
    );
    assert!(on_sale >= 5, "{on_sale}");
    for status in ["paid", "unpaid", "cancelled"] {
        assert!(
            count(
                &mut app.conn(),
                &format!("SELECT id FROM shop_orders WHERE status = '{status}'")
            ) >= 1,
            "a demo order {status}"
        );
    }
    let queued = count(
        &mut app.conn(),
        "SELECT id FROM shop_orders WHERE fulfilment = 'in_progress' AND invoice_id IS NOT NULL",
    );
    assert_eq!(queued, 1, "a paid, invoiced order in the fulfilment queue");
    // Seeding again adds nothing.
    let orders = count(&mut app.conn(), "SELECT id FROM shop_orders");
    app.seed_demo(1);
    assert_eq!(count(&mut app.conn(), "SELECT id FROM shop_orders"), orders);
    // The demo subscriber sees the shop and their orders.
    common::log_in(
        &app.client,
        ebok::app::demo::DEMO_LOGIN,
        ebok::app::demo::DEMO_PASSWORD,
    );
    let shop = app.get("/sklep").into_string().unwrap();
    assert!(shop.contains("Router Wi-Fi 6"), "{shop}");
    assert!(
        !shop.contains("Kabel sieciowy"),
        "withdrawn items are not offered"
    );
    let mine = app.get("/zamowienia").into_string().unwrap();
    assert!(mine.contains("data-status=\"cancelled\"") && mine.contains("data-status=\"unpaid\""));
}

/// (state, PayU refund id, amount) of the order's PayU refunds, oldest first.
fn payu_refunds(app: &TestApp, order: i64) -> Vec<(String, Option<String>, i64)> {
    use ebok::db::schema::payu_refunds;
    payu_refunds::table
        .filter(payu_refunds::shop_order_id.eq(order))
        .order(payu_refunds::id)
        .select((
            payu_refunds::state,
            payu_refunds::payu_refund_id,
            payu_refunds::amount,
        ))
        .load(&mut *app.conn())
        .unwrap()
}

fn line_of(app: &TestApp, order: i64, kind: &str) -> i64 {
    shop_order_lines::table
        .filter(shop_order_lines::shop_order_id.eq(order))
        .filter(shop_order_lines::kind.eq(kind))
        .select(shop_order_lines::id)
        .first(&mut *app.conn())
        .unwrap()
}

fn staff_refund_paid_lines_through_payu_with_a_correction_once_each(app: TestApp) {
    let p = paying(app, Faults::default());
    let app = &p.app;
    // The demo subscriber's older invoices are paid first: otherwise the ledger lays the
    // order's money on them once a correction frees it, and that part lowers the debt instead
    // of going back (the flash says so).
    let owed = receivables::of_customer(&mut app.conn(), p.customer_id, clock::today())
        .unwrap()
        .standing
        .owed;
    if owed > 0 {
        ebok::app::payments::record_payment(
            &mut app.conn(),
            &ebok::app::payments::PaymentRequest {
                customer_id: p.customer_id,
                amount: ebok::domain::Money::from_grosze(owed),
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
    }
    let ip = item(app, "public_ip", "Publiczny IPv4 (test)", 3_000, false);
    let router = item(app, "device", "Router testowy", 24_900, true);
    add(app, ip, &[]);
    add(app, router, &[]);
    let (key, token) = cart_form(app);
    let (_, pay_page) = send_place(app, &key, &token);
    let order = last_shop_order(app, p.customer_id).0;
    let (status, _) = http_post(&format!("{pay_page}/pay"), &[], b"");
    assert_eq!(status, 303);
    wait_until("the order is paid", || order_state(app, order).0 == "paid");
    let invoice = order_state(app, order).2.expect("invoiced");
    let payu_id = payments_of(app, order)[0].2.clone().unwrap();
    let owed_before = receivables::of_customer(&mut app.conn(), p.customer_id, clock::today())
        .unwrap()
        .standing;

    let billing = staff(app, "admin");
    let desk = billing
        .get("/staff/zamowienia")
        .dispatch()
        .into_string()
        .unwrap();
    assert!(
        desk.contains(&format!("/staff/zamowienia/{order}/zwrot")),
        "a paid order offers a refund: {desk}"
    );
    let refund = |fields: &[(&str, &str)]| {
        let response = post(
            &billing,
            "/staff/zamowienia",
            &format!("/staff/zamowienia/{order}/zwrot"),
            fields,
        );
        assert_eq!(response.status(), Status::SeeOther);
        drop(response);
        page_text(
            &billing
                .get("/staff/zamowienia")
                .dispatch()
                .into_string()
                .unwrap(),
        )
    };
    let corrections = || {
        count(
            &mut app.conn(),
            "SELECT id FROM invoices WHERE kind = 'correction'",
        )
    };
    let corrections_before = corrections();

    // Bad input: a clear message, nothing stored.
    let router_line = line_of(app, order, "device");
    let shown = refund(&[("reason", "Brak towaru")]);
    assert!(
        shown.contains("Zaznacz co najmniej jedną pozycję"),
        "{shown}"
    );
    let shown = refund(&[("line", &router_line.to_string()), ("reason", "  ")]);
    assert!(shown.contains("Podaj powód zwrotu"), "{shown}");
    let shown = refund(&[("line", "999999"), ("reason", "Brak towaru")]);
    assert!(shown.contains("została już zwrócona"), "{shown}");
    assert_eq!(corrections(), corrections_before);
    assert!(payu_refunds(app, order).is_empty());

    // The router goes back: a correction without it, 249 zł back through PayU.
    let shown = refund(&[
        ("line", &router_line.to_string()),
        ("reason", "Brak towaru"),
    ]);
    assert!(shown.contains("Wystawiono korektę"), "{shown}");
    assert_eq!(corrections(), corrections_before + 1);
    let (correction, gross, corrects): (InvoiceId, i64, Option<InvoiceId>) = invoices::table
        .filter(invoices::kind.eq("correction"))
        .order(invoices::id.desc())
        .select((
            invoices::id,
            invoices::total_gross,
            invoices::corrects_invoice_id,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!((gross, corrects), (-24_900, Some(invoice)));
    wait_until("PayU finishes the refund", || {
        payu_refunds(app, order)
            .first()
            .is_some_and(|r| r.0 == "finalized")
    });
    let sim_refunds = p.payu.refunds(&payu_id);
    assert_eq!(sim_refunds.len(), 1);
    assert_eq!(sim_refunds[0].amount, "24900");
    assert_eq!(
        sim_refunds[0]
            .ext_refund_id
            .as_deref()
            .map(|e| e.starts_with("ebok-refund-")),
        Some(true)
    );
    let sent: String = ebok::db::schema::correction_refunds::table
        .filter(ebok::db::schema::correction_refunds::correction_id.eq(correction))
        .select(ebok::db::schema::correction_refunds::status)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        sent, "sent",
        "paid back: nothing left for staff to transfer"
    );
    // The money left: nothing more owed and no credit appeared.
    let owed_after = receivables::of_customer(&mut app.conn(), p.customer_id, clock::today())
        .unwrap()
        .standing;
    assert_eq!(owed_after.owed, owed_before.owed);
    assert_eq!(
        owed_after.credit, owed_before.credit,
        "no credit from a refunded line"
    );

    // PayU's notification again (a repeat) changes nothing; a forged one is refused.
    let body = serde_json::to_vec(&ebok::payu::wire::RefundNotification {
        order_id: payu_id.clone(),
        ext_order_id: None,
        refund: sim_refunds[0].clone(),
    })
    .unwrap();
    assert_eq!(deliver(&p, &body), Status::Ok);
    assert_eq!(payu_refunds(app, order).len(), 1);
    let forged = p
        .app
        .client
        .post("/payu/powiadomienia")
        .header(ContentType::JSON)
        .header(Header::new(
            "OpenPayu-Signature",
            "sender=checkout;signature=00;algorithm=MD5",
        ))
        .body(&body)
        .dispatch()
        .status();
    assert_eq!(forged, Status::Forbidden);

    // The same line twice: refused, nothing new.
    let shown = refund(&[
        ("line", &router_line.to_string()),
        ("reason", "Brak towaru"),
    ]);
    assert!(shown.contains("została już zwrócona"), "{shown}");
    assert_eq!(corrections(), corrections_before + 1);

    // PayU cancels the next one: staff see it to send by transfer and can mark it sent.
    p.payu.set_faults(Faults {
        cancel_refunds: true,
        ..Faults::default()
    });
    let ip_line = line_of(app, order, "public_ip");
    let shown = refund(&[("line", &ip_line.to_string()), ("reason", "Rezygnacja")]);
    assert!(shown.contains("Wystawiono korektę"), "{shown}");
    wait_until("PayU cancels the refund", || {
        payu_refunds(app, order)
            .get(1)
            .is_some_and(|r| r.0 == "canceled")
    });
    assert_eq!(payu_refunds(app, order)[1].2, 3_000);
    let queue = billing
        .get("/staff/zwroty")
        .dispatch()
        .into_string()
        .unwrap();
    assert!(queue.contains("data-payu-state=\"canceled\""), "{queue}");
    let (pending, finished): (i64, i64) = {
        use ebok::db::schema::correction_refunds as r;
        let rows: Vec<(i64, String)> = r::table
            .order(r::id)
            .select((r::id, r::status))
            .load(&mut *app.conn())
            .unwrap();
        let pending = rows.iter().rev().find(|row| row.1 == "pending").unwrap().0;
        let finished = rows.iter().find(|row| row.1 == "sent").unwrap().0;
        (pending, finished)
    };
    let marked = post(
        &billing,
        "/staff/zwroty",
        &format!("/staff/zwroty/{finished}/wyslany"),
        &[],
    );
    assert_eq!(marked.status(), Status::SeeOther);
    drop(marked);
    let marked = post(
        &billing,
        "/staff/zwroty",
        &format!("/staff/zwroty/{pending}/wyslany"),
        &[],
    );
    assert_eq!(marked.status(), Status::SeeOther);
    drop(marked);
    let status: String = ebok::db::schema::correction_refunds::table
        .find(pending)
        .select(ebok::db::schema::correction_refunds::status)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(status, "sent", "sent by transfer after PayU cancelled");
    let desk = page_text(
        &billing
            .get("/staff/zamowienia")
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(
        desk.contains("zwrócony") && desk.contains("anulowany przez PayU"),
        "{desk}"
    );
}
