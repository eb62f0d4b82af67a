//! `/staff/tickets`: the support queue and the ticket view. Reading needs `ViewCustomers`, acting
//! needs `HandleTickets`, and staff-only notes need `ReadInternalNotes` (see `staff_roles`).

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::App;
use crate::app::sessions::StaffSession;
use crate::app::staff_roles::{Permission, role_allows};
use crate::app::tickets::TicketError;
use crate::app::tickets::staff::{self, QueueQuery, TicketPage};
use crate::domain::StoredWord;
use crate::domain::tickets::{TicketCategory, TicketStatus};
use crate::i18n::{self, Lang};
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::StaffCookie;
use crate::web::ticket_errors::ticket_error;
use crate::web::uploads::AttachmentDownload;

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

fn may(me: &StaffSession, permission: Permission) -> bool {
    role_allows(&me.staff.role, permission)
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
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
    params: QueueParams,
) -> Result<Template, Status> {
    let query = params.query();
    let filter = query.clone();
    let (me, (tickets, assignees)) = app
        .staff(&cookie)
        .needs(Permission::ViewCustomers)
        .run(move |conn, cx| staff::queue_page(conn, &filter, cx.now))
        .await?;
    Ok(Template::render(
        "staff/tickets",
        context! {
            can_handle: may(&me, Permission::HandleTickets),
            layout: layout.staff(&me),
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
        },
    ))
}

/// What the ticket page shows again after a refused action: the message, and what was typed.
#[derive(Default)]
struct Retry {
    error: Option<String>,
    typed_reply: Option<String>,
}

async fn ticket_page(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    (id, canned_id): (i64, Option<i64>),
    retry: Retry,
) -> Result<Template, Status> {
    let (me, page) = app
        .staff(cookie)
        .needs(Permission::ViewCustomers)
        .run(move |conn, cx| {
            let rights = (
                may(cx.me, Permission::ReadInternalNotes),
                may(cx.me, Permission::HandleTickets),
            );
            staff::ticket_page(conn, id, rights, canned_id, cx.now)
        })
        .await?;
    let TicketPage {
        view,
        assignees,
        canned_responses,
        canned_body,
        connections,
    } = page.ok_or(Status::NotFound)?;
    // What the reply box holds: what was typed (after an error), else the chosen canned response.
    let reply_text = retry.typed_reply.or(canned_body).unwrap_or_default();
    Ok(Template::render(
        "staff/ticket",
        context! {
            internal_notes: may(&me, Permission::ReadInternalNotes),
            can_handle: may(&me, Permission::HandleTickets),
            layout: layout.staff(&me),
            view,
            assignees,
            canned_responses,
            selected_canned: canned_id,
            reply_text,
            error: retry.error,
            statuses: statuses(),
            connections,
        },
    ))
}

#[get("/staff/tickets/<id>?<canned>")]
async fn detail(
    id: i64,
    canned: Option<i64>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    ticket_page(app, &cookie, layout, (id, canned), Retry::default()).await
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
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    (id, result): (i64, Result<&'static str, TicketError>),
    typed_reply: Option<String>,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let lang: Lang = layout.lang();
    match result {
        Ok(done) => Ok(Either::Left(Flash::success(
            Redirect::to(format!("/staff/tickets/{id}")),
            i18n::text(lang, done),
        ))),
        Err(TicketError::NotFound) => Err(Status::NotFound),
        Err(error) if error.is_internal() => Err(server_error(&error)),
        Err(error) => {
            let retry = Retry {
                error: Some(ticket_error(lang, &error)),
                typed_reply,
            };
            Ok(Either::Right((
                Status::UnprocessableEntity,
                ticket_page(app, cookie, layout, (id, None), retry).await?,
            )))
        }
    }
}

#[post("/staff/tickets/<id>/odpowiedz", data = "<form>")]
async fn reply(
    id: i64,
    form: Protected<TextFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let body = form.body.clone();
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::HandleTickets)
        .attempt(move |conn, cx| staff::reply(conn, cx.mail(), &cx.actor(), id, &body, cx.now))
        .await?;
    let result = result.map(|_| "tickets-flash-staff-replied");
    answer(app, &cookie, layout, (id, result), Some(form.body.clone())).await
}

#[post("/staff/tickets/<id>/notatka", data = "<form>")]
async fn note(
    id: i64,
    form: Protected<TextFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let body = form.body.clone();
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::HandleTickets)
        .attempt(move |conn, cx| {
            // Notes are staff-only: writing one needs the right to read them too.
            if !may(cx.me, Permission::ReadInternalNotes) {
                return Ok(None);
            }
            staff::note(conn, &cx.actor(), id, &body, cx.now).map(Some)
        })
        .await?;
    let result = result.transpose().ok_or(Status::Forbidden)?;
    let result = result.map(|()| "tickets-flash-note-added");
    answer(app, &cookie, layout, (id, result), None).await
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
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let status = form.status.clone();
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::HandleTickets)
        .attempt(move |conn, cx| staff::change_status(conn, &cx.actor(), id, &status, cx.now))
        .await?;
    let result = result.map(|()| "tickets-flash-status-changed");
    answer(app, &cookie, layout, (id, result), None).await
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
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let typed = form.assignee.trim().to_owned();
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::HandleTickets)
        .attempt(move |conn, cx| {
            // Empty means "nobody"; anything else must be a staff id.
            let assignee = if typed.is_empty() {
                None
            } else {
                Some(typed.parse::<i64>().map_err(|_| TicketError::Assignee)?)
            };
            staff::assign(conn, &cx.actor(), id, assignee, cx.now)
        })
        .await?;
    let result = result.map(|()| "tickets-flash-assigned");
    answer(app, &cookie, layout, (id, result), None).await
}

#[get("/staff/tickets/<id>/zalaczniki/<attachment_id>")]
async fn attachment(
    id: i64,
    attachment_id: i64,
    app: &State<App>,
    cookie: StaffCookie,
) -> Result<AttachmentDownload, Status> {
    let (_, file) = app
        .staff(&cookie)
        .needs(Permission::ViewCustomers)
        .run(move |conn, cx| {
            let internal_notes = may(cx.me, Permission::ReadInternalNotes);
            staff::attachment(conn, cx.attachments(), id, attachment_id, internal_notes)
        })
        .await?;
    Ok(AttachmentDownload::new(file.ok_or(Status::NotFound)?))
}
