//! Top-up packages in the demo: three on sale (one with no bonus, two that add value for paying
//! ahead) and one withdrawn, so `/doladowania` and `/staff/doladowania` have something to show.
//! Added once: a second run, or one after staff changed the packages, adds nothing.

use chrono::NaiveDateTime;

use crate::db::top_ups::NewTopUpPackage;
use crate::db::{self, DbConn};

/// (name, price, value, validity days, on sale), grosze.
const PACKAGES: [(&str, i64, i64, i32, bool); 4] = [
    ("Doładowanie 50 zł", 5_000, 5_000, 30, true),
    ("Pakiet kwartalny", 15_000, 16_500, 90, true),
    ("Pakiet półroczny", 18_100, 23_400, 180, true),
    ("Pakiet wakacyjny 2026", 9_900, 12_000, 60, false),
];

pub fn seed(conn: &mut DbConn, now: NaiveDateTime) -> diesel::QueryResult<()> {
    if !db::top_ups::all_packages(conn)?.is_empty() {
        return Ok(());
    }
    for (name, price, value, validity_days, active) in PACKAGES {
        db::top_ups::insert_package(
            conn,
            &NewTopUpPackage {
                name: name.into(),
                price,
                value,
                validity_days,
                active,
                created_at: now,
                updated_at: now,
            },
        )?;
    }
    Ok(())
}
