//! The subscriber's side of the portal.

mod auth;
mod contacts;
mod dashboard;
mod discounts;
mod dunning;
mod invoices;
mod news;
mod online_payments;
mod orders;
mod password_reset;
mod profile;
mod recurring;
mod registration;
mod security;
mod subscriptions;
mod tickets;
mod top_ups;
mod traffic;
mod visits;

use rocket::Route;

pub fn routes() -> Vec<Route> {
    let mut routes = Vec::new();
    routes.extend(auth::routes());
    routes.extend(dashboard::routes());
    routes.extend(dunning::routes());
    routes.extend(invoices::routes());
    routes.extend(password_reset::routes());
    routes.extend(registration::routes());
    routes.extend(security::routes());
    routes.extend(news::routes());
    routes.extend(contacts::routes());
    routes.extend(profile::routes());
    routes.extend(subscriptions::routes());
    routes.extend(tickets::routes());
    routes.extend(online_payments::routes());
    routes.extend(visits::routes());
    routes.extend(top_ups::routes());
    routes.extend(discounts::routes());
    routes.extend(orders::routes());
    routes.extend(traffic::routes());
    routes.extend(recurring::routes());
    routes
}
