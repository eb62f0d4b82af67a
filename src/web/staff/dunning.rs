//! `/staff/windykacja`: the dunning plan and minimum debt (billing staff), the statutory
//! interest rate table (admins), and pauses per customer with a reason. Every change is audited
//! by `app::dunning`.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, get, post, routes};

use super::forms::actor;
use crate::app::dunning::{self, PlanForm, RateForm, SettingsError, StepInput};
use crate::app::{clock, staff_roles::Permission};
use crate::i18n;
use crate::web::client_ip::ClientIp;
use crate::web::csrf::{CsrfForm, Protected, TokenOnly};
use crate::web::page::Layout;
use crate::web::session::CurrentStaff;
use crate::web::views::{Template, context};
use crate::web::{Db, server_error};

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

async fn render(db: &Db, layout: Layout, error: Option<String>) -> Result<Template, Status> {
    let view = db.query(dunning::staff_view).await?;
    Ok(Template::render(
        "staff/dunning",
        context! { layout, view, error },
    ))
}

/// Redirect with a flash, or the page again with the message.
async fn answer(
    result: Result<(), SettingsError>,
    db: &Db,
    layout: Layout,
    lang: i18n::Lang,
    done: &str,
) -> Answer {
    match result {
        Ok(()) => Ok(Either::Left(Flash::success(
            Redirect::to(PAGE),
            i18n::text(lang, done),
        ))),
        Err(SettingsError::Database(e)) => Err(server_error(&e)),
        Err(error) => Ok(Either::Right((
            Status::UnprocessableEntity,
            render(db, layout, Some(message(lang, &error))).await?,
        ))),
    }
}

#[get("/staff/windykacja")]
async fn page(staff: CurrentStaff, layout: Layout, db: Db) -> Result<Template, Status> {
    staff.require(Permission::ManagePayments)?;
    render(&db, layout, None).await
}

#[post("/staff/windykacja/plan", data = "<form>")]
async fn save_plan(
    form: Protected<PlanFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
) -> Answer {
    staff.require(Permission::ManagePayments)?;
    let lang = layout.lang;
    let (actor, now) = (actor(&staff, &ip), clock::now());
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
    let result = db
        .run(move |conn| dunning::save_plan(conn, &input, &actor, now))
        .await
        .map_err(|e| server_error(&e))?;
    answer(result, &db, layout, lang, "dunning-staff-plan-saved").await
}

#[post("/staff/windykacja/stawki", data = "<form>")]
async fn save_rate(
    form: Protected<RateFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
) -> Answer {
    // The statutory rates are the law's, not a price list: admins only.
    staff.require(Permission::ConfigureInvoicing)?;
    let lang = layout.lang;
    let (actor, now) = (actor(&staff, &ip), clock::now());
    let input = RateForm {
        valid_from: form.valid_from.clone(),
        reference: form.reference.clone(),
        consumer: form.consumer.clone(),
        commercial: form.commercial.clone(),
    };
    let result = db
        .run(move |conn| dunning::save_rate(conn, &input, &actor, now).map(|_| ()))
        .await
        .map_err(|e| server_error(&e))?;
    answer(result, &db, layout, lang, "dunning-staff-rate-saved").await
}

#[post("/staff/windykacja/wstrzymania", data = "<form>")]
async fn pause(
    form: Protected<PauseFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
) -> Answer {
    staff.require(Permission::ManagePayments)?;
    let lang = layout.lang;
    let (actor, now) = (actor(&staff, &ip), clock::now());
    let Ok(number) = form.customer_number.trim().parse::<i64>() else {
        return answer(Err(SettingsError::NoCustomer), &db, layout, lang, "").await;
    };
    let reason = form.reason.clone();
    let result = db
        .run(move |conn| dunning::pause(conn, number, &reason, &actor, now).map(|_| ()))
        .await
        .map_err(|e| server_error(&e))?;
    answer(result, &db, layout, lang, "dunning-staff-paused").await
}

#[post("/staff/windykacja/wstrzymania/<customer_id>/wznow", data = "<_form>")]
async fn resume(
    customer_id: i64,
    _form: Protected<TokenOnly>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
) -> Answer {
    staff.require(Permission::ManagePayments)?;
    let lang = layout.lang;
    let (actor, now) = (actor(&staff, &ip), clock::now());
    let result = db
        .run(move |conn| dunning::unpause(conn, customer_id, &actor, now).map(|_| ()))
        .await
        .map_err(|e| server_error(&e))?;
    answer(result, &db, layout, lang, "dunning-staff-resumed").await
}
