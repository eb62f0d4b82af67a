//! What billing staff set: the plan, the minimum debt, the statutory rate table, and pauses per
//! customer. Every change is audited.

use crate::domain::CustomerId;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::db::dunning::{PlanStepRow, RateRow};
use crate::db::{self, DbConn};
use crate::domain::Money;
use crate::domain::dunning::{PlanError, PlanStep, StepKind, validate_plan};
use crate::domain::interest::{RatePeriod, RateTable};

/// The plan, the minimum debt and the rates as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    /// Active and inactive steps, in the order they happen.
    pub plan: Vec<PlanStep>,
    /// Grosze.
    pub minimum_debt: i64,
    pub rates: RateTable,
}

pub fn setup(conn: &mut DbConn) -> diesel::QueryResult<Setup> {
    let mut plan: Vec<PlanStep> = db::dunning::plan(conn)?
        .into_iter()
        .filter_map(|row| {
            Some(PlanStep {
                kind: StepKind::parse(&row.kind)?,
                offset_days: row.offset_days,
                deadline_days: row.deadline_days,
                by_email: row.by_email,
                in_portal: row.in_portal,
                by_letter: row.by_letter,
                active: row.active,
            })
        })
        .collect();
    plan.sort_by_key(|s| s.kind);
    let rates = RateTable::new(
        db::dunning::rates(conn)?
            .into_iter()
            .map(|r| RatePeriod {
                valid_from: r.valid_from,
                reference_bp: r.reference_bp,
                consumer_bp: r.consumer_bp,
                commercial_bp: r.commercial_bp,
            })
            .collect(),
    );
    Ok(Setup {
        plan,
        minimum_debt: db::dunning::minimum_debt(conn)?,
        rates,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{0}")]
    Plan(#[from] PlanError),
    #[error("not a number of days: {0}")]
    Days(String),
    #[error("not an amount: {0}")]
    Amount(String),
    #[error("not a date (YYYY-MM-DD): {0}")]
    Date(String),
    #[error("a rate is a percentage from 0 to 100 with at most two decimals: {0}")]
    Rate(String),
    #[error("a pause needs a reason")]
    NoReason,
    #[error("there is no such customer")]
    NoCustomer,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// One step as typed in the panel.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub kind: String,
    pub offset_days: String,
    /// Empty: no new deadline.
    pub deadline_days: String,
    pub by_email: bool,
    pub in_portal: bool,
    pub by_letter: bool,
    pub active: bool,
}

#[derive(Debug, Clone, Default)]
pub struct PlanForm {
    pub minimum_debt: String,
    pub steps: Vec<StepInput>,
}

fn days(input: &str) -> Result<i64, SettingsError> {
    input
        .trim()
        .parse::<i64>()
        .map_err(|_| SettingsError::Days(input.trim().to_owned()))
}

/// Checks and stores the plan and the minimum debt (all or nothing), audited.
pub fn save_plan(
    conn: &mut DbConn,
    form: &PlanForm,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), SettingsError> {
    let minimum = Money::parse_pl(&form.minimum_debt)
        .ok()
        .filter(|m| *m >= Money::zero())
        .ok_or_else(|| SettingsError::Amount(form.minimum_debt.trim().to_owned()))?;
    let mut steps = Vec::new();
    for input in &form.steps {
        let Some(kind) = StepKind::parse(&input.kind) else {
            continue;
        };
        let deadline_days = match input.deadline_days.trim() {
            "" => None,
            typed => Some(days(typed)?),
        };
        steps.push(PlanStep {
            kind,
            offset_days: days(&input.offset_days)?,
            deadline_days,
            by_email: input.by_email,
            in_portal: input.in_portal,
            by_letter: input.by_letter,
            active: input.active,
        });
    }
    validate_plan(&steps, minimum.grosze())?;
    db::write_transaction(conn, |conn| {
        db::dunning::set_minimum_debt(conn, minimum.grosze(), now)?;
        for step in &steps {
            db::dunning::save_plan_step(
                conn,
                &PlanStepRow {
                    kind: step.kind.name().into(),
                    offset_days: step.offset_days,
                    deadline_days: step.deadline_days,
                    by_email: step.by_email,
                    in_portal: step.in_portal,
                    by_letter: step.by_letter,
                    active: step.active,
                    updated_at: now,
                },
            )?;
        }
        audit::record(
            conn,
            actor,
            "dunning_plan_changed",
            json!({ "minimum_debt": minimum.grosze(), "steps": steps }),
            now,
        )?;
        Ok(())
    })
}

/// A rate row as typed: percentages with a comma or a point.
#[derive(Debug, Clone, Default)]
pub struct RateForm {
    pub valid_from: String,
    pub reference: String,
    pub consumer: String,
    pub commercial: String,
}

/// "9,25" → 925 basis points.
pub fn parse_rate_bp(input: &str) -> Result<i64, SettingsError> {
    let error = || SettingsError::Rate(input.trim().to_owned());
    let typed = input.trim().trim_end_matches('%').trim().replace(',', ".");
    let percent = Decimal::from_str(&typed).map_err(|_| error())?;
    let bp = percent * Decimal::ONE_HUNDRED;
    if bp.fract() != Decimal::ZERO || bp < Decimal::ZERO || bp > Decimal::from(10_000) {
        return Err(error());
    }
    i64::try_from(bp).map_err(|_| error())
}

/// Adds a rate (or replaces the one from the same day), audited.
pub fn save_rate(
    conn: &mut DbConn,
    form: &RateForm,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<NaiveDate, SettingsError> {
    let valid_from = NaiveDate::parse_from_str(form.valid_from.trim(), "%Y-%m-%d")
        .map_err(|_| SettingsError::Date(form.valid_from.trim().to_owned()))?;
    let row = RateRow {
        valid_from,
        reference_bp: parse_rate_bp(&form.reference)?,
        consumer_bp: parse_rate_bp(&form.consumer)?,
        commercial_bp: parse_rate_bp(&form.commercial)?,
        updated_at: now,
    };
    db::write_transaction(conn, |conn| {
        db::dunning::save_rate(conn, &row)?;
        audit::record(
            conn,
            actor,
            "interest_rate_saved",
            json!({
                "valid_from": valid_from.to_string(),
                "reference_bp": row.reference_bp,
                "consumer_bp": row.consumer_bp,
                "commercial_bp": row.commercial_bp,
            }),
            now,
        )?;
        Ok(valid_from)
    })
}

/// Takes a customer out of dunning, with a reason (a payment plan, a complaint), audited.
pub fn pause(
    conn: &mut DbConn,
    customer_number: i64,
    reason: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<CustomerId, SettingsError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(SettingsError::NoReason);
    }
    db::write_transaction(conn, |conn| {
        let customer_id = db::dunning::customer_id_by_number(conn, customer_number)?
            .ok_or(SettingsError::NoCustomer)?;
        db::dunning::pause(conn, customer_id, reason, actor.staff_id, now)?;
        let mut actor = actor.clone();
        actor.customer_id = Some(customer_id);
        audit::record(
            conn,
            &actor,
            "dunning_paused",
            json!({ "customer_number": customer_number, "reason": reason }),
            now,
        )?;
        Ok(customer_id)
    })
}

/// Puts a paused customer back into dunning, audited.
pub fn unpause(
    conn: &mut DbConn,
    customer_id: CustomerId,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<bool, SettingsError> {
    db::write_transaction(conn, |conn| {
        let lifted = db::dunning::unpause(conn, customer_id)?;
        if lifted {
            let mut actor = actor.clone();
            actor.customer_id = Some(customer_id);
            audit::record(conn, &actor, "dunning_resumed", json!({}), now)?;
        }
        Ok(lifted)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_typed_as_percentages() {
        assert_eq!(parse_rate_bp("9,25").unwrap(), 925);
        assert_eq!(parse_rate_bp(" 13.75 % ").unwrap(), 1375);
        assert_eq!(parse_rate_bp("10").unwrap(), 1000);
        assert!(parse_rate_bp("9,255").is_err());
        assert!(parse_rate_bp("-1").is_err());
        assert!(parse_rate_bp("abc").is_err());
    }
}

/// What the staff page shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StaffView {
    pub plan: Vec<PlanStep>,
    pub minimum_debt: Money,
    pub rates: Vec<crate::domain::interest::RatePeriod>,
    pub pauses: Vec<PauseView>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct PauseView {
    pub customer_id: CustomerId,
    pub customer_number: i64,
    pub reason: String,
    pub paused_at: NaiveDateTime,
}

pub fn staff_view(conn: &mut DbConn) -> diesel::QueryResult<StaffView> {
    let setup = setup(conn)?;
    let pauses = db::dunning::pauses(conn)?
        .into_iter()
        .map(|(pause, number)| PauseView {
            customer_id: pause.customer_id,
            customer_number: number,
            reason: pause.reason,
            paused_at: pause.paused_at,
        })
        .collect();
    let mut rates = setup.rates.periods().to_vec();
    rates.reverse();
    Ok(StaffView {
        plan: setup.plan,
        minimum_debt: Money::from_grosze(setup.minimum_debt),
        rates,
        pauses,
    })
}
