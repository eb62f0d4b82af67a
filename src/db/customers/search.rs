//! Staff customer search: one query per kind of search term, each on an indexed column; the
//! free-text name search reads PostgreSQL's trigram index and is a bounded scan on SQLite (see
//! `by_name`).

use crate::domain::CustomerKind;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use crate::db::schema::{contracts, customers, endpoints, invoices, services};
use crate::db::{Backend, DbConn};

/// What a search result row shows.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct CustomerHit {
    pub id: i64,
    pub customer_number: i64,
    pub kind: CustomerKind,
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

/// Every word must appear in the first name, last name or company name. `words` holds each
/// word as LIKE patterns in the spellings to try: the comparison folds case (see `fold_like`)
/// for ASCII letters only on SQLite, so "łukasz" must also be tried as "Łukasz".
///
/// A leading wildcard cannot use a B-tree index: PostgreSQL answers from the trigram index on
/// `NAMES_JOINED`; SQLite scans, bounded by `limit`. `by_last_name_prefix` answers the usual
/// case (the start of a last name) from the B-tree index first.
pub fn by_name(
    conn: &mut DbConn,
    words: &[Vec<String>],
    limit: i64,
) -> QueryResult<Vec<CustomerHit>> {
    let backend = conn.backend();
    let mut query = customers::table.select(HIT).into_boxed();
    for patterns in words {
        if let Some(any) = contains_any(backend, patterns) {
            query = query.filter(any);
        }
    }
    query
        .order((customers::last_name, customers::customer_number))
        .limit(limit)
        .load(conn)
}

/// Last names starting with `prefix` (as stored: "Kowal" finds "Kowalski"), read as a range on
/// the `customers_last_name` index, with the other words matched anywhere in the name.
pub fn by_last_name_prefix(
    conn: &mut DbConn,
    prefix: &str,
    other_words: &[Vec<String>],
    limit: i64,
) -> QueryResult<Vec<CustomerHit>> {
    let Some(upper_bound) = next_prefix(prefix) else {
        return Ok(Vec::new());
    };
    let backend = conn.backend();
    let mut query = customers::table
        .select(HIT)
        .filter(customers::last_name.ge(prefix.to_owned()))
        .filter(customers::last_name.lt(upper_bound))
        .into_boxed();
    for patterns in other_words {
        if let Some(any) = contains_any(backend, patterns) {
            query = query.filter(any);
        }
    }
    query
        .order((customers::last_name, customers::customer_number))
        .limit(limit)
        .load(conn)
}

/// The smallest string greater than every string starting with `prefix`: the last character
/// moved on by one ("Kowal" → "Kowam").
fn next_prefix(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    let last = chars.pop()?;
    let next = char::from_u32(u32::from(last) + 1)?;
    chars.push(next);
    Some(chars.into_iter().collect())
}

type MultiBackend = <DbConn as diesel::Connection>::Backend;
type Condition = Box<dyn BoxableExpression<customers::table, MultiBackend, SqlType = Bool>>;

/// Case-folding LIKE: SQLite's LIKE folds ASCII letters itself; PostgreSQL's LIKE is
/// case-sensitive, so it gets ILIKE. Written as SQL because Diesel's `ilike` exists for the
/// PostgreSQL backend only, not for the MultiConnection's.
fn fold_like(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "LIKE",
        Backend::Postgres => "ILIKE",
    }
}

/// The three name columns joined by spaces, as the name search matches them. PostgreSQL has a
/// trigram index on exactly this expression (migration `customer_name_trigrams`); change both
/// together (`tests/schema_parity.rs` checks that the planner still takes the index).
pub const NAMES_JOINED: &str = "(COALESCE(customers.last_name, '') || ' ' || \
     COALESCE(customers.first_name, '') || ' ' || COALESCE(customers.company_name, ''))";

/// Any of `patterns` in any of the three name columns, matched against them joined by spaces:
/// one LIKE per pattern and row instead of three (patterns never contain a space).
fn contains_any(backend: Backend, patterns: &[String]) -> Option<Condition> {
    let op = fold_like(backend);
    let names = NAMES_JOINED;
    patterns
        .iter()
        .map(|pattern| {
            let condition: Condition =
                Box::new(sql::<Bool>(&format!("{names} {op} ")).bind::<Text, _>(pattern.clone()));
            condition
        })
        .reduce(|a, b| Box::new(a.or(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prefix_range_ends_just_after_the_prefix() {
        assert_eq!(next_prefix("Kowal").as_deref(), Some("Kowam"));
        assert_eq!(next_prefix("Wiś").as_deref(), Some("Wi\u{15c}"));
        assert_eq!(next_prefix(""), None);
    }
}
