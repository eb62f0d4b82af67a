//! `/staff/serie`: numbering series, for admins only.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, get, post, routes};

use crate::app::audit::Actor;
use crate::app::clock;
use crate::app::series::{self, SeriesError, SeriesForm};
use crate::app::staff_roles::Permission;
use crate::domain::numbering::NumberingError;
use crate::i18n::{self, Lang};
use crate::web::client_ip::ClientIp;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::Layout;
use crate::web::session::CurrentStaff;
use crate::web::{Db, server_error};

pub fn routes() -> Vec<Route> {
    routes![list, create, update]
}

#[derive(Debug, FromForm)]
pub struct SeriesFields {
    #[field(default = String::new())]
    code: String,
    #[field(default = String::new())]
    name: String,
    #[field(default = String::new())]
    kind: String,
    #[field(default = String::new())]
    template: String,
    #[field(default = String::new())]
    reset_period: String,
    active: bool,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for SeriesFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl SeriesFields {
    fn form(&self) -> SeriesForm {
        SeriesForm {
            code: self.code.clone(),
            name: self.name.clone(),
            kind: self.kind.clone(),
            template: self.template.clone(),
            reset_period: self.reset_period.clone(),
            active: self.active,
        }
    }
}

fn message(lang: Lang, error: &SeriesError) -> String {
    let key = match error {
        SeriesError::Code => "staff-series-error-code",
        SeriesError::CodeTaken => "staff-series-error-code-taken",
        SeriesError::Name => "staff-series-error-name",
        SeriesError::Kind => "staff-series-error-kind",
        SeriesError::InUse => "staff-series-error-in-use",
        SeriesError::NotFound => "staff-series-error-not-found",
        SeriesError::Template(problem) => {
            let problem = i18n::text(lang, template_message(problem));
            return i18n::text_with(
                lang,
                "staff-series-error-template",
                &[("problem", problem.into())],
            );
        }
        SeriesError::Database(_) => "staff-series-error-database",
    };
    i18n::text(lang, key)
}

/// The message key for what is wrong with a number template.
fn template_message(problem: &NumberingError) -> &'static str {
    match problem {
        NumberingError::MissingCounter => "staff-template-missing-counter",
        NumberingError::MoreThanOneCounter => "staff-template-more-than-one-counter",
        NumberingError::UnknownToken(_) => "staff-template-unknown-token",
        NumberingError::BadCounterWidth(_) => "staff-template-bad-counter-width",
        NumberingError::UnclosedBrace | NumberingError::StrayClosingBrace => {
            "staff-template-braces"
        }
        NumberingError::ControlCharacter => "staff-template-control-character",
        NumberingError::MissingMonth => "staff-template-missing-month",
        NumberingError::MissingYear => "staff-template-missing-year",
        NumberingError::UnknownResetPeriod(_) => "staff-template-reset-period",
    }
}

async fn page(
    db: &Db,
    layout: Layout,
    error: Option<String>,
    typed: Option<SeriesForm>,
) -> Result<Template, Status> {
    let rows = db.query(series::list).await?;
    let typed = typed.unwrap_or(SeriesForm {
        kind: "invoice".into(),
        reset_period: "monthly".into(),
        active: true,
        ..SeriesForm::default()
    });
    Ok(Template::render(
        "staff/series",
        context! {
            layout,
            rows,
            error,
            typed: context! { code: typed.code, name: typed.name, kind: typed.kind, template: typed.template, reset_period: typed.reset_period },
        },
    ))
}

#[get("/staff/serie")]
async fn list(staff: CurrentStaff, layout: Layout, db: Db) -> Result<Template, Status> {
    staff.require(Permission::ConfigureInvoicing)?;
    page(&db, layout, None, None).await
}

#[post("/staff/serie", data = "<form>")]
async fn create(
    form: Protected<SeriesFields>,
    staff: CurrentStaff,
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    staff.require(Permission::ConfigureInvoicing)?;
    let actor = Actor::staff(staff.staff.id, ip.0.map(|ip| ip.to_string()));
    let input = form.form();
    let now = clock::now();
    let result = db
        .run(move |conn| series::create(conn, &input, &actor, now))
        .await
        .map_err(|e| server_error(&e))?;
    match result {
        Ok(_) => Ok(Either::Left(Flash::success(
            Redirect::to("/staff/serie"),
            i18n::text(lang, "staff-series-added"),
        ))),
        Err(SeriesError::Database(e)) => Err(server_error(&e)),
        Err(error) => Ok(Either::Right((
            Status::UnprocessableEntity,
            page(&db, layout, Some(message(lang, &error)), Some(form.form())).await?,
        ))),
    }
}

#[post("/staff/serie/<id>", data = "<form>")]
async fn update(
    id: i64,
    form: Protected<SeriesFields>,
    staff: CurrentStaff,
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    staff.require(Permission::ConfigureInvoicing)?;
    let actor = Actor::staff(staff.staff.id, ip.0.map(|ip| ip.to_string()));
    let input = form.form();
    let now = clock::now();
    let result = db
        .run(move |conn| series::update(conn, id, &input, &actor, now))
        .await
        .map_err(|e| server_error(&e))?;
    match result {
        Ok(()) => Ok(Either::Left(Flash::success(
            Redirect::to("/staff/serie"),
            i18n::text(lang, "staff-series-saved"),
        ))),
        Err(SeriesError::NotFound) => Err(Status::NotFound),
        Err(SeriesError::Database(e)) => Err(server_error(&e)),
        Err(error) => Ok(Either::Right((
            Status::UnprocessableEntity,
            page(&db, layout, Some(message(lang, &error)), None).await?,
        ))),
    }
}
