//! What the ticket pages say when something needs correcting, in the reader's language.

use crate::app::tickets::TicketError;
use crate::app::tickets::canned::CannedError;
use crate::domain::tickets::{BODY_MAX_CHARS, SUBJECT_MAX_CHARS};
use crate::i18n::{self, Lang};

/// The sentence for a problem the user can fix (internal failures never reach here: the handlers
/// turn them into the 500 page first).
pub fn ticket_error(lang: Lang, error: &TicketError) -> String {
    match error {
        TicketError::NotFound => i18n::text(lang, "tickets-error-not-found"),
        TicketError::Category => i18n::text(lang, "tickets-error-category"),
        TicketError::Service => i18n::text(lang, "tickets-error-service"),
        TicketError::Subject => i18n::text_with(
            lang,
            "tickets-error-subject",
            &[("max", SUBJECT_MAX_CHARS.into())],
        ),
        TicketError::Body => i18n::text_with(
            lang,
            "tickets-error-body",
            &[("max", BODY_MAX_CHARS.into())],
        ),
        TicketError::TooManyFiles => i18n::text(lang, "tickets-error-too-many-files"),
        TicketError::FileTooLarge(name) => i18n::text_with(
            lang,
            "tickets-error-file-too-large",
            &[("name", name.into())],
        ),
        TicketError::FileType(name) => {
            i18n::text_with(lang, "tickets-error-file-type", &[("name", name.into())])
        }
        TicketError::Closed => i18n::text(lang, "tickets-error-closed"),
        TicketError::NotClosed => i18n::text(lang, "tickets-error-not-closed"),
        TicketError::ReopenExpired => i18n::text(lang, "tickets-error-reopen-expired"),
        TicketError::Status => i18n::text(lang, "tickets-error-status"),
        TicketError::Assignee => i18n::text(lang, "tickets-error-assignee"),
        TicketError::Storage(_) | TicketError::Mail(_) | TicketError::Database(_) => {
            i18n::text(lang, "tickets-error-internal")
        }
    }
}

pub fn canned_error(lang: Lang, error: &CannedError) -> String {
    match error {
        CannedError::Title => i18n::text(lang, "tickets-canned-error-title"),
        CannedError::Body => i18n::text(lang, "tickets-canned-error-body"),
        CannedError::NotFound => i18n::text(lang, "tickets-canned-error-not-found"),
        CannedError::Database(_) => i18n::text(lang, "tickets-error-internal"),
    }
}
