//! Pricing rules of the monthly billing run: billing periods, which services a period bills,
//! discounts, and pro-rata for services that start or end inside the period.
//!
//! The rules, as the ISP's price list states them:
//! - A billing period is a calendar month, written `YYYY-MM`.
//! - A service is billed for the days of the period it is in force: from `activated_on` (or the
//!   first day of the period) to `expires_on` (or the last day of the period), both inclusive.
//!   Suspended services are not billed; ended services only for the days before they ended.
//! - Discounts lower the monthly fee while any day of their window overlaps the billed days:
//!   percentages first (each on the fee left by the previous one), then amounts; never below zero.
//! - Pro-rata: `discounted fee × billed days / days in the month`, rounded half-up to the grosz
//!   (art. 106e ust. 11). A whole month is the full fee exactly, whatever the month's length.
//! - Fees are gross prices (consumers pay the advertised price); a business is invoiced the net
//!   price `gross × 100 / (100 + rate)`, half-up, and VAT is added on the invoice's net sum.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::money::Money;
use super::vat::VatRate;
pub use super::words::ServiceStatus;

#[cfg(test)]
mod tests;

/// A calendar month that one periodic invoice per customer covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BillingPeriod {
    first_day: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("a billing period is written YYYY-MM, e.g. 2026-12")]
    Format,
    #[error("the year of a billing period must be between 2000 and 2099")]
    Year,
    #[error("the month of a billing period must be between 01 and 12")]
    Month,
}

impl BillingPeriod {
    /// Parses `YYYY-MM` (surrounding spaces allowed, nothing else).
    pub fn parse(text: &str) -> Result<BillingPeriod, PeriodError> {
        let text = text.trim();
        let (year, month) = text.split_once('-').ok_or(PeriodError::Format)?;
        let digits =
            |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
        if !digits(year, 4) || !digits(month, 2) {
            return Err(PeriodError::Format);
        }
        let year: i32 = year.parse().map_err(|_| PeriodError::Format)?;
        let month: u32 = month.parse().map_err(|_| PeriodError::Format)?;
        if !(2000..=2099).contains(&year) {
            return Err(PeriodError::Year);
        }
        let first_day = NaiveDate::from_ymd_opt(year, month, 1).ok_or(PeriodError::Month)?;
        Ok(BillingPeriod { first_day })
    }

    /// The period a date falls in.
    pub fn containing(date: NaiveDate) -> BillingPeriod {
        BillingPeriod {
            first_day: date.with_day(1).unwrap_or(date),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        self.first_day
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day.pred_opt().unwrap_or(self.first_day)
    }

    /// 28, 29, 30 or 31.
    pub fn days(self) -> u32 {
        self.last_day().day()
    }

    pub fn next(self) -> BillingPeriod {
        BillingPeriod {
            first_day: self
                .first_day
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(self.first_day),
        }
    }

    pub fn previous(self) -> BillingPeriod {
        BillingPeriod {
            first_day: self
                .first_day
                .checked_sub_months(chrono::Months::new(1))
                .unwrap_or(self.first_day),
        }
    }

    /// `YYYY-MM`: the stored form and the idempotency key's period.
    pub fn key(self) -> String {
        self.to_string()
    }

    /// `12.2026`, as Polish invoices name a month.
    pub fn label_pl(self) -> String {
        self.first_day.format("%m.%Y").to_string()
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        self.first_day <= date && date <= self.last_day()
    }
}

impl fmt::Display for BillingPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.first_day.format("%Y-%m"))
    }
}

/// What billing needs to know about a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceTerms {
    pub status: ServiceStatus,
    pub activated_on: NaiveDate,
    /// The last day the service is in force, if it ends.
    pub expires_on: Option<NaiveDate>,
    /// Gross monthly fee.
    pub monthly_fee: Money,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscountKind {
    /// Basis points: 1 500 is 15 %; 10 000 makes the service free.
    Percent(u32),
    /// Off the gross monthly fee.
    Amount(Money),
}

impl DiscountKind {
    /// From the stored form (`percent` / `amount` and a positive value).
    pub fn from_stored(kind: &str, value: i64) -> Option<DiscountKind> {
        match kind {
            "percent" if (1..=10_000).contains(&value) => Some(DiscountKind::Percent(value as u32)),
            "amount" if value > 0 => Some(DiscountKind::Amount(Money::from_grosze(value))),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discount {
    pub name: String,
    pub kind: DiscountKind,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

impl Discount {
    /// Whether any day of the window `from..=to` is inside the discount's window.
    pub fn applies_between(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.starts_on <= to && self.ends_on.is_none_or(|end| end >= from)
    }
}

/// Why a service adds nothing to the period's invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipReason {
    Suspended,
    /// Ended before the period began.
    Ended,
    /// Starts after the period.
    NotYetActive,
    /// Costs nothing this period (no fee, or discounted to zero).
    FreeOfCharge,
}

impl SkipReason {
    /// The stable key in run summaries (`billing_runs.skip_reasons`) and locale files.
    pub fn key(self) -> &'static str {
        match self {
            SkipReason::Suspended => "suspended",
            SkipReason::Ended => "ended",
            SkipReason::NotYetActive => "not_yet_active",
            SkipReason::FreeOfCharge => "free_of_charge",
        }
    }
}

/// A service's charge for one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceCharge {
    /// First and last billed day, inclusive.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: u32,
    pub period_days: u32,
    /// Monthly fee after discounts.
    pub monthly_after_discounts: Money,
    /// What the period costs: the discounted fee, pro-rated.
    pub amount: Money,
    /// Names of the discounts that applied, in the order applied.
    pub discounts: Vec<String>,
}

impl ServiceCharge {
    pub fn is_whole_period(&self) -> bool {
        self.days == self.period_days
    }
}

/// Decides what a service costs in `period`.
pub fn bill_service(
    period: BillingPeriod,
    terms: &ServiceTerms,
    discounts: &[Discount],
) -> Result<ServiceCharge, SkipReason> {
    let status = terms.status;
    if status == ServiceStatus::Suspended {
        return Err(SkipReason::Suspended);
    }
    if terms.activated_on > period.last_day() {
        return Err(SkipReason::NotYetActive);
    }
    let ends_on = match (status, terms.expires_on) {
        // An ended service without an end date cannot be placed in time: bill nothing.
        (ServiceStatus::Ended, None) => return Err(SkipReason::Ended),
        (_, end) => end,
    };
    if ends_on.is_some_and(|end| end < period.first_day() || end < terms.activated_on) {
        return Err(SkipReason::Ended);
    }
    let from = terms.activated_on.max(period.first_day());
    let to = ends_on.map_or(period.last_day(), |end| end.min(period.last_day()));
    let days = days_between(from, to);
    let active: Vec<&Discount> = discounts
        .iter()
        .filter(|d| d.applies_between(from, to))
        .collect();
    let monthly_after_discounts = apply_discounts(terms.monthly_fee, &active);
    let amount = prorate(monthly_after_discounts, days, period.days());
    if amount <= Money::zero() {
        return Err(SkipReason::FreeOfCharge);
    }
    Ok(ServiceCharge {
        from,
        to,
        days,
        period_days: period.days(),
        monthly_after_discounts,
        amount,
        discounts: active.iter().map(|d| d.name.clone()).collect(),
    })
}

/// Days from `from` to `to`, both inclusive.
fn days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    ((to - from).num_days() + 1).max(0) as u32
}

/// Percentages first, each on what the previous left, then amounts; never below zero. Each step
/// is rounded half-up to the grosz, as a price list would print it.
pub fn apply_discounts(fee: Money, discounts: &[&Discount]) -> Money {
    let mut price = fee;
    for discount in discounts {
        if let DiscountKind::Percent(basis_points) = discount.kind {
            let kept =
                Decimal::from(10_000_u32.saturating_sub(basis_points)) / Decimal::from(10_000);
            price = Money::from_decimal_half_up(price.to_decimal() * kept).unwrap_or(price);
        }
    }
    for discount in discounts {
        if let DiscountKind::Amount(off) = discount.kind {
            price = price.checked_sub(off).unwrap_or(Money::zero());
        }
    }
    price.max(Money::zero())
}

/// `monthly × days / period_days`, half-up to the grosz; the whole period is `monthly` exactly.
pub fn prorate(monthly: Money, days: u32, period_days: u32) -> Money {
    if period_days == 0 || days >= period_days {
        return monthly;
    }
    let share = monthly.to_decimal() * Decimal::from(days) / Decimal::from(period_days);
    Money::from_decimal_half_up(share).unwrap_or(monthly)
}

/// The net price of a gross price-list amount at `rate`, for buyers invoiced by the net method.
/// Rates without VAT (zw, np) have net = gross.
pub fn net_of_gross(gross: Money, rate: VatRate) -> Money {
    match rate.percent() {
        Some(percent) if !percent.is_zero() => {
            let net = gross.to_decimal() * Decimal::ONE_HUNDRED / (Decimal::ONE_HUNDRED + percent);
            Money::from_decimal_half_up(net).unwrap_or(gross)
        }
        _ => gross,
    }
}

/// The invoice line text for a service's period charge, e.g.
/// `Internet 600/60 — abonament 12.2026` or
/// `Internet 600/60 — abonament 15.12–31.12.2026 (17/31 dni), rabat: Promocja`.
pub fn service_line_name(
    service_name: &str,
    period: BillingPeriod,
    charge: &ServiceCharge,
) -> String {
    let mut name = if charge.is_whole_period() {
        format!("{service_name} — abonament {}", period.label_pl())
    } else {
        format!(
            "{service_name} — abonament {}–{} ({}/{} dni)",
            charge.from.format("%d.%m"),
            charge.to.format("%d.%m.%Y"),
            charge.days,
            charge.period_days
        )
    };
    if !charge.discounts.is_empty() {
        name.push_str(", rabat: ");
        name.push_str(&charge.discounts.join(", "));
    }
    name
}
