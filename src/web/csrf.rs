//! CSRF protection for every state-changing form: a random token in a private cookie, echoed in
//! a hidden field and compared in constant time, plus a check that the request comes from our
//! own origin. A failed check is a 403 with a friendly page, and nothing changes.

use rocket::data::{self, Data, FromData};
use rocket::form::{Form, FromForm};
use rocket::http::{Cookie, SameSite, Status};
use rocket::request::{FromRequest, Outcome, Request};
use subtle::ConstantTimeEq;

use crate::config::Config;

pub const CSRF_COOKIE: &str = "ebok_csrf";
pub const CSRF_FIELD: &str = "csrf_token";

/// The token for forms on this page; created (and its cookie set) on first use.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

pub fn csrf_token(request: &Request<'_>) -> String {
    let cookies = request.cookies();
    if let Some(existing) = cookies.get_private(CSRF_COOKIE) {
        return existing.value().to_owned();
    }
    let token = crate::app::crypto::random_token();
    let secure = request
        .rocket()
        .state::<Config>()
        .is_some_and(|config| config.web.public_url.starts_with("https://"));
    cookies.add_private(
        Cookie::build((CSRF_COOKIE, token.clone()))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(secure)
            // Ends with the browser, like the session (Rocket would add a week).
            .expires(None),
    );
    token
}

/// A new token after login, so one known before signing in is useless after.
pub fn rotate(cookies: &rocket::http::CookieJar<'_>) {
    cookies.remove_private(Cookie::from(CSRF_COOKIE));
}

/// The token for this request, created once (a newtype: the request cache is keyed by type).
pub fn page_token(request: &Request<'_>) -> String {
    struct CachedToken(String);
    request
        .local_cache(|| CachedToken(csrf_token(request)))
        .0
        .clone()
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for CsrfToken {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(CsrfToken(page_token(request)))
    }
}

/// Forms that carry the hidden token field.
pub trait CsrfForm {
    fn csrf_token(&self) -> &str;
}

/// A form whose token and origin were checked before the handler runs.
pub struct Protected<T>(pub T);

impl<T> std::ops::Deref for Protected<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Browsers say where a form came from; refuse what another site sent.
fn from_our_origin(request: &Request<'_>) -> bool {
    let headers = request.headers();
    if headers.get_one("Sec-Fetch-Site") == Some("cross-site") {
        return false;
    }
    let Some(origin) = headers.get_one("Origin") else {
        return true;
    };
    let public = request
        .rocket()
        .state::<Config>()
        .map(|c| c.web.public_url.as_str())
        .unwrap_or("");
    let host = headers.get_one("Host").unwrap_or("");
    origin == public || origin == format!("http://{host}") || origin == format!("https://{host}")
}

fn token_matches(request: &Request<'_>, submitted: &str) -> bool {
    let Some(cookie) = request.cookies().get_private(CSRF_COOKIE) else {
        return false;
    };
    // Constant time, so the comparison leaks nothing about how much of a guess was right.
    cookie.value().as_bytes().ct_eq(submitted.as_bytes()).into()
}

#[rocket::async_trait]
impl<'r, T: FromForm<'r> + CsrfForm + Send + 'r> FromData<'r> for Protected<T> {
    type Error = &'static str;

    async fn from_data(request: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        if !from_our_origin(request) {
            return data::Outcome::Error((Status::Forbidden, "cross-origin form"));
        }
        match Form::<T>::from_data(request, data).await {
            data::Outcome::Success(form) => {
                let form = form.into_inner();
                if token_matches(request, form.csrf_token()) {
                    data::Outcome::Success(Protected(form))
                } else {
                    // The route pattern, not the URI: some URIs carry one-time tokens.
                    let route = request
                        .route()
                        .map(|r| r.uri.to_string())
                        .unwrap_or_default();
                    tracing::warn!(%route, "form refused: missing or wrong CSRF token");
                    data::Outcome::Error((Status::Forbidden, "missing or wrong CSRF token"))
                }
            }
            data::Outcome::Error((status, _)) => data::Outcome::Error((status, "unreadable form")),
            // Not a form at all (wrong or missing content type): refused like a missing token.
            data::Outcome::Forward(_) => data::Outcome::Error((Status::Forbidden, "not a form")),
        }
    }
}

/// A form with nothing but the token (logout, "end other sessions").
#[derive(Debug, rocket::FromForm)]
pub struct TokenOnly {
    #[field(name = "csrf_token", default = String::new())]
    pub csrf_token: String,
}

impl CsrfForm for TokenOnly {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}
