//! The charge pass: on the first day of each period of a contract that pays automatically, the
//! period's invoice is issued (the fee of its services and the one-off charges queued for it) and
//! its amount is charged to the card without the subscriber (`recurring: STANDARD`). A failed
//! charge is tried again on the ISP's schedule (after 1, 3 and 7 days by default), the subscriber
//! told each time with a link to pay by hand; after the last failure the mandate ends and the
//! contract falls back to ordinary invoices.
//!
//! Safe with several instances and after a crash: the period's charge row is unique per
//! (contract, period start) and written with the invoice in one transaction; each attempt is
//! claimed by a conditional update with its own extOrderId, written before PayU is asked; an
//! attempt whose instance died is first asked about at PayU by the stored order id, or placed
//! again under the same extOrderId, which PayU refuses as a duplicate when it already has it.

use chrono::{Days, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde_json::json;

use super::{LEASE, RecurringError, Settings, pl_date, with_db};
use crate::app::audit::Actor;
use crate::app::invoicing::{Invoicing, IssueRequest, LineRequest, issue_invoice, price_kind_of};
use crate::app::mail_queue::{self, Outgoing};
use crate::app::online_payments::Gateway;
use crate::app::service::{Documents, Mailing};
use crate::db::payments::NewPayment;
use crate::db::recurring::{Charge, NewCharge, NewFailure};
use crate::db::{self, DbConn, Pool};
use crate::domain::Money;
use crate::domain::billing::{self as billing_rules, BillingPeriod};
use crate::domain::online_payment::CURRENCY;
use crate::domain::recurring::{self, CardStatus, ChargeState, MandateStatus, Period};
use crate::domain::subscription_periods::InvoicedBy;
use crate::domain::vat::{PriceKind, VatRate};
use crate::mail::{Language, MailKind};
use crate::payu::client::PayuError;
use crate::payu::wire::{
    Buyer, OrderCreateRequest, PayMethod, PayMethods, Product, RECURRING_STANDARD, order_status,
};

/// Telecommunications services are taxed at the standard rate (pl-invoicing §1.4).
const SERVICE_RATE: VatRate = VatRate::Standard23;
/// How many past periods a late pass still opens (a pass that did not run for a while).
const CATCH_UP_PERIODS: u64 = 2;

/// What the pass needs besides the database and PayU.
#[derive(Clone)]
pub struct ChargeContext {
    pub documents: Documents,
    pub mailing: Option<Mailing>,
    pub settings: Settings,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PassReport {
    /// Periods whose invoice and charge were opened.
    pub opened: usize,
    pub paid: usize,
    /// Attempts that failed (a retry is scheduled or the mandate ended).
    pub failed: usize,
    /// Mandates ended after the last retry.
    pub ended: usize,
    /// Attempts whose answer is still awaited.
    pub waiting: usize,
    /// Nothing left to charge: the invoice was paid otherwise.
    pub settled: usize,
}

impl crate::app::service::QueuesMail for PassReport {
    /// Invoices opened, charges paid or failed and mandates ended are each mailed.
    fn queued_mail(&self) -> bool {
        *self != PassReport::default()
    }
}

/// What one attempt came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempted {
    Paid,
    Failed {
        ended: bool,
    },
    Waiting,
    Settled,
    /// Another instance has it, or it was decided meanwhile.
    Skipped,
}

/// One pass: opens the periods due today and tries every charge due.
pub async fn run_pass(
    pool: &Pool,
    gateway: &Gateway,
    ctx: &ChargeContext,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<PassReport, RecurringError> {
    let mut report = PassReport::default();
    let opening = ctx.clone();
    report.opened = with_db(pool, move |conn| {
        open_due_periods(conn, &opening, today, now)
    })
    .await?;
    let due = with_db(pool, move |conn| {
        Ok(db::recurring::charges_to_try(conn, today, now)?)
    })
    .await?;
    for id in due {
        match attempt(pool, gateway, ctx, id, today, now).await {
            Ok(Attempted::Paid) => report.paid += 1,
            Ok(Attempted::Failed { ended }) => {
                report.failed += 1;
                report.ended += usize::from(ended);
            }
            Ok(Attempted::Waiting) => report.waiting += 1,
            Ok(Attempted::Settled) => report.settled += 1,
            Ok(Attempted::Skipped) => {}
            Err(error) => {
                tracing::warn!(charge = id, %error, "recurring charge not tried; next pass will")
            }
        }
    }
    Ok(report)
}

fn invoicing<'a>(ctx: &'a ChargeContext) -> Invoicing<'a> {
    Invoicing {
        renderer: &ctx.documents.renderer,
        store: &ctx.documents.store,
        outgoing: ctx.mailing.as_ref().map(Mailing::outgoing),
    }
}

/// Ends the mandates cancelled whose last day passed, and opens each active mandate's periods
/// that started by `today`.
pub fn open_due_periods(
    conn: &mut DbConn,
    ctx: &ChargeContext,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<usize, RecurringError> {
    db::recurring::close_cancelled(conn, today, now)?;
    let mut opened = 0;
    for (mandate, contract_start) in db::recurring::active_mandates(conn)? {
        let Some(current) = recurring::period_of(contract_start, today) else {
            continue;
        };
        let first = recurring::first_starting_from(contract_start, mandate.starts_on)
            .map_or(current.index, |p| p.index)
            .max(current.index.saturating_sub(CATCH_UP_PERIODS));
        for index in first..=current.index {
            let Some(period) = recurring::period(contract_start, index) else {
                continue;
            };
            if db::recurring::charge_of_period(conn, mandate.contract_id, period.start)?.is_some() {
                continue;
            }
            match open_period(conn, ctx, &mandate, period, today, now) {
                Ok(()) => opened += 1,
                // Another instance opened it between our look and our insert.
                Err(RecurringError::Database(e)) if db::is_unique_violation(&e) => {}
                Err(error) => {
                    tracing::error!(mandate = mandate.id, %error, "recurring period not opened");
                }
            }
        }
    }
    Ok(opened)
}

/// Writes the period's charge and issues its invoice, in one transaction.
fn open_period(
    conn: &mut DbConn,
    ctx: &ChargeContext,
    mandate: &db::recurring::Mandate,
    period: Period,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<(), RecurringError> {
    db::write_transaction(conn, |conn| {
        // First: the idempotency key. A second instance fails here and issues nothing.
        let charge_id = db::recurring::insert_charge(
            conn,
            &NewCharge {
                mandate_id: mandate.id,
                contract_id: mandate.contract_id,
                customer_id: mandate.customer_id,
                period_start: period.start,
                period_end: period.end,
                invoice_id: None,
                amount: 0,
                state: ChargeState::Due,
                attempts: 0,
                next_attempt_on: period.start.max(today),
                created_at: now,
                updated_at: now,
            },
        )?;
        let customer =
            db::customers::find(conn, mandate.customer_id)?.ok_or(RecurringError::NoContract)?;
        let (contract, _) =
            db::contracts::find_of_customer(conn, mandate.customer_id, mandate.contract_id)?
                .ok_or(RecurringError::NoContract)?;
        let method = price_kind_of(&customer);
        let price = |gross: Money, rate: VatRate| match method {
            PriceKind::Net => billing_rules::net_of_gross(gross, rate),
            PriceKind::Gross => gross,
        };
        let label = format!("{}–{}", pl_date(period.start), pl_date(period.end));
        let mut lines = Vec::new();
        for service in db::recurring::active_services_of_contract(conn, contract.id)? {
            if service.monthly_fee <= 0 {
                continue;
            }
            lines.push(LineRequest {
                name: format!("{} ({label})", service.name),
                unit: "usł.".into(),
                quantity: Decimal::ONE,
                unit_price: price(Money::from_grosze(service.monthly_fee), SERVICE_RATE),
                rate: SERVICE_RATE,
                service_id: Some(service.id),
                // The period is 30 days, not a calendar month: the billing run leaves contracts a
                // mandate covers alone instead (`billing::plan`).
                subscription: None,
            });
        }
        let month = BillingPeriod::containing(period.start).key();
        let queued = db::recurring::open_charges_of_contract(conn, contract.id, &month)?;
        for charge in &queued {
            let rate = VatRate::parse(&charge.vat_rate).unwrap_or(SERVICE_RATE);
            lines.push(LineRequest {
                name: charge.name.clone(),
                unit: "szt.".into(),
                quantity: Decimal::ONE,
                unit_price: price(Money::from_grosze(charge.amount), rate),
                rate,
                service_id: charge.service_id,
                subscription: None,
            });
        }
        if lines.is_empty() {
            db::recurring::mark_charge_paid(conn, charge_id, None, ChargeState::Settled, now)?;
            return Ok(());
        }
        let issued = issue_invoice(
            conn,
            &invoicing(ctx),
            &IssueRequest {
                customer_id: customer.id,
                contract_id: Some(contract.id),
                series_code: crate::app::billing::SERIES.into(),
                issue_date: today,
                sale_date: Some(period.start),
                period: Some((period.start, period.end)),
                payment_days: crate::app::billing::PAYMENT_DAYS,
                lines,
                annex_15_goods: false,
                invoiced_by: InvoicedBy::BillingRun,
                actor: Actor::default(),
            },
            now,
        )?;
        for charge in &queued {
            if !db::billing::consume_charge(conn, charge.id, issued.invoice_id)? {
                return Err(RecurringError::Invoice(format!(
                    "queued charge {} was put on another invoice meanwhile",
                    charge.id
                )));
            }
        }
        db::recurring::set_charge_invoice(
            conn,
            charge_id,
            Some(issued.invoice_id),
            issued.total_gross.grosze(),
        )?;
        Ok(())
    })
}

/// What the database says to do with a charge now.
enum Next {
    Skip,
    Settled,
    /// Ask PayU about the order an earlier attempt placed.
    Ask {
        order_id: String,
        attempts: i32,
    },
    /// Place the attempt's order (again, under the same extOrderId when it was lost).
    Place {
        request: Box<OrderCreateRequest>,
        attempts: i32,
    },
    /// No card to charge: the attempt fails at once.
    NoCard {
        attempts: i32,
    },
}

/// One attempt at one charge.
pub async fn attempt(
    pool: &Pool,
    gateway: &Gateway,
    ctx: &ChargeContext,
    charge_id: i64,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<Attempted, RecurringError> {
    let lease = now + chrono::Duration::from_std(LEASE).unwrap_or(chrono::Duration::minutes(10));
    let gateway_for_db = gateway.clone();
    let next = with_db(pool, move |conn| {
        decide(conn, &gateway_for_db, charge_id, lease, today, now)
    })
    .await?;
    let (order_id, attempts) = match next {
        Next::Skip => return Ok(Attempted::Skipped),
        Next::Settled => return Ok(Attempted::Settled),
        Next::NoCard { attempts } => {
            return settle_failure(
                pool,
                ctx,
                charge_id,
                attempts,
                "no_card".into(),
                None,
                today,
                now,
            )
            .await;
        }
        Next::Ask { order_id, attempts } => (order_id, attempts),
        Next::Place { request, attempts } => {
            match gateway.client.create_card_order(&request).await {
                Ok(order) if order.needs_3ds() => {
                    // Nobody is there to confirm: cancel it at PayU and count a failure.
                    let _ = gateway.client.cancel(&order.order_id).await;
                    return settle_failure(
                        pool,
                        ctx,
                        charge_id,
                        attempts,
                        "3ds_required".into(),
                        Some(order.order_id),
                        today,
                        now,
                    )
                    .await;
                }
                Ok(order) => {
                    let id = order.order_id.clone();
                    with_db(pool, move |conn| {
                        db::recurring::set_charge_order(conn, charge_id, Some(&id), lease)?;
                        Ok(())
                    })
                    .await?;
                    (order.order_id, attempts)
                }
                Err(PayuError::Refused { code, .. }) if code == "ERROR_ORDER_NOT_UNIQUE" => {
                    // PayU has this attempt's order already; its notification will tell.
                    return Ok(Attempted::Waiting);
                }
                Err(PayuError::Refused { code, text }) => {
                    let reason = if code == "ERROR_CARD_EXPIRED" {
                        "card_expired".to_owned()
                    } else {
                        format!("{code}: {text}")
                    };
                    return settle_failure(
                        pool, ctx, charge_id, attempts, reason, None, today, now,
                    )
                    .await;
                }
                Err(error) => {
                    // Not known whether PayU took it: the lease runs out and the next pass
                    // places it again under the same extOrderId.
                    tracing::warn!(charge = charge_id, %error, "PayU did not answer a card charge");
                    return Ok(Attempted::Waiting);
                }
            }
        }
    };
    let order = match gateway.client.order(&order_id).await {
        Ok(order) => order,
        Err(error) => {
            tracing::warn!(charge = charge_id, %error, "PayU's answer about a charge is unknown");
            return Ok(Attempted::Waiting);
        }
    };
    match order.status.as_str() {
        order_status::COMPLETED => {
            let ctx = ctx.clone();
            with_db(pool, move |conn| {
                let paid = complete(conn, &ctx_outgoing(&ctx), charge_id, &order_id, today, now)?;
                Ok(if paid {
                    Attempted::Paid
                } else {
                    Attempted::Skipped
                })
            })
            .await
        }
        order_status::CANCELED => {
            settle_failure(
                pool,
                ctx,
                charge_id,
                attempts,
                "declined".into(),
                Some(order_id),
                today,
                now,
            )
            .await
        }
        _ => Ok(Attempted::Waiting),
    }
}

fn ctx_outgoing(ctx: &ChargeContext) -> Option<Outgoing<'_>> {
    ctx.mailing.as_ref().map(Mailing::outgoing)
}

#[allow(clippy::too_many_arguments)]
async fn settle_failure(
    pool: &Pool,
    ctx: &ChargeContext,
    charge_id: i64,
    attempts: i32,
    reason: String,
    order_id: Option<String>,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<Attempted, RecurringError> {
    let ctx = ctx.clone();
    with_db(pool, move |conn| {
        match fail(
            conn,
            &ctx_outgoing(&ctx),
            &ctx.settings,
            charge_id,
            attempts,
            &reason,
            order_id.as_deref(),
            today,
            now,
        )? {
            Some(ended) => Ok(Attempted::Failed { ended }),
            None => Ok(Attempted::Skipped),
        }
    })
    .await
}

fn decide(
    conn: &mut DbConn,
    gateway: &Gateway,
    charge_id: i64,
    lease: NaiveDateTime,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<Next, RecurringError> {
    let Some(charge) = db::recurring::find_charge(conn, charge_id)? else {
        return Ok(Next::Skip);
    };
    let mandate =
        db::recurring::find_mandate(conn, charge.mandate_id)?.ok_or(RecurringError::NoMandate)?;
    match charge.state {
        ChargeState::Charging if charge.lease_until.is_some_and(|l| l < now) => {
            // The instance that placed this attempt died or PayU did not answer it.
            if !db::recurring::claim_charge(
                conn,
                &charge,
                charge.ext_order_id.as_deref().unwrap_or_default(),
                charge.attempts,
                charge.amount,
                lease,
                now,
            )? {
                return Ok(Next::Skip);
            }
            if let Some(order_id) = charge.payu_order_id.clone() {
                db::recurring::set_charge_order(conn, charge.id, Some(&order_id), lease)?;
                return Ok(Next::Ask {
                    order_id,
                    attempts: charge.attempts,
                });
            }
            let Some(token) = card_token(conn, &mandate)? else {
                return Ok(Next::NoCard {
                    attempts: charge.attempts,
                });
            };
            let ext = charge.ext_order_id.clone().unwrap_or_default();
            Ok(Next::Place {
                request: Box::new(order_request(
                    conn,
                    gateway,
                    &charge,
                    &ext,
                    charge.amount,
                    &token,
                )?),
                attempts: charge.attempts,
            })
        }
        ChargeState::Due if charge.next_attempt_on <= today => {
            if !mandate.status.is_open() {
                db::recurring::abandon_charge(conn, charge.id, now)?;
                return Ok(Next::Skip);
            }
            let outstanding = match charge.invoice_id {
                Some(invoice_id) => {
                    crate::app::receivables::of_customer(conn, charge.customer_id, today)?
                        .debt_of(invoice_id)
                        .map_or(0, |d| d.outstanding())
                }
                None => 0,
            };
            if outstanding <= 0 {
                return Ok(
                    if db::recurring::mark_charge_paid(
                        conn,
                        charge.id,
                        None,
                        ChargeState::Settled,
                        now,
                    )? {
                        Next::Settled
                    } else {
                        Next::Skip
                    },
                );
            }
            let attempts = charge.attempts + 1;
            let ext = format!("EBOK-R-{}-{attempts}", charge.id);
            if !db::recurring::claim_charge(conn, &charge, &ext, attempts, outstanding, lease, now)?
            {
                return Ok(Next::Skip);
            }
            let Some(token) = card_token(conn, &mandate)? else {
                return Ok(Next::NoCard { attempts });
            };
            Ok(Next::Place {
                request: Box::new(order_request(
                    conn,
                    gateway,
                    &charge,
                    &ext,
                    outstanding,
                    &token,
                )?),
                attempts,
            })
        }
        _ => Ok(Next::Skip),
    }
}

/// The mandate's card token, while the card is usable.
fn card_token(
    conn: &mut DbConn,
    mandate: &db::recurring::Mandate,
) -> diesel::QueryResult<Option<String>> {
    Ok(
        db::recurring::card_of_customer(conn, mandate.customer_id, mandate.card_id)?
            .filter(|c| c.status == CardStatus::Active)
            .and_then(|c| c.token),
    )
}

fn order_request(
    conn: &mut DbConn,
    gateway: &Gateway,
    charge: &Charge,
    ext_order_id: &str,
    amount: i64,
    token: &str,
) -> Result<OrderCreateRequest, RecurringError> {
    let customer =
        db::customers::find(conn, charge.customer_id)?.ok_or(RecurringError::NoContract)?;
    let (contract, _) =
        db::contracts::find_of_customer(conn, charge.customer_id, charge.contract_id)?
            .ok_or(RecurringError::NoContract)?;
    let description = format!(
        "Abonament {} ({}–{})",
        contract.number,
        pl_date(charge.period_start),
        pl_date(charge.period_end)
    );
    Ok(OrderCreateRequest {
        notify_url: gateway.notify_url.clone(),
        continue_url: format!("{}{}", gateway.public_url, super::PAGE),
        // A merchant-initiated charge has no buyer at a browser; PayU still wants an address.
        customer_ip: "127.0.0.1".into(),
        merchant_pos_id: gateway.client.pos_id().to_owned(),
        description: description.clone(),
        currency_code: CURRENCY.into(),
        total_amount: amount.to_string(),
        ext_order_id: ext_order_id.to_owned(),
        validity_time: None,
        buyer: Some(Buyer {
            email: customer.email.clone(),
            phone: None,
            first_name: customer.first_name.clone(),
            last_name: customer.last_name.clone(),
            language: None,
            ext_customer_id: Some(customer.customer_number.to_string()),
        }),
        products: vec![Product {
            name: description,
            unit_price: amount.to_string(),
            quantity: "1".into(),
        }],
        pay_methods: Some(PayMethods {
            pay_method: PayMethod::card_token(token),
        }),
        recurring: Some(RECURRING_STANDARD.into()),
    })
}

/// Something the subscriber is told about a charge.
struct Notice<'a> {
    event: &'a str,
    charge: &'a Charge,
    retry_on: Option<NaiveDate>,
    invoice_number: Option<String>,
}

fn mail(
    conn: &mut DbConn,
    outgoing: &Option<Outgoing<'_>>,
    notice: Notice<'_>,
    now: NaiveDateTime,
) -> Result<(), RecurringError> {
    let Some(outgoing) = outgoing else {
        return Ok(());
    };
    let charge = notice.charge;
    let customer =
        db::customers::find(conn, charge.customer_id)?.ok_or(RecurringError::NoContract)?;
    let (contract, _) =
        db::contracts::find_of_customer(conn, charge.customer_id, charge.contract_id)?
            .ok_or(RecurringError::NoContract)?;
    let mut context = outgoing.context();
    context.insert("event", notice.event);
    context.insert("contract_number", &contract.number);
    context.insert(
        "amount",
        &format!("{} zł", Money::from_grosze(charge.amount).format_amount()),
    );
    context.insert("period_start", &pl_date(charge.period_start));
    context.insert("period_end", &pl_date(charge.period_end));
    if let Some(day) = notice.retry_on {
        context.insert("retry_on", &pl_date(day));
    }
    if let Some(number) = notice.invoice_number {
        context.insert("invoice_number", &number);
    }
    let pay = charge
        .invoice_id
        .map(|id| format!("/faktury/{id}"))
        .unwrap_or_else(|| "/saldo".into());
    context.insert("pay_link", &outgoing.link(&pay));
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
    Ok(())
}

/// The charge's attempt was paid: books the payment on its invoice and tells the subscriber.
/// False when it was booked already (a repeated notification, or the pass and a notification at
/// once).
pub fn complete(
    conn: &mut DbConn,
    outgoing: &Option<Outgoing<'_>>,
    charge_id: i64,
    payu_order_id: &str,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<bool, RecurringError> {
    db::write_transaction(conn, |conn| {
        let Some(charge) = db::recurring::find_charge(conn, charge_id)? else {
            return Ok(false);
        };
        if !matches!(charge.state, ChargeState::Charging | ChargeState::Due) {
            return Ok(false);
        }
        let reference = format!("payu:{payu_order_id}");
        let (contract, _) =
            db::contracts::find_of_customer(conn, charge.customer_id, charge.contract_id)?
                .ok_or(RecurringError::NoContract)?;
        let payment_id = crate::app::payments::insert_received(
            conn,
            &NewPayment {
                customer_id: charge.customer_id,
                amount: charge.amount,
                received_on: today,
                method: "card".into(),
                source: "online".into(),
                title: Some(format!(
                    "PayU: płatność automatyczna {} ({}–{})",
                    contract.number,
                    pl_date(charge.period_start),
                    pl_date(charge.period_end)
                )),
                payer_name: None,
                // Unique in the ledger: the same PayU order is never booked twice.
                bank_reference: Some(reference),
                recorded_by_staff_id: None,
                created_at: now,
                match_reason: None,
            },
        )?;
        if let Some(invoice_id) = charge.invoice_id {
            let owed = crate::app::receivables::of_customer(conn, charge.customer_id, today)?
                .debt_of(invoice_id)
                .map_or(0, |d| d.outstanding());
            let part = owed.min(charge.amount);
            if part > 0 {
                db::payments::add_allocation(conn, payment_id, invoice_id, part, now)?;
            }
        }
        crate::app::payments::settle(conn, charge.customer_id, now)?;
        if !db::recurring::mark_charge_paid(
            conn,
            charge.id,
            Some(payment_id),
            ChargeState::Paid,
            now,
        )? {
            return Err(RecurringError::Invoice("charge settled meanwhile".into()));
        }
        // The order that paid it: a refund (a contract ended at once) goes back through it.
        db::recurring::set_paid_order(conn, charge.id, payu_order_id)?;
        let invoice_number = match charge.invoice_id {
            Some(id) => db::invoices::find(conn, id)?.and_then(|i| i.number),
            None => None,
        };
        mail(
            conn,
            outgoing,
            Notice {
                event: "charged",
                charge: &charge,
                retry_on: None,
                invoice_number,
            },
            now,
        )?;
        crate::app::audit::record(
            conn,
            &Actor::default(),
            "recurring_charged",
            json!({ "charge": charge.id, "amount": charge.amount, "payu_order": payu_order_id }),
            now,
        )?;
        Ok(true)
    })
    .or_else(|error| match error {
        RecurringError::Database(e) if db::is_unique_violation(&e) => Ok(false),
        RecurringError::Invoice(text) if text == "charge settled meanwhile" => Ok(false),
        other => Err(other),
    })
}

/// The attempt `attempts` failed: the next one is scheduled (the subscriber told, with a link to
/// pay by hand), or after the last the mandate ends and the contract falls back to ordinary
/// invoices. Some(ended) when recorded; None when this attempt was settled already.
#[allow(clippy::too_many_arguments)]
pub fn fail(
    conn: &mut DbConn,
    outgoing: &Option<Outgoing<'_>>,
    settings: &Settings,
    charge_id: i64,
    attempts: i32,
    reason: &str,
    payu_order_id: Option<&str>,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<Option<bool>, RecurringError> {
    db::write_transaction(conn, |conn| {
        let Some(charge) = db::recurring::find_charge(conn, charge_id)? else {
            return Ok(None);
        };
        let tomorrow = today.checked_add_days(Days::new(1)).unwrap_or(today);
        let retry_on = recurring::retry_on(
            charge.period_start,
            u32::try_from(attempts).unwrap_or(u32::MAX),
            &settings.retry_days,
        )
        .map(|day| day.max(tomorrow));
        if !db::recurring::fail_charge(conn, charge.id, attempts, retry_on, now)? {
            return Ok(None);
        }
        db::recurring::insert_failure(
            conn,
            &NewFailure {
                charge_id: charge.id,
                attempt: attempts,
                reason: reason.to_owned(),
                payu_order_id: payu_order_id.map(str::to_owned),
                retry_on,
                at: now,
            },
        )?;
        let ended = retry_on.is_none();
        if ended {
            db::recurring::move_mandate(
                conn,
                charge.mandate_id,
                &MandateStatus::OPEN,
                MandateStatus::Ended,
                Some(charge.period_end),
                Some("charge_failed"),
                now,
            )?;
        }
        let invoice_number = match charge.invoice_id {
            Some(id) => db::invoices::find(conn, id)?.and_then(|i| i.number),
            None => None,
        };
        mail(
            conn,
            outgoing,
            Notice {
                event: if ended { "ended" } else { "failed" },
                charge: &charge,
                retry_on,
                invoice_number,
            },
            now,
        )?;
        crate::app::audit::record(
            conn,
            &Actor::default(),
            "recurring_charge_failed",
            json!({ "charge": charge.id, "attempt": attempts, "reason": reason, "ended": ended }),
            now,
        )?;
        Ok(Some(ended))
    })
}
