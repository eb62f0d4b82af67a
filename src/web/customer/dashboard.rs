//! `/` for a signed-in subscriber: the dashboard.

use crate::web::views::{Template, context};
use rocket::http::Status;
use rocket::{Route, State, get, routes};

use crate::app::dashboard::{self, At};
use crate::app::news_board::NewsBoard;
use crate::app::{access, clock};
use crate::config::Config;
use crate::web::Db;
use crate::web::page::Layout;
use crate::web::session::CurrentCustomer;

pub fn routes() -> Vec<Route> {
    routes![home]
}

/// Outranks the public start page when a session is present.
#[get("/", rank = 1)]
async fn home(
    customer: CurrentCustomer,
    layout: Layout,
    db: Db,
    config: &State<Config>,
    board: &State<NewsBoard>,
) -> Result<Template, Status> {
    let customer_id = customer.customer_id();
    let at = At {
        today: clock::today(),
        now: clock::now(),
    };
    let notices = config.notices;
    let access = access::flags(&customer.account.role);
    let board = board.inner().clone();
    let page = db
        .query(move |conn| dashboard::load(conn, customer_id, at, &notices, &access, &board))
        .await?
        .ok_or(Status::NotFound)?;
    Ok(Template::render(
        "customer/dashboard",
        context! { layout, page, login: &customer.account.login },
    ))
}
