//! Request guards shared by every route.

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};

use crate::db::{DbConn, Pool};

/// Access to the pool. Work runs on the blocking thread pool: Diesel is synchronous, and a
/// connection must never be held across an `.await`.
pub struct Db(Pool);

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("no database connection: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("database work did not finish: {0}")]
    Join(#[from] rocket::tokio::task::JoinError),
}

impl Db {
    pub async fn run<F, R>(&self, work: F) -> Result<R, DbError>
    where
        F: FnOnce(&mut DbConn) -> R + Send + 'static,
        R: Send + 'static,
    {
        let pool = self.0.clone();
        rocket::tokio::task::spawn_blocking(move || {
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
        match request.rocket().state::<Pool>() {
            Some(pool) => Outcome::Success(Db(pool.clone())),
            None => Outcome::Error((Status::InternalServerError, ())),
        }
    }
}
