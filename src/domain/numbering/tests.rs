use chrono::Days;

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("test date exists")
}

fn template(s: &str) -> NumberTemplate {
    NumberTemplate::parse(s).expect("test template is valid")
}

fn render(s: &str, issue_date: NaiveDate, seq: u64) -> String {
    template(s).render(issue_date, seq)
}

// --- reset periods and period keys ---

#[test]
fn reset_periods_parse_from_their_names_and_print_back() {
    for reset in [
        ResetPeriod::Monthly,
        ResetPeriod::Yearly,
        ResetPeriod::Never,
    ] {
        assert_eq!(ResetPeriod::parse(reset.as_str()), Ok(reset));
    }
    assert_eq!(ResetPeriod::parse(" Yearly "), Ok(ResetPeriod::Yearly));
    assert_eq!(
        ResetPeriod::parse("weekly"),
        Err(NumberingError::UnknownResetPeriod("weekly".to_owned()))
    );
}

#[test]
fn reset_period_serialises_as_its_lowercase_name() {
    let json = serde_json::to_string(&ResetPeriod::Monthly).expect("serialises");
    assert_eq!(json, r#""monthly""#);
}

#[test]
fn period_key_is_month_year_or_all() {
    let d = date(2026, 11, 5);
    assert_eq!(period_key(d, ResetPeriod::Monthly), "2026-11");
    assert_eq!(period_key(d, ResetPeriod::Yearly), "2026");
    assert_eq!(period_key(d, ResetPeriod::Never), "all");
    assert_eq!(
        period_key(date(2027, 1, 1), ResetPeriod::Monthly),
        "2027-01"
    );
}

#[test]
fn monthly_key_changes_from_november_30_to_december_1_and_not_within_a_month() {
    let key = |d| period_key(d, ResetPeriod::Monthly);
    assert_ne!(key(date(2026, 11, 30)), key(date(2026, 12, 1)));
    assert_eq!(key(date(2026, 11, 1)), key(date(2026, 11, 30)));
}

#[test]
fn yearly_key_changes_from_december_31_to_january_1_and_not_within_a_year() {
    let key = |d| period_key(d, ResetPeriod::Yearly);
    assert_ne!(key(date(2026, 12, 31)), key(date(2027, 1, 1)));
    assert_eq!(key(date(2026, 11, 30)), key(date(2026, 12, 1)));
    assert_eq!(key(date(2026, 1, 1)), key(date(2026, 12, 31)));
}

#[test]
fn period_key_changes_exactly_when_the_reset_period_changes_day_by_day() {
    let mut day = date(2023, 1, 1);
    while day < date(2029, 1, 1) {
        let next = day + Days::new(1);
        let new_month = next.month() != day.month();
        let new_year = next.year() != day.year();
        for (reset, expect_change) in [
            (ResetPeriod::Monthly, new_month),
            (ResetPeriod::Yearly, new_year),
            (ResetPeriod::Never, false),
        ] {
            let changed = period_key(day, reset) != period_key(next, reset);
            assert_eq!(changed, expect_change, "{reset} {day} → {next}");
        }
        day = next;
    }
}

// --- rendering ---

#[test]
fn the_usual_monthly_template_renders_year_month_and_padded_counter() {
    assert_eq!(
        render("FV/{YYYY}/{MM}/{N:06}", date(2026, 11, 5), 42),
        "FV/2026/11/000042"
    );
}

#[test]
fn year_token_renders_four_digits() {
    assert_eq!(render("{YYYY}-{N}", date(2026, 3, 1), 1), "2026-1");
}

#[test]
fn short_year_token_renders_two_digits_with_leading_zero() {
    assert_eq!(render("{YY}-{N}", date(2026, 3, 1), 1), "26-1");
    assert_eq!(render("{YY}-{N}", date(2005, 3, 1), 1), "05-1");
}

#[test]
fn month_token_renders_two_digits_with_leading_zero() {
    assert_eq!(render("{MM}-{N}", date(2026, 3, 1), 1), "03-1");
    assert_eq!(render("{MM}-{N}", date(2026, 12, 1), 1), "12-1");
}

#[test]
fn bare_counter_has_no_padding() {
    assert_eq!(render("{N}", date(2026, 3, 1), 7), "7");
    assert_eq!(render("{N}", date(2026, 3, 1), 1234), "1234");
}

#[test]
fn padded_counter_is_zero_filled_to_its_width() {
    assert_eq!(render("{N:01}", date(2026, 3, 1), 7), "7");
    assert_eq!(render("{N:04}", date(2026, 3, 1), 7), "0007");
    assert_eq!(render("{N:012}", date(2026, 3, 1), 7), "000000000007");
}

#[test]
fn counter_longer_than_its_padding_is_printed_in_full() {
    assert_eq!(render("FK/{N:03}", date(2026, 3, 1), 12_345), "FK/12345");
}

#[test]
fn literal_text_is_kept_including_polish_letters() {
    assert_eq!(
        render("Korekta nr {N} z {MM}.{YYYY} – ąę", date(2026, 3, 1), 9),
        "Korekta nr 9 z 03.2026 – ąę"
    );
}

#[test]
fn template_prints_and_serialises_as_written() {
    let t = template("FV/{YYYY}/{MM}/{N:06}");
    assert_eq!(t.to_string(), "FV/{YYYY}/{MM}/{N:06}");
    assert_eq!(t.as_str(), "FV/{YYYY}/{MM}/{N:06}");
    let json = serde_json::to_string(&t).expect("serialises");
    let back: NumberTemplate = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(back, t);
    assert!(serde_json::from_str::<NumberTemplate>(r#""FV/{YYYY}""#).is_err());
}

// --- template errors ---

#[test]
fn template_without_counter_is_rejected() {
    assert_eq!(
        NumberTemplate::parse("FV/{YYYY}/{MM}"),
        Err(NumberingError::MissingCounter)
    );
    assert_eq!(
        NumberTemplate::parse(""),
        Err(NumberingError::MissingCounter)
    );
}

#[test]
fn template_with_two_counters_is_rejected() {
    assert_eq!(
        NumberTemplate::parse("FV/{N}/{N:04}"),
        Err(NumberingError::MoreThanOneCounter)
    );
}

#[test]
fn unknown_token_is_rejected_with_its_name() {
    assert_eq!(
        NumberTemplate::parse("FV/{DD}/{N}"),
        Err(NumberingError::UnknownToken("DD".to_owned()))
    );
    assert_eq!(
        NumberTemplate::parse("FV/{yyyy}/{N}"),
        Err(NumberingError::UnknownToken("yyyy".to_owned()))
    );
    assert_eq!(
        NumberTemplate::parse("FV/{}/{N}"),
        Err(NumberingError::UnknownToken(String::new()))
    );
}

#[test]
fn unclosed_brace_is_rejected() {
    assert_eq!(
        NumberTemplate::parse("FV/{N}/{YYYY"),
        Err(NumberingError::UnclosedBrace)
    );
}

#[test]
fn closing_brace_without_opening_is_rejected() {
    assert_eq!(
        NumberTemplate::parse("FV/{N}}"),
        Err(NumberingError::StrayClosingBrace)
    );
}

#[test]
fn counter_width_must_be_zero_prefixed_and_between_1_and_12() {
    for bad in ["N:00", "N:013", "N:6", "N:0", "N:", "N:0x", "N:-1"] {
        assert_eq!(
            NumberTemplate::parse(&format!("FV/{{{bad}}}")),
            Err(NumberingError::BadCounterWidth(bad.to_owned())),
            "{bad}"
        );
    }
}

#[test]
fn control_characters_are_rejected() {
    assert_eq!(
        NumberTemplate::parse("FV/{N}\n"),
        Err(NumberingError::ControlCharacter)
    );
}

// --- templates against reset periods ---

#[test]
fn monthly_series_needs_year_and_month() {
    assert_eq!(
        template("FV/{YYYY}/{MM}/{N}").check_fits(ResetPeriod::Monthly),
        Ok(())
    );
    assert_eq!(
        template("FV/{MM}/{YY}/{N}").check_fits(ResetPeriod::Monthly),
        Ok(())
    );
    assert_eq!(
        template("FV/{YYYY}/{N}").check_fits(ResetPeriod::Monthly),
        Err(NumberingError::MissingMonth)
    );
    assert_eq!(
        template("FV/{MM}/{N}").check_fits(ResetPeriod::Monthly),
        Err(NumberingError::MissingYear)
    );
}

#[test]
fn yearly_series_needs_a_year() {
    assert_eq!(
        template("FV/{YYYY}/{N}").check_fits(ResetPeriod::Yearly),
        Ok(())
    );
    assert_eq!(
        template("FV/{N}/{YY}").check_fits(ResetPeriod::Yearly),
        Ok(())
    );
    assert_eq!(
        template("FV/{YYYY}/{MM}/{N}").check_fits(ResetPeriod::Yearly),
        Ok(())
    );
    assert_eq!(
        template("FV/{MM}/{N}").check_fits(ResetPeriod::Yearly),
        Err(NumberingError::MissingYear)
    );
}

#[test]
fn never_reset_series_fits_any_template() {
    assert_eq!(template("FV/{N:08}").check_fits(ResetPeriod::Never), Ok(()));
}
