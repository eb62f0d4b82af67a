//! The process's log: tracing to stderr, `RUST_LOG` or "info, Rocket's own at warn"; Rocket's
//! routine reports about ordinary outcomes are left out.

use std::fmt::Write as _;

use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// Rocket reports at WARN and ERROR what is everyday life for a portal: a request guard
/// forwarding a visitor who has no session, then "no matching routes", then the 401 catcher that
/// sends them to the login page (and the same for a page that does not exist). Nothing is wrong,
/// and a log full of such lines hides the ones that matter.
const ROUTINE: &[&str] = &[
    "is forwarding.",
    "No matching routes for",
    "Responding with registered (unauthorized) 401 catcher",
    "Responding with registered (not_found) 404 catcher",
];

struct WithoutRoutineRocketReports;

impl<S: Subscriber> Layer<S> for WithoutRoutineRocketReports {
    fn event_enabled(&self, event: &Event<'_>, _: Context<'_, S>) -> bool {
        struct Message(String);
        impl Visit for Message {
            fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
                if field.name() == "message" {
                    let _ = write!(self.0, "{value:?}");
                }
            }
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        !ROUTINE.iter().any(|routine| message.0.contains(routine))
    }
}

/// The subscriber `ebok` logs through, writing to `writer`.
pub fn subscriber<W>(writer: W) -> impl Subscriber + Send + Sync + for<'s> LookupSpan<'s>
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,rocket=warn,_=warn"));
    tracing_subscriber::registry()
        .with(filter)
        .with(WithoutRoutineRocketReports)
        .with(
            tracing_subscriber::fmt::layer()
                .with_target(false)
                .with_writer(writer),
        )
}
