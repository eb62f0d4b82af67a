//! Pages anyone can see: the start page and the health check.

use crate::web::views::{Template, context};
use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{Route, get, routes};

use crate::app::health::Health;
use crate::app::{App, clock, health, start_page};
use crate::web::client_ip::Client;
use rocket::State;

pub fn routes() -> Vec<Route> {
    routes![start, terms, health_check]
}

#[get("/", rank = 2)]
async fn start(
    app: &State<App>,
    client: Client,
    layout: super::page::Layout,
) -> Result<Template, Status> {
    let now = clock::now();
    let ((), page) = app
        .visitor(&client.0)
        .run(move |conn, _| start_page::load(conn, now))
        .await?;
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
async fn health_check(app: &State<App>, client: Client) -> (Status, Json<Health>) {
    let answer = app
        .visitor(&client.0)
        .attempt(|conn, _| Ok::<_, std::convert::Infallible>(health::check(conn)))
        .await;
    let health = match answer {
        Ok(((), Ok(health))) => health,
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
