//! Traffic counters: what a collector sends (per endpoint IP, bytes in and out per interval),
//! the two file formats `ebok traffic import` reads, the 5-minute, hourly and Polish-day buckets
//! the counters are kept in, and the periods the statistics pages show.
//!
//! Bytes are counted from the subscriber's side: `bytes_in` came down to the endpoint,
//! `bytes_out` went up from it.

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike,
};
use chrono_tz::Europe::Warsaw;
use serde::{Deserialize, Serialize};

/// The length of a raw interval.
pub const INTERVAL_MINUTES: i64 = 5;

/// One counter: the bytes an IP moved in the interval that contains `at` (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counter {
    pub ip: String,
    pub at: NaiveDateTime,
    pub bytes_in: i64,
    pub bytes_out: i64,
}

/// A batch of counters, as the collector (or a file) hands them over.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CounterBatch {
    pub counters: Vec<Counter>,
}

/// A line of a file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct LineError {
    pub line: usize,
    pub reason: String,
}

/// The start of the 5-minute interval that contains `at`.
pub fn interval_start(at: NaiveDateTime) -> NaiveDateTime {
    let minute = at.minute() - at.minute() % INTERVAL_MINUTES as u32;
    at.date()
        .and_time(NaiveTime::from_hms_opt(at.hour(), minute, 0).unwrap_or(NaiveTime::MIN))
}

/// The start of the UTC hour that contains `at`. Poland's offset is whole hours, so this is
/// also a Polish hour.
pub fn hour_start(at: NaiveDateTime) -> NaiveDateTime {
    at.date()
        .and_time(NaiveTime::from_hms_opt(at.hour(), 0, 0).unwrap_or(NaiveTime::MIN))
}

/// The Polish date of a UTC moment.
pub fn local_day(at: NaiveDateTime) -> NaiveDate {
    at.and_utc().with_timezone(&Warsaw).date_naive()
}

/// The UTC moment of Polish midnight starting `day`.
pub fn local_midnight(day: NaiveDate) -> NaiveDateTime {
    let midnight = day.and_time(NaiveTime::MIN);
    match Warsaw.from_local_datetime(&midnight).earliest() {
        Some(local) => local.naive_utc(),
        // Poland never skips midnight; fall back to the CET offset all the same.
        None => midnight - Duration::hours(1),
    }
}

/// The UTC hours `[from, to)` of a Polish day: 24, or 23 and 25 when the clocks change.
pub fn day_hours(day: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
    let next = day.succ_opt().unwrap_or(day);
    (local_midnight(day), local_midnight(next))
}

/// Reads a byte count: a non-negative integer.
fn bytes(text: &str, what: &str) -> Result<i64, String> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n >= 0)
        .ok_or_else(|| format!("{what} \"{}\" is not a byte count", text.trim()))
}

/// A timestamp: Unix seconds, RFC 3339 (`2026-12-07T10:05:00Z`, any offset) or
/// `2026-12-07 10:05[:00]` taken as UTC.
pub fn parse_timestamp(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse::<i64>()
            .ok()
            .and_then(|secs| DateTime::from_timestamp(secs, 0))
            .map(|t| t.naive_utc());
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.naive_utc());
    }
    let text = text.replace('T', " ");
    // PostgreSQL's own spelling of a timestamptz, "2026-12-07 10:05:00+00".
    for format in ["%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%d %H:%M:%S%#z"] {
        if let Ok(t) = DateTime::parse_from_str(&text, format) {
            return Some(t.naive_utc());
        }
    }
    [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(&text, format).ok())
}

/// The CSV `ip,timestamp,in,out` (`;` also separates; a header line and blank lines are
/// skipped). `in` is what the endpoint downloaded, `out` what it uploaded.
pub fn parse_csv(text: &str) -> Result<Vec<Counter>, Vec<LineError>> {
    let mut counters = Vec::new();
    let mut errors = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split([',', ';']).map(str::trim).collect();
        if index == 0 && fields.first().is_some_and(|f| f.eq_ignore_ascii_case("ip")) {
            continue;
        }
        let problem = |reason: String| LineError {
            line: index + 1,
            reason,
        };
        if fields.len() != 4 {
            errors.push(problem(format!(
                "expected 4 fields (ip,timestamp,in,out), found {}",
                fields.len()
            )));
            continue;
        }
        let Some(at) = parse_timestamp(fields[1]) else {
            errors.push(problem(format!("\"{}\" is not a timestamp", fields[1])));
            continue;
        };
        match (bytes(fields[2], "in"), bytes(fields[3], "out")) {
            (Ok(bytes_in), Ok(bytes_out)) => counters.push(Counter {
                ip: fields[0].to_owned(),
                at,
                bytes_in,
                bytes_out,
            }),
            (Err(reason), _) | (_, Err(reason)) => errors.push(problem(reason)),
        }
    }
    if errors.is_empty() {
        Ok(counters)
    } else {
        Err(errors)
    }
}

/// What LMS's `lms-traffic` reads: a line `IP upload download` per host (spaces or tabs), the
/// totals since the collector's last run; the time is the run's, given as `at`.
pub fn parse_lms(text: &str, at: NaiveDateTime) -> Result<Vec<Counter>, Vec<LineError>> {
    let mut counters = Vec::new();
    let mut errors = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let problem = |reason: String| LineError {
            line: index + 1,
            reason,
        };
        if fields.len() != 3 {
            errors.push(problem(format!(
                "expected 3 fields (IP upload download), found {}",
                fields.len()
            )));
            continue;
        }
        match (bytes(fields[1], "upload"), bytes(fields[2], "download")) {
            (Ok(upload), Ok(download)) => counters.push(Counter {
                ip: fields[0].to_owned(),
                at,
                bytes_in: download,
                bytes_out: upload,
            }),
            (Err(reason), _) | (_, Err(reason)) => errors.push(problem(reason)),
        }
    }
    if errors.is_empty() {
        Ok(counters)
    } else {
        Err(errors)
    }
}

/// A period a statistics page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Day,
    Week,
    Month,
    Year,
}

impl Period {
    pub fn parse(value: &str) -> Option<Period> {
        match value {
            "day" | "dzien" => Some(Period::Day),
            "week" | "tydzien" => Some(Period::Week),
            "month" | "miesiac" => Some(Period::Month),
            "year" | "rok" => Some(Period::Year),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Year => "year",
        }
    }

    pub const ALL: [Period; 4] = [Period::Day, Period::Week, Period::Month, Period::Year];
}

/// The Polish days `[first, last]` a period around `day` covers: the day; its week (Monday to
/// Sunday); its calendar month; its calendar year.
pub fn period_days(period: Period, day: NaiveDate) -> (NaiveDate, NaiveDate) {
    match period {
        Period::Day => (day, day),
        Period::Week => {
            let monday = day - Duration::days(day.weekday().num_days_from_monday() as i64);
            (monday, monday + Duration::days(6))
        }
        Period::Month => {
            let first = day.with_day(1).unwrap_or(day);
            let next = if first.month() == 12 {
                NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
            };
            (first, next.map_or(day, |n| n - Duration::days(1)))
        }
        Period::Year => (
            NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day),
            NaiveDate::from_ymd_opt(day.year(), 12, 31).unwrap_or(day),
        ),
    }
}

/// The same period one step earlier (`-1`) or later (`1`).
pub fn shift(period: Period, day: NaiveDate, steps: i32) -> NaiveDate {
    match period {
        Period::Day => day + Duration::days(steps as i64),
        Period::Week => day + Duration::days(7 * steps as i64),
        Period::Month => day
            .with_day(1)
            .and_then(|d| {
                if steps >= 0 {
                    d.checked_add_months(chrono::Months::new(steps as u32))
                } else {
                    d.checked_sub_months(chrono::Months::new(steps.unsigned_abs()))
                }
            })
            .unwrap_or(day),
        Period::Year => NaiveDate::from_ymd_opt(day.year() + steps, 1, 1).unwrap_or(day),
    }
}

/// One bar of a chart: a label and the bytes of its bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bar {
    pub label: String,
    /// When the bucket starts, for the CSV: a Polish time with its offset, a date, a month.
    pub start: String,
    pub bytes_in: i64,
    pub bytes_out: i64,
}

/// "1,2 GB" (Polish) or "1.2 GB" (English), in powers of 1000 as operators bill.
pub fn human_bytes(bytes: i64, polish: bool) -> String {
    const UNITS: [&str; 6] = ["B", "kB", "MB", "GB", "TB", "PB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    let text = if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    };
    if polish { text.replace('.', ",") } else { text }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Words the chart needs in the page's language.
pub struct ChartWords<'a> {
    pub title: &'a str,
    pub downloaded: &'a str,
    pub uploaded: &'a str,
    pub polish: bool,
}

/// A bar chart of the bars as SVG, drawn on the server: downloads and uploads side by side per
/// bucket, a scale on the left, every bar with its own `<title>` (a tooltip and what a screen
/// reader says), the chart labelled by its `<title>`. The page carries the same numbers as a
/// table for whoever cannot see the chart.
pub fn svg_chart(bars: &[Bar], words: &ChartWords<'_>) -> String {
    const WIDTH: f64 = 720.0;
    const HEIGHT: f64 = 240.0;
    const LEFT: f64 = 64.0;
    const BOTTOM: f64 = 24.0;
    const TOP: f64 = 12.0;
    let plot_h = HEIGHT - BOTTOM - TOP;
    let plot_w = WIDTH - LEFT - 8.0;
    let max = bars
        .iter()
        .map(|b| b.bytes_in.max(b.bytes_out))
        .max()
        .unwrap_or(0)
        .max(1);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"traffic-chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" \
         role=\"img\" aria-labelledby=\"traffic-chart-title\"><title id=\"traffic-chart-title\">{}</title>",
        escape(words.title)
    );
    for step in 0..=4 {
        let value = max as f64 * step as f64 / 4.0;
        let y = TOP + plot_h - plot_h * step as f64 / 4.0;
        svg.push_str(&format!(
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" class=\"grid\" stroke=\"#ccc\" stroke-width=\"0.5\"/>\
             <text x=\"{}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\">{}</text>",
            WIDTH - 8.0,
            LEFT - 4.0,
            y + 3.0,
            escape(&human_bytes(value as i64, words.polish))
        ));
    }
    let slot = plot_w / bars.len().max(1) as f64;
    let bar_w = (slot / 2.0 - 1.0).max(0.5);
    let label_every = (bars.len() / 12).max(1);
    for (index, bar) in bars.iter().enumerate() {
        let x = LEFT + slot * index as f64;
        for (offset, value, class, colour, word) in [
            (0.0, bar.bytes_in, "in", "#1f6fb2", words.downloaded),
            (bar_w, bar.bytes_out, "out", "#e08a00", words.uploaded),
        ] {
            let h = plot_h * value as f64 / max as f64;
            svg.push_str(&format!(
                "<rect class=\"bar-{class}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{bar_w:.1}\" height=\"{h:.1}\" fill=\"{colour}\">\
                 <title>{}: {} {}</title></rect>",
                x + offset + 0.5,
                TOP + plot_h - h,
                escape(&bar.label),
                escape(word),
                escape(&human_bytes(value, words.polish))
            ));
        }
        if index % label_every == 0 {
            svg.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
                x + slot / 2.0,
                HEIGHT - 8.0,
                escape(&bar.label)
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        parse_timestamp(text).unwrap()
    }

    #[test]
    fn timestamps_in_three_spellings_agree() {
        let want = at("2026-12-07 10:07:00");
        assert_eq!(at("2026-12-07T10:07:00Z"), want);
        assert_eq!(at("2026-12-07T11:07:00+01:00"), want);
        assert_eq!(at(&want.and_utc().timestamp().to_string()), want);
        assert!(parse_timestamp("yesterday").is_none());
    }

    #[test]
    fn intervals_hours_and_polish_days() {
        assert_eq!(
            interval_start(at("2026-12-07 10:07:59")),
            at("2026-12-07 10:05")
        );
        assert_eq!(
            hour_start(at("2026-12-07 10:59:59")),
            at("2026-12-07 10:00")
        );
        // 23:30 UTC in December is already the next day in Poland.
        assert_eq!(
            local_day(at("2026-12-07 23:30")),
            NaiveDate::from_ymd_opt(2026, 12, 8).unwrap()
        );
        let (from, to) = day_hours(NaiveDate::from_ymd_opt(2026, 3, 29).unwrap());
        assert_eq!((to - from).num_hours(), 23, "spring forward");
        let (from, to) = day_hours(NaiveDate::from_ymd_opt(2026, 10, 25).unwrap());
        assert_eq!((to - from).num_hours(), 25, "fall back");
    }

    #[test]
    fn csv_reads_rows_and_names_bad_lines() {
        let text =
            "ip,timestamp,in,out\n10.0.0.1,2026-12-07T10:00:00Z,100,20\n10.0.0.2;1796637600;5;6\n";
        let counters = parse_csv(text).unwrap();
        assert_eq!(counters.len(), 2);
        assert_eq!(counters[0].bytes_in, 100);
        assert_eq!(counters[1].bytes_out, 6);
        let errors =
            parse_csv("10.0.0.1,2026-12-07T10:00:00Z,-1,2\n10.0.0.1,soon,1,2\n1,2\n").unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.line).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
    }

    #[test]
    fn lms_lines_are_upload_then_download() {
        let counters = parse_lms(
            "10.0.0.1 300 4000\n\n10.0.0.2\t1\t2\n",
            at("2026-12-07 10:00"),
        )
        .unwrap();
        assert_eq!(counters[0].bytes_in, 4000);
        assert_eq!(counters[0].bytes_out, 300);
        assert!(parse_lms("10.0.0.1 x 1\n", at("2026-12-07 10:00")).is_err());
    }

    #[test]
    fn periods_cover_their_days() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 9).unwrap();
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            period_days(Period::Week, day),
            (d(2026, 12, 7), d(2026, 12, 13))
        );
        assert_eq!(
            period_days(Period::Month, day),
            (d(2026, 12, 1), d(2026, 12, 31))
        );
        assert_eq!(
            period_days(Period::Year, day),
            (d(2026, 1, 1), d(2026, 12, 31))
        );
        assert_eq!(shift(Period::Month, day, 1), d(2027, 1, 1));
        assert_eq!(shift(Period::Month, day, -1), d(2026, 11, 1));
    }

    #[test]
    fn the_chart_has_a_title_and_a_titled_bar_per_value() {
        let bars = vec![
            Bar {
                label: "10".into(),
                start: "2026-12-07T10:00+01:00".into(),
                bytes_in: 2_000_000,
                bytes_out: 500,
            },
            Bar {
                label: "<11>".into(),
                start: "2026-12-07T11:00+01:00".into(),
                bytes_in: 0,
                bytes_out: 0,
            },
        ];
        let svg = svg_chart(
            &bars,
            &ChartWords {
                title: "Ruch",
                downloaded: "Pobrane",
                uploaded: "Wysłane",
                polish: true,
            },
        );
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("<title id=\"traffic-chart-title\">Ruch</title>"));
        assert_eq!(svg.matches("<rect").count(), 4);
        assert!(svg.contains("Pobrane 2,0 MB"));
        assert!(svg.contains("&lt;11&gt;"));
        assert_eq!(human_bytes(999, false), "999 B");
        assert_eq!(human_bytes(1_500_000_000, false), "1.5 GB");
    }
}
