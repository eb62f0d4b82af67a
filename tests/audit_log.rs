//! The staff-wide audit log (issue 14, section 3): admins see who did what, when and from
//! where, narrow it by staff member, customer, kind and dates, and export it as CSV; other
//! roles do not see it.

mod common;

use common::{TestApp, log_in, staff_client};
use ebok::app::demo;
use rocket::http::Status;
use rocket::local::blocking::Client;

backend_tests!(
    admins_read_and_narrow_the_audit_log,
    the_audit_log_exports_as_csv_with_the_same_filter,
    other_roles_neither_see_nor_open_the_audit_log,
);

/// The page's text without the filter form (whose choices name every kind of event).
fn text(client: &Client, path: &str) -> String {
    let response = client.get(path.to_owned()).dispatch();
    assert_eq!(response.status(), Status::Ok, "{path}");
    let html = response.into_string().unwrap_or_default();
    let document = scraper::Html::parse_document(&html);
    let main = scraper::Selector::parse("main > :not(form)").expect("selector");
    let text: Vec<String> = document
        .select(&main)
        .map(|element| element.text().collect::<Vec<_>>().join(" "))
        .collect();
    text.join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A demo with one failed and one good login of `demo`.
fn demo_with_logins(app: TestApp) -> TestApp {
    let app = app.with_demo(0);
    log_in(&app.client, demo::DEMO_LOGIN, "zle-haslo-123");
    log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    app
}

fn admins_read_and_narrow_the_audit_log(app: TestApp) {
    let app = demo_with_logins(app);
    let admin = staff_client(&app, demo::ADMIN_LOGIN, demo::ADMIN_PASSWORD);
    assert!(
        admin
            .get("/staff")
            .dispatch()
            .into_string()
            .unwrap_or_default()
            .contains("href=\"/staff/dziennik\""),
        "linked from the staff navigation"
    );
    let all = text(&admin, "/staff/dziennik");
    for words in [
        "Nieudane logowanie",
        "Zalogowanie",
        "Zalogowanie pracownika",
    ] {
        assert!(all.contains(words), "{words}: {all}");
    }
    let failures = text(&admin, "/staff/dziennik?kind=login_failure");
    assert!(failures.contains("Nieudane logowanie"), "{failures}");
    assert!(!failures.contains("Zalogowanie pracownika"), "{failures}");
    let customer = text(&admin, "/staff/dziennik?customer=1");
    assert!(customer.contains("Zalogowanie"), "{customer}");
    assert!(!customer.contains("Zalogowanie pracownika"), "{customer}");
    let future = text(&admin, "/staff/dziennik?from=2999-01-01");
    assert!(
        future.contains("Brak zdarzeń dla tego zawężenia."),
        "{future}"
    );
    let bad = text(&admin, "/staff/dziennik?from=wczoraj&customer=abc");
    assert!(bad.contains("Datę podaj jako RRRR-MM-DD"), "{bad}");
    assert!(bad.contains("Numer musi być liczbą całkowitą"), "{bad}");
    let admin_id = common::scalar_i64(
        &app,
        "SELECT id AS v FROM staff_users WHERE login = 'admin'",
    );
    let by_admin = text(&admin, &format!("/staff/dziennik?staff={admin_id}"));
    assert!(by_admin.contains("Zalogowanie pracownika"), "{by_admin}");
    assert!(!by_admin.contains("Nieudane logowanie"), "{by_admin}");
}

fn the_audit_log_exports_as_csv_with_the_same_filter(app: TestApp) {
    let app = demo_with_logins(app);
    let admin = staff_client(&app, demo::ADMIN_LOGIN, demo::ADMIN_PASSWORD);
    let response = admin
        .get("/staff/dziennik.csv?kind=login_failure&customer=&staff=&from=&to=")
        .dispatch();
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(
        response.content_type().map(|ct| ct.to_string()).as_deref(),
        Some("text/csv; charset=utf-8")
    );
    let csv = response.into_string().unwrap_or_default();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].contains("\"Kiedy\";\"Kto\""), "{}", lines[0]);
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(
        lines[1].contains("\"Nieudane logowanie\";\"login_failure\""),
        "{csv}"
    );
}

fn other_roles_neither_see_nor_open_the_audit_log(app: TestApp) {
    let app = app.with_demo(0);
    let billing = staff_client(&app, "ksiegowosc", "Staff-ebok-2026");
    let home = billing
        .get("/staff")
        .dispatch()
        .into_string()
        .unwrap_or_default();
    assert!(!home.contains("/staff/dziennik"));
    assert_eq!(
        billing.get("/staff/dziennik").dispatch().status(),
        Status::Forbidden
    );
    assert_eq!(
        billing.get("/staff/dziennik.csv").dispatch().status(),
        Status::Forbidden
    );
    assert_eq!(
        app.get("/staff/dziennik").status(),
        Status::SeeOther,
        "signed out: to the login page"
    );
}
