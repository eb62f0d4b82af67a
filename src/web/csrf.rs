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

    async fn from_data(request: &'r Request<'_>, mut data: Data<'r>) -> data::Outcome<'r, Self> {
        if !from_our_origin(request) {
            return data::Outcome::Error((Status::Forbidden, "cross-origin form"));
        }
        if request.content_type().is_some_and(|ct| ct.is_form_data())
            && let Err((status, refused)) = multipart_may_be_read(request, &mut data).await
        {
            let route = request
                .route()
                .map(|r| r.uri.to_string())
                .unwrap_or_default();
            tracing::warn!(%route, refused, "multipart form refused before reading its body");
            return data::Outcome::Error((status, refused));
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

/// Multipart forms (ticket attachments, bank statements) may be tens of MiB, which Rocket would
/// write to temporary files before the token in them could be compared. So before any of the
/// body is accepted: only a signed-in subscriber or staff member sends one (no form open to
/// visitors is multipart), and the token must be the first part, as every such form of ours
/// sends it (`m::csrf` comes first), read from the first bytes of the stream.
async fn multipart_may_be_read(
    request: &Request<'_>,
    data: &mut Data<'_>,
) -> Result<(), (Status, &'static str)> {
    use crate::web::session::{CurrentCustomer, CurrentStaff};
    let refused = |why| (Status::Forbidden, why);
    // A session the database cannot check now is not "no session": the subscriber is told
    // to try again shortly (503), not that the form is forbidden.
    let unverified = (
        Status::ServiceUnavailable,
        "session not checked: the database does not answer",
    );
    let signed_in = match request.guard::<CurrentCustomer>().await {
        Outcome::Success(_) => true,
        Outcome::Error(_) => return Err(unverified),
        Outcome::Forward(_) => match request.guard::<CurrentStaff>().await {
            Outcome::Success(_) => true,
            Outcome::Error(_) => return Err(unverified),
            Outcome::Forward(_) => false,
        },
    };
    if !signed_in {
        return Err(refused("multipart form without a session"));
    }
    let boundary = request
        .content_type()
        .and_then(|ct| ct.params().find(|(name, _)| *name == "boundary"))
        .map(|(_, value)| value.to_owned())
        .ok_or(refused("multipart form without a boundary"))?;
    // Rocket peeks at most 512 bytes: room for a 70-character boundary, the part header and
    // the 43-character token.
    let first_bytes = data.peek(512).await;
    match first_part_token(first_bytes, &boundary) {
        Some(token) if token_matches(request, token) => Ok(()),
        _ => Err(refused("missing or wrong CSRF token in the first part")),
    }
}

/// The value of the first part of a multipart body when that part is the `csrf_token` field.
fn first_part_token<'a>(body: &'a [u8], boundary: &str) -> Option<&'a str> {
    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }
    let rest = body.strip_prefix(format!("--{boundary}\r\n").as_bytes())?;
    let headers_end = find(rest, b"\r\n\r\n")?;
    let headers = std::str::from_utf8(&rest[..headers_end]).ok()?;
    let names_the_token = headers.lines().any(|line| {
        let line = line.to_ascii_lowercase();
        line.starts_with("content-disposition:")
            && line.contains(&format!("name=\"{CSRF_FIELD}\""))
            && !line.contains("filename")
    });
    if !names_the_token {
        return None;
    }
    let value = &rest[headers_end + 4..];
    let value_end = find(value, format!("\r\n--{boundary}").as_bytes())?;
    std::str::from_utf8(&value[..value_end]).ok()
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

#[cfg(test)]
mod tests {
    use super::first_part_token;

    #[test]
    fn the_token_is_read_only_from_the_first_part() {
        let first = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\nhi\r\n--XyZ--\r\n";
        assert_eq!(first_part_token(first, "XyZ"), Some("abc123"));
        let later = b"--XyZ\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\nhi\r\n--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc123\r\n--XyZ--\r\n";
        assert_eq!(first_part_token(later, "XyZ"), None);
        let file = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"; filename=\"a\"\r\n\r\nabc123\r\n--XyZ--";
        assert_eq!(first_part_token(file, "XyZ"), None);
        assert_eq!(first_part_token(b"", "XyZ"), None);
        assert_eq!(first_part_token(first, "Other"), None);
    }
}
