//! The payment ledger: a payment is allocated to the customer's unpaid invoices, oldest due
//! first, partly if it does not cover one; what is left is credit, which the next invoice uses
//! ([`settle`] runs when an invoice is issued). Staff record payments by hand and reverse them;
//! a reversal keeps the payment in the history and lays the other payments out again.

use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::app::receivables::Receivables;
use crate::db::payments::NewPayment;
use crate::db::{self, DbConn};
use crate::domain::Money;
use crate::domain::allocation::{OpenInvoice, allocate};

#[derive(Debug, Clone)]
pub struct PaymentRequest {
    pub customer_id: CustomerId,
    pub amount: Money,
    pub received_on: NaiveDate,
    pub method: &'static str,
    pub source: &'static str,
    pub title: Option<String>,
    pub payer_name: Option<String>,
    pub bank_reference: Option<String>,
    pub recorded_by_staff_id: Option<i64>,
    /// Why an imported payment is this customer's (`account`, `invoice_number`, …).
    pub match_reason: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub payment_id: i64,
    /// (invoice id, amount) in the order allocated.
    pub allocations: Vec<(InvoiceId, Money)>,
    pub credit_left: Money,
}

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("a payment must be more than zero")]
    NotPositive,
    #[error("there is no such payment")]
    NotFound,
    #[error("the payment is reversed already")]
    AlreadyReversed,
    #[error("a reversal needs a reason")]
    NoReason,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Books money received, whatever its path (bank import, by hand, PayU, a card charge, a
/// top-up): the payment row, and dunning's warning and block flags lifted at once (the next
/// overdue invoice sets them again by its own steps). The caller settles the ledger.
pub fn insert_received(conn: &mut DbConn, payment: &NewPayment) -> diesel::QueryResult<i64> {
    let payment_id = db::payments::insert(conn, payment)?;
    db::dunning::lift_flags(conn, payment.customer_id)?;
    Ok(payment_id)
}

pub fn record_payment(
    conn: &mut DbConn,
    request: &PaymentRequest,
    now: NaiveDateTime,
) -> Result<Recorded, PaymentError> {
    if request.amount <= Money::zero() {
        return Err(PaymentError::NotPositive);
    }
    db::write_transaction(conn, |conn| {
        let payment_id = insert_received(
            conn,
            &NewPayment {
                customer_id: request.customer_id,
                amount: request.amount.grosze(),
                received_on: request.received_on,
                method: request.method.into(),
                source: request.source.into(),
                title: request.title.clone(),
                payer_name: request.payer_name.clone(),
                bank_reference: request.bank_reference.clone(),
                recorded_by_staff_id: request.recorded_by_staff_id,
                created_at: now,
                match_reason: request.match_reason.map(str::to_owned),
            },
        )?;
        let made = settle(conn, request.customer_id, now)?;
        let allocations: Vec<(InvoiceId, Money)> = made
            .iter()
            .filter(|(payment, _, _)| *payment == payment_id)
            .map(|(_, invoice, amount)| (*invoice, Money::from_grosze(*amount)))
            .collect();
        let on_notes: i64 = db::interest_notes::by_payment_of_customer(conn, request.customer_id)?
            .iter()
            .filter(|(payment, _)| *payment == payment_id)
            .map(|(_, amount)| amount)
            .sum();
        let allocated: i64 = allocations.iter().map(|(_, a)| a.grosze()).sum::<i64>() + on_notes;
        Ok(Recorded {
            payment_id,
            allocations,
            credit_left: Money::from_grosze(request.amount.grosze() - allocated),
        })
    })
}

/// Lays the customer's unallocated money (credit) onto their open invoices: a payment made
/// online for an interest note on that note first, then credit that lapses first (soonest
/// first), then the oldest payment first, each to the oldest due invoice first; what the
/// invoices leave goes to unpaid notes, the rest stays credit. Returns what it allocated as
/// (payment id, invoice id, grosze). Call it inside the transaction that changed the ledger
/// (a payment, a reversal, a newly issued invoice).
pub fn settle(
    conn: &mut DbConn,
    customer_id: CustomerId,
    now: NaiveDateTime,
) -> diesel::QueryResult<Vec<(i64, InvoiceId, i64)>> {
    // Before anything is laid out afresh: credit past its last day keeps what it paid and
    // loses the rest.
    crate::app::credit::expire_lapsed(conn, customer_id, now.date(), now)?;
    let balances = db::invoices::balances_of_customer(conn, customer_id)?;
    // Allocations belong to invoices. One beyond what an invoice is for after a correction
    // lowered it (or one that wave 1 made to a correction) is laid out afresh, so the excess
    // becomes credit for the customer's other invoices.
    let misplaced = balances.iter().any(|b| b.corrects.is_some() && b.paid > 0)
        || Receivables::from_balances(&balances, 0, now.date())
            .debts
            .iter()
            .any(|d| d.overpaid() > 0);
    let balances = if misplaced {
        db::payments::delete_allocations_of_customer(conn, customer_id)?;
        db::invoices::balances_of_customer(conn, customer_id)?
    } else {
        balances
    };
    let mut payments = crate::app::credit::spendable(conn, customer_id)?;
    if payments.iter().all(|p| p.free() == 0) {
        return Ok(Vec::new());
    }
    // Money paid online for one interest note pays that note before any invoice, also when
    // everything is laid out afresh (a reversal, a correction): the subscriber chose it.
    crate::app::interest_notes::settle_earmarked(conn, customer_id, &mut payments, now)?;
    let mut open: Vec<OpenInvoice> = Receivables::from_balances(&balances, 0, now.date())
        .open()
        .into_iter()
        .map(|debt| OpenInvoice {
            invoice_id: debt.invoice_id,
            due_date: debt.due_date,
            outstanding: debt.outstanding(),
        })
        .collect();
    let mut made = Vec::new();
    let mut still_free = Vec::new();
    for payment in payments {
        let (payment_id, mut free) = (payment.payment_id, payment.free());
        if free <= 0 {
            continue;
        }
        for (invoice_id, part) in allocate(&open, free).parts {
            db::payments::add_allocation(conn, payment_id, invoice_id, part, now)?;
            if let Some(invoice) = open.iter_mut().find(|i| i.invoice_id == invoice_id) {
                invoice.outstanding -= part;
            }
            made.push((payment_id, invoice_id, part));
            free -= part;
        }
        open.retain(|i| i.outstanding > 0);
        if free > 0 {
            still_free.push((payment_id, free));
        }
    }
    // Interest notes come after every invoice: what a payment leaves once the invoices are paid
    // goes to the notes, the earliest due first; the rest is credit.
    if !still_free.is_empty() {
        crate::app::interest_notes::settle_notes(conn, customer_id, &still_free, now)?;
    }
    Ok(made)
}

/// What a member of staff typed into the manual payment form.
#[derive(Debug, Clone, Default)]
pub struct ManualPayment {
    pub customer_number: String,
    pub amount: String,
    pub received_on: String,
    pub method: String,
    pub title: String,
}

/// One message per field, so the form comes back with each problem next to its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ManualProblem {
    UnknownCustomer,
    BadAmount,
    BadDate,
    FutureDate,
    BadMethod,
    TitleTooLong,
}

#[derive(Debug, thiserror::Error)]
pub enum ManualError {
    #[error("the manual payment is invalid: {0:?}")]
    Invalid(Vec<ManualProblem>),
    #[error(transparent)]
    Payment(#[from] PaymentError),
}

impl From<diesel::result::Error> for ManualError {
    fn from(error: diesel::result::Error) -> ManualError {
        ManualError::Payment(PaymentError::Database(error))
    }
}

const METHODS: [&str; 3] = ["transfer", "cash", "card"];

/// Records a payment staff took by hand (cash at the office, a transfer seen on the bank's page),
/// audited with who recorded it.
pub fn record_manual(
    conn: &mut DbConn,
    form: &ManualPayment,
    actor: &Actor,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<(Recorded, CustomerId), ManualError> {
    let mut problems = Vec::new();
    let amount = crate::domain::bank_statement::parse_amount(&form.amount)
        .filter(|a| *a > Money::zero() && a.grosze() < 10_000_000_000);
    if amount.is_none() {
        problems.push(ManualProblem::BadAmount);
    }
    let received_on = crate::domain::bank_statement::parse_date(&form.received_on);
    match received_on {
        None => problems.push(ManualProblem::BadDate),
        Some(day) if day > today => problems.push(ManualProblem::FutureDate),
        Some(_) => {}
    }
    let method = METHODS.iter().find(|m| **m == form.method.trim()).copied();
    if method.is_none() {
        problems.push(ManualProblem::BadMethod);
    }
    if form.title.chars().count() > 200 {
        problems.push(ManualProblem::TitleTooLong);
    }
    let customer = match form.customer_number.trim().parse::<i64>() {
        Ok(number) => db::customers::find_by_number(conn, number)?,
        Err(_) => None,
    };
    if customer.is_none() {
        problems.insert(0, ManualProblem::UnknownCustomer);
    }
    let (Some(customer), Some(amount), Some(received_on), Some(method), true) =
        (customer, amount, received_on, method, problems.is_empty())
    else {
        return Err(ManualError::Invalid(problems));
    };
    let title = crate::domain::bank_statement::tidy(&form.title);
    db::write_transaction(conn, |conn| {
        let recorded = record_payment(
            conn,
            &PaymentRequest {
                customer_id: customer.id,
                amount,
                received_on,
                method,
                source: "manual",
                title: Some(title.clone()).filter(|t| !t.is_empty()),
                payer_name: None,
                bank_reference: None,
                recorded_by_staff_id: actor.staff_id,
                match_reason: None,
            },
            now,
        )?;
        let actor = Actor {
            customer_id: Some(customer.id),
            ..actor.clone()
        };
        audit::record(
            conn,
            &actor,
            "payment_recorded",
            json!({
                "payment": recorded.payment_id,
                "customer_number": customer.customer_number,
                "amount": amount.grosze(),
                "received_on": received_on.to_string(),
                "method": method,
                "title": title,
            }),
            now,
        )?;
        Ok((recorded, customer.id))
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reversed {
    pub customer_id: CustomerId,
    /// Allocations made afresh from the customer's other payments.
    pub reallocated: Vec<(i64, InvoiceId, i64)>,
}

/// Reverses a payment (bounced, booked to the wrong customer): it stays in the history marked
/// with who and why, its allocations go, and the customer's other payments are laid out again,
/// oldest payment to the oldest due invoice.
/// An imported payment's bank transaction goes back to the review queue.
pub fn reverse_payment(
    conn: &mut DbConn,
    payment_id: i64,
    reason: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<Reversed, PaymentError> {
    let reason = crate::domain::bank_statement::tidy(reason);
    if reason.is_empty() {
        return Err(PaymentError::NoReason);
    }
    db::write_transaction(conn, |conn| {
        let payment = db::payments::find(conn, payment_id)?.ok_or(PaymentError::NotFound)?;
        if !db::payments::mark_reversed(conn, payment_id, actor.staff_id, &reason, now)? {
            return Err(PaymentError::AlreadyReversed);
        }
        // Lay all the customer's remaining payments out again from scratch, so what is left
        // still pays the oldest due invoices first (not whatever the reversed payment left).
        // Lapsed credit is measured first, against the allocations it made while valid.
        crate::app::credit::expire_lapsed(conn, payment.customer_id, now.date(), now)?;
        db::payments::delete_allocations_of_customer(conn, payment.customer_id)?;
        let requeued = db::bank_import::return_to_queue(conn, payment_id)?;
        let reallocated = settle(conn, payment.customer_id, now)?;
        let actor = Actor {
            customer_id: Some(payment.customer_id),
            ..actor.clone()
        };
        audit::record(
            conn,
            &actor,
            "payment_reversed",
            json!({
                "payment": payment_id,
                "amount": payment.amount,
                "received_on": payment.received_on.to_string(),
                "reason": reason,
                "back_in_review_queue": requeued > 0,
            }),
            now,
        )?;
        Ok(Reversed {
            customer_id: payment.customer_id,
            reallocated,
        })
    })
}

/// A staff member's reversal: whose account the payment is on (where the panel goes back to,
/// also when the reversal is refused) with the reversal's outcome; `None` when there is no such
/// payment.
pub fn reverse_from_panel(
    conn: &mut DbConn,
    payment_id: i64,
    reason: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> diesel::QueryResult<Option<(CustomerId, Result<Reversed, PaymentError>)>> {
    let Some(payment) = db::payments::find(conn, payment_id)? else {
        return Ok(None);
    };
    let reversed = reverse_payment(conn, payment_id, reason, actor, now);
    Ok(Some((payment.customer_id, reversed)))
}
