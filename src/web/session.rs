//! Who is signed in: request guards for subscribers and staff, and the cookies that carry their
//! session tokens. The two kinds of session never mix: different cookies, different guards.

use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::request::{FromRequest, Outcome, Request};

use crate::app::clock;
use crate::app::sessions::{self, CustomerSession, StaffSession};
use crate::config::Config;
use crate::db::accounts::Account;
use crate::db::staff::StaffUser;
use crate::web::Db;

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
    pub fn customer_id(&self) -> i64 {
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

/// The subscriber's session cookie, not yet checked; forwards when there is none. For a handler
/// that resumes the session inside its own database turn (`resume`), so that a page costs one
/// trip to the blocking pool instead of two (the dashboard).
pub struct CustomerCookie(String);

impl CustomerCookie {
    /// The subscriber this cookie signs in, by the same rules as `CurrentCustomer`; `None` when
    /// the session has ended (the caller drops the cookie with `clear_cookie`).
    pub fn resume(
        &self,
        conn: &mut crate::db::DbConn,
        now: chrono::NaiveDateTime,
    ) -> diesel::QueryResult<Option<CurrentCustomer>> {
        Ok(sessions::resume_customer(conn, &self.0, now)?.map(
            |CustomerSession {
                 session_id,
                 account,
             }| CurrentCustomer {
                session_id,
                account,
            },
        ))
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for CustomerCookie {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        match cookie_token(request.cookies(), CUSTOMER_COOKIE) {
            Some(token) => Outcome::Success(CustomerCookie(token)),
            None => Outcome::Forward(Status::Unauthorized),
        }
    }
}

async fn load_customer(request: &Request<'_>) -> Option<CurrentCustomer> {
    let cookie = CustomerCookie(cookie_token(request.cookies(), CUSTOMER_COOKIE)?);
    let db = request.guard::<Db>().await.succeeded()?;
    let now = clock::now();
    match db.run(move |conn| cookie.resume(conn, now)).await {
        Ok(Ok(Some(customer))) => Some(customer),
        Ok(Ok(None)) => {
            clear_cookie(request.cookies(), CUSTOMER_COOKIE);
            None
        }
        Ok(Err(error)) => {
            tracing::error!(%error, "session lookup failed");
            None
        }
        Err(error) => {
            tracing::error!(%error, "session lookup failed");
            None
        }
    }
}

async fn load_staff(request: &Request<'_>) -> Option<CurrentStaff> {
    let token = cookie_token(request.cookies(), STAFF_COOKIE)?;
    let db = request.guard::<Db>().await.succeeded()?;
    let now = clock::now();
    match db
        .run(move |conn| sessions::resume_staff(conn, &token, now))
        .await
    {
        Ok(Ok(Some(StaffSession { session_id, staff }))) => {
            Some(CurrentStaff { session_id, staff })
        }
        Ok(Ok(None)) => {
            clear_cookie(request.cookies(), STAFF_COOKIE);
            None
        }
        Ok(Err(error)) => {
            tracing::error!(%error, "staff session lookup failed");
            None
        }
        Err(error) => {
            tracing::error!(%error, "staff session lookup failed");
            None
        }
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for CurrentCustomer {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        // Cached: the page layout and the handler ask for it in the same request.
        let found = request.local_cache_async(load_customer(request)).await;
        match found {
            Some(customer) => Outcome::Success(customer.clone()),
            None => Outcome::Forward(Status::Unauthorized),
        }
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for CurrentStaff {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        let found = request.local_cache_async(load_staff(request)).await;
        match found {
            Some(staff) => Outcome::Success(staff.clone()),
            None => Outcome::Forward(Status::Unauthorized),
        }
    }
}

/// Ends the session behind `cookie_name` (subscriber or staff) and drops the cookie.
pub async fn log_out(
    db: &Db,
    cookies: &CookieJar<'_>,
    cookie_name: &'static str,
    ip: Option<std::net::IpAddr>,
) -> Result<(), Status> {
    if let Some(token) = cookie_token(cookies, cookie_name) {
        let now = clock::now();
        db.query(move |conn| {
            crate::app::account_security::logout(conn, &token, ip.map(|ip| ip.to_string()), now)
        })
        .await?;
    }
    clear_cookie(cookies, cookie_name);
    Ok(())
}
