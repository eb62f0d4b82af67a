//! A request id for every request: made here (or taken from the reverse proxy's `X-Request-Id`),
//! sent back in the `X-Request-Id` header, carried by the log lines of the request's use case (as
//! the `request{id=…}` span) and its one-line summary, and shown on the error page, so the code a
//! subscriber reads out to the customer office finds the log line.

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::Header;
use rocket::{Data, Request, Response};

pub const HEADER: &str = "X-Request-Id";

/// The id of the request being served.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The request's id; made on first use when the fairing has not run (local clients in tests).
pub fn of(request: &Request<'_>) -> String {
    request.local_cache(|| made_for(request)).0.clone()
}

/// The proxy's id when it looks like one (nginx's `$request_id` is 32 hex digits), so one id
/// follows the request through both logs; otherwise a new one. Anything else a client sends in
/// the header is ignored: it goes into log lines and onto a page.
fn made_for(request: &Request<'_>) -> RequestId {
    let forwarded = request
        .headers()
        .get_one(HEADER)
        .filter(|id| looks_like_an_id(id));
    RequestId(forwarded.map_or_else(new_id, str::to_owned))
}

fn looks_like_an_id(id: &str) -> bool {
    (8..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// 16 hex digits: short enough to read over the phone, random enough not to collide in a day.
fn new_id() -> String {
    format!("{:016x}", rand::random::<u64>())
}

pub struct RequestIds;

#[rocket::async_trait]
impl Fairing for RequestIds {
    fn info(&self) -> Info {
        Info {
            name: "request ids",
            kind: Kind::Request | Kind::Response,
        }
    }

    async fn on_request(&self, request: &mut Request<'_>, _: &mut Data<'_>) {
        request.local_cache(|| made_for(request));
    }

    async fn on_response<'r>(&self, request: &'r Request<'_>, response: &mut Response<'r>) {
        let id = of(request);
        let status = response.status().code;
        // The route's pattern, never the concrete path: paths carry ids and tokens.
        let route = request
            .route()
            .map(|route| route.uri.to_string())
            .unwrap_or_else(|| "unmatched".into());
        let method = request.method().as_str();
        if status >= 500 {
            tracing::error!(request_id = %id, method, route, status, "request answered with a server error");
        } else {
            tracing::debug!(request_id = %id, method, route, status, "request answered");
        }
        response.set_header(Header::new(HEADER, id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proxy_id_is_kept_and_anything_else_is_replaced() {
        assert!(looks_like_an_id("0f8b3c2a9d4e4f1a8b7c6d5e4f3a2b1c"));
        assert!(!looks_like_an_id("short"));
        assert!(!looks_like_an_id("<script>alert(1)</script>"));
        assert!(!looks_like_an_id("id with spaces in it"));
        assert!(!looks_like_an_id(&"a".repeat(65)));
        let id = new_id();
        assert_eq!(id.len(), 16);
        assert!(looks_like_an_id(&id));
    }
}
