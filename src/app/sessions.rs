//! Signed-in sessions of subscribers and staff: created at login with a fresh random token,
//! ended by logout, by idle or absolute timeout, or when the password changes.

use crate::domain::AccountStatus;
use crate::domain::CustomerId;
use chrono::{Duration, NaiveDateTime};

use crate::app::crypto;
pub use crate::db::accounts::Account;
use crate::db::sessions::{NewSession, Session};
pub use crate::db::staff::StaffUser;
use crate::db::{self, DbConn};

/// Inactivity after which a session ends.
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
/// How long a session can last however active it is.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// `last_seen_at` is written at most this often, so browsing is not a stream of writes.
const TOUCH_INTERVAL: Duration = Duration::seconds(60);

/// Who a session belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    Account(i64),
    Staff(i64),
}

/// Where a request came from, for the session row and the audit trail.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// The web request's id, for the log lines of the work done for it (not stored).
    pub request_id: Option<String>,
}

/// A new session; `token` goes into the cookie and nowhere else.
pub struct StartedSession {
    pub id: i64,
    pub token: String,
}

pub fn start(
    conn: &mut DbConn,
    principal: Principal,
    client: &ClientInfo,
    now: NaiveDateTime,
) -> diesel::QueryResult<StartedSession> {
    let token = crypto::random_token();
    let (account_id, staff_user_id) = match principal {
        Principal::Account(id) => (Some(id), None),
        Principal::Staff(id) => (None, Some(id)),
    };
    let id = db::sessions::insert(
        conn,
        &NewSession {
            token_hash: crypto::token_hash(&token),
            account_id,
            staff_user_id,
            ip: client.ip.clone(),
            user_agent: client
                .user_agent
                .as_deref()
                .map(|ua| ua.chars().take(300).collect()),
            created_at: now,
            last_seen_at: now,
            expires_at: now + ABSOLUTE_TIMEOUT,
            ended_at: None,
        },
    )?;
    Ok(StartedSession { id, token })
}

/// A subscriber's live session.
#[derive(Debug, Clone)]
pub struct CustomerSession {
    pub session_id: i64,
    pub account: Account,
}

impl CustomerSession {
    pub fn customer_id(&self) -> CustomerId {
        self.account.customer_id
    }
}

/// A staff member's live session.
#[derive(Debug, Clone)]
pub struct StaffSession {
    pub session_id: i64,
    pub staff: StaffUser,
}

/// Whether an open session is still live at `now`: a timed-out one is ended, a live one is
/// marked as seen (at most once a `TOUCH_INTERVAL`).
fn still_live(
    conn: &mut DbConn,
    session: &Session,
    now: NaiveDateTime,
) -> diesel::QueryResult<bool> {
    if now >= session.expires_at || now - session.last_seen_at >= IDLE_TIMEOUT {
        db::sessions::end(conn, session.id, now)?;
        return Ok(false);
    }
    if now - session.last_seen_at >= TOUCH_INTERVAL {
        db::sessions::touch(conn, session.id, now)?;
    }
    Ok(true)
}

/// The subscriber signed in with this cookie token, if the session is live and the account active.
pub fn resume_customer(
    conn: &mut DbConn,
    token: &str,
    now: NaiveDateTime,
) -> diesel::QueryResult<Option<CustomerSession>> {
    let Some((session, account)) =
        db::sessions::find_open_with_account(conn, &crypto::token_hash(token))?
    else {
        return Ok(None);
    };
    if !still_live(conn, &session, now)? {
        return Ok(None);
    }
    Ok(account
        .filter(|account| account.status == AccountStatus::Active)
        .map(|account| CustomerSession {
            session_id: session.id,
            account,
        }))
}

/// The staff member signed in with this cookie token, if the session is live and they are active.
pub fn resume_staff(
    conn: &mut DbConn,
    token: &str,
    now: NaiveDateTime,
) -> diesel::QueryResult<Option<StaffSession>> {
    let Some((session, staff)) =
        db::sessions::find_open_with_staff(conn, &crypto::token_hash(token))?
    else {
        return Ok(None);
    };
    if !still_live(conn, &session, now)? {
        return Ok(None);
    }
    Ok(staff
        .filter(|staff| staff.active)
        .map(|staff| StaffSession {
            session_id: session.id,
            staff,
        }))
}

/// Logout: ends the session the cookie names (an unknown token is fine: nothing to end).
pub fn end(conn: &mut DbConn, token: &str, now: NaiveDateTime) -> diesel::QueryResult<()> {
    if let Some(session) = db::sessions::find_open(conn, &crypto::token_hash(token))? {
        db::sessions::end(conn, session.id, now)?;
    }
    Ok(())
}
