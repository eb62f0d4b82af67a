//! What a subscriber has: contracts with their tariffs, services with their endpoints, domains.
//! Every function takes the customer id from the session and reads nothing of anyone else.

use crate::domain::ContractId;
use crate::domain::CustomerId;
use crate::domain::DomainStatus;
use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use crate::app::account_security::{self, SecurityError};
use crate::app::audit::{self, Actor};
use crate::db::accounts::Account;
use crate::db::contracts::Contract;
use crate::db::domains::Domain;
use crate::db::services::{Endpoint, Service};
use crate::db::tariffs::Tariff;
use crate::db::{self, DbConn};

/// Domains expiring within this many days are highlighted on the list.
pub const DOMAIN_EXPIRY_HIGHLIGHT_DAYS: i64 = 30;

#[derive(Debug, Clone, serde::Serialize)]
pub struct ContractView {
    #[serde(flatten)]
    pub contract: Contract,
    pub tariff: Tariff,
    /// Services running under this contract.
    pub services: Vec<Service>,
    /// Who the contract is with: the customer's name (a company's, or a person's).
    pub holder: String,
}

fn holder_name(conn: &mut DbConn, customer_id: CustomerId) -> diesel::QueryResult<String> {
    Ok(db::customers::find(conn, customer_id)?
        .map(|customer| crate::app::staff::customer_card::display_name(&customer))
        .unwrap_or_default())
}

pub fn contracts(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> diesel::QueryResult<Vec<ContractView>> {
    let rows = db::contracts::of_customer(conn, customer_id)?;
    let holder = holder_name(conn, customer_id)?;
    let mut services_by_contract: HashMap<ContractId, Vec<Service>> = HashMap::new();
    for service in db::services::of_customer(conn, customer_id)? {
        if let Some(contract_id) = service.contract_id {
            services_by_contract
                .entry(contract_id)
                .or_default()
                .push(service);
        }
    }
    Ok(rows
        .into_iter()
        .map(|(contract, tariff)| ContractView {
            services: services_by_contract
                .remove(&contract.id)
                .unwrap_or_default(),
            holder: holder.clone(),
            contract,
            tariff,
        })
        .collect())
}

/// One contract of the customer; `None` for anyone else's.
/// A contract's page: the contract and the discount it has now.
pub fn contract_page(
    conn: &mut DbConn,
    customer_id: CustomerId,
    contract_id: ContractId,
    today: chrono::NaiveDate,
) -> diesel::QueryResult<(
    Option<ContractView>,
    Option<crate::app::discounts::ContractDiscount>,
)> {
    let contract = contract(conn, customer_id, contract_id)?;
    let discount = match &contract {
        Some(c) => crate::app::discounts::current_of_contract(
            conn,
            c.contract.id,
            c.contract.monthly_fee,
            today,
        )?,
        None => None,
    };
    Ok((contract, discount))
}

pub fn contract(
    conn: &mut DbConn,
    customer_id: CustomerId,
    contract_id: ContractId,
) -> diesel::QueryResult<Option<ContractView>> {
    let Some((contract, tariff)) = db::contracts::find_of_customer(conn, customer_id, contract_id)?
    else {
        return Ok(None);
    };
    let services = db::services::of_customer(conn, customer_id)?
        .into_iter()
        .filter(|s| s.contract_id == Some(contract.id))
        .collect();
    Ok(Some(ContractView {
        contract,
        tariff,
        services,
        holder: holder_name(conn, customer_id)?,
    }))
}

/// An endpoint as listed: the PPPoE password is never part of it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EndpointView {
    pub id: i64,
    pub ipv4: Option<String>,
    pub ipv6_prefix: Option<String>,
    pub mac: Option<String>,
    pub pppoe_login: Option<String>,
    pub has_pppoe_password: bool,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub access_enabled: bool,
}

impl From<Endpoint> for EndpointView {
    fn from(e: Endpoint) -> EndpointView {
        EndpointView {
            id: e.id,
            has_pppoe_password: e.pppoe_password.is_some(),
            ipv4: e.ipv4,
            ipv6_prefix: e.ipv6_prefix,
            mac: e.mac,
            pppoe_login: e.pppoe_login,
            address_line: e.address_line,
            postal_code: e.postal_code,
            city: e.city,
            access_enabled: e.access_enabled,
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ServiceView {
    #[serde(flatten)]
    pub service: Service,
    pub contract_number: Option<String>,
    pub endpoints: Vec<EndpointView>,
}

pub fn services(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> diesel::QueryResult<Vec<ServiceView>> {
    let services = db::services::of_customer(conn, customer_id)?;
    with_endpoints(conn, customer_id, services)
}

fn with_endpoints(
    conn: &mut DbConn,
    customer_id: CustomerId,
    services: Vec<Service>,
) -> diesel::QueryResult<Vec<ServiceView>> {
    let ids: Vec<i64> = services.iter().map(|s| s.id).collect();
    let mut endpoints: HashMap<i64, Vec<EndpointView>> = HashMap::new();
    for endpoint in db::services::endpoints_of(conn, &ids)? {
        endpoints
            .entry(endpoint.service_id)
            .or_default()
            .push(endpoint.into());
    }
    let numbers: HashMap<ContractId, String> = db::contracts::of_customer(conn, customer_id)?
        .into_iter()
        .map(|(c, _)| (c.id, c.number))
        .collect();
    Ok(services
        .into_iter()
        .map(|service| ServiceView {
            contract_number: service.contract_id.and_then(|id| numbers.get(&id).cloned()),
            endpoints: endpoints.remove(&service.id).unwrap_or_default(),
            service,
        })
        .collect())
}

/// One service of the customer with its endpoints; `None` for anyone else's.
pub fn service(
    conn: &mut DbConn,
    customer_id: CustomerId,
    service_id: i64,
) -> diesel::QueryResult<Option<ServiceView>> {
    let Some(service) = db::services::find_of_customer(conn, customer_id, service_id)? else {
        return Ok(None);
    };
    Ok(with_endpoints(conn, customer_id, vec![service])?.pop())
}

#[derive(Debug, thiserror::Error)]
pub enum RevealError {
    #[error("no such endpoint for this customer")]
    NotFound,
    #[error(transparent)]
    Security(#[from] SecurityError),
    #[error(transparent)]
    Sealed(#[from] crate::app::crypto::OpenError),
}

impl From<diesel::result::Error> for RevealError {
    fn from(e: diesel::result::Error) -> RevealError {
        RevealError::Security(SecurityError::from(e))
    }
}

/// The PPPoE password of one of the customer's endpoints, after the account password was typed
/// again (throttled like a login). Each showing is audited.
#[allow(clippy::too_many_arguments)]
pub fn reveal_pppoe_password(
    conn: &mut DbConn,
    secrets: &crate::app::crypto::SecretBox,
    account: &Account,
    service_id: i64,
    endpoint_id: i64,
    password: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<String, RevealError> {
    let customer_id = account.customer_id;
    if db::services::find_of_customer(conn, customer_id, service_id)?.is_none() {
        return Err(RevealError::NotFound);
    }
    let endpoint = db::services::endpoints_of(conn, &[service_id])?
        .into_iter()
        .find(|e| e.id == endpoint_id)
        .ok_or(RevealError::NotFound)?;
    let sealed = endpoint.pppoe_password.ok_or(RevealError::NotFound)?;
    account_security::check_current_password(conn, account, password, actor, "pppoe", now)?;
    let secret = secrets.open(crate::app::crypto::SecretKind::PppoePassword, &sealed)?;
    audit::record(
        conn,
        actor,
        "pppoe_password_shown",
        json!({ "service_id": service_id, "endpoint_id": endpoint_id }),
        now,
    )?;
    Ok(secret)
}

/// What a subscriber can set to renew automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renewable {
    Service,
    Domain,
}

/// Turns renewal of one of the customer's services or domains on or off, audited. `false` when
/// it is not the customer's (or, for a service, has no expiry date to renew at).
pub fn set_renewal(
    conn: &mut DbConn,
    customer_id: CustomerId,
    what: Renewable,
    id: i64,
    auto_renew: bool,
    actor: &Actor,
    now: NaiveDateTime,
) -> diesel::QueryResult<bool> {
    db::write_transaction(conn, |conn| {
        let (changed, action, details) = match what {
            Renewable::Service => (
                db::services::set_auto_renew(conn, customer_id, id, auto_renew)?,
                "service_renewal_changed",
                json!({ "service_id": id, "auto_renew": auto_renew }),
            ),
            Renewable::Domain => (
                db::domains::set_auto_renew(conn, customer_id, id, auto_renew)?,
                "domain_renewal_changed",
                json!({ "domain_id": id, "auto_renew": auto_renew }),
            ),
        };
        if changed == 1 {
            audit::record(conn, actor, action, details, now)?;
        }
        Ok(changed == 1)
    })
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct DomainView {
    #[serde(flatten)]
    pub domain: Domain,
    pub days_left: i64,
    pub expiring_soon: bool,
}

pub fn domains(
    conn: &mut DbConn,
    customer_id: CustomerId,
    today: NaiveDate,
) -> diesel::QueryResult<Vec<DomainView>> {
    Ok(db::domains::of_customer(conn, customer_id)?
        .into_iter()
        .map(|domain| {
            let days_left = (domain.expires_on - today).num_days();
            DomainView {
                expiring_soon: domain.status == DomainStatus::Active
                    && days_left <= DOMAIN_EXPIRY_HIGHLIGHT_DAYS,
                days_left,
                domain,
            }
        })
        .collect())
}
