//! Forgotten password: `/haslo/reset` asks for the e-mail, `/haslo/nowe/<token>` sets a new one.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::account_security::{self, SecurityError};
use crate::app::passwords::MIN_LENGTH;
use crate::app::{App, clock, crypto};
use crate::i18n;
use crate::web::client_ip::Client;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::messages;
use crate::web::page::Layout;
use crate::web::server_error;

pub fn routes() -> Vec<Route> {
    routes![
        request_page,
        request_submit,
        new_password_page,
        new_password_submit
    ]
}

#[get("/haslo/reset")]
fn request_page(layout: Layout) -> Template {
    Template::render(
        "customer/password_reset_request",
        context! { layout, sent: false, error: None::<String> },
    )
}

#[derive(Debug, FromForm)]
pub struct EmailFields {
    #[field(default = String::new())]
    email: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for EmailFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// The same answer whether or not the address has an account.
#[post("/haslo/reset", data = "<form>")]
async fn request_submit(
    form: Protected<EmailFields>,
    app: &State<App>,
    client: Client,
    layout: Layout,
) -> Result<(Status, Template), Status> {
    let (lang, now) = (layout.lang, clock::now());
    let email = form.email.clone();
    let (_, result) = app
        .visitor(&client.0)
        .attempt(move |conn, cx| {
            account_security::request_password_reset(conn, &email, cx.ip(), cx.mail(), cx.now)
        })
        .await?;
    match result {
        Ok(()) => Ok((
            Status::Ok,
            Template::render(
                "customer/password_reset_request",
                context! { layout, sent: true, error: None::<String> },
            ),
        )),
        Err(SecurityError::Throttled(retry)) => Ok((
            Status::TooManyRequests,
            Template::render(
                "customer/password_reset_request",
                context! { layout, sent: false, error: messages::throttled(lang, "auth-reset-throttled", retry, now) },
            ),
        )),
        Err(error) => Err(server_error(&error)),
    }
}

#[get("/haslo/nowe/<token>")]
async fn new_password_page(
    token: &str,
    app: &State<App>,
    client: Client,
    layout: Layout,
) -> Result<(Status, Template), Status> {
    let token_owned = token.to_owned();
    let (_, account) = app
        .visitor(&client.0)
        .run(move |conn, cx| account_security::reset_link_account(conn, &token_owned, cx.now))
        .await?;
    let usable = account.is_some();
    let status = if usable { Status::Ok } else { Status::Gone };
    Ok((
        status,
        Template::render(
            "customer/password_new",
            context! { layout, token, usable, errors: Vec::<String>::new(), min_length: MIN_LENGTH },
        ),
    ))
}

#[derive(Debug, FromForm)]
pub struct NewPasswordFields {
    #[field(default = String::new())]
    password: String,
    #[field(default = String::new())]
    password_repeated: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for NewPasswordFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/haslo/nowe/<token>", data = "<form>")]
async fn new_password_submit(
    token: &str,
    form: Protected<NewPasswordFields>,
    app: &State<App>,
    client: Client,
    layout: Layout,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let lang = layout.lang;
    let token_owned = token.to_owned();
    let (password, repeated) = (form.password.clone(), form.password_repeated.clone());
    let (_, result) = app
        .visitor(&client.0)
        .hashes_password()
        .attempt(move |conn, cx| -> Result<(), SecurityError> {
            let account = account_security::reset_link_account(conn, &token_owned, cx.now)?
                .ok_or(SecurityError::InvalidLink)?;
            account_security::check_new_password(&password, &repeated, &account.login)?;
            let hash = crypto::hash_password(&password)?;
            account_security::complete_password_reset(
                conn,
                &token_owned,
                &hash,
                cx.client.ip.clone(),
                cx.mail(),
                cx.now,
            )
        })
        .await?;
    let page = |status, usable: bool, errors: Vec<String>| {
        Either::Right((
            status,
            Template::render(
                "customer/password_new",
                context! { layout: layout.clone(), token, usable, errors, min_length: MIN_LENGTH },
            ),
        ))
    };
    Ok(match result {
        Ok(()) => Either::Left(Flash::success(
            Redirect::to("/logowanie"),
            i18n::text(lang, "auth-password-reset-done"),
        )),
        Err(SecurityError::Password(problems)) => page(
            Status::UnprocessableEntity,
            true,
            problems
                .into_iter()
                .map(|problem| messages::password_problem(lang, problem))
                .collect(),
        ),
        Err(SecurityError::InvalidLink) => page(Status::Gone, false, Vec::new()),
        Err(error) => return Err(server_error(&error)),
    })
}
