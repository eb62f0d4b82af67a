//! The seller's KSeF settings: the environment (test, demo, production, or e-BOK's local server),
//! the KSeF token (sealed with the secrets-at-rest key and never shown again), and whether
//! consumer (B2C) invoices go to KSeF too (yes by default: one pipeline).
//!
//! Staff keep them in the panel (`ksef_settings`, one row). `EBOK_KSEF_ENV`, `EBOK_KSEF_URL` and
//! `EBOK_KSEF_TOKEN`, when set, win over the panel: an operator who configured the process that
//! way keeps it so.

use std::sync::OnceLock;

use chrono::NaiveDateTime;
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::app::crypto::{SecretBox, SecretKind};
use crate::db::ksef::KsefSettingsRow;
use crate::db::{self, DbConn};
use crate::ksef::environment::KsefEnvironment;

/// `EBOK_KSEF_*` as the process was started with.
#[derive(Clone, PartialEq, Eq)]
pub struct EnvSettings {
    pub environment: KsefEnvironment,
    /// Another API base URL (required with `local`).
    pub base_url: Option<String>,
    pub token: Option<String>,
}

impl std::fmt::Debug for EnvSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnvSettings")
            .field("environment", &self.environment)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Parses the `EBOK_KSEF_*` values; `Ok(None)` without `EBOK_KSEF_ENV`.
pub fn parse_env(
    environment: Option<String>,
    base_url: Option<String>,
    token: Option<String>,
) -> Result<Option<EnvSettings>, String> {
    let Some(environment) = non_empty(environment) else {
        return Ok(None);
    };
    let parsed = KsefEnvironment::parse(&environment).ok_or_else(|| {
        format!("EBOK_KSEF_ENV must be local, test, demo or production, not {environment:?}")
    })?;
    Ok(Some(EnvSettings {
        environment: parsed,
        base_url: non_empty(base_url),
        token: non_empty(token),
    }))
}

/// The process's `EBOK_KSEF_*`, read once.
pub fn from_env() -> Result<Option<EnvSettings>, String> {
    static FROM_ENV: OnceLock<Result<Option<EnvSettings>, String>> = OnceLock::new();
    FROM_ENV
        .get_or_init(|| {
            parse_env(
                std::env::var("EBOK_KSEF_ENV").ok(),
                std::env::var("EBOK_KSEF_URL").ok(),
                std::env::var("EBOK_KSEF_TOKEN").ok(),
            )
        })
        .clone()
}

/// The environment that wins: `EBOK_KSEF_ENV`, else the panel's, else production (a real
/// ISP's invoices are verified on the Ministry's production host).
pub fn resolve_environment(
    env: Option<&EnvSettings>,
    stored: Option<&KsefSettingsRow>,
) -> KsefEnvironment {
    env.map(|e| e.environment)
        .or_else(|| stored.and_then(|s| KsefEnvironment::parse(&s.environment)))
        .unwrap_or(KsefEnvironment::Production)
}

/// The KSeF environment invoices go to now (KOD I points at its verification host).
pub fn environment(conn: &mut DbConn) -> diesel::QueryResult<KsefEnvironment> {
    let env = from_env().ok().flatten();
    Ok(resolve_environment(
        env.as_ref(),
        db::ksef::settings(conn)?.as_ref(),
    ))
}

/// Where and as whom the sender sends.
#[derive(Clone, PartialEq, Eq)]
pub struct SendTarget {
    pub environment: KsefEnvironment,
    pub base_url: String,
    pub token: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("KSeF is not configured: choose the environment and enter the KSeF token")]
    NotConfigured,
    #[error("the KSeF token is missing: enter it in the seller's KSeF settings or EBOK_KSEF_TOKEN")]
    NoToken,
    #[error("the local KSeF server's address is unknown: set EBOK_KSEF_URL")]
    NoLocalUrl,
    #[error(
        "the stored KSeF token cannot be opened (EBOK_ENCRYPTION_KEY changed?): enter it again"
    )]
    Sealed,
}

/// Where to send: `env` when the process was started with `EBOK_KSEF_ENV`, else the panel's
/// settings. `local_url`: the address of a local KSeF server this process runs (`ebok demo`).
pub fn resolve_target(
    env: Option<&EnvSettings>,
    stored: Option<&KsefSettingsRow>,
    secrets: &SecretBox,
    local_url: Option<&str>,
) -> Result<SendTarget, TargetError> {
    let (environment, base_url, token) = match (env, stored) {
        (Some(env), _) => (env.environment, env.base_url.clone(), env.token.clone()),
        (None, Some(row)) => {
            let environment =
                KsefEnvironment::parse(&row.environment).ok_or(TargetError::NotConfigured)?;
            let token = match &row.token_ciphertext {
                Some(sealed) => Some(
                    secrets
                        .open(SecretKind::KsefToken, sealed)
                        .map_err(|_| TargetError::Sealed)?,
                ),
                None => None,
            };
            (environment, None, token)
        }
        (None, None) => return Err(TargetError::NotConfigured),
    };
    let base_url = match (base_url, environment.api_url(), local_url) {
        (Some(url), _, _) => url,
        (None, Some(url), _) => url.to_owned(),
        (None, None, Some(local)) => local.to_owned(),
        (None, None, None) => return Err(TargetError::NoLocalUrl),
    };
    Ok(SendTarget {
        environment,
        base_url,
        token: token.ok_or(TargetError::NoToken)?,
    })
}

/// Where the sender sends now, read afresh each pass so a change in the panel takes effect
/// without a restart.
pub fn send_target(
    conn: &mut DbConn,
    secrets: &SecretBox,
    env: Option<&EnvSettings>,
    local_url: Option<&str>,
) -> diesel::QueryResult<Result<SendTarget, TargetError>> {
    let stored = db::ksef::settings(conn)?;
    Ok(resolve_target(env, stored.as_ref(), secrets, local_url))
}

/// What the settings page shows. The token itself never leaves the database.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SettingsView {
    pub environment: KsefEnvironment,
    pub token_stored: bool,
    pub send_consumer_invoices: bool,
    /// Set when `EBOK_KSEF_ENV` decides instead (the page says so).
    pub env_environment: Option<KsefEnvironment>,
    pub env_token: bool,
    pub environments: Vec<KsefEnvironment>,
}

pub fn view(conn: &mut DbConn) -> diesel::QueryResult<SettingsView> {
    let stored = db::ksef::settings(conn)?;
    let env = from_env().ok().flatten();
    Ok(SettingsView {
        environment: stored
            .as_ref()
            .and_then(|s| KsefEnvironment::parse(&s.environment))
            .unwrap_or(KsefEnvironment::Test),
        token_stored: stored
            .as_ref()
            .is_some_and(|s| s.token_ciphertext.is_some()),
        send_consumer_invoices: stored.as_ref().is_none_or(|s| s.send_consumer_invoices),
        env_environment: env.as_ref().map(|e| e.environment),
        env_token: env.as_ref().is_some_and(|e| e.token.is_some()),
        environments: KsefEnvironment::ALL.to_vec(),
    })
}

/// What staff sent. An empty token keeps the stored one.
#[derive(Debug, Clone, Default)]
pub struct SettingsForm {
    pub environment: String,
    pub token: String,
    pub send_consumer_invoices: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("unknown KSeF environment")]
    Environment,
    #[error("the KSeF token cannot contain spaces or be that long")]
    Token,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Saves the settings (the token sealed), audited without the token.
pub fn save(
    conn: &mut DbConn,
    secrets: &SecretBox,
    form: &SettingsForm,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), SettingsError> {
    let environment =
        KsefEnvironment::parse(&form.environment).ok_or(SettingsError::Environment)?;
    let token = form.token.trim();
    if token.len() > 1000 || token.chars().any(char::is_whitespace) {
        return Err(SettingsError::Token);
    }
    db::write_transaction(conn, |conn| {
        let stored = db::ksef::settings(conn)?;
        let token_ciphertext = if token.is_empty() {
            stored.as_ref().and_then(|s| s.token_ciphertext.clone())
        } else {
            Some(secrets.seal(SecretKind::KsefToken, token))
        };
        db::ksef::save_settings(
            conn,
            &KsefSettingsRow {
                id: 1,
                environment: environment.as_str().into(),
                token_ciphertext,
                send_consumer_invoices: form.send_consumer_invoices,
                updated_at: now,
            },
        )?;
        audit::record(
            conn,
            actor,
            "ksef_settings_changed",
            json!({
                "environment": environment.as_str(),
                "token_replaced": !token.is_empty(),
                "send_consumer_invoices": form.send_consumer_invoices,
            }),
            now,
        )?;
        Ok(())
    })
}

/// `ebok demo`: the local KSeF server with its token, unless the seller has settings already.
pub fn ensure_demo(
    conn: &mut DbConn,
    secrets: &SecretBox,
    token: &str,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    if db::ksef::settings(conn)?.is_some() {
        return Ok(());
    }
    db::ksef::save_settings(
        conn,
        &KsefSettingsRow {
            id: 1,
            environment: KsefEnvironment::Local.as_str().into(),
            token_ciphertext: Some(secrets.seal(SecretKind::KsefToken, token)),
            send_consumer_invoices: true,
            updated_at: now,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets() -> SecretBox {
        SecretBox::new(&[7; 32]).unwrap()
    }

    fn row(environment: &str, token: Option<String>) -> KsefSettingsRow {
        KsefSettingsRow {
            id: 1,
            environment: environment.into(),
            token_ciphertext: token,
            send_consumer_invoices: true,
            updated_at: chrono::NaiveDateTime::default(),
        }
    }

    #[test]
    fn environment_variables_win_over_the_panel() {
        let env = parse_env(Some("demo".into()), None, Some("env-token".into()))
            .unwrap()
            .unwrap();
        let sealed = secrets().seal(SecretKind::KsefToken, "panel-token");
        let stored = row("test", Some(sealed));
        let target = resolve_target(Some(&env), Some(&stored), &secrets(), None).unwrap();
        assert_eq!(target.environment, KsefEnvironment::Demo);
        assert_eq!(target.base_url, "https://api-demo.ksef.mf.gov.pl/v2");
        assert_eq!(target.token, "env-token");
        assert_eq!(
            resolve_environment(Some(&env), Some(&stored)),
            KsefEnvironment::Demo
        );
        let panel = resolve_target(None, Some(&stored), &secrets(), None).unwrap();
        assert_eq!(panel.environment, KsefEnvironment::Test);
        assert_eq!(panel.token, "panel-token");
        assert_eq!(resolve_environment(None, None), KsefEnvironment::Production);
    }

    #[test]
    fn a_bad_environment_variable_is_one_sentence_naming_it() {
        let error = parse_env(Some("prod".into()), None, None).unwrap_err();
        assert!(error.contains("EBOK_KSEF_ENV"), "{error}");
        assert_eq!(parse_env(Some("  ".into()), None, None), Ok(None));
    }

    #[test]
    fn a_token_sealed_under_another_key_asks_to_be_entered_again() {
        let other = SecretBox::new(&[9; 32]).unwrap();
        let stored = row("test", Some(other.seal(SecretKind::KsefToken, "t")));
        assert_eq!(
            resolve_target(None, Some(&stored), &secrets(), None).err(),
            Some(TargetError::Sealed)
        );
        assert_eq!(
            resolve_target(
                None,
                Some(&row("local", None)),
                &secrets(),
                Some("http://x")
            )
            .err(),
            Some(TargetError::NoToken)
        );
        assert_eq!(
            resolve_target(None, None, &secrets(), None).err(),
            Some(TargetError::NotConfigured)
        );
    }
}
