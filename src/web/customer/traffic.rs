//! `/statystyki`: the traffic of one of the subscriber's endpoints by day, week, month or year,
//! as an SVG chart drawn on the server with the numbers as a table, totals and a CSV download
//! (`/statystyki/csv`). Only the subscriber's own endpoints: another's id is a 404.

use rocket::http::Status;
use rocket::{Route, State, get, routes};

use crate::app::access::Area;
use crate::app::{App, traffic};
use crate::domain::traffic::Period;
use crate::i18n;
use crate::web::page::LayoutDraft;
use crate::web::session::CustomerCookie;
use crate::web::traffic_view::{self, CsvDownload, StatsQuery};
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![page, csv]
}

#[get("/statystyki?<query..>")]
async fn page(
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
    query: StatsQuery<'_>,
) -> Result<Template, Status> {
    let (period, day, problem) = query.period(crate::app::clock::today());
    let punkt = query.punkt;
    let (me, page) = app
        .customer(&cookie)
        .needs(Area::Services)
        .run(move |conn, cx| traffic::page(conn, cx.customer_id(), punkt, period, day))
        .await?;
    let page = page.ok_or(Status::NotFound)?;
    let layout = layout.signed_in(&me);
    let lang = layout.lang;
    Ok(Template::render(
        "customer/traffic",
        context! {
            chart: traffic_view::chart(lang, &page),
            rows: traffic_view::rows(lang, &page),
            totals: traffic_view::totals(lang, &page),
            error: problem.map(|key| i18n::text(lang, key)),
            periods: Period::ALL,
            base: "/statystyki",
            layout, page,
        },
    ))
}

#[get("/statystyki/csv?<query..>")]
async fn csv(
    app: &State<App>,
    cookie: CustomerCookie,
    query: StatsQuery<'_>,
) -> Result<CsvDownload, Status> {
    let (period, day, _) = query.period(crate::app::clock::today());
    let punkt = query.punkt;
    let (_, page) = app
        .customer(&cookie)
        .needs(Area::Services)
        .run(move |conn, cx| traffic::page(conn, cx.customer_id(), punkt, period, day))
        .await?;
    let page = page.ok_or(Status::NotFound)?;
    Ok(CsvDownload::new(&page))
}
