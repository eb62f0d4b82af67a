//! `/staff/sprzedawca`: the ISP's own data on invoices. Admins only.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, get, post, routes};

use super::forms::{actor, field_messages};
use crate::app::clock;
use crate::app::staff::FieldErrors;
use crate::app::staff::seller_settings::{self, SellerError, SellerForm};
use crate::app::staff_roles::Permission;
use crate::i18n::text;
use crate::web::client_ip::ClientIp;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::Layout;
use crate::web::session::CurrentStaff;
use crate::web::{Db, server_error};

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
async fn show(staff: CurrentStaff, layout: Layout, db: Db) -> Result<Template, Status> {
    staff.require(Permission::ConfigureInvoicing)?;
    let form = db.query(seller_settings::load).await?;
    Ok(page(layout, &form, None))
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
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    staff.require(Permission::ConfigureInvoicing)?;
    let actor = actor(&staff, &ip);
    let form = fields.form();
    let input = form.clone();
    let now = clock::now();
    let result = db
        .run(move |conn| seller_settings::update(conn, &input, &actor, now))
        .await
        .map_err(|e| server_error(&e))?;
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
