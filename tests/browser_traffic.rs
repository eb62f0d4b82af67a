//! Traffic statistics in a real browser (issue 21): counters imported for the demo subscriber's
//! line on a day ten days back are rolled up; headless Chromium signs in as `demo`, opens
//! `/statystyki` from the menu, picks that day, and sees the SVG chart drawn on the server (its
//! title, a bar per hour with the hour's numbers), the totals and the table of the same numbers.
//!
//! Needs `chromium` and `chromium-driver` (`.ci/run` installs them). Without them the test says
//! so and passes, except under CI, where it fails.

mod common;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Duration as Days;
use common::TestApp;
use ebok::app::{clock, traffic};
use ebok::domain::traffic::{Counter, CounterBatch, day_hours};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

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

#[test]
fn a_subscriber_sees_the_svg_chart_of_imported_counters() {
    if !std::path::Path::new(CHROMEDRIVER).exists() || !std::path::Path::new(CHROMIUM).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium and chromium-driver for the browser test"
        );
        eprintln!("skipped: {CHROMEDRIVER} or {CHROMIUM} is missing");
        return;
    }
    let app = TestApp::sqlite()
        .with_config(|c| c.traffic_raw_days = 30)
        .with_demo(0);
    // 2 GB down and 0.5 GB up at 20:00 Polish time, 1 MB down elsewhere in the day.
    let day = clock::today() - Days::days(10);
    let (from, to) = day_hours(day);
    let mut counters = Vec::new();
    let mut at = from;
    while at < to {
        let local = at.and_utc().with_timezone(&chrono_tz::Europe::Warsaw);
        let evening = chrono::Timelike::hour(&local) == 20;
        counters.push(Counter {
            ip: "203.0.113.17".into(),
            at,
            bytes_in: if evening {
                2_000_000_000 / 12
            } else {
                1_000_000 / 12
            },
            bytes_out: if evening { 500_000_000 / 12 } else { 0 },
        });
        at += Days::minutes(5);
    }
    let hours = counters.len() / 12;
    {
        let mut conn = app.conn();
        let report = ebok::db::write_transaction(&mut conn, |conn| {
            traffic::ingest(conn, &CounterBatch { counters }, clock::now(), 30)
        })
        .unwrap();
        assert_eq!(report.accepted, hours * 12);
    }
    ebok::jobs::traffic::run_once(&app.pool, 30, clock::now()).unwrap();

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
    let _driver = Driver(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    let base = format!("http://127.0.0.1:{port}");
    runtime
        .block_on(async {
            wait_until_listening(port).await;
            wait_until_listening(driver_port).await;
            let profile = tempfile::tempdir().expect("profile dir");
            let mut capabilities = serde_json::Map::new();
            capabilities.insert(
                "goog:chromeOptions".into(),
                json!({
                    "binary": CHROMIUM,
                    "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                             "--disable-background-networking", "--disable-component-update",
                             "--disable-sync", "--no-first-run", "--window-size=1280,1600",
                             format!("--user-data-dir={}", profile.path().display())],
                }),
            );
            let client =
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                    .capabilities(capabilities)
                    .connect(&format!("http://127.0.0.1:{driver_port}"))
                    .await
                    .expect("WebDriver session");
            let result = look_at_the_chart(&client, &base, day, hours).await;
            let _ = client.close().await;
            result
        })
        .unwrap_or_else(|problem| panic!("{problem}"));
}

fn text_err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

async fn look_at_the_chart(
    client: &Client,
    base: &str,
    day: chrono::NaiveDate,
    hours: usize,
) -> Result<(), String> {
    client
        .goto(&format!("{base}/logowanie"))
        .await
        .map_err(text_err)?;
    client
        .find(Locator::Id("identifier"))
        .await
        .map_err(text_err)?
        .send_keys("demo")
        .await
        .map_err(text_err)?;
    client
        .find(Locator::Id("password"))
        .await
        .map_err(text_err)?
        .send_keys("Demo-ebok-2026")
        .await
        .map_err(text_err)?;
    client
        .find(Locator::Css("main form button[type=submit]"))
        .await
        .map_err(text_err)?
        .click()
        .await
        .map_err(text_err)?;
    client
        .wait()
        .for_element(Locator::Css("ul.tiles"))
        .await
        .map_err(|e| format!("no dashboard after login: {e}"))?;

    // From the menu to the statistics, then ten days back through the "earlier" link (plain
    // links and a GET form: no JavaScript needed).
    client
        .find(Locator::Css("a[href='/statystyki']"))
        .await
        .map_err(text_err)?
        .click()
        .await
        .map_err(text_err)?;
    client
        .wait()
        .for_element(Locator::Id("traffic-day"))
        .await
        .map_err(|e| format!("no statistics page: {e}"))?;
    for _ in 0..10 {
        let before = client.current_url().await.map_err(text_err)?;
        client
            .find(Locator::Css("a[rel=prev]"))
            .await
            .map_err(text_err)?
            .click()
            .await
            .map_err(text_err)?;
        let deadline = Instant::now() + Duration::from_secs(20);
        while client.current_url().await.map_err(text_err)? == before {
            if Instant::now() > deadline {
                return Err("the earlier link did not load".into());
            }
            rocket::tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let shown = client
        .wait()
        .for_element(Locator::Id("traffic-day"))
        .await
        .map_err(text_err)?
        .attr("value")
        .await
        .map_err(text_err)?;
    if shown.as_deref() != Some(day.to_string().as_str()) {
        return Err(format!("ten days back is {day}, the page shows {shown:?}"));
    }
    let chart = client
        .wait()
        .for_element(Locator::Css("#traffic-figure svg.traffic-chart"))
        .await
        .map_err(|e| format!("no chart: {e}"))?;
    let title = client
        .find(Locator::Css("svg.traffic-chart > title"))
        .await
        .map_err(text_err)?
        .html(true)
        .await
        .map_err(text_err)?;
    let wanted = day.format("%d.%m.%Y").to_string();
    if !title.contains("203.0.113.17") || !title.contains(&wanted) {
        return Err(format!(
            "the chart's title names the line and the day: {title}"
        ));
    }
    let bars = chart
        .find_all(Locator::Css("rect.bar-in"))
        .await
        .map_err(text_err)?;
    if bars.len() != hours {
        return Err(format!("{} download bars for {hours} hours", bars.len()));
    }
    // The evening bar is the tallest, and says its numbers.
    let mut tallest = (0.0_f64, String::new());
    for bar in &bars {
        let height: f64 = bar
            .attr("height")
            .await
            .map_err(text_err)?
            .unwrap_or_default()
            .parse()
            .unwrap_or(0.0);
        if height > tallest.0 {
            let said = bar.html(true).await.map_err(text_err)?;
            tallest = (height, said);
        }
    }
    if !tallest.1.contains("20:00") || !tallest.1.contains("2,0 GB") {
        return Err(format!(
            "the tallest bar is 20:00 with 2,0 GB: {:?}",
            tallest
        ));
    }
    let rendered = chart.rectangle().await.map_err(text_err)?;
    if rendered.2 < 300.0 || rendered.3 < 100.0 {
        return Err(format!(
            "the chart is drawn at a readable size: {rendered:?}"
        ));
    }
    let total = client
        .find(Locator::Id("traffic-total-in"))
        .await
        .map_err(text_err)?
        .text()
        .await
        .map_err(text_err)?;
    if !total.contains("GB") {
        return Err(format!("the total downloaded: {total}"));
    }
    // The table has the same hours (it is inside <details>, so read its markup).
    let table = client
        .find(Locator::Id("traffic-table"))
        .await
        .map_err(text_err)?
        .html(false)
        .await
        .map_err(text_err)?;
    if table.matches("<tr>").count() != hours + 1 {
        return Err(format!("a table row per hour: {table}"));
    }
    Ok(())
}
