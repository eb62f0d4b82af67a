//! Online payments as staff see them (`/staff/platnosci-online`): the newest orders with their
//! PayU state, and the flagged ones (an amount or currency that differs from the order, money
//! for an order we had cancelled) that wait for someone to look, with the resolution recorded.
//! Nothing here moves money: a flagged payment that should count is booked by hand on the
//! payments page, where it is audited as every manual payment.

use chrono::NaiveDateTime;
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::db::online_payments::OnlinePayment;
use crate::db::{self, DbConn};

/// How many of the newest orders the page lists.
const RECENT: i64 = 100;

#[derive(Debug, Clone, serde::Serialize)]
pub struct StaffOrder {
    pub order: OnlinePayment,
    pub customer_number: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Desk {
    pub flagged: Vec<StaffOrder>,
    pub recent: Vec<StaffOrder>,
}

pub fn desk(conn: &mut DbConn) -> diesel::QueryResult<Desk> {
    let pair = |(order, customer_number)| StaffOrder {
        order,
        customer_number,
    };
    Ok(Desk {
        flagged: db::online_payments::flagged_unresolved(conn)?
            .into_iter()
            .map(pair)
            .collect(),
        recent: db::online_payments::recent_with_customer(conn, RECENT)?
            .into_iter()
            .map(pair)
            .collect(),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error("a resolution must say what was found or done")]
    NoResolution,
    #[error("the resolution is longer than 500 characters")]
    TooLong,
    /// Not flagged, resolved already, or no such order.
    #[error("the order does not wait for a resolution")]
    NotWaiting,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Records what staff found about a flagged order; audited.
pub fn resolve(
    conn: &mut DbConn,
    id: i64,
    resolution: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), ResolveError> {
    let resolution = crate::domain::bank_statement::tidy(resolution);
    if resolution.is_empty() {
        return Err(ResolveError::NoResolution);
    }
    if resolution.chars().count() > 500 {
        return Err(ResolveError::TooLong);
    }
    let order = db::online_payments::find(conn, id)?.ok_or(ResolveError::NotWaiting)?;
    if !db::online_payments::resolve_flag(conn, id, actor.staff_id, &resolution, now)? {
        return Err(ResolveError::NotWaiting);
    }
    let actor = Actor {
        customer_id: Some(order.customer_id),
        ..actor.clone()
    };
    audit::record(
        conn,
        &actor,
        "online_payment_flag_resolved",
        json!({
            "order": id,
            "payu_order_id": order.payu_order_id,
            "flag": order.flag,
            "resolution": resolution,
        }),
        now,
    )?;
    Ok(())
}
