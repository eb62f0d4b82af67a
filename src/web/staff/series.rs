//! `/staff/serie`: numbering series, for admins only.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::App;
use crate::app::series::{self, SeriesError, SeriesForm};
use crate::app::staff_roles::Permission;
use crate::domain::numbering::NumberingError;
use crate::i18n::{self, Lang};
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::StaffCookie;

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
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    error: Option<String>,
    typed: Option<SeriesForm>,
) -> Result<Template, Status> {
    let (me, rows) = app
        .staff(cookie)
        .needs(Permission::ConfigureInvoicing)
        .run(|conn, _| series::list(conn))
        .await?;
    let typed = typed.unwrap_or(SeriesForm {
        kind: "invoice".into(),
        reset_period: "monthly".into(),
        active: true,
        ..SeriesForm::default()
    });
    Ok(Template::render(
        "staff/series",
        context! {
            layout: layout.staff(&me),
            rows,
            error,
            typed: context! { code: typed.code, name: typed.name, kind: typed.kind, template: typed.template, reset_period: typed.reset_period },
        },
    ))
}

#[get("/staff/serie")]
async fn list(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    page(app, &cookie, layout, None, None).await
}

#[post("/staff/serie", data = "<form>")]
async fn create(
    form: Protected<SeriesFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let lang = layout.lang();
    let input = form.form();
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::ConfigureInvoicing)
        .attempt(move |conn, cx| series::create(conn, &input, &cx.actor(), cx.now))
        .await?;
    match result {
        Ok(_) => Ok(Either::Left(Flash::success(
            Redirect::to("/staff/serie"),
            i18n::text(lang, "staff-series-added"),
        ))),
        Err(SeriesError::Database(e)) => Err(server_error(&e)),
        Err(error) => {
            let message = message(lang, &error);
            Ok(Either::Right((
                Status::UnprocessableEntity,
                page(app, &cookie, layout, Some(message), Some(form.form())).await?,
            )))
        }
    }
}

#[post("/staff/serie/<id>", data = "<form>")]
async fn update(
    id: i64,
    form: Protected<SeriesFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let lang = layout.lang();
    let input = form.form();
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::ConfigureInvoicing)
        .attempt(move |conn, cx| series::update(conn, id, &input, &cx.actor(), cx.now))
        .await?;
    match result {
        Ok(()) => Ok(Either::Left(Flash::success(
            Redirect::to("/staff/serie"),
            i18n::text(lang, "staff-series-saved"),
        ))),
        Err(SeriesError::NotFound) => Err(Status::NotFound),
        Err(SeriesError::Database(e)) => Err(server_error(&e)),
        Err(error) => {
            let message = message(lang, &error);
            Ok(Either::Right((
                Status::UnprocessableEntity,
                page(app, &cookie, layout, Some(message), None).await?,
            )))
        }
    }
}
