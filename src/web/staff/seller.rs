//! `/staff/sprzedawca`: the ISP's own data on invoices. Admins only.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use super::forms::field_messages;
use crate::app::App;
use crate::app::staff::FieldErrors;
use crate::app::staff::seller_settings::{self, SellerError, SellerForm};
use crate::app::staff_roles::Permission;
use crate::i18n::text;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::{Layout, LayoutDraft};
use crate::web::server_error;
use crate::web::session::StaffCookie;

pub fn routes() -> Vec<Route> {
    routes![show, update]
}

const FIELDS: [&str; 13] = [
    "name",
    "short_name",
    "nip",
    "regon",
    "address_line",
    "postal_code",
    "city",
    "email",
    "phone",
    "website",
    "bank_name",
    "bank_account",
    "account_prefix",
];

fn page(layout: Layout, form: &SellerForm, errors: Option<&FieldErrors>) -> Template {
    let errors = field_messages(layout.lang, errors, &FIELDS);
    Template::render("staff/seller", context! { layout, form, errors })
}

#[get("/staff/sprzedawca")]
async fn show(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, form) = app
        .staff(&cookie)
        .needs(Permission::ConfigureInvoicing)
        .run(|conn, _| seller_settings::load(conn))
        .await?;
    Ok(page(layout.staff(&me), &form, None))
}

#[derive(Debug, FromForm)]
pub struct SellerFields {
    #[field(default = String::new())]
    name: String,
    #[field(default = String::new())]
    short_name: String,
    #[field(default = String::new())]
    nip: String,
    #[field(default = String::new())]
    regon: String,
    #[field(default = String::new())]
    address_line: String,
    #[field(default = String::new())]
    postal_code: String,
    #[field(default = String::new())]
    city: String,
    #[field(default = String::new())]
    email: String,
    #[field(default = String::new())]
    phone: String,
    #[field(default = String::new())]
    website: String,
    #[field(default = String::new())]
    bank_name: String,
    #[field(default = String::new())]
    bank_account: String,
    #[field(default = String::new())]
    account_prefix: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for SellerFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl SellerFields {
    fn form(&self) -> SellerForm {
        SellerForm {
            name: self.name.clone(),
            short_name: self.short_name.clone(),
            nip: self.nip.clone(),
            regon: self.regon.clone(),
            address_line: self.address_line.clone(),
            postal_code: self.postal_code.clone(),
            city: self.city.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            website: self.website.clone(),
            bank_name: self.bank_name.clone(),
            bank_account: self.bank_account.clone(),
            account_prefix: self.account_prefix.clone(),
        }
    }
}

#[post("/staff/sprzedawca", data = "<fields>")]
async fn update(
    fields: Protected<SellerFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let form = fields.form();
    let input = form.clone();
    let (me, result) = app
        .staff(&cookie)
        .needs(Permission::ConfigureInvoicing)
        .attempt(move |conn, cx| seller_settings::update(conn, &input, &cx.actor(), cx.now))
        .await?;
    let layout = layout.staff(&me);
    match result {
        Ok(()) => Ok(Either::Left(Flash::success(
            Redirect::to("/staff/sprzedawca"),
            text(layout.lang, "staff-seller-saved"),
        ))),
        Err(SellerError::Fields(errors)) => Ok(Either::Right((
            Status::UnprocessableEntity,
            page(layout, &form, Some(&errors)),
        ))),
        Err(error) => Err(server_error(&error)),
    }
}
