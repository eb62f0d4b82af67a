//! Keeping an account safe once it exists: password reset by e-mail, password and e-mail
//! changes, the list of recent logins and open sessions, ending other sessions.

use crate::domain::AccountStatus;
use std::net::IpAddr;

use chrono::{Duration, NaiveDateTime};
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::app::crypto;
use crate::app::mail_queue::{self, Outgoing, QueueError};
use crate::app::password_recheck::{self, RecheckError};
use crate::app::passwords::{self, PasswordProblem};
use crate::app::registration::{normalise_email, valid_email};
use crate::app::sessions::IDLE_TIMEOUT;
use crate::app::throttle::{self, Limit, RetryAfter};
use crate::db::accounts::Account;
use crate::db::audit::AuditEntry;
use crate::db::sessions::Session;
use crate::db::tokens::NewOneTimeToken;
use crate::db::{self, DbConn};
use crate::mail::{Language, MailKind};

pub const RESET_VALIDITY: Duration = Duration::hours(1);
pub const EMAIL_CHANGE_VALIDITY: Duration = Duration::hours(24);
const PASSWORD_RESET: &str = "password_reset";
const EMAIL_CHANGE: &str = "email_change";

#[derive(Debug, thiserror::Error)]
pub enum SecurityError {
    #[error("the new password does not meet the rules")]
    Password(Vec<PasswordProblem>),
    #[error("the current password is wrong")]
    WrongCurrentPassword,
    #[error("the e-mail address is not valid")]
    EmailFormat,
    #[error("the e-mail address is the same as now")]
    SameEmail,
    #[error("the link is invalid, used or expired")]
    InvalidLink,
    #[error("too many requests")]
    Throttled(RetryAfter),
    #[error("password hashing failed: {0}")]
    Hash(#[from] crypto::HashError),
    #[error(transparent)]
    Mail(#[from] QueueError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

fn issue_token(
    conn: &mut DbConn,
    purpose: &str,
    account_id: i64,
    payload: Option<String>,
    validity: Duration,
    now: NaiveDateTime,
) -> diesel::QueryResult<String> {
    db::tokens::retire_for_account(conn, account_id, purpose, now)?;
    let token = crypto::random_token();
    db::tokens::insert(
        conn,
        &NewOneTimeToken {
            purpose: purpose.into(),
            token_hash: crypto::token_hash(&token),
            account_id: Some(account_id),
            staff_user_id: None,
            customer_id: None,
            payload,
            expires_at: now + validity,
            used_at: None,
            created_at: now,
        },
    )?;
    Ok(token)
}

/// Sends reset links to the active accounts registered with `email`. The caller shows the same
/// answer whether or not there are any; both paths write in one transaction, so their cost is
/// alike.
pub fn request_password_reset(
    conn: &mut DbConn,
    email: &str,
    client_ip: Option<IpAddr>,
    outgoing: Outgoing<'_>,
    now: NaiveDateTime,
) -> Result<(), SecurityError> {
    let ip_subject = throttle::ip_subject(client_ip);
    if let Err(retry) = throttle::check(conn, Limit::MailRequestsPerIp, &ip_subject, now)? {
        return Err(SecurityError::Throttled(retry));
    }
    throttle::hit(conn, Limit::MailRequestsPerIp, &ip_subject, now)?;
    let email = normalise_email(email);
    if !valid_email(&email) {
        return Ok(());
    }
    // A per-address cap stops the form from being used to flood someone's mailbox; exceeding it
    // looks the same as success.
    if throttle::check(conn, Limit::PasswordResetsPerEmail, &email, now)?.is_err() {
        return Ok(());
    }
    let ip_text = client_ip.map(|ip| ip.to_string());
    db::write_transaction(conn, |conn| -> Result<(), SecurityError> {
        throttle::hit(conn, Limit::PasswordResetsPerEmail, &email, now)?;
        let accounts: Vec<Account> = db::accounts::find_by_email(conn, &email)?
            .into_iter()
            .filter(|a| a.status == AccountStatus::Active)
            .collect();
        if accounts.is_empty() {
            audit::record(
                conn,
                &Actor::anonymous(ip_text.clone()),
                "password_reset_unknown_email",
                json!({}),
                now,
            )?;
        }
        for account in accounts {
            let token = issue_token(conn, PASSWORD_RESET, account.id, None, RESET_VALIDITY, now)?;
            let mut context = outgoing.context();
            context.insert("login", &account.login);
            context.insert("link", &outgoing.link(&format!("/haslo/nowe/{token}")));
            context.insert("valid_hours", &RESET_VALIDITY.num_hours());
            mail_queue::queue(
                conn,
                outgoing.templates,
                MailKind::PasswordReset,
                &account.email,
                Language::from_code(&account.language),
                &context,
                now,
            )?;
            audit::record(
                conn,
                &Actor::account(account.id, account.customer_id, ip_text.clone()),
                "password_reset_requested",
                json!({}),
                now,
            )?;
        }
        Ok(())
    })
}

/// The account a reset link belongs to, if the link can still be used by an active account.
pub fn reset_link_account(
    conn: &mut DbConn,
    token: &str,
    now: NaiveDateTime,
) -> diesel::QueryResult<Option<Account>> {
    let Some(stored) =
        db::tokens::find_usable(conn, PASSWORD_RESET, &crypto::token_hash(token), now)?
    else {
        return Ok(None);
    };
    let Some(id) = stored.account_id else {
        return Ok(None);
    };
    Ok(db::accounts::find(conn, id)?.filter(|account| account.status == AccountStatus::Active))
}

/// Sets the new password from a reset link and ends every session of the account.
pub fn complete_password_reset(
    conn: &mut DbConn,
    token: &str,
    new_password_hash: &str,
    client_ip: Option<String>,
    outgoing: Outgoing<'_>,
    now: NaiveDateTime,
) -> Result<(), SecurityError> {
    db::write_transaction(conn, |conn| {
        let stored =
            db::tokens::find_usable(conn, PASSWORD_RESET, &crypto::token_hash(token), now)?
                .ok_or(SecurityError::InvalidLink)?;
        let account = match stored.account_id {
            Some(id) => db::accounts::find(conn, id)?,
            None => None,
        }
        .filter(|account| account.status == AccountStatus::Active)
        .ok_or(SecurityError::InvalidLink)?;
        if !db::tokens::consume(conn, stored.id, now)? {
            return Err(SecurityError::InvalidLink);
        }
        db::accounts::set_password_hash(conn, account.id, new_password_hash)?;
        db::sessions::end_all_of_account(conn, account.id, None, now)?;
        retire_account_links(conn, account.id, now)?;
        throttle::clear(
            conn,
            Limit::LoginFailuresPerAccount,
            &format!("account:{}", account.id),
        )?;
        audit::record(
            conn,
            &Actor::account(account.id, account.customer_id, client_ip),
            "password_reset",
            json!({ "sessions_ended": "all" }),
            now,
        )?;
        notify_password_changed(conn, &account, outgoing, now)
    })
}

/// After a password change, links mailed earlier (reset, e-mail change) stop working.
fn retire_account_links(
    conn: &mut DbConn,
    account_id: i64,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    db::tokens::retire_for_account(conn, account_id, PASSWORD_RESET, now)?;
    db::tokens::retire_for_account(conn, account_id, EMAIL_CHANGE, now)?;
    Ok(())
}

/// A password re-entry on a signed-in account (see `password_recheck`).
pub fn check_current_password(
    conn: &mut DbConn,
    account: &Account,
    password: &str,
    actor: &Actor,
    purpose: &str,
    now: NaiveDateTime,
) -> Result<(), SecurityError> {
    Ok(password_recheck::recheck(
        conn,
        account,
        password,
        (actor, purpose),
        now,
    )?)
}

impl From<RecheckError> for SecurityError {
    fn from(error: RecheckError) -> Self {
        match error {
            RecheckError::Wrong => SecurityError::WrongCurrentPassword,
            RecheckError::Throttled(retry) => SecurityError::Throttled(retry),
            RecheckError::Database(error) => SecurityError::Database(error),
        }
    }
}

/// Checks a new password against the policy (the login is part of it).
pub fn check_new_password(
    password: &str,
    repeated: &str,
    login: &str,
) -> Result<(), SecurityError> {
    let problems = passwords::problems(password, repeated, login);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(SecurityError::Password(problems))
    }
}

/// Changes the password of a signed-in account; other sessions end, this one stays.
#[allow(clippy::too_many_arguments)]
pub fn change_password(
    conn: &mut DbConn,
    account: &Account,
    current_password: &str,
    new_password_hash: &str,
    keep_session: i64,
    actor: &Actor,
    outgoing: Outgoing<'_>,
    now: NaiveDateTime,
) -> Result<(), SecurityError> {
    check_current_password(
        conn,
        account,
        current_password,
        actor,
        "password_change",
        now,
    )?;
    db::write_transaction(conn, |conn| {
        db::accounts::set_password_hash(conn, account.id, new_password_hash)?;
        let ended = db::sessions::end_all_of_account(conn, account.id, Some(keep_session), now)?;
        retire_account_links(conn, account.id, now)?;
        audit::record(
            conn,
            actor,
            "password_changed",
            json!({ "other_sessions_ended": ended }),
            now,
        )?;
        notify_password_changed(conn, account, outgoing, now)
    })
}

fn notify_password_changed(
    conn: &mut DbConn,
    account: &Account,
    outgoing: Outgoing<'_>,
    now: NaiveDateTime,
) -> Result<(), SecurityError> {
    let mut context = outgoing.context();
    context.insert("login", &account.login);
    mail_queue::queue(
        conn,
        outgoing.templates,
        MailKind::PasswordChanged,
        &account.email,
        Language::from_code(&account.language),
        &context,
        now,
    )?;
    Ok(())
}

/// Starts an e-mail change: a confirmation link goes to the new address, and the old address is
/// told, so a hijacked session cannot quietly take the account over.
pub fn request_email_change(
    conn: &mut DbConn,
    account: &Account,
    current_password: &str,
    new_email: &str,
    actor: &Actor,
    outgoing: Outgoing<'_>,
    now: NaiveDateTime,
) -> Result<(), SecurityError> {
    let new_email = normalise_email(new_email);
    if !valid_email(&new_email) {
        return Err(SecurityError::EmailFormat);
    }
    if new_email == account.email {
        return Err(SecurityError::SameEmail);
    }
    check_current_password(conn, account, current_password, actor, "email_change", now)?;
    let subject = format!("account:{}", account.id);
    if let Err(retry) = throttle::check(conn, Limit::EmailChangesPerAccount, &subject, now)? {
        return Err(SecurityError::Throttled(retry));
    }
    db::write_transaction(conn, |conn| {
        throttle::hit(conn, Limit::EmailChangesPerAccount, &subject, now)?;
        let token = issue_token(
            conn,
            EMAIL_CHANGE,
            account.id,
            Some(new_email.clone()),
            EMAIL_CHANGE_VALIDITY,
            now,
        )?;
        let language = Language::from_code(&account.language);
        let mut context = outgoing.context();
        context.insert("login", &account.login);
        context.insert("new_email", &new_email);
        context.insert(
            "link",
            &outgoing.link(&format!("/bezpieczenstwo/email/{token}")),
        );
        context.insert("valid_hours", &EMAIL_CHANGE_VALIDITY.num_hours());
        mail_queue::queue(
            conn,
            outgoing.templates,
            MailKind::EmailChangeConfirm,
            &new_email,
            language,
            &context,
            now,
        )?;
        mail_queue::queue(
            conn,
            outgoing.templates,
            MailKind::EmailChangeRequested,
            &account.email,
            language,
            &context,
            now,
        )?;
        audit::record(
            conn,
            actor,
            "email_change_requested",
            json!({ "new_email": new_email }),
            now,
        )?;
        Ok(())
    })
}

/// The new address waiting behind an e-mail change link, if the link is usable.
pub fn email_change_target(
    conn: &mut DbConn,
    token: &str,
    now: NaiveDateTime,
) -> diesel::QueryResult<Option<String>> {
    Ok(
        db::tokens::find_usable(conn, EMAIL_CHANGE, &crypto::token_hash(token), now)?
            .and_then(|t| t.payload),
    )
}

/// Applies the e-mail change the link confirms.
pub fn confirm_email_change(
    conn: &mut DbConn,
    token: &str,
    client_ip: Option<String>,
    now: NaiveDateTime,
) -> Result<String, SecurityError> {
    db::write_transaction(conn, |conn| {
        let stored = db::tokens::find_usable(conn, EMAIL_CHANGE, &crypto::token_hash(token), now)?
            .ok_or(SecurityError::InvalidLink)?;
        let (Some(account_id), Some(new_email)) = (stored.account_id, stored.payload.clone())
        else {
            return Err(SecurityError::InvalidLink);
        };
        let account = db::accounts::find(conn, account_id)?
            .filter(|account| account.status == AccountStatus::Active)
            .ok_or(SecurityError::InvalidLink)?;
        if !db::tokens::consume(conn, stored.id, now)? {
            return Err(SecurityError::InvalidLink);
        }
        db::accounts::set_email(conn, account_id, &new_email)?;
        audit::record(
            conn,
            &Actor::account(account_id, account.customer_id, client_ip),
            "email_changed",
            json!({ "old_email": account.email, "new_email": new_email }),
            now,
        )?;
        Ok(new_email)
    })
}

/// What the "Bezpieczeństwo" page shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SecurityOverview {
    pub recent_logins: Vec<AuditEntry>,
    pub sessions: Vec<Session>,
    pub current_session_id: i64,
    pub two_factor_enabled: bool,
    pub recovery_codes_left: i64,
}

pub fn overview(
    conn: &mut DbConn,
    account: &Account,
    current_session_id: i64,
    now: NaiveDateTime,
) -> diesel::QueryResult<SecurityOverview> {
    Ok(SecurityOverview {
        recent_logins: db::audit::of_account(
            conn,
            account.id,
            &["login_success", "login_failure", "lockout"],
            15,
        )?,
        sessions: db::sessions::open_of_account(conn, account.id, now - IDLE_TIMEOUT, now)?,
        current_session_id,
        two_factor_enabled: account.totp_secret.is_some(),
        recovery_codes_left: db::recovery_codes::remaining(conn, account.id)?,
    })
}

/// "Wyloguj inne urządzenia": ends every session but the current one.
pub fn end_other_sessions(
    conn: &mut DbConn,
    account: &Account,
    current_session_id: i64,
    actor: &Actor,
    now: NaiveDateTime,
) -> diesel::QueryResult<usize> {
    let ended = db::sessions::end_all_of_account(conn, account.id, Some(current_session_id), now)?;
    audit::record(
        conn,
        actor,
        "other_sessions_ended",
        json!({ "count": ended }),
        now,
    )?;
    Ok(ended)
}

/// Ends the session behind a cookie token (logout) and notes it in the audit trail.
pub fn logout(
    conn: &mut DbConn,
    token: &str,
    ip: Option<String>,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    let Some(session) = db::sessions::find_open(conn, &crypto::token_hash(token))? else {
        return Ok(());
    };
    db::sessions::end(conn, session.id, now)?;
    let actor = Actor {
        account_id: session.account_id,
        staff_id: session.staff_user_id,
        customer_id: None,
        ip,
        api_token: None,
    };
    audit::record(
        conn,
        &actor,
        "logout",
        json!({ "session": session.id }),
        now,
    )
}
