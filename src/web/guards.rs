//! Raw database access for the pages not yet served through `App` calls (the KSeF pages, whose
//! owners move them over next); every other handler calls `app::App`.

use std::sync::Arc;

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::tokio::sync::{AcquireError, Semaphore};

use crate::db::{DbConn, Pool};

/// Access to the pool. Work runs on the blocking thread pool: Diesel is synchronous, and a
/// connection must never be held across an `.await`.
pub struct Db {
    pool: Pool,
    turns: DbTurns,
}

/// The application service's own turns (`app::service`), so these pages queue with the rest.
#[derive(Clone)]
struct DbTurns(Arc<Semaphore>);

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("no database connection: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("database work did not finish: {0}")]
    Join(#[from] rocket::tokio::task::JoinError),
    #[error("database turns closed: {0}")]
    Turns(#[from] AcquireError),
}

impl Db {
    pub async fn run<F, R>(&self, work: F) -> Result<R, DbError>
    where
        F: FnOnce(&mut DbConn) -> R + Send + 'static,
        R: Send + 'static,
    {
        let turn = self.turns.0.clone().acquire_owned().await?;
        let pool = self.pool.clone();
        rocket::tokio::task::spawn_blocking(move || {
            // Declared first, dropped last: the connection is back in the pool before the
            // next request's turn begins.
            let _turn = turn;
            let mut conn = pool.get()?;
            Ok(work(&mut conn))
        })
        .await?
    }
}

impl Db {
    /// Runs a use case that can fail; any failure (no connection, a database or use-case error
    /// the caller does not handle itself) is logged and answered with the friendly 500 page.
    pub async fn query<F, R, E>(&self, work: F) -> Result<R, Status>
    where
        F: FnOnce(&mut DbConn) -> Result<R, E> + Send + 'static,
        R: Send + 'static,
        E: std::fmt::Display + Send + 'static,
    {
        match self.run(work).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(crate::web::server_error(&error)),
            Err(error) => Err(crate::web::server_error(&error)),
        }
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Db {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        match request.rocket().state::<crate::app::App>() {
            Some(app) => Outcome::Success(Db {
                pool: app.pool().clone(),
                turns: DbTurns(app.turns()),
            }),
            None => Outcome::Error((Status::InternalServerError, ())),
        }
    }
}

impl Db {
    /// The pool as monitoring reports it.
    pub fn figures(&self) -> crate::app::metrics::PoolFigures {
        let state = self.pool.state();
        crate::app::metrics::PoolFigures {
            connections: state.connections,
            idle: state.idle_connections,
            free_turns: self.turns.0.available_permits(),
        }
    }
}
