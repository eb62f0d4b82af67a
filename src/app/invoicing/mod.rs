//! Issuing e-invoices: numbers from the series counter inside the issuing transaction, amounts
//! from `domain::vat`, snapshots of seller and buyer, the PDF rendered once and stored with its
//! hash, and delivery by e-mail to customers who consented (paper for the others).

mod issue;
pub mod paper;
mod storage;
mod subscriptions;
pub(crate) mod view;

pub(crate) use issue::{
    Buyer, Header, buyer_of, inputs, invoice_mail, line_rows, new_invoice, reserve_numbers,
};
pub use issue::{
    CorrectionRequest, Invoicing, IssueError, IssueRequest, Issued, LineRequest, PayuRefundTarget,
    issue_correction, issue_correction_refunded_through_payu, issue_invoice, price_kind_of,
};
pub use storage::{PdfStore, StorageError, StoredPdf, lower_hex, sha256_hex};
pub(crate) use subscriptions::billed_by as subscriptions_billed_by;
pub use view::{ViewError, invoice_view};
