//! The subscriber's notices: what expires or ends soon, what is overdue, a low prepaid balance.

use chrono::{Duration, NaiveDate};

use crate::config::NoticeConfig;
use crate::db::contracts::Contract;
use crate::db::domains::Domain;
use crate::db::invoices::InvoiceBalance;
use crate::db::payments::Payment;
use crate::db::services::Service;
use crate::db::tariffs::Tariff;
use crate::db::{self, DbConn};
use crate::domain::notices::{self, Candidates, Expiring, Notice, Overdue, Thresholds};

/// What a customer holds and owes: the rows notices are made of. The dashboard loads it once
/// for its tiles and its notices alike (five queries, each on the customer's index).
#[derive(Debug, Clone)]
pub struct CustomerState {
    pub contracts: Vec<(Contract, Tariff)>,
    pub balances: Vec<InvoiceBalance>,
    pub services: Vec<Service>,
    pub domains: Vec<Domain>,
    /// Payments that count (not reversed), newest first.
    pub payments: Vec<Payment>,
}

impl CustomerState {
    pub fn load(conn: &mut DbConn, customer_id: i64) -> diesel::QueryResult<CustomerState> {
        Ok(CustomerState {
            contracts: db::contracts::of_customer(conn, customer_id)?,
            balances: db::invoices::balances_of_customer(conn, customer_id)?,
            services: db::services::of_customer(conn, customer_id)?,
            domains: db::domains::of_customer(conn, customer_id)?,
            payments: db::payments::of_customer(conn, customer_id)?,
        })
    }

    /// Paid but not yet allocated to any invoice: prepaid money.
    pub fn credit(&self) -> i64 {
        let paid: i64 = self.payments.iter().map(|p| p.amount).sum();
        let allocated: i64 = self.balances.iter().map(|b| b.paid).sum();
        paid - allocated
    }

    /// Issued invoices not fully paid.
    pub fn unpaid(&self) -> impl Iterator<Item = &InvoiceBalance> {
        self.balances.iter().filter(|b| b.outstanding() > 0)
    }
}

fn thresholds(config: &NoticeConfig) -> Thresholds {
    Thresholds {
        service_days: config.service_days,
        domain_days: config.domain_days,
        contract_days: config.contract_days,
        low_balance: config.low_balance,
    }
}

/// Everything that needs the customer's action on `today`, most pressing first.
pub fn for_customer(
    conn: &mut DbConn,
    customer_id: i64,
    today: NaiveDate,
    config: &NoticeConfig,
) -> diesel::QueryResult<Vec<Notice>> {
    Ok(from_state(
        &CustomerState::load(conn, customer_id)?,
        today,
        config,
    ))
}

/// The same from rows already loaded.
pub fn from_state(state: &CustomerState, today: NaiveDate, config: &NoticeConfig) -> Vec<Notice> {
    let service_limit = today + Duration::days(config.service_days);
    let services: Vec<Expiring> = state
        .services
        .iter()
        .filter(|s| s.status == "active")
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
        .filter(|d| d.status == "active" && d.expires_on <= domain_limit)
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
        .filter(|(c, _)| c.status == "active")
        .filter_map(|(c, _)| {
            Some(Expiring {
                id: c.id,
                renews: c.after_term == "indefinite",
                ends_on: c.ends_on?,
                name: c.number.clone(),
            })
        })
        .collect();
    let overdue: Vec<Overdue> = state
        .unpaid()
        .filter(|b| b.due_date < today)
        .map(|b| Overdue {
            invoice_id: b.id,
            number: b.number.clone().unwrap_or_default(),
            due_date: b.due_date,
            amount_due: b.outstanding(),
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
            credit: state.credit(),
        },
    )
}
