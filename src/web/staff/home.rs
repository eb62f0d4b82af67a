//! `/staff`: the panel's start page, with what the signed-in role may do and what waits.

use crate::web::views::{Template, context};
use rocket::http::Status;
use rocket::{Route, get, routes};

use crate::app::staff_roles::{Permission, StaffRole};
use crate::db;
use crate::web::Db;
use crate::web::page::Layout;
use crate::web::session::CurrentStaff;

pub fn routes() -> Vec<Route> {
    routes![home]
}

#[get("/staff")]
async fn home(staff: CurrentStaff, layout: Layout, db: Db) -> Result<Template, Status> {
    let role = StaffRole::parse(&staff.staff.role).map_or("none", StaffRole::as_str);
    let pending_changes = if staff.may(Permission::EditCustomers) {
        Some(db.query(db::change_requests::pending_total).await?)
    } else {
        None
    };
    Ok(Template::render(
        "staff/home",
        context! { layout, full_name: &staff.staff.full_name, role, pending_changes },
    ))
}
