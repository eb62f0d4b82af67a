//! Placing a payment order for one interest note: the note's outstanding amount, the note
//! recorded in `online_payment_notes`. When the order is paid, `app::payments::settle` lays its
//! money on that note before anything else (`app::interest_notes::settle_earmarked`).

use super::{
    Draft, Gateway, PayError, PayRequest, Placed, SAME_ORDER_WINDOW, Started, database, write_order,
};
use crate::db::{self, DbConn};
use crate::domain::online_payment::PaymentPurpose;
use crate::payu::wire::Product;

/// A payment for what is still owed of one of the customer's interest notes. Only the
/// customer's own note is found; a paid one has nothing to pay. A double click finds the order
/// the first click placed (same note, same amount).
pub(super) fn place(
    conn: &mut DbConn,
    gateway: &Gateway,
    request: &PayRequest,
    customer: &db::customers::Customer,
    account: Option<&db::accounts::Account>,
    note_id: i64,
) -> Result<Placed, PayError> {
    let note = crate::app::interest_notes::of_customer(conn, customer.id)
        .map_err(database)?
        .into_iter()
        .find(|n| n.note.id == note_id)
        .ok_or(PayError::NotFound)?;
    let outstanding = note.outstanding.grosze();
    if outstanding <= 0 {
        return Err(PayError::NothingToPay);
    }
    let line = vec![(note.note.id, outstanding)];
    let since = request.now - SAME_ORDER_WINDOW;
    for open in
        db::online_payments::open_of_customer_since(conn, customer.id, since).map_err(database)?
    {
        if open.purpose != PaymentPurpose::InterestNote || open.total_amount != outstanding {
            continue;
        }
        let same_note = db::online_payments::notes_of(conn, open.id).map_err(database)? == line;
        if let (true, Some(redirect_uri)) = (same_note, open.redirect_uri) {
            return Ok(Placed::Existing(Started {
                order_id: open.id,
                redirect_uri,
            }));
        }
    }
    let description = format!("Nota odsetkowa {}", note.note.number);
    let draft = Draft {
        purpose: PaymentPurpose::InterestNote,
        invoices: Vec::new(),
        description: description.clone(),
        total: outstanding,
        products: vec![Product {
            name: description,
            unit_price: outstanding.to_string(),
            quantity: "1".into(),
        }],
        expires_at: None,
    };
    let (id, order) = write_order(conn, gateway, request, customer, account, draft)?;
    db::online_payments::insert_note_line(conn, id, note.note.id, outstanding).map_err(database)?;
    Ok(Placed::New { id, request: order })
}
