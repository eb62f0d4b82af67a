//! Pages anyone can see: the start page and the health check.

use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{Route, State, get, routes};
use rocket_dyn_templates::{Template, context};

use super::{Db, Site};
use crate::app::health::Health;
use crate::app::{clock, health, start_page};

pub fn routes() -> Vec<Route> {
    routes![start, health_check]
}

#[get("/")]
async fn start(db: Db, site: &State<Site>) -> Result<Template, Status> {
    let now = clock::now();
    let page = db
        .run(move |conn| start_page::load(conn, now))
        .await
        .map_err(|e| server_error(&e))?
        .map_err(|e| server_error(&e))?;
    Ok(Template::render(
        "public/start",
        context! { site: site.0.as_ref(), page },
    ))
}

/// 200 with `{"status":"ok",…}` when the database answers, 503 otherwise.
#[get("/health")]
async fn health_check(db: Db) -> (Status, Json<Health>) {
    let health = match db.run(health::check).await {
        Ok(health) => health,
        Err(error) => {
            tracing::warn!(%error, "health check: no database connection");
            Health {
                status: "error",
                database: "unavailable",
                backend: "unknown",
            }
        }
    };
    let status = if health.status == "ok" {
        Status::Ok
    } else {
        Status::ServiceUnavailable
    };
    (status, Json(health))
}

fn server_error(error: &dyn std::fmt::Display) -> Status {
    tracing::error!(%error, "request failed");
    Status::InternalServerError
}
