//! `/metrics` for Prometheus, behind a bearer token (`EBOK_METRICS_TOKEN`; without one the page
//! does not exist), and the fairing that times every request by its route.

use std::sync::Arc;
use std::time::Instant;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::{ContentType, Status};
use rocket::request::{FromRequest, Outcome};
use rocket::{Data, Request, Response, Route, State, get, routes};
use subtle::ConstantTimeEq;

use crate::app::metrics::{self, RequestMetrics};
use crate::app::{App, clock};
use crate::config::Config;
use crate::web::client_ip::Client;

pub fn routes() -> Vec<Route> {
    routes![page]
}

/// Times requests; holds the same figures the page renders.
pub struct RequestTimer(pub Arc<RequestMetrics>);

struct Started(Instant);

#[rocket::async_trait]
impl Fairing for RequestTimer {
    fn info(&self) -> Info {
        Info {
            name: "Request metrics",
            kind: Kind::Request | Kind::Response,
        }
    }

    async fn on_request(&self, request: &mut Request<'_>, _: &mut Data<'_>) {
        request.local_cache(|| Started(Instant::now()));
    }

    async fn on_response<'r>(&self, request: &'r Request<'_>, response: &mut Response<'r>) {
        let started = request.local_cache(|| Started(Instant::now())).0;
        // Unmatched paths share one series: a scanner must not grow the page without bound.
        let route = request
            .route()
            .map(|route| route.uri.to_string())
            .unwrap_or_else(|| "unmatched".into());
        self.0.observe(
            request.method().as_str(),
            &route,
            response.status().code,
            started.elapsed().as_secs_f64(),
        );
    }
}

/// A request carrying the configured token; anything else is a 404, so the page's existence
/// is not advertised.
struct MetricsReader;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for MetricsReader {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        let expected = request
            .rocket()
            .state::<Config>()
            .and_then(|config| config.web.metrics_token.as_deref());
        let given = request
            .headers()
            .get_one("Authorization")
            .and_then(|value| value.strip_prefix("Bearer "));
        match (expected, given) {
            (Some(expected), Some(given))
                if bool::from(expected.as_bytes().ct_eq(given.trim().as_bytes())) =>
            {
                Outcome::Success(MetricsReader)
            }
            _ => Outcome::Error((Status::NotFound, ())),
        }
    }
}

#[get("/metrics")]
async fn page(
    _reader: MetricsReader,
    app: &State<App>,
    client: Client,
    requests: &State<Arc<RequestMetrics>>,
) -> Result<(ContentType, String), Status> {
    let requests = Arc::clone(requests.inner());
    let pool = app.pool_figures();
    let now = clock::now();
    let ((), text) = app
        .visitor(&client.0)
        .run(move |conn, _| metrics::render(conn, &requests, pool, now))
        .await?;
    let content_type = ContentType::new("application", "openmetrics-text")
        .with_params([("version", "1.0.0"), ("charset", "utf-8")]);
    Ok((content_type, text))
}
