//! A paid order, inside the transaction of PayU's COMPLETED notification: the order moves
//! `unpaid` → `paid` by a conditional update (so a repeated or concurrent notification, which
//! never gets here twice anyway because the payment's own completion is claimed first, cannot
//! activate it twice), the invoice is issued through `app::invoicing` (numbering, PDF, KSeF
//! queue), the money is booked as one payment laid first on that invoice, what needs no people
//! takes effect, and the subscriber is mailed the confirmation with the invoice attached.
//!
//! Money for an order that is no longer unpaid (cancelled meanwhile, or paid by an earlier
//! attempt) is booked as credit and flagged for staff; nothing is activated.

use crate::domain::{DomainStatus, ServiceKind, ServiceStatus};
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use crate::app::audit::Actor;
use crate::app::invoicing::{Invoicing, IssueError, IssueRequest, LineRequest, issue_invoice};
use crate::app::mail_queue::{self, QueueError};
use crate::app::payments::settle;
use crate::db::online_payments::OnlinePayment;
use crate::db::orders::{OrderLine, ShopOrder};
use crate::db::payments::NewPayment;
use crate::db::{self, DbConn};
use crate::domain::orders::Fulfilment;
use crate::domain::subscription_periods::InvoicedBy;
use crate::domain::{Money, VatRate};
use crate::mail::{Language, MailKind};

#[derive(Debug, thiserror::Error)]
pub enum PaidError {
    #[error("the order's invoice could not be issued: {0}")]
    Invoice(#[from] IssueError),
    #[error(transparent)]
    Mail(#[from] QueueError),
    /// A domain the order registers is on record already (found when staff finish it).
    #[error("the domain {0} is on record already")]
    DomainTaken(String),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

fn new_payment(
    order: &OnlinePayment,
    payu_order_id: &str,
    today: NaiveDate,
    now: NaiveDateTime,
) -> NewPayment {
    NewPayment {
        customer_id: order.customer_id,
        amount: order.total_amount,
        received_on: today,
        method: "online".into(),
        source: "online".into(),
        title: Some(format!("PayU: {}", order.description)),
        payer_name: None,
        // Unique in the ledger: a second booking of the same PayU order cannot exist.
        bank_reference: Some(format!("payu:{payu_order_id}")),
        recorded_by_staff_id: None,
        created_at: now,
        match_reason: None,
    }
}

/// Books PayU's money for an online payment of purpose `order`; returns the ledger payment.
pub fn book(
    conn: &mut DbConn,
    ctx: &Invoicing<'_>,
    payment: &OnlinePayment,
    payu_order_id: &str,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<i64, PaidError> {
    let order = match db::orders::order_of_payment(conn, payment.id)? {
        Some(id) => db::orders::find_order(conn, id)?,
        None => None,
    };
    let lines = match &order {
        Some(order) => db::orders::lines_of(conn, order.id)?,
        None => Vec::new(),
    };
    let needs_people = lines.iter().any(|l| l.needs_people);
    let fulfilment = if needs_people {
        Fulfilment::Waiting
    } else {
        Fulfilment::None
    };
    let claimed = match &order {
        Some(order) => db::orders::claim_paid(conn, order.id, fulfilment, now)?,
        None => false,
    };
    let (Some(order), true) = (order, claimed) else {
        // Money for an order that is not waiting for it: credit, and staff look.
        let payment_id = crate::app::payments::insert_received(
            conn,
            &new_payment(payment, payu_order_id, today, now),
        )?;
        settle(conn, payment.customer_id, now)?;
        db::online_payments::attach_payment(conn, payment.id, payment_id)?;
        db::online_payments::flag(
            conn,
            payment.id,
            "Wpłata za zamówienie, które nie czekało na zapłatę (anulowane lub opłacone wcześniej); zaksięgowana jako nadpłata, nic nie aktywowano",
            now,
        )?;
        tracing::warn!(
            payment = payment.id,
            "money for an order not waiting for it, flagged"
        );
        return Ok(payment_id);
    };
    let issued = issue_invoice(conn, ctx, &invoice_request(&order, &lines, today), now)?;
    db::orders::set_invoice(conn, order.id, issued.invoice_id)?;
    let payment_id = crate::app::payments::insert_received(
        conn,
        &new_payment(payment, payu_order_id, today, now),
    )?;
    let owed = crate::app::receivables::of_customer(conn, order.customer_id, today)?;
    if let Some(debt) = owed.debt_of(issued.invoice_id) {
        let part = debt.outstanding().min(payment.total_amount);
        if part > 0 {
            db::payments::add_allocation(conn, payment_id, issued.invoice_id, part, now)?;
        }
    }
    settle(conn, order.customer_id, now)?;
    db::online_payments::attach_payment(conn, payment.id, payment_id)?;
    db::orders::set_payment(conn, order.id, payment_id)?;
    for line in lines.iter().filter(|l| !l.needs_people) {
        activate(conn, &order, line, today, now)?;
    }
    if let Some(outgoing) = ctx.outgoing {
        let mut context = super::order_mail_context(
            outgoing,
            order.id,
            order.total_gross,
            &order.language,
            "paid",
        );
        context.insert("invoice_number", &issued.number);
        context.insert("needs_people", &needs_people);
        let pdf = db::invoices::find(conn, issued.invoice_id)?
            .and_then(|i| i.pdf_path)
            .map(|p| ctx.store.absolute(&p).to_string_lossy().into_owned());
        mail_queue::queue_with_attachment(
            conn,
            outgoing.templates,
            MailKind::Order,
            &order.notify_email,
            Language::from_code(&order.language),
            &context,
            pdf,
            now,
        )?;
    }
    Ok(payment_id)
}

fn invoice_request(order: &ShopOrder, lines: &[OrderLine], today: NaiveDate) -> IssueRequest {
    IssueRequest {
        customer_id: order.customer_id,
        contract_id: None,
        series_code: "FV".into(),
        issue_date: today,
        sale_date: Some(today),
        period: None,
        // Paid before it is issued.
        payment_days: 0,
        lines: lines.iter().map(invoice_line).collect(),
        annex_15_goods: false,
        invoiced_by: InvoicedBy::Manual,
        actor: Actor {
            customer_id: Some(order.customer_id),
            account_id: order.account_id,
            ..Actor::default()
        },
    }
}

/// An order line as the order's invoice carries it (a refund's correction repeats it).
pub(crate) fn invoice_line(line: &OrderLine) -> LineRequest {
    LineRequest {
        name: match &line.domain_name {
            Some(domain) => format!("{}: {domain}", line.name),
            None => line.name.clone(),
        },
        unit: "szt.".into(),
        quantity: Decimal::from(line.quantity),
        unit_price: Money::from_grosze(line.unit_price),
        rate: VatRate::parse(&line.vat_rate).unwrap_or(VatRate::Standard23),
        service_id: None,
        subscription: None,
    }
}

/// Puts one line's purchase into effect, once (a line already in effect is left alone).
pub(crate) fn activate(
    conn: &mut DbConn,
    order: &ShopOrder,
    line: &OrderLine,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<(), PaidError> {
    if !db::orders::activate_line(conn, line.id, now)? {
        return Ok(());
    }
    let customer_id = order.customer_id;
    match line.kind.as_str() {
        kind @ ("service" | "public_ip") => {
            let contract_id = db::orders::active_contract(conn, customer_id)?;
            for _ in 0..line.quantity {
                db::services::insert(
                    conn,
                    &db::services::NewService {
                        customer_id,
                        contract_id,
                        kind: if kind == "public_ip" {
                            ServiceKind::StaticIp
                        } else {
                            ServiceKind::Other
                        },
                        name: line.name.clone(),
                        status: ServiceStatus::Active,
                        activated_on: today,
                        expires_on: None,
                        monthly_fee: line.monthly_fee,
                        renewal_price: None,
                        auto_renew: false,
                        created_at: now,
                    },
                )?;
            }
        }
        "tariff_change" => {
            let tariff = match line.catalogue_item_id {
                Some(id) => db::orders::find_item(conn, id)?.and_then(|i| i.tariff_id),
                None => None,
            };
            if let Some(tariff_id) = tariff {
                db::orders::change_tariff(conn, customer_id, tariff_id, now)?;
            }
        }
        "domain_registration" | "domain_transfer" => {
            if let Some(name) = &line.domain_name {
                if db::orders::domain_is_ours(conn, name)? {
                    return Err(PaidError::DomainTaken(name.clone()));
                }
                let renewal_price = match line.catalogue_item_id {
                    Some(id) => db::orders::find_item(conn, id)?.map_or(0, |i| i.price_gross),
                    None => 0,
                };
                db::domains::insert(
                    conn,
                    &db::domains::NewDomain {
                        customer_id,
                        name: name.clone(),
                        status: DomainStatus::Active,
                        registered_on: today,
                        expires_on: super::renewed_until(None, today),
                        auto_renew: false,
                        renewal_price,
                        created_at: now,
                    },
                )?;
            }
        }
        "renewal_service" => {
            if let Some(id) = line.renewal_service_id
                && let Some((_, ends, _)) = db::orders::renewable_service(conn, customer_id, id)?
            {
                let until = super::renewed_until(ends, today);
                db::orders::set_service_expiry(conn, customer_id, id, until)?;
            }
        }
        "renewal_domain" => {
            if let Some(id) = line.renewal_domain_id
                && let Some((_, ends, _)) = db::orders::renewable_domain(conn, customer_id, id)?
            {
                let until = super::renewed_until(Some(ends), today);
                db::orders::set_domain_expiry(conn, customer_id, id, until)?;
            }
        }
        // A device is handed over by people; the fee line is only money.
        _ => {}
    }
    Ok(())
}
