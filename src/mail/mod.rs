//! Mail: rendering messages from `templates/mail/`, and the transports that deliver them (SMTP,
//! or `.eml` files for the embedded default). Messages reach a transport only through the
//! outbox (see `jobs::outbox`).

mod templates;
mod transport;

pub use templates::{Language, MailKind, MailTemplates, RenderedMail};
pub use transport::{Mailer, build_message};
