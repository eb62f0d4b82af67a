use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn zl(grosze: i64) -> Money {
    Money::from_grosze(grosze)
}

/// The rates of the reference (pl-invoicing.md §7.1).
fn reference_rates() -> RateTable {
    RateTable::new(vec![
        RatePeriod {
            valid_from: date(2025, 10, 9),
            reference_bp: 450,
            consumer_bp: 1000,
            commercial_bp: 1450,
        },
        RatePeriod {
            valid_from: date(2025, 11, 6),
            reference_bp: 425,
            consumer_bp: 975,
            commercial_bp: 1425,
        },
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

fn consumer(principal: i64, due: NaiveDate, paid: NaiveDate) -> Interest {
    statutory_interest(
        zl(principal),
        due,
        paid,
        InterestKind::Consumer,
        &reference_rates(),
    )
    .unwrap()
}

#[test]
fn reference_example_one_thirty_days_on_89_98() {
    // 89,98 × 9,25 % × 30/365 = 0,684 → 0,68 zł
    let interest = consumer(8998, date(2026, 5, 20), date(2026, 6, 19));
    assert_eq!(interest.days(), 30);
    assert_eq!(interest.total, zl(68));
}

#[test]
fn reference_example_two_splits_at_the_march_rate_change() {
    // 12 days at 9,50 % + 16 days at 9,25 % = 3,1233 + 4,0548 = 7,1781 → 7,18 zł (the
    // reference rounds the sum; the parts rounded alone would add up to 7,17).
    let interest = consumer(100_000, date(2026, 2, 20), date(2026, 3, 20));
    let parts: Vec<(NaiveDate, NaiveDate, i64, i64, Money)> = interest
        .parts
        .iter()
        .map(|p| (p.from, p.to, p.days, p.rate_bp, p.amount))
        .collect();
    assert_eq!(
        parts,
        vec![
            (date(2026, 2, 21), date(2026, 3, 4), 12, 950, zl(312)),
            (date(2026, 3, 5), date(2026, 3, 20), 16, 925, zl(405)),
        ]
    );
    assert_eq!(interest.total, zl(718));
}

#[test]
fn businesses_owe_the_commercial_rate() {
    // 1 000 zł, 30 days at 13,75 %: 11,301… → 11,30 zł
    let interest = statutory_interest(
        zl(100_000),
        date(2026, 5, 20),
        date(2026, 6, 19),
        InterestKind::Commercial,
        &reference_rates(),
    )
    .unwrap();
    assert_eq!(interest.total, zl(1130));
}

#[test]
fn a_period_across_three_rates_is_split_at_each_change() {
    // Due Sat 2025-11-01 (All Saints'): the deadline ends on Monday 11-03.
    let interest = consumer(100_000, date(2025, 11, 1), date(2026, 3, 10));
    let rates: Vec<i64> = interest.parts.iter().map(|p| p.rate_bp).collect();
    // 11-04..05 at 10 %, ..12-03 at 9,75 %, ..12-31 at 9,5 %, 2026-01-01..03-04 at 9,5 %, then
    // 9,25 % (the turn of the year splits too).
    assert_eq!(rates, vec![1000, 975, 950, 950, 925]);
    assert_eq!(interest.parts[0].from, date(2025, 11, 4));
    assert_eq!(
        interest.days(),
        (date(2026, 3, 10) - date(2025, 11, 3)).num_days()
    );
    let parts_rounded: Money = interest.parts.iter().map(|p| p.amount).sum();
    assert!((interest.total.grosze() - parts_rounded.grosze()).abs() <= 2);
}

#[test]
fn a_due_date_on_easter_saturday_counts_from_the_wednesday() {
    // Due Sat 2026-04-04; Easter Sunday and Monday are holidays: the deadline ends on Tuesday
    // 04-07, so paying that day is in time and the first day of delay is 04-08.
    assert_eq!(first_day_of_delay(date(2026, 4, 4)), date(2026, 4, 8));
    assert_eq!(
        consumer(100_000, date(2026, 4, 4), date(2026, 4, 7)).total,
        Money::zero()
    );
    let one_day = consumer(100_000, date(2026, 4, 4), date(2026, 4, 8));
    assert_eq!(one_day.days(), 1);
    // 1 000 × 9,25 % / 365 = 0,2534 → 0,25 zł
    assert_eq!(one_day.total, zl(25));
}

#[test]
fn days_of_a_leap_year_divide_by_366() {
    // Due Mon 2028-02-28, paid 2028-03-28: 29 Feb and 1–28 Mar, 29 days at 9,25 %.
    // 1 000 × 9,25 % × 29/366 = 7,329… → 7,33 zł (over 365 it would be 7,35).
    let interest = consumer(100_000, date(2028, 2, 28), date(2028, 3, 28));
    assert_eq!(interest.days(), 29);
    assert_eq!(interest.parts[0].year_days, 366);
    assert_eq!(interest.total, zl(733));
}

#[test]
fn a_period_across_new_year_into_a_leap_year_uses_each_years_divisor() {
    let interest = consumer(100_000, date(2027, 12, 15), date(2028, 1, 14));
    let split: Vec<(i64, i64)> = interest
        .parts
        .iter()
        .map(|p| (p.days, p.year_days))
        .collect();
    assert_eq!(split, vec![(16, 365), (14, 366)]);
}

#[test]
fn paying_on_the_due_date_owes_nothing() {
    assert_eq!(
        consumer(100_000, date(2026, 5, 20), date(2026, 5, 20)),
        Interest::default()
    );
}

#[test]
fn a_day_before_the_first_known_rate_is_an_error_not_a_guess() {
    let result = statutory_interest(
        zl(100_000),
        date(2025, 1, 10),
        date(2025, 2, 10),
        InterestKind::Consumer,
        &reference_rates(),
    );
    assert_eq!(result, Err(InterestError::NoRate(date(2025, 1, 11))));
}

fn day_in_range() -> impl Strategy<Value = NaiveDate> {
    (0i64..1500).prop_map(|offset| date(2025, 10, 9) + Duration::days(offset))
}

proptest! {
    #[test]
    fn interest_is_never_negative(
        principal in -1_000_000i64..100_000_000,
        due in day_in_range(),
        days in 0i64..800,
    ) {
        let interest = consumer(principal, due, due + Duration::days(days));
        prop_assert!(interest.total >= Money::zero());
        prop_assert!(interest.parts.iter().all(|p| p.amount >= Money::zero()));
    }

    #[test]
    fn interest_never_falls_when_payment_comes_later(
        principal in 1i64..100_000_000,
        due in day_in_range(),
        days in 0i64..800,
    ) {
        let earlier = consumer(principal, due, due + Duration::days(days));
        let later = consumer(principal, due, due + Duration::days(days + 1));
        prop_assert!(later.total >= earlier.total);
        prop_assert!(later.exact() >= earlier.exact());
    }

    #[test]
    fn interest_adds_up_over_a_split(
        principal in 1i64..100_000_000,
        from in day_in_range(),
        first in 1i64..400,
        second in 1i64..400,
    ) {
        let middle = from + Duration::days(first - 1);
        let to = middle + Duration::days(second);
        let rates = reference_rates();
        let kind = InterestKind::Consumer;
        let whole = interest_for_days(zl(principal), from, to, kind, &rates).unwrap();
        let head = interest_for_days(zl(principal), from, middle, kind, &rates).unwrap();
        let tail = interest_for_days(zl(principal), middle + Duration::days(1), to, kind, &rates)
            .unwrap();
        prop_assert_eq!(whole.days(), head.days() + tail.days());
        // Exact amounts add up (to Decimal's last digits); rounded ones within a grosz per cut.
        let gap = (whole.exact() - head.exact() - tail.exact()).abs();
        prop_assert!(gap < Decimal::new(1, 15), "gap {gap}");
        let rounded_gap = (whole.total.grosze() - head.total.grosze() - tail.total.grosze()).abs();
        prop_assert!(rounded_gap <= 1);
    }
}
