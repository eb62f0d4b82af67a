//! What support staff set up: technicians (name, phone, areas, working week, days off) and the
//! kinds of visit (duration, price, VAT, late-cancellation terms, how the fee is collected).

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

use super::VisitError;
use crate::app::audit::{self, Actor};
use crate::app::staff::FieldErrors;
use crate::app::staff::pending_charges::RATES;
use crate::db::visits::{DayOff, KindValues, Technician, VisitKind};
use crate::db::{self, DbConn};
use crate::domain::visits::{FeeRule, SLOT_MINUTES};
use crate::domain::{Money, VatRate};

/// Weekday names' message keys, Monday first.
pub const WEEKDAYS: [&str; 7] = [
    "visits-mon",
    "visits-tue",
    "visits-wed",
    "visits-thu",
    "visits-fri",
    "visits-sat",
    "visits-sun",
];

/// A technician's form as typed: times "08:00", empty for a day not worked.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TechnicianForm {
    pub name: String,
    pub phone: String,
    /// Towns or postcode starts, one per line or comma-separated.
    pub areas: String,
    pub starts: [String; 7],
    pub ends: [String; 7],
    pub active: bool,
}

/// The setup page: technicians with their areas and weeks, days off ahead, kinds.
#[derive(Debug, Clone, Serialize)]
pub struct SetupPage {
    pub technicians: Vec<TechnicianRow>,
    pub kinds: Vec<KindRow>,
    pub rates: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KindRow {
    pub kind: VisitKind,
    /// The kind as its edit form shows it (the price in złoty, not grosze).
    pub form: KindForm,
}

impl KindRow {
    fn of(kind: VisitKind) -> KindRow {
        let form = KindForm {
            name: kind.name.clone(),
            duration_minutes: kind.duration_minutes.to_string(),
            price: Money::from_grosze(kind.price).format_amount(),
            vat_rate: kind.vat_rate.clone(),
            late_fee_percent: kind.late_fee_percent.to_string(),
            late_cancel_hours: kind.late_cancel_hours.to_string(),
            free_notice_hours: kind.free_notice_hours.to_string(),
            fee_rule: kind.fee_rule.clone(),
            active: kind.active,
        };
        KindRow { kind, form }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TechnicianRow {
    pub technician: Technician,
    pub form: TechnicianForm,
    pub days_off: Vec<DayOff>,
}

fn time_label(minute: i64) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// "8:00", "08:30", "24:00" → minutes after midnight, on the 30-minute grid.
fn parse_time(text: &str) -> Option<i64> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    let minute = h * 60 + m;
    ((0..60).contains(&m) && (0..=1440).contains(&minute) && minute % SLOT_MINUTES == 0)
        .then_some(minute)
}

pub fn page(conn: &mut DbConn, today: NaiveDate) -> Result<SetupPage, VisitError> {
    let technicians = db::visits::technicians(conn)?;
    let ids: Vec<i64> = technicians.iter().map(|t| t.id).collect();
    let hours = db::visits::hours_of(conn, &ids)?;
    let days_off = db::visits::days_off_of(conn, &ids, today, today + chrono::Duration::days(366))?;
    let mut rows = Vec::new();
    for technician in technicians {
        let mut form = TechnicianForm {
            name: technician.name.clone(),
            phone: technician.phone.clone().unwrap_or_default(),
            areas: db::visits::areas_of(conn, technician.id)?.join(", "),
            active: technician.active,
            ..TechnicianForm::default()
        };
        for h in hours.iter().filter(|h| h.technician_id == technician.id) {
            if let Some(i) = usize::try_from(h.weekday - 1).ok().filter(|i| *i < 7) {
                form.starts[i] = time_label(h.starts_minute);
                form.ends[i] = time_label(h.ends_minute);
            }
        }
        rows.push(TechnicianRow {
            days_off: days_off
                .iter()
                .filter(|d| d.technician_id == technician.id)
                .cloned()
                .collect(),
            technician,
            form,
        });
    }
    Ok(SetupPage {
        technicians: rows,
        kinds: db::visits::kinds(conn)?
            .into_iter()
            .map(KindRow::of)
            .collect(),
        rates: RATES.to_vec(),
    })
}

#[derive(Debug)]
struct CheckedTechnician {
    name: String,
    phone: Option<String>,
    areas: Vec<String>,
    week: Vec<(i64, i64, i64)>,
}

fn check_technician(form: &TechnicianForm) -> Result<CheckedTechnician, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        errors.add("name", "staff-error-required");
    }
    let mut areas: Vec<String> = form
        .areas
        .split([',', '\n', ';'])
        .map(|a| a.trim().to_owned())
        .filter(|a| !a.is_empty())
        .collect();
    areas.sort();
    areas.dedup();
    if areas.is_empty() || areas.iter().any(|a| a.chars().count() > 80) {
        errors.add("areas", "visits-error-areas");
    }
    let mut week = Vec::new();
    for i in 0..7 {
        let (s, e) = (form.starts[i].trim(), form.ends[i].trim());
        if s.is_empty() && e.is_empty() {
            continue;
        }
        match (parse_time(s), parse_time(e)) {
            (Some(s), Some(e)) if s < e => week.push((i as i64 + 1, s, e)),
            _ => errors.add(format!("hours{i}"), "visits-error-hours"),
        }
    }
    errors.into_result(CheckedTechnician {
        name: name.to_owned(),
        phone: crate::app::staff::optional(&form.phone),
        areas,
        week,
    })
}

/// Adds a technician (`None`) or changes one; audited. Returns the id.
pub fn save_technician(
    conn: &mut DbConn,
    id: Option<i64>,
    form: &TechnicianForm,
    actor: &Actor,
    now: chrono::NaiveDateTime,
) -> Result<i64, VisitError> {
    let checked = check_technician(form).map_err(VisitError::Invalid)?;
    let id = match id {
        Some(id) => {
            if !db::visits::update_technician(
                conn,
                id,
                &checked.name,
                checked.phone.as_deref(),
                form.active,
            )? {
                return Err(VisitError::NoTechnician);
            }
            id
        }
        None => db::visits::insert_technician(conn, &checked.name, checked.phone.as_deref(), now)?,
    };
    db::visits::replace_areas(conn, id, &checked.areas)?;
    db::visits::replace_hours(conn, id, &checked.week)?;
    audit::record(
        conn,
        actor,
        "technician_saved",
        json!({ "technician": id, "name": checked.name, "areas": checked.areas,
                "week": checked.week, "active": form.active }),
        now,
    )?;
    Ok(id)
}

/// Adds a day off (a date and a reason); audited.
pub fn add_day_off(
    conn: &mut DbConn,
    technician_id: i64,
    day: &str,
    reason: &str,
    actor: &Actor,
    now: chrono::NaiveDateTime,
) -> Result<(), VisitError> {
    let mut errors = FieldErrors::default();
    let day = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok();
    if day.is_none() {
        errors.add("day", "visits-error-day");
    }
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        errors.add("reason", "visits-error-reason");
    }
    let Some(day) = day.filter(|_| errors.is_empty()) else {
        return Err(VisitError::Invalid(errors));
    };
    if db::visits::find_technician(conn, technician_id)?.is_none() {
        return Err(VisitError::NoTechnician);
    }
    db::visits::add_day_off(conn, technician_id, day, reason)?;
    audit::record(
        conn,
        actor,
        "technician_day_off",
        json!({ "technician": technician_id, "day": day, "reason": reason }),
        now,
    )?;
    Ok(())
}

pub fn remove_day_off(
    conn: &mut DbConn,
    technician_id: i64,
    day: NaiveDate,
    actor: &Actor,
    now: chrono::NaiveDateTime,
) -> Result<(), VisitError> {
    if db::visits::remove_day_off(conn, technician_id, day)? {
        audit::record(
            conn,
            actor,
            "technician_day_off_removed",
            json!({ "technician": technician_id, "day": day }),
            now,
        )?;
    }
    Ok(())
}

/// A kind's form as typed.
#[derive(Debug, Clone, Serialize)]
pub struct KindForm {
    pub name: String,
    pub duration_minutes: String,
    /// Gross, in złoty ("149,99"; "0" for a free visit).
    pub price: String,
    pub vat_rate: String,
    pub late_fee_percent: String,
    pub late_cancel_hours: String,
    pub free_notice_hours: String,
    pub fee_rule: String,
    pub active: bool,
}

impl Default for KindForm {
    fn default() -> Self {
        KindForm {
            name: String::new(),
            duration_minutes: "60".into(),
            price: "0".into(),
            vat_rate: "23".into(),
            late_fee_percent: "100".into(),
            late_cancel_hours: "48".into(),
            free_notice_hours: "24".into(),
            fee_rule: "charge".into(),
            active: true,
        }
    }
}

fn check_kind(form: &KindForm) -> Result<KindValues, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        errors.add("name", "staff-error-required");
    }
    let number = |text: &str, range: std::ops::RangeInclusive<i64>| {
        text.trim()
            .parse::<i64>()
            .ok()
            .filter(|n| range.contains(n))
    };
    let duration =
        number(&form.duration_minutes, SLOT_MINUTES..=720).filter(|d| d % SLOT_MINUTES == 0);
    if duration.is_none() {
        errors.add("duration_minutes", "visits-error-duration");
    }
    let price = Money::parse_pl(&form.price)
        .ok()
        .filter(|p| p.grosze() >= 0 && p.grosze() <= 10_000_000);
    if price.is_none() {
        errors.add("price", "visits-error-price");
    }
    let vat_rate = RATES
        .iter()
        .find(|r| **r == form.vat_rate.trim() && VatRate::parse(r).is_ok());
    if vat_rate.is_none() {
        errors.add("vat_rate", "staff-error-vat-rate");
    }
    let percent = number(&form.late_fee_percent, 0..=100);
    if percent.is_none() {
        errors.add("late_fee_percent", "visits-error-percent");
    }
    let late_hours = number(&form.late_cancel_hours, 0..=720);
    if late_hours.is_none() {
        errors.add("late_cancel_hours", "visits-error-hours-count");
    }
    let notice = number(&form.free_notice_hours, 0..=720);
    if notice.is_none() {
        errors.add("free_notice_hours", "visits-error-hours-count");
    }
    let rule = FeeRule::parse(form.fee_rule.trim());
    if rule.is_none() {
        errors.add("fee_rule", "visits-error-rule");
    }
    match (duration, price, vat_rate, percent, late_hours, notice, rule) {
        (Some(d), Some(p), Some(v), Some(pc), Some(lh), Some(n), Some(r)) if errors.is_empty() => {
            Ok(KindValues {
                name: name.to_owned(),
                duration_minutes: d,
                price: p.grosze(),
                vat_rate: (*v).to_owned(),
                late_fee_percent: pc,
                late_cancel_hours: lh,
                free_notice_hours: n,
                fee_rule: r.as_str().to_owned(),
                active: form.active,
            })
        }
        _ => Err(errors),
    }
}

/// Adds (`None`) or changes a kind; audited. A change applies to visits booked afterwards:
/// a booked visit keeps the price it was booked at.
pub fn save_kind(
    conn: &mut DbConn,
    id: Option<i64>,
    form: &KindForm,
    actor: &Actor,
    now: chrono::NaiveDateTime,
) -> Result<i64, VisitError> {
    let values = check_kind(form).map_err(VisitError::Invalid)?;
    let id = match id {
        Some(id) => {
            if !db::visits::update_kind(conn, id, &values)? {
                return Err(VisitError::NoKind);
            }
            id
        }
        None => db::visits::insert_kind(conn, &values, now)?,
    };
    audit::record(
        conn,
        actor,
        "visit_kind_saved",
        json!({ "kind": id, "name": values.name, "price": values.price,
                "duration": values.duration_minutes, "late_fee_percent": values.late_fee_percent,
                "late_cancel_hours": values.late_cancel_hours, "fee_rule": values.fee_rule }),
        now,
    )?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_on_the_half_hour_grid() {
        assert_eq!(parse_time("8:00"), Some(480));
        assert_eq!(parse_time("24:00"), Some(1440));
        assert_eq!(parse_time("08:15"), None);
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_time("x"), None);
    }

    #[test]
    fn a_technician_needs_a_name_an_area_and_sensible_hours() {
        let mut form = TechnicianForm {
            name: "Jan".into(),
            areas: "Kalisz, 62-8\nKalisz".into(),
            active: true,
            ..TechnicianForm::default()
        };
        form.starts[0] = "08:00".into();
        form.ends[0] = "16:00".into();
        let checked = check_technician(&form).unwrap();
        assert_eq!(checked.areas, vec!["62-8".to_owned(), "Kalisz".to_owned()]);
        assert_eq!(checked.week, vec![(1, 480, 960)]);
        form.ends[1] = "12:00".into();
        form.areas = " ".into();
        let errors = check_technician(&form).unwrap_err();
        assert_eq!(errors.get("hours1"), Some("visits-error-hours"));
        assert_eq!(errors.get("areas"), Some("visits-error-areas"));
    }

    #[test]
    fn a_kind_is_checked_field_by_field() {
        let good = KindForm {
            name: "Wymiana routera".into(),
            price: "150,00".into(),
            ..KindForm::default()
        };
        let values = check_kind(&good).unwrap();
        assert_eq!(values.price, 15_000);
        assert_eq!(values.fee_rule, "charge");
        assert_eq!(
            check_kind(&KindForm {
                name: "Naprawa".into(),
                ..KindForm::default()
            })
            .unwrap()
            .price,
            0
        );
        let bad = KindForm {
            name: String::new(),
            duration_minutes: "45".into(),
            price: "-1".into(),
            late_fee_percent: "120".into(),
            fee_rule: "free".into(),
            ..KindForm::default()
        };
        let errors = check_kind(&bad).unwrap_err();
        for field in [
            "name",
            "duration_minutes",
            "price",
            "late_fee_percent",
            "fee_rule",
        ] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }
}
