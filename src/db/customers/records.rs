//! Staff edits of customer records: the customer's own data, as the card's form saves it.

use crate::domain::CustomerId;
use crate::domain::CustomerKind;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::customers;

/// The columns the staff form edits. PESEL columns are set only when a new PESEL was typed.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = customers, treat_none_as_null = true)]
pub struct CustomerChanges {
    pub kind: CustomerKind,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company_name: Option<String>,
    pub nip: Option<String>,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub correspondence_address_line: Option<String>,
    pub correspondence_postal_code: Option<String>,
    pub correspondence_city: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub language: String,
    pub updated_at: NaiveDateTime,
}

pub fn update(conn: &mut DbConn, id: CustomerId, changes: &CustomerChanges) -> QueryResult<bool> {
    diesel::update(customers::table.find(id))
        .set(changes)
        .execute(conn)
        .map(|n| n == 1)
}

pub fn set_pesel(
    conn: &mut DbConn,
    id: CustomerId,
    pesel_hash: &str,
    pesel_last4: &str,
) -> QueryResult<()> {
    diesel::update(customers::table.find(id))
        .set((
            customers::pesel_hash.eq(pesel_hash),
            customers::pesel_last4.eq(pesel_last4),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Another customer with this PESEL (by its keyed hash), if any.
pub fn other_with_pesel(
    conn: &mut DbConn,
    pesel_hash: &str,
    except: Option<CustomerId>,
) -> QueryResult<Option<CustomerId>> {
    let mut query = customers::table
        .filter(customers::pesel_hash.eq(pesel_hash))
        .select(customers::id)
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(customers::id.ne(id));
    }
    query.first(conn).optional()
}

/// Applies one approved profile change (a subscriber's request) to the customer row.
pub fn apply_name(
    conn: &mut DbConn,
    id: CustomerId,
    first_name: Option<&str>,
    last_name: Option<&str>,
    company_name: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(customers::table.find(id))
        .set((
            customers::first_name.eq(first_name),
            customers::last_name.eq(last_name),
            customers::company_name.eq(company_name),
            customers::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn apply_address(
    conn: &mut DbConn,
    id: CustomerId,
    address_line: &str,
    postal_code: &str,
    city: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(customers::table.find(id))
        .set((
            customers::address_line.eq(address_line),
            customers::postal_code.eq(postal_code),
            customers::city.eq(city),
            customers::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn apply_nip(
    conn: &mut DbConn,
    id: CustomerId,
    nip: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(customers::table.find(id))
        .set((customers::nip.eq(nip), customers::updated_at.eq(now)))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn apply_pesel(
    conn: &mut DbConn,
    id: CustomerId,
    pesel_hash: &str,
    pesel_last4: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(customers::table.find(id))
        .set((
            customers::pesel_hash.eq(pesel_hash),
            customers::pesel_last4.eq(pesel_last4),
            customers::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|n| n == 1)
}
