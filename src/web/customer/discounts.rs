//! `/umowy/<id>/ulga`: discounts by eligibility on one of the subscriber's contracts — the
//! grounds the tariff allows with the price under each, the choice of one with its proof, the
//! discount in force and past applications; `/ulgi/<id>/dowod` downloads the subscriber's own
//! proof. Every lookup is scoped to the signed-in customer; another customer's id is a 404.

use crate::domain::ContractId;
use rocket::form::FromForm;
use rocket::fs::TempFile;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::App;
use crate::app::access::Area;
use crate::app::discounts::{self, ApplyForm, DiscountError};
use crate::domain::tickets::MAX_ATTACHMENT_BYTES;
use crate::i18n::{self, Lang};
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::{CustomerCookie, language};
use crate::web::uploads::{AttachmentDownload, read_uploads};
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![page, apply, proof]
}

#[derive(Debug, FromForm)]
pub struct ApplyFields<'r> {
    #[field(default = String::new())]
    discount_type: String,
    #[field(default = String::new())]
    proof_valid_until: String,
    proof: Vec<TempFile<'r>>,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for ApplyFields<'_> {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl ApplyFields<'_> {
    fn form(&self) -> ApplyForm {
        ApplyForm {
            discount_type_id: self.discount_type.trim().parse().ok(),
            proof_valid_until: self.proof_valid_until.trim().to_owned(),
        }
    }
}

/// The sentence for a problem the subscriber can fix.
pub fn discount_error(lang: Lang, error: &DiscountError) -> String {
    match error.file_name() {
        Some(name) => i18n::text_with(lang, error.message_key(), &[("name", name.into())]),
        None => i18n::text(lang, error.message_key()),
    }
}

async fn render(
    app: &App,
    cookie: &CustomerCookie,
    layout: LayoutDraft,
    id: ContractId,
    typed: ApplyForm,
    error: Option<String>,
) -> Result<Template, Status> {
    let (me, page) = app
        .customer(cookie)
        .needs(Area::Services)
        .run(move |conn, cx| discounts::contract_page(conn, cx.customer_id(), id, cx.today))
        .await?;
    let page = page.ok_or(Status::NotFound)?;
    Ok(Template::render(
        "customer/discount",
        context! {
            layout: layout.signed_in(&me),
            page,
            error,
            max_mb: MAX_ATTACHMENT_BYTES / (1024 * 1024),
            typed: context! {
                discount_type: typed.discount_type_id,
                proof_valid_until: typed.proof_valid_until,
            },
        },
    ))
}

#[get("/umowy/<id>/ulga")]
async fn page(
    id: ContractId,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    render(app, &cookie, layout, id, ApplyForm::default(), None).await
}

#[post("/umowy/<id>/ulga", data = "<form>")]
async fn apply(
    id: ContractId,
    form: Protected<ApplyFields<'_>>,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let uploads = read_uploads(&form.proof)
        .await
        .map_err(|e| server_error(&e))?;
    let typed = form.form();
    let input = typed.clone();
    let (me, result) = app
        .customer(&cookie)
        .needs(Area::Services)
        .attempt(move |conn, cx| {
            discounts::apply(
                conn,
                cx.attachments(),
                &cx.actor(),
                cx.customer_id(),
                id,
                &input,
                uploads,
                cx.today,
                cx.now,
            )
        })
        .await?;
    let lang = language(&me);
    match result {
        Ok(_) => Ok(Either::Left(Flash::success(
            Redirect::to(format!("/umowy/{id}/ulga")),
            i18n::text(lang, "discount-flash-applied"),
        ))),
        Err(DiscountError::NotFound) => Err(Status::NotFound),
        Err(error) if error.is_internal() => Err(server_error(&error)),
        Err(error) => Ok(Either::Right((
            Status::UnprocessableEntity,
            render(
                app,
                &cookie,
                layout,
                id,
                typed,
                Some(discount_error(lang, &error)),
            )
            .await?,
        ))),
    }
}

#[get("/ulgi/<id>/dowod")]
async fn proof(
    id: i64,
    app: &State<App>,
    cookie: CustomerCookie,
) -> Result<AttachmentDownload, Status> {
    let (_, file) = app
        .customer(&cookie)
        .needs(Area::Services)
        .attempt(move |conn, cx| discounts::own_proof(conn, cx.attachments(), cx.customer_id(), id))
        .await?;
    match file {
        Ok(file) => Ok(AttachmentDownload::new(file)),
        Err(DiscountError::NotFound) => Err(Status::NotFound),
        Err(error) => Err(server_error(&error)),
    }
}
