//! Queuing mail from a use case: rendered now, written to the outbox in the caller's
//! transaction, delivered after commit by `jobs::outbox`.

use chrono::NaiveDateTime;
use tera::Context;

use crate::db::outbox::NewOutboxMessage;
use crate::db::{self, DbConn};
use crate::mail::{Language, MailKind, MailTemplates};

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("mail template: {0}")]
    Template(#[from] tera::Error),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

pub fn queue(
    conn: &mut DbConn,
    templates: &MailTemplates,
    kind: MailKind,
    recipient: &str,
    language: Language,
    context: &Context,
    now: NaiveDateTime,
) -> Result<i64, QueueError> {
    queue_with_attachment(
        conn, templates, kind, recipient, language, context, None, now,
    )
}

/// As `queue`, with a file attached (its path as the outbox stores it; the sender reads it).
#[allow(clippy::too_many_arguments)]
pub fn queue_with_attachment(
    conn: &mut DbConn,
    templates: &MailTemplates,
    kind: MailKind,
    recipient: &str,
    language: Language,
    context: &Context,
    attachment_path: Option<String>,
    now: NaiveDateTime,
) -> Result<i64, QueueError> {
    let mail = templates.render(kind, language, context)?;
    Ok(db::outbox::enqueue(
        conn,
        &NewOutboxMessage {
            kind: kind.name().into(),
            recipient: recipient.into(),
            subject: mail.subject,
            body_text: mail.text,
            body_html: Some(mail.html),
            attachment_path,
            status: crate::domain::MailStatus::Pending,
            attempts: 0,
            next_attempt_at: now,
            locked_until: None,
            last_error: None,
            created_at: now,
            sent_at: None,
        },
    )?)
}

/// What a use case needs to write a message: the templates and where links point.
#[derive(Clone, Copy)]
pub struct Outgoing<'a> {
    pub templates: &'a MailTemplates,
    /// e.g. `https://ebok.isp.pl`, without a trailing slash.
    pub public_url: &'a str,
    pub isp_name: &'a str,
}

impl Outgoing<'_> {
    /// A context with what every template shows.
    pub fn context(&self) -> Context {
        let mut context = Context::new();
        context.insert("isp_name", self.isp_name);
        context.insert("portal_url", self.public_url);
        context
    }

    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }
}
