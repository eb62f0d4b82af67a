//! A refund in the demo: the first generated customer's newest paid invoice is lowered by a
//! 10 zł discount for an outage, and staff chose to refund the overpayment to the customer's
//! account, so `/staff/zwroty` has a transfer to make and the correction's PDF says
//! "zwrócona na rachunek". A refund leaves what the customer owes and their credit as they
//! were, so no page or test that starts from the demo's balances moves. Added once.

use chrono::NaiveDateTime;

use crate::app::audit::Actor;
use crate::app::invoicing::{
    CorrectionRequest, Invoicing, IssueError, LineRequest, issue_correction,
};
use crate::app::receivables;
use crate::db::{self, DbConn};
use crate::domain::receivables::Overpaid;
use crate::domain::{Money, Nrb, VatRate};

/// The customer the demo refunds to: the first generated one.
const CUSTOMER_NUMBER: i64 = 3;
/// The customer's own bank account (not the ISP's virtual one), for the refund.
const CUSTOMER_BBAN: &str = "109010140000071219812874";
const DISCOUNT: i64 = 1_000;

pub fn seed(
    conn: &mut DbConn,
    invoicing: &Invoicing<'_>,
    now: NaiveDateTime,
) -> Result<(), IssueError> {
    let Some(customer) = db::customers::find_by_number(conn, CUSTOMER_NUMBER)? else {
        return Ok(());
    };
    if !db::refunds::of_customer(conn, customer.id)?.is_empty() {
        return Ok(());
    }
    let money = receivables::of_customer(conn, customer.id, now.date())?;
    // The newest invoice paid in full, not corrected yet, whose first line can take the
    // discount.
    let mut paid: Vec<_> = money
        .debts
        .iter()
        .filter(|d| d.corrections == 0 && d.gross > DISCOUNT && d.is_settled() && d.allocated > 0)
        .collect();
    paid.sort_by_key(|d| std::cmp::Reverse(d.invoice_id));
    for debt in paid {
        let lines: Vec<_> = db::invoices::lines_of(conn, debt.invoice_id)?
            .into_iter()
            .filter(|l| l.side == "line")
            .collect();
        if lines.first().is_none_or(|l| l.unit_price <= DISCOUNT) {
            continue;
        }
        let lines = lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| -> Result<LineRequest, IssueError> {
                let price = if i == 0 {
                    l.unit_price - DISCOUNT
                } else {
                    l.unit_price
                };
                Ok(LineRequest {
                    name: l.name,
                    unit: l.unit,
                    quantity: l
                        .quantity
                        .parse()
                        .map_err(|_| crate::domain::VatError::NoLines)?,
                    unit_price: Money::from_grosze(price),
                    rate: VatRate::parse(&l.vat_rate)?,
                    service_id: l.service_id,
                    subscription: None,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let account = Nrb::from_bban(CUSTOMER_BBAN).map_err(|_| IssueError::NoRefundAccount)?;
        issue_correction(
            conn,
            invoicing,
            &CorrectionRequest {
                original_id: debt.invoice_id,
                series_code: super::fixed::CORRECTION_SERIES_CODE.into(),
                issue_date: now.date(),
                reason: "Rabat za przerwę w dostawie internetu".into(),
                lines,
                payment_days: 14,
                actor: Actor::default(),
                overpaid: Overpaid::Refund,
                refund_account: Some(account.as_str().to_owned()),
            },
            now,
        )?;
        return Ok(());
    }
    Ok(())
}
