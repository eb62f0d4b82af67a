//! The staff panel (`/staff`): its own login, sessions and roles, apart from subscribers.

mod announcements;
mod api_tokens;
mod audit_log;
mod auth;
mod bank_import;
mod billing;
mod canned;
mod change_requests;
mod charges;
mod customers;
mod discounts;
mod dunning;
mod dunning_letters;
mod forms;
mod home;
mod interest_notes;
mod invoices;
mod ksef;
mod mailing_list;
mod manual_invoices;
pub mod nav;
mod network;
mod online_payments;
mod orders;
mod payments;
mod recurring;
mod refunds;
mod seller;
mod series;
mod tickets;
mod top_ups;
mod traffic;
mod visits;

use rocket::Route;

pub fn routes() -> Vec<Route> {
    let mut routes = auth::routes();
    routes.extend(home::routes());
    routes.extend(customers::routes());
    routes.extend(network::routes());
    routes.extend(change_requests::routes());
    routes.extend(manual_invoices::routes());
    routes.extend(seller::routes());
    routes.extend(announcements::routes());
    routes.extend(billing::routes());
    routes.extend(mailing_list::routes());
    routes.extend(invoices::routes());
    routes.extend(ksef::routes());
    routes.extend(series::routes());
    routes.extend(payments::routes());
    routes.extend(charges::routes());
    routes.extend(bank_import::routes());
    routes.extend(tickets::routes());
    routes.extend(canned::routes());
    routes.extend(audit_log::routes());
    routes.extend(dunning::routes());
    routes.extend(dunning_letters::routes());
    routes.extend(visits::routes());
    routes.extend(top_ups::routes());
    routes.extend(discounts::routes());
    routes.extend(orders::routes());
    routes.extend(traffic::routes());
    routes.extend(online_payments::routes());
    routes.extend(recurring::routes());
    routes.extend(interest_notes::routes());
    routes.extend(refunds::routes());
    routes.extend(api_tokens::routes());
    routes
}
