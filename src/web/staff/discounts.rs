//! `/staff/ulgi`: discounts by eligibility for staff who issue invoices (billing, admin) —
//! define discount types, take one off offer, decide applications (approve from the next
//! billing period, or refuse with a reason; the subscriber is mailed). `/staff/rabaty`: the
//! per-service discounts (promotions, loyalty) the billing run has always applied.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::App;
use crate::app::discounts::{self, DiscountError, ServiceDiscountForm};
use crate::app::staff_roles::Permission;
use crate::domain::discounts::{TypeForm, TypeProblem};
use crate::i18n::{self, Lang};
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::StaffCookie;
use crate::web::uploads::AttachmentDownload;
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![
        list,
        create_type,
        offer_type,
        application,
        proof,
        approve,
        refuse,
        service_discounts,
        add_service_discount,
        end_service_discount
    ]
}

type Answer = Result<Either<Flash<Redirect>, (Status, Template)>, Status>;

#[derive(Debug, Default, FromForm, serde::Serialize)]
pub struct TypeFields {
    #[field(default = String::new())]
    name: String,
    #[field(default = String::new())]
    who_qualifies: String,
    #[field(default = String::new())]
    proof_required: String,
    #[field(default = String::new())]
    kind: String,
    #[field(default = String::new())]
    value: String,
    #[field(default = String::new())]
    tariff: String,
    #[field(default = String::new())]
    valid_from: String,
    #[field(default = String::new())]
    valid_until: String,
    #[field(default = String::new())]
    #[serde(skip)]
    csrf_token: String,
}

impl CsrfForm for TypeFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[derive(Debug, FromForm)]
pub struct OfferFields {
    active: bool,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for OfferFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[derive(Debug, FromForm)]
pub struct ApproveFields {
    #[field(default = String::new())]
    proof_valid_until: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for ApproveFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[derive(Debug, FromForm)]
pub struct RefuseFields {
    #[field(default = String::new())]
    reason: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for RefuseFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[derive(Debug, Default, FromForm, serde::Serialize)]
pub struct ServiceDiscountFields {
    #[field(default = String::new())]
    service_id: String,
    #[field(default = String::new())]
    name: String,
    #[field(default = String::new())]
    kind: String,
    #[field(default = String::new())]
    value: String,
    #[field(default = String::new())]
    starts_on: String,
    #[field(default = String::new())]
    ends_on: String,
    #[field(default = String::new())]
    #[serde(skip)]
    csrf_token: String,
}

impl CsrfForm for ServiceDiscountFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[derive(Debug, FromForm)]
pub struct EndFields {
    #[field(default = String::new())]
    last_day: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for EndFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

fn message(lang: Lang, error: &DiscountError) -> String {
    i18n::text(lang, error.message_key())
}

async fn page(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    form: TypeFields,
    problems: Vec<TypeProblem>,
) -> Result<Template, Status> {
    let (me, page) = app
        .staff(cookie)
        .needs(Permission::IssueInvoices)
        .run(|conn, _| discounts::staff_page(conn))
        .await?;
    Ok(Template::render(
        "staff/discounts",
        context! { layout: layout.staff(&me), page, form, problems },
    ))
}

#[get("/staff/ulgi")]
async fn list(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    page(
        app,
        &cookie,
        layout,
        <TypeFields as Default>::default(),
        Vec::new(),
    )
    .await
}

#[post("/staff/ulgi/rodzaje", data = "<form>")]
async fn create_type(
    form: Protected<TypeFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Answer {
    let typed = TypeForm {
        name: form.name.clone(),
        who_qualifies: form.who_qualifies.clone(),
        proof_required: form.proof_required.clone(),
        kind: form.kind.clone(),
        value: form.value.clone(),
        tariff: form.tariff.clone(),
        valid_from: form.valid_from.clone(),
        valid_until: form.valid_until.clone(),
    };
    let (_, created) = app
        .staff(&cookie)
        .needs(Permission::IssueInvoices)
        .writes()
        .attempt(move |conn, cx| discounts::create_type(conn, &typed, &cx.actor(), cx.now))
        .await?;
    match created {
        Ok(_) => Ok(Either::Left(Flash::success(
            Redirect::to("/staff/ulgi"),
            i18n::text(layout.lang(), "discount-staff-created"),
        ))),
        Err(DiscountError::Invalid(problems)) => {
            let Protected(form) = form;
            Ok(Either::Right((
                Status::UnprocessableEntity,
                page(app, &cookie, layout, form, problems).await?,
            )))
        }
        Err(error) => Err(server_error(&error)),
    }
}

#[post("/staff/ulgi/rodzaje/<id>/oferta", data = "<form>")]
async fn offer_type(
    id: i64,
    form: Protected<OfferFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Flash<Redirect>, Status> {
    let active = form.active;
    let (_, changed) = app
        .staff(&cookie)
        .needs(Permission::IssueInvoices)
        .writes()
        .attempt(move |conn, cx| discounts::set_type_active(conn, id, active, &cx.actor(), cx.now))
        .await?;
    match changed {
        Ok(()) => Ok(Flash::success(
            Redirect::to("/staff/ulgi"),
            i18n::text(
                layout.lang(),
                if active {
                    "discount-staff-offered"
                } else {
                    "discount-staff-withdrawn"
                },
            ),
        )),
        Err(DiscountError::NotFound) => Err(Status::NotFound),
        Err(error) => Err(server_error(&error)),
    }
}

async fn application_page(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    id: i64,
    error: Option<String>,
) -> Result<Template, Status> {
    let (me, detail) = app
        .staff(cookie)
        .needs(Permission::IssueInvoices)
        .run(move |conn, cx| discounts::application_detail(conn, id, cx.today))
        .await?;
    let detail = detail.ok_or(Status::NotFound)?;
    Ok(Template::render(
        "staff/discount_application",
        context! { layout: layout.staff(&me), detail, error },
    ))
}

#[get("/staff/ulgi/wnioski/<id>")]
async fn application(
    id: i64,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    application_page(app, &cookie, layout, id, None).await
}

#[get("/staff/ulgi/wnioski/<id>/dowod")]
async fn proof(
    id: i64,
    app: &State<App>,
    cookie: StaffCookie,
) -> Result<AttachmentDownload, Status> {
    let (_, file) = app
        .staff(&cookie)
        .needs(Permission::IssueInvoices)
        .attempt(move |conn, cx| discounts::proof_for_staff(conn, cx.attachments(), id))
        .await?;
    match file {
        Ok(file) => Ok(AttachmentDownload::new(file)),
        Err(DiscountError::NotFound) => Err(Status::NotFound),
        Err(error) => Err(server_error(&error)),
    }
}

/// After a decision: back to the queue with a flash, or the application again with the problem.
async fn decided(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    id: i64,
    result: Result<(), DiscountError>,
    done: &str,
) -> Answer {
    let lang = layout.lang();
    match result {
        Ok(()) => Ok(Either::Left(Flash::success(
            Redirect::to("/staff/ulgi"),
            i18n::text(lang, done),
        ))),
        Err(DiscountError::NotFound) => Err(Status::NotFound),
        Err(error) if error.is_internal() => Err(server_error(&error)),
        Err(error) => Ok(Either::Right((
            Status::UnprocessableEntity,
            application_page(app, cookie, layout, id, Some(message(lang, &error))).await?,
        ))),
    }
}

#[post("/staff/ulgi/wnioski/<id>/przyznaj", data = "<form>")]
async fn approve(
    id: i64,
    form: Protected<ApproveFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Answer {
    let until = form.proof_valid_until.clone();
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::IssueInvoices)
        .writes()
        .attempt(move |conn, cx| {
            discounts::approve(conn, &cx.mail(), &cx.actor(), id, &until, cx.today, cx.now)
        })
        .await?;
    decided(app, &cookie, layout, id, result, "discount-staff-approved").await
}

#[post("/staff/ulgi/wnioski/<id>/odrzuc", data = "<form>")]
async fn refuse(
    id: i64,
    form: Protected<RefuseFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Answer {
    let reason = form.reason.clone();
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::IssueInvoices)
        .writes()
        .attempt(move |conn, cx| {
            discounts::refuse(conn, &cx.mail(), &cx.actor(), id, &reason, cx.now)
        })
        .await?;
    decided(app, &cookie, layout, id, result, "discount-staff-refused").await
}

async fn service_page(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    form: ServiceDiscountFields,
    error: Option<String>,
) -> Result<Template, Status> {
    let (me, page) = app
        .staff(cookie)
        .needs(Permission::IssueInvoices)
        .run(|conn, _| discounts::service_discounts_page(conn))
        .await?;
    Ok(Template::render(
        "staff/service_discounts",
        context! { layout: layout.staff(&me), page, form, error },
    ))
}

#[get("/staff/rabaty")]
async fn service_discounts(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    service_page(
        app,
        &cookie,
        layout,
        <ServiceDiscountFields as Default>::default(),
        None,
    )
    .await
}

#[post("/staff/rabaty", data = "<form>")]
async fn add_service_discount(
    form: Protected<ServiceDiscountFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Answer {
    let typed = ServiceDiscountForm {
        service_id: form.service_id.clone(),
        name: form.name.clone(),
        kind: form.kind.clone(),
        value: form.value.clone(),
        starts_on: form.starts_on.clone(),
        ends_on: form.ends_on.clone(),
    };
    let (_, added) = app
        .staff(&cookie)
        .needs(Permission::IssueInvoices)
        .writes()
        .attempt(move |conn, cx| discounts::add_service_discount(conn, &typed, &cx.actor(), cx.now))
        .await?;
    let lang = layout.lang();
    match added {
        Ok(_) => Ok(Either::Left(Flash::success(
            Redirect::to("/staff/rabaty"),
            i18n::text(lang, "service-discount-added"),
        ))),
        Err(error) if error.is_internal() => Err(server_error(&error)),
        Err(error) => {
            let Protected(form) = form;
            let text = message(lang, &error);
            Ok(Either::Right((
                Status::UnprocessableEntity,
                service_page(app, &cookie, layout, form, Some(text)).await?,
            )))
        }
    }
}

#[post("/staff/rabaty/<id>/koniec", data = "<form>")]
async fn end_service_discount(
    id: i64,
    form: Protected<EndFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Flash<Redirect>, Status> {
    let last_day = form.last_day.clone();
    let (_, ended) = app
        .staff(&cookie)
        .needs(Permission::IssueInvoices)
        .writes()
        .attempt(move |conn, cx| {
            discounts::end_service_discount(conn, id, &last_day, &cx.actor(), cx.now)
        })
        .await?;
    let lang = layout.lang();
    let back = Redirect::to("/staff/rabaty");
    match ended {
        Ok(()) => Ok(Flash::success(
            back,
            i18n::text(lang, "service-discount-ended"),
        )),
        Err(error) if error.is_internal() => Err(server_error(&error)),
        Err(error) => Ok(Flash::error(back, message(lang, &error))),
    }
}
