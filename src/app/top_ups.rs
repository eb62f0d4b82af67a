//! Top-up packages ("doładowania"): staff define them (price paid, value credited, days of
//! validity); a subscriber buys one through PayU (`online_payments::start` with
//! `PayFor::TopUp`); a paid one books its value as credit that lapses (`app::credit`), spent by
//! later invoices as any credit is, the soonest-lapsing first. No VAT is charged on the
//! top-up itself: see `domain::top_up` for why.

use crate::domain::CustomerId;
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::app::payments::settle;
use crate::db::online_payments::OnlinePayment;
use crate::db::payments::NewPayment;
use crate::db::top_ups::{NewTopUpPackage, TopUpPackage};
use crate::db::{self, DbConn};
use crate::domain::top_up::{self, PackageForm, PackageProblem};

#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("the package is invalid: {0:?}")]
    Invalid(Vec<PackageProblem>),
    #[error("there is no such package")]
    NotFound,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Every package, those on sale first.
pub fn packages(conn: &mut DbConn) -> diesel::QueryResult<Vec<TopUpPackage>> {
    db::top_ups::all_packages(conn)
}

/// Adds a package, on sale at once; audited.
pub fn create_package(
    conn: &mut DbConn,
    form: &PackageForm,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<i64, PackageError> {
    let package = top_up::check_package(form).map_err(PackageError::Invalid)?;
    let id = db::top_ups::insert_package(
        conn,
        &NewTopUpPackage {
            name: package.name.clone(),
            price: package.price,
            value: package.value,
            validity_days: package.validity_days,
            active: true,
            created_at: now,
            updated_at: now,
        },
    )?;
    audit::record(
        conn,
        actor,
        "top_up_package_created",
        json!({
            "package": id,
            "name": package.name,
            "price": package.price,
            "value": package.value,
            "validity_days": package.validity_days,
        }),
        now,
    )?;
    Ok(id)
}

/// Puts a package on sale or takes it off sale (bought top-ups keep what they were sold as).
pub fn set_package_on_sale(
    conn: &mut DbConn,
    id: i64,
    on_sale: bool,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), PackageError> {
    if !db::top_ups::set_package_active(conn, id, on_sale, now)? {
        return Err(PackageError::NotFound);
    }
    audit::record(
        conn,
        actor,
        if on_sale {
            "top_up_package_on_sale"
        } else {
            "top_up_package_withdrawn"
        },
        json!({ "package": id }),
        now,
    )?;
    Ok(())
}

/// One bought package as the subscriber sees it. `used + left + lapsed == value`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TopUpView {
    pub id: i64,
    pub name: String,
    pub bought_on: NaiveDate,
    pub price: i64,
    pub value: i64,
    pub expires_on: NaiveDate,
    /// Spent on invoices.
    pub used: i64,
    /// Still to spend (zero once lapsed).
    pub left: i64,
    /// Lost when the validity ended.
    pub lapsed: i64,
    pub is_lapsed: bool,
}

/// What `/doladowania` shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TopUpPage {
    pub packages: Vec<TopUpPackage>,
    pub top_ups: Vec<TopUpView>,
    /// The customer's credit now (top-ups and any other), as the balance shows it.
    pub credit: i64,
    pub lapsed_total: i64,
}

/// The packages on sale and the customer's own top-ups with what is used, left and lapsed.
pub fn page(
    conn: &mut DbConn,
    customer_id: CustomerId,
    today: NaiveDate,
) -> diesel::QueryResult<TopUpPage> {
    let packages = db::top_ups::active_packages(conn)?;
    let state = db::payments::allocation_state_of_customer(conn, customer_id)?;
    let expiring = db::top_ups::expiring_of_customer(conn, customer_id)?;
    let allocated_of = |payment: Option<i64>| {
        payment
            .and_then(|id| state.iter().find(|(p, ..)| *p == id))
            .map_or(0, |(_, _, _, allocated)| *allocated)
    };
    let expired_of = |payment: Option<i64>| {
        payment
            .and_then(|id| expiring.iter().find(|c| c.payment_id == id))
            .and_then(|c| c.expired_amount)
            .unwrap_or(0)
    };
    let mut top_ups = Vec::new();
    for bought in db::top_ups::credited_of_customer(conn, customer_id)? {
        let Some(expires_on) = bought.expires_on else {
            continue;
        };
        let payments = [bought.payment_id, bought.bonus_payment_id];
        let used: i64 = payments.iter().map(|p| allocated_of(*p)).sum();
        let is_lapsed = top_up::lapsed(expires_on, today);
        // Until the job records a lapse, what is unused past the last day is shown as lapsed
        // already: it can no longer pay anything.
        let lapsed = if is_lapsed {
            (bought.value - used).max(0)
        } else {
            payments.iter().map(|p| expired_of(*p)).sum()
        };
        top_ups.push(TopUpView {
            id: bought.id,
            name: bought.name,
            bought_on: bought.created_at.date(),
            price: bought.price,
            value: bought.value,
            expires_on,
            used,
            left: (bought.value - used - lapsed).max(0),
            lapsed,
            is_lapsed,
        });
    }
    let credit = crate::app::receivables::of_customer(conn, customer_id, today)?
        .standing
        .credit;
    let lapsed_total = top_ups.iter().map(|t| t.lapsed).sum();
    Ok(TopUpPage {
        packages,
        top_ups,
        credit,
        lapsed_total,
    })
}

/// Books a paid top-up order: the cash received as one payment, the bonus the package adds as
/// another, both lapsing `validity_days` after today; then lays the credit onto open invoices
/// as every payment is. Returns the cash payment.
pub fn credit(
    conn: &mut DbConn,
    order: &OnlinePayment,
    payu_order_id: &str,
    today: NaiveDate,
    now: NaiveDateTime,
) -> diesel::QueryResult<i64> {
    let bought = db::top_ups::of_order(conn, order.id)?.ok_or(diesel::result::Error::NotFound)?;
    let (cash, bonus) = top_up::split(bought.price, bought.value);
    let expires_on = top_up::expires_on(today, bought.validity_days);
    let payment = |amount: i64, title: String, reference: String| NewPayment {
        customer_id: order.customer_id,
        amount,
        received_on: today,
        method: "online".into(),
        source: "online".into(),
        title: Some(title),
        payer_name: None,
        // Unique in the ledger: a second booking of the same PayU order cannot exist.
        bank_reference: Some(reference),
        recorded_by_staff_id: None,
        created_at: now,
        match_reason: None,
    };
    let payment_id = crate::app::payments::insert_received(
        conn,
        &payment(
            cash,
            format!("PayU: doładowanie {}", bought.name),
            format!("payu:{payu_order_id}"),
        ),
    )?;
    db::top_ups::insert_expiring(conn, payment_id, order.customer_id, expires_on)?;
    let bonus_payment_id = if bonus > 0 {
        // Not money received: the value the package adds beyond its price. A ledger row of its
        // own so the cash booked stays what PayU pays out.
        let id = db::payments::insert(
            conn,
            &payment(
                bonus,
                format!("Premia doładowania {} (nie jest wpłatą)", bought.name),
                format!("payu:{payu_order_id}:premia"),
            ),
        )?;
        db::top_ups::insert_expiring(conn, id, order.customer_id, expires_on)?;
        Some(id)
    } else {
        None
    };
    db::top_ups::record_credited(conn, bought.id, payment_id, bonus_payment_id, expires_on)?;
    settle(conn, order.customer_id, now)?;
    db::online_payments::attach_payment(conn, order.id, payment_id)?;
    Ok(payment_id)
}
