//! Who sent the money: the matching cascade, strongest evidence first. Each match records why.

use crate::db::{self, DbConn};
use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use crate::domain::bank_statement::StatementLine;
use crate::domain::payment_title::{customer_number_candidates, invoice_number_candidates};

/// Why a transaction was given to a customer (stored as `match_reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchReason {
    /// Sent to the customer's individual account number (NRB).
    Account,
    /// The title names one of the customer's invoices.
    InvoiceNumber,
    /// The title names the customer's number.
    CustomerNumber,
    /// Assigned by staff from the review queue.
    Manual,
}

impl MatchReason {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchReason::Account => "account",
            MatchReason::InvoiceNumber => "invoice_number",
            MatchReason::CustomerNumber => "customer_number",
            MatchReason::Manual => "manual",
        }
    }

    /// The reason as stored with a transaction matched at preview (never `manual` there).
    pub fn stored(text: Option<&str>) -> MatchReason {
        match text {
            Some("account") => MatchReason::Account,
            Some("invoice_number") => MatchReason::InvoiceNumber,
            _ => MatchReason::CustomerNumber,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub customer_id: CustomerId,
    pub invoice_id: Option<InvoiceId>,
    pub reason: MatchReason,
}

/// The individual account → an invoice number in the title → a customer number in the title.
/// Evidence pointing at two different customers is no evidence: the line goes to review.
pub fn find_customer(
    conn: &mut DbConn,
    line: &StatementLine,
) -> diesel::QueryResult<Option<Match>> {
    if let Some(account) = line.account_to.as_deref()
        && let Some(customer) = db::customers::find_by_nrb(conn, account)?
    {
        return Ok(Some(Match {
            customer_id: customer.id,
            invoice_id: None,
            reason: MatchReason::Account,
        }));
    }
    let numbers = invoice_number_candidates(&line.title);
    if !numbers.is_empty() {
        let invoices = db::invoices::issued_with_numbers(conn, &numbers)?;
        if let Some((invoice_id, customer_id, _)) = invoices.first()
            && invoices.iter().all(|(_, c, _)| c == customer_id)
        {
            return Ok(Some(Match {
                customer_id: *customer_id,
                invoice_id: Some(*invoice_id),
                reason: MatchReason::InvoiceNumber,
            }));
        }
    }
    let customer_numbers = customer_number_candidates(&line.title);
    if !customer_numbers.is_empty() {
        let customers = db::customers::find_by_numbers(conn, &customer_numbers)?;
        if let [customer] = customers.as_slice() {
            return Ok(Some(Match {
                customer_id: customer.id,
                invoice_id: None,
                reason: MatchReason::CustomerNumber,
            }));
        }
    }
    Ok(None)
}
