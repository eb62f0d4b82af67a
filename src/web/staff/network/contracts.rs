//! A customer's contracts: `/staff/klienci/<customer>/umowy[/<id>]`.

use crate::domain::CustomerId;
use crate::web::views::Template;
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::{Route, State, get, post, routes};

use super::{RecordPage, Saved, editor, save};
use crate::app::App;
use crate::app::staff::network_records::{ContractForm, Contracts};
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::LayoutDraft;
use crate::web::session::StaffCookie;
use crate::web::staff::forms::StaffPage;

pub fn routes() -> Vec<Route> {
    routes![new, edit, create, update]
}

impl RecordPage for Contracts {
    const TEMPLATE: &'static str = "staff/contract_form";
    const FIELDS: &'static [&'static str] = &CONTRACT_FIELDS;
}

const CONTRACT_FIELDS: [&str; 13] = [
    "number",
    "tariff_id",
    "signed_on",
    "starts_on",
    "ends_on",
    "term_months",
    "after_term",
    "monthly_fee",
    "billing_day",
    "install_address_line",
    "install_postal_code",
    "install_city",
    "status",
];

#[derive(Debug, FromForm)]
pub struct ContractFields {
    #[field(default = String::new())]
    number: String,
    #[field(default = String::new())]
    tariff_id: String,
    #[field(default = String::new())]
    signed_on: String,
    #[field(default = String::new())]
    starts_on: String,
    #[field(default = String::new())]
    ends_on: String,
    #[field(default = String::new())]
    term_months: String,
    #[field(default = String::new())]
    after_term: String,
    #[field(default = String::new())]
    monthly_fee: String,
    #[field(default = String::new())]
    billing_day: String,
    #[field(default = String::new())]
    install_address_line: String,
    #[field(default = String::new())]
    install_postal_code: String,
    #[field(default = String::new())]
    install_city: String,
    #[field(default = String::new())]
    status: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for ContractFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl ContractFields {
    fn form(&self) -> ContractForm {
        ContractForm {
            number: self.number.clone(),
            tariff_id: self.tariff_id.clone(),
            signed_on: self.signed_on.clone(),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            term_months: self.term_months.clone(),
            after_term: self.after_term.clone(),
            monthly_fee: self.monthly_fee.clone(),
            billing_day: self.billing_day.clone(),
            install_address_line: self.install_address_line.clone(),
            install_postal_code: self.install_postal_code.clone(),
            install_city: self.install_city.clone(),
            status: self.status.clone(),
        }
    }
}

#[get("/staff/klienci/<customer_id>/umowy/nowa")]
async fn new(
    customer_id: CustomerId,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    editor::<Contracts>(app, &cookie, layout, (customer_id, None), None).await
}

#[get("/staff/klienci/<customer_id>/umowy/<id>", rank = 2)]
async fn edit(
    customer_id: CustomerId,
    id: i64,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    editor::<Contracts>(app, &cookie, layout, (customer_id, Some(id)), None).await
}

#[post("/staff/klienci/<customer_id>/umowy", data = "<fields>")]
async fn create(
    customer_id: CustomerId,
    fields: Protected<ContractFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Saved, Status> {
    save::<Contracts>(app, &cookie, layout, (customer_id, None), fields.form()).await
}

#[post("/staff/klienci/<customer_id>/umowy/<id>", data = "<fields>")]
async fn update(
    customer_id: CustomerId,
    id: i64,
    fields: Protected<ContractFields>,
    app: &State<App>,
    page: StaffPage,
) -> Result<Saved, Status> {
    let (ids, form) = ((customer_id, Some(id)), fields.form());
    save::<Contracts>(app, &page.cookie, page.layout, ids, form).await
}
