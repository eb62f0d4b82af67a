//! Telling the subscriber: a mail in their language for a booking, a move, a cancellation or a
//! reminder, with the visit's calendar entry attached (`.ics`, written under the attachments
//! directory so every instance's sender can read it).

use crate::domain::AccountStatus;
use std::path::PathBuf;

use super::fees::AppliedFee;
use super::{Effects, VisitError, local_label};
use crate::app::mail_queue;
use crate::db::visits::{Visit, VisitKind};
use crate::db::{self, DbConn};
use crate::domain::Money;
use crate::domain::visits::calendar::CalendarEntry;
use crate::mail::{Language, MailKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Booked,
    Moved,
    Cancelled,
    Reminder,
}

impl Event {
    fn as_str(self) -> &'static str {
        match self {
            Event::Booked => "booked",
            Event::Moved => "moved",
            Event::Cancelled => "cancelled",
            Event::Reminder => "reminder",
        }
    }
}

fn host_of(public_url: &str) -> String {
    let without_scheme = public_url
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(public_url);
    without_scheme
        .split(['/', ':'])
        .next()
        .filter(|h| !h.is_empty())
        .unwrap_or("ebok")
        .to_owned()
}

fn money_text(amount: Money, language: Language) -> String {
    match language {
        Language::Polish => amount.to_string(),
        Language::English => amount.to_english(),
    }
}

/// Writes the calendar entry; returns its path as the outbox keeps it.
fn write_entry(
    fx: &Effects<'_>,
    visit: &Visit,
    event: Event,
    text: &str,
) -> Result<String, VisitError> {
    let dir: PathBuf = fx.files.join("visits");
    std::fs::create_dir_all(&dir)
        .map_err(|e| VisitError::File(format!("{}: {e}", dir.display())))?;
    let path = dir.join(format!(
        "wizyta-{}-{}-{}.ics",
        visit.id,
        visit.revision,
        event.as_str()
    ));
    std::fs::write(&path, text)
        .map_err(|e| VisitError::File(format!("{}: {e}", path.display())))?;
    Ok(path.to_string_lossy().into_owned())
}

/// Queues the mail about `visit` in the caller's transaction.
pub fn send(
    conn: &mut DbConn,
    fx: &Effects<'_>,
    visit: &Visit,
    kind: &VisitKind,
    event: Event,
    charged: Option<&AppliedFee>,
) -> Result<(), VisitError> {
    let Some(customer) = db::customers::find(conn, visit.customer_id)? else {
        return Ok(());
    };
    let (email, language) = match db::accounts::find_owner(conn, customer.id)? {
        Some(account) if account.status == AccountStatus::Active => {
            (account.email, account.language)
        }
        _ => (customer.email.clone(), customer.language.clone()),
    };
    let language = Language::from_code(&language);
    let english = language == Language::English;
    let address = format!(
        "{}, {} {}",
        visit.address_line, visit.postal_code, visit.city
    );
    let outgoing = fx.outgoing;
    let summary = if english {
        format!("Technician visit: {}", kind.name)
    } else {
        format!("Wizyta technika: {}", kind.name)
    };
    let description = if visit.access_notes.is_empty() {
        outgoing.link(&format!("/wizyty/{}", visit.id))
    } else {
        format!(
            "{}\n{}",
            visit.access_notes,
            outgoing.link(&format!("/wizyty/{}", visit.id))
        )
    };
    let ics = CalendarEntry {
        visit_id: visit.id,
        host: &host_of(outgoing.public_url),
        revision: visit.revision,
        starts_at: visit.starts_at,
        ends_at: visit.ends_at,
        stamp: fx.now,
        summary: &summary,
        location: &address,
        description: &description,
        organizer_name: outgoing.isp_name,
        organizer_email: &fx.organizer_email,
        cancelled: event == Event::Cancelled,
    }
    .to_ics();
    let path = write_entry(fx, visit, event, &ics)?;
    let rules = super::booking::late_rules(kind, visit.price);
    let mut context = outgoing.context();
    context.insert("event", event.as_str());
    context.insert("when", &local_label(visit.starts_at, english));
    context.insert("kind_name", &kind.name);
    context.insert("address", &address);
    context.insert("late_hours", &kind.late_cancel_hours);
    if event != Event::Cancelled && rules.fee().grosze() > 0 {
        context.insert("fee", &money_text(rules.fee(), language));
    }
    if let Some(applied) = charged {
        context.insert("charged", &money_text(applied.amount, language));
        context.insert("charged_days", &applied.days);
    }
    context.insert("link", &outgoing.link(&format!("/wizyty/{}", visit.id)));
    mail_queue::queue_with_attachment(
        conn,
        outgoing.templates,
        MailKind::Visit,
        &email,
        language,
        &context,
        Some(path),
        fx.now,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_is_taken_from_the_portal_address() {
        assert_eq!(host_of("https://ebok.isp.pl/"), "ebok.isp.pl");
        assert_eq!(host_of("http://127.0.0.1:8000"), "127.0.0.1");
        assert_eq!(host_of(""), "ebok");
    }
}
