//! What the subscriber's and the staff's statistics pages share: reading the period from the
//! query, drawing the chart in the page's language, the CSV download.

use chrono::NaiveDate;
use rocket::http::{ContentType, Header};
use rocket::{FromForm, Responder};

use crate::app::traffic::TrafficPage;
use crate::domain::traffic::{ChartWords, Period, human_bytes, svg_chart};
use crate::i18n::{self, Lang};

/// The statistics pages' query: the endpoint (`punkt`), the period (`okres`) and its day
/// (`dzien`); a value that cannot be read is as if absent.
#[derive(Debug, Default, FromForm)]
pub struct StatsQuery<'r> {
    pub punkt: Option<i64>,
    pub okres: Option<&'r str>,
    pub dzien: Option<&'r str>,
}

impl StatsQuery<'_> {
    /// The period and day asked for, as `period_of` reads them.
    pub fn period(&self, today: NaiveDate) -> (Period, NaiveDate, Option<&'static str>) {
        period_of(self.okres, self.dzien, today)
    }
}

/// The period and day asked for (`?okres=day|week|month|year&dzien=2026-12-07`); what cannot
/// be read falls back to today's day and says so (a message key).
pub fn period_of(
    period: Option<&str>,
    day: Option<&str>,
    today: NaiveDate,
) -> (Period, NaiveDate, Option<&'static str>) {
    let mut problem = None;
    let period = match period.filter(|p| !p.is_empty()) {
        None => Period::Day,
        Some(text) => Period::parse(text).unwrap_or_else(|| {
            problem = Some("traffic-bad-period");
            Period::Day
        }),
    };
    let day = match day.filter(|d| !d.is_empty()) {
        None => today,
        Some(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(day) if (2000..=2100).contains(&chrono::Datelike::year(&day)) => day,
            _ => {
                problem = Some("traffic-bad-day");
                today
            }
        },
    };
    (period, day, problem)
}

/// The page's chart as SVG, titled with the endpoint and the period.
pub fn chart(lang: Lang, page: &TrafficPage) -> Option<String> {
    let endpoint = page.endpoint.as_ref()?;
    let address = endpoint
        .ipv4
        .clone()
        .or_else(|| endpoint.pppoe_login.clone())
        .unwrap_or_else(|| endpoint.id.to_string());
    let title = i18n::text_with(
        lang,
        "traffic-chart-title",
        &[
            ("address", address.as_str().into()),
            (
                "first",
                page.first.format("%d.%m.%Y").to_string().as_str().into(),
            ),
            (
                "last",
                page.last.format("%d.%m.%Y").to_string().as_str().into(),
            ),
        ],
    );
    let downloaded = i18n::text(lang, "traffic-downloaded");
    let uploaded = i18n::text(lang, "traffic-uploaded");
    Some(svg_chart(
        &page.bars,
        &ChartWords {
            title: &title,
            downloaded: &downloaded,
            uploaded: &uploaded,
            polish: lang == Lang::Pl,
        },
    ))
}

/// The bars with their byte counts as words, for the table under the chart.
pub fn rows(lang: Lang, page: &TrafficPage) -> Vec<(String, String, String)> {
    page.bars
        .iter()
        .map(|b| {
            (
                b.label.clone(),
                human_bytes(b.bytes_in, lang == Lang::Pl),
                human_bytes(b.bytes_out, lang == Lang::Pl),
            )
        })
        .collect()
}

/// Totals as words: (downloaded, uploaded).
pub fn totals(lang: Lang, page: &TrafficPage) -> (String, String) {
    (
        human_bytes(page.total_in, lang == Lang::Pl),
        human_bytes(page.total_out, lang == Lang::Pl),
    )
}

/// The CSV of a page, as a download.
#[derive(Responder)]
pub struct CsvDownload {
    body: String,
    content_type: ContentType,
    disposition: Header<'static>,
}

impl CsvDownload {
    pub fn new(page: &TrafficPage) -> CsvDownload {
        let name = format!(
            "ruch-{}-{}-{}.csv",
            page.endpoint.as_ref().map_or(0, |e| e.id),
            page.period.as_str(),
            page.first
        );
        CsvDownload {
            body: crate::app::traffic::csv(page),
            content_type: ContentType::CSV,
            disposition: Header::new(
                "Content-Disposition",
                format!("attachment; filename=\"{name}\""),
            ),
        }
    }
}
