//! What the billing run has to work with beyond monthly fees: loyalty discounts and one-off
//! charges queued for next month, on a share of the generated customers.

use chrono::{Months, NaiveDate, NaiveDateTime};
use rand::Rng;
use rand::rngs::StdRng;

use crate::db::billing::{NewPendingCharge, NewServiceDiscount};
use crate::db::{self, DbConn};
use crate::domain::billing::BillingPeriod;

pub fn add(
    conn: &mut DbConn,
    rng: &mut StdRng,
    customer_id: i64,
    internet_service_id: i64,
    signed_on: NaiveDate,
    today: NaiveDate,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    if rng.gen_bool(0.10) {
        // Loyalty discount after the first year of the contract.
        let starts_on = signed_on
            .checked_add_months(Months::new(12))
            .unwrap_or(signed_on);
        db::billing::insert_discount(
            conn,
            &NewServiceDiscount {
                service_id: internet_service_id,
                name: "Rabat lojalnościowy −10%".into(),
                kind: "percent".into(),
                value: 1_000,
                starts_on,
                ends_on: None,
                created_at: now,
            },
        )?;
    }
    if rng.gen_bool(0.03) {
        db::billing::insert_pending_charge(
            conn,
            &NewPendingCharge {
                customer_id,
                service_id: Some(internet_service_id),
                name: "Wymiana routera na Wi-Fi 6".into(),
                amount: 14_900,
                vat_rate: "23".into(),
                period: BillingPeriod::containing(today).next().key(),
                invoice_id: None,
                created_by_staff_id: None,
                created_at: now,
            },
        )?;
    }
    Ok(())
}
