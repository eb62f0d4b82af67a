//! Allocating money to invoices: the oldest due first, partly when it does not cover one. What
//! is left over is the customer's credit, used by the next invoice.

use crate::domain::InvoiceId;
use chrono::NaiveDate;

/// An issued invoice with something still to pay. Interest notes are settled by the same rule,
/// so the id is an invoice's by default and a note's (`OpenInvoice<i64>`) there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenInvoice<Id = InvoiceId> {
    pub invoice_id: Id,
    pub due_date: NaiveDate,
    /// Grosze still owed; invoices with nothing owed are skipped.
    pub outstanding: i64,
}

/// Where an amount goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation<Id = InvoiceId> {
    /// (invoice id, grosze) in the order allocated.
    pub parts: Vec<(Id, i64)>,
    /// Grosze that settle nothing yet: credit.
    pub left: i64,
}

/// Spreads `amount` grosze over the open invoices, earliest due date first (the lower id first
/// on the same day, so the order never depends on how the rows were read).
pub fn allocate<Id: Copy + Ord>(open: &[OpenInvoice<Id>], amount: i64) -> Allocation<Id> {
    let mut ordered: Vec<&OpenInvoice<Id>> = open.iter().filter(|i| i.outstanding > 0).collect();
    ordered.sort_by_key(|i| (i.due_date, i.invoice_id));
    let mut left = amount.max(0);
    let mut parts = Vec::new();
    for invoice in ordered {
        if left == 0 {
            break;
        }
        let part = invoice.outstanding.min(left);
        parts.push((invoice.invoice_id, part));
        left -= part;
    }
    Allocation { parts, left }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(id: i64, day: u32, outstanding: i64) -> OpenInvoice {
        OpenInvoice {
            invoice_id: InvoiceId(id),
            due_date: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
            outstanding,
        }
    }

    #[test]
    fn the_oldest_due_invoice_is_paid_first_whatever_the_input_order() {
        let result = allocate(&[open(2, 20, 5000), open(1, 10, 5000)], 7000);
        assert_eq!(
            result.parts,
            vec![(InvoiceId(1), 5000), (InvoiceId(2), 2000)]
        );
        assert_eq!(result.left, 0);
    }

    #[test]
    fn a_partial_payment_leaves_the_invoice_partly_paid() {
        let result = allocate(&[open(1, 10, 5000)], 1234);
        assert_eq!(result.parts, vec![(InvoiceId(1), 1234)]);
        assert_eq!(result.left, 0);
    }

    #[test]
    fn an_overpayment_leaves_credit() {
        let result = allocate(&[open(1, 10, 5000)], 8000);
        assert_eq!(result.parts, vec![(InvoiceId(1), 5000)]);
        assert_eq!(result.left, 3000);
    }

    #[test]
    fn same_due_date_goes_by_invoice_id_and_settled_invoices_are_skipped() {
        let result = allocate(&[open(7, 10, 100), open(3, 10, 100), open(1, 1, 0)], 150);
        assert_eq!(result.parts, vec![(InvoiceId(3), 100), (InvoiceId(7), 50)]);
    }

    #[test]
    fn nothing_open_means_everything_is_credit() {
        assert_eq!(
            allocate::<InvoiceId>(&[], 999),
            Allocation {
                parts: vec![],
                left: 999
            }
        );
    }
}
