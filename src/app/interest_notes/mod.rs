//! Interest notes ("nota odsetkowa"): after a customer paid invoices late, billing staff issue
//! one note for the statutory interest on every late-paid invoice not yet billed. The note is
//! numbered from its own gapless series, its PDF is rendered once and stored with its SHA-256
//! (like an invoice's), and it is owed money: the ledger lays payments on it after the invoices
//! (`settle_notes`), so a bank transfer or a payment by hand pays it.

mod letter;

use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::app::credit::Spendable;
use crate::app::dunning::{customer_name, interest_kind_of, setup};
use crate::app::invoicing::{PdfStore, StorageError};
use crate::app::receivables;
use crate::db::interest_notes::{InterestNote, NewInterestNote, NoteItem};
use crate::db::{self, DbConn};
use crate::domain::Money;
use crate::domain::allocation::{OpenInvoice, allocate};
use crate::domain::interest::{InterestError, InterestKind};
use crate::domain::interest_note::{
    NOTE_PAYMENT_DAYS, PaidPart, late_payment_interest, note_due_date, note_number, note_year,
};
use crate::domain::late_compensation::{compensation_eur, in_zloty, rate_day};
use crate::pdf::PdfRenderer;

/// A late-paid invoice a note would bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LateInvoice {
    pub invoice_id: InvoiceId,
    pub number: String,
    pub due_date: NaiveDate,
    pub principal: Money,
    pub paid_on: NaiveDate,
    pub days: i64,
    pub interest: Money,
    /// Businesses: the art. 10 compensation in euros and in złoty, with the NBP rate used.
    pub compensation_eur: i64,
    pub compensation: Money,
    pub eur_rate_on: Option<NaiveDate>,
    pub eur_rate_e4: Option<i64>,
}

/// A customer with late-paid invoices not yet on a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingCustomer {
    pub customer_id: CustomerId,
    pub customer_number: i64,
    pub name: String,
    pub business: bool,
    pub invoices: Vec<LateInvoice>,
    pub interest: Money,
    pub compensation: Money,
    /// What the note bills: interest plus compensation.
    pub total: Money,
}

#[derive(Debug, thiserror::Error)]
pub enum NoteError {
    #[error("the customer has no late-paid invoice with interest to bill")]
    NothingToBill,
    #[error("there is no such customer")]
    NoCustomer,
    #[error(transparent)]
    Rate(#[from] InterestError),
    #[error("no NBP EUR rate is known on or before {0}")]
    NoEurRate(NaiveDate),
    #[error("not a date (YYYY-MM-DD) or not a rate (e.g. 4,2290)")]
    BadEurRate,
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Customers with late-paid invoices and interest due that no note bills yet, by number.
pub fn pending(conn: &mut DbConn) -> Result<Vec<PendingCustomer>, NoteError> {
    let parts = db::interest_notes::late_parts(conn, None)?;
    let mut customer_ids: Vec<CustomerId> = parts.iter().map(|p| p.customer_id).collect();
    customer_ids.dedup();
    let mut out = Vec::new();
    for customer_id in customer_ids {
        if let Some(found) = pending_of_customer(conn, customer_id)? {
            out.push(found);
        }
    }
    out.sort_by_key(|p| p.customer_number);
    Ok(out)
}

/// The customer's late-paid invoices not yet on a note, with their interest; `None` when there
/// is nothing to bill. An invoice counts once it is paid in full: interest on what is still
/// unpaid keeps running and belongs to the demand, not to a note.
pub fn pending_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> Result<Option<PendingCustomer>, NoteError> {
    let Some(customer) = db::customers::find(conn, customer_id)? else {
        return Ok(None);
    };
    let kind = interest_kind_of(&customer);
    let rates = setup(conn)?.rates;
    let money = receivables::of_customer(conn, customer_id, crate::app::clock::today())?;
    let late = db::interest_notes::late_parts(conn, Some(customer_id))?;
    let mut invoice_ids: Vec<InvoiceId> = late.iter().map(|p| p.invoice_id).collect();
    invoice_ids.dedup();
    let numbers = db::dunning::invoice_numbers_of_customer(conn, customer_id)?;
    let mut invoices = Vec::new();
    for invoice_id in invoice_ids {
        let Some(debt) = money.debt_of(invoice_id) else {
            continue;
        };
        if !debt.is_settled() || debt.corrected_gross() <= 0 {
            continue;
        }
        let parts: Vec<PaidPart> = db::interest_notes::paid_parts_of_invoice(conn, invoice_id)?
            .into_iter()
            .map(|(paid_on, amount)| PaidPart {
                paid_on,
                amount: Money::from_grosze(amount),
            })
            .collect();
        let found = late_payment_interest(debt.due_date, &parts, kind, &rates)?;
        let business = kind == InterestKind::Commercial;
        if found.days == 0 || (found.interest <= Money::zero() && !business) {
            continue;
        }
        // Art. 10: a business owes the flat compensation for each late-paid invoice; never
        // a consumer.
        let (compensation_eur, compensation, eur_rate) = if business {
            let eur = compensation_eur(Money::from_grosze(debt.corrected_gross()));
            let day = rate_day(debt.due_date);
            let (on, e4) = db::interest_notes::eur_rate_on_or_before(conn, day)?
                .ok_or(NoteError::NoEurRate(day))?;
            (eur, in_zloty(eur, e4), Some((on, e4)))
        } else {
            (0, Money::zero(), None)
        };
        invoices.push(LateInvoice {
            invoice_id,
            number: numbers
                .iter()
                .find(|(id, _)| *id == invoice_id)
                .and_then(|(_, n)| n.clone())
                .unwrap_or_default(),
            due_date: debt.due_date,
            principal: Money::from_grosze(debt.corrected_gross()),
            paid_on: found.paid_on,
            days: found.days,
            interest: found.interest,
            compensation_eur,
            compensation,
            eur_rate_on: eur_rate.map(|(on, _)| on),
            eur_rate_e4: eur_rate.map(|(_, e4)| e4),
        });
    }
    if invoices.is_empty() {
        return Ok(None);
    }
    Ok(Some(PendingCustomer {
        customer_id,
        customer_number: customer.customer_number,
        name: customer_name(&customer),
        business: kind == InterestKind::Commercial,
        interest: invoices.iter().map(|i| i.interest).sum(),
        compensation: invoices.iter().map(|i| i.compensation).sum(),
        total: invoices.iter().map(|i| i.interest + i.compensation).sum(),
        invoices,
    }))
}

/// Issues the note for every late-paid invoice of the customer not yet billed: number, PDF
/// (stored with its hash before the commit that records it), items, audit, and the
/// customer's credit laid on it at once. Two staff members issuing at once bill each invoice
/// once (the items' unique index); the loser's transaction, number included, rolls back.
pub fn issue(
    conn: &mut DbConn,
    renderer: &PdfRenderer,
    store: &PdfStore,
    customer_number: i64,
    actor: &Actor,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<InterestNote, NoteError> {
    db::write_transaction(conn, |conn| {
        let customer =
            db::customers::find_by_number(conn, customer_number)?.ok_or(NoteError::NoCustomer)?;
        let pending = pending_of_customer(conn, customer.id)?.ok_or(NoteError::NothingToBill)?;
        let seq = db::interest_notes::next_seq(conn, note_year(today))?;
        let number = note_number(today, seq);
        let due_date = note_due_date(today, NOTE_PAYMENT_DAYS);
        let seller = db::seller::find(conn)?;
        let view = letter::note_letter(
            &letter::NoteFacts {
                number: &number,
                issue_date: today,
                due_date,
                customer: &customer,
                pending: &pending,
            },
            seller.as_ref(),
        );
        let bytes = renderer.render_letter(&view);
        let stored = store.write(today, &number, &bytes)?;
        let note_id = db::interest_notes::insert(
            conn,
            &NewInterestNote {
                customer_id: customer.id,
                number: number.clone(),
                year: note_year(today),
                seq,
                issue_date: today,
                due_date,
                interest_kind: interest_kind_of(&customer),
                total: pending.total.grosze(),
                pdf_path: stored.relative_path,
                pdf_sha256: stored.sha256,
                issued_by_staff_id: actor.staff_id,
                created_at: now,
            },
        )?;
        for invoice in &pending.invoices {
            db::interest_notes::insert_item(
                conn,
                &NoteItem {
                    id: 0,
                    note_id,
                    invoice_id: invoice.invoice_id,
                    principal: invoice.principal.grosze(),
                    due_date: invoice.due_date,
                    paid_on: invoice.paid_on,
                    days: invoice.days,
                    interest: invoice.interest.grosze(),
                    compensation_eur: invoice.compensation_eur,
                    compensation: invoice.compensation.grosze(),
                    eur_rate_on: invoice.eur_rate_on,
                    eur_rate_e4: invoice.eur_rate_e4,
                },
            )?;
        }
        let actor = Actor {
            customer_id: Some(customer.id),
            ..actor.clone()
        };
        audit::record(
            conn,
            &actor,
            "interest_note_issued",
            json!({
                "number": number,
                "customer_number": customer.customer_number,
                "total": pending.total.grosze(),
                "compensation": pending.compensation.grosze(),
                "invoices": pending.invoices.iter().map(|i| i.number.clone()).collect::<Vec<_>>(),
            }),
            now,
        )?;
        // Credit the customer already has pays the note at once.
        crate::app::payments::settle(conn, customer.id, now)?;
        db::interest_notes::find_of_customer(conn, customer.id, note_id)?
            .ok_or(NoteError::Database(diesel::result::Error::NotFound))
    })
}

/// Lays money the invoices left over (`free`: payment id, grosze, oldest payment first) onto
/// the customer's unpaid notes, the earliest due first. Called by `app::payments::settle`
/// inside the transaction that changed the ledger.
pub fn settle_notes(
    conn: &mut DbConn,
    customer_id: CustomerId,
    free: &[(i64, i64)],
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    // `allocate` spreads money over anything owed by due date; here the ids are notes'.
    let mut open: Vec<OpenInvoice<i64>> = open_notes(conn, customer_id)?
        .into_iter()
        .map(|n| OpenInvoice {
            invoice_id: n.note.id,
            due_date: n.note.due_date,
            outstanding: n.outstanding.grosze(),
        })
        .collect();
    for (payment_id, amount) in free {
        if open.is_empty() {
            break;
        }
        for (note_id, part) in allocate(&open, *amount).parts {
            db::interest_notes::add_allocation(conn, *payment_id, note_id, part, now)?;
            if let Some(note) = open.iter_mut().find(|n| n.invoice_id == note_id) {
                note.outstanding -= part;
            }
        }
        open.retain(|n| n.outstanding > 0);
    }
    Ok(())
}

/// Lays each payment made online for a note (`online_payment_notes`) on that note: up to what
/// the order put on it, what the note still owes and what the payment has free. A note paid
/// meanwhile (a bank transfer came first) takes nothing, so the money stays free for the rest
/// of `settle`: open invoices, other notes, then credit. Updates `payments` with what it laid.
pub fn settle_earmarked(
    conn: &mut DbConn,
    customer_id: CustomerId,
    payments: &mut [Spendable],
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    let earmarks = db::online_payments::note_earmarks_of_customer(conn, customer_id)?;
    if earmarks.is_empty() {
        return Ok(());
    }
    let given = db::interest_notes::allocations_of_customer(conn, customer_id)?;
    let mut owed: Vec<(i64, i64)> = open_notes(conn, customer_id)?
        .into_iter()
        .map(|n| (n.note.id, n.outstanding.grosze()))
        .collect();
    for (payment_id, note_id, meant) in earmarks {
        // A reversed payment is not spendable: it pays nothing.
        let Some(payment) = payments.iter_mut().find(|p| p.payment_id == payment_id) else {
            continue;
        };
        let Some((_, note_owes)) = owed.iter_mut().find(|(id, _)| *id == note_id) else {
            continue;
        };
        let already: i64 = given
            .iter()
            .filter(|(p, n, _)| *p == payment_id && *n == note_id)
            .map(|(_, _, amount)| amount)
            .sum();
        let part = payment.free().min(*note_owes).min(meant - already);
        if part <= 0 {
            continue;
        }
        db::interest_notes::add_allocation(conn, payment_id, note_id, part, now)?;
        payment.allocated += part;
        *note_owes -= part;
    }
    Ok(())
}

/// A note as the subscriber and staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoteView {
    pub note: InterestNote,
    pub total: Money,
    pub paid: Money,
    pub outstanding: Money,
}

/// The customer's notes with what is paid of each, newest first.
pub fn of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> diesel::QueryResult<Vec<NoteView>> {
    let paid = db::interest_notes::paid_of_customer(conn, customer_id)?;
    Ok(db::interest_notes::of_customer(conn, customer_id)?
        .into_iter()
        .map(|note| {
            let paid = paid
                .iter()
                .find(|(id, _)| *id == note.id)
                .map_or(0, |(_, p)| *p);
            NoteView {
                total: Money::from_grosze(note.total),
                paid: Money::from_grosze(paid),
                outstanding: Money::from_grosze((note.total - paid).max(0)),
                note,
            }
        })
        .collect())
}

fn open_notes(conn: &mut DbConn, customer_id: CustomerId) -> diesel::QueryResult<Vec<NoteView>> {
    Ok(of_customer(conn, customer_id)?
        .into_iter()
        .filter(|n| n.outstanding > Money::zero())
        .collect())
}

/// A note's stored file as read back: its number, and the bytes if they still match the hash.
pub struct StoredNote {
    pub number: String,
    pub bytes: Result<Vec<u8>, StorageError>,
}

/// The stored PDF of one of the customer's notes, checked against its hash.
pub fn pdf_of(
    conn: &mut DbConn,
    store: &PdfStore,
    customer_id: CustomerId,
    id: i64,
) -> diesel::QueryResult<Option<StoredNote>> {
    let Some(note) = db::interest_notes::find_of_customer(conn, customer_id, id)? else {
        return Ok(None);
    };
    let bytes = store.read_verified(&note.pdf_path, &note.pdf_sha256);
    Ok(Some(StoredNote {
        number: note.number,
        bytes,
    }))
}

/// The notes issued lately, with the customer's number, for the staff page.
pub fn latest(conn: &mut DbConn) -> diesel::QueryResult<Vec<(InterestNote, i64)>> {
    db::interest_notes::latest(conn, 50)
}

/// The NBP EUR rate table for the staff page, newest first: (day, rate × 10 000).
pub fn eur_rates(conn: &mut DbConn) -> diesel::QueryResult<Vec<(NaiveDate, i64)>> {
    db::interest_notes::eur_rates(conn)
}

/// Adds or replaces the NBP average EUR rate of a day (admins), audited.
pub fn save_eur_rate(
    conn: &mut DbConn,
    day: &str,
    rate: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), NoteError> {
    let day =
        NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").map_err(|_| NoteError::BadEurRate)?;
    let e4 = rate
        .trim()
        .replace(',', ".")
        .parse::<rust_decimal::Decimal>()
        .ok()
        .filter(|r| *r > rust_decimal::Decimal::ZERO && r.scale() <= 4)
        .and_then(|r| {
            (r * rust_decimal::Decimal::from(10_000))
                .trunc()
                .to_string()
                .parse::<i64>()
                .ok()
        })
        .filter(|e4| *e4 < 1_000_000)
        .ok_or(NoteError::BadEurRate)?;
    db::write_transaction(conn, |conn| {
        db::interest_notes::save_eur_rate(conn, day, e4, now)?;
        audit::record(
            conn,
            actor,
            "eur_rate_saved",
            json!({ "valid_on": day.to_string(), "pln_per_eur_e4": e4 }),
            now,
        )?;
        Ok(())
    })
}
