//! `/staff/odpowiedzi`: the canned responses staff insert into replies.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, get, post, routes};

use crate::app::audit::Actor;
use crate::app::clock;
use crate::app::staff_roles::Permission;
use crate::app::tickets::canned::{self, CannedError, CannedForm};
use crate::i18n::{self, Lang};
use crate::web::client_ip::ClientIp;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::Layout;
use crate::web::session::CurrentStaff;
use crate::web::ticket_errors::canned_error;
use crate::web::{Db, server_error};

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
    db: &Db,
    layout: Layout,
    error: Option<String>,
    typed: Option<CannedForm>,
) -> Result<Template, Status> {
    let responses = db.query(|conn| canned::list(conn, false)).await?;
    let typed = typed.unwrap_or(CannedForm {
        active: true,
        ..CannedForm::default()
    });
    Ok(Template::render(
        "staff/canned_responses",
        context! {
            layout,
            responses,
            error,
            typed: context! { title: typed.title, body: typed.body, active: typed.active },
        },
    ))
}

#[get("/staff/odpowiedzi")]
async fn list(staff: CurrentStaff, layout: Layout, db: Db) -> Result<Template, Status> {
    staff.require(Permission::HandleTickets)?;
    page(&db, layout, None, None).await
}

async fn answer(
    db: &Db,
    layout: Layout,
    lang: Lang,
    result: Result<&'static str, CannedError>,
    typed: Option<CannedForm>,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    match result {
        Ok(done) => Ok(Either::Left(Flash::success(
            Redirect::to("/staff/odpowiedzi"),
            i18n::text(lang, done),
        ))),
        Err(CannedError::NotFound) => Err(Status::NotFound),
        Err(CannedError::Database(e)) => Err(server_error(&e)),
        Err(error) => Ok(Either::Right((
            Status::UnprocessableEntity,
            page(db, layout, Some(canned_error(lang, &error)), typed).await?,
        ))),
    }
}

#[post("/staff/odpowiedzi", data = "<form>")]
async fn create(
    form: Protected<CannedFields>,
    staff: CurrentStaff,
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    staff.require(Permission::HandleTickets)?;
    let actor = Actor::staff(staff.staff.id, ip.0.map(|ip| ip.to_string()));
    let input = form.form();
    let now = clock::now();
    let result = db
        .run(move |conn| canned::create(conn, &actor, &input, now))
        .await
        .map_err(|e| server_error(&e))?
        .map(|_| "tickets-canned-flash-created");
    answer(&db, layout, lang, result, Some(form.form())).await
}

#[post("/staff/odpowiedzi/<id>", data = "<form>")]
async fn update(
    id: i64,
    form: Protected<CannedFields>,
    staff: CurrentStaff,
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    staff.require(Permission::HandleTickets)?;
    let actor = Actor::staff(staff.staff.id, ip.0.map(|ip| ip.to_string()));
    let input = form.form();
    let now = clock::now();
    let result = db
        .run(move |conn| canned::update(conn, &actor, id, &input, now))
        .await
        .map_err(|e| server_error(&e))?
        .map(|()| "tickets-canned-flash-saved");
    answer(&db, layout, lang, result, None).await
}
