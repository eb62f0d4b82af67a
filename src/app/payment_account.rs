//! What staff see of one customer's money: the ledger with its running balance, invoices with
//! what is still owed, and every payment including reversed ones (who reversed it and why).

use crate::domain::CustomerId;
use std::collections::HashMap;

use chrono::NaiveDate;

use crate::app::invoices::{self, InvoiceFilter, InvoiceRow, Ledger};
use crate::app::staff::pending_charges::ChargeRow;
use crate::db::payments::Payment;
use crate::db::{self, DbConn};
use crate::domain::{Money, Nrb};

#[derive(Debug, Clone, serde::Serialize)]
pub struct PaymentRow {
    pub payment: Payment,
    /// "FV/2026/11/000001 (50,00 zł)" for each invoice it pays.
    pub settles: Vec<String>,
    /// What of it is not allocated yet (credit); zero for a reversed payment.
    pub unallocated: i64,
    pub reversed: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct CustomerAccount {
    pub customer_id: CustomerId,
    pub customer_number: i64,
    pub name: String,
    pub nrb: String,
    pub ledger: Ledger,
    pub invoices: Vec<InvoiceRow>,
    pub payments: Vec<PaymentRow>,
    /// What the customer owes on invoices now (without credit).
    pub outstanding: i64,
}

pub fn customer_name(customer: &db::customers::Customer) -> String {
    match (
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
    }
}

/// The staff panel's page of one customer's account: the account with the one-off charges
/// queued for the next billing run.
pub fn account_with_charges(
    conn: &mut DbConn,
    customer_id: CustomerId,
    today: NaiveDate,
) -> diesel::QueryResult<Option<(CustomerAccount, Vec<ChargeRow>)>> {
    let Some(account) = customer_account(conn, customer_id, today)? else {
        return Ok(None);
    };
    let charges = crate::app::staff::pending_charges::of_customer(conn, customer_id)?;
    Ok(Some((account, charges)))
}

pub fn customer_account(
    conn: &mut DbConn,
    customer_id: CustomerId,
    today: NaiveDate,
) -> diesel::QueryResult<Option<CustomerAccount>> {
    let Some(customer) = db::customers::find(conn, customer_id)? else {
        return Ok(None);
    };
    let ledger = invoices::ledger(conn, customer_id, None, None)?;
    let list = invoices::list(conn, customer_id, &InvoiceFilter::default(), today)?;
    let mut settled: HashMap<i64, Vec<String>> = HashMap::new();
    let mut allocated: HashMap<i64, i64> = HashMap::new();
    for (payment_id, number, amount) in db::payments::allocations_of_customer(conn, customer_id)? {
        settled.entry(payment_id).or_default().push(format!(
            "{} ({})",
            number.unwrap_or_default(),
            Money::from_grosze(amount)
        ));
        *allocated.entry(payment_id).or_default() += amount;
    }
    let payments = db::payments::history_of_customer(conn, customer_id)?
        .into_iter()
        .map(|payment| {
            let reversed = payment.reversed_at.is_some();
            PaymentRow {
                settles: settled.remove(&payment.id).unwrap_or_default(),
                unallocated: if reversed {
                    0
                } else {
                    payment.amount - allocated.get(&payment.id).copied().unwrap_or(0)
                },
                reversed,
                payment,
            }
        })
        .collect();
    Ok(Some(CustomerAccount {
        customer_id,
        customer_number: customer.customer_number,
        name: customer_name(&customer),
        nrb: Nrb::parse(&customer.nrb)
            .map(|n| n.formatted())
            .unwrap_or(customer.nrb.clone()),
        outstanding: list.to_pay,
        ledger,
        invoices: list.invoices,
        payments,
    }))
}

/// The customer id for a customer number typed into the search box.
pub fn customer_by_number(
    conn: &mut DbConn,
    number: &str,
) -> diesel::QueryResult<Option<CustomerId>> {
    match number.trim().parse::<i64>() {
        Ok(number) => Ok(db::customers::find_by_number(conn, number)?.map(|c| c.id)),
        Err(_) => Ok(None),
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct RecentPayment {
    pub payment: Payment,
    pub customer_number: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Overview {
    pub recent: Vec<RecentPayment>,
    pub batches: Vec<db::bank_import::ImportBatch>,
    pub waiting: usize,
    pub waiting_amount: i64,
    /// Credits held as possible duplicates, waiting for staff on the same page.
    pub held: usize,
    pub held_amount: i64,
}

pub fn overview(conn: &mut DbConn) -> diesel::QueryResult<Overview> {
    let recent = db::payments::recent(conn, 30)?
        .into_iter()
        .map(|(payment, customer_number)| RecentPayment {
            payment,
            customer_number,
        })
        .collect();
    let queue = crate::app::bank_import::review_queue(conn)?;
    Ok(Overview {
        recent,
        batches: crate::app::bank_import::recent_batches(conn)?,
        waiting: queue.rows.len(),
        waiting_amount: queue.total,
        held: queue.held.len(),
        held_amount: queue.held.iter().map(|h| h.transaction.amount).sum(),
    })
}
