//! Staff statistics: a customer's traffic as the subscriber sees it
//! (`/staff/klienci/<id>/statystyki`, with its CSV) and the heaviest users of a period
//! (`/staff/statystyki`).

use crate::domain::CustomerId;
use rocket::http::Status;
use rocket::{Route, State, get, routes};

use crate::app::staff_roles::Permission;
use crate::app::{App, traffic};
use crate::domain::traffic::{Period, human_bytes};
use crate::i18n::{self, Lang};
use crate::web::page::LayoutDraft;
use crate::web::session::StaffCookie;
use crate::web::traffic_view::{self, CsvDownload, StatsQuery, period_of};
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![customer_page, customer_csv, top_users]
}

#[get("/staff/klienci/<id>/statystyki?<query..>")]
async fn customer_page(
    id: CustomerId,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
    query: StatsQuery<'_>,
) -> Result<Template, Status> {
    let (period, day, problem) = query.period(crate::app::clock::today());
    let punkt = query.punkt;
    let (me, page) = app
        .staff(&cookie)
        .needs(Permission::ViewCustomers)
        .run(move |conn, _| traffic::staff_page(conn, id, punkt, period, day))
        .await?;
    let page = page.ok_or(Status::NotFound)?;
    let layout = layout.staff(&me);
    let lang = layout.lang;
    Ok(Template::render(
        "staff/traffic",
        context! {
            chart: traffic_view::chart(lang, &page),
            rows: traffic_view::rows(lang, &page),
            totals: traffic_view::totals(lang, &page),
            error: problem.map(|key| i18n::text(lang, key)),
            periods: Period::ALL,
            base: format!("/staff/klienci/{id}/statystyki"),
            customer_id: id,
            layout, page,
        },
    ))
}

#[get("/staff/klienci/<id>/statystyki/csv?<query..>")]
async fn customer_csv(
    id: CustomerId,
    app: &State<App>,
    cookie: StaffCookie,
    query: StatsQuery<'_>,
) -> Result<CsvDownload, Status> {
    let (period, day, _) = query.period(crate::app::clock::today());
    let punkt = query.punkt;
    let (_, page) = app
        .staff(&cookie)
        .needs(Permission::ViewCustomers)
        .run(move |conn, _| traffic::staff_page(conn, id, punkt, period, day))
        .await?;
    let page = page.ok_or(Status::NotFound)?;
    Ok(CsvDownload::new(&page))
}

#[get("/staff/statystyki?<okres>&<dzien>")]
async fn top_users(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
    okres: Option<&str>,
    dzien: Option<&str>,
) -> Result<Template, Status> {
    let (period, day, problem) =
        period_of(okres.or(Some("month")), dzien, crate::app::clock::today());
    let (me, top) = app
        .staff(&cookie)
        .needs(Permission::ViewCustomers)
        .run(move |conn, _| traffic::top_users(conn, period, day))
        .await?;
    let layout = layout.staff(&me);
    let lang = layout.lang;
    let polish = lang == Lang::Pl;
    let rows: Vec<serde_json::Value> = top
        .users
        .iter()
        .map(|u| {
            serde_json::json!({
                "user": u,
                "down": human_bytes(u.bytes_in, polish),
                "up": human_bytes(u.bytes_out, polish),
                "total": human_bytes(u.bytes_in.saturating_add(u.bytes_out), polish),
            })
        })
        .collect();
    Ok(Template::render(
        "staff/traffic_top",
        context! {
            error: problem.map(|key| i18n::text(lang, key)),
            periods: Period::ALL,
            layout, top, rows,
        },
    ))
}
