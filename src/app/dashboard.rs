//! The subscriber's dashboard ("Pulpit"): who they are, what they have, what they owe.

use chrono::NaiveDate;

use crate::db::{self, DbConn};
use crate::domain::{Money, Nrb};

#[derive(Debug, Clone, serde::Serialize)]
pub struct ContractSummary {
    pub number: String,
    pub tariff: String,
    pub monthly_fee: i64,
    pub status: String,
    pub ends_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Dashboard {
    pub display_name: String,
    pub customer_number: i64,
    /// The customer's own account number for transfers, grouped for reading.
    pub bank_account: String,
    pub active_services: i64,
    pub domains: i64,
    pub unpaid_invoices: i64,
    /// Grosze still due on issued invoices.
    pub amount_due: i64,
    pub overdue_invoices: i64,
    pub open_tickets: i64,
    pub contracts: Vec<ContractSummary>,
}

/// Everything for the customer `customer_id`, and only for them.
pub fn load(
    conn: &mut DbConn,
    customer_id: i64,
    today: NaiveDate,
) -> diesel::QueryResult<Option<Dashboard>> {
    let Some(customer) = db::customers::find(conn, customer_id)? else {
        return Ok(None);
    };
    let display_name = match (
        &customer.company_name,
        &customer.first_name,
        &customer.last_name,
    ) {
        (Some(company), _, _) => company.clone(),
        (None, first, last) => format!(
            "{} {}",
            first.as_deref().unwrap_or(""),
            last.as_deref().unwrap_or("")
        )
        .trim()
        .to_owned(),
    };
    let outstanding: Vec<_> = db::invoices::balances_of_customer(conn, customer_id)?
        .into_iter()
        .filter(|(_, _, gross, paid)| gross > paid)
        .collect();
    let amount_due: Money = outstanding
        .iter()
        .map(|(_, _, gross, paid)| Money::from_grosze(gross - paid))
        .sum();
    let contracts = db::contracts::of_customer(conn, customer_id)?
        .into_iter()
        .map(|(contract, tariff)| ContractSummary {
            number: contract.number,
            tariff: tariff.name,
            monthly_fee: contract.monthly_fee,
            status: contract.status,
            ends_on: contract.ends_on,
        })
        .collect();
    Ok(Some(Dashboard {
        display_name,
        customer_number: customer.customer_number,
        bank_account: Nrb::parse(&customer.nrb)
            .map(|nrb| nrb.formatted())
            .unwrap_or(customer.nrb),
        active_services: db::services::count_active(conn, customer_id)?,
        domains: db::domains::count_of_customer(conn, customer_id)?,
        unpaid_invoices: outstanding.len() as i64,
        amount_due: amount_due.grosze(),
        overdue_invoices: outstanding
            .iter()
            .filter(|(_, due, _, _)| *due < today)
            .count() as i64,
        open_tickets: db::tickets::count_open(conn, customer_id)?,
        contracts,
    }))
}
