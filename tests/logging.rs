//! The log says what is wrong, and only that: a logged-out visit to a protected page is sent to
//! the login page without a WARN or ERROR line.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::TestApp;
use rocket::http::Status;

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

#[test]
fn a_logged_out_visit_to_a_protected_page_is_no_warning_or_error() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = ebok::logging::subscriber(move || writer.clone());
    // Global, as `ebok` installs it, so that Rocket's `log` records reach it too (the only
    // test in this binary).
    tracing_subscriber::util::SubscriberInitExt::try_init(subscriber).expect("the only subscriber");
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
            (line.contains("WARN") || line.contains("ERROR")) && !line.contains("a real failure")
        })
        .collect();
    assert!(noisy.is_empty(), "{noisy:#?}");
}
