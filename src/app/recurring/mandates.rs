//! Turning automatic payment on for a contract (with the consent to the recurring terms: time,
//! IP, text version), choosing its card, cancelling it (in force to the end of the period then
//! running), and what the subscriber's page shows: periods past and next, cards, charges.

use crate::domain::ContractId;
use crate::domain::ContractStatus;
use crate::domain::CustomerId;
use chrono::{Days, NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde_json::json;

use super::{CONSENT_KIND, RecurringError, TERMS_VERSION};
use crate::app::audit::{self, Actor};
use crate::app::mail_queue::{self, Outgoing};
use crate::db::consents::NewConsent;
use crate::db::recurring::{Card, Charge, Mandate, NewMandate};
use crate::db::{self, DbConn};
use crate::domain::billing::BillingPeriod;
use crate::domain::recurring::{self, CardStatus, MandateStatus, Period};
use crate::mail::{Language, MailKind};

/// The first period charged when automatic payment is turned on `today`: the first one that
/// starts today or later and after the last month an invoice already bills, so no day is billed
/// twice.
pub fn first_charged_period(
    conn: &mut DbConn,
    contract_id: ContractId,
    contract_start: NaiveDate,
    today: NaiveDate,
) -> diesel::QueryResult<Option<Period>> {
    let mut from = today.max(contract_start);
    if let Some(month) = db::recurring::last_invoiced_month(conn, contract_id)?
        && let Ok(period) = BillingPeriod::parse(&month)
        && let Some(after) = period.last_day().checked_add_days(Days::new(1))
    {
        from = from.max(after);
    }
    Ok(recurring::first_starting_from(contract_start, from))
}

/// What the subscriber asks for when turning automatic payment on.
#[derive(Debug, Clone)]
pub struct EnableRequest {
    pub customer_id: CustomerId,
    pub account_id: i64,
    pub contract_id: ContractId,
    pub card_id: i64,
    pub terms_accepted: bool,
    pub ip: Option<String>,
    pub today: NaiveDate,
    pub now: NaiveDateTime,
}

/// Turns automatic payment on; returns the mandate's id and the first period charged.
pub fn enable(conn: &mut DbConn, request: &EnableRequest) -> Result<(i64, Period), RecurringError> {
    if !request.terms_accepted {
        return Err(RecurringError::TermsNotAccepted);
    }
    db::write_transaction(conn, |conn| {
        let (contract, _) =
            db::contracts::find_of_customer(conn, request.customer_id, request.contract_id)?
                .filter(|(c, _)| c.status == ContractStatus::Active)
                .ok_or(RecurringError::NoContract)?;
        let card = db::recurring::card_of_customer(conn, request.customer_id, request.card_id)?
            .ok_or(RecurringError::NoCard)?;
        if card.status != CardStatus::Active || card.token.is_none() {
            return Err(RecurringError::CardNotActive);
        }
        if db::recurring::open_mandate_of_contract(conn, contract.id)?.is_some() {
            return Err(RecurringError::AlreadyOn);
        }
        let first = first_charged_period(conn, contract.id, contract.starts_on, request.today)?
            .ok_or(RecurringError::NoContract)?;
        let consent_id = db::consents::record(
            conn,
            &NewConsent {
                customer_id: request.customer_id,
                kind: CONSENT_KIND.into(),
                granted: true,
                text_version: TERMS_VERSION.into(),
                account_id: Some(request.account_id),
                ip: request.ip.clone(),
                at: request.now,
            },
        )?;
        let id = db::recurring::insert_mandate(
            conn,
            &NewMandate {
                customer_id: request.customer_id,
                contract_id: contract.id,
                card_id: card.id,
                status: MandateStatus::Active,
                consent_id,
                starts_on: first.start,
                ends_on: None,
                end_reason: None,
                created_at: request.now,
                updated_at: request.now,
            },
        )
        .map_err(|e| {
            if db::is_unique_violation(&e) {
                RecurringError::AlreadyOn
            } else {
                RecurringError::Database(e)
            }
        })?;
        audit::record(
            conn,
            &Actor::account(request.account_id, request.customer_id, request.ip.clone()),
            "recurring_enabled",
            json!({ "mandate": id, "contract": contract.number, "card": card.id,
                    "terms_version": TERMS_VERSION }),
            request.now,
        )?;
        Ok((id, first))
    })
}

/// Chooses which of the customer's cards pays the mandate.
pub fn choose_card(
    conn: &mut DbConn,
    customer_id: CustomerId,
    mandate_id: i64,
    card_id: i64,
    now: NaiveDateTime,
) -> Result<(), RecurringError> {
    db::write_transaction(conn, |conn| {
        let card = db::recurring::card_of_customer(conn, customer_id, card_id)?
            .ok_or(RecurringError::NoCard)?;
        if card.status != CardStatus::Active {
            return Err(RecurringError::CardNotActive);
        }
        if !db::recurring::set_mandate_card(conn, customer_id, mandate_id, card.id, now)? {
            return Err(RecurringError::NoMandate);
        }
        Ok(())
    })
}

/// Who cancels.
#[derive(Debug, Clone)]
pub enum CancelledBy {
    Subscriber { account_id: i64, ip: Option<String> },
    Staff { staff_id: i64, ip: Option<String> },
}

/// Cancels automatic payment: the service runs to the end of the period then running and nothing
/// more is charged. Before its first period it ends at once. Returns the last day served.
pub fn cancel(
    conn: &mut DbConn,
    outgoing: Option<&Outgoing<'_>>,
    customer_id: Option<CustomerId>,
    mandate_id: i64,
    by: &CancelledBy,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<NaiveDate, RecurringError> {
    db::write_transaction(conn, |conn| {
        let mandate = match customer_id {
            Some(customer) => db::recurring::mandate_of_customer(conn, customer, mandate_id)?,
            None => db::recurring::find_mandate(conn, mandate_id)?,
        }
        .ok_or(RecurringError::NoMandate)?;
        if mandate.status != MandateStatus::Active {
            return Err(RecurringError::AlreadyEnded);
        }
        let (contract, _) =
            db::contracts::find_of_customer(conn, mandate.customer_id, mandate.contract_id)?
                .ok_or(RecurringError::NoContract)?;
        // The period running today is paid (or being charged); it runs to its end.
        let ends_on = if today < mandate.starts_on {
            today.pred_opt().unwrap_or(today)
        } else {
            recurring::period_of(contract.starts_on, today)
                .map(|p| p.end)
                .unwrap_or(today)
        };
        let reason = match by {
            CancelledBy::Subscriber { .. } => "subscriber",
            CancelledBy::Staff { .. } => "staff",
        };
        if !db::recurring::move_mandate(
            conn,
            mandate.id,
            &[MandateStatus::Active],
            MandateStatus::Cancelling,
            Some(ends_on),
            Some(reason),
            now,
        )? {
            return Err(RecurringError::AlreadyEnded);
        }
        let actor = match by {
            CancelledBy::Subscriber { account_id, ip } => {
                Actor::account(*account_id, mandate.customer_id, ip.clone())
            }
            CancelledBy::Staff { staff_id, ip } => Actor {
                staff_id: Some(*staff_id),
                ip: ip.clone(),
                ..Actor::default()
            },
        };
        audit::record(
            conn,
            &actor,
            "recurring_cancelled",
            json!({ "mandate": mandate.id, "contract": contract.number, "ends_on": ends_on }),
            now,
        )?;
        if let Some(outgoing) = outgoing {
            let customer = db::customers::find(conn, mandate.customer_id)?
                .ok_or(RecurringError::NoContract)?;
            let mut context = outgoing.context();
            context.insert("event", "cancelled");
            context.insert("contract_number", &contract.number);
            context.insert("ends_on", &super::pl_date(ends_on));
            context.insert("link", &outgoing.link(super::PAGE));
            mail_queue::queue(
                conn,
                outgoing.templates,
                MailKind::Recurring,
                &customer.email,
                Language::from_code(&customer.language),
                &context,
                now,
            )?;
        }
        Ok(ends_on)
    })
}

/// One contract on the subscriber's page.
#[derive(Debug, Clone, Serialize)]
pub struct ContractView {
    pub contract_id: ContractId,
    pub number: String,
    pub starts_on: NaiveDate,
    pub mandate: Option<Mandate>,
    pub card: Option<Card>,
    /// The period running today and the next ones.
    pub next_periods: Vec<Period>,
    pub charges: Vec<Charge>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub contracts: Vec<ContractView>,
    pub cards: Vec<Card>,
    pub terms_version: &'static str,
}

/// The subscriber's page: each active contract with its automatic payment, periods and charges.
pub fn overview(
    conn: &mut DbConn,
    customer_id: CustomerId,
    today: NaiveDate,
) -> diesel::QueryResult<Overview> {
    let cards = db::recurring::cards_of_customer(conn, customer_id)?;
    let mandates = db::recurring::mandates_of_customer(conn, customer_id)?;
    let mut contracts = Vec::new();
    for (contract, _) in db::contracts::of_customer(conn, customer_id)? {
        if contract.status != ContractStatus::Active {
            continue;
        }
        let mandate = mandates
            .iter()
            .find(|m| m.contract_id == contract.id && m.status.is_open())
            .cloned();
        let card = mandate
            .as_ref()
            .and_then(|m| cards.iter().find(|c| c.id == m.card_id).cloned());
        contracts.push(ContractView {
            contract_id: contract.id,
            number: contract.number.clone(),
            starts_on: contract.starts_on,
            next_periods: recurring::upcoming(contract.starts_on, today, 3),
            charges: db::recurring::charges_of_contract(conn, contract.id)?,
            mandate,
            card,
        });
    }
    Ok(Overview {
        contracts,
        cards,
        terms_version: TERMS_VERSION,
    })
}
