//! `/staff/platnosci/klient/<id>/oplaty`: one-off charges billing staff queue for a customer's
//! periodic invoice, and take back while no invoice has them. Shown on the customer's account
//! page (`payments::customer_page`).

use crate::web::views::Template;
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, post, routes};

use super::forms::actor;
use super::payments::customer_page;
use crate::app::clock;
use crate::app::staff::pending_charges::{self, ChargeError, ChargeForm};
use crate::app::staff_roles::Permission;
use crate::i18n::{self, Lang};
use crate::web::client_ip::ClientIp;
use crate::web::csrf::{CsrfForm, Protected, TokenOnly};
use crate::web::page::Layout;
use crate::web::session::CurrentStaff;
use crate::web::{Db, server_error};

pub fn routes() -> Vec<Route> {
    routes![queue, remove]
}

#[derive(Debug, FromForm)]
pub struct ChargeFields {
    #[field(default = String::new())]
    name: String,
    #[field(default = String::new())]
    amount: String,
    #[field(default = String::new())]
    vat_rate: String,
    #[field(default = String::new())]
    period: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for ChargeFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

fn account_page(customer_id: i64) -> Redirect {
    Redirect::to(format!("/staff/platnosci/klient/{customer_id}#oplaty"))
}

#[post("/staff/platnosci/klient/<id>/oplaty", data = "<fields>")]
async fn queue(
    id: i64,
    fields: Protected<ChargeFields>,
    staff: CurrentStaff,
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    staff.require(Permission::IssueInvoices)?;
    let actor = actor(&staff, &ip);
    let form = ChargeForm {
        name: fields.name.clone(),
        amount: fields.amount.clone(),
        vat_rate: fields.vat_rate.clone(),
        period: fields.period.clone(),
    };
    let input = form.clone();
    let (today, now) = (clock::today(), clock::now());
    let result = db
        .run(move |conn| pending_charges::queue(conn, id, &input, &actor, today, now))
        .await
        .map_err(|e| server_error(&e))?;
    match result {
        Ok(_) => Ok(Either::Left(Flash::success(
            account_page(id),
            i18n::text_with(
                lang,
                "charges-flash-queued",
                &[("period", form.period.trim().into())],
            ),
        ))),
        Err(ChargeError::Invalid(errors)) => Ok(Either::Right((
            Status::UnprocessableEntity,
            customer_page(&db, layout, id, Some((form, errors))).await?,
        ))),
        Err(ChargeError::NoCustomer) => Err(Status::NotFound),
        Err(ChargeError::Database(e)) => Err(server_error(&e)),
    }
}

#[post("/staff/platnosci/klient/<id>/oplaty/<charge>/usun", data = "<_form>")]
async fn remove(
    id: i64,
    charge: i64,
    _form: Protected<TokenOnly>,
    staff: CurrentStaff,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Flash<Redirect>, Status> {
    staff.require(Permission::IssueInvoices)?;
    let actor = actor(&staff, &ip);
    let now = clock::now();
    let removed = db
        .query(move |conn| pending_charges::remove(conn, id, charge, &actor, now))
        .await?;
    if removed {
        Ok(Flash::success(
            account_page(id),
            i18n::text(lang, "charges-flash-removed"),
        ))
    } else {
        Ok(Flash::error(
            account_page(id),
            i18n::text(lang, "charges-error-not-waiting"),
        ))
    }
}
