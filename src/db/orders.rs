//! The catalogue, carts and orders. An order's status and fulfilment move only by conditional
//! updates on the state they leave, so a paid notification processed twice, or by two instances
//! at once, or the expiry job on two nodes, moves an order once: on PostgreSQL the second
//! update waits for the first transaction's row lock and then finds the state gone; SQLite's
//! write lock serialises them.

use crate::domain::ContractId;
use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use crate::domain::orders::{Fulfilment, ShopOrderStatus};
use crate::domain::{ContractStatus, DomainStatus, PriceKind, ServiceStatus};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{
    cart_items, catalogue_items, shop_order_lines, shop_order_payments, shop_orders, shop_settings,
};

#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct CatalogueItem {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub description: String,
    pub price_gross: i64,
    pub price_net: i64,
    pub vat_rate: String,
    pub monthly_fee: i64,
    pub tariff_id: Option<i64>,
    pub needs_people: bool,
    pub needs_installation: bool,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = catalogue_items)]
pub struct NewCatalogueItem {
    pub kind: String,
    pub name: String,
    pub description: String,
    pub price_gross: i64,
    pub price_net: i64,
    pub vat_rate: String,
    pub monthly_fee: i64,
    pub tariff_id: Option<i64>,
    pub needs_people: bool,
    pub needs_installation: bool,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct CartItem {
    pub id: i64,
    pub customer_id: CustomerId,
    pub catalogue_item_id: Option<i64>,
    pub renewal_service_id: Option<i64>,
    pub renewal_domain_id: Option<i64>,
    pub domain_name: Option<String>,
    #[serde(skip)]
    pub auth_code: Option<String>,
    pub quantity: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = cart_items)]
pub struct NewCartItem {
    pub customer_id: CustomerId,
    pub catalogue_item_id: Option<i64>,
    pub renewal_service_id: Option<i64>,
    pub renewal_domain_id: Option<i64>,
    pub domain_name: Option<String>,
    pub auth_code: Option<String>,
    pub quantity: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct ShopOrder {
    pub id: i64,
    pub customer_id: CustomerId,
    pub account_id: Option<i64>,
    #[serde(skip)]
    pub placement_key: String,
    pub status: ShopOrderStatus,
    pub fulfilment: Fulfilment,
    pub price_kind: PriceKind,
    pub total_gross: i64,
    pub fee_total: i64,
    pub notify_email: String,
    pub language: String,
    pub placed_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub paid_at: Option<NaiveDateTime>,
    pub cancelled_at: Option<NaiveDateTime>,
    pub cancel_reason: Option<String>,
    pub payment_id: Option<i64>,
    pub invoice_id: Option<InvoiceId>,
    pub staff_note: Option<String>,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = shop_orders)]
pub struct NewShopOrder {
    pub customer_id: CustomerId,
    pub account_id: Option<i64>,
    pub placement_key: String,
    pub status: ShopOrderStatus,
    pub fulfilment: Fulfilment,
    pub price_kind: PriceKind,
    pub total_gross: i64,
    pub fee_total: i64,
    pub notify_email: String,
    pub language: String,
    pub placed_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct OrderLine {
    pub id: i64,
    pub shop_order_id: i64,
    pub line_no: i32,
    pub kind: String,
    pub catalogue_item_id: Option<i64>,
    pub renewal_service_id: Option<i64>,
    pub renewal_domain_id: Option<i64>,
    pub name: String,
    pub domain_name: Option<String>,
    #[serde(skip)]
    pub auth_code: Option<String>,
    pub quantity: i32,
    pub unit_price: i64,
    pub vat_rate: String,
    pub line_gross: i64,
    pub monthly_fee: i64,
    pub needs_people: bool,
    pub activated_at: Option<NaiveDateTime>,
    /// The correction that gave this line's money back, once refunded.
    pub refund_correction_id: Option<InvoiceId>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = shop_order_lines)]
pub struct NewOrderLine {
    pub shop_order_id: i64,
    pub line_no: i32,
    pub kind: String,
    pub catalogue_item_id: Option<i64>,
    pub renewal_service_id: Option<i64>,
    pub renewal_domain_id: Option<i64>,
    pub name: String,
    pub domain_name: Option<String>,
    pub auth_code: Option<String>,
    pub quantity: i32,
    pub unit_price: i64,
    pub vat_rate: String,
    pub line_gross: i64,
    pub monthly_fee: i64,
    pub needs_people: bool,
}

// --- catalogue ---

pub fn insert_item(conn: &mut DbConn, item: &NewCatalogueItem) -> QueryResult<i64> {
    diesel::insert_into(catalogue_items::table)
        .values(item)
        .returning(catalogue_items::id)
        .get_result(conn)
}

pub fn all_items(conn: &mut DbConn) -> QueryResult<Vec<CatalogueItem>> {
    catalogue_items::table
        .order((
            catalogue_items::active.desc(),
            catalogue_items::kind,
            catalogue_items::name,
        ))
        .load(conn)
}

pub fn active_items(conn: &mut DbConn) -> QueryResult<Vec<CatalogueItem>> {
    catalogue_items::table
        .filter(catalogue_items::active.eq(true))
        .order((catalogue_items::kind, catalogue_items::price_gross))
        .load(conn)
}

pub fn find_item(conn: &mut DbConn, id: i64) -> QueryResult<Option<CatalogueItem>> {
    catalogue_items::table.find(id).get_result(conn).optional()
}

pub fn set_item_active(
    conn: &mut DbConn,
    id: i64,
    active: bool,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(catalogue_items::table.find(id))
        .set((
            catalogue_items::active.eq(active),
            catalogue_items::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|rows| rows == 1)
}

pub fn online_fee(conn: &mut DbConn) -> QueryResult<i64> {
    Ok(shop_settings::table
        .find(1_i64)
        .select(shop_settings::online_fee)
        .get_result(conn)
        .optional()?
        .unwrap_or(100))
}

pub fn set_online_fee(conn: &mut DbConn, fee: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(shop_settings::table.find(1_i64))
        .set((
            shop_settings::online_fee.eq(fee),
            shop_settings::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

// --- cart ---

pub fn cart_of(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<Vec<CartItem>> {
    cart_items::table
        .filter(cart_items::customer_id.eq(customer_id))
        .order(cart_items::id)
        .load(conn)
}

pub fn insert_cart_item(conn: &mut DbConn, item: &NewCartItem) -> QueryResult<i64> {
    diesel::insert_into(cart_items::table)
        .values(item)
        .returning(cart_items::id)
        .get_result(conn)
}

/// Sets the quantity of the customer's own cart line; false when it is not theirs.
pub fn set_cart_quantity(
    conn: &mut DbConn,
    customer_id: CustomerId,
    id: i64,
    quantity: i32,
) -> QueryResult<bool> {
    diesel::update(
        cart_items::table
            .filter(cart_items::id.eq(id))
            .filter(cart_items::customer_id.eq(customer_id)),
    )
    .set(cart_items::quantity.eq(quantity))
    .execute(conn)
    .map(|rows| rows == 1)
}

pub fn find_cart_item(
    conn: &mut DbConn,
    customer_id: CustomerId,
    id: i64,
) -> QueryResult<Option<CartItem>> {
    cart_items::table
        .filter(cart_items::id.eq(id))
        .filter(cart_items::customer_id.eq(customer_id))
        .get_result(conn)
        .optional()
}

/// Removes the customer's own cart line; false when it is not theirs.
pub fn remove_cart_item(conn: &mut DbConn, customer_id: CustomerId, id: i64) -> QueryResult<bool> {
    diesel::delete(
        cart_items::table
            .filter(cart_items::id.eq(id))
            .filter(cart_items::customer_id.eq(customer_id)),
    )
    .execute(conn)
    .map(|rows| rows == 1)
}

pub fn clear_cart(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<usize> {
    diesel::delete(cart_items::table.filter(cart_items::customer_id.eq(customer_id))).execute(conn)
}

// --- orders ---

pub fn insert_order(conn: &mut DbConn, order: &NewShopOrder) -> QueryResult<i64> {
    diesel::insert_into(shop_orders::table)
        .values(order)
        .returning(shop_orders::id)
        .get_result(conn)
}

pub fn insert_line(conn: &mut DbConn, line: &NewOrderLine) -> QueryResult<()> {
    diesel::insert_into(shop_order_lines::table)
        .values(line)
        .execute(conn)
        .map(|_| ())
}

pub fn find_order(conn: &mut DbConn, id: i64) -> QueryResult<Option<ShopOrder>> {
    shop_orders::table.find(id).get_result(conn).optional()
}

pub fn find_order_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
    id: i64,
) -> QueryResult<Option<ShopOrder>> {
    shop_orders::table
        .filter(shop_orders::id.eq(id))
        .filter(shop_orders::customer_id.eq(customer_id))
        .get_result(conn)
        .optional()
}

pub fn find_by_key(
    conn: &mut DbConn,
    customer_id: CustomerId,
    key: &str,
) -> QueryResult<Option<ShopOrder>> {
    shop_orders::table
        .filter(shop_orders::customer_id.eq(customer_id))
        .filter(shop_orders::placement_key.eq(key))
        .get_result(conn)
        .optional()
}

pub fn orders_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<Vec<ShopOrder>> {
    shop_orders::table
        .filter(shop_orders::customer_id.eq(customer_id))
        .order((shop_orders::placed_at.desc(), shop_orders::id.desc()))
        .load(conn)
}

pub fn lines_of(conn: &mut DbConn, order_id: i64) -> QueryResult<Vec<OrderLine>> {
    shop_order_lines::table
        .filter(shop_order_lines::shop_order_id.eq(order_id))
        .order(shop_order_lines::line_no)
        .load(conn)
}

pub fn link_payment(
    conn: &mut DbConn,
    online_payment_id: i64,
    shop_order_id: i64,
) -> QueryResult<()> {
    diesel::insert_into(shop_order_payments::table)
        .values((
            shop_order_payments::online_payment_id.eq(online_payment_id),
            shop_order_payments::shop_order_id.eq(shop_order_id),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The shop order an online payment pays.
pub fn order_of_payment(conn: &mut DbConn, online_payment_id: i64) -> QueryResult<Option<i64>> {
    shop_order_payments::table
        .find(online_payment_id)
        .select(shop_order_payments::shop_order_id)
        .get_result(conn)
        .optional()
}

/// The online payments made for an order, newest first.
pub fn payments_of_order(conn: &mut DbConn, shop_order_id: i64) -> QueryResult<Vec<i64>> {
    shop_order_payments::table
        .filter(shop_order_payments::shop_order_id.eq(shop_order_id))
        .order(shop_order_payments::online_payment_id.desc())
        .select(shop_order_payments::online_payment_id)
        .load(conn)
}

/// `unpaid` → `paid`, once. True: this caller won and must activate in the same transaction.
pub fn claim_paid(
    conn: &mut DbConn,
    id: i64,
    fulfilment: Fulfilment,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        shop_orders::table
            .filter(shop_orders::id.eq(id))
            .filter(shop_orders::status.eq(ShopOrderStatus::Unpaid)),
    )
    .set((
        shop_orders::status.eq(ShopOrderStatus::Paid),
        shop_orders::fulfilment.eq(fulfilment),
        shop_orders::paid_at.eq(Some(now)),
        shop_orders::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

pub fn set_payment(conn: &mut DbConn, id: i64, payment_id: i64) -> QueryResult<bool> {
    diesel::update(
        shop_orders::table
            .filter(shop_orders::id.eq(id))
            .filter(shop_orders::payment_id.is_null()),
    )
    .set(shop_orders::payment_id.eq(Some(payment_id)))
    .execute(conn)
    .map(|rows| rows == 1)
}

pub fn set_invoice(conn: &mut DbConn, id: i64, invoice_id: InvoiceId) -> QueryResult<bool> {
    diesel::update(
        shop_orders::table
            .filter(shop_orders::id.eq(id))
            .filter(shop_orders::invoice_id.is_null()),
    )
    .set(shop_orders::invoice_id.eq(Some(invoice_id)))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// `unpaid` → `cancelled`; false when it was paid or cancelled already.
pub fn cancel(conn: &mut DbConn, id: i64, reason: &str, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        shop_orders::table
            .filter(shop_orders::id.eq(id))
            .filter(shop_orders::status.eq(ShopOrderStatus::Unpaid)),
    )
    .set((
        shop_orders::status.eq(ShopOrderStatus::Cancelled),
        shop_orders::cancel_reason.eq(Some(reason)),
        shop_orders::cancelled_at.eq(Some(now)),
        shop_orders::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// Unpaid orders whose time ran out at `now`, oldest first.
pub fn expired_ids(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<i64>> {
    shop_orders::table
        .filter(shop_orders::status.eq(ShopOrderStatus::Unpaid))
        .filter(shop_orders::expires_at.le(now))
        .order(shop_orders::expires_at)
        .select(shop_orders::id)
        .limit(limit)
        .load(conn)
}

/// Marks the lines of `order_id` as refunded by `correction_id`; the count of lines that were
/// not refunded yet (fewer than asked means another refund took one first).
pub fn mark_lines_refunded(
    conn: &mut DbConn,
    order_id: i64,
    line_ids: &[i64],
    correction_id: InvoiceId,
) -> QueryResult<usize> {
    diesel::update(
        shop_order_lines::table
            .filter(shop_order_lines::shop_order_id.eq(order_id))
            .filter(shop_order_lines::id.eq_any(line_ids))
            .filter(shop_order_lines::refund_correction_id.is_null()),
    )
    .set(shop_order_lines::refund_correction_id.eq(Some(correction_id)))
    .execute(conn)
}

/// Clears the AuthInfo codes of an order's lines (its domain transfers are done).
pub fn forget_auth_codes(conn: &mut DbConn, order_id: i64) -> QueryResult<()> {
    diesel::update(
        shop_order_lines::table
            .filter(shop_order_lines::shop_order_id.eq(order_id))
            .filter(shop_order_lines::auth_code.is_not_null()),
    )
    .set(shop_order_lines::auth_code.eq(None::<String>))
    .execute(conn)
    .map(|_| ())
}

/// Marks a line's purchase as in effect, once.
pub fn activate_line(conn: &mut DbConn, line_id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        shop_order_lines::table
            .filter(shop_order_lines::id.eq(line_id))
            .filter(shop_order_lines::activated_at.is_null()),
    )
    .set(shop_order_lines::activated_at.eq(Some(now)))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// Moves fulfilment one step (`from` → `to`) with staff's note; false when it was not `from`.
pub fn move_fulfilment(
    conn: &mut DbConn,
    id: i64,
    from: Fulfilment,
    to: Fulfilment,
    note: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        shop_orders::table
            .filter(shop_orders::id.eq(id))
            .filter(shop_orders::status.eq(ShopOrderStatus::Paid))
            .filter(shop_orders::fulfilment.eq(from)),
    )
    .set((
        shop_orders::fulfilment.eq(to),
        shop_orders::staff_note.eq(note),
        shop_orders::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// The newest orders with the customer's number, for staff.
pub fn recent_with_customer(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<(ShopOrder, i64)>> {
    use super::schema::customers;
    shop_orders::table
        .inner_join(customers::table)
        .order((shop_orders::placed_at.desc(), shop_orders::id.desc()))
        .limit(limit)
        .select((shop_orders::all_columns, customers::customer_number))
        .load(conn)
}

/// Paid orders waiting for people, oldest paid first.
pub fn fulfilment_queue(conn: &mut DbConn) -> QueryResult<Vec<(ShopOrder, i64)>> {
    use super::schema::customers;
    shop_orders::table
        .inner_join(customers::table)
        .filter(shop_orders::status.eq(ShopOrderStatus::Paid))
        .filter(shop_orders::fulfilment.eq_any([Fulfilment::Waiting, Fulfilment::InProgress]))
        .order((shop_orders::paid_at, shop_orders::id))
        .select((shop_orders::all_columns, customers::customer_number))
        .load(conn)
}

// --- what a paid order changes ---

/// Whether a domain of this name is on record (anyone's: the ISP holds it already).
pub fn domain_is_ours(conn: &mut DbConn, name: &str) -> QueryResult<bool> {
    use super::schema::domains;
    diesel::select(diesel::dsl::exists(
        domains::table.filter(domains::name.eq(name)),
    ))
    .get_result(conn)
}

/// A renewable service: (name, expires_on, renewal_price).
pub type RenewableService = (String, Option<chrono::NaiveDate>, Option<i64>);

/// The customer's own service with what it renews for.
pub fn renewable_service(
    conn: &mut DbConn,
    customer_id: CustomerId,
    id: i64,
) -> QueryResult<Option<RenewableService>> {
    use super::schema::services;
    services::table
        .filter(services::id.eq(id))
        .filter(services::customer_id.eq(customer_id))
        .filter(services::status.eq(ServiceStatus::Active))
        .select((
            services::name,
            services::expires_on,
            services::renewal_price,
        ))
        .get_result(conn)
        .optional()
}

/// The customer's own domain: (name, expires_on, renewal_price).
pub fn renewable_domain(
    conn: &mut DbConn,
    customer_id: CustomerId,
    id: i64,
) -> QueryResult<Option<(String, chrono::NaiveDate, i64)>> {
    use super::schema::domains;
    domains::table
        .filter(domains::id.eq(id))
        .filter(domains::customer_id.eq(customer_id))
        .filter(domains::status.eq_any([DomainStatus::Active, DomainStatus::Expired]))
        .select((domains::name, domains::expires_on, domains::renewal_price))
        .get_result(conn)
        .optional()
}

pub fn set_service_expiry(
    conn: &mut DbConn,
    customer_id: CustomerId,
    id: i64,
    expires_on: chrono::NaiveDate,
) -> QueryResult<bool> {
    use super::schema::services;
    diesel::update(
        services::table
            .filter(services::id.eq(id))
            .filter(services::customer_id.eq(customer_id)),
    )
    .set(services::expires_on.eq(Some(expires_on)))
    .execute(conn)
    .map(|rows| rows == 1)
}

pub fn set_domain_expiry(
    conn: &mut DbConn,
    customer_id: CustomerId,
    id: i64,
    expires_on: chrono::NaiveDate,
) -> QueryResult<bool> {
    use super::schema::domains;
    diesel::update(
        domains::table
            .filter(domains::id.eq(id))
            .filter(domains::customer_id.eq(customer_id)),
    )
    .set((
        domains::expires_on.eq(expires_on),
        domains::status.eq(DomainStatus::Active),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// Moves the customer's newest active contract to a tariff and its fee; the contract changed.
pub fn change_tariff(
    conn: &mut DbConn,
    customer_id: CustomerId,
    tariff_id: i64,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    use super::schema::{contracts, tariffs};
    let Some(fee) = tariffs::table
        .find(tariff_id)
        .select(tariffs::monthly_fee)
        .get_result::<i64>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let Some(contract_id) = contracts::table
        .filter(contracts::customer_id.eq(customer_id))
        .filter(contracts::status.eq(ContractStatus::Active))
        .order(contracts::id.desc())
        .select(contracts::id)
        .first::<i64>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    diesel::update(contracts::table.find(contract_id))
        .set((
            contracts::tariff_id.eq(tariff_id),
            contracts::monthly_fee.eq(fee),
            contracts::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(Some(contract_id))
}

/// The customer's newest active contract, for a service an order adds.
pub fn active_contract(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<Option<ContractId>> {
    use super::schema::contracts;
    contracts::table
        .filter(contracts::customer_id.eq(customer_id))
        .filter(contracts::status.eq(ContractStatus::Active))
        .order(contracts::id.desc())
        .select(contracts::id)
        .first(conn)
        .optional()
}
