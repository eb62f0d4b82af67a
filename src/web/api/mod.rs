//! The JSON API under `/api/v1`: bearer-token calls answered as JSON, refusals as RFC 9457
//! problems (`application/problem+json`), never an HTML page. Thin: each handler checks the
//! token, parses, and runs one `app::api` use case through `App` with the scope it needs.

mod docs;
mod handlers;

use std::io::Cursor;

use rocket::data::{Data, FromData, Outcome as DataOutcome, ToByteUnit};
use rocket::http::{ContentType, Header, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::{self, Responder, Response};
use rocket::{Catcher, Route, catch, catchers};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::app::App;
use crate::app::api::{self, Answer, ApiClient, Denied, Problem, ProblemKind, Scope, WriteRequest};
use crate::app::service::{Cx, Refusal};
use crate::app::sessions::ClientInfo;

pub use docs::openapi_document;

pub fn routes() -> Vec<Route> {
    let mut routes = handlers::routes();
    routes.extend(docs::routes());
    routes
}

/// Problems, not pages, for whatever Rocket refuses under `/api` (an unknown path, a bad id,
/// a body too large, a method not allowed).
pub fn catchers() -> Vec<Catcher> {
    catchers![any_error]
}

#[catch(default)]
fn any_error(status: Status, _: &Request<'_>) -> ApiResponse {
    let kind = match status.code {
        401 => ProblemKind::Unauthorized,
        404 => ProblemKind::NotFound,
        400 => ProblemKind::MalformedBody,
        422 => ProblemKind::Validation,
        429 => ProblemKind::RateLimited,
        500 => ProblemKind::ServerError,
        503 => ProblemKind::Unavailable,
        code => ProblemKind::Http(code),
    };
    ApiResponse::problem(Problem::new(kind))
}

/// What every API call carries: its token (checked and counted), who it comes from, and the
/// headers the API reads.
pub struct ApiRequest {
    client: Result<ApiClient, Problem>,
    info: ClientInfo,
    idempotency_key: Option<String>,
    if_none_match: Option<String>,
    method: String,
    path: String,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ApiRequest {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let info = crate::web::session::client_info(request);
        let method = request.method().as_str().to_owned();
        let path = request.uri().path().as_str().to_owned();
        let token = request
            .headers()
            .get_one("Authorization")
            .and_then(|h| {
                h.strip_prefix("Bearer ")
                    .or_else(|| h.strip_prefix("bearer "))
            })
            .map(|t| t.trim().to_owned());
        let client = match request.rocket().state::<App>() {
            Some(app) => authenticate(app, token, &info, (&method, &path)).await,
            None => Err(Problem::new(ProblemKind::ServerError)),
        };
        Outcome::Success(ApiRequest {
            client,
            info,
            idempotency_key: request
                .headers()
                .get_one("Idempotency-Key")
                .map(str::to_owned),
            if_none_match: request
                .headers()
                .get_one("If-None-Match")
                .map(str::to_owned),
            method,
            path,
        })
    }
}

async fn authenticate(
    app: &App,
    token: Option<String>,
    info: &ClientInfo,
    (method, path): (&str, &str),
) -> Result<ApiClient, Problem> {
    if token.is_none() {
        return Err(Problem::new(ProblemKind::Unauthorized)
            .detail("send the token as Authorization: Bearer <token>"));
    }
    let (method, path) = (method.to_owned(), path.to_owned());
    let result = app
        .visitor(info)
        .writes()
        .attempt(move |conn, cx| {
            api::authenticate(conn, token.as_deref(), cx.ip(), (&method, &path), cx.now)
        })
        .await;
    match result {
        Ok((_, Ok(Ok(client)))) => Ok(client),
        Ok((_, Ok(Err(denied)))) => Err(match denied {
            Denied::Unknown => Problem::new(ProblemKind::Unauthorized),
            Denied::Expired => Problem::new(ProblemKind::TokenExpired),
            Denied::Network => Problem::new(ProblemKind::NetworkDenied),
            Denied::RateLimited { retry_after } => Problem {
                retry_after: Some(retry_after),
                ..Problem::new(ProblemKind::RateLimited)
                    .detail(format!("try again in {retry_after} s"))
            },
        }),
        Ok((_, Err(error))) => {
            tracing::error!(%error, "API token check failed");
            Err(Problem::new(ProblemKind::ServerError))
        }
        Err(refusal) => Err(refused(refusal)),
    }
}

fn refused(refusal: Refusal) -> Problem {
    match refusal {
        Refusal::Forbidden => Problem::new(ProblemKind::InsufficientScope),
        Refusal::SignedOut => Problem::new(ProblemKind::Unauthorized),
        Refusal::Closing | Refusal::Unavailable | Refusal::Busy => {
            Problem::new(ProblemKind::Unavailable)
        }
        Refusal::Failed(_) => Problem::new(ProblemKind::ServerError),
    }
}

impl ApiRequest {
    /// Runs a read that needs `scope`.
    async fn read<F>(&self, app: &App, scope: Scope, work: F) -> ApiResponse
    where
        F: FnOnce(&mut api::Conn, &Cx<'_, ApiClient>) -> api::Done + Send + 'static,
    {
        let client = match &self.client {
            Ok(client) => client,
            Err(problem) => return ApiResponse::problem(problem.clone()),
        };
        let result = app.api(client, &self.info).needs(scope).run(work).await;
        match result {
            Ok((_, answer)) => ApiResponse::answer(answer),
            Err(refusal) => ApiResponse::problem(refused(refusal)),
        }
    }

    /// Runs a write that needs `scope` once per Idempotency-Key, in one transaction with its
    /// stored answer.
    async fn write<F>(&self, app: &App, scope: Scope, body: Vec<u8>, work: F) -> ApiResponse
    where
        F: FnOnce(&mut api::Conn, &Cx<'_, ApiClient>) -> api::Done + Send + 'static,
    {
        let client = match &self.client {
            Ok(client) => client.clone(),
            Err(problem) => return ApiResponse::problem(problem.clone()),
        };
        let request = WriteRequest {
            key: self.idempotency_key.clone(),
            method: self.method.clone(),
            path: self.path.clone(),
            body,
        };
        let result = app
            .api(&client, &self.info)
            .needs(scope)
            .writes()
            .run(move |conn, cx| {
                api::idempotent(conn, cx.me, &request, cx.now, |conn| work(conn, cx))
            })
            .await;
        match result {
            Ok((_, answer)) => ApiResponse::answer(answer),
            Err(refusal) => ApiResponse::problem(refused(refusal)),
        }
    }

    /// Runs a read that needs `scope` and answers a stored document (`kind`) as it is, or a
    /// problem.
    async fn document<F>(&self, app: &App, scope: Scope, kind: ContentType, work: F) -> ApiResponse
    where
        F: FnOnce(&mut api::Conn, &Cx<'_, ApiClient>) -> api::DocumentDone + Send + 'static,
    {
        let client = match &self.client {
            Ok(client) => client,
            Err(problem) => return ApiResponse::problem(problem.clone()),
        };
        match app.api(client, &self.info).needs(scope).run(work).await {
            Ok((_, Ok((name, bytes)))) => ApiResponse::File(kind, name, bytes),
            Ok((_, Err(problem))) => ApiResponse::problem(problem),
            Err(refusal) => ApiResponse::problem(refused(refusal)),
        }
    }

    /// The token's problem, if it was refused (before the body is looked at).
    fn refused(&self) -> Option<ApiResponse> {
        self.client
            .as_ref()
            .err()
            .map(|problem| ApiResponse::problem(problem.clone()))
    }
}

/// A JSON body as sent: the parsed value and its bytes (for the Idempotency-Key), or the
/// problem with it. Unknown fields are refused by the types (`deny_unknown_fields`).
pub struct JsonBody<T>(Result<(T, Vec<u8>), Problem>);

#[rocket::async_trait]
impl<'r, T: DeserializeOwned + Send> FromData<'r> for JsonBody<T> {
    type Error = std::convert::Infallible;

    async fn from_data(request: &'r Request<'_>, data: Data<'r>) -> DataOutcome<'r, Self> {
        if let Some(kind) = request.content_type()
            && !kind.is_json()
        {
            return DataOutcome::Success(JsonBody(Err(
                Problem::new(ProblemKind::Http(415)).detail("send the body as application/json")
            )));
        }
        let limit = request.limits().get("json").unwrap_or(1.mebibytes());
        let bytes = match data.open(limit).into_bytes().await {
            Ok(bytes) if bytes.is_complete() => bytes.into_inner(),
            Ok(_) => {
                return DataOutcome::Success(JsonBody(Err(Problem::new(ProblemKind::Http(413))
                    .detail(format!("the body is over {limit}")))));
            }
            Err(error) => {
                return DataOutcome::Success(JsonBody(Err(Problem::new(
                    ProblemKind::MalformedBody,
                )
                .detail(error.to_string()))));
            }
        };
        DataOutcome::Success(JsonBody(parse_body(&bytes).map(|value| (value, bytes))))
    }
}

/// A file sent as the body as it is (a bank statement): any content type, up to the `file`
/// limit (16 MiB unless Rocket.toml says otherwise).
pub struct FileBody(pub Result<Vec<u8>, Problem>);

#[rocket::async_trait]
impl<'r> FromData<'r> for FileBody {
    type Error = std::convert::Infallible;

    async fn from_data(request: &'r Request<'_>, data: Data<'r>) -> DataOutcome<'r, Self> {
        let limit = request.limits().get("file").unwrap_or(16.mebibytes());
        DataOutcome::Success(FileBody(match data.open(limit).into_bytes().await {
            Ok(bytes) if bytes.is_complete() => Ok(bytes.into_inner()),
            Ok(_) => {
                Err(Problem::new(ProblemKind::Http(413))
                    .detail(format!("the file is over {limit}")))
            }
            Err(error) => Err(Problem::new(ProblemKind::MalformedBody).detail(error.to_string())),
        }))
    }
}

/// The body as `T`; an unknown or missing field is a validation problem naming the field, any
/// other mistake a malformed-body problem saying where.
fn parse_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    serde_json::from_slice(bytes).map_err(|error| {
        let text = error.to_string();
        let named = |prefix: &str| {
            text.strip_prefix(prefix)
                .and_then(|rest| rest.split('`').next())
                .map(str::to_owned)
        };
        if let Some(field) = named("unknown field `") {
            Problem::field(
                &field,
                "api-unknown-field",
                &format!("Unknown field: {text}."),
            )
        } else if let Some(field) = named("missing field `") {
            Problem::field(&field, "api-missing-field", "This field is required.")
        } else {
            Problem::new(ProblemKind::MalformedBody).detail(text)
        }
    })
}

/// An API answer: JSON, a problem, 304, or a stored document (its type, file name, bytes).
pub enum ApiResponse {
    Json(Answer),
    File(ContentType, String, Vec<u8>),
    NotModified(String),
    Tagged(Answer, String),
}

impl ApiResponse {
    fn answer(answer: Answer) -> ApiResponse {
        ApiResponse::Json(answer)
    }

    fn problem(problem: Problem) -> ApiResponse {
        ApiResponse::Json(Answer::problem(problem))
    }
}

impl<'r> Responder<'r, 'static> for ApiResponse {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        let (answer, tag) = match self {
            ApiResponse::NotModified(tag) => {
                return Response::build()
                    .status(Status::NotModified)
                    .header(Header::new("ETag", tag))
                    .ok();
            }
            ApiResponse::File(kind, name, bytes) => {
                return Response::build()
                    .status(Status::Ok)
                    .header(kind)
                    .header(Header::new(
                        "Content-Disposition",
                        format!("attachment; filename=\"{name}\""),
                    ))
                    .header(Header::new("Cache-Control", "no-store"))
                    .sized_body(bytes.len(), Cursor::new(bytes))
                    .ok();
            }
            ApiResponse::Json(answer) => (answer, None),
            ApiResponse::Tagged(answer, tag) => (answer, Some(tag)),
        };
        let status = Status::from_code(answer.status).unwrap_or(Status::InternalServerError);
        let problem = answer.status >= 400;
        let body = answer.body.to_string();
        let mut response = Response::build();
        response
            .status(status)
            .sized_body(body.len(), Cursor::new(body))
            .header(Header::new("Cache-Control", "no-store"));
        if problem {
            response.header(ContentType::new("application", "problem+json"));
        } else {
            response.header(ContentType::JSON);
        }
        if let Some(Value::Number(after)) = problem
            .then(|| answer.body.get("retry_after").cloned())
            .flatten()
        {
            response.header(Header::new("Retry-After", after.to_string()));
        }
        if answer.replayed {
            response.header(Header::new("Idempotent-Replayed", "true"));
        }
        if let Some(tag) = tag {
            response.header(Header::new("ETag", tag));
            response.header(Header::new("Cache-Control", "no-cache"));
        }
        response.ok()
    }
}
