//! Three months of invoices and payments for a demo customer.
//!
//! These are plain rows with numbers from the real counters; the invoicing capability (PDF,
//! art. 106e checks) will issue demo invoices through its own path when it lands.

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime};
use diesel::QueryResult;
use rust_decimal_macros::dec;

use crate::db::invoices::{NewInvoice, NewInvoiceLine};
use crate::db::payments::{NewPayment, NewPaymentAllocation};
use crate::db::seller::Seller;
use crate::db::{self, DbConn};
use crate::domain::Money;

/// One chargeable line: what the customer pays monthly, gross (consumer prices include VAT).
#[derive(Debug, Clone)]
pub struct MonthlyCharge {
    pub name: String,
    pub gross: Money,
    pub service_id: Option<i64>,
}

/// How the customer settled the invoices, oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settlement {
    Paid,
    HalfPaid,
    Unpaid,
}

pub struct Buyer<'a> {
    pub customer_id: i64,
    pub contract_id: i64,
    pub name: &'a str,
    pub nip: Option<&'a str>,
    pub address_line: &'a str,
    pub postal_code: &'a str,
    pub city: &'a str,
    pub nrb: &'a str,
}

pub struct InvoiceSeries {
    pub id: i64,
}

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

#[allow(clippy::too_many_arguments)]
pub fn write_invoice(
    conn: &mut DbConn,
    seller: &Seller,
    series: &InvoiceSeries,
    buyer: &Buyer<'_>,
    charges: &[MonthlyCharge],
    issue_date: NaiveDate,
    settlement: Settlement,
    today: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    let period_key = format!("{:04}-{:02}", issue_date.year(), issue_date.month());
    let seq = db::invoices::next_seq(conn, series.id, &period_key)?;
    let number = format!(
        "FV/{:04}/{:02}/{seq:06}",
        issue_date.year(),
        issue_date.month()
    );
    let lines: Vec<(Money, Money, Money)> = charges.iter().map(|c| split_gross(c.gross)).collect();
    let total_net: Money = lines.iter().map(|l| l.0).sum();
    let total_vat: Money = lines.iter().map(|l| l.1).sum();
    let total_gross: Money = lines.iter().map(|l| l.2).sum();
    let period_start = issue_date.with_day(1).unwrap_or(issue_date);
    let period_end = period_start
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(issue_date);
    let invoice_id = db::invoices::insert(
        conn,
        &NewInvoice {
            customer_id: buyer.customer_id,
            contract_id: Some(buyer.contract_id),
            kind: "invoice".into(),
            status: "issued".into(),
            series_id: Some(series.id),
            period_key: Some(period_key),
            seq: Some(seq),
            number: Some(number.clone()),
            corrects_invoice_id: None,
            correction_reason: None,
            issue_date,
            sale_date: None,
            period_start: Some(period_start),
            period_end: Some(period_end),
            due_date: issue_date + Days::new(PAYMENT_TERM_DAYS),
            payment_method: "transfer".into(),
            seller_name: seller.name.clone(),
            seller_nip: seller.nip.clone(),
            seller_address_line: seller.address_line.clone(),
            seller_postal_code: seller.postal_code.clone(),
            seller_city: seller.city.clone(),
            buyer_name: buyer.name.to_owned(),
            buyer_nip: buyer.nip.map(str::to_owned),
            buyer_address_line: buyer.address_line.to_owned(),
            buyer_postal_code: buyer.postal_code.to_owned(),
            buyer_city: buyer.city.to_owned(),
            bank_account: buyer.nrb.to_owned(),
            total_net: total_net.grosze(),
            total_vat: total_vat.grosze(),
            total_gross: total_gross.grosze(),
            split_payment: false,
            delivery: "paper".into(),
            pdf_path: None,
            pdf_sha256: None,
            created_at: now,
            issued_at: Some(now),
        },
    )?;
    for (position, (charge, (net, vat, gross))) in charges.iter().zip(&lines).enumerate() {
        db::invoices::insert_line(
            conn,
            &NewInvoiceLine {
                invoice_id,
                position: position as i32 + 1,
                name: charge.name.clone(),
                unit: "usł.".into(),
                quantity: "1".into(),
                unit_price: charge.gross.grosze(),
                price_kind: "gross".into(),
                net: net.grosze(),
                vat_rate: "23".into(),
                vat: vat.grosze(),
                gross: gross.grosze(),
                service_id: charge.service_id,
            },
        )?;
    }
    let paid = match settlement {
        Settlement::Paid => total_gross,
        Settlement::HalfPaid => Money::from_grosze(total_gross.grosze() / 2),
        Settlement::Unpaid => Money::zero(),
    };
    if paid > Money::zero() {
        let received_on = (issue_date + Days::new(5)).min(today);
        let payment_id = db::payments::insert(
            conn,
            &NewPayment {
                customer_id: buyer.customer_id,
                amount: paid.grosze(),
                received_on,
                method: "transfer".into(),
                source: "demo".into(),
                title: Some(number),
                payer_name: Some(buyer.name.to_owned()),
                bank_reference: None,
                recorded_by_staff_id: None,
                created_at: now,
            },
        )?;
        db::payments::insert_allocation(
            conn,
            &NewPaymentAllocation {
                payment_id,
                invoice_id,
                amount: paid.grosze(),
                created_at: now,
            },
        )?;
    }
    Ok(invoice_id)
}

/// Net, VAT and gross of a 23% consumer line priced gross: the gross stays as advertised and the
/// net is derived, half-up to the grosz (art. 106e ust. 11).
fn split_gross(gross: Money) -> (Money, Money, Money) {
    let net = Money::from_decimal_half_up(gross.to_decimal() / dec!(1.23)).unwrap_or(gross);
    (net, gross - net, gross)
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
    fn a_gross_price_splits_into_net_and_vat_that_add_up() {
        let (net, vat, gross) = split_gross(Money::from_grosze(7_999));
        assert_eq!(net, Money::from_grosze(6_503));
        assert_eq!(vat, Money::from_grosze(1_496));
        assert_eq!(net + vat, gross);
    }
}
