//! Interest notes ("nota odsetkowa"): after an invoice was paid late, the seller bills the
//! statutory interest for the delay on a note of its own. It is not a VAT invoice (interest is
//! not a supply: it goes outside VAT and outside KSeF), so it has its own numbering series,
//! `NO/{YYYY}/{N:05}`, reset yearly and gapless.
//!
//! The interest of one invoice is the sum over every part paid after the delay began: each part
//! bears interest from the first day of delay to the day it was paid. The exact parts are added
//! and rounded half-up once, as `domain::interest` does for one stretch.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::Money;
use super::interest::{
    InterestError, InterestKind, RateTable, first_day_of_delay, interest_for_days,
};

/// The note's number: its own yearly series, five digits (`NO/2026/00001`).
pub fn note_number(issue_date: NaiveDate, seq: i64) -> String {
    format!("NO/{}/{seq:05}", issue_date.year())
}

/// The counter's key: the year of issue (the series starts again every January).
pub fn note_year(issue_date: NaiveDate) -> i64 {
    i64::from(issue_date.year())
}

/// A payment that went (partly) to an invoice: the day the money came and how much of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaidPart {
    pub paid_on: NaiveDate,
    pub amount: Money,
}

/// What a late payment of one invoice earned in statutory interest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LateInterest {
    /// The last day money came for the invoice.
    pub paid_on: NaiveDate,
    /// Days of delay up to the last late part (0 when it came in time).
    pub days: i64,
    pub interest: Money,
}

/// The statutory interest on an invoice due on `due_date` that was paid in `parts`.
pub fn late_payment_interest(
    due_date: NaiveDate,
    parts: &[PaidPart],
    kind: InterestKind,
    rates: &RateTable,
) -> Result<LateInterest, InterestError> {
    let from = first_day_of_delay(due_date);
    let mut exact = Decimal::ZERO;
    let mut paid_on = due_date;
    for part in parts {
        paid_on = paid_on.max(part.paid_on);
        exact += interest_for_days(part.amount, from, part.paid_on, kind, rates)?.exact();
    }
    let days = ((paid_on - from).num_days() + 1).max(0);
    Ok(LateInterest {
        paid_on,
        days,
        interest: Money::from_decimal_half_up(exact).unwrap_or(Money::zero()),
    })
}

/// The day the subscriber must pay the note by: `days` after it is issued.
pub fn note_due_date(issue_date: NaiveDate, days: i64) -> NaiveDate {
    issue_date + chrono::Duration::days(days)
}

/// Days a subscriber has to pay a note.
pub const NOTE_PAYMENT_DAYS: i64 = 14;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::interest::RatePeriod;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn rates() -> RateTable {
        RateTable::new(vec![
            RatePeriod {
                valid_from: date(2025, 12, 4),
                reference_bp: 400,
                consumer_bp: 950,
                commercial_bp: 1400,
            },
            RatePeriod {
                valid_from: date(2026, 3, 5),
                reference_bp: 375,
                consumer_bp: 925,
                commercial_bp: 1375,
            },
        ])
    }

    fn part(paid_on: NaiveDate, grosze: i64) -> PaidPart {
        PaidPart {
            paid_on,
            amount: Money::from_grosze(grosze),
        }
    }

    #[test]
    fn one_late_payment_is_the_reference_example() {
        // 1 000 zł due 2026-02-20, paid 2026-03-20: 12 days at 9,50 % + 16 at 9,25 % = 7,18 zł.
        let late = late_payment_interest(
            date(2026, 2, 20),
            &[part(date(2026, 3, 20), 100_000)],
            InterestKind::Consumer,
            &rates(),
        )
        .unwrap();
        assert_eq!(late.interest, Money::from_grosze(718));
        assert_eq!(late.days, 28);
        assert_eq!(late.paid_on, date(2026, 3, 20));
    }

    #[test]
    fn a_part_paid_in_time_bears_nothing_and_late_parts_add_up_before_rounding() {
        let due = date(2026, 5, 20);
        let on_time = part(date(2026, 5, 19), 50_000);
        let late = part(date(2026, 6, 19), 50_000);
        let both =
            late_payment_interest(due, &[on_time, late], InterestKind::Consumer, &rates()).unwrap();
        let alone = late_payment_interest(due, &[late], InterestKind::Consumer, &rates()).unwrap();
        assert_eq!(both.interest, alone.interest);
        // 500 zł × 9,25 % × 30/365 = 3,8014 → 3,80 zł
        assert_eq!(alone.interest, Money::from_grosze(380));
        // Two halves paid on the same late day earn what the whole would.
        let halves = late_payment_interest(
            due,
            &[part(date(2026, 6, 19), 4499), part(date(2026, 6, 19), 4499)],
            InterestKind::Consumer,
            &rates(),
        )
        .unwrap();
        let whole = late_payment_interest(
            due,
            &[part(date(2026, 6, 19), 8998)],
            InterestKind::Consumer,
            &rates(),
        )
        .unwrap();
        assert_eq!(halves.interest, whole.interest);
        assert_eq!(whole.interest, Money::from_grosze(68));
    }

    #[test]
    fn paid_in_time_means_no_interest_and_no_days() {
        let late = late_payment_interest(
            date(2026, 5, 20),
            &[part(date(2026, 5, 20), 10_000)],
            InterestKind::Commercial,
            &rates(),
        )
        .unwrap();
        assert_eq!(late.interest, Money::zero());
        assert_eq!(late.days, 0);
    }

    #[test]
    fn numbers_run_per_year() {
        assert_eq!(note_number(date(2026, 12, 7), 1), "NO/2026/00001");
        assert_eq!(note_number(date(2027, 1, 2), 123), "NO/2027/00123");
        assert_eq!(note_year(date(2027, 1, 2)), 2027);
    }
}
