//! A customer's endpoints (where a service is delivered: address, IP, MAC, PPPoE):
//! `/staff/klienci/<customer>/punkty[/<id>]`.

use crate::domain::CustomerId;
use crate::web::views::Template;
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::{Route, State, get, post, routes};

use super::{RecordPage, Saved, editor, save};
use crate::app::App;
use crate::app::staff::network_records::{EndpointForm, Endpoints};
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::LayoutDraft;
use crate::web::session::StaffCookie;
use crate::web::staff::forms::StaffPage;

pub fn routes() -> Vec<Route> {
    routes![new, edit, create, update]
}

impl RecordPage for Endpoints {
    const TEMPLATE: &'static str = "staff/endpoint_form";
    const FIELDS: &'static [&'static str] = &ENDPOINT_FIELDS;
}

const ENDPOINT_FIELDS: [&str; 9] = [
    "service_id",
    "ipv4",
    "mac",
    "pppoe_login",
    "pppoe_password",
    "address_line",
    "postal_code",
    "city",
    "access_enabled",
];

#[derive(Debug, FromForm)]
pub struct EndpointFields {
    #[field(default = String::new())]
    service_id: String,
    #[field(default = String::new())]
    ipv4: String,
    #[field(default = String::new())]
    mac: String,
    #[field(default = String::new())]
    pppoe_login: String,
    #[field(default = String::new())]
    pppoe_password: String,
    #[field(default = String::new())]
    address_line: String,
    #[field(default = String::new())]
    postal_code: String,
    #[field(default = String::new())]
    city: String,
    access_enabled: bool,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for EndpointFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl EndpointFields {
    fn form(&self) -> EndpointForm {
        EndpointForm {
            service_id: self.service_id.clone(),
            ipv4: self.ipv4.clone(),
            mac: self.mac.clone(),
            pppoe_login: self.pppoe_login.clone(),
            pppoe_password: self.pppoe_password.clone(),
            address_line: self.address_line.clone(),
            postal_code: self.postal_code.clone(),
            city: self.city.clone(),
            access_enabled: self.access_enabled,
        }
    }
}

#[get("/staff/klienci/<customer_id>/punkty/nowy?<service>")]
async fn new(
    customer_id: CustomerId,
    service: Option<i64>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    editor::<Endpoints>(app, &cookie, layout, (customer_id, None), service).await
}

#[get("/staff/klienci/<customer_id>/punkty/<id>", rank = 2)]
async fn edit(
    customer_id: CustomerId,
    id: i64,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    editor::<Endpoints>(app, &cookie, layout, (customer_id, Some(id)), None).await
}

#[post("/staff/klienci/<customer_id>/punkty", data = "<fields>")]
async fn create(
    customer_id: CustomerId,
    fields: Protected<EndpointFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Saved, Status> {
    save::<Endpoints>(app, &cookie, layout, (customer_id, None), fields.form()).await
}

#[post("/staff/klienci/<customer_id>/punkty/<id>", data = "<fields>")]
async fn update(
    customer_id: CustomerId,
    id: i64,
    fields: Protected<EndpointFields>,
    app: &State<App>,
    page: StaffPage,
) -> Result<Saved, Status> {
    let (ids, form) = ((customer_id, Some(id)), fields.form());
    save::<Endpoints>(app, &page.cookie, page.layout, ids, form).await
}
