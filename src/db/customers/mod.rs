//! Customers: the party to contracts and invoices (a person with PESEL or a company with NIP).

pub mod card;
pub mod overview;
pub mod records;
pub mod search;

use crate::domain::CustomerId;
use crate::domain::CustomerKind;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::customers;

/// A row of `customers`.
#[derive(Debug, Clone, Queryable)]
pub struct Customer {
    pub id: CustomerId,
    pub customer_number: i64,
    pub kind: CustomerKind,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company_name: Option<String>,
    pub pesel_hash: Option<String>,
    pub pesel_last4: Option<String>,
    pub nip: Option<String>,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub country_code: String,
    pub correspondence_address_line: Option<String>,
    pub correspondence_postal_code: Option<String>,
    pub correspondence_city: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub language: String,
    pub nrb: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub notify_invoices: bool,
    pub notify_reminders: bool,
    pub notify_outages: bool,
    pub notify_tickets: bool,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = customers, treat_none_as_default_value = false)]
pub struct NewCustomer {
    pub customer_number: i64,
    pub kind: CustomerKind,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company_name: Option<String>,
    pub pesel_hash: Option<String>,
    pub pesel_last4: Option<String>,
    pub nip: Option<String>,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub country_code: String,
    pub correspondence_address_line: Option<String>,
    pub correspondence_postal_code: Option<String>,
    pub correspondence_city: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub language: String,
    pub nrb: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, customer: &NewCustomer) -> QueryResult<CustomerId> {
    diesel::insert_into(customers::table)
        .values(customer)
        .returning(customers::id)
        .get_result(conn)
}

/// Inserts many customers at once; answers (id, customer number) of each.
pub fn insert_many(conn: &mut DbConn, rows: &[NewCustomer]) -> QueryResult<Vec<(CustomerId, i64)>> {
    Ok(insert_batches!(
        conn,
        customers::table,
        rows,
        returning(customers::id, customers::customer_number)
    ))
}

pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    customers::table.count().get_result(conn)
}

/// The highest customer number handed out so far (0 when there is none).
pub fn max_customer_number(conn: &mut DbConn) -> QueryResult<i64> {
    customers::table
        .select(diesel::dsl::max(customers::customer_number))
        .first::<Option<i64>>(conn)
        .map(|n| n.unwrap_or(0))
}

pub fn find_by_number(conn: &mut DbConn, number: i64) -> QueryResult<Option<Customer>> {
    customers::table
        .filter(customers::customer_number.eq(number))
        .get_result(conn)
        .optional()
}

pub fn find(conn: &mut DbConn, id: CustomerId) -> QueryResult<Option<Customer>> {
    concrete!(conn, |c| customers::table.find(id).get_result(c).optional())
}

/// Contact data a subscriber may change without the ISP's check.
pub fn update_contact(
    conn: &mut DbConn,
    customer_id: CustomerId,
    phone: Option<&str>,
    correspondence: Option<(&str, &str, &str)>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let (line, postal, city) = match correspondence {
        Some((line, postal, city)) => (Some(line), Some(postal), Some(city)),
        None => (None, None, None),
    };
    diesel::update(customers::table.find(customer_id))
        .set((
            customers::phone.eq(phone),
            customers::correspondence_address_line.eq(line),
            customers::correspondence_postal_code.eq(postal),
            customers::correspondence_city.eq(city),
            customers::updated_at.eq(now),
        ))
        .execute(conn)
}

/// E-mail notification preferences, in the order invoices, reminders, outages, tickets.
pub fn set_notifications(
    conn: &mut DbConn,
    customer_id: CustomerId,
    [invoices, reminders, outages, tickets]: [bool; 4],
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(customers::table.find(customer_id))
        .set((
            customers::notify_invoices.eq(invoices),
            customers::notify_reminders.eq(reminders),
            customers::notify_outages.eq(outages),
            customers::notify_tickets.eq(tickets),
            customers::updated_at.eq(now),
        ))
        .execute(conn)
}

/// The language mail to the customer is written in.
pub fn set_language(
    conn: &mut DbConn,
    customer_id: CustomerId,
    language: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(customers::table.find(customer_id))
        .set((
            customers::language.eq(language),
            customers::updated_at.eq(now),
        ))
        .execute(conn)
}

/// The customer whose individual bank account number this is (26 digits, no spaces).
pub fn find_by_nrb(conn: &mut DbConn, nrb: &str) -> QueryResult<Option<Customer>> {
    customers::table
        .filter(customers::nrb.eq(nrb))
        .get_result(conn)
        .optional()
}

/// The customers with these numbers.
pub fn find_by_numbers(conn: &mut DbConn, numbers: &[i64]) -> QueryResult<Vec<Customer>> {
    customers::table
        .filter(customers::customer_number.eq_any(numbers))
        .load(conn)
}
