//! `/wiadomosci`: the ISP's news and outage notices for this subscriber's area; urgent ones stay
//! on top until confirmed.

use crate::web::views::{Template, context};
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use crate::app::news_board::NewsBoard;
use crate::app::{clock, news};
use crate::i18n::{self, Lang};
use crate::web::Db;
use crate::web::csrf::{Protected, TokenOnly};
use crate::web::page::Layout;
use crate::web::session::CurrentCustomer;

pub fn routes() -> Vec<Route> {
    routes![list, confirm]
}

#[get("/wiadomosci")]
async fn list(
    customer: CurrentCustomer,
    layout: Layout,
    db: Db,
    board: &State<NewsBoard>,
) -> Result<Template, Status> {
    let customer_id = customer.customer_id();
    let now = clock::now();
    let board = board.inner().clone();
    let news = db
        .query(move |conn| news::for_customer(conn, &board, customer_id, now))
        .await?;
    Ok(Template::render("customer/news", context! { layout, news }))
}

/// Confirms an urgent notice for this customer only; an item they cannot see is 404.
#[post("/wiadomosci/<id>/potwierdz", data = "<_form>")]
async fn confirm(
    id: i64,
    _form: Protected<TokenOnly>,
    customer: CurrentCustomer,
    lang: Lang,
    db: Db,
) -> Result<Flash<Redirect>, Status> {
    let (customer_id, account_id) = (customer.customer_id(), customer.account.id);
    let now = clock::now();
    let confirmed = db
        .query(move |conn| news::confirm(conn, customer_id, account_id, id, now))
        .await?;
    if !confirmed {
        return Err(Status::NotFound);
    }
    Ok(Flash::success(
        Redirect::to("/wiadomosci"),
        i18n::text(lang, "news-confirmed"),
    ))
}
