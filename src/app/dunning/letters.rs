//! The printed-letter queue: steps of the plan sent "by letter" wait at
//! `/staff/windykacja/listy` until staff print their PDF (the same letter the portal shows,
//! from the recorded figures) and mark them posted, once, audited as `dunning_letter_sent`.

use crate::domain::CustomerId;
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::db::{self, DbConn};
use crate::domain::Money;
use crate::domain::dunning::{StepKind, StepStatus};
use crate::pdf::PdfRenderer;

/// Posted letters shown under the ones waiting.
const RECENT_SENT: i64 = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueuedLetter {
    pub step_id: i64,
    pub step: Option<StepKind>,
    pub customer_id: CustomerId,
    pub customer_number: i64,
    pub invoice_number: String,
    pub taken_on: NaiveDate,
    pub outstanding: Money,
    pub interest: Money,
    pub sent_at: Option<NaiveDateTime>,
}

/// Letters waiting to be printed and posted (oldest first), then the most recently posted.
pub fn queue(conn: &mut DbConn) -> diesel::QueryResult<Vec<QueuedLetter>> {
    Ok(db::dunning::letter_queue(conn, RECENT_SENT)?
        .into_iter()
        .map(|(step, number, customer_number)| QueuedLetter {
            step_id: step.id,
            step: StepKind::parse(&step.step),
            customer_id: step.customer_id,
            customer_number,
            invoice_number: number.unwrap_or_default(),
            taken_on: step.taken_on,
            outstanding: Money::from_grosze(step.outstanding),
            interest: Money::from_grosze(step.interest),
            sent_at: step.letter_sent_at,
        })
        .collect())
}

/// The PDF of a letter in the queue (waiting or posted); `None` for a step not sent by letter.
pub fn pdf(
    conn: &mut DbConn,
    renderer: &PdfRenderer,
    step_id: i64,
) -> diesel::QueryResult<Option<Vec<u8>>> {
    let Some((step, number)) = db::dunning::step(conn, step_id)? else {
        return Ok(None);
    };
    if !step.by_letter {
        return Ok(None);
    }
    super::documents::letter_pdf(conn, renderer, &step, number)
}

#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    #[error("there is no such letter")]
    NotFound,
    #[error("the letter is marked posted already")]
    AlreadySent,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Marks a letter posted, once, and records who did it.
pub fn mark_sent(
    conn: &mut DbConn,
    step_id: i64,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), LetterError> {
    db::write_transaction(conn, |conn| {
        let (step, number) = db::dunning::step(conn, step_id)?
            .filter(|(s, _)| s.by_letter && s.status == StepStatus::Sent)
            .ok_or(LetterError::NotFound)?;
        if !db::dunning::mark_letter_sent(conn, step_id, actor.staff_id, now)? {
            return Err(LetterError::AlreadySent);
        }
        audit::record(
            conn,
            &actor.for_customer(step.customer_id),
            "dunning_letter_sent",
            json!({ "step": step_id, "kind": step.step, "invoice": number }),
            now,
        )?;
        Ok(())
    })
}
