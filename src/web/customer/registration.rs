//! `/rejestracja` and activation (`/aktywacja/<token>`, `/aktywacja/ponownie`).

use std::collections::BTreeMap;

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::login;
use crate::app::registration::{
    self, ActivationError, RegistrationError, RegistrationForm, RegistrationRules,
};
use crate::app::{App, clock, crypto};
use crate::i18n;
use crate::web::client_ip::Client;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::customer::auth::welcome_language;
use crate::web::messages;
use crate::web::page::Layout;
use crate::web::server_error;
use crate::web::session::Visit;

pub fn routes() -> Vec<Route> {
    routes![
        register_page,
        register_submit,
        registered_page,
        activation_page,
        activation_submit,
        resend_page,
        resend_submit
    ]
}

#[derive(Debug, FromForm)]
pub struct RegistrationFields {
    #[field(default = String::new())]
    login: String,
    #[field(default = String::new())]
    password: String,
    #[field(default = String::new())]
    password_repeated: String,
    #[field(default = String::new())]
    email: String,
    #[field(default = String::new())]
    pesel: String,
    #[field(default = String::new())]
    contract_number: String,
    accepts_terms: bool,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for RegistrationFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// What the form shows again: never the passwords.
#[derive(Debug, Default, serde::Serialize)]
struct Typed {
    login: String,
    email: String,
    pesel: String,
    contract_number: String,
    accepts_terms: bool,
}

fn form_page(
    layout: Layout,
    typed: Typed,
    errors: BTreeMap<&'static str, Vec<String>>,
    message: Option<String>,
) -> Template {
    Template::render(
        "customer/register",
        context! {
            layout,
            typed,
            errors,
            message,
            min_length: crate::app::passwords::MIN_LENGTH,
            terms_version: registration::TERMS_VERSION,
        },
    )
}

#[get("/rejestracja")]
fn register_page(layout: Layout) -> Template {
    form_page(layout, Typed::default(), BTreeMap::new(), None)
}

#[post("/rejestracja", data = "<form>")]
async fn register_submit(
    form: Protected<RegistrationFields>,
    app: &State<App>,
    client: Client,
    layout: Layout,
) -> Result<Either<Redirect, (Status, Template)>, Status> {
    let lang = layout.lang;
    let input = RegistrationForm {
        login: form.login.clone(),
        password: form.password.clone(),
        password_repeated: form.password_repeated.clone(),
        email: form.email.clone(),
        pesel: form.pesel.clone(),
        contract_number: form.contract_number.clone(),
        accepts_terms: form.accepts_terms,
    };
    let now = clock::now();
    let (_, result) = app
        .visitor(&client.0)
        .hashes_password()
        .attempt(move |conn, cx| {
            // Hashed for every attempt, before anything is looked up, so that a mismatch takes
            // as long as a match.
            let hash = crypto::hash_password(&input.password)?;
            let config = cx.config();
            let rules = RegistrationRules {
                from_own_connection_only: config.web.registration_from_own_connection,
            };
            let pesel_key = &config.security.pesel_key;
            registration::register(
                conn,
                &input,
                &hash,
                pesel_key,
                rules,
                cx.ip(),
                cx.mail(),
                cx.now,
            )
        })
        .await?;
    let typed = Typed {
        login: form.login.trim().to_owned(),
        email: form.email.trim().to_owned(),
        pesel: form.pesel.trim().to_owned(),
        contract_number: form.contract_number.trim().to_owned(),
        accepts_terms: form.accepts_terms,
    };
    // Identity fields are not shown back after a mismatch: the answer must not depend on them.
    let login_only = Typed {
        login: typed.login.clone(),
        accepts_terms: typed.accepts_terms,
        ..Typed::default()
    };
    let refused = |status, typed, errors, message: String| {
        Either::Right((
            status,
            form_page(layout.clone(), typed, errors, Some(message)),
        ))
    };
    Ok(match result {
        Ok(_) => Either::Left(Redirect::to("/rejestracja/wyslano")),
        Err(RegistrationError::Fields(problems)) => {
            let mut errors: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
            for problem in problems {
                let (field, message) = messages::field_problem(lang, problem);
                errors.entry(field).or_default().push(message);
            }
            refused(
                Status::UnprocessableEntity,
                typed,
                errors,
                i18n::text(lang, "registration-fix-fields"),
            )
        }
        Err(RegistrationError::IdentityNotConfirmed) => refused(
            Status::UnprocessableEntity,
            login_only,
            BTreeMap::new(),
            i18n::text(lang, "registration-identity-not-confirmed"),
        ),
        Err(RegistrationError::AlreadyRegistered) => refused(
            Status::Conflict,
            login_only,
            BTreeMap::new(),
            i18n::text(lang, "registration-already-registered"),
        ),
        Err(RegistrationError::NotFromOwnConnection) => refused(
            Status::Forbidden,
            login_only,
            BTreeMap::new(),
            i18n::text(lang, "registration-not-own-connection"),
        ),
        Err(RegistrationError::Throttled(retry)) => refused(
            Status::TooManyRequests,
            login_only,
            BTreeMap::new(),
            messages::throttled(lang, "registration-throttled", retry, now),
        ),
        Err(error) => return Err(server_error(&error)),
    })
}

#[get("/rejestracja/wyslano")]
fn registered_page(layout: Layout) -> Template {
    Template::render("customer/registered", context! { layout })
}

#[get("/aktywacja/<token>", rank = 2)]
async fn activation_page(
    token: &str,
    app: &State<App>,
    client: Client,
    layout: Layout,
) -> Result<(Status, Template), Status> {
    let token_owned = token.to_owned();
    let (_, usable) = app
        .visitor(&client.0)
        .run(move |conn, cx| registration::activation_link_is_usable(conn, &token_owned, cx.now))
        .await?;
    let status = if usable { Status::Ok } else { Status::Gone };
    Ok((
        status,
        Template::render("customer/activate", context! { layout, token, usable }),
    ))
}

#[derive(Debug, FromForm)]
pub struct ConfirmFields {
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for ConfirmFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/aktywacja/<token>", data = "<_form>", rank = 2)]
async fn activation_submit(
    token: &str,
    _form: Protected<ConfirmFields>,
    app: &State<App>,
    visit: Visit<'_>,
    layout: Layout,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let lang = layout.lang;
    let token_owned = token.to_owned();
    let (_, result) = app
        .visitor(&visit.client)
        .attempt(move |conn, cx| {
            let session = registration::activate(conn, &token_owned, cx.client, cx.now)?;
            // The welcome falls back to the form's language if the account cannot be read.
            let language = login::session_language(conn, &session.token).unwrap_or_default();
            Ok::<_, ActivationError>((session, language))
        })
        .await?;
    match result {
        Ok((session, language)) => {
            let message = i18n::text(welcome_language(language, lang), "registration-activated");
            Ok(Either::Left(super::auth::signed_in(
                &visit,
                app.config(),
                session.token,
                message,
            )))
        }
        Err(ActivationError::InvalidLink) => Ok(Either::Right((
            Status::Gone,
            Template::render(
                "customer/activate",
                context! { layout, token, usable: false },
            ),
        ))),
        Err(ActivationError::Database(e)) => Err(server_error(&e)),
    }
}

#[get("/aktywacja/ponownie", rank = 1)]
fn resend_page(layout: Layout) -> Template {
    Template::render(
        "customer/activation_resend",
        context! { layout, sent: false, error: None::<String> },
    )
}

#[derive(Debug, FromForm)]
pub struct ResendFields {
    #[field(default = String::new())]
    identifier: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for ResendFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/aktywacja/ponownie", data = "<form>", rank = 1)]
async fn resend_submit(
    form: Protected<ResendFields>,
    app: &State<App>,
    client: Client,
    layout: Layout,
) -> Result<(Status, Template), Status> {
    let (lang, now) = (layout.lang, clock::now());
    let identifier = form.identifier.clone();
    let (_, result) = app
        .visitor(&client.0)
        .attempt(move |conn, cx| {
            registration::resend_activation(conn, &identifier, cx.ip(), cx.mail(), cx.now)
        })
        .await?;
    match result {
        Ok(()) => Ok((
            Status::Ok,
            Template::render(
                "customer/activation_resend",
                context! { layout, sent: true, error: None::<String> },
            ),
        )),
        Err(RegistrationError::Throttled(retry)) => Ok((
            Status::TooManyRequests,
            Template::render(
                "customer/activation_resend",
                context! { layout, sent: false, error: messages::throttled(lang, "registration-resend-throttled", retry, now) },
            ),
        )),
        Err(error) => Err(server_error(&error)),
    }
}
