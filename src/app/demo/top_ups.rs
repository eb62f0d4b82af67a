//! Top-up packages in the demo: three on sale (one with no bonus, two that add value for paying
//! ahead) and one withdrawn, so `/doladowania` and `/staff/doladowania` have something to show;
//! and past online orders of the demo subscriber in the states that move no money (pending at
//! PayU, expired, PayU unavailable, cancelled by PayU, flagged for staff), so
//! `/staff/platnosci-online` shows each. Paid orders come from paying in the demo itself: a
//! seeded payment would change the demo's balances that other pages and tests start from.
//! Added once: a second run, or one after staff changed the packages, adds nothing.

use crate::domain::CustomerId;
use crate::domain::online_payment::{OrderState, PaymentPurpose};
use chrono::{Duration, NaiveDateTime};

use crate::db::online_payments::NewOnlinePayment;
use crate::db::top_ups::{NewTopUp, NewTopUpPackage};
use crate::db::{self, DbConn};

/// (name, price, value, validity days, on sale), grosze.
const PACKAGES: [(&str, i64, i64, i32, bool); 4] = [
    ("Doładowanie 50 zł", 5_000, 5_000, 30, true),
    ("Pakiet kwartalny", 15_000, 16_500, 90, true),
    ("Pakiet półroczny", 18_100, 23_400, 180, true),
    ("Pakiet wakacyjny 2026", 9_900, 12_000, 60, false),
];

pub fn seed(conn: &mut DbConn, now: NaiveDateTime) -> diesel::QueryResult<()> {
    if !db::top_ups::all_packages(conn)?.is_empty() {
        return Ok(());
    }
    let mut ids = Vec::new();
    for (name, price, value, validity_days, active) in PACKAGES {
        ids.push(db::top_ups::insert_package(
            conn,
            &NewTopUpPackage {
                name: name.into(),
                price,
                value,
                validity_days,
                active,
                created_at: now,
                updated_at: now,
            },
        )?);
    }
    if let Some(account) = db::accounts::find_by_login_key(conn, super::DEMO_LOGIN)? {
        seed_orders(conn, account.customer_id, &account.email, &ids, now)?;
    }
    Ok(())
}

/// (hours ago, state, cancel reason, flag, package index).
type DemoOrder = (
    i64,
    OrderState,
    Option<&'static str>,
    Option<&'static str>,
    usize,
);

const ORDERS: [DemoOrder; 4] = [
    (30, OrderState::Canceled, Some("expired"), None, 1),
    (52, OrderState::Canceled, Some("not_placed"), None, 0),
    (75, OrderState::Canceled, Some("payu"), None, 2),
    (
        100,
        OrderState::Canceled,
        Some("expired"),
        Some("PayU zgłosiło wpłatę za anulowane zamówienie"),
        2,
    ),
];

fn seed_orders(
    conn: &mut DbConn,
    customer_id: CustomerId,
    email: &str,
    packages: &[i64],
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    for (n, (hours, state, reason, flag, package)) in ORDERS.into_iter().enumerate() {
        let Some(package) = db::top_ups::find_package(conn, packages[package])? else {
            continue;
        };
        let placed = now - Duration::hours(hours);
        let id = db::online_payments::insert(
            conn,
            &NewOnlinePayment {
                customer_id,
                account_id: None,
                ext_order_id: format!("demo-{n}"),
                purpose: PaymentPurpose::TopUp,
                description: format!("Doładowanie: {}", package.name),
                total_amount: package.price,
                currency: crate::domain::online_payment::CURRENCY.into(),
                state: if reason.is_some() {
                    OrderState::New
                } else {
                    state
                },
                notify_email: email.into(),
                language: "pl".into(),
                created_at: placed,
                expires_at: crate::domain::online_payment::expires_at(placed),
                updated_at: placed,
            },
            &[],
        )?;
        db::top_ups::insert_top_up(
            conn,
            &NewTopUp {
                online_payment_id: id,
                customer_id,
                package_id: package.id,
                name: package.name.clone(),
                price: package.price,
                value: package.value,
                validity_days: package.validity_days,
                created_at: placed,
            },
        )?;
        if let Some(reason) = reason {
            db::online_payments::cancel(conn, id, reason, placed + Duration::hours(2))?;
        }
        if let Some(flag) = flag {
            db::online_payments::flag(conn, id, flag, placed + Duration::hours(3))?;
        }
    }
    Ok(())
}
