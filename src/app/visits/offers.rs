//! The free slots offered for a kind of visit at an address: every active technician whose
//! areas cover it, their hours and days off, minus the cells other visits hold.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::db::visits::{Technician, VisitKind};
use crate::db::{self, DbConn};
use crate::domain::visits::slots::{self, Schedule, WorkingHours};
use crate::domain::visits::{area_covers, warsaw};

/// How far ahead slots are offered.
pub const DAYS_AHEAD: i64 = 14;

#[derive(Debug, Clone, Serialize)]
pub struct Slot {
    /// What the form sends back: `<technician>@<UTC start as YYYYMMDDTHHMM>`.
    pub value: String,
    pub technician_id: i64,
    pub technician: String,
    pub starts_at: NaiveDateTime,
    /// Polish wall-clock time, "08:30".
    pub time: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SlotDay {
    pub day: NaiveDate,
    pub slots: Vec<Slot>,
}

pub fn slot_value(technician_id: i64, starts_at: NaiveDateTime) -> String {
    format!("{technician_id}@{}", starts_at.format("%Y%m%dT%H%M"))
}

/// The technician and UTC start a slot value names; None for anything else.
pub fn parse_slot(value: &str) -> Option<(i64, NaiveDateTime)> {
    let (technician, start) = value.trim().split_once('@')?;
    let technician = technician.parse().ok()?;
    let start = NaiveDateTime::parse_from_str(start, "%Y%m%dT%H%M").ok()?;
    Some((technician, start))
}

/// Active technicians whose areas cover the address.
pub fn technicians_serving(
    conn: &mut DbConn,
    postal_code: &str,
    city: &str,
) -> diesel::QueryResult<Vec<i64>> {
    let mut ids: Vec<i64> = db::visits::active_areas(conn)?
        .into_iter()
        .filter(|(_, area)| area_covers(area, postal_code, city))
        .map(|(id, _)| id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The technicians' schedules for local days `from..=to`.
pub fn schedules(
    conn: &mut DbConn,
    technician_ids: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> diesel::QueryResult<HashMap<i64, Schedule>> {
    let mut out: HashMap<i64, Schedule> = technician_ids
        .iter()
        .map(|id| (*id, Schedule::default()))
        .collect();
    for row in db::visits::hours_of(conn, technician_ids)? {
        if let Some(schedule) = out.get_mut(&row.technician_id)
            && (1..=7).contains(&row.weekday)
        {
            schedule.week[(row.weekday - 1) as usize] = Some(WorkingHours {
                starts_minute: row.starts_minute,
                ends_minute: row.ends_minute,
            });
        }
    }
    for off in db::visits::days_off_of(conn, technician_ids, from, to)? {
        if let Some(schedule) = out.get_mut(&off.technician_id) {
            schedule.days_off.insert(off.day);
        }
    }
    Ok(out)
}

/// One technician's schedule around a moment (its local day, with a day's margin either side).
pub fn schedule_at(
    conn: &mut DbConn,
    technician_id: i64,
    at: NaiveDateTime,
) -> diesel::QueryResult<Schedule> {
    let day = warsaw::to_local(at).date();
    let from = day.pred_opt().unwrap_or(day);
    let to = day.succ_opt().unwrap_or(day);
    Ok(schedules(conn, &[technician_id], from, to)?
        .remove(&technician_id)
        .unwrap_or_default())
}

/// Free slots for `kind` at the address over the next `DAYS_AHEAD` days, one per start time
/// (the first free technician takes it), grouped by Polish day.
pub fn free_slots(
    conn: &mut DbConn,
    postal_code: &str,
    city: &str,
    kind: &VisitKind,
    now: NaiveDateTime,
) -> diesel::QueryResult<Vec<SlotDay>> {
    let ids = technicians_serving(conn, postal_code, city)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let names: HashMap<i64, Technician> = db::visits::technicians(conn)?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let from = warsaw::to_local(now).date();
    let to = from + Duration::days(DAYS_AHEAD);
    let schedules = schedules(conn, &ids, from, to)?;
    let mut held: HashMap<i64, HashSet<NaiveDateTime>> = HashMap::new();
    for (technician, cell) in db::visits::held_cells(
        conn,
        &ids,
        now - Duration::days(1),
        now + Duration::days(DAYS_AHEAD + 2),
    )? {
        held.entry(technician).or_default().insert(cell);
    }
    let empty = HashSet::new();
    let mut by_start: BTreeMap<NaiveDateTime, Slot> = BTreeMap::new();
    for id in &ids {
        let Some(schedule) = schedules.get(id) else {
            continue;
        };
        let free = slots::free_slots(
            schedule,
            from,
            to,
            kind.duration_minutes,
            kind.price == 0,
            kind.free_notice_hours,
            held.get(id).unwrap_or(&empty),
            now,
        );
        for start in free {
            by_start.entry(start).or_insert_with(|| Slot {
                value: slot_value(*id, start),
                technician_id: *id,
                technician: names.get(id).map(|t| t.name.clone()).unwrap_or_default(),
                starts_at: start,
                time: warsaw::to_local(start).format("%H:%M").to_string(),
            });
        }
    }
    let mut days: Vec<SlotDay> = Vec::new();
    for (start, slot) in by_start {
        let day = warsaw::to_local(start).date();
        match days.last_mut() {
            Some(last) if last.day == day => last.slots.push(slot),
            _ => days.push(SlotDay {
                day,
                slots: vec![slot],
            }),
        }
    }
    Ok(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_value_reads_back() {
        let at = NaiveDate::from_ymd_opt(2027, 3, 28)
            .unwrap()
            .and_hms_opt(8, 30, 0)
            .unwrap();
        assert_eq!(parse_slot(&slot_value(7, at)), Some((7, at)));
        assert_eq!(parse_slot("7@2027"), None);
        assert_eq!(parse_slot("x@20270328T0830"), None);
        assert_eq!(parse_slot(""), None);
    }
}
