//! Cards (PayU tokens), mandates, the charge of each period and its failed attempts. Every change
//! of a charge's state is a conditional update on the state it leaves, so two instances, or a
//! notification racing the charge pass, move a charge once.

use crate::domain::ContractId;
use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use crate::domain::ServiceStatus;
use crate::domain::recurring::{CardStatus, ChargeState, MandateStatus};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::schema::{
    contracts, customers, payment_cards, recurring_charges, recurring_failures, recurring_mandates,
};

#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Card {
    pub id: i64,
    pub customer_id: CustomerId,
    #[serde(skip)]
    pub token: Option<String>,
    pub brand: String,
    pub last_four: String,
    pub expiry_month: i32,
    pub expiry_year: i32,
    pub status: CardStatus,
    pub ext_order_id: String,
    pub payu_order_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = payment_cards, treat_none_as_default_value = false)]
pub struct NewCard {
    pub customer_id: CustomerId,
    pub token: Option<String>,
    pub brand: String,
    pub last_four: String,
    pub expiry_month: i32,
    pub expiry_year: i32,
    pub status: CardStatus,
    pub ext_order_id: String,
    pub payu_order_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Mandate {
    pub id: i64,
    pub customer_id: CustomerId,
    pub contract_id: ContractId,
    pub card_id: i64,
    pub status: MandateStatus,
    pub consent_id: i64,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = recurring_mandates, treat_none_as_default_value = false)]
pub struct NewMandate {
    pub customer_id: CustomerId,
    pub contract_id: ContractId,
    pub card_id: i64,
    pub status: MandateStatus,
    pub consent_id: i64,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Charge {
    pub id: i64,
    pub mandate_id: i64,
    pub contract_id: ContractId,
    pub customer_id: CustomerId,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub invoice_id: Option<InvoiceId>,
    pub amount: i64,
    pub state: ChargeState,
    pub attempts: i32,
    pub next_attempt_on: NaiveDate,
    pub ext_order_id: Option<String>,
    pub payu_order_id: Option<String>,
    pub lease_until: Option<NaiveDateTime>,
    pub payment_id: Option<i64>,
    pub paid_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = recurring_charges, treat_none_as_default_value = false)]
pub struct NewCharge {
    pub mandate_id: i64,
    pub contract_id: ContractId,
    pub customer_id: CustomerId,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub invoice_id: Option<InvoiceId>,
    pub amount: i64,
    pub state: ChargeState,
    pub attempts: i32,
    pub next_attempt_on: NaiveDate,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = recurring_failures, treat_none_as_default_value = false)]
pub struct NewFailure {
    pub charge_id: i64,
    pub attempt: i32,
    pub reason: String,
    pub payu_order_id: Option<String>,
    pub retry_on: Option<NaiveDate>,
    pub at: NaiveDateTime,
}

// ---- cards ----

pub fn insert_card(conn: &mut DbConn, card: &NewCard) -> QueryResult<i64> {
    diesel::insert_into(payment_cards::table)
        .values(card)
        .returning(payment_cards::id)
        .get_result(conn)
}

pub fn card_by_ext_order(conn: &mut DbConn, ext_order_id: &str) -> QueryResult<Option<Card>> {
    payment_cards::table
        .filter(payment_cards::ext_order_id.eq(ext_order_id))
        .first(conn)
        .optional()
}

pub fn card_by_payu_order(conn: &mut DbConn, payu_order_id: &str) -> QueryResult<Option<Card>> {
    payment_cards::table
        .filter(payment_cards::payu_order_id.eq(payu_order_id))
        .first(conn)
        .optional()
}

pub fn find_card(conn: &mut DbConn, id: i64) -> QueryResult<Option<Card>> {
    payment_cards::table.find(id).first(conn).optional()
}

/// The customer's own card; another customer's id finds nothing.
pub fn card_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
    id: i64,
) -> QueryResult<Option<Card>> {
    payment_cards::table
        .find(id)
        .filter(payment_cards::customer_id.eq(customer_id))
        .first(conn)
        .optional()
}

/// Cards not removed, newest first.
pub fn cards_of_customer(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<Vec<Card>> {
    payment_cards::table
        .filter(payment_cards::customer_id.eq(customer_id))
        .filter(payment_cards::status.ne(CardStatus::Removed))
        .order(payment_cards::id.desc())
        .load(conn)
}

/// Records PayU's order id for a card being registered, with the token and card PayU returned.
pub fn set_card_order(
    conn: &mut DbConn,
    id: i64,
    payu_order_id: &str,
    token: Option<&str>,
    card: Option<(&str, &str, i32, i32)>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let (brand, last_four, month, year) = card.unwrap_or(("", "", 0, 0));
    diesel::update(payment_cards::table.find(id))
        .set((
            payment_cards::payu_order_id.eq(payu_order_id),
            payment_cards::token.eq(token),
            payment_cards::brand.eq(brand),
            payment_cards::last_four.eq(last_four),
            payment_cards::expiry_month.eq(month),
            payment_cards::expiry_year.eq(year),
            payment_cards::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Moves a card from `from` to `to`; false when it was not in `from`.
pub fn set_card_status(
    conn: &mut DbConn,
    id: i64,
    from: &[CardStatus],
    to: CardStatus,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        payment_cards::table
            .find(id)
            .filter(payment_cards::status.eq_any(from)),
    )
    .set((
        payment_cards::status.eq(to),
        payment_cards::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

// ---- mandates ----

pub fn insert_mandate(conn: &mut DbConn, mandate: &NewMandate) -> QueryResult<i64> {
    diesel::insert_into(recurring_mandates::table)
        .values(mandate)
        .returning(recurring_mandates::id)
        .get_result(conn)
}

pub fn find_mandate(conn: &mut DbConn, id: i64) -> QueryResult<Option<Mandate>> {
    recurring_mandates::table.find(id).first(conn).optional()
}

pub fn mandate_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
    id: i64,
) -> QueryResult<Option<Mandate>> {
    recurring_mandates::table
        .find(id)
        .filter(recurring_mandates::customer_id.eq(customer_id))
        .first(conn)
        .optional()
}

/// Every mandate of the customer, newest first.
pub fn mandates_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<Vec<Mandate>> {
    recurring_mandates::table
        .filter(recurring_mandates::customer_id.eq(customer_id))
        .order(recurring_mandates::id.desc())
        .load(conn)
}

/// The mandate in force (active or running to its end) for a contract.
pub fn open_mandate_of_contract(
    conn: &mut DbConn,
    contract_id: ContractId,
) -> QueryResult<Option<Mandate>> {
    recurring_mandates::table
        .filter(recurring_mandates::contract_id.eq(contract_id))
        .filter(recurring_mandates::status.eq_any(MandateStatus::OPEN))
        .first(conn)
        .optional()
}

/// Active mandates with their contract's start date, for the charge pass.
pub fn active_mandates(conn: &mut DbConn) -> QueryResult<Vec<(Mandate, NaiveDate)>> {
    recurring_mandates::table
        .inner_join(contracts::table)
        .filter(recurring_mandates::status.eq(MandateStatus::Active))
        .order(recurring_mandates::id)
        .select((recurring_mandates::all_columns, contracts::starts_on))
        .load(conn)
}

/// Every mandate for staff: with its card and the customer's number and name parts.
pub fn all_mandates(conn: &mut DbConn) -> QueryResult<Vec<(Mandate, Card, String, i64)>> {
    recurring_mandates::table
        .inner_join(payment_cards::table)
        .inner_join(contracts::table.on(contracts::id.eq(recurring_mandates::contract_id)))
        .inner_join(customers::table.on(customers::id.eq(recurring_mandates::customer_id)))
        .order(recurring_mandates::id.desc())
        .select((
            recurring_mandates::all_columns,
            payment_cards::all_columns,
            contracts::number,
            customers::customer_number,
        ))
        .load(conn)
}

/// Mandates paying with the card.
pub fn open_mandates_with_card(conn: &mut DbConn, card_id: i64) -> QueryResult<i64> {
    recurring_mandates::table
        .filter(recurring_mandates::card_id.eq(card_id))
        .filter(recurring_mandates::status.eq_any(MandateStatus::OPEN))
        .count()
        .get_result(conn)
}

pub fn set_mandate_card(
    conn: &mut DbConn,
    customer_id: CustomerId,
    mandate_id: i64,
    card_id: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        recurring_mandates::table
            .find(mandate_id)
            .filter(recurring_mandates::customer_id.eq(customer_id))
            .filter(recurring_mandates::status.eq(MandateStatus::Active)),
    )
    .set((
        recurring_mandates::card_id.eq(card_id),
        recurring_mandates::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// Moves a mandate from one of `from` to `to`, with the last day served and why.
pub fn move_mandate(
    conn: &mut DbConn,
    id: i64,
    from: &[MandateStatus],
    to: MandateStatus,
    ends_on: Option<NaiveDate>,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        recurring_mandates::table
            .find(id)
            .filter(recurring_mandates::status.eq_any(from)),
    )
    .set((
        recurring_mandates::status.eq(to),
        recurring_mandates::ends_on.eq(ends_on),
        recurring_mandates::end_reason.eq(reason),
        recurring_mandates::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// Mandates cancelled whose last day has passed become cancelled.
pub fn close_cancelled(
    conn: &mut DbConn,
    today: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        recurring_mandates::table
            .filter(recurring_mandates::status.eq(MandateStatus::Cancelling))
            .filter(recurring_mandates::ends_on.lt(today)),
    )
    .set((
        recurring_mandates::status.eq(MandateStatus::Cancelled),
        recurring_mandates::updated_at.eq(now),
    ))
    .execute(conn)
}

/// The days of `from`..=`to` that card payment covers, by contract, as (first, last) spans: a
/// mandate in force from its first period (to its last day when cancelled), and every period
/// charged. A contract appears once per span; `domain::recurring::card_covered` joins them.
pub fn card_spans(
    conn: &mut DbConn,
    contract_ids: &[ContractId],
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<(ContractId, NaiveDate, NaiveDate)>> {
    let mandates: Vec<(ContractId, NaiveDate, Option<NaiveDate>)> = recurring_mandates::table
        .filter(recurring_mandates::contract_id.eq_any(contract_ids))
        .filter(recurring_mandates::status.eq_any(MandateStatus::OPEN))
        .filter(recurring_mandates::starts_on.le(to))
        .select((
            recurring_mandates::contract_id,
            recurring_mandates::starts_on,
            recurring_mandates::ends_on,
        ))
        .load(conn)?;
    let mut spans: Vec<(ContractId, NaiveDate, NaiveDate)> = mandates
        .into_iter()
        .map(|(contract, starts_on, ends_on)| (contract, starts_on, ends_on.unwrap_or(to)))
        .collect();
    spans.extend(
        recurring_charges::table
            .filter(recurring_charges::contract_id.eq_any(contract_ids))
            .filter(recurring_charges::period_start.le(to))
            .filter(recurring_charges::period_end.ge(from))
            .select((
                recurring_charges::contract_id,
                recurring_charges::period_start,
                recurring_charges::period_end,
            ))
            .load::<(ContractId, NaiveDate, NaiveDate)>(conn)?,
    );
    Ok(spans)
}

// ---- charges ----

pub fn insert_charge(conn: &mut DbConn, charge: &NewCharge) -> QueryResult<i64> {
    diesel::insert_into(recurring_charges::table)
        .values(charge)
        .returning(recurring_charges::id)
        .get_result(conn)
}

pub fn find_charge(conn: &mut DbConn, id: i64) -> QueryResult<Option<Charge>> {
    recurring_charges::table.find(id).first(conn).optional()
}

pub fn charge_of_period(
    conn: &mut DbConn,
    contract_id: ContractId,
    period_start: NaiveDate,
) -> QueryResult<Option<Charge>> {
    recurring_charges::table
        .filter(recurring_charges::contract_id.eq(contract_id))
        .filter(recurring_charges::period_start.eq(period_start))
        .first(conn)
        .optional()
}

pub fn charge_by_order(
    conn: &mut DbConn,
    payu_order_id: &str,
    ext_order_id: Option<&str>,
) -> QueryResult<Option<Charge>> {
    let by_id = recurring_charges::table
        .filter(recurring_charges::payu_order_id.eq(payu_order_id))
        .first(conn)
        .optional()?;
    match (by_id, ext_order_id) {
        (Some(charge), _) => Ok(Some(charge)),
        (None, Some(ext)) => recurring_charges::table
            .filter(recurring_charges::ext_order_id.eq(ext))
            .first(conn)
            .optional(),
        (None, None) => Ok(None),
    }
}

/// Charges to try now: due today or earlier, or an attempt whose lease ran out (its instance
/// died with PayU's answer unknown).
pub fn charges_to_try(
    conn: &mut DbConn,
    today: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<Vec<i64>> {
    recurring_charges::table
        .filter(
            recurring_charges::state
                .eq(ChargeState::Due)
                .and(recurring_charges::next_attempt_on.le(today))
                .or(recurring_charges::state
                    .eq(ChargeState::Charging)
                    .and(recurring_charges::lease_until.lt(now))),
        )
        .order(recurring_charges::id)
        .select(recurring_charges::id)
        .load(conn)
}

/// Takes a charge for one attempt: from the state and attempt count read, with this attempt's
/// extOrderId and a lease. False when another instance took it first.
pub fn claim_charge(
    conn: &mut DbConn,
    charge: &Charge,
    ext_order_id: &str,
    attempts: i32,
    amount: i64,
    lease_until: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        recurring_charges::table
            .find(charge.id)
            .filter(recurring_charges::state.eq(charge.state))
            .filter(recurring_charges::attempts.eq(charge.attempts))
            .filter(recurring_charges::updated_at.eq(charge.updated_at)),
    )
    .set((
        recurring_charges::state.eq(ChargeState::Charging),
        recurring_charges::attempts.eq(attempts),
        recurring_charges::amount.eq(amount),
        recurring_charges::ext_order_id.eq(ext_order_id),
        recurring_charges::payu_order_id.eq(None::<String>),
        recurring_charges::lease_until.eq(lease_until),
        recurring_charges::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// Keeps an attempt's lease (and PayU's order id once known) while its answer is awaited.
pub fn set_charge_order(
    conn: &mut DbConn,
    id: i64,
    payu_order_id: Option<&str>,
    lease_until: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        recurring_charges::table
            .find(id)
            .filter(recurring_charges::state.eq(ChargeState::Charging)),
    )
    .set((
        recurring_charges::payu_order_id.eq(payu_order_id),
        recurring_charges::lease_until.eq(lease_until),
    ))
    .execute(conn)
}

/// The period's invoice and its total, written with the charge.
pub fn set_charge_invoice(
    conn: &mut DbConn,
    id: i64,
    invoice_id: Option<InvoiceId>,
    amount: i64,
) -> QueryResult<usize> {
    diesel::update(recurring_charges::table.find(id))
        .set((
            recurring_charges::invoice_id.eq(invoice_id),
            recurring_charges::amount.eq(amount),
        ))
        .execute(conn)
}

/// A due charge that will not be tried (its mandate ended) becomes failed.
pub fn abandon_charge(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        recurring_charges::table
            .find(id)
            .filter(recurring_charges::state.eq(ChargeState::Due)),
    )
    .set((
        recurring_charges::state.eq(ChargeState::Failed),
        recurring_charges::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// charging (or due) → paid; false when it was paid or ended already.
pub fn mark_charge_paid(
    conn: &mut DbConn,
    id: i64,
    payment_id: Option<i64>,
    state: ChargeState,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        recurring_charges::table
            .find(id)
            .filter(recurring_charges::state.eq_any([ChargeState::Charging, ChargeState::Due])),
    )
    .set((
        recurring_charges::state.eq(state),
        recurring_charges::payment_id.eq(payment_id),
        recurring_charges::paid_at.eq(now),
        recurring_charges::lease_until.eq(None::<NaiveDateTime>),
        recurring_charges::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// Records the PayU order that paid a charge (its notification may arrive before the attempt
/// that placed it has written the order's id).
pub fn set_paid_order(conn: &mut DbConn, id: i64, payu_order_id: &str) -> QueryResult<()> {
    diesel::update(recurring_charges::table.find(id))
        .set(recurring_charges::payu_order_id.eq(Some(payu_order_id)))
        .execute(conn)
        .map(drop)
}

/// charging → due again on `retry_on`, or failed for good without one; false when the attempt
/// was settled already (a repeated notification).
pub fn fail_charge(
    conn: &mut DbConn,
    id: i64,
    attempts: i32,
    retry_on: Option<NaiveDate>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let base = recurring_charges::table
        .find(id)
        .filter(recurring_charges::state.eq(ChargeState::Charging))
        .filter(recurring_charges::attempts.eq(attempts));
    let rows = match retry_on {
        Some(day) => diesel::update(base)
            .set((
                recurring_charges::state.eq(ChargeState::Due),
                recurring_charges::next_attempt_on.eq(day),
                recurring_charges::lease_until.eq(None::<NaiveDateTime>),
                recurring_charges::updated_at.eq(now),
            ))
            .execute(conn)?,
        None => diesel::update(base)
            .set((
                recurring_charges::state.eq(ChargeState::Failed),
                recurring_charges::lease_until.eq(None::<NaiveDateTime>),
                recurring_charges::updated_at.eq(now),
            ))
            .execute(conn)?,
    };
    Ok(rows == 1)
}

pub fn insert_failure(conn: &mut DbConn, failure: &NewFailure) -> QueryResult<usize> {
    diesel::insert_into(recurring_failures::table)
        .values(failure)
        .execute(conn)
}

/// The charges of a mandate, newest period first.
pub fn charges_of_mandate(conn: &mut DbConn, mandate_id: i64) -> QueryResult<Vec<Charge>> {
    recurring_charges::table
        .filter(recurring_charges::mandate_id.eq(mandate_id))
        .order(recurring_charges::period_start.desc())
        .load(conn)
}

/// Every charge of the contract, newest period first.
pub fn charges_of_contract(conn: &mut DbConn, contract_id: ContractId) -> QueryResult<Vec<Charge>> {
    recurring_charges::table
        .filter(recurring_charges::contract_id.eq(contract_id))
        .order(recurring_charges::period_start.desc())
        .load(conn)
}

pub fn failures_of_charges(conn: &mut DbConn, charge_ids: &[i64]) -> QueryResult<Vec<NewFailure>> {
    recurring_failures::table
        .filter(recurring_failures::charge_id.eq_any(charge_ids))
        .order((recurring_failures::charge_id, recurring_failures::attempt))
        .select((
            recurring_failures::charge_id,
            recurring_failures::attempt,
            recurring_failures::reason,
            recurring_failures::payu_order_id,
            recurring_failures::retry_on,
            recurring_failures::at,
        ))
        .load(conn)
}

/// The latest period (`YYYY-MM`) whose subscription an invoice holds for the contract.
pub fn last_invoiced_month(
    conn: &mut DbConn,
    contract_id: ContractId,
) -> QueryResult<Option<String>> {
    use super::schema::subscription_periods;
    subscription_periods::table
        .filter(subscription_periods::contract_id.eq(contract_id))
        .filter(subscription_periods::released_at.is_null())
        .select(diesel::dsl::max(subscription_periods::period))
        .first(conn)
}

/// Queued one-off charges of the contract's services not yet on an invoice, queued for a month
/// up to `up_to_month` (`YYYY-MM`).
pub fn open_charges_of_contract(
    conn: &mut DbConn,
    contract_id: ContractId,
    up_to_month: &str,
) -> QueryResult<Vec<super::billing::PendingCharge>> {
    use super::schema::{pending_charges, services};
    pending_charges::table
        .inner_join(services::table.on(pending_charges::service_id.eq(services::id.nullable())))
        .filter(services::contract_id.eq(contract_id))
        .filter(pending_charges::invoice_id.is_null())
        .filter(pending_charges::period.le(up_to_month))
        .order(pending_charges::id)
        .select(pending_charges::all_columns)
        .load(conn)
}

/// The contract's services in force, for its period's invoice.
pub fn active_services_of_contract(
    conn: &mut DbConn,
    contract_id: ContractId,
) -> QueryResult<Vec<super::services::Service>> {
    use super::schema::services;
    services::table
        .filter(services::contract_id.eq(contract_id))
        .filter(services::status.eq(ServiceStatus::Active))
        .order(services::id)
        .load(conn)
}
