//! Cards: registered through PayU (the number is typed at PayU's form, e-BOK gets a single-use
//! `TOK_`, a FIRST order with 3-D Secure turns it into the multi-use `TOKC_`), listed, removed
//! (the token deleted at PayU). A card is always looked up with the signed-in customer's id, so
//! another customer's card, or its token, is never usable.

use crate::domain::CustomerId;
use chrono::NaiveDateTime;

use super::{PAGE, RecurringError, with_db};
use crate::app::online_payments::Gateway;
use crate::db::recurring::{Card, NewCard};
use crate::db::{self, Pool};
use crate::domain::online_payment::CURRENCY;
use crate::domain::recurring::CardStatus;
use crate::payu::wire::{
    Buyer, CardData, OrderCreateRequest, PayMethod, PayMethods, Product, RECURRING_FIRST,
    order_status,
};

/// What the page embedding PayU's Secure Form needs: PayU's SDK (from the configured PayU's
/// origin: `https://secure.payu.com/javascript/sdk`, the sandbox's, or the local server's) and
/// the POS it tokenises for.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SecureForm {
    pub sdk_url: String,
    pub pos_id: String,
}

pub fn secure_form(gateway: &Gateway) -> SecureForm {
    SecureForm {
        sdk_url: format!(
            "{}/javascript/sdk",
            gateway.client.base_url().trim_end_matches('/')
        ),
        pos_id: gateway.client.pos_id().to_owned(),
    }
}

/// A single-use token as PayU's form gives it: `TOK_` and letters or digits, nothing else.
pub fn is_single_use_token(token: &str) -> bool {
    token.strip_prefix("TOK_").is_some_and(|rest| {
        !rest.is_empty() && rest.len() <= 64 && rest.chars().all(|c| c.is_ascii_alphanumeric())
    })
}

fn card_fields(card: Option<&CardData>) -> Option<(String, String, i32, i32)> {
    let card = card?;
    Some((
        card.card_brand.clone(),
        card.last_four(),
        card.card_expiration_month.parse().unwrap_or(0),
        card.card_expiration_year.parse().unwrap_or(0),
    ))
}

/// Registers a card: a FIRST order of 0 zł with the single-use token. Returns where to send the
/// subscriber for 3-D Secure, and the card's id.
pub async fn start_registration(
    pool: &Pool,
    gateway: &Gateway,
    customer_id: CustomerId,
    account_id: i64,
    single_use_token: &str,
    customer_ip: &str,
    now: NaiveDateTime,
) -> Result<(i64, Option<String>), RecurringError> {
    if !is_single_use_token(single_use_token) {
        return Err(RecurringError::BadToken);
    }
    let gateway_for_db = gateway.clone();
    let token = single_use_token.to_owned();
    let ip = customer_ip.to_owned();
    let (card_id, request) = with_db(pool, move |conn| {
        let customer = db::customers::find(conn, customer_id)?.ok_or(RecurringError::NoContract)?;
        let account = db::accounts::find(conn, account_id)?;
        let random: String = crate::app::crypto::random_token()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(12)
            .collect();
        let ext_order_id = format!("EBOK-K-{}-{random}", customer.customer_number);
        let card_id = db::recurring::insert_card(
            conn,
            &NewCard {
                customer_id,
                token: None,
                brand: String::new(),
                last_four: String::new(),
                expiry_month: 0,
                expiry_year: 0,
                status: CardStatus::Pending,
                ext_order_id: ext_order_id.clone(),
                payu_order_id: None,
                created_at: now,
                updated_at: now,
            },
        )?;
        let description = "Rejestracja karty do płatności automatycznych".to_owned();
        let request = OrderCreateRequest {
            notify_url: gateway_for_db.notify_url.clone(),
            continue_url: format!("{}{PAGE}/karta/{card_id}", gateway_for_db.public_url),
            customer_ip: ip,
            merchant_pos_id: gateway_for_db.client.pos_id().to_owned(),
            description: description.clone(),
            currency_code: CURRENCY.into(),
            // Storing a card is a FIRST order of 0: card-scheme rules forbid charge-then-cancel.
            total_amount: "0".into(),
            ext_order_id,
            validity_time: None,
            buyer: Some(Buyer {
                email: account.map(|a| a.email).unwrap_or(customer.email),
                phone: None,
                first_name: customer.first_name,
                last_name: customer.last_name,
                language: None,
                ext_customer_id: Some(customer.customer_number.to_string()),
            }),
            products: vec![Product {
                name: description,
                unit_price: "0".into(),
                quantity: "1".into(),
            }],
            pay_methods: Some(PayMethods {
                pay_method: PayMethod::card_token(&token),
            }),
            recurring: Some(RECURRING_FIRST.into()),
        };
        Ok((card_id, request))
    })
    .await?;
    match gateway.client.create_card_order(&request).await {
        Ok(order) => {
            let redirect = order.redirect_uri.clone();
            with_db(pool, move |conn| {
                let fields = card_fields(order.card.as_ref());
                db::recurring::set_card_order(
                    conn,
                    card_id,
                    &order.order_id,
                    order.token.as_deref(),
                    fields
                        .as_ref()
                        .map(|(b, l, m, y)| (b.as_str(), l.as_str(), *m, *y)),
                    now,
                )?;
                Ok(())
            })
            .await?;
            Ok((card_id, redirect))
        }
        Err(error) => {
            tracing::warn!(card = card_id, %error, "PayU did not take a card registration");
            with_db(pool, move |conn| {
                db::recurring::set_card_status(
                    conn,
                    card_id,
                    &[CardStatus::Pending],
                    CardStatus::Failed,
                    now,
                )?;
                Ok(())
            })
            .await?;
            Err(RecurringError::Payu(error))
        }
    }
}

/// After 3-D Secure: asks PayU about the registration order and activates the card once it is
/// completed (the notification may have done so already). Returns the card as it stands.
pub async fn finish_registration(
    pool: &Pool,
    gateway: &Gateway,
    customer_id: CustomerId,
    card_id: i64,
    now: NaiveDateTime,
) -> Result<Card, RecurringError> {
    let card = with_db(pool, move |conn| {
        db::recurring::card_of_customer(conn, customer_id, card_id)?.ok_or(RecurringError::NoCard)
    })
    .await?;
    let (true, Some(order_id)) = (
        card.status == CardStatus::Pending,
        card.payu_order_id.clone(),
    ) else {
        return Ok(card);
    };
    let order = gateway.client.order(&order_id).await?;
    let next = match order.status.as_str() {
        order_status::COMPLETED => CardStatus::Active,
        order_status::CANCELED => CardStatus::Failed,
        _ => return Ok(card),
    };
    with_db(pool, move |conn| {
        if card.token.is_some() || next == CardStatus::Failed {
            db::recurring::set_card_status(conn, card_id, &[CardStatus::Pending], next, now)?;
        }
        db::recurring::card_of_customer(conn, customer_id, card_id)?.ok_or(RecurringError::NoCard)
    })
    .await
}

/// Removes a card no automatic payment uses, and deletes its token at PayU.
pub async fn remove(
    pool: &Pool,
    gateway: Option<&Gateway>,
    customer_id: CustomerId,
    card_id: i64,
    now: NaiveDateTime,
) -> Result<(), RecurringError> {
    let token = with_db(pool, move |conn| {
        db::write_transaction(conn, |conn| {
            let card = db::recurring::card_of_customer(conn, customer_id, card_id)?
                .filter(|c| c.status != CardStatus::Removed)
                .ok_or(RecurringError::NoCard)?;
            if db::recurring::open_mandates_with_card(conn, card.id)? > 0 {
                return Err(RecurringError::CardInUse);
            }
            db::recurring::set_card_status(
                conn,
                card.id,
                &[CardStatus::Pending, CardStatus::Active, CardStatus::Failed],
                CardStatus::Removed,
                now,
            )?;
            Ok(card.token)
        })
    })
    .await?;
    if let (Some(token), Some(gateway)) = (token, gateway)
        && let Err(error) = gateway.client.delete_token(&token).await
    {
        // The card is gone for e-BOK either way; PayU's copy is deleted by hand if this fails.
        tracing::warn!(card = card_id, %error, "PayU did not delete a card token");
    }
    Ok(())
}
