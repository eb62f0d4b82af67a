//! Hostile input from issue 14's probe: each test tries to break the portal the way the probe
//! did and checks that it holds (a clear answer, never a 500, nothing leaked or locked).

mod common;

use common::{
    BOUNDARY, TestApp, count, csrf_token, form, log_in, multipart_body, post, scalar_i64,
    turn_on_two_factor,
};
use ebok::app::crypto::SecretKind;
use ebok::app::{clock, demo, secrets_at_rest, two_factor};
use rocket::http::{ContentType, Header, Status};

backend_tests!(
    language_switch_with_a_back_that_is_no_local_path_goes_home,
    session_cookies_end_with_the_browser,
    the_pppoe_password_is_revealed_through_the_form_on_the_service_page,
    hsts_follows_x_forwarded_proto_only_from_a_trusted_proxy,
    multipart_bodies_are_refused_before_reading_unless_signed_in_with_the_token_first,
    a_neighbour_behind_the_same_nat_signs_in_from_a_known_browser_while_guessing_is_locked,
    a_device_cookie_helps_only_the_account_it_was_given_for_and_locks_itself,
    totp_secrets_and_pppoe_passwords_are_sealed_at_rest_and_old_plaintext_is_sealed_at_start,
);

fn language_switch_with_a_back_that_is_no_local_path_goes_home(app: TestApp) {
    let app = app.with_demo(0);
    for back in ["/a b", "/ä", "/{x}", "/wiadomosci?q=ą", "//evil.example/x"] {
        let response = post(
            &app.client,
            "/",
            "/jezyk",
            &[("lang", "en"), ("back", back)],
        );
        assert_eq!(response.status(), Status::SeeOther, "back={back:?}");
        assert_eq!(
            response.headers().get_one("Location"),
            Some("/"),
            "{back:?}"
        );
    }
    // The same as a subscriber reaches it: the footer of a page whose address had raw UTF-8.
    log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    let html = app
        .client
        .get("/wiadomosci?q=%C4%85")
        .dispatch()
        .into_string()
        .unwrap_or_default();
    assert!(html.contains("action=\"/jezyk\""), "the footer switch");
    let response = post(
        &app.client,
        "/wiadomosci",
        "/jezyk",
        &[("lang", "pl"), ("back", "/wiadomosci?q=ą")],
    );
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(response.headers().get_one("Location"), Some("/"));
    // A valid local path is still followed.
    let response = post(
        &app.client,
        "/wiadomosci",
        "/jezyk",
        &[("lang", "pl"), ("back", "/wiadomosci?q=%C4%85")],
    );
    assert_eq!(
        response.headers().get_one("Location"),
        Some("/wiadomosci?q=%C4%85")
    );
}

/// The `Set-Cookie` header that sets `name`, from a response.
fn set_cookie_header(response: &rocket::local::blocking::LocalResponse<'_>, name: &str) -> String {
    response
        .headers()
        .get("Set-Cookie")
        .find(|header| header.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no Set-Cookie for {name}"))
        .to_owned()
}

fn assert_ends_with_the_browser(header: &str) {
    let lower = header.to_ascii_lowercase();
    assert!(!lower.contains("expires="), "{header}");
    assert!(!lower.contains("max-age="), "{header}");
    assert!(lower.contains("httponly"), "{header}");
}

fn session_cookies_end_with_the_browser(app: TestApp) {
    let app = app.with_demo(0);
    let response = log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    assert_eq!(response.status(), Status::SeeOther);
    assert_ends_with_the_browser(&set_cookie_header(&response, "ebok_session"));

    let staff = app.another_browser();
    let response = post(
        &staff,
        "/staff/login",
        "/staff/login",
        &[
            ("login", demo::ADMIN_LOGIN),
            ("password", demo::ADMIN_PASSWORD),
        ],
    );
    assert_eq!(response.status(), Status::SeeOther);
    assert_ends_with_the_browser(&set_cookie_header(&response, "ebok_staff_session"));

    let visitor = app.another_browser();
    let response = visitor.get("/logowanie").dispatch();
    assert_ends_with_the_browser(&set_cookie_header(&response, "ebok_csrf"));
}

/// The fields of the first form on `html` whose action ends with `action_suffix`, as a browser
/// would send them (hidden inputs included), or `None` when the page has no such form.
fn form_fields(html: &str, action_suffix: &str) -> Option<(String, Vec<(String, String)>)> {
    let document = scraper::Html::parse_document(html);
    let forms = scraper::Selector::parse("form").expect("selector");
    let inputs = scraper::Selector::parse("input").expect("selector");
    let form = document.select(&forms).find(|form| {
        form.value()
            .attr("action")
            .is_some_and(|action| action.ends_with(action_suffix))
    })?;
    let action = form.value().attr("action").unwrap_or_default().to_owned();
    let fields = form
        .select(&inputs)
        .filter_map(|input| {
            let name = input.value().attr("name")?;
            let value = input.value().attr("value").unwrap_or_default();
            Some((name.to_owned(), value.to_owned()))
        })
        .collect();
    Some((action, fields))
}

fn the_pppoe_password_is_revealed_through_the_form_on_the_service_page(app: TestApp) {
    let app = app.with_demo(0);
    log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    let internet = scalar_i64(
        &app,
        "SELECT s.id AS v FROM services s JOIN customers c ON c.id = s.customer_id \
         WHERE c.customer_number = 1 AND s.kind = 'internet'",
    );
    let page = app
        .get(&format!("/uslugi/{internet}"))
        .into_string()
        .unwrap_or_default();
    let (action, fields) =
        form_fields(&page, "/haslo-pppoe").expect("the service page offers to show the password");
    assert!(page.contains("••••••••"), "hidden until asked");
    let mut body: Vec<(&str, &str)> = fields
        .iter()
        .filter(|(name, _)| name != "password")
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    body.push(("password", demo::DEMO_PASSWORD));
    let response = app
        .client
        .post(action)
        .header(ContentType::Form)
        .header(Header::new("Origin", "http://127.0.0.1:8000"))
        .body(form(&body))
        .dispatch();
    assert_eq!(response.status(), Status::Ok);
    let shown = response.into_string().unwrap_or_default();
    let document = scraper::Html::parse_document(&shown);
    let secret = scraper::Selector::parse("code.secret").expect("selector");
    let revealed: String = document
        .select(&secret)
        .next()
        .expect("the password is shown")
        .text()
        .collect();
    assert!(revealed.len() >= 8, "{revealed:?}");
    assert!(
        form_fields(&shown, "/haslo-pppoe").is_none(),
        "no second form for the password already shown"
    );
}

fn hsts_follows_x_forwarded_proto_only_from_a_trusted_proxy(app: TestApp) {
    let app = app.with_config(|config| {
        config.web.trusted_proxies = vec!["127.0.0.1/32".parse().expect("network")];
    });
    let hsts = |peer: &str| {
        app.client
            .get("/")
            .header(Header::new("X-Forwarded-Proto", "https"))
            .remote(peer.parse().expect("socket address"))
            .dispatch()
            .headers()
            .get_one("Strict-Transport-Security")
            .map(str::to_owned)
    };
    assert_eq!(
        hsts("192.0.2.1:40000"),
        None,
        "any client can send the header"
    );
    assert_eq!(
        hsts("127.0.0.1:40000").as_deref(),
        Some("max-age=31536000; includeSubDomains"),
        "our proxy terminates TLS"
    );
}

/// Text fields in this order, then a 1 KiB (or larger) PDF.
fn multipart(fields: &[(&str, &str)], file_size: usize) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.resize(file_size, b' ');
    multipart_body(fields, &[("attachments", "a.pdf", "application/pdf", pdf)])
}

fn post_multipart<'c>(
    client: &'c rocket::local::blocking::Client,
    action: &str,
    body: Vec<u8>,
) -> rocket::local::blocking::LocalResponse<'c> {
    client
        .post(action.to_owned())
        .header(Header::new(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        ))
        .header(Header::new("Origin", "http://127.0.0.1:8000"))
        .body(body)
        .dispatch()
}

fn multipart_bodies_are_refused_before_reading_unless_signed_in_with_the_token_first(app: TestApp) {
    let app = app.with_demo(0);
    // A visitor with a valid token sends a large multipart body to a form open to visitors:
    // no such form is multipart, so it is refused, not written to temporary files.
    let visitor = app.another_browser();
    let token = csrf_token(&visitor, "/logowanie");
    let body = multipart(
        &[
            ("csrf_token", &token),
            ("identifier", demo::DEMO_LOGIN),
            ("password", demo::DEMO_PASSWORD),
        ],
        2 * 1024 * 1024,
    );
    assert_eq!(
        post_multipart(&visitor, "/logowanie", body).status(),
        Status::Forbidden
    );

    log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    let tickets = || count(&mut app.conn(), "SELECT id FROM tickets");
    let before = tickets();
    let token = csrf_token(&app.client, "/zgloszenia/nowe");
    let ticket = [
        ("category", "fault"),
        ("subject", "Brak internetu"),
        ("body", "Od rana nie działa."),
    ];
    // The token somewhere after the first part: not checked before the body, so refused.
    let mut token_last = ticket.to_vec();
    token_last.push(("csrf_token", &token));
    assert_eq!(
        post_multipart(
            &app.client,
            "/zgloszenia/nowe",
            multipart(&token_last, 1024)
        )
        .status(),
        Status::Forbidden
    );
    assert_eq!(tickets(), before);
    // A wrong token first: refused.
    let mut wrong_first = vec![("csrf_token", "not-the-token")];
    wrong_first.extend_from_slice(&ticket);
    assert_eq!(
        post_multipart(
            &app.client,
            "/zgloszenia/nowe",
            multipart(&wrong_first, 1024)
        )
        .status(),
        Status::Forbidden
    );
    // As the page sends it, the token first: the ticket is opened.
    let mut token_first = vec![("csrf_token", token.as_str())];
    token_first.extend_from_slice(&ticket);
    assert_eq!(
        post_multipart(
            &app.client,
            "/zgloszenia/nowe",
            multipart(&token_first, 1024)
        )
        .status(),
        Status::SeeOther
    );
    assert_eq!(tickets(), before + 1);
}

/// One carrier-grade NAT address that the ISP's subscribers share.
const SHARED_NAT: &str = "100.64.0.1:40000";

/// Logs in through the real form from `peer`.
fn log_in_from<'c>(
    client: &'c rocket::local::blocking::Client,
    peer: &str,
    login: &str,
    password: &str,
) -> rocket::local::blocking::LocalResponse<'c> {
    let token = csrf_token(client, "/logowanie");
    client
        .post("/logowanie")
        .header(ContentType::Form)
        .header(Header::new("Origin", "http://127.0.0.1:8000"))
        .remote(peer.parse().expect("socket address"))
        .body(form(&[
            ("identifier", login),
            ("password", password),
            ("csrf_token", &token),
        ]))
        .dispatch()
}

fn log_out(client: &rocket::local::blocking::Client) {
    let response = post(client, "/", "/wyloguj", &[]);
    assert_eq!(response.status(), Status::SeeOther);
}

fn a_neighbour_behind_the_same_nat_signs_in_from_a_known_browser_while_guessing_is_locked(
    app: TestApp,
) {
    let app = app.with_demo(0);
    // Jan signed in from his own browser yesterday: it keeps a device cookie.
    let jan = app.another_browser();
    assert_eq!(
        log_in_from(&jan, SHARED_NAT, demo::DEMO_LOGIN, demo::DEMO_PASSWORD).status(),
        Status::SeeOther
    );
    log_out(&jan);
    // Someone behind the same NAT address guesses: Jan's password five times, then other
    // logins until the address is locked.
    let attacker = app.another_browser();
    for attempt in 0..5 {
        let response = log_in_from(&attacker, SHARED_NAT, demo::DEMO_LOGIN, "zgaduje-123");
        assert_eq!(response.status(), Status::Unauthorized, "guess {attempt}");
    }
    for attempt in 0..15 {
        let login = format!("ktos{}", attempt / 4);
        let response = log_in_from(&attacker, SHARED_NAT, &login, "zgaduje-123");
        assert_eq!(response.status(), Status::Unauthorized, "guess {attempt}");
    }
    // The guesser is locked out, even with the right password.
    assert_eq!(
        log_in_from(&attacker, SHARED_NAT, demo::DEMO_LOGIN, demo::DEMO_PASSWORD).status(),
        Status::TooManyRequests
    );
    // So is a browser never used to sign in before (the lock still stops guessing).
    let new_browser = app.another_browser();
    assert_eq!(
        log_in_from(
            &new_browser,
            SHARED_NAT,
            demo::DEMO_LOGIN,
            demo::DEMO_PASSWORD
        )
        .status(),
        Status::TooManyRequests
    );
    // Jan, from the browser he used before, signs in with his right password.
    assert_eq!(
        log_in_from(&jan, SHARED_NAT, demo::DEMO_LOGIN, demo::DEMO_PASSWORD).status(),
        Status::SeeOther,
        "a known browser is kept out of the per-IP and per-account locks"
    );
}

fn a_device_cookie_helps_only_the_account_it_was_given_for_and_locks_itself(app: TestApp) {
    let app = app.with_demo(4);
    // The attacker has an account of his own and a device cookie for it.
    let attacker = app.another_browser();
    assert_eq!(
        log_in_from(&attacker, SHARED_NAT, "klient3", "Klient-ebok-2026").status(),
        Status::SeeOther
    );
    log_out(&attacker);
    for attempt in 0..5 {
        let response = log_in_from(&attacker, SHARED_NAT, demo::DEMO_LOGIN, "zgaduje-123");
        assert_eq!(response.status(), Status::Unauthorized, "guess {attempt}");
    }
    assert_eq!(
        log_in_from(&attacker, SHARED_NAT, demo::DEMO_LOGIN, demo::DEMO_PASSWORD).status(),
        Status::TooManyRequests,
        "another account's device cookie does not lift the account lock"
    );
    // A known browser that guesses locks itself after five failures, and only itself.
    let jan = app.another_browser();
    let laptop = app.another_browser();
    for browser in [&jan, &laptop] {
        assert_eq!(
            log_in_from(browser, SHARED_NAT, "klient3", "Klient-ebok-2026").status(),
            Status::SeeOther
        );
        log_out(browser);
    }
    for attempt in 0..5 {
        let response = log_in_from(&jan, SHARED_NAT, "klient3", "zle-haslo-123");
        assert_eq!(response.status(), Status::Unauthorized, "typo {attempt}");
    }
    assert_eq!(
        log_in_from(&jan, SHARED_NAT, "klient3", "Klient-ebok-2026").status(),
        Status::TooManyRequests
    );
    assert_eq!(
        log_in_from(&laptop, SHARED_NAT, "klient3", "Klient-ebok-2026").status(),
        Status::SeeOther
    );
}

/// The one text value (`... AS v`) of a plain SQL query.
fn text_value(app: &TestApp, sql: &str) -> String {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    use diesel::RunQueryDsl;
    diesel::sql_query(sql)
        .get_result::<Row>(&mut *app.conn())
        .expect("text query")
        .v
}

fn execute(app: &TestApp, sql: &str) {
    use diesel::RunQueryDsl;
    diesel::sql_query(sql)
        .execute(&mut *app.conn())
        .expect("statement");
}

fn totp_secrets_and_pppoe_passwords_are_sealed_at_rest_and_old_plaintext_is_sealed_at_start(
    app: TestApp,
) {
    let app = app.with_demo(2);
    log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    let (secret, _) = turn_on_two_factor(&app);
    let demo_account = "SELECT totp_secret AS v FROM accounts WHERE login = 'demo'";
    let stored = text_value(&app, demo_account);
    assert!(stored.starts_with("enc1:"), "{stored}");
    assert!(!stored.contains(&secret));
    let secrets = &app.config.security.secrets;
    assert_eq!(
        secrets.open(SecretKind::TotpKey, &stored).ok(),
        Some(secret.clone())
    );
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM endpoints WHERE pppoe_password IS NOT NULL \
             AND pppoe_password NOT LIKE 'enc1:%'"
        ),
        0,
        "the demo's PPPoE passwords are sealed"
    );

    // Rows an older version wrote in plain text are sealed when the program starts.
    let internet_endpoint = scalar_i64(
        &app,
        "SELECT e.id AS v FROM endpoints e JOIN services s ON s.id = e.service_id \
         JOIN customers c ON c.id = s.customer_id \
         WHERE c.customer_number = 1 AND s.kind = 'internet'",
    );
    execute(
        &app,
        &format!(
            "UPDATE endpoints SET pppoe_password = 'stare-haslo-1' WHERE id = {internet_endpoint}"
        ),
    );
    execute(
        &app,
        &format!("UPDATE accounts SET totp_secret = '{secret}' WHERE login = 'demo'"),
    );
    let sealed = secrets_at_rest::seal_plaintext(&mut app.conn(), secrets).expect("sealing");
    assert_eq!((sealed.totp_secrets, sealed.pppoe_passwords), (1, 1));
    let again = secrets_at_rest::seal_plaintext(&mut app.conn(), secrets).expect("sealing");
    assert_eq!((again.totp_secrets, again.pppoe_passwords), (0, 0));
    let stored = text_value(
        &app,
        &format!("SELECT pppoe_password AS v FROM endpoints WHERE id = {internet_endpoint}"),
    );
    assert!(stored.starts_with("enc1:") && !stored.contains("stare-haslo-1"));
    assert!(!text_value(&app, demo_account).contains(&secret));

    // And they still work: the subscriber sees the password, and signs in with a code.
    let internet = scalar_i64(
        &app,
        &format!("SELECT service_id AS v FROM endpoints WHERE id = {internet_endpoint}"),
    );
    let response = post(
        &app.client,
        &format!("/uslugi/{internet}"),
        &format!("/uslugi/{internet}/haslo-pppoe"),
        &[
            ("endpoint_id", &internet_endpoint.to_string()),
            ("password", demo::DEMO_PASSWORD),
        ],
    );
    assert_eq!(response.status(), Status::Ok);
    assert!(
        response
            .into_string()
            .unwrap_or_default()
            .contains("stare-haslo-1")
    );
    let phone = app.another_browser();
    log_in(&phone, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    let next = two_factor::current_code(
        &secret,
        demo::DEMO_LOGIN,
        clock::now() + chrono::Duration::seconds(30),
    )
    .expect("code");
    let response = post(
        &phone,
        "/logowanie/kod",
        "/logowanie/kod",
        &[("code", &next)],
    );
    assert_eq!(response.status(), Status::SeeOther);
}
