//! API tokens: made by an admin (shown once, only the SHA-256 stored), checked on every call
//! (expiry, revocation, source network, a per-token limit per minute), and every call audited
//! with the token's name.

use std::net::IpAddr;

use chrono::{Duration, NaiveDateTime};
use ipnet::IpNet;
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::app::crypto;
use crate::app::staff::{FieldErrors, optional};
use crate::db::api::{ApiTokenRow, NewApiToken};
use crate::db::{self, DbConn};

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Read customers, contracts, services, endpoints and tariffs.
    CustomersRead,
    /// Create, change and suspend customers, contracts, services and endpoints.
    CustomersWrite,
    /// The network view the routers poll.
    NetworkRead,
    /// Send traffic counters (the collector).
    TrafficWrite,
    /// Send RADIUS accounting records.
    RadiusWrite,
    /// Read invoices, their PDFs and KSeF XML.
    InvoicesRead,
    /// Record payments.
    PaymentsWrite,
    /// Read support tickets.
    TicketsRead,
    /// Reply to support tickets (signed by the admin who made the token).
    TicketsWrite,
}

impl Scope {
    pub const ALL: [Scope; 9] = [
        Scope::CustomersRead,
        Scope::CustomersWrite,
        Scope::NetworkRead,
        Scope::TrafficWrite,
        Scope::RadiusWrite,
        Scope::InvoicesRead,
        Scope::PaymentsWrite,
        Scope::TicketsRead,
        Scope::TicketsWrite,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::CustomersRead => "customers:read",
            Scope::CustomersWrite => "customers:write",
            Scope::NetworkRead => "network:read",
            Scope::TrafficWrite => "traffic:write",
            Scope::RadiusWrite => "radius:write",
            Scope::InvoicesRead => "invoices:read",
            Scope::PaymentsWrite => "payments:write",
            Scope::TicketsRead => "tickets:read",
            Scope::TicketsWrite => "tickets:write",
        }
    }

    pub fn parse(text: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|scope| scope.as_str() == text)
    }
}

/// The token a call came with, once checked.
#[derive(Debug, Clone)]
pub struct ApiClient {
    pub id: i64,
    pub name: String,
    pub scopes: Vec<Scope>,
}

impl ApiClient {
    pub fn may(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }
}

/// Why a call's token was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// No token, or not one of ours.
    Unknown,
    /// Expired or revoked.
    Expired,
    /// Not from one of the token's networks.
    Network,
    /// Over the token's calls per minute: wait this many seconds.
    RateLimited { retry_after: u64 },
}

/// The length of a rate window.
const WINDOW_SECONDS: i64 = 60;

/// Checks the bearer token of a call to `method path` from `ip` and counts it against the
/// token's rate; an accepted call is audited (`api_call`, with the token's name).
pub fn authenticate(
    conn: &mut DbConn,
    token: Option<&str>,
    ip: Option<IpAddr>,
    (method, path): (&str, &str),
    now: NaiveDateTime,
) -> Result<Result<ApiClient, Denied>, diesel::result::Error> {
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Ok(Err(Denied::Unknown));
    };
    let Some(row) = db::api::by_hash(conn, &crypto::token_hash(token))? else {
        return Ok(Err(Denied::Unknown));
    };
    if row.revoked_at.is_some() || row.expires_at.is_some_and(|at| at <= now) {
        return Ok(Err(Denied::Expired));
    }
    if !network_allows(&row.allowed_networks, ip) {
        tracing::warn!(token = %row.name, ?ip, "API token used from outside its networks");
        return Ok(Err(Denied::Network));
    }
    let (started, count) = match row.window_started_at {
        Some(start) if now - start < Duration::seconds(WINDOW_SECONDS) => {
            if row.window_count >= row.rate_per_minute {
                let left = WINDOW_SECONDS - (now - start).num_seconds();
                return Ok(Err(Denied::RateLimited {
                    retry_after: left.max(1) as u64,
                }));
            }
            (start, row.window_count + 1)
        }
        _ => (now, 1),
    };
    db::api::count_call(conn, row.id, started, count, now)?;
    let ip_text = ip.map(|ip| ip.to_string());
    audit::record(
        conn,
        &Actor::api(&row.name, ip_text),
        "api_call",
        json!({ "method": method, "path": path }),
        now,
    )?;
    Ok(Ok(ApiClient {
        id: row.id,
        name: row.name.clone(),
        scopes: scopes_of(&row.scopes),
    }))
}

fn scopes_of(text: &str) -> Vec<Scope> {
    text.split_whitespace().filter_map(Scope::parse).collect()
}

/// An empty list allows every address; an unknown address is allowed only then.
fn network_allows(networks: &str, ip: Option<IpAddr>) -> bool {
    let nets: Vec<IpNet> = networks
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    if nets.is_empty() {
        return true;
    }
    let Some(ip) = ip else {
        return false;
    };
    // An IPv4 client seen as ::ffff:a.b.c.d is matched as IPv4.
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    };
    nets.iter().any(|net| net.contains(&ip))
}

// ---- the staff panel ----------------------------------------------------------------------------

/// The new-token form as typed.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct TokenForm {
    pub name: String,
    pub scopes: Vec<String>,
    /// `YYYY-MM-DD`, empty for none.
    pub expires_on: String,
    /// CIDRs separated by spaces, commas or lines; empty for anywhere.
    pub allowed_networks: String,
    pub rate_per_minute: String,
}

/// A token as listed (never the token itself).
#[derive(Debug, Clone, serde::Serialize)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub scopes: Vec<&'static str>,
    pub allowed_networks: String,
    pub expires_at: Option<NaiveDateTime>,
    pub rate_per_minute: i32,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

impl TokenRow {
    fn of(row: ApiTokenRow) -> TokenRow {
        TokenRow {
            id: row.id,
            name: row.name,
            scopes: scopes_of(&row.scopes)
                .into_iter()
                .map(Scope::as_str)
                .collect(),
            allowed_networks: row.allowed_networks,
            expires_at: row.expires_at,
            rate_per_minute: row.rate_per_minute,
            last_used_at: row.last_used_at,
            revoked_at: row.revoked_at,
            created_at: row.created_at,
        }
    }
}

pub fn list(conn: &mut DbConn) -> diesel::QueryResult<Vec<TokenRow>> {
    Ok(db::api::tokens(conn)?
        .into_iter()
        .map(TokenRow::of)
        .collect())
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("the form has problems")]
    Fields(FieldErrors),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Makes a token; answers it (to be shown once) with its id.
pub fn create(
    conn: &mut DbConn,
    form: &TokenForm,
    (actor, staff_id): (&Actor, i64),
    now: NaiveDateTime,
) -> Result<(i64, String), TokenError> {
    let mut errors = FieldErrors::default();
    let name = optional(&form.name).unwrap_or_default();
    if name.is_empty() || name.chars().count() > 100 {
        errors.add("name", "staff-error-required");
    } else if db::api::name_taken(conn, &name)? {
        errors.add("name", "api-token-error-name-taken");
    }
    let mut scopes = Vec::new();
    for typed in &form.scopes {
        match Scope::parse(typed) {
            Some(scope) if !scopes.contains(&scope) => scopes.push(scope),
            Some(_) => {}
            None => errors.add("scopes", "staff-error-choice"),
        }
    }
    if scopes.is_empty() {
        errors.add("scopes", "api-token-error-scopes");
    }
    let expires_at = match optional(&form.expires_on) {
        None => None,
        Some(text) => match chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(day) if day > now.date() => day.and_hms_opt(0, 0, 0),
            _ => {
                errors.add("expires_on", "api-token-error-expiry");
                None
            }
        },
    };
    let mut networks = Vec::new();
    for typed in form
        .allowed_networks
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
    {
        let parsed = typed
            .parse::<IpNet>()
            .or_else(|_| typed.parse::<IpAddr>().map(IpNet::from));
        match parsed {
            Ok(net) => networks.push(net.trunc().to_string()),
            Err(_) => errors.add("allowed_networks", "api-token-error-network"),
        }
    }
    let rate = match optional(&form.rate_per_minute) {
        None => 600,
        Some(text) => match text.parse::<i32>() {
            Ok(n) if (1..=100_000).contains(&n) => n,
            _ => {
                errors.add("rate_per_minute", "api-token-error-rate");
                0
            }
        },
    };
    if !errors.is_empty() {
        return Err(TokenError::Fields(errors));
    }
    let token = format!("ebok_{}", crypto::random_token());
    let scopes_text = scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let id = db::api::insert_token(
        conn,
        &NewApiToken {
            name: name.clone(),
            token_hash: crypto::token_hash(&token),
            scopes: scopes_text.clone(),
            allowed_networks: networks.join(" "),
            expires_at,
            rate_per_minute: rate,
            created_by_staff_id: Some(staff_id),
            created_at: now,
        },
    )?;
    audit::record(
        conn,
        actor,
        "api_token_created",
        json!({ "token": id, "name": name, "scopes": scopes_text, "networks": networks, "expires_at": expires_at, "rate_per_minute": rate }),
        now,
    )?;
    Ok((id, token))
}

/// The name of the demo's token.
pub const DEMO_TOKEN_NAME: &str = "demo";

/// The demo's API token with every scope, stored hashed like any other; made anew (the old
/// one stops working) each time the demo is seeded, since only its hash is kept.
pub fn demo_token(conn: &mut DbConn, now: NaiveDateTime) -> diesel::QueryResult<String> {
    let token = format!("ebok_{}", crypto::random_token());
    let hash = crypto::token_hash(&token);
    let scopes = Scope::ALL
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    // Made as if by the demo's admin, who signs its ticket replies.
    let admin = db::staff::find_by_login_key(conn, &crate::app::demo::ADMIN_LOGIN.to_lowercase())?
        .map(|s| s.id);
    if !db::api::rehash(conn, DEMO_TOKEN_NAME, &hash, &scopes, admin)? {
        db::api::insert_token(
            conn,
            &NewApiToken {
                name: DEMO_TOKEN_NAME.into(),
                token_hash: hash,
                scopes,
                allowed_networks: String::new(),
                expires_at: None,
                rate_per_minute: 600,
                created_by_staff_id: admin,
                created_at: now,
            },
        )?;
    }
    Ok(token)
}

/// Revokes a token at once; false when it was not there or already revoked.
pub fn revoke(
    conn: &mut DbConn,
    id: i64,
    actor: &Actor,
    now: NaiveDateTime,
) -> diesel::QueryResult<bool> {
    match db::api::revoke(conn, id, now)? {
        Some(name) => {
            audit::record(
                conn,
                actor,
                "api_token_revoked",
                json!({ "token": id, "name": name }),
                now,
            )?;
            Ok(true)
        }
        None => Ok(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_match_v4_and_mapped_v6() {
        assert!(network_allows("", None));
        assert!(network_allows("10.0.0.0/8", "10.1.2.3".parse().ok()));
        assert!(network_allows("10.0.0.0/8", "::ffff:10.1.2.3".parse().ok()));
        assert!(!network_allows("10.0.0.0/8", "192.168.1.1".parse().ok()));
        assert!(!network_allows("10.0.0.0/8", None));
    }
}
