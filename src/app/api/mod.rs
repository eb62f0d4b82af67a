//! The JSON API (`/api/v1`): tokens, their checks (expiry, source network, rate), answers as
//! RFC 9457 problems, and idempotent writes. The resources are in `resources`. No HTTP types
//! here: the web room turns `Answer` and `Problem` into responses.

pub mod billing;
pub mod ingest;
pub mod resources;
pub mod tickets;
pub mod tokens;

use crate::domain::CustomerId;
use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::app::staff::FieldErrors;
use crate::db::{self, DbConn};
use crate::i18n::{self, Lang};

pub use tokens::{ApiClient, Denied, Scope, authenticate};

/// The connection a use case of the API works on (named here so the web room need not).
pub type Conn = DbConn;
/// What a use case of the API hands back: an answer, or the database's failure.
pub type Done = Result<Answer, diesel::result::Error>;
/// What a use case handing out a stored document gives back: the file or a problem, or the
/// database's failure.
pub type DocumentDone = Result<billing::Document, diesel::result::Error>;

/// Where the stable problem `type`s live (a relative URI, resolved against the API's address;
/// the reference page at `/api/v1/docs` describes each).
pub const PROBLEM_BASE: &str = "/api/v1/problems/";

/// The kinds of problem, each with a stable `type` and status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    Unauthorized,
    TokenExpired,
    NetworkDenied,
    InsufficientScope,
    RateLimited,
    NotFound,
    MalformedBody,
    Validation,
    IdempotencyConflict,
    Conflict,
    Unavailable,
    ServerError,
    /// Any other status from a catcher (405, 413, 415, …).
    Http(u16),
}

impl ProblemKind {
    pub fn slug(self) -> String {
        match self {
            ProblemKind::Unauthorized => "unauthorized".into(),
            ProblemKind::TokenExpired => "token-expired".into(),
            ProblemKind::NetworkDenied => "network-denied".into(),
            ProblemKind::InsufficientScope => "insufficient-scope".into(),
            ProblemKind::RateLimited => "rate-limited".into(),
            ProblemKind::NotFound => "not-found".into(),
            ProblemKind::MalformedBody => "malformed-body".into(),
            ProblemKind::Validation => "validation".into(),
            ProblemKind::IdempotencyConflict => "idempotency-key-reused".into(),
            ProblemKind::Conflict => "conflict".into(),
            ProblemKind::Unavailable => "unavailable".into(),
            ProblemKind::ServerError => "server-error".into(),
            ProblemKind::Http(code) => format!("http-{code}"),
        }
    }

    pub fn status(self) -> u16 {
        match self {
            ProblemKind::Unauthorized | ProblemKind::TokenExpired => 401,
            ProblemKind::NetworkDenied | ProblemKind::InsufficientScope => 403,
            ProblemKind::RateLimited => 429,
            ProblemKind::NotFound => 404,
            ProblemKind::MalformedBody => 400,
            ProblemKind::Validation | ProblemKind::IdempotencyConflict => 422,
            ProblemKind::Conflict => 409,
            ProblemKind::Unavailable => 503,
            ProblemKind::ServerError => 500,
            ProblemKind::Http(code) => code,
        }
    }

    fn title(self) -> &'static str {
        match self {
            ProblemKind::Unauthorized => "Missing or unknown API token",
            ProblemKind::TokenExpired => "The API token has expired or was revoked",
            ProblemKind::NetworkDenied => "The API token may not be used from this address",
            ProblemKind::InsufficientScope => "The API token lacks the scope this needs",
            ProblemKind::RateLimited => "Too many requests with this token",
            ProblemKind::NotFound => "No such resource",
            ProblemKind::MalformedBody => "The request body is not the JSON this expects",
            ProblemKind::Validation => "Some fields have problems",
            ProblemKind::IdempotencyConflict => {
                "The Idempotency-Key was already used for another request"
            }
            ProblemKind::Conflict => "The request conflicts with the resource's state",
            ProblemKind::Unavailable => "The service is shutting down",
            ProblemKind::ServerError => "The server failed",
            ProblemKind::Http(_) => "The request was refused",
        }
    }

    /// Every kind with a fixed slug, for the reference page.
    pub const DOCUMENTED: [ProblemKind; 12] = [
        ProblemKind::Unauthorized,
        ProblemKind::TokenExpired,
        ProblemKind::NetworkDenied,
        ProblemKind::InsufficientScope,
        ProblemKind::RateLimited,
        ProblemKind::NotFound,
        ProblemKind::MalformedBody,
        ProblemKind::Validation,
        ProblemKind::IdempotencyConflict,
        ProblemKind::Conflict,
        ProblemKind::Unavailable,
        ProblemKind::ServerError,
    ];
}

/// One field's problem in a validation problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct FieldProblem {
    /// The JSON field, as sent.
    pub field: String,
    /// A stable code for the problem.
    pub code: String,
    /// What is wrong, in English.
    pub message: String,
}

/// An RFC 9457 problem (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({
    "type": "/api/v1/problems/validation",
    "title": "Some fields have problems",
    "status": 422,
    "detail": "2 fields have problems",
    "errors": [{"field": "ipv4", "code": "staff-error-ipv4-taken", "message": "This IP address is already given to another endpoint."}]
}))]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// Seconds to wait (429 only; also sent as `Retry-After`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl Problem {
    pub fn new(kind: ProblemKind) -> Problem {
        Problem {
            kind: format!("{PROBLEM_BASE}{}", kind.slug()),
            title: kind.title().into(),
            status: kind.status(),
            detail: None,
            errors: Vec::new(),
            retry_after: None,
        }
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Problem {
        self.detail = Some(detail.into());
        self
    }

    /// A validation problem naming each field (`FieldErrors` keys are the staff panel's
    /// message keys: the English text is the message, the key the code).
    pub fn fields(errors: &FieldErrors) -> Problem {
        Problem::field_list(
            errors
                .0
                .iter()
                .map(|(field, key)| FieldProblem {
                    field: field.clone(),
                    code: (*key).to_owned(),
                    message: i18n::text(Lang::En, key),
                })
                .collect(),
        )
    }

    pub fn field_list(errors: Vec<FieldProblem>) -> Problem {
        let detail = match errors.len() {
            1 => "1 field has a problem".to_owned(),
            n => format!("{n} fields have problems"),
        };
        Problem {
            errors,
            ..Problem::new(ProblemKind::Validation).detail(detail)
        }
    }

    pub fn field(field: &str, code: &str, message: &str) -> Problem {
        Problem::field_list(vec![FieldProblem {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }])
    }

    pub fn not_found(what: &str) -> Problem {
        Problem::new(ProblemKind::NotFound).detail(format!("no such {what}"))
    }
}

/// What an API call answers: a status and a JSON body (a problem when it is 4xx/5xx).
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
    /// True when this is a stored answer given again for a repeated Idempotency-Key.
    pub replayed: bool,
}

impl Answer {
    pub fn ok(status: u16, body: impl Serialize) -> Answer {
        Answer {
            status,
            body: serde_json::to_value(body).unwrap_or(Value::Null),
            replayed: false,
        }
    }

    pub fn problem(problem: Problem) -> Answer {
        Answer {
            status: problem.status,
            body: serde_json::to_value(&problem).unwrap_or(Value::Null),
            replayed: false,
        }
    }
}

impl From<Problem> for Answer {
    fn from(problem: Problem) -> Answer {
        Answer::problem(problem)
    }
}

/// A write's request, for its Idempotency-Key.
#[derive(Debug, Clone)]
pub struct WriteRequest {
    pub key: Option<String>,
    pub method: String,
    pub path: String,
    pub body: Vec<u8>,
}

impl WriteRequest {
    fn hash(&self) -> String {
        let mut digest = Sha256::new();
        digest.update(self.method.as_bytes());
        digest.update([0]);
        digest.update(self.path.as_bytes());
        digest.update([0]);
        digest.update(&self.body);
        crate::app::crypto::hex(&digest.finalize())
    }
}

/// Runs a write once per Idempotency-Key: a repeat of the same request (method, path, body)
/// gets the stored answer and does nothing; a repeat with another request is a 422 problem.
/// Without a key the write simply runs. The caller's transaction holds the work and the stored
/// answer together, so a stored answer always matches what was done.
pub fn idempotent(
    conn: &mut DbConn,
    client: &ApiClient,
    request: &WriteRequest,
    now: NaiveDateTime,
    work: impl FnOnce(&mut DbConn) -> Result<Answer, diesel::result::Error>,
) -> Result<Answer, diesel::result::Error> {
    let Some(key) = request.key.as_deref() else {
        return work(conn);
    };
    if key.is_empty() || key.len() > 255 {
        return Ok(Problem::field(
            "Idempotency-Key",
            "api-idempotency-key",
            "The Idempotency-Key header must be 1 to 255 characters.",
        )
        .into());
    }
    let hash = request.hash();
    if let Some(stored) = db::api::stored_answer(conn, client.id, key)? {
        if stored.request_hash != hash {
            return Ok(Problem::new(ProblemKind::IdempotencyConflict)
                .detail(format!(
                    "the key {key:?} was sent before with another request"
                ))
                .into());
        }
        return Ok(Answer {
            status: stored.status as u16,
            body: serde_json::from_str(&stored.response).unwrap_or(Value::Null),
            replayed: true,
        });
    }
    let answer = work(conn)?;
    // A server failure is not kept: the client may try again with the same key.
    if answer.status < 500 {
        db::api::store_answer(
            conn,
            client.id,
            key,
            &db::api::StoredAnswer {
                request_hash: hash,
                status: i32::from(answer.status),
                response: answer.body.to_string(),
            },
            now,
        )?;
    }
    Ok(answer)
}

/// Cursor-paginated list: the items and the cursor of the next page (none on the last).
#[derive(Debug, Clone, Serialize)]
pub struct ListPage<T: Serialize> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// The query of a list: an opaque cursor (the last id seen), `updated_since`, `limit` (1–500,
/// 100 by default) and, where it applies, a customer.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub cursor: Option<String>,
    pub updated_since: Option<String>,
    pub limit: Option<i64>,
    pub customer_id: Option<CustomerId>,
}

impl ListQuery {
    pub fn page(&self) -> Result<db::api::Page, Problem> {
        let mut errors = Vec::new();
        let after = match self.cursor.as_deref() {
            None | Some("") => 0,
            Some(text) => match text.parse::<i64>() {
                Ok(id) if id >= 0 => id,
                _ => {
                    errors.push(FieldProblem {
                        field: "cursor".into(),
                        code: "api-cursor".into(),
                        message: "The cursor is not one this API handed out.".into(),
                    });
                    0
                }
            },
        };
        let since = match self.updated_since.as_deref() {
            None | Some("") => None,
            Some(text) => match parse_moment(text) {
                Some(moment) => Some(moment),
                None => {
                    errors.push(FieldProblem {
                        field: "updated_since".into(),
                        code: "api-timestamp".into(),
                        message: "Use an RFC 3339 time, e.g. 2026-12-01T00:00:00Z.".into(),
                    });
                    None
                }
            },
        };
        let limit = self.limit.unwrap_or(100);
        if !(1..=500).contains(&limit) {
            errors.push(FieldProblem {
                field: "limit".into(),
                code: "api-limit".into(),
                message: "The limit must be 1 to 500.".into(),
            });
        }
        if !errors.is_empty() {
            return Err(Problem::field_list(errors));
        }
        Ok(db::api::Page {
            after,
            since,
            // One more than asked: tells whether another page follows.
            limit: limit + 1,
            customer_id: self.customer_id,
        })
    }
}

/// Cuts the extra row a page query read and names the next cursor.
pub fn paged<R, T: Serialize>(
    mut rows: Vec<R>,
    page: &db::api::Page,
    id: impl Fn(&R) -> i64,
    view: impl Fn(R) -> T,
) -> ListPage<T> {
    let limit = (page.limit - 1) as usize;
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next_cursor = if more {
        rows.last().map(|row| id(row).to_string())
    } else {
        None
    };
    ListPage {
        items: rows.into_iter().map(view).collect(),
        next_cursor,
    }
}

/// An RFC 3339 moment (or a naive `YYYY-MM-DDTHH:MM:SS`, taken as UTC) as stored (UTC).
fn parse_moment(text: &str) -> Option<NaiveDateTime> {
    if let Ok(moment) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(moment.naive_utc());
    }
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").ok()
}

/// Problems named by the problem kind, for the reference page.
pub fn problem_catalogue() -> Vec<BTreeMap<&'static str, Value>> {
    ProblemKind::DOCUMENTED
        .iter()
        .map(|kind| {
            BTreeMap::from([
                ("slug", json!(kind.slug())),
                ("type", json!(format!("{PROBLEM_BASE}{}", kind.slug()))),
                ("status", json!(kind.status())),
                ("title", json!(kind.title())),
            ])
        })
        .collect()
}
