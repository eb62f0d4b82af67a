//! `/zgloszenia`: the subscriber's tickets — list, new ticket with attachments, thread with
//! reply, close and reopen, attachment downloads. Every lookup is scoped to the signed-in
//! customer; another customer's ticket id is a 404 and changes nothing.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::fs::TempFile;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::App;
use crate::app::access::Area;
use crate::app::sessions::CustomerSession;
use crate::app::tickets::TicketError;
use crate::app::tickets::customer::{self, NewTicketForm};
use crate::domain::StoredWord;
use crate::domain::tickets::{MAX_ATTACHMENTS, TicketCategory};
use crate::i18n;
use crate::web::csrf::{CsrfForm, Protected, TokenOnly};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::{CustomerCookie, language};
use crate::web::ticket_errors::ticket_error;
use crate::web::uploads::{AttachmentDownload, read_uploads};

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

#[get("/zgloszenia")]
async fn list(
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, tickets) = app
        .customer(&cookie)
        .needs(Area::Tickets)
        .run(|conn, cx| customer::list(conn, cx.customer_id()))
        .await?;
    Ok(Template::render(
        "customer/tickets",
        context! { layout: layout.signed_in(&me), tickets },
    ))
}

async fn form_page(
    app: &App,
    cookie: &CustomerCookie,
    layout: LayoutDraft,
    typed: NewTicketForm,
    error: Option<String>,
) -> Result<Template, Status> {
    let (me, services) = app
        .customer(cookie)
        .needs(Area::Tickets)
        .run(|conn, cx| customer::services(conn, cx.customer_id()))
        .await?;
    let categories: Vec<&str> = TicketCategory::ALL.iter().map(|c| c.as_str()).collect();
    Ok(Template::render(
        "customer/ticket_new",
        context! {
            layout: layout.signed_in(&me),
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
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
    kategoria: Option<&str>,
) -> Result<Template, Status> {
    let category = kategoria
        .and_then(TicketCategory::parse)
        .map(|c| c.as_str().to_owned())
        .unwrap_or_default();
    let typed = NewTicketForm {
        category,
        ..NewTicketForm::default()
    };
    form_page(app, &cookie, layout, typed, None).await
}

#[post("/zgloszenia/nowe", data = "<form>")]
async fn create(
    form: Protected<NewTicketFields<'_>>,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Answer {
    let uploads = read_uploads(&form.attachments)
        .await
        .map_err(|e| server_error(&e))?;
    let input = form.form();
    let (me, result) = app
        .customer(&cookie)
        .needs(Area::Tickets)
        .attempt(move |conn, cx| {
            let store = cx.attachments();
            customer::open(
                conn,
                store,
                &cx.actor(),
                cx.customer_id(),
                &input,
                uploads,
                cx.now,
            )
        })
        .await?;
    let lang = language(&me);
    match result {
        Ok(id) => Ok(Either::Left(Flash::success(
            Redirect::to(format!("/zgloszenia/{id}")),
            i18n::text(lang, "tickets-flash-opened"),
        ))),
        Err(error) if error.is_internal() => Err(server_error(&error)),
        Err(error) => Ok(Either::Right((
            Status::UnprocessableEntity,
            form_page(
                app,
                &cookie,
                layout,
                form.form(),
                Some(ticket_error(lang, &error)),
            )
            .await?,
        ))),
    }
}

/// A reply that was refused, shown again under the thread with its problem.
#[derive(Default)]
struct Typed {
    error: Option<String>,
    reply: String,
}

async fn ticket_page(
    app: &App,
    cookie: &CustomerCookie,
    layout: LayoutDraft,
    id: i64,
    typed: Typed,
) -> Result<Template, Status> {
    let (me, view) = app
        .customer(cookie)
        .needs(Area::Tickets)
        .run(move |conn, cx| customer::detail(conn, cx.customer_id(), id, cx.now))
        .await?;
    let view = view.ok_or(Status::NotFound)?;
    let Typed {
        error,
        reply: typed_reply,
    } = typed;
    Ok(Template::render(
        "customer/ticket",
        context! {
            layout: layout.signed_in(&me),
            view,
            error,
            typed_reply,
            max_files: MAX_ATTACHMENTS,
        },
    ))
}

#[get("/zgloszenia/<id>")]
async fn detail(
    id: i64,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    ticket_page(app, &cookie, layout, id, Typed::default()).await
}

#[post("/zgloszenia/<id>/odpowiedz", data = "<form>")]
async fn reply(
    id: i64,
    form: Protected<ReplyFields<'_>>,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Answer {
    let uploads = read_uploads(&form.attachments)
        .await
        .map_err(|e| server_error(&e))?;
    let body = form.body.clone();
    let (me, result) = app
        .customer(&cookie)
        .needs(Area::Tickets)
        .attempt(move |conn, cx| {
            customer::reply(
                conn,
                cx.attachments(),
                cx.mail(),
                &cx.actor(),
                cx.customer_id(),
                id,
                &body,
                uploads,
                cx.now,
            )
        })
        .await?;
    let lang = language(&me);
    match result {
        Ok(()) => Ok(Either::Left(Flash::success(
            Redirect::to(format!("/zgloszenia/{id}")),
            i18n::text(lang, "tickets-flash-replied"),
        ))),
        Err(TicketError::NotFound) => Err(Status::NotFound),
        Err(error) if error.is_internal() => Err(server_error(&error)),
        Err(error) => {
            let typed = Typed {
                error: Some(ticket_error(lang, &error)),
                reply: form.body.clone(),
            };
            Ok(Either::Right((
                Status::UnprocessableEntity,
                ticket_page(app, &cookie, layout, id, typed).await?,
            )))
        }
    }
}

/// Close and reopen answer with a redirect back to the thread and a flash either way.
fn after_change(
    id: i64,
    me: &CustomerSession,
    result: Result<(), TicketError>,
    done: &str,
) -> Result<Flash<Redirect>, Status> {
    let lang = language(me);
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
    app: &State<App>,
    cookie: CustomerCookie,
) -> Result<Flash<Redirect>, Status> {
    let (me, result) = app
        .customer(&cookie)
        .needs(Area::Tickets)
        .attempt(move |conn, cx| customer::close(conn, &cx.actor(), cx.customer_id(), id, cx.now))
        .await?;
    after_change(id, &me, result, "tickets-flash-closed")
}

#[post("/zgloszenia/<id>/otworz", data = "<_form>")]
async fn reopen(
    id: i64,
    _form: Protected<TokenOnly>,
    app: &State<App>,
    cookie: CustomerCookie,
) -> Result<Flash<Redirect>, Status> {
    let (me, result) = app
        .customer(&cookie)
        .needs(Area::Tickets)
        .attempt(move |conn, cx| customer::reopen(conn, &cx.actor(), cx.customer_id(), id, cx.now))
        .await?;
    after_change(id, &me, result, "tickets-flash-reopened")
}

#[get("/zgloszenia/<id>/zalaczniki/<attachment_id>")]
async fn attachment(
    id: i64,
    attachment_id: i64,
    app: &State<App>,
    cookie: CustomerCookie,
) -> Result<AttachmentDownload, Status> {
    let (_, file) = app
        .customer(&cookie)
        .needs(Area::Tickets)
        .run(move |conn, cx| {
            customer::attachment(conn, cx.attachments(), cx.customer_id(), id, attachment_id)
        })
        .await?;
    let file = file.ok_or(Status::NotFound)?;
    Ok(AttachmentDownload::new(file))
}
