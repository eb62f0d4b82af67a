//! `/staff/platnosci`: payments for billing staff and admins: recent payments, a customer's
//! ledger, manual entry and reversal. Support gets 403 on every page.

use crate::domain::CustomerId;
use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use super::forms::field_messages;
use crate::app::App;
use crate::app::payment_account;
use crate::app::payments::{self, ManualError, ManualPayment, ManualProblem, PaymentError};
use crate::app::staff::FieldErrors;
use crate::app::staff::pending_charges::{self, ChargeForm};
use crate::app::staff_roles::Permission;
use crate::i18n::{self, Lang};
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::StaffCookie;

pub fn routes() -> Vec<Route> {
    routes![overview, find_customer, customer, record, reverse]
}

/// The overview page, also re-rendered with a form's problems.
pub(super) async fn overview_page(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    manual: Option<(ManualPayment, Vec<String>)>,
    import_error: Option<String>,
) -> Result<Template, Status> {
    let (me, (overview, today)) = app
        .staff(cookie)
        .needs(Permission::ManagePayments)
        .run(|conn, cx| payment_account::overview(conn).map(|o| (o, cx.today)))
        .await?;
    let layout = layout.staff(&me);
    let (typed, manual_errors) = manual.unwrap_or_else(|| {
        (
            ManualPayment {
                received_on: today.format("%Y-%m-%d").to_string(),
                method: "transfer".into(),
                ..ManualPayment::default()
            },
            Vec::new(),
        )
    });
    Ok(Template::render(
        "staff/payments",
        context! {
            layout,
            overview,
            manual_errors,
            import_error,
            typed: context! {
                customer_number: typed.customer_number,
                amount: typed.amount,
                received_on: typed.received_on,
                method: typed.method,
                title: typed.title,
            },
        },
    ))
}

#[get("/staff/platnosci")]
async fn overview(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    overview_page(app, &cookie, layout, None, None).await
}

#[get("/staff/platnosci/klient?<numer>")]
async fn find_customer(
    numer: Option<String>,
    app: &State<App>,
    cookie: StaffCookie,
    lang: Lang,
) -> Result<Either<Redirect, Flash<Redirect>>, Status> {
    let number = numer.unwrap_or_default();
    let (_, found) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .run(move |conn, _| payment_account::customer_by_number(conn, &number))
        .await?;
    Ok(match found {
        Some(id) => Either::Left(Redirect::to(format!("/staff/platnosci/klient/{id}"))),
        None => Either::Right(Flash::error(
            Redirect::to("/staff/platnosci"),
            i18n::text(lang, "payments-error-unknown-customer"),
        )),
    })
}

#[get("/staff/platnosci/klient/<id>")]
async fn customer(
    id: CustomerId,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    customer_page(app, &cookie, layout, (id, Permission::ManagePayments), None).await
}

/// One customer's account: ledger, invoices, payments and the charges queued for the billing
/// run; `charge` is a charge form sent back with its problems. Billing staff queue charges here
/// too, so the page opens to whoever may manage payments or issue invoices (`right`).
pub(super) async fn customer_page(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    (id, right): (CustomerId, Permission),
    charge: Option<(ChargeForm, FieldErrors)>,
) -> Result<Template, Status> {
    let (me, (found, today)) = app
        .staff(cookie)
        .needs(right)
        .run(move |conn, cx| {
            payment_account::account_with_charges(conn, id, cx.today).map(|found| (found, cx.today))
        })
        .await?;
    let (account, charges) = found.ok_or(Status::NotFound)?;
    let layout = layout.staff(&me);
    let (charge_form, errors) = match charge {
        Some((form, errors)) => (form, Some(errors)),
        None => (ChargeForm::blank(today), None),
    };
    let charge_errors = field_messages(
        layout.lang,
        errors.as_ref(),
        &["name", "amount", "vat_rate", "period"],
    );
    Ok(Template::render(
        "staff/payments_customer",
        context! {
            layout,
            account,
            charges,
            charge_form,
            charge_errors,
            charge_rates: pending_charges::RATES,
        },
    ))
}

#[derive(Debug, FromForm)]
pub struct ManualFields {
    #[field(default = String::new())]
    customer_number: String,
    #[field(default = String::new())]
    amount: String,
    #[field(default = String::new())]
    received_on: String,
    #[field(default = String::new())]
    method: String,
    #[field(default = String::new())]
    title: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for ManualFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

fn manual_message(lang: Lang, problem: ManualProblem) -> String {
    let key = match problem {
        ManualProblem::UnknownCustomer => "payments-error-unknown-customer",
        ManualProblem::BadAmount => "payments-error-manual-amount",
        ManualProblem::BadDate => "payments-error-manual-date",
        ManualProblem::FutureDate => "payments-error-manual-future",
        ManualProblem::BadMethod => "payments-error-manual-method",
        ManualProblem::TitleTooLong => "payments-error-manual-title",
    };
    i18n::text(lang, key)
}

#[post("/staff/platnosci/wplata", data = "<form>")]
async fn record(
    form: Protected<ManualFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let lang = layout.lang();
    let input = ManualPayment {
        customer_number: form.customer_number.clone(),
        amount: form.amount.clone(),
        received_on: form.received_on.clone(),
        method: form.method.clone(),
        title: form.title.clone(),
    };
    let typed = input.clone();
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .attempt(move |conn, cx| {
            payments::record_manual(conn, &input, &cx.actor(), cx.today, cx.now)
        })
        .await?;
    match result {
        Ok((recorded, customer_id)) => Ok(Either::Left(Flash::success(
            Redirect::to(format!("/staff/platnosci/klient/{customer_id}")),
            i18n::text_with(
                lang,
                "payments-flash-recorded",
                &[(
                    "credit",
                    crate::domain::Money::from_grosze(recorded.credit_left.grosze())
                        .to_string()
                        .into(),
                )],
            ),
        ))),
        Err(ManualError::Invalid(problems)) => {
            let messages = problems.iter().map(|p| manual_message(lang, *p)).collect();
            Ok(Either::Right((
                Status::UnprocessableEntity,
                overview_page(app, &cookie, layout, Some((typed, messages)), None).await?,
            )))
        }
        Err(ManualError::Payment(e)) => Err(server_error(&e)),
    }
}

#[derive(Debug, FromForm)]
pub struct ReverseFields {
    #[field(default = String::new())]
    reason: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for ReverseFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/staff/platnosci/wplaty/<id>/cofnij", data = "<form>")]
async fn reverse(
    id: i64,
    form: Protected<ReverseFields>,
    app: &State<App>,
    cookie: StaffCookie,
    lang: Lang,
) -> Result<Flash<Redirect>, Status> {
    let reason = form.reason.clone();
    let (_, found) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .run(move |conn, cx| payments::reverse_from_panel(conn, id, &reason, &cx.actor(), cx.now))
        .await?;
    let (customer_of_payment, result) = found.ok_or(Status::NotFound)?;
    let back = Redirect::to(format!("/staff/platnosci/klient/{customer_of_payment}"));
    match result {
        Ok(_) => Ok(Flash::success(
            back,
            i18n::text(lang, "payments-flash-reversed"),
        )),
        Err(PaymentError::NoReason) => Ok(Flash::error(
            back,
            i18n::text(lang, "payments-error-reversal-reason"),
        )),
        Err(PaymentError::AlreadyReversed) => Ok(Flash::error(
            back,
            i18n::text(lang, "payments-error-already-reversed"),
        )),
        Err(PaymentError::NotFound) => Err(Status::NotFound),
        Err(e) => Err(server_error(&e)),
    }
}
