use super::*;

fn words(grosze: i64) -> String {
    amount_in_words(Money::from_grosze(grosze))
}

fn zloty(zloty: i64) -> String {
    words(zloty * 100)
}

/// (whole złoty, expected words without the "00/100" grosze)
const WHOLE_ZLOTY: &[(i64, &str)] = &[
    (0, "zero złotych"),
    (1, "jeden złoty"),
    (2, "dwa złote"),
    (3, "trzy złote"),
    (4, "cztery złote"),
    (5, "pięć złotych"),
    (10, "dziesięć złotych"),
    (11, "jedenaście złotych"),
    (12, "dwanaście złotych"),
    (13, "trzynaście złotych"),
    (14, "czternaście złotych"),
    (15, "piętnaście złotych"),
    (16, "szesnaście złotych"),
    (17, "siedemnaście złotych"),
    (18, "osiemnaście złotych"),
    (19, "dziewiętnaście złotych"),
    (20, "dwadzieścia złotych"),
    (21, "dwadzieścia jeden złotych"),
    (22, "dwadzieścia dwa złote"),
    (25, "dwadzieścia pięć złotych"),
    (99, "dziewięćdziesiąt dziewięć złotych"),
    (100, "sto złotych"),
    (101, "sto jeden złotych"),
    (102, "sto dwa złote"),
    (112, "sto dwanaście złotych"),
    (114, "sto czternaście złotych"),
    (123, "sto dwadzieścia trzy złote"),
    (200, "dwieście złotych"),
    (999, "dziewięćset dziewięćdziesiąt dziewięć złotych"),
    (1_000, "tysiąc złotych"),
    (1_001, "tysiąc jeden złotych"),
    (1_002, "tysiąc dwa złote"),
    (2_000, "dwa tysiące złotych"),
    (5_000, "pięć tysięcy złotych"),
    (12_000, "dwanaście tysięcy złotych"),
    (21_000, "dwadzieścia jeden tysięcy złotych"),
    (22_000, "dwadzieścia dwa tysiące złotych"),
    (22_001, "dwadzieścia dwa tysiące jeden złotych"),
    (101_000, "sto jeden tysięcy złotych"),
    (112_000, "sto dwanaście tysięcy złotych"),
    (1_000_000, "milion złotych"),
    (1_001_000, "milion tysiąc złotych"),
    (2_000_000, "dwa miliony złotych"),
    (2_100_000, "dwa miliony sto tysięcy złotych"),
    (5_000_000, "pięć milionów złotych"),
    (1_000_000_000, "miliard złotych"),
    (3_000_000_000, "trzy miliardy złotych"),
    (1_000_000_000_000, "bilion złotych"),
    (1_000_000_000_000_000, "biliard złotych"),
];

#[test]
fn whole_zloty_amounts_read_with_the_right_plural_forms() {
    for (amount, expected) in WHOLE_ZLOTY {
        assert_eq!(zloty(*amount), format!("{expected} 00/100"), "{amount} zł");
    }
}

#[test]
fn grosze_are_written_as_digits_over_one_hundred() {
    assert_eq!(words(12_345), "sto dwadzieścia trzy złote 45/100");
    assert_eq!(words(2_112), "dwadzieścia jeden złotych 12/100");
    assert_eq!(words(5), "zero złotych 05/100");
    assert_eq!(words(99), "zero złotych 99/100");
}

#[test]
fn a_million_and_more_with_grosze_reads_in_full() {
    assert_eq!(
        words(123_456_789),
        "milion dwieście trzydzieści cztery tysiące pięćset sześćdziesiąt siedem złotych 89/100"
    );
    assert_eq!(
        words(2_222_222_222),
        "dwadzieścia dwa miliony dwieście dwadzieścia dwa tysiące dwieście dwadzieścia dwa złote 22/100"
    );
}

#[test]
fn the_largest_amount_below_a_billion_reads_in_full() {
    assert_eq!(
        words(99_999_999_999),
        "dziewięćset dziewięćdziesiąt dziewięć milionów dziewięćset dziewięćdziesiąt dziewięć \
         tysięcy dziewięćset dziewięćdziesiąt dziewięć złotych 99/100"
    );
}

#[test]
fn negative_amounts_on_corrections_start_with_minus() {
    assert_eq!(words(-2_460), "minus dwadzieścia cztery złote 60/100");
    assert_eq!(words(-1), "minus zero złotych 01/100");
    assert_eq!(zloty(-1), "minus jeden złoty 00/100");
}

#[test]
fn every_money_value_has_words_even_at_the_limits() {
    assert!(words(i64::MAX).starts_with("dziewięćdziesiąt dwa biliardy "));
    // 92 233 720 368 547 758,07 zł
    assert!(words(i64::MAX).ends_with(" pięćdziesiąt osiem złotych 07/100"));
    assert!(words(i64::MIN).starts_with("minus dziewięćdziesiąt dwa biliardy "));
}

#[test]
fn words_never_contain_double_or_edge_spaces() {
    for grosze in (0..200_000)
        .step_by(997)
        .chain([100_000_000, 1_000_000_100])
    {
        let text = words(grosze);
        assert!(!text.contains("  ") && text.trim() == text, "{text:?}");
    }
}
