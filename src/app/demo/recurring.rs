//! A generated subscriber (the first, `klient3`) who pays automatically by card: a card
//! registered through PayU (the local PayU server always knows its token,
//! `sim::payu::DEMO_CARD_TOKEN`) and automatic payment turned on for their contract through
//! the same path a subscriber takes, consent to the terms included. The card pays from the
//! contract's first 30-day period after the months already invoiced. Added once, and only when
//! the demo has generated subscribers.

use crate::domain::ContractStatus;
use chrono::{NaiveDate, NaiveDateTime};

use super::{DemoError, FIXED_CUSTOMERS};
use crate::app::recurring::mandates::{self, EnableRequest};
use crate::db::recurring::NewCard;
use crate::db::{self, DbConn};
use crate::domain::recurring::CardStatus;
use crate::sim::payu::DEMO_CARD_TOKEN;

/// The login of the subscriber paying by card.
pub fn login() -> String {
    format!("klient{}", FIXED_CUSTOMERS + 1)
}

pub fn seed(conn: &mut DbConn, today: NaiveDate, now: NaiveDateTime) -> Result<(), DemoError> {
    let Some(account) = db::accounts::find_by_login_key(conn, &login())? else {
        return Ok(());
    };
    let customer_id = account.customer_id;
    if !db::recurring::cards_of_customer(conn, customer_id)?.is_empty() {
        return Ok(());
    }
    let Some((contract, _)) = db::contracts::of_customer(conn, customer_id)?
        .into_iter()
        .find(|(c, _)| c.status == ContractStatus::Active)
    else {
        return Ok(());
    };
    let card_id = db::recurring::insert_card(
        conn,
        &NewCard {
            customer_id,
            token: Some(DEMO_CARD_TOKEN.into()),
            brand: "VISA".into(),
            last_four: "1111".into(),
            expiry_month: 12,
            expiry_year: 2030,
            status: CardStatus::Active,
            ext_order_id: format!("ebok-demo-card-{customer_id}"),
            payu_order_id: None,
            created_at: now,
            updated_at: now,
        },
    )?;
    mandates::enable(
        conn,
        &EnableRequest {
            customer_id,
            account_id: account.id,
            contract_id: contract.id,
            card_id,
            terms_accepted: true,
            ip: None,
            today,
            now,
        },
    )
    .map_err(|e| DemoError::Orders(format!("automatic payment of the demo subscriber: {e}")))?;
    Ok(())
}
