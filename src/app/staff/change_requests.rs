//! The approval queue: subscribers ask to change their name, address, NIP or PESEL; staff check
//! the documents and approve (the change lands on the customer in the same transaction) or
//! reject with a note the subscriber will read.

use crate::domain::CustomerId;
use crate::domain::CustomerKind;
use chrono::NaiveDateTime;
use serde_json::{Value, json};

use super::customer_card::display_name;
use crate::app::audit::{self, Actor};
use crate::db::change_requests::{self, ChangeRequest};
use crate::db::customers::Customer;
use crate::db::customers::records as customer_records;
use crate::db::{self, DbConn};
use crate::domain::ChangeRequestStatus;
use crate::domain::{Nip, contact};

/// What changes, as a list of (field key, before, after) for the queue page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FieldChange {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct QueueItem {
    pub id: i64,
    pub customer_id: CustomerId,
    pub customer_number: i64,
    pub customer_name: String,
    pub field: String,
    pub requested_at: NaiveDateTime,
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, thiserror::Error)]
pub enum DecisionError {
    #[error("no such pending request")]
    NotPending,
    #[error("the requested values are not valid: {0}")]
    Invalid(&'static str),
    #[error("a rejection needs a note for the subscriber")]
    NoteRequired,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

fn text(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn or_dash(value: Option<&str>) -> String {
    value.unwrap_or("—").to_owned()
}

/// The change in a form staff can read; the PESEL shows only its last four digits.
fn changes_of(request: &ChangeRequest, customer: &Customer) -> Vec<FieldChange> {
    let requested: Value = serde_json::from_str(&request.requested).unwrap_or(Value::Null);
    let pair = |field, before: Option<&str>, after: Option<String>| FieldChange {
        field,
        before: or_dash(before),
        after: or_dash(after.as_deref()),
    };
    match request.field.as_str() {
        // Only the parts the subscriber asked for: a company's request names the company only.
        "name" => [
            ("first_name", customer.first_name.as_deref()),
            ("last_name", customer.last_name.as_deref()),
            ("company_name", customer.company_name.as_deref()),
        ]
        .into_iter()
        .filter(|(key, _)| requested.get(*key).is_some())
        .map(|(key, before)| pair(key, before, text(&requested, key)))
        .collect(),
        "address" => vec![
            pair(
                "address_line",
                Some(&customer.address_line),
                text(&requested, "address_line"),
            ),
            pair(
                "postal_code",
                Some(&customer.postal_code),
                text(&requested, "postal_code"),
            ),
            pair("city", Some(&customer.city), text(&requested, "city")),
        ],
        "nip" => vec![pair(
            "nip",
            customer.nip.as_deref(),
            text(&requested, "nip"),
        )],
        "pesel" => vec![FieldChange {
            field: "pesel",
            before: customer
                .pesel_last4
                .as_deref()
                .map(|d| format!("…{d}"))
                .unwrap_or_else(|| "—".into()),
            after: text(&requested, "pesel_last4")
                .map(|d| format!("…{d}"))
                .unwrap_or_else(|| "—".into()),
        }],
        _ => Vec::new(),
    }
}

/// How many requests wait for a decision (the staff start page).
pub fn pending_total(conn: &mut DbConn) -> diesel::QueryResult<i64> {
    db::change_requests::pending_total(conn)
}

pub fn queue(conn: &mut DbConn) -> diesel::QueryResult<Vec<QueueItem>> {
    Ok(change_requests::pending(conn, 200)?
        .into_iter()
        .map(|(request, customer)| QueueItem {
            id: request.id,
            customer_id: customer.id,
            customer_number: customer.customer_number,
            customer_name: display_name(&customer),
            field: request.field.clone(),
            requested_at: request.requested_at,
            changes: changes_of(&request, &customer),
        })
        .collect())
}

/// Writes the requested values onto the customer; checks them again, as the subscriber's form
/// may have been older than today's rules.
fn apply(
    conn: &mut DbConn,
    request: &ChangeRequest,
    customer: &Customer,
    now: NaiveDateTime,
) -> Result<(), DecisionError> {
    let requested: Value =
        serde_json::from_str(&request.requested).map_err(|_| DecisionError::Invalid("json"))?;
    match request.field.as_str() {
        "name" => {
            // The table's CHECK: a person needs a last name, a company its name. A company's
            // request renames the company and keeps the contact person.
            let (first, last, company) = if customer.kind == CustomerKind::Company {
                let company =
                    text(&requested, "company_name").ok_or(DecisionError::Invalid("name"))?;
                (
                    customer.first_name.clone(),
                    customer.last_name.clone(),
                    Some(company),
                )
            } else {
                let first = text(&requested, "first_name");
                let last = text(&requested, "last_name").ok_or(DecisionError::Invalid("name"))?;
                (first, Some(last), None)
            };
            customer_records::apply_name(
                conn,
                customer.id,
                first.as_deref(),
                last.as_deref(),
                company.as_deref(),
                now,
            )?;
        }
        "address" => {
            let line = text(&requested, "address_line");
            let code = text(&requested, "postal_code").and_then(|c| contact::postal_code(&c));
            let city = text(&requested, "city");
            let (Some(line), Some(code), Some(city)) = (line, code, city) else {
                return Err(DecisionError::Invalid("address"));
            };
            customer_records::apply_address(conn, customer.id, &line, &code, &city, now)?;
        }
        "nip" => {
            let nip = text(&requested, "nip")
                .and_then(|n| Nip::parse(&n).ok())
                .ok_or(DecisionError::Invalid("nip"))?;
            customer_records::apply_nip(conn, customer.id, nip.as_str(), now)?;
        }
        "pesel" => {
            let hash = text(&requested, "pesel_hash");
            let last4 = text(&requested, "pesel_last4")
                .filter(|d| d.len() == 4 && d.bytes().all(|b| b.is_ascii_digit()));
            let (Some(hash), Some(last4)) = (hash, last4) else {
                return Err(DecisionError::Invalid("pesel"));
            };
            if customer_records::other_with_pesel(conn, &hash, Some(customer.id))?.is_some() {
                return Err(DecisionError::Invalid("pesel-taken"));
            }
            customer_records::apply_pesel(conn, customer.id, &hash, &last4, now)?;
        }
        _ => return Err(DecisionError::Invalid("field")),
    }
    Ok(())
}

pub fn approve(
    conn: &mut DbConn,
    id: i64,
    staff_id: i64,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<CustomerId, DecisionError> {
    db::write_transaction(conn, |conn| {
        let request = change_requests::find(conn, id)?
            .filter(|r| r.status == ChangeRequestStatus::Pending)
            .ok_or(DecisionError::NotPending)?;
        let customer =
            db::customers::find(conn, request.customer_id)?.ok_or(DecisionError::NotPending)?;
        let changes = changes_of(&request, &customer);
        if !change_requests::decide(conn, id, ChangeRequestStatus::Approved, staff_id, None, now)? {
            return Err(DecisionError::NotPending);
        }
        apply(conn, &request, &customer, now)?;
        audit::record(
            conn,
            &actor.for_customer(customer.id),
            "profile_change_approved",
            json!({ "request": id, "field": request.field, "changes": changes }),
            now,
        )?;
        Ok(customer.id)
    })
}

pub fn reject(
    conn: &mut DbConn,
    id: i64,
    staff_id: i64,
    note: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<CustomerId, DecisionError> {
    let note = note.trim();
    if note.is_empty() {
        return Err(DecisionError::NoteRequired);
    }
    db::write_transaction(conn, |conn| {
        let request = change_requests::find(conn, id)?
            .filter(|r| r.status == ChangeRequestStatus::Pending)
            .ok_or(DecisionError::NotPending)?;
        if !change_requests::decide(
            conn,
            id,
            ChangeRequestStatus::Rejected,
            staff_id,
            Some(note),
            now,
        )? {
            return Err(DecisionError::NotPending);
        }
        audit::record(
            conn,
            &actor.for_customer(request.customer_id),
            "profile_change_rejected",
            json!({ "request": id, "field": request.field, "note": note }),
            now,
        )?;
        Ok(request.customer_id)
    })
}
