//! Optional two-step login with TOTP (RFC 6238: 6 digits, 30 s, SHA-1, as every authenticator
//! app expects) and ten single-use recovery codes.

use chrono::NaiveDateTime;
use rand::Rng;
use serde_json::json;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::app::audit::{self, Actor};
use crate::app::crypto::{self, SecretBox, SecretKind};
use crate::app::mail_queue::{self, Outgoing, QueueError};
use crate::app::password_recheck::{self, RecheckError};
use crate::app::throttle::RetryAfter;
use crate::db::accounts::Account;
use crate::db::{self, DbConn};
use crate::mail::{Language, MailKind};

pub const RECOVERY_CODE_COUNT: usize = 10;
const ISSUER: &str = "e-BOK";

#[derive(Debug, thiserror::Error)]
pub enum TwoFactorError {
    #[error("the code is wrong")]
    WrongCode,
    #[error("the password is wrong")]
    WrongPassword,
    #[error("the secret is not valid")]
    BadSecret,
    #[error("two-step login is already on")]
    AlreadyEnabled,
    #[error("too many attempts")]
    Throttled(RetryAfter),
    #[error(transparent)]
    Mail(#[from] QueueError),
    #[error(transparent)]
    Sealed(#[from] crypto::OpenError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// A new random secret, base32 as authenticator apps take it.
pub fn new_secret() -> String {
    match Secret::generate_secret().to_encoded() {
        Secret::Encoded(text) => text,
        Secret::Raw(_) => String::new(),
    }
}

fn totp(secret: &str, login: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().ok()?;
    // Allow one step of clock drift either way; ':' is not allowed in the label.
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        bytes,
        Some(ISSUER.into()),
        login.replace(':', "_"),
    )
    .ok()
}

/// The `otpauth://` link an authenticator app reads from the QR code.
pub fn provisioning_url(secret: &str, login: &str) -> Option<String> {
    totp(secret, login).map(|t| t.get_url())
}

/// The QR code of the provisioning link as inline SVG (no image files, no scripts).
pub fn provisioning_qr_svg(secret: &str, login: &str) -> Option<String> {
    let url = provisioning_url(secret, login)?;
    let code = qrcode::QrCode::new(url.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
    )
}

/// The 30-second step whose code this is (the current one, or one either side for clock
/// drift), if the code is right.
pub fn matching_step(secret: &str, code: &str, login: &str, now: NaiveDateTime) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 {
        return None;
    }
    let totp = totp(secret, login)?;
    let now_step = now.and_utc().timestamp().max(0) / 30;
    (now_step - 1..=now_step + 1).find(|step| {
        let expected = totp.generate((step * 30).max(0) as u64);
        subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), code.as_bytes()).into()
    })
}

pub fn verify_code(secret: &str, code: &str, login: &str, now: NaiveDateTime) -> bool {
    matching_step(secret, code, login, now).is_some()
}

/// True when `code` is right for the key but its 30-second step was already used (the code
/// that just turned two-step login on, or a replay): the person should wait for the next code.
/// `account` as read before the attempt.
pub fn code_already_used(account: &Account, secret: &str, code: &str, now: NaiveDateTime) -> bool {
    matching_step(secret, code, &account.login, now)
        .is_some_and(|step| account.totp_last_step.is_some_and(|last| step <= last))
}

/// Accepts a code at most once: the step is recorded on the account, and a code of that step
/// or an earlier one is refused afterwards.
pub fn use_code(
    conn: &mut DbConn,
    account: &Account,
    secret: &str,
    code: &str,
    now: NaiveDateTime,
) -> diesel::QueryResult<bool> {
    match matching_step(secret, code, &account.login, now) {
        Some(step) => db::accounts::use_totp_step(conn, account.id, step),
        None => Ok(false),
    }
}

/// The current code, for tests and tools that play the authenticator.
pub fn current_code(secret: &str, login: &str, now: NaiveDateTime) -> Option<String> {
    totp(secret, login).map(|t| t.generate(now.and_utc().timestamp().max(0) as u64))
}

fn normalise_recovery_code(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase()
}

fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    (0..RECOVERY_CODE_COUNT)
        .map(|_| {
            let raw: String = (0..10)
                .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
                .collect();
            format!("{}-{}", &raw[..5], &raw[5..])
        })
        .collect()
}

pub fn use_recovery_code(
    conn: &mut DbConn,
    account_id: i64,
    code: &str,
    now: NaiveDateTime,
) -> diesel::QueryResult<bool> {
    let normalised = normalise_recovery_code(code);
    if normalised.len() != 10 {
        return Ok(false);
    }
    db::recovery_codes::use_code(conn, account_id, &crypto::token_hash(&normalised), now)
}

/// Turns two-step login on once the user proves they know the password and that their app
/// produces codes for `secret`. Refused while it is on (turning it off needs a code). Returns
/// the recovery codes, shown once.
#[allow(clippy::too_many_arguments)]
pub fn enable(
    conn: &mut DbConn,
    secrets: &SecretBox,
    account: &Account,
    password: &str,
    secret: &str,
    code: &str,
    actor: &Actor,
    outgoing: Outgoing<'_>,
    now: NaiveDateTime,
) -> Result<Vec<String>, TwoFactorError> {
    if account.totp_secret.is_some() {
        return Err(TwoFactorError::AlreadyEnabled);
    }
    check_password(conn, account, password, actor, now)?;
    if totp(secret, &account.login).is_none() {
        return Err(TwoFactorError::BadSecret);
    }
    let Some(step) = matching_step(secret, code, &account.login, now) else {
        audit::record(
            conn,
            actor,
            "two_factor_enable_refused",
            json!({ "reason": "code" }),
            now,
        )?;
        return Err(TwoFactorError::WrongCode);
    };
    let codes = new_recovery_codes();
    let hashes: Vec<String> = codes
        .iter()
        .map(|c| crypto::token_hash(&normalise_recovery_code(c)))
        .collect();
    db::write_transaction(conn, |conn| -> Result<(), TwoFactorError> {
        let sealed = secrets.seal(SecretKind::TotpKey, secret);
        db::accounts::set_totp_secret(conn, account.id, Some(&sealed))?;
        db::accounts::use_totp_step(conn, account.id, step)?;
        db::recovery_codes::replace(conn, account.id, &hashes, now)?;
        audit::record(conn, actor, "two_factor_enabled", json!({}), now)?;
        notify(conn, account, true, outgoing, now)?;
        Ok(())
    })?;
    Ok(codes)
}

/// A password re-entry on a signed-in account (see `password_recheck`).
fn check_password(
    conn: &mut DbConn,
    account: &Account,
    password: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), TwoFactorError> {
    password_recheck::recheck(conn, account, password, (actor, "two_factor"), now).map_err(
        |error| match error {
            RecheckError::Wrong => TwoFactorError::WrongPassword,
            RecheckError::Throttled(retry) => TwoFactorError::Throttled(retry),
            RecheckError::Database(error) => TwoFactorError::Database(error),
        },
    )
}

/// Turns it off; needs the password and a current code (or a recovery code).
#[allow(clippy::too_many_arguments)]
pub fn disable(
    conn: &mut DbConn,
    secrets: &SecretBox,
    account: &Account,
    password: &str,
    code: &str,
    actor: &Actor,
    outgoing: Outgoing<'_>,
    now: NaiveDateTime,
) -> Result<(), TwoFactorError> {
    check_password(conn, account, password, actor, now)?;
    let Some(sealed) = account.totp_secret.as_deref() else {
        return Ok(());
    };
    let secret = secrets.open(SecretKind::TotpKey, sealed)?;
    if !use_code(conn, account, &secret, code, now)?
        && !use_recovery_code(conn, account.id, code, now)?
    {
        audit::record(
            conn,
            actor,
            "two_factor_disable_refused",
            json!({ "reason": "code" }),
            now,
        )?;
        return Err(TwoFactorError::WrongCode);
    }
    db::write_transaction(conn, |conn| -> Result<(), TwoFactorError> {
        db::accounts::set_totp_secret(conn, account.id, None)?;
        db::recovery_codes::delete_all(conn, account.id)?;
        audit::record(conn, actor, "two_factor_disabled", json!({}), now)?;
        notify(conn, account, false, outgoing, now)?;
        Ok(())
    })
}

fn notify(
    conn: &mut DbConn,
    account: &Account,
    enabled: bool,
    outgoing: Outgoing<'_>,
    now: NaiveDateTime,
) -> Result<(), QueueError> {
    let mut context = outgoing.context();
    context.insert("login", &account.login);
    context.insert("enabled", &enabled);
    mail_queue::queue(
        conn,
        outgoing.templates,
        MailKind::TwoFactorChanged,
        &account.email,
        Language::from_code(&account.language),
        &context,
        now,
    )
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    #[test]
    fn rfc6238_sha1_vector_at_59_seconds() {
        // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s → 94287082 (8 digits);
        // with 6 digits the code is the last six.
        let secret = match Secret::Raw(b"12345678901234567890".to_vec()).to_encoded() {
            Secret::Encoded(text) => text,
            Secret::Raw(_) => unreachable!(),
        };
        let at = DateTime::from_timestamp(59, 0).unwrap().naive_utc();
        assert_eq!(current_code(&secret, "jan", at).as_deref(), Some("287082"));
        assert!(verify_code(&secret, "287 082", "jan", at));
        assert!(!verify_code(&secret, "287083", "jan", at));
    }

    #[test]
    fn a_code_from_the_previous_step_is_still_accepted_but_not_older() {
        let secret = new_secret();
        let now = DateTime::from_timestamp(1_800_000_000, 0)
            .unwrap()
            .naive_utc();
        let previous = current_code(&secret, "jan", now - chrono::Duration::seconds(30)).unwrap();
        let older = current_code(&secret, "jan", now - chrono::Duration::seconds(90)).unwrap();
        assert!(verify_code(&secret, &previous, "jan", now));
        assert!(older == previous || !verify_code(&secret, &older, "jan", now));
    }

    #[test]
    fn recovery_codes_are_ten_distinct_and_normalise_for_typing() {
        let codes = new_recovery_codes();
        assert_eq!(
            codes.iter().collect::<std::collections::HashSet<_>>().len(),
            RECOVERY_CODE_COUNT
        );
        assert_eq!(normalise_recovery_code(" ABCDE-fghjk "), "abcdefghjk");
    }

    #[test]
    fn provisioning_link_names_the_issuer_and_renders_as_svg() {
        let secret = new_secret();
        let url = provisioning_url(&secret, "jan.kowalski").unwrap();
        assert!(
            url.starts_with("otpauth://totp/e-BOK:jan.kowalski?"),
            "{url}"
        );
        assert!(
            provisioning_qr_svg(&secret, "jan.kowalski")
                .unwrap()
                .contains("<svg")
        );
    }
}
