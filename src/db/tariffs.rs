//! Tariffs: the plans an ISP sells (speeds and monthly fee).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::tariffs;

/// A row of `tariffs`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Tariff {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub download_mbps: i32,
    pub upload_mbps: i32,
    pub monthly_fee: i64,
    pub vat_rate: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = tariffs, treat_none_as_default_value = false)]
pub struct NewTariff {
    pub code: String,
    pub name: String,
    pub download_mbps: i32,
    pub upload_mbps: i32,
    pub monthly_fee: i64,
    pub vat_rate: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, tariff: &NewTariff) -> QueryResult<i64> {
    diesel::insert_into(tariffs::table)
        .values(tariff)
        .returning(tariffs::id)
        .get_result(conn)
}

pub fn list_active(conn: &mut DbConn) -> QueryResult<Vec<Tariff>> {
    tariffs::table
        .filter(tariffs::active.eq(true))
        .order(tariffs::monthly_fee)
        .load(conn)
}

/// Every tariff, sold or not (discount types may name any).
pub fn list_all(conn: &mut DbConn) -> QueryResult<Vec<Tariff>> {
    tariffs::table
        .order((tariffs::active.desc(), tariffs::monthly_fee))
        .load(conn)
}
