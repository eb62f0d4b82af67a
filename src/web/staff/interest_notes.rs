//! `/staff/windykacja/noty`: customers who paid invoices late with the statutory interest each
//! invoice earned, "issue the note" per customer (every late-paid invoice not yet on a note),
//! the notes issued lately, and each note's stored PDF. Billing staff.

use crate::domain::CustomerId;
use rocket::form::FromForm;
use rocket::http::{ContentType, Status};
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::App;
use crate::app::interest_notes::{self, NoteError};
use crate::app::staff_roles::Permission;
use crate::i18n::{self, Lang};
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::StaffCookie;
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![list, issue, pdf, save_eur_rate]
}

const PAGE: &str = "/staff/windykacja/noty";

#[derive(Debug, FromForm)]
pub struct IssueFields {
    #[field(default = String::new())]
    customer_number: String,
    #[field(default = String::new())]
    csrf_token: String,
}

#[derive(Debug, FromForm)]
pub struct EurRateFields {
    #[field(default = String::new())]
    valid_on: String,
    #[field(default = String::new())]
    rate: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for EurRateFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl CsrfForm for IssueFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

async fn page(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    error: Option<String>,
) -> Result<Template, Status> {
    let (me, (pending, latest, eur_rates)) = app
        .staff(cookie)
        .needs(Permission::ManagePayments)
        .run(|conn, _| {
            let pending = interest_notes::pending(conn)?;
            let latest = interest_notes::latest(conn)?;
            let eur_rates: Vec<_> = interest_notes::eur_rates(conn)?
                .into_iter()
                .map(|(valid_on, e4)| {
                    let rate = rust_decimal::Decimal::new(e4, 4);
                    context! { valid_on, rate: rate.to_string().replace('.', ",") }
                })
                .collect();
            Ok::<_, NoteError>((pending, latest, eur_rates))
        })
        .await?;
    let latest: Vec<_> = latest
        .into_iter()
        .map(|(note, customer_number)| context! { note, customer_number })
        .collect();
    Ok(Template::render(
        "staff/interest_notes",
        context! { layout: layout.staff(&me), pending, latest, eur_rates, error },
    ))
}

#[get("/staff/windykacja/noty")]
async fn list(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    page(app, &cookie, layout, None).await
}

fn refusal(lang: Lang, error: &NoteError) -> Option<String> {
    let key = match error {
        NoteError::NothingToBill => "interest-note-error-nothing",
        NoteError::NoCustomer => "interest-note-error-customer",
        NoteError::Rate(_) => "interest-note-error-rate",
        NoteError::NoEurRate(_) => "interest-note-error-eur-missing",
        NoteError::BadEurRate => "interest-note-error-eur-rate",
        NoteError::Storage(_) | NoteError::Database(_) => return None,
    };
    Some(i18n::text(lang, key))
}

#[post("/staff/windykacja/noty", data = "<form>")]
async fn issue(
    form: Protected<IssueFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let lang = layout.lang();
    let number = form.customer_number.trim().parse::<i64>().ok();
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .attempt(move |conn, cx| {
            let Some(number) = number else {
                return Err(NoteError::NoCustomer);
            };
            let documents = cx.documents();
            interest_notes::issue(
                conn,
                &documents.renderer,
                &documents.store,
                number,
                &cx.actor(),
                cx.today,
                cx.now,
            )
        })
        .await?;
    match result {
        Ok(note) => Ok(Either::Left(Flash::success(
            Redirect::to(PAGE),
            i18n::text_with(
                lang,
                "interest-note-issued",
                &[("number", note.number.into())],
            ),
        ))),
        Err(error) => match refusal(lang, &error) {
            Some(message) => Ok(Either::Right((
                Status::UnprocessableEntity,
                page(app, &cookie, layout, Some(message)).await?,
            ))),
            None => Err(server_error(&error)),
        },
    }
}

#[get("/staff/windykacja/noty/<customer_id>/<id>")]
async fn pdf(
    customer_id: CustomerId,
    id: i64,
    app: &State<App>,
    cookie: StaffCookie,
) -> Result<(ContentType, Vec<u8>), Status> {
    let (_, found) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .run(move |conn, cx| interest_notes::pdf_of(conn, &cx.documents().store, customer_id, id))
        .await?;
    let found = found.ok_or(Status::NotFound)?;
    let bytes = found.bytes.map_err(|e| server_error(&e))?;
    Ok((ContentType::PDF, bytes))
}

/// The NBP EUR rates are the central bank's figures, not a price list: admins only.
#[post("/staff/windykacja/noty/kursy", data = "<form>")]
async fn save_eur_rate(
    form: Protected<EurRateFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let lang = layout.lang();
    let (day, rate) = (form.valid_on.clone(), form.rate.clone());
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::ConfigureInvoicing)
        .attempt(move |conn, cx| {
            interest_notes::save_eur_rate(conn, &day, &rate, &cx.actor(), cx.now)
        })
        .await?;
    match result {
        Ok(()) => Ok(Either::Left(Flash::success(
            Redirect::to(PAGE),
            i18n::text(lang, "interest-note-eur-saved"),
        ))),
        Err(error) => match refusal(lang, &error) {
            Some(message) => Ok(Either::Right((
                Status::UnprocessableEntity,
                page(app, &cookie, layout, Some(message)).await?,
            ))),
            None => Err(server_error(&error)),
        },
    }
}
