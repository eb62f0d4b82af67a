//! Limits on attempts, kept in the database so they hold across app instances.
//!
//! Failed logins lock an account (or an IP) with a growing delay; requests that send mail
//! (registration, resends, resets) are capped per hour.

use chrono::{Duration, NaiveDateTime};

use crate::db::{self, DbConn};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Failed logins of one account (or one unknown identifier).
    LoginFailuresPerAccount,
    /// Failed logins from one IP, whatever the account.
    LoginFailuresPerIp,
    StaffLoginFailuresPerUser,
    RegistrationsPerIp,
    ActivationResendsPerAccount,
    MailRequestsPerIp,
    PasswordResetsPerEmail,
}

struct Rule {
    bucket: &'static str,
    window: Duration,
    /// Attempts allowed in the window before the limit bites.
    allowed: i64,
    /// For login failures the lock grows with each further failure; else a fixed window.
    growing_lock: bool,
}

impl Limit {
    fn rule(self) -> Rule {
        let (bucket, window, allowed, growing_lock) = match self {
            Limit::LoginFailuresPerAccount => ("login_account", Duration::hours(1), 5, true),
            Limit::LoginFailuresPerIp => ("login_ip", Duration::hours(1), 20, true),
            Limit::StaffLoginFailuresPerUser => ("staff_login", Duration::hours(1), 5, true),
            Limit::RegistrationsPerIp => ("registration_ip", Duration::hours(1), 10, false),
            Limit::ActivationResendsPerAccount => {
                ("activation_resend", Duration::hours(1), 3, false)
            }
            Limit::MailRequestsPerIp => ("mail_request_ip", Duration::hours(1), 10, false),
            Limit::PasswordResetsPerEmail => ("password_reset_email", Duration::hours(1), 3, false),
        };
        Rule {
            bucket,
            window,
            allowed,
            growing_lock,
        }
    }
}

/// The longest a growing lock gets.
const MAX_LOCK: Duration = Duration::minutes(30);

/// Refused until this moment (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub NaiveDateTime);

/// Whether `subject` may try now under `limit`.
pub fn check(
    conn: &mut DbConn,
    limit: Limit,
    subject: &str,
    now: NaiveDateTime,
) -> diesel::QueryResult<Result<(), RetryAfter>> {
    let rule = limit.rule();
    let (count, last) = db::rate_limits::since(conn, rule.bucket, subject, now - rule.window)?;
    if count < rule.allowed {
        return Ok(Ok(()));
    }
    let Some(last) = last else {
        return Ok(Ok(()));
    };
    let until = if rule.growing_lock {
        // 1 min after the limit is reached, then 2, 4, 8 … minutes, at most MAX_LOCK.
        let doublings = (count - rule.allowed).clamp(0, 10) as u32;
        last + Duration::minutes(1_i64 << doublings).min(MAX_LOCK)
    } else {
        last + rule.window
    };
    Ok(if now < until {
        Err(RetryAfter(until))
    } else {
        Ok(())
    })
}

/// Counts one attempt against the limit.
pub fn hit(
    conn: &mut DbConn,
    limit: Limit,
    subject: &str,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    db::rate_limits::record(conn, limit.rule().bucket, subject, now)
}

/// Forgets the subject's attempts (after a successful login).
pub fn clear(conn: &mut DbConn, limit: Limit, subject: &str) -> diesel::QueryResult<()> {
    db::rate_limits::clear(conn, limit.rule().bucket, subject).map(|_| ())
}

/// True when this attempt is the one that reaches the limit (worth an audit entry).
pub fn just_reached(
    conn: &mut DbConn,
    limit: Limit,
    subject: &str,
    now: NaiveDateTime,
) -> diesel::QueryResult<bool> {
    let rule = limit.rule();
    let (count, _) = db::rate_limits::since(conn, rule.bucket, subject, now - rule.window)?;
    Ok(count == rule.allowed)
}
