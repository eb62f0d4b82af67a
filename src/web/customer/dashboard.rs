//! `/` for a signed-in subscriber: the dashboard.

use rocket::http::{CookieJar, Status};
use rocket::response::Redirect;
use rocket::{Either, Route, State, get, routes};

use crate::app::dashboard::{self, At};
use crate::app::news_board::NewsBoard;
use crate::app::{access, clock};
use crate::config::Config;
use crate::web::Db;
use crate::web::page::LayoutDraft;
use crate::web::session::{CUSTOMER_COOKIE, CustomerCookie, clear_cookie};
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![home]
}

/// Outranks the public start page when a session cookie is present. The most visited page, so
/// the session is resumed in the same database turn as the page's own query rather than by the
/// `CurrentCustomer` guard (one trip to the blocking pool, one connection checkout).
#[get("/", rank = 1)]
async fn home(
    cookie: CustomerCookie,
    layout: LayoutDraft,
    cookies: &CookieJar<'_>,
    db: Db,
    config: &State<Config>,
    board: &State<NewsBoard>,
) -> Result<Either<Template, Redirect>, Status> {
    let at = At {
        today: clock::today(),
        now: clock::now(),
    };
    let notices = config.notices;
    let board = board.inner().clone();
    let found = db
        .query(move |conn| {
            let Some(customer) = cookie.resume(conn, at.now)? else {
                return Ok(None);
            };
            let access = access::flags(&customer.account.role);
            let page =
                dashboard::load(conn, customer.customer_id(), at, &notices, &access, &board)?;
            Ok::<_, diesel::result::Error>(Some((customer, page)))
        })
        .await?;
    let Some((customer, page)) = found else {
        // The session ended: drop the cookie and show the public start page.
        clear_cookie(cookies, CUSTOMER_COOKIE);
        return Ok(Either::Right(Redirect::to("/")));
    };
    let page = page.ok_or(Status::NotFound)?;
    Ok(Either::Left(Template::render(
        "customer/dashboard",
        context! {
            layout: layout.signed_in(&customer),
            page,
            login: &customer.account.login,
        },
    )))
}
