//! Recording and freeing "this service's subscription for this period is invoiced" inside the
//! issuing transaction (the rule: `domain::subscription_periods`). Every issuing path calls
//! [`record`]; the unique index turns a lost race into [`IssueError::AlreadyInvoiced`].

use crate::domain::ContractId;
use crate::domain::InvoiceId;
use std::collections::HashMap;

use chrono::NaiveDateTime;

use super::issue::{IssueError, LineRequest};
use crate::db::subscription_periods::NewSubscriptionPeriod;
use crate::db::{self, DbConn};
use crate::domain::subscription_periods::{
    InvoicedBy, SubscriptionPeriod, already_invoiced, freed_by_correction,
};

/// The subscriptions the lines bill.
pub(crate) fn billed_by(lines: &[LineRequest]) -> Vec<SubscriptionPeriod> {
    lines
        .iter()
        .filter_map(|line| {
            Some(SubscriptionPeriod {
                service_id: line.service_id?,
                period: line.subscription?,
            })
        })
        .collect()
}

/// Records that `invoice_id` invoices the subscriptions its lines bill; refuses (and so rolls
/// the invoice back) when one of them is invoiced already, naming the invoice that holds it.
pub(crate) fn record(
    conn: &mut DbConn,
    invoice_id: InvoiceId,
    subscriptions: &[SubscriptionPeriod],
    by: InvoicedBy,
    now: NaiveDateTime,
) -> Result<(), IssueError> {
    if subscriptions.is_empty() {
        return Ok(());
    }
    let mut by_period: HashMap<String, Vec<i64>> = HashMap::new();
    for s in subscriptions {
        by_period
            .entry(s.period.key())
            .or_default()
            .push(s.service_id);
    }
    for (period, services) in &by_period {
        let held = db::subscription_periods::in_force_for_services(conn, services, period)?;
        let in_force: Vec<SubscriptionPeriod> = held
            .iter()
            .filter_map(|h| {
                Some(SubscriptionPeriod {
                    service_id: h.service_id,
                    period: crate::domain::billing::BillingPeriod::parse(&h.period).ok()?,
                })
            })
            .collect();
        if let Some(taken) = already_invoiced(subscriptions, &in_force).first()
            && let Some(holder) = held.iter().find(|h| h.service_id == taken.service_id)
        {
            return Err(IssueError::AlreadyInvoiced {
                period: period.clone(),
                number: holder.invoice_number.clone().unwrap_or_default(),
            });
        }
    }
    let service_ids: Vec<i64> = subscriptions.iter().map(|s| s.service_id).collect();
    let contracts: HashMap<i64, Option<ContractId>> =
        db::subscription_periods::contracts_of_services(conn, &service_ids)?
            .into_iter()
            .collect();
    let facts: Vec<NewSubscriptionPeriod> = subscriptions
        .iter()
        .map(|s| NewSubscriptionPeriod {
            service_id: s.service_id,
            contract_id: contracts.get(&s.service_id).copied().flatten(),
            period: s.period.key(),
            invoice_id,
            source: by.as_str().into(),
            created_at: now,
            released_by_invoice_id: None,
            released_at: None,
        })
        .collect();
    db::subscription_periods::record(conn, &facts).map_err(|error| {
        if db::is_unique_violation(&error) {
            // Another issuer recorded it between our check and our insert.
            IssueError::AlreadyInvoiced {
                period: facts.first().map(|f| f.period.clone()).unwrap_or_default(),
                number: String::new(),
            }
        } else {
            IssueError::Database(error)
        }
    })
}

/// Frees the periods whose subscription lines the correction `correction_id` cancelled on the
/// invoice `root_id` (the first invoice of the correction chain, which holds the facts).
/// `after` is the corrected lines as (service id, gross grosze).
pub(crate) fn release_cancelled(
    conn: &mut DbConn,
    root_id: InvoiceId,
    correction_id: InvoiceId,
    after: &[(Option<i64>, i64)],
    now: NaiveDateTime,
) -> diesel::QueryResult<usize> {
    let held: Vec<i64> = db::subscription_periods::held_by_invoice(conn, root_id)?
        .into_iter()
        .map(|(service, _)| service)
        .collect();
    let freed = freed_by_correction(&held, after);
    if freed.is_empty() {
        return Ok(0);
    }
    db::subscription_periods::release(conn, root_id, &freed, correction_id, now)
}
