//! One-off charges queued for a customer's periodic invoice (a router sold, an installation, a
//! technician's visit): billing staff queue them for a billing period, and the run puts each on
//! exactly one invoice of that period. A charge still waiting can be taken back; one already on
//! an invoice cannot (that takes a corrective invoice).

use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::FieldErrors;
use crate::app::audit::{self, Actor};
use crate::db::billing::NewPendingCharge;
use crate::db::{self, DbConn};
use crate::domain::billing::BillingPeriod;
use crate::domain::{Money, VatRate};

/// The rates staff choose from (codes as `VatRate::parse` reads them).
pub const RATES: [&str; 5] = ["23", "8", "5", "0", "zw"];
/// Longest line name accepted (it is printed on the invoice).
const NAME_MAX: usize = 200;
/// Largest charge accepted: 100 000 zł gross; anything above is surely a typo.
const AMOUNT_MAX: i64 = 10_000_000;

/// The form as typed.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ChargeForm {
    pub name: String,
    /// Gross, in złoty ("149,99").
    pub amount: String,
    pub vat_rate: String,
    /// `YYYY-MM`.
    pub period: String,
}

impl ChargeForm {
    /// An empty form for the next billing period (the run is usually made just before it).
    pub fn blank(today: NaiveDate) -> ChargeForm {
        ChargeForm {
            vat_rate: "23".into(),
            period: BillingPeriod::containing(today).next().key(),
            ..ChargeForm::default()
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ChargeError {
    #[error("the form has problems")]
    Invalid(FieldErrors),
    #[error("no such customer")]
    NoCustomer,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// A queued charge as staff see it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ChargeRow {
    pub id: i64,
    pub name: String,
    pub amount: i64,
    pub vat_rate: String,
    pub period: String,
    /// The invoice it went on, once billed.
    pub invoice_id: Option<InvoiceId>,
    pub invoice_number: Option<String>,
}

#[derive(Debug)]
struct Checked {
    name: String,
    amount: Money,
    vat_rate: &'static str,
    period: BillingPeriod,
}

fn check(form: &ChargeForm, today: NaiveDate) -> Result<Checked, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = form.name.trim();
    if name.is_empty() {
        errors.add("name", "staff-error-required");
    } else if name.chars().count() > NAME_MAX {
        errors.add("name", "charges-error-name");
    }
    let amount = crate::domain::bank_statement::parse_amount(&form.amount)
        .filter(|a| *a > Money::zero() && a.grosze() <= AMOUNT_MAX);
    if amount.is_none() {
        errors.add("amount", "charges-error-amount");
    }
    let vat_rate = RATES
        .iter()
        .copied()
        .find(|rate| *rate == form.vat_rate.trim() && VatRate::parse(rate).is_ok());
    if vat_rate.is_none() {
        errors.add("vat_rate", "staff-error-vat-rate");
    }
    let period = match BillingPeriod::parse(&form.period) {
        // A period already under way may not be billed yet; an earlier one never will be again.
        Ok(period) if period < BillingPeriod::containing(today) => {
            errors.add("period", "charges-error-past-period");
            None
        }
        Ok(period) => Some(period),
        Err(_) => {
            errors.add("period", "charges-error-period");
            None
        }
    };
    match (amount, vat_rate, period) {
        (Some(amount), Some(vat_rate), Some(period)) if errors.is_empty() => Ok(Checked {
            name: name.to_owned(),
            amount,
            vat_rate,
            period,
        }),
        _ => Err(errors),
    }
}

/// Queues a charge for `customer_id`; audited. Returns the charge's id.
pub fn queue(
    conn: &mut DbConn,
    customer_id: CustomerId,
    form: &ChargeForm,
    actor: &Actor,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<i64, ChargeError> {
    let checked = check(form, today).map_err(ChargeError::Invalid)?;
    db::write_transaction(conn, |conn| {
        if db::customers::find(conn, customer_id)?.is_none() {
            return Err(ChargeError::NoCustomer);
        }
        let id = db::billing::insert_pending_charge(
            conn,
            &NewPendingCharge {
                customer_id,
                service_id: None,
                name: checked.name.clone(),
                amount: checked.amount.grosze(),
                vat_rate: checked.vat_rate.to_owned(),
                period: checked.period.key(),
                invoice_id: None,
                created_by_staff_id: actor.staff_id,
                created_at: now,
            },
        )?;
        audit::record(
            conn,
            actor,
            "charge_queued",
            json!({
                "customer": customer_id,
                "charge": id,
                "name": checked.name,
                "amount": checked.amount.grosze(),
                "vat_rate": checked.vat_rate,
                "period": checked.period.key(),
            }),
            now,
        )?;
        Ok(id)
    })
}

/// Takes back a charge of this customer not yet on an invoice; audited. `false` when there is
/// no such waiting charge (another customer's, already billed, or already removed).
pub fn remove(
    conn: &mut DbConn,
    customer_id: CustomerId,
    charge_id: i64,
    actor: &Actor,
    now: NaiveDateTime,
) -> diesel::QueryResult<bool> {
    db::write_transaction(conn, |conn| {
        if !db::billing::delete_waiting_charge(conn, customer_id, charge_id)? {
            return Ok(false);
        }
        audit::record(
            conn,
            actor,
            "charge_removed",
            json!({ "customer": customer_id, "charge": charge_id }),
            now,
        )?;
        Ok(true)
    })
}

/// The customer's queued charges, newest period first, with the invoice each went on.
pub fn of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> diesel::QueryResult<Vec<ChargeRow>> {
    Ok(db::billing::charges_of_customer(conn, customer_id)?
        .into_iter()
        .map(|(charge, invoice_number)| ChargeRow {
            id: charge.id,
            name: charge.name,
            amount: charge.amount,
            vat_rate: charge.vat_rate,
            period: charge.period,
            invoice_id: charge.invoice_id,
            invoice_number,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, amount: &str, rate: &str, period: &str) -> ChargeForm {
        ChargeForm {
            name: name.into(),
            amount: amount.into(),
            vat_rate: rate.into(),
            period: period.into(),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    #[test]
    fn a_good_charge_is_read_in_grosze_for_its_period() {
        let checked = check(
            &form(" Router Wi-Fi 6 ", "149,99", "23", "2026-12"),
            today(),
        )
        .unwrap();
        assert_eq!(checked.name, "Router Wi-Fi 6");
        assert_eq!(checked.amount.grosze(), 14_999);
        assert_eq!(checked.period.key(), "2026-12");
        assert!(check(&form("Wizyta", "50", "8", "2026-11"), today()).is_ok());
    }

    #[test]
    fn each_bad_field_gets_its_own_message() {
        let errors = check(&form("", "0", "22", "2026-13"), today()).unwrap_err();
        assert_eq!(errors.get("name"), Some("staff-error-required"));
        assert_eq!(errors.get("amount"), Some("charges-error-amount"));
        assert_eq!(errors.get("vat_rate"), Some("staff-error-vat-rate"));
        assert_eq!(errors.get("period"), Some("charges-error-period"));
        let past = check(&form("Router", "10", "23", "2026-10"), today()).unwrap_err();
        assert_eq!(past.get("period"), Some("charges-error-past-period"));
        let huge = check(&form("Router", "100000,01", "23", "2026-12"), today()).unwrap_err();
        assert_eq!(huge.get("amount"), Some("charges-error-amount"));
        let long = check(&form(&"x".repeat(201), "10", "23", "2026-12"), today()).unwrap_err();
        assert_eq!(long.get("name"), Some("charges-error-name"));
    }
}
