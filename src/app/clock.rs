//! The current time as stored: UTC, truncated to whole microseconds because PostgreSQL keeps no
//! more and SQLite would otherwise keep nanoseconds (comparisons must agree on both backends).

use chrono::{NaiveDate, NaiveDateTime, Timelike, Utc};

pub fn now() -> NaiveDateTime {
    let now = Utc::now().naive_utc();
    let micros = now.nanosecond() / 1_000 * 1_000;
    now.with_nanosecond(micros).unwrap_or(now)
}

/// Today's date where the ISP works: invoices and due dates follow the Polish calendar day.
pub fn today() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Warsaw)
        .date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_has_no_sub_microsecond_part() {
        assert_eq!(now().nanosecond() % 1_000, 0);
    }
}
