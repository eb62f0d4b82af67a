//! KSeF use cases: the FA(3) document of every issued invoice (made once, at issue time, and
//! stored byte for byte), the sender's claims and outcomes, and what staff and subscribers see
//! of an invoice's way to KSeF.

mod documents;
mod overview;
mod queue;

pub use documents::{DocumentError, issued_invoice, prepare_document, xml_sha256_base64};
pub use overview::{KsefEntry, KsefOverview, overview, resend_rejected, xml_of_number};
pub use queue::{LEASE, claim_due, next_attempt, prepare_pending, seller_nip};
