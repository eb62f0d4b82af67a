//! Is the portal able to serve? Used by `/health` and load balancers.

use crate::db::{self, DbConn};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Health {
    pub status: &'static str,
    pub database: &'static str,
    pub backend: &'static str,
}

pub fn check(conn: &mut DbConn) -> Health {
    let backend = conn.backend().name();
    match db::ping(conn) {
        Ok(()) => Health {
            status: "ok",
            database: "ok",
            backend,
        },
        Err(error) => {
            tracing::warn!(%error, "health check: database did not answer");
            Health {
                status: "error",
                database: "unavailable",
                backend,
            }
        }
    }
}
