//! Support tickets through the JSON API: the list (for a helpdesk or CRM beside e-BOK) and a
//! reply the subscriber sees, made by the use case staff use (`app::tickets::staff::reply`), so
//! the ticket becomes "answered", the subscriber is mailed as they chose, and the reply is
//! audited with the token's name. A reply is signed by the admin who created the token (tokens
//! are made in the staff panel), as a ticket's messages always name a person.

use crate::domain::CustomerId;
use crate::domain::tickets::{TicketCategory, TicketStatus};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Answer, ListQuery, Problem};
use crate::app::audit::Actor;
use crate::app::mail_queue::Outgoing;
use crate::app::tickets::{TicketError, staff};
use crate::db::{self, DbConn};

type Db<T> = Result<T, diesel::result::Error>;

/// A ticket as the staff queue shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": 41, "customer_id": 12, "subject": "Brak internetu od rana", "category": "fault",
    "status": "open", "priority": "normal", "service_id": 77, "assigned_staff_id": null,
    "created_at": "2026-12-08T07:12:00", "updated_at": "2026-12-08T07:12:00", "closed_at": null
}))]
pub struct TicketOut {
    pub id: i64,
    #[schema(value_type = i64)]
    pub customer_id: CustomerId,
    pub subject: String,
    /// `fault`, `billing`, `contract` or `other`.
    #[schema(value_type = String)]
    pub category: TicketCategory,
    /// `new`, `open`, `waiting_customer`, `answered` or `closed`.
    #[schema(value_type = String)]
    pub status: TicketStatus,
    pub priority: String,
    pub service_id: Option<i64>,
    pub assigned_staff_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
}

impl From<db::tickets::Ticket> for TicketOut {
    fn from(t: db::tickets::Ticket) -> TicketOut {
        TicketOut {
            id: t.id,
            customer_id: t.customer_id,
            subject: t.subject,
            category: t.category,
            status: t.status,
            priority: t.priority,
            service_id: t.service_id,
            assigned_staff_id: t.assigned_staff_id,
            created_at: t.created_at,
            updated_at: t.updated_at,
            closed_at: t.closed_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TicketList {
    pub items: Vec<TicketOut>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// A reply to the subscriber.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "body": "Dzień dobry, awaria została usunięta o 9:40." }))]
pub struct ReplyIn {
    /// Plain text, up to 10 000 characters.
    pub body: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({ "ticket_id": 41, "status": "answered", "mailed": true }))]
pub struct ReplyOut {
    pub ticket_id: i64,
    /// `answered`: the state a staff reply leaves the ticket in.
    #[schema(value_type = String)]
    pub status: TicketStatus,
    /// Whether the subscriber was mailed (they may have turned ticket mail off).
    pub mailed: bool,
}

/// Tickets, oldest first, by cursor; `updated_since` and `customer_id` narrow them.
pub fn list_tickets(conn: &mut DbConn, query: &ListQuery) -> Db<Answer> {
    let page = match query.page() {
        Ok(page) => page,
        Err(problem) => return Ok(problem.into()),
    };
    let mut found = db::api::tickets_page(conn, page)?;
    // The page query read one more than asked: it tells whether another page follows.
    let limit = (page.limit - 1).max(0) as usize;
    let more = found.len() > limit;
    found.truncate(limit);
    let next_cursor = more
        .then(|| found.last().map(|t| t.id.to_string()))
        .flatten();
    Ok(Answer::ok(
        200,
        TicketList {
            items: found.into_iter().map(TicketOut::from).collect(),
            next_cursor,
        },
    ))
}

/// Replies to the subscriber as the admin who created the token (`token_id`).
pub fn reply(
    conn: &mut DbConn,
    outgoing: Outgoing<'_>,
    (token_id, actor): (i64, &Actor),
    ticket_id: i64,
    input: &ReplyIn,
    now: NaiveDateTime,
) -> Db<Answer> {
    let Some(staff_id) = db::api::token_creator(conn, token_id)? else {
        return Ok(Problem::field(
            "body",
            "api-token-without-author",
            "Replies need a token an admin created in the staff panel: its replies are signed \
             with that admin's name.",
        )
        .into());
    };
    let signed = Actor {
        staff_id: Some(staff_id),
        ..actor.clone()
    };
    match staff::reply(conn, outgoing, &signed, ticket_id, &input.body, now) {
        Ok(mailed) => Ok(Answer::ok(
            201,
            ReplyOut {
                ticket_id,
                status: TicketStatus::Answered,
                mailed,
            },
        )),
        Err(TicketError::NotFound) => Ok(Problem::not_found("ticket").into()),
        Err(TicketError::Body) => Ok(Problem::field(
            "body",
            "api-ticket-body",
            "The reply is empty or longer than 10 000 characters.",
        )
        .into()),
        Err(TicketError::Database(error)) => Err(error),
        Err(error) => {
            tracing::error!(%error, ticket = ticket_id, "API ticket reply failed");
            Err(diesel::result::Error::RollbackTransaction)
        }
    }
}
