//! Technician visits in the demo: two technicians covering the demo towns (one the Kalisz area,
//! one the Ostrów area and the towns east of it), the usual kinds of visit, and a few bookings
//! in the coming week, the demo subscriber's among them. Seeded once: a second run adds nothing.

use crate::domain::ContractStatus;
use std::collections::HashSet;

use chrono::{Duration, NaiveDateTime};

use crate::db::visits::{KindValues, NewVisit};
use crate::db::{self, DbConn};
use crate::domain::visits::slots::{self, Schedule, WorkingHours};
use crate::domain::visits::warsaw;

struct TechnicianSpec {
    name: &'static str,
    phone: &'static str,
    areas: &'static [&'static str],
    /// (weekday 1–7, from, to) in minutes.
    week: &'static [(i64, i64, i64)],
}

const TECHNICIANS: [TechnicianSpec; 2] = [
    TechnicianSpec {
        name: "Marek Wójcik",
        phone: "+48 601 100 200",
        areas: &["Kalisz", "62-8", "Turek", "Koło", "Konin", "Września"],
        week: &[
            (1, 480, 960),
            (2, 480, 960),
            (3, 480, 960),
            (4, 480, 960),
            (5, 480, 960),
            (6, 540, 780),
        ],
    },
    TechnicianSpec {
        name: "Tomasz Kaczmarek",
        phone: "+48 601 300 400",
        areas: &[
            "Ostrów Wielkopolski",
            "63-4",
            "Pleszew",
            "Jarocin",
            "Krotoszyn",
            "Sieradz",
            "Kalisz",
        ],
        week: &[
            (1, 600, 1080),
            (2, 600, 1080),
            (3, 600, 1080),
            (4, 600, 1080),
            (5, 600, 1080),
        ],
    },
];

fn kind(name: &str, minutes: i64, price: i64, percent: i64, rule: &str) -> KindValues {
    KindValues {
        name: name.into(),
        duration_minutes: minutes,
        price,
        vat_rate: "23".into(),
        late_fee_percent: percent,
        late_cancel_hours: 48,
        free_notice_hours: 24,
        fee_rule: rule.into(),
        active: true,
    }
}

pub fn seed(conn: &mut DbConn, now: NaiveDateTime) -> diesel::QueryResult<()> {
    if !db::visits::technicians(conn)?.is_empty() {
        return Ok(());
    }
    db::write_transaction(conn, |conn| {
        let mut technicians = Vec::new();
        for spec in &TECHNICIANS {
            let id = db::visits::insert_technician(conn, spec.name, Some(spec.phone), now)?;
            let areas: Vec<String> = spec.areas.iter().map(|a| (*a).to_owned()).collect();
            db::visits::replace_areas(conn, id, &areas)?;
            db::visits::replace_hours(conn, id, spec.week)?;
            let mut schedule = Schedule::default();
            for (weekday, starts, ends) in spec.week {
                schedule.week[(*weekday - 1) as usize] = Some(WorkingHours {
                    starts_minute: *starts,
                    ends_minute: *ends,
                });
            }
            technicians.push((id, schedule));
        }
        let kinds = [
            kind("Naprawa awarii (gwarancja)", 60, 0, 0, "charge"),
            kind("Instalacja łącza", 120, 19_900, 50, "charge"),
            kind("Wymiana routera", 60, 9_900, 100, "charge"),
            kind(
                "Wizyta serwisowa z winy abonenta",
                60,
                15_000,
                100,
                "shorten",
            ),
        ];
        let mut kind_ids = Vec::new();
        for values in &kinds {
            kind_ids.push((db::visits::insert_kind(conn, values, now)?, values.clone()));
        }
        // A few bookings in the coming week: customers 1 (the demo subscriber) to 6.
        let today = warsaw::to_local(now).date();
        let mut booked = 0;
        for number in 1..=6_i64 {
            let Some(customer) = db::customers::find_by_number(conn, number)? else {
                continue;
            };
            let Some((contract, _)) = db::contracts::of_customer(conn, customer.id)?
                .into_iter()
                .find(|(c, _)| c.status == ContractStatus::Active)
            else {
                continue;
            };
            let (technician, schedule) = &technicians[(number as usize) % 2];
            let (kind_id, values) = &kind_ids[(number as usize) % kind_ids.len()];
            let held: HashSet<NaiveDateTime> =
                db::visits::held_cells(conn, &[*technician], now, now + Duration::days(9))?
                    .into_iter()
                    .map(|(_, cell)| cell)
                    .collect();
            let free = slots::free_slots(
                schedule,
                today + Duration::days(2),
                today + Duration::days(8),
                values.duration_minutes,
                values.price == 0,
                values.free_notice_hours,
                &held,
                now,
            );
            let Some(start) = free.get((number as usize * 5) % free.len().max(1)).copied() else {
                continue;
            };
            let id = db::visits::insert_visit(
                conn,
                &NewVisit {
                    customer_id: customer.id,
                    contract_id: contract.id,
                    technician_id: *technician,
                    kind_id: *kind_id,
                    ticket_id: None,
                    service_id: None,
                    starts_at: start,
                    ends_at: start + Duration::minutes(values.duration_minutes),
                    status: crate::domain::visits::VisitStatus::Booked,
                    phone: customer
                        .phone
                        .clone()
                        .unwrap_or_else(|| "+48 600 000 000".into()),
                    access_notes: if number == 1 {
                        "Domofon 12, drugie piętro.".into()
                    } else {
                        String::new()
                    },
                    address_line: contract.install_address_line.clone(),
                    postal_code: contract.install_postal_code.clone(),
                    city: contract.install_city.clone(),
                    price: values.price,
                    revision: 0,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            db::visits::hold_cells(
                conn,
                *technician,
                id,
                &slots::cells(start, values.duration_minutes),
            )?;
            booked += 1;
        }
        tracing::debug!(booked, "demo visits");
        Ok(())
    })
}
