//! Three months of invoices and payments for a demo customer, issued through the real invoicing
//! path (numbers, PDFs, hashes) and paid through the real ledger.

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::DemoError;
use crate::app::audit::Actor;
use crate::app::invoicing::{self, Invoicing, IssueRequest, LineRequest};
use crate::app::payments::{self, PaymentRequest};
use crate::db::DbConn;
use crate::domain::billing::BillingPeriod;
use crate::domain::subscription_periods::InvoicedBy;
use crate::domain::{Money, VatRate};

/// One chargeable line: what the customer pays monthly, gross (consumer prices include VAT).
#[derive(Debug, Clone)]
pub struct MonthlyCharge {
    pub name: String,
    pub gross: Money,
    pub service_id: Option<i64>,
}

/// How the customer settled each invoice, oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settlement {
    Paid,
    HalfPaid,
    Unpaid,
}

pub struct History<'a> {
    pub customer_id: i64,
    pub contract_id: i64,
    pub payer_name: &'a str,
    /// Businesses are invoiced net (the same price, less VAT).
    pub is_business: bool,
    pub charges: &'a [MonthlyCharge],
    pub billing_day: u32,
    pub signed_on: NaiveDate,
}

pub const SERIES: &str = "FV";
const PAYMENT_TERM_DAYS: u64 = 14;

/// The last `count` billing dates on or before `today`, oldest first.
pub fn last_billing_dates(today: NaiveDate, billing_day: u32, count: usize) -> Vec<NaiveDate> {
    let mut date = today.with_day(billing_day).unwrap_or(today);
    if date > today {
        date = date.checked_sub_months(Months::new(1)).unwrap_or(date);
    }
    let mut dates = Vec::with_capacity(count);
    for _ in 0..count {
        dates.push(date);
        date = date.checked_sub_months(Months::new(1)).unwrap_or(date);
    }
    dates.reverse();
    dates
}

fn month_of(date: NaiveDate) -> (NaiveDate, NaiveDate) {
    let start = date.with_day(1).unwrap_or(date);
    let end = start
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(date);
    (start, end)
}

fn lines(history: &History<'_>, period: BillingPeriod) -> Vec<LineRequest> {
    history
        .charges
        .iter()
        .map(|charge| LineRequest {
            name: charge.name.clone(),
            unit: "usł.".into(),
            quantity: Decimal::ONE,
            unit_price: if history.is_business {
                Money::from_decimal_half_up(charge.gross.to_decimal() / dec!(1.23))
                    .unwrap_or(charge.gross)
            } else {
                charge.gross
            },
            rate: VatRate::Standard23,
            service_id: charge.service_id,
            // Each monthly charge of a service is that service's subscription for the month,
            // recorded as every issuing path records it.
            subscription: charge.service_id.map(|_| period),
        })
        .collect()
}

pub fn issue(
    conn: &mut DbConn,
    invoicing: &Invoicing<'_>,
    history: &History<'_>,
    settlements: [Settlement; 3],
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<(), DemoError> {
    let dates = last_billing_dates(today, history.billing_day, settlements.len());
    for (issue_date, settlement) in dates.into_iter().zip(settlements) {
        if issue_date < history.signed_on {
            continue;
        }
        let issued = invoicing::issue_invoice(
            conn,
            invoicing,
            &IssueRequest {
                customer_id: history.customer_id,
                contract_id: Some(history.contract_id),
                series_code: SERIES.into(),
                issue_date,
                sale_date: None,
                period: Some(month_of(issue_date)),
                payment_days: PAYMENT_TERM_DAYS,
                lines: lines(history, BillingPeriod::containing(issue_date)),
                annex_15_goods: false,
                invoiced_by: InvoicedBy::Demo,
                actor: Actor::default(),
            },
            now,
        )?;
        // Demo history was delivered when it was issued; only new invoices wait for posting.
        crate::db::invoices::mark_delivered(conn, issued.invoice_id, now)?;
        let paid = match settlement {
            Settlement::Paid => issued.total_gross,
            Settlement::HalfPaid => Money::from_grosze(issued.total_gross.grosze() / 2),
            Settlement::Unpaid => Money::zero(),
        };
        if paid > Money::zero() {
            payments::record_payment(
                conn,
                &PaymentRequest {
                    customer_id: history.customer_id,
                    amount: paid,
                    received_on: (issue_date + Days::new(5)).min(today),
                    method: "transfer",
                    source: "demo",
                    title: Some(issued.number),
                    payer_name: Some(history.payer_name.to_owned()),
                    bank_reference: None,
                    recorded_by_staff_id: None,
                    match_reason: None,
                },
                now,
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn billing_dates_end_with_the_latest_one_not_in_the_future() {
        assert_eq!(
            last_billing_dates(date(2026, 11, 21), 10, 3),
            vec![date(2026, 9, 10), date(2026, 10, 10), date(2026, 11, 10)]
        );
        assert_eq!(
            last_billing_dates(date(2026, 1, 5), 10, 3),
            vec![date(2025, 10, 10), date(2025, 11, 10), date(2025, 12, 10)]
        );
    }

    #[test]
    fn a_billing_period_is_the_whole_month() {
        assert_eq!(
            month_of(date(2026, 2, 10)),
            (date(2026, 2, 1), date(2026, 2, 28))
        );
    }
}
