//! PayU's JSON, field for field (reference `ksef-payu-api.md` §A). Amounts travel as strings of
//! grosze in notifications and order reads; PayU accepts strings or numbers when creating.

use serde::{Deserialize, Serialize};

/// `POST /pl/standard/user/oauth/authorize` answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: String,
    pub expires_in: i64,
    #[serde(default)]
    pub grant_type: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Buyer {
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ext_customer_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    pub name: String,
    /// Grosze, as a string.
    pub unit_price: String,
    pub quantity: String,
}

/// `POST /api/v2_1/orders` body.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderCreateRequest {
    pub notify_url: String,
    pub continue_url: String,
    pub customer_ip: String,
    pub merchant_pos_id: String,
    pub description: String,
    pub currency_code: String,
    /// Grosze, as a string.
    pub total_amount: String,
    pub ext_order_id: String,
    /// Seconds the buyer has to pay, as a string ("7200" for two hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer: Option<Buyer>,
    pub products: Vec<Product>,
    /// A card token to charge (reference §B); none for a pay-by-link order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_methods: Option<PayMethods>,
    /// `FIRST` with a single-use `TOK_` (3-D Secure, gives a `TOKC_`), `STANDARD` with a
    /// `TOKC_` (no buyer present).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurring: Option<String>,
}

/// `payMethods` of an order with a card token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PayMethods {
    pub pay_method: PayMethod,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PayMethod {
    /// `PBL`, `CARD_TOKEN`, `INSTALLMENTS`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The token (`TOK_…` sent, `TOKC_…` returned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// What PayU reports of the card behind a token (never its number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<CardData>,
}

impl PayMethod {
    pub fn card_token(token: &str) -> PayMethod {
        PayMethod {
            kind: PAY_METHOD_CARD_TOKEN.into(),
            value: Some(token.to_owned()),
            card: None,
        }
    }
}

pub const PAY_METHOD_CARD_TOKEN: &str = "CARD_TOKEN";
pub const RECURRING_FIRST: &str = "FIRST";
pub const RECURRING_STANDARD: &str = "STANDARD";

/// A card as PayU describes a token: masked number, brand and expiry.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CardData {
    /// e.g. `444433******1111`.
    pub card_number_masked: String,
    pub card_expiration_month: String,
    pub card_expiration_year: String,
    #[serde(default)]
    pub card_brand: String,
}

impl CardData {
    pub fn last_four(&self) -> String {
        let digits: Vec<char> = self.card_number_masked.chars().collect();
        digits[digits.len().saturating_sub(4)..].iter().collect()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StatusInfo {
    pub status_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_desc: Option<String>,
}

/// The create answer (302 with a JSON body, or 200/201).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderCreateResponse {
    pub status: StatusInfo,
    #[serde(default)]
    pub redirect_uri: Option<String>,
    #[serde(default)]
    pub order_id: Option<String>,
    #[serde(default)]
    pub ext_order_id: Option<String>,
    /// With a card token: the multi-use `TOKC_` and its card (reference §B).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_methods: Option<PayMethods>,
}

/// An order as PayU reports it (reads and notifications).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct OrderInfo {
    pub order_id: String,
    #[serde(default)]
    pub ext_order_id: Option<String>,
    #[serde(default)]
    pub order_create_date: Option<String>,
    #[serde(default)]
    pub notify_url: Option<String>,
    #[serde(default)]
    pub customer_ip: Option<String>,
    #[serde(default)]
    pub merchant_pos_id: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub currency_code: String,
    pub total_amount: String,
    #[serde(default)]
    pub buyer: Option<Buyer>,
    #[serde(default)]
    pub products: Vec<Product>,
    /// How it was paid (a card token's card data with it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_method: Option<PayMethod>,
    pub status: String,
}

/// `GET /api/v2_1/orders/{id}` answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrdersResponse {
    pub orders: Vec<OrderInfo>,
    pub status: StatusInfo,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Property {
    pub name: String,
    pub value: String,
}

/// What PayU POSTs to `notifyUrl` on every change of an order's status.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct OrderNotification {
    pub order: OrderInfo,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_receipt_date_time: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundDetails {
    pub description: String,
    /// Grosze; without it the whole order is refunded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ext_refund_id: Option<String>,
}

/// `POST /api/v2_1/orders/{id}/refunds` body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RefundRequest {
    pub refund: RefundDetails,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RefundInfo {
    pub refund_id: String,
    #[serde(default)]
    pub ext_refund_id: Option<String>,
    pub amount: String,
    pub currency_code: String,
    pub status: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundResponse {
    pub order_id: String,
    pub refund: RefundInfo,
    pub status: StatusInfo,
}

/// What PayU POSTs to `notifyUrl` when a refund is finished or cancelled (reference §A.4:
/// `{"orderId","extOrderId","refund":{…,"status":"FINALIZED"|"CANCELED"}}`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RefundNotification {
    pub order_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ext_order_id: Option<String>,
    pub refund: RefundInfo,
}

/// `GET /api/v2_1/orders/{id}/refunds` (openpayu_php `Refund::retrieveAll`) **[sdk]**.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RefundsResponse {
    #[serde(default)]
    pub refunds: Vec<RefundInfo>,
}

/// Refund statuses: `PENDING` when taken, then `FINALIZED` or `CANCELED`.
pub mod refund_status {
    pub const PENDING: &str = "PENDING";
    pub const FINALIZED: &str = "FINALIZED";
    pub const CANCELED: &str = "CANCELED";
}

/// Order statuses (reference §A.4).
pub mod order_status {
    pub const NEW: &str = "NEW";
    pub const PENDING: &str = "PENDING";
    pub const WAITING_FOR_CONFIRMATION: &str = "WAITING_FOR_CONFIRMATION";
    pub const COMPLETED: &str = "COMPLETED";
    pub const CANCELED: &str = "CANCELED";
}

/// `statusCode`s of a successful create (reference §A.2).
pub fn create_succeeded(status_code: &str) -> bool {
    matches!(
        status_code,
        "SUCCESS" | "WARNING_CONTINUE_3DS" | "WARNING_CONTINUE_CVV" | "WARNING_CONTINUE_REDIRECT"
    )
}
