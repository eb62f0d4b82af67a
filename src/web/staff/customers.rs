//! `/staff/klienci`: search, the customer card, and creating and editing customers.

use crate::domain::CustomerId;
use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use super::forms::field_messages;
use crate::app::App;
use crate::app::staff::customer_records::{self, CustomerForm, RecordError};
use crate::app::staff::{FieldErrors, customer_card, customer_search};
use crate::app::staff_roles::{Permission, role_allows};
use crate::i18n::text;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::{Layout, LayoutDraft};
use crate::web::server_error;
use crate::web::session::StaffCookie;

pub fn routes() -> Vec<Route> {
    routes![search, card, new_form, create, edit_form, update]
}

const FIELDS: [&str; 16] = [
    "kind",
    "first_name",
    "last_name",
    "company_name",
    "pesel",
    "nip",
    "address_line",
    "postal_code",
    "city",
    "correspondence_address_line",
    "correspondence_postal_code",
    "correspondence_city",
    "email",
    "phone",
    "language",
    "form",
];

#[get("/staff/klienci?<q>")]
async fn search(
    q: Option<String>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Redirect, Template>, Status> {
    let query = q.unwrap_or_default();
    let term = query.clone();
    let (me, results) = app
        .staff(&cookie)
        .needs(Permission::ViewCustomers)
        .run(move |conn, _| customer_search::search(conn, &term))
        .await?;
    // A number, an address or a document points at one customer: go straight to the card.
    if let Some(found) = &results
        && found.kind != "name"
        && found.hits.len() == 1
    {
        return Ok(Either::Left(Redirect::to(format!(
            "/staff/klienci/{}",
            found.hits[0].id
        ))));
    }
    Ok(Either::Right(Template::render(
        "staff/customers",
        context! {
            may_create: role_allows(&me.staff.role, Permission::EditCustomers),
            layout: layout.staff(&me), query, results,
        },
    )))
}

#[get("/staff/klienci/<id>", rank = 2)]
async fn card(
    id: CustomerId,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, card) = app
        .staff(&cookie)
        .needs(Permission::ViewCustomers)
        .run(move |conn, cx| customer_card::load(conn, id, cx.today))
        .await?;
    let card = card.ok_or(Status::NotFound)?;
    let may = |permission| role_allows(&me.staff.role, permission);
    Ok(Template::render(
        "staff/customer_card",
        context! {
            may_edit: may(Permission::EditCustomers),
            may_invoice: may(Permission::IssueInvoices),
            may_tickets: may(Permission::HandleTickets),
            layout: layout.staff(&me), card,
        },
    ))
}

#[derive(Debug, FromForm)]
pub struct CustomerFields {
    #[field(default = String::new())]
    kind: String,
    #[field(default = String::new())]
    first_name: String,
    #[field(default = String::new())]
    last_name: String,
    #[field(default = String::new())]
    company_name: String,
    #[field(default = String::new())]
    pesel: String,
    #[field(default = String::new())]
    nip: String,
    #[field(default = String::new())]
    address_line: String,
    #[field(default = String::new())]
    postal_code: String,
    #[field(default = String::new())]
    city: String,
    #[field(default = String::new())]
    correspondence_address_line: String,
    #[field(default = String::new())]
    correspondence_postal_code: String,
    #[field(default = String::new())]
    correspondence_city: String,
    #[field(default = String::new())]
    email: String,
    #[field(default = String::new())]
    phone: String,
    #[field(default = String::new())]
    language: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for CustomerFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl CustomerFields {
    fn form(&self) -> CustomerForm {
        CustomerForm {
            kind: self.kind.clone(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            company_name: self.company_name.clone(),
            pesel: self.pesel.clone(),
            nip: self.nip.clone(),
            address_line: self.address_line.clone(),
            postal_code: self.postal_code.clone(),
            city: self.city.clone(),
            correspondence_address_line: self.correspondence_address_line.clone(),
            correspondence_postal_code: self.correspondence_postal_code.clone(),
            correspondence_city: self.correspondence_city.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            language: self.language.clone(),
        }
    }
}

fn form_page(
    layout: Layout,
    customer: Option<(CustomerId, Option<String>)>,
    form: &CustomerForm,
    errors: Option<&FieldErrors>,
) -> Template {
    let errors = field_messages(layout.lang, errors, &FIELDS);
    let (customer_id, pesel_last4) = match customer {
        Some((id, last4)) => (Some(id), last4),
        None => (None, None),
    };
    Template::render(
        "staff/customer_form",
        context! { layout, customer_id, pesel_last4, form, errors },
    )
}

#[get("/staff/klienci/nowy")]
async fn new_form(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let me = app
        .staff(&cookie)
        .needs(Permission::EditCustomers)
        .resume()
        .await?;
    let layout = layout.staff(&me);
    let form = CustomerForm {
        kind: "person".into(),
        language: "pl".into(),
        ..CustomerForm::default()
    };
    Ok(form_page(layout, None, &form, None))
}

#[post("/staff/klienci", data = "<fields>")]
async fn create(
    fields: Protected<CustomerFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let form = fields.form();
    let input = form.clone();
    let (me, result) = app
        .staff(&cookie)
        .needs(Permission::EditCustomers)
        .attempt(move |conn, cx| {
            let key = &cx.config().security.pesel_key;
            customer_records::create(conn, key, &input, &cx.actor(), cx.now)
        })
        .await?;
    let layout = layout.staff(&me);
    let lang = layout.lang;
    match result {
        Ok(id) => Ok(Either::Left(Flash::success(
            Redirect::to(format!("/staff/klienci/{id}")),
            text(lang, "staff-customer-created"),
        ))),
        Err(RecordError::Fields(errors)) => Ok(Either::Right((
            Status::UnprocessableEntity,
            form_page(layout, None, &form, Some(&errors)),
        ))),
        Err(RecordError::AccountPrefix(_)) | Err(RecordError::NoSeller) => {
            let mut errors = FieldErrors::default();
            errors.add("form", "staff-error-account-prefix");
            Ok(Either::Right((
                Status::UnprocessableEntity,
                form_page(layout, None, &form, Some(&errors)),
            )))
        }
        Err(error) => Err(server_error(&error)),
    }
}

#[get("/staff/klienci/<id>/edycja")]
async fn edit_form(
    id: CustomerId,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, found) = app
        .staff(&cookie)
        .needs(Permission::EditCustomers)
        .run(move |conn, _| customer_records::edit_form(conn, id))
        .await?;
    let (form, pesel_last4) = found.ok_or(Status::NotFound)?;
    Ok(form_page(
        layout.staff(&me),
        Some((id, pesel_last4)),
        &form,
        None,
    ))
}

#[post("/staff/klienci/<id>", data = "<fields>")]
async fn update(
    id: CustomerId,
    fields: Protected<CustomerFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let form = fields.form();
    let input = form.clone();
    let (me, result) = app
        .staff(&cookie)
        .needs(Permission::EditCustomers)
        .attempt(move |conn, cx| {
            let key = &cx.config().security.pesel_key;
            let updated = customer_records::update(conn, key, id, &input, &cx.actor(), cx.now);
            // The form comes back with the PESEL's last digits, read in the same trip.
            match updated {
                Err(RecordError::Fields(errors)) => {
                    let last4 = customer_records::edit_form(conn, id)
                        .map_err(|e| (RecordError::Database(e), None))?
                        .and_then(|(_, last4)| last4);
                    Err((RecordError::Fields(errors), last4))
                }
                other => other.map_err(|error| (error, None)),
            }
        })
        .await?;
    let layout = layout.staff(&me);
    let lang = layout.lang;
    match result {
        Ok(()) => Ok(Either::Left(Flash::success(
            Redirect::to(format!("/staff/klienci/{id}")),
            text(lang, "staff-customer-saved"),
        ))),
        Err((RecordError::Fields(errors), last4)) => Ok(Either::Right((
            Status::UnprocessableEntity,
            form_page(layout, Some((id, last4)), &form, Some(&errors)),
        ))),
        Err((RecordError::NotFound, _)) => Err(Status::NotFound),
        Err((error, _)) => Err(server_error(&error)),
    }
}
