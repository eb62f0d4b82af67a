//! Three months of invoices and payments for a demo customer: the fixed customers' issued one by
//! one through the real invoicing path (numbers, PDFs, hashes) and paid through the real ledger;
//! the generated customers' a chunk at a time ([`issue_many`]), as the billing run issues its
//! invoices: the same numbers, rows, FA(3) documents and PDFs, written with multi-row INSERTs.

use crate::domain::ContractId;
use crate::domain::CustomerId;
use crate::domain::Delivery;
use crate::domain::InvoiceId;
use crate::domain::InvoiceKind;
use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use std::collections::HashMap;

use serde_json::json;

use super::DemoError;
use crate::app::audit::{self, Actor};
use crate::app::billing::chunk::{stored_invoice, stored_line};
use crate::app::billing::render::{Document, Fa3Setting, render_and_store};
use crate::app::invoicing::{
    self, Header, Invoicing, IssueError, IssueRequest, LineRequest, buyer_of, inputs, line_rows,
    new_invoice, subscriptions_billed_by,
};
use crate::app::payments::{self, PaymentRequest};
use crate::db::customers::Customer;
use crate::db::payments::{NewPayment, NewPaymentAllocation};
use crate::db::seller::Seller;
use crate::db::subscription_periods::NewSubscriptionPeriod;
use crate::db::{self, DbConn};
use crate::domain::allocation::{OpenInvoice, allocate};
use crate::domain::billing::BillingPeriod;
use crate::domain::subscription_periods::InvoicedBy;
use crate::domain::vat::{self, InvoiceTotals, PriceKind};
use crate::domain::{Money, VatRate};

/// One chargeable line: what the customer pays monthly, gross (consumer prices include VAT).
#[derive(Debug, Clone)]
pub struct MonthlyCharge {
    pub name: String,
    pub gross: Money,
    pub service_id: Option<i64>,
}

/// How the customer settled each invoice, oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settlement {
    Paid,
    HalfPaid,
    Unpaid,
}

pub struct History<'a> {
    pub customer_id: CustomerId,
    pub contract_id: ContractId,
    pub payer_name: &'a str,
    /// Businesses are invoiced net (the same price, less VAT).
    pub is_business: bool,
    pub charges: &'a [MonthlyCharge],
    pub billing_day: u32,
    pub signed_on: NaiveDate,
}

pub const SERIES: &str = "FV";
const PAYMENT_TERM_DAYS: u64 = 14;

/// The last `count` billing dates on or before `today`, oldest first.
pub fn last_billing_dates(today: NaiveDate, billing_day: u32, count: usize) -> Vec<NaiveDate> {
    let mut date = today.with_day(billing_day).unwrap_or(today);
    if date > today {
        date = date.checked_sub_months(Months::new(1)).unwrap_or(date);
    }
    let mut dates = Vec::with_capacity(count);
    for _ in 0..count {
        dates.push(date);
        date = date.checked_sub_months(Months::new(1)).unwrap_or(date);
    }
    dates.reverse();
    dates
}

fn month_of(date: NaiveDate) -> (NaiveDate, NaiveDate) {
    let start = date.with_day(1).unwrap_or(date);
    let end = start
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(date);
    (start, end)
}

fn lines(history: &History<'_>, period: BillingPeriod) -> Vec<LineRequest> {
    history
        .charges
        .iter()
        .map(|charge| LineRequest {
            name: charge.name.clone(),
            unit: "usł.".into(),
            quantity: Decimal::ONE,
            unit_price: if history.is_business {
                Money::from_decimal_half_up(charge.gross.to_decimal() / dec!(1.23))
                    .unwrap_or(charge.gross)
            } else {
                charge.gross
            },
            rate: VatRate::Standard23,
            service_id: charge.service_id,
            // Each monthly charge of a service is that service's subscription for the month,
            // recorded as every issuing path records it.
            subscription: charge.service_id.map(|_| period),
        })
        .collect()
}

pub fn issue(
    conn: &mut DbConn,
    invoicing: &Invoicing<'_>,
    history: &History<'_>,
    settlements: [Settlement; 3],
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<(), DemoError> {
    let dates = last_billing_dates(today, history.billing_day, settlements.len());
    for (issue_date, settlement) in dates.into_iter().zip(settlements) {
        if issue_date < history.signed_on {
            continue;
        }
        let issued = invoicing::issue_invoice(
            conn,
            invoicing,
            &IssueRequest {
                customer_id: history.customer_id,
                contract_id: Some(history.contract_id),
                series_code: SERIES.into(),
                issue_date,
                sale_date: None,
                period: Some(month_of(issue_date)),
                payment_days: PAYMENT_TERM_DAYS,
                lines: lines(history, BillingPeriod::containing(issue_date)),
                annex_15_goods: false,
                invoiced_by: InvoicedBy::Demo,
                actor: Actor::default(),
            },
            now,
        )?;
        // Demo history was delivered when it was issued; only new invoices wait for posting.
        db::invoices::mark_delivered(conn, issued.invoice_id, now)?;
        let paid = paid_of(settlement, issued.total_gross);
        if paid > Money::zero() {
            payments::record_payment(
                conn,
                &PaymentRequest {
                    customer_id: history.customer_id,
                    amount: paid,
                    received_on: (issue_date + Days::new(5)).min(today),
                    method: "transfer",
                    source: "demo",
                    title: Some(issued.number),
                    payer_name: Some(history.payer_name.to_owned()),
                    bank_reference: None,
                    recorded_by_staff_id: None,
                    match_reason: None,
                },
                now,
            )?;
        }
    }
    Ok(())
}

/// A generated customer's history, to issue with the rest of the chunk's.
pub struct Planned<'a> {
    pub customer: &'a Customer,
    pub history: History<'a>,
    pub settlements: [Settlement; 3],
}

/// One invoice of a chunk's history before it is written.
struct Draft {
    planned: usize,
    settlement: Settlement,
    lines: Vec<LineRequest>,
    totals: InvoiceTotals,
    method: PriceKind,
}

/// Issues the chunk's histories as [`issue`] would issue each customer's in turn (numbers in
/// the same order, the same rows, FA(3) documents, PDFs when the store keeps them, audit
/// entries, payments and their allocations), with a statement per table instead of dozens per
/// invoice. The caller's transaction holds the series' counter rows until it commits.
pub fn issue_many(
    conn: &mut DbConn,
    invoicing: &Invoicing<'_>,
    seller: &Seller,
    planned: &[Planned<'_>],
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<(), DemoError> {
    let mut dates = Vec::new();
    let mut drafts = Vec::new();
    for (index, customer) in planned.iter().enumerate() {
        let history = &customer.history;
        let due = last_billing_dates(today, history.billing_day, customer.settlements.len());
        for (issue_date, settlement) in due.into_iter().zip(customer.settlements) {
            if issue_date < history.signed_on {
                continue;
            }
            let method = invoicing::price_kind_of(customer.customer);
            let lines = lines(history, BillingPeriod::containing(issue_date));
            let totals = vat::compute(&inputs(&lines), method).map_err(IssueError::from)?;
            dates.push(issue_date);
            drafts.push(Draft {
                planned: index,
                settlement,
                lines,
                totals,
                method,
            });
        }
    }
    let numbers = invoicing::reserve_numbers(conn, SERIES, &dates)?;
    let mut rows = Vec::with_capacity(drafts.len());
    for ((draft, issue_date), series) in drafts.iter().zip(&dates).zip(numbers) {
        let customer = planned[draft.planned].customer;
        let mut row = new_invoice(Header {
            seller,
            customer,
            buyer: &buyer_of(customer)?,
            contract_id: Some(planned[draft.planned].history.contract_id),
            kind: InvoiceKind::Invoice,
            corrects: None,
            series,
            issue_date: *issue_date,
            sale_date: None,
            period: Some(month_of(*issue_date)),
            payment_days: PAYMENT_TERM_DAYS,
            totals: (draft.totals.net, draft.totals.vat, draft.totals.gross),
            method: draft.method,
            // Services are not załącznik 15 goods: no split-payment note.
            split_payment: false,
            // No mail in the demo: every invoice goes on paper.
            delivery: Delivery::Paper,
            now,
        });
        // Demo history was delivered when it was issued; only new invoices wait for posting.
        row.delivered_at = Some(now);
        rows.push(row);
    }
    let ids: HashMap<String, InvoiceId> = db::billing::insert_invoices(conn, &rows)?
        .into_iter()
        .filter_map(|(id, number)| number.map(|n| (n, id)))
        .collect();
    let fa3 = Fa3Setting {
        consumers_to_ksef: crate::app::ksef::consumers_to_ksef(conn)?,
        environment: crate::app::ksef::settings::environment(conn)?,
        now,
    };
    let mut all_lines = Vec::new();
    let mut facts = Vec::new();
    let mut documents = Vec::with_capacity(rows.len());
    let mut audit_entries = Vec::with_capacity(rows.len());
    let mut payments = Vec::new();
    for (draft, row) in drafts.iter().zip(rows) {
        let customer = &planned[draft.planned];
        let number = row.number.clone().unwrap_or_default();
        let id = *ids.get(&number).ok_or(diesel::result::Error::NotFound)?;
        let lines = line_rows(id, &draft.lines, &draft.totals, draft.method, "line", 1);
        facts.extend(subscriptions_billed_by(&draft.lines).into_iter().map(|s| {
            NewSubscriptionPeriod {
                service_id: s.service_id,
                contract_id: Some(customer.history.contract_id),
                period: s.period.key(),
                invoice_id: id,
                source: InvoicedBy::Demo.as_str().into(),
                created_at: now,
                released_by_invoice_id: None,
                released_at: None,
            }
        }));
        audit_entries.push(audit::entry(
            &Actor::default(),
            "invoice_issued",
            json!({ "invoice": id, "number": number, "gross": draft.totals.gross.grosze() }),
            now,
        ));
        let paid = paid_of(draft.settlement, draft.totals.gross);
        if paid > Money::zero() {
            payments.push(NewPayment {
                customer_id: customer.customer.id,
                amount: paid.grosze(),
                received_on: (row.issue_date + Days::new(5)).min(today),
                method: "transfer".into(),
                source: "demo".into(),
                title: Some(number),
                payer_name: Some(customer.history.payer_name.to_owned()),
                bank_reference: None,
                recorded_by_staff_id: None,
                created_at: now,
                match_reason: None,
            });
        }
        documents.push(Document {
            lines: lines.iter().map(stored_line).collect(),
            invoice: stored_invoice(id, row),
            customer_number: customer.customer.customer_number,
            fa3: Some(fa3),
        });
        all_lines.extend(lines);
    }
    db::billing::insert_lines(conn, &all_lines)?;
    db::subscription_periods::record(conn, &facts)?;
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let mut rendered = render_and_store(invoicing, &documents, threads)?;
    let ksef_documents: Vec<_> = rendered.iter_mut().filter_map(|r| r.ksef.take()).collect();
    db::ksef::insert_many(conn, &ksef_documents)?;
    for (document, rendered) in documents.iter().zip(&rendered) {
        if let Some(pdf) = &rendered.pdf {
            db::invoices::attach_pdf(conn, document.invoice.id, &pdf.relative_path, &pdf.sha256)?;
        }
    }
    db::audit::insert_many(conn, &audit_entries)?;
    // A new customer has no dunning flags for a payment to lift (`payments::insert_received`).
    let payment_ids: HashMap<String, i64> = db::payments::insert_many(conn, &payments)?
        .into_iter()
        .filter_map(|(id, title)| title.map(|t| (t, id)))
        .collect();
    let paid: HashMap<&str, (i64, i64)> = payments
        .iter()
        .filter_map(|p| {
            let title = p.title.as_deref()?;
            Some((title, (*payment_ids.get(title)?, p.amount)))
        })
        .collect();
    let mut allocations = Vec::new();
    for customer in documents.chunk_by(|a, b| a.invoice.customer_id == b.invoice.customer_id) {
        let ledger: Vec<LedgerEntry> = customer
            .iter()
            .map(|document| LedgerEntry {
                invoice: OpenInvoice {
                    invoice_id: document.invoice.id,
                    due_date: document.invoice.due_date,
                    outstanding: document.invoice.total_gross,
                },
                payment: document
                    .invoice
                    .number
                    .as_deref()
                    .and_then(|number| paid.get(number).copied()),
            })
            .collect();
        allocations.extend(
            settled(&ledger)
                .into_iter()
                .map(|(payment_id, invoice_id, amount)| NewPaymentAllocation {
                    payment_id,
                    invoice_id,
                    amount,
                    created_at: now,
                }),
        );
    }
    db::payments::insert_allocations(conn, &allocations)?;
    Ok(())
}

fn paid_of(settlement: Settlement, total_gross: Money) -> Money {
    match settlement {
        Settlement::Paid => total_gross,
        Settlement::HalfPaid => Money::from_grosze(total_gross.grosze() / 2),
        Settlement::Unpaid => Money::zero(),
    }
}

/// An invoice of a customer's history and the payment made for it (id, grosze), if any.
struct LedgerEntry {
    invoice: OpenInvoice,
    payment: Option<(i64, i64)>,
}

/// The allocations (payment, invoice, grosze) that `payments::settle` makes as a new customer's
/// history is issued oldest first: each invoice issued (and settled from credit), then its
/// payment recorded (and settled), every time by `domain::allocation`'s rule.
fn settled(ledger: &[LedgerEntry]) -> Vec<(i64, InvoiceId, i64)> {
    let mut open: Vec<OpenInvoice> = Vec::new();
    let mut free: Vec<(i64, i64)> = Vec::new();
    let mut made = Vec::new();
    for entry in ledger {
        open.push(entry.invoice);
        lay_out(&mut open, &mut free, &mut made);
        if let Some(payment) = entry.payment {
            free.push(payment);
            lay_out(&mut open, &mut free, &mut made);
        }
    }
    made
}

/// Unallocated money onto open invoices, the oldest payment first.
fn lay_out(
    open: &mut Vec<OpenInvoice>,
    free: &mut [(i64, i64)],
    made: &mut Vec<(i64, InvoiceId, i64)>,
) {
    for (payment_id, left) in free.iter_mut() {
        if *left <= 0 {
            continue;
        }
        for (invoice_id, part) in allocate(open, *left).parts {
            if let Some(invoice) = open.iter_mut().find(|i| i.invoice_id == invoice_id) {
                invoice.outstanding -= part;
            }
            made.push((*payment_id, invoice_id, part));
            *left -= part;
        }
        open.retain(|i| i.outstanding > 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn billing_dates_end_with_the_latest_one_not_in_the_future() {
        assert_eq!(
            last_billing_dates(date(2026, 11, 21), 10, 3),
            vec![date(2026, 9, 10), date(2026, 10, 10), date(2026, 11, 10)]
        );
        assert_eq!(
            last_billing_dates(date(2026, 1, 5), 10, 3),
            vec![date(2025, 10, 10), date(2025, 11, 10), date(2025, 12, 10)]
        );
    }

    #[test]
    fn a_billing_period_is_the_whole_month() {
        assert_eq!(
            month_of(date(2026, 2, 10)),
            (date(2026, 2, 1), date(2026, 2, 28))
        );
    }
}
