//! A customer's money as `domain::receivables` defines it, read from the database: what each
//! invoice still owes with its corrections folded in, what the customer owes and has as credit.
//! Every page, PDF, notice, the staff card and the payment ledger take their figures from here.

use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use chrono::NaiveDate;

use crate::db::customers::overview::CustomerOverview;
use crate::db::invoices::InvoiceBalance;
use crate::db::{self, DbConn};
use crate::domain::receivables::{self, Document, InvoiceDebt, Standing};

/// One customer's debts and standing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Receivables {
    /// One per invoice (corrections folded in), by invoice id.
    pub debts: Vec<InvoiceDebt>,
    pub standing: Standing,
    /// Which invoice each correction belongs to: (document id, invoice id).
    roots: Vec<(InvoiceId, InvoiceId)>,
}

impl Receivables {
    pub fn from_balances(
        balances: &[InvoiceBalance],
        payments_total: i64,
        today: NaiveDate,
    ) -> Receivables {
        let documents: Vec<Document> = balances
            .iter()
            .map(|b| Document {
                id: b.id,
                corrects: b.corrects,
                gross: b.gross,
                due_date: b.due_date,
                allocated: b.paid,
            })
            .collect();
        let corrects = documents.iter().map(|d| (d.id, d.corrects)).collect();
        let roots = documents
            .iter()
            .map(|d| (d.id, receivables::root_of(d.id, &corrects)))
            .collect();
        let debts = receivables::invoice_debts(&documents);
        let standing = receivables::standing(&debts, payments_total, today);
        Receivables {
            debts,
            standing,
            roots,
        }
    }

    /// The debt of the invoice that `document_id` is or corrects.
    pub fn debt_of(&self, document_id: InvoiceId) -> Option<&InvoiceDebt> {
        let root = self
            .roots
            .iter()
            .find(|(id, _)| *id == document_id)
            .map_or(document_id, |(_, root)| *root);
        self.debts.iter().find(|d| d.invoice_id == root)
    }

    /// Whether `document_id` is an invoice (not a correction).
    pub fn is_invoice(&self, document_id: InvoiceId) -> bool {
        self.roots
            .iter()
            .any(|(id, root)| *id == document_id && *root == document_id)
    }

    /// Invoices with something still to pay, earliest due first.
    pub fn open(&self) -> Vec<&InvoiceDebt> {
        let mut open: Vec<&InvoiceDebt> = self.debts.iter().filter(|d| !d.is_settled()).collect();
        open.sort_by_key(|d| (d.due_date, d.invoice_id));
        open
    }
}

/// The customer's receivables from the rows the dashboard already read.
pub fn from_overview(state: &CustomerOverview, today: NaiveDate) -> Receivables {
    // Money that paid interest notes is neither on invoices nor credit; lapsed top-up value is
    // no longer the customer's credit (it is shown as lapsed), nor is money refunded.
    let paid: i64 = state.payments.iter().map(|p| p.amount - p.on_notes).sum();
    Receivables::from_balances(
        &state.balances,
        paid - state.lapsed_credit - state.refunded,
        today,
    )
}

/// The customer's receivables, read in two queries.
pub fn of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
    today: NaiveDate,
) -> diesel::QueryResult<Receivables> {
    let balances = db::invoices::balances_of_customer(conn, customer_id)?;
    let payments = db::payments::of_customer(conn, customer_id)?;
    // Money that paid interest notes is neither on invoices nor credit (only payments that
    // count: a reversed payment's allocations are gone).
    let on_notes: i64 = db::interest_notes::by_payment_of_customer(conn, customer_id)?
        .iter()
        .filter(|(payment_id, _)| payments.iter().any(|p| p.id == *payment_id))
        .map(|(_, amount)| amount)
        .sum();
    let paid: i64 = payments.iter().map(|p| p.amount).sum::<i64>() - on_notes;
    // Lapsed top-up value is no longer the customer's credit (it is shown as lapsed).
    let lapsed = db::top_ups::expired_total_of_customer(conn, customer_id)?;
    // Money refunded on a correction went back to the customer: no longer their credit.
    let refunded = db::refunds::total_of_customer(conn, customer_id)?;
    Ok(Receivables::from_balances(
        &balances,
        paid - lapsed - refunded,
        today,
    ))
}
