//! Support tickets and the messages in them.

use crate::domain::CustomerId;
use crate::domain::tickets::{TicketCategory, TicketStatus};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{ticket_messages, tickets};

/// A row of `tickets`.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Ticket {
    pub id: i64,
    pub customer_id: CustomerId,
    pub opened_by_account_id: Option<i64>,
    pub service_id: Option<i64>,
    pub subject: String,
    pub category: TicketCategory,
    pub status: TicketStatus,
    pub priority: String,
    pub assigned_staff_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = tickets, treat_none_as_default_value = false)]
pub struct NewTicket {
    pub customer_id: CustomerId,
    pub opened_by_account_id: Option<i64>,
    pub service_id: Option<i64>,
    pub subject: String,
    pub category: TicketCategory,
    pub status: TicketStatus,
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

/// Inserts many tickets at once; answers (id, customer id) of each.
pub fn insert_many(conn: &mut DbConn, rows: &[NewTicket]) -> QueryResult<Vec<(i64, CustomerId)>> {
    Ok(insert_batches!(
        conn,
        tickets::table,
        rows,
        returning(tickets::id, tickets::customer_id)
    ))
}

pub fn insert_messages(conn: &mut DbConn, rows: &[NewTicketMessage]) -> QueryResult<usize> {
    Ok(insert_batches!(conn, ticket_messages::table, rows))
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Ticket>> {
    tickets::table.find(id).get_result(conn).optional()
}

/// The ticket only if it belongs to `customer_id`: another customer's id reads as "no such ticket".
pub fn find_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
    id: i64,
) -> QueryResult<Option<Ticket>> {
    tickets::table
        .filter(tickets::id.eq(id))
        .filter(tickets::customer_id.eq(customer_id))
        .get_result(conn)
        .optional()
}

/// Every ticket of the customer, the most recently changed first (the dashboard's "recent
/// tickets" are the first few).
pub fn list_of_customer(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<Vec<Ticket>> {
    concrete!(conn, |c| {
        tickets::table
            .filter(tickets::customer_id.eq(customer_id))
            .order((tickets::updated_at.desc(), tickets::id.desc()))
            .load(c)
    })
}

/// The thread in the order it was written; staff-only notes only when asked for.
pub fn messages(
    conn: &mut DbConn,
    ticket_id: i64,
    include_internal: bool,
) -> QueryResult<Vec<TicketMessage>> {
    let mut query = ticket_messages::table
        .filter(ticket_messages::ticket_id.eq(ticket_id))
        .order((ticket_messages::created_at.asc(), ticket_messages::id.asc()))
        .into_boxed();
    if !include_internal {
        query = query.filter(ticket_messages::internal.eq(false));
    }
    query.load(conn)
}

/// A new status; `closed_at` follows it (set on closing, cleared otherwise).
pub fn set_status(
    conn: &mut DbConn,
    id: i64,
    status: TicketStatus,
    closed_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(tickets::table.find(id))
        .set((
            tickets::status.eq(status),
            tickets::closed_at.eq(closed_at),
            tickets::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn assign(conn: &mut DbConn, id: i64, staff_id: Option<i64>) -> QueryResult<()> {
    diesel::update(tickets::table.find(id))
        .set(tickets::assigned_staff_id.eq(staff_id))
        .execute(conn)
        .map(|_| ())
}

/// Which assignee the staff queue shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssigneeFilter {
    Nobody,
    Staff(i64),
}

/// The staff queue's filters; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub status: Option<TicketStatus>,
    /// Everything except closed tickets (the queue's default view).
    pub not_closed: bool,
    pub category: Option<TicketCategory>,
    pub assignee: Option<AssigneeFilter>,
    /// Opened before this moment ("older than N days").
    pub opened_before: Option<NaiveDateTime>,
    pub customer_id: Option<CustomerId>,
}

/// The queue: oldest change first, so what waits longest is on top.
pub fn queue(conn: &mut DbConn, filter: &QueueFilter, limit: i64) -> QueryResult<Vec<Ticket>> {
    let mut query = tickets::table.into_boxed();
    if let Some(status) = &filter.status {
        query = query.filter(tickets::status.eq(*status));
    } else if filter.not_closed {
        query = query.filter(tickets::status.ne(TicketStatus::Closed));
    }
    if let Some(category) = &filter.category {
        query = query.filter(tickets::category.eq(*category));
    }
    match filter.assignee {
        Some(AssigneeFilter::Nobody) => query = query.filter(tickets::assigned_staff_id.is_null()),
        Some(AssigneeFilter::Staff(id)) => {
            query = query.filter(tickets::assigned_staff_id.eq(id));
        }
        None => {}
    }
    if let Some(before) = filter.opened_before {
        query = query.filter(tickets::created_at.lt(before));
    }
    if let Some(customer_id) = filter.customer_id {
        query = query.filter(tickets::customer_id.eq(customer_id));
    }
    query
        .order((tickets::updated_at.asc(), tickets::id.asc()))
        .limit(limit)
        .load(conn)
}
