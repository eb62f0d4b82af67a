//! Recurring card payments: the billing periods of a contract paid by card (30 consecutive days
//! counted from the contract's start), the retry schedule of a failed charge, and the unused
//! part of a paid period when a contract is ended at once.

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use super::Money;

crate::domain::words::stored_words!(
    /// `payment_cards.status`: a card saved at PayU for recurring charges.
    CardStatus {
        /// Its first (verifying) payment is not finished.
        Pending = "pending",
        /// Holds a token and may be charged.
        Active = "active",
        /// Its first payment failed or was cancelled.
        Failed = "failed",
        /// Removed by the subscriber; its token is forgotten.
        Removed = "removed",
    }
);

crate::domain::words::stored_words!(
    /// `recurring_mandates.status`: a contract paid automatically by a card.
    MandateStatus {
        Active = "active",
        /// Cancelled; the period already charged runs out first.
        Cancelling = "cancelling",
        Cancelled = "cancelled",
        /// Ended by the ISP (failed charges, an ended contract).
        Ended = "ended",
    }
);

impl MandateStatus {
    /// Still charging or finishing its last period.
    pub const OPEN: [MandateStatus; 2] = [MandateStatus::Active, MandateStatus::Cancelling];

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }
}

crate::domain::words::stored_words!(
    /// `recurring_charges.state`: the charge of one period.
    ChargeState {
        /// To be charged on its next attempt day.
        Due = "due",
        /// Claimed by a charge pass; PayU has it or is about to.
        Charging = "charging",
        /// Paid by card.
        Paid = "paid",
        /// Every attempt failed (or the mandate ended first).
        Failed = "failed",
        /// Nothing to charge: already paid otherwise.
        Settled = "settled",
    }
);

/// Days in one period paid by card.
pub const PERIOD_DAYS: u64 = 30;

/// Days after the first failed charge on which it is tried again (the ISP may set others).
pub const DEFAULT_RETRY_DAYS: [u32; 3] = [1, 3, 7];

/// One billing period: `start` and `end` inclusive, the `index`-th from the contract's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Period {
    pub index: u64,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }
}

/// The `index`-th period of a contract that started on `contract_start`.
pub fn period(contract_start: NaiveDate, index: u64) -> Option<Period> {
    let start = contract_start.checked_add_days(Days::new(index.checked_mul(PERIOD_DAYS)?))?;
    let end = start.checked_add_days(Days::new(PERIOD_DAYS - 1))?;
    Some(Period { index, start, end })
}

/// The period `day` falls in; None before the contract started.
pub fn period_of(contract_start: NaiveDate, day: NaiveDate) -> Option<Period> {
    let days = (day - contract_start).num_days();
    if days < 0 {
        return None;
    }
    period(contract_start, days as u64 / PERIOD_DAYS)
}

/// The first period starting on or after `day`.
pub fn first_starting_from(contract_start: NaiveDate, day: NaiveDate) -> Option<Period> {
    match period_of(contract_start, day) {
        None => period(contract_start, 0),
        Some(p) if p.start == day => Some(p),
        Some(p) => period(contract_start, p.index + 1),
    }
}

/// `count` periods from the one `day` falls in (or the first, before the start).
pub fn upcoming(contract_start: NaiveDate, day: NaiveDate, count: usize) -> Vec<Period> {
    let first = period_of(contract_start, day).map_or(0, |p| p.index);
    (first..first + count as u64)
        .filter_map(|i| period(contract_start, i))
        .collect()
}

/// When a charge that failed `failed_attempts` times is tried again, counted from the period's
/// first day; None after the last retry (the mandate then ends).
pub fn retry_on(
    period_start: NaiveDate,
    failed_attempts: u32,
    schedule: &[u32],
) -> Option<NaiveDate> {
    let index = usize::try_from(failed_attempts.checked_sub(1)?).ok()?;
    let days = *schedule.get(index)?;
    period_start.checked_add_days(Days::new(days.into()))
}

/// What is returned when a contract paid up to `period.end` ends at once on `last_day` (the
/// last day served): the paid amount times the days left over the days in the period, half-up
/// to the grosz (seed S §4.11: "in proportion to the rest of the period").
pub fn unused_part(paid: Money, period: &Period, last_day: NaiveDate) -> Money {
    if last_day >= period.end || paid.grosze() <= 0 {
        return Money::zero();
    }
    let left = if last_day < period.start {
        period.days()
    } else {
        (period.end - last_day).num_days()
    };
    let amount = paid.to_decimal() * Decimal::from(left) / Decimal::from(period.days());
    Money::from_decimal_half_up(amount).unwrap_or(Money::zero())
}

/// The days of `first`..=`last` that no span covers, as inclusive (from, to) windows in order:
/// what the monthly billing run still invoices for a contract paid by card for only part of the
/// month (before its first card period, after the last one, or between two mandates).
pub fn uncovered(
    first: NaiveDate,
    last: NaiveDate,
    spans: &[(NaiveDate, NaiveDate)],
) -> Vec<(NaiveDate, NaiveDate)> {
    let mut spans: Vec<(NaiveDate, NaiveDate)> = spans
        .iter()
        .map(|&(from, to)| (from.max(first), to.min(last)))
        .filter(|(from, to)| from <= to)
        .collect();
    spans.sort_unstable();
    let mut windows = Vec::new();
    let mut next = Some(first);
    for (from, to) in spans {
        let Some(day) = next else { break };
        if from > day {
            windows.push((day, from.pred_opt().unwrap_or(from)));
        }
        if to >= day {
            next = to.succ_opt().filter(|d| *d <= last);
        }
    }
    if let Some(day) = next {
        windows.push((day, last));
    }
    windows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn periods_are_thirty_consecutive_days_from_the_contract_start() {
        let start = d(2026, 1, 15);
        let first = period(start, 0).unwrap();
        assert_eq!((first.start, first.end), (d(2026, 1, 15), d(2026, 2, 13)));
        assert_eq!(first.days(), 30);
        let third = period(start, 2).unwrap();
        assert_eq!((third.start, third.end), (d(2026, 3, 16), d(2026, 4, 14)));
        // Across February of a leap year and the year's end, still 30 days each.
        let leap = period(d(2028, 2, 1), 0).unwrap();
        assert_eq!(leap.end, d(2028, 3, 1));
        let new_year = period(d(2026, 12, 20), 0).unwrap();
        assert_eq!(new_year.end, d(2027, 1, 18));
    }

    #[test]
    fn the_day_finds_its_period_and_the_next_one_starts_the_day_after() {
        let start = d(2026, 1, 15);
        assert_eq!(period_of(start, d(2026, 1, 14)), None);
        assert_eq!(period_of(start, d(2026, 1, 15)).unwrap().index, 0);
        assert_eq!(period_of(start, d(2026, 2, 13)).unwrap().index, 0);
        assert_eq!(period_of(start, d(2026, 2, 14)).unwrap().index, 1);
        assert_eq!(first_starting_from(start, d(2026, 2, 14)).unwrap().index, 1);
        assert_eq!(first_starting_from(start, d(2026, 2, 15)).unwrap().index, 2);
        assert_eq!(first_starting_from(start, d(2025, 12, 1)).unwrap().index, 0);
        let next = upcoming(start, d(2026, 2, 20), 3);
        assert_eq!(next.iter().map(|p| p.index).collect::<Vec<_>>(), [1, 2, 3]);
        for pair in next.windows(2) {
            assert_eq!(pair[0].end.succ_opt().unwrap(), pair[1].start);
        }
    }

    #[test]
    fn retries_follow_the_schedule_and_stop_after_the_last() {
        let start = d(2026, 3, 1);
        assert_eq!(retry_on(start, 1, &DEFAULT_RETRY_DAYS), Some(d(2026, 3, 2)));
        assert_eq!(retry_on(start, 2, &DEFAULT_RETRY_DAYS), Some(d(2026, 3, 4)));
        assert_eq!(retry_on(start, 3, &DEFAULT_RETRY_DAYS), Some(d(2026, 3, 8)));
        assert_eq!(retry_on(start, 4, &DEFAULT_RETRY_DAYS), None);
        assert_eq!(retry_on(start, 0, &DEFAULT_RETRY_DAYS), None);
    }

    #[test]
    fn the_unused_part_is_days_left_over_days_in_the_period_half_up() {
        let p = period(d(2026, 3, 1), 0).unwrap(); // 1–30 March
        // Served to 10 March: 20 of 30 days left; 99,99 zł × 20/30 = 66,66 zł.
        assert_eq!(
            unused_part(Money::from_grosze(9_999), &p, d(2026, 3, 10)),
            Money::from_grosze(6_666)
        );
        // 100,00 zł × 1/30 = 3,333… → 3,33; × 29/30 = 96,666… → 96,67 (half-up).
        assert_eq!(
            unused_part(Money::from_grosze(10_000), &p, d(2026, 3, 29)),
            Money::from_grosze(333)
        );
        assert_eq!(
            unused_part(Money::from_grosze(10_000), &p, d(2026, 3, 1)),
            Money::from_grosze(9_667)
        );
        assert_eq!(
            unused_part(Money::from_grosze(10_000), &p, d(2026, 3, 30)),
            Money::zero()
        );
        assert_eq!(
            unused_part(Money::from_grosze(10_000), &p, d(2026, 2, 27)),
            Money::from_grosze(10_000)
        );
    }

    #[test]
    fn the_days_left_to_the_monthly_run_are_those_no_card_period_covers() {
        let (first, last) = (d(2027, 2, 1), d(2027, 2, 28));
        // Nothing paid by card: the whole month.
        assert_eq!(uncovered(first, last, &[]), vec![(first, last)]);
        // A mandate in force all month: nothing.
        assert_eq!(uncovered(first, last, &[(d(2027, 1, 5), last)]), vec![]);
        // The last card period ends on the 3rd (cancelled, or fallen back after failures).
        assert_eq!(
            uncovered(first, last, &[(d(2027, 1, 5), d(2027, 2, 3))]),
            vec![(d(2027, 2, 4), last)]
        );
        // The first card period starts on the 10th.
        assert_eq!(
            uncovered(first, last, &[(d(2027, 2, 10), d(2027, 3, 11))]),
            vec![(first, d(2027, 2, 9))]
        );
        // Overlapping spans (the mandate and its charges) and a gap between two mandates.
        assert_eq!(
            uncovered(
                first,
                last,
                &[
                    (d(2027, 2, 20), last),
                    (d(2027, 1, 5), d(2027, 2, 3)),
                    (d(2027, 1, 5), d(2027, 2, 3)),
                ]
            ),
            vec![(d(2027, 2, 4), d(2027, 2, 19))]
        );
        // A mandate cancelled before its first period (ends before it starts) covers nothing.
        assert_eq!(
            uncovered(first, last, &[(d(2027, 2, 10), d(2027, 2, 9))]),
            vec![(first, last)]
        );
    }
}
