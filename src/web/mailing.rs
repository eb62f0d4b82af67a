//! The mail setup, the senders' wake-up and the password slots live in the application service
//! (`app::service`); named here for the staff pages that still take them as Rocket state.

pub use crate::app::service::{MailSetup, Mailing, OutboxSignal, PasswordSlots};
