//! Delivering one message: SMTP in production and tests, `.eml` files for the embedded default.

use std::path::PathBuf;

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::MailConfig;
use crate::db::outbox::OutboxMessage;

pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// Writes each message as an `.eml` file and logs its links, so a new user of the embedded
    /// default can finish registration without a mail server.
    Files(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

impl Mailer {
    pub fn from_config(config: &MailConfig) -> Result<Mailer, String> {
        match &config.smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|builder| Mailer::Smtp(builder.build()))
                .map_err(|e| format!("EBOK_SMTP_URL: {e}")),
            None => {
                std::fs::create_dir_all(&config.files_dir)
                    .map_err(|e| format!("cannot create {}: {e}", config.files_dir.display()))?;
                Ok(Mailer::Files(
                    AsyncFileTransport::new(&config.files_dir),
                    config.files_dir.clone(),
                ))
            }
        }
    }

    pub async fn send(&self, message: Message, stored: &OutboxMessage) -> Result<(), String> {
        match self {
            Mailer::Smtp(transport) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Mailer::Files(transport, dir) => {
                let id = transport.send(message).await.map_err(|e| e.to_string())?;
                let links: Vec<&str> = stored
                    .body_text
                    .split_whitespace()
                    .filter(|word| word.starts_with("http://") || word.starts_with("https://"))
                    .collect();
                tracing::info!(
                    to = %stored.recipient,
                    subject = %stored.subject,
                    file = %dir.join(format!("{id}.eml")).display(),
                    "mail written to a file (no EBOK_SMTP_URL); links: {}",
                    links.join(" ")
                );
                Ok(())
            }
        }
    }
}

/// The MIME message for an outbox row: text and HTML alternatives, plus its attachment if any.
pub fn build_message(from: &Mailbox, stored: &OutboxMessage) -> Result<Message, String> {
    let to: Mailbox = stored
        .recipient
        .parse()
        .map_err(|e| format!("recipient {}: {e}", stored.recipient))?;
    let text = SinglePart::builder()
        .header(ContentType::TEXT_PLAIN)
        .body(stored.body_text.clone());
    let body = match &stored.body_html {
        Some(html) => MultiPart::alternative().singlepart(text).singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .body(html.clone()),
        ),
        None => MultiPart::mixed().singlepart(text),
    };
    let body = match &stored.attachment_path {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| format!("attachment {path}: {e}"))?;
            let name = std::path::Path::new(path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "zalacznik".into());
            // Invoices are PDFs; a technician visit carries its calendar entry.
            let mime = if name.ends_with(".ics") {
                "text/calendar; charset=utf-8; method=REQUEST"
            } else {
                "application/pdf"
            };
            let content_type = ContentType::parse(mime).map_err(|e| e.to_string())?;
            MultiPart::mixed()
                .multipart(body)
                .singlepart(Attachment::new(name).body(bytes, content_type))
        }
        None => body,
    };
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(stored.subject.clone());
    if let Some(url) = &stored.list_unsubscribe {
        // RFC 8058: the mail client's one-click button POSTs "List-Unsubscribe=One-Click" to
        // the address; RFC 2369 wants it in angle brackets.
        builder = builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
    }
    builder.multipart(body).map_err(|e| e.to_string())
}
