//! Figures for the operator's monitoring (Prometheus/OpenMetrics text at `/metrics`): requests
//! and their latency per route, counted in this process, and the state kept in the database
//! (mail and KSeF queues with their oldest entry, the latest billing run, today's failed logins
//! and lockouts), read at scrape time so every node reports the same truth.

use std::sync::Arc;

use chrono::NaiveDateTime;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::{encode_eof, encode_registry};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::db::{self, DbConn};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    /// The route's pattern (`/faktury/<id>`), never the concrete path: ids would make a
    /// series per invoice.
    pub route: String,
    /// `2xx`, `3xx`, `4xx` or `5xx`.
    pub status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub method: String,
    pub route: String,
}

type LatencyFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// The process's request figures, shared by the timing fairing and the scrape.
pub struct RequestMetrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: LatencyFamily,
}

fn latency_histogram() -> Histogram {
    // 1 ms to ~8 s in doublings: pages answer in milliseconds, PDFs and imports in seconds.
    Histogram::new(exponential_buckets(0.001, 2.0, 14))
}

impl Default for RequestMetrics {
    fn default() -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: LatencyFamily = Family::new_with_constructor(latency_histogram);
        registry.register(
            "ebok_http_requests",
            "Requests answered, by route and status class",
            requests.clone(),
        );
        registry.register(
            "ebok_http_request_duration_seconds",
            "Time from request to response, by route",
            latency.clone(),
        );
        RequestMetrics {
            registry,
            requests,
            latency,
        }
    }
}

impl RequestMetrics {
    pub fn shared() -> Arc<RequestMetrics> {
        Arc::new(RequestMetrics::default())
    }

    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                method: method.into(),
                route: route.into(),
                status: format!("{}xx", status / 100),
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                method: method.into(),
                route: route.into(),
            })
            .observe(seconds);
    }
}

/// The database pool as the web room sees it at scrape time.
#[derive(Debug, Clone, Copy, Default)]
pub struct PoolFigures {
    pub connections: u32,
    pub idle: u32,
    /// Requests' turns for a connection not taken right now (0 means requests queue).
    pub free_turns: usize,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabel {
    state: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ActionLabel {
    action: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RunLabels {
    period: String,
    status: String,
}

/// Security events counted today (UTC), the audit log's names.
const SECURITY_EVENTS: [&str; 3] = ["login_failure", "staff_login_failure", "lockout"];

fn age_seconds(oldest: Option<NaiveDateTime>, now: NaiveDateTime) -> i64 {
    oldest.map_or(0, |at| (now - at).num_seconds().max(0))
}

fn gauge(registry: &mut Registry, name: &str, help: &str, value: i64) {
    let metric = Gauge::<i64>::default();
    metric.set(value);
    registry.register(name, help, metric);
}

/// The whole page: this process's request figures, then the database's state as of `now`.
pub fn render(
    conn: &mut DbConn,
    requests: &RequestMetrics,
    pool: PoolFigures,
    now: NaiveDateTime,
) -> Result<String, MetricsError> {
    let mut state = Registry::default();
    gauge(
        &mut state,
        "ebok_db_connections",
        "Database connections open in this process",
        i64::from(pool.connections),
    );
    gauge(
        &mut state,
        "ebok_db_connections_idle",
        "Open database connections not in use",
        i64::from(pool.idle),
    );
    gauge(
        &mut state,
        "ebok_db_free_turns",
        "Request turns for a database connection free right now",
        pool.free_turns as i64,
    );

    let outbox = db::metrics::outbox_queue(conn)?;
    gauge(
        &mut state,
        "ebok_outbox_waiting",
        "Mail waiting to be sent",
        outbox.waiting,
    );
    gauge(
        &mut state,
        "ebok_outbox_oldest_age_seconds",
        "Age of the oldest mail waiting (0 when none)",
        age_seconds(outbox.oldest, now),
    );

    let ksef = Family::<StateLabel, Gauge>::default();
    for (name, count) in db::metrics::ksef_states(conn)? {
        ksef.get_or_create(&StateLabel { state: name }).set(count);
    }
    state.register("ebok_ksef_documents", "FA(3) documents by KSeF state", ksef);
    gauge(
        &mut state,
        "ebok_ksef_oldest_waiting_age_seconds",
        "How long the oldest invoice on its way to KSeF has waited (0 when none)",
        age_seconds(db::metrics::ksef_oldest_waiting(conn)?, now),
    );

    if let Some(run) = db::metrics::latest_billing_run(conn)? {
        let (total, done, issued) = (run.customers_total, run.customers_done, run.issued);
        let labels = RunLabels {
            period: run.period,
            status: run.status,
        };
        let family = |name: &str, help: &str, value: i64, state: &mut Registry| {
            let metric = Family::<RunLabels, Gauge>::default();
            metric.get_or_create(&labels).set(value);
            state.register(name, help, metric);
        };
        family(
            "ebok_billing_run_customers",
            "Customers in the latest billing run",
            total,
            &mut state,
        );
        family(
            "ebok_billing_run_customers_done",
            "Customers the latest billing run has finished",
            done,
            &mut state,
        );
        family(
            "ebok_billing_run_invoices_issued",
            "Invoices the latest billing run issued",
            issued,
            &mut state,
        );
    }

    let midnight = now.date().and_hms_opt(0, 0, 0).unwrap_or(now);
    let events = Family::<ActionLabel, Gauge>::default();
    for action in SECURITY_EVENTS {
        events
            .get_or_create(&ActionLabel {
                action: action.into(),
            })
            .set(0);
    }
    for (action, count) in db::metrics::audit_counts(conn, &SECURITY_EVENTS, midnight)? {
        events.get_or_create(&ActionLabel { action }).set(count);
    }
    state.register(
        "ebok_security_events_today",
        "Failed logins and lockouts since midnight UTC (all nodes)",
        events,
    );

    let mut page = String::new();
    encode_registry(&mut page, &requests.registry)?;
    encode_registry(&mut page, &state)?;
    encode_eof(&mut page)?;
    Ok(page)
}

#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    #[error("metrics: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("metrics could not be written")]
    Format(#[from] std::fmt::Error),
}
