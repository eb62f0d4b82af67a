//! Pages anyone can see: the start page and the health check.

use crate::web::views::{Template, context};
use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{Route, get, routes};

use super::Db;
use crate::app::health::Health;
use crate::app::{clock, health, start_page};

pub fn routes() -> Vec<Route> {
    routes![start, terms, health_check]
}

#[get("/", rank = 2)]
async fn start(db: Db, layout: super::page::Layout) -> Result<Template, Status> {
    let now = clock::now();
    let page = db.query(move |conn| start_page::load(conn, now)).await?;
    Ok(Template::render("public/start", context! { layout, page }))
}

/// The terms a subscriber accepts when registering (the version is recorded on the account).
#[get("/regulamin")]
fn terms(layout: super::page::Layout) -> Template {
    Template::render(
        "public/terms",
        context! { layout, version: crate::app::registration::TERMS_VERSION },
    )
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
