//! Contracts, services and endpoints on the customer card:
//! `/staff/klienci/<customer>/umowy|uslugi|punkty[/<id>]`.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};
use serde::Serialize;

use super::forms::{actor, field_messages};
use crate::app::clock;
use crate::app::crypto::SecretBox;
use crate::app::staff::network_records::{
    self, ContractForm, EndpointForm, NetworkRecordError, SERVICE_KINDS, ServiceForm,
};
use crate::app::staff::{FieldErrors, customer_card};
use crate::app::staff_roles::Permission;
use crate::db::{self, DbConn};
use crate::i18n::text;
use crate::web::client_ip::ClientIp;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::Layout;
use crate::web::session::CurrentStaff;
use crate::web::{Db, server_error};

pub fn routes() -> Vec<Route> {
    routes![
        contract_new,
        contract_edit,
        contract_create,
        contract_update,
        service_new,
        service_edit,
        service_create,
        service_update,
        endpoint_new,
        endpoint_edit,
        endpoint_create,
        endpoint_update,
    ]
}

/// What every form page needs about the customer, and the choices its selects offer.
#[derive(Debug, Clone, Serialize)]
struct Choices {
    customer_id: i64,
    customer_name: String,
    customer_number: i64,
    tariffs: Vec<(i64, String)>,
    contracts: Vec<(i64, String)>,
    services: Vec<(i64, String)>,
    service_kinds: Vec<&'static str>,
}

fn choices(conn: &mut DbConn, customer_id: i64) -> diesel::QueryResult<Option<Choices>> {
    let Some(customer) = db::customers::find(conn, customer_id)? else {
        return Ok(None);
    };
    Ok(Some(Choices {
        customer_id,
        customer_name: customer_card::display_name(&customer),
        customer_number: customer.customer_number,
        tariffs: db::tariffs::list_active(conn)?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect(),
        contracts: db::contracts::of_customer(conn, customer_id)?
            .into_iter()
            .map(|(c, _)| (c.id, c.number))
            .collect(),
        services: db::network_records::services_of_customer(conn, customer_id)?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect(),
        service_kinds: SERVICE_KINDS.to_vec(),
    }))
}

async fn load_choices(db: &Db, customer_id: i64) -> Result<Choices, Status> {
    db.query(move |conn| choices(conn, customer_id))
        .await?
        .ok_or(Status::NotFound)
}

type Saved = Either<Flash<Redirect>, (Status, Template)>;

/// The outcome of a save: back to the card, the form again with messages, or 404.
#[allow(clippy::too_many_arguments)]
async fn finish<F: Serialize>(
    db: &Db,
    layout: Layout,
    customer_id: i64,
    record_id: Option<i64>,
    template: &'static str,
    fields: &[&str],
    form: &F,
    result: Result<i64, NetworkRecordError>,
) -> Result<Saved, Status> {
    match result {
        Ok(_) => Ok(Either::Left(Flash::success(
            Redirect::to(format!("/staff/klienci/{customer_id}")),
            text(layout.lang, "staff-record-saved"),
        ))),
        Err(NetworkRecordError::Fields(errors)) => Ok(Either::Right((
            Status::UnprocessableEntity,
            page(
                db,
                layout,
                customer_id,
                record_id,
                template,
                fields,
                form,
                Some(&errors),
            )
            .await?,
        ))),
        Err(NetworkRecordError::NotFound) => Err(Status::NotFound),
        Err(error) => Err(server_error(&error)),
    }
}

#[allow(clippy::too_many_arguments)]
async fn page<F: Serialize>(
    db: &Db,
    layout: Layout,
    customer_id: i64,
    record_id: Option<i64>,
    template: &'static str,
    fields: &[&str],
    form: &F,
    errors: Option<&FieldErrors>,
) -> Result<Template, Status> {
    let choices = load_choices(db, customer_id).await?;
    let errors = field_messages(layout.lang, errors, fields);
    Ok(Template::render(
        template,
        context! { layout, choices, record_id, form, errors },
    ))
}

// ---- contracts ----

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
async fn contract_new(
    customer_id: i64,
    staff: CurrentStaff,
    layout: Layout,
    db: Db,
) -> Result<Template, Status> {
    staff.require(Permission::EditCustomers)?;
    let today = clock::today().to_string();
    let customer = db
        .query(move |conn| db::customers::find(conn, customer_id))
        .await?
        .ok_or(Status::NotFound)?;
    let form = ContractForm {
        signed_on: today.clone(),
        starts_on: today,
        after_term: "indefinite".into(),
        billing_day: "1".into(),
        install_address_line: customer.address_line,
        install_postal_code: customer.postal_code,
        install_city: customer.city,
        status: "active".into(),
        ..ContractForm::default()
    };
    page(
        &db,
        layout,
        customer_id,
        None,
        "staff/contract_form",
        &CONTRACT_FIELDS,
        &form,
        None,
    )
    .await
}

#[get("/staff/klienci/<customer_id>/umowy/<id>", rank = 2)]
async fn contract_edit(
    customer_id: i64,
    id: i64,
    staff: CurrentStaff,
    layout: Layout,
    db: Db,
) -> Result<Template, Status> {
    staff.require(Permission::EditCustomers)?;
    let contract = db
        .query(move |conn| db::network_records::contract_of(conn, customer_id, id))
        .await?
        .ok_or(Status::NotFound)?;
    let form = ContractForm::from_contract(&contract);
    page(
        &db,
        layout,
        customer_id,
        Some(id),
        "staff/contract_form",
        &CONTRACT_FIELDS,
        &form,
        None,
    )
    .await
}

#[post("/staff/klienci/<customer_id>/umowy", data = "<fields>")]
async fn contract_create(
    customer_id: i64,
    fields: Protected<ContractFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
) -> Result<Saved, Status> {
    save_contract(customer_id, None, fields, staff, layout, ip, db).await
}

#[post("/staff/klienci/<customer_id>/umowy/<id>", data = "<fields>")]
#[allow(clippy::too_many_arguments)]
async fn contract_update(
    customer_id: i64,
    id: i64,
    fields: Protected<ContractFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
) -> Result<Saved, Status> {
    save_contract(customer_id, Some(id), fields, staff, layout, ip, db).await
}

async fn save_contract(
    customer_id: i64,
    id: Option<i64>,
    fields: Protected<ContractFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
) -> Result<Saved, Status> {
    staff.require(Permission::EditCustomers)?;
    let actor = actor(&staff, &ip);
    let form = fields.form();
    let input = form.clone();
    let now = clock::now();
    let result = db
        .run(move |conn| network_records::save_contract(conn, customer_id, id, &input, &actor, now))
        .await
        .map_err(|e| server_error(&e))?;
    finish(
        &db,
        layout,
        customer_id,
        id,
        "staff/contract_form",
        &CONTRACT_FIELDS,
        &form,
        result,
    )
    .await
}

// ---- services ----

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
async fn service_new(
    customer_id: i64,
    staff: CurrentStaff,
    layout: Layout,
    db: Db,
) -> Result<Template, Status> {
    staff.require(Permission::EditCustomers)?;
    let form = ServiceForm {
        kind: "internet".into(),
        status: "active".into(),
        activated_on: clock::today().to_string(),
        monthly_fee: "0,00".into(),
        ..ServiceForm::default()
    };
    page(
        &db,
        layout,
        customer_id,
        None,
        "staff/service_form",
        &SERVICE_FIELDS,
        &form,
        None,
    )
    .await
}

#[get("/staff/klienci/<customer_id>/uslugi/<id>", rank = 2)]
async fn service_edit(
    customer_id: i64,
    id: i64,
    staff: CurrentStaff,
    layout: Layout,
    db: Db,
) -> Result<Template, Status> {
    staff.require(Permission::EditCustomers)?;
    let service = db
        .query(move |conn| db::network_records::service_of(conn, customer_id, id))
        .await?
        .ok_or(Status::NotFound)?;
    let form = ServiceForm::from_service(&service);
    page(
        &db,
        layout,
        customer_id,
        Some(id),
        "staff/service_form",
        &SERVICE_FIELDS,
        &form,
        None,
    )
    .await
}

#[post("/staff/klienci/<customer_id>/uslugi", data = "<fields>")]
async fn service_create(
    customer_id: i64,
    fields: Protected<ServiceFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
) -> Result<Saved, Status> {
    save_service(customer_id, None, fields, staff, layout, ip, db).await
}

#[post("/staff/klienci/<customer_id>/uslugi/<id>", data = "<fields>")]
#[allow(clippy::too_many_arguments)]
async fn service_update(
    customer_id: i64,
    id: i64,
    fields: Protected<ServiceFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
) -> Result<Saved, Status> {
    save_service(customer_id, Some(id), fields, staff, layout, ip, db).await
}

async fn save_service(
    customer_id: i64,
    id: Option<i64>,
    fields: Protected<ServiceFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
) -> Result<Saved, Status> {
    staff.require(Permission::EditCustomers)?;
    let actor = actor(&staff, &ip);
    let form = fields.form();
    let input = form.clone();
    let now = clock::now();
    let result = db
        .run(move |conn| network_records::save_service(conn, customer_id, id, &input, &actor, now))
        .await
        .map_err(|e| server_error(&e))?;
    finish(
        &db,
        layout,
        customer_id,
        id,
        "staff/service_form",
        &SERVICE_FIELDS,
        &form,
        result,
    )
    .await
}

// ---- endpoints ----

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
async fn endpoint_new(
    customer_id: i64,
    service: Option<i64>,
    staff: CurrentStaff,
    layout: Layout,
    db: Db,
) -> Result<Template, Status> {
    staff.require(Permission::EditCustomers)?;
    let customer = db
        .query(move |conn| db::customers::find(conn, customer_id))
        .await?
        .ok_or(Status::NotFound)?;
    let form = EndpointForm {
        service_id: service.map(|s| s.to_string()).unwrap_or_default(),
        address_line: customer.address_line,
        postal_code: customer.postal_code,
        city: customer.city,
        access_enabled: true,
        ..EndpointForm::default()
    };
    page(
        &db,
        layout,
        customer_id,
        None,
        "staff/endpoint_form",
        &ENDPOINT_FIELDS,
        &form,
        None,
    )
    .await
}

#[get("/staff/klienci/<customer_id>/punkty/<id>", rank = 2)]
async fn endpoint_edit(
    customer_id: i64,
    id: i64,
    staff: CurrentStaff,
    layout: Layout,
    db: Db,
) -> Result<Template, Status> {
    staff.require(Permission::EditCustomers)?;
    let endpoint = db
        .query(move |conn| db::network_records::endpoint_of(conn, customer_id, id))
        .await?
        .ok_or(Status::NotFound)?;
    let form = EndpointForm::from_endpoint(&endpoint);
    page(
        &db,
        layout,
        customer_id,
        Some(id),
        "staff/endpoint_form",
        &ENDPOINT_FIELDS,
        &form,
        None,
    )
    .await
}

#[post("/staff/klienci/<customer_id>/punkty", data = "<fields>")]
#[allow(clippy::too_many_arguments)]
async fn endpoint_create(
    customer_id: i64,
    fields: Protected<EndpointFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
    secrets: &State<SecretBox>,
) -> Result<Saved, Status> {
    save_endpoint(customer_id, None, fields, staff, layout, ip, db, secrets).await
}

#[post("/staff/klienci/<customer_id>/punkty/<id>", data = "<fields>")]
#[allow(clippy::too_many_arguments)]
async fn endpoint_update(
    customer_id: i64,
    id: i64,
    fields: Protected<EndpointFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
    secrets: &State<SecretBox>,
) -> Result<Saved, Status> {
    save_endpoint(
        customer_id,
        Some(id),
        fields,
        staff,
        layout,
        ip,
        db,
        secrets,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn save_endpoint(
    customer_id: i64,
    id: Option<i64>,
    fields: Protected<EndpointFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
    secrets: &State<SecretBox>,
) -> Result<Saved, Status> {
    staff.require(Permission::EditCustomers)?;
    let actor = actor(&staff, &ip);
    let form = fields.form();
    let input = form.clone();
    let now = clock::now();
    let secrets = secrets.inner().clone();
    let result = db
        .run(move |conn| {
            network_records::save_endpoint(conn, &secrets, customer_id, id, &input, &actor, now)
        })
        .await
        .map_err(|e| server_error(&e))?;
    // The password is never echoed back into the page.
    let shown = EndpointForm {
        pppoe_password: String::new(),
        ..form
    };
    finish(
        &db,
        layout,
        customer_id,
        id,
        "staff/endpoint_form",
        &ENDPOINT_FIELDS,
        &shown,
        result,
    )
    .await
}
