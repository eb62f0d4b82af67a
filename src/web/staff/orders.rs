//! `/staff/katalog`: the catalogue (items with a price gross or net and its VAT rate, on sale or
//! not) and the online fee per item; `/staff/zamowienia`: orders with their PayU state and the
//! fulfilment queue. For staff who manage payments.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::App;
use crate::app::orders::catalogue::{self, CatalogueError};
use crate::app::orders::refund::{self, RefundError};
use crate::app::orders::staff::{self as desk, AdvanceError};
use crate::app::staff_roles::Permission;
use crate::domain::orders::{ItemForm, ItemKind, ItemProblem};
use crate::i18n;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::StaffCookie;
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![
        catalogue_page,
        create,
        on_sale,
        fee,
        orders_page,
        advance,
        refund_lines
    ]
}

#[derive(Debug, Default, FromForm, serde::Serialize)]
pub struct ItemFields {
    #[field(default = String::new())]
    kind: String,
    #[field(default = String::new())]
    name: String,
    #[field(default = String::new())]
    description: String,
    #[field(default = String::new())]
    price_is: String,
    #[field(default = String::new())]
    price: String,
    #[field(default = String::new())]
    vat_rate: String,
    #[field(default = String::new())]
    monthly_fee: String,
    #[field(default = String::new())]
    tariff_id: String,
    #[field(default = false)]
    needs_people: bool,
    #[field(default = false)]
    needs_installation: bool,
    #[field(default = String::new())]
    #[serde(skip)]
    csrf_token: String,
}

impl CsrfForm for ItemFields {
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

#[derive(Debug, FromForm)]
pub struct FeeFields {
    #[field(default = String::new())]
    fee: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for FeeFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[derive(Debug, FromForm)]
pub struct AdvanceFields {
    #[field(default = String::new())]
    note: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for RefundFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[derive(Debug, FromForm)]
pub struct RefundFields {
    /// The order lines to give back (checkboxes).
    #[field(default = Vec::new())]
    line: Vec<i64>,
    #[field(default = String::new())]
    reason: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for AdvanceFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

async fn page(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    form: ItemFields,
    problems: Vec<ItemProblem>,
) -> Result<Template, Status> {
    let (me, page) = app
        .staff(cookie)
        .needs(Permission::ManagePayments)
        .run(|conn, _| catalogue::page(conn))
        .await?;
    let kinds: Vec<&str> = ItemKind::ALL.iter().map(|k| k.as_str()).collect();
    Ok(Template::render(
        "staff/catalogue",
        context! { layout: layout.staff(&me), page, form, problems, kinds },
    ))
}

#[get("/staff/katalog")]
async fn catalogue_page(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let form = ItemFields {
        kind: "device".into(),
        price_is: "gross".into(),
        vat_rate: "23".into(),
        ..<ItemFields as Default>::default()
    };
    page(app, &cookie, layout, form, Vec::new()).await
}

#[post("/staff/katalog", data = "<form>")]
async fn create(
    form: Protected<ItemFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let lang = layout.lang();
    let typed = ItemForm {
        kind: form.kind.clone(),
        name: form.name.clone(),
        description: form.description.clone(),
        price_is: form.price_is.clone(),
        price: form.price.clone(),
        vat_rate: form.vat_rate.clone(),
        monthly_fee: form.monthly_fee.clone(),
        tariff_id: form.tariff_id.trim().parse().ok(),
        needs_people: form.needs_people,
        needs_installation: form.needs_installation,
    };
    let (_, created) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .writes()
        .attempt(move |conn, cx| catalogue::create_item(conn, &typed, &cx.actor(), cx.now))
        .await?;
    match created {
        Ok(_) => Ok(Either::Left(Flash::success(
            Redirect::to("/staff/katalog"),
            i18n::text(lang, "shop-staff-created"),
        ))),
        Err(CatalogueError::Invalid(problems)) => {
            let Protected(form) = form;
            Ok(Either::Right((
                Status::UnprocessableEntity,
                page(app, &cookie, layout, form, problems).await?,
            )))
        }
        Err(error) => Err(server_error(&error)),
    }
}

#[post("/staff/katalog/<id>/sprzedaz", data = "<form>")]
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
        .attempt(move |conn, cx| catalogue::set_on_sale(conn, id, on_sale, &cx.actor(), cx.now))
        .await?;
    match changed {
        Ok(()) => Ok(Flash::success(
            Redirect::to("/staff/katalog"),
            i18n::text(
                layout.lang(),
                if on_sale {
                    "shop-staff-on-sale"
                } else {
                    "shop-staff-withdrawn"
                },
            ),
        )),
        Err(CatalogueError::NotFound) => Err(Status::NotFound),
        Err(error) => Err(server_error(&error)),
    }
}

#[post("/staff/katalog/oplata", data = "<form>")]
async fn fee(
    form: Protected<FeeFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Flash<Redirect>, Status> {
    let text = form.fee.clone();
    let (_, set) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .writes()
        .attempt(move |conn, cx| catalogue::set_fee(conn, &text, &cx.actor(), cx.now))
        .await?;
    match set {
        Ok(_) => Ok(Flash::success(
            Redirect::to("/staff/katalog"),
            i18n::text(layout.lang(), "shop-staff-fee-set"),
        )),
        Err(CatalogueError::BadFee) => Ok(Flash::error(
            Redirect::to("/staff/katalog"),
            i18n::text(layout.lang(), "shop-staff-fee-bad"),
        )),
        Err(error) => Err(server_error(&error)),
    }
}

#[get("/staff/zamowienia")]
async fn orders_page(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, desk) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .run(|conn, cx| desk::desk(conn, cx.secrets()))
        .await?;
    Ok(Template::render(
        "staff/orders",
        context! { layout: layout.staff(&me), desk },
    ))
}

#[post("/staff/zamowienia/<id>/dalej", data = "<form>")]
async fn advance(
    id: i64,
    form: Protected<AdvanceFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Flash<Redirect>, Status> {
    let note = form.note.clone();
    let lang = layout.lang();
    let (_, moved) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .writes()
        .attempt(move |conn, cx| desk::advance(conn, id, &note, &cx.actor(), cx.today, cx.now))
        .await?;
    let back = Redirect::to("/staff/zamowienia");
    match moved {
        Ok(_) => Ok(Flash::success(
            back,
            i18n::text(lang, "shop-staff-advanced"),
        )),
        Err(AdvanceError::NotWaiting) => Ok(Flash::error(
            back,
            i18n::text(lang, "shop-staff-not-waiting"),
        )),
        Err(AdvanceError::NoteTooLong) => Ok(Flash::error(
            back,
            i18n::text(lang, "shop-staff-note-too-long"),
        )),
        Err(AdvanceError::Activation(crate::app::orders::paid::PaidError::DomainTaken(name))) => {
            Ok(Flash::error(
                back,
                i18n::text_with(lang, "shop-staff-domain-taken", &[("name", (&name).into())]),
            ))
        }
        Err(error) => Err(server_error(&error)),
    }
}

/// Gives chosen lines of a paid order back: the correction is issued at once, the money goes
/// back through PayU right after (or by the next background pass when PayU cannot be reached).
#[post("/staff/zamowienia/<id>/zwrot", data = "<form>")]
async fn refund_lines(
    id: i64,
    form: Protected<RefundFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Flash<Redirect>, Status> {
    let request = refund::RefundRequest {
        order_id: id,
        line_ids: form.line.clone(),
        reason: form.reason.clone(),
    };
    let lang = layout.lang();
    let (_, refunded) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .writes()
        .attempt(move |conn, cx| {
            refund::refund_lines(
                conn,
                &cx.invoicing(),
                &request,
                &cx.actor(),
                cx.today,
                cx.now,
            )
        })
        .await?;
    let back = Redirect::to("/staff/zamowienia");
    let problem = match refunded {
        Ok(done) => {
            if let Some(gateway) = app.gateway() {
                crate::app::online_payments::refunds::send_due(
                    app.pool(),
                    &gateway.client,
                    crate::app::clock::now(),
                )
                .await;
            }
            let amount = crate::domain::Money::from_grosze(done.amount).format_amount();
            let rest =
                crate::domain::Money::from_grosze(done.lowered - done.amount).format_amount();
            let key = if done.amount < done.lowered {
                "shop-staff-refunded-partly"
            } else {
                "shop-staff-refunded"
            };
            return Ok(Flash::success(
                back,
                i18n::text_with(
                    lang,
                    key,
                    &[
                        ("number", (&done.correction_number).into()),
                        ("amount", (&amount).into()),
                        ("rest", (&rest).into()),
                    ],
                ),
            ));
        }
        Err(RefundError::NoOrder) => return Err(Status::NotFound),
        Err(RefundError::NotPaid) => "shop-staff-refund-not-paid",
        Err(RefundError::NoLines) => "shop-staff-refund-no-lines",
        Err(RefundError::LineRefunded) => "shop-staff-refund-line-taken",
        Err(RefundError::Reason) => "shop-staff-refund-reason",
        Err(error) => return Err(server_error(&error)),
    };
    Ok(Flash::error(back, i18n::text(lang, problem)))
}
