//! Hostile input from issue 14's probe: each test tries to break the portal the way the probe
//! did and checks that it holds (a clear answer, never a 500, nothing leaked or locked).

mod common;

use common::{TestApp, csrf_token, form, log_in, post};
use ebok::app::demo;
use rocket::http::{ContentType, Header, Status};

backend_tests!(
    language_switch_with_a_back_that_is_no_local_path_goes_home,
    session_cookies_end_with_the_browser,
    the_pppoe_password_is_revealed_through_the_form_on_the_service_page,
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

fn scalar_i64(app: &TestApp, sql: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        v: i64,
    }
    use diesel::RunQueryDsl;
    diesel::sql_query(sql)
        .get_result::<Row>(&mut *app.conn())
        .expect("scalar query")
        .v
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
