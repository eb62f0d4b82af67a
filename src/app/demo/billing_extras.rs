//! What the billing run has to work with beyond monthly fees: loyalty discounts and one-off
//! charges queued for next month, on a share of the generated customers.

use crate::domain::CustomerId;
use chrono::{Months, NaiveDate, NaiveDateTime};
use rand::Rng;
use rand::rngs::StdRng;

use crate::db::billing::{NewPendingCharge, NewServiceDiscount};
use crate::domain::billing::BillingPeriod;

/// A customer's draws: a loyalty discount, a router exchange queued for next month.
pub struct BillingExtras {
    discount: bool,
    router_exchange: bool,
}

impl BillingExtras {
    pub fn draw(rng: &mut StdRng) -> BillingExtras {
        let discount = rng.gen_bool(0.10);
        BillingExtras {
            discount,
            router_exchange: rng.gen_bool(0.03),
        }
    }

    /// Loyalty discount after the first year of the contract.
    pub fn discount(
        &self,
        internet_service_id: i64,
        signed_on: NaiveDate,
        now: NaiveDateTime,
    ) -> Option<NewServiceDiscount> {
        self.discount.then(|| NewServiceDiscount {
            service_id: internet_service_id,
            name: "Rabat lojalnościowy −10%".into(),
            kind: "percent".into(),
            value: 1_000,
            starts_on: signed_on
                .checked_add_months(Months::new(12))
                .unwrap_or(signed_on),
            ends_on: None,
            created_at: now,
        })
    }

    pub fn pending_charge(
        &self,
        customer_id: CustomerId,
        internet_service_id: i64,
        today: NaiveDate,
        now: NaiveDateTime,
    ) -> Option<NewPendingCharge> {
        self.router_exchange.then(|| NewPendingCharge {
            customer_id,
            service_id: Some(internet_service_id),
            name: "Wymiana routera na Wi-Fi 6".into(),
            amount: 14_900,
            vat_rate: "23".into(),
            period: BillingPeriod::containing(today).next().key(),
            invoice_id: None,
            created_by_staff_id: None,
            created_at: now,
        })
    }
}
