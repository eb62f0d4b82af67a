//! `/umowy`, `/uslugi`, `/domeny`, `/powiadomienia`: what the subscriber has and what needs action.
//! Ids in paths are looked up only among the signed-in customer's own rows; anything else is 404.

use crate::app::access::Area;
use crate::domain::ContractId;
use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use crate::app::account_security::SecurityError;
use crate::app::sessions::CustomerSession;
use crate::app::subscriptions::{self, Renewable, RevealError};
use crate::app::{App, notices, radius};
use crate::i18n::{self, Lang};
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::messages;
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::{CustomerCookie, language};

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

#[get("/umowy")]
async fn contracts(
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, contracts) = app
        .customer(&cookie)
        .needs(Area::Services)
        .run(|conn, cx| subscriptions::contracts(conn, cx.customer_id()))
        .await?;
    Ok(Template::render(
        "customer/contracts",
        context! { layout: layout.signed_in(&me), contracts },
    ))
}

#[get("/umowy/<id>")]
async fn contract(
    id: ContractId,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, (contract, discount)) = app
        .customer(&cookie)
        .needs(Area::Services)
        .run(move |conn, cx| subscriptions::contract_page(conn, cx.customer_id(), id, cx.today))
        .await?;
    let contract = contract.ok_or(Status::NotFound)?;
    Ok(Template::render(
        "customer/contract",
        context! { layout: layout.signed_in(&me), contract, discount },
    ))
}

#[get("/uslugi")]
async fn services(
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, services) = app
        .customer(&cookie)
        .needs(Area::Services)
        .run(|conn, cx| subscriptions::services(conn, cx.customer_id()))
        .await?;
    Ok(Template::render(
        "customer/services",
        context! { layout: layout.signed_in(&me), services },
    ))
}

/// What the service page shows besides the service: a password just revealed, or an error.
#[derive(Default)]
struct Shown {
    revealed: Option<(i64, String)>,
    error: Option<String>,
}

async fn render_service(
    app: &App,
    cookie: &CustomerCookie,
    layout: LayoutDraft,
    id: i64,
    shown: Shown,
) -> Result<Template, Status> {
    let (me, (service, connections)) = app
        .customer(cookie)
        .needs(Area::Services)
        .run(move |conn, cx| radius::service_with_connections(conn, cx.customer_id(), id))
        .await?;
    let service = service.ok_or(Status::NotFound)?;
    let (revealed_endpoint, revealed_password) = match shown.revealed {
        Some((endpoint, password)) => (Some(endpoint), Some(password)),
        None => (None, None),
    };
    Ok(Template::render(
        "customer/service",
        context! {
            layout: layout.signed_in(&me),
            service,
            connections,
            revealed_endpoint,
            revealed_password,
            error: shown.error,
        },
    ))
}

#[get("/uslugi/<id>")]
async fn service(
    id: i64,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    render_service(app, &cookie, layout, id, Shown::default()).await
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
async fn reveal_pppoe(
    id: i64,
    form: Protected<RevealFields>,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<(Status, Template), Status> {
    let (endpoint_id, password) = (form.endpoint_id, form.password.clone());
    let (me, result) = app
        .customer(&cookie)
        .needs(Area::Services)
        .hashes_password()
        .attempt(move |conn, cx| {
            subscriptions::reveal_pppoe_password(
                conn,
                cx.secrets(),
                &cx.me.account,
                id,
                endpoint_id,
                &password,
                &cx.actor(),
                cx.now,
            )
        })
        .await?;
    let lang = language(&me);
    let now = crate::app::clock::now();
    let (status, shown) = match result {
        Ok(secret) => (
            Status::Ok,
            Shown {
                revealed: Some((endpoint_id, secret)),
                error: None,
            },
        ),
        Err(RevealError::NotFound) => return Err(Status::NotFound),
        Err(RevealError::Sealed(error)) => return Err(server_error(&error)),
        Err(RevealError::Security(SecurityError::WrongCurrentPassword)) => (
            Status::UnprocessableEntity,
            Shown {
                revealed: None,
                error: Some(i18n::text(lang, "services-pppoe-wrong-password")),
            },
        ),
        Err(RevealError::Security(SecurityError::Throttled(retry))) => (
            Status::TooManyRequests,
            Shown {
                revealed: None,
                error: Some(format!(
                    "{} {}",
                    i18n::text(lang, "services-pppoe-throttled"),
                    messages::retry_after(lang, retry, now)
                )),
            },
        ),
        Err(error) => return Err(server_error(&error)),
    };
    Ok((
        status,
        render_service(app, &cookie, layout, id, shown).await?,
    ))
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
    app: &App,
    cookie: &CustomerCookie,
    what: Renewable,
    id: i64,
    auto_renew: bool,
) -> Result<CustomerSession, Status> {
    let (me, changed) = app
        .customer(cookie)
        .needs(Area::Services)
        .run(move |conn, cx| {
            subscriptions::set_renewal(
                conn,
                cx.customer_id(),
                what,
                id,
                auto_renew,
                &cx.actor(),
                cx.now,
            )
        })
        .await?;
    if changed {
        Ok(me)
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
    app: &State<App>,
    cookie: CustomerCookie,
) -> Result<Flash<Redirect>, Status> {
    let me = change_renewal(app, &cookie, Renewable::Service, id, form.auto_renew).await?;
    Ok(Flash::success(
        Redirect::to(format!("/uslugi/{id}")),
        renewal_message(language(&me), form.auto_renew),
    ))
}

#[get("/domeny")]
async fn domains(
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, domains) = app
        .customer(&cookie)
        .needs(Area::Services)
        .run(|conn, cx| subscriptions::domains(conn, cx.customer_id(), cx.today))
        .await?;
    Ok(Template::render(
        "customer/domains",
        context! { layout: layout.signed_in(&me), domains },
    ))
}

#[post("/domeny/<id>/odnawianie", data = "<form>")]
async fn domain_renewal(
    id: i64,
    form: Protected<RenewalFields>,
    app: &State<App>,
    cookie: CustomerCookie,
) -> Result<Flash<Redirect>, Status> {
    let me = change_renewal(app, &cookie, Renewable::Domain, id, form.auto_renew).await?;
    Ok(Flash::success(
        Redirect::to("/domeny"),
        renewal_message(language(&me), form.auto_renew),
    ))
}

#[get("/powiadomienia")]
async fn notices_page(
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, notices) = app
        .customer(&cookie)
        .run(|conn, cx| {
            let (role, notices) = (&cx.me.account.role, &cx.config().notices);
            notices::for_login(conn, cx.customer_id(), role, cx.today, notices)
        })
        .await?;
    Ok(Template::render(
        "customer/notices",
        context! { layout: layout.signed_in(&me), notices },
    ))
}
