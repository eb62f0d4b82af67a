//! The subscriber's side: open a ticket, read the thread, reply, close and reopen. Every lookup is
//! scoped to the signed-in customer, so another customer's ticket is simply "not found".

use crate::domain::CustomerId;
use chrono::NaiveDateTime;
use serde_json::json;

use super::attachments::{self, AttachmentStore, Upload};
use super::view::{self, Reader, TicketRow, TicketView};
use super::{
    AttachmentFile, Author, TicketError, add_message, checked_body, checked_subject, notify,
    read_attachment, with_stored_files,
};
use crate::app::audit::{self, Actor};
use crate::app::mail_queue::Outgoing;
use crate::db::tickets::{NewTicket, Ticket};
use crate::db::{self, DbConn};
use crate::domain::StoredWord;
use crate::domain::tickets::{TicketCategory, TicketStatus, may_reopen};

/// What the "new ticket" form sends.
#[derive(Debug, Clone, Default)]
pub struct NewTicketForm {
    pub category: String,
    /// Empty when the ticket concerns no particular service.
    pub service_id: Option<i64>,
    pub subject: String,
    pub body: String,
}

/// A service the subscriber may pick in the form.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ServiceChoice {
    pub id: i64,
    pub name: String,
}

pub fn list(conn: &mut DbConn, customer_id: CustomerId) -> diesel::QueryResult<Vec<TicketRow>> {
    Ok(db::tickets::list_of_customer(conn, customer_id)?
        .iter()
        .map(TicketRow::of)
        .collect())
}

pub fn services(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> diesel::QueryResult<Vec<ServiceChoice>> {
    Ok(db::services::of_customer(conn, customer_id)?
        .into_iter()
        .map(|s| ServiceChoice {
            id: s.id,
            name: s.name,
        })
        .collect())
}

/// Checks everything before a byte is written; returns the new ticket's id.
pub fn open(
    conn: &mut DbConn,
    store: &AttachmentStore,
    actor: &Actor,
    customer_id: CustomerId,
    form: &NewTicketForm,
    uploads: Vec<Upload>,
    now: NaiveDateTime,
) -> Result<i64, TicketError> {
    let category = TicketCategory::parse(&form.category).ok_or(TicketError::Category)?;
    let subject = checked_subject(&form.subject)?;
    let body = checked_body(&form.body)?;
    let files = attachments::check(uploads)?;
    if let Some(service_id) = form.service_id {
        let owned = db::services::find_of_customer(conn, customer_id, service_id)?.is_some();
        if !owned {
            return Err(TicketError::Service);
        }
    }
    with_stored_files(store, &files, now.date(), |stored| {
        db::write_transaction(conn, |conn| {
            let ticket_id = db::tickets::insert(
                conn,
                &NewTicket {
                    customer_id,
                    opened_by_account_id: actor.account_id,
                    service_id: form.service_id,
                    subject: subject.clone(),
                    category,
                    status: TicketStatus::New,
                    priority: "normal".into(),
                    assigned_staff_id: None,
                    created_at: now,
                    updated_at: now,
                    closed_at: None,
                },
            )?;
            add_message(
                conn,
                ticket_id,
                Author::Account(actor.account_id),
                &body,
                false,
                stored,
                now,
            )?;
            audit::record(
                conn,
                actor,
                "ticket_opened",
                json!({ "ticket": ticket_id, "category": category.as_str(), "attachments": stored.len() }),
                now,
            )?;
            Ok(ticket_id)
        })
    })
}

pub fn detail(
    conn: &mut DbConn,
    customer_id: CustomerId,
    id: i64,
    now: NaiveDateTime,
) -> diesel::QueryResult<Option<TicketView>> {
    match db::tickets::find_of_customer(conn, customer_id, id)? {
        Some(ticket) => view::thread(conn, &ticket, Reader::Customer, now).map(Some),
        None => Ok(None),
    }
}

fn own_ticket(conn: &mut DbConn, customer_id: CustomerId, id: i64) -> Result<Ticket, TicketError> {
    db::tickets::find_of_customer(conn, customer_id, id)?.ok_or(TicketError::NotFound)
}

/// A reply puts the ticket back on staff's desk ("open") and tells the assignee.
#[allow(clippy::too_many_arguments)]
pub fn reply(
    conn: &mut DbConn,
    store: &AttachmentStore,
    outgoing: Outgoing<'_>,
    actor: &Actor,
    customer_id: CustomerId,
    id: i64,
    body: &str,
    uploads: Vec<Upload>,
    now: NaiveDateTime,
) -> Result<(), TicketError> {
    // Ownership first: another customer's id must answer "not found", not "empty message".
    own_ticket(conn, customer_id, id)?;
    let body = checked_body(body)?;
    let files = attachments::check(uploads)?;
    with_stored_files(store, &files, now.date(), |stored| {
        db::write_transaction(conn, |conn| {
            let ticket = own_ticket(conn, customer_id, id)?;
            if ticket.status == TicketStatus::Closed {
                return Err(TicketError::Closed);
            }
            add_message(
                conn,
                id,
                Author::Account(actor.account_id),
                &body,
                false,
                stored,
                now,
            )?;
            db::tickets::set_status(conn, id, TicketStatus::Open, None, now)?;
            audit::record(
                conn,
                actor,
                "ticket_customer_reply",
                json!({ "ticket": id, "attachments": stored.len() }),
                now,
            )?;
            notify::customer_replied(conn, outgoing, &ticket, &body, now)?;
            Ok(())
        })
    })
}

pub fn close(
    conn: &mut DbConn,
    actor: &Actor,
    customer_id: CustomerId,
    id: i64,
    now: NaiveDateTime,
) -> Result<(), TicketError> {
    db::write_transaction(conn, |conn| {
        let ticket = own_ticket(conn, customer_id, id)?;
        if ticket.status == TicketStatus::Closed {
            return Err(TicketError::Closed);
        }
        db::tickets::set_status(conn, id, TicketStatus::Closed, Some(now), now)?;
        audit::record(
            conn,
            actor,
            "ticket_closed",
            json!({ "ticket": id, "by": "customer" }),
            now,
        )?;
        Ok(())
    })
}

/// Within 14 days of closing the subscriber may take the ticket up again; later they open a new one.
pub fn reopen(
    conn: &mut DbConn,
    actor: &Actor,
    customer_id: CustomerId,
    id: i64,
    now: NaiveDateTime,
) -> Result<(), TicketError> {
    db::write_transaction(conn, |conn| {
        let ticket = own_ticket(conn, customer_id, id)?;
        if ticket.status != TicketStatus::Closed {
            return Err(TicketError::NotClosed);
        }
        if !may_reopen(ticket.closed_at, now) {
            return Err(TicketError::ReopenExpired);
        }
        db::tickets::set_status(conn, id, TicketStatus::Open, None, now)?;
        audit::record(conn, actor, "ticket_reopened", json!({ "ticket": id }), now)?;
        Ok(())
    })
}

/// The file, if the ticket is this customer's and the file is not on a staff-only note.
pub fn attachment(
    conn: &mut DbConn,
    store: &AttachmentStore,
    customer_id: CustomerId,
    ticket_id: i64,
    attachment_id: i64,
) -> Result<Option<AttachmentFile>, TicketError> {
    if db::tickets::find_of_customer(conn, customer_id, ticket_id)?.is_none() {
        return Ok(None);
    }
    match db::ticket_attachments::find_in_ticket(conn, ticket_id, attachment_id)? {
        Some((attachment, false)) => read_attachment(store, &attachment).map(Some),
        _ => Ok(None),
    }
}
