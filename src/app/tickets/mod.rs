//! Support tickets ("zgłoszenia"): subscribers open them and talk to staff; staff work a queue,
//! answer, leave internal notes, assign and change status. Each use case runs in one
//! transaction, audits what it changed and queues its mail through the outbox.

pub mod attachments;
pub mod canned;
pub mod customer;
mod notify;
pub mod staff;
mod view;

pub use attachments::{AttachmentStore, Upload};
pub use view::{MessageView, TicketRow, TicketView};

use crate::app::mail_queue::QueueError;
use crate::domain::tickets::{BODY_MAX_CHARS, SUBJECT_MAX_CHARS};

/// What can go wrong in a ticket use case; every variant but the last two is the user's to fix.
#[derive(Debug, thiserror::Error)]
pub enum TicketError {
    #[error("no such ticket")]
    NotFound,
    #[error("choose a category")]
    Category,
    #[error("the service is not the customer's")]
    Service,
    #[error("the subject is empty or too long")]
    Subject,
    #[error("the message is empty or too long")]
    Body,
    #[error("more than five files")]
    TooManyFiles,
    #[error("{0} is larger than 5 MB")]
    FileTooLarge(String),
    #[error("{0} is not a PDF, JPEG or PNG")]
    FileType(String),
    #[error("the ticket is closed")]
    Closed,
    #[error("the ticket is not closed")]
    NotClosed,
    #[error("closed more than 14 days ago")]
    ReopenExpired,
    #[error("unknown status")]
    Status,
    #[error("not a staff member who handles tickets")]
    Assignee,
    #[error("attachment storage: {0}")]
    Storage(#[from] attachments::AttachmentStoreError),
    #[error("mail: {0}")]
    Mail(#[from] QueueError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl TicketError {
    /// Failures that are ours, not the user's: logged and answered with the 500 page.
    pub fn is_internal(&self) -> bool {
        matches!(
            self,
            TicketError::Storage(_) | TicketError::Mail(_) | TicketError::Database(_)
        )
    }
}

/// Plain text as typed, trimmed at the ends only; line breaks are kept for the thread view.
fn checked_body(body: &str) -> Result<String, TicketError> {
    let body = body.trim();
    if body.is_empty() || body.chars().count() > BODY_MAX_CHARS {
        return Err(TicketError::Body);
    }
    Ok(body.replace("\r\n", "\n"))
}

fn checked_subject(subject: &str) -> Result<String, TicketError> {
    let subject: String = subject.split_whitespace().collect::<Vec<_>>().join(" ");
    if subject.is_empty() || subject.chars().count() > SUBJECT_MAX_CHARS {
        return Err(TicketError::Subject);
    }
    Ok(subject)
}

/// A downloaded attachment: its name, type and bytes.
#[derive(Debug, Clone)]
pub struct AttachmentFile {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Writes a message and its attachment rows (the files are already on disk).
fn add_message(
    conn: &mut crate::db::DbConn,
    ticket_id: i64,
    author: Author,
    body: &str,
    internal: bool,
    files: &[attachments::StoredFile],
    now: chrono::NaiveDateTime,
) -> diesel::QueryResult<i64> {
    use crate::db::ticket_attachments::NewTicketAttachment;
    use crate::db::tickets::NewTicketMessage;
    let (author_account_id, author_staff_id) = match author {
        Author::Account(id) => (id, None),
        Author::Staff(id) => (None, Some(id)),
    };
    let message_id = crate::db::tickets::insert_message(
        conn,
        &NewTicketMessage {
            ticket_id,
            author_account_id,
            author_staff_id,
            body: body.to_owned(),
            internal,
            created_at: now,
        },
    )?;
    for file in files {
        crate::db::ticket_attachments::insert(
            conn,
            &NewTicketAttachment {
                ticket_id,
                message_id,
                file_name: file.file_name.clone(),
                content_type: file.kind.content_type().to_owned(),
                size_bytes: file.size,
                sha256: file.sha256.clone(),
                storage_path: file.relative_path.clone(),
                created_at: now,
            },
        )?;
    }
    Ok(message_id)
}

/// Who wrote a message: the subscriber's account (if the session has one) or a staff member.
#[derive(Debug, Clone, Copy)]
enum Author {
    Account(Option<i64>),
    Staff(i64),
}

/// Writes the files, then runs `work`; if `work` fails the files are removed again, so a refused
/// or failed message leaves neither rows nor orphaned files.
fn with_stored_files<T>(
    store: &AttachmentStore,
    files: &[attachments::CheckedUpload],
    today: chrono::NaiveDate,
    work: impl FnOnce(&[attachments::StoredFile]) -> Result<T, TicketError>,
) -> Result<T, TicketError> {
    let stored = store.write_all(files, today)?;
    let result = work(&stored);
    if result.is_err() {
        store.discard(&stored);
    }
    result
}

/// Reads an attachment's bytes after the caller proved the reader may see it.
fn read_attachment(
    store: &AttachmentStore,
    attachment: &crate::db::ticket_attachments::TicketAttachment,
) -> Result<AttachmentFile, TicketError> {
    let bytes = store.read_verified(&attachment.storage_path, &attachment.sha256)?;
    Ok(AttachmentFile {
        file_name: attachment.file_name.clone(),
        content_type: attachment.content_type.clone(),
        bytes,
    })
}
