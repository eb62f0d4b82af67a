//! Invoices of customers without e-invoice consent (art. 106n: e-mail only with consent): staff
//! print and post them, and mark each one as posted.

use crate::domain::InvoiceId;
use chrono::NaiveDateTime;
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::db::{self, DbConn};

pub use crate::db::invoices::Invoice;

/// How many the list shows at once; the oldest come first.
const LISTED: i64 = 500;

pub fn awaiting_paper(conn: &mut DbConn) -> diesel::QueryResult<Vec<Invoice>> {
    db::invoices::awaiting_paper(conn, LISTED)
}

/// Marks the invoice as posted and records who did it; false when it was marked before. Runs in
/// the caller's write transaction (an `App` call that `writes()`), so the mark and its audit
/// entry are one.
pub fn mark_posted(
    conn: &mut DbConn,
    id: InvoiceId,
    actor: &Actor,
    now: NaiveDateTime,
) -> diesel::QueryResult<bool> {
    let marked = db::invoices::mark_delivered(conn, id, now)?;
    if marked {
        audit::record(conn, actor, "invoice_posted", json!({ "invoice": id }), now)?;
    }
    Ok(marked)
}
