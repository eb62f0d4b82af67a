//! Files attached to ticket messages: what they are and where their bytes lie.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::ticket_attachments;

/// A row of `ticket_attachments`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct TicketAttachment {
    pub id: i64,
    pub ticket_id: i64,
    pub message_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    /// Relative to the attachments directory.
    #[serde(skip)]
    pub storage_path: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = ticket_attachments)]
pub struct NewTicketAttachment {
    pub ticket_id: i64,
    pub message_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_path: String,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, attachment: &NewTicketAttachment) -> QueryResult<i64> {
    diesel::insert_into(ticket_attachments::table)
        .values(attachment)
        .returning(ticket_attachments::id)
        .get_result(conn)
}

pub fn of_ticket(conn: &mut DbConn, ticket_id: i64) -> QueryResult<Vec<TicketAttachment>> {
    ticket_attachments::table
        .filter(ticket_attachments::ticket_id.eq(ticket_id))
        .order(ticket_attachments::id.asc())
        .load(conn)
}

/// The attachment only if it belongs to `ticket_id`.
pub fn find_in_ticket(
    conn: &mut DbConn,
    ticket_id: i64,
    id: i64,
) -> QueryResult<Option<(TicketAttachment, bool)>> {
    use super::schema::ticket_messages;
    ticket_attachments::table
        .inner_join(ticket_messages::table)
        .filter(ticket_attachments::id.eq(id))
        .filter(ticket_attachments::ticket_id.eq(ticket_id))
        .select((ticket_attachments::all_columns, ticket_messages::internal))
        .get_result(conn)
        .optional()
}
