//! `/zgloszenia`: the subscriber's tickets — list, new ticket with attachments, thread with
//! reply, close and reopen, attachment downloads. Every lookup is scoped to the signed-in
//! customer; another customer's ticket id is a 404 and changes nothing.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::fs::TempFile;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::access::Area;
use crate::app::audit::Actor;
use crate::app::clock;
use crate::app::tickets::customer::{self, NewTicketForm};
use crate::app::tickets::{AttachmentStore, TicketError};
use crate::domain::tickets::{MAX_ATTACHMENTS, TicketCategory};
use crate::i18n::{self, Lang};
use crate::web::client_ip::ClientIp;
use crate::web::csrf::{CsrfForm, Protected, TokenOnly};
use crate::web::mailing::{Mailing, OutboxSignal};
use crate::web::page::Layout;
use crate::web::session::CurrentCustomer;
use crate::web::ticket_errors::ticket_error;
use crate::web::uploads::{AttachmentDownload, read_uploads};
use crate::web::{Db, server_error};

pub fn routes() -> Vec<Route> {
    routes![
        list, new_form, create, detail, reply, close, reopen, attachment
    ]
}

type Answer = Result<Either<Flash<Redirect>, (Status, Template)>, Status>;

#[derive(Debug, FromForm)]
pub struct NewTicketFields<'r> {
    #[field(default = String::new())]
    category: String,
    #[field(default = String::new())]
    service: String,
    #[field(default = String::new())]
    subject: String,
    #[field(default = String::new())]
    body: String,
    attachments: Vec<TempFile<'r>>,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for NewTicketFields<'_> {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl NewTicketFields<'_> {
    fn form(&self) -> NewTicketForm {
        NewTicketForm {
            category: self.category.trim().to_owned(),
            // "none" or a stray value is "no particular service"; a wrong id is checked below.
            service_id: self.service.trim().parse().ok(),
            subject: self.subject.clone(),
            body: self.body.clone(),
        }
    }
}

#[derive(Debug, FromForm)]
pub struct ReplyFields<'r> {
    #[field(default = String::new())]
    body: String,
    attachments: Vec<TempFile<'r>>,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for ReplyFields<'_> {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

fn actor(customer: &CurrentCustomer, ip: &ClientIp) -> Actor {
    Actor::account(
        customer.account.id,
        customer.customer_id(),
        ip.0.map(|ip| ip.to_string()),
    )
}

#[get("/zgloszenia")]
async fn list(customer: CurrentCustomer, layout: Layout, db: Db) -> Result<Template, Status> {
    customer.require(Area::Tickets)?;
    let customer_id = customer.customer_id();
    let tickets = db
        .query(move |conn| customer::list(conn, customer_id))
        .await?;
    Ok(Template::render(
        "customer/tickets",
        context! { layout, tickets },
    ))
}

async fn form_page(
    db: &Db,
    layout: Layout,
    customer_id: i64,
    typed: NewTicketForm,
    error: Option<String>,
) -> Result<Template, Status> {
    let services = db
        .query(move |conn| customer::services(conn, customer_id))
        .await?;
    let categories: Vec<&str> = TicketCategory::ALL.iter().map(|c| c.as_str()).collect();
    Ok(Template::render(
        "customer/ticket_new",
        context! {
            layout,
            services,
            categories,
            error,
            max_files: MAX_ATTACHMENTS,
            typed: context! {
                category: typed.category,
                service_id: typed.service_id,
                subject: typed.subject,
                body: typed.body,
            },
        },
    ))
}

/// `?kategoria=fault` preselects the category (the dashboard's "report a fault" button).
#[get("/zgloszenia/nowe?<kategoria>")]
async fn new_form(
    customer: CurrentCustomer,
    layout: Layout,
    db: Db,
    kategoria: Option<&str>,
) -> Result<Template, Status> {
    customer.require(Area::Tickets)?;
    let category = kategoria
        .and_then(TicketCategory::parse)
        .map(|c| c.as_str().to_owned())
        .unwrap_or_default();
    let typed = NewTicketForm {
        category,
        ..NewTicketForm::default()
    };
    form_page(&db, layout, customer.customer_id(), typed, None).await
}

#[allow(clippy::too_many_arguments)]
#[post("/zgloszenia/nowe", data = "<form>")]
async fn create(
    form: Protected<NewTicketFields<'_>>,
    customer: CurrentCustomer,
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
    store: &State<AttachmentStore>,
) -> Answer {
    customer.require(Area::Tickets)?;
    let uploads = read_uploads(&form.attachments)
        .await
        .map_err(|e| server_error(&e))?;
    let actor = actor(&customer, &ip);
    let customer_id = customer.customer_id();
    let input = form.form();
    let store = store.inner().clone();
    let now = clock::now();
    let result = db
        .run(move |conn| customer::open(conn, &store, &actor, customer_id, &input, uploads, now))
        .await
        .map_err(|e| server_error(&e))?;
    match result {
        Ok(id) => Ok(Either::Left(Flash::success(
            Redirect::to(format!("/zgloszenia/{id}")),
            i18n::text(lang, "tickets-flash-opened"),
        ))),
        Err(error) if error.is_internal() => Err(server_error(&error)),
        Err(error) => Ok(Either::Right((
            Status::UnprocessableEntity,
            form_page(
                &db,
                layout,
                customer_id,
                form.form(),
                Some(ticket_error(lang, &error)),
            )
            .await?,
        ))),
    }
}

async fn ticket_page(
    db: &Db,
    layout: Layout,
    customer_id: i64,
    id: i64,
    error: Option<String>,
    typed_reply: String,
) -> Result<Template, Status> {
    let now = clock::now();
    let view = db
        .query(move |conn| customer::detail(conn, customer_id, id, now))
        .await?
        .ok_or(Status::NotFound)?;
    Ok(Template::render(
        "customer/ticket",
        context! { layout, view, error, typed_reply, max_files: MAX_ATTACHMENTS },
    ))
}

#[get("/zgloszenia/<id>")]
async fn detail(
    id: i64,
    customer: CurrentCustomer,
    layout: Layout,
    db: Db,
) -> Result<Template, Status> {
    customer.require(Area::Tickets)?;
    ticket_page(&db, layout, customer.customer_id(), id, None, String::new()).await
}

#[allow(clippy::too_many_arguments)]
#[post("/zgloszenia/<id>/odpowiedz", data = "<form>")]
async fn reply(
    id: i64,
    form: Protected<ReplyFields<'_>>,
    customer: CurrentCustomer,
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
    store: &State<AttachmentStore>,
    mailing: &State<Mailing>,
    signal: &State<OutboxSignal>,
) -> Answer {
    customer.require(Area::Tickets)?;
    let uploads = read_uploads(&form.attachments)
        .await
        .map_err(|e| server_error(&e))?;
    let actor = actor(&customer, &ip);
    let customer_id = customer.customer_id();
    let body = form.body.clone();
    let store = store.inner().clone();
    let mailing = mailing.inner().clone();
    let now = clock::now();
    let result = db
        .run(move |conn| {
            customer::reply(
                conn,
                &store,
                mailing.outgoing(),
                &actor,
                customer_id,
                id,
                &body,
                uploads,
                now,
            )
        })
        .await
        .map_err(|e| server_error(&e))?;
    match result {
        Ok(()) => {
            signal.wake();
            Ok(Either::Left(Flash::success(
                Redirect::to(format!("/zgloszenia/{id}")),
                i18n::text(lang, "tickets-flash-replied"),
            )))
        }
        Err(TicketError::NotFound) => Err(Status::NotFound),
        Err(error) if error.is_internal() => Err(server_error(&error)),
        Err(error) => Ok(Either::Right((
            Status::UnprocessableEntity,
            ticket_page(
                &db,
                layout,
                customer_id,
                id,
                Some(ticket_error(lang, &error)),
                form.body.clone(),
            )
            .await?,
        ))),
    }
}

/// Close and reopen answer with a redirect back to the thread and a flash either way.
fn after_change(
    id: i64,
    lang: Lang,
    result: Result<(), TicketError>,
    done: &str,
) -> Result<Flash<Redirect>, Status> {
    let back = Redirect::to(format!("/zgloszenia/{id}"));
    match result {
        Ok(()) => Ok(Flash::success(back, i18n::text(lang, done))),
        Err(TicketError::NotFound) => Err(Status::NotFound),
        Err(error) if error.is_internal() => Err(server_error(&error)),
        Err(error) => Ok(Flash::error(back, ticket_error(lang, &error))),
    }
}

#[post("/zgloszenia/<id>/zamknij", data = "<_form>")]
async fn close(
    id: i64,
    _form: Protected<TokenOnly>,
    customer: CurrentCustomer,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Flash<Redirect>, Status> {
    customer.require(Area::Tickets)?;
    let actor = actor(&customer, &ip);
    let customer_id = customer.customer_id();
    let now = clock::now();
    let result = db
        .run(move |conn| customer::close(conn, &actor, customer_id, id, now))
        .await
        .map_err(|e| server_error(&e))?;
    after_change(id, lang, result, "tickets-flash-closed")
}

#[post("/zgloszenia/<id>/otworz", data = "<_form>")]
async fn reopen(
    id: i64,
    _form: Protected<TokenOnly>,
    customer: CurrentCustomer,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Flash<Redirect>, Status> {
    customer.require(Area::Tickets)?;
    let actor = actor(&customer, &ip);
    let customer_id = customer.customer_id();
    let now = clock::now();
    let result = db
        .run(move |conn| customer::reopen(conn, &actor, customer_id, id, now))
        .await
        .map_err(|e| server_error(&e))?;
    after_change(id, lang, result, "tickets-flash-reopened")
}

#[get("/zgloszenia/<id>/zalaczniki/<attachment_id>")]
async fn attachment(
    id: i64,
    attachment_id: i64,
    customer: CurrentCustomer,
    db: Db,
    store: &State<AttachmentStore>,
) -> Result<AttachmentDownload, Status> {
    customer.require(Area::Tickets)?;
    let customer_id = customer.customer_id();
    let store = store.inner().clone();
    let file = db
        .query(move |conn| customer::attachment(conn, &store, customer_id, id, attachment_id))
        .await?
        .ok_or(Status::NotFound)?;
    Ok(AttachmentDownload::new(file))
}
