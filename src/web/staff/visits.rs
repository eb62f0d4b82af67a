//! `/staff/wizyty`: support staff set up technicians (areas, working week, days off) and kinds
//! of visit, read a technician's calendar by day or week, and move, cancel, end a visit or
//! waive its fee. Every action is audited (`app::visits`).

use chrono::NaiveDate;
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::App;
use crate::app::clock;
use crate::app::staff_roles::Permission;
use crate::app::visits::calendar::{self, Span};
use crate::app::visits::setup::{self, KindForm, TechnicianForm};
use crate::app::visits::{Effects, VisitError};
use crate::i18n::{self, Lang};
use crate::web::csrf::{CsrfForm, Protected, TokenOnly};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::StaffCookie;
use crate::web::staff::forms::StaffPage;
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![
        setup_page,
        add_technician,
        edit_technician,
        add_day_off,
        remove_day_off,
        add_kind,
        edit_kind,
        technician_calendar,
        move_visit,
        cancel_visit,
        visit_done,
        visit_missed,
        waive_fee
    ]
}

type Answer = Either<Flash<Redirect>, (Status, Template)>;

fn message(lang: Lang, error: &VisitError) -> Result<String, Status> {
    match error {
        VisitError::Invalid(fields) => {
            let keys: Vec<String> = fields.0.values().map(|k| i18n::text(lang, k)).collect();
            Ok(keys.join(" "))
        }
        _ => match error.message_key() {
            Some(key) => Ok(i18n::text(lang, key)),
            None => Err(server_error(error)),
        },
    }
}

/// The form typed for a new technician or kind, sent back with its problem.
#[derive(Default)]
struct Sent {
    error: Option<String>,
    technician: Option<TechnicianForm>,
    kind: Option<KindForm>,
}

async fn render_setup(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    sent: Sent,
) -> Result<(Status, Template), Status> {
    let (me, page) = app
        .staff(cookie)
        .needs(Permission::ScheduleVisits)
        .run(|conn, cx| setup::page(conn, cx.today))
        .await?;
    let status = if sent.error.is_some() {
        Status::UnprocessableEntity
    } else {
        Status::Ok
    };
    let new_technician = sent.technician.unwrap_or(TechnicianForm {
        active: true,
        ..TechnicianForm::default()
    });
    let new_kind = sent.kind.unwrap_or_default();
    Ok((
        status,
        Template::render(
            "staff/visits",
            context! {
                layout: layout.staff(&me),
                page,
                error: sent.error,
                new_technician,
                new_kind,
                weekdays: setup::WEEKDAYS,
                today: clock::today(),
            },
        ),
    ))
}

#[get("/staff/wizyty")]
async fn setup_page(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<(Status, Template), Status> {
    render_setup(app, &cookie, layout, Sent::default()).await
}

#[derive(Debug, FromForm)]
pub struct TechnicianFields {
    #[field(default = String::new())]
    name: String,
    #[field(default = String::new())]
    phone: String,
    #[field(default = String::new())]
    areas: String,
    #[field(default = String::new())]
    s0: String,
    #[field(default = String::new())]
    e0: String,
    #[field(default = String::new())]
    s1: String,
    #[field(default = String::new())]
    e1: String,
    #[field(default = String::new())]
    s2: String,
    #[field(default = String::new())]
    e2: String,
    #[field(default = String::new())]
    s3: String,
    #[field(default = String::new())]
    e3: String,
    #[field(default = String::new())]
    s4: String,
    #[field(default = String::new())]
    e4: String,
    #[field(default = String::new())]
    s5: String,
    #[field(default = String::new())]
    e5: String,
    #[field(default = String::new())]
    s6: String,
    #[field(default = String::new())]
    e6: String,
    #[field(default = false)]
    active: bool,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for TechnicianFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl TechnicianFields {
    fn form(&self) -> TechnicianForm {
        let f = self;
        TechnicianForm {
            name: f.name.clone(),
            phone: f.phone.clone(),
            areas: f.areas.clone(),
            starts: [&f.s0, &f.s1, &f.s2, &f.s3, &f.s4, &f.s5, &f.s6].map(String::clone),
            ends: [&f.e0, &f.e1, &f.e2, &f.e3, &f.e4, &f.e5, &f.e6].map(String::clone),
            active: f.active,
        }
    }
}

async fn save_technician(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    id: Option<i64>,
    form: TechnicianForm,
) -> Result<Answer, Status> {
    let lang = layout.lang();
    let typed = form.clone();
    let (_, result) = app
        .staff(cookie)
        .needs(Permission::ScheduleVisits)
        .writes()
        .attempt(move |conn, cx| setup::save_technician(conn, id, &form, &cx.actor(), cx.now))
        .await?;
    match result {
        Ok(_) => Ok(Either::Left(Flash::success(
            Redirect::to("/staff/wizyty"),
            i18n::text(lang, "visits-technician-saved"),
        ))),
        Err(VisitError::NoTechnician) => Err(Status::NotFound),
        Err(error) => {
            let sent = Sent {
                error: Some(message(lang, &error)?),
                technician: id.is_none().then_some(typed),
                kind: None,
            };
            Ok(Either::Right(
                render_setup(app, cookie, layout, sent).await?,
            ))
        }
    }
}

#[post("/staff/wizyty/technicy", data = "<form>")]
async fn add_technician(
    form: Protected<TechnicianFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Answer, Status> {
    save_technician(app, &cookie, layout, None, form.form()).await
}

#[post("/staff/wizyty/technicy/<id>", data = "<form>")]
async fn edit_technician(
    id: i64,
    form: Protected<TechnicianFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Answer, Status> {
    save_technician(app, &cookie, layout, Some(id), form.form()).await
}

#[derive(Debug, FromForm)]
pub struct DayOffFields {
    #[field(default = String::new())]
    day: String,
    #[field(default = String::new())]
    reason: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for DayOffFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/staff/wizyty/technicy/<id>/wolne", data = "<form>")]
async fn add_day_off(
    id: i64,
    form: Protected<DayOffFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Answer, Status> {
    let lang = layout.lang();
    let (day, reason) = (form.day.clone(), form.reason.clone());
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::ScheduleVisits)
        .writes()
        .attempt(move |conn, cx| setup::add_day_off(conn, id, &day, &reason, &cx.actor(), cx.now))
        .await?;
    match result {
        Ok(()) => Ok(Either::Left(Flash::success(
            Redirect::to("/staff/wizyty"),
            i18n::text(lang, "visits-day-off-added"),
        ))),
        Err(VisitError::NoTechnician) => Err(Status::NotFound),
        Err(error) => {
            let sent = Sent {
                error: Some(message(lang, &error)?),
                ..Sent::default()
            };
            Ok(Either::Right(
                render_setup(app, &cookie, layout, sent).await?,
            ))
        }
    }
}

#[post("/staff/wizyty/technicy/<id>/wolne/<day>/usun", data = "<_form>")]
async fn remove_day_off(
    id: i64,
    day: &str,
    _form: Protected<TokenOnly>,
    app: &State<App>,
    page: StaffPage,
) -> Result<Flash<Redirect>, Status> {
    let lang = page.layout.lang();
    let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| Status::NotFound)?;
    app.staff(&page.cookie)
        .needs(Permission::ScheduleVisits)
        .writes()
        .run(move |conn, cx| setup::remove_day_off(conn, id, day, &cx.actor(), cx.now))
        .await?;
    Ok(Flash::success(
        Redirect::to("/staff/wizyty"),
        i18n::text(lang, "visits-day-off-removed"),
    ))
}

#[derive(Debug, FromForm)]
pub struct KindFields {
    #[field(default = String::new())]
    name: String,
    #[field(default = String::new())]
    duration_minutes: String,
    #[field(default = String::new())]
    price: String,
    #[field(default = String::new())]
    vat_rate: String,
    #[field(default = String::new())]
    late_fee_percent: String,
    #[field(default = String::new())]
    late_cancel_hours: String,
    #[field(default = String::new())]
    free_notice_hours: String,
    #[field(default = String::new())]
    fee_rule: String,
    #[field(default = false)]
    active: bool,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for KindFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

impl KindFields {
    fn form(&self) -> KindForm {
        KindForm {
            name: self.name.clone(),
            duration_minutes: self.duration_minutes.clone(),
            price: self.price.clone(),
            vat_rate: self.vat_rate.clone(),
            late_fee_percent: self.late_fee_percent.clone(),
            late_cancel_hours: self.late_cancel_hours.clone(),
            free_notice_hours: self.free_notice_hours.clone(),
            fee_rule: self.fee_rule.clone(),
            active: self.active,
        }
    }
}

async fn save_kind(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    id: Option<i64>,
    form: KindForm,
) -> Result<Answer, Status> {
    let lang = layout.lang();
    let typed = form.clone();
    let (_, result) = app
        .staff(cookie)
        .needs(Permission::ScheduleVisits)
        .writes()
        .attempt(move |conn, cx| setup::save_kind(conn, id, &form, &cx.actor(), cx.now))
        .await?;
    match result {
        Ok(_) => Ok(Either::Left(Flash::success(
            Redirect::to("/staff/wizyty#rodzaje"),
            i18n::text(lang, "visits-kind-saved"),
        ))),
        Err(VisitError::NoKind) => Err(Status::NotFound),
        Err(error) => {
            let sent = Sent {
                error: Some(message(lang, &error)?),
                technician: None,
                kind: id.is_none().then_some(typed),
            };
            Ok(Either::Right(
                render_setup(app, cookie, layout, sent).await?,
            ))
        }
    }
}

#[post("/staff/wizyty/rodzaje", data = "<form>")]
async fn add_kind(
    form: Protected<KindFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Answer, Status> {
    save_kind(app, &cookie, layout, None, form.form()).await
}

#[post("/staff/wizyty/rodzaje/<id>", data = "<form>")]
async fn edit_kind(
    id: i64,
    form: Protected<KindFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Answer, Status> {
    save_kind(app, &cookie, layout, Some(id), form.form()).await
}

/// A technician's calendar: the day it shows (`dzien`, today if absent or unreadable) and
/// whether a day or its week (`widok=dzien`, else the week).
#[derive(Debug, Default, FromForm)]
struct CalendarQuery<'r> {
    dzien: Option<&'r str>,
    widok: Option<&'r str>,
}

#[get("/staff/wizyty/technik/<id>?<query..>")]
async fn technician_calendar(
    id: i64,
    query: CalendarQuery<'_>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let on = query
        .dzien
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .unwrap_or_else(clock::today);
    let span = if query.widok == Some("dzien") {
        Span::Day
    } else {
        Span::Week
    };
    let (me, result) = app
        .staff(&cookie)
        .needs(Permission::ScheduleVisits)
        .attempt(move |conn, _| calendar::calendar(conn, id, on, span))
        .await?;
    let calendar = match result {
        Ok(calendar) => calendar,
        Err(VisitError::NoTechnician) => return Err(Status::NotFound),
        Err(error) => return Err(server_error(&error)),
    };
    Ok(Template::render(
        "staff/visit_calendar",
        context! { layout: layout.staff(&me), calendar },
    ))
}

/// After an action on a visit: back to its technician's calendar on its day.
fn back(
    lang: Lang,
    to: &str,
    result: Result<String, VisitError>,
    done: &str,
) -> Result<Flash<Redirect>, Status> {
    match result {
        Ok(page) => Ok(Flash::success(Redirect::to(page), i18n::text(lang, done))),
        Err(VisitError::NotFound) => Err(Status::NotFound),
        Err(error) => Ok(Flash::error(
            Redirect::to(to.to_owned()),
            message(lang, &error)?,
        )),
    }
}

#[derive(Debug, FromForm)]
pub struct MoveFields {
    #[field(default = String::new())]
    technician_id: String,
    #[field(default = String::new())]
    day: String,
    #[field(default = String::new())]
    time: String,
    #[field(default = String::new())]
    back: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for MoveFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// Only our own calendar pages are redirect targets.
fn safe_back(back: &str) -> String {
    if back.starts_with("/staff/wizyty/") && !back.contains("//") {
        back.to_owned()
    } else {
        "/staff/wizyty".to_owned()
    }
}

#[post("/staff/wizyty/wizyta/<visit_id>/przenies", data = "<form>")]
async fn move_visit(
    visit_id: i64,
    form: Protected<MoveFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Flash<Redirect>, Status> {
    let lang = layout.lang();
    let technician: Option<i64> = form.technician_id.trim().parse().ok();
    let (day, time) = (form.day.clone(), form.time.clone());
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::ScheduleVisits)
        .writes()
        .attempt(move |conn, cx| {
            let technician = technician.ok_or(VisitError::NoTechnician)?;
            calendar::move_visit(conn, visit_id, technician, &day, &time, &Effects::of(cx))?;
            calendar::page_of(conn, visit_id)
        })
        .await?;
    back(lang, &safe_back(&form.back), result, "visits-moved")
}

/// Cancel, done, missed: the same shape.
async fn act(
    app: &App,
    cookie: &StaffCookie,
    lang: Lang,
    visit_id: i64,
    done: &str,
    work: calendar::Action,
) -> Result<Flash<Redirect>, Status> {
    let (_, where_from) = app
        .staff(cookie)
        .needs(Permission::ScheduleVisits)
        .attempt(move |conn, _| calendar::page_of(conn, visit_id))
        .await?;
    let to = where_from.unwrap_or_else(|_| "/staff/wizyty".to_owned());
    let (_, result) = app
        .staff(cookie)
        .needs(Permission::ScheduleVisits)
        .writes()
        .attempt(move |conn, cx| {
            work(conn, visit_id, &Effects::of(cx))?;
            calendar::page_of(conn, visit_id)
        })
        .await?;
    back(lang, &to, result, done)
}

#[post("/staff/wizyty/wizyta/<visit_id>/odwolaj", data = "<_form>")]
async fn cancel_visit(
    visit_id: i64,
    _form: Protected<TokenOnly>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Flash<Redirect>, Status> {
    act(
        app,
        &cookie,
        layout.lang(),
        visit_id,
        "visits-cancelled",
        calendar::cancel,
    )
    .await
}

#[post("/staff/wizyty/wizyta/<visit_id>/wykonana", data = "<_form>")]
async fn visit_done(
    visit_id: i64,
    _form: Protected<TokenOnly>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Flash<Redirect>, Status> {
    act(
        app,
        &cookie,
        layout.lang(),
        visit_id,
        "visits-marked-done",
        calendar::mark_done,
    )
    .await
}

#[post("/staff/wizyty/wizyta/<visit_id>/nieobecnosc", data = "<_form>")]
async fn visit_missed(
    visit_id: i64,
    _form: Protected<TokenOnly>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Flash<Redirect>, Status> {
    act(
        app,
        &cookie,
        layout.lang(),
        visit_id,
        "visits-marked-missed",
        calendar::mark_missed,
    )
    .await
}

#[derive(Debug, FromForm)]
pub struct WaiveFields {
    #[field(default = String::new())]
    reason: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for WaiveFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/staff/wizyty/wizyta/<visit_id>/umorz", data = "<form>")]
async fn waive_fee(
    visit_id: i64,
    form: Protected<WaiveFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Flash<Redirect>, Status> {
    let lang = layout.lang();
    let reason = form.reason.clone();
    let (_, where_from) = app
        .staff(&cookie)
        .needs(Permission::ScheduleVisits)
        .attempt(move |conn, _| calendar::page_of(conn, visit_id))
        .await?;
    let to = where_from.unwrap_or_else(|_| "/staff/wizyty".to_owned());
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::ScheduleVisits)
        .writes()
        .attempt(move |conn, cx| {
            calendar::waive_fee(conn, visit_id, &reason, &Effects::of(cx))?;
            calendar::page_of(conn, visit_id)
        })
        .await?;
    back(lang, &to, result, "visits-fee-waived")
}
