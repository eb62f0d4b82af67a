//! Who is signed in: request guards for subscribers and staff, and the cookies that carry their
//! session tokens. The two kinds of session never mix: different cookies, different guards.

use crate::domain::CustomerId;
use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::request::{FromRequest, Outcome, Request};

use crate::app::App;
use crate::app::service::{Refusal, SessionKey};
use crate::app::sessions::{Account, ClientInfo, CustomerSession, StaffSession, StaffUser};
use crate::config::Config;

pub const CUSTOMER_COOKIE: &str = "ebok_session";
pub const STAFF_COOKIE: &str = "ebok_staff_session";

/// A signed-in subscriber. Routes that take it are reachable only with a live session;
/// everyone else is sent to the login page (the 401 catcher).
#[derive(Debug, Clone)]
pub struct CurrentCustomer {
    pub session_id: i64,
    pub account: Account,
}

impl CurrentCustomer {
    pub fn customer_id(&self) -> CustomerId {
        self.account.customer_id
    }

    /// `Forbidden` unless this login's role (owner, full, billing, technical) opens `area`.
    pub fn require(&self, area: crate::app::access::Area) -> Result<(), rocket::http::Status> {
        if crate::app::access::may(&self.account.role, area) {
            Ok(())
        } else {
            Err(rocket::http::Status::Forbidden)
        }
    }
}

/// A signed-in staff member.
#[derive(Debug, Clone)]
pub struct CurrentStaff {
    pub session_id: i64,
    pub staff: StaffUser,
}

impl CurrentStaff {
    /// `Forbidden` unless this staff member's role allows `permission`.
    pub fn require(
        &self,
        permission: crate::app::staff_roles::Permission,
    ) -> Result<(), rocket::http::Status> {
        if self.may(permission) {
            Ok(())
        } else {
            Err(rocket::http::Status::Forbidden)
        }
    }

    pub fn may(&self, permission: crate::app::staff_roles::Permission) -> bool {
        crate::app::staff_roles::role_allows(&self.staff.role, permission)
    }
}

/// Sets the session cookie: encrypted, HttpOnly, SameSite=Lax, Secure behind TLS; no expiry, so
/// it ends with the browser (the server enforces idle and absolute timeouts). The expiry is set
/// to "session" explicitly: for a private cookie without one, Rocket adds a week.
pub fn set_cookie(cookies: &CookieJar<'_>, config: &Config, name: &'static str, token: String) {
    let secure = config.web.public_url.starts_with("https://");
    cookies.add_private(
        Cookie::build((name, token))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(secure)
            .expires(None),
    );
}

pub fn clear_cookie(cookies: &CookieJar<'_>, name: &'static str) {
    cookies.remove_private(Cookie::from(name));
}

pub fn cookie_token(cookies: &CookieJar<'_>, name: &str) -> Option<String> {
    cookies.get_private(name).map(|c| c.value().to_owned())
}

/// The subscriber's session cookie (not yet checked) with where the request came from; forwards
/// to the login page when there is none. `app.customer(&cookie)` resumes the session inside the
/// call's own trip to the database, so a signed-in page costs one trip.
pub struct CustomerCookie(SessionKey);

/// The staff member's session cookie, likewise for `app.staff(&cookie)`.
pub struct StaffCookie(SessionKey);

impl std::ops::Deref for CustomerCookie {
    type Target = SessionKey;
    fn deref(&self) -> &SessionKey {
        &self.0
    }
}

impl std::ops::Deref for StaffCookie {
    type Target = SessionKey;
    fn deref(&self) -> &SessionKey {
        &self.0
    }
}

fn session_key(request: &Request<'_>, cookie_name: &str) -> Option<SessionKey> {
    Some(SessionKey {
        token: cookie_token(request.cookies(), cookie_name)?,
        client: client_info(request),
    })
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for CustomerCookie {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        match session_key(request, CUSTOMER_COOKIE) {
            Some(key) => Outcome::Success(CustomerCookie(key)),
            None => Outcome::Forward(Status::Unauthorized),
        }
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for StaffCookie {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        match session_key(request, STAFF_COOKIE) {
            Some(key) => Outcome::Success(StaffCookie(key)),
            None => Outcome::Forward(Status::Unauthorized),
        }
    }
}

/// Who the cookie signs in, for the pages that only show it (the public pages' header, the
/// language, the multipart check): a call that resumes the session and does nothing else.
/// The database could not say whether the cookie's session is valid: it does not answer.
/// Not the same as signed out, so a guard that needs the session answers 503, not 403.
#[derive(Debug, Clone, Copy)]
struct Unverified;

async fn load_customer(request: &Request<'_>) -> Result<Option<CurrentCustomer>, Unverified> {
    let (Some(key), Some(app)) = (
        session_key(request, CUSTOMER_COOKIE),
        request.rocket().state::<App>(),
    ) else {
        return Ok(None);
    };
    match app.customer(&key).resume().await {
        Ok(CustomerSession {
            session_id,
            account,
        }) => Ok(Some(CurrentCustomer {
            session_id,
            account,
        })),
        Err(Refusal::SignedOut) => {
            clear_cookie(request.cookies(), CUSTOMER_COOKIE);
            Ok(None)
        }
        Err(Refusal::Unavailable) => Err(Unverified),
        Err(_) => Ok(None),
    }
}

async fn load_staff(request: &Request<'_>) -> Result<Option<CurrentStaff>, Unverified> {
    let (Some(key), Some(app)) = (
        session_key(request, STAFF_COOKIE),
        request.rocket().state::<App>(),
    ) else {
        return Ok(None);
    };
    match app.staff(&key).resume().await {
        Ok(StaffSession { session_id, staff }) => Ok(Some(CurrentStaff { session_id, staff })),
        Err(Refusal::SignedOut) => {
            clear_cookie(request.cookies(), STAFF_COOKIE);
            Ok(None)
        }
        Err(Refusal::Unavailable) => Err(Unverified),
        Err(_) => Ok(None),
    }
}

/// Signed in: success; no (valid) session: forward; the database does not answer: 503.
fn session_outcome<T: Clone>(found: &Result<Option<T>, Unverified>) -> Outcome<T, ()> {
    match found {
        Ok(Some(found)) => Outcome::Success(found.clone()),
        Ok(None) => Outcome::Forward(Status::Unauthorized),
        Err(Unverified) => Outcome::Error((Status::ServiceUnavailable, ())),
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for CurrentCustomer {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        // Cached: the page layout and the handler ask for it in the same request.
        session_outcome(request.local_cache_async(load_customer(request)).await)
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for CurrentStaff {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        session_outcome(request.local_cache_async(load_staff(request)).await)
    }
}

/// Ends the session behind `cookie_name` (subscriber or staff) and drops the cookie.
pub async fn log_out(
    app: &App,
    cookies: &CookieJar<'_>,
    cookie_name: &'static str,
    client: &ClientInfo,
) -> Result<(), Status> {
    if let Some(token) = cookie_token(cookies, cookie_name) {
        app.visitor(client)
            .run(move |conn, cx| {
                crate::app::account_security::logout(conn, &token, cx.client.ip.clone(), cx.now)
            })
            .await?;
    }
    clear_cookie(cookies, cookie_name);
    Ok(())
}

/// The signed-in subscriber's language, for a message on a page that has no layout (a redirect's
/// flash).
pub fn language(me: &CustomerSession) -> crate::i18n::Lang {
    crate::i18n::Lang::parse(&me.account.language).unwrap_or_default()
}

/// Address and browser, as recorded with sessions and in the audit trail.
pub fn client_info(request: &Request<'_>) -> ClientInfo {
    ClientInfo {
        ip: crate::web::client_ip::client_ip(request).map(|ip| ip.to_string()),
        user_agent: request.headers().get_one("User-Agent").map(str::to_owned),
        request_id: Some(crate::web::request_id::of(request)),
    }
}

/// A request to the pages that sign in or out: where it came from, and the cookies they set.
pub struct Visit<'r> {
    pub client: ClientInfo,
    pub cookies: &'r CookieJar<'r>,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Visit<'r> {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(Visit {
            client: client_info(request),
            cookies: request.cookies(),
        })
    }
}
