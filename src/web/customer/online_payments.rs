//! "Zapłać online": one invoice (`/faktury/<id>/zaplac-online`) or every overdue invoice
//! (`/saldo/zaplac-online`) through PayU, and the page PayU sends the subscriber back to
//! (`/platnosci-online/<id>`), which shows the order as the database has it: PayU's query
//! string (`?error=501`) is never read.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Route, get, post, routes};

use crate::app::access::Area;
use crate::app::clock;
use crate::app::online_payments::{self, PayError, PayFor, PayRequest};
use crate::i18n::{self, Lang};
use crate::web::client_ip::ClientIp;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::online_payments_worker::PaymentDesk;
use crate::web::page::Layout;
use crate::web::session::CurrentCustomer;
use crate::web::views::{Template, context};
use crate::web::{Db, server_error};

pub fn routes() -> Vec<Route> {
    routes![pay_invoice, pay_overdue, order]
}

#[derive(Debug, FromForm)]
pub struct PayFields {
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for PayFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// Starts the payment and sends the subscriber to PayU, or back to `back` with why not.
async fn start(
    customer: &CurrentCustomer,
    ip: ClientIp,
    desk: PaymentDesk,
    (what, back): (PayFor, String),
) -> Result<Result<Redirect, Flash<Redirect>>, Status> {
    customer.require(Area::Invoices)?;
    let lang = Lang::parse(&customer.account.language).unwrap_or_default();
    let refuse = |key: &str| {
        Ok(Err(Flash::error(
            Redirect::to(back.clone()),
            i18n::text(lang, key),
        )))
    };
    let Some(gateway) = desk.gateway() else {
        return refuse("online-pay-off");
    };
    let request = PayRequest {
        customer_id: customer.customer_id(),
        account_id: customer.account.id,
        what,
        customer_ip: ip
            .0
            .map_or_else(|| "127.0.0.1".to_owned(), |ip| ip.to_string()),
        today: clock::today(),
        now: clock::now(),
    };
    match online_payments::start(desk.pool(), gateway, request).await {
        Ok(started) => Ok(Ok(Redirect::to(started.redirect_uri))),
        Err(PayError::NothingToPay) => refuse(match what {
            PayFor::Invoice(_) => "online-pay-nothing",
            PayFor::Overdue => "online-pay-nothing-overdue",
        }),
        Err(PayError::NotFound) => Err(Status::NotFound),
        Err(PayError::Payu(_)) => refuse("online-pay-payu-down"),
        Err(error @ PayError::Database(_)) => Err(server_error(&error)),
    }
}

#[post("/faktury/<id>/zaplac-online", data = "<_form>")]
async fn pay_invoice(
    id: i64,
    _form: Protected<PayFields>,
    customer: CurrentCustomer,
    ip: ClientIp,
    desk: PaymentDesk,
) -> Result<Result<Redirect, Flash<Redirect>>, Status> {
    let what = (PayFor::Invoice(id), format!("/faktury/{id}"));
    start(&customer, ip, desk, what).await
}

#[post("/saldo/zaplac-online", data = "<_form>")]
async fn pay_overdue(
    _form: Protected<PayFields>,
    customer: CurrentCustomer,
    ip: ClientIp,
    desk: PaymentDesk,
) -> Result<Result<Redirect, Flash<Redirect>>, Status> {
    let what = (PayFor::Overdue, "/saldo".to_owned());
    start(&customer, ip, desk, what).await
}

/// Where PayU sends the subscriber back: the real state, read from the database.
#[get("/platnosci-online/<id>")]
async fn order(
    id: i64,
    customer: CurrentCustomer,
    layout: Layout,
    db: Db,
) -> Result<Template, Status> {
    customer.require(Area::Invoices)?;
    let customer_id = customer.customer_id();
    let order = db
        .query(move |conn| online_payments::order_of_customer(conn, customer_id, id))
        .await?
        .ok_or(Status::NotFound)?;
    Ok(Template::render(
        "customer/online_payment",
        context! { layout, order },
    ))
}
