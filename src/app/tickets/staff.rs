//! The staff side: the queue, the full thread, replies, internal notes, status and assignment.
//! Every change is audited with the staff member as actor. Who may do what is the caller's
//! check (`staff_roles`); what a reader sees of the thread is decided here by `internal_notes`.

use crate::domain::CustomerId;
use chrono::{Duration, NaiveDateTime};
use serde_json::json;

use super::view::{self, Reader, TicketRow, TicketView};
use super::{
    AttachmentFile, Author, TicketError, add_message, checked_body, notify, read_attachment,
};
use crate::app::audit::{self, Actor};
use crate::app::mail_queue::Outgoing;
use crate::app::staff_roles::{Permission, role_allows};
use crate::db::canned_responses::CannedResponse;
use crate::db::tickets::{AssigneeFilter, QueueFilter, Ticket};
use crate::db::{self, DbConn};
use crate::domain::StoredWord;
use crate::domain::tickets::{TicketCategory, TicketStatus};

/// The queue never lists more than this at once; filters narrow it down.
pub const QUEUE_LIMIT: i64 = 500;

/// The queue's filters as typed in the query string; unknown values mean "any".
#[derive(Debug, Clone, Default)]
pub struct QueueQuery {
    /// A status, `all`, or empty for "everything not closed".
    pub status: Option<String>,
    pub category: Option<String>,
    /// A staff id, `none` for unassigned, or empty for anyone.
    pub assignee: Option<String>,
    pub older_than_days: Option<i64>,
    pub customer_id: Option<CustomerId>,
}

impl QueueQuery {
    fn filter(&self, now: NaiveDateTime) -> QueueFilter {
        let status = self.status.as_deref().and_then(TicketStatus::parse);
        let all = self.status.as_deref() == Some("all");
        QueueFilter {
            not_closed: status.is_none() && !all,
            status,
            category: self.category.as_deref().and_then(TicketCategory::parse),
            assignee: match self.assignee.as_deref() {
                Some("none") => Some(AssigneeFilter::Nobody),
                Some(id) => id.parse().ok().map(AssigneeFilter::Staff),
                None => None,
            },
            opened_before: self
                .older_than_days
                .filter(|days| (1..=3650).contains(days))
                .map(|days| now - Duration::days(days)),
            customer_id: self.customer_id,
        }
    }
}

/// Someone tickets can be assigned to.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Assignee {
    pub id: i64,
    pub name: String,
}

/// Active staff whose role handles tickets.
pub fn assignees(conn: &mut DbConn) -> diesel::QueryResult<Vec<Assignee>> {
    Ok(db::staff::all_active(conn)?
        .into_iter()
        .filter(|s| role_allows(&s.role, Permission::HandleTickets))
        .map(|s| Assignee {
            id: s.id,
            name: s.full_name,
        })
        .collect())
}

pub fn queue(
    conn: &mut DbConn,
    query: &QueueQuery,
    now: NaiveDateTime,
) -> diesel::QueryResult<Vec<TicketRow>> {
    let tickets = db::tickets::queue(conn, &query.filter(now), QUEUE_LIMIT)?;
    view::staff_rows(conn, &tickets)
}

/// The queue page: the tickets the filter finds and who they can be assigned to.
pub fn queue_page(
    conn: &mut DbConn,
    query: &QueueQuery,
    now: NaiveDateTime,
) -> diesel::QueryResult<(Vec<TicketRow>, Vec<Assignee>)> {
    Ok((queue(conn, query, now)?, assignees(conn)?))
}

/// Everything the staff ticket page shows besides the layout.
pub struct TicketPage {
    pub view: TicketView,
    pub assignees: Vec<Assignee>,
    /// The active canned responses, for someone who may answer.
    pub canned_responses: Vec<CannedResponse>,
    /// The body of the canned response chosen for the reply box, if any (and active).
    pub canned_body: Option<String>,
    /// For a fault ticket: the last RADIUS connections of the customer's endpoints (of the
    /// ticket's service when it names one), newest first. `None` for other categories.
    pub connections: Option<Vec<crate::db::traffic::RadiusSession>>,
}

/// The ticket page for a staff member; `internal_notes` and `can_handle` are what their role
/// allows. `None` when there is no such ticket.
pub fn ticket_page(
    conn: &mut DbConn,
    id: i64,
    (internal_notes, can_handle): (bool, bool),
    canned_id: Option<i64>,
    now: NaiveDateTime,
) -> diesel::QueryResult<Option<TicketPage>> {
    let Some(view) = detail(conn, id, internal_notes, now)? else {
        return Ok(None);
    };
    let assignees = assignees(conn)?;
    let connections = if view.ticket.category == TicketCategory::Fault {
        let service_id = db::tickets::find(conn, id)?.and_then(|t| t.service_id);
        Some(crate::app::radius::recent_of_customer(
            conn,
            view.ticket.customer_id,
            service_id,
            crate::app::radius::RECENT,
        )?)
    } else {
        None
    };
    let (canned_responses, canned_body) = if can_handle {
        let body = match canned_id {
            Some(canned_id) => super::canned::body_of(conn, canned_id)?,
            None => None,
        };
        (super::canned::list(conn, true)?, body)
    } else {
        (Vec::new(), None)
    };
    Ok(Some(TicketPage {
        view,
        assignees,
        canned_responses,
        canned_body,
        connections,
    }))
}

pub fn detail(
    conn: &mut DbConn,
    id: i64,
    internal_notes: bool,
    now: NaiveDateTime,
) -> diesel::QueryResult<Option<TicketView>> {
    match db::tickets::find(conn, id)? {
        Some(ticket) => {
            view::thread(conn, &ticket, Reader::Staff { internal_notes }, now).map(Some)
        }
        None => Ok(None),
    }
}

fn ticket(conn: &mut DbConn, id: i64) -> Result<Ticket, TicketError> {
    db::tickets::find(conn, id)?.ok_or(TicketError::NotFound)
}

fn staff_id(actor: &Actor) -> i64 {
    actor.staff_id.unwrap_or_default()
}

/// A reply the subscriber sees: the ticket becomes "answered" (a closed one is reopened by it)
/// and the subscriber gets mail if they want it. Returns whether mail was queued.
pub fn reply(
    conn: &mut DbConn,
    outgoing: Outgoing<'_>,
    actor: &Actor,
    id: i64,
    body: &str,
    now: NaiveDateTime,
) -> Result<bool, TicketError> {
    let body = checked_body(body)?;
    db::write_transaction(conn, |conn| {
        let ticket = ticket(conn, id)?;
        add_message(
            conn,
            id,
            Author::Staff(staff_id(actor)),
            &body,
            false,
            &[],
            now,
        )?;
        db::tickets::set_status(conn, id, TicketStatus::Answered, None, now)?;
        audit::record(
            conn,
            actor,
            "ticket_staff_reply",
            json!({ "ticket": id, "customer": ticket.customer_id, "status_before": ticket.status }),
            now,
        )?;
        notify::staff_replied(conn, outgoing, &ticket, &body, now)
    })
}

/// A note only staff with the right role read; the subscriber's view and "last update" stay as
/// they were.
pub fn note(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    body: &str,
    now: NaiveDateTime,
) -> Result<(), TicketError> {
    let body = checked_body(body)?;
    db::write_transaction(conn, |conn| {
        let ticket = ticket(conn, id)?;
        add_message(
            conn,
            id,
            Author::Staff(staff_id(actor)),
            &body,
            true,
            &[],
            now,
        )?;
        audit::record(
            conn,
            actor,
            "ticket_internal_note",
            json!({ "ticket": id, "customer": ticket.customer_id }),
            now,
        )?;
        Ok(())
    })
}

pub fn change_status(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    status: &str,
    now: NaiveDateTime,
) -> Result<(), TicketError> {
    let status = TicketStatus::parse(status).ok_or(TicketError::Status)?;
    db::write_transaction(conn, |conn| {
        let ticket = ticket(conn, id)?;
        if ticket.status == status {
            return Ok(());
        }
        let closed_at = match status {
            TicketStatus::Closed => Some(now),
            _ => None,
        };
        db::tickets::set_status(conn, id, status, closed_at, now)?;
        audit::record(
            conn,
            actor,
            "ticket_status_changed",
            json!({ "ticket": id, "before": ticket.status, "after": status.as_str() }),
            now,
        )?;
        Ok(())
    })
}

/// Assigns to a staff member who handles tickets, or to nobody. A "new" ticket someone takes on
/// becomes "open".
pub fn assign(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    assignee: Option<i64>,
    now: NaiveDateTime,
) -> Result<(), TicketError> {
    db::write_transaction(conn, |conn| {
        let ticket = ticket(conn, id)?;
        if let Some(staff_id) = assignee {
            let handles = db::staff::find(conn, staff_id)?
                .is_some_and(|s| s.active && role_allows(&s.role, Permission::HandleTickets));
            if !handles {
                return Err(TicketError::Assignee);
            }
        }
        db::tickets::assign(conn, id, assignee)?;
        if assignee.is_some() && ticket.status == TicketStatus::New {
            db::tickets::set_status(conn, id, TicketStatus::Open, None, now)?;
        }
        audit::record(
            conn,
            actor,
            "ticket_assigned",
            json!({ "ticket": id, "before": ticket.assigned_staff_id, "after": assignee }),
            now,
        )?;
        Ok(())
    })
}

/// Any attachment of the ticket; one on a staff-only note only for readers of internal notes.
pub fn attachment(
    conn: &mut DbConn,
    store: &super::AttachmentStore,
    ticket_id: i64,
    attachment_id: i64,
    internal_notes: bool,
) -> Result<Option<AttachmentFile>, TicketError> {
    match db::ticket_attachments::find_in_ticket(conn, ticket_id, attachment_id)? {
        Some((attachment, internal)) if internal_notes || !internal => {
            read_attachment(store, &attachment).map(Some)
        }
        _ => Ok(None),
    }
}
