//! The rows of a demo customer, built without the database from who the customer is
//! ([`CustomerSpec`]) and the ids already known: the fixed customers insert them one by one,
//! the generated ones a chunk at a time (`generated`), so both get the same rows.

use crate::domain::ContractId;
use crate::domain::CustomerId;
use crate::domain::{
    AccountStatus, ContractStatus, CustomerKind, DomainStatus, ServiceKind, ServiceStatus,
};
use chrono::{Days, Months, NaiveDate, NaiveDateTime};
use rand::Rng;
use rand::rngs::StdRng;

use super::{CustomerSpec, ExtraService, fixed};
use crate::app::crypto::{self, SecretKind};
use crate::config::SecurityConfig;
use crate::db::accounts::NewAccount;
use crate::db::contracts::NewContract;
use crate::db::customers::NewCustomer;
use crate::db::domains::NewDomain;
use crate::db::seller::Seller;
use crate::db::services::{NewEndpoint, NewService};
use crate::domain::{Money, Nrb};

/// What a customer's line draws from the customer's generator: the CPE's MAC and the PPPoE
/// password, in this order.
pub(super) struct LineSecrets {
    mac: String,
    pppoe_password: String,
}

impl LineSecrets {
    pub(super) fn draw(rng: &mut StdRng) -> LineSecrets {
        LineSecrets {
            mac: random_mac(rng),
            pppoe_password: random_secret(rng, 10),
        }
    }
}

pub(super) fn customer(
    keys: &SecurityConfig,
    seller: &Seller,
    spec: &CustomerSpec<'_>,
    now: NaiveDateTime,
) -> diesel::QueryResult<NewCustomer> {
    let nrb = Nrb::for_customer(&seller.account_prefix, spec.number as u64)
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.to_string().into()))?;
    let is_company = spec.company.is_some();
    Ok(NewCustomer {
        customer_number: spec.number,
        kind: if is_company {
            CustomerKind::Company
        } else {
            CustomerKind::Person
        },
        first_name: Some(spec.person.first_name.clone()),
        last_name: Some(spec.person.last_name.clone()),
        company_name: spec.company.as_ref().map(|(name, _)| name.clone()),
        pesel_hash: (!is_company).then(|| crypto::pesel_hash(&keys.pesel_key, &spec.person.pesel)),
        pesel_last4: (!is_company).then(|| spec.person.pesel.last_four().to_owned()),
        nip: spec
            .company
            .as_ref()
            .map(|(_, nip)| nip.as_str().to_owned()),
        address_line: spec.address.line.clone(),
        postal_code: spec.address.postal_code.clone(),
        city: spec.address.city.clone(),
        country_code: "PL".into(),
        correspondence_address_line: None,
        correspondence_postal_code: None,
        correspondence_city: None,
        email: spec.email.clone(),
        phone: spec.phone.clone(),
        language: "pl".into(),
        nrb: nrb.as_str().to_owned(),
        created_at: now,
        updated_at: now,
    })
}

/// The customer's active account, if they have one.
pub(super) fn account(
    customer_id: CustomerId,
    spec: &CustomerSpec<'_>,
    now: NaiveDateTime,
) -> Option<NewAccount> {
    spec.account.as_ref().map(|account| NewAccount {
        customer_id,
        login: account.login.clone(),
        login_key: account.login.to_lowercase(),
        email: spec.email.clone(),
        password_hash: account.password_hash.to_owned(),
        role: "owner".into(),
        status: AccountStatus::Active,
        language: "pl".into(),
        totp_secret: None,
        terms_version: Some(fixed::TERMS_VERSION.into()),
        created_at: now,
        activated_at: Some(now),
        last_login_at: None,
        totp_last_step: None,
    })
}

pub(super) fn contract(
    customer_id: CustomerId,
    spec: &CustomerSpec<'_>,
    now: NaiveDateTime,
) -> NewContract {
    let ends_on = spec
        .term_months
        .and_then(|months| spec.signed_on.checked_add_months(Months::new(months)));
    NewContract {
        customer_id,
        number: spec.contract_number.clone(),
        tariff_id: spec.tariff.id,
        signed_on: spec.signed_on,
        starts_on: spec.signed_on + Days::new(7),
        ends_on,
        term_months: spec.term_months.map(|m| m as i32),
        after_term: "indefinite".into(),
        monthly_fee: spec.tariff.monthly_fee,
        billing_day: spec.billing_day as i32,
        install_address_line: spec.address.line.clone(),
        install_postal_code: spec.address.postal_code.clone(),
        install_city: spec.address.city.clone(),
        status: ContractStatus::Active,
        created_at: now,
        updated_at: now,
    }
}

/// The contract's internet service, active a week after signing.
pub(super) fn internet_service(
    customer_id: CustomerId,
    contract_id: ContractId,
    spec: &CustomerSpec<'_>,
    now: NaiveDateTime,
) -> NewService {
    NewService {
        customer_id,
        contract_id: Some(contract_id),
        kind: ServiceKind::Internet,
        name: format!("Internet {}", spec.tariff.name),
        status: ServiceStatus::Active,
        activated_on: spec.signed_on + Days::new(7),
        expires_on: None,
        monthly_fee: spec.tariff.monthly_fee,
        renewal_price: None,
        auto_renew: false,
        created_at: now,
    }
}

/// The internet service's one endpoint, its PPPoE password sealed.
pub(super) fn endpoint(
    keys: &SecurityConfig,
    service_id: i64,
    spec: &CustomerSpec<'_>,
    secrets: &LineSecrets,
    now: NaiveDateTime,
) -> NewEndpoint {
    NewEndpoint {
        service_id,
        ipv4: Some(spec.ipv4.clone()),
        ipv6_prefix: Some(format!("2001:db8:{:x}::/56", spec.number)),
        mac: Some(secrets.mac.clone()),
        pppoe_login: Some(format!("k{:06}@przykladowy-operator.pl", spec.number)),
        pppoe_password: Some(
            keys.secrets
                .seal(SecretKind::PppoePassword, &secrets.pppoe_password),
        ),
        address_line: spec.address.line.clone(),
        postal_code: spec.address.postal_code.clone(),
        city: spec.address.city.clone(),
        access_enabled: true,
        created_at: now,
    }
}

pub(super) fn extra_service(
    customer_id: CustomerId,
    contract_id: ContractId,
    extra: &ExtraService<'_>,
    activated_on: NaiveDate,
    now: NaiveDateTime,
) -> NewService {
    NewService {
        customer_id,
        contract_id: Some(contract_id),
        kind: extra.kind,
        name: extra.name.into(),
        status: ServiceStatus::Active,
        activated_on,
        expires_on: extra.expires_on,
        monthly_fee: extra.monthly_fee.grosze(),
        renewal_price: extra.renewal_price.map(Money::grosze),
        auto_renew: false,
        created_at: now,
    }
}

pub(super) fn domain(
    customer_id: CustomerId,
    name: String,
    expires_on: NaiveDate,
    renewal_price: Money,
    now: NaiveDateTime,
) -> NewDomain {
    NewDomain {
        customer_id,
        name,
        status: DomainStatus::Active,
        registered_on: expires_on
            .checked_sub_months(Months::new(12))
            .unwrap_or(expires_on),
        expires_on,
        auto_renew: false,
        renewal_price: renewal_price.grosze(),
        created_at: now,
    }
}

/// The name the customer's invoices and payments carry.
pub(super) fn display_name(spec: &CustomerSpec<'_>) -> String {
    match &spec.company {
        Some((name, _)) => name.clone(),
        None => format!("{} {}", spec.person.first_name, spec.person.last_name),
    }
}

fn random_mac(rng: &mut StdRng) -> String {
    // 0x02: a locally administered unicast address, as CPE provisioning systems assign.
    let bytes: [u8; 5] = rng.r#gen();
    format!(
        "02:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        bytes[0], bytes[1], bytes[2], bytes[3], bytes[4]
    )
}

fn random_secret(rng: &mut StdRng, len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    (0..len)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}
