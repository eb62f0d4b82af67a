//! The local PayU server's endpoints: the same paths, JSON and status codes as PayU's hosts,
//! a payment page with plain HTML forms, and `/sim/faults` to switch faults on and off.

use std::io::Cursor;

use rocket::form::{Form, FromForm};
use rocket::http::{ContentType, Header, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::{self, Redirect, Responder, Response};
use rocket::{Build, Rocket, State, delete, get, post, routes};
use serde::Serialize;
use serde_json::json;

use super::SimState;
use super::state::{self, Faults, SimOrder, change_status, order_id, random_token};
use crate::payu::wire::{
    OrderCreateRequest, OrderCreateResponse, OrderInfo, OrdersResponse, RECURRING_FIRST,
    RefundInfo, RefundRequest, RefundResponse, StatusInfo, TokenResponse, order_status,
};

pub(super) fn mount(rocket: Rocket<Build>, state: SimState) -> Rocket<Build> {
    rocket
        .manage(state)
        .mount("/pl/standard/user/oauth", routes![authorize])
        .mount(
            "/api/v2_1",
            routes![
                create_order,
                get_order,
                cancel_order,
                refund,
                refund_singular,
                list_refunds,
                delete_token
            ],
        )
        .mount(
            "/",
            routes![
                pay_page,
                pay,
                cancel_on_page,
                faults,
                set_faults,
                super::cards::card_form,
                super::cards::card_submit,
                super::cards::secure_form_sdk,
                super::cards::secure_form_tokenize,
                super::cards::three_ds_page,
                super::cards::three_ds_confirm,
                super::cards::three_ds_fail
            ],
        )
}

/// Any answer: status, body, type and extra headers.
pub(super) struct Reply {
    pub(super) status: Status,
    pub(super) body: String,
    /// (type, subtype): a `ContentType` would make every `Result<_, Reply>` large.
    pub(super) content_type: (&'static str, &'static str),
    pub(super) headers: Vec<(&'static str, String)>,
}

impl<'r> Responder<'r, 'static> for Reply {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        let mut response = Response::build();
        response
            .status(self.status)
            .header(ContentType::new(self.content_type.0, self.content_type.1))
            .sized_body(self.body.len(), Cursor::new(self.body));
        for (name, value) in self.headers {
            response.header(Header::new(name, value));
        }
        response.ok()
    }
}

pub(super) fn json_reply(status: Status, body: &impl Serialize) -> Reply {
    Reply {
        status,
        body: serde_json::to_string(body).unwrap_or_else(|_| "{}".into()),
        content_type: ("application", "json"),
        headers: Vec::new(),
    }
}

/// PayU's error body: `{"status":{"statusCode":…,"statusDesc":…}}`.
pub(super) fn error(status: Status, code: &str, description: &str) -> Reply {
    json_reply(
        status,
        &json!({ "status": { "statusCode": code, "statusDesc": description } }),
    )
}

fn unauthorized() -> Reply {
    error(
        Status::Unauthorized,
        "UNAUTHORIZED_REQUEST",
        "Missing or invalid token",
    )
}

pub(super) type Answer = Result<Reply, Reply>;

/// `Authorization: Bearer …` and the request's content type.
pub(super) struct Caller {
    bearer: Option<String>,
    form_encoded: bool,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Caller {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        Outcome::Success(Caller {
            bearer: request
                .headers()
                .get_one("Authorization")
                .and_then(|h| h.strip_prefix("Bearer "))
                .map(|t| t.trim().to_owned()),
            form_encoded: request.content_type().is_some_and(|ct| ct.is_form()),
        })
    }
}

/// PayU down: every API call gets 503.
fn gate(state: &SimState) -> Result<(), Reply> {
    if state.lock().faults.down {
        return Err(error(
            Status::ServiceUnavailable,
            "SERVICE_NOT_AVAILABLE",
            "Service temporarily unavailable",
        ));
    }
    Ok(())
}

pub(super) fn authorised(state: &SimState, caller: &Caller) -> Result<(), Reply> {
    gate(state)?;
    match &caller.bearer {
        Some(token) if state.lock().token_valid(token) => Ok(()),
        _ => Err(unauthorized()),
    }
}

fn form_value<'a>(body: &'a str, name: &str) -> Option<std::borrow::Cow<'a, str>> {
    body.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| percent_decode(value))
    })
}

fn percent_decode(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['%', '+']) {
        return text.into();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned().into()
}

/// OAuth client credentials: form-encoded only (anything else is 401, as at PayU).
#[post("/authorize", data = "<body>")]
fn authorize(state: &State<SimState>, caller: Caller, body: String) -> Answer {
    gate(state)?;
    if !caller.form_encoded {
        return Err(unauthorized());
    }
    let grant = form_value(&body, "grant_type");
    let client_id = form_value(&body, "client_id");
    let secret = form_value(&body, "client_secret");
    if grant.as_deref() != Some("client_credentials") {
        return Err(json_reply(
            Status::BadRequest,
            &json!({"error": "unsupported_grant_type", "error_description": "Unsupported grant type"}),
        ));
    }
    if client_id.as_deref() != Some(state.pos_id.as_str())
        || secret.as_deref() != Some(state.client_secret.as_str())
    {
        return Err(json_reply(
            Status::Unauthorized,
            &json!({"error": "invalid_client", "error_description": "Bad client credentials"}),
        ));
    }
    let token = random_token();
    state.lock().tokens.insert(
        token.clone(),
        std::time::Instant::now() + state::token_lifetime(),
    );
    Ok(json_reply(
        Status::Ok,
        &TokenResponse {
            access_token: token,
            token_type: "bearer".into(),
            expires_in: state::TOKEN_SECONDS as i64,
            grant_type: Some("client_credentials".into()),
        },
    ))
}

pub(super) fn grosze(text: &str) -> Option<i64> {
    text.trim().parse::<i64>().ok().filter(|a| *a >= 0)
}

/// What PayU checks before it takes an order.
fn check_order(state: &SimState, order: &OrderCreateRequest) -> Result<i64, Reply> {
    let invalid = |what: &str| {
        error(
            Status::BadRequest,
            "ERROR_VALUE_INVALID",
            &format!("Invalid or missing value: {what}"),
        )
    };
    if order.merchant_pos_id != *state.pos_id {
        return Err(invalid("merchantPosId"));
    }
    if order.customer_ip.trim().is_empty() {
        return Err(invalid("customerIp"));
    }
    if order.description.trim().is_empty() {
        return Err(invalid("description"));
    }
    if order.currency_code != "PLN" {
        return Err(invalid("currencyCode"));
    }
    // Storing a card without charging it is a FIRST order of 0 (reference §B).
    let registering = order.recurring.as_deref() == Some(RECURRING_FIRST);
    let total = grosze(&order.total_amount)
        .filter(|t| *t > 0 || registering)
        .ok_or_else(|| invalid("totalAmount"))?;
    if order.products.is_empty() {
        return Err(invalid("products"));
    }
    let mut sum = 0_i64;
    for product in &order.products {
        let price = grosze(&product.unit_price).ok_or_else(|| invalid("products.unitPrice"))?;
        let quantity = grosze(&product.quantity)
            .filter(|q| *q > 0)
            .ok_or_else(|| invalid("products.quantity"))?;
        sum = price
            .checked_mul(quantity)
            .and_then(|p| sum.checked_add(p))
            .ok_or_else(|| invalid("products"))?;
    }
    if sum != total {
        return Err(invalid("totalAmount (sum of products)"));
    }
    Ok(total)
}

#[post("/orders", data = "<body>")]
fn create_order(state: &State<SimState>, caller: Caller, body: String) -> Answer {
    authorised(state, &caller)?;
    let order: OrderCreateRequest = serde_json::from_str(&body).map_err(|e| {
        error(
            Status::BadRequest,
            "ERROR_SYNTAX",
            &format!("Syntax error: {e}"),
        )
    })?;
    check_order(state, &order)?;
    let id = order_id();
    let card = super::cards::take_card(state, &order, &id)?;
    {
        let mut inner = state.lock();
        if !inner.ext_order_ids.insert(order.ext_order_id.clone()) {
            return Err(error(
                Status::BadRequest,
                "ERROR_ORDER_NOT_UNIQUE",
                "Order with given extOrderId already exists",
            ));
        }
        inner.orders.insert(
            id.clone(),
            SimOrder {
                info: OrderInfo {
                    order_id: id.clone(),
                    ext_order_id: Some(order.ext_order_id.clone()),
                    order_create_date: Some(chrono::Utc::now().to_rfc3339()),
                    notify_url: Some(order.notify_url.clone()),
                    customer_ip: Some(order.customer_ip.clone()),
                    merchant_pos_id: Some(order.merchant_pos_id.clone()),
                    description: Some(order.description.clone()),
                    currency_code: order.currency_code.clone(),
                    total_amount: order.total_amount.trim().to_owned(),
                    buyer: order.buyer.clone(),
                    products: order.products.clone(),
                    pay_method: card.as_ref().map(|c| c.pay_method()),
                    status: order_status::NEW.into(),
                },
                continue_url: order.continue_url.clone(),
                notify_url: Some(order.notify_url.clone()).filter(|u| !u.trim().is_empty()),
                refunded: 0,
                refunds: Vec::new(),
            },
        );
    }
    if let Some(card) = card {
        return Ok(super::cards::answer_card_order(state, &id, &order, card));
    }
    let redirect_uri = format!("{}/pay/{id}", state.base_url);
    let mut reply = json_reply(
        Status::Found,
        &OrderCreateResponse {
            status: StatusInfo {
                status_code: "SUCCESS".into(),
                status_desc: None,
            },
            redirect_uri: Some(redirect_uri.clone()),
            order_id: Some(id),
            ext_order_id: Some(order.ext_order_id),
            pay_methods: None,
        },
    );
    reply.headers.push(("Location", redirect_uri));
    Ok(reply)
}

pub(super) fn not_found() -> Reply {
    error(Status::NotFound, "DATA_NOT_FOUND", "Could not find order")
}

#[get("/orders/<id>")]
fn get_order(state: &State<SimState>, caller: Caller, id: &str) -> Answer {
    authorised(state, &caller)?;
    let info = state
        .lock()
        .orders
        .get(id)
        .map(|o| o.info.clone())
        .ok_or_else(not_found)?;
    Ok(json_reply(
        Status::Ok,
        &OrdersResponse {
            orders: vec![info],
            status: StatusInfo {
                status_code: "SUCCESS".into(),
                status_desc: Some("Request processing successful".into()),
            },
        },
    ))
}

#[delete("/orders/<id>")]
fn cancel_order(state: &State<SimState>, caller: Caller, id: &str) -> Answer {
    authorised(state, &caller)?;
    let (status, ext) = state
        .lock()
        .orders
        .get(id)
        .map(|o| (o.info.status.clone(), o.info.ext_order_id.clone()))
        .ok_or_else(not_found)?;
    if status == order_status::COMPLETED {
        return Err(error(
            Status::BadRequest,
            "ERROR_ORDER_NOT_CANCELABLE",
            "A completed order cannot be cancelled",
        ));
    }
    change_status(state, id, &[order_status::CANCELED]);
    Ok(json_reply(
        Status::Ok,
        &json!({ "orderId": id, "extOrderId": ext, "status": { "statusCode": "SUCCESS" } }),
    ))
}

#[post("/orders/<id>/refunds", data = "<body>")]
fn refund(state: &State<SimState>, caller: Caller, id: &str, body: String) -> Answer {
    refund_order(state, &caller, id, &body)
}

/// openpayu_php posts to the singular path; both are taken.
#[post("/orders/<id>/refund", data = "<body>")]
fn refund_singular(state: &State<SimState>, caller: Caller, id: &str, body: String) -> Answer {
    refund_order(state, &caller, id, &body)
}

fn refund_order(state: &SimState, caller: &Caller, id: &str, body: &str) -> Answer {
    authorised(state, caller)?;
    let request: RefundRequest = serde_json::from_str(body).map_err(|e| {
        error(
            Status::BadRequest,
            "ERROR_SYNTAX",
            &format!("Syntax error: {e}"),
        )
    })?;
    if request.refund.description.trim().is_empty() {
        return Err(error(
            Status::BadRequest,
            "ERROR_VALUE_MISSING",
            "Missing refund description",
        ));
    }
    let mut guard = state.lock();
    let inner = &mut *guard;
    let refund_number = inner.next_refund;
    let order = inner.orders.get_mut(id).ok_or_else(not_found)?;
    if order.info.status != order_status::COMPLETED {
        return Err(error(
            Status::BadRequest,
            "ERROR_ORDER_NOT_COMPLETED",
            "Only a completed order can be refunded",
        ));
    }
    if let Some(ext) = &request.refund.ext_refund_id
        && order
            .refunds
            .iter()
            .any(|r| r.ext_refund_id.as_ref() == Some(ext))
    {
        // [unconfirmed] PayU's exact code for a repeated extRefundId; the point is that the
        // second request pays nothing.
        return Err(error(
            Status::BadRequest,
            "ERROR_VALUE_INVALID",
            "Refund with given extRefundId already exists",
        ));
    }
    let total = grosze(&order.info.total_amount).unwrap_or(0);
    let amount = request.refund.amount.unwrap_or(total - order.refunded);
    if amount <= 0 || order.refunded + amount > total {
        return Err(error(
            Status::BadRequest,
            "ERROR_VALUE_INVALID",
            "Refund amount exceeds the order's total",
        ));
    }
    order.refunded += amount;
    let refund = RefundInfo {
        refund_id: format!("{}", 5_000_000_000_u64 + refund_number),
        ext_refund_id: request.refund.ext_refund_id,
        amount: amount.to_string(),
        currency_code: order.info.currency_code.clone(),
        status: "PENDING".into(),
    };
    order.refunds.push(refund.clone());
    inner.next_refund += 1;
    drop(guard);
    // The money goes back "later": the notification follows the answer.
    state::finish_refund(state, id, &refund.refund_id);
    Ok(json_reply(
        Status::Ok,
        &RefundResponse {
            order_id: id.to_owned(),
            refund,
            status: StatusInfo {
                status_code: "SUCCESS".into(),
                status_desc: Some("Refund queued for processing".into()),
            },
        },
    ))
}

#[get("/orders/<id>/refunds")]
fn list_refunds(state: &State<SimState>, caller: Caller, id: &str) -> Answer {
    authorised(state, &caller)?;
    let refunds = state
        .lock()
        .orders
        .get(id)
        .map(|o| o.refunds.clone())
        .ok_or_else(not_found)?;
    Ok(json_reply(Status::Ok, &json!({ "refunds": refunds })))
}

pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub(super) fn html(status: Status, body: String) -> Reply {
    Reply {
        status,
        body: format!(
            "<!doctype html><html lang=\"pl\"><head><meta charset=\"utf-8\"><title>PayU (lokalny serwer testowy)</title></head><body>{body}</body></html>"
        ),
        content_type: ("text", "html"),
        headers: Vec::new(),
    }
}

/// The buyer's page: pay, cancel, or simply go away and let the order hang.
#[get("/pay/<id>")]
fn pay_page(state: &State<SimState>, id: &str) -> Reply {
    let Some((info, continue_url)) = state
        .lock()
        .orders
        .get(id)
        .map(|o| (o.info.clone(), o.continue_url.clone()))
    else {
        return html(
            Status::NotFound,
            "<h1>Nie ma takiego zamówienia</h1>".into(),
        );
    };
    let amount = grosze(&info.total_amount).unwrap_or(0);
    let open = matches!(
        info.status.as_str(),
        order_status::NEW | order_status::PENDING
    );
    let forms = if open {
        format!(
            "<form method=\"post\" action=\"/pay/{id}/pay\"><button type=\"submit\">Zapłać</button></form>\
             <form method=\"post\" action=\"/pay/{id}/cancel\"><button type=\"submit\">Anuluj płatność</button></form>\
             <p><a href=\"{}\">Wróć do sklepu bez płacenia</a></p>",
            escape(&continue_url)
        )
    } else {
        format!(
            "<p>Zamówienie jest już zamknięte ({}).</p>",
            escape(&info.status)
        )
    };
    html(
        Status::Ok,
        format!(
            "<h1>PayU — lokalny serwer testowy</h1><p>{}</p><p>Kwota: <strong>{},{:02} {}</strong></p><p>Status: <span id=\"status\">{}</span></p>{forms}",
            escape(info.description.as_deref().unwrap_or("")),
            amount / 100,
            amount % 100,
            escape(&info.currency_code),
            escape(&info.status)
        ),
    )
}

/// Paying: PENDING, then COMPLETED, each notified; the buyer goes back to `continueUrl`.
#[post("/pay/<id>/pay")]
fn pay(state: &State<SimState>, id: &str) -> Result<Redirect, Reply> {
    let continue_url = continue_url(state, id)?;
    change_status(state, id, &[order_status::PENDING, order_status::COMPLETED]);
    Ok(Redirect::to(continue_url))
}

/// Cancelling: CANCELED, notified; PayU adds `error=501` to the way back.
#[post("/pay/<id>/cancel")]
fn cancel_on_page(state: &State<SimState>, id: &str) -> Result<Redirect, Reply> {
    let continue_url = continue_url(state, id)?;
    change_status(state, id, &[order_status::CANCELED]);
    let separator = if continue_url.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(format!("{continue_url}{separator}error=501")))
}

pub(super) fn continue_url(state: &SimState, id: &str) -> Result<String, Reply> {
    state
        .lock()
        .orders
        .get(id)
        .map(|o| o.continue_url.clone())
        .ok_or_else(|| {
            html(
                Status::NotFound,
                "<h1>Nie ma takiego zamówienia</h1>".into(),
            )
        })
}

/// `DELETE /api/v2_1/tokens/{TOKC}`: the token can no longer be charged.
#[delete("/tokens/<token>")]
fn delete_token(state: &State<SimState>, caller: Caller, token: &str) -> Answer {
    authorised(state, &caller)?;
    match state.lock().card_tokens.get_mut(token) {
        Some(card) if !card.deleted => card.deleted = true,
        _ => return Err(error(Status::NotFound, "DATA_NOT_FOUND", "Token not found")),
    }
    Ok(Reply {
        status: Status::NoContent,
        body: String::new(),
        content_type: ("application", "json"),
        headers: Vec::new(),
    })
}

#[get("/sim/faults")]
fn faults(state: &State<SimState>) -> Reply {
    json_reply(Status::Ok, &state.lock().faults)
}

#[derive(Debug, FromForm)]
pub(super) struct FaultFields {
    #[field(default = false)]
    duplicate: bool,
    #[field(default = false)]
    reorder: bool,
    #[field(default = false)]
    down: bool,
    #[field(default = false)]
    silent: bool,
    #[field(default = false)]
    cancel_refunds: bool,
    decline: bool,
    #[field(default = false)]
    expired_card: bool,
    #[field(default = false)]
    require_3ds: bool,
    #[field(default = 0)]
    slow: u32,
}

/// Switches faults: `curl -d duplicate=true -d reorder=true http://127.0.0.1:8200/sim/faults`.
#[post("/sim/faults", data = "<form>")]
fn set_faults(state: &State<SimState>, form: Form<FaultFields>) -> Reply {
    let faults = Faults {
        duplicate: form.duplicate,
        reorder: form.reorder,
        down: form.down,
        silent: form.silent,
        cancel_refunds: form.cancel_refunds,
        decline: form.decline,
        expired_card: form.expired_card,
        require_3ds: form.require_3ds,
        slow: form.slow,
    };
    state.lock().faults = faults.clone();
    json_reply(Status::Ok, &faults)
}
