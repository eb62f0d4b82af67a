//! Typed ids: one type per table whose rows are named across rooms, so a query scoped to a
//! customer cannot be handed an invoice's id, nor a contract's, without the compiler saying so.
//!
//! Each is the row's `BIGINT` primary key and nothing more: no arithmetic, no ordering beyond
//! the id's own (lists sort by it), serialised as the bare number (pages, JSON and forms see what
//! they saw before). The column mapping lives in `db::typed`; the path and form parsing in
//! `web::ids`, so this room stays free of Diesel and Rocket.
//!
//! A customer-scoped read takes the customer's id and the object's, each typed:
//!
//! ```no_run
//! use ebok::db::DbConn;
//! use ebok::domain::{CustomerId, InvoiceId};
//!
//! fn read(conn: &mut DbConn, customer: CustomerId, invoice: InvoiceId) {
//!     let _ = ebok::db::invoices::find_of_customer(conn, customer, invoice);
//! }
//! ```
//!
//! and the same call with the two swapped, or with a contract's id for the invoice's, is refused:
//!
//! ```compile_fail,E0308
//! use ebok::db::DbConn;
//! use ebok::domain::{CustomerId, InvoiceId};
//!
//! fn read(conn: &mut DbConn, customer: CustomerId, invoice: InvoiceId) {
//!     let _ = ebok::db::invoices::find_of_customer(conn, invoice, customer);
//! }
//! ```
//!
//! ```compile_fail,E0308
//! use ebok::db::DbConn;
//! use ebok::domain::{ContractId, CustomerId};
//!
//! fn read(conn: &mut DbConn, customer: CustomerId, contract: ContractId) {
//!     let _ = ebok::db::invoices::find_of_customer(conn, customer, contract);
//! }
//! ```

use std::fmt;
use std::num::ParseIntError;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = ParseIntError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.parse().map($name)
            }
        }
    };
}

id_type!(
    /// A row of `customers`: the subscriber (person or company) that contracts and invoices
    /// belong to. Every customer-facing read is scoped by one.
    CustomerId
);
id_type!(
    /// A row of `invoices` (an invoice or a correction, drafts included).
    InvoiceId
);
id_type!(
    /// A row of `contracts`.
    ContractId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_reads_writes_and_serialises_as_its_number() {
        let id: CustomerId = "42".parse().unwrap();
        assert_eq!(id, CustomerId(42));
        assert_eq!(id.to_string(), "42");
        assert_eq!(serde_json::to_string(&id).unwrap(), "42");
        assert_eq!(
            serde_json::from_str::<InvoiceId>("7").unwrap(),
            InvoiceId(7)
        );
        assert!("4x".parse::<ContractId>().is_err());
    }
}
