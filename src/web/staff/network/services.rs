//! A customer's services: `/staff/klienci/<customer>/uslugi[/<id>]`.

use crate::domain::CustomerId;
use crate::web::views::Template;
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::{Route, State, get, post, routes};

use super::{RecordPage, Saved, editor, save};
use crate::app::App;
use crate::app::staff::network_records::{ServiceForm, Services};
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::LayoutDraft;
use crate::web::session::StaffCookie;
use crate::web::staff::forms::StaffPage;

pub fn routes() -> Vec<Route> {
    routes![new, edit, create, update]
}

impl RecordPage for Services {
    const TEMPLATE: &'static str = "staff/service_form";
    const FIELDS: &'static [&'static str] = &SERVICE_FIELDS;
}

const SERVICE_FIELDS: [&str; 7] = [
    "contract_id",
    "kind",
    "name",
    "status",
    "activated_on",
    "expires_on",
    "monthly_fee",
];

#[derive(Debug, FromForm)]
pub struct ServiceFields {
    #[field(default = String::new())]
    contract_id: String,
    #[field(default = String::new())]
    kind: String,
    #[field(default = String::new())]
    name: String,
    #[field(default = String::new())]
    status: String,
    #[field(default = String::new())]
    activated_on: String,
    #[field(default = String::new())]
    expires_on: String,
    #[field(default = String::new())]
    monthly_fee: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for ServiceFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl ServiceFields {
    fn form(&self) -> ServiceForm {
        ServiceForm {
            contract_id: self.contract_id.clone(),
            kind: self.kind.clone(),
            name: self.name.clone(),
            status: self.status.clone(),
            activated_on: self.activated_on.clone(),
            expires_on: self.expires_on.clone(),
            monthly_fee: self.monthly_fee.clone(),
        }
    }
}

#[get("/staff/klienci/<customer_id>/uslugi/nowa")]
async fn new(
    customer_id: CustomerId,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    editor::<Services>(app, &cookie, layout, (customer_id, None), None).await
}

#[get("/staff/klienci/<customer_id>/uslugi/<id>", rank = 2)]
async fn edit(
    customer_id: CustomerId,
    id: i64,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    editor::<Services>(app, &cookie, layout, (customer_id, Some(id)), None).await
}

#[post("/staff/klienci/<customer_id>/uslugi", data = "<fields>")]
async fn create(
    customer_id: CustomerId,
    fields: Protected<ServiceFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Saved, Status> {
    save::<Services>(app, &cookie, layout, (customer_id, None), fields.form()).await
}

#[post("/staff/klienci/<customer_id>/uslugi/<id>", data = "<fields>")]
async fn update(
    customer_id: CustomerId,
    id: i64,
    fields: Protected<ServiceFields>,
    app: &State<App>,
    page: StaffPage,
) -> Result<Saved, Status> {
    let (ids, form) = ((customer_id, Some(id)), fields.form());
    save::<Services>(app, &page.cookie, page.layout, ids, form).await
}
