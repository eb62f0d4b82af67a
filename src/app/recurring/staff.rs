//! What staff see of automatic payments: every mandate with its card (brand, last four digits,
//! expiry), its charges and their failed attempts.

use crate::domain::ContractId;
use crate::domain::ContractStatus;
use serde::Serialize;

use crate::db::recurring::{Card, Charge, Mandate, NewFailure};
use crate::db::{self, DbConn};

#[derive(Debug, Clone, Serialize)]
pub struct MandateRow {
    pub mandate: Mandate,
    pub card: Card,
    pub contract_number: String,
    pub customer_number: i64,
    pub charges: Vec<Charge>,
    pub failures: Vec<NewFailure>,
}

pub fn mandates(conn: &mut DbConn) -> diesel::QueryResult<Vec<MandateRow>> {
    let mut rows = Vec::new();
    for (mandate, card, contract_number, customer_number) in db::recurring::all_mandates(conn)? {
        let charges = db::recurring::charges_of_mandate(conn, mandate.id)?;
        let ids: Vec<i64> = charges.iter().map(|c| c.id).collect();
        let failures = db::recurring::failures_of_charges(conn, &ids)?;
        rows.push(MandateRow {
            mandate,
            card,
            contract_number,
            customer_number,
            charges,
            failures,
        });
    }
    Ok(rows)
}

/// A contract for the page that ends it at once: (id, number, customer number, status).
pub fn contract(
    conn: &mut DbConn,
    id: ContractId,
) -> diesel::QueryResult<Option<(ContractId, String, i64, ContractStatus)>> {
    let Some(contract) = db::contracts::find(conn, id)? else {
        return Ok(None);
    };
    let number = db::customers::find(conn, contract.customer_id)?.map_or(0, |c| c.customer_number);
    Ok(Some((
        contract.id,
        contract.number,
        number,
        contract.status,
    )))
}
