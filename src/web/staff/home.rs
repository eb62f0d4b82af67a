//! `/staff`: the panel's start page, with what the signed-in role may do and what waits.

use crate::web::views::{Template, context};
use rocket::http::Status;
use rocket::{Route, State, get, routes};

use crate::app::App;
use crate::app::staff::change_requests;
use crate::app::staff_roles::{self, Permission, StaffRole};
use crate::web::page::LayoutDraft;
use crate::web::session::StaffCookie;

pub fn routes() -> Vec<Route> {
    routes![home]
}

#[get("/staff")]
async fn home(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, pending_changes) = app
        .staff(&cookie)
        .run(|conn, cx| {
            if staff_roles::role_allows(&cx.me.staff.role, Permission::EditCustomers) {
                change_requests::pending_total(conn).map(Some)
            } else {
                Ok(None)
            }
        })
        .await?;
    let role = StaffRole::parse(&me.staff.role).map_or("none", StaffRole::as_str);
    Ok(Template::render(
        "staff/home",
        context! {
            full_name: &me.staff.full_name,
            layout: layout.staff(&me),
            role,
            pending_changes,
        },
    ))
}
