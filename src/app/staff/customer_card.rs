//! The staff customer card: everything about one customer on one page.

use crate::domain::CustomerId;
use crate::domain::CustomerKind;
use chrono::{NaiveDate, NaiveDateTime};

use crate::app::invoices::{self, InvoiceFilter, InvoiceRow, Ledger};
use crate::db::contracts::Contract;
use crate::db::customers::Customer;
use crate::db::customers::card as customer_card;
use crate::db::services::{Endpoint, Service};
use crate::db::tariffs::Tariff;
use crate::db::tickets::Ticket;
use crate::db::{self, DbConn, network_records};
use crate::domain::Nrb;

#[derive(Debug, Clone, serde::Serialize)]
pub struct CustomerView {
    pub id: CustomerId,
    pub customer_number: i64,
    pub kind: CustomerKind,
    pub display_name: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company_name: Option<String>,
    pub pesel_last4: Option<String>,
    pub nip: Option<String>,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub correspondence: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub language: String,
    /// Grouped for reading.
    pub bank_account: String,
    pub created_at: NaiveDateTime,
}

pub fn display_name(c: &Customer) -> String {
    match (&c.company_name, c.kind) {
        (Some(company), CustomerKind::Company) => company.clone(),
        _ => format!(
            "{} {}",
            c.first_name.as_deref().unwrap_or(""),
            c.last_name.as_deref().unwrap_or("")
        )
        .trim()
        .to_owned(),
    }
}

impl From<&Customer> for CustomerView {
    fn from(c: &Customer) -> CustomerView {
        let correspondence = match (
            &c.correspondence_address_line,
            &c.correspondence_postal_code,
            &c.correspondence_city,
        ) {
            (Some(line), Some(code), Some(city)) => Some(format!("{line}, {code} {city}")),
            _ => None,
        };
        CustomerView {
            id: c.id,
            customer_number: c.customer_number,
            kind: c.kind,
            display_name: display_name(c),
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            company_name: c.company_name.clone(),
            pesel_last4: c.pesel_last4.clone(),
            nip: c.nip.clone(),
            address_line: c.address_line.clone(),
            postal_code: c.postal_code.clone(),
            city: c.city.clone(),
            correspondence,
            email: c.email.clone(),
            phone: c.phone.clone(),
            language: c.language.clone(),
            bank_account: Nrb::parse(&c.nrb)
                .map(|nrb| nrb.formatted())
                .unwrap_or_else(|_| c.nrb.clone()),
            created_at: c.created_at,
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ContractView {
    pub contract: Contract,
    pub tariff: Tariff,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ServiceView {
    pub service: Service,
    pub contract_number: Option<String>,
    pub endpoints: Vec<Endpoint>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ConsentView {
    pub kind: String,
    pub granted: bool,
    pub text_version: String,
    pub at: NaiveDateTime,
    pub ip: Option<String>,
    pub by_account: bool,
    /// The newest decision of its kind: the one in force.
    pub in_force: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditView {
    pub at: NaiveDateTime,
    pub action: String,
    pub actor_kind: String,
    pub staff_login: Option<String>,
    pub ip: Option<String>,
    /// The details as lines to read (`audit::readable_details`).
    pub details: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct CustomerCard {
    pub customer: CustomerView,
    pub contracts: Vec<ContractView>,
    pub services: Vec<ServiceView>,
    pub invoices: Vec<InvoiceRow>,
    pub to_pay: i64,
    pub ledger: Ledger,
    pub tickets: Vec<Ticket>,
    pub consents: Vec<ConsentView>,
    pub audit: Vec<AuditView>,
    pub pending_changes: i64,
    /// The last RADIUS sessions of the customer's endpoints, for a fault being reported.
    pub connections: Vec<crate::db::traffic::RadiusSession>,
}

const AUDIT_ENTRIES: i64 = 50;
const TICKETS: i64 = 20;

pub fn load(
    conn: &mut DbConn,
    customer_id: CustomerId,
    today: NaiveDate,
) -> diesel::QueryResult<Option<CustomerCard>> {
    let Some(customer) = db::customers::find(conn, customer_id)? else {
        return Ok(None);
    };
    let contracts: Vec<ContractView> = db::contracts::of_customer(conn, customer_id)?
        .into_iter()
        .map(|(contract, tariff)| ContractView { contract, tariff })
        .collect();
    let mut endpoints = network_records::endpoints_of_customer(conn, customer_id)?;
    let services = network_records::services_of_customer(conn, customer_id)?
        .into_iter()
        .map(|service| {
            let (mine, rest): (Vec<Endpoint>, Vec<Endpoint>) = std::mem::take(&mut endpoints)
                .into_iter()
                .partition(|e| e.service_id == service.id);
            endpoints = rest;
            ServiceView {
                contract_number: contracts
                    .iter()
                    .find(|c| Some(c.contract.id) == service.contract_id)
                    .map(|c| c.contract.number.clone()),
                service,
                endpoints: mine,
            }
        })
        .collect();
    let invoice_list = invoices::list(conn, customer_id, &InvoiceFilter::default(), today)?;
    let ledger = invoices::ledger(conn, customer_id, None, None)?;
    let mut seen_kinds = std::collections::HashSet::new();
    let consents = customer_card::consents_of(conn, customer_id)?
        .into_iter()
        .map(|c| ConsentView {
            in_force: seen_kinds.insert(c.kind.clone()),
            kind: c.kind,
            granted: c.granted,
            text_version: c.text_version,
            at: c.at,
            ip: c.ip,
            by_account: c.account_id.is_some(),
        })
        .collect();
    let audit = customer_card::audit_of(conn, customer_id, AUDIT_ENTRIES)?
        .into_iter()
        .map(|(entry, staff_login)| AuditView {
            at: entry.at,
            action: entry.action,
            actor_kind: entry.actor_kind,
            staff_login,
            ip: entry.ip,
            details: crate::app::audit::readable_details(&entry.details),
        })
        .collect();
    Ok(Some(CustomerCard {
        customer: CustomerView::from(&customer),
        contracts,
        services,
        invoices: invoice_list.invoices,
        to_pay: invoice_list.to_pay,
        ledger,
        tickets: customer_card::tickets_of(conn, customer_id, TICKETS)?,
        consents,
        audit,
        pending_changes: db::change_requests::pending_count_of(conn, customer_id)?,
        connections: crate::app::radius::recent_of_customer(
            conn,
            customer_id,
            None,
            crate::app::radius::RECENT,
        )?,
    }))
}
