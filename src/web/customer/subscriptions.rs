//! `/umowy`, `/uslugi`, `/domeny`, `/powiadomienia`: what the subscriber has and what needs action.
//! Ids in paths are looked up only among the signed-in customer's own rows; anything else is 404.

use crate::app::access::Area;
use crate::app::crypto::SecretBox;
use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use crate::app::account_security::SecurityError;
use crate::app::audit::Actor;
use crate::app::subscriptions::{self, Renewable, RevealError};
use crate::app::{clock, notices};
use crate::config::Config;
use crate::i18n::{self, Lang};
use crate::web::client_ip::ClientIp;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::mailing::PasswordSlots;
use crate::web::messages;
use crate::web::page::Layout;
use crate::web::session::CurrentCustomer;
use crate::web::{Db, server_error};

pub fn routes() -> Vec<Route> {
    routes![
        contracts,
        contract,
        services,
        service,
        reveal_pppoe,
        service_renewal,
        domains,
        domain_renewal,
        notices_page
    ]
}

fn actor(customer: &CurrentCustomer, ip: ClientIp) -> Actor {
    Actor::account(
        customer.account.id,
        customer.customer_id(),
        ip.0.map(|ip| ip.to_string()),
    )
}

#[get("/umowy")]
async fn contracts(customer: CurrentCustomer, layout: Layout, db: Db) -> Result<Template, Status> {
    customer.require(Area::Services)?;
    let customer_id = customer.customer_id();
    let contracts = db
        .query(move |conn| subscriptions::contracts(conn, customer_id))
        .await?;
    Ok(Template::render(
        "customer/contracts",
        context! { layout, contracts },
    ))
}

#[get("/umowy/<id>")]
async fn contract(
    id: i64,
    customer: CurrentCustomer,
    layout: Layout,
    db: Db,
) -> Result<Template, Status> {
    customer.require(Area::Services)?;
    let customer_id = customer.customer_id();
    let contract = db
        .query(move |conn| subscriptions::contract(conn, customer_id, id))
        .await?
        .ok_or(Status::NotFound)?;
    Ok(Template::render(
        "customer/contract",
        context! { layout, contract },
    ))
}

#[get("/uslugi")]
async fn services(customer: CurrentCustomer, layout: Layout, db: Db) -> Result<Template, Status> {
    customer.require(Area::Services)?;
    let customer_id = customer.customer_id();
    let services = db
        .query(move |conn| subscriptions::services(conn, customer_id))
        .await?;
    Ok(Template::render(
        "customer/services",
        context! { layout, services },
    ))
}

async fn render_service(
    db: &Db,
    customer: &CurrentCustomer,
    layout: Layout,
    id: i64,
    revealed: Option<(i64, String)>,
    error: Option<String>,
) -> Result<Template, Status> {
    customer.require(Area::Services)?;
    let customer_id = customer.customer_id();
    let service = db
        .query(move |conn| subscriptions::service(conn, customer_id, id))
        .await?
        .ok_or(Status::NotFound)?;
    let (revealed_endpoint, revealed_password) = match revealed {
        Some((endpoint, password)) => (Some(endpoint), Some(password)),
        None => (None, None),
    };
    Ok(Template::render(
        "customer/service",
        context! { layout, service, revealed_endpoint, revealed_password, error },
    ))
}

#[get("/uslugi/<id>")]
async fn service(
    id: i64,
    customer: CurrentCustomer,
    layout: Layout,
    db: Db,
) -> Result<Template, Status> {
    customer.require(Area::Services)?;
    render_service(&db, &customer, layout, id, None, None).await
}

#[derive(Debug, FromForm)]
pub struct RevealFields {
    #[field(default = 0)]
    endpoint_id: i64,
    #[field(default = String::new())]
    password: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for RevealFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// Shows the PPPoE password once, on this response only, after the account password.
#[post("/uslugi/<id>/haslo-pppoe", data = "<form>")]
#[allow(clippy::too_many_arguments)]
async fn reveal_pppoe(
    id: i64,
    form: Protected<RevealFields>,
    customer: CurrentCustomer,
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
    slots: &State<PasswordSlots>,
    secrets: &State<SecretBox>,
) -> Result<(Status, Template), Status> {
    customer.require(Area::Services)?;
    let actor = actor(&customer, ip);
    let account = customer.account.clone();
    let (endpoint_id, password) = (form.endpoint_id, form.password.clone());
    let secrets = secrets.inner().clone();
    let now = clock::now();
    let _permit = slots
        .0
        .acquire()
        .await
        .map_err(|_| Status::ServiceUnavailable)?;
    let result = db
        .run(move |conn| {
            subscriptions::reveal_pppoe_password(
                conn,
                &secrets,
                &account,
                id,
                endpoint_id,
                &password,
                &actor,
                now,
            )
        })
        .await
        .map_err(|e| server_error(&e))?;
    match result {
        Ok(secret) => Ok((
            Status::Ok,
            render_service(
                &db,
                &customer,
                layout,
                id,
                Some((endpoint_id, secret)),
                None,
            )
            .await?,
        )),
        Err(RevealError::NotFound) => Err(Status::NotFound),
        Err(RevealError::Sealed(error)) => Err(server_error(&error)),
        Err(RevealError::Security(SecurityError::WrongCurrentPassword)) => Ok((
            Status::UnprocessableEntity,
            render_service(
                &db,
                &customer,
                layout,
                id,
                None,
                Some(i18n::text(lang, "services-pppoe-wrong-password")),
            )
            .await?,
        )),
        Err(RevealError::Security(SecurityError::Throttled(retry))) => Ok((
            Status::TooManyRequests,
            render_service(
                &db,
                &customer,
                layout,
                id,
                None,
                Some(format!(
                    "{} {}",
                    i18n::text(lang, "services-pppoe-throttled"),
                    messages::retry_after(lang, retry, now)
                )),
            )
            .await?,
        )),
        Err(error) => Err(server_error(&error)),
    }
}

#[derive(Debug, FromForm)]
pub struct RenewalFields {
    #[field(default = false)]
    auto_renew: bool,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for RenewalFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// Sets renewal on the customer's own service or domain; anyone else's is 404.
async fn change_renewal(
    db: &Db,
    customer: &CurrentCustomer,
    ip: ClientIp,
    what: Renewable,
    id: i64,
    auto_renew: bool,
) -> Result<(), Status> {
    customer.require(Area::Services)?;
    let actor = actor(customer, ip);
    let customer_id = customer.customer_id();
    let now = clock::now();
    let changed = db
        .query(move |conn| {
            subscriptions::set_renewal(conn, customer_id, what, id, auto_renew, &actor, now)
        })
        .await?;
    if changed {
        Ok(())
    } else {
        Err(Status::NotFound)
    }
}

fn renewal_message(lang: Lang, auto_renew: bool) -> String {
    i18n::text(
        lang,
        if auto_renew {
            "renewal-on"
        } else {
            "renewal-off"
        },
    )
}

#[post("/uslugi/<id>/odnawianie", data = "<form>")]
async fn service_renewal(
    id: i64,
    form: Protected<RenewalFields>,
    customer: CurrentCustomer,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Flash<Redirect>, Status> {
    change_renewal(&db, &customer, ip, Renewable::Service, id, form.auto_renew).await?;
    Ok(Flash::success(
        Redirect::to(format!("/uslugi/{id}")),
        renewal_message(lang, form.auto_renew),
    ))
}

#[get("/domeny")]
async fn domains(customer: CurrentCustomer, layout: Layout, db: Db) -> Result<Template, Status> {
    customer.require(Area::Services)?;
    let customer_id = customer.customer_id();
    let today = clock::today();
    let domains = db
        .query(move |conn| subscriptions::domains(conn, customer_id, today))
        .await?;
    Ok(Template::render(
        "customer/domains",
        context! { layout, domains },
    ))
}

#[post("/domeny/<id>/odnawianie", data = "<form>")]
async fn domain_renewal(
    id: i64,
    form: Protected<RenewalFields>,
    customer: CurrentCustomer,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Flash<Redirect>, Status> {
    change_renewal(&db, &customer, ip, Renewable::Domain, id, form.auto_renew).await?;
    Ok(Flash::success(
        Redirect::to("/domeny"),
        renewal_message(lang, form.auto_renew),
    ))
}

#[get("/powiadomienia")]
async fn notices_page(
    customer: CurrentCustomer,
    layout: Layout,
    db: Db,
    config: &State<Config>,
) -> Result<Template, Status> {
    let customer_id = customer.customer_id();
    let today = clock::today();
    let limits = config.notices;
    let access = crate::app::access::flags(&customer.account.role);
    let mut notices = db
        .query(move |conn| notices::for_customer(conn, customer_id, today, &limits))
        .await?;
    notices.retain(|notice| crate::app::access::sees_notice(&access, notice));
    Ok(Template::render(
        "customer/notices",
        context! { layout, notices },
    ))
}
