//! The ISP running this installation: the seller on every invoice.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::sellers;

/// A row of `sellers`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Seller {
    pub id: i64,
    pub name: String,
    pub short_name: String,
    pub nip: String,
    pub regon: Option<String>,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub country_code: String,
    pub email: String,
    pub phone: String,
    pub website: Option<String>,
    pub bank_name: String,
    pub bank_account: String,
    pub account_prefix: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = sellers, treat_none_as_default_value = false)]
pub struct NewSeller {
    pub name: String,
    pub short_name: String,
    pub nip: String,
    pub regon: Option<String>,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub country_code: String,
    pub email: String,
    pub phone: String,
    pub website: Option<String>,
    pub bank_name: String,
    pub bank_account: String,
    pub account_prefix: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The seller row; an installation has exactly one once it is set up.
pub fn find(conn: &mut DbConn) -> QueryResult<Option<Seller>> {
    sellers::table.order(sellers::id).first(conn).optional()
}

pub fn insert(conn: &mut DbConn, seller: &NewSeller) -> QueryResult<i64> {
    diesel::insert_into(sellers::table)
        .values(seller)
        .returning(sellers::id)
        .get_result(conn)
}

/// The fields an admin edits on `/staff/sprzedawca`.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = sellers, treat_none_as_null = true)]
pub struct SellerChanges {
    pub name: String,
    pub short_name: String,
    pub nip: String,
    pub regon: Option<String>,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub email: String,
    pub phone: String,
    pub website: Option<String>,
    pub bank_name: String,
    pub bank_account: String,
    pub account_prefix: String,
    pub updated_at: NaiveDateTime,
}

pub fn update(conn: &mut DbConn, id: i64, changes: &SellerChanges) -> QueryResult<bool> {
    diesel::update(sellers::table.find(id))
        .set(changes)
        .execute(conn)
        .map(|n| n == 1)
}
