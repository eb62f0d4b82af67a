//! The subscriber's portal pages: dashboard, contracts, services (with the PPPoE password behind
//! the account password), domains, notices, news, profile — the data shown and stored, in
//! Polish and English, and nothing of another customer reachable by id.

mod common;

use common::{TestApp, count, log_in, page_text, post, scalar_i64};
use ebok::domain::ContractId;
use ebok::domain::CustomerId;
use rocket::http::{Header, Status};
use rocket::local::blocking::Client;

backend_tests!(
    the_dashboard_shows_counts_notices_payments_news_and_the_offer,
    contracts_show_term_tariff_fee_and_installation,
    services_show_endpoints_and_the_pppoe_password_only_after_the_account_password,
    domains_are_listed_with_the_expiring_one_highlighted_and_renewal_toggles,
    notices_list_what_needs_action_with_links,
    urgent_news_stays_on_top_until_this_customer_confirms_it,
    contact_data_applies_at_once_and_bad_input_changes_nothing,
    name_and_address_changes_wait_for_approval_and_can_be_withdrawn,
    consents_and_preferences_are_recorded_with_history,
    the_portal_speaks_english_when_chosen,
    another_customers_ids_are_not_found_and_change_nothing,
    the_owner_invites_a_billing_contact_who_sees_only_billing_and_can_be_revoked,
    contacts_of_another_customer_are_not_found,
    the_customer_overview_reads_what_the_lists_read_in_one_statement,
);

fn demo_app(app: TestApp) -> TestApp {
    app.with_demo(2)
}

fn logged_in_demo(app: &TestApp) {
    let response = log_in(&app.client, "demo", "Demo-ebok-2026");
    assert_eq!(response.status(), Status::SeeOther);
}

fn text(client: &Client, path: &str) -> String {
    let response = client.get(path.to_owned()).dispatch();
    assert_eq!(response.status(), Status::Ok, "GET {path}");
    page_text(&response.into_string().unwrap())
}

fn demo_service_id(app: &TestApp, kind: &str) -> i64 {
    scalar_i64(
        app,
        &format!(
            "SELECT s.id AS v FROM services s JOIN customers c ON c.id = s.customer_id \
             WHERE c.customer_number = 1 AND s.kind = '{kind}'"
        ),
    )
}

fn the_dashboard_shows_counts_notices_payments_news_and_the_offer(app: TestApp) {
    let app = demo_app(app);
    logged_in_demo(&app);
    let page = text(&app.client, "/");
    assert!(page.contains("Dzień dobry, Jan Kowalski"), "{page}");
    // Internet, static IP, TV, hosting: four active services; two domains.
    assert!(page.contains("4 aktywne usługi"), "{page}");
    assert!(page.contains("2 domeny"), "{page}");
    // Tickets from the demo not yet closed: new, waiting for the customer, answered (two are closed).
    assert!(page.contains("3 otwarte zgłoszenia"), "{page}");
    // Notices: the TV package (5 days), the domain (20 days), the contract term (within 60 days).
    assert!(
        page.contains("Usługa „Pakiet TV Start” wygasa za 5 dni"),
        "{page}"
    );
    assert!(
        page.contains("Domena kowalski-kalisz.pl wygasa za 20 dni"),
        "{page}"
    );
    assert!(page.contains("Umowa UM/2023/00001 kończy się za"), "{page}");
    // The hosting expires in 40 days: outside the 7-day window for services.
    assert!(!page.contains("Hosting WWW 5 GB” wygasa"), "{page}");
    // News for Kalisz (Jan's area) and for everyone, not Pleszew's.
    assert!(
        page.contains("Awaria łącza światłowodowego — os. Dobrzec"),
        "{page}"
    );
    assert!(!page.contains("Pleszew"), "{page}");
    assert!(
        page.contains("Światłowód 1000/100 Mb/s przez 3 miesiące za 1 zł"),
        "{page}"
    );
    assert!(page.contains("Ostatnie wpłaty"), "{page}");
    assert!(
        page.contains("Pytanie o fakturę za poprzedni miesiąc"),
        "{page}"
    );
    let html = app.get("/").into_string().unwrap();
    assert!(html.contains("href=\"/zgloszenia/nowe?kategoria=fault\""));
    assert!(html.contains("/pdf\""), "shortcut to the last invoice");
    assert!(html.contains("/zaplac\""), "shortcut to pay");
}

fn contracts_show_term_tariff_fee_and_installation(app: TestApp) {
    let app = demo_app(app);
    logged_in_demo(&app);
    let page = text(&app.client, "/umowy");
    assert!(page.contains("Umowa UM/2023/00001"), "{page}");
    assert!(page.contains("600/"), "speeds: {page}");
    assert!(page.contains("10. dnia miesiąca"), "{page}");
    assert!(page.contains("ul. Kwiatowa 7/3, 62-800 Kalisz"), "{page}");
    assert!(page.contains("na czas określony"), "{page}");
    assert!(page.contains("(24 mies.)"), "{page}");
    let contract_id = scalar_i64(
        &app,
        "SELECT id AS v FROM contracts WHERE number = 'UM/2023/00001'",
    );
    let detail = text(&app.client, &format!("/umowy/{contract_id}"));
    assert!(
        detail.contains("Pakiet TV Start"),
        "services of the contract: {detail}"
    );
}

fn services_show_endpoints_and_the_pppoe_password_only_after_the_account_password(app: TestApp) {
    let app = demo_app(app);
    logged_in_demo(&app);
    let list = text(&app.client, "/uslugi");
    assert!(list.contains("203.0.113.17"), "{list}");
    assert!(list.contains("Pakiet TV Start"), "{list}");
    let internet = demo_service_id(&app, "internet");
    let path = format!("/uslugi/{internet}");
    let html = app.get(&path).into_string().unwrap();
    let secret: String = {
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            v: String,
        }
        use diesel::RunQueryDsl;
        diesel::sql_query(format!(
            "SELECT pppoe_password AS v FROM endpoints WHERE service_id = {internet}"
        ))
        .get_result::<Row>(&mut *app.conn())
        .unwrap()
        .v
    };
    // Sealed at rest: what the subscriber is shown is the opened value.
    let secret = app
        .config
        .security
        .secrets
        .open(ebok::app::crypto::SecretKind::PppoePassword, &secret)
        .unwrap();
    assert!(
        !html.contains(&secret),
        "the PPPoE password is not on the page"
    );
    let endpoint_id = scalar_i64(
        &app,
        &format!("SELECT id AS v FROM endpoints WHERE service_id = {internet}"),
    );
    let endpoint = endpoint_id.to_string();
    let action = format!("{path}/haslo-pppoe");
    let wrong = post(
        &app.client,
        &path,
        &action,
        &[("endpoint_id", &endpoint), ("password", "nie-to-haslo")],
    );
    assert_eq!(wrong.status(), Status::UnprocessableEntity);
    let wrong = page_text(&wrong.into_string().unwrap());
    assert!(
        wrong.contains("Hasło do konta jest nieprawidłowe."),
        "{wrong}"
    );
    assert!(!wrong.contains(&secret));
    let right = post(
        &app.client,
        &path,
        &action,
        &[("endpoint_id", &endpoint), ("password", "Demo-ebok-2026")],
    );
    assert_eq!(right.status(), Status::Ok);
    assert!(right.into_string().unwrap().contains(&secret));
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM audit_log WHERE action = 'pppoe_password_shown'"
        ),
        1
    );

    // Renewal of the TV package (it has an expiry date) is the customer's to switch.
    let tv = demo_service_id(&app, "tv");
    let tv_path = format!("/uslugi/{tv}");
    let on = post(
        &app.client,
        &tv_path,
        &format!("{tv_path}/odnawianie"),
        &[("auto_renew", "true")],
    );
    assert_eq!(on.status(), Status::SeeOther);
    assert_eq!(
        count(
            &mut app.conn(),
            &format!("SELECT id FROM services WHERE id = {tv} AND auto_renew = TRUE")
        ),
        1
    );
    assert!(text(&app.client, &tv_path).contains("Usługa odnowi się automatycznie."));
}

fn domains_are_listed_with_the_expiring_one_highlighted_and_renewal_toggles(app: TestApp) {
    let app = demo_app(app);
    logged_in_demo(&app);
    let html = app.get("/domeny").into_string().unwrap();
    let document = scraper::Html::parse_document(&html);
    let highlighted = scraper::Selector::parse("tr.row-warning").unwrap();
    let rows: Vec<String> = document
        .select(&highlighted)
        .map(|row| row.text().collect::<String>())
        .collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].contains("kowalski-kalisz.pl"));
    assert!(rows[0].contains("zostaje 20 dni"), "{rows:?}");
    let page = page_text(&html);
    assert!(page.contains("jan-kowalski.com.pl"));
    let domain_id = scalar_i64(
        &app,
        "SELECT id AS v FROM domains WHERE name = 'kowalski-kalisz.pl'",
    );
    let response = post(
        &app.client,
        "/domeny",
        &format!("/domeny/{domain_id}/odnawianie"),
        &[("auto_renew", "true")],
    );
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM domains WHERE name = 'kowalski-kalisz.pl' AND auto_renew = TRUE"
        ),
        1
    );
}

fn notices_list_what_needs_action_with_links(app: TestApp) {
    let app = demo_app(app);
    logged_in_demo(&app);
    let html = app.get("/powiadomienia").into_string().unwrap();
    let page = page_text(&html);
    assert!(page.contains("Pakiet TV Start"), "{page}");
    assert!(page.contains("kowalski-kalisz.pl"), "{page}");
    let tv = demo_service_id(&app, "tv");
    assert!(html.contains(&format!("href=\"/uslugi/{tv}\"")));
    assert!(html.contains("href=\"/domeny\""));
}

fn urgent_news_stays_on_top_until_this_customer_confirms_it(app: TestApp) {
    let app = demo_app(app);
    logged_in_demo(&app);
    let outage = scalar_i64(
        &app,
        "SELECT id AS v FROM news WHERE title = 'Awaria łącza światłowodowego — os. Dobrzec'",
    );
    let html = app.get("/wiadomosci").into_string().unwrap();
    let first_article = html.find("<article").unwrap();
    assert!(
        html[first_article..].starts_with("<article class=\"card news-urgent\""),
        "urgent first"
    );
    assert!(html.contains(&format!("/wiadomosci/{outage}/potwierdz")));
    let response = post(
        &app.client,
        "/wiadomosci",
        &format!("/wiadomosci/{outage}/potwierdz"),
        &[],
    );
    assert_eq!(response.status(), Status::SeeOther);
    let html = app.get("/wiadomosci").into_string().unwrap();
    assert!(!html.contains(&format!("/wiadomosci/{outage}/potwierdz")));
    assert_eq!(
        count(
            &mut app.conn(),
            &format!("SELECT news_id FROM news_confirmations WHERE news_id = {outage}")
        ),
        1
    );
    // Confirming again records nothing new.
    post(
        &app.client,
        "/wiadomosci",
        &format!("/wiadomosci/{outage}/potwierdz"),
        &[],
    );
    assert_eq!(
        count(&mut app.conn(), "SELECT news_id FROM news_confirmations"),
        1
    );
}

fn contact_data_applies_at_once_and_bad_input_changes_nothing(app: TestApp) {
    let app = demo_app(app);
    logged_in_demo(&app);
    let bad = post(
        &app.client,
        "/dane",
        "/dane/kontakt",
        &[
            ("phone", "12"),
            ("correspondence_address_line", "ul. Polna 1"),
            ("correspondence_postal_code", "62800"),
            ("correspondence_city", "Kalisz"),
        ],
    );
    assert_eq!(bad.status(), Status::UnprocessableEntity);
    let page = page_text(&bad.into_string().unwrap());
    assert!(page.contains("Kod pocztowy ma postać 00-000."), "{page}");
    assert!(page.contains("Podaj numer telefonu"), "{page}");
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM customers WHERE customer_number = 1 AND phone = '+48 601 234 567' \
             AND correspondence_address_line IS NULL"
        ),
        1,
        "nothing stored"
    );
    let good = post(
        &app.client,
        "/dane",
        "/dane/kontakt",
        &[
            ("phone", "+48 600 100 200"),
            ("correspondence_address_line", "ul. Polna 1"),
            ("correspondence_postal_code", "62-800"),
            ("correspondence_city", "Kalisz"),
        ],
    );
    assert_eq!(good.status(), Status::SeeOther);
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM customers WHERE customer_number = 1 AND phone = '+48 600 100 200' \
             AND correspondence_postal_code = '62-800'"
        ),
        1
    );
    assert!(text(&app.client, "/dane").contains("Dane kontaktowe zapisane."));
}

fn name_and_address_changes_wait_for_approval_and_can_be_withdrawn(app: TestApp) {
    let app = demo_app(app);
    logged_in_demo(&app);
    let response = post(
        &app.client,
        "/dane",
        "/dane/wniosek",
        &[
            ("field", "name"),
            ("first_name", "Jan"),
            ("last_name", "Kowalski-Nowak"),
        ],
    );
    assert_eq!(response.status(), Status::SeeOther);
    // Not applied: still Kowalski, with a pending request.
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM customers WHERE customer_number = 1 AND last_name = 'Kowalski'"
        ),
        1
    );
    let page = text(&app.client, "/dane");
    assert!(page.contains("Zmiany czekające na zatwierdzenie"), "{page}");
    assert!(page.contains("Kowalski-Nowak"), "{page}");
    // A bad PESEL is refused with a message; nothing filed.
    let bad = post(
        &app.client,
        "/dane",
        "/dane/wniosek",
        &[("field", "pesel"), ("pesel", "80061512358")],
    );
    assert_eq!(bad.status(), Status::UnprocessableEntity);
    assert!(page_text(&bad.into_string().unwrap()).contains("To nie jest poprawny numer PESEL."));
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM profile_change_requests WHERE status = 'pending'"
        ),
        1
    );
    // A second name request replaces the first.
    post(
        &app.client,
        "/dane",
        "/dane/wniosek",
        &[
            ("field", "name"),
            ("first_name", "Janusz"),
            ("last_name", "Kowalski"),
        ],
    );
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM profile_change_requests WHERE status = 'pending'"
        ),
        1
    );
    let id = scalar_i64(
        &app,
        "SELECT id AS v FROM profile_change_requests WHERE status = 'pending'",
    );
    let withdrawn = post(
        &app.client,
        "/dane",
        &format!("/dane/wniosek/{id}/wycofaj"),
        &[],
    );
    assert_eq!(withdrawn.status(), Status::SeeOther);
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM profile_change_requests WHERE status = 'pending'"
        ),
        0
    );
}

fn consents_and_preferences_are_recorded_with_history(app: TestApp) {
    let app = demo_app(app);
    logged_in_demo(&app);
    // Withdraw the e-invoice consent, keep notifications but ticket replies, no marketing.
    let response = post(
        &app.client,
        "/dane",
        "/dane/ustawienia",
        &[
            ("language", "pl"),
            ("notify_invoices", "true"),
            ("notify_reminders", "true"),
            ("notify_outages", "true"),
        ],
    );
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT c.id FROM consents c JOIN customers k ON k.id = c.customer_id \
             WHERE k.customer_number = 1 AND c.kind = 'einvoice' AND c.granted = FALSE \
             AND c.text_version = 'e-faktura-2026-01'"
        ),
        1
    );
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM customers WHERE customer_number = 1 AND notify_tickets = FALSE \
             AND notify_invoices = TRUE"
        ),
        1
    );
    // Marketing was never given: saving "no" again writes no row.
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM consents WHERE kind = 'marketing'"
        ),
        0
    );
    // Giving it back is as easy.
    post(
        &app.client,
        "/dane",
        "/dane/ustawienia",
        &[
            ("language", "pl"),
            ("einvoice", "true"),
            ("marketing", "true"),
        ],
    );
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT c.id FROM consents c JOIN customers k ON k.id = c.customer_id \
             WHERE k.customer_number = 1 AND c.granted = TRUE"
        ),
        3,
        "demo's original + e-invoice again + marketing"
    );
    let page = text(&app.client, "/dane");
    assert!(page.contains("Udzielona"), "{page}");
    assert!(
        count(
            &mut app.conn(),
            "SELECT id FROM audit_log WHERE action IN ('consent_granted', 'consent_withdrawn')"
        ) == 3
    );
}

fn the_portal_speaks_english_when_chosen(app: TestApp) {
    let app = demo_app(app);
    logged_in_demo(&app);
    let response = post(&app.client, "/", "/jezyk", &[("lang", "en"), ("back", "/")]);
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM accounts WHERE login = 'demo' AND language = 'en'"
        ),
        1
    );
    let page = text(&app.client, "/");
    assert!(page.contains("Hello, Jan Kowalski"), "{page}");
    assert!(page.contains("4 active services"), "{page}");
    assert!(
        page.contains("Service “Pakiet TV Start” expires in 5 days"),
        "{page}"
    );
    assert!(page.contains("PLN "), "English money: {page}");
    let html = app.get("/uslugi").into_string().unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(page_text(&html).contains("Static IP address"));
    // Before login, Accept-Language decides.
    let anonymous = app.another_browser();
    let start = anonymous
        .get("/")
        .header(Header::new("Accept-Language", "en-GB,en;q=0.9"))
        .dispatch()
        .into_string()
        .unwrap();
    assert!(start.contains("<html lang=\"en\">"));
}

/// Another subscriber (generated demo customer `klient3`) tries every customer route with the
/// demo subscriber's ids: each is 404 and nothing changes.
fn another_customers_ids_are_not_found_and_change_nothing(app: TestApp) {
    let app = demo_app(app);
    logged_in_demo(&app);
    // Give the demo subscriber a pending change request to aim at.
    post(
        &app.client,
        "/dane",
        "/dane/wniosek",
        &[
            ("field", "name"),
            ("first_name", "Jan"),
            ("last_name", "Nowak"),
        ],
    );
    let request_id = scalar_i64(&app, "SELECT id AS v FROM profile_change_requests");
    let service = demo_service_id(&app, "tv");
    let internet = demo_service_id(&app, "internet");
    let endpoint = scalar_i64(
        &app,
        &format!("SELECT id AS v FROM endpoints WHERE service_id = {internet}"),
    );
    let contract = scalar_i64(
        &app,
        "SELECT id AS v FROM contracts WHERE number = 'UM/2023/00001'",
    );
    let domain = scalar_i64(
        &app,
        "SELECT id AS v FROM domains WHERE name = 'kowalski-kalisz.pl'",
    );
    let invoice = scalar_i64(
        &app,
        "SELECT MIN(i.id) AS v FROM invoices i JOIN customers c ON c.id = i.customer_id \
         WHERE c.customer_number = 1",
    );
    let ticket = scalar_i64(
        &app,
        "SELECT MIN(t.id) AS v FROM tickets t JOIN customers c ON c.id = t.customer_id \
         WHERE c.customer_number = 1",
    );
    let pleszew_news = scalar_i64(&app, "SELECT id AS v FROM news WHERE area = 'Pleszew'");

    let other = app.another_browser();
    assert_eq!(
        log_in(&other, "klient3", "Klient-ebok-2026").status(),
        Status::SeeOther
    );
    for path in [
        format!("/uslugi/{service}"),
        format!("/umowy/{contract}"),
        format!("/faktury/{invoice}"),
        format!("/faktury/{invoice}/pdf"),
        format!("/faktury/{invoice}/zaplac"),
        format!("/zgloszenia/{ticket}"),
    ] {
        assert_eq!(
            other.get(path.clone()).dispatch().status(),
            Status::NotFound,
            "GET {path}"
        );
    }
    let before = snapshot(&app);
    let endpoint = endpoint.to_string();
    let attempts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            format!("/uslugi/{service}/odnawianie"),
            vec![("auto_renew", "true")],
        ),
        (
            format!("/uslugi/{internet}/haslo-pppoe"),
            vec![("endpoint_id", &endpoint), ("password", "Klient-ebok-2026")],
        ),
        (
            format!("/domeny/{domain}/odnawianie"),
            vec![("auto_renew", "true")],
        ),
        (format!("/dane/wniosek/{request_id}/wycofaj"), vec![]),
        // A notice of another area is not this customer's to confirm.
        (format!("/wiadomosci/{pleszew_news}/potwierdz"), vec![]),
    ];
    for (action, fields) in attempts {
        let response = post(&other, "/dane", &action, &fields);
        assert_eq!(response.status(), Status::NotFound, "POST {action}");
    }
    assert_eq!(snapshot(&app), before, "nothing changed");
}

/// What the access test's POSTs could have changed.
fn snapshot(app: &TestApp) -> Vec<i64> {
    vec![
        count(
            &mut app.conn(),
            "SELECT id FROM services WHERE auto_renew = TRUE",
        ),
        count(
            &mut app.conn(),
            "SELECT id FROM domains WHERE auto_renew = TRUE",
        ),
        count(
            &mut app.conn(),
            "SELECT id FROM profile_change_requests WHERE status = 'pending'",
        ),
        count(&mut app.conn(), "SELECT news_id FROM news_confirmations"),
        count(
            &mut app.conn(),
            "SELECT id FROM audit_log WHERE action = 'pppoe_password_shown'",
        ),
    ]
}

fn outbox_link(app: &TestApp, recipient: &str, marker: &str) -> String {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        body_text: String,
    }
    use diesel::RunQueryDsl;
    let row = diesel::sql_query(format!(
        "SELECT body_text FROM outbox WHERE recipient = '{recipient}' ORDER BY id DESC"
    ))
    .get_result::<Row>(&mut *app.conn())
    .unwrap();
    let start = row.body_text.find(marker).expect("link in the mail");
    let link = &row.body_text[start..];
    link[..link.find(char::is_whitespace).unwrap_or(link.len())].to_owned()
}

fn the_owner_invites_a_billing_contact_who_sees_only_billing_and_can_be_revoked(app: TestApp) {
    let app = demo_app(app);
    logged_in_demo(&app);
    let bad = post(
        &app.client,
        "/kontakty",
        "/kontakty",
        &[("email", "nie-adres"), ("role", "billing")],
    );
    assert_eq!(bad.status(), Status::UnprocessableEntity);
    assert!(page_text(&bad.into_string().unwrap()).contains("Podaj poprawny adres e-mail."));
    let invited = post(
        &app.client,
        "/kontakty",
        "/kontakty",
        &[("email", "ksiegowa@example.com"), ("role", "billing")],
    );
    assert_eq!(invited.status(), Status::SeeOther);
    let page = text(&app.client, "/kontakty");
    assert!(
        page.contains("ksiegowa@example.com · rozliczenia"),
        "{page}"
    );
    // The same address twice is refused.
    let again = post(
        &app.client,
        "/kontakty",
        "/kontakty",
        &[("email", "ksiegowa@example.com"), ("role", "full")],
    );
    assert_eq!(again.status(), Status::UnprocessableEntity);

    let path = outbox_link(&app, "ksiegowa@example.com", "http")
        .split_once("/zaproszenie/")
        .map(|(_, token)| format!("/zaproszenie/{token}"))
        .unwrap();
    let contact = app.another_browser();
    let form_page = text(&contact, &path);
    assert!(form_page.contains("ksiegowa@example.com"), "{form_page}");
    let created = post(
        &contact,
        &path,
        &path,
        &[
            ("login", "ksiegowa"),
            ("password", "Faktury-2026-bezpieczne"),
            ("password_repeated", "Faktury-2026-bezpieczne"),
        ],
    );
    assert_eq!(created.status(), Status::SeeOther);
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT a.id FROM accounts a JOIN customers c ON c.id = a.customer_id \
             WHERE a.login = 'ksiegowa' AND a.role = 'billing' AND a.status = 'active' \
             AND c.customer_number = 1"
        ),
        1
    );
    // The link works once.
    assert_eq!(contact.get(path.clone()).dispatch().status(), Status::Ok);
    assert!(text(&contact, &path).contains("nieprawidłowy"));

    assert_eq!(
        log_in(&contact, "ksiegowa", "Faktury-2026-bezpieczne").status(),
        Status::SeeOther
    );
    let dashboard = contact.get("/").dispatch().into_string().unwrap();
    assert!(dashboard.contains("href=\"/faktury\""));
    assert!(
        !dashboard.contains("href=\"/uslugi\""),
        "no services for billing"
    );
    assert!(
        !page_text(&dashboard).contains("Pakiet TV Start"),
        "no service notices"
    );
    assert_eq!(contact.get("/faktury").dispatch().status(), Status::Ok);
    for forbidden in ["/uslugi", "/umowy", "/domeny", "/dane", "/kontakty"] {
        assert_eq!(
            contact.get(forbidden).dispatch().status(),
            Status::Forbidden,
            "{forbidden}"
        );
    }

    // The owner revokes: the contact's session ends and the login no longer works.
    let contact_id = scalar_i64(
        &app,
        "SELECT id AS v FROM accounts WHERE login = 'ksiegowa'",
    );
    let revoked = post(
        &app.client,
        "/kontakty",
        &format!("/kontakty/{contact_id}/odwolaj"),
        &[],
    );
    assert_eq!(revoked.status(), Status::SeeOther);
    assert_ne!(contact.get("/faktury").dispatch().status(), Status::Ok);
    assert_ne!(
        log_in(&contact, "ksiegowa", "Faktury-2026-bezpieczne").status(),
        Status::SeeOther
    );
    // The owner cannot be revoked, by anyone.
    let owner_id = scalar_i64(&app, "SELECT id AS v FROM accounts WHERE login = 'demo'");
    assert_eq!(
        post(
            &app.client,
            "/kontakty",
            &format!("/kontakty/{owner_id}/odwolaj"),
            &[]
        )
        .status(),
        Status::NotFound
    );
}

/// Another customer's owner cannot revoke this customer's contacts or invitations.
fn contacts_of_another_customer_are_not_found(app: TestApp) {
    let app = demo_app(app);
    logged_in_demo(&app);
    post(
        &app.client,
        "/kontakty",
        "/kontakty",
        &[("email", "tech@example.com"), ("role", "technical")],
    );
    let invitation = scalar_i64(
        &app,
        "SELECT id AS v FROM one_time_tokens WHERE purpose = 'invite'",
    );
    let other = app.another_browser();
    assert_eq!(
        log_in(&other, "klient3", "Klient-ebok-2026").status(),
        Status::SeeOther
    );
    let response = post(
        &other,
        "/kontakty",
        &format!("/kontakty/zaproszenia/{invitation}/odwolaj"),
        &[],
    );
    assert_eq!(response.status(), Status::NotFound);
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM one_time_tokens WHERE purpose = 'invite' AND used_at IS NULL"
        ),
        1
    );
    assert!(!text(&other, "/kontakty").contains("tech@example.com"));
}

/// The dashboard reads a customer's rows through one `UNION ALL` statement
/// (`db::customers::overview`). It must read exactly what the typed per-table lists read, for
/// every customer, and nothing of anyone else; and it must stay one statement.
fn the_customer_overview_reads_what_the_lists_read_in_one_statement(app: TestApp) {
    use diesel::Connection;
    use diesel::connection::InstrumentationEvent;
    use diesel::r2d2::ManageConnection;
    use ebok::db::customers::overview::{self as customer_overview, PaymentFacts};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let app = demo_app(app);
    // A reversed payment does not count; a part-paid invoice shows what is left.
    let reversed = scalar_i64(
        &app,
        "SELECT MIN(p.id) AS v FROM payments p JOIN customers c ON c.id = p.customer_id \
         WHERE c.customer_number = 1",
    );
    diesel::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "UPDATE payments SET reversed_at = created_at WHERE id = {reversed}"
        )),
        &mut *app.conn(),
    )
    .unwrap();
    let customers: Vec<CustomerId> = {
        use diesel::prelude::*;
        use ebok::db::schema::customers;
        customers::table
            .select(customers::id)
            .order(customers::id)
            .load(&mut *app.conn())
            .unwrap()
    };
    assert!(customers.len() >= 3, "the demo and its generated customers");
    let mut conn = app.conn();
    for &id in &customers {
        let overview = customer_overview::of_customer(&mut conn, id).unwrap();
        let customer = ebok::db::customers::find(&mut conn, id).unwrap().unwrap();
        let heading = overview.customer.clone().expect("the customer's own row");
        assert_eq!(heading.customer_number, customer.customer_number);
        assert_eq!(heading.nrb, customer.nrb);
        assert_eq!(
            (heading.company_name, heading.first_name, heading.last_name),
            (
                customer.company_name,
                customer.first_name,
                customer.last_name
            )
        );
        let contracts: Vec<(
            ContractId,
            String,
            String,
            String,
            Option<chrono::NaiveDate>,
            i64,
        )> = ebok::db::contracts::of_customer(&mut conn, id)
            .unwrap()
            .into_iter()
            .map(|(c, t)| {
                (
                    c.id,
                    c.number,
                    t.name,
                    c.install_city,
                    c.ends_on,
                    c.monthly_fee,
                )
            })
            .collect();
        let read: Vec<_> = overview
            .contracts
            .iter()
            .map(|c| {
                let c = c.clone();
                (
                    c.id,
                    c.number,
                    c.tariff,
                    c.install_city,
                    c.ends_on,
                    c.monthly_fee,
                )
            })
            .collect();
        assert_eq!(read, contracts, "contracts of {id}");
        assert_eq!(
            overview.balances,
            ebok::db::invoices::balances_of_customer(&mut conn, id).unwrap(),
            "invoice balances of {id}"
        );
        let services: Vec<_> = ebok::db::services::of_customer(&mut conn, id)
            .unwrap()
            .into_iter()
            .map(|s| (s.id, s.name, s.status, s.expires_on, s.auto_renew))
            .collect();
        let read: Vec<_> = overview
            .services
            .iter()
            .map(|s| (s.id, s.name.clone(), s.status, s.expires_on, s.auto_renew))
            .collect();
        assert_eq!(read, services, "services of {id}");
        let domains: Vec<_> = ebok::db::domains::of_customer(&mut conn, id)
            .unwrap()
            .into_iter()
            .map(|d| (d.id, d.name, d.status, d.expires_on, d.auto_renew))
            .collect();
        let read: Vec<_> = overview
            .domains
            .iter()
            .map(|d| (d.id, d.name.clone(), d.status, d.expires_on, d.auto_renew))
            .collect();
        assert_eq!(read, domains, "domains of {id}");
        let payments: Vec<PaymentFacts> = ebok::db::payments::of_customer(&mut conn, id)
            .unwrap()
            .into_iter()
            .map(|p| PaymentFacts {
                id: p.id,
                received_on: p.received_on,
                amount: p.amount,
                on_notes: 0,
            })
            .collect();
        assert_eq!(overview.payments, payments, "payments of {id}");
        assert!(overview.payments.iter().all(|p| p.id != reversed));
        let tickets: Vec<_> = ebok::db::tickets::list_of_customer(&mut conn, id)
            .unwrap()
            .into_iter()
            .map(|t| (t.id, t.subject, t.status, t.updated_at))
            .collect();
        let read: Vec<_> = overview
            .tickets
            .iter()
            .map(|t| (t.id, t.subject.clone(), t.status, t.updated_at))
            .collect();
        assert_eq!(read, tickets, "tickets of {id}");
    }
    // The demo subscriber has something in every list, so each branch was really compared.
    let demo = customer_overview::of_customer(&mut conn, customers[0]).unwrap();
    assert!(
        !demo.contracts.is_empty()
            && !demo.balances.is_empty()
            && !demo.services.is_empty()
            && !demo.domains.is_empty()
            && !demo.payments.is_empty()
            && !demo.tickets.is_empty(),
        "{demo:?}"
    );
    assert!(demo.balances.iter().any(|b| b.paid > 0));
    // No such customer: nothing at all.
    let nobody = customer_overview::of_customer(&mut conn, CustomerId(i64::MAX)).unwrap();
    assert_eq!(nobody, Default::default());
    drop(conn);

    // One statement, on a connection of its own that counts what it is asked.
    let statements = Arc::new(AtomicUsize::new(0));
    let counter = statements.clone();
    let mut counted = ebok::db::DbManager::new(app.config.database.url.clone())
        .connect()
        .unwrap();
    counted.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { .. } = event {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    customer_overview::of_customer(&mut counted, customers[0]).unwrap();
    assert_eq!(statements.load(Ordering::SeqCst), 1);
}
