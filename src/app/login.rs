//! Signing in: subscribers by login or e-mail + password (and a second factor when they turned
//! it on), staff by their own login. The answer for an unknown login is the same as for a wrong
//! password and takes as long; failures are throttled per account and per IP.

use crate::domain::AccountStatus;
use chrono::NaiveDateTime;
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::app::sessions::{self, ClientInfo, Principal, StartedSession};
use crate::app::throttle::{self, Limit, RetryAfter};
use crate::app::{crypto, two_factor};
use crate::db::accounts::Account;
use crate::db::{self, DbConn};

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Unknown login, wrong password or disabled account: one answer for all.
    #[error("login or password is wrong")]
    Invalid,
    #[error("too many failed attempts")]
    Throttled(RetryAfter),
    /// Told only to someone who knows the password.
    #[error("the account is not activated yet")]
    NotActivated,
    #[error("the code is wrong")]
    WrongCode,
    /// The right code, but of a 30-second step already used: wait for the next one.
    #[error("the code was already used")]
    CodeAlreadyUsed,
    #[error(transparent)]
    Sealed(#[from] crypto::OpenError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

pub enum LoginOutcome {
    SignedIn {
        session: StartedSession,
        account_id: i64,
    },
    /// The password was right; the account wants a TOTP or recovery code next.
    SecondFactorNeeded { account_id: i64 },
}

/// A PHC hash of a random password, verified when the login is unknown so that case costs the
/// same argon2 work as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    // A fixed, valid argon2id hash (of a random password) if hashing ever failed here.
    const FALLBACK: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$2YXh7wVDnHcp1dDY1qC/xhwFJ7rkPGKAtlbmb/tCKRU";
    DECOY.get_or_init(|| {
        crypto::hash_password(&crypto::random_token()).unwrap_or_else(|_| FALLBACK.to_owned())
    })
}

fn find_account(conn: &mut DbConn, identifier: &str) -> diesel::QueryResult<Option<Account>> {
    let identifier = identifier.trim().to_lowercase();
    if identifier.contains('@') {
        // An address shared by several accounts cannot say which one is meant.
        let mut matches = db::accounts::find_by_email(conn, &identifier)?;
        Ok(if matches.len() == 1 {
            matches.pop()
        } else {
            None
        })
    } else {
        db::accounts::find_by_login_key(conn, &identifier)
    }
}

fn ip_subject(client: &ClientInfo) -> String {
    throttle::ip_subject_of(client.ip.as_deref())
}

/// A browser that completed a login to an account before, known by the device cookie it was
/// given then (OWASP "device cookies"). Subscribers of one ISP often share a carrier-grade NAT
/// address, and anyone can type someone's login: so the per-IP and per-account locks, which
/// such strangers trip, do not apply to a browser that proves it signed in to this account
/// before; its own failures lock only itself. The cookie is encrypted and authenticated by the
/// web room, so its content cannot be made up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownDevice {
    pub account_id: i64,
    pub nonce: String,
}

impl KnownDevice {
    /// A new device token for a browser that has just signed in to `account_id`.
    pub fn issue(account_id: i64) -> KnownDevice {
        KnownDevice {
            account_id,
            nonce: crypto::random_token(),
        }
    }

    /// The cookie's value: `account_id:nonce`.
    pub fn to_cookie_value(&self) -> String {
        format!("{}:{}", self.account_id, self.nonce)
    }

    pub fn from_cookie_value(value: &str) -> Option<KnownDevice> {
        let (account, nonce) = value.split_once(':')?;
        Some(KnownDevice {
            account_id: account.parse().ok()?,
            nonce: nonce.to_owned(),
        })
        .filter(|device| !device.nonce.is_empty())
    }

    fn subject(&self) -> String {
        format!("device:{}", self.nonce)
    }
}

/// The lock(s) a login attempt on `account_subject` answers to: the device's own when the
/// browser signed in to this very account before, else the account's and the IP's.
fn locks_for(
    device: Option<&KnownDevice>,
    account_id: Option<i64>,
    account_subject: &str,
    client: &ClientInfo,
) -> Vec<(Limit, String)> {
    match device.filter(|d| Some(d.account_id) == account_id) {
        Some(device) => vec![(Limit::LoginFailuresPerDevice, device.subject())],
        None => vec![
            (Limit::LoginFailuresPerIp, ip_subject(client)),
            (Limit::LoginFailuresPerAccount, account_subject.to_owned()),
        ],
    }
}

/// The first step: identifier and password. `device` is the browser's device cookie, if any.
pub fn login(
    conn: &mut DbConn,
    identifier: &str,
    password: &str,
    client: &ClientInfo,
    device: Option<&KnownDevice>,
    now: NaiveDateTime,
) -> Result<LoginOutcome, LoginError> {
    let account = find_account(conn, identifier)?;
    let account_subject = match &account {
        Some(account) => format!("account:{}", account.id),
        None => format!("login:{}", identifier.trim().to_lowercase()),
    };
    let locks = locks_for(
        device,
        account.as_ref().map(|a| a.id),
        &account_subject,
        client,
    );
    for (limit, subject) in &locks {
        if let Err(retry) = throttle::check(conn, *limit, subject, now)? {
            return Err(LoginError::Throttled(retry));
        }
    }
    let stored_hash = account
        .as_ref()
        .map(|a| a.password_hash.as_str())
        .unwrap_or_else(|| decoy_hash());
    let password_ok = crypto::verify_password(password, stored_hash) && account.is_some();
    let usable = account
        .as_ref()
        .filter(|a| a.status != AccountStatus::Disabled);
    let Some(account) = usable.filter(|_| password_ok) else {
        record_failure(conn, account.as_ref(), &locks, client, now)?;
        return Err(LoginError::Invalid);
    };
    if account.status == AccountStatus::Pending {
        return Err(LoginError::NotActivated);
    }
    if account.totp_secret.is_some() {
        return Ok(LoginOutcome::SecondFactorNeeded {
            account_id: account.id,
        });
    }
    let session = finish_login(conn, account, client, &locks, "password", now)?;
    Ok(LoginOutcome::SignedIn {
        session,
        account_id: account.id,
    })
}

/// The second step for accounts with two-step login: a TOTP code or an unused recovery code.
pub fn login_second_factor(
    conn: &mut DbConn,
    secrets: &crypto::SecretBox,
    account_id: i64,
    code: &str,
    client: &ClientInfo,
    device: Option<&KnownDevice>,
    now: NaiveDateTime,
) -> Result<StartedSession, LoginError> {
    let account = db::accounts::find(conn, account_id)?
        .filter(|a| a.status == AccountStatus::Active)
        .ok_or(LoginError::Invalid)?;
    let account_subject = format!("account:{}", account.id);
    // Only the account's (or the device's) lock: the password was right, so the IP lock,
    // which is for guessing passwords, has nothing to add here.
    let locks: Vec<(Limit, String)> = locks_for(device, Some(account.id), &account_subject, client)
        .into_iter()
        .filter(|(limit, _)| *limit != Limit::LoginFailuresPerIp)
        .collect();
    for (limit, subject) in &locks {
        if let Err(retry) = throttle::check(conn, *limit, subject, now)? {
            return Err(LoginError::Throttled(retry));
        }
    }
    let Some(sealed) = account.totp_secret.as_deref() else {
        return Err(LoginError::Invalid);
    };
    let secret = secrets.open(crypto::SecretKind::TotpKey, sealed)?;
    let via = if two_factor::use_code(conn, &account, &secret, code, now)? {
        "totp"
    } else if two_factor::use_recovery_code(conn, account.id, code, now)? {
        "recovery_code"
    } else {
        record_failure(conn, Some(&account), &locks, client, now)?;
        if two_factor::code_already_used(&account, &secret, code, now) {
            return Err(LoginError::CodeAlreadyUsed);
        }
        return Err(LoginError::WrongCode);
    };
    finish_login(conn, &account, client, &locks, via, now)
}

fn finish_login(
    conn: &mut DbConn,
    account: &Account,
    client: &ClientInfo,
    locks: &[(Limit, String)],
    via: &str,
    now: NaiveDateTime,
) -> Result<StartedSession, LoginError> {
    // The per-IP count stays: a right password from one address says nothing about the
    // guesses others made from it.
    for (limit, subject) in locks {
        if *limit != Limit::LoginFailuresPerIp {
            throttle::clear(conn, *limit, subject)?;
        }
    }
    db::accounts::record_login(conn, account.id, now)?;
    let session = sessions::start(conn, Principal::Account(account.id), client, now)?;
    audit::record(
        conn,
        &Actor::account(account.id, account.customer_id, client.ip.clone()),
        "login_success",
        json!({ "user_agent": client.user_agent, "via": via }),
        now,
    )?;
    Ok(session)
}

fn record_failure(
    conn: &mut DbConn,
    account: Option<&Account>,
    locks: &[(Limit, String)],
    client: &ClientInfo,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    for (limit, subject) in locks {
        throttle::hit(conn, *limit, subject, now)?;
    }
    let actor = match account {
        Some(account) => Actor::account(account.id, account.customer_id, client.ip.clone()),
        None => Actor::anonymous(client.ip.clone()),
    };
    audit::record(
        conn,
        &actor,
        "login_failure",
        json!({ "user_agent": client.user_agent }),
        now,
    )?;
    for (limit, subject) in locks {
        if *limit != Limit::LoginFailuresPerIp
            && throttle::just_reached(conn, *limit, subject, now)?
        {
            // A device's nonce is its credential: the log names the kind, not the value.
            let subject = match limit {
                Limit::LoginFailuresPerDevice => "device",
                _ => subject.as_str(),
            };
            audit::record(conn, &actor, "lockout", json!({ "subject": subject }), now)?;
        }
    }
    Ok(())
}

/// Staff sign in at `/staff/login` with their own accounts; throttled like subscribers.
pub fn staff_login(
    conn: &mut DbConn,
    login: &str,
    password: &str,
    client: &ClientInfo,
    now: NaiveDateTime,
) -> Result<StartedSession, LoginError> {
    let login_key = login.trim().to_lowercase();
    let staff = db::staff::find_by_login_key(conn, &login_key)?;
    let subject = match &staff {
        Some(staff) => format!("staff:{}", staff.id),
        None => format!("login:{login_key}"),
    };
    let ip = ip_subject(client);
    for (limit, subject) in [
        (Limit::LoginFailuresPerIp, &ip),
        (Limit::StaffLoginFailuresPerUser, &subject),
    ] {
        if let Err(retry) = throttle::check(conn, limit, subject, now)? {
            return Err(LoginError::Throttled(retry));
        }
    }
    let stored_hash = staff
        .as_ref()
        .map(|s| s.password_hash.as_str())
        .unwrap_or_else(|| decoy_hash());
    let password_ok = crypto::verify_password(password, stored_hash);
    let Some(staff) = staff.filter(|s| s.active && password_ok) else {
        throttle::hit(conn, Limit::StaffLoginFailuresPerUser, &subject, now)?;
        throttle::hit(conn, Limit::LoginFailuresPerIp, &ip, now)?;
        audit::record(
            conn,
            &Actor::anonymous(client.ip.clone()),
            "staff_login_failure",
            json!({ "login": login_key, "user_agent": client.user_agent }),
            now,
        )?;
        return Err(LoginError::Invalid);
    };
    db::write_transaction(conn, |conn| {
        throttle::clear(conn, Limit::StaffLoginFailuresPerUser, &subject)?;
        db::staff::record_login(conn, staff.id, now)?;
        let session = sessions::start(conn, Principal::Staff(staff.id), client, now)?;
        audit::record(
            conn,
            &Actor::staff(staff.id, client.ip.clone()),
            "staff_login_success",
            json!({ "user_agent": client.user_agent }),
            now,
        )?;
        Ok(session)
    })
}

/// The language of the account a just-started session signs in (the welcome after login speaks
/// it, while the form just sent spoke the visitor's).
pub fn session_language(conn: &mut DbConn, token: &str) -> diesel::QueryResult<Option<String>> {
    let hash = crypto::token_hash(token);
    let Some(account_id) = db::sessions::find_open(conn, &hash)?.and_then(|s| s.account_id) else {
        return Ok(None);
    };
    Ok(db::accounts::find(conn, account_id)?.map(|account| account.language))
}
