//! The portal in a real browser: headless Chromium driven over WebDriver logs in as `demo`,
//! opens every subscriber page in Polish and in English, at a desktop width (1280 px) and a
//! phone's (390 px), saves a screenshot of each under `target/screenshots/`, and fails on any
//! console error (a CSP violation, a failed asset, a script error), a link on those pages that
//! does not answer, a page wider than the screen (horizontal overflow), or a WCAG 2.1 A/AA
//! violation found by axe-core (vendored in `tests/assets/axe-core/`, injected into each page).
//! The staff panel's main pages and a customer card are walked the same way.
//!
//! Needs `chromium` and `chromium-driver` (`.ci/run` installs them). Without them the test says
//! so and passes, except under CI, where it fails.

mod common;

use ebok::domain::CustomerId;
use ebok::domain::InvoiceId;
use std::collections::BTreeSet;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::TestApp;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Kills chromedriver (and with it the browser) however the test ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `POST /session/{id}/se/log`: the browser console, which WebDriver classic has no command for
/// but chromedriver serves when `goog:loggingPrefs` asks for it.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({"type": "browser"}).to_string()),
        )
    }
}

/// `POST /session/{id}/goog/cdp/execute`: a Chrome DevTools command through chromedriver, here
/// to emulate a screen `width` px wide (a phone's when narrow).
#[derive(Debug)]
struct ScreenWidth(u32);

impl WebDriverCompatibleCommand for ScreenWidth {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let phone = self.0 < 600;
        let params = json!({
            "width": self.0,
            "height": if phone { 844 } else { 1600 },
            "deviceScaleFactor": 1,
            "mobile": phone,
        });
        (
            http::Method::POST,
            Some(
                json!({"cmd": "Emulation.setDeviceMetricsOverride", "params": params}).to_string(),
            ),
        )
    }
}

/// The widths every page is looked at: a desktop and a phone (390 px, as an iPhone 12–15).
const WIDTHS: [u32; 2] = [1280, 390];
/// Staff pages are checked at a desk's width and on a phone, like the subscribers' pages.
const STAFF_WIDTHS: [u32; 2] = [1280, 390];

/// axe-core as published on npm, injected into each page the test opens.
const AXE: &str = include_str!("assets/axe-core/axe.min.js");

/// Looks at the open page at `width`: a screenshot named `{name}-{width}.png`, then what is
/// wrong with it (horizontal overflow, WCAG 2.1 A/AA violations), each as one line.
async fn inspect(client: &Client, name: &str, width: u32) -> Result<Vec<String>, String> {
    client
        .issue_cmd(ScreenWidth(width))
        .await
        .map_err(|e| format!("screen width {width}: {e}"))?;
    let mut problems = Vec::new();
    let png = client.screenshot().await.map_err(|e| e.to_string())?;
    std::fs::write(screenshots_dir().join(format!("{name}-{width}.png")), png)
        .map_err(|e| e.to_string())?;
    let overflow = client
        .execute(
            "const width = document.documentElement.clientWidth;
             if (document.documentElement.scrollWidth <= width) { return []; }
             return Array.from(document.querySelectorAll('body *'))
               .filter(e => e.getBoundingClientRect().right > width + 1
                         && e.getBoundingClientRect().width > 0
                         && !e.closest('.js-cards thead'))
               .filter(e => !Array.from(e.children).some(c => c.getBoundingClientRect().right > width + 1))
               .slice(0, 5)
               .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                         + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/ +/g, '.') : '')
                         + ' (right edge ' + Math.round(e.getBoundingClientRect().right) + ' px)');",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    for element in overflow.as_array().into_iter().flatten() {
        problems.push(format!(
            "{name} at {width} px: wider than the screen: {}",
            element.as_str().unwrap_or_default()
        ));
    }
    client
        .execute(&format!("{AXE}\nreturn true;"), vec![])
        .await
        .map_err(|e| format!("axe-core not injected: {e}"))?;
    let violations = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                                resultTypes: ['violations']})
               .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — '
                   + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    for violation in violations.as_array().into_iter().flatten() {
        problems.push(format!(
            "{name} at {width} px: {}",
            violation.as_str().unwrap_or_default()
        ));
    }
    Ok(problems)
}

/// Console entries at SEVERE level since the last call.
async fn console_errors(client: &Client) -> Vec<String> {
    let entries = client.issue_cmd(BrowserLog).await.expect("browser log");
    entries
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["level"] == "SEVERE")
        .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn screenshots_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

#[test]
fn every_subscriber_page_renders_in_polish_and_english_without_console_errors_or_broken_links() {
    if !browser_available() {
        return;
    }
    let app = TestApp::sqlite().with_demo(1);
    let customer = demo_customer(&app);
    let port = free_port();
    let mut config = app.config.clone();
    config.web.public_url = format!("http://127.0.0.1:{port}");
    config.rocket = config
        .rocket
        .clone()
        .merge(("port", port))
        .merge(("address", "127.0.0.1"));
    let rocket = ebok::build_rocket(config, app.pool.clone()).expect("app");
    let runtime = rocket::tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.spawn(async move {
        let _ = rocket.launch().await;
    });

    let driver_port = free_port();
    let _driver = start_driver(driver_port);
    let base = format!("http://127.0.0.1:{port}");
    runtime
        .block_on(async {
            wait_until_listening(port).await;
            wait_until_listening(driver_port).await;
            let profile = tempfile::tempdir().expect("profile dir");
            let client = browser_session(driver_port, profile.path()).await;
            let mut result = walk_the_portal(&client, &base).await;
            if result.is_ok() {
                result = walk_the_staff_panel(&client, &base, customer).await;
            }
            let _ = client.close().await;
            result
        })
        .unwrap_or_else(|problems| panic!("{problems}"));
}

/// The staff panel's main pages and the demo subscriber's customer card, signed in as the
/// demo admin, each looked at like the subscriber's pages (Polish).
async fn walk_the_staff_panel(
    client: &Client,
    base: &str,
    customer: CustomerId,
) -> Result<(), String> {
    client
        .goto(&format!("{base}/staff/login"))
        .await
        .map_err(|e| e.to_string())?;
    for (id, value) in [("login", "admin"), ("password", "Admin-ebok-2026")] {
        client
            .find(Locator::Id(id))
            .await
            .map_err(|e| e.to_string())?
            .send_keys(value)
            .await
            .map_err(|e| e.to_string())?;
    }
    client
        .find(Locator::Css("main form button[type=submit]"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    client
        .wait()
        .for_element(Locator::Css("a[href='/staff/klienci']"))
        .await
        .map_err(|e| format!("no staff start page after login: {e}"))?;
    let pages = [
        ("staff-home", "/staff".to_owned()),
        ("staff-customers", "/staff/klienci?q=Kowalski".to_owned()),
        ("staff-card", format!("/staff/klienci/{customer}")),
        ("staff-payments", "/staff/platnosci".to_owned()),
        ("staff-refunds", "/staff/zwroty".to_owned()),
        ("staff-dunning", "/staff/windykacja".to_owned()),
    ];
    let mut problems = Vec::new();
    let _ = console_errors(client).await;
    for (name, path) in &pages {
        client
            .goto(&format!("{base}{path}"))
            .await
            .map_err(|e| e.to_string())?;
        let title = client.title().await.map_err(|e| e.to_string())?;
        if title.contains("Błąd") || title.contains("Error") {
            problems.push(format!("{path}: error page \"{title}\""));
        }
        for width in STAFF_WIDTHS {
            problems.extend(inspect(client, name, width).await?);
        }
        for error in console_errors(client).await {
            problems.push(format!("{path}: console error: {error}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[test]
fn an_invoice_and_a_top_up_paid_at_the_local_payu_server_show_paid_and_the_credit_added() {
    if !browser_available() {
        return;
    }
    let (app, _) = common::bank::fixture(TestApp::sqlite());
    let customer_id = demo_customer(&app);
    // Whatever the demo left unpaid is paid first, so the top-up's value shows whole as credit.
    let owed = ebok::app::invoices::ledger(&mut app.conn(), customer_id, None, None)
        .expect("ledger")
        .owed;
    if owed > 0 {
        ebok::app::payments::record_payment(
            &mut app.conn(),
            &ebok::app::payments::PaymentRequest {
                customer_id,
                amount: ebok::domain::Money::from_grosze(owed),
                received_on: ebok::app::clock::today(),
                method: "transfer",
                source: "manual",
                title: None,
                payer_name: None,
                bank_reference: None,
                recorded_by_staff_id: None,
                match_reason: None,
            },
            ebok::app::clock::now(),
        )
        .expect("demo debt paid");
    }
    let credit_before = ebok::app::invoices::ledger(&mut app.conn(), customer_id, None, None)
        .expect("ledger")
        .credit;
    let invoice = common::bank::issue(&app, customer_id, ebok::app::clock::today(), 12_345);
    let now = ebok::app::clock::now();
    let package = ebok::db::top_ups::insert_package(
        &mut app.conn(),
        &ebok::db::top_ups::NewTopUpPackage {
            name: "Pakiet przeglądarkowy".into(),
            price: 18_100,
            value: 23_400,
            validity_days: 180,
            active: true,
            created_at: now,
            updated_at: now,
        },
    )
    .expect("package");

    with_payu_in_a_browser(&app, |client, base| async move {
        pay_invoice_and_top_up(&client, &base, invoice, package).await
    });

    assert_eq!(
        common::bank::paid(&app, invoice),
        12_345,
        "the invoice is paid"
    );
    let credit_after = ebok::app::invoices::ledger(&mut app.conn(), customer_id, None, None)
        .expect("ledger")
        .credit;
    assert_eq!(
        credit_after - credit_before,
        23_400,
        "the top-up's value is credit"
    );
}

#[test]
fn a_card_typed_into_payus_secure_form_is_saved_after_3d_secure() {
    if !browser_available() {
        return;
    }
    let app = TestApp::sqlite().with_demo(0);
    let customer_id = demo_customer(&app);
    with_payu_in_a_browser(&app, |client, base| async move {
        add_card_in_secure_form(&client, &base).await
    });

    use diesel::prelude::*;
    use ebok::db::schema::payment_cards;
    let cards: Vec<(String, String, Option<String>)> = payment_cards::table
        .filter(payment_cards::customer_id.eq(customer_id))
        .select((
            payment_cards::status,
            payment_cards::last_four,
            payment_cards::token,
        ))
        .load(&mut *app.conn())
        .expect("cards");
    assert_eq!(cards.len(), 1, "{cards:?}");
    assert_eq!(
        (cards[0].0.as_str(), cards[0].1.as_str()),
        ("active", "1111")
    );
    assert!(
        cards[0]
            .2
            .as_deref()
            .is_some_and(|t| t.starts_with("TOKC_")),
        "the multi-use token is kept: {cards:?}"
    );
}

/// On the portal's card page: a wrong number gets PayU's message; the test card is tokenised by
/// the Secure Form, the FIRST order asks for 3-D Secure, and the portal shows the card saved.
async fn add_card_in_secure_form(client: &Client, base: &str) -> Result<(), String> {
    log_in_as_demo(client, base).await?;
    client
        .goto(&format!("{base}/konto/platnosci-automatyczne"))
        .await
        .map_err(|e| e.to_string())?;
    click(client, "#add-card").await?;
    let field = |kind: &'static str| async move {
        client
            .wait()
            .for_element(Locator::Css(&format!("#payu-card-{kind} input")))
            .await
            .map_err(|e| format!("PayU's {kind} field: {e}"))
    };
    field("number")
        .await?
        .send_keys("4444 3333 2222 1112")
        .await
        .map_err(|e| e.to_string())?;
    field("date")
        .await?
        .send_keys("12/30")
        .await
        .map_err(|e| e.to_string())?;
    field("cvv")
        .await?
        .send_keys("123")
        .await
        .map_err(|e| e.to_string())?;
    click(client, "#tokenize-card").await?;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let shown = client
            .find(Locator::Id("payu-card-error"))
            .await
            .map_err(|e| e.to_string())?
            .text()
            .await
            .unwrap_or_default();
        if shown.contains("Nieprawidłowy numer karty") {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!("no message for a wrong card number: {shown:?}"));
        }
        rocket::tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let number = field("number").await?;
    number.clear().await.map_err(|e| e.to_string())?;
    number
        .send_keys("4444 3333 2222 1111")
        .await
        .map_err(|e| e.to_string())?;
    let errors = console_errors(client).await;
    if !errors.is_empty() {
        return Err(format!("console errors on the card page: {errors:?}"));
    }
    click(client, "#tokenize-card").await?;
    client
        .wait()
        .for_element(Locator::Css("form[action$='/3ds/ok'] button"))
        .await
        .map_err(|e| format!("no 3-D Secure page: {e}"))?;
    click(client, "form[action$='/3ds/ok'] button").await?;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let page = client
            .find(Locator::Css("main"))
            .await
            .map_err(|e| e.to_string())?
            .text()
            .await
            .unwrap_or_default();
        if page.contains("1111")
            && client
                .current_url()
                .await
                .is_ok_and(|u| u.as_str().starts_with(base))
        {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("the saved card is not shown: {page}"));
        }
        rocket::tokio::time::sleep(Duration::from_millis(200)).await;
        client.refresh().await.map_err(|e| e.to_string())?;
    }
}

/// Serves the portal over HTTP with a local PayU server and runs `scenario` in a browser
/// session on it (the client and the portal's base URL); a problem fails the test.
fn with_payu_in_a_browser<F, Fut>(app: &TestApp, scenario: F)
where
    F: FnOnce(Client, String) -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    let port = free_port();
    let mut options = ebok::sim::payu::SimOptions::demo(0);
    options.minute = Duration::from_millis(10);
    let payu = ebok::sim::payu::spawn(options).expect("local PayU");
    let mut config = app.config.clone();
    config.payu = Some(common::payu::payu_config(&payu, port));
    config.web.public_url = format!("http://127.0.0.1:{port}");
    let _portal = common::payu::Portal::start(&config, &app.pool, port);
    let driver_port = free_port();
    let _driver = start_driver(driver_port);
    let base = format!("http://127.0.0.1:{port}");
    let runtime = rocket::tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime
        .block_on(async {
            wait_until_listening(driver_port).await;
            let profile = tempfile::tempdir().expect("profile dir");
            let client = browser_session(driver_port, profile.path()).await;
            let result = scenario(client.clone(), base).await;
            let _ = client.close().await;
            result
        })
        .unwrap_or_else(|problem| panic!("{problem}"));
}

fn demo_customer(app: &TestApp) -> CustomerId {
    use diesel::prelude::*;
    use ebok::db::schema::accounts;
    accounts::table
        .filter(accounts::login.eq(ebok::app::demo::DEMO_LOGIN))
        .select(accounts::customer_id)
        .get_result::<CustomerId>(&mut *app.conn())
        .expect("demo account")
}

/// Clicks `selector` on the current page.
async fn click(client: &Client, selector: &str) -> Result<(), String> {
    client
        .find(Locator::Css(selector))
        .await
        .map_err(|e| format!("{selector}: {e}"))?
        .click()
        .await
        .map_err(|e| format!("{selector}: {e}"))
}

/// On PayU's payment page: pays, and waits until the portal's page (reloaded as a subscriber
/// would) shows the order completed.
async fn pay_at_payu_and_see_completed(client: &Client) -> Result<(), String> {
    client
        .wait()
        .for_element(Locator::Css("form[action$='/pay'] button"))
        .await
        .map_err(|e| format!("no PayU payment page: {e}"))?;
    click(client, "form[action$='/pay'] button").await?;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let state = client
            .wait()
            .for_element(Locator::Id("online-state"))
            .await
            .map_err(|e| format!("no continue page: {e}"))?
            .attr("data-state")
            .await
            .map_err(|e| e.to_string())?;
        if state.as_deref() == Some("completed") {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("the order stays {state:?}"));
        }
        rocket::tokio::time::sleep(Duration::from_millis(200)).await;
        client.refresh().await.map_err(|e| e.to_string())?;
    }
}

async fn pay_invoice_and_top_up(
    client: &Client,
    base: &str,
    invoice: InvoiceId,
    package: i64,
) -> Result<(), String> {
    log_in_as_demo(client, base).await?;
    client
        .goto(&format!("{base}/faktury/{invoice}"))
        .await
        .map_err(|e| e.to_string())?;
    click(client, "form[action$='/zaplac-online'] button").await?;
    pay_at_payu_and_see_completed(client).await?;
    client
        .goto(&format!("{base}/faktury/{invoice}"))
        .await
        .map_err(|e| e.to_string())?;
    if client
        .find(Locator::Css("form[action$='/zaplac-online']"))
        .await
        .is_ok()
    {
        return Err("the paid invoice still offers paying online".into());
    }

    client
        .goto(&format!("{base}/doladowania"))
        .await
        .map_err(|e| e.to_string())?;
    click(client, &format!("#buy-{package}")).await?;
    pay_at_payu_and_see_completed(client).await?;
    // PayU's test page is not ours: only the portal's own pages must be free of errors.
    let _ = console_errors(client).await;
    client
        .goto(&format!("{base}/doladowania"))
        .await
        .map_err(|e| e.to_string())?;
    let left = client
        .find(Locator::Css("#my-top-ups tr[data-top-up]"))
        .await
        .map_err(|e| format!("the top-up is not listed: {e}"))?
        .attr("data-left")
        .await
        .map_err(|e| e.to_string())?;
    if left.as_deref() != Some("23400") {
        return Err(format!("the top-up shows {left:?} left, not 234,00 zł"));
    }
    let errors = console_errors(client).await;
    if !errors.is_empty() {
        return Err(format!("console errors: {errors:?}"));
    }
    Ok(())
}

/// A headless Chromium session through the chromedriver on `driver_port`, its console logged.
async fn browser_session(driver_port: u16, profile: &std::path::Path) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--window-size=1280,1600",
                     format!("--user-data-dir={}", profile.display())],
        }),
    );
    capabilities.insert("goog:loggingPrefs".into(), json!({"browser": "ALL"}));
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("WebDriver session")
}

/// Whether the browser test can run here; under CI it must.
fn browser_available() -> bool {
    if !std::path::Path::new(CHROMEDRIVER).exists() || !std::path::Path::new(CHROMIUM).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium and chromium-driver for the browser test"
        );
        eprintln!("skipped: {CHROMEDRIVER} or {CHROMIUM} is missing");
        return false;
    }
    true
}

fn start_driver(driver_port: u16) -> Driver {
    Driver(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    )
}

async fn wait_until_listening(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while rocket::tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(Instant::now() < deadline, "nothing listens on {port}");
        rocket::tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Signs in as the demo subscriber through the login form and waits for the dashboard.
async fn log_in_as_demo(client: &Client, base: &str) -> Result<(), String> {
    client
        .goto(&format!("{base}/logowanie"))
        .await
        .map_err(|e| e.to_string())?;
    client
        .find(Locator::Id("identifier"))
        .await
        .map_err(|e| e.to_string())?
        .send_keys("demo")
        .await
        .map_err(|e| e.to_string())?;
    client
        .find(Locator::Id("password"))
        .await
        .map_err(|e| e.to_string())?
        .send_keys("Demo-ebok-2026")
        .await
        .map_err(|e| e.to_string())?;
    client
        .find(Locator::Css("main form button[type=submit]"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    client
        .wait()
        .for_element(Locator::Css("ul.tiles"))
        .await
        .map_err(|e| format!("no dashboard after login: {e}"))?;
    Ok(())
}

async fn walk_the_portal(client: &Client, base: &str) -> Result<(), String> {
    let mut problems = Vec::new();
    log_in_as_demo(client, base).await?;

    // Ids for detail pages, taken from the pages themselves as a user would click.
    client
        .goto(&format!("{base}/uslugi"))
        .await
        .map_err(|e| e.to_string())?;
    let service = first_href(client, "main table a[href^='/uslugi/']").await?;
    client
        .goto(&format!("{base}/faktury"))
        .await
        .map_err(|e| e.to_string())?;
    let invoice = first_href(client, "main table a[href^='/faktury/']").await?;
    client
        .goto(&format!("{base}/zgloszenia"))
        .await
        .map_err(|e| e.to_string())?;
    let ticket = first_href(client, "main table a[href^='/zgloszenia/']").await?;
    let pages: Vec<(&str, String)> = vec![
        ("dashboard", "/".into()),
        ("contracts", "/umowy".into()),
        ("services", "/uslugi".into()),
        ("service", service),
        ("domains", "/domeny".into()),
        ("notices", "/powiadomienia".into()),
        ("news", "/wiadomosci".into()),
        ("invoices", "/faktury".into()),
        ("invoice", invoice.clone()),
        ("invoice-pay", format!("{invoice}/zaplac")),
        ("balance", "/saldo".into()),
        ("top-ups", "/doladowania".into()),
        ("profile", "/dane".into()),
        ("contacts", "/kontakty".into()),
        ("security", "/bezpieczenstwo".into()),
        ("tickets", "/zgloszenia".into()),
        ("ticket", ticket),
        ("ticket-new", "/zgloszenia/nowe?kategoria=fault".into()),
    ];
    let mut links = BTreeSet::new();
    let _ = console_errors(client).await;
    for lang in ["pl", "en"] {
        switch_language(client, base, lang).await?;
        for (name, path) in &pages {
            client
                .goto(&format!("{base}{path}"))
                .await
                .map_err(|e| e.to_string())?;
            let html_lang = client
                .find(Locator::Css("html"))
                .await
                .map_err(|e| e.to_string())?
                .attr("lang")
                .await
                .map_err(|e| e.to_string())?;
            if html_lang.as_deref() != Some(lang) {
                problems.push(format!(
                    "{path}: <html lang> is {html_lang:?}, expected {lang}"
                ));
            }
            let title = client.title().await.map_err(|e| e.to_string())?;
            if title.contains("Błąd") || title.contains("Error") {
                problems.push(format!("{path} ({lang}): error page \"{title}\""));
            }
            for width in WIDTHS {
                problems.extend(inspect(client, &format!("{lang}-{name}"), width).await?);
            }
            for error in console_errors(client).await {
                problems.push(format!("{path} ({lang}): console error: {error}"));
            }
            for href in page_links(client).await? {
                links.insert(href);
            }
        }
    }
    // Every same-site link on those pages answers (followed as the signed-in subscriber).
    for href in &links {
        let status = client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 fetch(arguments[0], {credentials: 'same-origin'})
                   .then(r => done(r.status)).catch(e => done(String(e)));",
                vec![Value::String(href.clone())],
            )
            .await
            .map_err(|e| e.to_string())?;
        if status.as_u64().is_none_or(|s| s >= 400) {
            problems.push(format!("broken link {href}: {status}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

async fn first_href(client: &Client, selector: &str) -> Result<String, String> {
    client
        .find(Locator::Css(selector))
        .await
        .map_err(|e| format!("{selector}: {e}"))?
        .attr("href")
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("{selector} has no href"))
}

/// Same-site links (not mail, phone or in-page anchors), as absolute paths.
async fn page_links(client: &Client) -> Result<Vec<String>, String> {
    let found = client
        .execute(
            "return Array.from(document.querySelectorAll('a[href]'))
               .map(a => a.getAttribute('href'))
               .filter(h => h.startsWith('/') && !h.startsWith('//'));",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    Ok(found
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str())
        .map(|h| h.split('#').next().unwrap_or(h).to_owned())
        .filter(|h| !h.is_empty())
        .collect())
}

/// Uses the footer's language switch, as a user would.
async fn switch_language(client: &Client, base: &str, lang: &str) -> Result<(), String> {
    client
        .goto(&format!("{base}/"))
        .await
        .map_err(|e| e.to_string())?;
    client
        .find(Locator::Css(&format!(
            ".language-switch button[value='{lang}']"
        )))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    client
        .wait()
        .for_element(Locator::Css(&format!("html[lang='{lang}']")))
        .await
        .map_err(|e| format!("language {lang} not applied: {e}"))?;
    Ok(())
}
