//! People read visit times on the Polish wall clock; the database keeps UTC. The two differ by
//! one hour in winter and two in summer, and on the last Sundays of March and October one
//! wall-clock hour does not exist or happens twice.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Europe::Warsaw;

/// The UTC instant of a Polish wall-clock time. In the spring gap (02:00–03:00 on the last
/// Sunday of March) the clock jumps: the time is read as the first instant after the gap. In
/// the autumn hour that happens twice the earlier one is meant.
pub fn to_utc(local: NaiveDateTime) -> NaiveDateTime {
    match Warsaw.from_local_datetime(&local).earliest() {
        Some(at) => at.naive_utc(),
        // In a gap (at most an hour): the first wall-clock minute after it, i.e. the jump.
        None => (1..=120)
            .find_map(|minutes| {
                Warsaw
                    .from_local_datetime(&(local + Duration::minutes(minutes)))
                    .earliest()
            })
            .map(|at| at.naive_utc())
            .unwrap_or(local),
    }
}

/// The Polish wall-clock time of a UTC instant.
pub fn to_local(utc: NaiveDateTime) -> NaiveDateTime {
    Warsaw.from_utc_datetime(&utc).naive_local()
}

/// The UTC instant `minute` minutes after local midnight of `day` as the wall clock reads it
/// (1440 is the next day's midnight).
pub fn wall_clock(day: NaiveDate, minute: i64) -> NaiveDateTime {
    let midnight = day.and_time(NaiveTime::MIN);
    to_utc(midnight + Duration::minutes(minute))
}

/// The offset from UTC in hours at a UTC instant (1 in winter, 2 in summer).
pub fn offset_hours(utc: NaiveDateTime) -> i64 {
    (to_local(utc) - utc).num_hours()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    #[test]
    fn summer_is_two_hours_ahead_and_winter_one() {
        assert_eq!(to_utc(at(2027, 7, 1, 10, 0)), at(2027, 7, 1, 8, 0));
        assert_eq!(to_utc(at(2027, 1, 15, 10, 0)), at(2027, 1, 15, 9, 0));
        assert_eq!(to_local(at(2027, 7, 1, 8, 0)), at(2027, 7, 1, 10, 0));
    }

    #[test]
    fn on_the_last_sunday_of_march_the_clock_jumps_from_two_to_three() {
        // 28 March 2027: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
        assert_eq!(to_utc(at(2027, 3, 28, 1, 30)), at(2027, 3, 28, 0, 30));
        assert_eq!(to_utc(at(2027, 3, 28, 2, 30)), at(2027, 3, 28, 1, 0));
        assert_eq!(to_utc(at(2027, 3, 28, 3, 0)), at(2027, 3, 28, 1, 0));
        assert_eq!(to_utc(at(2027, 3, 28, 10, 0)), at(2027, 3, 28, 8, 0));
    }

    #[test]
    fn on_the_last_sunday_of_october_the_earlier_of_the_two_hours_is_meant() {
        // 31 October 2027: 03:00 CEST becomes 02:00 CET at 01:00 UTC.
        assert_eq!(to_utc(at(2027, 10, 31, 2, 30)), at(2027, 10, 31, 0, 30));
        assert_eq!(to_utc(at(2027, 10, 31, 10, 0)), at(2027, 10, 31, 9, 0));
        assert_eq!(to_local(at(2027, 10, 31, 1, 30)), at(2027, 10, 31, 2, 30));
        assert_eq!(
            wall_clock(at(2027, 10, 31, 0, 0).date(), 1440),
            at(2027, 10, 31, 23, 0)
        );
    }
}
