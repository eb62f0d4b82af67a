//! The resources of the JSON API: customers, contracts, services, endpoints, tariffs and the
//! network view. Writes go through the staff panel's own use cases (`app::staff`), so the API
//! checks exactly what the panel checks and leaves the same audit trail (with the token's name).

use crate::domain::ContractId;
use crate::domain::CustomerId;
use crate::domain::{ContractStatus, CustomerKind, ServiceKind, ServiceStatus};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::{Answer, ListQuery, Problem, paged};
use crate::app::audit::Actor;
use crate::app::crypto::SecretBox;
use crate::app::staff::customer_records::{self, CustomerForm, RecordError};
use crate::app::staff::network_records::{
    self, ContractForm, EndpointForm, NetworkRecordError, ServiceForm,
};
use crate::db::contracts::Contract;
use crate::db::customers::Customer;
use crate::db::services::{Endpoint, Service};
use crate::db::tariffs::Tariff;
use crate::db::{self, DbConn};
use crate::domain::Money;

type Db<T> = Result<T, diesel::result::Error>;

/// Amounts are decimal strings in złoty ("79.99").
fn amount(grosze: i64) -> String {
    Money::from_grosze(grosze).format_amount().replace(',', ".")
}

// ---- customers ----------------------------------------------------------------------------------

/// A customer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": 12, "customer_number": 1012, "kind": "person", "first_name": "Anna", "last_name": "Nowak",
    "company_name": null, "nip": null, "address_line": "ul. Długa 5", "postal_code": "00-001",
    "city": "Warszawa", "email": "anna@example.com", "phone": "+48 600 100 200", "language": "pl",
    "bank_account": "PL61109010140000071219812874", "updated_at": "2026-12-08T10:00:00"
}))]
pub struct CustomerOut {
    #[schema(value_type = i64)]
    pub id: CustomerId,
    pub customer_number: i64,
    /// `person` or `company`.
    #[schema(value_type = String)]
    pub kind: CustomerKind,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company_name: Option<String>,
    pub nip: Option<String>,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub email: String,
    pub phone: Option<String>,
    pub language: String,
    /// The customer's own account number for transfers.
    pub bank_account: String,
    pub updated_at: NaiveDateTime,
}

impl CustomerOut {
    fn of(c: Customer) -> CustomerOut {
        CustomerOut {
            id: c.id,
            customer_number: c.customer_number,
            kind: c.kind,
            first_name: c.first_name,
            last_name: c.last_name,
            company_name: c.company_name,
            nip: c.nip,
            address_line: c.address_line,
            postal_code: c.postal_code,
            city: c.city,
            email: c.email,
            phone: c.phone,
            language: c.language,
            bank_account: c.nrb,
            updated_at: c.updated_at,
        }
    }
}

/// A new customer, or all of a customer's data on update (a person's PESEL may be left out
/// on update: the stored one stays).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "kind": "person", "first_name": "Anna", "last_name": "Nowak", "pesel": "44051401458",
    "address_line": "ul. Długa 5", "postal_code": "00-001", "city": "Warszawa",
    "email": "anna@example.com", "phone": "+48 600 100 200", "language": "pl"
}))]
pub struct CustomerIn {
    /// `person` or `company`.
    pub kind: String,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub company_name: Option<String>,
    /// Required for a new person; never returned.
    #[serde(default)]
    pub pesel: Option<String>,
    #[serde(default)]
    pub nip: Option<String>,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    #[serde(default)]
    pub correspondence_address_line: Option<String>,
    #[serde(default)]
    pub correspondence_postal_code: Option<String>,
    #[serde(default)]
    pub correspondence_city: Option<String>,
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
    /// `pl` or `en`; `pl` when left out.
    #[serde(default)]
    pub language: Option<String>,
}

impl CustomerIn {
    fn form(&self) -> CustomerForm {
        let text = |o: &Option<String>| o.clone().unwrap_or_default();
        CustomerForm {
            kind: self.kind.clone(),
            first_name: text(&self.first_name),
            last_name: text(&self.last_name),
            company_name: text(&self.company_name),
            pesel: text(&self.pesel),
            nip: text(&self.nip),
            address_line: self.address_line.clone(),
            postal_code: self.postal_code.clone(),
            city: self.city.clone(),
            correspondence_address_line: text(&self.correspondence_address_line),
            correspondence_postal_code: text(&self.correspondence_postal_code),
            correspondence_city: text(&self.correspondence_city),
            email: self.email.clone(),
            phone: text(&self.phone),
            language: self.language.clone().unwrap_or_else(|| "pl".into()),
        }
    }
}

fn record_problem(error: RecordError) -> Db<Answer> {
    match error {
        RecordError::Fields(errors) => Ok(Problem::fields(&errors).into()),
        RecordError::NotFound => Ok(Problem::not_found("customer").into()),
        RecordError::AccountPrefix(_) | RecordError::NoSeller => {
            Ok(Problem::new(super::ProblemKind::Conflict)
                .detail("the seller (ISP) data is not set up in the staff panel")
                .into())
        }
        RecordError::Database(error) => Err(error),
    }
}

pub fn list_customers(conn: &mut DbConn, query: &ListQuery) -> Db<Answer> {
    let page = match query.page() {
        Ok(page) => page,
        Err(problem) => return Ok(problem.into()),
    };
    let rows = db::api::customers_page(conn, page)?;
    Ok(Answer::ok(
        200,
        paged(rows, &page, |c| c.id.0, CustomerOut::of),
    ))
}

pub fn get_customer(conn: &mut DbConn, id: CustomerId) -> Db<Answer> {
    Ok(match db::customers::find(conn, id)? {
        Some(c) => Answer::ok(200, CustomerOut::of(c)),
        None => Problem::not_found("customer").into(),
    })
}

pub fn create_customer(
    conn: &mut DbConn,
    pesel_key: &[u8],
    input: &CustomerIn,
    actor: &Actor,
    now: NaiveDateTime,
) -> Db<Answer> {
    match customer_records::create(conn, pesel_key, &input.form(), actor, now) {
        Ok(id) => get_customer(conn, id).map(|a| Answer { status: 201, ..a }),
        Err(error) => record_problem(error),
    }
}

pub fn update_customer(
    conn: &mut DbConn,
    pesel_key: &[u8],
    id: CustomerId,
    input: &CustomerIn,
    actor: &Actor,
    now: NaiveDateTime,
) -> Db<Answer> {
    match customer_records::update(conn, pesel_key, id, &input.form(), actor, now) {
        Ok(()) => get_customer(conn, id),
        Err(error) => record_problem(error),
    }
}

// ---- contracts ----------------------------------------------------------------------------------

/// A contract.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": 7, "customer_id": 12, "number": "U/2026/0007", "tariff_id": 2, "signed_on": "2026-12-01",
    "starts_on": "2026-12-01", "ends_on": null, "term_months": 24, "after_term": "indefinite",
    "monthly_fee": "79.99", "billing_day": 1, "install_address_line": "ul. Długa 5",
    "install_postal_code": "00-001", "install_city": "Warszawa", "status": "active",
    "updated_at": "2026-12-08T10:00:00"
}))]
pub struct ContractOut {
    #[schema(value_type = i64)]
    pub id: ContractId,
    #[schema(value_type = i64)]
    pub customer_id: CustomerId,
    pub number: String,
    pub tariff_id: i64,
    pub signed_on: NaiveDate,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub term_months: Option<i32>,
    /// `indefinite` or `terminate`.
    pub after_term: String,
    /// Złoty, as a decimal string.
    pub monthly_fee: String,
    pub billing_day: i32,
    pub install_address_line: String,
    pub install_postal_code: String,
    pub install_city: String,
    /// `active`, `suspended` or `terminated`.
    #[schema(value_type = String)]
    pub status: ContractStatus,
    pub updated_at: NaiveDateTime,
}

impl ContractOut {
    fn of(c: Contract) -> ContractOut {
        ContractOut {
            id: c.id,
            customer_id: c.customer_id,
            number: c.number,
            tariff_id: c.tariff_id,
            signed_on: c.signed_on,
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            term_months: c.term_months,
            after_term: c.after_term,
            monthly_fee: amount(c.monthly_fee),
            billing_day: c.billing_day,
            install_address_line: c.install_address_line,
            install_postal_code: c.install_postal_code,
            install_city: c.install_city,
            status: c.status,
            updated_at: c.updated_at,
        }
    }
}

/// A new contract (with its customer), or all of a contract's data on update.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "customer_id": 12, "number": "U/2026/0007", "tariff_id": 2, "signed_on": "2026-12-01",
    "starts_on": "2026-12-01", "term_months": 24, "monthly_fee": "79.99", "billing_day": 1,
    "install_address_line": "ul. Długa 5", "install_postal_code": "00-001",
    "install_city": "Warszawa"
}))]
pub struct ContractIn {
    /// Ignored on update (a contract stays with its customer).
    #[schema(value_type = i64)]
    pub customer_id: CustomerId,
    pub number: String,
    pub tariff_id: i64,
    /// `YYYY-MM-DD`.
    pub signed_on: String,
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: Option<String>,
    #[serde(default)]
    pub term_months: Option<i32>,
    /// `indefinite` (default) or `terminate`.
    #[serde(default)]
    pub after_term: Option<String>,
    /// Złoty, e.g. "79.99".
    pub monthly_fee: String,
    /// 1–28.
    pub billing_day: i32,
    pub install_address_line: String,
    pub install_postal_code: String,
    pub install_city: String,
    /// `active` (default), `suspended` or `terminated`.
    #[serde(default)]
    pub status: Option<String>,
}

impl ContractIn {
    fn form(&self) -> ContractForm {
        ContractForm {
            number: self.number.clone(),
            tariff_id: self.tariff_id.to_string(),
            signed_on: self.signed_on.clone(),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone().unwrap_or_default(),
            term_months: self.term_months.map(|m| m.to_string()).unwrap_or_default(),
            after_term: self
                .after_term
                .clone()
                .unwrap_or_else(|| "indefinite".into()),
            monthly_fee: self.monthly_fee.clone(),
            billing_day: self.billing_day.to_string(),
            install_address_line: self.install_address_line.clone(),
            install_postal_code: self.install_postal_code.clone(),
            install_city: self.install_city.clone(),
            status: self.status.clone().unwrap_or_else(|| "active".into()),
        }
    }
}

fn network_problem(error: NetworkRecordError, what: &str) -> Db<Answer> {
    match error {
        NetworkRecordError::Fields(errors) => Ok(Problem::fields(&errors).into()),
        NetworkRecordError::NotFound => Ok(Problem::not_found(what).into()),
        NetworkRecordError::Database(error) => Err(error),
    }
}

pub fn list_contracts(conn: &mut DbConn, query: &ListQuery) -> Db<Answer> {
    let page = match query.page() {
        Ok(page) => page,
        Err(problem) => return Ok(problem.into()),
    };
    let rows = db::api::contracts_page(conn, page)?;
    Ok(Answer::ok(
        200,
        paged(rows, &page, |c| c.id.0, ContractOut::of),
    ))
}

pub fn get_contract(conn: &mut DbConn, id: ContractId) -> Db<Answer> {
    Ok(match db::api::contract(conn, id)? {
        Some(c) => Answer::ok(200, ContractOut::of(c)),
        None => Problem::not_found("contract").into(),
    })
}

/// Creates (`id` None) or replaces a contract.
pub fn save_contract(
    conn: &mut DbConn,
    id: Option<ContractId>,
    input: &ContractIn,
    actor: &Actor,
    now: NaiveDateTime,
) -> Db<Answer> {
    let customer_id = match id {
        Some(id) => match db::api::contract(conn, id)? {
            Some(c) => c.customer_id,
            None => return Ok(Problem::not_found("contract").into()),
        },
        None => input.customer_id,
    };
    if id.is_none() && db::customers::find(conn, customer_id)?.is_none() {
        return Ok(Problem::field("customer_id", "api-unknown", "No such customer.").into());
    }
    match network_records::save_contract(conn, customer_id, id, &input.form(), actor, now) {
        Ok(saved) => get_contract(conn, saved).map(|a| Answer {
            status: if id.is_some() { 200 } else { 201 },
            ..a
        }),
        Err(error) => network_problem(error, "contract"),
    }
}

/// Suspends a contract (its status; the services and endpoints keep theirs).
pub fn suspend_contract(
    conn: &mut DbConn,
    id: ContractId,
    actor: &Actor,
    now: NaiveDateTime,
) -> Db<Answer> {
    let Some(contract) = db::api::contract(conn, id)? else {
        return Ok(Problem::not_found("contract").into());
    };
    let form = ContractForm {
        status: "suspended".into(),
        ..ContractForm::from_contract(&contract)
    };
    match network_records::save_contract(conn, contract.customer_id, Some(id), &form, actor, now) {
        Ok(_) => get_contract(conn, id),
        Err(error) => network_problem(error, "contract"),
    }
}

// ---- services -----------------------------------------------------------------------------------

/// A service.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": 31, "customer_id": 12, "contract_id": 7, "kind": "internet", "name": "Internet 300",
    "status": "active", "activated_on": "2026-12-01", "expires_on": null, "monthly_fee": "79.99",
    "updated_at": "2026-12-08T10:00:00"
}))]
pub struct ServiceOut {
    pub id: i64,
    #[schema(value_type = i64)]
    pub customer_id: CustomerId,
    #[schema(value_type = Option<i64>)]
    pub contract_id: Option<ContractId>,
    /// `internet`, `tv`, `phone`, `hosting`, `static_ip` or `other`.
    #[schema(value_type = String)]
    pub kind: ServiceKind,
    pub name: String,
    /// `active`, `suspended` or `ended`.
    #[schema(value_type = String)]
    pub status: ServiceStatus,
    pub activated_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub monthly_fee: String,
    pub updated_at: NaiveDateTime,
}

impl ServiceOut {
    fn of(s: Service) -> ServiceOut {
        ServiceOut {
            id: s.id,
            customer_id: s.customer_id,
            contract_id: s.contract_id,
            kind: s.kind,
            name: s.name,
            status: s.status,
            activated_on: s.activated_on,
            expires_on: s.expires_on,
            monthly_fee: amount(s.monthly_fee),
            updated_at: s.updated_at.unwrap_or(s.created_at),
        }
    }
}

/// A new service, or all of a service's data on update.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "customer_id": 12, "contract_id": 7, "kind": "internet", "name": "Internet 300",
    "activated_on": "2026-12-01", "monthly_fee": "0.00"
}))]
pub struct ServiceIn {
    /// Ignored on update.
    #[schema(value_type = i64)]
    pub customer_id: CustomerId,
    /// One of the customer's contracts.
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub contract_id: Option<ContractId>,
    pub kind: String,
    pub name: String,
    /// `active` (default), `suspended` or `ended`.
    #[serde(default)]
    pub status: Option<String>,
    pub activated_on: String,
    #[serde(default)]
    pub expires_on: Option<String>,
    /// Złoty; "0.00" when the contract carries the fee.
    pub monthly_fee: String,
}

impl ServiceIn {
    fn form(&self) -> ServiceForm {
        ServiceForm {
            contract_id: self
                .contract_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            kind: self.kind.clone(),
            name: self.name.clone(),
            status: self.status.clone().unwrap_or_else(|| "active".into()),
            activated_on: self.activated_on.clone(),
            expires_on: self.expires_on.clone().unwrap_or_default(),
            monthly_fee: self.monthly_fee.clone(),
        }
    }
}

pub fn list_services(conn: &mut DbConn, query: &ListQuery) -> Db<Answer> {
    let page = match query.page() {
        Ok(page) => page,
        Err(problem) => return Ok(problem.into()),
    };
    let rows = db::api::services_page(conn, page)?;
    Ok(Answer::ok(
        200,
        paged(rows, &page, |s| s.id, ServiceOut::of),
    ))
}

pub fn get_service(conn: &mut DbConn, id: i64) -> Db<Answer> {
    Ok(match db::api::service(conn, id)? {
        Some(s) => Answer::ok(200, ServiceOut::of(s)),
        None => Problem::not_found("service").into(),
    })
}

pub fn save_service(
    conn: &mut DbConn,
    id: Option<i64>,
    input: &ServiceIn,
    actor: &Actor,
    now: NaiveDateTime,
) -> Db<Answer> {
    let customer_id = match id {
        Some(id) => match db::api::service(conn, id)? {
            Some(s) => s.customer_id,
            None => return Ok(Problem::not_found("service").into()),
        },
        None => input.customer_id,
    };
    if id.is_none() && db::customers::find(conn, customer_id)?.is_none() {
        return Ok(Problem::field("customer_id", "api-unknown", "No such customer.").into());
    }
    match network_records::save_service(conn, customer_id, id, &input.form(), actor, now) {
        Ok(saved) => get_service(conn, saved).map(|a| Answer {
            status: if id.is_some() { 200 } else { 201 },
            ..a
        }),
        Err(error) => network_problem(error, "service"),
    }
}

/// Suspends a service and cuts off its endpoints.
pub fn suspend_service(
    conn: &mut DbConn,
    id: i64,
    actor: &Actor,
    now: NaiveDateTime,
) -> Db<Answer> {
    let Some(service) = db::api::service(conn, id)? else {
        return Ok(Problem::not_found("service").into());
    };
    db::api::set_service_status(conn, id, ServiceStatus::Suspended, now)?;
    let endpoints = network_records_of_service(conn, service.customer_id, id)?;
    for endpoint in &endpoints {
        db::api::set_endpoint_access(conn, endpoint.id, false, now)?;
    }
    crate::app::audit::record(
        conn,
        &actor.for_customer(service.customer_id),
        "service_suspended",
        json!({ "service": id, "endpoints": endpoints.iter().map(|e| e.id).collect::<Vec<_>>() }),
        now,
    )?;
    get_service(conn, id)
}

fn network_records_of_service(
    conn: &mut DbConn,
    customer_id: CustomerId,
    service_id: i64,
) -> Db<Vec<Endpoint>> {
    Ok(
        db::network_records::endpoints_of_customer(conn, customer_id)?
            .into_iter()
            .filter(|e| e.service_id == service_id)
            .collect(),
    )
}

// ---- endpoints ----------------------------------------------------------------------------------

/// An endpoint: where a service is delivered (the PPPoE password is never returned).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": 40, "service_id": 31, "customer_id": 12, "ipv4": "100.64.0.17", "mac": "02:11:22:33:44:55",
    "pppoe_login": "anna.nowak", "address_line": "ul. Długa 5", "postal_code": "00-001",
    "city": "Warszawa", "access_enabled": true, "updated_at": "2026-12-08T10:00:00"
}))]
pub struct EndpointOut {
    pub id: i64,
    pub service_id: i64,
    #[schema(value_type = i64)]
    pub customer_id: CustomerId,
    pub ipv4: Option<String>,
    pub mac: Option<String>,
    pub pppoe_login: Option<String>,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    /// False once suspended.
    pub access_enabled: bool,
    pub updated_at: NaiveDateTime,
}

impl EndpointOut {
    fn of((e, customer_id): (Endpoint, CustomerId)) -> EndpointOut {
        EndpointOut {
            id: e.id,
            service_id: e.service_id,
            customer_id,
            ipv4: e.ipv4,
            mac: e.mac,
            pppoe_login: e.pppoe_login,
            address_line: e.address_line,
            postal_code: e.postal_code,
            city: e.city,
            access_enabled: e.access_enabled,
            updated_at: e.updated_at.unwrap_or(e.created_at),
        }
    }
}

/// A new endpoint, or all of an endpoint's data on update.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "service_id": 31, "ipv4": "100.64.0.17", "mac": "02:11:22:33:44:55", "pppoe_login": "anna.nowak",
    "pppoe_password": "s3cret-Pass", "address_line": "ul. Długa 5", "postal_code": "00-001",
    "city": "Warszawa"
}))]
pub struct EndpointIn {
    pub service_id: i64,
    #[serde(default)]
    pub ipv4: Option<String>,
    #[serde(default)]
    pub mac: Option<String>,
    #[serde(default)]
    pub pppoe_login: Option<String>,
    /// Stored sealed; left out on update, the stored one stays.
    #[serde(default)]
    pub pppoe_password: Option<String>,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    /// True when left out.
    #[serde(default)]
    pub access_enabled: Option<bool>,
}

impl EndpointIn {
    fn form(&self) -> EndpointForm {
        let text = |o: &Option<String>| o.clone().unwrap_or_default();
        EndpointForm {
            service_id: self.service_id.to_string(),
            ipv4: text(&self.ipv4),
            mac: text(&self.mac),
            pppoe_login: text(&self.pppoe_login),
            pppoe_password: text(&self.pppoe_password),
            address_line: self.address_line.clone(),
            postal_code: self.postal_code.clone(),
            city: self.city.clone(),
            access_enabled: self.access_enabled.unwrap_or(true),
        }
    }
}

pub fn list_endpoints(conn: &mut DbConn, query: &ListQuery) -> Db<Answer> {
    let page = match query.page() {
        Ok(page) => page,
        Err(problem) => return Ok(problem.into()),
    };
    let rows = db::api::endpoints_page(conn, page)?;
    Ok(Answer::ok(
        200,
        paged(rows, &page, |(e, _)| e.id, EndpointOut::of),
    ))
}

pub fn get_endpoint(conn: &mut DbConn, id: i64) -> Db<Answer> {
    Ok(match db::api::endpoint(conn, id)? {
        Some(row) => Answer::ok(200, EndpointOut::of(row)),
        None => Problem::not_found("endpoint").into(),
    })
}

pub fn save_endpoint(
    conn: &mut DbConn,
    secrets: &SecretBox,
    id: Option<i64>,
    input: &EndpointIn,
    actor: &Actor,
    now: NaiveDateTime,
) -> Db<Answer> {
    let customer_id = match id {
        Some(id) => match db::api::endpoint(conn, id)? {
            Some((_, customer_id)) => customer_id,
            None => return Ok(Problem::not_found("endpoint").into()),
        },
        None => match db::api::service(conn, input.service_id)? {
            Some(s) => s.customer_id,
            None => {
                return Ok(Problem::field("service_id", "api-unknown", "No such service.").into());
            }
        },
    };
    match network_records::save_endpoint(conn, secrets, customer_id, id, &input.form(), actor, now)
    {
        Ok(saved) => get_endpoint(conn, saved).map(|a| Answer {
            status: if id.is_some() { 200 } else { 201 },
            ..a
        }),
        Err(error) => network_problem(error, "endpoint"),
    }
}

/// Cuts the endpoint off (`access_enabled` false); the network view shows it at once.
pub fn suspend_endpoint(
    conn: &mut DbConn,
    id: i64,
    actor: &Actor,
    now: NaiveDateTime,
) -> Db<Answer> {
    let Some((_, customer_id)) = db::api::endpoint(conn, id)? else {
        return Ok(Problem::not_found("endpoint").into());
    };
    db::api::set_endpoint_access(conn, id, false, now)?;
    crate::app::audit::record(
        conn,
        &actor.for_customer(customer_id),
        "endpoint_suspended",
        json!({ "endpoint": id }),
        now,
    )?;
    get_endpoint(conn, id)
}

// ---- tariffs ------------------------------------------------------------------------------------

/// A tariff.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": 2, "code": "NET300", "name": "Internet 300", "download_mbps": 300, "upload_mbps": 50,
    "monthly_fee": "79.99", "vat_rate": "23", "active": true
}))]
pub struct TariffOut {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub download_mbps: i32,
    pub upload_mbps: i32,
    pub monthly_fee: String,
    pub vat_rate: String,
    pub active: bool,
}

pub fn list_tariffs(conn: &mut DbConn) -> Db<Answer> {
    let tariffs: Vec<TariffOut> = db::api::tariffs(conn)?
        .into_iter()
        .map(|t: Tariff| TariffOut {
            id: t.id,
            code: t.code,
            name: t.name,
            download_mbps: t.download_mbps,
            upload_mbps: t.upload_mbps,
            monthly_fee: amount(t.monthly_fee),
            vat_rate: t.vat_rate,
            active: t.active,
        })
        .collect();
    Ok(Answer::ok(200, json!({ "items": tariffs })))
}

// ---- the network view ---------------------------------------------------------------------------

/// What a router needs of one endpoint.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "endpoint_id": 40, "customer_id": 12, "service_id": 31, "ipv4": "100.64.0.17",
    "ipv6_prefix": null, "mac": "02:11:22:33:44:55", "pppoe_login": "anna.nowak",
    "download_mbps": 300, "upload_mbps": 50, "access_enabled": true, "warning": false,
    "blocked": false
}))]
pub struct NetworkEntry {
    pub endpoint_id: i64,
    #[schema(value_type = i64)]
    pub customer_id: CustomerId,
    pub service_id: i64,
    pub ipv4: Option<String>,
    pub ipv6_prefix: Option<String>,
    pub mac: Option<String>,
    pub pppoe_login: Option<String>,
    /// From the tariff of the service's contract (none without a contract).
    pub download_mbps: Option<i32>,
    pub upload_mbps: Option<i32>,
    /// False when the endpoint or its service is suspended.
    pub access_enabled: bool,
    /// Dunning: show the payment warning page.
    pub warning: bool,
    /// Dunning: cut off.
    pub blocked: bool,
}

/// The network view and its entity tag (a hash of the view: equal tags, equal views).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NetworkView {
    pub items: Vec<NetworkEntry>,
}

pub fn network_view(conn: &mut DbConn) -> Db<(NetworkView, String)> {
    let items = db::api::network_rows(conn)?
        .into_iter()
        .map(|(endpoint, service, speed, flag)| NetworkEntry {
            endpoint_id: endpoint.id,
            customer_id: service.customer_id,
            service_id: service.id,
            ipv4: endpoint.ipv4,
            ipv6_prefix: endpoint.ipv6_prefix,
            mac: endpoint.mac,
            pppoe_login: endpoint.pppoe_login,
            download_mbps: speed.map(|(down, _)| down),
            upload_mbps: speed.map(|(_, up)| up),
            access_enabled: endpoint.access_enabled && service.status == ServiceStatus::Active,
            warning: flag.as_deref() == Some("warning"),
            blocked: flag.as_deref() == Some("block"),
        })
        .collect();
    let view = NetworkView { items };
    let body = serde_json::to_vec(&view).unwrap_or_default();
    let tag = format!(
        "\"{}\"",
        &crate::app::crypto::hex(&Sha256::digest(&body))[..32]
    );
    Ok((view, tag))
}

/// For the list types in the OpenAPI document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CustomerList {
    pub items: Vec<CustomerOut>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContractList {
    pub items: Vec<ContractOut>,
    pub next_cursor: Option<String>,
}
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceList {
    pub items: Vec<ServiceOut>,
    pub next_cursor: Option<String>,
}
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EndpointList {
    pub items: Vec<EndpointOut>,
    pub next_cursor: Option<String>,
}
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TariffList {
    pub items: Vec<TariffOut>,
}
