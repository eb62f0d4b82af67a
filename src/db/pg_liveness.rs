//! Whether a pooled PostgreSQL connection needs a ping before it is handed out.
//!
//! The pool used to ping every PostgreSQL connection at checkout: a connection may have been cut
//! by a server restart or a proxy, and Diesel cannot tell. The dashboard checks out twice per
//! request, so two of its ten round trips were pings. A connection whose last statement was
//! answered moments ago is alive, as HikariCP assumes for its 500 ms "alive bypass window"; one
//! idle for longer is still pinged. A connection that lost its server mid-statement is reported
//! broken when it comes back, so the pool drops it instead of lending it out again.

use std::time::{Duration, Instant};

use diesel::PgConnection;
use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::result::{DatabaseErrorKind, Error};

/// How long after an answer a connection is lent without a ping.
const ANSWERED_RECENTLY: Duration = Duration::from_millis(500);

/// Kept as the connection's Diesel instrumentation, which sees every statement finish.
#[derive(Debug, Default)]
pub struct Liveness {
    last_answer: Option<Instant>,
    lost: bool,
}

impl Instrumentation for Liveness {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::FinishQuery { error, .. } = event {
            match error {
                Some(Error::DatabaseError(
                    DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                    _,
                )) => self.lost = true,
                // An error the server sent is an answer too.
                _ => self.last_answer = Some(Instant::now()),
            }
        }
    }
}

/// Installs the tracking on a new connection.
pub fn track(conn: &mut PgConnection) {
    diesel::Connection::set_instrumentation(conn, Liveness::default());
}

fn of(conn: &mut PgConnection) -> Option<&Liveness> {
    diesel::Connection::instrumentation(conn).downcast_ref::<Liveness>()
}

/// The server answered this connection within the window and it has not lost the server since.
pub fn answered_recently(conn: &mut PgConnection) -> bool {
    of(conn).is_some_and(|l| {
        !l.lost
            && l.last_answer
                .is_some_and(|at| at.elapsed() < ANSWERED_RECENTLY)
    })
}

/// A statement on this connection found the server gone.
pub fn lost(conn: &mut PgConnection) -> bool {
    of(conn).is_some_and(|l| l.lost)
}
