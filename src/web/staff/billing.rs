//! `/staff/rozliczenia`: billing runs for staff who issue invoices. Start a run for a period
//! (`app::billing::BillingRunner`, on a thread of its own), watch its progress, read past runs' summaries.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::App;
use crate::app::billing::{self, BillingError};
use crate::app::staff_roles::Permission;
use crate::i18n::{self, Lang};
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::StaffCookie;

pub fn routes() -> Vec<Route> {
    routes![list, start, show]
}

#[derive(Debug, FromForm)]
pub struct RunFields {
    #[field(default = String::new())]
    period: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for RunFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// The refusal as staff read it; None for failures that are the server's, not theirs.
fn refusal(lang: Lang, error: &BillingError) -> Option<String> {
    let key = match error {
        BillingError::Period(_) => "billing-error-period",
        BillingError::TooFarAhead(_) => "billing-error-too-far-ahead",
        BillingError::AlreadyRunning => "billing-error-already-running",
        BillingError::NoSeller => "billing-error-no-seller",
        BillingError::NoSeries(_) | BillingError::Numbering(_) => "billing-error-no-series",
        _ => return None,
    };
    Some(i18n::text(lang, key))
}

async fn page(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    error: Option<String>,
    period: Option<String>,
) -> Result<Template, Status> {
    let (me, panel) = app
        .staff(cookie)
        .needs(Permission::IssueInvoices)
        .run(|conn, cx| billing::panel(conn, cx.today, cx.now))
        .await?;
    let period = period.unwrap_or_else(|| panel.next_period.clone());
    Ok(Template::render(
        "staff/billing_runs",
        context! {
            layout: layout.staff(&me),
            runs: panel.runs,
            error,
            period,
            invoiced: panel.invoiced,
        },
    ))
}

#[get("/staff/rozliczenia")]
async fn list(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    page(app, &cookie, layout, None, None).await
}

#[post("/staff/rozliczenia", data = "<form>")]
async fn start(
    form: Protected<RunFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let lang = layout.lang();
    let period = form.period.trim().to_owned();
    let (_, started) = app.start_billing_run(&cookie, period.clone()).await?;
    match started {
        Ok(id) => Ok(Either::Left(Flash::success(
            Redirect::to(format!("/staff/rozliczenia/{id}")),
            i18n::text(lang, "billing-started"),
        ))),
        Err(error) => match refusal(lang, &error) {
            Some(message) => Ok(Either::Right((
                Status::UnprocessableEntity,
                page(app, &cookie, layout, Some(message), Some(period)).await?,
            ))),
            None => Err(server_error(&error)),
        },
    }
}

#[get("/staff/rozliczenia/<id>")]
async fn show(
    id: i64,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, run) = app
        .staff(&cookie)
        .needs(Permission::IssueInvoices)
        .run(move |conn, cx| billing::run_view(conn, id, cx.now))
        .await?;
    let run = run.ok_or(Status::NotFound)?;
    Ok(Template::render(
        "staff/billing_run",
        context! { layout: layout.staff(&me), run },
    ))
}
