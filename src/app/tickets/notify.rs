//! Ticket mail: the subscriber hears about a staff reply (if they want to), the assignee hears
//! about a subscriber's reply. Queued in the caller's transaction, so a rolled-back reply sends
//! nothing.

use crate::domain::AccountStatus;
use chrono::NaiveDateTime;

use super::TicketError;
use super::view::customer_name;
use crate::app::mail_queue::{self, Outgoing};
use crate::db::tickets::Ticket;
use crate::db::{self, DbConn};
use crate::domain::tickets::ticket_number;
use crate::mail::{Language, MailKind};

/// To the subscriber, in their language, at the account's address (the customer's contact
/// address when nobody has an account yet). `notify_tickets = false` sends nothing.
pub fn staff_replied(
    conn: &mut DbConn,
    outgoing: Outgoing<'_>,
    ticket: &Ticket,
    message: &str,
    now: NaiveDateTime,
) -> Result<bool, TicketError> {
    let Some(customer) = db::customers::find(conn, ticket.customer_id)? else {
        return Ok(false);
    };
    if !customer.notify_tickets {
        return Ok(false);
    }
    let (email, language) = match db::accounts::find_owner(conn, customer.id)? {
        Some(account) if account.status == AccountStatus::Active => {
            (account.email, account.language)
        }
        _ => (customer.email.clone(), customer.language.clone()),
    };
    let mut context = outgoing.context();
    context.insert("ticket_number", &ticket_number(ticket.id));
    context.insert("ticket_subject", &ticket.subject);
    context.insert("message", message);
    context.insert(
        "link",
        &outgoing.link(&format!("/zgloszenia/{}", ticket.id)),
    );
    mail_queue::queue(
        conn,
        outgoing.templates,
        MailKind::TicketReply,
        &email,
        Language::from_code(&language),
        &context,
        now,
    )?;
    Ok(true)
}

/// To the assigned staff member (in Polish: the ISP's staff work in Polish). Unassigned tickets
/// wait in the queue, where the "new/open" filters show them.
pub fn customer_replied(
    conn: &mut DbConn,
    outgoing: Outgoing<'_>,
    ticket: &Ticket,
    message: &str,
    now: NaiveDateTime,
) -> Result<bool, TicketError> {
    let Some(staff_id) = ticket.assigned_staff_id else {
        return Ok(false);
    };
    let Some(staff) = db::staff::find(conn, staff_id)? else {
        return Ok(false);
    };
    if !staff.active {
        return Ok(false);
    }
    let name = db::customers::find(conn, ticket.customer_id)?
        .map(|c| customer_name(&c))
        .unwrap_or_default();
    let mut context = outgoing.context();
    context.insert("ticket_number", &ticket_number(ticket.id));
    context.insert("ticket_subject", &ticket.subject);
    context.insert("customer_name", &name);
    context.insert("message", message);
    context.insert(
        "link",
        &outgoing.link(&format!("/staff/tickets/{}", ticket.id)),
    );
    mail_queue::queue(
        conn,
        outgoing.templates,
        MailKind::TicketCustomerReply,
        &staff.email,
        Language::Polish,
        &context,
        now,
    )?;
    Ok(true)
}
