//! A password re-entered on a signed-in account before something sensitive (a new password or
//! e-mail address, two-step login, showing a PPPoE password): throttled like a login, and a
//! wrong one is audited. One check for every such place, so they cannot drift apart.

use chrono::NaiveDateTime;
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::app::crypto;
use crate::app::throttle::{self, Limit, RetryAfter};
use crate::db::DbConn;
use crate::db::accounts::Account;

/// Why a re-entered password was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum RecheckError {
    #[error("the password is wrong")]
    Wrong,
    #[error("too many attempts")]
    Throttled(RetryAfter),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Checks `password` against the account's; `purpose` says in the audit trail what it was for.
pub fn recheck(
    conn: &mut DbConn,
    account: &Account,
    password: &str,
    (actor, purpose): (&Actor, &str),
    now: NaiveDateTime,
) -> Result<(), RecheckError> {
    let subject = format!("account:{}", account.id);
    if let Err(retry) = throttle::check(conn, Limit::PasswordChecksPerAccount, &subject, now)? {
        return Err(RecheckError::Throttled(retry));
    }
    if crypto::verify_password(password, &account.password_hash) {
        return Ok(());
    }
    throttle::hit(conn, Limit::PasswordChecksPerAccount, &subject, now)?;
    audit::record(
        conn,
        actor,
        "password_check_failed",
        json!({ "for": purpose }),
        now,
    )?;
    Err(RecheckError::Wrong)
}
