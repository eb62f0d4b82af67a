//! KSeF use cases: the FA(3) document of every issued invoice (made once, at issue time, and
//! stored byte for byte), and what staff and subscribers see of an invoice's way to KSeF.

mod documents;

pub use documents::{DocumentError, issued_invoice, prepare_document, xml_sha256_base64};
