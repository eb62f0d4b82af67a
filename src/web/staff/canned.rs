//! `/staff/odpowiedzi`: the canned responses staff insert into replies.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::App;
use crate::app::staff_roles::Permission;
use crate::app::tickets::canned::{self, CannedError, CannedForm};
use crate::i18n;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::StaffCookie;
use crate::web::ticket_errors::canned_error;

pub fn routes() -> Vec<Route> {
    routes![list, create, update]
}

#[derive(Debug, FromForm)]
pub struct CannedFields {
    #[field(default = String::new())]
    title: String,
    #[field(default = String::new())]
    body: String,
    active: bool,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for CannedFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl CannedFields {
    fn form(&self) -> CannedForm {
        CannedForm {
            title: self.title.clone(),
            body: self.body.clone(),
            active: self.active,
        }
    }
}

async fn page(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    error: Option<String>,
    typed: Option<CannedForm>,
) -> Result<Template, Status> {
    let (me, responses) = app
        .staff(cookie)
        .needs(Permission::HandleTickets)
        .run(|conn, _| canned::list(conn, false))
        .await?;
    let typed = typed.unwrap_or(CannedForm {
        active: true,
        ..CannedForm::default()
    });
    Ok(Template::render(
        "staff/canned_responses",
        context! {
            layout: layout.staff(&me),
            responses,
            error,
            typed: context! { title: typed.title, body: typed.body, active: typed.active },
        },
    ))
}

#[get("/staff/odpowiedzi")]
async fn list(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    page(app, &cookie, layout, None, None).await
}

/// A saved response goes back to the list with a flash; a refused one shows the form again.
async fn answer(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    result: Result<&'static str, CannedError>,
    typed: Option<CannedForm>,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let lang = layout.lang();
    match result {
        Ok(done) => Ok(Either::Left(Flash::success(
            Redirect::to("/staff/odpowiedzi"),
            i18n::text(lang, done),
        ))),
        Err(CannedError::NotFound) => Err(Status::NotFound),
        Err(CannedError::Database(e)) => Err(server_error(&e)),
        Err(error) => {
            let message = canned_error(lang, &error);
            Ok(Either::Right((
                Status::UnprocessableEntity,
                page(app, cookie, layout, Some(message), typed).await?,
            )))
        }
    }
}

#[post("/staff/odpowiedzi", data = "<form>")]
async fn create(
    form: Protected<CannedFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let input = form.form();
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::HandleTickets)
        .attempt(move |conn, cx| canned::create(conn, &cx.actor(), &input, cx.now))
        .await?;
    let result = result.map(|_| "tickets-canned-flash-created");
    answer(app, &cookie, layout, result, Some(form.form())).await
}

#[post("/staff/odpowiedzi/<id>", data = "<form>")]
async fn update(
    id: i64,
    form: Protected<CannedFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let input = form.form();
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::HandleTickets)
        .attempt(move |conn, cx| canned::update(conn, &cx.actor(), id, &input, cx.now))
        .await?;
    let result = result.map(|()| "tickets-canned-flash-saved");
    answer(app, &cookie, layout, result, None).await
}
