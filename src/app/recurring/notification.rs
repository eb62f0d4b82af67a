//! PayU's notifications about the orders of this room: a card's registration (FIRST) and the
//! charges of periods (STANDARD). Called by `online_payments::notification` after the signature
//! was checked, in its transaction. Every change is conditional on the state it leaves, so a
//! repeated, reordered or late notification changes nothing twice.

use chrono::{NaiveDate, NaiveDateTime};

use super::charge::{complete, fail};
use super::{RecurringError, Settings};
use crate::app::mail_queue::Outgoing;
use crate::db::{self, DbConn};
use crate::domain::recurring::CardStatus;
use crate::payu::wire::{OrderInfo, order_status};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    /// A card registration moved (activated or failed).
    Card { card_id: i64, changed: bool },
    /// A charge was paid or failed by this notification, or nothing changed (`changed` false).
    Charge { charge_id: i64, changed: bool },
}

/// None when the order is not one of ours here.
pub fn process(
    conn: &mut DbConn,
    outgoing: &Option<Outgoing<'_>>,
    reported: &OrderInfo,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<Option<Handled>, RecurringError> {
    let ext = reported.ext_order_id.as_deref();
    let card = match db::recurring::card_by_payu_order(conn, &reported.order_id)? {
        Some(card) => Some(card),
        None => match ext {
            Some(ext) => db::recurring::card_by_ext_order(conn, ext)?,
            None => None,
        },
    };
    if let Some(card) = card {
        // The order must be the one the card's registration placed.
        if card.payu_order_id.as_deref() != Some(reported.order_id.as_str())
            && card.ext_order_id.as_str() != ext.unwrap_or_default()
        {
            return Ok(Some(Handled::Card {
                card_id: card.id,
                changed: false,
            }));
        }
        let changed = match reported.status.as_str() {
            order_status::COMPLETED if card.token.is_some() => db::recurring::set_card_status(
                conn,
                card.id,
                &[CardStatus::Pending],
                CardStatus::Active,
                now,
            )?,
            order_status::CANCELED => db::recurring::set_card_status(
                conn,
                card.id,
                &[CardStatus::Pending],
                CardStatus::Failed,
                now,
            )?,
            _ => false,
        };
        return Ok(Some(Handled::Card {
            card_id: card.id,
            changed,
        }));
    }
    let Some(charge) = db::recurring::charge_by_order(conn, &reported.order_id, ext)? else {
        return Ok(None);
    };
    let unchanged = Ok(Some(Handled::Charge {
        charge_id: charge.id,
        changed: false,
    }));
    // Only the attempt in progress counts, for the amount it asked.
    let current = charge.ext_order_id.as_deref() == ext
        || charge.payu_order_id.as_deref() == Some(reported.order_id.as_str());
    if !current || reported.total_amount.trim() != charge.amount.to_string() {
        tracing::warn!(charge = charge.id, order = %reported.order_id, "PayU notification about another attempt or amount; ignored");
        return unchanged;
    }
    let changed = match reported.status.as_str() {
        order_status::COMPLETED => {
            complete(conn, outgoing, charge.id, &reported.order_id, today, now)?
        }
        order_status::CANCELED => fail(
            conn,
            outgoing,
            &Settings::from_env(),
            charge.id,
            charge.attempts,
            "declined",
            Some(&reported.order_id),
            today,
            now,
        )?
        .is_some(),
        _ => false,
    };
    Ok(Some(Handled::Charge {
        charge_id: charge.id,
        changed,
    }))
}
