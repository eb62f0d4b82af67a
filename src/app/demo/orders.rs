//! The shop in the demo: catalogue items of every kind (one taken off sale), and past orders in
//! each state through the same use cases a subscriber's clicks take. The demo subscriber has an
//! order waiting for payment (PayU processing it) and one cancelled unpaid after two hours; the
//! first generated subscriber (`klient3`) has two paid ones, invoiced through the invoicing
//! path: one activated at once, one in the staff fulfilment queue. Paid orders go to a
//! generated subscriber because an invoice and its payment on the demo subscriber would move
//! the invoice numbers other pages and tests start from. Added once.

use crate::domain::CustomerId;
use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::app::invoicing::Invoicing;
use crate::app::orders::{self, AddItem};
use crate::db::online_payments::NewOnlinePayment;
use crate::db::orders::NewCatalogueItem;
use crate::db::{self, DbConn};
use crate::domain::VatRate;
use crate::domain::online_payment::{CURRENCY, OrderState, PaymentPurpose};
use crate::domain::orders::{Fulfilment, ItemKind, net_and_gross};

use super::DemoError;

/// (kind, name, description, gross price, monthly fee, needs people, installation, on sale).
type DemoItem = (
    ItemKind,
    &'static str,
    &'static str,
    i64,
    i64,
    bool,
    bool,
    bool,
);

const ITEMS: [DemoItem; 7] = [
    (
        ItemKind::PublicIp,
        "Dodatkowy publiczny adres IPv4",
        "Stały adres IPv4 dla serwera lub kamer; aktywny od razu po opłaceniu.",
        3_000,
        1_500,
        false,
        false,
        true,
    ),
    (
        ItemKind::Device,
        "Router Wi-Fi 6",
        "Router dwuzakresowy z konfiguracją pod Twoje łącze; wysyłamy kurierem.",
        24_900,
        0,
        true,
        false,
        true,
    ),
    (
        ItemKind::Service,
        "Telewizja IPTV — pakiet Start",
        "80 kanałów, dekoder w cenie; technik podłącza dekoder.",
        4_900,
        2_999,
        true,
        true,
        true,
    ),
    (
        ItemKind::DomainRegistration,
        "Rejestracja domeny .pl",
        "Rok utrzymania domeny w cenie.",
        6_000,
        0,
        true,
        false,
        true,
    ),
    (
        ItemKind::DomainTransfer,
        "Transfer domeny .pl",
        "Przeniesienie domeny do nas z kodem AuthInfo.",
        3_000,
        0,
        true,
        false,
        true,
    ),
    (
        ItemKind::TariffChange,
        "Zmiana taryfy",
        "Szybsze łącze od dziś; nowa opłata od następnego okresu.",
        1_000,
        0,
        false,
        false,
        true,
    ),
    (
        ItemKind::Device,
        "Kabel sieciowy 5 m",
        "Wycofany z oferty.",
        1_900,
        0,
        false,
        false,
        false,
    ),
];

fn seed_err(error: impl std::fmt::Display) -> DemoError {
    DemoError::Orders(error.to_string())
}

pub fn seed(
    conn: &mut DbConn,
    secrets: &crate::app::crypto::SecretBox,
    invoicing: &Invoicing<'_>,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<(), DemoError> {
    if !db::orders::all_items(conn)?.is_empty() {
        return Ok(());
    }
    let tariff = db::tariffs::list_active(conn)?
        .into_iter()
        .max_by_key(|t| t.monthly_fee)
        .map(|t| t.id);
    let mut ids = Vec::new();
    for (kind, name, description, gross, monthly_fee, needs_people, installation, active) in ITEMS {
        let tariff_id = if kind == ItemKind::TariffChange {
            tariff
        } else {
            None
        };
        if kind == ItemKind::TariffChange && tariff_id.is_none() {
            continue;
        }
        let (net, gross) = net_and_gross(gross, true, VatRate::Standard23);
        ids.push((
            kind,
            db::orders::insert_item(
                conn,
                &NewCatalogueItem {
                    kind: kind.as_str().into(),
                    name: name.into(),
                    description: description.into(),
                    price_gross: gross,
                    price_net: net,
                    vat_rate: VatRate::Standard23.code().into(),
                    monthly_fee,
                    tariff_id,
                    needs_people,
                    needs_installation: installation,
                    active,
                    created_at: now,
                    updated_at: now,
                },
            )?,
        ));
    }
    let item = |kind: ItemKind| ids.iter().find(|(k, _)| *k == kind).map(|(_, id)| *id);
    let add = |conn: &mut DbConn,
               customer_id: CustomerId,
               item_id: Option<i64>,
               quantity: &str,
               domain: &str| {
        let Some(item_id) = item_id else {
            return Ok(());
        };
        orders::add_item(
            conn,
            secrets,
            customer_id,
            &AddItem {
                item_id,
                quantity: quantity.into(),
                domain_name: domain.into(),
                auth_code: String::new(),
            },
            now,
        )
        .map(|_| ())
        .map_err(seed_err)
    };
    if let Some(account) = db::accounts::find_by_login_key(conn, super::DEMO_LOGIN)? {
        let customer = account.customer_id;
        // Cancelled: placed a day and a half ago, never paid.
        add(conn, customer, item(ItemKind::Device), "1", "")?;
        let earlier = now - Duration::hours(36);
        let cancelled = place(
            conn,
            customer,
            account.id,
            "demo-order-cancelled-0001",
            earlier,
        )?;
        db::orders::cancel(conn, cancelled, "expired", earlier + Duration::hours(2))?;
        // Waiting for payment: PayU is processing it.
        add(conn, customer, item(ItemKind::PublicIp), "1", "")?;
        let waiting = place(conn, customer, account.id, "demo-order-pending-0001", now)?;
        let payment = online_payment(conn, waiting, "pending")?;
        db::online_payments::mark_pending(conn, payment, now)?;
    }
    if let Some(customer) = db::customers::find_by_number(conn, super::FIXED_CUSTOMERS + 1)? {
        let account = db::accounts::of_customer(conn, customer.id)?
            .into_iter()
            .next();
        let account_id = account.map(|a| a.id);
        // Paid and active at once.
        add(conn, customer.id, item(ItemKind::PublicIp), "2", "")?;
        let paid_at = now - Duration::days(3);
        let active = place_for(
            conn,
            customer.id,
            account_id,
            "demo-order-paid-0001",
            paid_at,
        )?;
        pay(conn, invoicing, active, today, paid_at)?;
        // Paid, a domain and a router in the fulfilment queue, being worked on.
        add(conn, customer.id, item(ItemKind::Device), "1", "")?;
        add(
            conn,
            customer.id,
            item(ItemKind::DomainRegistration),
            "1",
            &format!("klient{}-demo.pl", customer.customer_number),
        )?;
        let queued_at = now - Duration::days(1);
        let queued = place_for(
            conn,
            customer.id,
            account_id,
            "demo-order-paid-0002",
            queued_at,
        )?;
        pay(conn, invoicing, queued, today, queued_at)?;
        db::orders::move_fulfilment(
            conn,
            queued,
            Fulfilment::Waiting,
            Fulfilment::InProgress,
            Some("Router wysłany kurierem; domena czeka na rejestrację."),
            now,
        )?;
    }
    Ok(())
}

fn place(
    conn: &mut DbConn,
    customer_id: CustomerId,
    account_id: i64,
    key: &str,
    at: NaiveDateTime,
) -> Result<i64, DemoError> {
    place_for(conn, customer_id, Some(account_id), key, at)
}

fn place_for(
    conn: &mut DbConn,
    customer_id: CustomerId,
    account_id: Option<i64>,
    key: &str,
    at: NaiveDateTime,
) -> Result<i64, DemoError> {
    orders::place(conn, None, customer_id, account_id, key, at)
        .map(|p| p.order_id)
        .map_err(seed_err)
}

/// A PayU payment of the order as the portal records one (its PayU id made up).
fn online_payment(conn: &mut DbConn, order_id: i64, tag: &str) -> Result<i64, DemoError> {
    let order = db::orders::find_order(conn, order_id)?.ok_or(diesel::result::Error::NotFound)?;
    let id = db::online_payments::insert(
        conn,
        &NewOnlinePayment {
            customer_id: order.customer_id,
            account_id: order.account_id,
            ext_order_id: format!("EBOK-DEMO-{tag}-{order_id}"),
            purpose: PaymentPurpose::Order,
            description: format!("Zamówienie {}", orders::number(order_id)),
            total_amount: order.total_gross,
            currency: CURRENCY.into(),
            state: OrderState::New,
            notify_email: order.notify_email.clone(),
            language: order.language.clone(),
            created_at: order.placed_at,
            expires_at: order.expires_at,
            updated_at: order.placed_at,
        },
        &[],
    )?;
    db::online_payments::record_placed(
        conn,
        id,
        &format!("DEMO{tag}{order_id}"),
        "https://secure.snd.payu.com/demo",
        order.placed_at,
    )?;
    db::orders::link_payment(conn, id, order_id)?;
    Ok(id)
}

/// Pays the order as PayU's COMPLETED notification does: the payment claimed, then booked,
/// invoiced and activated by `orders::paid`.
fn pay(
    conn: &mut DbConn,
    invoicing: &Invoicing<'_>,
    order_id: i64,
    today: NaiveDate,
    at: NaiveDateTime,
) -> Result<(), DemoError> {
    let payment_id = online_payment(conn, order_id, "paid")?;
    db::online_payments::claim_completion(conn, payment_id, at)?;
    let payment =
        db::online_payments::find(conn, payment_id)?.ok_or(diesel::result::Error::NotFound)?;
    let payu_id = payment.payu_order_id.clone().unwrap_or_default();
    orders::paid::book(conn, invoicing, &payment, &payu_id, today, at).map_err(seed_err)?;
    Ok(())
}
