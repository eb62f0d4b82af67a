//! What backup, restore and verify ask of the database: a consistent SQLite copy taken while the
//! portal serves, whether a database is still empty, and the stored hashes and numbers that
//! `ebok verify` checks against the files.

use crate::domain::InvoiceId;
use std::path::Path;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

use super::DbConn;
use super::schema::{
    invoice_counters, invoice_series, invoices, ksef_documents, ticket_attachments,
};

/// Writes a consistent copy of the SQLite database to `target` (which must not exist).
/// `VACUUM INTO` reads inside one transaction, so writers keep working and the copy is the
/// database as of one moment, compacted; it needs SQLite 3.27, which the bundled library has.
pub fn sqlite_snapshot(conn: &mut DbConn, target: &Path) -> QueryResult<()> {
    let target = target.to_string_lossy().replace('\'', "''");
    diesel::sql_query(format!("VACUUM INTO '{target}'")).execute(conn)?;
    Ok(())
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

/// True when the database has no tables of ours yet (nothing migrated, nothing stored).
pub fn is_empty(conn: &mut DbConn) -> QueryResult<bool> {
    let query = match conn {
        DbConn::Sqlite(_) => {
            "SELECT COUNT(*) AS count FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%'"
        }
        DbConn::Pg(_) => {
            "SELECT COUNT(*) AS count FROM information_schema.tables \
             WHERE table_schema = 'public'"
        }
    };
    let found: Count = diesel::sql_query(query).get_result(conn)?;
    Ok(found.count == 0)
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Nullable<Text>)]
    version: Option<String>,
}

/// The newest migration applied, which names the schema a backup was taken from.
pub fn schema_version(conn: &mut DbConn) -> QueryResult<Option<String>> {
    let found: Version =
        diesel::sql_query("SELECT MAX(version) AS version FROM __diesel_schema_migrations")
            .get_result(conn)?;
    Ok(found.version)
}

/// An invoice's stored PDF as the database recorded it.
#[derive(Debug, Queryable)]
pub struct StoredInvoiceFile {
    pub id: i64,
    pub number: Option<String>,
    pub pdf_path: Option<String>,
    pub pdf_sha256: Option<String>,
}

/// Issued invoices (those with a number) after `after_id`, in id order, `limit` at a time.
pub fn invoice_files(
    conn: &mut DbConn,
    after_id: i64,
    limit: i64,
) -> QueryResult<Vec<StoredInvoiceFile>> {
    invoices::table
        .filter(invoices::id.gt(after_id))
        .filter(invoices::number.is_not_null())
        .order(invoices::id)
        .limit(limit)
        .select((
            invoices::id,
            invoices::number,
            invoices::pdf_path,
            invoices::pdf_sha256,
        ))
        .load(conn)
}

/// A ticket attachment's file as the database recorded it.
#[derive(Debug, Queryable)]
pub struct StoredAttachment {
    pub id: i64,
    pub storage_path: String,
    pub sha256: String,
}

pub fn attachment_files(
    conn: &mut DbConn,
    after_id: i64,
    limit: i64,
) -> QueryResult<Vec<StoredAttachment>> {
    ticket_attachments::table
        .filter(ticket_attachments::id.gt(after_id))
        .order(ticket_attachments::id)
        .limit(limit)
        .select((
            ticket_attachments::id,
            ticket_attachments::storage_path,
            ticket_attachments::sha256,
        ))
        .load(conn)
}

/// An FA(3) document with the hash recorded when it was written, and the visualisation
/// rendered once KSeF gave its number (a second stored PDF with its own hash).
#[derive(Debug, Queryable)]
pub struct StoredXml {
    pub invoice_id: InvoiceId,
    pub xml: Option<String>,
    pub xml_sha256: Option<String>,
    pub numbered_pdf_path: Option<String>,
    pub numbered_pdf_sha256: Option<String>,
}

pub fn ksef_xml(conn: &mut DbConn, after_id: InvoiceId, limit: i64) -> QueryResult<Vec<StoredXml>> {
    ksef_documents::table
        .filter(ksef_documents::invoice_id.gt(after_id))
        .order(ksef_documents::invoice_id)
        .limit(limit)
        .select((
            ksef_documents::invoice_id,
            ksef_documents::xml,
            ksef_documents::xml_sha256,
            ksef_documents::numbered_pdf_path,
            ksef_documents::numbered_pdf_sha256,
        ))
        .load(conn)
}

/// One numbering sequence (a series in one period) as issued: how many numbers, the lowest and
/// highest. Gapless means 1..=count, with the counter at count.
#[derive(Debug, Queryable)]
pub struct Sequence {
    pub series_id: Option<i64>,
    pub period_key: Option<String>,
    pub count: i64,
    pub lowest: Option<i64>,
    pub highest: Option<i64>,
}

pub fn sequences(conn: &mut DbConn) -> QueryResult<Vec<Sequence>> {
    invoices::table
        .filter(invoices::seq.is_not_null())
        .group_by((invoices::series_id, invoices::period_key))
        .select((
            invoices::series_id,
            invoices::period_key,
            diesel::dsl::count(invoices::id),
            diesel::dsl::min(invoices::seq),
            diesel::dsl::max(invoices::seq),
        ))
        .order((invoices::series_id, invoices::period_key))
        .load(conn)
}

/// Each counter's last number: (series id, period key, last number).
pub fn counters(conn: &mut DbConn) -> QueryResult<Vec<(i64, String, i64)>> {
    invoice_counters::table
        .select((
            invoice_counters::series_id,
            invoice_counters::period_key,
            invoice_counters::last_seq,
        ))
        .load(conn)
}

/// Series codes by id, for naming a sequence to the operator.
pub fn series_codes(conn: &mut DbConn) -> QueryResult<Vec<(i64, String)>> {
    invoice_series::table
        .select((invoice_series::id, invoice_series::code))
        .load(conn)
}

/// Empties a PostgreSQL database for a forced restore: everything in `public` goes.
pub fn clear_postgres(conn: &mut DbConn) -> QueryResult<()> {
    use diesel::connection::SimpleConnection;
    conn.batch_execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
}
