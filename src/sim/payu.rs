//! A local PayU test server: the subset of REST API v2.1 e-BOK uses, with the same paths, JSON
//! and status codes (reference `ksef-payu-api.md` §C.1): OAuth client credentials (form-encoded
//! only), order create (302 with `redirectUri` to its own payment page), read, cancel and refund,
//! a payment page where one can pay, cancel or walk away, and notifications signed with the
//! second key, POSTed to `notifyUrl` and retried on PayU's schedule until answered 200.
//! Faults on demand: duplicate or reordered notifications, the API down (503), no notifications.
//!
//! Never chosen by a production configuration: `ebok demo` and the tests start it.

mod cards;
mod routes;
mod state;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use state::Inner;
pub use state::{Faults, SimCard};

use crate::payu::signature::Algorithm;
use crate::payu::wire::OrderInfo;

/// The sandbox's public POS (reference §C): the demo uses the same numbers locally.
pub const DEMO_POS_ID: &str = "300746";
pub const DEMO_CLIENT_SECRET: &str = "2ee86a66e5d97e3fadc400c9f19b065d";
pub const DEMO_SECOND_KEY: &str = "b6ca15b0d1020e8094d9b5f8d163db54";
/// A multi-use card token the local server always knows (confirmed, VISA ending 1111, valid to
/// 12/2030), like a sandbox's test card: `ebok demo` seeds a subscriber paying with it, so their
/// automatic charges go through after every restart of the in-memory server.
pub const DEMO_CARD_TOKEN: &str = "TOKC_EBOKDEMO000000000000001111";

/// How the server is started.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// POS id, which is also the OAuth client id.
    pub pos_id: String,
    pub client_secret: String,
    /// The key notifications are signed with.
    pub second_key: String,
    pub algorithm: Algorithm,
    /// What one of PayU's retry "minutes" lasts here (tests: milliseconds).
    pub minute: Duration,
    /// 0: any free loopback port.
    pub port: u16,
    pub faults: Faults,
}

impl SimOptions {
    /// The sandbox's public POS, retries a second apart.
    pub fn demo(port: u16) -> SimOptions {
        SimOptions {
            pos_id: DEMO_POS_ID.into(),
            client_secret: DEMO_CLIENT_SECRET.into(),
            second_key: DEMO_SECOND_KEY.into(),
            algorithm: state::DEFAULT_ALGORITHM,
            minute: Duration::from_secs(1),
            port,
            faults: Faults::default(),
        }
    }
}

/// What the routes share.
#[derive(Clone)]
pub struct SimState {
    inner: Arc<Mutex<Inner>>,
    pos_id: Arc<String>,
    client_secret: Arc<String>,
    second_key: Arc<String>,
    algorithm: Algorithm,
    minute: Duration,
    base_url: Arc<String>,
    http: reqwest::Client,
}

impl SimState {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic in another request cannot leave the maps half-written in a way that matters
        // to a test server; keep serving.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A running server; stops when dropped.
pub struct PayuSim {
    pub base_url: String,
    state: SimState,
    server: super::server::Running,
}

impl PayuSim {
    pub fn set_faults(&self, faults: Faults) {
        self.state.lock().faults = faults;
    }

    pub fn faults(&self) -> Faults {
        self.state.lock().faults.clone()
    }

    /// The order as the server holds it.
    pub fn order(&self, order_id: &str) -> Option<OrderInfo> {
        self.state
            .lock()
            .orders
            .get(order_id)
            .map(|o| o.info.clone())
    }

    /// The order's refunds as PayU lists them.
    pub fn refunds(&self, order_id: &str) -> Vec<crate::payu::wire::RefundInfo> {
        self.state
            .lock()
            .orders
            .get(order_id)
            .map(|o| o.refunds.clone())
            .unwrap_or_default()
    }

    pub fn order_count(&self) -> usize {
        self.state.lock().orders.len()
    }

    /// (order id, status) of every notification answered 200, in the order answered.
    pub fn delivered(&self) -> Vec<(String, String)> {
        self.state.lock().delivered.clone()
    }

    /// The status of every notification the shop answered otherwise than 200 (to be retried).
    pub fn refused(&self) -> Vec<u16> {
        self.state.lock().refused.clone()
    }

    /// A single-use `TOK_` for a test card, as the card form gives it (tests without a browser).
    pub fn tokenize(&self, number: &str, expiry: &str, cvv: &str) -> Result<String, String> {
        let (token, card) = cards::tokenize(number, expiry, cvv).map_err(str::to_owned)?;
        self.state.lock().single_use.insert(token.clone(), card);
        Ok(token)
    }

    /// Whether a multi-use token can still be charged.
    pub fn token_usable(&self, token: &str) -> bool {
        self.state
            .lock()
            .card_tokens
            .get(token)
            .is_some_and(|t| t.confirmed && !t.deleted)
    }

    /// Confirms (or refuses) the 3-D Secure step of an order, as the buyer's bank would.
    pub fn confirm_3ds(&self, order_id: &str, ok: bool) {
        if ok {
            let mut inner = self.state.lock();
            for token in inner.card_tokens.values_mut() {
                if token.first_order == order_id {
                    token.confirmed = true;
                }
            }
        }
        let statuses: &[&str] = if ok {
            &["PENDING", "COMPLETED"]
        } else {
            &["CANCELED"]
        };
        state::change_status(&self.state, order_id, statuses);
    }

    /// Blocks the calling thread until the server has stopped.
    pub fn wait(self) {
        self.server.wait();
    }
}

/// Starts the server on 127.0.0.1 in its own thread and waits until it answers.
pub fn spawn(options: SimOptions) -> Result<PayuSim, String> {
    let port = super::server::port(options.port)?;
    let base_url = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .user_agent("PayU (local test server)")
        .build()
        .map_err(|e| e.to_string())?;
    let mut inner = Inner::new();
    inner.faults = options.faults;
    let state = SimState {
        inner: Arc::new(Mutex::new(inner)),
        pos_id: Arc::new(options.pos_id),
        client_secret: Arc::new(options.client_secret),
        second_key: Arc::new(options.second_key),
        algorithm: options.algorithm,
        minute: options.minute,
        base_url: Arc::new(base_url.clone()),
        http,
    };
    let server = super::server::launch("PayU", "payu-sim", port, {
        let state = state.clone();
        move |rocket| routes::mount(rocket, state)
    })?;
    Ok(PayuSim {
        base_url,
        state,
        server,
    })
}
