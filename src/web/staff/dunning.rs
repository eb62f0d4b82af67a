//! `/staff/windykacja`: the dunning plan and minimum debt (billing staff), the statutory
//! interest rate table (admins), and pauses per customer with a reason. Every change is audited
//! by `app::dunning`.

use crate::domain::CustomerId;
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::App;
use crate::app::dunning::{self, PlanForm, RateForm, SettingsError, StepInput};
use crate::app::staff_roles::Permission;
use crate::i18n;
use crate::web::csrf::{CsrfForm, Protected, TokenOnly};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::StaffCookie;
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![page, save_plan, save_rate, pause, resume]
}

const PAGE: &str = "/staff/windykacja";

type Answer = Result<Either<Flash<Redirect>, (Status, Template)>, Status>;

#[derive(Debug, FromForm)]
pub struct StepFields {
    #[field(default = String::new())]
    kind: String,
    #[field(default = String::new())]
    offset_days: String,
    #[field(default = String::new())]
    deadline_days: String,
    by_email: bool,
    in_portal: bool,
    by_letter: bool,
    active: bool,
}

#[derive(Debug, FromForm)]
pub struct PlanFields {
    #[field(default = String::new())]
    minimum_debt: String,
    steps: Vec<StepFields>,
    #[field(default = String::new())]
    csrf_token: String,
}

#[derive(Debug, FromForm)]
pub struct RateFields {
    #[field(default = String::new())]
    valid_from: String,
    #[field(default = String::new())]
    reference: String,
    #[field(default = String::new())]
    consumer: String,
    #[field(default = String::new())]
    commercial: String,
    #[field(default = String::new())]
    csrf_token: String,
}

#[derive(Debug, FromForm)]
pub struct PauseFields {
    #[field(default = String::new())]
    customer_number: String,
    #[field(default = String::new())]
    reason: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for PlanFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl CsrfForm for RateFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl CsrfForm for PauseFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

fn message(lang: i18n::Lang, error: &SettingsError) -> String {
    let key = match error {
        SettingsError::Plan(_) => "dunning-staff-error-plan",
        SettingsError::Days(_) => "dunning-staff-error-days",
        SettingsError::Amount(_) => "dunning-staff-error-amount",
        SettingsError::Date(_) => "dunning-staff-error-date",
        SettingsError::Rate(_) => "dunning-staff-error-rate",
        SettingsError::NoReason => "dunning-staff-error-reason",
        SettingsError::NoCustomer => "dunning-staff-error-customer",
        SettingsError::Database(_) => "dunning-staff-error-database",
    };
    let detail = match error {
        SettingsError::Plan(problem) => problem.to_string(),
        _ => String::new(),
    };
    i18n::text_with(lang, key, &[("detail", detail.into())])
}

async fn render(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    error: Option<String>,
) -> Result<Template, Status> {
    let (me, view) = app
        .staff(cookie)
        .needs(Permission::ManagePayments)
        .run(|conn, _| dunning::staff_view(conn))
        .await?;
    Ok(Template::render(
        "staff/dunning",
        context! { layout: layout.staff(&me), view, error },
    ))
}

/// Redirect with a flash, or the page again with the message.
async fn answer(
    result: Result<(), SettingsError>,
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    done: &str,
) -> Answer {
    let lang = layout.lang();
    match result {
        Ok(()) => Ok(Either::Left(Flash::success(
            Redirect::to(PAGE),
            i18n::text(lang, done),
        ))),
        Err(SettingsError::Database(e)) => Err(server_error(&e)),
        Err(error) => Ok(Either::Right((
            Status::UnprocessableEntity,
            render(app, cookie, layout, Some(message(lang, &error))).await?,
        ))),
    }
}

#[get("/staff/windykacja")]
async fn page(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    render(app, &cookie, layout, None).await
}

#[post("/staff/windykacja/plan", data = "<form>")]
async fn save_plan(
    form: Protected<PlanFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Answer {
    let input = PlanForm {
        minimum_debt: form.minimum_debt.clone(),
        steps: form
            .steps
            .iter()
            .map(|s| StepInput {
                kind: s.kind.clone(),
                offset_days: s.offset_days.clone(),
                deadline_days: s.deadline_days.clone(),
                by_email: s.by_email,
                in_portal: s.in_portal,
                by_letter: s.by_letter,
                active: s.active,
            })
            .collect(),
    };
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .attempt(move |conn, cx| dunning::save_plan(conn, &input, &cx.actor(), cx.now))
        .await?;
    answer(result, app, &cookie, layout, "dunning-staff-plan-saved").await
}

#[post("/staff/windykacja/stawki", data = "<form>")]
async fn save_rate(
    form: Protected<RateFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Answer {
    let input = RateForm {
        valid_from: form.valid_from.clone(),
        reference: form.reference.clone(),
        consumer: form.consumer.clone(),
        commercial: form.commercial.clone(),
    };
    // The statutory rates are the law's, not a price list: admins only.
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::ConfigureInvoicing)
        .attempt(move |conn, cx| dunning::save_rate(conn, &input, &cx.actor(), cx.now).map(|_| ()))
        .await?;
    answer(result, app, &cookie, layout, "dunning-staff-rate-saved").await
}

#[post("/staff/windykacja/wstrzymania", data = "<form>")]
async fn pause(
    form: Protected<PauseFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Answer {
    let number = form.customer_number.trim().parse::<i64>().ok();
    let reason = form.reason.clone();
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .attempt(move |conn, cx| match number {
            Some(number) => dunning::pause(conn, number, &reason, &cx.actor(), cx.now).map(|_| ()),
            None => Err(SettingsError::NoCustomer),
        })
        .await?;
    answer(result, app, &cookie, layout, "dunning-staff-paused").await
}

#[post("/staff/windykacja/wstrzymania/<customer_id>/wznow", data = "<_form>")]
async fn resume(
    customer_id: CustomerId,
    _form: Protected<TokenOnly>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Answer {
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .attempt(move |conn, cx| {
            dunning::unpause(conn, customer_id, &cx.actor(), cx.now).map(|_| ())
        })
        .await?;
    answer(result, app, &cookie, layout, "dunning-staff-resumed").await
}
