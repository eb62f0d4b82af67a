//! Shared state for use cases that send mail, and the wake-up call for the outbox sender.

use std::sync::Arc;

use rocket::tokio::sync::{Notify, Semaphore};

use crate::app::mail_queue::Outgoing;
use crate::mail::MailTemplates;

pub struct MailSetup {
    pub templates: MailTemplates,
    pub public_url: String,
    pub isp_name: String,
}

/// Cheap to clone into a blocking closure.
#[derive(Clone)]
pub struct Mailing(pub Arc<MailSetup>);

impl Mailing {
    pub fn outgoing(&self) -> Outgoing<'_> {
        Outgoing {
            templates: &self.0.templates,
            public_url: &self.0.public_url,
            isp_name: &self.0.isp_name,
        }
    }
}

/// Tells the outbox sender that a message was just committed, so it need not wait for its timer.
#[derive(Clone, Default)]
pub struct OutboxSignal(pub Arc<Notify>);

impl OutboxSignal {
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// argon2 takes ~19 MiB and tens of milliseconds per hash: at most one per core at a time, so a
/// burst of logins queues instead of exhausting memory.
#[derive(Clone)]
pub struct PasswordSlots(pub Arc<Semaphore>);

impl PasswordSlots {
    pub fn for_this_machine() -> PasswordSlots {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        PasswordSlots(Arc::new(Semaphore::new(cores)))
    }
}
