//! Small things the walk on the demo found (issue 14, section 3): each as a subscriber sees it.

mod common;

use common::{TestApp, log_in, page_text, post, scalar_i64, turn_on_two_factor};
use ebok::app::demo;
use rocket::http::Status;

backend_tests!(
    the_news_list_names_the_kind_once,
    the_contract_page_names_the_holder,
    the_code_that_turned_two_step_login_on_is_refused_as_already_used,
    every_page_has_a_menu_button_for_phones_that_works_without_javascript_too,
);

fn signed_in_demo(app: TestApp) -> TestApp {
    let app = app.with_demo(0);
    assert_eq!(
        log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD).status(),
        Status::SeeOther
    );
    app
}

fn text(app: &TestApp, path: &str) -> String {
    page_text(&app.get(path).into_string().unwrap_or_default())
}

fn the_news_list_names_the_kind_once(app: TestApp) {
    let app = signed_in_demo(app);
    let news = text(&app, "/wiadomosci");
    assert!(news.contains("Awaria łącza światłowodowego"), "{news}");
    assert!(!news.contains("Awaria Awaria"), "{news}");
}

fn the_contract_page_names_the_holder(app: TestApp) {
    let app = signed_in_demo(app);
    let contract = scalar_i64(
        &app,
        &format!(
            "SELECT id AS v FROM contracts WHERE number = '{}'",
            "UM/2023/00001"
        ),
    );
    let page = text(&app, &format!("/umowy/{contract}"));
    assert!(page.contains("Abonent Jan Kowalski"), "{page}");
}

fn the_code_that_turned_two_step_login_on_is_refused_as_already_used(app: TestApp) {
    let app = signed_in_demo(app);
    let (_, code) = turn_on_two_factor(&app);
    let phone = app.another_browser();
    log_in(&phone, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    let response = post(
        &phone,
        "/logowanie/kod",
        "/logowanie/kod",
        &[("code", &code)],
    );
    assert_eq!(response.status(), Status::Unauthorized);
    let page = page_text(&response.into_string().unwrap_or_default());
    assert!(page.contains("Ten kod został już użyty"), "{page}");
    assert!(!page.contains("Kod jest nieprawidłowy"), "{page}");
    let wrong = post(
        &phone,
        "/logowanie/kod",
        "/logowanie/kod",
        &[("code", "000000")],
    );
    assert!(page_text(&wrong.into_string().unwrap_or_default()).contains("Kod jest nieprawidłowy"));
}

fn every_page_has_a_menu_button_for_phones_that_works_without_javascript_too(app: TestApp) {
    let app = signed_in_demo(app);
    let html = app.get("/faktury").into_string().unwrap_or_default();
    let document = scraper::Html::parse_document(&html);
    let button = scraper::Selector::parse(
        "nav.main-nav > button.menu-button[aria-controls=main-menu][aria-expanded=false][hidden]",
    )
    .expect("selector");
    assert!(
        document.select(&button).next().is_some(),
        "hidden until the script shows it"
    );
    let menu = scraper::Selector::parse("nav.main-nav > ul#main-menu a[href='/faktury']")
        .expect("selector");
    assert!(document.select(&menu).next().is_some());
    assert!(html.contains("<script src=\"/assets/js/menu.js\" defer></script>"));
    let script = app.get("/assets/js/menu.js");
    assert_eq!(script.status(), Status::Ok);
    assert!(
        script
            .into_string()
            .unwrap_or_default()
            .contains("aria-expanded")
    );
}
