//! The PayU REST v2.1 client: an OAuth token (client credentials, kept until shortly before it
//! expires), creating an order, reading its status, cancelling it and refunding it. Each call is
//! one attempt; the caller decides about retries from the error's kind.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::{Response, StatusCode};
use serde::de::DeserializeOwned;

use super::wire::{
    CardData, OrderCreateRequest, OrderCreateResponse, OrderInfo, OrdersResponse, RefundDetails,
    RefundInfo, RefundRequest, RefundResponse, RefundsResponse, TokenResponse, create_succeeded,
};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayuError {
    /// Not reached, timed out, 5xx or 429: try again later.
    #[error("PayU is unavailable: {0}")]
    Unavailable(String),
    /// PayU refused the request (its `statusCode` and description).
    #[error("PayU refused ({code}): {text}")]
    Refused { code: String, text: String },
    /// Wrong POS id or secret, or the token was not accepted.
    #[error("PayU did not accept the login: {0}")]
    Unauthorized(String),
    /// An answer that is not what the API promises; never taken as success.
    #[error("PayU answered something unexpected: {0}")]
    Malformed(String),
    /// The order is not known to PayU.
    #[error("PayU does not know the order")]
    NotFound,
}

impl PayuError {
    pub fn is_retryable(&self) -> bool {
        matches!(self, PayuError::Unavailable(_) | PayuError::Malformed(_))
    }
}

/// Who we are at PayU: the POS and its OAuth credentials.
#[derive(Clone)]
pub struct PayuCredentials {
    pub pos_id: String,
    pub client_id: String,
    pub client_secret: String,
}

impl std::fmt::Debug for PayuCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PayuCredentials {{ pos_id: {}, .. }}", self.pos_id)
    }
}

/// A created order: PayU's id and where to send the buyer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedOrder {
    pub order_id: String,
    pub redirect_uri: String,
}

/// An order with a card token as PayU took it: its id, the `statusCode` (`SUCCESS`, or
/// `WARNING_CONTINUE_3DS` when the buyer must confirm), where to send the buyer then, and the
/// multi-use token with its card when PayU returned one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardOrder {
    pub order_id: String,
    pub status_code: String,
    pub redirect_uri: Option<String>,
    pub token: Option<String>,
    pub card: Option<CardData>,
}

impl CardOrder {
    pub fn needs_3ds(&self) -> bool {
        self.status_code == "WARNING_CONTINUE_3DS" || self.status_code == "WARNING_CONTINUE_CVV"
    }
}

/// Renew the token this long before PayU says it expires, so a call never races the expiry.
const TOKEN_MARGIN: Duration = Duration::from_secs(60);

#[derive(Debug, Clone)]
pub struct PayuClient {
    http: reqwest::Client,
    base_url: String,
    credentials: PayuCredentials,
    /// Shared by clones: one token per process, not one per request.
    token: Arc<Mutex<Option<(String, Instant)>>>,
}

impl PayuClient {
    /// `base_url` is the host, e.g. `https://secure.snd.payu.com` (no `/api/v2_1`).
    pub fn new(
        base_url: &str,
        credentials: PayuCredentials,
        timeout: Duration,
    ) -> Result<PayuClient, PayuError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            // PayU answers a created order with 302 to the payment page: that is for the
            // buyer's browser, never for us to follow (reference §A.2).
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("e-BOK")
            .build()
            .map_err(|e| PayuError::Unavailable(e.to_string()))?;
        Ok(PayuClient {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            credentials,
            token: Arc::new(Mutex::new(None)),
        })
    }

    /// The host the client talks to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn pos_id(&self) -> &str {
        &self.credentials.pos_id
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    fn cached_token(&self) -> Option<String> {
        let cached = self.token.lock().unwrap_or_else(|p| p.into_inner());
        cached
            .as_ref()
            .filter(|(_, until)| Instant::now() < *until)
            .map(|(token, _)| token.clone())
    }

    fn forget_token(&self) {
        *self.token.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// The bearer token: the cached one while valid, else a new client-credentials login.
    pub async fn token(&self) -> Result<String, PayuError> {
        if let Some(token) = self.cached_token() {
            return Ok(token);
        }
        let body = format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            form_encode(&self.credentials.client_id),
            form_encode(&self.credentials.client_secret)
        );
        let response = self
            .http
            .post(self.url("/pl/standard/user/oauth/authorize"))
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(body)
            .send()
            .await;
        let token: TokenResponse = read(response).await?;
        let lifetime = Duration::from_secs(token.expires_in.max(0) as u64);
        let until = Instant::now() + lifetime.saturating_sub(TOKEN_MARGIN);
        *self.token.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((token.access_token.clone(), until));
        Ok(token.access_token)
    }

    /// Runs an authorised call; a 401 drops the cached token and tries once more with a new one
    /// (PayU may end a token before its `expires_in`).
    async fn authorised<T: DeserializeOwned>(
        &self,
        build: impl Fn(&str) -> reqwest::RequestBuilder,
    ) -> Result<T, PayuError> {
        let token = self.token().await?;
        match read(build(&token).send().await).await {
            Err(PayuError::Unauthorized(_)) => {
                self.forget_token();
                let token = self.token().await?;
                read(build(&token).send().await).await
            }
            other => other,
        }
    }

    /// Creates an order; PayU answers 302 (or 200/201) with the payment page's address.
    pub async fn create_order(
        &self,
        order: &OrderCreateRequest,
    ) -> Result<CreatedOrder, PayuError> {
        let created: OrderCreateResponse = self
            .authorised(|token| {
                self.http
                    .post(self.url("/api/v2_1/orders"))
                    .bearer_auth(token)
                    .json(order)
            })
            .await?;
        if !create_succeeded(&created.status.status_code) {
            return Err(PayuError::Refused {
                code: created.status.status_code,
                text: created.status.status_desc.unwrap_or_default(),
            });
        }
        match (created.order_id, created.redirect_uri) {
            (Some(order_id), Some(redirect_uri)) => Ok(CreatedOrder {
                order_id,
                redirect_uri,
            }),
            _ => Err(PayuError::Malformed(
                "a created order without orderId or redirectUri".into(),
            )),
        }
    }

    /// Creates an order paid with a card token (`recurring` FIRST or STANDARD, reference §B).
    pub async fn create_card_order(
        &self,
        order: &OrderCreateRequest,
    ) -> Result<CardOrder, PayuError> {
        let created: OrderCreateResponse = self
            .authorised(|token| {
                self.http
                    .post(self.url("/api/v2_1/orders"))
                    .bearer_auth(token)
                    .json(order)
            })
            .await?;
        if !create_succeeded(&created.status.status_code) {
            return Err(PayuError::Refused {
                code: created.status.status_code,
                text: created.status.status_desc.unwrap_or_default(),
            });
        }
        let order_id = created
            .order_id
            .ok_or_else(|| PayuError::Malformed("a created order without orderId".into()))?;
        let method = created.pay_methods.map(|m| m.pay_method);
        Ok(CardOrder {
            order_id,
            status_code: created.status.status_code,
            redirect_uri: created.redirect_uri,
            token: method
                .as_ref()
                .and_then(|m| m.value.clone())
                .filter(|t| t.starts_with("TOKC_")),
            card: method.and_then(|m| m.card),
        })
    }

    /// Deletes a multi-use card token; PayU will not charge it again. An unknown token counts
    /// as deleted.
    pub async fn delete_token(&self, card_token: &str) -> Result<(), PayuError> {
        let path = format!("/api/v2_1/tokens/{}", path_segment(card_token));
        let outcome: Result<serde_json::Value, PayuError> = self
            .authorised(|token| self.http.delete(self.url(&path)).bearer_auth(token))
            .await;
        match outcome {
            Ok(_) | Err(PayuError::NotFound) => Ok(()),
            Err(PayuError::Malformed(_)) => Ok(()), // 204: no body
            Err(other) => Err(other),
        }
    }

    /// The order as PayU sees it now.
    pub async fn order(&self, order_id: &str) -> Result<OrderInfo, PayuError> {
        let path = format!("/api/v2_1/orders/{}", path_segment(order_id));
        let orders: OrdersResponse = self
            .authorised(|token| self.http.get(self.url(&path)).bearer_auth(token))
            .await?;
        orders.orders.into_iter().next().ok_or(PayuError::NotFound)
    }

    /// Cancels an unpaid order; PayU answers with the order's status.
    pub async fn cancel(&self, order_id: &str) -> Result<(), PayuError> {
        let path = format!("/api/v2_1/orders/{}", path_segment(order_id));
        let _: serde_json::Value = self
            .authorised(|token| self.http.delete(self.url(&path)).bearer_auth(token))
            .await?;
        Ok(())
    }

    /// Refunds `amount` grosze of a paid order (the whole order with `None`).
    pub async fn refund(
        &self,
        order_id: &str,
        amount: Option<i64>,
        description: &str,
        ext_refund_id: &str,
    ) -> Result<RefundResponse, PayuError> {
        let path = format!("/api/v2_1/orders/{}/refunds", path_segment(order_id));
        let request = RefundRequest {
            refund: RefundDetails {
                description: description.to_owned(),
                amount,
                ext_refund_id: Some(ext_refund_id.to_owned()),
            },
        };
        self.authorised(|token| {
            self.http
                .post(self.url(&path))
                .bearer_auth(token)
                .json(&request)
        })
        .await
    }
}

impl PayuClient {
    /// The refunds of an order: after an answer was lost, whether PayU took our extRefundId.
    pub async fn refunds(&self, order_id: &str) -> Result<Vec<RefundInfo>, PayuError> {
        let path = format!("/api/v2_1/orders/{}/refunds", path_segment(order_id));
        let list: RefundsResponse = self
            .authorised(|token| self.http.get(self.url(&path)).bearer_auth(token))
            .await?;
        Ok(list.refunds)
    }
}

/// Turns a response into its JSON body or the error it stands for. A 302 carries the created
/// order's JSON as well and counts as an answer.
async fn read<T: DeserializeOwned>(
    response: Result<Response, reqwest::Error>,
) -> Result<T, PayuError> {
    let response = response.map_err(|e| PayuError::Unavailable(e.to_string()))?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| PayuError::Unavailable(e.to_string()))?;
    if status.is_success() || status == StatusCode::FOUND {
        return serde_json::from_str(&text)
            .map_err(|e| PayuError::Malformed(format!("{e}: {}", excerpt(&text))));
    }
    let described = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| {
            let status = v.get("status")?;
            Some((
                status.get("statusCode")?.as_str()?.to_owned(),
                status
                    .get("statusDesc")
                    .and_then(|d| d.as_str())
                    .unwrap_or_default()
                    .to_owned(),
            ))
        });
    Err(match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => PayuError::Unauthorized(excerpt(&text)),
        StatusCode::NOT_FOUND => PayuError::NotFound,
        s if s.is_server_error() || s == StatusCode::TOO_MANY_REQUESTS => {
            PayuError::Unavailable(format!("{s}: {}", excerpt(&text)))
        }
        _ => match described {
            Some((code, text)) => PayuError::Refused { code, text },
            None => PayuError::Malformed(format!("{status}: {}", excerpt(&text))),
        },
    })
}

fn excerpt(text: &str) -> String {
    text.chars().take(300).collect()
}

/// `application/x-www-form-urlencoded` for one value.
pub fn form_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// PayU's order ids are alphanumeric; anything else is encoded so it cannot change the path.
fn path_segment(text: &str) -> String {
    form_encode(text)
}
