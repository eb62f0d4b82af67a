//! Credit that lapses (a top-up's value): which of the customer's money is still spendable, in
//! which order it is spent, and the lapse itself. The unused part of a lapsed payment is
//! recorded once as expired (`expiring_credits.expired_amount`), so the ledger can show it and
//! what was given always equals what was spent plus what is left plus what lapsed.
//!
//! A lapse is recorded before allocations are ever laid out afresh (`payments::settle`,
//! `payments::reverse_payment`): it is measured against the allocations the credit made while
//! it was valid, and a later re-layout spends exactly that much of it again.

use crate::domain::CustomerId;
use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};

use crate::db::{self, DbConn};
use crate::domain::top_up::{self, CreditSource};

/// One payment's money that settle may lay onto invoices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spendable {
    pub payment_id: i64,
    /// What the payment can pay in all: its amount less what lapsed.
    pub usable: i64,
    pub allocated: i64,
}

impl Spendable {
    pub fn free(&self) -> i64 {
        (self.usable - self.allocated).max(0)
    }
}

/// Records the lapse of every credit of the customer whose last day was before `today`:
/// the part its allocations had not used. Returns the grosze that lapsed now.
pub fn expire_lapsed(
    conn: &mut DbConn,
    customer_id: CustomerId,
    today: NaiveDate,
    now: NaiveDateTime,
) -> diesel::QueryResult<i64> {
    let due: Vec<_> = db::top_ups::expiring_of_customer(conn, customer_id)?
        .into_iter()
        .filter(|c| c.expired_amount.is_none() && top_up::lapsed(c.expires_on, today))
        .collect();
    if due.is_empty() {
        return Ok(0);
    }
    let state: HashMap<i64, (i64, i64)> =
        db::payments::allocation_state_of_customer(conn, customer_id)?
            .into_iter()
            .map(|(id, _, amount, allocated)| (id, (amount, allocated)))
            .collect();
    let mut lapsed = 0;
    for credit in due {
        // A reversed payment is not in the state: nothing of it was credit to lose.
        let unused = state
            .get(&credit.payment_id)
            .map_or(0, |(amount, allocated)| (amount - allocated).max(0));
        if db::top_ups::mark_expired(conn, credit.payment_id, unused, now)? {
            lapsed += unused;
        }
    }
    Ok(lapsed)
}

/// The customer's payments that count, in the order their money is spent (lapsing credit
/// soonest first, then the rest oldest first), each with what it may still pay.
pub fn spendable(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> diesel::QueryResult<Vec<Spendable>> {
    let expiring: HashMap<i64, (NaiveDate, i64)> =
        db::top_ups::expiring_of_customer(conn, customer_id)?
            .into_iter()
            .map(|c| (c.payment_id, (c.expires_on, c.expired_amount.unwrap_or(0))))
            .collect();
    let state = db::payments::allocation_state_of_customer(conn, customer_id)?;
    let mut sources: Vec<CreditSource> = state
        .iter()
        .map(|(id, received_on, _, _)| CreditSource {
            payment_id: *id,
            received_on: *received_on,
            expires_on: expiring.get(id).map(|(day, _)| *day),
        })
        .collect();
    top_up::spending_order(&mut sources);
    let mut spendable: Vec<Spendable> = sources
        .into_iter()
        .filter_map(|source| {
            let (_, _, amount, allocated) =
                state.iter().find(|(id, ..)| *id == source.payment_id)?;
            let expired = expiring
                .get(&source.payment_id)
                .map_or(0, |(_, expired)| *expired);
            Some(Spendable {
                payment_id: source.payment_id,
                usable: (amount - expired).max(0),
                allocated: *allocated,
            })
        })
        .collect();
    // Money refunded on a correction left the ledger: it comes out of the free money, the
    // money spent last first (so a top-up's lapsing bonus is never what was paid back).
    let refunded = db::refunds::total_of_customer(conn, customer_id)?;
    take_refunded(&mut spendable, refunded);
    Ok(spendable)
}

/// Takes `refunded` grosze out of the free money of `spendable` (in spending order), from the
/// end: those payments can pay no more than what is left of them.
fn take_refunded(spendable: &mut [Spendable], refunded: i64) {
    let mut left = refunded.max(0);
    for payment in spendable.iter_mut().rev() {
        if left == 0 {
            break;
        }
        let taken = payment.free().min(left);
        payment.usable -= taken;
        left -= taken;
    }
}

/// The job: records the lapse of credit past its last day for up to `limit` customers, each in
/// its own transaction. Returns how many customers it handled.
pub fn expire_due(
    conn: &mut DbConn,
    today: NaiveDate,
    now: NaiveDateTime,
    limit: i64,
) -> diesel::QueryResult<usize> {
    let customers = db::top_ups::customers_with_lapsed_credit(conn, today, limit)?;
    for customer_id in &customers {
        db::write_transaction(conn, |conn| expire_lapsed(conn, *customer_id, today, now))?;
    }
    Ok(customers.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payment(payment_id: i64, usable: i64, allocated: i64) -> Spendable {
        Spendable {
            payment_id,
            usable,
            allocated,
        }
    }

    #[test]
    fn a_refund_takes_free_money_spent_last_first_and_never_what_paid_invoices() {
        let mut money = vec![payment(1, 5_000, 1_000), payment(2, 3_000, 2_000)];
        take_refunded(&mut money, 2_500);
        // Payment 2 is spent last: its 1 000 free go first, then 1 500 of payment 1's 4 000.
        assert_eq!(money[1].free(), 0);
        assert_eq!(money[0].free(), 2_500);
        assert_eq!(money[0].allocated, 1_000);
        // More refunded than is free: the allocations stay, nothing goes negative.
        take_refunded(&mut money, 9_999);
        assert!(
            money
                .iter()
                .all(|p| p.free() == 0 && p.usable >= p.allocated)
        );
    }
}
