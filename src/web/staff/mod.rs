//! The staff panel (`/staff`): its own login, sessions and roles, apart from subscribers.

mod auth;
mod canned;
mod invoices;
mod series;
mod tickets;

use rocket::Route;

pub fn routes() -> Vec<Route> {
    let mut routes = auth::routes();
    routes.extend(invoices::routes());
    routes.extend(series::routes());
    routes.extend(tickets::routes());
    routes.extend(canned::routes());
    routes
}
