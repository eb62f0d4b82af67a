//! Issuing e-invoices: numbers from the series counter inside the issuing transaction, amounts
//! from `domain::vat`, snapshots of seller and buyer, the PDF rendered once and stored with its
//! hash, and delivery by e-mail to customers who consented (paper for the others).

mod issue;
mod storage;
mod view;

pub use issue::{
    CorrectionRequest, Invoicing, IssueError, IssueRequest, Issued, LineRequest, issue_correction,
    issue_invoice,
};
pub use storage::{PdfStore, StoredPdf};
pub use view::{ViewError, invoice_view};
