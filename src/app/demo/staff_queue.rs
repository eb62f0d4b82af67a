//! Work waiting for staff in the demo: profile changes two generated subscribers asked for, so
//! the approval queue (`/staff/zmiany-danych`) has something to decide. Added when the customers
//! exist and never asked for anything, so a second run (or one after staff decided) adds nothing.

use crate::domain::CustomerKind;
use chrono::{Duration, NaiveDateTime};
use serde_json::{Value, json};

use crate::db::change_requests::{self, NewProfileChangeRequest};
use crate::db::customers::Customer;
use crate::db::{self, DbConn};

/// Customer 12 moved house; customer 13 (a person) married and took a double-barrelled name.
/// Numbers past the few generated customers most tests seed, so their counts stay as they were.
fn request_of(number: i64, customer: &Customer) -> Option<(&'static str, Value, Duration)> {
    match number {
        12 => Some((
            "address",
            json!({ "address_line": "ul. Nowy Świat 12/4", "postal_code": "62-800", "city": "Kalisz" }),
            Duration::hours(20),
        )),
        13 if customer.kind == CustomerKind::Person => {
            let last = customer.last_name.clone().unwrap_or_default();
            Some((
                "name",
                json!({ "first_name": customer.first_name, "last_name": format!("{last}-Zielińska") }),
                Duration::hours(3),
            ))
        }
        _ => None,
    }
}

pub fn seed(conn: &mut DbConn, now: NaiveDateTime) -> diesel::QueryResult<()> {
    for number in [12, 13] {
        let Some(customer) = db::customers::find_by_number(conn, number)? else {
            continue;
        };
        let Some((field, requested, ago)) = request_of(number, &customer) else {
            continue;
        };
        if db::change_requests::count_of(conn, customer.id)? > 0 {
            continue;
        }
        let account = db::accounts::find_owner(conn, customer.id)?;
        change_requests::insert(
            conn,
            &NewProfileChangeRequest {
                customer_id: customer.id,
                account_id: account.map(|a| a.id),
                field: field.into(),
                requested: requested.to_string(),
                status: crate::domain::ChangeRequestStatus::Pending,
                ip: Some("198.51.100.23".into()),
                requested_at: now - ago,
            },
        )?;
    }
    Ok(())
}
