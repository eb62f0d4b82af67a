//! Where a visit may start: on a 30-minute grid inside the technician's working hours (Polish
//! wall clock) on a day that is not their day off, far enough ahead, and with every cell it
//! covers free. Slots are real instants: on the day the clocks go back a working day from
//! midnight to six is seven hours long, and on the day they go forward, five.

use std::collections::{BTreeSet, HashSet};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use super::warsaw;

/// The grid of a technician's day; visit durations are whole multiples of it, and each cell a
/// visit covers is held under a UNIQUE key (`visit_slot_holds`).
pub const SLOT_MINUTES: i64 = 30;

/// One weekday's hours: minutes after local midnight, `starts < ends <= 1440`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkingHours {
    pub starts_minute: i64,
    pub ends_minute: i64,
}

/// A technician's week and days off.
#[derive(Debug, Clone, Default)]
pub struct Schedule {
    /// Index 0 is Monday.
    pub week: [Option<WorkingHours>; 7],
    pub days_off: BTreeSet<NaiveDate>,
}

/// Why a slot cannot be booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotProblem {
    /// It has begun or passed.
    Past,
    /// A free visit must be booked `free_notice_hours` ahead.
    TooSoonForFree,
    /// Not on the grid of the technician's working hours that day, or a day off.
    OutsideHours,
}

impl Schedule {
    pub fn hours_on(&self, day: NaiveDate) -> Option<WorkingHours> {
        if self.days_off.contains(&day) {
            return None;
        }
        self.week[day.weekday().num_days_from_monday() as usize]
    }

    /// The UTC starts of every slot of `duration_minutes` on the local `day`, free or not.
    pub fn day_slots(&self, day: NaiveDate, duration_minutes: i64) -> Vec<NaiveDateTime> {
        let Some(hours) = self.hours_on(day) else {
            return Vec::new();
        };
        let start = warsaw::wall_clock(day, hours.starts_minute);
        let end = warsaw::wall_clock(day, hours.ends_minute);
        let duration = Duration::minutes(duration_minutes);
        let mut slots = Vec::new();
        let mut at = start;
        while at + duration <= end {
            slots.push(at);
            at += Duration::minutes(SLOT_MINUTES);
        }
        slots
    }

    /// Whether `start` (UTC) is a slot of this schedule for a visit of `duration_minutes`.
    pub fn has_slot(&self, start: NaiveDateTime, duration_minutes: i64) -> bool {
        let day = warsaw::to_local(start).date();
        self.day_slots(day, duration_minutes).contains(&start)
    }
}

/// The grid cells a visit starting at `start` covers.
pub fn cells(start: NaiveDateTime, duration_minutes: i64) -> Vec<NaiveDateTime> {
    (0..duration_minutes / SLOT_MINUTES)
        .map(|i| start + Duration::minutes(i * SLOT_MINUTES))
        .collect()
}

/// Whether a slot may be booked at `now` (ignoring other bookings): on the schedule, not begun,
/// and for a free visit at least `free_notice_hours` ahead.
pub fn check_slot(
    schedule: &Schedule,
    start: NaiveDateTime,
    duration_minutes: i64,
    free: bool,
    free_notice_hours: i64,
    now: NaiveDateTime,
) -> Result<(), SlotProblem> {
    if start <= now {
        return Err(SlotProblem::Past);
    }
    if !schedule.has_slot(start, duration_minutes) {
        return Err(SlotProblem::OutsideHours);
    }
    if free && start < now + Duration::hours(free_notice_hours) {
        return Err(SlotProblem::TooSoonForFree);
    }
    Ok(())
}

/// The bookable slots of local days `from..=to`, none of whose cells is in `held`.
#[allow(clippy::too_many_arguments)]
pub fn free_slots(
    schedule: &Schedule,
    from: NaiveDate,
    to: NaiveDate,
    duration_minutes: i64,
    free: bool,
    free_notice_hours: i64,
    held: &HashSet<NaiveDateTime>,
    now: NaiveDateTime,
) -> Vec<NaiveDateTime> {
    from.iter_days()
        .take_while(|day| *day <= to)
        .flat_map(|day| schedule.day_slots(day, duration_minutes))
        .filter(|start| {
            check_slot(
                schedule,
                *start,
                duration_minutes,
                free,
                free_notice_hours,
                now,
            )
            .is_ok()
        })
        .filter(|start| {
            cells(*start, duration_minutes)
                .iter()
                .all(|cell| !held.contains(cell))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(d: NaiveDate, h: u32, min: u32) -> NaiveDateTime {
        d.and_hms_opt(h, min, 0).unwrap()
    }

    fn every_day(starts: i64, ends: i64) -> Schedule {
        Schedule {
            week: [Some(WorkingHours {
                starts_minute: starts,
                ends_minute: ends,
            }); 7],
            days_off: BTreeSet::new(),
        }
    }

    #[test]
    fn an_eight_hour_day_has_fifteen_hour_long_slots_in_local_time() {
        let schedule = every_day(8 * 60, 16 * 60);
        let slots = schedule.day_slots(day(2027, 7, 1), 60);
        assert_eq!(slots.len(), 15);
        assert_eq!(slots[0], at(day(2027, 7, 1), 6, 0)); // 08:00 CEST
        assert_eq!(*slots.last().unwrap(), at(day(2027, 7, 1), 13, 0)); // 15:00 CEST
    }

    #[test]
    fn the_night_the_clocks_go_forward_is_an_hour_shorter() {
        let schedule = every_day(0, 6 * 60);
        let sunday = day(2027, 3, 28);
        let slots = schedule.day_slots(sunday, 30);
        assert_eq!(slots.len(), 10); // 5 real hours
        assert_eq!(slots[0], at(day(2027, 3, 27), 23, 0));
        assert_eq!(*slots.last().unwrap(), at(sunday, 3, 30)); // 05:30 CEST
        let ordinary = schedule.day_slots(day(2027, 3, 21), 30);
        assert_eq!(ordinary.len(), 12);
    }

    #[test]
    fn the_night_the_clocks_go_back_is_an_hour_longer() {
        let schedule = every_day(0, 6 * 60);
        let sunday = day(2027, 10, 31);
        let slots = schedule.day_slots(sunday, 30);
        assert_eq!(slots.len(), 14); // 7 real hours
        // 02:30 local happens twice: at 00:30 and at 01:30 UTC, both real slots.
        assert!(slots.contains(&at(sunday, 0, 30)) && slots.contains(&at(sunday, 1, 30)));
    }

    #[test]
    fn days_off_and_days_without_hours_have_no_slots() {
        let mut schedule = every_day(8 * 60, 16 * 60);
        schedule.days_off.insert(day(2027, 7, 1));
        assert!(schedule.day_slots(day(2027, 7, 1), 60).is_empty());
        schedule.week[6] = None; // Sunday
        assert!(schedule.day_slots(day(2027, 7, 4), 60).is_empty());
        assert!(!schedule.has_slot(at(day(2027, 7, 1), 6, 0), 60));
    }

    #[test]
    fn a_slot_must_be_ahead_on_the_grid_and_free_visits_a_day_ahead() {
        let schedule = every_day(8 * 60, 16 * 60);
        let now = at(day(2027, 7, 1), 9, 0);
        let a_day_later = at(day(2027, 7, 2), 9, 0); // 11:00 local, exactly 24 h ahead
        assert_eq!(
            check_slot(&schedule, at(day(2027, 7, 1), 8, 0), 60, false, 24, now),
            Err(SlotProblem::Past)
        );
        assert_eq!(
            check_slot(&schedule, at(day(2027, 7, 1), 10, 15), 60, false, 24, now),
            Err(SlotProblem::OutsideHours)
        );
        assert_eq!(
            check_slot(&schedule, at(day(2027, 7, 1), 18, 0), 60, false, 24, now),
            Err(SlotProblem::OutsideHours)
        );
        assert_eq!(
            check_slot(&schedule, at(day(2027, 7, 1), 10, 0), 60, true, 24, now),
            Err(SlotProblem::TooSoonForFree)
        );
        assert_eq!(
            check_slot(&schedule, at(day(2027, 7, 1), 10, 0), 60, false, 24, now),
            Ok(())
        );
        assert_eq!(
            check_slot(&schedule, a_day_later, 60, true, 24, now),
            Ok(())
        );
    }

    #[test]
    fn a_held_cell_takes_every_slot_that_would_cover_it() {
        let schedule = every_day(8 * 60, 12 * 60);
        let d = day(2027, 7, 1);
        let held: HashSet<_> = [at(d, 7, 0)].into_iter().collect(); // 09:00 local
        let now = at(day(2027, 6, 1), 0, 0);
        let free = free_slots(&schedule, d, d, 60, false, 24, &held, now);
        // A visit at 08:30 would run into 09:00, which is held; 08:00 ends just before it.
        assert_eq!(
            free,
            vec![
                at(d, 6, 0),
                at(d, 7, 30),
                at(d, 8, 0),
                at(d, 8, 30),
                at(d, 9, 0)
            ]
        );
        assert_eq!(cells(at(d, 6, 0), 90).len(), 3);
    }
}
