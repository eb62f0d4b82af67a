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

/// How log lines are written: plain text for people and the journal, or one JSON object per
/// line for log shippers (`EBOK_LOG_FORMAT=json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

impl Format {
    pub const VAR: &'static str = "EBOK_LOG_FORMAT";

    /// From `EBOK_LOG_FORMAT`; text when unset. An unknown value is refused by `ebok` at start
    /// (`from_env` is `Err` with the value), not silently taken for text.
    pub fn from_env() -> Result<Format, String> {
        match std::env::var(Format::VAR) {
            Err(_) => Ok(Format::Text),
            Ok(value) => match value.trim().to_ascii_lowercase().as_str() {
                "" | "text" => Ok(Format::Text),
                "json" => Ok(Format::Json),
                _ => Err(value),
            },
        }
    }
}

/// The subscriber `ebok` logs through, writing to `writer` in `format`.
pub fn subscriber<W>(
    writer: W,
    format: Format,
) -> impl Subscriber + Send + Sync + for<'s> LookupSpan<'s>
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,rocket=warn,_=warn"));
    // The journal and log files get no colour codes; a terminal does.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let (text, json) = match format {
        Format::Text => (
            Some(
                tracing_subscriber::fmt::layer()
                    .with_target(false)
                    .with_ansi(ansi)
                    .with_writer(writer),
            ),
            None,
        ),
        Format::Json => (
            None,
            Some(
                tracing_subscriber::fmt::layer()
                    .json()
                    .with_current_span(true)
                    .with_span_list(false)
                    .with_target(false)
                    .with_writer(writer),
            ),
        ),
    };
    tracing_subscriber::registry()
        .with(filter)
        .with(WithoutRoutineRocketReports)
        .with(text)
        .with(json)
}
