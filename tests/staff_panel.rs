//! The staff panel end to end, on every backend: roles (and that a refused action writes
//! nothing), the one search box for every kind of term, customer records with checked fields,
//! the profile change queue, one-off and corrective invoices with their PDFs, seller data, and
//! notices with the offer banner — each staff action in the audit log.

mod common;

use common::documents::pdf_text;
use common::{TestApp, count, page_text, post};
use diesel::prelude::*;
use ebok::app::demo;
use ebok::db::change_requests::NewProfileChangeRequest;
use ebok::db::schema::{
    audit_log, contracts, customers, endpoints, invoices, news, offer_banners,
    profile_change_requests, sellers, services,
};
use ebok::domain::CustomerId;
use ebok::domain::InvoiceId;
use ebok::domain::Nrb;
use rocket::http::Status;
use rocket::local::blocking::Client;

backend_tests!(
    the_start_page_offers_each_role_only_what_it_may_do,
    support_cannot_issue_invoices_and_nothing_is_written,
    billing_cannot_edit_series_or_seller_data,
    the_search_box_finds_each_kind_of_term,
    a_new_customer_gets_the_next_number_and_its_own_account,
    a_bad_pesel_or_nip_gives_a_field_message_and_changes_nothing,
    a_duplicate_ip_or_pppoe_login_gives_a_field_message_and_changes_nothing,
    contracts_services_and_endpoints_are_added_and_edited_from_the_card,
    the_customer_card_shows_data_contracts_invoices_ledger_and_audit,
    approval_applies_exactly_the_requested_change,
    a_rejection_needs_a_note_and_changes_nothing,
    a_company_rename_keeps_the_contact_person,
    the_demo_queue_has_profile_changes_waiting_and_a_second_seed_adds_none,
    a_one_off_invoice_is_issued_from_the_panel_with_correct_totals_and_a_pdf,
    bad_invoice_lines_get_messages_under_their_cells,
    a_corrective_invoice_is_issued_from_the_panel,
    another_customers_invoice_cannot_be_corrected_through_this_card,
    seller_data_changes_are_audited_with_before_and_after,
    notices_and_banners_are_scheduled_targeted_and_retired,
    what_staff_publish_or_retire_is_on_dashboards_at_once,
);

const STAFF_PASSWORD: &str = "Staff-ebok-2026";

fn staff_browser(app: &TestApp, login: &str) -> Client {
    let browser = app.another_browser();
    let password = if login == demo::ADMIN_LOGIN {
        demo::ADMIN_PASSWORD
    } else {
        STAFF_PASSWORD
    };
    let status = post(
        &browser,
        "/staff/login",
        "/staff/login",
        &[("login", login), ("password", password)],
    )
    .status();
    assert_eq!(status, Status::SeeOther, "{login} logs in");
    browser
}

fn text_of(client: &Client, path: &str) -> (Status, String) {
    let response = client.get(path.to_owned()).dispatch();
    let status = response.status();
    (
        status,
        page_text(&response.into_string().unwrap_or_default()),
    )
}

/// POSTs a form taken from `page` and returns the status and the visible text.
fn send(client: &Client, page: &str, action: &str, fields: &[(&str, &str)]) -> (Status, String) {
    let response = post(client, page, action, fields);
    let status = response.status();
    (
        status,
        page_text(&response.into_string().unwrap_or_default()),
    )
}

/// Like `send`, with the HTML (to see what the form's inputs hold).
fn send_html(
    client: &Client,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (Status, String) {
    let response = post(client, page, action, fields);
    let status = response.status();
    (status, response.into_string().unwrap_or_default())
}

fn audit_count(app: &TestApp, action: &str) -> i64 {
    audit_log::table
        .filter(audit_log::action.eq(action))
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

fn customer_id(app: &TestApp, number: i64) -> CustomerId {
    ebok::db::customers::find_by_number(&mut app.conn(), number)
        .unwrap()
        .unwrap()
        .id
}

fn person_fields<'a>(pesel: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("kind", "person"),
        ("first_name", "Zofia"),
        ("last_name", "Wiśniewska"),
        ("pesel", pesel),
        ("address_line", "ul. Lipowa 7"),
        ("postal_code", "62-800"),
        ("city", "Kalisz"),
        ("email", email),
        ("phone", "601 234 567"),
        ("language", "pl"),
    ]
}

fn the_start_page_offers_each_role_only_what_it_may_do(app: TestApp) {
    let app = app.with_demo(0);
    let support = staff_browser(&app, "serwis");
    let (status, text) = text_of(&support, "/staff");
    assert_eq!(status, Status::Ok);
    assert!(
        text.contains("Klienci")
            && text.contains("Zgłoszenia")
            && text.contains("Komunikaty i baner"),
        "{text}"
    );
    assert!(
        !text.contains("Płatności") && !text.contains("Dane sprzedawcy"),
        "{text}"
    );
    let billing = staff_browser(&app, "ksiegowosc");
    let (_, text) = text_of(&billing, "/staff");
    assert!(
        text.contains("Płatności") && text.contains("Rozliczenia miesięczne"),
        "{text}"
    );
    assert!(
        !text.contains("Serie numeracji") && !text.contains("Dane sprzedawcy"),
        "{text}"
    );
    let admin = staff_browser(&app, demo::ADMIN_LOGIN);
    let (_, text) = text_of(&admin, "/staff");
    assert!(
        text.contains("Serie numeracji") && text.contains("Dane sprzedawcy"),
        "{text}"
    );
    let anonymous = app.another_browser();
    let response = anonymous.get("/staff/klienci").dispatch();
    assert_eq!(
        response.status(),
        Status::SeeOther,
        "nobody signed in sees no customers"
    );
    assert_eq!(response.headers().get_one("Location"), Some("/staff/login"));
}

fn support_cannot_issue_invoices_and_nothing_is_written(app: TestApp) {
    let app = app.with_demo(0);
    let id = customer_id(&app, 1);
    let support = staff_browser(&app, "serwis");
    let form = format!("/staff/klienci/{id}/faktury/nowa");
    assert_eq!(
        support.get(form.clone()).dispatch().status(),
        Status::Forbidden
    );
    let invoices_before = count(&mut app.conn(), "SELECT id FROM invoices");
    let audit_before = count(&mut app.conn(), "SELECT id FROM audit_log");
    let response = post(
        &support,
        "/staff",
        &format!("/staff/klienci/{id}/faktury"),
        &[
            ("series_code", "FV"),
            ("issue_date", &ebok::app::clock::today().to_string()),
            ("payment_days", "14"),
            ("lines[0].name", "Instalacja"),
            ("lines[0].quantity", "1"),
            ("lines[0].unit", "usł."),
            ("lines[0].unit_price", "199,00"),
            ("lines[0].vat_rate", "23"),
        ],
    );
    assert_eq!(response.status(), Status::Forbidden);
    assert_eq!(
        count(&mut app.conn(), "SELECT id FROM invoices"),
        invoices_before
    );
    assert_eq!(
        count(&mut app.conn(), "SELECT id FROM audit_log"),
        audit_before
    );
    // The card itself is open to support, without the invoicing buttons.
    let (status, text) = text_of(&support, &format!("/staff/klienci/{id}"));
    assert_eq!(status, Status::Ok);
    assert!(!text.contains("Wystaw fakturę"), "{text}");
}

fn billing_cannot_edit_series_or_seller_data(app: TestApp) {
    let app = app.with_demo(0);
    let billing = staff_browser(&app, "ksiegowosc");
    assert_eq!(
        billing.get("/staff/serie").dispatch().status(),
        Status::Forbidden
    );
    assert_eq!(
        billing.get("/staff/sprzedawca").dispatch().status(),
        Status::Forbidden
    );
    let name_before: String = sellers::table
        .select(sellers::name)
        .first(&mut *app.conn())
        .unwrap();
    let response = post(
        &billing,
        "/staff",
        "/staff/sprzedawca",
        &[("name", "Przejęta Sp. z o.o."), ("nip", "5260001246")],
    );
    assert_eq!(response.status(), Status::Forbidden);
    let name_after: String = sellers::table
        .select(sellers::name)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(name_before, name_after);
    assert_eq!(audit_count(&app, "seller_changed"), 0);
    let support = staff_browser(&app, "serwis");
    assert_eq!(
        support.get("/staff/sprzedawca").dispatch().status(),
        Status::Forbidden
    );
}

fn the_search_box_finds_each_kind_of_term(app: TestApp) {
    let app = app.with_demo(3);
    let staff = staff_browser(&app, "serwis");
    let demo_id = customer_id(&app, 1);
    let mut conn = app.conn();
    let (last_name, email, phone): (Option<String>, String, Option<String>) = customers::table
        .find(demo_id)
        .select((customers::last_name, customers::email, customers::phone))
        .first(&mut *conn)
        .unwrap();
    let contract: String = contracts::table
        .filter(contracts::customer_id.eq(demo_id))
        .select(contracts::number)
        .first(&mut *conn)
        .unwrap();
    let (ip, mac, pppoe): (Option<String>, Option<String>, Option<String>) = endpoints::table
        .inner_join(services::table)
        .filter(services::customer_id.eq(demo_id))
        .select((endpoints::ipv4, endpoints::mac, endpoints::pppoe_login))
        .first(&mut *conn)
        .unwrap();
    let invoice: Option<String> = invoices::table
        .filter(invoices::customer_id.eq(demo_id))
        .select(invoices::number)
        .first(&mut *conn)
        .unwrap();
    drop(conn);
    let card = format!("/staff/klienci/{demo_id}");
    let encode = |q: &str| common::form(&[("q", q)]);
    // Exact kinds point at one customer and open the card at once.
    let mut exact = vec![
        contract.to_lowercase(),
        email.to_uppercase(),
        ip.clone().unwrap(),
        invoice.unwrap(),
        "1".to_owned(),
    ];
    if let Some(phone) = phone {
        exact.push(
            phone
                .replace([' ', '+'], "")
                .trim_start_matches("48")
                .to_owned(),
        );
    }
    if let Some(mac) = mac {
        exact.push(mac.to_uppercase().replace(':', "-"));
    }
    if let Some(pppoe) = pppoe {
        exact.push(pppoe);
    }
    for term in &exact {
        let response = staff
            .get(format!("/staff/klienci?{}", encode(term)))
            .dispatch();
        assert_eq!(response.status(), Status::SeeOther, "{term}");
        assert_eq!(
            response.headers().get_one("Location"),
            Some(card.as_str()),
            "{term}"
        );
    }
    // A name lists the matches, case and Polish letters folded.
    let last_name = last_name.unwrap();
    let (status, text) = text_of(
        &staff,
        &format!("/staff/klienci?{}", encode(&last_name.to_lowercase())),
    );
    assert_eq!(status, Status::Ok);
    assert!(text.contains("Szukano po nazwisku"), "{text}");
    assert!(text.contains(&last_name), "{text}");
    // A company by NIP, created through the panel.
    let admin = staff_browser(&app, demo::ADMIN_LOGIN);
    let (status, _) = send(
        &admin,
        "/staff/klienci/nowy",
        "/staff/klienci",
        &[
            ("kind", "company"),
            ("company_name", "Łąkowa Dolina Sp. z o.o."),
            ("first_name", "Jan"),
            ("last_name", "Nowak"),
            ("nip", "526-000-12-46"),
            ("address_line", "ul. Polna 1"),
            ("postal_code", "62-800"),
            ("city", "Kalisz"),
            ("email", "biuro@lakowa.example.com"),
            ("language", "pl"),
        ],
    );
    assert_eq!(status, Status::SeeOther);
    let company: i64 = customers::table
        .filter(customers::nip.eq("5260001246"))
        .select(customers::id)
        .first(&mut *app.conn())
        .unwrap();
    let response = staff
        .get(format!("/staff/klienci?{}", encode("PL 526 000 12 46")))
        .dispatch();
    assert_eq!(
        response.headers().get_one("Location"),
        Some(format!("/staff/klienci/{company}").as_str())
    );
    let (_, text) = text_of(&staff, &format!("/staff/klienci?{}", encode("łąkowa")));
    assert!(text.contains("Łąkowa Dolina Sp. z o.o."), "{text}");
    let (status, text) = text_of(
        &staff,
        &format!("/staff/klienci?{}", encode("10.255.255.254")),
    );
    assert_eq!(status, Status::Ok);
    assert!(text.contains("nic nie znaleziono"), "{text}");
}

fn a_new_customer_gets_the_next_number_and_its_own_account(app: TestApp) {
    let app = app.with_demo(2);
    let staff = staff_browser(&app, "serwis");
    let highest = ebok::db::customers::max_customer_number(&mut app.conn()).unwrap();
    let (status, _) = send(
        &staff,
        "/staff/klienci/nowy",
        "/staff/klienci",
        &person_fields("02270803624", "Zofia.W@Example.com"),
    );
    assert_eq!(status, Status::SeeOther);
    let customer = ebok::db::customers::find_by_number(&mut app.conn(), highest + 1)
        .unwrap()
        .expect("the next number");
    let prefix: String = sellers::table
        .select(sellers::account_prefix)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        customer.nrb,
        Nrb::for_customer(&prefix, (highest + 1) as u64)
            .unwrap()
            .as_str()
    );
    assert_eq!(customer.email, "zofia.w@example.com");
    assert_eq!(customer.phone.as_deref(), Some("+48 601 234 567"));
    assert_eq!(customer.pesel_last4.as_deref(), Some("3624"));
    assert_ne!(
        customer.pesel_hash.as_deref(),
        Some("02270803624"),
        "PESEL is stored hashed"
    );
    assert_eq!(audit_count(&app, "customer_created"), 1);
    // The same PESEL twice is one person: refused with a message.
    let (status, text) = send(
        &staff,
        "/staff/klienci/nowy",
        "/staff/klienci",
        &person_fields("02270803624", "inna@example.com"),
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(
        text.contains("Klient z tym numerem PESEL już istnieje"),
        "{text}"
    );
    assert!(
        ebok::db::customers::find_by_number(&mut app.conn(), highest + 2)
            .unwrap()
            .is_none()
    );
}

fn a_bad_pesel_or_nip_gives_a_field_message_and_changes_nothing(app: TestApp) {
    let app = app.with_demo(0);
    let id = customer_id(&app, 1);
    let staff = staff_browser(&app, "ksiegowosc");
    let before = ebok::db::customers::find(&mut app.conn(), id)
        .unwrap()
        .unwrap();
    let edit = format!("/staff/klienci/{id}/edycja");
    let action = format!("/staff/klienci/{id}");
    let mut fields = person_fields("80061512358", "nowy@example.com");
    let (status, html) = send_html(&staff, &edit, &action, &fields);
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(
        page_text(&html).contains("Numer PESEL jest niepoprawny"),
        "{html}"
    );
    assert!(
        html.contains(r#"value="Zofia""#),
        "the form keeps what was typed: {html}"
    );
    fields.retain(|(k, _)| *k != "pesel");
    fields.push(("pesel", ""));
    fields.push(("nip", "123-456-78-90"));
    let (status, text) = send(&staff, &edit, &action, &fields);
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(text.contains("NIP jest niepoprawny"), "{text}");
    let after = ebok::db::customers::find(&mut app.conn(), id)
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            &before.email,
            &before.last_name,
            &before.nip,
            &before.pesel_hash,
            &before.updated_at
        ),
        (
            &after.email,
            &after.last_name,
            &after.nip,
            &after.pesel_hash,
            &after.updated_at
        )
    );
    assert_eq!(audit_count(&app, "customer_changed"), 0);
    // With valid data the edit lands, with the old values in the audit trail.
    fields.retain(|(k, _)| *k != "nip");
    let (status, _) = send(&staff, &edit, &action, &fields);
    assert_eq!(status, Status::SeeOther);
    let changed = ebok::db::customers::find(&mut app.conn(), id)
        .unwrap()
        .unwrap();
    assert_eq!(changed.last_name.as_deref(), Some("Wiśniewska"));
    assert_eq!(
        changed.pesel_hash, after.pesel_hash,
        "an empty PESEL field keeps the stored one"
    );
    let details: String = audit_log::table
        .filter(audit_log::action.eq("customer_changed"))
        .select(audit_log::details)
        .first(&mut *app.conn())
        .unwrap();
    assert!(
        details.contains(after.last_name.as_deref().unwrap()) && details.contains("Wiśniewska"),
        "{details}"
    );
}

/// A second customer's endpoint holds this IP and login; returns (customer id, service id).
fn endpoint_fields<'a>(service: &'a str, ip: &'a str, login: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("service_id", service),
        ("ipv4", ip),
        ("mac", "02:AA:BB:CC:DD:EE"),
        ("pppoe_login", login),
        ("pppoe_password", "tajne-haslo"),
        ("address_line", "ul. Lipowa 7"),
        ("postal_code", "62-800"),
        ("city", "Kalisz"),
        ("access_enabled", "true"),
    ]
}

fn a_duplicate_ip_or_pppoe_login_gives_a_field_message_and_changes_nothing(app: TestApp) {
    let app = app.with_demo(1);
    let demo_id = customer_id(&app, 1);
    let other = customer_id(&app, 3);
    let (taken_ip, taken_login): (Option<String>, Option<String>) = endpoints::table
        .inner_join(services::table)
        .filter(services::customer_id.eq(other))
        .filter(endpoints::pppoe_login.is_not_null())
        .select((endpoints::ipv4, endpoints::pppoe_login))
        .first(&mut *app.conn())
        .unwrap();
    let service: i64 = services::table
        .filter(services::customer_id.eq(demo_id))
        .select(services::id)
        .first(&mut *app.conn())
        .unwrap();
    let service = service.to_string();
    let staff = staff_browser(&app, "serwis");
    let page = format!("/staff/klienci/{demo_id}/punkty/nowy");
    let action = format!("/staff/klienci/{demo_id}/punkty");
    let endpoints_before = count(&mut app.conn(), "SELECT id FROM endpoints");
    let taken_ip = taken_ip.unwrap();
    let (status, text) = send(
        &staff,
        &page,
        &action,
        &endpoint_fields(&service, &taken_ip, "nowy.login@op.pl"),
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(
        text.contains("Ten adres IP jest już przydzielony"),
        "{text}"
    );
    let (status, text) = send(
        &staff,
        &page,
        &action,
        &endpoint_fields(&service, "10.200.0.9", taken_login.as_deref().unwrap()),
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(text.contains("Ten login PPPoE jest już zajęty"), "{text}");
    let (status, text) = send(
        &staff,
        &page,
        &action,
        &endpoint_fields(&service, "10.200.0.300", "nowy.login@op.pl"),
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(text.contains("Wpisz adres IPv4"), "{text}");
    assert_eq!(
        count(&mut app.conn(), "SELECT id FROM endpoints"),
        endpoints_before
    );
    // Another customer's service cannot carry this customer's endpoint.
    let foreign_service: i64 = services::table
        .filter(services::customer_id.eq(other))
        .select(services::id)
        .first(&mut *app.conn())
        .unwrap();
    let foreign_service = foreign_service.to_string();
    let (status, _) = send(
        &staff,
        &page,
        &action,
        &endpoint_fields(&foreign_service, "10.200.0.9", "nowy.login@op.pl"),
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(
        count(&mut app.conn(), "SELECT id FROM endpoints"),
        endpoints_before
    );
    assert_eq!(audit_count(&app, "endpoint_created"), 0);
}

fn contracts_services_and_endpoints_are_added_and_edited_from_the_card(app: TestApp) {
    let app = app.with_demo(0);
    let id = customer_id(&app, 1);
    let staff = staff_browser(&app, "serwis");
    let tariff: i64 = ebok::db::tariffs::list_active(&mut app.conn()).unwrap()[0].id;
    let tariff = tariff.to_string();
    let today = ebok::app::clock::today().to_string();
    let contract_fields = |number: &'static str, fee: &'static str| {
        vec![
            ("number", number.to_owned()),
            ("tariff_id", tariff.clone()),
            ("signed_on", today.clone()),
            ("starts_on", today.clone()),
            ("term_months", "24".to_owned()),
            ("after_term", "indefinite".to_owned()),
            ("monthly_fee", fee.to_owned()),
            ("billing_day", "1".to_owned()),
            ("install_address_line", "ul. Lipowa 7".to_owned()),
            ("install_postal_code", "62-800".to_owned()),
            ("install_city", "Kalisz".to_owned()),
            ("status", "active".to_owned()),
        ]
    };
    let pairs =
        |fields: &Vec<(&'static str, String)>| -> Vec<(&'static str, String)> { fields.clone() };
    let send_owned = |page: &str, action: &str, fields: Vec<(&'static str, String)>| {
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        send(&staff, page, action, &borrowed)
    };
    let new_contract = format!("/staff/klienci/{id}/umowy/nowa");
    let (status, text) = send_owned(
        &new_contract,
        &format!("/staff/klienci/{id}/umowy"),
        pairs(&contract_fields("UM/2023/00001", "89,99")),
    );
    assert_eq!(
        status,
        Status::UnprocessableEntity,
        "the demo contract has this number"
    );
    assert!(text.contains("Umowa o tym numerze już istnieje"), "{text}");
    let (status, _) = send_owned(
        &new_contract,
        &format!("/staff/klienci/{id}/umowy"),
        pairs(&contract_fields("um/2026/00777", "89,99")),
    );
    assert_eq!(status, Status::SeeOther);
    let (contract_id, fee): (i64, i64) = contracts::table
        .filter(contracts::number.eq("UM/2026/00777"))
        .select((contracts::id, contracts::monthly_fee))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(fee, 8_999);
    let edit = format!("/staff/klienci/{id}/umowy/{contract_id}");
    let (status, _) = send_owned(
        &edit,
        &edit,
        pairs(&contract_fields("UM/2026/00777", "79,99")),
    );
    assert_eq!(status, Status::SeeOther);
    let fee: i64 = contracts::table
        .find(contract_id)
        .select(contracts::monthly_fee)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(fee, 7_999);
    let contract = contract_id.to_string();
    let (status, _) = send(
        &staff,
        &format!("/staff/klienci/{id}/uslugi/nowa"),
        &format!("/staff/klienci/{id}/uslugi"),
        &[
            ("contract_id", &contract),
            ("kind", "static_ip"),
            ("name", "Stały adres IP"),
            ("status", "active"),
            ("activated_on", &today),
            ("monthly_fee", "10"),
        ],
    );
    assert_eq!(status, Status::SeeOther);
    let service: i64 = services::table
        .filter(services::contract_id.eq(contract_id))
        .select(services::id)
        .first(&mut *app.conn())
        .unwrap();
    let service = service.to_string();
    let (status, _) = send(
        &staff,
        &format!("/staff/klienci/{id}/punkty/nowy"),
        &format!("/staff/klienci/{id}/punkty"),
        &endpoint_fields(&service, "10.200.0.9", "zofia.w@op.pl"),
    );
    assert_eq!(status, Status::SeeOther);
    let (endpoint, mac, password): (i64, Option<String>, Option<String>) = endpoints::table
        .filter(endpoints::ipv4.eq("10.200.0.9"))
        .select((endpoints::id, endpoints::mac, endpoints::pppoe_password))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(mac.as_deref(), Some("02:aa:bb:cc:dd:ee"));
    // Editing without a password keeps the stored one; unticking blocks access.
    let edit = format!("/staff/klienci/{id}/punkty/{endpoint}");
    let mut fields = endpoint_fields(&service, "10.200.0.9", "zofia.w@op.pl");
    fields.retain(|(k, _)| *k != "pppoe_password" && *k != "access_enabled");
    let (status, _) = send(&staff, &edit, &edit, &fields);
    assert_eq!(status, Status::SeeOther);
    let (enabled, kept): (bool, Option<String>) = endpoints::table
        .find(endpoint)
        .select((endpoints::access_enabled, endpoints::pppoe_password))
        .first(&mut *app.conn())
        .unwrap();
    assert!(!enabled);
    assert_eq!(kept, password);
    let (_, card) = text_of(&staff, &format!("/staff/klienci/{id}"));
    assert!(
        card.contains("UM/2026/00777")
            && card.contains("Stały adres IP")
            && card.contains("10.200.0.9"),
        "{card}"
    );
    for action in [
        "contract_created",
        "contract_changed",
        "service_created",
        "endpoint_created",
        "endpoint_changed",
    ] {
        assert_eq!(audit_count(&app, action), 1, "{action}");
    }
    let details: String = audit_log::table
        .filter(audit_log::action.eq("endpoint_created"))
        .select(audit_log::details)
        .first(&mut *app.conn())
        .unwrap();
    assert!(
        !details.contains("tajne-haslo"),
        "the audit trail keeps no PPPoE password"
    );
    // Another customer's records are not reachable through this customer's URL.
    assert_eq!(
        staff
            .get(format!(
                "/staff/klienci/{}/umowy/{contract_id}",
                customer_id(&app, 2)
            ))
            .dispatch()
            .status(),
        Status::NotFound
    );
}

fn the_customer_card_shows_data_contracts_invoices_ledger_and_audit(app: TestApp) {
    let app = app.with_demo(0);
    let id = customer_id(&app, 1);
    let staff = staff_browser(&app, "ksiegowosc");
    let (status, text) = text_of(&staff, &format!("/staff/klienci/{id}"));
    assert_eq!(status, Status::Ok);
    let customer = ebok::db::customers::find(&mut app.conn(), id)
        .unwrap()
        .unwrap();
    let nrb = Nrb::parse(&customer.nrb).unwrap().formatted();
    for expected in [
        customer.email.as_str(),
        customer.city.as_str(),
        nrb.as_str(),
        "Umowy",
        "Rozrachunki",
        "Zgody",
        "Historia zmian",
        "Wystaw fakturę",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    let numbers: Vec<Option<String>> = invoices::table
        .filter(invoices::customer_id.eq(id))
        .select(invoices::number)
        .load(&mut *app.conn())
        .unwrap();
    for number in numbers.into_iter().flatten() {
        assert!(text.contains(&number), "{number}");
    }
    assert_eq!(
        staff.get("/staff/klienci/999999").dispatch().status(),
        Status::NotFound
    );
}

fn request_change(
    app: &TestApp,
    customer: CustomerId,
    field: &str,
    requested: serde_json::Value,
) -> i64 {
    ebok::db::change_requests::insert(
        &mut app.conn(),
        &NewProfileChangeRequest {
            customer_id: customer,
            account_id: None,
            field: field.into(),
            requested: requested.to_string(),
            status: ebok::domain::ChangeRequestStatus::Pending,
            ip: Some("192.0.2.10".into()),
            requested_at: ebok::app::clock::now(),
        },
    )
    .unwrap()
}

fn approval_applies_exactly_the_requested_change(app: TestApp) {
    let app = app.with_demo(0);
    let id = customer_id(&app, 1);
    let before = ebok::db::customers::find(&mut app.conn(), id)
        .unwrap()
        .unwrap();
    let request = request_change(
        &app,
        id,
        "address",
        serde_json::json!({ "address_line": "ul. Nowa 12/3", "postal_code": "62-800", "city": "Kalisz" }),
    );
    let staff = staff_browser(&app, "serwis");
    let (_, queue) = text_of(&staff, "/staff/zmiany-danych");
    assert!(
        queue.contains("ul. Nowa 12/3") && queue.contains(&before.address_line),
        "{queue}"
    );
    let (status, _) = send(
        &staff,
        "/staff/zmiany-danych",
        &format!("/staff/zmiany-danych/{request}/akceptuj"),
        &[],
    );
    assert_eq!(status, Status::SeeOther);
    let after = ebok::db::customers::find(&mut app.conn(), id)
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            after.address_line.as_str(),
            after.postal_code.as_str(),
            after.city.as_str()
        ),
        ("ul. Nowa 12/3", "62-800", "Kalisz")
    );
    assert_eq!(
        (
            &after.first_name,
            &after.last_name,
            &after.email,
            &after.nip,
            &after.pesel_hash,
            &after.phone
        ),
        (
            &before.first_name,
            &before.last_name,
            &before.email,
            &before.nip,
            &before.pesel_hash,
            &before.phone
        ),
        "nothing else changes"
    );
    let (status, staff_id): (String, Option<i64>) = profile_change_requests::table
        .find(request)
        .select((
            profile_change_requests::status,
            profile_change_requests::decided_by_staff_id,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(status, "approved");
    assert!(staff_id.is_some());
    assert_eq!(audit_count(&app, "profile_change_approved"), 1);
    // Approving twice applies nothing twice.
    let (status, text) = send(
        &staff,
        "/staff/zmiany-danych",
        &format!("/staff/zmiany-danych/{request}/akceptuj"),
        &[],
    );
    assert_eq!(status, Status::SeeOther);
    let _ = text;
    assert_eq!(audit_count(&app, "profile_change_approved"), 1);
    // A name change for a person: first and last name, nothing else.
    let request = request_change(
        &app,
        id,
        "name",
        serde_json::json!({ "first_name": "Janina", "last_name": "Kowalska-Nowak" }),
    );
    send(
        &staff,
        "/staff/zmiany-danych",
        &format!("/staff/zmiany-danych/{request}/akceptuj"),
        &[],
    );
    let renamed = ebok::db::customers::find(&mut app.conn(), id)
        .unwrap()
        .unwrap();
    assert_eq!(renamed.first_name.as_deref(), Some("Janina"));
    assert_eq!(renamed.last_name.as_deref(), Some("Kowalska-Nowak"));
    assert_eq!(renamed.address_line, "ul. Nowa 12/3");
    // An invalid NIP in a request is not applied.
    let request = request_change(&app, id, "nip", serde_json::json!({ "nip": "1234567890" }));
    send(
        &staff,
        "/staff/zmiany-danych",
        &format!("/staff/zmiany-danych/{request}/akceptuj"),
        &[],
    );
    let unchanged = ebok::db::customers::find(&mut app.conn(), id)
        .unwrap()
        .unwrap();
    assert_eq!(unchanged.nip, before.nip);
    let status: String = profile_change_requests::table
        .find(request)
        .select(profile_change_requests::status)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        status, "pending",
        "the rolled-back approval leaves the request waiting"
    );
}

fn a_rejection_needs_a_note_and_changes_nothing(app: TestApp) {
    let app = app.with_demo(0);
    let id = customer_id(&app, 1);
    let before = ebok::db::customers::find(&mut app.conn(), id)
        .unwrap()
        .unwrap();
    let request = request_change(
        &app,
        id,
        "name",
        serde_json::json!({ "first_name": "X", "last_name": "Y" }),
    );
    let staff = staff_browser(&app, "serwis");
    let action = format!("/staff/zmiany-danych/{request}/odrzuc");
    send(&staff, "/staff/zmiany-danych", &action, &[("note", "  ")]);
    let status: String = profile_change_requests::table
        .find(request)
        .select(profile_change_requests::status)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(status, "pending");
    let (status, _) = send(
        &staff,
        "/staff/zmiany-danych",
        &action,
        &[("note", "Prosimy o skan dowodu osobistego.")],
    );
    assert_eq!(status, Status::SeeOther);
    let (status, note): (String, Option<String>) = profile_change_requests::table
        .find(request)
        .select((
            profile_change_requests::status,
            profile_change_requests::decision_note,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(status, "rejected");
    assert_eq!(note.as_deref(), Some("Prosimy o skan dowodu osobistego."));
    let after = ebok::db::customers::find(&mut app.conn(), id)
        .unwrap()
        .unwrap();
    assert_eq!(before.last_name, after.last_name);
    assert_eq!(audit_count(&app, "profile_change_rejected"), 1);
}

fn one_off_fields(today: &str) -> Vec<(&'static str, String)> {
    vec![
        ("series_code", "FV".into()),
        ("issue_date", today.into()),
        ("payment_days", "7".into()),
        ("lines[0].name", "Instalacja i konfiguracja routera".into()),
        ("lines[0].quantity", "1".into()),
        ("lines[0].unit", "usł.".into()),
        ("lines[0].unit_price", "199,00".into()),
        ("lines[0].vat_rate", "23".into()),
        ("lines[1].name", "Zagubiony pilot do dekodera".into()),
        ("lines[1].quantity", "2".into()),
        ("lines[1].unit", "szt.".into()),
        ("lines[1].unit_price", "25,50".into()),
        ("lines[1].vat_rate", "23".into()),
        ("lines[2].name", "".into()),
        ("lines[2].quantity", "".into()),
        ("lines[2].unit", "szt.".into()),
        ("lines[2].unit_price", "".into()),
        ("lines[2].vat_rate", "23".into()),
    ]
}

fn issue_one_off(app: &TestApp, staff: &Client, customer: CustomerId) -> (Status, String) {
    let today = ebok::app::clock::today().to_string();
    let fields = one_off_fields(&today);
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let _ = app;
    send(
        staff,
        &format!("/staff/klienci/{customer}/faktury/nowa"),
        &format!("/staff/klienci/{customer}/faktury"),
        &borrowed,
    )
}

fn newest_invoice(app: &TestApp, customer: CustomerId) -> (InvoiceId, String, i64, String) {
    let (id, number, gross, kind): (InvoiceId, Option<String>, i64, String) = invoices::table
        .filter(invoices::customer_id.eq(customer))
        .order(invoices::id.desc())
        .select((
            invoices::id,
            invoices::number,
            invoices::total_gross,
            invoices::kind,
        ))
        .first(&mut *app.conn())
        .unwrap();
    (id, number.unwrap(), gross, kind)
}

fn a_one_off_invoice_is_issued_from_the_panel_with_correct_totals_and_a_pdf(app: TestApp) {
    let app = app.with_demo(0);
    let id = customer_id(&app, 1);
    let billing = staff_browser(&app, "ksiegowosc");
    let (status, _) = issue_one_off(&app, &billing, id);
    assert_eq!(status, Status::SeeOther);
    let (invoice, number, gross, kind) = newest_invoice(&app, id);
    assert_eq!(kind, "invoice");
    assert_eq!(
        gross,
        19_900 + 2 * 2_550,
        "gross prices for a consumer: 199,00 + 2 × 25,50"
    );
    let lines = ebok::db::invoices::lines_of(&mut app.conn(), invoice).unwrap();
    assert_eq!(lines.len(), 2, "the empty row is skipped");
    let (net, vat): (i64, i64) = invoices::table
        .find(invoice)
        .select((invoices::total_net, invoices::total_vat))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(net + vat, gross);
    assert_eq!(vat, 4_675, "23 % extracted from 250,00 gross, half-up");
    let (_, card) = text_of(&billing, &format!("/staff/klienci/{id}"));
    assert!(card.contains(&number), "{card}");
    let pdf = billing
        .get(format!("/staff/klienci/{id}/faktury/{invoice}/pdf"))
        .dispatch();
    assert_eq!(pdf.status(), Status::Ok);
    let bytes = pdf.into_bytes().unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    if let Some(text) = pdf_text(&bytes) {
        assert!(text.contains("Instalacja i konfiguracja routera"), "{text}");
        assert!(text.contains("Zagubiony pilot do dekodera"), "{text}");
        assert!(text.contains("250,00"), "{text}");
    }
    let details: String = audit_log::table
        .filter(audit_log::action.eq("invoice_issued"))
        .order(audit_log::id.desc())
        .select(audit_log::details)
        .first(&mut *app.conn())
        .unwrap();
    assert!(details.contains(&number), "{details}");
    let (actor, audited_customer): (Option<i64>, Option<CustomerId>) = audit_log::table
        .filter(audit_log::action.eq("invoice_issued"))
        .order(audit_log::id.desc())
        .select((audit_log::actor_staff_id, audit_log::customer_id))
        .first(&mut *app.conn())
        .unwrap();
    assert!(actor.is_some());
    assert_eq!(audited_customer, Some(id));
}

fn bad_invoice_lines_get_messages_under_their_cells(app: TestApp) {
    let app = app.with_demo(0);
    let id = customer_id(&app, 1);
    let billing = staff_browser(&app, "ksiegowosc");
    let before = count(&mut app.conn(), "SELECT id FROM invoices");
    let today = ebok::app::clock::today().to_string();
    let mut fields = one_off_fields(&today);
    fields[4].1 = "0".into(); // quantity of line 1
    fields[9].1 = "dwa".into(); // quantity of line 2
    fields[11].1 = "12,345".into(); // price of line 2
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, html) = send_html(
        &billing,
        &format!("/staff/klienci/{id}/faktury/nowa"),
        &format!("/staff/klienci/{id}/faktury"),
        &borrowed,
    );
    assert_eq!(status, Status::UnprocessableEntity);
    let text = page_text(&html);
    assert!(text.contains("Ilość musi być większa od zera"), "{text}");
    assert!(text.contains("Wpisz kwotę w złotych"), "{text}");
    assert!(
        html.contains(r#"value="Zagubiony pilot do dekodera""#),
        "typed lines stay: {html}"
    );
    assert!(
        html.contains(r#"value="dwa""#),
        "the wrong value stays to be corrected: {html}"
    );
    let (status, text) = send(
        &billing,
        &format!("/staff/klienci/{id}/faktury/nowa"),
        &format!("/staff/klienci/{id}/faktury"),
        &[
            ("series_code", "FV"),
            ("issue_date", "21.11.2026"),
            ("payment_days", "14"),
        ],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(text.contains("RRRR-MM-DD"), "{text}");
    let (status, text) = send(
        &billing,
        &format!("/staff/klienci/{id}/faktury/nowa"),
        &format!("/staff/klienci/{id}/faktury"),
        &[
            ("series_code", "NIEMA"),
            ("issue_date", &today),
            ("payment_days", "14"),
            ("lines[0].name", "Instalacja"),
            ("lines[0].quantity", "1"),
            ("lines[0].unit_price", "10"),
            ("lines[0].vat_rate", "23"),
        ],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(text.contains("Wybierz aktywną serię numeracji"), "{text}");
    assert_eq!(count(&mut app.conn(), "SELECT id FROM invoices"), before);
}

fn a_corrective_invoice_is_issued_from_the_panel(app: TestApp) {
    let app = app.with_demo(0);
    let id = customer_id(&app, 1);
    let billing = staff_browser(&app, "ksiegowosc");
    issue_one_off(&app, &billing, id);
    let (original, original_number, original_gross, _) = newest_invoice(&app, id);
    let page = format!("/staff/klienci/{id}/faktury/{original}/korekta");
    let (status, form) = text_of(&billing, &page);
    assert_eq!(status, Status::Ok);
    assert!(form.contains(&original_number), "{form}");
    let today = ebok::app::clock::today().to_string();
    // No reason: a message, nothing issued.
    let lines = |reason: &'static str| -> Vec<(&'static str, String)> {
        vec![
            ("series_code", "FK".into()),
            ("issue_date", today.clone()),
            ("payment_days", "14".into()),
            ("reason", reason.into()),
            ("lines[0].keep", "true".into()),
            ("lines[0].name", "Instalacja i konfiguracja routera".into()),
            ("lines[0].quantity", "1".into()),
            ("lines[0].unit", "usł.".into()),
            ("lines[0].unit_price", "149,00".into()),
            ("lines[0].vat_rate", "23".into()),
            // The remote was found: the line goes.
            ("lines[1].name", "Zagubiony pilot do dekodera".into()),
            ("lines[1].quantity", "2".into()),
            ("lines[1].unit", "szt.".into()),
            ("lines[1].unit_price", "25,50".into()),
            ("lines[1].vat_rate", "23".into()),
        ]
    };
    let submit = |fields: Vec<(&'static str, String)>| {
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        send(&billing, &page, &page, &borrowed)
    };
    let (status, text) = submit(lines(""));
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(text.contains("Podaj przyczynę korekty"), "{text}");
    assert_eq!(newest_invoice(&app, id).0, original);
    let (status, _) = submit(lines("Rabat na instalację; pilot odnaleziony"));
    assert_eq!(status, Status::SeeOther);
    let (correction, number, gross, kind) = newest_invoice(&app, id);
    assert_eq!(kind, "correction");
    assert_eq!(
        gross,
        14_900 - original_gross,
        "after 149,00 minus before 250,00"
    );
    let corrects: Option<InvoiceId> = invoices::table
        .find(correction)
        .select(invoices::corrects_invoice_id)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(corrects, Some(original));
    let pdf = billing
        .get(format!("/staff/klienci/{id}/faktury/{correction}/pdf"))
        .dispatch();
    assert_eq!(pdf.status(), Status::Ok);
    if let Some(text) = pdf_text(&pdf.into_bytes().unwrap()) {
        assert!(text.contains(&original_number), "{text}");
        assert!(text.contains("Rabat na instalację"), "{text}");
    }
    assert!(number.starts_with("FK"), "{number}");
    assert_eq!(audit_count(&app, "correction_issued"), 1);
}

fn another_customers_invoice_cannot_be_corrected_through_this_card(app: TestApp) {
    let app = app.with_demo(0);
    let demo_id = customer_id(&app, 1);
    let other = customer_id(&app, 2);
    let billing = staff_browser(&app, "ksiegowosc");
    issue_one_off(&app, &billing, demo_id);
    let (invoice, ..) = newest_invoice(&app, demo_id);
    let page = format!("/staff/klienci/{other}/faktury/{invoice}/korekta");
    assert_eq!(
        billing.get(page.clone()).dispatch().status(),
        Status::NotFound
    );
    assert_eq!(
        billing
            .get(format!("/staff/klienci/{other}/faktury/{invoice}/pdf"))
            .dispatch()
            .status(),
        Status::NotFound
    );
    let before = count(&mut app.conn(), "SELECT id FROM invoices");
    let response = post(
        &billing,
        "/staff",
        &page,
        &[
            ("series_code", "FK"),
            ("reason", "x"),
            ("issue_date", "2026-11-21"),
            ("payment_days", "14"),
            ("lines[0].name", "A"),
            ("lines[0].quantity", "1"),
            ("lines[0].unit_price", "1"),
            ("lines[0].vat_rate", "23"),
            ("lines[0].keep", "true"),
        ],
    );
    assert_eq!(response.status(), Status::NotFound);
    assert_eq!(count(&mut app.conn(), "SELECT id FROM invoices"), before);
}

fn seller_data_changes_are_audited_with_before_and_after(app: TestApp) {
    let app = app.with_demo(0);
    let admin = staff_browser(&app, demo::ADMIN_LOGIN);
    let seller = ebok::db::seller::find(&mut app.conn()).unwrap().unwrap();
    let account = Nrb::parse(&seller.bank_account).unwrap().formatted();
    let mut fields: Vec<(&str, String)> = vec![
        ("name", "Nowa Nazwa Sieci Sp. z o.o.".into()),
        ("short_name", seller.short_name.clone()),
        ("nip", seller.nip.clone()),
        ("regon", seller.regon.clone().unwrap_or_default()),
        ("address_line", seller.address_line.clone()),
        ("postal_code", seller.postal_code.clone()),
        ("city", seller.city.clone()),
        ("email", seller.email.clone()),
        ("phone", seller.phone.clone()),
        ("website", seller.website.clone().unwrap_or_default()),
        ("bank_name", seller.bank_name.clone()),
        ("bank_account", account),
        ("account_prefix", seller.account_prefix.clone()),
    ];
    let submit = |fields: &Vec<(&str, String)>| {
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        send(&admin, "/staff/sprzedawca", "/staff/sprzedawca", &borrowed)
    };
    let mut bad = fields.clone();
    bad[2].1 = "1234567890".into();
    bad[11].1 = "12 1020 1026 0000 0000 0000 0001".into();
    bad[12].1 = "1234567".into();
    let (status, text) = submit(&bad);
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(text.contains("NIP jest niepoprawny"), "{text}");
    assert!(text.contains("Numer rachunku jest niepoprawny"), "{text}");
    assert!(text.contains("Prefiks rachunków"), "{text}");
    assert_eq!(audit_count(&app, "seller_changed"), 0);
    fields[0].1 = "Nowa Nazwa Sieci Sp. z o.o.".into();
    let (status, _) = submit(&fields);
    assert_eq!(status, Status::SeeOther);
    let name: String = sellers::table
        .select(sellers::name)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(name, "Nowa Nazwa Sieci Sp. z o.o.");
    let details: String = audit_log::table
        .filter(audit_log::action.eq("seller_changed"))
        .select(audit_log::details)
        .first(&mut *app.conn())
        .unwrap();
    let details: serde_json::Value = serde_json::from_str(&details).unwrap();
    assert_eq!(details["before"]["name"], seller.name.as_str());
    assert_eq!(details["after"]["name"], "Nowa Nazwa Sieci Sp. z o.o.");
}

fn notices_and_banners_are_scheduled_targeted_and_retired(app: TestApp) {
    let app = app.with_demo(0);
    let support = staff_browser(&app, "serwis");
    let billing = staff_browser(&app, "ksiegowosc");
    assert_eq!(
        billing.get("/staff/komunikaty").dispatch().status(),
        Status::Forbidden
    );
    // An outage needs its start time.
    let (status, text) = send(
        &support,
        "/staff/komunikaty/nowy",
        "/staff/komunikaty",
        &[
            ("kind", "outage"),
            ("title", "Awaria w Kaliszu"),
            ("body", "Uszkodzony kabel."),
            ("area", "Kalisz"),
        ],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(text.contains("Wpisz datę i godzinę"), "{text}");
    // A kind the form does not offer is refused with the choice message, nothing stored.
    let (status, text) = send(
        &support,
        "/staff/komunikaty/nowy",
        "/staff/komunikaty",
        &[
            ("kind", "party"),
            ("title", "Impreza w węźle"),
            ("body", "Zapraszamy."),
            ("starts_at", "2026-07-01T12:00"),
        ],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(
        text.contains("Wybierz jedną z podanych możliwości."),
        "{text}"
    );
    let stored: i64 = news::table
        .filter(news::title.eq("Impreza w węźle"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(stored, 0, "nothing stored for an unknown kind");
    let (status, _) = send(
        &support,
        "/staff/komunikaty/nowy",
        "/staff/komunikaty",
        &[
            ("kind", "outage"),
            ("title", "Awaria w Kaliszu"),
            ("body", "Uszkodzony kabel."),
            ("area", " Kalisz "),
            ("published_at", ""),
            ("starts_at", "2026-07-01T12:00"),
            ("ends_at", "2026-07-01T16:30"),
            ("urgent", "true"),
        ],
    );
    assert_eq!(status, Status::SeeOther);
    let (id, area, starts, ends, urgent): (
        i64,
        Option<String>,
        Option<chrono::NaiveDateTime>,
        Option<chrono::NaiveDateTime>,
        bool,
    ) = news::table
        .filter(news::title.eq("Awaria w Kaliszu"))
        .select((
            news::id,
            news::area,
            news::starts_at,
            news::ends_at,
            news::urgent,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(area.as_deref(), Some("Kalisz"));
    assert_eq!(
        starts.unwrap().to_string(),
        "2026-07-01 10:00:00",
        "Polish summer time stored as UTC"
    );
    assert_eq!(ends.unwrap().to_string(), "2026-07-01 14:30:00");
    assert!(urgent);
    let (status, _) = send(
        &support,
        "/staff/komunikaty",
        &format!("/staff/komunikaty/{id}/wycofaj"),
        &[],
    );
    assert_eq!(status, Status::SeeOther);
    let retired: Option<chrono::NaiveDateTime> = news::table
        .find(id)
        .select(news::retired_at)
        .first(&mut *app.conn())
        .unwrap();
    assert!(retired.is_some());
    // A banner with an unsafe link is refused; a scheduled one is saved and listed as scheduled.
    let (status, text) = send(
        &support,
        "/staff/komunikaty/baner/nowy",
        "/staff/komunikaty/baner",
        &[
            ("title", "Światłowód 2 Gb/s"),
            ("body", "Nowy pakiet."),
            ("link_url", "javascript:alert(1)"),
        ],
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(text.contains("Odnośnik musi prowadzić"), "{text}");
    let (status, _) = send(
        &support,
        "/staff/komunikaty/baner/nowy",
        "/staff/komunikaty/baner",
        &[
            ("title", "Światłowód 2 Gb/s"),
            ("body", "Nowy pakiet."),
            ("link_url", "/uslugi"),
            ("area", ""),
            ("starts_at", "2099-01-01T00:00"),
            ("ends_at", ""),
        ],
    );
    assert_eq!(status, Status::SeeOther);
    let (banner, area): (i64, Option<String>) = offer_banners::table
        .select((offer_banners::id, offer_banners::area))
        .order(offer_banners::id.desc())
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(area, None, "an empty area targets everyone");
    let (_, list) = text_of(&support, "/staff/komunikaty");
    assert!(
        list.contains("Światłowód 2 Gb/s")
            && list.contains("zaplanowany")
            && list.contains("wycofany"),
        "{list}"
    );
    send(
        &support,
        "/staff/komunikaty",
        &format!("/staff/komunikaty/baner/{banner}/wycofaj"),
        &[],
    );
    let retired: Option<chrono::NaiveDateTime> = offer_banners::table
        .find(banner)
        .select(offer_banners::retired_at)
        .first(&mut *app.conn())
        .unwrap();
    assert!(retired.is_some());
    for action in [
        "news_created",
        "news_retired",
        "banner_created",
        "banner_retired",
    ] {
        assert_eq!(audit_count(&app, action), 1, "{action}");
    }
}

/// Dashboards read news and offers from a copy held in memory for a few seconds; a change made
/// in the panel of the same server must not wait for it to expire. (Each test browser is a
/// server of its own, so here one browser holds both the staff and the subscriber session.)
fn what_staff_publish_or_retire_is_on_dashboards_at_once(app: TestApp) {
    let app = app.with_demo(0);
    let subscriber = app.another_browser();
    assert_eq!(
        common::log_in(&subscriber, demo::DEMO_LOGIN, demo::DEMO_PASSWORD).status(),
        Status::SeeOther
    );
    let status = post(
        &subscriber,
        "/staff/login",
        "/staff/login",
        &[("login", "serwis"), ("password", STAFF_PASSWORD)],
    )
    .status();
    assert_eq!(status, Status::SeeOther);
    let support = &subscriber;
    let (_, before) = text_of(&subscriber, "/");
    assert!(!before.contains("Nowy cennik dla Kalisza"), "{before}");
    let (status, _) = send(
        support,
        "/staff/komunikaty/nowy",
        "/staff/komunikaty",
        &[
            ("kind", "news"),
            ("title", "Nowy cennik dla Kalisza"),
            ("body", "Od grudnia taniej."),
            ("area", "Kalisz"),
            ("published_at", ""),
        ],
    );
    assert_eq!(status, Status::SeeOther);
    let (_, after) = text_of(&subscriber, "/");
    assert!(after.contains("Nowy cennik dla Kalisza"), "{after}");
    let (_, page) = text_of(&subscriber, "/wiadomosci");
    assert!(page.contains("Nowy cennik dla Kalisza"), "{page}");
    let id: i64 = news::table
        .filter(news::title.eq("Nowy cennik dla Kalisza"))
        .select(news::id)
        .first(&mut *app.conn())
        .unwrap();
    send(
        support,
        "/staff/komunikaty",
        &format!("/staff/komunikaty/{id}/wycofaj"),
        &[],
    );
    let (_, retired) = text_of(&subscriber, "/");
    assert!(!retired.contains("Nowy cennik dla Kalisza"), "{retired}");

    // Newer than the demo's banner for everybody (started three days ago), so it is the one shown.
    let hours_ago = (chrono::Utc::now() - chrono::Duration::hours(3))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let (status, _) = send(
        support,
        "/staff/komunikaty/baner/nowy",
        "/staff/komunikaty/baner",
        &[
            ("title", "Telewizja gratis do końca roku"),
            ("body", "Dla wszystkich abonentów."),
            ("link_url", "/uslugi"),
            ("area", ""),
            ("starts_at", &hours_ago),
            ("ends_at", ""),
        ],
    );
    assert_eq!(status, Status::SeeOther);
    let (_, banner) = text_of(&subscriber, "/");
    assert!(
        banner.contains("Telewizja gratis do końca roku"),
        "{banner}"
    );
    let banner_id: i64 = offer_banners::table
        .select(offer_banners::id)
        .order(offer_banners::id.desc())
        .first(&mut *app.conn())
        .unwrap();
    send(
        support,
        "/staff/komunikaty",
        &format!("/staff/komunikaty/baner/{banner_id}/wycofaj"),
        &[],
    );
    let (_, gone) = text_of(&subscriber, "/");
    assert!(!gone.contains("Telewizja gratis do końca roku"), "{gone}");
}

fn a_company_rename_keeps_the_contact_person(app: TestApp) {
    let app = app.with_demo(0);
    let staff = staff_browser(&app, "serwis");
    let (status, _) = send(
        &staff,
        "/staff/klienci/nowy",
        "/staff/klienci",
        &[
            ("kind", "company"),
            ("company_name", "Stara Nazwa Sp. z o.o."),
            ("first_name", "Ewa"),
            ("last_name", "Kontaktowa"),
            ("nip", "5260001246"),
            ("address_line", "ul. Polna 1"),
            ("postal_code", "62-800"),
            ("city", "Kalisz"),
            ("email", "biuro@stara.example.com"),
            ("language", "pl"),
        ],
    );
    assert_eq!(status, Status::SeeOther);
    let id: CustomerId = customers::table
        .filter(customers::nip.eq("5260001246"))
        .select(customers::id)
        .first(&mut *app.conn())
        .unwrap();
    let request = request_change(
        &app,
        id,
        "name",
        serde_json::json!({ "company_name": "Nowa Nazwa S.A." }),
    );
    let (_, queue) = text_of(&staff, "/staff/zmiany-danych");
    assert!(
        queue.contains("Stara Nazwa Sp. z o.o.") && queue.contains("Nowa Nazwa S.A."),
        "{queue}"
    );
    assert!(
        !queue.contains("Kontaktowa —"),
        "only the company name is shown as changing: {queue}"
    );
    send(
        &staff,
        "/staff/zmiany-danych",
        &format!("/staff/zmiany-danych/{request}/akceptuj"),
        &[],
    );
    let after = ebok::db::customers::find(&mut app.conn(), id)
        .unwrap()
        .unwrap();
    assert_eq!(after.company_name.as_deref(), Some("Nowa Nazwa S.A."));
    assert_eq!(after.first_name.as_deref(), Some("Ewa"));
    assert_eq!(after.last_name.as_deref(), Some("Kontaktowa"));
}

fn the_demo_queue_has_profile_changes_waiting_and_a_second_seed_adds_none(app: TestApp) {
    let app = app.with_demo(11);
    let pending = count(
        &mut app.conn(),
        "SELECT id FROM profile_change_requests WHERE status = 'pending'",
    );
    assert!(pending >= 1, "customer 12 asked to move");
    let staff = staff_browser(&app, "serwis");
    let (_, queue) = text_of(&staff, "/staff/zmiany-danych");
    assert!(queue.contains("ul. Nowy Świat 12/4"), "{queue}");
    app.seed_demo(11);
    assert_eq!(
        count(&mut app.conn(), "SELECT id FROM profile_change_requests"),
        pending
    );
}
