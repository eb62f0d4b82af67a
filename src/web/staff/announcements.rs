//! `/staff/komunikaty`: news, outage notices and the dashboard offer banner. Both kinds are
//! created, edited and retired the same way: the pages are written once over
//! `app::staff::announcements::Announcement`, and each route names its kind.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use super::forms::field_messages;
use crate::app::App;
use crate::app::staff::FieldErrors;
use crate::app::staff::announcements::{
    self, Announcement, AnnouncementError, Banner, BannerForm, Editor, News, NewsForm,
};
use crate::app::staff_roles::Permission;
use crate::domain::{NewsKind, StoredWord};
use crate::i18n::{Lang, text};
use crate::web::csrf::{CsrfForm, Protected, TokenOnly};
use crate::web::page::{Layout, LayoutDraft};
use crate::web::server_error;
use crate::web::session::StaffCookie;

pub fn routes() -> Vec<Route> {
    routes![
        overview,
        news_new,
        news_edit,
        news_create,
        news_update,
        news_retire,
        banner_new,
        banner_edit,
        banner_create,
        banner_update,
        banner_retire,
    ]
}

const LIST: &str = "/staff/komunikaty";

/// How a kind's editor page looks.
trait EditorPage: Announcement {
    const TEMPLATE: &'static str;
    const FIELDS: &'static [&'static str];
    /// The kinds the form offers (news, outage, maintenance); none for the banner.
    const KINDS: &'static [NewsKind];
}

impl EditorPage for News {
    const TEMPLATE: &'static str = "staff/news_form";
    const FIELDS: &'static [&'static str] = &[
        "kind",
        "title",
        "body",
        "urgent",
        "area",
        "published_at",
        "starts_at",
        "ends_at",
    ];
    const KINDS: &'static [NewsKind] = NewsKind::ALL;
}

impl EditorPage for Banner {
    const TEMPLATE: &'static str = "staff/banner_form";
    const FIELDS: &'static [&'static str] =
        &["title", "body", "link_url", "area", "starts_at", "ends_at"];
    const KINDS: &'static [NewsKind] = &[];
}

#[get("/staff/komunikaty")]
async fn overview(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, overview) = app
        .staff(&cookie)
        .needs(Permission::PublishNews)
        .run(|conn, cx| announcements::overview(conn, cx.now))
        .await?;
    Ok(Template::render(
        "staff/announcements",
        context! { layout: layout.staff(&me), overview },
    ))
}

fn render<A: EditorPage>(
    layout: Layout,
    id: Option<i64>,
    editor: Editor<A::Form>,
    errors: Option<&FieldErrors>,
) -> Template {
    let errors = field_messages(layout.lang, errors, A::FIELDS);
    let Editor { form, cities } = editor;
    if A::KINDS.is_empty() {
        Template::render(A::TEMPLATE, context! { layout, id, form, errors, cities })
    } else {
        let kinds = A::KINDS;
        Template::render(
            A::TEMPLATE,
            context! { layout, id, form, errors, cities, kinds },
        )
    }
}

/// The editor of a new announcement (`id` empty) or of a saved one.
async fn editor<A: EditorPage>(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    id: Option<i64>,
) -> Result<Template, Status> {
    let (me, editor) = app
        .staff(cookie)
        .needs(Permission::PublishNews)
        .run(move |conn, cx| announcements::editor::<A>(conn, id, cx.now))
        .await?;
    let editor = editor.ok_or(Status::NotFound)?;
    Ok(render::<A>(layout.staff(&me), id, editor, None))
}

/// Saves a new (`id` empty) or edited announcement: back to the list, or the form again with
/// its problems.
async fn save<A: EditorPage>(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    id: Option<i64>,
    form: A::Form,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    let input = form.clone();
    let (me, result) = app
        .staff(cookie)
        .needs(Permission::PublishNews)
        .attempt(
            move |conn, cx| match A::save(conn, id, &input, &cx.actor(), cx.now) {
                // The form comes back with the towns, read in the same trip.
                Err(AnnouncementError::Fields(errors)) => {
                    let cities = announcements::cities(conn)?;
                    Ok(Err((errors, cities)))
                }
                other => other.map(Ok),
            },
        )
        .await?;
    // Subscribers' dashboards show the change at once (see `app::news_board`).
    app.news_board().invalidate();
    let layout = layout.staff(&me);
    match result {
        Ok(Ok(_)) => Ok(Either::Left(Flash::success(
            Redirect::to(LIST),
            text(layout.lang, "staff-announcement-saved"),
        ))),
        Ok(Err((errors, cities))) => {
            let editor = Editor { form, cities };
            Ok(Either::Right((
                Status::UnprocessableEntity,
                render::<A>(layout, id, editor, Some(&errors)),
            )))
        }
        Err(AnnouncementError::NotFound) => Err(Status::NotFound),
        Err(error) => Err(server_error(&error)),
    }
}

async fn retire<A: EditorPage>(
    app: &App,
    cookie: &StaffCookie,
    lang: Lang,
    id: i64,
) -> Result<Flash<Redirect>, Status> {
    let (_, result) = app
        .staff(cookie)
        .needs(Permission::PublishNews)
        .attempt(move |conn, cx| A::retire(conn, id, &cx.actor(), cx.now))
        .await?;
    // Subscribers' dashboards show the change at once (see `app::news_board`).
    app.news_board().invalidate();
    match result {
        Ok(true) => Ok(Flash::success(
            Redirect::to(LIST),
            text(lang, "staff-announcement-retired"),
        )),
        Ok(false) => Ok(Flash::success(
            Redirect::to(LIST),
            text(lang, "staff-announcement-already-retired"),
        )),
        Err(AnnouncementError::NotFound) => Err(Status::NotFound),
        Err(error) => Err(server_error(&error)),
    }
}

// ---- news ----

#[derive(Debug, FromForm)]
pub struct NewsFields {
    #[field(default = String::new())]
    kind: String,
    #[field(default = String::new())]
    title: String,
    #[field(default = String::new())]
    body: String,
    urgent: bool,
    #[field(default = String::new())]
    area: String,
    #[field(default = String::new())]
    published_at: String,
    #[field(default = String::new())]
    starts_at: String,
    #[field(default = String::new())]
    ends_at: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for NewsFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl NewsFields {
    fn form(&self) -> NewsForm {
        NewsForm {
            kind: self.kind.clone(),
            title: self.title.clone(),
            body: self.body.clone(),
            urgent: self.urgent,
            area: self.area.clone(),
            published_at: self.published_at.clone(),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
        }
    }
}

#[get("/staff/komunikaty/nowy")]
async fn news_new(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    editor::<News>(app, &cookie, layout, None).await
}

#[get("/staff/komunikaty/<id>", rank = 2)]
async fn news_edit(
    id: i64,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    editor::<News>(app, &cookie, layout, Some(id)).await
}

#[post("/staff/komunikaty", data = "<fields>")]
async fn news_create(
    fields: Protected<NewsFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    save::<News>(app, &cookie, layout, None, fields.form()).await
}

#[post("/staff/komunikaty/<id>", data = "<fields>")]
async fn news_update(
    id: i64,
    fields: Protected<NewsFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    save::<News>(app, &cookie, layout, Some(id), fields.form()).await
}

#[post("/staff/komunikaty/<id>/wycofaj", data = "<_form>")]
async fn news_retire(
    id: i64,
    _form: Protected<TokenOnly>,
    app: &State<App>,
    cookie: StaffCookie,
    lang: Lang,
) -> Result<Flash<Redirect>, Status> {
    retire::<News>(app, &cookie, lang, id).await
}

// ---- banners ----

#[derive(Debug, FromForm)]
pub struct BannerFields {
    #[field(default = String::new())]
    title: String,
    #[field(default = String::new())]
    body: String,
    #[field(default = String::new())]
    link_url: String,
    #[field(default = String::new())]
    area: String,
    #[field(default = String::new())]
    starts_at: String,
    #[field(default = String::new())]
    ends_at: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for BannerFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl BannerFields {
    fn form(&self) -> BannerForm {
        BannerForm {
            title: self.title.clone(),
            body: self.body.clone(),
            link_url: self.link_url.clone(),
            area: self.area.clone(),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
        }
    }
}

#[get("/staff/komunikaty/baner/nowy")]
async fn banner_new(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    editor::<Banner>(app, &cookie, layout, None).await
}

#[get("/staff/komunikaty/baner/<id>", rank = 2)]
async fn banner_edit(
    id: i64,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    editor::<Banner>(app, &cookie, layout, Some(id)).await
}

#[post("/staff/komunikaty/baner", data = "<fields>")]
async fn banner_create(
    fields: Protected<BannerFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    save::<Banner>(app, &cookie, layout, None, fields.form()).await
}

#[post("/staff/komunikaty/baner/<id>", data = "<fields>", rank = 3)]
async fn banner_update(
    id: i64,
    fields: Protected<BannerFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    save::<Banner>(app, &cookie, layout, Some(id), fields.form()).await
}

#[post("/staff/komunikaty/baner/<id>/wycofaj", data = "<_form>")]
async fn banner_retire(
    id: i64,
    _form: Protected<TokenOnly>,
    app: &State<App>,
    cookie: StaffCookie,
    lang: Lang,
) -> Result<Flash<Redirect>, Status> {
    retire::<Banner>(app, &cookie, lang, id).await
}
