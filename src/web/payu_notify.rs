//! `POST /payu/powiadomienia`: PayU's notifications. No session and no CSRF token: PayU signs
//! the body with the POS's second key, and the signature is the only thing trusted. Answers:
//! 200 when processed (also a repeat or a stale status, so PayU stops retrying), 403 for an
//! unsigned or tampered notification, 400 for a body that is not PayU's JSON, 404 for an order
//! we do not know, 500 when the database failed (PayU retries).

use rocket::data::{Data, ToByteUnit};
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::{Route, State, post, routes};

use crate::app::online_payments::notification::{self, NotificationError};
use crate::app::{App, clock};
use crate::web::client_ip::Client;

pub fn routes() -> Vec<Route> {
    routes![notify]
}

/// `OpenPayu-Signature` (or `X-OpenPayU-Signature`; header names are case-insensitive).
pub struct PayuSignature(Option<String>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for PayuSignature {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        let headers = request.headers();
        Outcome::Success(PayuSignature(
            headers
                .get_one("OpenPayu-Signature")
                .or_else(|| headers.get_one("X-OpenPayU-Signature"))
                .map(str::to_owned),
        ))
    }
}

#[post("/payu/powiadomienia", data = "<data>")]
async fn notify(
    data: Data<'_>,
    signature: PayuSignature,
    app: &State<App>,
    client: Client,
) -> (Status, &'static str) {
    let Some(gateway) = app.gateway() else {
        return (Status::NotFound, "online payments are off");
    };
    let body = match data.open(64.kibibytes()).into_bytes().await {
        Ok(body) if body.is_complete() => body.into_inner(),
        _ => return (Status::PayloadTooLarge, "too large"),
    };
    let key = gateway.second_key.clone();
    let (today, now) = (clock::today(), clock::now());
    // A paid catalogue order is invoiced in the notification's transaction; the outbox and the
    // KSeF sender are woken after it (`cx.invoicing()`).
    let outcome = app
        .visitor(&client.0)
        .attempt(move |conn, cx| {
            notification::process(
                conn,
                &cx.invoicing(),
                &key,
                signature.0.as_deref(),
                &body,
                today,
                now,
            )
        })
        .await
        .map(|((), outcome)| outcome);
    match outcome {
        Ok(Ok(outcome)) => {
            tracing::info!(?outcome, "PayU notification");
            (Status::Ok, "OK")
        }
        Ok(Err(NotificationError::Signature(error))) => {
            tracing::warn!(%error, "PayU notification refused");
            (Status::Forbidden, "bad signature")
        }
        Ok(Err(NotificationError::Unreadable(error))) => {
            tracing::warn!(%error, "PayU notification unreadable");
            (Status::BadRequest, "unreadable")
        }
        Ok(Err(NotificationError::UnknownOrder)) => {
            tracing::warn!("PayU notification for an order we do not know");
            (Status::NotFound, "unknown order")
        }
        Ok(Err(error)) => {
            tracing::error!(%error, "PayU notification not processed; PayU will retry");
            (Status::InternalServerError, "retry")
        }
        Err(error) => {
            tracing::error!(%error, "PayU notification not processed; PayU will retry");
            (Status::InternalServerError, "retry")
        }
    }
}
