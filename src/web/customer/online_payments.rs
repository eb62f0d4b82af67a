//! "Zapłać online": one invoice (`/faktury/<id>/zaplac-online`), every overdue invoice
//! (`/saldo/zaplac-online`) or one interest note (`/saldo/noty/<id>/zaplac-online`) through PayU, and the page PayU sends the subscriber back to
//! (`/platnosci-online/<id>`), which shows the order as the database has it: PayU's query
//! string (`?error=501`) is never read.

use crate::domain::InvoiceId;
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::content::RawHtml;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use crate::app::access::Area;
use crate::app::online_payments::{self, PayError, PayFor, PayRequest};
use crate::app::{App, clock};
use crate::i18n;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::{CustomerCookie, language};
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![
        pay_invoice,
        pay_overdue,
        pay_interest_note,
        order,
        order_back_from_another_site
    ]
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

/// Starts the payment and sends the subscriber to PayU, or back to `back` with why not. PayU
/// is spoken to between the use case's database steps, so the session is resumed first and
/// the use case runs on the pool itself.
pub(super) async fn start(
    app: &App,
    cookie: &CustomerCookie,
    (what, back): (PayFor, String),
) -> Result<Result<Redirect, Flash<Redirect>>, Status> {
    let me = app.customer(cookie).needs(Area::Invoices).resume().await?;
    let lang = language(&me);
    let refuse = |key: &str| {
        Ok(Err(Flash::error(
            Redirect::to(back.clone()),
            i18n::text(lang, key),
        )))
    };
    let Some(gateway) = app.gateway() else {
        return refuse("online-pay-off");
    };
    let request = PayRequest {
        customer_id: me.account.customer_id,
        account_id: me.account.id,
        what,
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
        Err(PayError::NothingToPay) => refuse(match what {
            PayFor::Overdue => "online-pay-nothing-overdue",
            PayFor::InterestNote(_) => "interest-note-paid-already",
            _ => "online-pay-nothing",
        }),
        Err(PayError::NotFound) => Err(Status::NotFound),
        Err(PayError::PackageGone) => refuse("top-up-gone"),
        // Orders are paid from their own page (`web::customer::orders`).
        Err(PayError::OrderClosed) => refuse("shop-order-closed"),
        Err(PayError::Payu(_)) => refuse(match what {
            PayFor::TopUp(_) => "top-up-payu-down",
            PayFor::InterestNote(_) => "interest-note-payu-down",
            _ => "online-pay-payu-down",
        }),
        Err(error @ PayError::Database(_)) => Err(server_error(&error)),
    }
}

#[post("/faktury/<id>/zaplac-online", data = "<_form>")]
async fn pay_invoice(
    id: InvoiceId,
    _form: Protected<PayFields>,
    app: &State<App>,
    cookie: CustomerCookie,
) -> Result<Result<Redirect, Flash<Redirect>>, Status> {
    let what = (PayFor::Invoice(id), format!("/faktury/{id}"));
    start(app, &cookie, what).await
}

#[post("/saldo/zaplac-online", data = "<_form>")]
async fn pay_overdue(
    _form: Protected<PayFields>,
    app: &State<App>,
    cookie: CustomerCookie,
) -> Result<Result<Redirect, Flash<Redirect>>, Status> {
    let what = (PayFor::Overdue, "/saldo".to_owned());
    start(app, &cookie, what).await
}

/// One interest note's outstanding amount. The id is read by hand, as for the note's PDF, so
/// anything but a number is the same 404 as another customer's note.
#[post("/saldo/noty/<id>/zaplac-online", data = "<_form>")]
async fn pay_interest_note(
    id: &str,
    _form: Protected<PayFields>,
    app: &State<App>,
    cookie: CustomerCookie,
) -> Result<Result<Redirect, Flash<Redirect>>, Status> {
    let id: i64 = id.parse().map_err(|_| Status::NotFound)?;
    let what = (PayFor::InterestNote(id), "/saldo".to_owned());
    start(app, &cookie, what).await
}

/// Where PayU sends the subscriber back: the real state, read from the database.
#[get("/platnosci-online/<id>")]
async fn order(
    id: i64,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, order) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .run(move |conn, cx| online_payments::order_of_customer(conn, cx.customer_id(), id))
        .await?;
    let order = order.ok_or(Status::NotFound)?;
    Ok(Template::render(
        "customer/online_payment",
        context! { layout: layout.signed_in(&me), order },
    ))
}

/// The same page reached without the session cookie. The cookie is `SameSite=Strict`, so a
/// browser coming back from PayU (another site) leaves it out. A page of ours that reloads
/// itself at once makes a same-site request, which carries the cookie. Tried once
/// (`?powrot=1`); still without a session, the visitor goes to the login page as anywhere else.
#[get("/platnosci-online/<id>?<powrot>", rank = 2)]
fn order_back_from_another_site(
    id: i64,
    powrot: Option<u8>,
) -> rocket::Either<RawHtml<String>, Redirect> {
    if powrot.is_some() {
        return rocket::Either::Right(Redirect::to("/logowanie"));
    }
    let again = format!("/platnosci-online/{id}?powrot=1");
    rocket::Either::Left(RawHtml(format!(
        "<!doctype html><html lang=\"pl\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"refresh\" content=\"0; url={again}\">\
         <title>e-BOK</title></head><body>\
         <p><a href=\"{again}\">Wróć do e-BOK, aby zobaczyć stan płatności \
         (Back to e-BOK to see the payment)</a></p></body></html>"
    )))
}
