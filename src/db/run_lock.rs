//! One billing run per period at a time, held by the process doing it and released when that
//! process ends in any way (kill -9 included), so a re-run after a crash never waits for a
//! timeout and two runs never contend.
//!
//! SQLite is one machine's file: an exclusive `flock` on a lock file next to the database.
//! PostgreSQL may serve several machines: a session advisory lock on a connection of its own,
//! which the server drops with the session when the process dies.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::PathBuf;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool};

use super::DatabaseUrl;

/// Held while a run works; dropping it releases the period.
pub enum RunLock {
    File(File),
    Postgres(PgConnection),
}

impl std::fmt::Debug for RunLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunLock::File(_) => f.write_str("RunLock(file)"),
            RunLock::Postgres(_) => f.write_str("RunLock(postgres)"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("cannot open the run lock {path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot take the run lock: {0}")]
    Postgres(String),
}

#[derive(QueryableByName)]
struct Locked {
    #[diesel(sql_type = Bool)]
    locked: bool,
}

/// A number per period for `pg_try_advisory_lock`: "ebok" in the high bits, YYYYMM below.
fn advisory_key(period: &str) -> i64 {
    let digits: i64 = period
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0);
    0x6562_6f6b_i64 << 24 | (digits & 0xff_ffff)
}

/// The lock for `period`, or None while another process holds it.
pub fn try_lock_period(url: &DatabaseUrl, period: &str) -> Result<Option<RunLock>, LockError> {
    match url {
        DatabaseUrl::Sqlite(path) => {
            let mut name = path.file_name().unwrap_or_default().to_os_string();
            name.push(format!(".billing-{period}.lock"));
            let lock_path: PathBuf = path.with_file_name(name);
            let failure = |source| LockError::File {
                path: lock_path.display().to_string(),
                source,
            };
            let file = OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&lock_path)
                .map_err(failure)?;
            match file.try_lock() {
                Ok(()) => Ok(Some(RunLock::File(file))),
                Err(TryLockError::WouldBlock) => Ok(None),
                Err(TryLockError::Error(source)) => Err(failure(source)),
            }
        }
        DatabaseUrl::Postgres(url) => {
            let mut conn =
                PgConnection::establish(url).map_err(|e| LockError::Postgres(e.to_string()))?;
            let locked = diesel::sql_query("SELECT pg_try_advisory_lock($1) AS locked")
                .bind::<BigInt, _>(advisory_key(period))
                .get_result::<Locked>(&mut conn)
                .map_err(|e| LockError::Postgres(e.to_string()))?
                .locked;
            Ok(locked.then_some(RunLock::Postgres(conn)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_locked_once_until_released() {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::sqlite_file(&dir.path().join("ebok.sqlite3"));
        let held = try_lock_period(&url, "2026-12").unwrap();
        assert!(held.is_some());
        assert!(try_lock_period(&url, "2026-12").unwrap().is_none());
        assert!(try_lock_period(&url, "2027-01").unwrap().is_some());
        drop(held);
        assert!(try_lock_period(&url, "2026-12").unwrap().is_some());
    }

    #[test]
    fn advisory_keys_differ_per_period() {
        assert_ne!(advisory_key("2026-12"), advisory_key("2027-01"));
        assert_eq!(advisory_key("2026-12") & 0xff_ffff, 202_612);
    }
}
