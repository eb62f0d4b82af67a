//! Contracts, services and endpoints kept by staff. An IP address and a PPPoE login belong to one
//! endpoint: a clash is a field message, checked inside the write transaction so two staff
//! members cannot hand out the same address at once.

use crate::domain::ContractId;
use crate::domain::CustomerId;
use crate::domain::{ContractStatus, ServiceKind, ServiceStatus, StoredWord};
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::{FieldErrors, optional};
use crate::app::audit::{self, Actor};
use crate::app::crypto::{SecretBox, SecretKind};
use crate::db::contracts::{Contract, NewContract};
use crate::db::customers::Customer;
use crate::db::network_records::{self, ContractChanges, EndpointChanges, ServiceChanges};
use crate::db::services::{Endpoint, NewEndpoint, NewService, Service};
use crate::db::{self, DbConn};
use crate::domain::network::{MacAddress, ipv4, pppoe_login};
use crate::domain::{ContractNumber, Money, contact};

#[derive(Debug, thiserror::Error)]
pub enum NetworkRecordError {
    #[error("the form has problems")]
    Fields(FieldErrors),
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

fn fields(field: &str, key: &'static str) -> NetworkRecordError {
    let mut errors = FieldErrors::default();
    errors.add(field, key);
    NetworkRecordError::Fields(errors)
}

fn date(errors: &mut FieldErrors, field: &str, text: &str, required: bool) -> Option<NaiveDate> {
    match optional(text) {
        Some(text) => match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                errors.add(field, "staff-error-date");
                None
            }
        },
        None => {
            if required {
                errors.add(field, "staff-error-date");
            }
            None
        }
    }
}

fn money(errors: &mut FieldErrors, field: &str, text: &str) -> i64 {
    match Money::parse_pl(text) {
        Ok(amount) if !amount.is_negative() => amount.grosze(),
        _ => {
            errors.add(field, "staff-error-amount");
            0
        }
    }
}

// ---- contracts ------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ContractForm {
    pub number: String,
    pub tariff_id: String,
    pub signed_on: String,
    pub starts_on: String,
    pub ends_on: String,
    pub term_months: String,
    pub after_term: String,
    pub monthly_fee: String,
    pub billing_day: String,
    pub install_address_line: String,
    pub install_postal_code: String,
    pub install_city: String,
    pub status: String,
}

impl ContractForm {
    pub fn from_contract(c: &Contract) -> ContractForm {
        ContractForm {
            number: c.number.clone(),
            tariff_id: c.tariff_id.to_string(),
            signed_on: c.signed_on.to_string(),
            starts_on: c.starts_on.to_string(),
            ends_on: c.ends_on.map(|d| d.to_string()).unwrap_or_default(),
            term_months: c.term_months.map(|m| m.to_string()).unwrap_or_default(),
            after_term: c.after_term.clone(),
            monthly_fee: Money::from_grosze(c.monthly_fee).format_amount(),
            billing_day: c.billing_day.to_string(),
            install_address_line: c.install_address_line.clone(),
            install_postal_code: c.install_postal_code.clone(),
            install_city: c.install_city.clone(),
            status: c.status.to_string(),
        }
    }
}

fn check_contract(
    conn: &mut DbConn,
    form: &ContractForm,
    now: NaiveDateTime,
) -> Result<Result<ContractChanges, FieldErrors>, diesel::result::Error> {
    let mut errors = FieldErrors::default();
    let number = match ContractNumber::parse(&form.number) {
        Ok(n) => n.as_str().to_owned(),
        Err(_) => {
            errors.add("number", "staff-error-contract-number");
            String::new()
        }
    };
    let tariff_id = form.tariff_id.trim().parse::<i64>().ok();
    let tariffs = db::tariffs::list_active(conn)?;
    if !tariff_id.is_some_and(|id| tariffs.iter().any(|t| t.id == id)) {
        errors.add("tariff_id", "staff-error-tariff");
    }
    let signed_on = date(&mut errors, "signed_on", &form.signed_on, true);
    let starts_on = date(&mut errors, "starts_on", &form.starts_on, true);
    let ends_on = date(&mut errors, "ends_on", &form.ends_on, false);
    if let (Some(start), Some(end)) = (starts_on, ends_on)
        && end < start
    {
        errors.add("ends_on", "staff-error-ends-before-start");
    }
    let term_months = match optional(&form.term_months) {
        Some(t) => match t.parse::<i32>() {
            Ok(m) if (1..=60).contains(&m) => Some(m),
            _ => {
                errors.add("term_months", "staff-error-term");
                None
            }
        },
        None => None,
    };
    let after_term = match form.after_term.as_str() {
        "" | "indefinite" => "indefinite",
        "terminate" => "terminate",
        _ => {
            errors.add("after_term", "staff-error-choice");
            "indefinite"
        }
    };
    let monthly_fee = money(&mut errors, "monthly_fee", &form.monthly_fee);
    let billing_day = match form.billing_day.trim().parse::<i32>() {
        Ok(day) if (1..=28).contains(&day) => day,
        _ => {
            errors.add("billing_day", "staff-error-billing-day");
            1
        }
    };
    if optional(&form.install_address_line).is_none() {
        errors.add("install_address_line", "staff-error-required");
    }
    if optional(&form.install_city).is_none() {
        errors.add("install_city", "staff-error-required");
    }
    let postal_code = contact::postal_code(&form.install_postal_code);
    if postal_code.is_none() {
        errors.add("install_postal_code", "staff-error-postal-code");
    }
    let status = ContractStatus::parse(&form.status);
    if status.is_none() {
        errors.add("status", "staff-error-choice");
    }
    let (Some(tariff_id), Some(signed_on), Some(starts_on), Some(status)) =
        (tariff_id, signed_on, starts_on, status)
    else {
        return Ok(Err(errors));
    };
    Ok(errors.into_result(ContractChanges {
        number,
        tariff_id,
        signed_on,
        starts_on,
        ends_on,
        term_months,
        after_term: after_term.into(),
        monthly_fee,
        billing_day,
        install_address_line: form.install_address_line.trim().to_owned(),
        install_postal_code: postal_code.unwrap_or_default(),
        install_city: form.install_city.trim().to_owned(),
        status,
        updated_at: now,
    }))
}

/// Creates (`contract_id` None) or changes a contract of the customer.
pub fn save_contract(
    conn: &mut DbConn,
    customer_id: CustomerId,
    contract_id: Option<ContractId>,
    form: &ContractForm,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<ContractId, NetworkRecordError> {
    db::write_transaction(conn, |conn| {
        db::customers::find(conn, customer_id)?.ok_or(NetworkRecordError::NotFound)?;
        let before = match contract_id {
            Some(id) => Some(
                network_records::contract_of(conn, customer_id, id)?
                    .ok_or(NetworkRecordError::NotFound)?,
            ),
            None => None,
        };
        let c = check_contract(conn, form, now)?.map_err(NetworkRecordError::Fields)?;
        if network_records::contract_number_taken(conn, &c.number, contract_id)? {
            return Err(fields("number", "staff-error-contract-number-taken"));
        }
        let id = match contract_id {
            Some(id) => {
                network_records::update_contract(conn, id, &c)?;
                id
            }
            None => db::contracts::insert(
                conn,
                &NewContract {
                    customer_id,
                    number: c.number.clone(),
                    tariff_id: c.tariff_id,
                    signed_on: c.signed_on,
                    starts_on: c.starts_on,
                    ends_on: c.ends_on,
                    term_months: c.term_months,
                    after_term: c.after_term.clone(),
                    monthly_fee: c.monthly_fee,
                    billing_day: c.billing_day,
                    install_address_line: c.install_address_line.clone(),
                    install_postal_code: c.install_postal_code.clone(),
                    install_city: c.install_city.clone(),
                    status: c.status,
                    created_at: now,
                    updated_at: now,
                },
            )?,
        };
        audit::record(
            conn,
            &actor.for_customer(customer_id),
            if before.is_some() {
                "contract_changed"
            } else {
                "contract_created"
            },
            json!({
                "contract": id,
                "before": before.as_ref().map(ContractForm::from_contract),
                "after": ContractForm { monthly_fee: Money::from_grosze(c.monthly_fee).format_amount(), number: c.number.clone(), ..form.clone() },
            }),
            now,
        )?;
        Ok(id)
    })
}

// ---- services -------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ServiceForm {
    pub contract_id: String,
    pub kind: String,
    pub name: String,
    pub status: String,
    pub activated_on: String,
    pub expires_on: String,
    pub monthly_fee: String,
}

impl ServiceForm {
    pub fn from_service(s: &Service) -> ServiceForm {
        ServiceForm {
            contract_id: s.contract_id.map(|id| id.to_string()).unwrap_or_default(),
            kind: s.kind.to_string(),
            name: s.name.clone(),
            status: s.status.to_string(),
            activated_on: s.activated_on.to_string(),
            expires_on: s.expires_on.map(|d| d.to_string()).unwrap_or_default(),
            monthly_fee: Money::from_grosze(s.monthly_fee).format_amount(),
        }
    }
}

pub fn save_service(
    conn: &mut DbConn,
    customer_id: CustomerId,
    service_id: Option<i64>,
    form: &ServiceForm,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<i64, NetworkRecordError> {
    let mut errors = FieldErrors::default();
    let kind = ServiceKind::parse(&form.kind);
    if kind.is_none() {
        errors.add("kind", "staff-error-choice");
    }
    if optional(&form.name).is_none() {
        errors.add("name", "staff-error-required");
    }
    let status = ServiceStatus::parse(&form.status);
    if status.is_none() {
        errors.add("status", "staff-error-choice");
    }
    let activated_on = date(&mut errors, "activated_on", &form.activated_on, true);
    let expires_on = date(&mut errors, "expires_on", &form.expires_on, false);
    let monthly_fee = money(&mut errors, "monthly_fee", &form.monthly_fee);
    let contract_id = match optional(&form.contract_id) {
        Some(id) => match id.parse::<ContractId>() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.add("contract_id", "staff-error-choice");
                None
            }
        },
        None => None,
    };
    db::write_transaction(conn, |conn| {
        db::customers::find(conn, customer_id)?.ok_or(NetworkRecordError::NotFound)?;
        let before = match service_id {
            Some(id) => Some(
                network_records::service_of(conn, customer_id, id)?
                    .ok_or(NetworkRecordError::NotFound)?,
            ),
            None => None,
        };
        let mut errors = errors.clone();
        if let Some(id) = contract_id {
            // Only the customer's own contracts may carry the service.
            if network_records::contract_of(conn, customer_id, id)?.is_none() {
                errors.add("contract_id", "staff-error-choice");
            }
        }
        let (Some(kind), Some(status), Some(activated_on), true) =
            (kind, status, activated_on, errors.is_empty())
        else {
            return Err(NetworkRecordError::Fields(errors));
        };
        let changes = ServiceChanges {
            contract_id,
            kind,
            name: form.name.trim().to_owned(),
            status,
            activated_on,
            expires_on,
            monthly_fee,
            updated_at: Some(now),
        };
        let id = match service_id {
            Some(id) => {
                network_records::update_service(conn, id, &changes)?;
                id
            }
            None => db::services::insert(
                conn,
                &NewService {
                    customer_id,
                    contract_id,
                    kind: changes.kind,
                    name: changes.name.clone(),
                    status: changes.status,
                    activated_on,
                    expires_on,
                    monthly_fee,
                    renewal_price: None,
                    auto_renew: false,
                    created_at: now,
                },
            )?,
        };
        audit::record(
            conn,
            &actor.for_customer(customer_id),
            if before.is_some() {
                "service_changed"
            } else {
                "service_created"
            },
            json!({ "service": id, "before": before.as_ref().map(ServiceForm::from_service), "after": form }),
            now,
        )?;
        Ok(id)
    })
}

// ---- endpoints ------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct EndpointForm {
    pub service_id: String,
    pub ipv4: String,
    pub mac: String,
    pub pppoe_login: String,
    pub pppoe_password: String,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub access_enabled: bool,
}

impl EndpointForm {
    /// The PPPoE password is not shown back; an empty field keeps it.
    pub fn from_endpoint(e: &Endpoint) -> EndpointForm {
        EndpointForm {
            service_id: e.service_id.to_string(),
            ipv4: e.ipv4.clone().unwrap_or_default(),
            mac: e.mac.clone().unwrap_or_default(),
            pppoe_login: e.pppoe_login.clone().unwrap_or_default(),
            pppoe_password: String::new(),
            address_line: e.address_line.clone(),
            postal_code: e.postal_code.clone(),
            city: e.city.clone(),
            access_enabled: e.access_enabled,
        }
    }
}

pub fn save_endpoint(
    conn: &mut DbConn,
    secrets: &SecretBox,
    customer_id: CustomerId,
    endpoint_id: Option<i64>,
    form: &EndpointForm,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<i64, NetworkRecordError> {
    let mut errors = FieldErrors::default();
    let ip = optional(&form.ipv4).and_then(|typed| match ipv4(&typed) {
        Ok(ip) => Some(ip),
        Err(_) => {
            errors.add("ipv4", "staff-error-ipv4");
            None
        }
    });
    let mac = optional(&form.mac).and_then(|typed| match MacAddress::parse(&typed) {
        Ok(mac) => Some(mac.as_str().to_owned()),
        Err(_) => {
            errors.add("mac", "staff-error-mac");
            None
        }
    });
    let login = optional(&form.pppoe_login).and_then(|typed| match pppoe_login(&typed) {
        Ok(login) => Some(login),
        Err(_) => {
            errors.add("pppoe_login", "staff-error-pppoe-login");
            None
        }
    });
    if optional(&form.address_line).is_none() {
        errors.add("address_line", "staff-error-required");
    }
    if optional(&form.city).is_none() {
        errors.add("city", "staff-error-required");
    }
    let postal_code = contact::postal_code(&form.postal_code);
    if postal_code.is_none() {
        errors.add("postal_code", "staff-error-postal-code");
    }
    let service_id = form.service_id.trim().parse::<i64>().ok();
    db::write_transaction(conn, |conn| {
        db::customers::find(conn, customer_id)?.ok_or(NetworkRecordError::NotFound)?;
        let before = match endpoint_id {
            Some(id) => Some(
                network_records::endpoint_of(conn, customer_id, id)?
                    .ok_or(NetworkRecordError::NotFound)?,
            ),
            None => None,
        };
        let mut errors = errors.clone();
        let service_ok = match service_id {
            Some(id) => network_records::service_of(conn, customer_id, id)?.is_some(),
            None => false,
        };
        if !service_ok {
            errors.add("service_id", "staff-error-choice");
        }
        if let Some(ip) = &ip
            && network_records::ipv4_taken(conn, ip, endpoint_id)?
        {
            errors.add("ipv4", "staff-error-ipv4-taken");
        }
        if let Some(login) = &login
            && network_records::pppoe_login_taken(conn, login, endpoint_id)?
        {
            errors.add("pppoe_login", "staff-error-pppoe-login-taken");
        }
        let (Some(service_id), true) = (service_id, errors.is_empty()) else {
            return Err(NetworkRecordError::Fields(errors));
        };
        // An empty password field keeps the stored one (it is never shown back).
        let password = optional(&form.pppoe_password)
            .map(|typed| secrets.seal(SecretKind::PppoePassword, &typed))
            .or_else(|| before.as_ref().and_then(|b| b.pppoe_password.clone()));
        let changes = EndpointChanges {
            ipv4: ip,
            mac,
            pppoe_login: login,
            pppoe_password: password,
            address_line: form.address_line.trim().to_owned(),
            postal_code: postal_code.unwrap_or_default(),
            city: form.city.trim().to_owned(),
            access_enabled: form.access_enabled,
            updated_at: Some(now),
        };
        let id = match endpoint_id {
            Some(id) => {
                network_records::update_endpoint(conn, id, &changes)?;
                id
            }
            None => db::services::insert_endpoint(
                conn,
                &NewEndpoint {
                    service_id,
                    ipv4: changes.ipv4.clone(),
                    ipv6_prefix: None,
                    mac: changes.mac.clone(),
                    pppoe_login: changes.pppoe_login.clone(),
                    pppoe_password: changes.pppoe_password.clone(),
                    address_line: changes.address_line.clone(),
                    postal_code: changes.postal_code.clone(),
                    city: changes.city.clone(),
                    access_enabled: changes.access_enabled,
                    created_at: now,
                },
            )?,
        };
        let after = EndpointForm {
            pppoe_password: String::new(),
            ..form.clone()
        };
        audit::record(
            conn,
            &actor.for_customer(customer_id),
            if before.is_some() {
                "endpoint_changed"
            } else {
                "endpoint_created"
            },
            json!({ "endpoint": id, "before": before.as_ref().map(EndpointForm::from_endpoint), "after": after, "password_changed": optional(&form.pppoe_password).is_some() }),
            now,
        )?;
        Ok(id)
    })
}

// ---- one editor for the three kinds ---------------------------------------------------------

/// What every form page needs about the customer, and the choices its selects offer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Choices {
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub customer_number: i64,
    pub tariffs: Vec<(i64, String)>,
    pub contracts: Vec<(ContractId, String)>,
    pub services: Vec<(i64, String)>,
    pub service_kinds: &'static [ServiceKind],
}

/// The choices for the customer's forms; `None` when there is no such customer.
pub fn choices(conn: &mut DbConn, customer_id: CustomerId) -> diesel::QueryResult<Option<Choices>> {
    let Some(customer) = db::customers::find(conn, customer_id)? else {
        return Ok(None);
    };
    Ok(Some(Choices {
        customer_id,
        customer_name: super::customer_card::display_name(&customer),
        customer_number: customer.customer_number,
        tariffs: db::tariffs::list_active(conn)?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect(),
        contracts: db::contracts::of_customer(conn, customer_id)?
            .into_iter()
            .map(|(c, _)| (c.id, c.number))
            .collect(),
        services: network_records::services_of_customer(conn, customer_id)?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect(),
        service_kinds: ServiceKind::ALL,
    }))
}

/// What a new record's form starts from besides the customer: today, and for an endpoint the
/// service it was opened from.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    pub today: NaiveDate,
    pub service_id: Option<i64>,
}

/// What differs between a contract, a service and an endpoint; their staff pages (new, edit,
/// save, the form again with its problems) are otherwise the same and written once over this.
pub trait NetworkRecord: Send + 'static {
    type Form: Clone + Default + serde::Serialize + Send + 'static;
    /// The form of a new record for this customer.
    fn blank(customer: &Customer, preset: Preset) -> Self::Form;
    /// The customer's record `id` as a form; `None` when it is not theirs.
    fn load(
        conn: &mut DbConn,
        customer_id: CustomerId,
        id: i64,
    ) -> diesel::QueryResult<Option<Self::Form>>;
    /// Creates (`ids.1` empty) or changes the customer's (`ids.0`) record, by `by` (who, when).
    fn save(
        conn: &mut DbConn,
        secrets: &SecretBox,
        ids: (CustomerId, Option<i64>),
        form: &Self::Form,
        by: (&Actor, NaiveDateTime),
    ) -> Result<i64, NetworkRecordError>;
    /// The typed form as shown again after a refusal.
    fn shown(form: Self::Form) -> Self::Form {
        form
    }
}

pub struct Contracts;
pub struct Services;
pub struct Endpoints;

impl NetworkRecord for Contracts {
    type Form = ContractForm;
    fn blank(customer: &Customer, preset: Preset) -> ContractForm {
        let today = preset.today.to_string();
        ContractForm {
            signed_on: today.clone(),
            starts_on: today,
            after_term: "indefinite".into(),
            billing_day: "1".into(),
            install_address_line: customer.address_line.clone(),
            install_postal_code: customer.postal_code.clone(),
            install_city: customer.city.clone(),
            status: "active".into(),
            ..ContractForm::default()
        }
    }
    fn load(
        conn: &mut DbConn,
        customer_id: CustomerId,
        id: i64,
    ) -> diesel::QueryResult<Option<ContractForm>> {
        Ok(
            network_records::contract_of(conn, customer_id, ContractId(id))?
                .map(|contract| ContractForm::from_contract(&contract)),
        )
    }
    fn save(
        conn: &mut DbConn,
        _: &SecretBox,
        (customer_id, id): (CustomerId, Option<i64>),
        form: &ContractForm,
        (actor, now): (&Actor, NaiveDateTime),
    ) -> Result<i64, NetworkRecordError> {
        // The record editor is shared by contracts, services and endpoints: its ids are plain.
        save_contract(conn, customer_id, id.map(ContractId), form, actor, now).map(|id| id.0)
    }
}

impl NetworkRecord for Services {
    type Form = ServiceForm;
    fn blank(_: &Customer, preset: Preset) -> ServiceForm {
        ServiceForm {
            kind: "internet".into(),
            status: "active".into(),
            activated_on: preset.today.to_string(),
            monthly_fee: "0,00".into(),
            ..ServiceForm::default()
        }
    }
    fn load(
        conn: &mut DbConn,
        customer_id: CustomerId,
        id: i64,
    ) -> diesel::QueryResult<Option<ServiceForm>> {
        Ok(network_records::service_of(conn, customer_id, id)?
            .map(|service| ServiceForm::from_service(&service)))
    }
    fn save(
        conn: &mut DbConn,
        _: &SecretBox,
        (customer_id, id): (CustomerId, Option<i64>),
        form: &ServiceForm,
        (actor, now): (&Actor, NaiveDateTime),
    ) -> Result<i64, NetworkRecordError> {
        save_service(conn, customer_id, id, form, actor, now)
    }
}

impl NetworkRecord for Endpoints {
    type Form = EndpointForm;
    fn blank(customer: &Customer, preset: Preset) -> EndpointForm {
        EndpointForm {
            service_id: preset.service_id.map(|s| s.to_string()).unwrap_or_default(),
            address_line: customer.address_line.clone(),
            postal_code: customer.postal_code.clone(),
            city: customer.city.clone(),
            access_enabled: true,
            ..EndpointForm::default()
        }
    }
    fn load(
        conn: &mut DbConn,
        customer_id: CustomerId,
        id: i64,
    ) -> diesel::QueryResult<Option<EndpointForm>> {
        Ok(network_records::endpoint_of(conn, customer_id, id)?
            .map(|endpoint| EndpointForm::from_endpoint(&endpoint)))
    }
    fn save(
        conn: &mut DbConn,
        secrets: &SecretBox,
        (customer_id, id): (CustomerId, Option<i64>),
        form: &EndpointForm,
        (actor, now): (&Actor, NaiveDateTime),
    ) -> Result<i64, NetworkRecordError> {
        save_endpoint(conn, secrets, customer_id, id, form, actor, now)
    }
    /// The password is never echoed back into the page.
    fn shown(form: EndpointForm) -> EndpointForm {
        EndpointForm {
            pppoe_password: String::new(),
            ..form
        }
    }
}

/// A record's form with the customer's choices.
pub struct Editor<F> {
    pub form: F,
    pub choices: Choices,
}

/// The editor of the customer's record `id` (`None`: a new one); `None` when the customer or
/// the record is not there.
pub fn editor<R: NetworkRecord>(
    conn: &mut DbConn,
    customer_id: CustomerId,
    id: Option<i64>,
    preset: Preset,
) -> diesel::QueryResult<Option<Editor<R::Form>>> {
    let form = match id {
        Some(id) => R::load(conn, customer_id, id)?,
        None => db::customers::find(conn, customer_id)?.map(|c| R::blank(&c, preset)),
    };
    let Some(form) = form else {
        return Ok(None);
    };
    Ok(choices(conn, customer_id)?.map(|choices| Editor { form, choices }))
}

/// A refused form's problems with the editor to show them on (`None`: the customer is gone).
pub type Refused<F> = (FieldErrors, Option<Editor<F>>);

/// Saves the typed record; `Ok(Err(..))` is the form's problems with the editor to show them
/// on (read in the same trip; `None` when the customer is gone).
pub fn save<R: NetworkRecord>(
    conn: &mut DbConn,
    secrets: &SecretBox,
    ids: (CustomerId, Option<i64>),
    form: &R::Form,
    by: (&Actor, NaiveDateTime),
) -> Result<Result<i64, Refused<R::Form>>, NetworkRecordError> {
    match R::save(conn, secrets, ids, form, by) {
        Ok(id) => Ok(Ok(id)),
        Err(NetworkRecordError::Fields(errors)) => {
            let editor = choices(conn, ids.0)?.map(|choices| Editor {
                form: R::shown(form.clone()),
                choices,
            });
            Ok(Err((errors, editor)))
        }
        Err(error) => Err(error),
    }
}
