//! `/staff/doladowania`: top-up packages for staff who manage payments. Add a package (price
//! paid, value credited, days of validity) and take one off sale or back on it.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::App;
use crate::app::staff_roles::Permission;
use crate::app::top_ups::{self, PackageError};
use crate::domain::top_up::{PackageForm, PackageProblem};
use crate::i18n;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::StaffCookie;
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![list, create, on_sale]
}

#[derive(Debug, Default, FromForm, serde::Serialize)]
pub struct PackageFields {
    #[field(default = String::new())]
    name: String,
    #[field(default = String::new())]
    price: String,
    #[field(default = String::new())]
    value: String,
    #[field(default = String::new())]
    validity_days: String,
    #[field(default = String::new())]
    #[serde(skip)]
    csrf_token: String,
}

impl CsrfForm for PackageFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[derive(Debug, FromForm)]
pub struct OnSaleFields {
    on_sale: bool,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for OnSaleFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

async fn page(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    form: PackageFields,
    problems: Vec<PackageProblem>,
) -> Result<Template, Status> {
    let (me, packages) = app
        .staff(cookie)
        .needs(Permission::ManagePayments)
        .run(|conn, _| top_ups::packages(conn))
        .await?;
    Ok(Template::render(
        "staff/top_up_packages",
        context! { layout: layout.staff(&me), packages, form, problems },
    ))
}

#[get("/staff/doladowania")]
async fn list(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    page(
        app,
        &cookie,
        layout,
        <PackageFields as Default>::default(),
        Vec::new(),
    )
    .await
}

#[post("/staff/doladowania", data = "<form>")]
async fn create(
    form: Protected<PackageFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let lang = layout.lang();
    let typed = PackageForm {
        name: form.name.clone(),
        price: form.price.clone(),
        value: form.value.clone(),
        validity_days: form.validity_days.clone(),
    };
    let (_, created) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .writes()
        .attempt(move |conn, cx| top_ups::create_package(conn, &typed, &cx.actor(), cx.now))
        .await?;
    match created {
        Ok(_) => Ok(Either::Left(Flash::success(
            Redirect::to("/staff/doladowania"),
            i18n::text(lang, "top-up-staff-created"),
        ))),
        Err(PackageError::Invalid(problems)) => {
            let Protected(form) = form;
            Ok(Either::Right((
                Status::UnprocessableEntity,
                page(app, &cookie, layout, form, problems).await?,
            )))
        }
        Err(error) => Err(server_error(&error)),
    }
}

#[post("/staff/doladowania/<id>/sprzedaz", data = "<form>")]
async fn on_sale(
    id: i64,
    form: Protected<OnSaleFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Flash<Redirect>, Status> {
    let on_sale = form.on_sale;
    let (_, changed) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .writes()
        .attempt(move |conn, cx| {
            top_ups::set_package_on_sale(conn, id, on_sale, &cx.actor(), cx.now)
        })
        .await?;
    match changed {
        Ok(()) => Ok(Flash::success(
            Redirect::to("/staff/doladowania"),
            i18n::text(
                layout.lang(),
                if on_sale {
                    "top-up-staff-on-sale"
                } else {
                    "top-up-staff-withdrawn"
                },
            ),
        )),
        Err(PackageError::NotFound) => Err(Status::NotFound),
        Err(error) => Err(server_error(&error)),
    }
}
