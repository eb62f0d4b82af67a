//! What staff and operators see of KSeF: counts per state, what waits, what failed, sessions.

use crate::db::ksef::{KsefDocument, KsefSession};
use crate::db::{self, DbConn};

/// One invoice on its way to KSeF, as the staff list shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct KsefEntry {
    pub invoice_id: i64,
    pub number: String,
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: chrono::NaiveDateTime,
    pub ksef_number: Option<String>,
    pub error_code: Option<i64>,
    pub error_text: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct KsefOverview {
    /// (state, count), every state that occurs.
    pub counts: Vec<(String, i64)>,
    /// Queued, being sent, or sent and waiting for KSeF's verdict.
    pub waiting: Vec<KsefEntry>,
    /// Rejected by KSeF, or whose XML could not be made.
    pub failed: Vec<KsefEntry>,
    pub sessions: Vec<KsefSession>,
}

fn entry((document, number): (KsefDocument, Option<String>)) -> KsefEntry {
    KsefEntry {
        invoice_id: document.invoice_id,
        number: number.unwrap_or_default(),
        state: document.state,
        attempts: document.attempts,
        next_attempt_at: document.next_attempt_at,
        ksef_number: document.ksef_number,
        error_code: document.error_code,
        error_text: document.error_text,
    }
}

pub fn overview(conn: &mut DbConn, limit: i64) -> diesel::QueryResult<KsefOverview> {
    let mut counts = db::ksef::counts_by_state(conn)?;
    counts.sort();
    Ok(KsefOverview {
        counts,
        waiting: db::ksef::list_in_states(conn, &["queued", "sending", "sent"], limit)?
            .into_iter()
            .map(entry)
            .collect(),
        failed: db::ksef::list_in_states(conn, &["rejected", "xml_failed"], limit)?
            .into_iter()
            .map(entry)
            .collect(),
        sessions: db::ksef::recent_sessions(conn, limit)?,
    })
}

/// The stored FA(3) XML of the issued invoice with this number, byte for byte.
pub fn xml_of_number(conn: &mut DbConn, number: &str) -> diesel::QueryResult<Option<String>> {
    let found = db::invoices::issued_with_numbers(conn, &[number.to_owned()])?;
    let Some((invoice_id, _, _)) = found.into_iter().next() else {
        return Ok(None);
    };
    Ok(db::ksef::find(conn, invoice_id)?.and_then(|d| d.xml))
}

/// Sends a rejected invoice again (after its cause was fixed), audited with who asked, in one
/// write transaction. `false`: it is not rejected.
pub fn resend_rejected(
    conn: &mut DbConn,
    invoice_id: i64,
    actor: &crate::app::audit::Actor,
    now: chrono::NaiveDateTime,
) -> diesel::QueryResult<bool> {
    db::write_transaction(conn, |conn| {
        let queued = db::ksef::requeue_rejected(conn, invoice_id, now)?;
        if queued {
            crate::app::audit::record(
                conn,
                actor,
                "ksef_resend",
                serde_json::json!({ "invoice": invoice_id }),
                now,
            )?;
        }
        Ok(queued)
    })
}
