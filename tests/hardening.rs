//! Hostile input from issue 14's probe: each test tries to break the portal the way the probe
//! did and checks that it holds (a clear answer, never a 500, nothing leaked or locked).

mod common;

use common::{TestApp, csrf_token, form, log_in, post};
use ebok::app::demo;
use rocket::http::{ContentType, Header, Status};

backend_tests!(
    language_switch_with_a_back_that_is_no_local_path_goes_home,
    session_cookies_end_with_the_browser,
);

fn language_switch_with_a_back_that_is_no_local_path_goes_home(app: TestApp) {
    let app = app.with_demo(0);
    for back in ["/a b", "/ä", "/{x}", "/wiadomosci?q=ą", "//evil.example/x"] {
        let response = post(&app.client, "/", "/jezyk", &[("lang", "en"), ("back", back)]);
        assert_eq!(response.status(), Status::SeeOther, "back={back:?}");
        assert_eq!(response.headers().get_one("Location"), Some("/"), "{back:?}");
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
        &[("login", demo::ADMIN_LOGIN), ("password", demo::ADMIN_PASSWORD)],
    );
    assert_eq!(response.status(), Status::SeeOther);
    assert_ends_with_the_browser(&set_cookie_header(&response, "ebok_staff_session"));

    let visitor = app.another_browser();
    let response = visitor.get("/logowanie").dispatch();
    assert_ends_with_the_browser(&set_cookie_header(&response, "ebok_csrf"));
}
