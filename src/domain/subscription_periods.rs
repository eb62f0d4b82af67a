//! "This service's subscription for this billing period is invoiced": one fact, recorded by every
//! path that issues a subscription line (the billing run, staff by hand, the demo, and later
//! orders and recurring card payments) and checked by each of them in the same transaction.
//! The database holds it with a unique index on (service, period) among the facts in force, so
//! a race between two issuers fails instead of billing twice.
//!
//! A contract's subscription is the monthly fees of its services, so the fact per service makes
//! a second subscription line for the same contract and period impossible, and still lets staff
//! invoice one service of a contract by hand while the run bills the others.
//!
//! A corrective invoice that cancels a service's subscription line (removes it, or brings it to
//! zero) frees the period; a partial correction (a lower price) does not.

use std::collections::HashSet;

use crate::domain::billing::BillingPeriod;

/// A service's subscription fee for one billing period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SubscriptionPeriod {
    pub service_id: i64,
    pub period: BillingPeriod,
}

/// Which path issued the invoice that holds the fact (shown to staff before a run).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoicedBy {
    BillingRun,
    Manual,
    Demo,
    /// Invoices issued before e-BOK recorded the fact, found by the migration.
    Earlier,
}

impl InvoicedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            InvoicedBy::BillingRun => "billing_run",
            InvoicedBy::Manual => "manual",
            InvoicedBy::Demo => "demo",
            InvoicedBy::Earlier => "earlier",
        }
    }

    pub fn parse(text: &str) -> Option<InvoicedBy> {
        [
            InvoicedBy::BillingRun,
            InvoicedBy::Manual,
            InvoicedBy::Demo,
            InvoicedBy::Earlier,
        ]
        .into_iter()
        .find(|by| by.as_str() == text)
    }
}

/// The subscriptions among `requested` that are invoiced already (in `in_force`), in the order
/// requested.
pub fn already_invoiced(
    requested: &[SubscriptionPeriod],
    in_force: &[SubscriptionPeriod],
) -> Vec<SubscriptionPeriod> {
    let taken: HashSet<&SubscriptionPeriod> = in_force.iter().collect();
    requested
        .iter()
        .filter(|s| taken.contains(s))
        .copied()
        .collect()
}

/// Of the services whose subscription the corrected invoice holds, those a correction frees:
/// no line of the service with a positive amount is left after it. `after` is the corrected
/// lines as (service id, gross grosze).
pub fn freed_by_correction(held: &[i64], after: &[(Option<i64>, i64)]) -> Vec<i64> {
    let still_billed: HashSet<i64> = after
        .iter()
        .filter(|(_, gross)| *gross > 0)
        .filter_map(|(service, _)| *service)
        .collect();
    held.iter()
        .filter(|service| !still_billed.contains(service))
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(service_id: i64, period: &str) -> SubscriptionPeriod {
        SubscriptionPeriod {
            service_id,
            period: BillingPeriod::parse(period).unwrap(),
        }
    }

    #[test]
    fn a_period_invoiced_by_any_path_is_taken_for_every_other() {
        let taken = already_invoiced(
            &[sub(1, "2026-12"), sub(2, "2026-12"), sub(1, "2027-01")],
            &[sub(1, "2026-12"), sub(3, "2026-12")],
        );
        assert_eq!(taken, vec![sub(1, "2026-12")]);
    }

    #[test]
    fn a_cancelled_line_frees_the_period_and_a_lowered_one_does_not() {
        let after = [(Some(1), 0), (Some(2), 1999), (None, 500)];
        assert_eq!(freed_by_correction(&[1, 2, 3], &after), vec![1, 3]);
    }

    #[test]
    fn sources_round_trip() {
        for by in [
            InvoicedBy::BillingRun,
            InvoicedBy::Manual,
            InvoicedBy::Demo,
            InvoicedBy::Earlier,
        ] {
            assert_eq!(InvoicedBy::parse(by.as_str()), Some(by));
        }
        assert_eq!(InvoicedBy::parse("x"), None);
    }
}
