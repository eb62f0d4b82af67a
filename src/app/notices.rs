//! The subscriber's notices: what expires or ends soon, what is overdue, a low prepaid balance.

use chrono::{Duration, NaiveDate};

use crate::config::NoticeConfig;
use crate::db::{self, DbConn};
use crate::domain::notices::{self, Candidates, Expiring, Notice, Overdue, Thresholds};

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
    let services: Vec<Expiring> = db::services::expiring_of_customer(
        conn,
        customer_id,
        today + Duration::days(config.service_days),
    )?
    .into_iter()
    .filter_map(|s| {
        Some(Expiring {
            id: s.id,
            name: s.name,
            ends_on: s.expires_on?,
            renews: s.auto_renew,
        })
    })
    .collect();
    let domains: Vec<Expiring> = db::domains::expiring_of_customer(
        conn,
        customer_id,
        today + Duration::days(config.domain_days),
    )?
    .into_iter()
    .map(|d| Expiring {
        id: d.id,
        name: d.name,
        ends_on: d.expires_on,
        renews: d.auto_renew,
    })
    .collect();
    let contracts: Vec<Expiring> = db::contracts::of_customer(conn, customer_id)?
        .into_iter()
        .filter(|(c, _)| c.status == "active")
        .filter_map(|(c, _)| {
            Some(Expiring {
                id: c.id,
                renews: c.after_term == "indefinite",
                ends_on: c.ends_on?,
                name: c.number,
            })
        })
        .collect();
    let overdue = overdue_invoices(conn, customer_id, today)?;
    let credit = db::payments::unallocated_of_customer(conn, customer_id)?;
    Ok(notices::notices(
        today,
        thresholds(config),
        &Candidates {
            overdue: &overdue,
            services: &services,
            domains: &domains,
            contracts: &contracts,
            credit,
        },
    ))
}

fn overdue_invoices(
    conn: &mut DbConn,
    customer_id: i64,
    today: NaiveDate,
) -> diesel::QueryResult<Vec<Overdue>> {
    let due = db::invoices::due_before_of_customer(conn, customer_id, today)?;
    if due.is_empty() {
        return Ok(Vec::new());
    }
    let balances = db::invoices::balances_of_customer(conn, customer_id)?;
    let paid: std::collections::HashMap<i64, i64> = balances
        .into_iter()
        .map(|(id, _, _, paid)| (id, paid))
        .collect();
    Ok(due
        .into_iter()
        .filter_map(|(id, number, due_date, gross)| {
            let amount_due = gross - paid.get(&id).copied().unwrap_or(0);
            (amount_due > 0).then(|| Overdue {
                invoice_id: id,
                number: number.unwrap_or_default(),
                due_date,
                amount_due,
            })
        })
        .collect())
}
