//! Statutory interest for late payment ("odsetki ustawowe"), exact to the grosz.
//!
//! - Consumers: "odsetki ustawowe za opóźnienie", art. 481 § 2 k.c.: NBP reference rate + 5.5 pp.
//! - Businesses: "odsetki ustawowe za opóźnienie w transakcjach handlowych", ustawa o
//!   przeciwdziałaniu nadmiernym opóźnieniom w transakcjach handlowych, art. 4 pkt 3: reference
//!   rate + 10 pp.
//!
//! Simple interest, split at every change of rate: Σ principal × rate × days / days in the year.
//! Days run from the day after the due date (moved to the next working day when it falls on a
//! Saturday, Sunday or public holiday, art. 115 k.c.) to the payment day, both included. The
//! divisor is 365, or 366 for days of a leap year (court practice, as the reference states), so a
//! period is split at the turn of a year as well. The exact parts are added and the sum is
//! rounded half-up to the grosz once, as the reference's worked example does (3,1233 + 4,0548 =
//! 7,1781 → 7,18 zł, where rounding each part first would give 7,17); each part also carries its
//! own rounded amount for display.

use chrono::{Datelike, Duration, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

use super::Money;
use super::holidays::working_day_on_or_after;

super::words::stored_words!(
    /// Which statutory rate a debtor owes (stored on dunning steps and interest notes).
    InterestKind {
        /// "Za opóźnienie": a consumer (no NIP).
        Consumer = "consumer",
        /// "W transakcjach handlowych": a business.
        Commercial = "commercial",
    }
);

/// The rates in force from `valid_from` until the next entry, in basis points (925 = 9.25 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RatePeriod {
    pub valid_from: NaiveDate,
    pub reference_bp: i64,
    pub consumer_bp: i64,
    pub commercial_bp: i64,
}

impl RatePeriod {
    pub fn rate_bp(&self, kind: InterestKind) -> i64 {
        match kind {
            InterestKind::Consumer => self.consumer_bp,
            InterestKind::Commercial => self.commercial_bp,
        }
    }
}

/// The dated rate table, ordered by the day each rate starts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateTable {
    periods: Vec<RatePeriod>,
}

impl RateTable {
    pub fn new(mut periods: Vec<RatePeriod>) -> RateTable {
        periods.sort_by_key(|p| p.valid_from);
        periods.dedup_by_key(|p| p.valid_from);
        RateTable { periods }
    }

    pub fn periods(&self) -> &[RatePeriod] {
        &self.periods
    }

    /// The rate period in force on `day`.
    pub fn on(&self, day: NaiveDate) -> Option<&RatePeriod> {
        self.periods.iter().rev().find(|p| p.valid_from <= day)
    }

    /// The first day after `day` on which another rate starts.
    fn next_change_after(&self, day: NaiveDate) -> Option<NaiveDate> {
        self.periods
            .iter()
            .map(|p| p.valid_from)
            .find(|from| *from > day)
    }
}

/// One stretch of days at one rate within one calendar year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InterestPart {
    pub from: NaiveDate,
    /// The last day of the stretch, included.
    pub to: NaiveDate,
    pub days: i64,
    pub rate_bp: i64,
    /// 365 or 366.
    pub year_days: i64,
    /// Before rounding, in złoty.
    #[serde(skip)]
    pub exact: Decimal,
    pub amount: Money,
}

/// Interest owed on a principal for a period of delay.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Interest {
    pub parts: Vec<InterestPart>,
    pub total: Money,
}

impl Interest {
    /// The sum of the parts before rounding, in złoty.
    pub fn exact(&self) -> Decimal {
        self.parts.iter().map(|p| p.exact).sum()
    }

    pub fn days(&self) -> i64 {
        self.parts.iter().map(|p| p.days).sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InterestError {
    #[error("no statutory interest rate is known for {0}")]
    NoRate(NaiveDate),
}

/// The first day of delay: the day after the due date, which moves to the next working day
/// when it falls on a Saturday, Sunday or public holiday (art. 115 k.c.).
pub fn first_day_of_delay(due_date: NaiveDate) -> NaiveDate {
    working_day_on_or_after(due_date) + Duration::days(1)
}

/// Statutory interest on `principal` left unpaid after `due_date`, for every day up to and
/// including `until` (the payment day, or today for interest so far). Nothing when the payment
/// came in time or the principal is not positive.
pub fn statutory_interest(
    principal: Money,
    due_date: NaiveDate,
    until: NaiveDate,
    kind: InterestKind,
    rates: &RateTable,
) -> Result<Interest, InterestError> {
    interest_for_days(principal, first_day_of_delay(due_date), until, kind, rates)
}

/// Interest for the days `from..=to`, split at rate changes and turns of the year.
pub fn interest_for_days(
    principal: Money,
    from: NaiveDate,
    to: NaiveDate,
    kind: InterestKind,
    rates: &RateTable,
) -> Result<Interest, InterestError> {
    if principal <= Money::zero() || to < from {
        return Ok(Interest::default());
    }
    let mut parts = Vec::new();
    let mut start = from;
    while start <= to {
        let period = rates.on(start).ok_or(InterestError::NoRate(start))?;
        let year_end = NaiveDate::from_ymd_opt(start.year(), 12, 31).unwrap_or(to);
        let mut end = to.min(year_end);
        if let Some(change) = rates.next_change_after(start) {
            end = end.min(change - Duration::days(1));
        }
        let days = (end - start).num_days() + 1;
        let year_days = if is_leap_year(start.year()) { 366 } else { 365 };
        let rate_bp = period.rate_bp(kind);
        // principal (zł) × rate (bp / 10 000) × days / year: one division, after the products,
        // keeps the result exact to Decimal's 28 digits.
        let exact = principal.to_decimal() * Decimal::from(rate_bp) * Decimal::from(days)
            / (Decimal::from(10_000) * Decimal::from(year_days));
        let amount = Money::from_decimal_half_up(exact).unwrap_or(Money::zero());
        parts.push(InterestPart {
            from: start,
            to: end,
            days,
            rate_bp,
            year_days,
            exact,
            amount,
        });
        match end.succ_opt() {
            Some(next) => start = next,
            None => break,
        }
    }
    let exact: Decimal = parts.iter().map(|p| p.exact).sum();
    let total = Money::from_decimal_half_up(exact).unwrap_or(Money::zero());
    Ok(Interest { parts, total })
}

fn is_leap_year(year: i32) -> bool {
    NaiveDate::from_ymd_opt(year, 2, 29).is_some()
}

#[cfg(test)]
mod tests;
