//! `/logowanie`, the second step `/logowanie/kod`, and `/wyloguj`.

use crate::web::views::{Template, context};
use chrono::{Duration, NaiveDateTime};
use rocket::form::FromForm;
use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::login::{self, KnownDevice, LoginError, LoginOutcome};
use crate::app::service::Refusal;
use crate::app::{App, clock};
use crate::config::Config;
use crate::i18n::{self, Lang};
use crate::web::csrf::{self, CsrfForm, Protected, TokenOnly};
use crate::web::messages;
use crate::web::page::Layout;
use crate::web::server_error;
use crate::web::session::{self, CUSTOMER_COOKIE, CurrentCustomer, Visit};

/// Remembers, between the two login steps, whose password was right (encrypted cookie).
const SECOND_FACTOR_COOKIE: &str = "ebok_2fa";
const SECOND_FACTOR_WINDOW: Duration = Duration::minutes(5);
/// The device cookie (`login::KnownDevice`): encrypted, sent only to the login pages, kept
/// for a year.
const DEVICE_COOKIE: &str = "ebok_device";

fn known_device(cookies: &CookieJar<'_>) -> Option<KnownDevice> {
    cookies
        .get_private(DEVICE_COOKIE)
        .and_then(|cookie| KnownDevice::from_cookie_value(cookie.value()))
}

/// A new device cookie after a completed login (password, and the code where it is on).
fn remember_device(cookies: &CookieJar<'_>, config: &Config, account_id: i64) {
    cookies.add_private(
        Cookie::build((
            DEVICE_COOKIE,
            KnownDevice::issue(account_id).to_cookie_value(),
        ))
        .path("/logowanie")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(config.web.public_url.starts_with("https://"))
        .max_age(rocket::time::Duration::days(365)),
    );
}

pub fn routes() -> Vec<Route> {
    routes![
        login_page,
        login_signed_in,
        login_submit,
        second_factor_page,
        second_factor_submit,
        logout
    ]
}

#[derive(Debug, FromForm)]
pub struct LoginFields {
    #[field(default = String::new())]
    identifier: String,
    #[field(default = String::new())]
    password: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for LoginFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[get("/logowanie", rank = 1)]
fn login_signed_in(_customer: CurrentCustomer) -> Redirect {
    Redirect::to("/")
}

#[get("/logowanie", rank = 2)]
fn login_page(layout: Layout) -> Template {
    Template::render(
        "customer/login",
        context! { layout, identifier: "", error: None::<String> },
    )
}

/// The welcome after signing in is in the account's language (`language`, read in the call
/// that signed in): the next page speaks it, while the form just sent spoke the visitor's.
pub fn welcome_language(language: Option<String>, fallback: Lang) -> Lang {
    language
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or(fallback)
}

/// After a successful login: a fresh session cookie and a fresh CSRF token.
pub fn signed_in(
    visit: &Visit<'_>,
    config: &Config,
    token: String,
    message: String,
) -> Flash<Redirect> {
    session::set_cookie(visit.cookies, config, CUSTOMER_COOKIE, token);
    csrf::rotate(visit.cookies);
    Flash::success(Redirect::to("/"), message)
}

#[post("/logowanie", data = "<form>")]
async fn login_submit(
    form: Protected<LoginFields>,
    app: &State<App>,
    visit: Visit<'_>,
    layout: Layout,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let (lang, cookies, config) = (layout.lang, visit.cookies, app.config());
    let (identifier, password) = (form.identifier.clone(), form.password.clone());
    let now = clock::now();
    let device = known_device(cookies);
    let attempt = app
        .visitor(&visit.client)
        .hashes_password()
        .attempt(move |conn, cx| {
            let outcome = login::login(
                conn,
                &identifier,
                &password,
                cx.client,
                device.as_ref(),
                cx.now,
            )?;
            let language = match &outcome {
                LoginOutcome::SignedIn { session, .. } => {
                    login::session_language(conn, &session.token).unwrap_or_default()
                }
                LoginOutcome::SecondFactorNeeded { .. } => None,
            };
            Ok::<_, LoginError>((outcome, language))
        })
        .await;
    let failure = |status: Status, error: String| {
        Either::Right((
            status,
            Template::render(
                "customer/login",
                context! { layout: layout.clone(), identifier: form.identifier.clone(), error },
            ),
        ))
    };
    let outcome = match attempt {
        Ok((_, outcome)) => outcome,
        Err(Refusal::Busy) => {
            return Ok(failure(
                Status::ServiceUnavailable,
                i18n::text(lang, "auth-busy"),
            ));
        }
        Err(refusal) => return Err(refusal.into()),
    };
    Ok(match outcome {
        Ok((
            LoginOutcome::SignedIn {
                session,
                account_id,
            },
            language,
        )) => {
            remember_device(cookies, config, account_id);
            let message = i18n::text(welcome_language(language, lang), "auth-signed-in");
            Either::Left(signed_in(&visit, config, session.token, message))
        }
        Ok((LoginOutcome::SecondFactorNeeded { account_id }, _)) => {
            let expires = (now + SECOND_FACTOR_WINDOW).and_utc().timestamp();
            cookies.add_private(
                Cookie::build((SECOND_FACTOR_COOKIE, format!("{account_id}:{expires}")))
                    .path("/logowanie")
                    .http_only(true)
                    .same_site(SameSite::Strict),
            );
            Either::Left(Flash::success(
                Redirect::to("/logowanie/kod"),
                i18n::text(lang, "auth-code-needed"),
            ))
        }
        Err(LoginError::Invalid | LoginError::WrongCode | LoginError::CodeAlreadyUsed) => {
            failure(Status::Unauthorized, i18n::text(lang, "auth-invalid"))
        }
        Err(LoginError::Throttled(retry)) => failure(
            Status::TooManyRequests,
            messages::throttled(lang, "auth-throttled", retry, now),
        ),
        Err(LoginError::NotActivated) => {
            failure(Status::Forbidden, i18n::text(lang, "auth-not-activated"))
        }
        Err(LoginError::Database(e)) => return Err(server_error(&e)),
        Err(LoginError::Sealed(e)) => return Err(server_error(&e)),
    })
}

/// The account waiting for its second step, if the window has not passed.
fn pending_second_factor(cookies: &CookieJar<'_>, now: NaiveDateTime) -> Option<i64> {
    let value = cookies
        .get_private(SECOND_FACTOR_COOKIE)?
        .value()
        .to_owned();
    let (account, expires) = value.split_once(':')?;
    let expires: i64 = expires.parse().ok()?;
    (now.and_utc().timestamp() < expires)
        .then(|| account.parse().ok())
        .flatten()
}

#[get("/logowanie/kod")]
fn second_factor_page(layout: Layout, cookies: &CookieJar<'_>) -> Either<Template, Redirect> {
    match pending_second_factor(cookies, clock::now()) {
        Some(_) => Either::Left(Template::render(
            "customer/login_code",
            context! { layout, error: None::<String> },
        )),
        None => Either::Right(Redirect::to("/logowanie")),
    }
}

#[derive(Debug, FromForm)]
pub struct CodeFields {
    #[field(default = String::new())]
    code: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for CodeFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/logowanie/kod", data = "<form>")]
async fn second_factor_submit(
    form: Protected<CodeFields>,
    app: &State<App>,
    visit: Visit<'_>,
    layout: Layout,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let (lang, cookies, config) = (layout.lang, visit.cookies, app.config());
    let now = clock::now();
    let Some(account_id) = pending_second_factor(cookies, now) else {
        return Ok(Either::Left(Flash::error(
            Redirect::to("/logowanie"),
            i18n::text(lang, "auth-code-expired"),
        )));
    };
    let code = form.code.clone();
    let device = known_device(cookies);
    let (_, outcome) = app
        .visitor(&visit.client)
        .attempt(move |conn, cx| {
            let session = login::login_second_factor(
                conn,
                cx.secrets(),
                account_id,
                &code,
                cx.client,
                device.as_ref(),
                cx.now,
            )?;
            let language = login::session_language(conn, &session.token).unwrap_or_default();
            Ok::<_, LoginError>((session, language))
        })
        .await?;
    let failure = |status: Status, error: String| {
        Either::Right((
            status,
            Template::render(
                "customer/login_code",
                context! { layout: layout.clone(), error },
            ),
        ))
    };
    Ok(match outcome {
        Ok((session, language)) => {
            cookies.remove_private(Cookie::build(SECOND_FACTOR_COOKIE).path("/logowanie"));
            remember_device(cookies, config, account_id);
            let message = i18n::text(welcome_language(language, lang), "auth-signed-in");
            Either::Left(signed_in(&visit, config, session.token, message))
        }
        Err(LoginError::Throttled(retry)) => failure(
            Status::TooManyRequests,
            messages::throttled(lang, "auth-code-throttled", retry, now),
        ),
        Err(LoginError::Database(e)) => return Err(server_error(&e)),
        Err(LoginError::Sealed(e)) => return Err(server_error(&e)),
        Err(LoginError::CodeAlreadyUsed) => failure(
            Status::Unauthorized,
            i18n::text(lang, "auth-code-already-used"),
        ),
        Err(_) => failure(Status::Unauthorized, i18n::text(lang, "auth-code-invalid")),
    })
}

#[post("/wyloguj", data = "<_form>")]
async fn logout(
    _form: Protected<TokenOnly>,
    app: &State<App>,
    lang: Lang,
    visit: Visit<'_>,
) -> Result<Flash<Redirect>, Status> {
    session::log_out(app, visit.cookies, CUSTOMER_COOKIE, &visit.client).await?;
    Ok(Flash::success(
        Redirect::to("/"),
        i18n::text(lang, "auth-logged-out"),
    ))
}
