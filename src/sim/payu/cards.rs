//! Card tokens as PayU gives them (reference §B, §C.1 item 7): a card form standing in for
//! PayU's Secure Form (the card number stays here; the merchant gets a single-use `TOK_`), a
//! FIRST order that needs 3-D Secure and returns the multi-use `TOKC_` with the card's brand,
//! last digits and expiry, STANDARD charges without the buyer, and the faults a charge can meet:
//! declined, expired card, 3-D Secure demanded, slow.

use chrono::Datelike;
use rocket::form::{Form, FromForm};
use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{State, get, post};

use super::SimState;
use super::routes::{Reply, continue_url, error, escape, html, json_reply};
use super::state::{SimCard, SimCardToken, card_token, change_status};
use crate::payu::wire::{
    CardData, OrderCreateRequest, OrderCreateResponse, PAY_METHOD_CARD_TOKEN, PayMethod,
    PayMethods, RECURRING_FIRST, RECURRING_STANDARD, StatusInfo, order_status,
};

/// The card an order is paid with, once its token was checked.
pub(super) struct OrderCard {
    token: String,
    card: SimCard,
    first: bool,
}

impl OrderCard {
    pub(super) fn pay_method(&self) -> PayMethod {
        PayMethod {
            kind: PAY_METHOD_CARD_TOKEN.into(),
            value: None,
            card: Some(card_data(&self.card)),
        }
    }
}

fn card_data(card: &SimCard) -> CardData {
    CardData {
        card_number_masked: format!("{}******{}", bin_of(&card.brand), card.last_four),
        card_expiration_month: format!("{:02}", card.expiry_month),
        card_expiration_year: card.expiry_year.to_string(),
        card_brand: card.brand.clone(),
    }
}

fn bin_of(brand: &str) -> &'static str {
    if brand == "MASTERCARD" {
        "535310"
    } else {
        "444433"
    }
}

fn invalid_token() -> Reply {
    error(
        Status::BadRequest,
        "ERROR_VALUE_INVALID",
        "Invalid or missing value: payMethods.payMethod.value",
    )
}

/// Checks an order's card token. A `TOK_` is used up by a FIRST order and becomes a `TOKC_`;
/// a `TOKC_` is charged only with STANDARD, only once its FIRST order completed, and never
/// after it was deleted.
pub(super) fn take_card(
    state: &SimState,
    order: &OrderCreateRequest,
    order_id: &str,
) -> Result<Option<OrderCard>, Reply> {
    let Some(methods) = &order.pay_methods else {
        return Ok(None);
    };
    let method = &methods.pay_method;
    if method.kind != PAY_METHOD_CARD_TOKEN {
        return Ok(None);
    }
    let token = method.value.clone().unwrap_or_default();
    let mut inner = state.lock();
    match order.recurring.as_deref() {
        Some(RECURRING_FIRST) => {
            let card = inner.single_use.remove(&token).ok_or_else(invalid_token)?;
            let multi = card_token("TOKC_");
            inner.card_tokens.insert(
                multi.clone(),
                SimCardToken {
                    card: card.clone(),
                    confirmed: false,
                    deleted: false,
                    first_order: order_id.to_owned(),
                },
            );
            Ok(Some(OrderCard {
                token: multi,
                card,
                first: true,
            }))
        }
        Some(RECURRING_STANDARD) => {
            let held = inner
                .card_tokens
                .get(&token)
                .filter(|t| t.confirmed && !t.deleted)
                .ok_or_else(invalid_token)?;
            let faults = inner.faults.clone();
            let today = chrono::Utc::now().date_naive();
            let expired =
                (held.card.expiry_year, held.card.expiry_month) < (today.year(), today.month());
            if faults.expired_card || expired {
                return Err(error(
                    Status::BadRequest,
                    "ERROR_CARD_EXPIRED",
                    "Card expired",
                ));
            }
            Ok(Some(OrderCard {
                token,
                card: held.card.clone(),
                first: false,
            }))
        }
        _ => Err(error(
            Status::BadRequest,
            "ERROR_VALUE_INVALID",
            "Invalid or missing value: recurring",
        )),
    }
}

/// The answer to an order with a card: FIRST waits for 3-D Secure; STANDARD completes at once,
/// or as the faults say.
pub(super) fn answer_card_order(
    state: &SimState,
    id: &str,
    order: &OrderCreateRequest,
    card: OrderCard,
) -> Reply {
    let faults = state.lock().faults.clone();
    let three_ds = format!("{}/pay/{id}/3ds", state.base_url);
    let (code, redirect) = if card.first || faults.require_3ds {
        ("WARNING_CONTINUE_3DS", Some(three_ds))
    } else if faults.decline {
        change_status(state, id, &[order_status::CANCELED]);
        ("SUCCESS", None)
    } else if faults.slow > 0 {
        change_status(state, id, &[order_status::PENDING]);
        let (state, id) = (state.clone(), id.to_owned());
        let wait = state.minute * faults.slow;
        rocket::tokio::spawn(async move {
            rocket::tokio::time::sleep(wait).await;
            change_status(&state, &id, &[order_status::COMPLETED]);
        });
        ("SUCCESS", None)
    } else {
        change_status(state, id, &[order_status::PENDING, order_status::COMPLETED]);
        ("SUCCESS", None)
    };
    let pay_methods = card.first.then(|| PayMethods {
        pay_method: PayMethod {
            kind: PAY_METHOD_CARD_TOKEN.into(),
            value: Some(card.token.clone()),
            card: Some(card_data(&card.card)),
        },
    });
    let mut reply = json_reply(
        if redirect.is_some() {
            Status::Found
        } else {
            Status::Ok
        },
        &OrderCreateResponse {
            status: StatusInfo {
                status_code: code.into(),
                status_desc: None,
            },
            redirect_uri: redirect.clone(),
            order_id: Some(id.to_owned()),
            ext_order_id: Some(order.ext_order_id.clone()),
            pay_methods,
        },
    );
    if let Some(location) = redirect {
        reply.headers.push(("Location", location));
    }
    reply
}

/// The stand-in for PayU's Secure Form: the buyer types a test card here, never at e-BOK.
/// `back` is where the single-use token goes (as `?token=TOK_…`).
#[get("/sim/karta?<back>")]
pub(super) fn card_form(back: Option<&str>) -> Reply {
    let back = escape(back.unwrap_or(""));
    html(
        Status::Ok,
        format!(
            "<h1>PayU — karta (lokalny serwer testowy)</h1>\
             <p>Karty testowe: 4444333322221111 (Visa), 5353100000000007 (Mastercard).</p>\
             <form method=\"post\" action=\"/sim/karta\">\
             <input type=\"hidden\" name=\"back\" value=\"{back}\">\
             <label>Numer karty <input name=\"number\" inputmode=\"numeric\" autocomplete=\"cc-number\"></label>\
             <label>Ważna do (MM/RR) <input name=\"expiry\" autocomplete=\"cc-exp\"></label>\
             <label>CVV <input name=\"cvv\" inputmode=\"numeric\" autocomplete=\"cc-csc\"></label>\
             <button type=\"submit\">Zapisz kartę</button></form>"
        ),
    )
}

#[derive(Debug, FromForm)]
pub(super) struct CardFields {
    #[field(default = "")]
    number: String,
    #[field(default = "")]
    expiry: String,
    #[field(default = "")]
    cvv: String,
    #[field(default = "")]
    back: String,
}

fn luhn(digits: &str) -> bool {
    let mut sum = 0;
    for (i, c) in digits.chars().rev().enumerate() {
        let Some(mut d) = c.to_digit(10) else {
            return false;
        };
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

/// Checks a test card and gives its single-use token.
pub(super) fn tokenize(
    number: &str,
    expiry: &str,
    cvv: &str,
) -> Result<(String, SimCard), &'static str> {
    let number: String = number.chars().filter(|c| !c.is_whitespace()).collect();
    if !(13..=19).contains(&number.len()) || !luhn(&number) {
        return Err("Nieprawidłowy numer karty.");
    }
    let brand = match number.chars().next() {
        Some('4') => "VISA",
        Some('5') | Some('2') => "MASTERCARD",
        _ => return Err("Nieobsługiwana karta."),
    };
    let (month, year) = expiry
        .trim()
        .split_once('/')
        .and_then(|(m, y)| Some((m.trim().parse::<u32>().ok()?, y.trim().parse::<i32>().ok()?)))
        .filter(|(m, _)| (1..=12).contains(m))
        .ok_or("Nieprawidłowa data ważności (MM/RR).")?;
    let year = if year < 100 { 2000 + year } else { year };
    let today = chrono::Utc::now().date_naive();
    if (year, month) < (today.year(), today.month()) {
        return Err("Karta jest nieważna.");
    }
    if !(3..=4).contains(&cvv.trim().len()) || !cvv.trim().chars().all(|c| c.is_ascii_digit()) {
        return Err("Nieprawidłowy kod CVV.");
    }
    Ok((
        card_token("TOK_"),
        SimCard {
            brand: brand.into(),
            last_four: number[number.len() - 4..].to_owned(),
            expiry_month: month,
            expiry_year: year,
        },
    ))
}

#[post("/sim/karta", data = "<form>")]
pub(super) fn card_submit(
    state: &State<SimState>,
    form: Form<CardFields>,
) -> Result<Redirect, Reply> {
    match tokenize(&form.number, &form.expiry, &form.cvv) {
        Ok((token, card)) => {
            state.lock().single_use.insert(token.clone(), card);
            if form.back.is_empty() {
                return Err(html(
                    Status::Ok,
                    format!("<p>Token: <code id=\"token\">{token}</code></p>"),
                ));
            }
            let separator = if form.back.contains('?') { '&' } else { '?' };
            Ok(Redirect::to(format!(
                "{}{separator}token={token}",
                form.back
            )))
        }
        Err(message) => Err(html(
            Status::UnprocessableEntity,
            format!(
                "<p role=\"alert\">{}</p>{}",
                escape(message),
                card_form(Some(&form.back)).body
            ),
        )),
    }
}

/// PayU's Secure Form SDK as the local server serves it (`secure_form.js`): the merchant's
/// page loads it from PayU's origin, as it would `https://secure.payu.com/javascript/sdk`.
#[get("/javascript/sdk")]
pub(super) fn secure_form_sdk() -> Reply {
    Reply {
        status: Status::Ok,
        body: include_str!("secure_form.js").to_owned(),
        content_type: ("application", "javascript"),
        headers: Vec::new(),
    }
}

/// What the SDK stand-in posts when the page calls `tokenize`.
#[derive(Debug, serde::Deserialize)]
struct TokenizeRequest {
    #[serde(rename = "posId")]
    pos_id: String,
    #[serde(rename = "type")]
    kind: String,
    number: String,
    date: String,
    cvv: String,
}

/// The SDK's `tokenize`: a single-use `TOK_` for a valid test card, PayU's error shape
/// otherwise. Called from the merchant's page (another origin), hence the CORS header.
#[post("/sim/tokenize", data = "<body>")]
pub(super) fn secure_form_tokenize(state: &State<SimState>, body: &str) -> Reply {
    let answer = match serde_json::from_str::<TokenizeRequest>(body) {
        Err(_) => Err("Nieprawidłowe żądanie."),
        Ok(request) if request.pos_id != *state.pos_id => Err("Nieznany punkt płatności."),
        Ok(request) if !matches!(request.kind.as_str(), "SINGLE" | "MULTI") => {
            Err("Nieznany rodzaj tokenu.")
        }
        Ok(request) => tokenize(&request.number, &request.date, &request.cvv),
    };
    let mut reply = match answer {
        Ok((token, card)) => {
            let mask = format!("{}******{}", bin_of(&card.brand), card.last_four);
            state.lock().single_use.insert(token.clone(), card);
            json_reply(
                Status::Ok,
                &serde_json::json!({ "status": "SUCCESS", "body": { "token": token, "mask": mask } }),
            )
        }
        Err(message) => json_reply(
            Status::Ok,
            &serde_json::json!({ "status": "ERROR", "error": { "messages": [
                { "type": "validation", "code": "error.validation", "message": message }
            ] } }),
        ),
    };
    reply
        .headers
        .push(("Access-Control-Allow-Origin", "*".to_owned()));
    reply
}

#[get("/pay/<id>/3ds")]
pub(super) fn three_ds_page(state: &State<SimState>, id: &str) -> Reply {
    if !state.lock().orders.contains_key(id) {
        return html(
            Status::NotFound,
            "<h1>Nie ma takiego zamówienia</h1>".into(),
        );
    }
    html(
        Status::Ok,
        format!(
            "<h1>3-D Secure (lokalny serwer testowy)</h1><p>Potwierdź płatność kartą w aplikacji banku.</p>\
             <form method=\"post\" action=\"/pay/{id}/3ds/ok\"><button type=\"submit\">Potwierdzam</button></form>\
             <form method=\"post\" action=\"/pay/{id}/3ds/fail\"><button type=\"submit\">Odrzuć</button></form>"
        ),
    )
}

/// The buyer confirmed: the token becomes chargeable and the order completes.
#[post("/pay/<id>/3ds/ok")]
pub(super) fn three_ds_confirm(state: &State<SimState>, id: &str) -> Result<Redirect, Reply> {
    let back = continue_url(state, id)?;
    {
        let mut inner = state.lock();
        for token in inner.card_tokens.values_mut() {
            if token.first_order == id {
                token.confirmed = true;
            }
        }
    }
    change_status(state, id, &[order_status::PENDING, order_status::COMPLETED]);
    Ok(Redirect::to(back))
}

#[post("/pay/<id>/3ds/fail")]
pub(super) fn three_ds_fail(state: &State<SimState>, id: &str) -> Result<Redirect, Reply> {
    let back = continue_url(state, id)?;
    change_status(state, id, &[order_status::CANCELED]);
    let separator = if back.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(format!("{back}{separator}error=501")))
}
