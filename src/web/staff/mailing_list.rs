//! `/staff/lista-mailingowa`: staff who publish news write a marketing message; it goes only to
//! customers on the mailing list (`app::mailing_list`), each copy with its own leave link.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::App;
use crate::app::mailing_list::{self, MailingListError, MarketingForm};
use crate::app::staff_roles::Permission;
use crate::i18n;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::StaffCookie;
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![show, send]
}

#[derive(Debug, FromForm)]
pub struct MarketingFields {
    #[field(default = String::new())]
    subject: String,
    #[field(default = String::new())]
    body: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for MarketingFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

async fn page(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    form: MarketingForm,
    errors: Vec<(&'static str, &'static str)>,
) -> Result<Template, Status> {
    let (me, subscribers) = app
        .staff(cookie)
        .needs(Permission::PublishNews)
        .run(|conn, _| mailing_list::subscriber_count(conn))
        .await?;
    let lang = layout.lang();
    let errors: std::collections::HashMap<&str, Vec<String>> = errors
        .into_iter()
        .map(|(field, key)| (field, vec![i18n::text(lang, key)]))
        .collect();
    Ok(Template::render(
        "staff/mailing_list",
        context! { layout: layout.staff(&me), subscribers, form, errors },
    ))
}

#[get("/staff/lista-mailingowa")]
async fn show(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    page(app, &cookie, layout, MarketingForm::default(), Vec::new()).await
}

#[post("/staff/lista-mailingowa", data = "<form>")]
async fn send(
    form: Protected<MarketingFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let lang = layout.lang();
    let message = MarketingForm {
        subject: form.subject.clone(),
        body: form.body.clone(),
    };
    let to_send = message.clone();
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::PublishNews)
        .writes()
        .attempt(move |conn, cx| {
            mailing_list::send(conn, &cx.mail(), &to_send, &cx.actor(), cx.now)
        })
        .await?;
    match result {
        Ok(count) => Ok(Either::Left(Flash::success(
            Redirect::to("/staff/lista-mailingowa"),
            i18n::text_with(
                lang,
                "mailing-sent",
                &[("count", i18n::Arg::Number(count as i64))],
            ),
        ))),
        Err(MailingListError::Invalid(errors)) => Ok(Either::Right((
            Status::UnprocessableEntity,
            page(app, &cookie, layout, message, errors).await?,
        ))),
        Err(error) => Err(server_error(&error)),
    }
}
