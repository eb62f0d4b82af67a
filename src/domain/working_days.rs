//! Working days in Poland: not Saturdays, Sundays or public holidays (ustawa z 18 stycznia 1951
//! o dniach wolnych od pracy; Ordynacja podatkowa art. 12 § 5 moves a deadline that falls on
//! one to the next working day). KSeF's offline deadlines count in them (pl-invoicing §3.4).

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Easter Sunday (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher").
fn easter(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
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
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

pub fn is_public_holiday(date: NaiveDate) -> bool {
    let fixed = matches!(
        (date.month(), date.day()),
        (1, 1) | (1, 6) | (5, 1) | (5, 3) | (8, 15) | (11, 1) | (11, 11) | (12, 25) | (12, 26)
    );
    // Christmas Eve is a holiday from 2025 (ustawa z 6 grudnia 2024).
    let christmas_eve = date.year() >= 2025 && (date.month(), date.day()) == (12, 24);
    let movable = easter(date.year()).is_some_and(|sunday| {
        // Easter Sunday and Monday, Pentecost (the 7th Sunday after), Corpus Christi (60 days).
        [0_u64, 1, 49, 60]
            .iter()
            .any(|offset| sunday.checked_add_days(Days::new(*offset)) == Some(date))
    });
    fixed || christmas_eve || movable
}

pub fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_public_holiday(date)
}

/// The first working day after `date`.
pub fn next_working_day(date: NaiveDate) -> NaiveDate {
    let mut day = date;
    // A fortnight without a working day does not exist; the bound only ends the loop.
    for _ in 0..14 {
        day = day.succ_opt().unwrap_or(day);
        if is_working_day(day) {
            break;
        }
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn easter_falls_where_the_calendar_says() {
        assert_eq!(easter(2024), Some(date(2024, 3, 31)));
        assert_eq!(easter(2026), Some(date(2026, 4, 5)));
        assert_eq!(easter(2027), Some(date(2027, 3, 28)));
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
