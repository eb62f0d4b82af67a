//! `/staff/login` and `/staff/wyloguj`.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::{CookieJar, Status};
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::clock;
use crate::app::login::{self, LoginError};
use crate::config::Config;
use crate::i18n::{self, Lang};
use crate::web::client_ip::Client;
use crate::web::csrf::{self, CsrfForm, Protected, TokenOnly};
use crate::web::mailing::PasswordSlots;
use crate::web::messages;
use crate::web::page::Layout;
use crate::web::session::{self, STAFF_COOKIE};
use crate::web::{Db, server_error};

pub fn routes() -> Vec<Route> {
    routes![login_page, login_submit, logout]
}

#[get("/staff/login")]
fn login_page(layout: Layout) -> Template {
    Template::render(
        "staff/login",
        context! { layout, login: "", error: None::<String> },
    )
}

#[derive(Debug, FromForm)]
pub struct StaffLoginFields {
    #[field(default = String::new())]
    login: String,
    #[field(default = String::new())]
    password: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for StaffLoginFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/staff/login", data = "<form>")]
#[allow(clippy::too_many_arguments)]
async fn login_submit(
    form: Protected<StaffLoginFields>,
    layout: Layout,
    lang: Lang,
    client: Client,
    db: Db,
    cookies: &CookieJar<'_>,
    config: &State<Config>,
    slots: &State<PasswordSlots>,
) -> Result<Either<Redirect, (Status, Template)>, Status> {
    let (login_name, password) = (form.login.clone(), form.password.clone());
    let info = client.0;
    let now = clock::now();
    let _permit = slots
        .0
        .acquire()
        .await
        .map_err(|_| Status::ServiceUnavailable)?;
    let outcome = db
        .run(move |conn| login::staff_login(conn, &login_name, &password, &info, now))
        .await
        .map_err(|e| server_error(&e))?;
    let failure = |status, error: String| {
        Either::Right((
            status,
            Template::render(
                "staff/login",
                context! { layout: layout.clone(), login: form.login.trim(), error },
            ),
        ))
    };
    Ok(match outcome {
        Ok(session) => {
            session::set_cookie(cookies, config, STAFF_COOKIE, session.token);
            csrf::rotate(cookies);
            Either::Left(Redirect::to("/staff"))
        }
        Err(LoginError::Throttled(retry)) => failure(
            Status::TooManyRequests,
            messages::throttled(lang, "staff-throttled", retry, now),
        ),
        Err(LoginError::Database(e)) => return Err(server_error(&e)),
        Err(_) => failure(Status::Unauthorized, i18n::text(lang, "staff-invalid")),
    })
}

#[post("/staff/wyloguj", data = "<_form>")]
async fn logout(
    _form: Protected<TokenOnly>,
    lang: Lang,
    db: Db,
    ip: crate::web::client_ip::ClientIp,
    cookies: &CookieJar<'_>,
) -> Result<Flash<Redirect>, Status> {
    session::log_out(&db, cookies, STAFF_COOKIE, ip.0).await?;
    Ok(Flash::success(
        Redirect::to("/staff/login"),
        i18n::text(lang, "staff-logged-out"),
    ))
}
