//! Interest notes: their gapless yearly counter, the notes with the invoices they bill, what
//! payments paid of them, and the late-paid invoices not yet billed.

use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use crate::domain::InvoiceStatus;
use crate::domain::interest::InterestKind;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::schema::{
    customers, eur_exchange_rates, interest_note_allocations, interest_note_counters,
    interest_note_items, interest_notes, invoices, payment_allocations, payments,
};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, serde::Serialize)]
pub struct InterestNote {
    pub id: i64,
    pub customer_id: CustomerId,
    pub number: String,
    pub year: i64,
    pub seq: i64,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub interest_kind: InterestKind,
    pub total: i64,
    pub pdf_path: String,
    pub pdf_sha256: String,
    pub issued_by_staff_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = interest_notes, treat_none_as_default_value = false)]
pub struct NewInterestNote {
    pub customer_id: CustomerId,
    pub number: String,
    pub year: i64,
    pub seq: i64,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub interest_kind: InterestKind,
    pub total: i64,
    pub pdf_path: String,
    pub pdf_sha256: String,
    pub issued_by_staff_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = interest_note_items)]
pub struct NoteItem {
    #[diesel(skip_insertion)]
    pub id: i64,
    pub note_id: i64,
    pub invoice_id: InvoiceId,
    pub principal: i64,
    pub due_date: NaiveDate,
    pub paid_on: NaiveDate,
    pub days: i64,
    pub interest: i64,
    pub compensation_eur: i64,
    pub compensation: i64,
    pub eur_rate_on: Option<NaiveDate>,
    pub eur_rate_e4: Option<i64>,
}

/// Takes the next number of the year's series. Call it inside the transaction that writes the
/// note: the row update serialises concurrent issuers and a rollback gives the number back.
pub fn next_seq(conn: &mut DbConn, year: i64) -> QueryResult<i64> {
    let bumped: Option<i64> = diesel::update(interest_note_counters::table.find(year))
        .set(interest_note_counters::last_seq.eq(interest_note_counters::last_seq + 1))
        .returning(interest_note_counters::last_seq)
        .get_result(conn)
        .optional()?;
    if let Some(seq) = bumped {
        return Ok(seq);
    }
    diesel::insert_into(interest_note_counters::table)
        .values((
            interest_note_counters::year.eq(year),
            interest_note_counters::last_seq.eq(1_i64),
        ))
        .execute(conn)?;
    Ok(1)
}

pub fn insert(conn: &mut DbConn, note: &NewInterestNote) -> QueryResult<i64> {
    diesel::insert_into(interest_notes::table)
        .values(note)
        .returning(interest_notes::id)
        .get_result(conn)
}

/// Records an invoice the note bills. A UNIQUE violation: the invoice is on a note already.
pub fn insert_item(conn: &mut DbConn, item: &NoteItem) -> QueryResult<()> {
    diesel::insert_into(interest_note_items::table)
        .values(item)
        .execute(conn)
        .map(|_| ())
}

/// The customer's notes, newest first.
pub fn of_customer(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<Vec<InterestNote>> {
    interest_notes::table
        .filter(interest_notes::customer_id.eq(customer_id))
        .order(interest_notes::id.desc())
        .load(conn)
}

/// One note, only if it is this customer's.
pub fn find_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
    id: i64,
) -> QueryResult<Option<InterestNote>> {
    interest_notes::table
        .filter(interest_notes::id.eq(id))
        .filter(interest_notes::customer_id.eq(customer_id))
        .get_result(conn)
        .optional()
}

/// Every note issued recently, with the customer's number, for the staff page.
pub fn latest(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<(InterestNote, i64)>> {
    interest_notes::table
        .inner_join(customers::table)
        .select((interest_notes::all_columns, customers::customer_number))
        .order(interest_notes::id.desc())
        .limit(limit)
        .load(conn)
}

pub fn items_of(conn: &mut DbConn, note_id: i64) -> QueryResult<Vec<(NoteItem, Option<String>)>> {
    interest_note_items::table
        .inner_join(invoices::table)
        .filter(interest_note_items::note_id.eq(note_id))
        .select((interest_note_items::all_columns, invoices::number))
        .order(interest_note_items::id)
        .load(conn)
}

/// Grosze paid of each of the customer's notes: (note id, paid).
pub fn paid_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<Vec<(i64, i64)>> {
    let rows: Vec<(i64, i64)> = interest_note_allocations::table
        .inner_join(interest_notes::table)
        .filter(interest_notes::customer_id.eq(customer_id))
        .select((
            interest_note_allocations::note_id,
            interest_note_allocations::amount,
        ))
        .load(conn)?;
    let mut paid: Vec<(i64, i64)> = Vec::new();
    for (note_id, amount) in rows {
        match paid.iter_mut().find(|(id, _)| *id == note_id) {
            Some((_, sum)) => *sum += amount,
            None => paid.push((note_id, amount)),
        }
    }
    Ok(paid)
}

/// (payment id, grosze) each of the customer's payments gave to notes.
pub fn by_payment_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<Vec<(i64, i64)>> {
    interest_note_allocations::table
        .inner_join(payments::table)
        .filter(payments::customer_id.eq(customer_id))
        .select((
            interest_note_allocations::payment_id,
            interest_note_allocations::amount,
        ))
        .load(conn)
}

/// (payment id, note id, grosze) of every allocation of the customer's payments to notes.
pub fn allocations_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<Vec<(i64, i64, i64)>> {
    interest_note_allocations::table
        .inner_join(payments::table)
        .filter(payments::customer_id.eq(customer_id))
        .select((
            interest_note_allocations::payment_id,
            interest_note_allocations::note_id,
            interest_note_allocations::amount,
        ))
        .load(conn)
}

pub fn add_allocation(
    conn: &mut DbConn,
    payment_id: i64,
    note_id: i64,
    amount: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(interest_note_allocations::table)
        .values((
            interest_note_allocations::payment_id.eq(payment_id),
            interest_note_allocations::note_id.eq(note_id),
            interest_note_allocations::amount.eq(amount),
            interest_note_allocations::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Removes what the customer's payments gave to notes, so the ledger can be laid out afresh.
pub fn delete_allocations_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<usize> {
    let ids = payments::table
        .filter(payments::customer_id.eq(customer_id))
        .select(payments::id);
    diesel::delete(
        interest_note_allocations::table.filter(interest_note_allocations::payment_id.eq_any(ids)),
    )
    .execute(conn)
}

/// A payment's share of an invoice, with the day the money came.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct LatePart {
    pub invoice_id: InvoiceId,
    pub customer_id: CustomerId,
    pub due_date: NaiveDate,
    pub received_on: NaiveDate,
    pub amount: i64,
}

/// The allocations to issued invoices of payments that came after the invoice's due date, on
/// invoices no note bills yet (of one customer, or of everyone). A narrowing: whether the
/// invoice is settled and what interest it earned is reckoned by the caller.
pub fn late_parts(
    conn: &mut DbConn,
    customer_id: Option<CustomerId>,
) -> QueryResult<Vec<LatePart>> {
    let noted = interest_note_items::table.select(interest_note_items::invoice_id);
    let late = payment_allocations::table
        .inner_join(invoices::table)
        .inner_join(payments::table)
        .filter(invoices::status.eq(InvoiceStatus::Issued))
        .filter(invoices::corrects_invoice_id.is_null())
        .filter(payments::reversed_at.is_null())
        .filter(payments::received_on.gt(invoices::due_date))
        .filter(invoices::id.ne_all(noted))
        .select((
            invoices::id,
            invoices::customer_id,
            invoices::due_date,
            payments::received_on,
            payment_allocations::amount,
        ))
        .order((invoices::customer_id, invoices::id));
    match customer_id {
        Some(customer_id) => late
            .filter(invoices::customer_id.eq(customer_id))
            .load(conn),
        None => late.load(conn),
    }
}

/// Every part paid of the invoice (in time or late), with the day the money came.
pub fn paid_parts_of_invoice(
    conn: &mut DbConn,
    invoice_id: InvoiceId,
) -> QueryResult<Vec<(NaiveDate, i64)>> {
    payment_allocations::table
        .inner_join(payments::table)
        .filter(payment_allocations::invoice_id.eq(invoice_id))
        .filter(payments::reversed_at.is_null())
        .select((payments::received_on, payment_allocations::amount))
        .load(conn)
}

/// Every note's stored file, for `ebok verify`: (id, number, path, sha256), by id.
pub fn files(
    conn: &mut DbConn,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<(i64, String, String, String)>> {
    interest_notes::table
        .filter(interest_notes::id.gt(after))
        .order(interest_notes::id)
        .limit(limit)
        .select((
            interest_notes::id,
            interest_notes::number,
            interest_notes::pdf_path,
            interest_notes::pdf_sha256,
        ))
        .load(conn)
}

/// One year of the notes' series, for the gap check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSequence {
    pub year: i64,
    pub issued: i64,
    pub lowest: i64,
    pub highest: i64,
    /// The counter row's last number, if there is one.
    pub counter: Option<i64>,
}

pub fn sequences(conn: &mut DbConn) -> QueryResult<Vec<NoteSequence>> {
    let seqs: Vec<(i64, i64)> = interest_notes::table
        .select((interest_notes::year, interest_notes::seq))
        .order((interest_notes::year, interest_notes::seq))
        .load(conn)?;
    let counters: Vec<(i64, i64)> = interest_note_counters::table
        .select((
            interest_note_counters::year,
            interest_note_counters::last_seq,
        ))
        .load(conn)?;
    let mut out: Vec<NoteSequence> = Vec::new();
    for (year, seq) in seqs {
        match out.last_mut() {
            Some(last) if last.year == year => {
                last.issued += 1;
                last.lowest = last.lowest.min(seq);
                last.highest = last.highest.max(seq);
            }
            _ => out.push(NoteSequence {
                year,
                issued: 1,
                lowest: seq,
                highest: seq,
                counter: None,
            }),
        }
    }
    for entry in &mut out {
        entry.counter = counters
            .iter()
            .find(|(y, _)| *y == entry.year)
            .map(|(_, n)| *n);
    }
    Ok(out)
}

/// The NBP average EUR rate on `day`, or the latest before it (a day the table misses): (day,
/// rate × 10 000).
pub fn eur_rate_on_or_before(
    conn: &mut DbConn,
    day: NaiveDate,
) -> QueryResult<Option<(NaiveDate, i64)>> {
    eur_exchange_rates::table
        .filter(eur_exchange_rates::valid_on.le(day))
        .order(eur_exchange_rates::valid_on.desc())
        .select((
            eur_exchange_rates::valid_on,
            eur_exchange_rates::pln_per_eur_e4,
        ))
        .first(conn)
        .optional()
}

/// The EUR rate table, newest first.
pub fn eur_rates(conn: &mut DbConn) -> QueryResult<Vec<(NaiveDate, i64)>> {
    eur_exchange_rates::table
        .order(eur_exchange_rates::valid_on.desc())
        .select((
            eur_exchange_rates::valid_on,
            eur_exchange_rates::pln_per_eur_e4,
        ))
        .load(conn)
}

/// Adds the rate of a day, or replaces it.
pub fn save_eur_rate(
    conn: &mut DbConn,
    day: NaiveDate,
    e4: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let updated = diesel::update(eur_exchange_rates::table.find(day))
        .set((
            eur_exchange_rates::pln_per_eur_e4.eq(e4),
            eur_exchange_rates::updated_at.eq(now),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(eur_exchange_rates::table)
            .values((
                eur_exchange_rates::valid_on.eq(day),
                eur_exchange_rates::pln_per_eur_e4.eq(e4),
                eur_exchange_rates::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}
