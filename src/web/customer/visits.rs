//! `/wizyty`: the subscriber's technician visits. Book one (from a fault ticket or a service
//! page too), move it while it is early enough, cancel it (the page states what that costs).

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::App;
use crate::app::access::Area;
use crate::app::visits::booking::{self, BookingRequest};
use crate::app::visits::{Effects, VisitError};
use crate::i18n::{self, Lang};
use crate::web::csrf::{CsrfForm, Protected, TokenOnly};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::{CustomerCookie, language};
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![list, new_page, book, show, reschedule, cancel]
}

type Answer = Either<Flash<Redirect>, (Status, Template)>;

/// A person's message for a refusal; the server's own failures become 500.
fn message(lang: Lang, error: &VisitError) -> Result<String, Status> {
    match error.message_key() {
        Some(key) => Ok(i18n::text(lang, key)),
        None => Err(server_error(error)),
    }
}

#[get("/wizyty")]
async fn list(
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, visits) = app
        .customer(&cookie)
        .needs(Area::Services)
        .run(|conn, cx| booking::list(conn, cx.customer_id(), cx.now))
        .await?;
    Ok(Template::render(
        "customer/visits",
        context! { layout: layout.signed_in(&me), visits },
    ))
}

/// What was typed, sent back with the problem.
#[derive(Debug, Default, serde::Serialize)]
struct Typed {
    phone: Option<String>,
    access_notes: String,
    slot: String,
    errors: std::collections::BTreeMap<String, String>,
}

/// What the booking page is opened for: a visit kind, and the fault ticket or service it is about.
#[derive(Debug, Clone, Copy, Default)]
struct BookingFor {
    kind: Option<i64>,
    ticket: Option<i64>,
    service: Option<i64>,
}

/// The booking page; `refused` carries the message and what was typed when a booking was not taken.
async fn booking_page(
    app: &App,
    cookie: &CustomerCookie,
    layout: LayoutDraft,
    asked: BookingFor,
    refused: Option<(String, Typed)>,
) -> Result<(Status, Template), Status> {
    let BookingFor {
        kind,
        ticket,
        service,
    } = asked;
    let (error, typed) = match refused {
        Some((error, typed)) => (Some(error), typed),
        None => (None, Typed::default()),
    };
    let (me, page) = app
        .customer(cookie)
        .needs(Area::Services)
        .attempt(move |conn, cx| {
            booking::booking_page(conn, cx.customer_id(), kind, ticket, service, cx.now)
        })
        .await?;
    let lang = language(&me);
    let page = match page {
        Ok(page) => page,
        // Another customer's ticket or service: the same answer as one that does not exist.
        Err(VisitError::NotYourTicket | VisitError::NotYourService) => {
            return Err(Status::NotFound);
        }
        Err(error) => return Err(server_error(&error)),
    };
    let problem = page.problem.map(|key| i18n::text(lang, key));
    let phone = typed.phone.clone().unwrap_or_else(|| page.phone.clone());
    let status = if error.is_some() {
        Status::UnprocessableEntity
    } else {
        Status::Ok
    };
    Ok((
        status,
        Template::render(
            "customer/visit_new",
            context! { layout: layout.signed_in(&me), page, problem, error, typed, phone },
        ),
    ))
}

/// What a booking link asks for: a kind of visit (`rodzaj`), for a ticket (`zgloszenie`) or a
/// service (`usluga`); each optional.
#[derive(Debug, Default, FromForm)]
struct BookingQuery {
    rodzaj: Option<i64>,
    zgloszenie: Option<i64>,
    usluga: Option<i64>,
}

#[get("/wizyty/nowa?<query..>")]
async fn new_page(
    query: BookingQuery,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<(Status, Template), Status> {
    let asked = BookingFor {
        kind: query.rodzaj,
        ticket: query.zgloszenie,
        service: query.usluga,
    };
    booking_page(app, &cookie, layout, asked, None).await
}

#[derive(Debug, FromForm)]
pub struct BookFields {
    #[field(default = String::new())]
    kind_id: String,
    #[field(default = String::new())]
    slot: String,
    #[field(default = String::new())]
    phone: String,
    #[field(default = String::new())]
    access_notes: String,
    #[field(default = String::new())]
    ticket_id: String,
    #[field(default = String::new())]
    service_id: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for BookFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

fn money(amount: crate::domain::Money, lang: Lang) -> String {
    match lang {
        Lang::Pl => amount.to_string(),
        Lang::En => amount.to_english(),
    }
}

fn id(text: &str) -> Option<i64> {
    text.trim().parse().ok()
}

#[post("/wizyty/nowa", data = "<form>")]
async fn book(
    form: Protected<BookFields>,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Answer, Status> {
    let request = BookingRequest {
        kind_id: id(&form.kind_id),
        slot: form.slot.clone(),
        phone: form.phone.clone(),
        access_notes: form.access_notes.clone(),
        ticket_id: id(&form.ticket_id),
        service_id: id(&form.service_id),
    };
    let sent = request.clone();
    let (me, result) = app
        .customer(&cookie)
        .needs(Area::Services)
        .writes()
        .attempt(move |conn, cx| booking::book(conn, cx.customer_id(), &sent, &Effects::of(cx)))
        .await?;
    let lang = language(&me);
    let error = match result {
        Ok(visit) => {
            return Ok(Either::Left(Flash::success(
                Redirect::to(format!("/wizyty/{visit}")),
                i18n::text(lang, "visits-booked"),
            )));
        }
        Err(VisitError::NotYourTicket | VisitError::NotYourService) => {
            return Err(Status::NotFound);
        }
        Err(error) => error,
    };
    let mut typed = Typed {
        phone: Some(request.phone.clone()),
        access_notes: request.access_notes.clone(),
        // A taken slot is not offered again: the fresh list below shows what is still free.
        slot: if matches!(error, VisitError::SlotTaken) {
            String::new()
        } else {
            request.slot.clone()
        },
        ..Typed::default()
    };
    if let VisitError::Invalid(fields) = &error {
        for (field, key) in &fields.0 {
            typed.errors.insert(field.clone(), i18n::text(lang, key));
        }
    }
    let text = message(lang, &error)?;
    let asked = BookingFor {
        kind: request.kind_id,
        ticket: request.ticket_id,
        service: request.service_id,
    };
    let page = booking_page(app, &cookie, layout, asked, Some((text, typed))).await?;
    Ok(Either::Right(page))
}

async fn visit_page(
    app: &App,
    cookie: &CustomerCookie,
    layout: LayoutDraft,
    visit_id: i64,
    error: Option<String>,
) -> Result<(Status, Template), Status> {
    let (me, found) = app
        .customer(cookie)
        .needs(Area::Services)
        .attempt(move |conn, cx| booking::one(conn, cx.customer_id(), visit_id, cx.now))
        .await?;
    let (visit, days) = match found {
        Ok(found) => found,
        Err(VisitError::NotFound) => return Err(Status::NotFound),
        Err(error) => return Err(server_error(&error)),
    };
    let status = if error.is_some() {
        Status::UnprocessableEntity
    } else {
        Status::Ok
    };
    Ok((
        status,
        Template::render(
            "customer/visit",
            context! { layout: layout.signed_in(&me), visit, days, error },
        ),
    ))
}

#[get("/wizyty/<visit_id>")]
async fn show(
    visit_id: i64,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<(Status, Template), Status> {
    visit_page(app, &cookie, layout, visit_id, None).await
}

#[derive(Debug, FromForm)]
pub struct SlotFields {
    #[field(default = String::new())]
    slot: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for SlotFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/wizyty/<visit_id>/zmien", data = "<form>")]
async fn reschedule(
    visit_id: i64,
    form: Protected<SlotFields>,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Answer, Status> {
    let slot = form.slot.clone();
    let (me, result) = app
        .customer(&cookie)
        .needs(Area::Services)
        .writes()
        .attempt(move |conn, cx| {
            booking::reschedule(conn, cx.customer_id(), visit_id, &slot, &Effects::of(cx))
        })
        .await?;
    let lang = language(&me);
    match result {
        Ok(()) => Ok(Either::Left(Flash::success(
            Redirect::to(format!("/wizyty/{visit_id}")),
            i18n::text(lang, "visits-moved"),
        ))),
        Err(VisitError::NotFound) => Err(Status::NotFound),
        Err(error) => {
            let text = message(lang, &error)?;
            Ok(Either::Right(
                visit_page(app, &cookie, layout, visit_id, Some(text)).await?,
            ))
        }
    }
}

#[post("/wizyty/<visit_id>/odwolaj", data = "<_form>")]
async fn cancel(
    visit_id: i64,
    _form: Protected<TokenOnly>,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Answer, Status> {
    let (me, result) = app
        .customer(&cookie)
        .needs(Area::Services)
        .writes()
        .attempt(move |conn, cx| {
            booking::cancel(conn, cx.customer_id(), visit_id, &Effects::of(cx))
        })
        .await?;
    let lang = language(&me);
    match result {
        Ok(fee) if fee.grosze() > 0 => Ok(Either::Left(Flash::success(
            Redirect::to(format!("/wizyty/{visit_id}")),
            i18n::text_with(
                lang,
                "visits-cancelled-fee",
                &[("fee", money(fee, lang).into())],
            ),
        ))),
        Ok(_) => Ok(Either::Left(Flash::success(
            Redirect::to(format!("/wizyty/{visit_id}")),
            i18n::text(lang, "visits-cancelled"),
        ))),
        Err(VisitError::NotFound) => Err(Status::NotFound),
        Err(error) => {
            let text = message(lang, &error)?;
            Ok(Either::Right(
                visit_page(app, &cookie, layout, visit_id, Some(text)).await?,
            ))
        }
    }
}
