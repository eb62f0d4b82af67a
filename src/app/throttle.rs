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
    /// Failed logins from a browser that signed in to the account before (its device cookie):
    /// such a browser is kept out of the two locks above, and has this one of its own.
    LoginFailuresPerDevice,
    StaffLoginFailuresPerUser,
    RegistrationsPerIp,
    ActivationResendsPerAccount,
    MailRequestsPerIp,
    PasswordResetsPerEmail,
    /// Identity proofs (registrations) naming one contract number, whoever sends them: stops
    /// someone who knows a contract number and e-mail from working through PESELs.
    IdentityProofsPerContract,
    /// Password re-entries on a signed-in account (changes of password, e-mail, two-step login).
    PasswordChecksPerAccount,
    /// Confirmation mails for e-mail changes from one account.
    EmailChangesPerAccount,
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
            Limit::LoginFailuresPerDevice => ("login_device", Duration::hours(1), 5, true),
            Limit::StaffLoginFailuresPerUser => ("staff_login", Duration::hours(1), 5, true),
            Limit::RegistrationsPerIp => ("registration_ip", Duration::hours(1), 10, false),
            Limit::ActivationResendsPerAccount => {
                ("activation_resend", Duration::hours(1), 3, false)
            }
            Limit::MailRequestsPerIp => ("mail_request_ip", Duration::hours(1), 10, false),
            Limit::PasswordResetsPerEmail => ("password_reset_email", Duration::hours(1), 3, false),
            Limit::IdentityProofsPerContract => {
                ("identity_contract", Duration::hours(24), 10, false)
            }
            Limit::PasswordChecksPerAccount => ("password_check", Duration::hours(1), 5, true),
            Limit::EmailChangesPerAccount => ("email_change", Duration::hours(1), 3, false),
        };
        Rule {
            bucket,
            window,
            allowed,
            growing_lock,
        }
    }
}

/// The subject for per-IP limits. IPv6 addresses count by their /64: one subscriber line gets a
/// whole /64, so single addresses would give an attacker billions of buckets.
pub fn ip_subject(ip: Option<std::net::IpAddr>) -> String {
    match ip {
        Some(std::net::IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Some(ip) => ip.to_string(),
        None => "unknown".into(),
    }
}

/// The same, from the address text stored with a session or audit entry.
pub fn ip_subject_of(ip: Option<&str>) -> String {
    ip_subject(ip.and_then(|text| text.parse().ok()))
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

/// Drops attempts older than any window (called now and then by the background worker).
pub fn purge_old(conn: &mut DbConn, now: NaiveDateTime) -> diesel::QueryResult<usize> {
    db::rate_limits::purge_before(conn, now - Duration::days(2))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_of_one_line_share_a_bucket() {
        let a = ip_subject(Some("2001:db8:1:2:aaaa::1".parse().unwrap()));
        let b = ip_subject(Some("2001:db8:1:2:ffff::9".parse().unwrap()));
        assert_eq!(a, b);
        assert_eq!(
            ip_subject(Some("203.0.113.7".parse().unwrap())),
            "203.0.113.7"
        );
        assert_eq!(ip_subject(None), "unknown");
    }
}
