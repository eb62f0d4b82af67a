//! The log says what is wrong, and only that: a logged-out visit to a protected page is sent to
//! the login page without a WARN or ERROR line. A server error's page and its log lines carry
//! the same request id; `EBOK_LOG_FORMAT=json` writes JSON lines.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::TestApp;
use rocket::http::{Header, Status};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut buffer) = self.0.lock() {
            buffer.extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        self.0
            .lock()
            .map(|buffer| String::from_utf8_lossy(&buffer).into_owned())
            .unwrap_or_default()
    }
}

/// The process's log, installed once for this binary's tests. Global, as `ebok` installs it, so
/// that Rocket's `log` records reach it too.
fn the_log() -> &'static Captured {
    static LOG: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();
    LOG.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber =
            ebok::logging::subscriber(move || writer.clone(), ebok::logging::Format::Text);
        tracing_subscriber::util::SubscriberInitExt::try_init(subscriber)
            .expect("the only subscriber");
        captured
    })
}

#[test]
fn a_logged_out_visit_to_a_protected_page_is_no_warning_or_error() {
    let captured = the_log();
    let app = TestApp::sqlite();
    let before = captured.text().len();
    for path in ["/faktury", "/staff/klienci"] {
        let response = app.get(path);
        assert_eq!(response.status(), Status::SeeOther, "{path}");
    }
    // A real failure still shows: the log works.
    tracing::error!("a real failure");
    let log = captured.text()[before..].to_owned();
    assert!(log.contains("a real failure"), "{log}");
    let noisy: Vec<&str> = log
        .lines()
        .filter(|line| {
            (line.contains("WARN") || line.contains("ERROR"))
                && !line.contains("a real failure")
                // The other test of this binary breaks the database on purpose.
                && !line.contains("request")
        })
        .collect();
    assert!(noisy.is_empty(), "{noisy:#?}");
}

#[test]
fn a_server_error_page_names_the_request_and_its_log_lines_carry_that_id() {
    let captured = the_log();
    let app = TestApp::sqlite().with_demo(2);
    let response = common::log_in(&app.client, "demo", "Demo-ebok-2026");
    assert_eq!(response.status(), Status::SeeOther);
    // Every answer names its request.
    let id = app
        .get("/faktury")
        .headers()
        .get_one("X-Request-Id")
        .map(str::to_owned)
        .expect("X-Request-Id on every answer");
    assert_eq!(id.len(), 16, "{id}");

    // The database loses a table the invoice list reads: a server error, the kind a subscriber
    // reports to the office.
    diesel::RunQueryDsl::execute(
        diesel::sql_query("ALTER TABLE invoices RENAME TO invoices_gone"),
        &mut app.conn(),
    )
    .unwrap();
    let response = app.get("/faktury");
    assert_eq!(response.status(), Status::InternalServerError);
    let id = response
        .headers()
        .get_one("X-Request-Id")
        .map(str::to_owned)
        .expect("X-Request-Id on the error");
    let page = common::page_text(&response.into_string().unwrap());
    assert!(
        page.contains(&id),
        "the 500 page shows the request id: {page}"
    );
    assert!(page.contains("Podaj ten kod"), "{page}");

    let log = captured.text();
    let lines: Vec<&str> = log.lines().filter(|line| line.contains(&id)).collect();
    assert!(
        lines
            .iter()
            .any(|line| line.contains("request failed") && line.contains("no such table")),
        "the use case's error line carries the id: {lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|line| line.contains("server error") && line.contains("status=500")),
        "the request's summary line carries the id: {lines:#?}"
    );

    // A reverse proxy's id is kept, so one id follows the request through nginx's log and
    // ours; what does not look like an id is replaced, since it goes onto a page.
    let proxied = "0f8b3c2a9d4e4f1a8b7c6d5e4f3a2b1c";
    let response = app
        .client
        .get("/faktury")
        .header(Header::new("X-Request-Id", proxied))
        .dispatch();
    assert_eq!(response.headers().get_one("X-Request-Id"), Some(proxied));
    let response = app
        .client
        .get("/faktury")
        .header(Header::new("X-Request-Id", "<script>x</script>"))
        .dispatch();
    let replaced = response
        .headers()
        .get_one("X-Request-Id")
        .unwrap()
        .to_owned();
    assert_ne!(replaced, "<script>x</script>");
    let page = response.into_string().unwrap();
    assert!(!page.contains("<script>x"), "{page}");
}

#[test]
fn ebok_writes_json_lines_when_asked_and_refuses_an_unknown_log_format() {
    let dir = tempfile::tempdir().unwrap();
    let run = |format: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_ebok"))
            .arg("migrate")
            .env("EBOK_DATA_DIR", dir.path())
            .env("EBOK_LOG_FORMAT", format)
            .env("RUST_LOG", "info")
            .output()
            .unwrap()
    };
    let json = run("json");
    assert!(json.status.success(), "{json:?}");
    let stderr = String::from_utf8_lossy(&json.stderr);
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    assert!(!lines.is_empty(), "ebok migrate logs what it applied");
    for line in &lines {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(
            value.get("level").is_some() && value.get("fields").is_some(),
            "{line}"
        );
    }

    let refused = run("yaml");
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("EBOK_LOG_FORMAT") && stderr.contains("json"),
        "{stderr}"
    );
}
