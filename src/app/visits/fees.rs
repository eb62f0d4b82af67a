//! Collecting a late-cancellation or no-show fee, and waiving it. The fee goes the existing
//! way of one-off charges (`pending_charges`): the next billing run puts it on the customer's
//! periodic invoice. A kind set to shorten a prepaid package shortens the package the visit was
//! booked on instead, when there is one.

use crate::domain::CustomerId;
use chrono::{Duration, NaiveDateTime};

use super::{Effects, VisitError};
use crate::db::billing::NewPendingCharge;
use crate::db::services::Service;
use crate::db::visits::{FeeValues, Visit, VisitKind};
use crate::db::{self, DbConn};
use crate::domain::Money;
use crate::domain::billing::BillingPeriod;
use crate::domain::visits::fees::shortening_days;
use crate::domain::visits::{FeeRule, warsaw};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeeCause {
    LateCancellation,
    Missed,
}

impl FeeCause {
    pub fn as_str(self) -> &'static str {
        match self {
            FeeCause::LateCancellation => "late_cancellation",
            FeeCause::Missed => "missed",
        }
    }

    /// The invoice line: invoices are Polish documents.
    fn line_name(self, visit: &Visit, kind: &VisitKind) -> String {
        let when = warsaw::to_local(visit.starts_at).format("%d.%m.%Y %H:%M");
        match self {
            FeeCause::LateCancellation => format!(
                "Opłata za odwołanie wizyty technika później niż {} h przed terminem ({}, {when})",
                kind.late_cancel_hours, kind.name
            ),
            FeeCause::Missed => {
                format!(
                    "Opłata za nieobecność podczas wizyty technika ({}, {when})",
                    kind.name
                )
            }
        }
    }
}

/// What was collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppliedFee {
    pub amount: Money,
    /// Days a prepaid package was shortened by; 0 when the fee was invoiced.
    pub days: i64,
}

/// A prepaid package: a service paid ahead until a date.
pub fn is_prepaid(service: &Service) -> bool {
    service.expires_on.is_some() && service.monthly_fee > 0
}

/// The first billing period from next month whose invoice the customer does not have yet:
/// a charge queued for a period already invoiced would wait for ever.
fn next_open_period(
    conn: &mut DbConn,
    customer_id: CustomerId,
    now: NaiveDateTime,
) -> diesel::QueryResult<BillingPeriod> {
    let mut period = BillingPeriod::containing(warsaw::to_local(now).date()).next();
    for _ in 0..24 {
        if db::billing::billed_customers(conn, &[customer_id], &period.key())?.is_empty() {
            break;
        }
        period = period.next();
    }
    Ok(period)
}

/// Collects `fee` for the visit (nothing when it is zero) and records it on the visit.
pub fn apply(
    conn: &mut DbConn,
    visit: &Visit,
    kind: &VisitKind,
    cause: FeeCause,
    fee: Money,
    fx: &Effects<'_>,
) -> Result<Option<AppliedFee>, VisitError> {
    if fee.grosze() <= 0 {
        return Ok(None);
    }
    let package = match visit.service_id {
        Some(id) => db::services::find_of_customer(conn, visit.customer_id, id)?,
        None => None,
    };
    if FeeRule::parse(&kind.fee_rule) == Some(FeeRule::Shorten)
        && let Some(service) = package.filter(is_prepaid)
        && let Some(expires_on) = service.expires_on
    {
        let days = shortening_days(fee, Money::from_grosze(service.monthly_fee));
        db::visits::set_service_expiry(conn, service.id, expires_on - Duration::days(days))?;
        db::visits::record_fee(
            conn,
            visit.id,
            &FeeValues {
                fee_amount: Some(fee.grosze()),
                fee_reason: Some(cause.as_str().into()),
                fee_charge_id: None,
                fee_shortened_days: Some(days),
            },
        )?;
        return Ok(Some(AppliedFee { amount: fee, days }));
    }
    let period = next_open_period(conn, visit.customer_id, fx.now)?;
    let charge_id = db::billing::insert_pending_charge(
        conn,
        &NewPendingCharge {
            customer_id: visit.customer_id,
            service_id: None,
            name: cause.line_name(visit, kind),
            amount: fee.grosze(),
            vat_rate: kind.vat_rate.clone(),
            period: period.key(),
            invoice_id: None,
            created_by_staff_id: fx.actor.staff_id,
            created_at: fx.now,
        },
    )?;
    db::visits::record_fee(
        conn,
        visit.id,
        &FeeValues {
            fee_amount: Some(fee.grosze()),
            fee_reason: Some(cause.as_str().into()),
            fee_charge_id: Some(charge_id),
            fee_shortened_days: None,
        },
    )?;
    Ok(Some(AppliedFee {
        amount: fee,
        days: 0,
    }))
}

/// Takes the fee back: the waiting charge is removed, or the package's days given back. A fee
/// already on an invoice needs a corrective invoice instead.
pub fn waive(
    conn: &mut DbConn,
    visit: &Visit,
    reason: &str,
    fx: &Effects<'_>,
) -> Result<(), VisitError> {
    if visit.fee_amount.is_none() || visit.fee_waived_at.is_some() {
        return Err(VisitError::NoFee);
    }
    if let Some(charge_id) = visit.fee_charge_id {
        // The visit lets go of the charge first (a foreign key); the caller's transaction
        // rolls that back when the charge turns out to be invoiced already.
        db::visits::forget_charge(conn, visit.id)?;
        if !db::billing::delete_waiting_charge(conn, visit.customer_id, charge_id)? {
            return Err(VisitError::FeeInvoiced);
        }
    }
    if let (Some(days), Some(service_id)) = (visit.fee_shortened_days, visit.service_id)
        && let Some(service) = db::services::find_of_customer(conn, visit.customer_id, service_id)?
        && let Some(expires_on) = service.expires_on
    {
        db::visits::set_service_expiry(conn, service.id, expires_on + Duration::days(days))?;
    }
    if !db::visits::waive_fee(conn, visit.id, fx.actor.staff_id, reason, fx.now)? {
        return Err(VisitError::NoFee);
    }
    Ok(())
}
