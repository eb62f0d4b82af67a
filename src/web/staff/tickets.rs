//! `/staff/tickets`: the support queue and the ticket view. Reading needs `ViewCustomers`, acting
//! needs `HandleTickets`, and staff-only notes need `ReadInternalNotes` (see `staff_roles`).

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::audit::Actor;
use crate::app::clock;
use crate::app::staff_roles::Permission;
use crate::app::tickets::staff::{self, QueueQuery};
use crate::app::tickets::{AttachmentStore, TicketError, canned};
use crate::domain::tickets::{TicketCategory, TicketStatus};
use crate::i18n::{self, Lang};
use crate::web::client_ip::ClientIp;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::mailing::{Mailing, OutboxSignal};
use crate::web::page::Layout;
use crate::web::session::CurrentStaff;
use crate::web::ticket_errors::ticket_error;
use crate::web::uploads::AttachmentDownload;
use crate::web::{Db, server_error};

pub fn routes() -> Vec<Route> {
    routes![
        queue,
        detail,
        reply,
        note,
        change_status,
        assign,
        attachment
    ]
}

fn actor(staff: &CurrentStaff, ip: &ClientIp) -> Actor {
    Actor::staff(staff.staff.id, ip.0.map(|ip| ip.to_string()))
}

fn statuses() -> Vec<&'static str> {
    TicketStatus::ALL.iter().map(|s| s.as_str()).collect()
}

fn categories() -> Vec<&'static str> {
    TicketCategory::ALL.iter().map(|c| c.as_str()).collect()
}

/// `?status=&category=&assignee=&older_than=&customer=`; empty or unknown values mean "any".
#[derive(Debug, FromForm, Default)]
pub struct QueueParams {
    status: Option<String>,
    category: Option<String>,
    assignee: Option<String>,
    older_than: Option<String>,
    customer: Option<String>,
}

impl QueueParams {
    fn query(&self) -> QueueQuery {
        let some = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        QueueQuery {
            status: some(&self.status),
            category: some(&self.category),
            assignee: some(&self.assignee),
            older_than_days: some(&self.older_than).and_then(|v| v.parse().ok()),
            customer_id: some(&self.customer).and_then(|v| v.parse().ok()),
        }
    }
}

#[get("/staff/tickets?<params..>")]
async fn queue(
    staff: CurrentStaff,
    layout: Layout,
    db: Db,
    params: QueueParams,
) -> Result<Template, Status> {
    staff.require(Permission::ViewCustomers)?;
    let query = params.query();
    let now = clock::now();
    let filter = query.clone();
    let (tickets, assignees) = db
        .query(move |conn| {
            Ok::<_, diesel::result::Error>((
                staff::queue(conn, &filter, now)?,
                staff::assignees(conn)?,
            ))
        })
        .await?;
    Ok(Template::render(
        "staff/tickets",
        context! {
            layout,
            tickets,
            assignees,
            statuses: statuses(),
            categories: categories(),
            limit: staff::QUEUE_LIMIT,
            selected: context! {
                status: query.status.unwrap_or_default(),
                category: query.category.unwrap_or_default(),
                assignee: query.assignee.unwrap_or_default(),
                older_than: query.older_than_days,
                customer: query.customer_id,
            },
            can_handle: staff.may(Permission::HandleTickets),
        },
    ))
}

async fn ticket_page(
    db: &Db,
    layout: Layout,
    staff: &CurrentStaff,
    id: i64,
    canned_id: Option<i64>,
    error: Option<String>,
    typed_reply: Option<String>,
) -> Result<Template, Status> {
    let internal_notes = staff.may(Permission::ReadInternalNotes);
    let can_handle = staff.may(Permission::HandleTickets);
    let now = clock::now();
    let (view, assignees, canned_responses, canned_body) = db
        .query(move |conn| {
            let view = staff::detail(conn, id, internal_notes, now)?;
            let assignees = staff::assignees(conn)?;
            let (responses, body) = if can_handle {
                let body = match canned_id {
                    Some(canned_id) => canned::body_of(conn, canned_id)?,
                    None => None,
                };
                (canned::list(conn, true)?, body)
            } else {
                (Vec::new(), None)
            };
            Ok::<_, diesel::result::Error>((view, assignees, responses, body))
        })
        .await?;
    let view = view.ok_or(Status::NotFound)?;
    // What the reply box holds: what was typed (after an error), else the chosen canned response.
    let reply_text = typed_reply.or(canned_body).unwrap_or_default();
    Ok(Template::render(
        "staff/ticket",
        context! {
            layout,
            view,
            assignees,
            canned_responses,
            selected_canned: canned_id,
            reply_text,
            error,
            statuses: statuses(),
            internal_notes,
            can_handle,
        },
    ))
}

#[get("/staff/tickets/<id>?<canned>")]
async fn detail(
    id: i64,
    canned: Option<i64>,
    staff: CurrentStaff,
    layout: Layout,
    db: Db,
) -> Result<Template, Status> {
    staff.require(Permission::ViewCustomers)?;
    ticket_page(&db, layout, &staff, id, canned, None, None).await
}

#[derive(Debug, FromForm)]
pub struct TextFields {
    #[field(default = String::new())]
    body: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for TextFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// A use case's answer as a redirect with a flash, or the page again with the error.
async fn answer(
    db: &Db,
    layout: Layout,
    staff: &CurrentStaff,
    lang: Lang,
    id: i64,
    result: Result<&'static str, TicketError>,
    typed: Option<String>,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    match result {
        Ok(done) => Ok(Either::Left(Flash::success(
            Redirect::to(format!("/staff/tickets/{id}")),
            i18n::text(lang, done),
        ))),
        Err(TicketError::NotFound) => Err(Status::NotFound),
        Err(error) if error.is_internal() => Err(server_error(&error)),
        Err(error) => Ok(Either::Right((
            Status::UnprocessableEntity,
            ticket_page(
                db,
                layout,
                staff,
                id,
                None,
                Some(ticket_error(lang, &error)),
                typed,
            )
            .await?,
        ))),
    }
}

#[allow(clippy::too_many_arguments)]
#[post("/staff/tickets/<id>/odpowiedz", data = "<form>")]
async fn reply(
    id: i64,
    form: Protected<TextFields>,
    staff: CurrentStaff,
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
    mailing: &State<Mailing>,
    signal: &State<OutboxSignal>,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    staff.require(Permission::HandleTickets)?;
    let actor = actor(&staff, &ip);
    let body = form.body.clone();
    let mailing = mailing.inner().clone();
    let now = clock::now();
    let result = db
        .run(move |conn| staff::reply(conn, mailing.outgoing(), &actor, id, &body, now))
        .await
        .map_err(|e| server_error(&e))?;
    if matches!(result, Ok(true)) {
        signal.wake();
    }
    let result = result.map(|_| "tickets-flash-staff-replied");
    answer(
        &db,
        layout,
        &staff,
        lang,
        id,
        result,
        Some(form.body.clone()),
    )
    .await
}

#[post("/staff/tickets/<id>/notatka", data = "<form>")]
async fn note(
    id: i64,
    form: Protected<TextFields>,
    staff: CurrentStaff,
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    staff.require(Permission::HandleTickets)?;
    staff.require(Permission::ReadInternalNotes)?;
    let actor = actor(&staff, &ip);
    let body = form.body.clone();
    let now = clock::now();
    let result = db
        .run(move |conn| staff::note(conn, &actor, id, &body, now))
        .await
        .map_err(|e| server_error(&e))?
        .map(|()| "tickets-flash-note-added");
    answer(&db, layout, &staff, lang, id, result, None).await
}

#[derive(Debug, FromForm)]
pub struct StatusFields {
    #[field(default = String::new())]
    status: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for StatusFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/staff/tickets/<id>/status", data = "<form>")]
async fn change_status(
    id: i64,
    form: Protected<StatusFields>,
    staff: CurrentStaff,
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    staff.require(Permission::HandleTickets)?;
    let actor = actor(&staff, &ip);
    let status = form.status.clone();
    let now = clock::now();
    let result = db
        .run(move |conn| staff::change_status(conn, &actor, id, &status, now))
        .await
        .map_err(|e| server_error(&e))?
        .map(|()| "tickets-flash-status-changed");
    answer(&db, layout, &staff, lang, id, result, None).await
}

#[derive(Debug, FromForm)]
pub struct AssignFields {
    /// A staff id, or empty for "nobody".
    #[field(default = String::new())]
    assignee: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for AssignFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/staff/tickets/<id>/przypisz", data = "<form>")]
async fn assign(
    id: i64,
    form: Protected<AssignFields>,
    staff: CurrentStaff,
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    staff.require(Permission::HandleTickets)?;
    let actor = actor(&staff, &ip);
    let typed = form.assignee.trim().to_owned();
    let now = clock::now();
    let result = if typed.is_empty() {
        db.run(move |conn| staff::assign(conn, &actor, id, None, now))
            .await
    } else {
        match typed.parse::<i64>() {
            Ok(staff_id) => {
                db.run(move |conn| staff::assign(conn, &actor, id, Some(staff_id), now))
                    .await
            }
            Err(_) => Ok(Err(TicketError::Assignee)),
        }
    }
    .map_err(|e| server_error(&e))?
    .map(|()| "tickets-flash-assigned");
    answer(&db, layout, &staff, lang, id, result, None).await
}

#[get("/staff/tickets/<id>/zalaczniki/<attachment_id>")]
async fn attachment(
    id: i64,
    attachment_id: i64,
    staff: CurrentStaff,
    db: Db,
    store: &State<AttachmentStore>,
) -> Result<AttachmentDownload, Status> {
    staff.require(Permission::ViewCustomers)?;
    let internal_notes = staff.may(Permission::ReadInternalNotes);
    let store = store.inner().clone();
    let file = db
        .query(move |conn| staff::attachment(conn, &store, id, attachment_id, internal_notes))
        .await?
        .ok_or(Status::NotFound)?;
    Ok(AttachmentDownload::new(file))
}
