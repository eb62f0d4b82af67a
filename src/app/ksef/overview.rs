//! What staff and operators see of KSeF: counts per state, what waits, what failed, sessions.

use crate::db::ksef::{KsefDocument, KsefSession};
use crate::db::{self, DbConn};
use crate::domain::{InvoiceId, KsefState, StoredWord};

/// One invoice on its way to KSeF, as the staff list shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct KsefEntry {
    pub invoice_id: InvoiceId,
    pub number: String,
    pub state: KsefState,
    pub attempts: i64,
    pub next_attempt_at: chrono::NaiveDateTime,
    pub ksef_number: Option<String>,
    pub error_code: Option<i64>,
    pub error_text: Option<String>,
    /// KSeF's UPO (official receipt) is stored and can be downloaded.
    pub has_upo: bool,
    pub issue_date: chrono::NaiveDate,
    /// Not yet in KSeF: by when it must be (offline24, art. 106nda: the next working day
    /// after issue), and whether that is today or past.
    pub deadline: Option<Deadline>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Deadline {
    pub date: chrono::NaiveDate,
    /// "late", "today" (approaching: staff act now) or "later".
    pub urgency: &'static str,
}

/// The offline24 deadline of an invoice issued on `issue_date` that KSeF has not accepted.
pub fn offline_deadline(issue_date: chrono::NaiveDate, today: chrono::NaiveDate) -> Deadline {
    let date = crate::domain::holidays::next_working_day(issue_date);
    Deadline {
        date,
        urgency: match today.cmp(&date) {
            std::cmp::Ordering::Greater => "late",
            std::cmp::Ordering::Equal => "today",
            std::cmp::Ordering::Less => "later",
        },
    }
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct KsefOverview {
    /// (state, count), every state that occurs.
    pub counts: Vec<(KsefState, i64)>,
    /// Queued, being sent, or sent and waiting for KSeF's verdict.
    pub waiting: Vec<KsefEntry>,
    /// Rejected by KSeF, or whose XML could not be made.
    pub failed: Vec<KsefEntry>,
    /// The latest accepted, with their KSeF numbers and UPO.
    pub accepted: Vec<KsefEntry>,
    pub sessions: Vec<KsefSession>,
}

fn entry(
    (document, number, issue_date): (KsefDocument, Option<String>, chrono::NaiveDate),
    today: chrono::NaiveDate,
) -> KsefEntry {
    let deadline = (!matches!(document.state, KsefState::Accepted | KsefState::Local))
        .then(|| offline_deadline(issue_date, today));
    KsefEntry {
        invoice_id: document.invoice_id,
        number: number.unwrap_or_default(),
        state: document.state,
        attempts: document.attempts,
        next_attempt_at: document.next_attempt_at,
        ksef_number: document.ksef_number,
        error_code: document.error_code,
        error_text: document.error_text,
        has_upo: document.upo.is_some(),
        issue_date,
        deadline,
    }
}

pub fn overview(conn: &mut DbConn, limit: i64) -> diesel::QueryResult<KsefOverview> {
    let today = crate::app::clock::today();
    let with_deadline = |row| entry(row, today);
    let mut counts = db::ksef::counts_by_state(conn)?;
    counts.sort_by_key(|(state, _)| state.as_str());
    Ok(KsefOverview {
        counts,
        waiting: db::ksef::list_in_states(
            conn,
            &[KsefState::Queued, KsefState::Sending, KsefState::Sent],
            limit,
        )?
        .into_iter()
        .map(with_deadline)
        .collect(),
        failed: db::ksef::list_in_states(
            conn,
            &[KsefState::Rejected, KsefState::XmlFailed],
            limit,
        )?
        .into_iter()
        .map(with_deadline)
        .collect(),
        accepted: db::ksef::latest_in_state(conn, KsefState::Accepted, limit.min(50))?
            .into_iter()
            .map(with_deadline)
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

/// The UPO (KSeF's official receipt, XML) of an accepted invoice: (file name, bytes).
pub fn upo(
    conn: &mut DbConn,
    invoice_id: InvoiceId,
) -> diesel::QueryResult<Option<(String, String)>> {
    let Some(document) = db::ksef::find(conn, invoice_id)? else {
        return Ok(None);
    };
    let (Some(upo), Some(number)) = (document.upo, document.ksef_number) else {
        return Ok(None);
    };
    Ok(Some((format!("UPO-{number}.xml"), upo)))
}

/// Sends a rejected invoice again (after its cause was fixed), audited with who asked, in one
/// write transaction. `false`: it is not rejected.
pub fn resend_rejected(
    conn: &mut DbConn,
    invoice_id: InvoiceId,
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

/// An invoice's way to KSeF as its subscriber sees it. Rejections and XML failures are for
/// staff to fix: the subscriber's invoice is valid without a KSeF number (it carries KOD I
/// labelled "OFFLINE") and is shown as such.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriberKsefState {
    /// KSeF numbered it.
    Accepted,
    /// On its way, nothing went wrong yet.
    Waiting,
    /// KSeF could not take it yet (unavailable, or staff are correcting a refusal).
    Offline,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SubscriberKsef {
    pub state: SubscriberKsefState,
    pub number: Option<String>,
}

/// `None` for an invoice that does not go to KSeF (a consumer invoice the seller keeps out).
pub fn subscriber_state(mark: &db::ksef::KsefMark) -> Option<SubscriberKsef> {
    let state = match (mark.state, &mark.ksef_number) {
        (KsefState::Local, _) => return None,
        (KsefState::Accepted, Some(_)) => SubscriberKsefState::Accepted,
        (KsefState::Sending | KsefState::Sent, _) => SubscriberKsefState::Waiting,
        (KsefState::Queued, _) if mark.attempts == 0 => SubscriberKsefState::Waiting,
        _ => SubscriberKsefState::Offline,
    };
    Some(SubscriberKsef {
        state,
        number: mark
            .ksef_number
            .clone()
            .filter(|_| state == SubscriberKsefState::Accepted),
    })
}

/// Adds each row's KSeF state (one query for the page).
pub fn mark_rows(
    conn: &mut DbConn,
    rows: &mut [crate::app::invoices::InvoiceRow],
) -> diesel::QueryResult<()> {
    let ids: Vec<InvoiceId> = rows.iter().map(|r| r.id).collect();
    let marks: std::collections::HashMap<InvoiceId, db::ksef::KsefMark> =
        db::ksef::marks_of(conn, &ids)?
            .into_iter()
            .map(|m| (m.invoice_id, m))
            .collect();
    for row in rows {
        row.ksef = marks.get(&row.id).and_then(subscriber_state);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(state: KsefState, attempts: i64, number: Option<&str>) -> db::ksef::KsefMark {
        db::ksef::KsefMark {
            invoice_id: InvoiceId(1),
            state,
            attempts,
            ksef_number: number.map(str::to_owned),
        }
    }

    #[test]
    fn an_invoice_not_in_ksef_is_due_there_the_next_working_day() {
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        // Issued on Friday the 4th: due on Monday the 7th.
        assert_eq!(offline_deadline(day(4), day(5)).date, day(7));
        assert_eq!(offline_deadline(day(4), day(5)).urgency, "later");
        assert_eq!(offline_deadline(day(4), day(7)).urgency, "today");
        assert_eq!(offline_deadline(day(4), day(8)).urgency, "late");
    }

    #[test]
    fn subscribers_see_accepted_waiting_or_offline_and_never_a_rejection() {
        let number = "6182007145-20260512-0100001AF629-AF";
        let accepted = subscriber_state(&mark(KsefState::Accepted, 1, Some(number))).unwrap();
        assert_eq!(accepted.state, SubscriberKsefState::Accepted);
        assert_eq!(accepted.number.as_deref(), Some(number));
        for (state, attempts) in [
            (KsefState::Queued, 0),
            (KsefState::Sending, 1),
            (KsefState::Sent, 1),
        ] {
            assert_eq!(
                subscriber_state(&mark(state, attempts, None))
                    .unwrap()
                    .state,
                SubscriberKsefState::Waiting,
                "{state}"
            );
        }
        for (state, attempts) in [
            (KsefState::Queued, 2),
            (KsefState::Rejected, 1),
            (KsefState::XmlFailed, 0),
        ] {
            let seen = subscriber_state(&mark(state, attempts, None)).unwrap();
            assert_eq!(seen.state, SubscriberKsefState::Offline, "{state}");
            assert_eq!(seen.number, None);
        }
        assert_eq!(subscriber_state(&mark(KsefState::Local, 0, None)), None);
    }
}
