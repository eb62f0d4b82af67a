//! `/saldo/zaleglosci`: what is overdue, since when, statutory interest so far, the step each
//! invoice reached with its deadline and what happens next, and the dunning letters;
//! `/saldo/monity/<id>.pdf`: one letter; `/saldo/noty/<id>.pdf`: an interest note as issued.
//! Only the signed-in customer's rows.

use rocket::http::{ContentType, Status};
use rocket::{Route, State, get, routes};

use super::invoices::Download;
use crate::app::access::Area;
use crate::app::{App, dunning, interest_notes};
use crate::web::page::LayoutDraft;
use crate::web::session::CustomerCookie;
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![overdue, letter, note]
}

#[get("/saldo/zaleglosci")]
async fn overdue(
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, (dunning, today)) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .run(move |conn, cx| {
            dunning::of_customer(conn, cx.customer_id(), cx.today).map(|found| (found, cx.today))
        })
        .await?;
    Ok(Template::render(
        "customer/overdue",
        context! {
            layout: layout.signed_in(&me),
            dunning,
            today,
            online_pay: app.gateway().is_some(),
        },
    ))
}

#[get("/saldo/monity/<file>")]
async fn letter(file: &str, app: &State<App>, cookie: CustomerCookie) -> Result<Download, Status> {
    let id: i64 = file
        .strip_suffix(".pdf")
        .unwrap_or(file)
        .parse()
        .map_err(|_| Status::NotFound)?;
    let (_, found) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .run(move |conn, cx| {
            dunning::document_of(conn, &cx.documents().renderer, cx.customer_id(), id)
        })
        .await?;
    let bytes = found.ok_or(Status::NotFound)?;
    Ok(Download::new(
        bytes,
        ContentType::PDF,
        &format!("monit-{id}.pdf"),
    ))
}

/// An interest note's PDF: the file stored when it was issued, checked against its hash.
#[get("/saldo/noty/<file>")]
async fn note(file: &str, app: &State<App>, cookie: CustomerCookie) -> Result<Download, Status> {
    let id: i64 = file
        .strip_suffix(".pdf")
        .unwrap_or(file)
        .parse()
        .map_err(|_| Status::NotFound)?;
    let (_, found) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .run(move |conn, cx| {
            interest_notes::pdf_of(conn, &cx.documents().store, cx.customer_id(), id)
        })
        .await?;
    let found = found.ok_or(Status::NotFound)?;
    let bytes = found.bytes.map_err(|e| crate::web::server_error(&e))?;
    let number = found.number;
    Ok(Download::new(
        bytes,
        ContentType::PDF,
        &format!("{}.pdf", number.replace('/', "-")),
    ))
}
