//! Ordering from the ISP's catalogue (issue 18): staff put items on sale (`catalogue`), the
//! subscriber fills a cart (quantities, domain names, renewals from a notice), places the order
//! (lines and total fixed then, one order per cart form however often it is sent) and pays it
//! through PayU (`online_payments::start` with `PayFor::Order`). A paid order activates what it
//! bought once and is invoiced through the invoicing path (`paid`); one unpaid after two hours
//! is cancelled (`expiry`); what needs people waits in the staff fulfilment queue (`staff`).

pub mod catalogue;
pub mod expiry;
pub mod paid;
pub mod refund;
pub mod staff;

use crate::domain::CustomerId;
use chrono::{NaiveDate, NaiveDateTime};
use tera::Context;

use crate::app::mail_queue::{self, Outgoing, QueueError};
use crate::db::orders::{
    CartItem, CatalogueItem, NewCartItem, NewOrderLine, NewShopOrder, ShopOrder,
};
use crate::db::{self, DbConn};
use crate::domain::Money;
use crate::domain::online_payment::{OrderState, expires_at};
use crate::domain::orders::{
    self as rules, DomainProblem, Fulfilment, ItemKind, MAX_CART_LINES, PricedLine,
    QuantityProblem, ShopOrderStatus,
};
use crate::domain::vat::{PriceKind, VatRate};
use crate::mail::{Language, MailKind};

/// How an order is named to people: `ZAM-000042`.
pub fn number(id: i64) -> String {
    format!("ZAM-{id:06}")
}

#[derive(Debug, thiserror::Error)]
pub enum CartError {
    /// Not on sale (any more), or no such item.
    #[error("the item is not on sale")]
    ItemGone,
    #[error("bad quantity: {0:?}")]
    Quantity(QuantityProblem),
    #[error("bad domain: {0:?}")]
    Domain(DomainProblem),
    /// The domain is on record at the ISP already (a registration of it cannot be ordered).
    #[error("the domain is ours already")]
    DomainOurs,
    /// The same domain is in the cart already.
    #[error("the domain is in the cart already")]
    DomainInCart,
    #[error("the cart is full")]
    CartFull,
    /// Not the customer's cart line, service or domain.
    #[error("there is no such line")]
    NotFound,
    /// The service or domain has no renewal price.
    #[error("it cannot be renewed online")]
    NotRenewable,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// What the subscriber puts in the cart from the shop page.
#[derive(Debug, Clone, Default)]
pub struct AddItem {
    pub item_id: i64,
    pub quantity: String,
    pub domain_name: String,
    pub auth_code: String,
}

/// Puts a catalogue item in the customer's cart. The same plain item again raises the quantity.
pub fn add_item(
    conn: &mut DbConn,
    secrets: &crate::app::crypto::SecretBox,
    customer_id: CustomerId,
    request: &AddItem,
    now: NaiveDateTime,
) -> Result<i64, CartError> {
    let item = db::orders::find_item(conn, request.item_id)?
        .filter(|i| i.active)
        .ok_or(CartError::ItemGone)?;
    let kind = ItemKind::parse(&item.kind).ok_or(CartError::ItemGone)?;
    let quantity = if request.quantity.trim().is_empty() {
        1
    } else {
        rules::check_quantity(&request.quantity).map_err(CartError::Quantity)?
    };
    let cart = db::orders::cart_of(conn, customer_id)?;
    let (domain_name, auth_code) = if kind.is_domain() {
        let name = rules::check_domain(&request.domain_name).map_err(CartError::Domain)?;
        if kind == ItemKind::DomainRegistration && db::orders::domain_is_ours(conn, &name)? {
            return Err(CartError::DomainOurs);
        }
        if kind == ItemKind::DomainTransfer && db::orders::domain_is_ours(conn, &name)? {
            // Transferring a domain the ISP already holds makes no sense either.
            return Err(CartError::DomainOurs);
        }
        if cart.iter().any(|c| c.domain_name.as_deref() == Some(&name)) {
            return Err(CartError::DomainInCart);
        }
        let code = if kind == ItemKind::DomainTransfer {
            // Sealed at once: a registrar's transfer code opens the domain to whoever holds it.
            let code = rules::check_auth_code(&request.auth_code).map_err(CartError::Domain)?;
            Some(secrets.seal(crate::app::crypto::SecretKind::DomainAuthCode, &code))
        } else {
            None
        };
        (Some(name), code)
    } else {
        (None, None)
    };
    if domain_name.is_none()
        && let Some(same) = cart
            .iter()
            .find(|c| c.catalogue_item_id == Some(item.id) && c.domain_name.is_none())
    {
        let total = if kind.single() {
            1
        } else {
            (same.quantity + quantity).min(rules::MAX_QUANTITY)
        };
        db::orders::set_cart_quantity(conn, customer_id, same.id, total)?;
        return Ok(same.id);
    }
    if cart.len() >= MAX_CART_LINES {
        return Err(CartError::CartFull);
    }
    Ok(db::orders::insert_cart_item(
        conn,
        &NewCartItem {
            customer_id,
            catalogue_item_id: Some(item.id),
            renewal_service_id: None,
            renewal_domain_id: None,
            domain_name,
            auth_code,
            quantity: if kind.single() || kind.is_domain() {
                1
            } else {
                quantity
            },
            created_at: now,
        },
    )?)
}

/// What a renewal notice renews.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renewal {
    Service(i64),
    Domain(i64),
}

/// "Odnów teraz": the renewal of the customer's own service or domain goes in the cart (once).
pub fn add_renewal(
    conn: &mut DbConn,
    customer_id: CustomerId,
    renewal: Renewal,
    now: NaiveDateTime,
) -> Result<i64, CartError> {
    let (service, domain) = match renewal {
        Renewal::Service(id) => {
            let (_, _, price) =
                db::orders::renewable_service(conn, customer_id, id)?.ok_or(CartError::NotFound)?;
            if price.unwrap_or(0) <= 0 {
                return Err(CartError::NotRenewable);
            }
            (Some(id), None)
        }
        Renewal::Domain(id) => {
            let (_, _, price) =
                db::orders::renewable_domain(conn, customer_id, id)?.ok_or(CartError::NotFound)?;
            if price <= 0 {
                return Err(CartError::NotRenewable);
            }
            (None, Some(id))
        }
    };
    let cart = db::orders::cart_of(conn, customer_id)?;
    if let Some(same) = cart.iter().find(|c| {
        (service.is_some() && c.renewal_service_id == service)
            || (domain.is_some() && c.renewal_domain_id == domain)
    }) {
        return Ok(same.id);
    }
    if cart.len() >= MAX_CART_LINES {
        return Err(CartError::CartFull);
    }
    Ok(db::orders::insert_cart_item(
        conn,
        &NewCartItem {
            customer_id,
            catalogue_item_id: None,
            renewal_service_id: service,
            renewal_domain_id: domain,
            domain_name: None,
            auth_code: None,
            quantity: 1,
            created_at: now,
        },
    )?)
}

/// +, − or a typed quantity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuantityChange {
    Plus,
    Minus,
    Set(String),
}

/// Changes the quantity of the customer's own cart line (another customer's: `NotFound`).
/// "−" at 1 is refused with `BelowOne`: removing is ✘.
pub fn change_quantity(
    conn: &mut DbConn,
    customer_id: CustomerId,
    line_id: i64,
    change: &QuantityChange,
) -> Result<i32, CartError> {
    let line =
        db::orders::find_cart_item(conn, customer_id, line_id)?.ok_or(CartError::NotFound)?;
    let single = match line.catalogue_item_id {
        Some(item_id) => db::orders::find_item(conn, item_id)?
            .and_then(|i| ItemKind::parse(&i.kind))
            .is_none_or(|k| k.single() || k.is_domain()),
        None => true,
    };
    let wanted = match change {
        QuantityChange::Plus => (line.quantity + 1).to_string(),
        QuantityChange::Minus => (line.quantity - 1).to_string(),
        QuantityChange::Set(text) => text.clone(),
    };
    let quantity = rules::check_quantity(&wanted).map_err(CartError::Quantity)?;
    if single && quantity != 1 {
        return Err(CartError::Quantity(QuantityProblem::TooMany));
    }
    db::orders::set_cart_quantity(conn, customer_id, line_id, quantity)?;
    Ok(quantity)
}

/// ✘: removes the customer's own cart line (another customer's: `NotFound`).
pub fn remove(conn: &mut DbConn, customer_id: CustomerId, line_id: i64) -> Result<(), CartError> {
    if db::orders::remove_cart_item(conn, customer_id, line_id)? {
        Ok(())
    } else {
        Err(CartError::NotFound)
    }
}

/// One cart line as the cart page shows it and as an order takes it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CartLine {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub domain_name: Option<String>,
    pub quantity: i32,
    /// Gross for a consumer, net for a company (`price_kind`).
    pub unit_price: i64,
    pub vat_rate: String,
    pub line_gross: i64,
    /// The item was taken off sale (or the renewal is no longer possible): it must be removed.
    pub gone: bool,
    /// The +/− buttons apply.
    pub adjustable: bool,
    #[serde(skip)]
    source: CartItem,
    #[serde(skip)]
    item: Option<CatalogueItem>,
    #[serde(skip)]
    rate: VatRate,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct CartView {
    pub lines: Vec<CartLine>,
    pub price_kind: PriceKind,
    pub fee_per_item: i64,
    pub fee_items: i32,
    /// The fee line's gross.
    pub fee_total: i64,
    pub total_gross: i64,
    pub has_gone: bool,
}

fn price_kind_of(conn: &mut DbConn, customer_id: CustomerId) -> diesel::QueryResult<PriceKind> {
    Ok(db::customers::find(conn, customer_id)?
        .map(|c| crate::app::invoicing::price_kind_of(&c))
        .unwrap_or(PriceKind::Gross))
}

fn unit_for(method: PriceKind, gross: i64, net: i64) -> i64 {
    match method {
        PriceKind::Gross => gross,
        PriceKind::Net => net,
    }
}

/// The customer's cart priced now: each line, the online fee and the total, computed as the
/// invoice will be.
pub fn cart(conn: &mut DbConn, customer_id: CustomerId) -> diesel::QueryResult<CartView> {
    let method = price_kind_of(conn, customer_id)?;
    let fee = db::orders::online_fee(conn)?;
    let mut lines = Vec::new();
    for source in db::orders::cart_of(conn, customer_id)? {
        let mut line = CartLine {
            id: source.id,
            kind: String::new(),
            name: String::new(),
            domain_name: source.domain_name.clone(),
            quantity: source.quantity,
            unit_price: 0,
            vat_rate: VatRate::Standard23.code().into(),
            line_gross: 0,
            gone: false,
            adjustable: false,
            source: source.clone(),
            item: None,
            rate: VatRate::Standard23,
        };
        if let Some(item_id) = source.catalogue_item_id {
            match db::orders::find_item(conn, item_id)? {
                Some(item) => {
                    let kind = ItemKind::parse(&item.kind);
                    line.kind = item.kind.clone();
                    line.name = item.name.clone();
                    line.gone = !item.active || kind.is_none();
                    line.adjustable = kind.is_some_and(|k| !k.single() && !k.is_domain());
                    line.rate = VatRate::parse(&item.vat_rate).unwrap_or(VatRate::Standard23);
                    line.vat_rate = line.rate.code().into();
                    line.unit_price = unit_for(method, item.price_gross, item.price_net);
                    line.item = Some(item);
                }
                None => line.gone = true,
            }
        } else if let Some(service_id) = source.renewal_service_id {
            line.kind = "renewal_service".into();
            match db::orders::renewable_service(conn, customer_id, service_id)? {
                Some((name, _, Some(price))) if price > 0 => {
                    line.name = format!("Odnowienie: {name}");
                    let (net, gross) = rules::net_and_gross(price, true, VatRate::Standard23);
                    line.unit_price = unit_for(method, gross, net);
                }
                other => {
                    line.name = other.map(|o| o.0).unwrap_or_default();
                    line.gone = true;
                }
            }
        } else if let Some(domain_id) = source.renewal_domain_id {
            line.kind = "renewal_domain".into();
            match db::orders::renewable_domain(conn, customer_id, domain_id)? {
                Some((name, _, price)) if price > 0 => {
                    line.name = format!("Odnowienie domeny {name}");
                    let (net, gross) = rules::net_and_gross(price, true, VatRate::Standard23);
                    line.unit_price = unit_for(method, gross, net);
                }
                other => {
                    line.name = other.map(|o| o.0).unwrap_or_default();
                    line.gone = true;
                }
            }
        } else {
            line.gone = true;
        }
        lines.push(line);
    }
    let mut view = CartView {
        has_gone: lines.iter().any(|l| l.gone),
        lines,
        price_kind: method,
        fee_per_item: fee,
        fee_items: 0,
        fee_total: 0,
        total_gross: 0,
    };
    let (priced, fee_line) = priced_lines(&view, fee);
    if !priced.is_empty() {
        let mut all = priced.clone();
        all.extend(fee_line.clone());
        if let Ok(totals) = rules::totals(&all, method) {
            let mut at = 0;
            for line in view.lines.iter_mut().filter(|l| !l.gone) {
                line.line_gross = totals.line_gross[at];
                at += 1;
            }
            if fee_line.is_some() {
                view.fee_total = totals.line_gross[at];
                view.fee_items = fee_line.as_ref().map_or(0, |f| f.quantity);
            }
            view.total_gross = totals.total_gross;
        }
    }
    Ok(view)
}

fn priced_lines(view: &CartView, fee: i64) -> (Vec<PricedLine>, Option<PricedLine>) {
    let priced: Vec<PricedLine> = view
        .lines
        .iter()
        .filter(|l| !l.gone)
        .map(|l| PricedLine {
            name: match &l.domain_name {
                Some(domain) => format!("{}: {domain}", l.name),
                None => l.name.clone(),
            },
            quantity: l.quantity,
            unit_price: l.unit_price,
            rate: l.rate,
        })
        .collect();
    let items: i32 = priced.iter().map(|l| l.quantity).sum();
    let fee_line = rules::fee_line(fee, items, view.price_kind);
    (priced, fee_line)
}

#[derive(Debug, thiserror::Error)]
pub enum PlaceError {
    #[error("the cart is empty")]
    Empty,
    /// Something in the cart is no longer on sale: the subscriber removes it first.
    #[error("an item in the cart is not on sale any more: {0}")]
    ItemGone(String),
    /// A domain in the cart became ours since it was put there.
    #[error("the domain {0} is ours already")]
    DomainOurs(String),
    /// Another click placed this cart at the same moment; its order is the one.
    #[error("the order was placed by another click")]
    Duplicate,
    #[error("the cart form is stale")]
    NoKey,
    #[error(transparent)]
    Mail(#[from] QueueError),
    #[error("{0}")]
    Prices(String),
    #[error(transparent)]
    Database(diesel::result::Error),
}

impl From<diesel::result::Error> for PlaceError {
    fn from(error: diesel::result::Error) -> PlaceError {
        match error {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => PlaceError::Duplicate,
            other => PlaceError::Database(other),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub order_id: i64,
    /// False: this cart form had placed the order already (a double click).
    pub new: bool,
}

/// "Złóż zamówienie": the cart becomes an order with its lines, prices and total fixed now;
/// the cart is emptied and the confirmation queued (when `outgoing` is given: the demo mails
/// nobody), all in the caller's transaction. The
/// form's `key` makes a second click find the first click's order instead of a second one.
pub fn place(
    conn: &mut DbConn,
    outgoing: Option<Outgoing<'_>>,
    customer_id: CustomerId,
    account_id: Option<i64>,
    key: &str,
    now: NaiveDateTime,
) -> Result<Placed, PlaceError> {
    let key = key.trim();
    if key.len() < 16 || key.len() > 64 {
        return Err(PlaceError::NoKey);
    }
    if let Some(existing) = db::orders::find_by_key(conn, customer_id, key)? {
        return Ok(Placed {
            order_id: existing.id,
            new: false,
        });
    }
    let view = cart(conn, customer_id)?;
    if view.lines.is_empty() {
        return Err(PlaceError::Empty);
    }
    if let Some(gone) = view.lines.iter().find(|l| l.gone) {
        return Err(PlaceError::ItemGone(gone.name.clone()));
    }
    for line in &view.lines {
        let registration = line.kind == ItemKind::DomainRegistration.as_str()
            || line.kind == ItemKind::DomainTransfer.as_str();
        if let (true, Some(domain)) = (registration, &line.domain_name)
            && db::orders::domain_is_ours(conn, domain)?
        {
            return Err(PlaceError::DomainOurs(domain.clone()));
        }
    }
    let (priced, fee_line) = priced_lines(&view, view.fee_per_item);
    let mut all = priced.clone();
    all.extend(fee_line.clone());
    let totals =
        rules::totals(&all, view.price_kind).map_err(|e| PlaceError::Prices(e.to_string()))?;
    let customer = db::customers::find(conn, customer_id)?.ok_or(PlaceError::Empty)?;
    let account = match account_id {
        Some(id) => db::accounts::find(conn, id)?,
        None => None,
    };
    let email = account
        .as_ref()
        .map(|a| a.email.clone())
        .unwrap_or_else(|| customer.email.clone());
    let language = account
        .as_ref()
        .map(|a| a.language.clone())
        .unwrap_or_else(|| customer.language.clone());
    let needs_people = view
        .lines
        .iter()
        .any(|l| l.item.as_ref().is_some_and(|i| i.needs_people));
    let order_id = db::orders::insert_order(
        conn,
        &NewShopOrder {
            customer_id,
            account_id,
            placement_key: key.to_owned(),
            status: ShopOrderStatus::Unpaid,
            fulfilment: if needs_people {
                Fulfilment::Waiting
            } else {
                Fulfilment::None
            },
            price_kind: view.price_kind,
            total_gross: totals.total_gross,
            fee_total: fee_line
                .as_ref()
                .map_or(0, |_| *totals.line_gross.last().unwrap_or(&0)),
            notify_email: email.clone(),
            language: language.clone(),
            placed_at: now,
            expires_at: expires_at(now),
            updated_at: now,
        },
    )?;
    let mut mail_lines = Vec::new();
    for (at, line) in view.lines.iter().enumerate() {
        let item = line.item.as_ref();
        db::orders::insert_line(
            conn,
            &NewOrderLine {
                shop_order_id: order_id,
                line_no: at as i32 + 1,
                kind: line.kind.clone(),
                catalogue_item_id: item.map(|i| i.id),
                renewal_service_id: line.source.renewal_service_id,
                renewal_domain_id: line.source.renewal_domain_id,
                name: line.name.clone(),
                domain_name: line.domain_name.clone(),
                auth_code: line.source.auth_code.clone(),
                quantity: line.quantity,
                unit_price: line.unit_price,
                vat_rate: line.vat_rate.clone(),
                line_gross: totals.line_gross[at],
                monthly_fee: item.map_or(0, |i| i.monthly_fee),
                needs_people: item.is_some_and(|i| i.needs_people),
            },
        )?;
        mail_lines.push(serde_json::json!({
            "name": priced[at].name,
            "quantity": line.quantity,
            "gross": Money::from_grosze(totals.line_gross[at]).to_string(),
        }));
    }
    if let Some(fee) = &fee_line {
        let gross = *totals.line_gross.last().unwrap_or(&0);
        db::orders::insert_line(
            conn,
            &NewOrderLine {
                shop_order_id: order_id,
                line_no: view.lines.len() as i32 + 1,
                kind: "fee".into(),
                catalogue_item_id: None,
                renewal_service_id: None,
                renewal_domain_id: None,
                name: fee.name.clone(),
                domain_name: None,
                auth_code: None,
                quantity: fee.quantity,
                unit_price: fee.unit_price,
                vat_rate: fee.rate.code().into(),
                line_gross: gross,
                monthly_fee: 0,
                needs_people: false,
            },
        )?;
        mail_lines.push(serde_json::json!({
            "name": fee.name,
            "quantity": fee.quantity,
            "gross": Money::from_grosze(gross).to_string(),
        }));
    }
    db::orders::clear_cart(conn, customer_id)?;
    if let Some(outgoing) = outgoing {
        let mut context =
            order_mail_context(outgoing, order_id, totals.total_gross, &language, "placed");
        context.insert("lines", &mail_lines);
        mail_queue::queue(
            conn,
            outgoing.templates,
            MailKind::Order,
            &email,
            Language::from_code(&language),
            &context,
            now,
        )?;
    }
    Ok(Placed {
        order_id,
        new: true,
    })
}

pub(crate) fn order_mail_context(
    outgoing: Outgoing<'_>,
    order_id: i64,
    total: i64,
    language: &str,
    event: &str,
) -> Context {
    let mut context = outgoing.context();
    context.insert("event", event);
    context.insert("order_number", &number(order_id));
    let amount = Money::from_grosze(total);
    context.insert(
        "amount",
        &match Language::from_code(language) {
            Language::Polish => amount.to_string(),
            Language::English => amount.to_english(),
        },
    );
    context.insert("link", &outgoing.link(&format!("/zamowienia/{order_id}")));
    context
}

/// The shop page: what is on sale and how many lines the cart holds.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ShopPage {
    pub items: Vec<CatalogueItem>,
    pub cart_lines: usize,
    pub price_kind: PriceKind,
    pub fee: i64,
}

pub fn shop(conn: &mut DbConn, customer_id: CustomerId) -> diesel::QueryResult<ShopPage> {
    Ok(ShopPage {
        items: db::orders::active_items(conn)?,
        cart_lines: db::orders::cart_of(conn, customer_id)?.len(),
        price_kind: price_kind_of(conn, customer_id)?,
        fee: db::orders::online_fee(conn)?,
    })
}

/// One order as its subscriber sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OrderView {
    pub order: ShopOrder,
    pub number: String,
    pub lines: Vec<db::orders::OrderLine>,
    /// The newest PayU payment's state (`new`, `pending`, `completed`, `canceled`), if any.
    pub payu_state: Option<OrderState>,
    pub invoice_number: Option<String>,
    /// Unpaid and still within its two hours: "Zapłać" is offered.
    pub payable: bool,
    /// A line needs a technician: "Umów wizytę technika" is offered once paid.
    pub needs_installation: bool,
}

fn view_of(
    conn: &mut DbConn,
    order: ShopOrder,
    now: NaiveDateTime,
) -> diesel::QueryResult<OrderView> {
    let lines = db::orders::lines_of(conn, order.id)?;
    let payu_state = match db::orders::payments_of_order(conn, order.id)?.first() {
        Some(id) => db::online_payments::find(conn, *id)?.map(|p| p.state),
        None => None,
    };
    let invoice_number = match order.invoice_id {
        Some(id) => db::invoices::find(conn, id)?.and_then(|i| i.number),
        None => None,
    };
    let mut needs_installation = false;
    for line in &lines {
        if let Some(item_id) = line.catalogue_item_id
            && db::orders::find_item(conn, item_id)?.is_some_and(|i| i.needs_installation)
        {
            needs_installation = true;
        }
    }
    Ok(OrderView {
        number: number(order.id),
        payable: order.status == ShopOrderStatus::Unpaid && order.expires_at > now,
        order,
        lines,
        payu_state,
        invoice_number,
        needs_installation,
    })
}

/// The customer's own order; another customer's id finds nothing.
pub fn order_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
    id: i64,
    now: NaiveDateTime,
) -> diesel::QueryResult<Option<OrderView>> {
    match db::orders::find_order_of_customer(conn, customer_id, id)? {
        Some(order) => view_of(conn, order, now).map(Some),
        None => Ok(None),
    }
}

/// The customer's orders, newest first.
pub fn orders_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
    now: NaiveDateTime,
) -> diesel::QueryResult<Vec<OrderView>> {
    let mut views = Vec::new();
    for order in db::orders::orders_of_customer(conn, customer_id)? {
        views.push(view_of(conn, order, now)?);
    }
    Ok(views)
}

/// A year on from the later of today and the current end (a renewal never shortens anything).
pub fn renewed_until(current: Option<NaiveDate>, today: NaiveDate) -> NaiveDate {
    let from = current.filter(|d| *d > today).unwrap_or(today);
    from.checked_add_months(chrono::Months::new(12))
        .unwrap_or(from)
}

/// The id of the order this customer placed with the cart's one-time `key` (a second click of
/// "Złóż zamówienie" goes on with the order the first one placed).
pub fn placed_with_key(
    conn: &mut DbConn,
    customer_id: CustomerId,
    key: &str,
) -> diesel::QueryResult<Option<i64>> {
    Ok(db::orders::find_by_key(conn, customer_id, key)?.map(|o| o.id))
}
