use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::*;

fn zl(s: &str) -> Money {
    Money::parse_pl(s).expect("test amount is valid")
}

fn half_up(d: Decimal) -> i64 {
    Money::from_decimal_half_up(d).expect("in range").grosze()
}

// --- rounding (art. 106e ust. 11) ---

#[test]
fn exactly_half_a_grosz_rounds_up_to_one_grosz() {
    assert_eq!(half_up(dec!(0.005)), 1);
}

#[test]
fn minus_half_a_grosz_rounds_away_from_zero_to_minus_one_grosz() {
    assert_eq!(half_up(dec!(-0.005)), -1);
}

#[test]
fn just_under_half_a_grosz_rounds_down_in_both_signs() {
    assert_eq!(half_up(dec!(0.0049)), 0);
    assert_eq!(half_up(dec!(-0.0049)), 0);
    assert!(
        !Money::from_decimal_half_up(dec!(-0.0049))
            .expect("in range")
            .is_negative()
    );
}

#[test]
fn midpoints_that_binary_floats_get_wrong_round_up() {
    assert_eq!(half_up(dec!(1.005)), 101);
    assert_eq!(half_up(dec!(2.675)), 268);
    assert_eq!(half_up(dec!(-2.675)), -268);
}

#[test]
fn amounts_already_in_grosze_are_unchanged_whatever_their_scale() {
    assert_eq!(half_up(dec!(12)), 1200);
    assert_eq!(half_up(dec!(12.3)), 1230);
    assert_eq!(half_up(dec!(1234.56)), 123_456);
    assert_eq!(half_up(dec!(-0.01)), -1);
}

#[test]
fn decimal_beyond_i64_grosze_is_out_of_range() {
    assert_eq!(
        Money::from_decimal_half_up(Decimal::MAX),
        Err(MoneyError::OutOfRange)
    );
    assert_eq!(
        Money::from_decimal_half_up(Decimal::MIN),
        Err(MoneyError::OutOfRange)
    );
    assert_eq!(
        Money::from_decimal_half_up(dec!(92233720368547758.08)),
        Err(MoneyError::OutOfRange)
    );
    assert_eq!(half_up(dec!(92233720368547758.07)), i64::MAX);
}

#[test]
fn to_decimal_has_scale_two() {
    let d = Money::from_grosze(1200).to_decimal();
    assert_eq!(d, dec!(12));
    assert_eq!(d.scale(), 2);
    assert_eq!(d.to_string(), "12.00");
    assert_eq!(Money::from_grosze(-5).to_decimal().to_string(), "-0.05");
}

// --- parsing ---

#[test]
fn parses_every_documented_spelling() {
    assert_eq!(zl("1234,56").grosze(), 123_456);
    assert_eq!(zl("1 234,56").grosze(), 123_456);
    assert_eq!(zl("1234.56").grosze(), 123_456);
    assert_eq!(zl("1 234,56 zł").grosze(), 123_456);
    assert_eq!(zl("12").grosze(), 1200);
    assert_eq!(zl("-5,5").grosze(), -550);
}

#[test]
fn parses_currency_variants_and_pasted_no_break_spaces() {
    assert_eq!(zl("1234,56zł").grosze(), 123_456);
    assert_eq!(zl(" 1 234,56 ZŁ ").grosze(), 123_456);
    assert_eq!(zl("1234,56 zl").grosze(), 123_456);
    assert_eq!(zl("1234,56 PLN").grosze(), 123_456);
    assert_eq!(zl("1\u{a0}234,56\u{a0}zł").grosze(), 123_456);
    assert_eq!(zl("1\u{202f}234\u{202f}567,00").grosze(), 123_456_700);
}

#[test]
fn one_decimal_digit_means_tens_of_grosze() {
    assert_eq!(zl("0,5").grosze(), 50);
    assert_eq!(zl("0,05").grosze(), 5);
    assert_eq!(zl("-0,05").grosze(), -5);
    assert_eq!(zl("-0,00").grosze(), 0);
}

#[test]
fn three_decimal_places_are_too_many() {
    assert_eq!(Money::parse_pl("1,234"), Err(MoneyError::TooManyDecimals));
    assert_eq!(Money::parse_pl("0.001"), Err(MoneyError::TooManyDecimals));
    assert_eq!(
        Money::parse_pl("1,500 zł"),
        Err(MoneyError::TooManyDecimals)
    );
}

#[test]
fn empty_or_blank_input_is_invalid() {
    for input in ["", "   ", "zł", " zł", "-", "- zł"] {
        assert_eq!(
            Money::parse_pl(input),
            Err(MoneyError::Invalid),
            "{input:?}"
        );
    }
}

#[test]
fn ambiguous_or_malformed_amounts_are_invalid() {
    for input in [
        "1.234,56",
        "1,234.56",
        "12 34",
        "1 2345",
        "1  234",
        "abc",
        ",5",
        "5,",
        "+5",
        "- 5",
        "--5",
        "5-",
        "1e3",
        "1_000",
        "1,2,3",
        "12 zł 50",
        "١٢",
    ] {
        let result = Money::parse_pl(input);
        assert!(
            matches!(result, Err(MoneyError::Invalid)),
            "{input:?} gave {result:?}"
        );
    }
}

#[test]
fn largest_amount_parses_and_one_grosz_more_is_out_of_range() {
    assert_eq!(zl("92 233 720 368 547 758,07").grosze(), i64::MAX);
    assert_eq!(zl("-92233720368547758,07").grosze(), -i64::MAX);
    assert_eq!(
        Money::parse_pl("92233720368547758,08"),
        Err(MoneyError::OutOfRange)
    );
    assert_eq!(
        Money::parse_pl("99999999999999999999999"),
        Err(MoneyError::OutOfRange)
    );
}

// --- formatting ---

#[test]
fn display_is_polish_with_grouped_thousands_and_decimal_comma() {
    assert_eq!(Money::from_grosze(123_456).to_string(), "1 234,56 zł");
    assert_eq!(Money::from_grosze(-123_456).to_string(), "-1 234,56 zł");
    assert_eq!(Money::zero().to_string(), "0,00 zł");
    assert_eq!(Money::from_grosze(7).to_string(), "0,07 zł");
}

#[test]
fn grouping_starts_at_one_thousand() {
    assert_eq!(Money::from_grosze(99_999).format_amount(), "999,99");
    assert_eq!(Money::from_grosze(100_000).format_amount(), "1 000,00");
    assert_eq!(Money::from_grosze(99_999_999).format_amount(), "999 999,99");
    assert_eq!(
        Money::from_grosze(100_000_000).format_amount(),
        "1 000 000,00"
    );
    assert_eq!(
        Money::from_grosze(-100_000_000).format_amount(),
        "-1 000 000,00"
    );
}

#[test]
fn negative_amount_under_one_zloty_keeps_its_minus_sign() {
    assert_eq!(Money::from_grosze(-5).to_string(), "-0,05 zł");
    assert_eq!(Money::from_grosze(-99).format_amount(), "-0,99");
}

#[test]
fn extreme_values_format_without_overflow() {
    assert_eq!(
        Money::from_grosze(i64::MAX).format_amount(),
        "92 233 720 368 547 758,07"
    );
    assert_eq!(
        Money::from_grosze(i64::MIN).format_amount(),
        "-92 233 720 368 547 758,08"
    );
}

#[test]
fn display_and_format_amount_parse_back_to_the_same_amount() {
    let mut samples = vec![
        0,
        1,
        -1,
        5,
        99,
        100,
        99_999,
        100_000,
        123_456,
        -123_456,
        i64::MAX,
    ];
    samples.extend((-2_000_000i64..2_000_000).step_by(9_973));
    samples.extend((0..18).map(|p| 10i64.pow(p) + 7));
    for grosze in samples {
        let money = Money::from_grosze(grosze);
        assert_eq!(Money::parse_pl(&money.to_string()), Ok(money), "{money}");
        assert_eq!(
            Money::parse_pl(&money.format_amount()),
            Ok(money),
            "{money}"
        );
    }
}

#[test]
fn decimal_round_trip_is_exact() {
    for grosze in [0, 1, -1, 123_456, -99, i64::MAX, -i64::MAX] {
        let money = Money::from_grosze(grosze);
        assert_eq!(Money::from_decimal_half_up(money.to_decimal()), Ok(money));
    }
}

// --- arithmetic and serde ---

#[test]
fn operators_add_and_subtract_grosze() {
    let mut balance = zl("100");
    balance += zl("0,01");
    balance -= zl("50,50");
    assert_eq!(balance, zl("49,51"));
    assert_eq!(zl("1") + zl("2,50"), zl("3,50"));
    assert_eq!(zl("1") - zl("2,50"), zl("-1,50"));
    assert_eq!(-zl("1,50"), zl("-1,50"));
}

#[test]
fn checked_arithmetic_reports_overflow_instead_of_wrapping() {
    let max = Money::from_grosze(i64::MAX);
    assert_eq!(max.checked_add(Money::from_grosze(1)), None);
    assert_eq!(
        Money::from_grosze(i64::MIN).checked_sub(Money::from_grosze(1)),
        None
    );
    assert_eq!(zl("2").checked_add(zl("3")), Some(zl("5")));
    assert_eq!(zl("2").checked_sub(zl("3")), Some(zl("-1")));
}

#[test]
fn sum_of_owned_and_borrowed_amounts() {
    let lines = [zl("10,00"), zl("0,99"), zl("-1,00")];
    assert_eq!(lines.iter().sum::<Money>(), zl("9,99"));
    assert_eq!(lines.into_iter().sum::<Money>(), zl("9,99"));
    assert_eq!(std::iter::empty::<Money>().sum::<Money>(), Money::zero());
}

#[test]
fn sign_helpers_and_ordering() {
    assert!(zl("-0,01").is_negative());
    assert!(!Money::zero().is_negative());
    assert_eq!(zl("-12,34").abs(), zl("12,34"));
    assert_eq!(zl("12,34").abs(), zl("12,34"));
    assert!(zl("-1") < Money::zero() && Money::zero() < zl("0,01"));
    assert_eq!(Money::default(), Money::zero());
}

#[test]
fn serializes_as_the_integer_of_grosze() {
    assert_eq!(
        serde_json::to_string(&zl("1 234,56")).expect("serialize"),
        "123456"
    );
    assert_eq!(
        serde_json::from_str::<Money>("-5").expect("integer"),
        Money::from_grosze(-5)
    );
    assert!(serde_json::from_str::<Money>("\"12,00\"").is_err());
}
