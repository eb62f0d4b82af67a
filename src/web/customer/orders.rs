//! The shop (`/sklep`), the cart (`/koszyk`) and the subscriber's orders (`/zamowienia`).
//! "Złóż zamówienie" places the order and sends the subscriber to PayU; when PayU cannot be
//! reached the order stays unpaid and its page offers to pay it later. "Odnów teraz" on a
//! renewal notice (`/odnow/usluga/<id>`, `/odnow/domena/<id>`) puts the renewal in the cart.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use crate::app::access::Area;
use crate::app::online_payments::{self, PayError, PayFor, PayRequest};
use crate::app::orders::{self, AddItem, CartError, PlaceError, QuantityChange, Renewal};
use crate::app::{App, clock};
use crate::domain::orders::{DomainProblem, QuantityProblem};
use crate::i18n::{self, Lang};
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::{CustomerCookie, language};
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![
        shop,
        add,
        cart,
        quantity,
        remove,
        place,
        renew_service,
        renew_domain,
        list,
        one,
        pay
    ]
}

#[derive(Debug, FromForm)]
pub struct Plain {
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for Plain {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[derive(Debug, FromForm)]
pub struct AddFields {
    #[field(default = String::new())]
    quantity: String,
    #[field(default = String::new())]
    domain_name: String,
    #[field(default = String::new())]
    auth_code: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for AddFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[derive(Debug, FromForm)]
pub struct QuantityFields {
    /// "plus", "minus" or "set" (then `quantity`).
    #[field(default = String::new())]
    change: String,
    #[field(default = String::new())]
    quantity: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for QuantityFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[derive(Debug, FromForm)]
pub struct PlaceFields {
    #[field(default = String::new())]
    key: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for PlaceFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// The message for a cart problem, in the subscriber's language.
fn cart_message(lang: Lang, error: &CartError) -> Option<String> {
    let key = match error {
        CartError::ItemGone => "shop-item-gone",
        CartError::Quantity(QuantityProblem::BelowOne) => "shop-quantity-below-one",
        CartError::Quantity(QuantityProblem::TooMany) => "shop-quantity-too-many",
        CartError::Quantity(QuantityProblem::NotANumber) => "shop-quantity-not-a-number",
        CartError::Domain(DomainProblem::Missing) => "shop-domain-missing",
        CartError::Domain(DomainProblem::BadSyntax) => "shop-domain-bad",
        CartError::Domain(DomainProblem::AuthCodeMissing) => "shop-auth-code-missing",
        CartError::Domain(DomainProblem::AuthCodeBad) => "shop-auth-code-bad",
        CartError::DomainOurs => "shop-domain-ours",
        CartError::DomainInCart => "shop-domain-in-cart",
        CartError::CartFull => "shop-cart-full",
        CartError::NotRenewable => "shop-not-renewable",
        CartError::NotFound => "shop-not-yours",
        CartError::Database(_) => return None,
    };
    Some(i18n::text(lang, key))
}

type Answer = Result<Flash<Redirect>, Status>;

fn answer_cart<T>(lang: Lang, result: Result<T, CartError>, ok: &str, back: &str) -> Answer {
    match result {
        Ok(_) => Ok(Flash::success(
            Redirect::to("/koszyk"),
            i18n::text(lang, ok),
        )),
        Err(error) => match cart_message(lang, &error) {
            Some(message) => Ok(Flash::error(Redirect::to(back.to_owned()), message)),
            None => Err(server_error(&error)),
        },
    }
}

#[get("/sklep")]
async fn shop(
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, page) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .run(|conn, cx| orders::shop(conn, cx.customer_id()))
        .await?;
    let online = app.gateway().is_some();
    Ok(Template::render(
        "customer/shop",
        context! { layout: layout.signed_in(&me), page, online },
    ))
}

#[post("/sklep/<item>/do-koszyka", data = "<form>")]
async fn add(
    item: i64,
    form: Protected<AddFields>,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Answer {
    let Protected(form) = form;
    let request = AddItem {
        item_id: item,
        quantity: form.quantity,
        domain_name: form.domain_name,
        auth_code: form.auth_code,
    };
    let (_, added) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .writes()
        .attempt(move |conn, cx| {
            orders::add_item(conn, cx.secrets(), cx.customer_id(), &request, cx.now)
        })
        .await?;
    answer_cart(layout.lang(), added, "shop-added", "/sklep")
}

#[get("/koszyk")]
async fn cart(
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, cart) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .run(|conn, cx| orders::cart(conn, cx.customer_id()))
        .await?;
    // The form's key: sending the same form twice finds the order the first sending placed.
    let key = crate::app::crypto::random_token();
    let online = app.gateway().is_some();
    Ok(Template::render(
        "customer/cart",
        context! { layout: layout.signed_in(&me), cart, key, online },
    ))
}

#[post("/koszyk/<line>/ilosc", data = "<form>")]
async fn quantity(
    line: i64,
    form: Protected<QuantityFields>,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Answer {
    let change = match form.change.as_str() {
        "plus" => QuantityChange::Plus,
        "minus" => QuantityChange::Minus,
        _ => QuantityChange::Set(form.quantity.clone()),
    };
    let (_, changed) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .writes()
        .attempt(move |conn, cx| orders::change_quantity(conn, cx.customer_id(), line, &change))
        .await?;
    answer_cart(layout.lang(), changed, "shop-quantity-changed", "/koszyk")
}

#[post("/koszyk/<line>/usun", data = "<_form>")]
async fn remove(
    line: i64,
    _form: Protected<Plain>,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Answer {
    let (_, removed) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .writes()
        .attempt(move |conn, cx| orders::remove(conn, cx.customer_id(), line))
        .await?;
    answer_cart(layout.lang(), removed, "shop-removed", "/koszyk")
}

#[post("/odnow/usluga/<id>", data = "<_form>")]
async fn renew_service(
    id: i64,
    _form: Protected<Plain>,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Answer {
    let (_, added) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .writes()
        .attempt(move |conn, cx| {
            orders::add_renewal(conn, cx.customer_id(), Renewal::Service(id), cx.now)
        })
        .await?;
    answer_cart(layout.lang(), added, "shop-renewal-added", "/")
}

#[post("/odnow/domena/<id>", data = "<_form>")]
async fn renew_domain(
    id: i64,
    _form: Protected<Plain>,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Answer {
    let (_, added) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .writes()
        .attempt(move |conn, cx| {
            orders::add_renewal(conn, cx.customer_id(), Renewal::Domain(id), cx.now)
        })
        .await?;
    answer_cart(layout.lang(), added, "shop-renewal-added", "/")
}

/// Starts the PayU payment of an order and sends the subscriber there, or to the order's page
/// with why not (the order stays unpaid and can be paid from there).
async fn pay_order(
    app: &App,
    cookie: &CustomerCookie,
    order_id: i64,
) -> Result<Result<Redirect, Flash<Redirect>>, Status> {
    let me = app.customer(cookie).needs(Area::Invoices).resume().await?;
    let lang = language(&me);
    let back = format!("/zamowienia/{order_id}");
    let refuse = |key: &str| {
        Ok(Err(Flash::error(
            Redirect::to(back.clone()),
            i18n::text(lang, key),
        )))
    };
    let Some(gateway) = app.gateway() else {
        return refuse("shop-pay-off");
    };
    let request = PayRequest {
        customer_id: me.account.customer_id,
        account_id: me.account.id,
        what: PayFor::Order(order_id),
        customer_ip: cookie
            .client
            .ip
            .clone()
            .unwrap_or_else(|| "127.0.0.1".to_owned()),
        today: clock::today(),
        now: clock::now(),
    };
    match online_payments::start(app.pool(), gateway, request).await {
        Ok(started) => Ok(Ok(Redirect::to(started.redirect_uri))),
        Err(PayError::NotFound) => Err(Status::NotFound),
        Err(PayError::OrderClosed) => refuse("shop-order-closed"),
        Err(PayError::Payu(_)) => refuse("shop-payu-down"),
        Err(error @ (PayError::NothingToPay | PayError::PackageGone | PayError::Database(_))) => {
            Err(server_error(&error))
        }
    }
}

#[post("/koszyk/zamow", data = "<form>")]
async fn place(
    form: Protected<PlaceFields>,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Result<Redirect, Flash<Redirect>>, Status> {
    let lang = layout.lang();
    let key = form.key.clone();
    let key_again = key.clone();
    let (_, placed) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .writes()
        .attempt(move |conn, cx| {
            let account_id = Some(cx.me.account.id);
            orders::place(
                conn,
                Some(cx.mail()),
                cx.customer_id(),
                account_id,
                &key,
                cx.now,
            )
        })
        .await?;
    let order_id = match placed {
        Ok(placed) => placed.order_id,
        Err(PlaceError::Duplicate) => {
            // Another click placed it at the same moment: go on with that order.
            let (_, found) = app
                .customer(&cookie)
                .needs(Area::Invoices)
                .run(move |conn, cx| {
                    crate::app::orders::placed_with_key(conn, cx.customer_id(), &key_again)
                })
                .await?;
            found.ok_or(Status::Conflict)?
        }
        Err(error) => {
            let message = match &error {
                PlaceError::Empty => i18n::text(lang, "shop-cart-empty"),
                PlaceError::NoKey => i18n::text(lang, "shop-form-stale"),
                PlaceError::ItemGone(name) => {
                    i18n::text_with(lang, "shop-place-item-gone", &[("name", name.into())])
                }
                PlaceError::DomainOurs(name) => {
                    i18n::text_with(lang, "shop-place-domain-ours", &[("name", name.into())])
                }
                _ => return Err(server_error(&error)),
            };
            return Ok(Err(Flash::error(Redirect::to("/koszyk"), message)));
        }
    };
    pay_order(app, &cookie, order_id).await
}

#[post("/zamowienia/<id>/zaplac", data = "<_form>")]
async fn pay(
    id: i64,
    _form: Protected<Plain>,
    app: &State<App>,
    cookie: CustomerCookie,
) -> Result<Result<Redirect, Flash<Redirect>>, Status> {
    pay_order(app, &cookie, id).await
}

#[get("/zamowienia")]
async fn list(
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, orders) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .run(|conn, cx| orders::orders_of_customer(conn, cx.customer_id(), cx.now))
        .await?;
    Ok(Template::render(
        "customer/orders",
        context! { layout: layout.signed_in(&me), orders },
    ))
}

#[get("/zamowienia/<id>")]
async fn one(
    id: i64,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, order) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .run(move |conn, cx| orders::order_of_customer(conn, cx.customer_id(), id, cx.now))
        .await?;
    let order = order.ok_or(Status::NotFound)?;
    let online = app.gateway().is_some();
    Ok(Template::render(
        "customer/order",
        context! { layout: layout.signed_in(&me), order, online },
    ))
}
