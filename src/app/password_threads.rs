//! Password hashing on threads of its own, at a lower scheduling priority.
//!
//! argon2id is expensive on purpose (19 MiB and tens of milliseconds per hash). In a login storm
//! (200 subscribers signing in at once after an outage, issue #25) the hashes took the cores from
//! every other page: browsing p99 rose 2.5 times. Here every hash runs on a thread niced to
//! `HASHING_NICE`, so the scheduler gives pages the CPU first and hashes whatever the pages
//! leave: all of it on an idle machine, so a storm alone is not slowed.
//!
//! The caller blocks until its hash is done (it is a blocking-pool thread or the CLI). How many
//! hash at once is limited before this, by the application service's password slots.

use std::sync::mpsc::{Receiver, SendError, Sender, channel, sync_channel};
use std::sync::{Arc, Mutex, OnceLock};

/// Linux's nice scale runs from -20 to 19; at 10 a busy hashing thread gets about a tenth of
/// the CPU a page's thread (nice 0) gets when both want it.
const HASHING_NICE: i32 = 10;

type Job = Box<dyn FnOnce() + Send>;

/// Runs `work` on a hashing thread and waits for its answer. If no hashing thread could be
/// started, `work` runs here, at the caller's priority: slower pages, never a refused login.
pub fn run<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let (answer, answered) = sync_channel(1);
    let job: Job = Box::new(move || {
        let _ = answer.send(work());
    });
    match queue() {
        Some(queue) => {
            if let Err(SendError(job)) = queue.send(job) {
                job();
            }
        }
        None => job(),
    }
    // Only a panic inside `work` (argon2 has none for any input) leaves no answer; the
    // caller then fails as it would have had the panic happened on its own thread.
    answered
        .recv()
        .unwrap_or_else(|_| panic!("a password hashing thread panicked"))
}

fn queue() -> Option<&'static Sender<Job>> {
    static QUEUE: OnceLock<Option<Sender<Job>>> = OnceLock::new();
    QUEUE.get_or_init(start_threads).as_ref()
}

fn start_threads() -> Option<Sender<Job>> {
    let (queue, jobs) = channel::<Job>();
    let jobs = Arc::new(Mutex::new(jobs));
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let mut started = 0;
    for index in 0..threads {
        let jobs = jobs.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("password-hash-{index}"))
            .spawn(move || hashing_thread(&jobs));
        match spawned {
            Ok(_) => started += 1,
            Err(error) => tracing::warn!(%error, "a password hashing thread could not be started"),
        }
    }
    (started > 0).then_some(queue)
}

fn hashing_thread(jobs: &Mutex<Receiver<Job>>) {
    lower_this_threads_priority();
    loop {
        // The lock is held only while waiting for the next job, never while hashing.
        let job = match jobs.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

#[cfg(target_os = "linux")]
fn lower_this_threads_priority() {
    // On Linux the nice value belongs to the thread (task), so only this one is lowered. A
    // process started at a nicer value than ours keeps it (raising priority needs privilege).
    let this_thread = Some(rustix::thread::gettid());
    let now = rustix::process::getpriority_process(this_thread).unwrap_or(0);
    if let Err(error) = rustix::process::setpriority_process(this_thread, HASHING_NICE.max(now)) {
        tracing::warn!(%error, "could not lower the password hashing thread's priority");
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_this_threads_priority() {}

/// This thread's nice value, for the test below.
#[cfg(all(test, target_os = "linux"))]
fn nice_of_this_thread() -> i32 {
    rustix::process::getpriority_process(Some(rustix::thread::gettid())).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn work_runs_on_a_lowered_thread_and_its_answer_comes_back() {
        let caller = nice_of_this_thread();
        let (nice, name) = run(|| {
            (
                nice_of_this_thread(),
                std::thread::current().name().map(str::to_owned),
            )
        });
        assert_eq!(nice, HASHING_NICE.max(caller));
        assert!(name.is_some_and(|n| n.starts_with("password-hash-")));
        assert_eq!(
            nice_of_this_thread(),
            caller,
            "the caller keeps its priority"
        );
    }

    #[test]
    fn many_callers_each_get_their_own_answer() {
        let answers: Vec<u64> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..32u64)
                .map(|n| scope.spawn(move || run(move || n * n)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a caller thread"))
                .collect()
        });
        assert_eq!(answers, (0..32u64).map(|n| n * n).collect::<Vec<_>>());
    }
}
