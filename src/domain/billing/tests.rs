use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn period(text: &str) -> BillingPeriod {
    BillingPeriod::parse(text).unwrap()
}

fn zl(grosze: i64) -> Money {
    Money::from_grosze(grosze)
}

fn active(activated_on: NaiveDate, expires_on: Option<NaiveDate>, fee: i64) -> ServiceTerms {
    ServiceTerms {
        status: ServiceStatus::Active,
        activated_on,
        expires_on,
        monthly_fee: zl(fee),
    }
}

fn discount(
    name: &str,
    kind: DiscountKind,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
) -> Discount {
    Discount {
        name: name.into(),
        kind,
        starts_on,
        ends_on,
    }
}

#[test]
fn periods_parse_only_yyyy_mm() {
    assert_eq!(period("2026-12").first_day(), date(2026, 12, 1));
    assert_eq!(period(" 2026-02 ").last_day(), date(2026, 2, 28));
    assert_eq!(BillingPeriod::parse("2026-13"), Err(PeriodError::Month));
    assert_eq!(BillingPeriod::parse("2026-00"), Err(PeriodError::Month));
    assert_eq!(BillingPeriod::parse("26-12"), Err(PeriodError::Format));
    assert_eq!(BillingPeriod::parse("2026-1"), Err(PeriodError::Format));
    assert_eq!(BillingPeriod::parse("2026/12"), Err(PeriodError::Format));
    assert_eq!(BillingPeriod::parse("2026-12-01"), Err(PeriodError::Format));
    assert_eq!(BillingPeriod::parse("+026-12"), Err(PeriodError::Format));
    assert_eq!(BillingPeriod::parse(""), Err(PeriodError::Format));
    assert_eq!(BillingPeriod::parse("1999-12"), Err(PeriodError::Year));
}

#[test]
fn period_lengths_follow_the_calendar_with_leap_years() {
    assert_eq!(period("2026-12").days(), 31);
    assert_eq!(period("2026-11").days(), 30);
    assert_eq!(period("2026-02").days(), 28);
    assert_eq!(period("2028-02").days(), 29);
    assert_eq!(period("2000-02").days(), 29);
    assert_eq!(period("2026-12").next(), period("2027-01"));
    assert_eq!(period("2027-01").previous(), period("2026-12"));
    assert_eq!(period("2026-12").key(), "2026-12");
    assert_eq!(period("2026-12").label_pl(), "12.2026");
    assert_eq!(
        BillingPeriod::containing(date(2028, 2, 29)),
        period("2028-02")
    );
    assert!(period("2026-12").contains(date(2026, 12, 31)));
    assert!(!period("2026-12").contains(date(2027, 1, 1)));
}

#[test]
fn a_service_active_all_month_pays_the_full_fee() {
    let charge = bill_service(
        period("2026-12"),
        &active(date(2025, 3, 8), None, 7_999),
        &[],
    )
    .unwrap();
    assert_eq!(charge.amount, zl(7_999));
    assert_eq!(
        (charge.from, charge.to),
        (date(2026, 12, 1), date(2026, 12, 31))
    );
    assert!(charge.is_whole_period());
}

#[test]
fn starting_on_the_first_day_or_ending_on_the_last_is_still_the_whole_month() {
    let p = period("2026-12");
    let from_first = bill_service(p, &active(date(2026, 12, 1), None, 7_999), &[]).unwrap();
    assert_eq!(from_first.amount, zl(7_999));
    let to_last = bill_service(
        p,
        &active(date(2026, 1, 1), Some(date(2026, 12, 31)), 7_999),
        &[],
    )
    .unwrap();
    assert_eq!(to_last.amount, zl(7_999));
    let exactly = bill_service(
        p,
        &active(date(2026, 12, 1), Some(date(2026, 12, 31)), 7_999),
        &[],
    )
    .unwrap();
    assert_eq!(exactly.amount, zl(7_999));
}

#[test]
fn whole_february_is_the_full_fee_in_common_and_leap_years() {
    for text in ["2026-02", "2028-02"] {
        let charge =
            bill_service(period(text), &active(date(2025, 1, 1), None, 5_999), &[]).unwrap();
        assert_eq!(charge.amount, zl(5_999), "{text}");
    }
}

#[test]
fn starting_mid_month_pays_by_days_half_up() {
    // 79,99 × 17/31 = 43,8654… → 43,87 zł
    let charge = bill_service(
        period("2026-12"),
        &active(date(2026, 12, 15), None, 7_999),
        &[],
    )
    .unwrap();
    assert_eq!((charge.days, charge.period_days), (17, 31));
    assert_eq!(charge.amount, zl(4_387));
}

#[test]
fn half_a_february_rounds_the_half_grosz_up() {
    // 79,99 × 14/28 = 39,995 → 40,00 zł
    let charge = bill_service(
        period("2026-02"),
        &active(date(2026, 2, 15), None, 7_999),
        &[],
    )
    .unwrap();
    assert_eq!(charge.days, 14);
    assert_eq!(charge.amount, zl(4_000));
}

#[test]
fn leap_february_divides_by_29() {
    // 59,99 × 15/29 = 31,0293… → 31,03 zł
    let charge = bill_service(
        period("2028-02"),
        &active(date(2028, 2, 15), None, 5_999),
        &[],
    )
    .unwrap();
    assert_eq!((charge.days, charge.period_days), (15, 29));
    assert_eq!(charge.amount, zl(3_103));
    // Only the leap day: 59,99 / 29 = 2,0686… → 2,07 zł
    let leap_day = bill_service(
        period("2028-02"),
        &active(date(2028, 2, 29), None, 5_999),
        &[],
    )
    .unwrap();
    assert_eq!(leap_day.amount, zl(207));
}

#[test]
fn starting_on_the_last_day_pays_one_day() {
    // 79,99 / 31 = 2,5803… → 2,58 zł
    let charge = bill_service(
        period("2026-12"),
        &active(date(2026, 12, 31), None, 7_999),
        &[],
    )
    .unwrap();
    assert_eq!(charge.days, 1);
    assert_eq!(charge.amount, zl(258));
}

#[test]
fn ending_on_the_first_day_pays_one_day() {
    let terms = ServiceTerms {
        status: ServiceStatus::Ended,
        ..active(date(2024, 5, 1), Some(date(2026, 12, 1)), 7_999)
    };
    let charge = bill_service(period("2026-12"), &terms, &[]).unwrap();
    assert_eq!(
        (charge.from, charge.to, charge.days),
        (date(2026, 12, 1), date(2026, 12, 1), 1)
    );
    assert_eq!(charge.amount, zl(258));
}

#[test]
fn starting_and_ending_inside_the_period_pays_the_days_between() {
    // 10.12–20.12: 11 days; 79,99 × 11/31 = 28,3835… → 28,38 zł
    let charge = bill_service(
        period("2026-12"),
        &active(date(2026, 12, 10), Some(date(2026, 12, 20)), 7_999),
        &[],
    )
    .unwrap();
    assert_eq!(charge.days, 11);
    assert_eq!(charge.amount, zl(2_838));
}

#[test]
fn suspended_ended_and_future_services_are_skipped_with_their_reason() {
    let p = period("2026-12");
    let suspended = ServiceTerms {
        status: ServiceStatus::Suspended,
        ..active(date(2025, 1, 1), None, 7_999)
    };
    assert_eq!(bill_service(p, &suspended, &[]), Err(SkipReason::Suspended));
    let ended_before = ServiceTerms {
        status: ServiceStatus::Ended,
        ..active(date(2025, 1, 1), Some(date(2026, 11, 30)), 7_999)
    };
    assert_eq!(bill_service(p, &ended_before, &[]), Err(SkipReason::Ended));
    let ended_without_date = ServiceTerms {
        status: ServiceStatus::Ended,
        ..active(date(2025, 1, 1), None, 7_999)
    };
    assert_eq!(
        bill_service(p, &ended_without_date, &[]),
        Err(SkipReason::Ended)
    );
    let expired_but_active = active(date(2025, 1, 1), Some(date(2026, 11, 30)), 7_999);
    assert_eq!(
        bill_service(p, &expired_but_active, &[]),
        Err(SkipReason::Ended)
    );
    let future = active(date(2027, 1, 1), None, 7_999);
    assert_eq!(bill_service(p, &future, &[]), Err(SkipReason::NotYetActive));
    let free = active(date(2025, 1, 1), None, 0);
    assert_eq!(bill_service(p, &free, &[]), Err(SkipReason::FreeOfCharge));
}

#[test]
fn percentage_then_amount_discounts_lower_the_fee() {
    let p = period("2026-12");
    let percent = discount(
        "Lojalność 15%",
        DiscountKind::Percent(1_500),
        date(2026, 1, 1),
        None,
    );
    let amount = discount(
        "Rabat 10 zł",
        DiscountKind::Amount(zl(1_000)),
        date(2026, 1, 1),
        None,
    );
    let terms = active(date(2025, 1, 1), None, 7_999);
    // 79,99 × 0,85 = 67,9915 → 67,99
    assert_eq!(
        bill_service(p, &terms, std::slice::from_ref(&percent))
            .unwrap()
            .amount,
        zl(6_799)
    );
    assert_eq!(
        bill_service(p, &terms, std::slice::from_ref(&amount))
            .unwrap()
            .amount,
        zl(6_999)
    );
    // Order in the list does not matter: percentages first, then amounts.
    let both = bill_service(p, &terms, &[amount.clone(), percent.clone()]).unwrap();
    assert_eq!(both.amount, zl(5_799));
    assert_eq!(
        both.discounts,
        vec!["Rabat 10 zł".to_owned(), "Lojalność 15%".to_owned()]
    );
}

#[test]
fn a_discount_outside_the_billed_days_does_not_apply() {
    let p = period("2026-12");
    let terms = active(date(2025, 1, 1), None, 7_999);
    let ended = discount(
        "Promocja",
        DiscountKind::Percent(5_000),
        date(2026, 1, 1),
        Some(date(2026, 11, 30)),
    );
    let future = discount(
        "Od stycznia",
        DiscountKind::Percent(5_000),
        date(2027, 1, 1),
        None,
    );
    let last_day = discount(
        "Do 1 grudnia",
        DiscountKind::Percent(5_000),
        date(2026, 1, 1),
        Some(date(2026, 12, 1)),
    );
    assert_eq!(
        bill_service(p, &terms, &[ended, future]).unwrap().amount,
        zl(7_999)
    );
    assert_eq!(
        bill_service(p, &terms, &[last_day]).unwrap().amount,
        zl(4_000)
    );
}

#[test]
fn discounts_are_taken_before_pro_rata_and_never_below_zero() {
    // (79,99 − 20,00) × 17/31 = 32,8977… → 32,90 zł
    let p = period("2026-12");
    let terms = active(date(2026, 12, 15), None, 7_999);
    let amount = discount(
        "Rabat 20 zł",
        DiscountKind::Amount(zl(2_000)),
        date(2026, 1, 1),
        None,
    );
    assert_eq!(
        bill_service(p, &terms, &[amount]).unwrap().amount,
        zl(3_290)
    );
    let too_much = discount(
        "Rabat 100 zł",
        DiscountKind::Amount(zl(10_000)),
        date(2026, 1, 1),
        None,
    );
    assert_eq!(
        bill_service(p, &terms, &[too_much]),
        Err(SkipReason::FreeOfCharge)
    );
    let all = discount(
        "Gratis",
        DiscountKind::Percent(10_000),
        date(2026, 1, 1),
        None,
    );
    assert_eq!(
        bill_service(p, &terms, &[all]),
        Err(SkipReason::FreeOfCharge)
    );
}

#[test]
fn stored_discounts_are_checked() {
    assert_eq!(
        DiscountKind::from_stored("percent", 1_500),
        Some(DiscountKind::Percent(1_500))
    );
    assert_eq!(DiscountKind::from_stored("percent", 10_001), None);
    assert_eq!(DiscountKind::from_stored("percent", 0), None);
    assert_eq!(
        DiscountKind::from_stored("amount", 500),
        Some(DiscountKind::Amount(zl(500)))
    );
    assert_eq!(DiscountKind::from_stored("amount", -5), None);
    assert_eq!(DiscountKind::from_stored("gift", 5), None);
}

#[test]
fn prorate_edge_cases() {
    assert_eq!(prorate(zl(7_999), 31, 31), zl(7_999));
    assert_eq!(prorate(zl(7_999), 0, 31), zl(0));
    assert_eq!(prorate(zl(1), 1, 31), zl(0));
    assert_eq!(prorate(zl(1), 15, 30), zl(1)); // 0,005 → 0,01
    assert_eq!(prorate(zl(7_999), 40, 31), zl(7_999));
    assert_eq!(prorate(zl(7_999), 5, 0), zl(7_999));
}

#[test]
fn businesses_get_the_net_of_the_gross_price() {
    // 79,99 / 1,23 = 65,0325… → 65,03; 10,00 / 1,23 = 8,1300… → 8,13
    assert_eq!(net_of_gross(zl(7_999), VatRate::Standard23), zl(6_503));
    assert_eq!(net_of_gross(zl(1_000), VatRate::Standard23), zl(813));
    assert_eq!(net_of_gross(zl(10_800), VatRate::Reduced8), zl(10_000));
    assert_eq!(net_of_gross(zl(10_000), VatRate::Zero), zl(10_000));
    assert_eq!(net_of_gross(zl(10_000), VatRate::Exempt), zl(10_000));
}

#[test]
fn line_names_say_the_month_or_the_days_and_the_discount() {
    let p = period("2026-12");
    let whole = bill_service(p, &active(date(2025, 1, 1), None, 7_999), &[]).unwrap();
    assert_eq!(
        service_line_name("Internet 600/60", p, &whole),
        "Internet 600/60 — abonament 12.2026"
    );
    let part = bill_service(
        p,
        &active(date(2026, 12, 15), None, 7_999),
        &[discount(
            "Promocja",
            DiscountKind::Percent(1_000),
            date(2026, 1, 1),
            None,
        )],
    )
    .unwrap();
    assert_eq!(
        service_line_name("Internet 600/60", p, &part),
        "Internet 600/60 — abonament 15.12–31.12.2026 (17/31 dni), rabat: Promocja"
    );
}
