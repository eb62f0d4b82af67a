//! What the local PayU server remembers (tokens, orders, refunds, the faults it was told to
//! show) and how it delivers notifications: signed with the second key, to the order's
//! `notifyUrl`, retried on PayU's schedule (time-compressed) until answered with 200.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use rand::Rng;
use serde::Serialize;

use super::SimState;
use crate::payu::signature::{self, Algorithm};
use crate::payu::wire::{
    OrderInfo, OrderNotification, Property, RefundInfo, RefundNotification, order_status,
    refund_status,
};

/// Faults the server shows when told to (tests, `ebok payu sim --…`, or `POST /sim/faults`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Faults {
    /// Every notification is delivered twice.
    pub duplicate: bool,
    /// The notifications of one change (PENDING, then COMPLETED) arrive last first.
    pub reorder: bool,
    /// The API answers 503, as when PayU is down (the payment page still works).
    pub down: bool,
    /// No notification is ever sent: the order stays unpaid for e-BOK until it expires.
    pub silent: bool,
    /// Refunds are taken, then cancelled (as when the card account is closed) instead of paid.
    pub cancel_refunds: bool,
    /// Card charges (`recurring:STANDARD`) are declined: the order ends CANCELED.
    pub decline: bool,
    /// Card charges fail as with an expired card.
    pub expired_card: bool,
    /// Card charges need the buyer's 3-D Secure (`WARNING_CONTINUE_3DS`), which a charge
    /// without the buyer cannot give.
    pub require_3ds: bool,
    /// Card charges stay PENDING this many "minutes" before they complete.
    pub slow: u32,
}

/// A card entered in the stand-in for PayU's Secure Form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimCard {
    pub brand: String,
    pub last_four: String,
    pub expiry_month: u32,
    pub expiry_year: i32,
}

/// A multi-use token and its card.
pub(super) struct SimCardToken {
    pub card: SimCard,
    /// The FIRST order completed (with 3-D Secure); before that, and after a failed FIRST,
    /// STANDARD charges are refused (reference §B).
    pub confirmed: bool,
    pub deleted: bool,
    /// The FIRST order that made it.
    pub first_order: String,
}

pub(super) struct SimOrder {
    pub info: OrderInfo,
    pub continue_url: String,
    pub notify_url: Option<String>,
    /// Grosze refunded so far.
    pub refunded: i64,
    /// Refunds as PayU lists them (their final status once the notification is sent).
    pub refunds: Vec<RefundInfo>,
}

pub(super) struct Inner {
    /// Bearer token → valid until.
    pub tokens: HashMap<String, Instant>,
    pub orders: HashMap<String, SimOrder>,
    pub ext_order_ids: HashSet<String>,
    pub faults: Faults,
    /// Notifications answered 200 (duplicates counted).
    pub delivered: Vec<(String, String)>,
    /// Statuses of notifications answered otherwise than 200.
    pub refused: Vec<u16>,
    pub next_refund: u64,
    /// Single-use `TOK_` from the card form → the card; taken by the first order using it.
    pub single_use: HashMap<String, SimCard>,
    /// Multi-use `TOKC_` → its card.
    pub card_tokens: HashMap<String, SimCardToken>,
}

impl Inner {
    pub fn new() -> Inner {
        Inner {
            tokens: HashMap::new(),
            orders: HashMap::new(),
            ext_order_ids: HashSet::new(),
            faults: Faults::default(),
            delivered: Vec::new(),
            refused: Vec::new(),
            next_refund: 1,
            single_use: HashMap::new(),
            card_tokens: HashMap::from([(
                super::DEMO_CARD_TOKEN.to_owned(),
                SimCardToken {
                    card: SimCard {
                        brand: "VISA".into(),
                        last_four: "1111".into(),
                        expiry_month: 12,
                        expiry_year: 2030,
                    },
                    confirmed: true,
                    deleted: false,
                    first_order: String::new(),
                },
            )]),
        }
    }

    pub fn token_valid(&self, token: &str) -> bool {
        self.tokens
            .get(token)
            .is_some_and(|until| Instant::now() < *until)
    }
}

/// An opaque id of PayU's shape: 27 upper-case letters and digits.
pub(super) fn order_id() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
    let mut rng = rand::thread_rng();
    (0..27)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// A card token of PayU's shape: `TOK_`/`TOKC_` and 29 upper-case letters and digits.
pub(super) fn card_token(prefix: &str) -> String {
    format!("{prefix}{}", &order_id()[..27])
}

pub(super) fn random_token() -> String {
    let mut rng = rand::thread_rng();
    let bytes: [u8; 16] = rng.r#gen();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// PayU retries after 1, 2, 5, 10 and 30 minutes, then 1, 2, 3, 6 … 72 hours (reference §A.5);
/// here in "minutes" the server was started with, so a test sees the schedule in milliseconds.
const RETRY_MINUTES: [u64; 20] = [
    1, 2, 5, 10, 30, 60, 120, 180, 360, 540, 720, 900, 1080, 1260, 1440, 2160, 2880, 3600, 4320,
    4320,
];

/// Moves an order to `status` (final states never change) and sends what PayU would send.
/// Returns false when the order is final already or unknown.
pub(super) fn change_status(state: &SimState, order_id: &str, statuses: &[&str]) -> bool {
    let (bodies, notify_url, faults) = {
        let mut inner = state.lock();
        let faults = inner.faults.clone();
        let Some(order) = inner.orders.get_mut(order_id) else {
            return false;
        };
        if matches!(
            order.info.status.as_str(),
            order_status::COMPLETED | order_status::CANCELED
        ) {
            return false;
        }
        let mut bodies = Vec::new();
        for status in statuses {
            order.info.status = (*status).to_owned();
            bodies.push(notification_body(&order.info));
        }
        (bodies, order.notify_url.clone(), faults)
    };
    if let Some(url) = notify_url {
        send_notifications(state, &url, bodies, &faults);
    }
    true
}

/// Finishes refund `refund_id` of `order_id` (FINALIZED, or CANCELED when told to) and notifies
/// the shop, as PayU does once the money has gone back.
pub(super) fn finish_refund(state: &SimState, order_id: &str, refund_id: &str) {
    let (body, notify_url, faults) = {
        let mut inner = state.lock();
        let faults = inner.faults.clone();
        let Some(order) = inner.orders.get_mut(order_id) else {
            return;
        };
        let Some(refund) = order.refunds.iter_mut().find(|r| r.refund_id == refund_id) else {
            return;
        };
        refund.status = if faults.cancel_refunds {
            refund_status::CANCELED
        } else {
            refund_status::FINALIZED
        }
        .to_owned();
        let refund = refund.clone();
        if faults.cancel_refunds {
            order.refunded -= refund.amount.parse::<i64>().unwrap_or(0);
        }
        let body = serde_json::to_string(&RefundNotification {
            order_id: order_id.to_owned(),
            ext_order_id: order.info.ext_order_id.clone(),
            refund,
        })
        .unwrap_or_default();
        (body, order.notify_url.clone(), faults)
    };
    if let Some(url) = notify_url {
        send_notifications(state, &url, vec![body], &faults);
    }
}

fn notification_body(order: &OrderInfo) -> String {
    let notification = OrderNotification {
        order: order.clone(),
        local_receipt_date_time: Some(chrono::Utc::now().to_rfc3339()),
        properties: vec![Property {
            name: "PAYMENT_ID".into(),
            value: format!(
                "{}",
                rand::thread_rng().gen_range(100_000_000..999_999_999_u64)
            ),
        }],
    };
    serde_json::to_string(&notification).unwrap_or_default()
}

/// Delivers `bodies` in order (or reversed, or each twice, as the faults say), each retried until
/// answered 200, in the background of the server's runtime.
pub(super) fn send_notifications(
    state: &SimState,
    url: &str,
    bodies: Vec<String>,
    faults: &Faults,
) {
    if faults.silent {
        return;
    }
    let mut bodies = bodies;
    if faults.reorder {
        bodies.reverse();
    }
    if faults.duplicate {
        bodies = bodies.into_iter().flat_map(|b| [b.clone(), b]).collect();
    }
    let state = state.clone();
    let url = url.to_owned();
    rocket::tokio::spawn(async move {
        for body in bodies {
            deliver(&state, &url, body).await;
        }
    });
}

async fn deliver(state: &SimState, url: &str, body: String) {
    let header = signature::header_for(body.as_bytes(), &state.second_key, state.algorithm);
    let status_of = |body: &str| {
        serde_json::from_str::<OrderNotification>(body)
            .map(|n| (n.order.order_id, n.order.status))
            .or_else(|_| {
                serde_json::from_str::<RefundNotification>(body)
                    .map(|n| (n.order_id, format!("REFUND_{}", n.refund.status)))
            })
            .unwrap_or_default()
    };
    // "Immediately", then the schedule.
    let waits = std::iter::once(0).chain(RETRY_MINUTES);
    for minutes in waits {
        if minutes > 0 {
            rocket::tokio::time::sleep(state.minute * minutes as u32).await;
        }
        let answer = state
            .http
            .post(url)
            .header("Content-Type", "application/json")
            .header("OpenPayu-Signature", header.clone())
            .header("X-OpenPayU-Signature", header.clone())
            .body(body.clone())
            .send()
            .await;
        match answer {
            Ok(response) if response.status().as_u16() == 200 => {
                state.lock().delivered.push(status_of(&body));
                return;
            }
            Ok(response) => {
                state.lock().refused.push(response.status().as_u16());
                tracing::debug!(status = %response.status(), "local PayU: notification refused; will retry")
            }
            Err(error) => {
                tracing::debug!(%error, "local PayU: notification not delivered; will retry")
            }
        }
    }
}

/// The algorithm the server signs with unless told otherwise.
pub(super) const DEFAULT_ALGORITHM: Algorithm = Algorithm::Md5;

/// How long a token lives: PayU's 43199 s.
pub(super) const TOKEN_SECONDS: u64 = 43_199;

pub(super) fn token_lifetime() -> Duration {
    Duration::from_secs(TOKEN_SECONDS)
}
