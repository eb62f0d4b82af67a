//! Planning one chunk of the run: what each customer's invoice for the period holds, or why the
//! customer gets none. Reads only; the rules themselves are in `domain::billing`.

use crate::domain::ContractId;
use crate::domain::CustomerId;
use crate::domain::ServiceKind;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::app::invoicing::{Buyer, LineRequest, buyer_of, inputs};
use crate::db::billing::{PendingCharge, ServiceDiscount};
use crate::db::customers::Customer;
use crate::db::services::Service;
use crate::db::{self, DbConn};
use crate::domain::billing::{
    self, BillingPeriod, Discount, DiscountKind, ServiceStatus, ServiceTerms, SkipReason,
};
use crate::domain::vat::{self, InvoiceTotals, PriceKind};
use crate::domain::{Money, VatRate};
use crate::domain::{discounts, recurring};

/// Telecommunications services are taxed at the standard rate (pl-invoicing §1.4).
const SERVICE_RATE: VatRate = VatRate::Standard23;

/// Why a customer gets no invoice this run: the keys of `billing_runs.skip_reasons`.
pub mod skip {
    pub const ALREADY_INVOICED: &str = "already_invoiced";
    pub const NO_SERVICES: &str = "no_services";
    pub const NOTHING_TO_BILL: &str = "nothing_to_bill";
    pub const INVALID_CUSTOMER_DATA: &str = "invalid_customer_data";
    pub const INVALID_CHARGE: &str = "invalid_charge";
}

/// Everything the chunk's customers need, read in a handful of queries.
pub(super) struct ChunkData {
    services: HashMap<CustomerId, Vec<Service>>,
    discounts: HashMap<i64, Vec<Discount>>,
    /// Approved discounts by eligibility ("ulgi"), by contract.
    eligibility: HashMap<ContractId, Vec<Discount>>,
    charges: HashMap<CustomerId, Vec<PendingCharge>>,
    /// Customers an earlier run of the period invoiced (`billed_periods`, the run's own record;
    /// what is invoiced is decided by `subscribed`, so a period freed by a correction is billed
    /// again).
    pub billed: HashSet<CustomerId>,
    /// Services whose subscription for the period is invoiced already, by whatever path.
    subscribed: HashSet<i64>,
    /// Contracts paid by card for days of the period (`app::recurring`), with the days of the
    /// period no card period covers: the charge pass invoices the 30-day periods, the run only
    /// the days around them (before the first, after the last), pro rata.
    by_card: HashMap<ContractId, Vec<(NaiveDate, NaiveDate)>>,
    einvoice: HashSet<CustomerId>,
}

pub(super) fn load(
    conn: &mut DbConn,
    customers: &[Customer],
    period: BillingPeriod,
) -> diesel::QueryResult<ChunkData> {
    let ids: Vec<CustomerId> = customers.iter().map(|c| c.id).collect();
    let key = period.key();
    let mut services: HashMap<CustomerId, Vec<Service>> = HashMap::new();
    for service in db::billing::services_of_customers(conn, &ids)? {
        services
            .entry(service.customer_id)
            .or_default()
            .push(service);
    }
    let service_ids: Vec<i64> = services.values().flatten().map(|s| s.id).collect();
    let mut discounts: HashMap<i64, Vec<Discount>> = HashMap::new();
    for row in db::billing::discounts_of_services(conn, &service_ids)? {
        if let Some(discount) = discount_of(&row) {
            discounts.entry(row.service_id).or_default().push(discount);
        }
    }
    let mut contract_ids: Vec<ContractId> = services
        .values()
        .flatten()
        .filter_map(|s| s.contract_id)
        .collect();
    contract_ids.sort_unstable();
    contract_ids.dedup();
    let mut eligibility: HashMap<ContractId, Vec<Discount>> = HashMap::new();
    for (application, discount_type) in db::discounts::approved_of_contracts(conn, &contract_ids)? {
        let (Some(starts_on), Some(kind)) = (
            application.starts_on,
            crate::app::discounts::kind_of(&discount_type),
        ) else {
            continue;
        };
        eligibility
            .entry(application.contract_id)
            .or_default()
            .push(Discount {
                name: discount_type.name,
                kind,
                starts_on,
                ends_on: application.ends_on,
            });
    }
    let mut card_spans: HashMap<ContractId, Vec<(NaiveDate, NaiveDate)>> = HashMap::new();
    for (contract, from, to) in
        db::recurring::card_spans(conn, &contract_ids, period.first_day(), period.last_day())?
    {
        card_spans.entry(contract).or_default().push((from, to));
    }
    let by_card = card_spans
        .into_iter()
        .map(|(contract, spans)| {
            let left = recurring::uncovered(period.first_day(), period.last_day(), &spans);
            (contract, left)
        })
        .collect();
    let mut charges: HashMap<CustomerId, Vec<PendingCharge>> = HashMap::new();
    for charge in db::billing::open_charges_of_customers(conn, &ids, &key)? {
        charges.entry(charge.customer_id).or_default().push(charge);
    }
    let billed = db::billing::billed_customers(conn, &ids, &key)?
        .into_iter()
        .collect();
    let subscribed = db::subscription_periods::in_force_for_services(conn, &service_ids, &key)?
        .into_iter()
        .map(|fact| fact.service_id)
        .collect();
    // Decisions come oldest first: the last one per customer is in force.
    let mut in_force: HashMap<CustomerId, bool> = HashMap::new();
    for (customer_id, granted) in db::billing::einvoice_decisions(conn, &ids)? {
        in_force.insert(customer_id, granted);
    }
    let einvoice = in_force
        .into_iter()
        .filter_map(|(id, granted)| granted.then_some(id))
        .collect();
    Ok(ChunkData {
        services,
        discounts,
        eligibility,
        charges,
        billed,
        subscribed,
        by_card,
        einvoice,
    })
}

fn discount_of(row: &ServiceDiscount) -> Option<Discount> {
    Some(Discount {
        name: row.name.clone(),
        kind: DiscountKind::from_stored(&row.kind, row.value)?,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
    })
}

/// One customer's invoice for the period, ready to be numbered and written.
pub(super) struct InvoicePlan {
    pub customer: Customer,
    pub buyer: Buyer,
    pub contract_id: Option<ContractId>,
    /// (service id, its contract) of each subscription billed.
    pub service_contracts: Vec<(i64, Option<ContractId>)>,
    pub lines: Vec<LineRequest>,
    pub totals: InvoiceTotals,
    pub method: PriceKind,
    pub charge_ids: Vec<i64>,
    /// The days the invoice covers: the whole month, or less when every service started or
    /// ended inside it (so the first invoice does not claim days before the service began).
    pub covers: (NaiveDate, NaiveDate),
    pub by_email: bool,
}

impl InvoicePlan {
    pub fn contract_of(&self, service_id: i64) -> Option<ContractId> {
        self.service_contracts
            .iter()
            .find(|(service, _)| *service == service_id)
            .and_then(|(_, contract)| *contract)
    }
}

pub(super) enum Outcome {
    Invoice(Box<InvoicePlan>),
    Skip(&'static str),
}

/// What `customer` is invoiced for `period`, or why nothing.
pub(super) fn plan_customer(
    period: BillingPeriod,
    customer: Customer,
    data: &ChunkData,
    mail_possible: bool,
) -> Outcome {
    let buyer = match buyer_of(&customer) {
        Ok(buyer) => buyer,
        Err(error) => {
            tracing::warn!(customer = customer.customer_number, %error, "billing run: customer skipped");
            return Outcome::Skip(skip::INVALID_CUSTOMER_DATA);
        }
    };
    let method = PriceKind::for_buyer(buyer.nip.is_some());
    let price = |gross: Money, rate: VatRate| match method {
        PriceKind::Net => billing::net_of_gross(gross, rate),
        PriceKind::Gross => gross,
    };
    let services = data
        .services
        .get(&customer.id)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let charges = data
        .charges
        .get(&customer.id)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let mut lines = Vec::new();
    let mut reasons: Vec<SkipReason> = Vec::new();
    let mut covers: Option<(NaiveDate, NaiveDate)> = None;
    let mut contract_id = None;
    let mut invoiced_elsewhere = false;
    let mut service_contracts = Vec::new();
    for service in services {
        let card_windows = service.contract_id.and_then(|c| data.by_card.get(&c));
        if data.subscribed.contains(&service.id) || card_windows.is_some_and(Vec::is_empty) {
            invoiced_elsewhere = true;
            continue;
        }
        let whole = ServiceTerms {
            status: service.status,
            activated_on: service.activated_on,
            expires_on: service.expires_on,
            monthly_fee: Money::from_grosze(service.monthly_fee),
        };
        // Days paid by card are invoiced by the charge pass: only the others are billed here,
        // each window as if the service began and ended with it.
        let windows: Vec<ServiceTerms> = match card_windows {
            None => vec![whole],
            Some(windows) => windows
                .iter()
                .map(|&(from, to)| ServiceTerms {
                    activated_on: whole.activated_on.max(from),
                    expires_on: match whole.expires_on {
                        Some(end) => Some(end.min(to)),
                        // An ended service without its end date is billed for nothing, as
                        // without a card.
                        None if whole.status == ServiceStatus::Ended => None,
                        None => Some(to),
                    },
                    ..whole.clone()
                })
                .collect(),
        };
        // The month is recorded as billed once per service, on its first line.
        let mut subscription = Some(period);
        for terms in windows {
            let discounts = data
                .discounts
                .get(&service.id)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            if let Some(ulga) = eligibility_of(data, services, service, period, &terms) {
                match ulga {
                    Ok((charge, full, off, name)) => {
                        covers = Some(match covers {
                            Some((from, to)) => (from.min(charge.from), to.max(charge.to)),
                            None => (charge.from, charge.to),
                        });
                        contract_id = contract_id.or(service.contract_id);
                        service_contracts.push((service.id, service.contract_id));
                        let full_price = price(full, SERVICE_RATE);
                        let after_price =
                            price(full.checked_sub(off).unwrap_or(Money::zero()), SERVICE_RATE);
                        lines.push(LineRequest {
                            name: billing::service_line_name(&service.name, period, &charge),
                            unit: "usł.".into(),
                            quantity: Decimal::ONE,
                            unit_price: full_price,
                            rate: SERVICE_RATE,
                            service_id: Some(service.id),
                            subscription: subscription.take(),
                        });
                        let off_price = full_price.grosze() - after_price.grosze();
                        if off_price > 0 {
                            lines.push(LineRequest {
                                name: discounts::line_name(&name, &service.name),
                                unit: "usł.".into(),
                                quantity: Decimal::ONE,
                                unit_price: Money::from_grosze(-off_price),
                                rate: SERVICE_RATE,
                                service_id: Some(service.id),
                                subscription: None,
                            });
                        }
                    }
                    Err(reason) => reasons.push(reason),
                }
                continue;
            }
            match billing::bill_service(period, &terms, discounts) {
                Ok(charge) => {
                    covers = Some(match covers {
                        Some((from, to)) => (from.min(charge.from), to.max(charge.to)),
                        None => (charge.from, charge.to),
                    });
                    contract_id = contract_id.or(service.contract_id);
                    service_contracts.push((service.id, service.contract_id));
                    lines.push(LineRequest {
                        name: billing::service_line_name(&service.name, period, &charge),
                        unit: "usł.".into(),
                        quantity: Decimal::ONE,
                        unit_price: price(charge.amount, SERVICE_RATE),
                        rate: SERVICE_RATE,
                        service_id: Some(service.id),
                        subscription: subscription.take(),
                    });
                }
                Err(reason) => reasons.push(reason),
            }
        }
    }
    let mut charge_ids = Vec::new();
    for charge in charges {
        let Ok(rate) = VatRate::parse(&charge.vat_rate) else {
            tracing::warn!(
                charge = charge.id,
                "billing run: a queued charge has an unknown VAT rate"
            );
            return Outcome::Skip(skip::INVALID_CHARGE);
        };
        charge_ids.push(charge.id);
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
        if invoiced_elsewhere {
            return Outcome::Skip(skip::ALREADY_INVOICED);
        }
        return Outcome::Skip(reason_for_nothing(services.is_empty(), &reasons));
    }
    let Ok(totals) = vat::compute(&inputs(&lines), method) else {
        return Outcome::Skip(skip::INVALID_CHARGE);
    };
    let covers = match (covers, charge_ids.is_empty()) {
        (Some(days), true) => days,
        _ => (period.first_day(), period.last_day()),
    };
    let by_email = mail_possible && data.einvoice.contains(&customer.id);
    Outcome::Invoice(Box::new(InvoicePlan {
        customer,
        buyer,
        contract_id,
        service_contracts,
        lines,
        totals,
        method,
        charge_ids,
        covers,
        by_email,
    }))
}

/// The service's charge under the contract's discount by eligibility, when one applies to the
/// billed days: the charge without discounts (its days, its line name), the full pro-rated fee
/// and what the discount takes off it (gross), and the discount's name. Discounts never stack:
/// the service's own discounts do not apply then. It lowers the tariff's subscription only (the
/// contract's internet service), not the extras (a static IP, TV), and so is taken once.
type EligibilityCharge = Result<(billing::ServiceCharge, Money, Money, String), SkipReason>;

fn eligibility_of(
    data: &ChunkData,
    services: &[Service],
    service: &Service,
    period: BillingPeriod,
    terms: &ServiceTerms,
) -> Option<EligibilityCharge> {
    let contract = service.contract_id?;
    let candidates = data.eligibility.get(&contract)?;
    let plain = match billing::bill_service(period, terms, &[]) {
        Ok(plain) => plain,
        Err(_) => return None,
    };
    // Windows never overlap once approved (the newer ends the older); the latest wins if they do.
    let ulga = candidates
        .iter()
        .rev()
        .find(|d| d.applies_between(plain.from, plain.to))?;
    // The tariff's subscription: the contract's internet service (the first, if several).
    let subscription = services
        .iter()
        .filter(|s| s.contract_id == Some(contract))
        .min_by_key(|s| (s.kind != ServiceKind::Internet, s.id))
        .map(|s| s.id);
    if subscription != Some(service.id) {
        return None;
    }
    let (full, off) =
        discounts::split_charge(terms.monthly_fee, ulga.kind, plain.days, plain.period_days);
    if full
        .checked_sub(off)
        .is_none_or(|after| after <= Money::zero())
    {
        return Some(Err(SkipReason::FreeOfCharge));
    }
    Some(Ok((plain, full, off, ulga.name.clone())))
}

/// One reason when every service was skipped for the same one; otherwise "nothing to bill".
fn reason_for_nothing(no_services: bool, reasons: &[SkipReason]) -> &'static str {
    if no_services {
        return skip::NO_SERVICES;
    }
    match reasons.split_first() {
        Some((first, rest)) if rest.iter().all(|r| r == first) => first.key(),
        _ => skip::NOTHING_TO_BILL,
    }
}

/// The subscription lines of one contract of `customer` for `period`, priced as the run prices
/// them (pro-rata, discounts), for an invoice staff issue by hand. Periods invoiced already are
/// not left out here: issuing refuses them and names the invoice that holds them.
pub fn contract_subscription_lines(
    conn: &mut DbConn,
    customer: Customer,
    contract_id: ContractId,
    period: BillingPeriod,
) -> diesel::QueryResult<Vec<LineRequest>> {
    let data = ChunkData {
        billed: HashSet::new(),
        subscribed: HashSet::new(),
        charges: HashMap::new(),
        ..load(conn, std::slice::from_ref(&customer), period)?
    };
    Ok(match plan_customer(period, customer, &data, false) {
        Outcome::Invoice(plan) => plan
            .lines
            .iter()
            .filter(|line| {
                // The subscription lines, and the discount lines that lower them.
                (line.subscription.is_some() || line.unit_price.is_negative())
                    && line
                        .service_id
                        .is_some_and(|s| plan.contract_of(s) == Some(contract_id))
            })
            .cloned()
            .collect(),
        Outcome::Skip(_) => Vec::new(),
    })
}
