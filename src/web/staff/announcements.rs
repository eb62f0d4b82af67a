//! `/staff/komunikaty`: news, outage notices and the dashboard offer banner.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use super::forms::{actor, field_messages};
use crate::app::clock;
use crate::app::news_board::NewsBoard;
use crate::app::staff::FieldErrors;
use crate::app::staff::announcements::{self, AnnouncementError, BannerForm, NEWS_KINDS, NewsForm};
use crate::app::staff_roles::Permission;
use crate::db::announcements as records;
use crate::i18n::{Lang, text};
use crate::web::client_ip::ClientIp;
use crate::web::csrf::{CsrfForm, Protected, TokenOnly};
use crate::web::page::Layout;
use crate::web::session::CurrentStaff;
use crate::web::{Db, server_error};

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
const NEWS_FIELDS: [&str; 8] = [
    "kind",
    "title",
    "body",
    "urgent",
    "area",
    "published_at",
    "starts_at",
    "ends_at",
];
const BANNER_FIELDS: [&str; 6] = ["title", "body", "link_url", "area", "starts_at", "ends_at"];

#[get("/staff/komunikaty")]
async fn overview(staff: CurrentStaff, layout: Layout, db: Db) -> Result<Template, Status> {
    staff.require(Permission::PublishNews)?;
    let now = clock::now();
    let overview = db
        .query(move |conn| announcements::overview(conn, now))
        .await?;
    Ok(Template::render(
        "staff/announcements",
        context! { layout, overview },
    ))
}

async fn cities(db: &Db) -> Result<Vec<String>, Status> {
    db.query(records::installation_cities).await
}

fn saved(
    lang: Lang,
    result: Result<i64, AnnouncementError>,
) -> Result<Result<Flash<Redirect>, FieldErrors>, Status> {
    match result {
        Ok(_) => Ok(Ok(Flash::success(
            Redirect::to(LIST),
            text(lang, "staff-announcement-saved"),
        ))),
        Err(AnnouncementError::Fields(errors)) => Ok(Err(errors)),
        Err(AnnouncementError::NotFound) => Err(Status::NotFound),
        Err(AnnouncementError::Database(e)) => Err(server_error(&e)),
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

async fn news_page(
    db: &Db,
    layout: Layout,
    id: Option<i64>,
    form: &NewsForm,
    errors: Option<&FieldErrors>,
) -> Result<Template, Status> {
    let cities = cities(db).await?;
    let errors = field_messages(layout.lang, errors, &NEWS_FIELDS);
    Ok(Template::render(
        "staff/news_form",
        context! { layout, id, form, errors, cities, kinds: NEWS_KINDS },
    ))
}

#[get("/staff/komunikaty/nowy")]
async fn news_new(staff: CurrentStaff, layout: Layout, db: Db) -> Result<Template, Status> {
    staff.require(Permission::PublishNews)?;
    let form = NewsForm {
        kind: "news".into(),
        published_at: announcements::utc_to_local(clock::now()),
        ..NewsForm::default()
    };
    news_page(&db, layout, None, &form, None).await
}

#[get("/staff/komunikaty/<id>", rank = 2)]
async fn news_edit(
    id: i64,
    staff: CurrentStaff,
    layout: Layout,
    db: Db,
) -> Result<Template, Status> {
    staff.require(Permission::PublishNews)?;
    let item = db
        .query(move |conn| records::find_news(conn, id))
        .await?
        .ok_or(Status::NotFound)?;
    news_page(&db, layout, Some(id), &NewsForm::from_item(&item), None).await
}

#[post("/staff/komunikaty", data = "<fields>")]
async fn news_create(
    fields: Protected<NewsFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
    board: &State<NewsBoard>,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    save_news(None, fields, staff, layout, ip, db, board).await
}

#[post("/staff/komunikaty/<id>", data = "<fields>")]
async fn news_update(
    id: i64,
    fields: Protected<NewsFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
    board: &State<NewsBoard>,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    save_news(Some(id), fields, staff, layout, ip, db, board).await
}

async fn save_news(
    id: Option<i64>,
    fields: Protected<NewsFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
    board: &State<NewsBoard>,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    staff.require(Permission::PublishNews)?;
    let actor = actor(&staff, &ip);
    let form = fields.form();
    let input = form.clone();
    let now = clock::now();
    let result = db
        .run(move |conn| announcements::save_news(conn, id, &input, &actor, now))
        .await
        .map_err(|e| server_error(&e))?;
    // Subscribers' dashboards show the change at once (see `app::news_board`).
    board.invalidate();
    match saved(layout.lang, result)? {
        Ok(flash) => Ok(Either::Left(flash)),
        Err(errors) => Ok(Either::Right((
            Status::UnprocessableEntity,
            news_page(&db, layout, id, &form, Some(&errors)).await?,
        ))),
    }
}

#[post("/staff/komunikaty/<id>/wycofaj", data = "<_form>")]
async fn news_retire(
    id: i64,
    _form: Protected<TokenOnly>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
    board: &State<NewsBoard>,
) -> Result<Flash<Redirect>, Status> {
    staff.require(Permission::PublishNews)?;
    let actor = actor(&staff, &ip);
    let now = clock::now();
    let result = db
        .run(move |conn| announcements::retire_news(conn, id, &actor, now))
        .await
        .map_err(|e| server_error(&e))?;
    // Subscribers' dashboards show the change at once (see `app::news_board`).
    board.invalidate();
    retired(layout.lang, result)
}

fn retired(lang: Lang, result: Result<bool, AnnouncementError>) -> Result<Flash<Redirect>, Status> {
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

async fn banner_page(
    db: &Db,
    layout: Layout,
    id: Option<i64>,
    form: &BannerForm,
    errors: Option<&FieldErrors>,
) -> Result<Template, Status> {
    let cities = cities(db).await?;
    let errors = field_messages(layout.lang, errors, &BANNER_FIELDS);
    Ok(Template::render(
        "staff/banner_form",
        context! { layout, id, form, errors, cities },
    ))
}

#[get("/staff/komunikaty/baner/nowy")]
async fn banner_new(staff: CurrentStaff, layout: Layout, db: Db) -> Result<Template, Status> {
    staff.require(Permission::PublishNews)?;
    let form = BannerForm {
        starts_at: announcements::utc_to_local(clock::now()),
        ..BannerForm::default()
    };
    banner_page(&db, layout, None, &form, None).await
}

#[get("/staff/komunikaty/baner/<id>", rank = 2)]
async fn banner_edit(
    id: i64,
    staff: CurrentStaff,
    layout: Layout,
    db: Db,
) -> Result<Template, Status> {
    staff.require(Permission::PublishNews)?;
    let banner = db
        .query(move |conn| records::find_banner(conn, id))
        .await?
        .ok_or(Status::NotFound)?;
    banner_page(
        &db,
        layout,
        Some(id),
        &BannerForm::from_banner(&banner),
        None,
    )
    .await
}

#[post("/staff/komunikaty/baner", data = "<fields>")]
async fn banner_create(
    fields: Protected<BannerFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
    board: &State<NewsBoard>,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    save_banner(None, fields, staff, layout, ip, db, board).await
}

#[post("/staff/komunikaty/baner/<id>", data = "<fields>", rank = 3)]
async fn banner_update(
    id: i64,
    fields: Protected<BannerFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
    board: &State<NewsBoard>,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    save_banner(Some(id), fields, staff, layout, ip, db, board).await
}

async fn save_banner(
    id: Option<i64>,
    fields: Protected<BannerFields>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
    board: &State<NewsBoard>,
) -> Result<Either<Flash<Redirect>, (Status, Template)>, Status> {
    staff.require(Permission::PublishNews)?;
    let actor = actor(&staff, &ip);
    let form = fields.form();
    let input = form.clone();
    let now = clock::now();
    let result = db
        .run(move |conn| announcements::save_banner(conn, id, &input, &actor, now))
        .await
        .map_err(|e| server_error(&e))?;
    // Subscribers' dashboards show the change at once (see `app::news_board`).
    board.invalidate();
    match saved(layout.lang, result)? {
        Ok(flash) => Ok(Either::Left(flash)),
        Err(errors) => Ok(Either::Right((
            Status::UnprocessableEntity,
            banner_page(&db, layout, id, &form, Some(&errors)).await?,
        ))),
    }
}

#[post("/staff/komunikaty/baner/<id>/wycofaj", data = "<_form>")]
async fn banner_retire(
    id: i64,
    _form: Protected<TokenOnly>,
    staff: CurrentStaff,
    layout: Layout,
    ip: ClientIp,
    db: Db,
    board: &State<NewsBoard>,
) -> Result<Flash<Redirect>, Status> {
    staff.require(Permission::PublishNews)?;
    let actor = actor(&staff, &ip);
    let now = clock::now();
    let result = db
        .run(move |conn| announcements::retire_banner(conn, id, &actor, now))
        .await
        .map_err(|e| server_error(&e))?;
    // Subscribers' dashboards show the change at once (see `app::news_board`).
    board.invalidate();
    retired(layout.lang, result)
}
