//! Forgotten password: `/haslo/reset` asks for the e-mail, `/haslo/nowe/<token>` sets a new one.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::account_security::{self, SecurityError};
use crate::app::passwords::MIN_LENGTH;
use crate::app::{clock, crypto};
use crate::i18n::{self, Lang};
use crate::web::client_ip::ClientIp;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::mailing::{Mailing, OutboxSignal, PasswordSlots};
use crate::web::messages;
use crate::web::page::Layout;
use crate::web::{Db, server_error};

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
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
    mailing: &State<Mailing>,
    signal: &State<OutboxSignal>,
) -> Result<(Status, Template), Status> {
    let email = form.email.clone();
    let mailing = mailing.inner().clone();
    let now = clock::now();
    let result = db
        .run(move |conn| {
            account_security::request_password_reset(conn, &email, ip.0, mailing.outgoing(), now)
        })
        .await
        .map_err(|e| server_error(&e))?;
    match result {
        Ok(()) => {
            signal.wake();
            Ok((
                Status::Ok,
                Template::render(
                    "customer/password_reset_request",
                    context! { layout, sent: true, error: None::<String> },
                ),
            ))
        }
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
    layout: Layout,
    db: Db,
) -> Result<(Status, Template), Status> {
    let token_owned = token.to_owned();
    let now = clock::now();
    let account = db
        .query(move |conn| account_security::reset_link_account(conn, &token_owned, now))
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
#[allow(clippy::too_many_arguments)]
async fn new_password_submit(
    token: &str,
    form: Protected<NewPasswordFields>,
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
    mailing: &State<Mailing>,
    signal: &State<OutboxSignal>,
    slots: &State<PasswordSlots>,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let token_owned = token.to_owned();
    let (password, repeated) = (form.password.clone(), form.password_repeated.clone());
    let mailing = mailing.inner().clone();
    let ip = ip.0.map(|ip| ip.to_string());
    let now = clock::now();
    let _permit = slots
        .0
        .acquire()
        .await
        .map_err(|_| Status::ServiceUnavailable)?;
    let result = db
        .run(move |conn| -> Result<(), SecurityError> {
            let account = account_security::reset_link_account(conn, &token_owned, now)?
                .ok_or(SecurityError::InvalidLink)?;
            account_security::check_new_password(&password, &repeated, &account.login)?;
            let hash = crypto::hash_password(&password)?;
            account_security::complete_password_reset(
                conn,
                &token_owned,
                &hash,
                ip,
                mailing.outgoing(),
                now,
            )
        })
        .await
        .map_err(|e| server_error(&e))?;
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
        Ok(()) => {
            signal.wake();
            Either::Left(Flash::success(
                Redirect::to("/logowanie"),
                i18n::text(lang, "auth-password-reset-done"),
            ))
        }
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
