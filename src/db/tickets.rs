//! Support tickets and the messages in them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{ticket_messages, tickets};

/// A row of `tickets`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Ticket {
    pub id: i64,
    pub customer_id: i64,
    pub opened_by_account_id: Option<i64>,
    pub service_id: Option<i64>,
    pub subject: String,
    pub category: String,
    pub status: String,
    pub priority: String,
    pub assigned_staff_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = tickets, treat_none_as_default_value = false)]
pub struct NewTicket {
    pub customer_id: i64,
    pub opened_by_account_id: Option<i64>,
    pub service_id: Option<i64>,
    pub subject: String,
    pub category: String,
    pub status: String,
    pub priority: String,
    pub assigned_staff_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
}

/// A row of `ticket_messages`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct TicketMessage {
    pub id: i64,
    pub ticket_id: i64,
    pub author_account_id: Option<i64>,
    pub author_staff_id: Option<i64>,
    pub body: String,
    pub internal: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = ticket_messages, treat_none_as_default_value = false)]
pub struct NewTicketMessage {
    pub ticket_id: i64,
    pub author_account_id: Option<i64>,
    pub author_staff_id: Option<i64>,
    pub body: String,
    pub internal: bool,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, ticket: &NewTicket) -> QueryResult<i64> {
    diesel::insert_into(tickets::table)
        .values(ticket)
        .returning(tickets::id)
        .get_result(conn)
}

pub fn insert_message(conn: &mut DbConn, message: &NewTicketMessage) -> QueryResult<i64> {
    diesel::insert_into(ticket_messages::table)
        .values(message)
        .returning(ticket_messages::id)
        .get_result(conn)
}

/// Tickets the customer still waits on (anything not closed).
pub fn count_open(conn: &mut DbConn, customer_id: i64) -> QueryResult<i64> {
    tickets::table
        .filter(tickets::customer_id.eq(customer_id))
        .filter(tickets::status.ne("closed"))
        .count()
        .get_result(conn)
}

/// The customer's most recently updated tickets, for the dashboard.
pub fn recent_of_customer(
    conn: &mut DbConn,
    customer_id: i64,
    limit: i64,
) -> QueryResult<Vec<Ticket>> {
    tickets::table
        .filter(tickets::customer_id.eq(customer_id))
        .order((tickets::updated_at.desc(), tickets::id.desc()))
        .limit(limit)
        .load(conn)
}
