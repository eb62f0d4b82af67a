//! Paying invoices online through PayU: placing a payment order for one invoice, for all
//! overdue ones or for one interest note (the total fixed when placed), PayU's notifications
//! (`notification`), and the two-hour expiry (`expiry`). A paid order books one payment in the
//! ledger, allocated first to the invoices or the note it paid and then as every payment is
//! (`app::payments::settle`); what is left is credit.

pub mod expiry;
mod interest_note;
pub mod notification;
pub mod refunds;
pub mod staff;

use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime};

use crate::app::receivables;
use crate::config::PayuConfig;
use crate::db::online_payments::{NewOnlinePayment, OnlinePayment};
use crate::db::top_ups::NewTopUp;
use crate::db::{self, DbConn, Pool};
use crate::domain::online_payment::{self, CURRENCY, OrderState, PaymentPurpose};
use crate::domain::orders::ShopOrderStatus;
use crate::payu::client::{PayuClient, PayuCredentials, PayuError};
use crate::payu::wire::{Buyer, OrderCreateRequest, Product};

/// The path of PayU's notifications on the portal.
pub const NOTIFY_PATH: &str = "/payu/powiadomienia";

/// The portal's PayU: the client (its token shared by all requests) and where PayU calls back.
#[derive(Debug, Clone)]
pub struct Gateway {
    pub client: PayuClient,
    pub second_key: String,
    pub notify_url: String,
    /// e.g. `https://ebok.isp.pl`, for the continue page's address.
    pub public_url: String,
}

impl Gateway {
    pub fn from_config(config: &PayuConfig, public_url: &str) -> Result<Gateway, String> {
        let client = PayuClient::new(
            &config.url,
            PayuCredentials {
                pos_id: config.pos_id.clone(),
                client_id: config.client_id.clone(),
                client_secret: config.client_secret.clone(),
            },
            Duration::from_secs(20),
        )
        .map_err(|e| e.to_string())?;
        let public_url = public_url.trim_end_matches('/').to_owned();
        Ok(Gateway {
            client,
            second_key: config.second_key.clone(),
            notify_url: config
                .notify_url
                .clone()
                .unwrap_or_else(|| format!("{public_url}{NOTIFY_PATH}")),
            public_url,
        })
    }

    pub fn continue_url(&self, order_id: i64) -> String {
        format!("{}/platnosci-online/{order_id}", self.public_url)
    }
}

/// What the subscriber pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayFor {
    Invoice(InvoiceId),
    /// Every invoice past its due date.
    Overdue,
    /// A top-up package on sale (its id).
    TopUp(i64),
    /// An unpaid order from the catalogue (`shop_orders.id`).
    Order(i64),
    /// What is still owed of one interest note (`interest_notes.id`).
    InterestNote(i64),
}

#[derive(Debug, Clone)]
pub struct PayRequest {
    pub customer_id: CustomerId,
    pub account_id: i64,
    pub what: PayFor,
    pub customer_ip: String,
    pub today: NaiveDate,
    pub now: NaiveDateTime,
}

#[derive(Debug, thiserror::Error)]
pub enum PayError {
    /// The invoice or the note is paid already, or nothing is overdue.
    #[error("there is nothing to pay")]
    NothingToPay,
    /// Not the customer's invoice or note (or no such thing at all).
    #[error("there is no such invoice or note")]
    NotFound,
    /// The top-up package is not (or no longer) on sale.
    #[error("the package is not on sale")]
    PackageGone,
    /// The order is paid or cancelled already, or its two hours ran out.
    #[error("the order cannot be paid any more")]
    OrderClosed,
    /// PayU could not be reached or refused the order; nothing was charged.
    #[error("PayU did not take the order: {0}")]
    Payu(PayuError),
    #[error("{0}")]
    Database(String),
}

impl From<diesel::result::Error> for PayError {
    fn from(error: diesel::result::Error) -> PayError {
        PayError::Database(error.to_string())
    }
}

/// Where to send the buyer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Started {
    pub order_id: i64,
    pub redirect_uri: String,
}

/// A double click within this time finds the order the first click placed.
const SAME_ORDER_WINDOW: chrono::Duration = chrono::Duration::minutes(10);

enum Placed {
    /// The same payment was placed moments ago and PayU has it.
    Existing(Started),
    New {
        id: i64,
        request: Box<OrderCreateRequest>,
    },
}

async fn with_db<T: Send + 'static>(
    pool: &Pool,
    work: impl FnOnce(&mut DbConn) -> Result<T, PayError> + Send + 'static,
) -> Result<T, PayError> {
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().map_err(|e| PayError::Database(e.to_string()))?;
        work(&mut conn)
    })
    .await
    .map_err(|e| PayError::Database(e.to_string()))?
}

fn database(error: diesel::result::Error) -> PayError {
    PayError::Database(error.to_string())
}

/// Places a payment order and has PayU take it; returns PayU's payment page. When PayU cannot
/// be reached the order is closed as not placed and the invoices stay to be paid.
pub async fn start(
    pool: &Pool,
    gateway: &Gateway,
    request: PayRequest,
) -> Result<Started, PayError> {
    let gateway_for_db = gateway.clone();
    let placed = with_db(pool, move |conn| place(conn, &gateway_for_db, &request)).await?;
    let (id, order) = match placed {
        Placed::Existing(started) => return Ok(started),
        Placed::New { id, request } => (id, request),
    };
    match gateway.client.create_order(&order).await {
        Ok(created) => {
            let redirect_uri = created.redirect_uri.clone();
            with_db(pool, move |conn| {
                db::online_payments::record_placed(
                    conn,
                    id,
                    &created.order_id,
                    &created.redirect_uri,
                    crate::app::clock::now(),
                )
                .map_err(database)
            })
            .await?;
            Ok(Started {
                order_id: id,
                redirect_uri,
            })
        }
        Err(error) => {
            tracing::warn!(order = id, %error, "PayU did not take an online payment");
            with_db(pool, move |conn| {
                db::online_payments::cancel(conn, id, "not_placed", crate::app::clock::now())
                    .map_err(database)
            })
            .await?;
            Err(PayError::Payu(error))
        }
    }
}

/// Fixes what is paid and its total, and writes the order (state `new`).
fn place(conn: &mut DbConn, gateway: &Gateway, request: &PayRequest) -> Result<Placed, PayError> {
    db::write_transaction(conn, |conn| {
        let customer = db::customers::find(conn, request.customer_id)
            .map_err(database)?
            .ok_or(PayError::NotFound)?;
        let account = db::accounts::find(conn, request.account_id).map_err(database)?;
        if let PayFor::Order(order_id) = request.what {
            return place_shop_order(
                conn,
                gateway,
                request,
                &customer,
                account.as_ref(),
                order_id,
            );
        }
        if let PayFor::InterestNote(note_id) = request.what {
            return interest_note::place(
                conn,
                gateway,
                request,
                &customer,
                account.as_ref(),
                note_id,
            );
        }
        if let PayFor::TopUp(package_id) = request.what {
            return place_top_up(
                conn,
                gateway,
                request,
                &customer,
                account.as_ref(),
                package_id,
            );
        }
        let money =
            receivables::of_customer(conn, request.customer_id, request.today).map_err(database)?;
        let parts: Vec<(InvoiceId, i64)> = match request.what {
            PayFor::Invoice(invoice_id) => {
                if !money.is_invoice(invoice_id) {
                    return Err(PayError::NotFound);
                }
                let debt = money.debt_of(invoice_id).ok_or(PayError::NotFound)?;
                vec![(invoice_id, debt.outstanding())]
            }
            PayFor::Overdue => money
                .open()
                .into_iter()
                .filter(|d| d.due_date < request.today)
                .map(|d| (d.invoice_id, d.outstanding()))
                .collect(),
            PayFor::TopUp(_) | PayFor::Order(_) | PayFor::InterestNote(_) => Vec::new(),
        };
        let parts: Vec<(InvoiceId, i64)> = parts.into_iter().filter(|(_, a)| *a > 0).collect();
        if parts.is_empty() {
            return Err(PayError::NothingToPay);
        }
        let total: i64 = parts.iter().map(|(_, a)| a).sum();
        let since = request.now - SAME_ORDER_WINDOW;
        for open in db::online_payments::open_of_customer_since(conn, customer.id, since)
            .map_err(database)?
        {
            let same = open.total_amount == total
                && open.purpose != PaymentPurpose::TopUp
                && open.purpose != PaymentPurpose::InterestNote
                && db::online_payments::invoices_of(conn, open.id).map_err(database)? == parts;
            if let (true, Some(redirect_uri)) = (same, open.redirect_uri) {
                return Ok(Placed::Existing(Started {
                    order_id: open.id,
                    redirect_uri,
                }));
            }
        }
        let mut products = Vec::with_capacity(parts.len());
        for (invoice_id, amount) in &parts {
            let number = db::invoices::find_of_customer(conn, customer.id, *invoice_id)
                .map_err(database)?
                .and_then(|i| i.number)
                .unwrap_or_else(|| invoice_id.to_string());
            products.push(Product {
                name: format!("Faktura {number}"),
                unit_price: amount.to_string(),
                quantity: "1".into(),
            });
        }
        let description = match (request.what, products.as_slice()) {
            (PayFor::Invoice(_), [only]) => only.name.clone(),
            _ => format!("Zaległe faktury ({})", products.len()),
        };
        let purpose = match request.what {
            PayFor::Invoice(_) => PaymentPurpose::Invoice,
            _ => PaymentPurpose::Overdue,
        };
        let draft = Draft {
            purpose,
            invoices: parts,
            description,
            total,
            products,
            expires_at: None,
        };
        let (id, order) = write_order(conn, gateway, request, &customer, account.as_ref(), draft)?;
        Ok(Placed::New { id, request: order })
    })
}

/// What an order is for, before it is written.
struct Draft {
    purpose: PaymentPurpose,
    /// (invoice id, grosze) the order pays; none for a top-up.
    invoices: Vec<(InvoiceId, i64)>,
    description: String,
    total: i64,
    products: Vec<Product>,
    /// When the payment must be made by, when earlier than two hours from now (an order's own
    /// two hours, counted from when it was placed).
    expires_at: Option<NaiveDateTime>,
}

/// Writes the order (state `new`) and builds PayU's request for it.
fn write_order(
    conn: &mut DbConn,
    gateway: &Gateway,
    request: &PayRequest,
    customer: &db::customers::Customer,
    account: Option<&db::accounts::Account>,
    draft: Draft,
) -> Result<(i64, Box<OrderCreateRequest>), PayError> {
    let email = account
        .map(|a| a.email.clone())
        .unwrap_or_else(|| customer.email.clone());
    let language = account
        .map(|a| a.language.clone())
        .unwrap_or_else(|| customer.language.clone());
    let random = crate::app::crypto::random_token();
    let ext_order_id = online_payment::ext_order_id(
        customer.customer_number,
        &random
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(12)
            .collect::<String>(),
    );
    let expires_at = draft
        .expires_at
        .unwrap_or_else(|| online_payment::expires_at(request.now));
    let id = db::online_payments::insert(
        conn,
        &NewOnlinePayment {
            customer_id: customer.id,
            account_id: account.map(|a| a.id),
            ext_order_id: ext_order_id.clone(),
            purpose: draft.purpose,
            description: draft.description.clone(),
            total_amount: draft.total,
            currency: CURRENCY.into(),
            state: OrderState::New,
            notify_email: email.clone(),
            language: language.clone(),
            created_at: request.now,
            expires_at,
            updated_at: request.now,
        },
        &draft.invoices,
    )
    .map_err(database)?;
    let validity = (expires_at - request.now).num_seconds().max(60);
    Ok((
        id,
        Box::new(OrderCreateRequest {
            notify_url: gateway.notify_url.clone(),
            continue_url: gateway.continue_url(id),
            customer_ip: request.customer_ip.clone(),
            merchant_pos_id: gateway.client.pos_id().to_owned(),
            description: draft.description,
            currency_code: CURRENCY.into(),
            total_amount: draft.total.to_string(),
            ext_order_id,
            validity_time: Some(validity.to_string()),
            buyer: Some(Buyer {
                email,
                phone: customer.phone.clone(),
                first_name: customer.first_name.clone(),
                last_name: customer.last_name.clone(),
                language: Some(language),
                ext_customer_id: Some(customer.customer_number.to_string()),
            }),
            products: draft.products,
            pay_methods: None,
            recurring: None,
        }),
    ))
}

/// A top-up order: the package's price and value fixed now (a later change of the package
/// does not touch it). A double click finds the order the first click placed.
fn place_top_up(
    conn: &mut DbConn,
    gateway: &Gateway,
    request: &PayRequest,
    customer: &db::customers::Customer,
    account: Option<&db::accounts::Account>,
    package_id: i64,
) -> Result<Placed, PayError> {
    let package = db::top_ups::find_package(conn, package_id)
        .map_err(database)?
        .filter(|p| p.active)
        .ok_or(PayError::PackageGone)?;
    let since = request.now - SAME_ORDER_WINDOW;
    for open in
        db::online_payments::open_of_customer_since(conn, customer.id, since).map_err(database)?
    {
        if open.purpose != PaymentPurpose::TopUp || open.total_amount != package.price {
            continue;
        }
        let same_package = db::top_ups::of_order(conn, open.id)
            .map_err(database)?
            .is_some_and(|t| t.package_id == package.id);
        if let (true, Some(redirect_uri)) = (same_package, open.redirect_uri) {
            return Ok(Placed::Existing(Started {
                order_id: open.id,
                redirect_uri,
            }));
        }
    }
    let description = format!("Doładowanie: {}", package.name);
    let draft = Draft {
        purpose: PaymentPurpose::TopUp,
        invoices: Vec::new(),
        description: description.clone(),
        total: package.price,
        products: vec![Product {
            name: description,
            unit_price: package.price.to_string(),
            quantity: "1".into(),
        }],
        expires_at: None,
    };
    let (id, order) = write_order(conn, gateway, request, customer, account, draft)?;
    db::top_ups::insert_top_up(
        conn,
        &NewTopUp {
            online_payment_id: id,
            customer_id: customer.id,
            package_id: package.id,
            name: package.name,
            price: package.price,
            value: package.value,
            validity_days: package.validity_days,
            created_at: request.now,
        },
    )
    .map_err(database)?;
    Ok(Placed::New { id, request: order })
}

/// A payment for an unpaid order from the catalogue: its total as fixed when it was placed, due
/// by the order's own expiry. A second click finds the payment the first one placed; an order
/// whose payment PayU could not take (PayU down) gets a new one.
fn place_shop_order(
    conn: &mut DbConn,
    gateway: &Gateway,
    request: &PayRequest,
    customer: &db::customers::Customer,
    account: Option<&db::accounts::Account>,
    order_id: i64,
) -> Result<Placed, PayError> {
    let order = db::orders::find_order_of_customer(conn, customer.id, order_id)
        .map_err(database)?
        .ok_or(PayError::NotFound)?;
    if order.status != ShopOrderStatus::Unpaid || order.expires_at <= request.now {
        return Err(PayError::OrderClosed);
    }
    for payment_id in db::orders::payments_of_order(conn, order.id).map_err(database)? {
        let Some(open) = db::online_payments::find(conn, payment_id).map_err(database)? else {
            continue;
        };
        if open.state.is_final() {
            continue;
        }
        if let Some(redirect_uri) = open.redirect_uri {
            return Ok(Placed::Existing(Started {
                order_id: open.id,
                redirect_uri,
            }));
        }
    }
    let lines = db::orders::lines_of(conn, order.id).map_err(database)?;
    let products = lines
        .iter()
        .map(|l| Product {
            name: match &l.domain_name {
                Some(domain) => format!("{}: {domain}", l.name),
                None => l.name.clone(),
            },
            // The line's gross, so the products add up to the total whatever the price kind.
            unit_price: l.line_gross.to_string(),
            quantity: "1".into(),
        })
        .collect();
    let draft = Draft {
        purpose: PaymentPurpose::Order,
        invoices: Vec::new(),
        description: format!("Zamówienie {}", crate::app::orders::number(order.id)),
        total: order.total_gross,
        products,
        expires_at: Some(order.expires_at),
    };
    let (id, payu_request) = write_order(conn, gateway, request, customer, account, draft)?;
    db::orders::link_payment(conn, id, order.id).map_err(database)?;
    Ok(Placed::New {
        id,
        request: payu_request,
    })
}

/// What the continue page shows: the order as the database has it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OrderView {
    pub id: i64,
    pub description: String,
    pub total_amount: i64,
    pub state: OrderState,
    pub flagged: bool,
    pub redirect_uri: Option<String>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    /// (invoice id, number, amount)
    pub invoices: Vec<(InvoiceId, String, i64)>,
    /// (interest note id, number, amount)
    pub notes: Vec<(i64, String, i64)>,
    /// The catalogue order this payment pays, if any.
    pub shop_order_id: Option<i64>,
}

/// The signed-in customer's own order; another customer's id finds nothing.
pub fn order_of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
    id: i64,
) -> diesel::QueryResult<Option<OrderView>> {
    let Some(order): Option<OnlinePayment> =
        db::online_payments::find_of_customer(conn, customer_id, id)?
    else {
        return Ok(None);
    };
    let mut invoices = Vec::new();
    for (invoice_id, amount) in db::online_payments::invoices_of(conn, order.id)? {
        let number = db::invoices::find_of_customer(conn, customer_id, invoice_id)?
            .and_then(|i| i.number)
            .unwrap_or_default();
        invoices.push((invoice_id, number, amount));
    }
    let mut notes = Vec::new();
    for (note_id, amount) in db::online_payments::notes_of(conn, order.id)? {
        let number = db::interest_notes::find_of_customer(conn, customer_id, note_id)?
            .map(|n| n.number)
            .unwrap_or_default();
        notes.push((note_id, number, amount));
    }
    Ok(Some(OrderView {
        id: order.id,
        description: order.description,
        total_amount: order.total_amount,
        state: order.state,
        flagged: order.flag.is_some(),
        redirect_uri: order.redirect_uri,
        created_at: order.created_at,
        expires_at: order.expires_at,
        invoices,
        notes,
        shop_order_id: db::orders::order_of_payment(conn, order.id)?,
    }))
}
