//! An unpaid interest note in the demo, so paying a note online can be tried: a generated
//! subscriber with an overdue invoice pays it in full today (late, by transfer) and billing
//! staff issue the note for the interest it earned, which waits to be paid. Added once, and
//! only among generated subscribers from `FIRST_CANDIDATE` on, whom the tests' small demos never
//! reach, so no test that starts from the demo's balances moves.

use crate::domain::CustomerId;
use chrono::{Days, NaiveDate, NaiveDateTime};

use super::DemoError;
use crate::app::audit::Actor;
use crate::app::interest_notes::{self, NoteError};
use crate::app::invoicing::PdfStore;
use crate::app::payments::{PaymentRequest, record_payment};
use crate::app::receivables;
use crate::db::{self, DbConn};
use crate::domain::Money;
use crate::pdf::PdfRenderer;

/// The first customer number the demo looks at (a generated subscriber, `klient20`).
const FIRST_CANDIDATE: i64 = 20;
const LAST_CANDIDATE: i64 = 60;

/// Returns the login of a generated subscriber with an unpaid note, issuing one when none has.
pub fn seed(
    conn: &mut DbConn,
    renderer: &PdfRenderer,
    store: &PdfStore,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<Option<String>, DemoError> {
    let mut candidates = Vec::new();
    for number in FIRST_CANDIDATE..=LAST_CANDIDATE {
        let login = format!("klient{number}");
        let Some(account) = db::accounts::find_by_login_key(conn, &login)? else {
            break;
        };
        let notes = interest_notes::of_customer(conn, account.customer_id)?;
        if notes.iter().any(|n| n.outstanding > Money::zero()) {
            return Ok(Some(login));
        }
        if notes.is_empty() {
            candidates.push((number, account.customer_id, login));
        }
    }
    for (number, customer_id, login) in candidates {
        let issued = db::write_transaction(conn, |conn| {
            issue_for(conn, renderer, store, (number, customer_id), today, now)
        });
        match issued {
            Ok(true) => {
                store.flush()?;
                return Ok(Some(login));
            }
            // No overdue invoice, or a delay the rate tables do not cover: the next one.
            Ok(false)
            | Err(DemoError::Note(
                NoteError::NothingToBill | NoteError::Rate(_) | NoteError::NoEurRate(_),
            )) => continue,
            Err(error) => return Err(error),
        }
    }
    Ok(None)
}

/// Pays every overdue invoice of the customer up to the newest one today and issues the note;
/// false when nothing is overdue.
fn issue_for(
    conn: &mut DbConn,
    renderer: &PdfRenderer,
    store: &PdfStore,
    (number, customer_id): (i64, CustomerId),
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<bool, DemoError> {
    let week_ago = today - Days::new(7);
    let overdue: i64 = receivables::of_customer(conn, customer_id, today)?
        .open()
        .into_iter()
        .filter(|d| d.due_date < week_ago)
        .map(|d| d.outstanding())
        .sum();
    if overdue <= 0 {
        return Ok(false);
    }
    record_payment(
        conn,
        &PaymentRequest {
            customer_id,
            amount: Money::from_grosze(overdue),
            received_on: today,
            method: "transfer",
            source: "demo",
            title: Some("Zaległe faktury".into()),
            payer_name: None,
            bank_reference: None,
            recorded_by_staff_id: None,
            match_reason: None,
        },
        now,
    )?;
    interest_notes::issue(conn, renderer, store, number, &Actor::default(), today, now)?;
    Ok(true)
}
