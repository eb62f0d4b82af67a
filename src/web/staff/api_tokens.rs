//! `/staff/tokeny-api`: JSON API tokens, for admins only. A new token is shown once, on the
//! page that answers its creation; only its hash is kept.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use super::forms::field_messages;
use crate::app::App;
use crate::app::api::Scope;
use crate::app::api::tokens::{self, TokenError, TokenForm};
use crate::app::staff::FieldErrors;
use crate::app::staff_roles::Permission;
use crate::i18n::text;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::StaffCookie;
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![list, create, revoke]
}

const FIELDS: [&str; 5] = [
    "name",
    "scopes",
    "expires_on",
    "allowed_networks",
    "rate_per_minute",
];

#[derive(Debug, FromForm)]
pub struct TokenFields {
    #[field(default = String::new())]
    name: String,
    #[field(default = Vec::new())]
    scopes: Vec<String>,
    #[field(default = String::new())]
    expires_on: String,
    #[field(default = String::new())]
    allowed_networks: String,
    #[field(default = String::new())]
    rate_per_minute: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for TokenFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[derive(Debug, FromForm)]
pub struct RevokeFields {
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for RevokeFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// The page: the tokens, the form (as typed, with its problems), and a token just made.
async fn page(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    typed: Option<(TokenForm, FieldErrors)>,
    made: Option<String>,
) -> Result<(Status, Template), Status> {
    let (me, rows) = app
        .staff(cookie)
        .needs(Permission::ManageApiTokens)
        .run(|conn, _| tokens::list(conn))
        .await?;
    let layout = layout.staff(&me);
    let status = if typed.is_some() {
        Status::UnprocessableEntity
    } else {
        Status::Ok
    };
    let (form, errors) = typed.unwrap_or_else(|| {
        (
            TokenForm {
                rate_per_minute: "600".into(),
                scopes: vec![Scope::CustomersRead.as_str().into()],
                ..TokenForm::default()
            },
            FieldErrors::default(),
        )
    });
    let errors = field_messages(layout.lang, Some(&errors), &FIELDS);
    let scopes: Vec<_> = Scope::ALL
        .iter()
        .map(|s| context! { value: s.as_str(), checked: form.scopes.iter().any(|t| t == s.as_str()) })
        .collect();
    Ok((
        status,
        Template::render(
            "staff/api_tokens",
            context! { layout, rows, form, errors, scopes, made },
        ),
    ))
}

#[get("/staff/tokeny-api")]
async fn list(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<(Status, Template), Status> {
    page(app, &cookie, layout, None, None).await
}

#[post("/staff/tokeny-api", data = "<fields>")]
async fn create(
    fields: Protected<TokenFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<(Status, Template), Status> {
    let form = TokenForm {
        name: fields.name.clone(),
        scopes: fields.scopes.clone(),
        expires_on: fields.expires_on.clone(),
        allowed_networks: fields.allowed_networks.clone(),
        rate_per_minute: fields.rate_per_minute.clone(),
    };
    let input = form.clone();
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::ManageApiTokens)
        .writes()
        .attempt(move |conn, cx| {
            tokens::create(conn, &input, (&cx.actor(), cx.me.staff.id), cx.now)
        })
        .await?;
    match result {
        Ok((_, token)) => page(app, &cookie, layout, None, Some(token)).await,
        Err(TokenError::Fields(errors)) => {
            page(app, &cookie, layout, Some((form, errors)), None).await
        }
        Err(error) => Err(server_error(&error)),
    }
}

#[post("/staff/tokeny-api/<id>/uniewaznij", data = "<fields>")]
async fn revoke(
    id: i64,
    fields: Protected<RevokeFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Flash<Redirect>, Status> {
    let _ = fields;
    let lang = layout.lang();
    let (_, revoked) = app
        .staff(&cookie)
        .needs(Permission::ManageApiTokens)
        .writes()
        .run(move |conn, cx| tokens::revoke(conn, id, &cx.actor(), cx.now))
        .await?;
    if !revoked {
        return Err(Status::NotFound);
    }
    Ok(Flash::success(
        Redirect::to("/staff/tokeny-api"),
        text(lang, "staff-api-tokens-revoked"),
    ))
}
