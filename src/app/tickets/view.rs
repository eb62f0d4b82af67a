//! What the ticket pages show: read models built from the rows, with names resolved and the
//! staff-only parts left out unless the reader may see them.

use crate::domain::CustomerId;
use std::collections::HashMap;

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::db::customers::Customer;
use crate::db::staff::StaffUser;
use crate::db::ticket_attachments::TicketAttachment;
use crate::db::tickets::{Ticket, TicketMessage};
use crate::db::{self, DbConn};
use crate::domain::tickets::{
    REOPEN_WINDOW_DAYS, TicketCategory, TicketStatus, may_reopen, ticket_number,
};

/// A line of a ticket list (the subscriber's or the staff queue).
#[derive(Debug, Clone, Serialize)]
pub struct TicketRow {
    pub id: i64,
    pub number: String,
    pub subject: String,
    pub category: TicketCategory,
    pub status: TicketStatus,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    pub customer_id: CustomerId,
    /// Filled in for staff.
    pub customer_name: Option<String>,
    pub customer_number: Option<i64>,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
}

impl TicketRow {
    pub fn of(ticket: &Ticket) -> TicketRow {
        TicketRow {
            id: ticket.id,
            number: ticket_number(ticket.id),
            subject: ticket.subject.clone(),
            category: ticket.category,
            status: ticket.status,
            created_at: ticket.created_at,
            updated_at: ticket.updated_at,
            closed_at: ticket.closed_at,
            customer_id: ticket.customer_id,
            customer_name: None,
            customer_number: None,
            assignee_id: ticket.assigned_staff_id,
            assignee_name: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AttachmentRow {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct MessageView {
    pub id: i64,
    /// `customer` or `staff`.
    pub author: &'static str,
    /// The staff member's name (staff pages) or the ISP's "customer service" (subscriber pages
    /// get `None` and show a generic label).
    pub author_name: Option<String>,
    /// Plain text as typed; templates escape it and keep the line breaks.
    pub body: String,
    pub internal: bool,
    pub created_at: NaiveDateTime,
    pub attachments: Vec<AttachmentRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TicketView {
    pub ticket: TicketRow,
    pub service_name: Option<String>,
    pub messages: Vec<MessageView>,
    pub can_reopen: bool,
    /// Until when a closed ticket may be reopened.
    pub reopen_until: Option<NaiveDateTime>,
}

/// Who the reader is decides what the thread contains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Customer,
    Staff { internal_notes: bool },
}

pub fn customer_name(customer: &Customer) -> String {
    match &customer.company_name {
        Some(company) if !company.trim().is_empty() => company.clone(),
        _ => format!(
            "{} {}",
            customer.first_name.as_deref().unwrap_or(""),
            customer.last_name.as_deref().unwrap_or("")
        )
        .trim()
        .to_owned(),
    }
}

fn staff_names(conn: &mut DbConn) -> diesel::QueryResult<HashMap<i64, String>> {
    Ok(db::staff::all_active(conn)?
        .into_iter()
        .map(|s: StaffUser| (s.id, s.full_name))
        .collect())
}

/// Staff rows carry the customer's and the assignee's names.
pub fn staff_rows(conn: &mut DbConn, tickets: &[Ticket]) -> diesel::QueryResult<Vec<TicketRow>> {
    let names = staff_names(conn)?;
    let mut customers: HashMap<CustomerId, Customer> = HashMap::new();
    let mut rows = Vec::with_capacity(tickets.len());
    for ticket in tickets {
        let mut row = TicketRow::of(ticket);
        if !customers.contains_key(&ticket.customer_id)
            && let Some(customer) = db::customers::find(conn, ticket.customer_id)?
        {
            customers.insert(ticket.customer_id, customer);
        }
        if let Some(customer) = customers.get(&ticket.customer_id) {
            row.customer_name = Some(customer_name(customer));
            row.customer_number = Some(customer.customer_number);
        }
        row.assignee_name = ticket
            .assigned_staff_id
            .and_then(|id| names.get(&id).cloned());
        rows.push(row);
    }
    Ok(rows)
}

pub fn thread(
    conn: &mut DbConn,
    ticket: &Ticket,
    reader: Reader,
    now: NaiveDateTime,
) -> diesel::QueryResult<TicketView> {
    let include_internal = matches!(
        reader,
        Reader::Staff {
            internal_notes: true
        }
    );
    let messages = db::tickets::messages(conn, ticket.id, include_internal)?;
    let attachments = db::ticket_attachments::of_ticket(conn, ticket.id)?;
    let names = staff_names(conn)?;
    let service_name = match ticket.service_id {
        Some(id) => db::services::find_of_customer(conn, ticket.customer_id, id)?.map(|s| s.name),
        None => None,
    };
    let messages = messages
        .into_iter()
        .map(|message| message_view(message, &attachments, &names, reader))
        .collect();
    let mut row = match reader {
        Reader::Customer => TicketRow::of(ticket),
        Reader::Staff { .. } => staff_rows(conn, std::slice::from_ref(ticket))?
            .pop()
            .unwrap_or_else(|| TicketRow::of(ticket)),
    };
    if row.assignee_name.is_none() {
        row.assignee_name = ticket
            .assigned_staff_id
            .and_then(|id| names.get(&id).cloned());
    }
    Ok(TicketView {
        ticket: row,
        service_name,
        messages,
        can_reopen: ticket.status == TicketStatus::Closed && may_reopen(ticket.closed_at, now),
        reopen_until: ticket
            .closed_at
            .map(|closed| closed + chrono::Duration::days(REOPEN_WINDOW_DAYS)),
    })
}

fn message_view(
    message: TicketMessage,
    attachments: &[TicketAttachment],
    names: &HashMap<i64, String>,
    reader: Reader,
) -> MessageView {
    let author = if message.author_staff_id.is_some() {
        "staff"
    } else {
        "customer"
    };
    let author_name = match reader {
        Reader::Staff { .. } => message
            .author_staff_id
            .and_then(|id| names.get(&id).cloned()),
        Reader::Customer => None,
    };
    MessageView {
        id: message.id,
        author,
        author_name,
        attachments: attachments
            .iter()
            .filter(|a| a.message_id == message.id)
            .map(|a| AttachmentRow {
                id: a.id,
                file_name: a.file_name.clone(),
                content_type: a.content_type.clone(),
                size_bytes: a.size_bytes,
            })
            .collect(),
        body: message.body,
        internal: message.internal,
        created_at: message.created_at,
    }
}
