//! `/staff/platnosci/klient/<id>/oplaty`: one-off charges billing staff queue for a customer's
//! periodic invoice, and take back while no invoice has them. Shown on the customer's account
//! page (`payments::customer_page`).

use crate::domain::CustomerId;
use crate::web::views::Template;
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, post, routes};

use super::payments::customer_page;
use crate::app::App;
use crate::app::staff::pending_charges::{self, ChargeError, ChargeForm};
use crate::app::staff_roles::Permission;
use crate::i18n;
use crate::web::csrf::{CsrfForm, Protected, TokenOnly};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::StaffCookie;
use crate::web::staff::forms::StaffPage;

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

fn account_page(customer_id: CustomerId) -> Redirect {
    Redirect::to(format!("/staff/platnosci/klient/{customer_id}#oplaty"))
}

#[post("/staff/platnosci/klient/<id>/oplaty", data = "<fields>")]
async fn queue(
    id: CustomerId,
    fields: Protected<ChargeFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let lang = layout.lang();
    let form = ChargeForm {
        name: fields.name.clone(),
        amount: fields.amount.clone(),
        vat_rate: fields.vat_rate.clone(),
        period: fields.period.clone(),
    };
    let input = form.clone();
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::IssueInvoices)
        .attempt(move |conn, cx| {
            pending_charges::queue(conn, id, &input, &cx.actor(), cx.today, cx.now)
        })
        .await?;
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
            customer_page(
                app,
                &cookie,
                layout,
                (id, Permission::IssueInvoices),
                Some((form, errors)),
            )
            .await?,
        ))),
        Err(ChargeError::NoCustomer) => Err(Status::NotFound),
        Err(ChargeError::Database(e)) => Err(server_error(&e)),
    }
}

#[post("/staff/platnosci/klient/<id>/oplaty/<charge>/usun", data = "<_form>")]
async fn remove(
    id: CustomerId,
    charge: i64,
    _form: Protected<TokenOnly>,
    app: &State<App>,
    page: StaffPage,
) -> Result<Flash<Redirect>, Status> {
    let lang = page.layout.lang();
    let (_, removed) = app
        .staff(&page.cookie)
        .needs(Permission::IssueInvoices)
        .run(move |conn, cx| pending_charges::remove(conn, id, charge, &cx.actor(), cx.now))
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
