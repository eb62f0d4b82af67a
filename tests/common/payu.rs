//! Paying through the local PayU server: the server, a real HTTP instance of the portal on the
//! same database (PayU cannot call `rocket::local`), and the demo subscriber signed in.

use ebok::domain::CustomerId;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use ebok::app::demo::{DEMO_LOGIN, DEMO_PASSWORD};
use ebok::config::{Config, PayuConfig};
use ebok::db::Pool;
use ebok::db::schema::{accounts, online_payments};
use ebok::sim::payu::{self as payu_sim, Faults, PayuSim, SimOptions};
use rocket::http::Status;

use super::{TestApp, log_in};

pub struct Paying {
    pub app: TestApp,
    pub payu: PayuSim,
    pub portal: Portal,
    pub customer_id: CustomerId,
}

pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

/// PayU pointed at the local server, notifications to a portal on `port`.
pub fn payu_config(payu: &PayuSim, port: u16) -> PayuConfig {
    PayuConfig {
        url: payu.base_url.clone(),
        pos_id: payu_sim::DEMO_POS_ID.into(),
        client_id: payu_sim::DEMO_POS_ID.into(),
        client_secret: payu_sim::DEMO_CLIENT_SECRET.into(),
        second_key: payu_sim::DEMO_SECOND_KEY.into(),
        notify_url: Some(format!("http://127.0.0.1:{port}/payu/powiadomienia")),
    }
}

/// The app (already seeded) signed in as the demo subscriber, a local PayU server and the
/// portal over HTTP for its notifications.
pub fn set_up(app: TestApp, faults: Faults) -> Paying {
    let mut options = SimOptions::demo(0);
    options.minute = Duration::from_millis(10);
    options.faults = faults;
    let payu = payu_sim::spawn(options).expect("local PayU");
    let port = free_port();
    let config = payu_config(&payu, port);
    let app = app.with_config(|c| c.payu = Some(config));
    let portal = Portal::start(&app.config, &app.pool, port);
    assert_eq!(
        log_in(&app.client, DEMO_LOGIN, DEMO_PASSWORD).status(),
        Status::SeeOther
    );
    let customer_id = accounts::table
        .filter(accounts::login.eq(DEMO_LOGIN))
        .select(accounts::customer_id)
        .get_result::<CustomerId>(&mut *app.conn())
        .expect("demo account");
    Paying {
        app,
        payu,
        portal,
        customer_id,
    }
}

/// The portal served over real HTTP.
pub struct Portal {
    pub port: u16,
    shutdown: rocket::Shutdown,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Portal {
    pub fn start(config: &Config, pool: &Pool, port: u16) -> Portal {
        let mut config = config.clone();
        config.rocket = config
            .rocket
            .merge(("port", port))
            .merge(("address", "127.0.0.1"))
            .merge(("workers", 4));
        let rocket = ebok::build_rocket(config, pool.clone()).expect("portal");
        let (sender, receiver) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let _ = rocket::execute(async move {
                let ignited = rocket.ignite().await.expect("ignite");
                sender.send(ignited.shutdown()).expect("send shutdown");
                ignited.launch().await.map(|_| ())
            });
        });
        let shutdown = receiver.recv().expect("portal started");
        let started = Instant::now();
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "portal listens"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Portal {
            port,
            shutdown,
            thread: Some(thread),
        }
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        self.shutdown.clone().notify();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A plain HTTP/1.1 POST over a socket: (status, Location).
pub fn http_post(url: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, Option<String>) {
    let rest = url.strip_prefix("http://").expect("http url");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = TcpStream::connect(host).expect("connect");
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).expect("write");
    stream.write_all(body).expect("write body");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    let location = answer
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("location:"))
        .map(|l| l["location:".len()..].trim().to_owned());
    (status, location)
}

/// (state, flag) of an order.
pub fn state_of(app: &TestApp, id: i64) -> (String, Option<String>) {
    online_payments::table
        .find(id)
        .select((online_payments::state, online_payments::flag))
        .get_result(&mut *app.conn())
        .expect("order")
}

pub fn wait_for_state(app: &TestApp, id: i64, state: &str) {
    wait_until(&format!("order {id} reaches {state}"), || {
        state_of(app, id).0 == state
    });
}

/// Waits up to 15 s for something the local PayU server does later (a notification).
pub fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    // A deadline for something that takes well under a second here: generous, because CI's
    // machine may be far busier (a run there reported two card tests failed that passed here).
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < Duration::from_secs(45), "{what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// (our id, state, PayU's id) of the newest order.
pub fn last_order(app: &TestApp) -> Option<(i64, String, Option<String>)> {
    online_payments::table
        .order(online_payments::id.desc())
        .select((
            online_payments::id,
            online_payments::state,
            online_payments::payu_order_id,
        ))
        .first(&mut *app.conn())
        .optional()
        .expect("orders")
}
