//! The staff panel (`/staff`): its own login, sessions and roles, apart from subscribers.

mod auth;
mod billing;
mod invoices;
mod series;

use rocket::Route;

pub fn routes() -> Vec<Route> {
    let mut routes = auth::routes();
    routes.extend(billing::routes());
    routes.extend(invoices::routes());
    routes.extend(series::routes());
    routes
}
