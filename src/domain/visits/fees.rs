//! What cancelling late or not being there costs (seed terms §4.5–4.7): the fee is the booked
//! visit's price times the kind's percentage, rounded half-up to the grosz; for a visit on a
//! prepaid package the ISP may instead shorten the package's validity by as many days as the
//! fee is worth at the package's daily price.

use chrono::{Duration, NaiveDateTime};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::domain::Money;

/// How a kind's late fee is collected; stored in `visit_kinds.fee_rule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeRule {
    /// A one-off charge on the next periodic invoice.
    Charge,
    /// The prepaid package the visit was booked on is shortened; without one, charged.
    Shorten,
}

impl FeeRule {
    pub fn parse(value: &str) -> Option<FeeRule> {
        match value {
            "charge" => Some(FeeRule::Charge),
            "shorten" => Some(FeeRule::Shorten),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FeeRule::Charge => "charge",
            FeeRule::Shorten => "shorten",
        }
    }
}

/// A kind's cancellation terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LateRules {
    pub price: Money,
    pub late_fee_percent: i64,
    pub late_cancel_hours: i64,
}

impl LateRules {
    /// What cancelling late or missing the visit costs.
    pub fn fee(&self) -> Money {
        let percent = Decimal::from(self.late_fee_percent.clamp(0, 100));
        Money::from_decimal_half_up(self.price.to_decimal() * percent / Decimal::ONE_HUNDRED)
            .unwrap_or(self.price)
    }

    /// Cancelling at `now` a visit that starts at `starts_at` is late when less than
    /// `late_cancel_hours` remain.
    pub fn is_late(&self, starts_at: NaiveDateTime, now: NaiveDateTime) -> bool {
        starts_at - now < Duration::hours(self.late_cancel_hours)
    }

    /// The fee due for cancelling at `now`; zero when early or when the fee is nothing.
    pub fn cancellation_fee(&self, starts_at: NaiveDateTime, now: NaiveDateTime) -> Money {
        if self.is_late(starts_at, now) {
            self.fee()
        } else {
            Money::zero()
        }
    }
}

/// Days a prepaid package whose price is `monthly_fee` per 30 days is shortened by for `fee`,
/// half-up, at least one when there is any fee at all.
pub fn shortening_days(fee: Money, monthly_fee: Money) -> i64 {
    if fee.grosze() <= 0 {
        return 0;
    }
    if monthly_fee.grosze() <= 0 {
        return 0;
    }
    let days =
        Decimal::from(fee.grosze()) * Decimal::from(30) / Decimal::from(monthly_fee.grosze());
    let rounded =
        days.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    rounded.to_i64().unwrap_or(i64::MAX).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2027, 3, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    fn rules(price: i64, percent: i64) -> LateRules {
        LateRules {
            price: Money::from_grosze(price),
            late_fee_percent: percent,
            late_cancel_hours: 48,
        }
    }

    #[test]
    fn cancelling_less_than_48_hours_before_is_late() {
        let r = rules(15_000, 100);
        assert!(!r.is_late(at(10, 12), at(8, 12)));
        assert!(r.is_late(at(10, 12), at(8, 13)));
        assert_eq!(r.cancellation_fee(at(10, 12), at(8, 12)), Money::zero());
        assert_eq!(r.cancellation_fee(at(10, 12), at(9, 12)).grosze(), 15_000);
    }

    #[test]
    fn the_fee_is_the_price_times_the_percentage_half_up() {
        assert_eq!(rules(9_999, 50).fee().grosze(), 5_000); // 49.995 → 50.00
        assert_eq!(rules(12_000, 0).fee(), Money::zero());
        assert_eq!(rules(0, 100).fee(), Money::zero());
        assert_eq!(rules(12_000, 100).fee().grosze(), 12_000);
    }

    #[test]
    fn a_package_is_shortened_by_what_the_fee_is_worth_in_days() {
        // 100 zł for 30 days: a 50 zł fee is 15 days; 1 zł is half a day, rounded up to one.
        assert_eq!(
            shortening_days(Money::from_grosze(5_000), Money::from_grosze(10_000)),
            15
        );
        assert_eq!(
            shortening_days(Money::from_grosze(100), Money::from_grosze(10_000)),
            1
        );
        assert_eq!(
            shortening_days(Money::from_grosze(2_500), Money::from_grosze(6_000)),
            13
        ); // 12.5
        assert_eq!(
            shortening_days(Money::zero(), Money::from_grosze(10_000)),
            0
        );
    }

    #[test]
    fn fee_rules_read_back_as_written() {
        assert_eq!(FeeRule::parse("charge"), Some(FeeRule::Charge));
        assert_eq!(
            FeeRule::parse(FeeRule::Shorten.as_str()),
            Some(FeeRule::Shorten)
        );
        assert_eq!(FeeRule::parse("free"), None);
    }
}
