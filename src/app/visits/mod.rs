//! Technician visits (issue 22): staff set up technicians and kinds of visit and run each
//! technician's calendar; subscribers book, move and cancel visits; a late cancellation or a
//! missed visit costs the kind's fee, queued for the next invoice or taken off a prepaid package.
//!
//! Every use case here runs inside the caller's write transaction (`App::…writes()`), so a
//! booking, its slot holds, its mail and its audit entry commit together or not at all.

pub mod booking;
pub mod calendar;
pub mod fees;
pub mod notify;
pub mod offers;
pub mod reminders;
pub mod setup;

use std::path::Path;

use chrono::NaiveDateTime;

use crate::app::audit::Actor;
use crate::app::mail_queue::{Outgoing, QueueError};
use crate::app::service::Cx;
use crate::app::staff::FieldErrors;
use crate::domain::visits::SlotProblem;

#[derive(Debug, thiserror::Error)]
pub enum VisitError {
    #[error("the form has problems")]
    Invalid(FieldErrors),
    #[error("no such kind of visit")]
    NoKind,
    #[error("not this customer's ticket")]
    NotYourTicket,
    #[error("not this customer's service")]
    NotYourService,
    #[error("no active contract on that day")]
    NoContract,
    #[error("the customer's service is blocked")]
    Blocked,
    #[error("the slot cannot be booked: {0:?}")]
    Slot(SlotProblem),
    #[error("no technician serves the address")]
    NotServed,
    #[error("the slot was just taken")]
    SlotTaken,
    #[error("no such visit")]
    NotFound,
    #[error("the visit is no longer booked")]
    NotBooked,
    #[error("too late to move the visit")]
    TooLateToMove,
    #[error("the visit has not begun yet")]
    NotYet,
    #[error("the fee is already on an invoice")]
    FeeInvoiced,
    #[error("there is no fee to waive")]
    NoFee,
    #[error("no such technician")]
    NoTechnician,
    #[error("calendar file: {0}")]
    File(String),
    #[error(transparent)]
    Mail(#[from] QueueError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl VisitError {
    /// The message key a person reads, for the errors that are theirs to fix; None for the
    /// server's own failures.
    pub fn message_key(&self) -> Option<&'static str> {
        Some(match self {
            VisitError::Invalid(_) => "visits-error-form",
            VisitError::NoKind => "visits-error-kind",
            VisitError::NotYourTicket => "visits-error-ticket",
            VisitError::NotYourService => "visits-error-service",
            VisitError::NoContract => "visits-error-no-contract",
            VisitError::Blocked => "visits-error-blocked",
            VisitError::Slot(SlotProblem::Past) => "visits-error-past",
            VisitError::Slot(SlotProblem::OutsideHours) => "visits-error-outside-hours",
            VisitError::Slot(SlotProblem::TooSoonForFree) => "visits-error-free-notice",
            VisitError::NotServed => "visits-error-not-served",
            VisitError::SlotTaken => "visits-error-taken",
            VisitError::NotFound => "visits-error-not-found",
            VisitError::NotBooked => "visits-error-not-booked",
            VisitError::TooLateToMove => "visits-error-too-late-to-move",
            VisitError::NotYet => "visits-error-not-yet",
            VisitError::FeeInvoiced => "visits-error-fee-invoiced",
            VisitError::NoFee => "visits-error-no-fee",
            VisitError::NoTechnician => "visits-error-technician",
            VisitError::File(_) | VisitError::Mail(_) | VisitError::Database(_) => return None,
        })
    }
}

/// What a visit use case needs besides its connection: who acts, when, and where its mail and
/// calendar files go.
pub struct Effects<'a> {
    pub outgoing: Outgoing<'a>,
    /// Calendar entries are written under `<dir>/visits/` (the attachments directory, which is
    /// shared storage when several instances run).
    pub files: &'a Path,
    /// The ISP's mail address, the calendar entry's organizer.
    pub organizer_email: String,
    pub actor: Actor,
    pub now: NaiveDateTime,
}

impl<'a> Effects<'a> {
    /// From an application call; asks for the outbox sender to be woken after commit.
    pub fn of<M>(cx: &Cx<'a, M>) -> Effects<'a> {
        let config = cx.config();
        Effects {
            outgoing: cx.mail(),
            files: &config.paths.attachments_dir,
            organizer_email: mail_address(&config.mail.from),
            actor: cx.actor(),
            now: cx.now,
        }
    }
}

/// `"e-BOK <bok@isp.pl>"` → `bok@isp.pl`.
pub fn mail_address(from: &str) -> String {
    match (from.find('<'), from.rfind('>')) {
        (Some(open), Some(close)) if open < close => from[open + 1..close].trim().to_owned(),
        _ => from.trim().to_owned(),
    }
}

/// A time as a Polish reader sees it ("28.03.2027 10:00") or an English one.
pub fn local_label(utc: NaiveDateTime, english: bool) -> String {
    let local = crate::domain::visits::warsaw::to_local(utc);
    if english {
        local.format("%-d %b %Y %H:%M").to_string()
    } else {
        local.format("%d.%m.%Y %H:%M").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_organizer_is_the_address_inside_the_brackets() {
        assert_eq!(mail_address("e-BOK <bok@isp.pl>"), "bok@isp.pl");
        assert_eq!(mail_address("bok@isp.pl"), "bok@isp.pl");
    }
}
