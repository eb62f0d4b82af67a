//! The generated customers, a chunk at a time. Everything about a customer follows from their
//! number ([`plan`]: the same draws in the same order as ever, so customer N stays the same
//! person with the same tariff, services and history); a chunk's rows are built in memory and
//! each table is written with multi-row INSERTs: a few dozen statements per chunk of 500
//! customers where one by one took ~120 per customer. The history goes through
//! `billing_history::issue_many`.

use crate::domain::ContractId;
use crate::domain::CustomerId;
use std::collections::HashMap;
use std::ops::RangeInclusive;

use chrono::{Days, NaiveDate, NaiveDateTime};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::billing_extras::BillingExtras;
use super::billing_history::{self, History, MonthlyCharge, Planned, Settlement};
use super::rows::{self, LineSecrets};
use super::{
    AccountSpec, CustomerSpec, DemoError, ExtraService, SeedContext, cgnat_address, people,
};
use crate::db::tickets::{NewTicket, NewTicketMessage};
use crate::db::{self, DbConn};
use crate::domain::tickets::{TicketCategory, TicketStatus};
use crate::domain::{Money, ServiceKind};

const STATIC_IP: ExtraService<'static> = ExtraService {
    kind: ServiceKind::StaticIp,
    name: "Stały publiczny adres IP",
    monthly_fee: Money::from_grosze(1_000),
    expires_on: None,
    renewal_price: None,
};
const TICKET_SUBJECT: &str = "Wolne działanie internetu wieczorem";
const TICKET_BODY: &str =
    "Od kilku dni wieczorem prędkość spada poniżej 10 Mb/s. Proszę o sprawdzenie łącza.";

/// One generated customer before anything is written.
struct Generated<'c> {
    spec: CustomerSpec<'c>,
    secrets: LineSecrets,
    extras: Vec<ExtraService<'static>>,
    domain: Option<(String, NaiveDate)>,
    ticket_opened_at: Option<NaiveDateTime>,
    billing: BillingExtras,
    settlements: [Settlement; 3],
}

/// Who customer `number` is and what they have, drawn from a generator seeded with the number.
fn plan<'c>(ctx: &'c SeedContext<'_>, number: i64) -> Generated<'c> {
    let mut rng = StdRng::seed_from_u64(number as u64);
    let person = people::random_person(&mut rng);
    let company = rng
        .gen_bool(0.12)
        .then(|| people::random_company(&mut rng, &person));
    let address = people::random_address(&mut rng);
    let tariff = &ctx.tariffs[rng.gen_range(0..ctx.tariffs.len())];
    let signed_on = ctx.today - Days::new(rng.gen_range(60..1500));
    let spec = CustomerSpec {
        number,
        email: people::email_for(&person.first_name, &person.last_name, number),
        phone: Some(people::random_phone(&mut rng)),
        account: Some(AccountSpec {
            login: format!("klient{number}"),
            password_hash: &ctx.generated_password_hash,
        }),
        contract_number: format!("UM/{}/{number:05}", signed_on.format("%Y")),
        tariff,
        signed_on,
        term_months: rng.gen_bool(0.6).then_some(24),
        billing_day: 1,
        ipv4: cgnat_address(number),
        person,
        company,
        address,
    };
    let secrets = LineSecrets::draw(&mut rng);
    let mut extras = Vec::new();
    if rng.gen_bool(0.2) {
        extras.push(STATIC_IP);
    }
    if rng.gen_bool(0.15) {
        let expires_on = ctx.today + Days::new(rng.gen_range(1..120));
        extras.push(ExtraService {
            kind: ServiceKind::Tv,
            name: "Pakiet TV Start",
            monthly_fee: Money::from_grosze(2_999),
            expires_on: Some(expires_on),
            renewal_price: Some(Money::from_grosze(2_999)),
        });
    }
    let domain = rng.gen_bool(0.08).then(|| {
        let name = format!(
            "{}{number}.pl",
            people::email_for("", &spec.person.last_name, 0)
                .trim_start_matches('.')
                .split('.')
                .next()
                .unwrap_or("domena")
        );
        (name, ctx.today + Days::new(rng.gen_range(1..365)))
    });
    let ticket_opened_at = rng
        .gen_bool(0.05)
        .then(|| ctx.now - chrono::Duration::hours(rng.gen_range(1..240)));
    // A generator of its own, so the draws above (and the demo they make) stay as they were.
    let billing = BillingExtras::draw(&mut StdRng::seed_from_u64(number as u64 ^ 0xb111_0000));
    let settlements = match rng.gen_range(0..20) {
        0 => [Settlement::Paid, Settlement::Paid, Settlement::Paid],
        1 | 2 => [Settlement::Paid, Settlement::Unpaid, Settlement::Unpaid],
        _ => [Settlement::Paid, Settlement::Paid, Settlement::Unpaid],
    };
    Generated {
        spec,
        secrets,
        extras,
        domain,
        ticket_opened_at,
        billing,
        settlements,
    }
}

/// Seeds the customers `numbers` inside the caller's transaction.
pub(super) fn seed_chunk(
    conn: &mut DbConn,
    ctx: &SeedContext<'_>,
    numbers: RangeInclusive<i64>,
) -> Result<(), DemoError> {
    let now = ctx.now;
    let chunk: Vec<Generated<'_>> = numbers.map(|number| plan(ctx, number)).collect();
    let customers = chunk
        .iter()
        .map(|g| rows::customer(ctx.keys, &ctx.seller, &g.spec, now))
        .collect::<diesel::QueryResult<Vec<_>>>()?;
    let customer_ids: HashMap<i64, CustomerId> = db::customers::insert_many(conn, &customers)?
        .into_iter()
        .map(|(id, number)| (number, id))
        .collect();
    drop(customers);
    let customer_id = |g: &Generated<'_>| {
        customer_ids
            .get(&g.spec.number)
            .copied()
            .ok_or(diesel::result::Error::NotFound)
    };
    let mut accounts = Vec::with_capacity(chunk.len());
    let mut contracts = Vec::with_capacity(chunk.len());
    for g in &chunk {
        let id = customer_id(g)?;
        accounts.extend(rows::account(id, &g.spec, now));
        contracts.push(rows::contract(id, &g.spec, now));
    }
    db::accounts::insert_many(conn, &accounts)?;
    // One contract per customer: its id is found by the customer's.
    let contract_ids: HashMap<CustomerId, ContractId> =
        db::contracts::insert_many(conn, &contracts)?
            .into_iter()
            .map(|(id, customer)| (customer, id))
            .collect();
    let contract_id = |customer: CustomerId| {
        contract_ids
            .get(&customer)
            .copied()
            .ok_or(diesel::result::Error::NotFound)
    };
    let mut services = Vec::new();
    for g in &chunk {
        let customer = customer_id(g)?;
        let contract = contract_id(customer)?;
        services.push(rows::internet_service(customer, contract, &g.spec, now));
        for extra in &g.extras {
            services.push(rows::extra_service(
                customer,
                contract,
                extra,
                g.spec.signed_on,
                now,
            ));
        }
    }
    // A customer has at most one service of each kind.
    let service_ids: HashMap<(CustomerId, ServiceKind), i64> =
        db::services::insert_many(conn, &services)?
            .into_iter()
            .map(|(id, customer, kind)| ((customer, kind), id))
            .collect();
    let service_id = |customer: CustomerId, kind: ServiceKind| {
        service_ids
            .get(&(customer, kind))
            .copied()
            .ok_or(diesel::result::Error::NotFound)
    };
    let mut endpoints = Vec::with_capacity(chunk.len());
    let mut domains = Vec::new();
    let mut tickets = Vec::new();
    let mut discounts = Vec::new();
    let mut pending = Vec::new();
    let mut charges: Vec<Vec<MonthlyCharge>> = Vec::with_capacity(chunk.len());
    for g in &chunk {
        let customer = customer_id(g)?;
        let internet = service_id(customer, ServiceKind::Internet)?;
        endpoints.push(rows::endpoint(ctx.keys, internet, &g.spec, &g.secrets, now));
        let mut monthly = vec![MonthlyCharge {
            name: format!("Internet {} — abonament", g.spec.tariff.name),
            gross: Money::from_grosze(g.spec.tariff.monthly_fee),
            service_id: Some(internet),
        }];
        for extra in &g.extras {
            monthly.push(extra.charge(service_id(customer, extra.kind)?));
        }
        charges.push(monthly);
        if let Some((name, expires_on)) = &g.domain {
            domains.push(rows::domain(
                customer,
                name.clone(),
                *expires_on,
                Money::from_grosze(9_900),
                now,
            ));
        }
        if let Some(opened_at) = g.ticket_opened_at {
            tickets.push(NewTicket {
                customer_id: customer,
                opened_by_account_id: None,
                service_id: Some(internet),
                subject: TICKET_SUBJECT.into(),
                category: TicketCategory::Fault,
                status: TicketStatus::Open,
                priority: "normal".into(),
                assigned_staff_id: None,
                created_at: opened_at,
                updated_at: opened_at,
                closed_at: None,
            });
        }
        discounts.extend(g.billing.discount(internet, g.spec.signed_on, now));
        pending.extend(g.billing.pending_charge(customer, internet, ctx.today, now));
    }
    db::services::insert_endpoints(conn, &endpoints)?;
    db::domains::insert_many(conn, &domains)?;
    let messages: Vec<NewTicketMessage> = db::tickets::insert_many(conn, &tickets)?
        .into_iter()
        .filter_map(|(ticket_id, customer)| {
            let ticket = tickets.iter().find(|t| t.customer_id == customer)?;
            Some(NewTicketMessage {
                ticket_id,
                author_account_id: None,
                author_staff_id: None,
                body: TICKET_BODY.into(),
                internal: false,
                created_at: ticket.created_at,
            })
        })
        .collect();
    db::tickets::insert_messages(conn, &messages)?;
    db::billing::insert_discounts(conn, &discounts)?;
    db::billing::insert_pending_charges(conn, &pending)?;
    // The history is issued from the customers as stored, as `issue_invoice` reads them.
    let numbers: Vec<i64> = chunk.iter().map(|g| g.spec.number).collect();
    let stored: HashMap<i64, db::customers::Customer> =
        db::customers::find_by_numbers(conn, &numbers)?
            .into_iter()
            .map(|c| (c.customer_number, c))
            .collect();
    let names: Vec<String> = chunk.iter().map(|g| rows::display_name(&g.spec)).collect();
    let mut planned = Vec::with_capacity(chunk.len());
    for ((g, monthly), name) in chunk.iter().zip(&charges).zip(&names) {
        let customer = stored
            .get(&g.spec.number)
            .ok_or(diesel::result::Error::NotFound)?;
        planned.push(Planned {
            customer,
            history: History {
                customer_id: customer.id,
                contract_id: contract_id(customer.id)?,
                payer_name: name,
                is_business: g.spec.company.is_some(),
                charges: monthly,
                billing_day: g.spec.billing_day,
                signed_on: g.spec.signed_on,
            },
            settlements: g.settlements,
        });
    }
    billing_history::issue_many(conn, &ctx.invoicing, &ctx.seller, &planned, ctx.today, now)
}
