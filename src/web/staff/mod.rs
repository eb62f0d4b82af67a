//! The staff panel (`/staff`): its own login, sessions and roles, apart from subscribers.

mod auth;
mod bank_import;
mod canned;
mod invoices;
mod payments;
mod series;
mod tickets;

use rocket::Route;

pub fn routes() -> Vec<Route> {
    let mut routes = auth::routes();
    routes.extend(invoices::routes());
    routes.extend(series::routes());
    routes.extend(payments::routes());
    routes.extend(bank_import::routes());
    routes.extend(tickets::routes());
    routes.extend(canned::routes());
    routes
}
