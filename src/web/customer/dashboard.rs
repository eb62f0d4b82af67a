//! `/` for a signed-in subscriber: the dashboard.

use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::response::Redirect;
use rocket::{Either, Route, State, get, routes};

use crate::app::App;
use crate::app::access;
use crate::app::dashboard::{self, At};
use crate::app::service::Refusal;
use crate::web::page::LayoutDraft;
use crate::web::session::{CUSTOMER_COOKIE, CustomerCookie, clear_cookie};
use crate::web::views::{Template, context};

/// Set once the overdue page was shown in this browser session (no expiry: it ends with the
/// browser).
const OVERDUE_SHOWN_COOKIE: &str = "ebok_overdue_shown";

pub fn routes() -> Vec<Route> {
    routes![home]
}

/// Outranks the public start page when a session cookie is present.
#[get("/", rank = 1)]
async fn home(
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
    cookies: &CookieJar<'_>,
) -> Result<Either<Template, Redirect>, Status> {
    let found = app
        .customer(&cookie)
        .run(|conn, cx| {
            let at = At {
                today: cx.today,
                now: cx.now,
            };
            let access = access::flags(&cx.me.account.role);
            let notices = &cx.config().notices;
            dashboard::load(
                conn,
                cx.customer_id(),
                at,
                notices,
                &access,
                cx.news_board(),
            )
        })
        .await;
    let (me, page) = match found {
        Ok(found) => found,
        Err(Refusal::SignedOut) => {
            // The session ended: drop the cookie and show the public start page.
            clear_cookie(cookies, CUSTOMER_COOKIE);
            return Ok(Either::Right(Redirect::to("/")));
        }
        Err(refusal) => return Err(refusal.into()),
    };
    let page = page.ok_or(Status::NotFound)?;
    // A subscriber whose connection is flagged (warning page or limitation) lands on the overdue
    // page the first time they open the portal in this browser session; its link leads on here.
    let flagged = page.dunning.as_ref().is_some_and(|d| d.flag.is_some());
    if flagged && cookies.get(OVERDUE_SHOWN_COOKIE).is_none() {
        cookies.add(
            Cookie::build((OVERDUE_SHOWN_COOKIE, "1"))
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax),
        );
        return Ok(Either::Right(Redirect::to("/saldo/zaleglosci")));
    }
    Ok(Either::Left(Template::render(
        "customer/dashboard",
        context! {
            login: &me.account.login,
            layout: layout.signed_in(&me),
            page,
            online_pay: app.gateway().is_some(),
        },
    )))
}
