//! `/staff/zmiany-danych`: the queue of profile changes subscribers asked for.

use crate::domain::CustomerId;
use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use crate::app::App;
use crate::app::staff::change_requests::{self, DecisionError};
use crate::app::staff_roles::Permission;
use crate::i18n::{Lang, text};
use crate::web::csrf::{CsrfForm, Protected, TokenOnly};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::StaffCookie;

pub fn routes() -> Vec<Route> {
    routes![queue, approve, reject]
}

const QUEUE: &str = "/staff/zmiany-danych";

#[get("/staff/zmiany-danych")]
async fn queue(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, items) = app
        .staff(&cookie)
        .needs(Permission::EditCustomers)
        .run(|conn, _| change_requests::queue(conn))
        .await?;
    Ok(Template::render(
        "staff/change_requests",
        context! { layout: layout.staff(&me), items },
    ))
}

fn outcome(
    lang: Lang,
    result: Result<CustomerId, DecisionError>,
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
    app: &State<App>,
    cookie: StaffCookie,
    lang: Lang,
) -> Result<Flash<Redirect>, Status> {
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::EditCustomers)
        .attempt(move |conn, cx| {
            change_requests::approve(conn, id, cx.me.staff.id, &cx.actor(), cx.now)
        })
        .await?;
    outcome(lang, result, "staff-changes-approved")
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
    app: &State<App>,
    cookie: StaffCookie,
    lang: Lang,
) -> Result<Flash<Redirect>, Status> {
    let note = form.note.clone();
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::EditCustomers)
        .attempt(move |conn, cx| {
            change_requests::reject(conn, id, cx.me.staff.id, &note, &cx.actor(), cx.now)
        })
        .await?;
    outcome(lang, result, "staff-changes-rejected")
}
