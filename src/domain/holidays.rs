//! Polish public holidays ("dni wolne od pracy", ustawa z 18 stycznia 1951 r.) and the working
//! day rule of art. 115 k.c.: a deadline that falls on a public holiday or a Saturday ends on the
//! next day that is neither. Computed for any year (Easter by the Gregorian computus), never a
//! list of years.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous "Meeus/Jones/Butcher"
/// computus). `None` only for years chrono cannot represent.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// Every public holiday of `year`, in date order.
pub fn public_holidays(year: i32) -> Vec<NaiveDate> {
    let fixed: &[(u32, u32, i32)] = &[
        // (month, day, first year it is a holiday in this form)
        (1, 1, i32::MIN),
        // Epiphany is a day off again since 2011 (ustawa z 24 września 2010 r.).
        (1, 6, 2011),
        (5, 1, i32::MIN),
        (5, 3, i32::MIN),
        (8, 15, i32::MIN),
        (11, 1, i32::MIN),
        (11, 11, i32::MIN),
        // Christmas Eve is a day off from 2025 on (ustawa z 6 grudnia 2024 r.).
        (12, 24, 2025),
        (12, 25, i32::MIN),
        (12, 26, i32::MIN),
    ];
    let mut days: Vec<NaiveDate> = fixed
        .iter()
        .filter(|(_, _, since)| year >= *since)
        .filter_map(|(month, day, _)| NaiveDate::from_ymd_opt(year, *month, *day))
        .collect();
    if let Some(easter) = easter_sunday(year) {
        days.push(easter);
        days.push(easter + Duration::days(1)); // Easter Monday
        days.push(easter + Duration::days(49)); // Pentecost ("Zielone Świątki"), a Sunday
        days.push(easter + Duration::days(60)); // Corpus Christi ("Boże Ciało")
    }
    days.sort();
    days
}

pub fn is_public_holiday(date: NaiveDate) -> bool {
    public_holidays(date.year()).contains(&date)
}

/// A day on which a deadline may end under art. 115 k.c.: not a Saturday, not a Sunday (every
/// Sunday is a public holiday), not a public holiday.
pub fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_public_holiday(date)
}

/// `date` itself when it is a working day, else the next one (art. 115 k.c.).
pub fn working_day_on_or_after(date: NaiveDate) -> NaiveDate {
    let mut day = date;
    // The longest run of days off is short (Christmas with a weekend: 24–28 Dec); the bound
    // only guards against a calendar bug looping for ever.
    for _ in 0..14 {
        if is_working_day(day) {
            return day;
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => return day,
        }
    }
    day
}

/// The first working day after `date` (the offline24 deadline for sending an invoice to KSeF).
pub fn next_working_day(date: NaiveDate) -> NaiveDate {
    date.succ_opt().map_or(date, working_day_on_or_after)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn easter_sundays_match_the_church_calendar() {
        for (year, month, day) in [
            (1818, 3, 22), // the earliest possible
            (1943, 4, 25), // the latest possible
            (2000, 4, 23),
            (2008, 3, 23),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2028, 4, 16),
            (2038, 4, 25),
        ] {
            assert_eq!(easter_sunday(year), Some(date(year, month, day)), "{year}");
        }
    }

    #[test]
    fn the_2026_holidays_are_the_statutory_list() {
        let expected = [
            date(2026, 1, 1),
            date(2026, 1, 6),
            date(2026, 4, 5),
            date(2026, 4, 6),
            date(2026, 5, 1),
            date(2026, 5, 3),
            date(2026, 5, 24),
            date(2026, 6, 4),
            date(2026, 8, 15),
            date(2026, 11, 1),
            date(2026, 11, 11),
            date(2026, 12, 24),
            date(2026, 12, 25),
            date(2026, 12, 26),
        ];
        assert_eq!(public_holidays(2026), expected);
    }

    #[test]
    fn christmas_eve_is_a_holiday_from_2025_only() {
        assert!(!is_public_holiday(date(2024, 12, 24)));
        assert!(is_public_holiday(date(2025, 12, 24)));
        assert!(is_public_holiday(date(2030, 12, 24)));
    }

    #[test]
    fn epiphany_is_a_holiday_from_2011_only() {
        assert!(!is_public_holiday(date(2010, 1, 6)));
        assert!(is_public_holiday(date(2011, 1, 6)));
    }

    #[test]
    fn corpus_christi_moves_with_easter() {
        assert!(is_public_holiday(date(2025, 6, 19)));
        assert!(is_public_holiday(date(2027, 5, 27)));
        assert!(!is_public_holiday(date(2026, 6, 19)));
    }

    #[test]
    fn a_due_date_on_easter_saturday_moves_to_the_tuesday() {
        // 2026-04-04 is Holy Saturday; Sunday and Monday are holidays.
        assert_eq!(working_day_on_or_after(date(2026, 4, 4)), date(2026, 4, 7));
    }

    #[test]
    fn a_due_date_on_a_working_day_stays() {
        assert_eq!(
            working_day_on_or_after(date(2026, 5, 20)),
            date(2026, 5, 20)
        );
    }

    #[test]
    fn christmas_2026_with_its_weekend_ends_on_monday_the_28th() {
        // Thu 24, Fri 25, Sat 26, Sun 27 Dec 2026.
        assert_eq!(
            working_day_on_or_after(date(2026, 12, 24)),
            date(2026, 12, 28)
        );
    }

    #[test]
    fn saturdays_and_sundays_are_never_working_days() {
        assert!(!is_working_day(date(2026, 12, 5)));
        assert!(!is_working_day(date(2026, 12, 6)));
        assert!(is_working_day(date(2026, 12, 7)));
    }

    #[test]
    fn the_next_working_day_skips_weekends_and_holidays() {
        // Friday → Monday.
        assert_eq!(next_working_day(date(2026, 12, 4)), date(2026, 12, 7));
        // Wednesday 23 Dec 2026 → Christmas Eve, Christmas, St Stephen's, Sunday → Monday 28th.
        assert_eq!(next_working_day(date(2026, 12, 23)), date(2026, 12, 28));
        // Easter Monday 2026 (6 April) and Corpus Christi (4 June) are holidays.
        assert_eq!(next_working_day(date(2026, 4, 3)), date(2026, 4, 7));
        assert_eq!(next_working_day(date(2026, 6, 3)), date(2026, 6, 5));
        // 10 Nov 2026 (Tuesday) → 11 Nov is a holiday → Thursday 12th.
        assert_eq!(next_working_day(date(2026, 11, 10)), date(2026, 11, 12));
        assert_eq!(next_working_day(date(2026, 12, 7)), date(2026, 12, 8));
    }
}
