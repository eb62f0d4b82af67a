//! "Bezpieczeństwo": recent logins, open sessions, password and e-mail changes, two-step login.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::account_security::{self, SecurityError};
use crate::app::sessions::CustomerSession;
use crate::app::two_factor::{self, TwoFactorError};
use crate::app::{App, clock, crypto};
use crate::i18n;
use crate::web::client_ip::Client;
use crate::web::csrf::{CsrfForm, Protected, TokenOnly};
use crate::web::messages;
use crate::web::page::{Layout, LayoutDraft};
use crate::web::server_error;
use crate::web::session::{CustomerCookie, language};

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

#[derive(Debug, Default, serde::Serialize)]
struct FormErrors {
    password: Vec<String>,
    email: Vec<String>,
}

async fn render_overview(
    app: &App,
    cookie: &CustomerCookie,
    layout: LayoutDraft,
    errors: FormErrors,
    new_email: &str,
) -> Result<Template, Status> {
    let (me, overview) = app
        .customer(cookie)
        .run(|conn, cx| account_security::overview(conn, &cx.me.account, cx.me.session_id, cx.now))
        .await?;
    Ok(Template::render(
        "customer/security",
        context! {
            account_email: &me.account.email,
            layout: layout.signed_in(&me),
            overview,
            errors,
            new_email,
            min_length: crate::app::passwords::MIN_LENGTH,
        },
    ))
}

#[get("/bezpieczenstwo")]
async fn overview(
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    render_overview(app, &cookie, layout, FormErrors::default(), "").await
}

#[post("/bezpieczenstwo/wyloguj-inne", data = "<_form>")]
async fn end_other_sessions(
    _form: Protected<TokenOnly>,
    app: &State<App>,
    cookie: CustomerCookie,
) -> Result<Flash<Redirect>, Status> {
    let (me, ended) = app
        .customer(&cookie)
        .run(|conn, cx| {
            account_security::end_other_sessions(
                conn,
                &cx.me.account,
                cx.me.session_id,
                &cx.actor(),
                cx.now,
            )
        })
        .await?;
    Ok(Flash::success(
        Redirect::to("/bezpieczenstwo"),
        i18n::text_with(
            language(&me),
            "security-others-ended",
            &[("count", ended.into())],
        ),
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
async fn change_password(
    form: Protected<PasswordFields>,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let (current, password, repeated) = (
        form.current_password.clone(),
        form.password.clone(),
        form.password_repeated.clone(),
    );
    let (me, result) = app
        .customer(&cookie)
        .hashes_password()
        .attempt(move |conn, cx| -> Result<(), SecurityError> {
            let account = &cx.me.account;
            account_security::check_new_password(&password, &repeated, &account.login)?;
            let hash = crypto::hash_password(&password)?;
            account_security::change_password(
                conn,
                account,
                &current,
                &hash,
                cx.me.session_id,
                &cx.actor(),
                cx.mail(),
                cx.now,
            )
        })
        .await?;
    let (lang, now) = (language(&me), clock::now());
    let errors = match result {
        Ok(()) => {
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
    let errors = FormErrors {
        password: errors,
        email: Vec::new(),
    };
    let page = render_overview(app, &cookie, layout, errors, "").await?;
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
async fn change_email(
    form: Protected<EmailFields>,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let (new_email, current) = (form.new_email.clone(), form.current_password.clone());
    let (me, result) = app
        .customer(&cookie)
        .hashes_password()
        .attempt(move |conn, cx| {
            account_security::request_email_change(
                conn,
                &cx.me.account,
                &current,
                &new_email,
                &cx.actor(),
                cx.mail(),
                cx.now,
            )
        })
        .await?;
    let (lang, now) = (language(&me), clock::now());
    let error = match result {
        Ok(()) => {
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
    let page = render_overview(app, &cookie, layout, errors, form.new_email.trim()).await?;
    Ok(Either::Right((Status::UnprocessableEntity, page)))
}

#[get("/bezpieczenstwo/email/<token>")]
async fn email_confirm_page(
    token: &str,
    app: &State<App>,
    client: Client,
    layout: Layout,
) -> Result<(Status, Template), Status> {
    let token_owned = token.to_owned();
    let (_, new_email) = app
        .visitor(&client.0)
        .run(move |conn, cx| account_security::email_change_target(conn, &token_owned, cx.now))
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
    app: &State<App>,
    client: Client,
    layout: Layout,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let lang = layout.lang;
    let token_owned = token.to_owned();
    let (_, result) = app
        .visitor(&client.0)
        .attempt(move |conn, cx| {
            account_security::confirm_email_change(conn, &token_owned, cx.client.ip.clone(), cx.now)
        })
        .await?;
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
async fn two_factor_page(
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
    cookies: &CookieJar<'_>,
) -> Result<Template, Status> {
    let customer = app.customer(&cookie).resume().await?;
    let layout = layout.signed_in(&customer);
    if customer.account.totp_secret.is_some() {
        return Ok(Template::render(
            "customer/two_factor",
            context! { layout, enabled: true, error: None::<String> },
        ));
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
    Ok(setup_page(layout, &customer, &secret, None))
}

/// The secret being set up, only if the setup cookie was made for this account.
fn setup_secret(cookies: &CookieJar<'_>, account_id: i64) -> Option<String> {
    let (owner, secret) = setup_secret_of_any(cookies)?;
    (owner == account_id).then_some(secret)
}

/// The setup cookie's account and secret, before it is known who is signed in.
fn setup_secret_of_any(cookies: &CookieJar<'_>) -> Option<(i64, String)> {
    let value = cookies.get_private(TOTP_SETUP_COOKIE)?.value().to_owned();
    let (owner, secret) = value.split_once(':')?;
    Some((owner.parse().ok()?, secret.to_owned()))
}

fn setup_page(
    layout: Layout,
    customer: &CustomerSession,
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
async fn two_factor_enable(
    form: Protected<TwoFactorFields>,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
    cookies: &CookieJar<'_>,
) -> Result<Either<Template, (Status, Template)>, Status> {
    // The setup cookie names its account; which account this is, the call below says.
    let secret = setup_secret_of_any(cookies);
    let (code, password) = (form.code.clone(), form.current_password.clone());
    let secret_for_run = secret.clone();
    let (customer, result) = app
        .customer(&cookie)
        .hashes_password()
        .attempt(move |conn, cx| {
            let Some((owner, secret)) = secret_for_run else {
                return Ok(None);
            };
            if owner != cx.me.account.id {
                return Ok(None);
            }
            two_factor::enable(
                conn,
                cx.secrets(),
                &cx.me.account,
                &password,
                &secret,
                &code,
                &cx.actor(),
                cx.mail(),
                cx.now,
            )
            .map(Some)
        })
        .await?;
    let (lang, now) = (language(&customer), clock::now());
    let layout = layout.signed_in(&customer);
    let (Some((_, secret)), Some(result)) = (secret, result.transpose()) else {
        return Ok(Either::Right((
            Status::UnprocessableEntity,
            Template::render(
                "customer/two_factor",
                context! { layout, enabled: false, error: i18n::text(lang, "security-2fa-restart") },
            ),
        )));
    };
    let error = match result {
        Ok(recovery_codes) => {
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
async fn two_factor_disable(
    form: Protected<TwoFactorFields>,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let (code, password) = (form.code.clone(), form.current_password.clone());
    let (customer, result) = app
        .customer(&cookie)
        .hashes_password()
        .attempt(move |conn, cx| {
            two_factor::disable(
                conn,
                cx.secrets(),
                &cx.me.account,
                &password,
                &code,
                &cx.actor(),
                cx.mail(),
                cx.now,
            )
        })
        .await?;
    let (lang, now) = (language(&customer), clock::now());
    let layout = layout.signed_in(&customer);
    let error = match result {
        Ok(()) => {
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
