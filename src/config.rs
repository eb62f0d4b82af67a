//! Typed configuration: `[<profile>.ebok]` in `Rocket.toml`, overridden by `EBOK_*` environment
//! variables (e.g. `EBOK_DATABASE_URL`, `EBOK_DATA_DIR`). Rocket's own settings (address, port,
//! secret key) stay Rocket's: `Rocket.toml` and `ROCKET_*`.
//!
//! Loading reads raw values first and then checks them one by one, so every mistake ends in one
//! sentence that names the setting to fix.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rand::RngCore;
use rocket::figment::Figment;
use rocket::figment::providers::{Env, Serialized};
use serde::Deserialize;

use crate::db::{DatabaseUrl, DatabaseUrlError};

mod payu;
pub use payu::PayuConfig;

/// `development` (the embedded default: secrets generated into the data dir) or `production`
/// (secrets must come from configuration, so every node of a cluster shares them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone)]
pub struct DatabaseConfig {
    pub url: DatabaseUrl,
    pub pool_size: u32,
}

#[derive(Debug, Clone)]
pub struct PathsConfig {
    pub data_dir: PathBuf,
    /// Issued invoice PDFs (`invoices/YYYY/MM/…`); may be shared storage.
    pub invoices_dir: PathBuf,
    /// Files attached to support tickets (`YYYY/MM/<random>`); outside the web root, served only
    /// through the ticket pages' access checks. Defaults to `<data_dir>/attachments`.
    pub attachments_dir: PathBuf,
    pub templates_dir: PathBuf,
    pub assets_dir: PathBuf,
}

#[derive(Clone)]
pub struct SecurityConfig {
    /// Rocket's key for private (encrypted) cookies, 64 bytes.
    pub secret_key: Vec<u8>,
    /// HMAC key for PESEL hashes. Losing it makes stored hashes unmatchable, so it is kept apart
    /// from the cookie key, which may be rotated.
    pub pesel_key: Vec<u8>,
    /// Seals TOTP secrets and PPPoE passwords at rest, under `EBOK_ENCRYPTION_KEY` (AES-256-GCM,
    /// 32 bytes). Losing the key turns off every two-step login and PPPoE reveal.
    pub secrets: crate::app::crypto::SecretBox,
}

impl std::fmt::Debug for SecurityConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecurityConfig { .. }")
    }
}

/// How mail leaves the portal.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `smtp://…` (plain, tests), `smtp://…?tls=required` (STARTTLS) or `smtps://…` (TLS); without
    /// it, mail is written as `.eml` files under `files_dir` and its links are logged.
    pub smtp_url: Option<String>,
    /// The From: of every message, e.g. `Biuro Obsługi <bok@isp.pl>`.
    pub from: String,
    pub files_dir: PathBuf,
    /// Deliver the outbox in the background of `ebok serve` (tests deliver by hand).
    pub run_sender: bool,
}

/// How the portal meets the outside world.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The address users reach the portal at; links in e-mails start with it, and forms are
    /// accepted only from its origin.
    pub public_url: String,
    /// Peers allowed to tell us the client's address in `X-Real-IP` (the reverse proxy).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The "Classcom rule": registration only from an IP assigned to the contract's endpoints.
    pub registration_from_own_connection: bool,
    /// The bearer token `/metrics` asks for; without one the page is not served.
    pub metrics_token: Option<String>,
}

/// When the portal starts telling a subscriber that something needs action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoticeConfig {
    /// A service that expires within this many days.
    pub service_days: i64,
    /// A domain that expires within this many days.
    pub domain_days: i64,
    /// A fixed-term contract that ends within this many days.
    pub contract_days: i64,
    /// Prepaid credit (grosze) below which the subscriber is told to top up.
    pub low_balance: i64,
}

impl Default for NoticeConfig {
    fn default() -> NoticeConfig {
        NoticeConfig {
            service_days: 7,
            domain_days: 30,
            contract_days: 60,
            low_balance: 1500,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub environment: Environment,
    pub database: DatabaseConfig,
    pub paths: PathsConfig,
    pub security: SecurityConfig,
    pub mail: MailConfig,
    pub web: WebConfig,
    pub notices: NoticeConfig,
    /// How many days raw 5-minute traffic counters are kept (`EBOK_TRAFFIC_RAW_DAYS`, 1–366,
    /// 14 by default); hourly and daily sums are kept for good.
    pub traffic_raw_days: i64,
    /// Online payments through PayU (`EBOK_PAYU_*`); `None`: the portal takes no online payments.
    pub payu: Option<PayuConfig>,
    /// Rocket's own settings (address, port, workers, limits).
    pub rocket: Figment,
}

/// A configuration mistake, said in one sentence that names the setting.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("EBOK_ENV: \"{0}\" is not an environment; use development or production")]
    UnknownEnvironment(String),
    /// Not a `#[source]`: the message already says it, and `{:#}` would print it twice.
    #[error("EBOK_DATABASE_URL: {0}")]
    DatabaseUrl(DatabaseUrlError),
    #[error("EBOK_DATABASE_POOL_SIZE: the pool needs at least one connection")]
    PoolSize,
    #[error("EBOK_DATA_DIR: cannot use {path} as the data directory: {reason}")]
    DataDir { path: String, reason: String },
    #[error("EBOK_INVOICES_DIR: cannot use {path} for invoice PDFs: {reason}")]
    InvoicesDir { path: String, reason: String },
    #[error("EBOK_ATTACHMENTS_DIR: cannot use {path} for ticket attachments: {reason}")]
    AttachmentsDir { path: String, reason: String },
    #[error("{setting}: {reason}")]
    Secret {
        setting: &'static str,
        reason: String,
    },
    #[error("EBOK_SMTP_URL: {0}")]
    SmtpUrl(String),
    #[error("EBOK_MAIL_FROM: \"{0}\" is not a mailbox like \"Biuro Obsługi <bok@isp.pl>\"")]
    MailFrom(String),
    #[error("EBOK_PUBLIC_URL: \"{0}\" must start with http:// or https://")]
    PublicUrl(String),
    #[error("EBOK_TRUSTED_PROXIES: \"{0}\" is not an IP address or network like 10.0.0.0/8")]
    TrustedProxy(String),
    #[error("{0}: must be a whole number of days between 1 and 366")]
    NoticeDays(&'static str),
    #[error(
        "EBOK_NOTICE_LOW_BALANCE_GROSZE: must be a non-negative amount in grosze (1500 = 15 zł)"
    )]
    LowBalance,
    #[error("EBOK_TRAFFIC_RAW_DAYS: must be a whole number of days from 1 to 366")]
    TrafficRawDays,
    #[error("EBOK_METRICS_TOKEN: use at least 24 characters (e.g. `openssl rand -hex 16`)")]
    MetricsToken,
    #[error("{0}")]
    Payu(String),
    #[error("configuration could not be read: {0}")]
    Unreadable(String),
}

/// What may be written in `[<profile>.ebok]` or as `EBOK_<NAME>`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawConfig {
    env: Option<String>,
    database_url: Option<String>,
    database_pool_size: Option<u32>,
    data_dir: Option<PathBuf>,
    invoices_dir: Option<PathBuf>,
    attachments_dir: Option<PathBuf>,
    templates_dir: Option<PathBuf>,
    assets_dir: Option<PathBuf>,
    pesel_key: Option<String>,
    encryption_key: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    public_url: Option<String>,
    /// A list, or one string of addresses separated by commas or spaces (handy in env vars).
    trusted_proxies: Option<StringList>,
    registration_from_own_connection: Option<bool>,
    metrics_token: Option<String>,
    notice_service_days: Option<i64>,
    notice_domain_days: Option<i64>,
    notice_contract_days: Option<i64>,
    notice_low_balance_grosze: Option<i64>,
    traffic_raw_days: Option<i64>,
    payu_url: Option<String>,
    payu_pos_id: Option<payu::Scalar>,
    payu_client_id: Option<payu::Scalar>,
    payu_client_secret: Option<String>,
    payu_second_key: Option<String>,
    payu_notify_url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum StringList {
    One(String),
    Many(Vec<String>),
}

impl StringList {
    fn items(&self) -> Vec<String> {
        match self {
            StringList::One(text) => text
                .split([',', ' '])
                .filter(|item| !item.trim().is_empty())
                .map(|item| item.trim().to_owned())
                .collect(),
            StringList::Many(items) => items.clone(),
        }
    }
}

/// Connections per instance when `EBOK_DATABASE_POOL_SIZE` is not set. SQLite reads run in
/// process and only use CPU, so a few connections per core suffice. PostgreSQL serves each
/// connection with a process of its own, and more busy backends than the machine has cores were
/// slower, not faster: on the 2-core development machine (dashboard, 32 concurrent requests,
/// requests taking turns for connections) p99 was 17 ms with 4 connections, 16 ms with 8, and
/// 0.13–0.8 s with 12, 16 or 32, where the server logged `SELECT 1` taking over 100 ms.
/// Requests beyond the pool wait their turn in order (`web::guards::DbTurns`). Connections are
/// opened as they are needed.
fn default_pool_size(url: &DatabaseUrl) -> u32 {
    match url {
        DatabaseUrl::Sqlite(_) => 10,
        DatabaseUrl::Postgres(_) => 8,
    }
}

impl Config {
    /// Reads `Rocket.toml` (or `ROCKET_CONFIG`) and the environment.
    pub fn load() -> Result<Config, ConfigError> {
        let (raw, rocket) = read_raw()?;
        Config::from_raw(raw, rocket)
    }

    /// Where the data lives, read without touching the keys: a restore must see the data dir as
    /// it is, and `load` would generate fresh keys into an empty one.
    pub fn storage_places() -> Result<StoragePlaces, ConfigError> {
        let (raw, _rocket) = read_raw()?;
        StoragePlaces::from_raw(&raw)
    }

    /// A development configuration rooted in `data_dir`, for tests and tools.
    pub fn for_data_dir(
        data_dir: &Path,
        database_url: Option<DatabaseUrl>,
    ) -> Result<Config, ConfigError> {
        let raw = RawConfig {
            data_dir: Some(data_dir.to_path_buf()),
            invoices_dir: Some(data_dir.join("invoices")),
            database_url: database_url.map(|url| match url {
                DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
                DatabaseUrl::Postgres(url) => url,
            }),
            ..RawConfig::default()
        };
        let rocket = Figment::from(rocket::Config::debug_default())
            .merge(Serialized::default("log_level", "off"))
            .merge(Serialized::default("ip_header", false));
        Config::from_raw(raw, rocket)
    }

    fn from_raw(raw: RawConfig, rocket: Figment) -> Result<Config, ConfigError> {
        let notices = notice_config(&raw)?;
        let traffic_raw_days = match raw.traffic_raw_days {
            None => 14,
            Some(days) if (1..=366).contains(&days) => days,
            Some(_) => return Err(ConfigError::TrafficRawDays),
        };
        let StoragePlaces {
            environment,
            database_url: url,
            data_dir,
            invoices_dir,
            attachments_dir,
        } = StoragePlaces::from_raw(&raw)?;
        let payu = payu::from_settings(payu::Settings {
            url: raw.payu_url.as_deref(),
            pos_id: raw.payu_pos_id.map(payu::Scalar::text).as_deref(),
            client_id: raw.payu_client_id.map(payu::Scalar::text).as_deref(),
            client_secret: raw.payu_client_secret.as_deref(),
            second_key: raw.payu_second_key.as_deref(),
            notify_url: raw.payu_notify_url.as_deref(),
        })
        .map_err(ConfigError::Payu)?;
        let pool_size = raw
            .database_pool_size
            .unwrap_or_else(|| default_pool_size(&url));
        if pool_size == 0 {
            return Err(ConfigError::PoolSize);
        }
        let security = SecurityConfig {
            secret_key: rocket_secret_key(environment, &rocket, &data_dir)?,
            pesel_key: pesel_key(environment, raw.pesel_key.as_deref(), &data_dir)?,
            secrets: secret_box(encryption_key(
                environment,
                raw.encryption_key.as_deref(),
                &data_dir,
            )?)?,
        };
        let mail = MailConfig {
            smtp_url: check_smtp_url(raw.smtp_url)?,
            from: check_mail_from(raw.mail_from)?,
            files_dir: data_dir.join("mail"),
            run_sender: true,
        };
        let web = WebConfig {
            public_url: check_public_url(raw.public_url, &rocket)?,
            trusted_proxies: parse_trusted_proxies(raw.trusted_proxies.as_ref())?,
            registration_from_own_connection: raw.registration_from_own_connection.unwrap_or(false),
            metrics_token: check_metrics_token(raw.metrics_token)?,
        };
        Ok(Config {
            environment,
            database: DatabaseConfig { url, pool_size },
            mail,
            web,
            notices,
            traffic_raw_days,
            payu,
            paths: PathsConfig {
                data_dir,
                invoices_dir,
                attachments_dir,
                templates_dir: resource_dir(raw.templates_dir, "templates"),
                assets_dir: resource_dir(raw.assets_dir, "assets"),
            },
            security,
            rocket,
        })
    }
}

/// The key files the embedded default keeps in the data dir (production takes them from the
/// environment instead). Backups carry them; without the PESEL key registration cannot match
/// contracts, without the encryption key TOTP secrets and PPPoE passwords cannot be read.
pub const KEY_FILES: [&str; 3] = ["secret_key", "pesel_key", "encryption_key"];

/// Where e-BOK stores what it keeps: the database and the three directories.
#[derive(Debug, Clone)]
pub struct StoragePlaces {
    pub environment: Environment,
    pub database_url: DatabaseUrl,
    pub data_dir: PathBuf,
    pub invoices_dir: PathBuf,
    pub attachments_dir: PathBuf,
}

impl StoragePlaces {
    fn from_raw(raw: &RawConfig) -> Result<StoragePlaces, ConfigError> {
        let environment = match raw.env.as_deref().map(str::trim) {
            None | Some("") | Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(other) => return Err(ConfigError::UnknownEnvironment(other.to_owned())),
        };
        let data_dir = raw
            .data_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("data"));
        ensure_writable_dir(&data_dir).map_err(|reason| ConfigError::DataDir {
            path: data_dir.display().to_string(),
            reason,
        })?;
        let invoices_dir = raw
            .invoices_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("invoices"));
        ensure_writable_dir(&invoices_dir).map_err(|reason| ConfigError::InvoicesDir {
            path: invoices_dir.display().to_string(),
            reason,
        })?;
        let attachments_dir = raw
            .attachments_dir
            .clone()
            .unwrap_or_else(|| data_dir.join("attachments"));
        ensure_writable_dir(&attachments_dir).map_err(|reason| ConfigError::AttachmentsDir {
            path: attachments_dir.display().to_string(),
            reason,
        })?;
        let database_url = match &raw.database_url {
            Some(url) => DatabaseUrl::parse(url).map_err(ConfigError::DatabaseUrl)?,
            None => DatabaseUrl::sqlite_file(&data_dir.join("ebok.sqlite3")),
        };
        Ok(StoragePlaces {
            environment,
            database_url,
            data_dir,
            invoices_dir,
            attachments_dir,
        })
    }
}

/// `Rocket.toml` (or `ROCKET_CONFIG`) with the `EBOK_*` variables over its `[ebok]` table.
fn read_raw() -> Result<(RawConfig, Figment), ConfigError> {
    let rocket = rocket::Config::figment();
    let raw: RawConfig = rocket
        .clone()
        .merge(
            Env::prefixed("EBOK_")
                .map(|key| format!("ebok.{key}").into())
                .global(),
        )
        .extract_inner::<RawConfig>("ebok")
        .or_else(|e| {
            if e.missing() {
                Ok(RawConfig::default())
            } else {
                Err(ConfigError::Unreadable(e.to_string()))
            }
        })?;
    Ok((raw, rocket))
}

fn notice_config(raw: &RawConfig) -> Result<NoticeConfig, ConfigError> {
    let defaults = NoticeConfig::default();
    let days = |value: Option<i64>, default: i64, setting: &'static str| match value {
        None => Ok(default),
        Some(days) if (1..=366).contains(&days) => Ok(days),
        Some(_) => Err(ConfigError::NoticeDays(setting)),
    };
    Ok(NoticeConfig {
        service_days: days(
            raw.notice_service_days,
            defaults.service_days,
            "EBOK_NOTICE_SERVICE_DAYS",
        )?,
        domain_days: days(
            raw.notice_domain_days,
            defaults.domain_days,
            "EBOK_NOTICE_DOMAIN_DAYS",
        )?,
        contract_days: days(
            raw.notice_contract_days,
            defaults.contract_days,
            "EBOK_NOTICE_CONTRACT_DAYS",
        )?,
        low_balance: match raw.notice_low_balance_grosze {
            None => defaults.low_balance,
            Some(grosze) if grosze >= 0 => grosze,
            Some(_) => return Err(ConfigError::LowBalance),
        },
    })
}

fn check_metrics_token(raw: Option<String>) -> Result<Option<String>, ConfigError> {
    match raw.map(|token| token.trim().to_owned()) {
        None => Ok(None),
        Some(token) if token.is_empty() => Ok(None),
        Some(token) if token.len() < 24 => Err(ConfigError::MetricsToken),
        Some(token) => Ok(Some(token)),
    }
}

fn check_smtp_url(raw: Option<String>) -> Result<Option<String>, ConfigError> {
    let Some(url) = raw
        .map(|url| url.trim().to_owned())
        .filter(|url| !url.is_empty())
    else {
        return Ok(None);
    };
    lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(&url)
        .map_err(|e| ConfigError::SmtpUrl(format!("cannot use it: {e}")))?;
    Ok(Some(url))
}

const DEFAULT_MAIL_FROM: &str = "e-BOK <ebok@localhost>";

fn check_mail_from(raw: Option<String>) -> Result<String, ConfigError> {
    let from = raw.unwrap_or_else(|| DEFAULT_MAIL_FROM.to_owned());
    from.parse::<lettre::message::Mailbox>()
        .map_err(|_| ConfigError::MailFrom(from.clone()))?;
    Ok(from)
}

fn check_public_url(raw: Option<String>, rocket: &Figment) -> Result<String, ConfigError> {
    let url = match raw {
        Some(url) => url.trim().trim_end_matches('/').to_owned(),
        None => {
            let address: String = rocket
                .extract_inner("address")
                .unwrap_or_else(|_| "127.0.0.1".into());
            let port: u16 = rocket.extract_inner("port").unwrap_or(8000);
            format!("http://{address}:{port}")
        }
    };
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(url)
    } else {
        Err(ConfigError::PublicUrl(url))
    }
}

fn parse_trusted_proxies(raw: Option<&StringList>) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    raw.map(StringList::items)
        .unwrap_or_default()
        .into_iter()
        .map(|item| {
            item.parse::<ipnet::IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| ConfigError::TrustedProxy(item.clone()))
        })
        .collect()
}

/// Creates the directory if needed and proves we can write into it, so a read-only mount fails
/// at start with a clear message instead of at the first invoice.
fn ensure_writable_dir(dir: &Path) -> Result<(), String> {
    fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    // A probe of its own: a billing run and a backup started together (or two nodes sharing
    // the folder) must not delete each other's probe between its write and its removal.
    let probe = dir.join(private_file_name(".ebok-write-test"));
    fs::write(&probe, b"ok").map_err(|e| e.to_string())?;
    fs::remove_file(&probe).map_err(|e| e.to_string())
}

/// `stem` made unique to this process and call, for a scratch file beside shared ones.
fn private_file_name(stem: &str) -> String {
    format!(
        "{stem}-{}-{:016x}",
        std::process::id(),
        rand::thread_rng().next_u64()
    )
}

/// Templates and assets ship beside the binary; when run from elsewhere (e.g. `cargo test` in a
/// sub-directory) fall back to the crate's own copies.
fn resource_dir(configured: Option<PathBuf>, name: &str) -> PathBuf {
    if let Some(dir) = configured {
        return dir;
    }
    let local = PathBuf::from(name);
    if local.is_dir() {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

fn rocket_secret_key(
    environment: Environment,
    rocket: &Figment,
    data_dir: &Path,
) -> Result<Vec<u8>, ConfigError> {
    const SETTING: &str = "ROCKET_SECRET_KEY";
    if let Ok(configured) = rocket.extract_inner::<String>("secret_key") {
        return decode_key(SETTING, &configured, 32);
    }
    match environment {
        Environment::Production => Err(ConfigError::Secret {
            setting: SETTING,
            reason: "production needs a fixed key shared by every node; generate one with \
                     `openssl rand -base64 64`"
                .into(),
        }),
        Environment::Development => stored_or_new_key(SETTING, &data_dir.join("secret_key"), 64),
    }
}

fn pesel_key(
    environment: Environment,
    configured: Option<&str>,
    data_dir: &Path,
) -> Result<Vec<u8>, ConfigError> {
    const SETTING: &str = "EBOK_PESEL_KEY";
    if let Some(key) = configured {
        return decode_key(SETTING, key, 32);
    }
    match environment {
        Environment::Production => Err(ConfigError::Secret {
            setting: SETTING,
            reason: "production needs a fixed key for PESEL hashes (keep it safe: without it \
                     registration cannot match contracts); generate one with `openssl rand -base64 32`"
                .into(),
        }),
        Environment::Development => stored_or_new_key(SETTING, &data_dir.join("pesel_key"), 32),
    }
}

fn encryption_key(
    environment: Environment,
    configured: Option<&str>,
    data_dir: &Path,
) -> Result<Vec<u8>, ConfigError> {
    const SETTING: &str = "EBOK_ENCRYPTION_KEY";
    let key = match (configured, environment) {
        (Some(key), _) => decode_key(SETTING, key, 32)?,
        (None, Environment::Production) => {
            return Err(ConfigError::Secret {
                setting: SETTING,
                reason: "production needs a fixed key sealing TOTP secrets and PPPoE passwords \
                         (keep it safe: without it they cannot be read); generate one with \
                         `openssl rand -base64 32`"
                    .into(),
            });
        }
        (None, Environment::Development) => {
            stored_or_new_key(SETTING, &data_dir.join("encryption_key"), 32)?
        }
    };
    // AES-256 takes exactly 32 bytes; a longer key would be silently cut.
    if key.len() != 32 {
        return Err(ConfigError::Secret {
            setting: SETTING,
            reason: format!("the key must be exactly 32 bytes, it has {}", key.len()),
        });
    }
    Ok(key)
}

fn secret_box(key: Vec<u8>) -> Result<crate::app::crypto::SecretBox, ConfigError> {
    crate::app::crypto::SecretBox::new(&key).ok_or(ConfigError::Secret {
        setting: "EBOK_ENCRYPTION_KEY",
        reason: "the key must be exactly 32 bytes".into(),
    })
}

fn decode_key(
    setting: &'static str,
    encoded: &str,
    min_len: usize,
) -> Result<Vec<u8>, ConfigError> {
    let key = BASE64
        .decode(encoded.trim())
        .map_err(|_| ConfigError::Secret {
            setting,
            reason: "the key is not valid base64".into(),
        })?;
    if key.len() < min_len {
        return Err(ConfigError::Secret {
            setting,
            reason: format!(
                "the key must be at least {min_len} bytes, it has {}",
                key.len()
            ),
        });
    }
    Ok(key)
}

/// The embedded default keeps its keys in the data dir: generated once, readable only by us.
fn stored_or_new_key(
    setting: &'static str,
    path: &Path,
    len: usize,
) -> Result<Vec<u8>, ConfigError> {
    let failure = |e: std::io::Error| ConfigError::Secret {
        setting,
        reason: format!("cannot use the key file {}: {e}", path.display()),
    };
    let read_stored = || -> Result<Vec<u8>, ConfigError> {
        let stored = fs::read_to_string(path).map_err(failure)?;
        decode_key(setting, &stored, len)
    };
    if path.exists() {
        return read_stored();
    }
    let mut key = vec![0u8; len];
    rand::thread_rng().fill_bytes(&mut key);
    // Written whole under a private name, then linked into place: two commands started together
    // on a fresh folder agree on one key, and neither reads a half-written file.
    let draft = path.with_file_name(private_file_name(".ebok-key"));
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(&draft).and_then(|mut file| {
        file.write_all(BASE64.encode(&key).as_bytes())?;
        file.sync_all()
    });
    let placed = written.and_then(|()| fs::hard_link(&draft, path));
    let _ = fs::remove_file(&draft);
    match placed {
        Ok(()) => Ok(key),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read_stored(),
        Err(e) => Err(failure(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_started_together_on_one_folder_agree_on_it() {
        // A billing run and a backup start at the same moment: each checks the data dir and
        // reads (or makes) its keys. Neither may trip over the other's probe or half a key.
        for _ in 0..20 {
            let dir = tempfile::tempdir().unwrap();
            let started: Vec<_> = (0..4)
                .map(|_| {
                    let dir = dir.path().to_path_buf();
                    std::thread::spawn(move || {
                        (0..25)
                            .map(|_| Config::for_data_dir(&dir, None).map_err(|e| e.to_string()))
                            .collect::<Result<Vec<_>, _>>()
                    })
                })
                .collect();
            let configs: Vec<Config> = started
                .into_iter()
                .flat_map(|thread| thread.join().unwrap().unwrap())
                .collect();
            assert!(
                configs
                    .iter()
                    .all(|c| c.security.secret_key == configs[0].security.secret_key
                        && c.security.pesel_key == configs[0].security.pesel_key)
            );
            let leftovers: Vec<_> = fs::read_dir(dir.path())
                .unwrap()
                .flatten()
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| name.starts_with(".ebok-"))
                .collect();
            assert!(leftovers.is_empty(), "{leftovers:?}");
        }
    }

    #[test]
    fn development_keys_are_generated_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = Config::for_data_dir(dir.path(), None).unwrap();
        let second = Config::for_data_dir(dir.path(), None).unwrap();
        assert_eq!(first.security.secret_key, second.security.secret_key);
        assert_eq!(first.security.pesel_key, second.security.pesel_key);
        assert_eq!(first.security.secret_key.len(), 64);
        assert_ne!(first.security.pesel_key, first.security.secret_key[..32]);
        let sealed = first
            .security
            .secrets
            .seal(crate::app::crypto::SecretKind::TotpKey, "ABC");
        assert_eq!(
            second
                .security
                .secrets
                .open(crate::app::crypto::SecretKind::TotpKey, &sealed)
                .unwrap(),
            "ABC",
            "the generated key is kept in the data dir"
        );
    }

    #[test]
    fn production_without_encryption_key_names_the_setting_and_lengths_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let error = encryption_key(Environment::Production, None, dir.path()).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("EBOK_ENCRYPTION_KEY: production needs")
        );
        let long = BASE64.encode([3u8; 48]);
        assert!(
            encryption_key(Environment::Production, Some(&long), dir.path())
                .unwrap_err()
                .to_string()
                .contains("exactly 32")
        );
        let right = BASE64.encode([3u8; 32]);
        assert_eq!(
            encryption_key(Environment::Production, Some(&right), dir.path()).unwrap(),
            vec![3u8; 32]
        );
    }

    #[test]
    fn default_database_is_sqlite_in_the_data_dir() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::for_data_dir(dir.path(), None).unwrap();
        assert_eq!(
            config.database.url,
            DatabaseUrl::Sqlite(dir.path().join("ebok.sqlite3"))
        );
    }

    #[test]
    fn production_without_pesel_key_names_the_setting() {
        let dir = tempfile::tempdir().unwrap();
        let error = pesel_key(Environment::Production, None, dir.path()).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("EBOK_PESEL_KEY: production needs")
        );
    }

    #[test]
    fn short_or_garbled_keys_are_refused() {
        assert!(decode_key("K", "not base64!", 32).is_err());
        assert!(
            decode_key("K", &BASE64.encode([1u8; 8]), 32)
                .unwrap_err()
                .to_string()
                .contains("at least 32")
        );
    }

    #[test]
    fn trusted_proxies_accept_addresses_and_networks_in_one_string() {
        let list = StringList::One("10.0.0.0/8, 127.0.0.1 ::1".into());
        let parsed = parse_trusted_proxies(Some(&list)).unwrap();
        assert_eq!(parsed.len(), 3);
        assert!(parsed[0].contains(&"10.1.2.3".parse::<std::net::IpAddr>().unwrap()));
        let bad = StringList::Many(vec!["10.0.0.0/33".into()]);
        assert!(
            parse_trusted_proxies(Some(&bad))
                .unwrap_err()
                .to_string()
                .starts_with("EBOK_TRUSTED_PROXIES")
        );
    }

    #[test]
    fn smtp_and_mail_settings_are_checked_at_start() {
        assert!(
            check_smtp_url(Some("smtp://127.0.0.1:2525".into()))
                .unwrap()
                .is_some()
        );
        assert!(check_smtp_url(Some("smtps://user:pass@mail.example.com".into())).is_ok());
        assert!(
            check_smtp_url(Some("nonsense".into()))
                .unwrap_err()
                .to_string()
                .starts_with("EBOK_SMTP_URL")
        );
        assert!(check_mail_from(Some("Biuro <bok@isp.pl>".into())).is_ok());
        assert!(check_mail_from(Some("not a mailbox".into())).is_err());
        assert!(check_public_url(Some("ebok.isp.pl".into()), &Figment::new()).is_err());
    }

    #[test]
    fn unwritable_data_dir_is_reported_with_the_setting() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plain-file");
        fs::write(&file, b"x").unwrap();
        let error = Config::for_data_dir(&file.join("data"), None).unwrap_err();
        assert!(
            error.to_string().starts_with("EBOK_DATA_DIR: cannot use"),
            "{error}"
        );
    }
}
