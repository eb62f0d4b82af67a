//! What is owed: the one definition every page, PDF, notice, QR code, mail, the staff card, the
//! payment ledger and dunning read.
//!
//! - An **invoice** owes its gross plus every corrective invoice that refers to it (directly or
//!   through earlier corrections), minus what payments allocated to it.
//! - A **correction** is never paid by itself: its amount moves what its original owes. A
//!   correction that lowers an invoice below what was already paid turns the excess into the
//!   customer's credit.
//! - A **customer** owes the sum of what their invoices still owe, and has as credit what they
//!   paid that no invoice holds.
//!
//! Payments are laid onto invoices greedily (see `allocation`), so at any time a customer either
//! owes something or has credit, never both: what is owed always equals
//! `max(Σ documents − Σ payments, 0)` and the credit `max(Σ payments − Σ documents, 0)`, which
//! is what the property tests check every page against.

use crate::domain::InvoiceId;
use std::collections::HashMap;

use chrono::NaiveDate;

/// An issued invoice or corrective invoice of one customer, with what was allocated to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: InvoiceId,
    /// The document a correction refers to (an invoice, or an earlier correction).
    pub corrects: Option<InvoiceId>,
    pub gross: i64,
    pub due_date: NaiveDate,
    /// Grosze allocated to this document by payments. Allocations are made to invoices only;
    /// one made to a correction (by e-BOK before corrections were folded into their original)
    /// counts towards the original.
    pub allocated: i64,
}

/// What one invoice owes, with its corrections folded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvoiceDebt {
    pub invoice_id: InvoiceId,
    pub due_date: NaiveDate,
    /// The invoice's own gross as issued.
    pub gross: i64,
    /// The sum of its corrections' amounts (negative when they lowered it).
    pub corrections: i64,
    pub allocated: i64,
}

impl InvoiceDebt {
    /// What the invoice is for after its corrections.
    pub fn corrected_gross(&self) -> i64 {
        self.gross + self.corrections
    }

    /// Grosze still to pay on it.
    pub fn outstanding(&self) -> i64 {
        (self.corrected_gross() - self.allocated).max(0)
    }

    /// Paid beyond what it is for after a correction lowered it: the customer's credit until
    /// the ledger is laid out again.
    pub fn overpaid(&self) -> i64 {
        (self.allocated - self.corrected_gross().max(0)).max(0)
    }

    pub fn is_settled(&self) -> bool {
        self.outstanding() == 0
    }
}

/// The invoice at the root of a correction chain: follows `corrects` until a document that
/// corrects nothing. A reference to a document not in `documents` (never expected: documents of
/// one customer refer to each other) makes the last one found the root, and a cycle (impossible:
/// a correction always refers to an older id) stops at the start.
pub fn root_of(id: InvoiceId, corrects: &HashMap<InvoiceId, Option<InvoiceId>>) -> InvoiceId {
    let mut current = id;
    for _ in 0..corrects.len() {
        match corrects.get(&current).copied().flatten() {
            Some(next) if corrects.contains_key(&next) => current = next,
            _ => return current,
        }
    }
    id
}

/// Each invoice's debt, corrections folded into the invoice they (ultimately) correct; ordered
/// by invoice id.
pub fn invoice_debts(documents: &[Document]) -> Vec<InvoiceDebt> {
    let corrects: HashMap<InvoiceId, Option<InvoiceId>> =
        documents.iter().map(|d| (d.id, d.corrects)).collect();
    let mut debts: HashMap<InvoiceId, InvoiceDebt> = HashMap::new();
    let mut ordered = documents.to_vec();
    ordered.sort_by_key(|d| d.id);
    for document in &ordered {
        let root = root_of(document.id, &corrects);
        let entry = debts.entry(root).or_insert(InvoiceDebt {
            invoice_id: root,
            due_date: document.due_date,
            gross: 0,
            corrections: 0,
            allocated: 0,
        });
        if root == document.id {
            entry.gross += document.gross;
            entry.due_date = document.due_date;
        } else {
            entry.corrections += document.gross;
        }
        entry.allocated += document.allocated;
    }
    let mut out: Vec<InvoiceDebt> = debts.into_values().collect();
    out.sort_by_key(|d| d.invoice_id);
    out
}

/// Where a customer stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Standing {
    /// Grosze the customer owes on invoices.
    pub owed: i64,
    /// Grosze paid that no invoice holds: used by the next invoice, or refunded.
    pub credit: i64,
    /// Of `owed`, what is past its due date on `today`.
    pub overdue: i64,
}

impl Standing {
    /// Owed minus credit: positive when the customer owes, negative when they are in credit.
    pub fn balance(&self) -> i64 {
        self.owed - self.credit
    }
}

/// The customer's standing from their invoices' debts and the payments that count (not
/// reversed).
pub fn standing(debts: &[InvoiceDebt], payments_total: i64, today: NaiveDate) -> Standing {
    let allocated: i64 = debts.iter().map(|d| d.allocated).sum();
    let overpaid: i64 = debts.iter().map(InvoiceDebt::overpaid).sum();
    Standing {
        owed: debts.iter().map(InvoiceDebt::outstanding).sum(),
        credit: (payments_total - allocated + overpaid).max(0),
        overdue: debts
            .iter()
            .filter(|d| d.due_date < today)
            .map(InvoiceDebt::outstanding)
            .sum(),
    }
}

/// What happens to the part of a lowering correction that the customer had already paid: the
/// staff's choice on the correction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Overpaid {
    /// Credited against what the customer owes now or next ("zaliczona na poczet należności").
    #[default]
    Credit,
    /// Sent back to the customer's bank account ("zwrócona na rachunek").
    Refund,
}

impl Overpaid {
    pub fn parse(text: &str) -> Option<Overpaid> {
        match text {
            "credit" => Some(Overpaid::Credit),
            "refund" => Some(Overpaid::Refund),
            _ => None,
        }
    }
}

/// What a corrective invoice means for the customer's money, for its PDF, page and mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CorrectionEffect {
    /// The correction raises the invoice: the customer pays this much more (on the original's
    /// account and title).
    ToPay { amount: i64 },
    /// The correction lowers the invoice: `reduces` comes off what was still to pay; what was
    /// already paid of the lowered amount is overpaid, and the staff chose (see [`Overpaid`])
    /// whether it is `credit` ("zaliczona na poczet należności") or a `refund` to the
    /// customer's account ("zwrócona na rachunek"). At most one of the two is non-zero.
    Lowers {
        reduces: i64,
        credit: i64,
        refund: i64,
    },
    /// The amounts did not change (a correction of data only).
    Nothing,
}

impl CorrectionEffect {
    /// The effect of a correction of `difference` grosze on an invoice that stood at `before`
    /// (the debt as it was before the correction), the overpaid part going as staff chose.
    pub fn of(before: &InvoiceDebt, difference: i64, overpaid: Overpaid) -> CorrectionEffect {
        match difference {
            0 => CorrectionEffect::Nothing,
            d if d > 0 => CorrectionEffect::ToPay { amount: d },
            d => {
                let lowered = -d;
                let reduces = lowered.min(before.outstanding());
                let over = lowered - reduces;
                let (credit, refund) = match overpaid {
                    Overpaid::Credit => (over, 0),
                    Overpaid::Refund => (0, over),
                };
                CorrectionEffect::Lowers {
                    reduces,
                    credit,
                    refund,
                }
            }
        }
    }

    /// Grosze the correction sends back to the customer's account.
    pub fn refund(&self) -> i64 {
        match self {
            CorrectionEffect::Lowers { refund, .. } => *refund,
            _ => 0,
        }
    }

    /// Whether the document should print payment details (account, title, QR).
    pub fn customer_pays(&self) -> bool {
        matches!(self, CorrectionEffect::ToPay { .. })
    }
}

#[cfg(test)]
mod tests;
