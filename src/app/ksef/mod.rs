//! KSeF use cases: the FA(3) document of every issued invoice (made once, at issue time, and
//! stored byte for byte), the sender's claims and outcomes, and what staff and subscribers see
//! of an invoice's way to KSeF.

mod documents;
pub mod offline;
mod overview;
mod queue;
pub mod settings;
mod visualisation;

pub use documents::{
    DocumentError, benchmark_without_fa3, benchmark_without_kod1, issued_invoice, prepare_document,
    xml_sha256_base64,
};
pub(crate) use documents::{consumers_to_ksef, document_of_new_invoice};
pub use overview::{
    KsefEntry, KsefOverview, SubscriberKsef, SubscriberKsefState, mark_rows, overview,
    resend_rejected, subscriber_state, upo, xml_of_number,
};
pub use queue::{LEASE, claim_due, next_attempt, prepare_pending, seller_nip};
pub use visualisation::{
    VisualisationError, issue_time_certificate_code, issue_time_code, render_numbered,
};
pub(crate) use visualisation::{
    certificate_code_for, certificate_input, code_for, record_correction_effect,
};
