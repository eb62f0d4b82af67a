//! `/saldo/zaleglosci`: what is overdue, since when, statutory interest so far, the step each
//! invoice reached with its deadline and what happens next, and the dunning letters;
//! `/saldo/monity/<id>.pdf`: one letter. Only the signed-in customer's rows.

use rocket::http::{ContentType, Status};
use rocket::{Route, State, get, routes};

use super::invoices::Download;
use crate::app::access::Area;
use crate::app::{clock, dunning};
use crate::web::page::Layout;
use crate::web::session::CurrentCustomer;
use crate::web::views::{Template, context};
use crate::web::{Db, Documents};

pub fn routes() -> Vec<Route> {
    routes![overdue, letter]
}

#[get("/saldo/zaleglosci")]
async fn overdue(customer: CurrentCustomer, layout: Layout, db: Db) -> Result<Template, Status> {
    customer.require(Area::Invoices)?;
    let (customer_id, today) = (customer.customer_id(), clock::today());
    let dunning = db
        .query(move |conn| dunning::of_customer(conn, customer_id, today))
        .await?;
    Ok(Template::render(
        "customer/overdue",
        context! { layout, dunning, today },
    ))
}

#[get("/saldo/monity/<file>")]
async fn letter(
    file: &str,
    customer: CurrentCustomer,
    db: Db,
    documents: &State<Documents>,
) -> Result<Download, Status> {
    customer.require(Area::Invoices)?;
    let id: i64 = file
        .strip_suffix(".pdf")
        .unwrap_or(file)
        .parse()
        .map_err(|_| Status::NotFound)?;
    let customer_id = customer.customer_id();
    let renderer = documents.renderer.clone();
    let bytes = db
        .query(move |conn| dunning::document_of(conn, &renderer, customer_id, id))
        .await?
        .ok_or(Status::NotFound)?;
    Ok(Download::new(
        bytes,
        ContentType::PDF,
        &format!("monit-{id}.pdf"),
    ))
}
