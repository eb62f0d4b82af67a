//! Staff customer search: one query per kind of search term, each on an indexed column except
//! the free-text name search (a bounded scan; see `by_name`).

use diesel::prelude::*;
use diesel::sql_types::Nullable;

use super::DbConn;
use super::schema::{contracts, customers, endpoints, invoices, services};

/// What a search result row shows.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct CustomerHit {
    pub id: i64,
    pub customer_number: i64,
    pub kind: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company_name: Option<String>,
    pub nip: Option<String>,
    pub city: String,
    pub email: String,
    pub phone: Option<String>,
}

type HitColumns = (
    customers::id,
    customers::customer_number,
    customers::kind,
    customers::first_name,
    customers::last_name,
    customers::company_name,
    customers::nip,
    customers::city,
    customers::email,
    customers::phone,
);

const HIT: HitColumns = (
    customers::id,
    customers::customer_number,
    customers::kind,
    customers::first_name,
    customers::last_name,
    customers::company_name,
    customers::nip,
    customers::city,
    customers::email,
    customers::phone,
);

pub fn by_customer_number(conn: &mut DbConn, number: i64) -> QueryResult<Vec<CustomerHit>> {
    customers::table
        .filter(customers::customer_number.eq(number))
        .select(HIT)
        .load(conn)
}

pub fn by_nip(conn: &mut DbConn, nip: &str) -> QueryResult<Vec<CustomerHit>> {
    customers::table
        .filter(customers::nip.eq(nip))
        .select(HIT)
        .order(customers::customer_number)
        .limit(50)
        .load(conn)
}

/// E-mails are stored as typed at registration (lower-case in practice), so both spellings are
/// tried on the index.
pub fn by_email(conn: &mut DbConn, email: &str) -> QueryResult<Vec<CustomerHit>> {
    let lower = email.to_lowercase();
    customers::table
        .filter(customers::email.eq(email).or(customers::email.eq(lower)))
        .select(HIT)
        .order(customers::customer_number)
        .limit(50)
        .load(conn)
}

/// `formatted` is the stored form ("+48 512 345 678"); `digits` catches numbers saved otherwise.
pub fn by_phone(conn: &mut DbConn, formatted: &str, digits: &str) -> QueryResult<Vec<CustomerHit>> {
    customers::table
        .filter(
            customers::phone
                .eq(formatted)
                .or(customers::phone.eq(digits)),
        )
        .select(HIT)
        .order(customers::customer_number)
        .limit(50)
        .load(conn)
}

pub fn by_contract_number(conn: &mut DbConn, number: &str) -> QueryResult<Vec<CustomerHit>> {
    customers::table
        .inner_join(contracts::table)
        .filter(contracts::number.eq(number))
        .select(HIT)
        .load(conn)
}

pub fn by_invoice_number(conn: &mut DbConn, number: &str) -> QueryResult<Vec<CustomerHit>> {
    customers::table
        .inner_join(invoices::table)
        .filter(invoices::number.eq(number))
        .select(HIT)
        .load(conn)
}

pub fn by_ipv4(conn: &mut DbConn, ip: &str) -> QueryResult<Vec<CustomerHit>> {
    customers::table
        .inner_join(services::table.inner_join(endpoints::table))
        .filter(endpoints::ipv4.eq(ip))
        .select(HIT)
        .load(conn)
}

pub fn by_mac(conn: &mut DbConn, mac: &str) -> QueryResult<Vec<CustomerHit>> {
    customers::table
        .inner_join(services::table.inner_join(endpoints::table))
        .filter(endpoints::mac.eq(mac))
        .select(HIT)
        .distinct()
        .load(conn)
}

pub fn by_pppoe_login(conn: &mut DbConn, login: &str) -> QueryResult<Vec<CustomerHit>> {
    customers::table
        .inner_join(services::table.inner_join(endpoints::table))
        .filter(endpoints::pppoe_login.eq(login))
        .select(HIT)
        .load(conn)
}

/// Every word must appear in the first name, last name or company name. `variants` holds each
/// word as LIKE patterns in the spellings to try: SQLite's LIKE folds ASCII case only, so
/// "łukasz" must also be tried as "Łukasz" to find a stored "Łukasz" on both backends.
///
/// A scan, bounded by `limit`: 100 000 short rows take a few tens of milliseconds on either
/// backend, and a leading wildcard could not use a B-tree index anyway.
pub fn by_name(
    conn: &mut DbConn,
    variants: &[Vec<String>],
    limit: i64,
) -> QueryResult<Vec<CustomerHit>> {
    let mut query = customers::table.select(HIT).into_boxed();
    for word in variants {
        let any = word
            .iter()
            .map(|pattern| name_like(pattern))
            .reduce(|a, b| Box::new(a.or(b)));
        if let Some(any) = any {
            query = query.filter(any);
        }
    }
    query
        .order((customers::last_name, customers::customer_number))
        .limit(limit)
        .load(conn)
}

type Backend = <DbConn as diesel::Connection>::Backend;
type Condition = Box<
    dyn BoxableExpression<customers::table, Backend, SqlType = Nullable<diesel::sql_types::Bool>>,
>;

fn name_like(pattern: &str) -> Condition {
    Box::new(
        customers::last_name
            .like(pattern.to_owned())
            .or(customers::first_name.like(pattern.to_owned()))
            .or(customers::company_name.like(pattern.to_owned())),
    )
}
