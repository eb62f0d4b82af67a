//! `/metrics` as a Prometheus server scrapes it: only with the configured bearer token, in the
//! OpenMetrics text format, with requests counted by route pattern and the database's queues
//! and today's failed logins.

mod common;

use common::{TestApp, log_in};
use rocket::http::{Header, Status};

backend_tests!(
    metrics_need_the_token_and_count_requests_queues_and_failed_logins,
    without_a_configured_token_there_is_no_metrics_page,
);

const TOKEN: &str = "metrics-token-for-tests-0123456789";

fn scrape(app: &TestApp, token: &str) -> (Status, Option<String>, String) {
    let response = app
        .client
        .get("/metrics")
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .dispatch();
    let status = response.status();
    let content_type = response.content_type().map(|c| c.to_string());
    (
        status,
        content_type,
        response.into_string().unwrap_or_default(),
    )
}

/// The value of the sample line that starts with `series` (name and labels as written).
fn sample(page: &str, series: &str) -> Option<f64> {
    page.lines()
        .find(|line| line.starts_with(series) && line[series.len()..].starts_with(' '))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|value| value.parse().ok())
}

fn metrics_need_the_token_and_count_requests_queues_and_failed_logins(app: TestApp) {
    let app = app
        .with_demo(0)
        .with_config(|config| config.web.metrics_token = Some(TOKEN.into()));

    let (status, _, _) = scrape(&app, "wrong-token-wrong-token-wrong");
    assert_eq!(status, Status::NotFound, "a wrong token finds no page");
    let anonymous = app.client.get("/metrics").dispatch();
    assert_eq!(anonymous.status(), Status::NotFound);

    assert_eq!(app.get("/").status(), Status::Ok);
    assert_eq!(app.get("/").status(), Status::Ok);
    assert_eq!(
        app.get("/faktury/123456").status(),
        Status::SeeOther,
        "signed out: to login"
    );
    assert_eq!(
        app.get("/nie-ma-takiej-strony/42").status(),
        Status::NotFound
    );
    log_in(&app.client, "demo", "Zle-haslo-2026");

    let (status, content_type, page) = scrape(&app, TOKEN);
    assert_eq!(status, Status::Ok);
    assert!(
        content_type
            .unwrap_or_default()
            .starts_with("application/openmetrics-text"),
        "OpenMetrics text"
    );
    assert!(
        page.ends_with("# EOF\n"),
        "one terminated exposition: {page}"
    );
    for line in page.lines().filter(|line| !line.starts_with('#')) {
        let value = line.rsplit(' ').next().unwrap_or("");
        assert!(
            value.parse::<f64>().is_ok(),
            "a sample with a number: {line}"
        );
    }

    assert_eq!(
        sample(
            &page,
            r#"ebok_http_requests_total{method="GET",route="/",status="2xx"}"#
        ),
        Some(2.0),
        "{page}"
    );
    assert_eq!(
        sample(
            &page,
            r#"ebok_http_requests_total{method="GET",route="/faktury/<id>",status="3xx"}"#
        ),
        Some(1.0),
        "routes are counted by their pattern, never by id: {page}"
    );
    assert_eq!(
        sample(
            &page,
            r#"ebok_http_requests_total{method="GET",route="unmatched",status="4xx"}"#
        ),
        Some(1.0),
        "{page}"
    );
    assert!(
        !page.contains("/faktury/123456") && !page.contains("nie-ma-takiej"),
        "no concrete paths in labels"
    );
    assert_eq!(
        sample(
            &page,
            r#"ebok_http_request_duration_seconds_count{method="GET",route="/"}"#
        ),
        Some(2.0),
        "{page}"
    );
    assert!(sample(&page, "ebok_outbox_waiting").is_some(), "{page}");
    assert!(
        sample(&page, "ebok_outbox_oldest_age_seconds").is_some(),
        "{page}"
    );
    assert_eq!(
        sample(
            &page,
            r#"ebok_security_events_today{action="login_failure"}"#
        ),
        Some(1.0),
        "{page}"
    );
    assert_eq!(
        sample(&page, r#"ebok_security_events_today{action="lockout"}"#),
        Some(0.0),
        "{page}"
    );
    assert!(sample(&page, "ebok_db_connections").is_some(), "{page}");
}

fn without_a_configured_token_there_is_no_metrics_page(app: TestApp) {
    let (status, _, _) = scrape(&app, "");
    assert_eq!(status, Status::NotFound);
    let (status, _, _) = scrape(&app, TOKEN);
    assert_eq!(status, Status::NotFound);
}
