//! Subscriber accounts end to end: registration by contract number + PESEL + e-mail with an
//! activation mail over real SMTP, login with throttling and two-step codes, sessions, password
//! reset and changes, CSRF, and the staff login kept apart. Every test runs on each backend.

mod common;

use chrono::Duration;
use common::smtp::SmtpSink;
use common::{TestApp, count, log_in, page_text, post};
use diesel::prelude::*;
use ebok::app::{clock, demo, two_factor};
use ebok::db::schema::{accounts, one_time_tokens, outbox, sessions};
use rocket::http::{ContentType, Header, Status};
use rocket::local::blocking::Client;

backend_tests!(
    registering_the_demo_contract_over_real_smtp_activates_and_shows_the_dashboard,
    identity_mismatches_get_byte_identical_answers,
    malformed_fields_get_their_own_messages_and_keep_what_was_typed,
    an_already_registered_contract_says_so_only_after_identity_is_proven,
    a_sixth_wrong_password_is_throttled_with_a_time_to_retry,
    unknown_login_and_wrong_password_get_the_same_answer,
    a_post_without_or_with_a_wrong_csrf_token_is_refused_and_changes_nothing,
    a_cross_site_form_post_is_refused,
    a_used_or_expired_activation_link_is_refused,
    password_reset_mails_a_link_and_ends_every_session,
    password_reset_answers_the_same_for_unknown_addresses,
    totp_login_works_with_a_code_computed_in_the_test,
    mail_stays_in_the_outbox_while_smtp_is_down_and_goes_out_when_it_is_back,
    an_idle_session_ends_after_thirty_minutes,
    the_dashboard_of_an_ended_session_is_the_public_start_page,
    logout_ends_the_session_on_the_server,
    security_page_lists_logins_and_ends_other_sessions,
    changing_the_email_needs_the_link_sent_to_the_new_address,
    changing_the_password_needs_the_current_one,
    staff_and_subscriber_sessions_do_not_mix,
    registration_from_own_connection_only_when_the_operator_wants_it,
    pending_account_cannot_log_in_until_activated,
    a_login_behind_a_full_line_of_password_checks_is_told_to_retry_and_the_next_one_gets_in,
);

fn register_demo_contract<'c>(
    client: &'c Client,
    login: &str,
) -> rocket::local::blocking::LocalResponse<'c> {
    post(
        client,
        "/rejestracja",
        "/rejestracja",
        &[
            ("login", login),
            ("password", "Lipowa-15-ostrow"),
            ("password_repeated", "Lipowa-15-ostrow"),
            ("email", "Anna.Nowak@example.com "),
            ("pesel", demo::UNREGISTERED_PESEL),
            ("contract_number", " um/2025/00002"),
            ("accepts_terms", "true"),
        ],
    )
}

fn location(response: &rocket::local::blocking::LocalResponse<'_>) -> String {
    response
        .headers()
        .get_one("Location")
        .unwrap_or_default()
        .to_owned()
}

/// The path part of a link from a mail (`http://127.0.0.1:8000/aktywacja/…` → `/aktywacja/…`).
fn path_of(link: &str) -> String {
    let without_scheme = link.split_once("://").map(|(_, rest)| rest).unwrap_or(link);
    format!(
        "/{}",
        without_scheme
            .split_once('/')
            .map(|(_, path)| path)
            .unwrap_or("")
    )
}

fn registering_the_demo_contract_over_real_smtp_activates_and_shows_the_dashboard(app: TestApp) {
    let smtp = SmtpSink::start();
    let app = app
        .with_demo(2)
        .with_config(|config| config.mail.smtp_url = Some(smtp.url()));
    let response = register_demo_contract(&app.client, "anna.nowak");
    assert_eq!(
        response.status(),
        Status::SeeOther,
        "{}",
        page_text(&response.into_string().unwrap_or_default())
    );
    let done = app
        .client
        .get("/rejestracja/wyslano")
        .dispatch()
        .into_string()
        .unwrap();
    assert!(page_text(&done).contains("Sprawdź skrzynkę e-mail"));

    assert_eq!(app.deliver_mail().sent, 1);
    let mails = smtp.received();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, vec!["anna.nowak@example.com".to_owned()]);
    assert_eq!(mails[0].subject(), "Aktywuj konto w e-BOK");
    let link = mails[0]
        .link_containing("/aktywacja/")
        .expect("activation link in the mail");
    assert!(
        link.starts_with("http://127.0.0.1:8000/aktywacja/"),
        "{link}"
    );

    let mut conn = app.conn();
    let stored: Vec<String> = one_time_tokens::table
        .select(one_time_tokens::token_hash)
        .load(&mut *conn)
        .unwrap();
    let token = path_of(&link).rsplit('/').next().unwrap().to_owned();
    assert!(
        !stored.contains(&token),
        "only the hash of the token is stored"
    );

    let confirm = app.client.get(path_of(&link)).dispatch();
    assert_eq!(confirm.status(), Status::Ok);
    assert!(page_text(&confirm.into_string().unwrap()).contains("Aktywuj konto"));
    let activated = post(&app.client, &path_of(&link), &path_of(&link), &[]);
    assert_eq!(activated.status(), Status::SeeOther);
    assert_eq!(location(&activated), "/");

    let dashboard = page_text(&app.client.get("/").dispatch().into_string().unwrap());
    assert!(dashboard.contains("Dzień dobry, Anna Nowak"), "{dashboard}");
    assert!(dashboard.contains("UM/2025/00002"));
    assert!(dashboard.contains("Wyloguj"));
    let status: String = accounts::table
        .filter(accounts::login_key.eq("anna.nowak"))
        .select(accounts::status)
        .first(&mut *conn)
        .unwrap();
    assert_eq!(status, "active");
    assert_eq!(
        count(
            &mut conn,
            "SELECT id FROM audit_log WHERE action = 'registration'"
        ),
        1
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT id FROM audit_log WHERE action = 'activation'"
        ),
        1
    );
}

fn identity_mismatches_get_byte_identical_answers(app: TestApp) {
    let app = app.with_demo(2);
    let attempt = |pesel: &str, contract: &str, email: &str| {
        let response = post(
            &app.client,
            "/rejestracja",
            "/rejestracja",
            &[
                ("login", "proba"),
                ("password", "Lipowa-15-ostrow"),
                ("password_repeated", "Lipowa-15-ostrow"),
                ("email", email),
                ("pesel", pesel),
                ("contract_number", contract),
                ("accepts_terms", "true"),
            ],
        );
        (response.status(), response.into_string().unwrap())
    };
    let wrong_pesel = attempt(
        "44051401359",
        demo::UNREGISTERED_CONTRACT,
        demo::UNREGISTERED_EMAIL,
    );
    let wrong_contract = attempt(
        demo::UNREGISTERED_PESEL,
        "UM/2023/00001",
        demo::UNREGISTERED_EMAIL,
    );
    let wrong_email = attempt(
        demo::UNREGISTERED_PESEL,
        demo::UNREGISTERED_CONTRACT,
        "ktos@example.com",
    );
    let unknown_contract = attempt(
        demo::UNREGISTERED_PESEL,
        "UM/1999/99999",
        demo::UNREGISTERED_EMAIL,
    );
    assert_eq!(wrong_pesel.0, Status::UnprocessableEntity);
    assert!(page_text(&wrong_pesel.1).contains("Nie udało się potwierdzić tożsamości"));
    assert_eq!(wrong_pesel, wrong_contract);
    assert_eq!(wrong_pesel, wrong_email);
    assert_eq!(wrong_pesel, unknown_contract);
    assert!(
        !wrong_pesel.1.contains(demo::UNREGISTERED_PESEL) && !wrong_pesel.1.contains("44051401359")
    );
    let mut conn = app.conn();
    assert_eq!(
        count(
            &mut conn,
            "SELECT id FROM accounts WHERE login_key = 'proba'"
        ),
        0
    );
    assert_eq!(count(&mut conn, "SELECT id FROM outbox"), 0);
}

fn malformed_fields_get_their_own_messages_and_keep_what_was_typed(app: TestApp) {
    let response = post(
        &app.client,
        "/rejestracja",
        "/rejestracja",
        &[
            ("login", "jan kowalski"),
            ("password", "krótkie"),
            ("password_repeated", "inne"),
            ("email", "jan@"),
            ("pesel", "90041213425"),
            ("contract_number", "UM/2025/00002"),
        ],
    );
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let html = response.into_string().unwrap();
    let text = page_text(&html);
    for message in [
        "Login musi mieć od 3 do 32 znaków",
        "Hasło musi mieć co najmniej 10 znaków",
        "Powtórzone hasło różni się",
        "Wpisz poprawny adres e-mail",
        "Numer PESEL jest niepoprawny",
        "zaakceptuj regulamin",
    ] {
        assert!(text.contains(message), "missing «{message}» in {text}");
    }
    assert!(
        html.contains("value=\"90041213425\""),
        "the typed PESEL is shown again to be corrected"
    );
    assert!(!html.contains("krótkie"), "passwords are never shown back");
}

fn an_already_registered_contract_says_so_only_after_identity_is_proven(app: TestApp) {
    let app = app.with_demo(0);
    let attempt = |pesel: &str| {
        let response = post(
            &app.client,
            "/rejestracja",
            "/rejestracja",
            &[
                ("login", "drugie.konto"),
                ("password", "Kwiatowa-7-zielona"),
                ("password_repeated", "Kwiatowa-7-zielona"),
                ("email", "jan.kowalski@example.com"),
                ("pesel", pesel),
                ("contract_number", "UM/2023/00001"),
                ("accepts_terms", "true"),
            ],
        );
        (
            response.status(),
            page_text(&response.into_string().unwrap()),
        )
    };
    let (status, text) = attempt("80061512359");
    assert_eq!(status, Status::Conflict);
    assert!(text.contains("Ta umowa ma już konto w e-BOK"));
    let (status, text) = attempt("44051401359");
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(
        !text.contains("ma już konto"),
        "nothing about the contract before identity is proven"
    );
}

fn a_sixth_wrong_password_is_throttled_with_a_time_to_retry(app: TestApp) {
    let app = app.with_demo(0);
    for attempt in 1..=5 {
        let response = log_in(&app.client, demo::DEMO_LOGIN, "zle-haslo-123");
        assert_eq!(response.status(), Status::Unauthorized, "attempt {attempt}");
        assert!(
            page_text(&response.into_string().unwrap()).contains("Nieprawidłowy login lub hasło.")
        );
    }
    let sixth = log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    assert_eq!(
        sixth.status(),
        Status::TooManyRequests,
        "even the right password waits"
    );
    let text = page_text(&sixth.into_string().unwrap());
    assert!(
        text.contains("Zbyt wiele nieudanych prób logowania. Spróbuj ponownie po"),
        "{text}"
    );
    let mut conn = app.conn();
    assert_eq!(
        count(
            &mut conn,
            "SELECT id FROM audit_log WHERE action = 'login_failure'"
        ),
        5
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT id FROM audit_log WHERE action = 'lockout'"
        ),
        1
    );
    assert_eq!(count(&mut conn, "SELECT id FROM sessions"), 0);
}

fn unknown_login_and_wrong_password_get_the_same_answer(app: TestApp) {
    let app = app.with_demo(0);
    let unknown = log_in(&app.client, "ktos-inny", "Demo-ebok-2026");
    let unknown = (
        unknown.status(),
        page_text(&unknown.into_string().unwrap()).replace("ktos-inny", "X"),
    );
    let wrong = log_in(&app.client, "demo", "Zle-haslo-2026");
    let wrong = (
        wrong.status(),
        page_text(&wrong.into_string().unwrap()).replace("demo", "X"),
    );
    assert_eq!(unknown, wrong);
}

fn a_post_without_or_with_a_wrong_csrf_token_is_refused_and_changes_nothing(app: TestApp) {
    let app = app.with_demo(0);
    let body = common::form(&[
        ("login", "anna.nowak"),
        ("password", "Lipowa-15-ostrow"),
        ("password_repeated", "Lipowa-15-ostrow"),
        ("email", demo::UNREGISTERED_EMAIL),
        ("pesel", demo::UNREGISTERED_PESEL),
        ("contract_number", demo::UNREGISTERED_CONTRACT),
        ("accepts_terms", "true"),
    ]);
    let _ = common::csrf_token(&app.client, "/rejestracja");
    for extra in [
        "",
        "&csrf_token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ] {
        let response = app
            .client
            .post("/rejestracja")
            .header(ContentType::Form)
            .body(format!("{body}{extra}"))
            .dispatch();
        assert_eq!(response.status(), Status::Forbidden);
        assert!(page_text(&response.into_string().unwrap()).contains("Brak dostępu"));
    }
    let logout = app
        .client
        .post("/wyloguj")
        .header(ContentType::Form)
        .body("")
        .dispatch();
    assert_eq!(logout.status(), Status::Forbidden);
    let mut conn = app.conn();
    assert_eq!(
        count(
            &mut conn,
            "SELECT id FROM accounts WHERE login_key = 'anna.nowak'"
        ),
        0
    );
    assert_eq!(count(&mut conn, "SELECT id FROM outbox"), 0);
}

fn a_cross_site_form_post_is_refused(app: TestApp) {
    let app = app.with_demo(0);
    let token = common::csrf_token(&app.client, "/logowanie");
    let body = common::form(&[
        ("identifier", "demo"),
        ("password", demo::DEMO_PASSWORD),
        ("csrf_token", &token),
    ]);
    let from_elsewhere = app
        .client
        .post("/logowanie")
        .header(ContentType::Form)
        .header(Header::new("Origin", "https://zly-sklep.example"))
        .body(body.clone())
        .dispatch();
    assert_eq!(from_elsewhere.status(), Status::Forbidden);
    let fetch_metadata = app
        .client
        .post("/logowanie")
        .header(ContentType::Form)
        .header(Header::new("Sec-Fetch-Site", "cross-site"))
        .body(body)
        .dispatch();
    assert_eq!(fetch_metadata.status(), Status::Forbidden);
    assert_eq!(count(&mut app.conn(), "SELECT id FROM sessions"), 0);
}

fn a_used_or_expired_activation_link_is_refused(app: TestApp) {
    let app = app.with_demo(0);
    assert_eq!(
        register_demo_contract(&app.client, "anna.nowak").status(),
        Status::SeeOther
    );
    app.deliver_mail();
    let link = std::fs::read_dir(&app.config.mail.files_dir)
        .unwrap()
        .filter_map(|entry| std::fs::read_to_string(entry.unwrap().path()).ok())
        .find_map(|raw| {
            common::smtp::ReceivedMail { to: vec![], raw }.link_containing("/aktywacja/")
        })
        .expect("the activation mail was written to a file");
    let path = path_of(&link);
    assert_eq!(
        post(&app.client, &path, &path, &[]).status(),
        Status::SeeOther
    );
    let again = app.another_browser();
    assert_eq!(again.get(path.clone()).dispatch().status(), Status::Gone);
    let reused = post(&again, "/logowanie", &path, &[]);
    assert_eq!(reused.status(), Status::Gone);
    assert!(page_text(&reused.into_string().unwrap()).contains("Link jest nieaktywny"));

    // A second registration whose link has expired.
    let mut conn = app.conn();
    diesel::update(accounts::table.filter(accounts::login_key.eq("anna.nowak")))
        .set(accounts::status.eq("pending"))
        .execute(&mut *conn)
        .unwrap();
    let resend = post(
        &again,
        "/aktywacja/ponownie",
        "/aktywacja/ponownie",
        &[("identifier", "anna.nowak")],
    );
    assert_eq!(resend.status(), Status::Ok);
    diesel::update(one_time_tokens::table)
        .set(one_time_tokens::expires_at.eq(clock::now() - Duration::minutes(1)))
        .execute(&mut *conn)
        .unwrap();
    let token_count = count(
        &mut conn,
        "SELECT id FROM one_time_tokens WHERE used_at IS NULL",
    );
    assert_eq!(token_count, 1, "the resend made one fresh token");
    app.deliver_mail();
    let mut links: Vec<String> = std::fs::read_dir(&app.config.mail.files_dir)
        .unwrap()
        .filter_map(|entry| std::fs::read_to_string(entry.unwrap().path()).ok())
        .filter_map(|raw| {
            common::smtp::ReceivedMail { to: vec![], raw }.link_containing("/aktywacja/")
        })
        .collect();
    links.retain(|l| *l != link);
    let expired = path_of(&links[0]);
    assert_eq!(again.get(expired.clone()).dispatch().status(), Status::Gone);
    assert_eq!(
        post(&again, "/logowanie", &expired, &[]).status(),
        Status::Gone
    );
}

fn password_reset_mails_a_link_and_ends_every_session(app: TestApp) {
    let smtp = SmtpSink::start();
    let app = app
        .with_demo(0)
        .with_config(|config| config.mail.smtp_url = Some(smtp.url()));
    let laptop = app.another_browser();
    assert_eq!(
        log_in(&laptop, demo::DEMO_LOGIN, demo::DEMO_PASSWORD).status(),
        Status::SeeOther
    );
    assert_eq!(laptop.get("/").dispatch().status(), Status::Ok);

    let response = post(
        &app.client,
        "/haslo/reset",
        "/haslo/reset",
        &[("email", "jan.kowalski@example.com")],
    );
    assert_eq!(response.status(), Status::Ok);
    app.deliver_mail();
    let mail = smtp.received().pop().expect("reset mail");
    assert_eq!(mail.to, vec!["jan.kowalski@example.com".to_owned()]);
    let path = path_of(&mail.link_containing("/haslo/nowe/").expect("reset link"));

    let weak = post(
        &app.client,
        &path,
        &path,
        &[
            ("password", "haslo12345"),
            ("password_repeated", "haslo12345"),
        ],
    );
    assert_eq!(weak.status(), Status::UnprocessableEntity);
    assert!(page_text(&weak.into_string().unwrap()).contains("zbyt popularne"));
    let done = post(
        &app.client,
        &path,
        &path,
        &[
            ("password", "Nowe-haslo-kwiatowa-7"),
            ("password_repeated", "Nowe-haslo-kwiatowa-7"),
        ],
    );
    assert_eq!(done.status(), Status::SeeOther);
    assert_eq!(location(&done), "/logowanie");

    let after = laptop.get("/bezpieczenstwo").dispatch();
    assert_eq!(
        after.status(),
        Status::SeeOther,
        "the laptop's session ended"
    );
    assert_eq!(location(&after), "/logowanie");
    assert_eq!(
        log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD).status(),
        Status::Unauthorized
    );
    assert_eq!(
        log_in(&app.client, demo::DEMO_LOGIN, "Nowe-haslo-kwiatowa-7").status(),
        Status::SeeOther
    );
    let stranger = app.another_browser();
    let reused = post(
        &stranger,
        "/haslo/reset",
        &path,
        &[
            ("password", "Jeszcze-inne-haslo-9"),
            ("password_repeated", "Jeszcze-inne-haslo-9"),
        ],
    );
    assert_eq!(reused.status(), Status::Gone, "a reset link works once");
    let mut conn = app.conn();
    assert_eq!(
        count(
            &mut conn,
            "SELECT id FROM audit_log WHERE action = 'password_reset'"
        ),
        1
    );
}

fn password_reset_answers_the_same_for_unknown_addresses(app: TestApp) {
    let app = app.with_demo(0);
    let known = post(
        &app.client,
        "/haslo/reset",
        "/haslo/reset",
        &[("email", "jan.kowalski@example.com")],
    );
    let known = (known.status(), known.into_string().unwrap());
    let unknown = post(
        &app.client,
        "/haslo/reset",
        "/haslo/reset",
        &[("email", "nikt@example.com")],
    );
    let unknown = (unknown.status(), unknown.into_string().unwrap());
    assert_eq!(known, unknown);
    assert_eq!(count(&mut app.conn(), "SELECT id FROM outbox"), 1);
}

fn totp_login_works_with_a_code_computed_in_the_test(app: TestApp) {
    let app = app.with_demo(0);
    assert_eq!(
        log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD).status(),
        Status::SeeOther
    );
    let setup = app
        .client
        .get("/bezpieczenstwo/2fa")
        .dispatch()
        .into_string()
        .unwrap();
    let document = scraper::Html::parse_document(&setup);
    let secret = document
        .select(&scraper::Selector::parse("code.secret").unwrap())
        .next()
        .expect("the key is shown for manual entry")
        .text()
        .collect::<String>();
    assert!(setup.contains("<svg"), "a QR code is shown");
    let enable = |code: &str, password: &str| {
        let response = post(
            &app.client,
            "/bezpieczenstwo/2fa",
            "/bezpieczenstwo/2fa/wlacz",
            &[("code", code), ("current_password", password)],
        );
        (
            response.status(),
            response.into_string().unwrap_or_default(),
        )
    };
    assert_eq!(
        enable("000000", demo::DEMO_PASSWORD).0,
        Status::UnprocessableEntity
    );
    let code = two_factor::current_code(&secret, demo::DEMO_LOGIN, clock::now()).unwrap();
    assert_eq!(
        enable(&code, "zgadywane").0,
        Status::UnprocessableEntity,
        "a stolen session cannot turn it on"
    );
    let (status, codes_page) = enable(&code, demo::DEMO_PASSWORD);
    assert_eq!(status, Status::Ok, "{}", page_text(&codes_page));
    let recovery: Vec<String> = scraper::Html::parse_document(&codes_page)
        .select(&scraper::Selector::parse("ul.recovery-codes code").unwrap())
        .map(|c| c.text().collect())
        .collect();
    assert_eq!(recovery.len(), 10);
    let rekey = post(
        &app.client,
        "/bezpieczenstwo",
        "/bezpieczenstwo/2fa/wlacz",
        &[("code", &code), ("current_password", demo::DEMO_PASSWORD)],
    );
    assert_eq!(
        rekey.status(),
        Status::UnprocessableEntity,
        "while it is on, it cannot be re-keyed"
    );

    let phone = app.another_browser();
    let first_step = log_in(&phone, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    assert_eq!(location(&first_step), "/logowanie/kod");
    assert!(
        !page_text(&phone.get("/").dispatch().into_string().unwrap()).contains("Dzień dobry, Jan"),
        "not signed in yet"
    );
    assert_eq!(
        post(
            &phone,
            "/logowanie/kod",
            "/logowanie/kod",
            &[("code", "123456")]
        )
        .status(),
        Status::Unauthorized
    );
    assert_eq!(
        post(
            &phone,
            "/logowanie/kod",
            "/logowanie/kod",
            &[("code", &code)]
        )
        .status(),
        Status::Unauthorized,
        "the code that switched it on is spent"
    );
    // The next step's code (within the accepted clock drift).
    let next = two_factor::current_code(
        &secret,
        demo::DEMO_LOGIN,
        clock::now() + Duration::seconds(30),
    )
    .unwrap();
    assert_eq!(
        post(
            &phone,
            "/logowanie/kod",
            "/logowanie/kod",
            &[("code", &next)]
        )
        .status(),
        Status::SeeOther
    );
    assert!(
        page_text(&phone.get("/").dispatch().into_string().unwrap())
            .contains("Dzień dobry, Jan Kowalski")
    );
    let replay = app.another_browser();
    log_in(&replay, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    assert_eq!(
        post(
            &replay,
            "/logowanie/kod",
            "/logowanie/kod",
            &[("code", &next)]
        )
        .status(),
        Status::Unauthorized,
        "a TOTP code works once"
    );

    let tablet = app.another_browser();
    log_in(&tablet, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    assert_eq!(
        post(
            &tablet,
            "/logowanie/kod",
            "/logowanie/kod",
            &[("code", &recovery[0])]
        )
        .status(),
        Status::SeeOther
    );
    let reuse = app.another_browser();
    log_in(&reuse, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    assert_eq!(
        post(
            &reuse,
            "/logowanie/kod",
            "/logowanie/kod",
            &[("code", &recovery[0])]
        )
        .status(),
        Status::Unauthorized,
        "a recovery code works once"
    );
}

fn mail_stays_in_the_outbox_while_smtp_is_down_and_goes_out_when_it_is_back(app: TestApp) {
    let mut smtp = SmtpSink::start();
    let app = app
        .with_demo(0)
        .with_config(|config| config.mail.smtp_url = Some(smtp.url()));
    smtp.stop();
    assert_eq!(
        register_demo_contract(&app.client, "anna.nowak").status(),
        Status::SeeOther
    );
    let report = app.deliver_mail();
    assert_eq!((report.sent, report.will_retry), (0, 1));
    let mut conn = app.conn();
    let (status, attempts, error): (String, i32, Option<String>) = outbox::table
        .select((outbox::status, outbox::attempts, outbox::last_error))
        .first(&mut *conn)
        .unwrap();
    assert_eq!((status.as_str(), attempts), ("pending", 1));
    assert!(error.is_some());
    assert_eq!(app.deliver_mail().sent, 0, "not retried before its time");

    smtp.restart();
    let report = app.deliver_mail_at(clock::now() + Duration::hours(1));
    assert_eq!(report.sent, 1);
    let status: String = outbox::table
        .select(outbox::status)
        .first(&mut *conn)
        .unwrap();
    assert_eq!(status, "sent");
    assert_eq!(smtp.received().len(), 1);
    assert!(smtp.received()[0].link_containing("/aktywacja/").is_some());
}

fn an_idle_session_ends_after_thirty_minutes(app: TestApp) {
    let app = app.with_demo(0);
    log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    assert_eq!(
        app.client.get("/bezpieczenstwo").dispatch().status(),
        Status::Ok
    );
    diesel::update(sessions::table)
        .set(sessions::last_seen_at.eq(clock::now() - Duration::minutes(31)))
        .execute(&mut *app.conn())
        .unwrap();
    let response = app.client.get("/bezpieczenstwo").dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), "/logowanie");
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM sessions WHERE ended_at IS NULL"
        ),
        0
    );
}

/// Logs the demo subscriber in and returns the session cookie, as a thief would copy it.
fn demo_session_cookie(app: &TestApp) -> rocket::http::Cookie<'static> {
    log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    app.client
        .cookies()
        .get_private("ebok_session")
        .expect("session cookie")
}

/// The dashboard resumes the session itself, in the same database turn as its page: an idle
/// or logged-out session must still get the public start page there, never the dashboard.
fn the_dashboard_of_an_ended_session_is_the_public_start_page(app: TestApp) {
    let app = app.with_demo(0);
    let stolen_cookie = demo_session_cookie(&app);
    let dashboard = page_text(&app.get("/").into_string().unwrap());
    assert!(
        dashboard.contains("Dzień dobry, Jan Kowalski"),
        "{dashboard}"
    );

    diesel::update(sessions::table)
        .set(sessions::last_seen_at.eq(clock::now() - Duration::minutes(31)))
        .execute(&mut *app.conn())
        .unwrap();
    let response = app.client.get("/").dispatch();
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(location(&response), "/");
    assert!(
        app.client.cookies().get_private("ebok_session").is_none(),
        "the dead session's cookie is dropped"
    );
    let start = app.get("/");
    assert_eq!(start.status(), Status::Ok);
    let start = start.into_string().unwrap();
    assert!(!start.contains("Dzień dobry"), "{start}");
    assert!(start.contains("href=\"/logowanie\""), "{start}");
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM sessions WHERE ended_at IS NULL"
        ),
        0
    );

    // A cookie of an ended session, replayed from another browser, gets no dashboard either.
    let replay = app.another_browser();
    replay.cookies().add_private(stolen_cookie);
    let response = replay.get("/").dispatch();
    assert!(
        matches!(response.status(), Status::Ok | Status::SeeOther),
        "{}",
        response.status()
    );
    let start = response.into_string().unwrap_or_default();
    assert!(!start.contains("Dzień dobry"), "{start}");
}

fn logout_ends_the_session_on_the_server(app: TestApp) {
    let app = app.with_demo(0);
    let stolen_cookie = demo_session_cookie(&app);
    let response = post(&app.client, "/", "/wyloguj", &[]);
    assert_eq!(response.status(), Status::SeeOther);
    let replay = app.another_browser();
    replay.cookies().add_private(stolen_cookie);
    assert_eq!(
        replay.get("/bezpieczenstwo").dispatch().status(),
        Status::SeeOther,
        "an ended session cannot be replayed"
    );
}

fn security_page_lists_logins_and_ends_other_sessions(app: TestApp) {
    let app = app.with_demo(0);
    let other = app.another_browser();
    log_in(&other, demo::DEMO_LOGIN, "zle-haslo-000");
    log_in(&other, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    let page = page_text(
        &app.client
            .get("/bezpieczenstwo")
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(page.contains("Otwarte sesje") && page.contains("(ta sesja)"));
    assert!(page.contains("nieudane") && page.contains("udane"));
    let ended = post(
        &app.client,
        "/bezpieczenstwo",
        "/bezpieczenstwo/wyloguj-inne",
        &[],
    );
    assert_eq!(ended.status(), Status::SeeOther);
    assert_eq!(
        other.get("/bezpieczenstwo").dispatch().status(),
        Status::SeeOther
    );
    assert_eq!(
        app.client.get("/bezpieczenstwo").dispatch().status(),
        Status::Ok
    );
}

fn changing_the_email_needs_the_link_sent_to_the_new_address(app: TestApp) {
    let smtp = SmtpSink::start();
    let app = app
        .with_demo(0)
        .with_config(|config| config.mail.smtp_url = Some(smtp.url()));
    log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    let wrong_password = post(
        &app.client,
        "/bezpieczenstwo",
        "/bezpieczenstwo/email",
        &[
            ("new_email", "jan.nowy@example.com"),
            ("current_password", "nie-to"),
        ],
    );
    assert_eq!(wrong_password.status(), Status::UnprocessableEntity);
    let requested = post(
        &app.client,
        "/bezpieczenstwo",
        "/bezpieczenstwo/email",
        &[
            ("new_email", "Jan.Nowy@example.com"),
            ("current_password", demo::DEMO_PASSWORD),
        ],
    );
    assert_eq!(requested.status(), Status::SeeOther);
    app.deliver_mail();
    let mails = smtp.received();
    let to_new = mails
        .iter()
        .find(|m| m.to == vec!["jan.nowy@example.com".to_owned()])
        .expect("confirmation to the new address");
    assert!(
        mails
            .iter()
            .any(|m| m.to == vec!["jan.kowalski@example.com".to_owned()]),
        "the old address is told"
    );
    let still: String = accounts::table
        .filter(accounts::login_key.eq("demo"))
        .select(accounts::email)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        still, "jan.kowalski@example.com",
        "nothing changes before the link is followed"
    );
    let path = path_of(&to_new.link_containing("/bezpieczenstwo/email/").unwrap());
    assert_eq!(
        post(&app.client, &path, &path, &[]).status(),
        Status::SeeOther
    );
    let now_email: String = accounts::table
        .filter(accounts::login_key.eq("demo"))
        .select(accounts::email)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(now_email, "jan.nowy@example.com");
}

fn changing_the_password_needs_the_current_one(app: TestApp) {
    let app = app.with_demo(0);
    let other = app.another_browser();
    log_in(&other, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    let refused = post(
        &app.client,
        "/bezpieczenstwo",
        "/bezpieczenstwo/haslo",
        &[
            ("current_password", "zle"),
            ("password", "Nowe-haslo-kwiatowa-7"),
            ("password_repeated", "Nowe-haslo-kwiatowa-7"),
        ],
    );
    assert_eq!(refused.status(), Status::UnprocessableEntity);
    assert!(
        page_text(&refused.into_string().unwrap()).contains("Obecne hasło jest nieprawidłowe.")
    );
    let changed = post(
        &app.client,
        "/bezpieczenstwo",
        "/bezpieczenstwo/haslo",
        &[
            ("current_password", demo::DEMO_PASSWORD),
            ("password", "Nowe-haslo-kwiatowa-7"),
            ("password_repeated", "Nowe-haslo-kwiatowa-7"),
        ],
    );
    assert_eq!(changed.status(), Status::SeeOther);
    assert_eq!(
        app.client.get("/bezpieczenstwo").dispatch().status(),
        Status::Ok,
        "this session stays"
    );
    assert_eq!(
        other.get("/bezpieczenstwo").dispatch().status(),
        Status::SeeOther,
        "other sessions end"
    );
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM audit_log WHERE action = 'password_changed'"
        ),
        1
    );
}

fn staff_and_subscriber_sessions_do_not_mix(app: TestApp) {
    let app = app.with_demo(0);
    let staff = post(
        &app.client,
        "/staff/login",
        "/staff/login",
        &[
            ("login", demo::ADMIN_LOGIN),
            ("password", demo::ADMIN_PASSWORD),
        ],
    );
    assert_eq!(staff.status(), Status::SeeOther);
    assert!(
        page_text(&app.client.get("/staff").dispatch().into_string().unwrap())
            .contains("Marta Zielińska")
    );
    assert_eq!(
        location(&app.client.get("/bezpieczenstwo").dispatch()),
        "/logowanie",
        "a staff session is no subscriber session"
    );
    let subscriber = app.another_browser();
    log_in(&subscriber, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    assert_eq!(
        location(&subscriber.get("/staff").dispatch()),
        "/staff/login"
    );
    let stranger = app.another_browser();
    assert_eq!(
        log_in(&stranger, demo::ADMIN_LOGIN, demo::ADMIN_PASSWORD).status(),
        Status::Unauthorized,
        "staff logins are not subscriber logins"
    );
}

fn registration_from_own_connection_only_when_the_operator_wants_it(app: TestApp) {
    let app = app.with_demo(0).with_config(|config| {
        config.web.registration_from_own_connection = true;
        config.web.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    });
    let token = common::csrf_token(&app.client, "/rejestracja");
    let body = common::form(&[
        ("login", "anna.nowak"),
        ("password", "Lipowa-15-ostrow"),
        ("password_repeated", "Lipowa-15-ostrow"),
        ("email", demo::UNREGISTERED_EMAIL),
        ("pesel", demo::UNREGISTERED_PESEL),
        ("contract_number", demo::UNREGISTERED_CONTRACT),
        ("accepts_terms", "true"),
        ("csrf_token", &token),
    ]);
    let from = |real_ip: &str, peer: &str| {
        app.client
            .post("/rejestracja")
            .header(ContentType::Form)
            .header(Header::new("X-Real-IP", real_ip.to_owned()))
            .remote(peer.parse().unwrap())
            .body(body.clone())
            .dispatch()
            .status()
    };
    assert_eq!(
        from("198.51.100.7", "127.0.0.1:40000"),
        Status::Forbidden,
        "someone else's connection"
    );
    assert_eq!(
        from("203.0.113.18", "192.0.2.1:40000"),
        Status::Forbidden,
        "the header is not believed from an untrusted peer"
    );
    assert_eq!(
        from("203.0.113.18", "127.0.0.1:40000"),
        Status::SeeOther,
        "the contract's own IP behind our proxy"
    );
}

fn pending_account_cannot_log_in_until_activated(app: TestApp) {
    let app = app.with_demo(0);
    register_demo_contract(&app.client, "anna.nowak");
    let wrong = log_in(&app.client, "anna.nowak", "zle-haslo-1234");
    assert_eq!(
        wrong.status(),
        Status::Unauthorized,
        "nothing is told without the password"
    );
    let right = log_in(&app.client, "anna.nowak", "Lipowa-15-ostrow");
    assert_eq!(right.status(), Status::Forbidden);
    assert!(page_text(&right.into_string().unwrap()).contains("nie zostało jeszcze aktywowane"));
}

/// A storm of logins: while every password slot is taken, a login waits its turn for 15 s and
/// is then answered with the form and a plain "try again in a few seconds" (503), for
/// subscribers and staff alike; nothing is stored for it, and once a slot is free the same
/// login goes through.
fn a_login_behind_a_full_line_of_password_checks_is_told_to_retry_and_the_next_one_gets_in(
    app: TestApp,
) {
    let app = app.with_demo(0);
    let slots = app
        .client
        .rocket()
        .state::<ebok::web::mailing::PasswordSlots>()
        .expect("the password slots are the portal's state");
    let sessions_before = count(&mut app.conn(), "SELECT id FROM sessions");
    let every_slot = u32::try_from(slots.0.available_permits()).unwrap();
    let storm = slots
        .0
        .try_acquire_many(every_slot)
        .expect("no login runs yet");

    let refused = log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    assert_eq!(refused.status(), Status::ServiceUnavailable);
    let html = refused.into_string().unwrap();
    let page = page_text(&html);
    assert!(
        page.contains("W tej chwili loguje się bardzo wiele osób naraz"),
        "{page}"
    );
    assert!(
        html.contains(&format!("value=\"{}\"", demo::DEMO_LOGIN)),
        "the login typed is kept: {html}"
    );
    let staff = post(
        &app.client,
        "/staff/login",
        "/staff/login",
        &[
            ("login", demo::ADMIN_LOGIN),
            ("password", demo::ADMIN_PASSWORD),
        ],
    );
    assert_eq!(staff.status(), Status::ServiceUnavailable);
    assert!(page_text(&staff.into_string().unwrap()).contains("loguje się bardzo wiele osób"));
    assert_eq!(
        count(&mut app.conn(), "SELECT id FROM sessions"),
        sessions_before,
        "a login told to retry signs nobody in"
    );

    drop(storm);
    let signed_in = log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    assert_eq!(signed_in.status(), Status::SeeOther);
    assert_eq!(signed_in.headers().get_one("Location"), Some("/"));
}
