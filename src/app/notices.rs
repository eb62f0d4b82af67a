//! The subscriber's notices: what expires or ends soon, what is overdue, a low prepaid balance.

use crate::domain::CustomerId;
use crate::domain::{ContractStatus, DomainStatus, ServiceStatus};
use chrono::{Duration, NaiveDate};

use crate::app::receivables;
use crate::config::NoticeConfig;
use crate::db::DbConn;
use crate::db::customers::overview::{self as customer_overview, CustomerOverview};
use crate::domain::notices::{self, Candidates, Expiring, Notice, Overdue, Thresholds};

fn thresholds(config: &NoticeConfig) -> Thresholds {
    Thresholds {
        service_days: config.service_days,
        domain_days: config.domain_days,
        contract_days: config.contract_days,
        low_balance: config.low_balance,
    }
}

/// What of `for_customer` this login's role (`accounts.role`) is shown: a role that does not
/// open an area gets none of its notices.
pub fn for_login(
    conn: &mut DbConn,
    customer_id: CustomerId,
    role: &str,
    today: NaiveDate,
    config: &NoticeConfig,
) -> diesel::QueryResult<Vec<Notice>> {
    let access = crate::app::access::flags(role);
    let mut notices = for_customer(conn, customer_id, today, config)?;
    notices.retain(|notice| crate::app::access::sees_notice(&access, notice));
    Ok(notices)
}

/// Everything that needs the customer's action on `today`, most pressing first.
pub fn for_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
    today: NaiveDate,
    config: &NoticeConfig,
) -> diesel::QueryResult<Vec<Notice>> {
    Ok(from_state(
        &customer_overview::of_customer(conn, customer_id)?,
        today,
        config,
    ))
}

/// The same from rows already loaded.
pub fn from_state(
    state: &CustomerOverview,
    today: NaiveDate,
    config: &NoticeConfig,
) -> Vec<Notice> {
    let service_limit = today + Duration::days(config.service_days);
    let services: Vec<Expiring> = state
        .services
        .iter()
        .filter(|s| s.status == ServiceStatus::Active)
        .filter_map(|s| {
            let ends_on = s.expires_on.filter(|day| *day <= service_limit)?;
            Some(Expiring {
                id: s.id,
                name: s.name.clone(),
                ends_on,
                renews: s.auto_renew,
            })
        })
        .collect();
    let domain_limit = today + Duration::days(config.domain_days);
    let domains: Vec<Expiring> = state
        .domains
        .iter()
        .filter(|d| d.status == DomainStatus::Active && d.expires_on <= domain_limit)
        .map(|d| Expiring {
            id: d.id,
            name: d.name.clone(),
            ends_on: d.expires_on,
            renews: d.auto_renew,
        })
        .collect();
    let contracts: Vec<Expiring> = state
        .contracts
        .iter()
        .filter(|c| c.status == ContractStatus::Active)
        .filter_map(|c| {
            Some(Expiring {
                id: c.id.0,
                renews: c.after_term == "indefinite",
                ends_on: c.ends_on?,
                name: c.number.clone(),
            })
        })
        .collect();
    let money = receivables::from_overview(state, today);
    let overdue: Vec<Overdue> = money
        .open()
        .into_iter()
        .filter(|debt| debt.due_date < today)
        .map(|debt| Overdue {
            invoice_id: debt.invoice_id,
            number: state
                .balances
                .iter()
                .find(|b| b.id == debt.invoice_id)
                .and_then(|b| b.number.clone())
                .unwrap_or_default(),
            due_date: debt.due_date,
            amount_due: debt.outstanding(),
        })
        .collect();
    notices::notices(
        today,
        thresholds(config),
        &Candidates {
            overdue: &overdue,
            services: &services,
            domains: &domains,
            contracts: &contracts,
            credit: money.standing.credit,
        },
    )
}
