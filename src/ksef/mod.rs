//! KSeF (Krajowy System e-Faktur): the FA(3) XML of issued invoices, and the KSeF 2.0 client.
//! The only code that speaks KSeF. Uses `domain` only.

pub mod batch;
pub mod client;
pub mod crypto;
pub mod environment;
pub mod fa3;
pub mod number;
pub mod offline;
pub mod qr;
pub mod schema;
pub mod wire;
