//! The staff panel (`/staff`): its own login, sessions and roles, apart from subscribers.

mod auth;
mod bank_import;
mod invoices;
mod payments;
mod series;

use rocket::Route;

pub fn routes() -> Vec<Route> {
    let mut routes = auth::routes();
    routes.extend(invoices::routes());
    routes.extend(series::routes());
    routes.extend(payments::routes());
    routes.extend(bank_import::routes());
    routes
}
