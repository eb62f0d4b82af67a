//! Leaving the mailing list from a marketing mail, without signing in: `GET /lista/wypisz/<token>`
//! shows one button (link scanners that fetch every link change nothing); `POST` to the same
//! address leaves, from that button or from the mail client's one-click unsubscribe
//! (RFC 8058: `List-Unsubscribe=One-Click`, no cookies, no CSRF token: the single-use token
//! in the address is the proof).

use rocket::form::{Form, FromForm};
use rocket::http::Status;
use rocket::{Route, State, get, post, routes};

use crate::app::App;
use crate::app::mailing_list::{self, Leave};
use crate::web::client_ip::Client;
use crate::web::page::Layout;
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![page, leave]
}

#[get("/lista/wypisz/<token>")]
async fn page(
    token: &str,
    app: &State<App>,
    client: Client,
    layout: Layout,
) -> Result<(Status, Template), Status> {
    let owned = token.to_owned();
    let (_, usable) = app
        .visitor(&client.0)
        .run(move |conn, cx| mailing_list::link_usable(conn, &owned, cx.now))
        .await?;
    let status = if usable { Status::Ok } else { Status::Gone };
    Ok((
        status,
        Template::render(
            "public/unsubscribe",
            context! { layout, token, usable, left: false },
        ),
    ))
}

/// What a one-click POST carries; the button sends the same. Nothing in it is needed.
#[derive(Debug, FromForm)]
pub struct OneClick {
    #[field(name = "List-Unsubscribe", default = String::new())]
    _list_unsubscribe: String,
}

#[post("/lista/wypisz/<token>", data = "<_form>")]
async fn leave(
    token: &str,
    _form: Option<Form<OneClick>>,
    app: &State<App>,
    client: Client,
    layout: Layout,
) -> Result<(Status, Template), Status> {
    let owned = token.to_owned();
    let (_, outcome) = app
        .visitor(&client.0)
        .writes()
        .run(move |conn, cx| mailing_list::leave(conn, &owned, cx.client.ip.clone(), cx.now))
        .await?;
    let left = outcome == Leave::Left;
    Ok((
        if left { Status::Ok } else { Status::Gone },
        Template::render(
            "public/unsubscribe",
            context! { layout, token, usable: left, left },
        ),
    ))
}
