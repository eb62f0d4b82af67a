//! The portal in Polish and English: pages follow the browser until the subscriber chooses, the
//! choice is stored on the account (and used for mail), error pages and form messages follow
//! too, and every message a template asks for exists in both languages.

mod common;

use common::{TestApp, csrf_token, form, log_in, page_text};
use diesel::prelude::*;
use ebok::app::demo;
use ebok::db::schema::{accounts, customers, invoices, outbox};
use ebok::domain::InvoiceId;
use ebok::i18n::{Lang, has_own_message};
use rocket::http::{ContentType, Cookie, Header, Status};
use rocket::local::blocking::Client;

backend_tests!(
    public_pages_follow_the_browsers_language,
    a_language_cookie_wins_over_the_browser_and_error_pages_follow_it,
    form_messages_are_in_the_pages_language,
    the_switch_stores_the_subscribers_language_and_the_next_pages_follow_it,
    mail_goes_out_in_the_language_the_subscriber_chose,
    staff_pages_and_their_messages_follow_the_browser,
);

/// UI words that only a Polish page has (demo data never contains them).
const POLISH_ONLY: &[&str] = &[
    "Zaloguj",
    "Wyloguj",
    "Faktury",
    "Hasło",
    "Pobierz",
    "Termin",
    "Zapłać",
    "Nabywca",
    "Bezpieczeństwo",
    "Saldo",
    "Faktura",
    "Wpłata",
];

fn page(client: &Client, path: &str, accept_language: &str) -> (Status, String) {
    let response = client
        .get(path.to_owned())
        .header(Header::new("Accept-Language", accept_language.to_owned()))
        .dispatch();
    let status = response.status();
    (
        status,
        page_text(&response.into_string().unwrap_or_default()),
    )
}

fn assert_english(path: &str, text: &str, expected: &[&str]) {
    for word in expected {
        assert!(text.contains(word), "{path}: no {word:?} in {text}");
    }
    for word in POLISH_ONLY {
        assert!(!text.contains(word), "{path}: Polish {word:?} in {text}");
    }
}

fn assert_polish(path: &str, text: &str, expected: &[&str]) {
    for word in expected {
        assert!(text.contains(word), "{path}: no {word:?} in {text}");
    }
    for word in ["Log in", "Log out", "Invoices", "Password", "Download"] {
        assert!(!text.contains(word), "{path}: English {word:?} in {text}");
    }
}

/// POSTs a form with the page's CSRF token and a browser language.
fn post_in<'c>(
    client: &'c Client,
    form_page: &str,
    action: &str,
    fields: &[(&str, &str)],
    accept_language: &str,
) -> rocket::local::blocking::LocalResponse<'c> {
    let token = csrf_token(client, form_page);
    let mut all = fields.to_vec();
    all.push(("csrf_token", &token));
    client
        .post(action.to_owned())
        .header(ContentType::Form)
        .header(Header::new("Origin", "http://127.0.0.1:8000"))
        .header(Header::new("Accept-Language", accept_language.to_owned()))
        .body(form(&all))
        .dispatch()
}

fn switch_language(client: &Client, back: &str, lang: &str) -> Status {
    post_in(
        client,
        back,
        "/jezyk",
        &[("lang", lang), ("back", back)],
        "pl",
    )
    .status()
}

fn demo_account_language(app: &TestApp) -> (String, String) {
    let account: String = accounts::table
        .filter(accounts::login.eq(demo::DEMO_LOGIN))
        .select(accounts::language)
        .first(&mut *app.conn())
        .unwrap();
    let customer: String = customers::table
        .inner_join(accounts::table.on(accounts::customer_id.eq(customers::id)))
        .filter(accounts::login.eq(demo::DEMO_LOGIN))
        .select(customers::language)
        .first(&mut *app.conn())
        .unwrap();
    (account, customer)
}

fn public_pages_follow_the_browsers_language(app: TestApp) {
    let app = app.with_demo(0);
    let pages: &[(&str, &[&str], &[&str])] = &[
        (
            "/",
            &[
                "Your subscriber account in one place",
                "Network status",
                "Log in",
            ],
            &[
                "Twoje konto abonenta w jednym miejscu",
                "Stan sieci",
                "Zaloguj się",
            ],
        ),
        (
            "/regulamin",
            &["e-BOK terms of service", "Version regulamin-2026-01"],
            &["Regulamin e-BOK", "Wersja regulamin-2026-01"],
        ),
        (
            "/logowanie",
            &[
                "Log in to e-BOK",
                "Login or e-mail address",
                "Forgotten your password?",
            ],
            &[
                "Zaloguj się do e-BOK",
                "Login lub adres e-mail",
                "Nie pamiętasz hasła?",
            ],
        ),
        (
            "/rejestracja",
            &[
                "Open an e-BOK account",
                "Contract number",
                "At least 10 characters",
            ],
            &[
                "Załóż konto w e-BOK",
                "Numer umowy",
                "Co najmniej 10 znaków",
            ],
        ),
        (
            "/haslo/reset",
            &["Forgotten your password?", "Send the link"],
            &["Nie pamiętasz hasła?", "Wyślij link"],
        ),
        (
            "/haslo/nowe/no-such-token",
            &["This link no longer works", "Ask for a new link"],
            &["Link jest nieaktywny", "Poproś o nowy link"],
        ),
        (
            "/aktywacja/ponownie",
            &["Send the activation link again"],
            &["Wyślij link aktywacyjny ponownie"],
        ),
        (
            "/rejestracja/wyslano",
            &["Check your e-mail", "send the link again"],
            &["Sprawdź skrzynkę e-mail", "wyślij link ponownie"],
        ),
    ];
    for (path, english, polish) in pages {
        let browser = app.another_browser();
        let (status, text) = page(&browser, path, "en-GB,en;q=0.9");
        assert!(
            status == Status::Ok || status == Status::Gone,
            "{path}: {status}"
        );
        assert_english(path, &text, english);
        let (_, text) = page(&browser, path, "pl-PL,pl;q=0.9,en;q=0.5");
        assert_polish(path, &text, polish);
        // No Accept-Language at all: Polish, the default.
        let text = page_text(
            &app.another_browser()
                .get(path.to_string())
                .dispatch()
                .into_string()
                .unwrap(),
        );
        assert_polish(path, &text, polish);
    }
}

fn a_language_cookie_wins_over_the_browser_and_error_pages_follow_it(app: TestApp) {
    let browser = app.another_browser();
    let (status, text) = page(&browser, "/nie-ma-takiej-strony", "en");
    assert_eq!(status, Status::NotFound);
    assert_english("404", &text, &["Page not found", "Back to the home page"]);
    let (_, text) = page(&browser, "/nie-ma-takiej-strony", "pl");
    assert!(text.contains("Nie znaleziono strony") && text.contains("Wróć na stronę główną"));

    // The switch remembers the choice in a cookie, which beats the browser's header.
    assert_eq!(
        switch_language(&browser, "/logowanie", "en"),
        Status::SeeOther
    );
    assert!(
        browser
            .cookies()
            .get("ebok_lang")
            .is_some_and(|c| c.value() == "en")
    );
    let (_, text) = page(&browser, "/logowanie", "pl");
    assert_english("/logowanie", &text, &["Log in to e-BOK"]);
    let (_, text) = page(&browser, "/nie-ma-takiej-strony", "pl");
    assert!(text.contains("Page not found"), "{text}");

    // The cookie alone decides (a request that carries it by hand), a nonsense value does not.
    let other = app.another_browser();
    let by_hand = |value: &str| {
        page_text(
            &other
                .get("/")
                .cookie(Cookie::new("ebok_lang", value.to_owned()))
                .header(Header::new("Accept-Language", "pl"))
                .dispatch()
                .into_string()
                .unwrap(),
        )
    };
    assert!(by_hand("en").contains("Network status"));
    assert!(by_hand("klingon").contains("Stan sieci"));
    // An unknown language in the switch changes nothing.
    assert_eq!(switch_language(&other, "/", "en"), Status::SeeOther);
    assert_eq!(switch_language(&other, "/", "de"), Status::SeeOther);
    let (_, text) = page(&other, "/", "pl");
    assert!(
        text.contains("Network status"),
        "the cookie stays English: {text}"
    );
    assert_eq!(switch_language(&other, "/", "pl"), Status::SeeOther);
    let (_, text) = page(&other, "/", "en");
    assert!(text.contains("Stan sieci"), "{text}");
}

fn form_messages_are_in_the_pages_language(app: TestApp) {
    let app = app.with_demo(0);
    let browser = app.another_browser();
    let wrong = post_in(
        &browser,
        "/logowanie",
        "/logowanie",
        &[
            ("identifier", demo::DEMO_LOGIN),
            ("password", "not-the-password"),
        ],
        "en",
    );
    assert_eq!(wrong.status(), Status::Unauthorized);
    let text = page_text(&wrong.into_string().unwrap());
    assert!(text.contains("Wrong login or password."), "{text}");
    assert!(!text.contains("Nieprawidłowy"), "{text}");

    let refused = post_in(
        &browser,
        "/rejestracja",
        "/rejestracja",
        &[
            ("contract_number", "???"),
            ("pesel", "123"),
            ("email", "not-an-address"),
            ("login", "x"),
            ("password", "short"),
            ("password_repeated", "other"),
        ],
        "en",
    );
    assert_eq!(refused.status(), Status::UnprocessableEntity);
    let text = page_text(&refused.into_string().unwrap());
    for message in [
        "Please correct the marked fields.",
        "The login must have 3 to 32 characters",
        "The password must have at least 10 characters.",
        "The PESEL number is not valid",
        "To open an account, accept the e-BOK terms of service.",
    ] {
        assert!(text.contains(message), "no {message:?} in {text}");
    }
    assert!(!text.contains("Popraw zaznaczone pola"), "{text}");
    assert_eq!(
        common::count(&mut app.conn(), "SELECT id FROM accounts WHERE login = 'x'"),
        0,
        "nothing registered"
    );

    // The same form in Polish keeps the wording the rest of the suite relies on.
    let other = app.another_browser();
    let refused = post_in(
        &other,
        "/rejestracja",
        "/rejestracja",
        &[("login", "x"), ("password", "short")],
        "pl",
    );
    let text = page_text(&refused.into_string().unwrap());
    assert!(text.contains("Popraw zaznaczone pola."), "{text}");
    assert!(
        text.contains("Hasło musi mieć co najmniej 10 znaków."),
        "{text}"
    );
}

fn the_switch_stores_the_subscribers_language_and_the_next_pages_follow_it(app: TestApp) {
    let app = app.with_demo(0);
    let invoice_id: InvoiceId = invoices::table
        .inner_join(accounts::table.on(accounts::customer_id.eq(invoices::customer_id)))
        .filter(accounts::login.eq(demo::DEMO_LOGIN))
        .filter(invoices::number.is_not_null())
        .select(invoices::id)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD).status(),
        Status::SeeOther
    );
    let detail = format!("/faktury/{invoice_id}");
    let signed_in: Vec<(&str, &[&str], &[&str])> = vec![
        (
            "/faktury",
            &["Invoices", "Issued", "Download selected (ZIP)", "Log out"],
            &[
                "Faktury",
                "Wystawiona",
                "Pobierz zaznaczone (ZIP)",
                "Wyloguj",
            ],
        ),
        (
            &detail,
            &["Issue date", "Payment due", "Total gross", "Items"],
            &[
                "Data wystawienia",
                "Termin płatności",
                "Razem brutto",
                "Pozycje",
            ],
        ),
        (
            "/saldo",
            &[
                "Balance and payments",
                "Download statement (PDF)",
                "Charge",
                "Invoice FV/",
            ],
            &[
                "Saldo i płatności",
                "Pobierz zestawienie (PDF)",
                "Należność",
            ],
        ),
        (
            "/bezpieczenstwo",
            &[
                "Account security",
                "Open sessions",
                "(this session)",
                "Change password",
            ],
            &[
                "Bezpieczeństwo konta",
                "Otwarte sesje",
                "(ta sesja)",
                "Zmień hasło",
            ],
        ),
    ];
    // The account says Polish (the demo's setting): it wins over the browser.
    assert_eq!(demo_account_language(&app), ("pl".into(), "pl".into()));
    for (path, _, polish) in &signed_in {
        let (status, text) = page(&app.client, path, "en");
        assert_eq!(status, Status::Ok, "{path}");
        assert_polish(path, &text, polish);
    }

    assert_eq!(
        switch_language(&app.client, "/faktury", "en"),
        Status::SeeOther
    );
    assert_eq!(
        demo_account_language(&app),
        ("en".into(), "en".into()),
        "stored on the account and the customer"
    );
    // Now English whatever the browser says, and amounts and dates the English way.
    for (path, english, _) in &signed_in {
        let (status, text) = page(&app.client, path, "pl");
        assert_eq!(status, Status::Ok, "{path}");
        assert_english(path, &text, english);
    }
    let (_, text) = page(&app.client, "/faktury", "pl");
    assert!(text.contains("PLN "), "English money: {text}");

    // The choice survives logging out and in again from another browser.
    let laptop = app.another_browser();
    log_in(&laptop, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    let (_, text) = page(&laptop, "/saldo", "pl");
    assert_english(
        "/saldo",
        &text,
        &[
            "Balance and payments",
            "You are logged in. Welcome to e-BOK!",
        ],
    );

    assert_eq!(
        switch_language(&app.client, "/saldo", "pl"),
        Status::SeeOther
    );
    assert_eq!(demo_account_language(&app), ("pl".into(), "pl".into()));
    for (path, _, polish) in &signed_in {
        let (_, text) = page(&app.client, path, "en");
        assert_polish(path, &text, polish);
    }
}

fn mail_goes_out_in_the_language_the_subscriber_chose(app: TestApp) {
    let app = app.with_demo(0);
    log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    switch_language(&app.client, "/bezpieczenstwo", "en");
    let email: String = accounts::table
        .filter(accounts::login.eq(demo::DEMO_LOGIN))
        .select(accounts::email)
        .first(&mut *app.conn())
        .unwrap();
    // Asked for from a Polish browser that is not signed in: the account's language decides.
    let stranger = app.another_browser();
    let asked = post_in(
        &stranger,
        "/haslo/reset",
        "/haslo/reset",
        &[("email", &email)],
        "pl",
    );
    assert_eq!(asked.status(), Status::Ok);
    let subjects: Vec<String> = outbox::table
        .filter(outbox::recipient.eq(&email))
        .select(outbox::subject)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(subjects, vec!["Set a new e-BOK password".to_owned()]);
    let body: String = outbox::table
        .filter(outbox::recipient.eq(&email))
        .select(outbox::body_text)
        .first(&mut *app.conn())
        .unwrap();
    assert!(body.contains("/haslo/nowe/"), "{body}");
}

fn staff_pages_and_their_messages_follow_the_browser(app: TestApp) {
    let app = app.with_demo(0);
    let browser = app.another_browser();
    let (_, text) = page(&browser, "/staff/login", "en");
    assert!(text.contains("Staff panel") && text.contains("Log in for the operator's staff."));
    let wrong = post_in(
        &browser,
        "/staff/login",
        "/staff/login",
        &[("login", demo::ADMIN_LOGIN), ("password", "wrong-password")],
        "en",
    );
    assert_eq!(wrong.status(), Status::Unauthorized);
    assert!(page_text(&wrong.into_string().unwrap()).contains("Wrong login or password."));
    let signed_in = post_in(
        &browser,
        "/staff/login",
        "/staff/login",
        &[
            ("login", demo::ADMIN_LOGIN),
            ("password", demo::ADMIN_PASSWORD),
        ],
        "en",
    );
    assert_eq!(signed_in.status(), Status::SeeOther);
    let (_, text) = page(&browser, "/staff", "en");
    assert!(
        text.contains("Signed in as") && text.contains("(administrator)"),
        "{text}"
    );
    let (_, text) = page(&browser, "/staff/serie", "en");
    assert!(
        text.contains("Invoice numbering series") && text.contains("{N:06}"),
        "{text}"
    );
    let refused = post_in(
        &browser,
        "/staff/serie",
        "/staff/serie",
        &[
            ("code", "FX"),
            ("name", "Test"),
            ("kind", "invoice"),
            ("template", "FX/{YYYY}"),
            ("reset_period", "yearly"),
            ("active", "true"),
        ],
        "en",
    );
    assert_eq!(refused.status(), Status::UnprocessableEntity);
    let text = page_text(&refused.into_string().unwrap());
    assert!(
        text.contains("Number template: must contain the counter {N} (e.g. {N:06})."),
        "{text}"
    );
    let (_, text) = page(&browser, "/staff", "pl");
    assert!(
        text.contains("Zalogowano jako") && text.contains("(administrator)"),
        "{text}"
    );
}

/// The message ids a language's Fluent files define (`id = …` at the start of a line).
fn message_ids(lang: Lang) -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/locales")
        .join(lang.code());
    let mut ids = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            if let Some((id, _)) = line.split_once(" =")
                && !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                ids.push(id.to_owned());
            }
        }
    }
    ids
}

/// Every `t(key="…")` in every template names a message that both languages have; a key built
/// from a prefix (`t(key="service-kind-" ~ s.kind)`) needs at least one message with that prefix.
#[test]
fn every_template_message_exists_in_both_languages() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut keys = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "tera") {
                let text = std::fs::read_to_string(&path).unwrap();
                for quote in ['"', '\''] {
                    let opening = format!("t(key={quote}");
                    for (at, _) in text.match_indices(&opening) {
                        let rest = &text[at + opening.len()..];
                        let end = rest.find(quote).unwrap();
                        let is_prefix = rest[end + 1..].trim_start().starts_with('~');
                        keys.push((
                            path.display().to_string(),
                            rest[..end].to_owned(),
                            is_prefix,
                        ));
                    }
                }
            }
        }
    }
    assert!(keys.len() > 300, "only {} keys found", keys.len());
    let mut missing = Vec::new();
    for lang in Lang::ALL {
        let ids = message_ids(lang);
        for (file, key, is_prefix) in &keys {
            let found = if *is_prefix {
                ids.iter().any(|id| id.starts_with(key.as_str()))
            } else {
                has_own_message(lang, key)
            };
            if !found {
                missing.push(format!("{file}: {key} ({})", lang.code()));
            }
        }
    }
    assert!(missing.is_empty(), "missing messages: {missing:#?}");
}

/// The keys Rust code asks for in the areas translated here exist in both languages too.
#[test]
fn every_message_the_handlers_use_exists_in_both_languages() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web");
    let prefixes = [
        "auth-",
        "registration-",
        "security-",
        "invoices-",
        "staff-",
        "messages-",
        "errors-",
        "public-",
    ];
    let mut checked = 0;
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for literal in text.split('"').skip(1).step_by(2) {
                let looks_like_key = prefixes.iter().any(|p| literal.starts_with(p))
                    && literal
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                if looks_like_key {
                    checked += 1;
                    for lang in Lang::ALL {
                        assert!(
                            has_own_message(lang, literal),
                            "{}: {literal} missing in {}",
                            path.display(),
                            lang.code()
                        );
                    }
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} keys found in the handlers");
}
