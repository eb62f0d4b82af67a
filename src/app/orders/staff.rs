//! Orders as staff see them (`/staff/zamowienia`): the newest orders with their PayU state, and
//! the fulfilment queue of paid orders that need people (an installation, a device to send, a
//! domain at the registry). Staff move an order waiting → in progress → done; "done" puts the
//! lines that waited for people into effect (once: each line's activation is conditional).
//!
//! Refunds of paid orders (chosen lines back through PayU, with a correction) are in `refund`;
//! each order here carries its refunds and their PayU state.

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::paid::{PaidError, activate};
use crate::app::audit::{self, Actor};
use crate::app::crypto::{SecretBox, SecretKind};
use crate::db::orders::ShopOrder;
use crate::db::{self, DbConn};
use crate::domain::StoredWord;
use crate::domain::online_payment::OrderState;
use crate::domain::orders::Fulfilment;

const RECENT: i64 = 100;

#[derive(Debug, Clone, serde::Serialize)]
pub struct StaffOrder {
    pub order: ShopOrder,
    pub number: String,
    pub customer_number: i64,
    /// The newest PayU payment's state and flag, if any attempt reached PayU.
    pub payu_state: Option<OrderState>,
    pub payu_order_id: Option<String>,
    pub flag: Option<String>,
    pub lines: Vec<db::orders::OrderLine>,
    pub refunds: Vec<db::refunds::PayuRefund>,
    /// Paid through PayU, invoiced, with a line not given back yet.
    pub refundable: bool,
    /// The AuthInfo codes of domain transfers still to do, opened for staff (line id → code).
    pub auth_codes: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Desk {
    pub queue: Vec<StaffOrder>,
    pub recent: Vec<StaffOrder>,
}

fn staff_order(
    conn: &mut DbConn,
    secrets: &SecretBox,
    (order, customer_number): (ShopOrder, i64),
) -> diesel::QueryResult<StaffOrder> {
    let payment = match db::orders::payments_of_order(conn, order.id)?.first() {
        Some(id) => db::online_payments::find(conn, *id)?,
        None => None,
    };
    let lines = db::orders::lines_of(conn, order.id)?;
    let refundable = order.invoice_id.is_some()
        && payment
            .as_ref()
            .is_some_and(|p| p.state == OrderState::Completed)
        && lines.iter().any(|l| l.refund_correction_id.is_none());
    let auth_codes = lines
        .iter()
        .filter_map(|line| Some((line.id, line.auth_code.as_deref()?)))
        .map(|(id, stored)| {
            let code = if SecretBox::is_sealed(stored) {
                secrets
                    .open(SecretKind::DomainAuthCode, stored)
                    .unwrap_or_else(|_| "?".into())
            } else {
                // Written before codes were sealed.
                stored.to_owned()
            };
            (id.to_string(), code)
        })
        .collect();
    Ok(StaffOrder {
        number: super::number(order.id),
        auth_codes,
        lines,
        refundable,
        refunds: db::refunds::payu_of_order(conn, order.id)?,
        customer_number,
        payu_state: payment.as_ref().map(|p| p.state),
        payu_order_id: payment.as_ref().and_then(|p| p.payu_order_id.clone()),
        flag: payment.and_then(|p| p.flag),
        order,
    })
}

pub fn desk(conn: &mut DbConn, secrets: &SecretBox) -> diesel::QueryResult<Desk> {
    let mut queue = Vec::new();
    for row in db::orders::fulfilment_queue(conn)? {
        queue.push(staff_order(conn, secrets, row)?);
    }
    let mut recent = Vec::new();
    for row in db::orders::recent_with_customer(conn, RECENT)? {
        recent.push(staff_order(conn, secrets, row)?);
    }
    Ok(Desk { queue, recent })
}

#[derive(Debug, thiserror::Error)]
pub enum AdvanceError {
    /// Not paid, not in the queue, or moved by someone else meanwhile.
    #[error("the order is not waiting for this step")]
    NotWaiting,
    #[error("the note is longer than 500 characters")]
    NoteTooLong,
    #[error(transparent)]
    Activation(#[from] PaidError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Takes the order's next fulfilment step; at "done" the lines that needed people take effect.
pub fn advance(
    conn: &mut DbConn,
    id: i64,
    note: &str,
    actor: &Actor,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<Fulfilment, AdvanceError> {
    let note = note.trim();
    if note.chars().count() > 500 {
        return Err(AdvanceError::NoteTooLong);
    }
    let order = db::orders::find_order(conn, id)?.ok_or(AdvanceError::NotWaiting)?;
    let from = order.fulfilment;
    let to = from.next().ok_or(AdvanceError::NotWaiting)?;
    let note = (!note.is_empty()).then_some(note);
    if !db::orders::move_fulfilment(conn, id, from, to, note, now)? {
        return Err(AdvanceError::NotWaiting);
    }
    if to == Fulfilment::Done {
        for line in db::orders::lines_of(conn, id)? {
            activate(conn, &order, &line, today, now)?;
        }
        // The transfer is done: its code is of no further use to anyone here.
        db::orders::forget_auth_codes(conn, id)?;
    }
    audit::record(
        conn,
        actor,
        "order_fulfilment",
        json!({ "order": id, "from": from.as_str(), "to": to.as_str(), "note": note }),
        now,
    )?;
    Ok(to)
}
