//! The staff panel (`/staff`): its own login, sessions and roles, apart from subscribers.

mod auth;

use rocket::Route;

pub fn routes() -> Vec<Route> {
    auth::routes()
}
