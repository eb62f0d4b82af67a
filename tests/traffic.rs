//! Traffic statistics and connection history on every backend (issue 21): importing the same
//! counters twice changes nothing, counters for unknown IPs are counted and named, roll-ups are
//! exact (hourly and daily sums equal the raw ones) and safe with two instances, RADIUS
//! sessions are one row per accounting session however often imported, the pages and the CSV
//! show only the signed-in subscriber's endpoints.
//!
//! The demo seeds the last week of counters; the tests work on a day ten days back, with raw
//! rows kept for 30 days.

mod common;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use common::{TestApp, log_in, scalar_i64, staff_client};
use ebok::app::demo;
use ebok::app::{clock, radius, traffic};
use ebok::db;
use ebok::domain::radius::{SessionBatch, parse_detail, parse_radacct_csv};
use ebok::domain::traffic::{Counter, CounterBatch, day_hours, parse_csv};
use rocket::http::{ContentType, Status};

backend_tests!(
    importing_the_same_counters_twice_changes_nothing,
    counters_for_unknown_ips_are_counted_and_named_not_stored,
    roll_ups_are_exact_and_safe_with_two_instances,
    radius_sessions_are_one_row_per_accounting_session,
    pages_and_csv_show_only_the_subscribers_own_endpoints,
);

const DEMO_IP: &str = "203.0.113.17";
const OTHER_IP: &str = "203.0.113.18";
const RAW_DAYS: i64 = 30;

fn app_with_demo(app: TestApp) -> TestApp {
    app.with_config(|c| c.traffic_raw_days = RAW_DAYS)
        .with_demo(0)
}

/// The Polish day ten days back, out of the demo's week.
fn test_day() -> NaiveDate {
    clock::today() - Duration::days(10)
}

/// A counter every 5 minutes of `day` for `ip`: in = 1000 + i, out = 10 + i.
fn day_of_counters(ip: &str, day: NaiveDate) -> Vec<Counter> {
    let (from, to) = day_hours(day);
    let mut counters = Vec::new();
    let mut at = from;
    let mut i = 0;
    while at < to {
        counters.push(Counter {
            ip: ip.into(),
            at: at + Duration::seconds(17),
            bytes_in: 1000 + i,
            bytes_out: 10 + i,
        });
        at += Duration::minutes(5);
        i += 1;
    }
    counters
}

fn ingest(app: &TestApp, counters: Vec<Counter>) -> traffic::IngestReport {
    let batch = CounterBatch { counters };
    let mut conn = app.conn();
    db::write_transaction(&mut conn, |conn| {
        traffic::ingest(conn, &batch, clock::now(), RAW_DAYS)
    })
    .unwrap()
}

fn roll_up(app: &TestApp, now: NaiveDateTime) -> traffic::RollupReport {
    ebok::jobs::traffic::run_once(&app.pool, RAW_DAYS, now).unwrap()
}

fn endpoint_of(app: &TestApp, ip: &str) -> i64 {
    scalar_i64(
        app,
        &format!("SELECT id AS v FROM endpoints WHERE ipv4 = '{ip}'"),
    )
}

/// (in, out) of the endpoint's daily row for `day`.
fn daily(app: &TestApp, endpoint: i64, day: NaiveDate) -> (i64, i64) {
    let rows = db::traffic::daily_of(&mut app.conn(), endpoint, day, day).unwrap();
    assert_eq!(rows.len(), 1, "one daily row for {day}");
    (rows[0].1, rows[0].2)
}

fn expected(counters: &[Counter]) -> (i64, i64) {
    (
        counters.iter().map(|c| c.bytes_in).sum(),
        counters.iter().map(|c| c.bytes_out).sum(),
    )
}

fn importing_the_same_counters_twice_changes_nothing(app: TestApp) {
    let app = app_with_demo(app);
    let day = test_day();
    let endpoint = endpoint_of(&app, DEMO_IP);
    let counters = day_of_counters(DEMO_IP, day);
    let hours = counters.len() / 12;

    // Through the CSV a collector writes, as `ebok traffic import` reads it.
    let mut csv = String::from("ip,timestamp,in,out\n");
    for c in &counters {
        csv.push_str(&format!(
            "{},{},{},{}\n",
            c.ip,
            c.at.format("%Y-%m-%dT%H:%M:%SZ"),
            c.bytes_in,
            c.bytes_out
        ));
    }
    let parsed = parse_csv(&csv).unwrap();
    assert_eq!(parsed, counters);

    let first = ingest(&app, parsed.clone());
    assert_eq!(first.accepted, counters.len());
    assert_eq!(
        first.unknown + first.too_old + first.in_future + first.invalid,
        0
    );
    let raw_count = |app: &TestApp| {
        scalar_i64(
            app,
            &format!(
                "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM traffic_samples WHERE endpoint_id = {endpoint}"
            ),
        )
    };
    let rows_after_first = raw_count(&app);
    roll_up(&app, clock::now());
    assert_eq!(daily(&app, endpoint, day), expected(&counters));

    let second = ingest(&app, parsed);
    assert_eq!(second.accepted, counters.len());
    assert_eq!(raw_count(&app), rows_after_first, "no row twice");
    roll_up(&app, clock::now());
    assert_eq!(
        daily(&app, endpoint, day),
        expected(&counters),
        "nothing added twice"
    );
    let hourly = db::traffic::hourly_of(
        &mut app.conn(),
        endpoint,
        day_hours(day).0,
        day_hours(day).1,
    )
    .unwrap();
    assert_eq!(hourly.len(), hours);

    // A corrected counter for an interval replaces what was there; the sums follow.
    let mut corrected = counters[5].clone();
    corrected.bytes_in += 1_000_000;
    corrected.at += Duration::seconds(60); // the same 5-minute interval
    ingest(&app, vec![corrected]);
    roll_up(&app, clock::now());
    let (want_in, want_out) = expected(&counters);
    assert_eq!(daily(&app, endpoint, day), (want_in + 1_000_000, want_out));
}

fn counters_for_unknown_ips_are_counted_and_named_not_stored(app: TestApp) {
    let app = app_with_demo(app);
    let day = test_day();
    let at = day_hours(day).0 + Duration::hours(3);
    let before = scalar_i64(
        &app,
        "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM traffic_samples",
    );
    let counter = |ip: &str, at: NaiveDateTime, bytes_in: i64| Counter {
        ip: ip.into(),
        at,
        bytes_in,
        bytes_out: 1,
    };
    let report = ingest(
        &app,
        vec![
            counter("198.51.100.9", at, 5),
            counter("198.51.100.9", at + Duration::minutes(5), 5),
            counter("198.51.100.200", at, 5),
            counter("not-an-ip", at, 5),
            counter(DEMO_IP, at, -5),
            counter(DEMO_IP, clock::now() - Duration::days(RAW_DAYS + 1), 5),
            counter(DEMO_IP, clock::now() + Duration::hours(2), 5),
            counter(DEMO_IP, at, 7),
        ],
    );
    assert_eq!(report.received, 8);
    assert_eq!(report.unknown, 3);
    assert_eq!(report.unknown_ips, vec!["198.51.100.200", "198.51.100.9"]);
    assert_eq!(report.invalid, 2);
    assert_eq!(report.too_old, 1);
    assert_eq!(report.in_future, 1);
    assert_eq!(report.accepted, 1);
    let after = scalar_i64(
        &app,
        "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM traffic_samples",
    );
    assert_eq!(after, before + 1, "only the good counter is stored");
}

fn roll_ups_are_exact_and_safe_with_two_instances(app: TestApp) {
    let app = app_with_demo(app);
    let day = test_day();
    let mut counters = day_of_counters(DEMO_IP, day);
    counters.extend(day_of_counters(OTHER_IP, day - Duration::days(1)));
    ingest(&app, counters);

    // Another instance holds the claim on the first hour: this run leaves it alone.
    let first_hour = day_hours(day - Duration::days(1)).0;
    let now = clock::now();
    let held = db::traffic::claim(
        &mut app.conn(),
        "hour",
        first_hour,
        now,
        now + Duration::minutes(10),
    )
    .unwrap()
    .expect("the hour is queued and free");
    let report = roll_up(&app, now);
    assert!(report.hours >= 47, "the other hours: {report:?}");
    let other = endpoint_of(&app, OTHER_IP);
    let hourly_of_first = |app: &TestApp| {
        db::traffic::hourly_of(
            &mut app.conn(),
            other,
            first_hour,
            first_hour + Duration::hours(1),
        )
        .unwrap()
    };
    assert!(
        hourly_of_first(&app).is_empty(),
        "a claimed hour is not summed"
    );

    // More counters for that hour arrive while it is held: the holder's stale generation
    // leaves it queued, so nothing that arrived is lost.
    ingest(
        &app,
        vec![Counter {
            ip: OTHER_IP.into(),
            at: first_hour + Duration::minutes(2),
            bytes_in: 5,
            bytes_out: 5,
        }],
    );
    assert!(
        !db::traffic::finish(&mut app.conn(), "hour", first_hour, held).unwrap(),
        "a newer generation stays queued"
    );
    roll_up(&app, now);
    assert_eq!(hourly_of_first(&app).len(), 1);

    // Exact: per endpoint, raw = hourly = daily, to the byte.
    for table in ["traffic_hourly", "traffic_daily"] {
        let mismatched = scalar_i64(
            &app,
            &format!(
                "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM (SELECT endpoint_id, SUM(bytes_in) AS i, SUM(bytes_out) AS o FROM traffic_samples GROUP BY endpoint_id) r \
                 FULL OUTER JOIN (SELECT endpoint_id, SUM(bytes_in) AS i, SUM(bytes_out) AS o FROM {table} GROUP BY endpoint_id) s ON s.endpoint_id = r.endpoint_id \
                 WHERE r.i IS NULL OR s.i IS NULL OR r.i <> s.i OR r.o <> s.o"
            ),
        );
        assert_eq!(mismatched, 0, "{table} sums equal the raw sums");
    }
    let total = |table: &str| {
        scalar_i64(
            &app,
            &format!("SELECT CAST(SUM(bytes_in) + SUM(bytes_out) AS BIGINT) AS v FROM {table}"),
        )
    };
    assert!(total("traffic_samples") > 0);
    assert_eq!(total("traffic_hourly"), total("traffic_samples"));
    assert_eq!(total("traffic_daily"), total("traffic_samples"));
    let queued = scalar_i64(
        &app,
        "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM traffic_rollups",
    );
    assert_eq!(queued, 0, "nothing left queued");

    // Raw rows past their days go; the sums stay.
    let pruned = ebok::jobs::traffic::run_once(&app.pool, 5, now)
        .unwrap()
        .pruned;
    assert!(pruned >= 2 * 288, "the test days' raw rows: {pruned}");
    assert!(daily(&app, endpoint_of(&app, DEMO_IP), day).0 > 0);
    assert_eq!(
        total("traffic_daily"),
        total("traffic_hourly"),
        "the roll-ups keep what the raw rows said"
    );
}

const DETAIL: &str = "Mon Dec  7 10:00:00 2026
\tAcct-Status-Type = Start
\tAcct-Session-Id = \"81000A1\"
\tUser-Name = \"k000001@przykladowy-operator.pl\"
\tNAS-IP-Address = 10.255.0.1
\tFramed-IP-Address = 203.0.113.17
\tTimestamp = {start}

Mon Dec  7 12:00:00 2026
\tAcct-Status-Type = Stop
\tAcct-Session-Id = \"81000A1\"
\tUser-Name = \"k000001@przykladowy-operator.pl\"
\tNAS-IP-Address = 10.255.0.1
\tFramed-IP-Address = 203.0.113.17
\tAcct-Session-Time = 7200
\tAcct-Input-Octets = 4242
\tAcct-Output-Octets = 987654
\tAcct-Terminate-Cause = Port-Error
\tTimestamp = {stop}

Mon Dec  7 12:00:00 2026
\tAcct-Status-Type = Start
\tAcct-Session-Id = \"99\"
\tUser-Name = \"nobody@elsewhere\"
\tNAS-IP-Address = 10.255.0.1
\tTimestamp = {start}
";

fn radius_sessions_are_one_row_per_accounting_session(app: TestApp) {
    let app = app_with_demo(app);
    let start = clock::now() - Duration::hours(3);
    let text = DETAIL
        .replace("{start}", &start.and_utc().timestamp().to_string())
        .replace(
            "{stop}",
            &(start + Duration::hours(2))
                .and_utc()
                .timestamp()
                .to_string(),
        );
    let import = |sessions| {
        let batch = SessionBatch { sessions };
        db::write_transaction(&mut app.conn(), |conn| {
            radius::ingest(conn, &batch, clock::now())
        })
        .unwrap()
    };
    let rows = || {
        scalar_i64(
            &app,
            "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM radius_sessions",
        )
    };
    let before = rows();
    let first = import(parse_detail(&text).unwrap());
    assert_eq!((first.created, first.unknown), (1, 1));
    assert_eq!(first.unknown_logins, vec!["nobody@elsewhere"]);
    let second = import(parse_detail(&text).unwrap());
    assert_eq!(
        (second.created, second.updated, second.unchanged),
        (0, 0, 1)
    );
    assert_eq!(rows(), before + 1, "one row however often imported");

    // Only the Start first, the Stop later (as the detail file grows): the same one row.
    let key = "10.255.0.1/81000A1";
    let stored = db::traffic::session_by_key(&mut app.conn(), key)
        .unwrap()
        .unwrap();
    assert_eq!(stored.bytes_in, 987_654);
    assert_eq!(stored.bytes_out, 4242);
    assert_eq!(stored.terminate_cause.as_deref(), Some("Port-Error"));
    assert_eq!(
        stored.stopped_at.unwrap() - stored.started_at,
        Duration::hours(2)
    );

    // The radacct CSV of the same session (keyed the same way) and a new one by Framed-IP.
    let csv = format!(
        "acctsessionid,username,nasipaddress,acctstarttime,acctstoptime,acctinputoctets,acctoutputoctets,acctterminatecause,framedipaddress\n\
         81000A1,k000001@przykladowy-operator.pl,10.255.0.1,{s},{e},4242,987654,Port-Error,203.0.113.17\n\
         77,someone-else,10.255.0.2,{s},,1,2,,203.0.113.17\n",
        s = start.format("%Y-%m-%d %H:%M:%S"),
        e = (start + Duration::hours(2)).format("%Y-%m-%d %H:%M:%S"),
    );
    let third = import(parse_radacct_csv(&csv).unwrap());
    assert_eq!((third.created, third.unchanged), (1, 1));

    // The subscriber sees it on the service page; staff on the customer card.
    let endpoint = endpoint_of(&app, DEMO_IP);
    let service = scalar_i64(
        &app,
        &format!("SELECT service_id AS v FROM endpoints WHERE id = {endpoint}"),
    );
    log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    let html = app
        .get(&format!("/uslugi/{service}"))
        .into_string()
        .unwrap();
    assert!(
        html.contains(&format!("data-session=\"{key}\"")),
        "the service page"
    );
    assert!(html.contains("Port-Error"));
    let customer = db::traffic::customer_of_endpoint(&mut app.conn(), endpoint)
        .unwrap()
        .unwrap();
    let staff = staff_client(&app, demo::ADMIN_LOGIN, demo::ADMIN_PASSWORD);
    let card = staff
        .get(format!("/staff/klienci/{customer}"))
        .dispatch()
        .into_string()
        .unwrap();
    assert!(
        card.contains(&format!("data-session=\"{key}\"")),
        "the customer card"
    );
}

fn pages_and_csv_show_only_the_subscribers_own_endpoints(app: TestApp) {
    let app = app_with_demo(app);
    let day = test_day();
    let mine = endpoint_of(&app, DEMO_IP);
    let theirs = endpoint_of(&app, OTHER_IP);
    let counters = day_of_counters(DEMO_IP, day);
    ingest(&app, counters.clone());
    ingest(&app, day_of_counters(OTHER_IP, day));
    roll_up(&app, clock::now());

    // Signed out: no statistics.
    let response = app.get("/statystyki");
    assert_ne!(response.status(), Status::Ok);

    log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    let page = app.get(&format!("/statystyki?punkt={mine}&okres=day&dzien={day}"));
    assert_eq!(page.status(), Status::Ok);
    let html = page.into_string().unwrap();
    assert!(html.contains("<svg"), "a chart");
    assert!(html.contains("id=\"traffic-chart-title\""), "titled");
    assert!(html.contains("id=\"traffic-table\""), "with the table");
    let (want_in, want_out) = expected(&counters);
    assert!(
        html.contains(&format!("data-bytes=\"{want_in}\"")),
        "total downloaded"
    );
    assert!(
        html.contains(&format!("data-bytes=\"{want_out}\"")),
        "total uploaded"
    );
    assert!(
        !html.contains(OTHER_IP),
        "no other customer's endpoint is offered"
    );

    // Someone else's endpoint: not found, page and CSV alike.
    for path in [
        format!("/statystyki?punkt={theirs}"),
        format!("/statystyki/csv?punkt={theirs}&okres=day&dzien={day}"),
    ] {
        assert_eq!(app.get(&path).status(), Status::NotFound, "{path}");
    }

    // A period or day that cannot be read: a message, not an error.
    let odd = app.get("/statystyki?okres=decade&dzien=yesterday");
    assert_eq!(odd.status(), Status::Ok);
    let odd = odd.into_string().unwrap();
    assert!(odd.contains("flash-error"));

    // The CSV: one line per hour of the day, the same sums.
    let response = app.get(&format!(
        "/statystyki/csv?punkt={mine}&okres=day&dzien={day}"
    ));
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(response.content_type(), Some(ContentType::CSV));
    let disposition = response
        .headers()
        .get_one("Content-Disposition")
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment;"));
    let body = response.into_string().unwrap();
    let mut lines = body.lines();
    assert_eq!(lines.next(), Some("start,downloaded_bytes,uploaded_bytes"));
    let rows: Vec<(i64, i64)> = lines
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            (fields[1].parse().unwrap(), fields[2].parse().unwrap())
        })
        .collect();
    assert_eq!(rows.len(), counters.len() / 12);
    assert_eq!(
        (
            rows.iter().map(|r| r.0).sum::<i64>(),
            rows.iter().map(|r| r.1).sum::<i64>()
        ),
        (want_in, want_out)
    );
    // A month by days, a year by months: the day's sums are in them.
    for period in ["week", "month", "year"] {
        let body = app
            .get(&format!(
                "/statystyki/csv?punkt={mine}&okres={period}&dzien={day}"
            ))
            .into_string()
            .unwrap();
        let sum: i64 = body
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(1).unwrap().parse::<i64>().unwrap())
            .sum();
        assert!(sum >= want_in, "{period}");
    }

    // Staff see any customer's statistics, and the top users.
    let staff = staff_client(&app, demo::ADMIN_LOGIN, demo::ADMIN_PASSWORD);
    let other_customer = db::traffic::customer_of_endpoint(&mut app.conn(), theirs)
        .unwrap()
        .unwrap();
    let page = staff
        .get(format!(
            "/staff/klienci/{other_customer}/statystyki?punkt={theirs}&okres=day&dzien={day}"
        ))
        .dispatch();
    assert_eq!(page.status(), Status::Ok);
    assert!(page.into_string().unwrap().contains("<svg"));
    // The endpoint must be that customer's.
    let wrong = staff
        .get(format!(
            "/staff/klienci/{other_customer}/statystyki?punkt={mine}"
        ))
        .dispatch();
    assert_eq!(wrong.status(), Status::NotFound);
    let top = staff
        .get(format!("/staff/statystyki?okres=day&dzien={day}"))
        .dispatch()
        .into_string()
        .unwrap();
    assert!(top.contains(&format!("data-endpoint=\"{mine}\"")));
    assert!(top.contains(&format!("data-endpoint=\"{theirs}\"")));
    // The subscriber cannot open the staff pages.
    assert_ne!(app.get("/staff/statystyki").status(), Status::Ok);
}
