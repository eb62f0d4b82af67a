//! Password slots: how many requests hash a password at once, and how long one waits in line.

use std::sync::Arc;
use std::time::Duration;

use rocket::tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::Refusal;

/// argon2 takes ~19 MiB and tens of milliseconds per hash: at most one per core at a time, so a
/// burst of logins queues instead of exhausting memory. The hashes themselves run below the
/// pages' priority (`app::password_threads`).
#[derive(Clone)]
pub struct PasswordSlots(pub Arc<Semaphore>);

impl PasswordSlots {
    pub fn for_this_machine() -> PasswordSlots {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        PasswordSlots(Arc::new(Semaphore::new(cores)))
    }

    /// Waits in line (first come, first served) for a slot, at most `PASSWORD_SLOT_WAIT`.
    pub(super) async fn take(&self) -> Result<OwnedSemaphorePermit, Refusal> {
        self.take_within(PASSWORD_SLOT_WAIT).await
    }

    async fn take_within(&self, wait: Duration) -> Result<OwnedSemaphorePermit, Refusal> {
        let waiting = self.0.clone().acquire_owned();
        match rocket::tokio::time::timeout(wait, waiting).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) => Err(Refusal::Closing),
            Err(_) => Err(Refusal::Busy),
        }
    }
}

/// How long a sign-in (or any call that hashes a password) waits for a hashing slot before it
/// is told to try again in a moment. The line moves one hash per core at a time (tens of ms
/// each on an idle core): 15 s is several hundred logins ahead, more than a storm after an
/// outage brings. Beyond that the visitor is better told so than left looking at a page that
/// does not load, which a reload only puts at the end of the line again.
pub const PASSWORD_SLOT_WAIT: Duration = Duration::from_secs(15);

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        rocket::tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a test runtime")
            .block_on(future)
    }

    #[test]
    fn a_caller_behind_a_full_line_is_told_to_come_back_and_the_next_one_gets_in() {
        let slots = PasswordSlots(Arc::new(Semaphore::new(1)));
        block_on(async {
            let held = slots
                .take_within(Duration::from_millis(20))
                .await
                .expect("a free slot");
            let waited = slots.take_within(Duration::from_millis(20)).await;
            assert!(matches!(waited, Err(Refusal::Busy)), "{waited:?}");
            drop(held);
            assert!(slots.take_within(Duration::from_millis(20)).await.is_ok());
        });
    }

    #[test]
    fn closed_slots_mean_the_service_is_closing() {
        let slots = PasswordSlots(Arc::new(Semaphore::new(0)));
        slots.0.close();
        let taken = block_on(slots.take_within(Duration::from_millis(20)));
        assert!(matches!(taken, Err(Refusal::Closing)), "{taken:?}");
    }
}
