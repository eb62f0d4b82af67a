//! `/staff/zmiany-danych`: the queue of profile changes subscribers asked for.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Route, get, post, routes};

use super::forms::actor;
use crate::app::clock;
use crate::app::staff::change_requests::{self, DecisionError};
use crate::app::staff_roles::Permission;
use crate::i18n::{Lang, text};
use crate::web::client_ip::ClientIp;
use crate::web::csrf::{CsrfForm, Protected, TokenOnly};
use crate::web::page::Layout;
use crate::web::session::CurrentStaff;
use crate::web::{Db, server_error};

pub fn routes() -> Vec<Route> {
    routes![queue, approve, reject]
}

const QUEUE: &str = "/staff/zmiany-danych";

#[get("/staff/zmiany-danych")]
async fn queue(staff: CurrentStaff, layout: Layout, db: Db) -> Result<Template, Status> {
    staff.require(Permission::EditCustomers)?;
    let items = db.query(change_requests::queue).await?;
    Ok(Template::render(
        "staff/change_requests",
        context! { layout, items },
    ))
}

fn outcome(
    lang: Lang,
    result: Result<i64, DecisionError>,
    done: &str,
) -> Result<Flash<Redirect>, Status> {
    match result {
        Ok(_) => Ok(Flash::success(Redirect::to(QUEUE), text(lang, done))),
        Err(DecisionError::NotPending) => Ok(Flash::error(
            Redirect::to(QUEUE),
            text(lang, "staff-changes-not-pending"),
        )),
        Err(DecisionError::Invalid(_)) => Ok(Flash::error(
            Redirect::to(QUEUE),
            text(lang, "staff-changes-invalid"),
        )),
        Err(DecisionError::NoteRequired) => Ok(Flash::error(
            Redirect::to(QUEUE),
            text(lang, "staff-changes-note-required"),
        )),
        Err(DecisionError::Database(e)) => Err(server_error(&e)),
    }
}

#[post("/staff/zmiany-danych/<id>/akceptuj", data = "<_form>")]
async fn approve(
    id: i64,
    _form: Protected<TokenOnly>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
) -> Result<Flash<Redirect>, Status> {
    staff.require(Permission::EditCustomers)?;
    let actor = actor(&staff, &ip);
    let staff_id = staff.staff.id;
    let now = clock::now();
    let result = db
        .run(move |conn| change_requests::approve(conn, id, staff_id, &actor, now))
        .await
        .map_err(|e| server_error(&e))?;
    outcome(layout.lang, result, "staff-changes-approved")
}

#[derive(Debug, FromForm)]
pub struct RejectFields {
    #[field(default = String::new())]
    note: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for RejectFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/staff/zmiany-danych/<id>/odrzuc", data = "<form>")]
async fn reject(
    id: i64,
    form: Protected<RejectFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
) -> Result<Flash<Redirect>, Status> {
    staff.require(Permission::EditCustomers)?;
    let actor = actor(&staff, &ip);
    let staff_id = staff.staff.id;
    let note = form.note.clone();
    let now = clock::now();
    let result = db
        .run(move |conn| change_requests::reject(conn, id, staff_id, &note, &actor, now))
        .await
        .map_err(|e| server_error(&e))?;
    outcome(layout.lang, result, "staff-changes-rejected")
}
