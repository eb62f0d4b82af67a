//! The staff side of visits: a technician's calendar by day or week, and what staff do to a
//! visit (move, cancel, mark done or missed, waive a fee). Every action is audited; the
//! subscriber hears of a move or a cancellation.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde_json::json;

use super::booking::{self, late_rules};
use super::fees::{self, FeeCause};
use super::notify::{self, Event};
use super::offers;
use super::{Effects, VisitError};
use crate::db::visits::{Technician, Visit, VisitKind};
use crate::db::{self, DbConn};
use crate::domain::visits::{VisitStatus, warsaw};

/// Day or week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Span {
    Day,
    Week,
}

#[derive(Debug, Clone, Serialize)]
pub struct CalendarVisit {
    pub visit: Visit,
    pub kind: String,
    pub customer: String,
    pub customer_number: i64,
    /// Polish wall-clock "08:30–09:30".
    pub time: String,
    pub booked: bool,
    pub fee_waivable: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CalendarDay {
    pub day: NaiveDate,
    pub day_off: Option<String>,
    /// "08:00–16:00" or None when the technician does not work that weekday.
    pub hours: Option<String>,
    pub visits: Vec<CalendarVisit>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Calendar {
    pub technician: Technician,
    pub technicians: Vec<Technician>,
    pub span: Span,
    pub from: NaiveDate,
    pub previous: NaiveDate,
    pub next: NaiveDate,
    pub days: Vec<CalendarDay>,
}

fn minutes_label(minute: i64) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// The technician's calendar for the day `on`, or the Monday-to-Sunday week holding it.
pub fn calendar(
    conn: &mut DbConn,
    technician_id: i64,
    on: NaiveDate,
    span: Span,
) -> Result<Calendar, VisitError> {
    let technician =
        db::visits::find_technician(conn, technician_id)?.ok_or(VisitError::NoTechnician)?;
    let (from, length) = match span {
        Span::Day => (on, 1),
        Span::Week => (
            on - Duration::days(i64::from(on.weekday().num_days_from_monday())),
            7,
        ),
    };
    let to = from + Duration::days(length - 1);
    let schedule = offers::schedules(conn, &[technician_id], from, to)?
        .remove(&technician_id)
        .unwrap_or_default();
    let reasons: HashMap<NaiveDate, String> =
        db::visits::days_off_of(conn, &[technician_id], from, to)?
            .into_iter()
            .map(|d| (d.day, d.reason))
            .collect();
    let visits = db::visits::visits_of_technician(
        conn,
        technician_id,
        warsaw::wall_clock(from, 0),
        warsaw::wall_clock(to, 1440),
    )?;
    let mut days: Vec<CalendarDay> = (0..length)
        .map(|i| {
            let day = from + Duration::days(i);
            let hours = schedule.week[day.weekday().num_days_from_monday() as usize].map(|h| {
                format!(
                    "{}–{}",
                    minutes_label(h.starts_minute),
                    minutes_label(h.ends_minute)
                )
            });
            CalendarDay {
                day,
                day_off: reasons.get(&day).cloned(),
                hours,
                visits: Vec::new(),
            }
        })
        .collect();
    for (visit, kind) in visits {
        let day = warsaw::to_local(visit.starts_at).date();
        let customer = db::customers::find(conn, visit.customer_id)?;
        let Some(slot) = days.iter_mut().find(|d| d.day == day) else {
            continue;
        };
        slot.visits.push(CalendarVisit {
            time: format!(
                "{}–{}",
                warsaw::to_local(visit.starts_at).format("%H:%M"),
                warsaw::to_local(visit.ends_at).format("%H:%M")
            ),
            kind: kind.name,
            customer: customer
                .as_ref()
                .map(crate::app::dunning::customer_name)
                .unwrap_or_default(),
            customer_number: customer.map(|c| c.customer_number).unwrap_or_default(),
            booked: visit.status == VisitStatus::Booked,
            fee_waivable: visit.fee_amount.is_some() && visit.fee_waived_at.is_none(),
            visit,
        });
    }
    let step = Duration::days(length);
    Ok(Calendar {
        technicians: db::visits::technicians(conn)?,
        technician,
        span,
        previous: from - step,
        next: from + step,
        from,
        days,
    })
}

fn booked_visit(conn: &mut DbConn, visit_id: i64) -> Result<(Visit, VisitKind), VisitError> {
    let visit = db::visits::find_visit(conn, visit_id)?.ok_or(VisitError::NotFound)?;
    if visit.status != VisitStatus::Booked {
        return Err(VisitError::NotBooked);
    }
    let kind = db::visits::find_kind(conn, visit.kind_id)?.ok_or(VisitError::NotFound)?;
    Ok((visit, kind))
}

/// Staff move a visit to another technician or time (a Polish wall-clock date and "HH:MM").
/// Staff may move inside the notice window; the slot must still be on the technician's
/// hours and free.
pub fn move_visit(
    conn: &mut DbConn,
    visit_id: i64,
    technician_id: i64,
    day: &str,
    time: &str,
    fx: &Effects<'_>,
) -> Result<(), VisitError> {
    let (visit, kind) = booked_visit(conn, visit_id)?;
    let starts_at = parse_local(day, time).ok_or_else(|| {
        let mut errors = crate::app::staff::FieldErrors::default();
        errors.add("time", "visits-error-time");
        VisitError::Invalid(errors)
    })?;
    booking::move_to(
        conn,
        &visit,
        &kind,
        technician_id,
        starts_at,
        (&visit.postal_code, &visit.city),
        false,
        fx,
    )?;
    crate::app::audit::record(
        conn,
        &fx.actor,
        "visit_moved",
        json!({ "visit": visit.id, "customer": visit.customer_id, "from": visit.starts_at,
                "to": starts_at, "technician": technician_id }),
        fx.now,
    )?;
    Ok(())
}

/// "2027-03-28" and "10:00" on the Polish wall clock → UTC.
pub fn parse_local(day: &str, time: &str) -> Option<NaiveDateTime> {
    let day = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok()?;
    let time = chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M").ok()?;
    Some(warsaw::to_utc(day.and_time(time)))
}

/// Staff cancel a visit: no fee (the ISP called it off); the subscriber is told.
pub fn cancel(conn: &mut DbConn, visit_id: i64, fx: &Effects<'_>) -> Result<(), VisitError> {
    let (visit, kind) = booked_visit(conn, visit_id)?;
    if !db::visits::end_visit(
        conn,
        visit.id,
        VisitStatus::Cancelled,
        Some("staff"),
        fx.now,
    )? {
        return Err(VisitError::NotBooked);
    }
    db::visits::release_cells(conn, visit.id)?;
    let ended = db::visits::find_visit(conn, visit.id)?.ok_or(VisitError::NotFound)?;
    notify::send(conn, fx, &ended, &kind, Event::Cancelled, None)?;
    crate::app::audit::record(
        conn,
        &fx.actor,
        "visit_cancelled",
        json!({ "visit": visit.id, "customer": visit.customer_id, "by": "staff" }),
        fx.now,
    )?;
    Ok(())
}

/// The technician was there and did the work.
pub fn mark_done(conn: &mut DbConn, visit_id: i64, fx: &Effects<'_>) -> Result<(), VisitError> {
    let (visit, _) = booked_visit(conn, visit_id)?;
    if !db::visits::end_visit(conn, visit.id, VisitStatus::Done, None, fx.now)? {
        return Err(VisitError::NotBooked);
    }
    crate::app::audit::record(
        conn,
        &fx.actor,
        "visit_done",
        json!({ "visit": visit.id, "customer": visit.customer_id }),
        fx.now,
    )?;
    Ok(())
}

/// Nobody let the technician in: the kind's fee, as for a late cancellation. Only once the
/// visit's time has come.
pub fn mark_missed(conn: &mut DbConn, visit_id: i64, fx: &Effects<'_>) -> Result<(), VisitError> {
    let (visit, kind) = booked_visit(conn, visit_id)?;
    if visit.starts_at > fx.now {
        return Err(VisitError::NotYet);
    }
    if !db::visits::end_visit(conn, visit.id, VisitStatus::Missed, None, fx.now)? {
        return Err(VisitError::NotBooked);
    }
    let fee = late_rules(&kind, visit.price).fee();
    fees::apply(conn, &visit, &kind, FeeCause::Missed, fee, fx)?;
    crate::app::audit::record(
        conn,
        &fx.actor,
        "visit_missed",
        json!({ "visit": visit.id, "customer": visit.customer_id, "fee": fee.grosze() }),
        fx.now,
    )?;
    Ok(())
}

/// Staff waive a visit's fee, with the reason (audited).
pub fn waive_fee(
    conn: &mut DbConn,
    visit_id: i64,
    reason: &str,
    fx: &Effects<'_>,
) -> Result<(), VisitError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        let mut errors = crate::app::staff::FieldErrors::default();
        errors.add("reason", "visits-error-reason");
        return Err(VisitError::Invalid(errors));
    }
    let visit = db::visits::find_visit(conn, visit_id)?.ok_or(VisitError::NotFound)?;
    fees::waive(conn, &visit, reason, fx)?;
    crate::app::audit::record(
        conn,
        &fx.actor,
        "visit_fee_waived",
        json!({ "visit": visit.id, "customer": visit.customer_id,
                "fee": visit.fee_amount, "reason": reason }),
        fx.now,
    )?;
    Ok(())
}

/// A staff action on one visit (cancel, done, missed), as the calendar's handlers take it.
pub type Action = fn(&mut DbConn, i64, &Effects<'_>) -> Result<(), VisitError>;

/// The calendar page a visit is on (its technician, its week).
pub fn page_of(conn: &mut DbConn, visit_id: i64) -> Result<String, VisitError> {
    let visit = crate::db::visits::find_visit(conn, visit_id)?.ok_or(VisitError::NotFound)?;
    Ok(format!(
        "/staff/wizyty/technik/{}?dzien={}",
        visit.technician_id,
        crate::domain::visits::warsaw::to_local(visit.starts_at).date()
    ))
}
