//! "Bezpieczeństwo": recent logins, open sessions, password and e-mail changes, two-step login.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::account_security::{self, SecurityError};
use crate::app::audit::Actor;
use crate::app::crypto::SecretBox;
use crate::app::two_factor::{self, TwoFactorError};
use crate::app::{clock, crypto};
use crate::i18n::{self, Lang};
use crate::web::client_ip::ClientIp;
use crate::web::csrf::{CsrfForm, Protected, TokenOnly};
use crate::web::mailing::{Mailing, OutboxSignal, PasswordSlots};
use crate::web::messages;
use crate::web::page::Layout;
use crate::web::session::CurrentCustomer;
use crate::web::{Db, server_error};

/// The secret being set up, kept encrypted in a cookie until the first code proves the app has it.
const TOTP_SETUP_COOKIE: &str = "ebok_totp_setup";

pub fn routes() -> Vec<Route> {
    routes![
        overview,
        end_other_sessions,
        change_password,
        change_email,
        email_confirm_page,
        email_confirm_submit,
        two_factor_page,
        two_factor_enable,
        two_factor_disable
    ]
}

fn actor(customer: &CurrentCustomer, ip: ClientIp) -> Actor {
    Actor::account(
        customer.account.id,
        customer.customer_id(),
        ip.0.map(|ip| ip.to_string()),
    )
}

#[derive(Debug, Default, serde::Serialize)]
struct FormErrors {
    password: Vec<String>,
    email: Vec<String>,
}

async fn render_overview(
    db: &Db,
    customer: &CurrentCustomer,
    layout: Layout,
    errors: FormErrors,
    new_email: &str,
) -> Result<Template, Status> {
    let account = customer.account.clone();
    let session_id = customer.session_id;
    let now = clock::now();
    let overview = db
        .query(move |conn| account_security::overview(conn, &account, session_id, now))
        .await?;
    Ok(Template::render(
        "customer/security",
        context! { layout, overview, account_email: &customer.account.email, errors, new_email, min_length: crate::app::passwords::MIN_LENGTH },
    ))
}

#[get("/bezpieczenstwo")]
async fn overview(customer: CurrentCustomer, layout: Layout, db: Db) -> Result<Template, Status> {
    render_overview(&db, &customer, layout, FormErrors::default(), "").await
}

#[post("/bezpieczenstwo/wyloguj-inne", data = "<_form>")]
async fn end_other_sessions(
    _form: Protected<TokenOnly>,
    customer: CurrentCustomer,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Flash<Redirect>, Status> {
    let actor = actor(&customer, ip);
    let now = clock::now();
    let ended = db
        .query(move |conn| {
            account_security::end_other_sessions(
                conn,
                &customer.account,
                customer.session_id,
                &actor,
                now,
            )
        })
        .await?;
    Ok(Flash::success(
        Redirect::to("/bezpieczenstwo"),
        i18n::text_with(lang, "security-others-ended", &[("count", ended.into())]),
    ))
}

#[derive(Debug, FromForm)]
pub struct PasswordFields {
    #[field(default = String::new())]
    current_password: String,
    #[field(default = String::new())]
    password: String,
    #[field(default = String::new())]
    password_repeated: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for PasswordFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/bezpieczenstwo/haslo", data = "<form>")]
#[allow(clippy::too_many_arguments)]
async fn change_password(
    form: Protected<PasswordFields>,
    customer: CurrentCustomer,
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
    mailing: &State<Mailing>,
    signal: &State<OutboxSignal>,
    slots: &State<PasswordSlots>,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let actor = actor(&customer, ip);
    let (current, password, repeated) = (
        form.current_password.clone(),
        form.password.clone(),
        form.password_repeated.clone(),
    );
    let mailing = mailing.inner().clone();
    let account = customer.account.clone();
    let session_id = customer.session_id;
    let now = clock::now();
    let _permit = slots
        .0
        .acquire()
        .await
        .map_err(|_| Status::ServiceUnavailable)?;
    let result = db
        .run(move |conn| -> Result<(), SecurityError> {
            account_security::check_new_password(&password, &repeated, &account.login)?;
            let hash = crypto::hash_password(&password)?;
            account_security::change_password(
                conn,
                &account,
                &current,
                &hash,
                session_id,
                &actor,
                mailing.outgoing(),
                now,
            )
        })
        .await
        .map_err(|e| server_error(&e))?;
    let errors = match result {
        Ok(()) => {
            signal.wake();
            return Ok(Either::Left(Flash::success(
                Redirect::to("/bezpieczenstwo"),
                i18n::text(lang, "security-password-changed"),
            )));
        }
        Err(SecurityError::Password(problems)) => problems
            .into_iter()
            .map(|problem| messages::password_problem(lang, problem))
            .collect(),
        Err(SecurityError::WrongCurrentPassword) => {
            vec![i18n::text(lang, "security-wrong-current-password")]
        }
        Err(SecurityError::Throttled(retry)) => {
            vec![messages::throttled(lang, "security-throttled", retry, now)]
        }
        Err(error) => return Err(server_error(&error)),
    };
    let page = render_overview(
        &db,
        &customer,
        layout,
        FormErrors {
            password: errors,
            email: Vec::new(),
        },
        "",
    )
    .await?;
    Ok(Either::Right((Status::UnprocessableEntity, page)))
}

#[derive(Debug, FromForm)]
pub struct EmailFields {
    #[field(default = String::new())]
    new_email: String,
    #[field(default = String::new())]
    current_password: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for EmailFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/bezpieczenstwo/email", data = "<form>")]
#[allow(clippy::too_many_arguments)]
async fn change_email(
    form: Protected<EmailFields>,
    customer: CurrentCustomer,
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
    mailing: &State<Mailing>,
    signal: &State<OutboxSignal>,
    slots: &State<PasswordSlots>,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let actor = actor(&customer, ip);
    let (new_email, current) = (form.new_email.clone(), form.current_password.clone());
    let mailing = mailing.inner().clone();
    let account = customer.account.clone();
    let now = clock::now();
    let _permit = slots
        .0
        .acquire()
        .await
        .map_err(|_| Status::ServiceUnavailable)?;
    let result = db
        .run(move |conn| {
            account_security::request_email_change(
                conn,
                &account,
                &current,
                &new_email,
                &actor,
                mailing.outgoing(),
                now,
            )
        })
        .await
        .map_err(|e| server_error(&e))?;
    let error = match result {
        Ok(()) => {
            signal.wake();
            return Ok(Either::Left(Flash::success(
                Redirect::to("/bezpieczenstwo"),
                i18n::text(lang, "security-email-link-sent"),
            )));
        }
        Err(SecurityError::EmailFormat) => i18n::text(lang, "security-email-format"),
        Err(SecurityError::SameEmail) => i18n::text(lang, "security-same-email"),
        Err(SecurityError::WrongCurrentPassword) => {
            i18n::text(lang, "security-wrong-current-password")
        }
        Err(SecurityError::Throttled(retry)) => {
            messages::throttled(lang, "security-email-throttled", retry, now)
        }
        Err(error) => return Err(server_error(&error)),
    };
    let errors = FormErrors {
        password: Vec::new(),
        email: vec![error],
    };
    let page = render_overview(&db, &customer, layout, errors, form.new_email.trim()).await?;
    Ok(Either::Right((Status::UnprocessableEntity, page)))
}

#[get("/bezpieczenstwo/email/<token>")]
async fn email_confirm_page(
    token: &str,
    layout: Layout,
    db: Db,
) -> Result<(Status, Template), Status> {
    let token_owned = token.to_owned();
    let now = clock::now();
    let new_email = db
        .query(move |conn| account_security::email_change_target(conn, &token_owned, now))
        .await?;
    let status = if new_email.is_some() {
        Status::Ok
    } else {
        Status::Gone
    };
    Ok((
        status,
        Template::render(
            "customer/email_confirm",
            context! { layout, token, new_email },
        ),
    ))
}

#[post("/bezpieczenstwo/email/<token>", data = "<_form>")]
async fn email_confirm_submit(
    token: &str,
    _form: Protected<TokenOnly>,
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let token_owned = token.to_owned();
    let ip = ip.0.map(|ip| ip.to_string());
    let now = clock::now();
    let result = db
        .run(move |conn| account_security::confirm_email_change(conn, &token_owned, ip, now))
        .await
        .map_err(|e| server_error(&e))?;
    match result {
        Ok(email) => Ok(Either::Left(Flash::success(
            Redirect::to("/"),
            i18n::text_with(lang, "security-email-changed", &[("email", email.into())]),
        ))),
        Err(SecurityError::InvalidLink) => Ok(Either::Right((
            Status::Gone,
            Template::render(
                "customer/email_confirm",
                context! { layout, token, new_email: None::<String> },
            ),
        ))),
        Err(error) => Err(server_error(&error)),
    }
}

#[get("/bezpieczenstwo/2fa")]
fn two_factor_page(customer: CurrentCustomer, layout: Layout, cookies: &CookieJar<'_>) -> Template {
    if customer.account.totp_secret.is_some() {
        return Template::render(
            "customer/two_factor",
            context! { layout, enabled: true, error: None::<String> },
        );
    }
    let secret = setup_secret(cookies, customer.account.id).unwrap_or_else(two_factor::new_secret);
    cookies.add_private(
        Cookie::build((
            TOTP_SETUP_COOKIE,
            format!("{}:{secret}", customer.account.id),
        ))
        .path("/bezpieczenstwo")
        .http_only(true)
        .same_site(SameSite::Strict),
    );
    setup_page(layout, &customer, &secret, None)
}

/// The secret being set up, only if the setup cookie was made for this account.
fn setup_secret(cookies: &CookieJar<'_>, account_id: i64) -> Option<String> {
    let value = cookies.get_private(TOTP_SETUP_COOKIE)?.value().to_owned();
    let (owner, secret) = value.split_once(':')?;
    (owner.parse::<i64>().ok()? == account_id).then(|| secret.to_owned())
}

fn setup_page(
    layout: Layout,
    customer: &CurrentCustomer,
    secret: &str,
    error: Option<&str>,
) -> Template {
    Template::render(
        "customer/two_factor",
        context! {
            layout,
            enabled: false,
            secret,
            qr_svg: two_factor::provisioning_qr_svg(secret, &customer.account.login),
            error,
        },
    )
}

#[derive(Debug, FromForm)]
pub struct TwoFactorFields {
    #[field(default = String::new())]
    code: String,
    #[field(default = String::new())]
    current_password: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for TwoFactorFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/bezpieczenstwo/2fa/wlacz", data = "<form>")]
#[allow(clippy::too_many_arguments)]
async fn two_factor_enable(
    form: Protected<TwoFactorFields>,
    customer: CurrentCustomer,
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
    cookies: &CookieJar<'_>,
    mailing: &State<Mailing>,
    signal: &State<OutboxSignal>,
    slots: &State<PasswordSlots>,
    secrets: &State<SecretBox>,
) -> Result<Either<Template, (Status, Template)>, Status> {
    let Some(secret) = setup_secret(cookies, customer.account.id) else {
        return Ok(Either::Right((
            Status::UnprocessableEntity,
            Template::render(
                "customer/two_factor",
                context! { layout, enabled: false, error: i18n::text(lang, "security-2fa-restart") },
            ),
        )));
    };
    let actor = actor(&customer, ip);
    let (code, password) = (form.code.clone(), form.current_password.clone());
    let account = customer.account.clone();
    let mailing = mailing.inner().clone();
    let secrets = secrets.inner().clone();
    let now = clock::now();
    let secret_for_run = secret.clone();
    let _permit = slots
        .0
        .acquire()
        .await
        .map_err(|_| Status::ServiceUnavailable)?;
    let result = db
        .run(move |conn| {
            two_factor::enable(
                conn,
                &secrets,
                &account,
                &password,
                &secret_for_run,
                &code,
                &actor,
                mailing.outgoing(),
                now,
            )
        })
        .await
        .map_err(|e| server_error(&e))?;
    let error = match result {
        Ok(recovery_codes) => {
            signal.wake();
            cookies.remove_private(Cookie::build(TOTP_SETUP_COOKIE).path("/bezpieczenstwo"));
            return Ok(Either::Left(Template::render(
                "customer/two_factor_codes",
                context! { layout, recovery_codes },
            )));
        }
        Err(TwoFactorError::WrongCode | TwoFactorError::BadSecret) => {
            i18n::text(lang, "security-2fa-setup-wrong-code")
        }
        Err(TwoFactorError::WrongPassword) => i18n::text(lang, "security-wrong-password"),
        Err(TwoFactorError::Throttled(retry)) => {
            messages::throttled(lang, "security-throttled", retry, now)
        }
        Err(TwoFactorError::AlreadyEnabled) => i18n::text(lang, "security-2fa-already-on"),
        Err(error) => return Err(server_error(&error)),
    };
    Ok(Either::Right((
        Status::UnprocessableEntity,
        setup_page(layout, &customer, &secret, Some(&error)),
    )))
}

#[post("/bezpieczenstwo/2fa/wylacz", data = "<form>")]
#[allow(clippy::too_many_arguments)]
async fn two_factor_disable(
    form: Protected<TwoFactorFields>,
    customer: CurrentCustomer,
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
    mailing: &State<Mailing>,
    signal: &State<OutboxSignal>,
    slots: &State<PasswordSlots>,
    secrets: &State<SecretBox>,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let actor = actor(&customer, ip);
    let (code, password) = (form.code.clone(), form.current_password.clone());
    let account = customer.account.clone();
    let mailing = mailing.inner().clone();
    let secrets = secrets.inner().clone();
    let now = clock::now();
    let _permit = slots
        .0
        .acquire()
        .await
        .map_err(|_| Status::ServiceUnavailable)?;
    let result = db
        .run(move |conn| {
            two_factor::disable(
                conn,
                &secrets,
                &account,
                &password,
                &code,
                &actor,
                mailing.outgoing(),
                now,
            )
        })
        .await
        .map_err(|e| server_error(&e))?;
    let error = match result {
        Ok(()) => {
            signal.wake();
            return Ok(Either::Left(Flash::success(
                Redirect::to("/bezpieczenstwo"),
                i18n::text(lang, "security-2fa-turned-off"),
            )));
        }
        Err(TwoFactorError::WrongPassword) => i18n::text(lang, "security-wrong-password"),
        Err(TwoFactorError::WrongCode) => i18n::text(lang, "security-wrong-code"),
        Err(TwoFactorError::Throttled(retry)) => {
            messages::throttled(lang, "security-throttled", retry, now)
        }
        Err(error) => return Err(server_error(&error)),
    };
    Ok(Either::Right((
        Status::UnprocessableEntity,
        Template::render(
            "customer/two_factor",
            context! { layout, enabled: true, error },
        ),
    )))
}
