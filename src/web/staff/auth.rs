//! `/staff/login` and `/staff/wyloguj`.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::login::{self, LoginError};
use crate::app::service::Refusal;
use crate::app::{App, clock};
use crate::i18n::{self, Lang};
use crate::web::csrf::{self, CsrfForm, Protected, TokenOnly};
use crate::web::messages;
use crate::web::page::Layout;
use crate::web::server_error;
use crate::web::session::{self, STAFF_COOKIE, Visit};

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
async fn login_submit(
    form: Protected<StaffLoginFields>,
    app: &State<App>,
    visit: Visit<'_>,
    layout: Layout,
) -> Result<Either<Redirect, (Status, Template)>, Status> {
    let (lang, now) = (layout.lang, clock::now());
    let (login_name, password) = (form.login.clone(), form.password.clone());
    let attempt = app
        .visitor(&visit.client)
        .hashes_password()
        .attempt(move |conn, cx| {
            login::staff_login(conn, &login_name, &password, cx.client, cx.now)
        })
        .await;
    let failure = |status, error: String| {
        Either::Right((
            status,
            Template::render(
                "staff/login",
                context! { layout: layout.clone(), login: form.login.trim(), error },
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
        Ok(session) => {
            session::set_cookie(visit.cookies, app.config(), STAFF_COOKIE, session.token);
            csrf::rotate(visit.cookies);
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
    app: &State<App>,
    lang: Lang,
    visit: Visit<'_>,
) -> Result<Flash<Redirect>, Status> {
    session::log_out(app, visit.cookies, STAFF_COOKIE, &visit.client).await?;
    Ok(Flash::success(
        Redirect::to("/staff/login"),
        i18n::text(lang, "staff-logged-out"),
    ))
}
