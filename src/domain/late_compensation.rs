//! The flat compensation for recovery costs a business debtor owes on a late payment, art. 10
//! ust. 1 of the act on excessive delays in commercial transactions ("ustawa o przeciwdziałaniu
//! nadmiernym opóźnieniom w transakcjach handlowych"): 40 EUR for a debt up to 5 000 zł, 70 EUR
//! up to 50 000 zł, 100 EUR above, converted at the NBP average EUR rate of the last working day
//! of the month before the month the payment became due. Never for consumers: they owe actual
//! costs only.

use chrono::{Datelike, Duration, NaiveDate};
use rust_decimal::Decimal;

use super::Money;
use super::holidays::is_working_day;

/// Euros owed for a debt of `debt`.
pub fn compensation_eur(debt: Money) -> i64 {
    if debt <= Money::from_grosze(500_000) {
        40
    } else if debt <= Money::from_grosze(5_000_000) {
        70
    } else {
        100
    }
}

/// The day whose NBP average EUR rate converts the compensation: the last working day of the
/// month before the month of `due_date`.
pub fn rate_day(due_date: NaiveDate) -> NaiveDate {
    let first_of_month = due_date.with_day(1).unwrap_or(due_date);
    let mut day = first_of_month - Duration::days(1);
    while !is_working_day(day) {
        day -= Duration::days(1);
    }
    day
}

/// `eur` euros in złoty at `pln_per_eur_e4` (the NBP rate × 10 000: 4,2290 → 42 290), half-up
/// to the grosz.
pub fn in_zloty(eur: i64, pln_per_eur_e4: i64) -> Money {
    let exact = Decimal::from(eur) * Decimal::new(pln_per_eur_e4, 4);
    Money::from_decimal_half_up(exact).unwrap_or(Money::zero())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_amount_steps_at_five_and_fifty_thousand_zloty() {
        assert_eq!(compensation_eur(Money::from_grosze(10_000)), 40);
        assert_eq!(compensation_eur(Money::from_grosze(500_000)), 40);
        assert_eq!(compensation_eur(Money::from_grosze(500_001)), 70);
        assert_eq!(compensation_eur(Money::from_grosze(5_000_000)), 70);
        assert_eq!(compensation_eur(Money::from_grosze(5_000_001)), 100);
    }

    #[test]
    fn the_rate_is_the_last_working_day_of_the_month_before() {
        // Due 15 Oct 2026: 30 Sep 2026 is a Wednesday.
        assert_eq!(rate_day(date(2026, 10, 15)), date(2026, 9, 30));
        // Due 10 Feb 2026: 31 Jan 2026 is a Saturday, so Friday 30 Jan.
        assert_eq!(rate_day(date(2026, 2, 10)), date(2026, 1, 30));
        // Due in January 2027: 31 Dec 2026 is a Thursday.
        assert_eq!(rate_day(date(2027, 1, 20)), date(2026, 12, 31));
        // Due in May 2026: 30 Apr 2026 is a Thursday (1 May is a holiday, but it is May).
        assert_eq!(rate_day(date(2026, 5, 4)), date(2026, 4, 30));
    }

    #[test]
    fn euros_convert_half_up_to_the_grosz() {
        // 40 × 4,2290 = 169,16 zł; 70 × 4,2345 = 296,415 → 296,42 zł.
        assert_eq!(in_zloty(40, 42_290), Money::from_grosze(16_916));
        assert_eq!(in_zloty(70, 42_345), Money::from_grosze(29_642));
    }
}
