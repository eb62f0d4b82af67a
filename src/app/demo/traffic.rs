//! Traffic counters and connections in the demo: a week of 5-minute counters for the demo
//! subscriber's line (evenings busiest), two days for a few other endpoints so the staff's top
//! users have a ranking, all rolled up; and the demo subscriber's last PPPoE sessions. Added
//! once: a second run finds counters and adds nothing.

use chrono::{Duration, NaiveDateTime, Timelike};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::app::{radius, traffic};
use crate::db::{self, DbConn};
use crate::domain::radius::{SessionBatch, SessionRecord};
use crate::domain::traffic::{Counter, CounterBatch, interval_start};

/// The demo subscriber's fixed address (`fixed::seed_demo_subscriber`).
const DEMO_IP: &str = "203.0.113.17";
const DEMO_DAYS: i64 = 7;
const OTHER_ENDPOINTS: i64 = 8;
const OTHER_DAYS: i64 = 2;

/// Bytes per 5 minutes at this hour of the day, around `scale`.
fn load(rng: &mut StdRng, at: NaiveDateTime, scale: f64) -> (i64, i64) {
    let hour = at.hour() as f64;
    // Low at night, rising through the day, peaking at 21:00 (UTC, near enough).
    let shape = 0.15 + 0.85 * (((hour - 21.0) / 24.0 * std::f64::consts::TAU).cos() * 0.5 + 0.5);
    let noise: f64 = rng.gen_range(0.6..1.4);
    let down = (scale * shape * noise) as i64;
    let up = (down as f64 * rng.gen_range(0.05..0.2)) as i64;
    (down, up)
}

pub fn seed(conn: &mut DbConn, now: NaiveDateTime, raw_days: i64) -> diesel::QueryResult<()> {
    if db::traffic::any_traffic(conn)? {
        return Ok(());
    }
    let mut rng = StdRng::seed_from_u64(21);
    let end = interval_start(now);
    let mut counters = Vec::new();
    let mut add = |rng: &mut StdRng, ip: &str, days: i64, scale: f64| {
        let mut at = end - Duration::days(days.min(raw_days));
        while at < end {
            let (bytes_in, bytes_out) = load(rng, at, scale);
            counters.push(Counter {
                ip: ip.to_owned(),
                at,
                bytes_in,
                bytes_out,
            });
            at += Duration::minutes(5);
        }
    };
    add(&mut rng, DEMO_IP, DEMO_DAYS, 90_000_000.0);
    let others: Vec<String> =
        db::traffic::first_endpoint_addresses(conn, DEMO_IP, OTHER_ENDPOINTS)?
            .into_iter()
            .map(|(_, ip)| ip)
            .collect();
    for ip in &others {
        let scale = rng.gen_range(5_000_000.0..200_000_000.0);
        add(&mut rng, ip, OTHER_DAYS, scale);
    }
    let batch = CounterBatch { counters };
    db::write_transaction(conn, |conn| {
        traffic::ingest(conn, &batch, now, raw_days)?;
        radius::ingest(conn, &sessions(&mut rng, now), now)
    })?;
    traffic::roll_up(conn, now, raw_days)?;
    Ok(())
}

/// The demo subscriber's last sessions: one still open, the others ended for various reasons.
fn sessions(rng: &mut StdRng, now: NaiveDateTime) -> SessionBatch {
    const CAUSES: [&str; 4] = [
        "User-Request",
        "Lost-Carrier",
        "Session-Timeout",
        "NAS-Reboot",
    ];
    let mut sessions = Vec::new();
    let mut stop = now - Duration::hours(30);
    for index in 0..8 {
        let length = Duration::minutes(rng.gen_range(30..2_000));
        let start = stop - length;
        sessions.push(SessionRecord {
            session_key: format!("demo-{index}"),
            username: "k000001@przykladowy-operator.pl".into(),
            nas_ip: Some("10.255.0.1".into()),
            framed_ip: Some(DEMO_IP.into()),
            started_at: start,
            stopped_at: Some(stop),
            bytes_in: rng.gen_range(100_000_000..9_000_000_000),
            bytes_out: rng.gen_range(10_000_000..900_000_000),
            terminate_cause: Some(CAUSES[index % CAUSES.len()].into()),
        });
        stop = start - Duration::minutes(rng.gen_range(1..30));
    }
    sessions.insert(
        0,
        SessionRecord {
            session_key: "demo-open".into(),
            username: "k000001@przykladowy-operator.pl".into(),
            nas_ip: Some("10.255.0.1".into()),
            framed_ip: Some(DEMO_IP.into()),
            started_at: now - Duration::hours(29),
            stopped_at: None,
            bytes_in: 12_400_000_000,
            bytes_out: 1_100_000_000,
            terminate_cause: None,
        },
    );
    SessionBatch { sessions }
}
