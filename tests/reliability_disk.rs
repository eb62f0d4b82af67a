//! A full invoices disk (issue 24, part 5): the invoices directory is a small tmpfs of its own,
//! filled up during the monthly run. The run must stop cleanly: no invoice row without its
//! PDF, no number burned (`ebok verify` finds every series gapless), the staff page saying in
//! words what happened and what to do; after room is made, the same run finishes the rest.
//!
//! Mounting needs root (as in CI); elsewhere the test says it did not run, and fails under CI.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{Datelike, Months};
use common::{TestApp, count, staff_client};
use ebok::app::demo::{ADMIN_LOGIN, ADMIN_PASSWORD};

/// The demo is seeded onto the disk first; then all but this much of it is taken.
const LEFT_FREE: u64 = 256 * 1024;
const CUSTOMERS: u32 = 40;

/// A tmpfs mounted over a directory for the test's life.
struct SmallDisk {
    at: PathBuf,
}

impl SmallDisk {
    fn mount(at: &Path, size: &str) -> Option<SmallDisk> {
        std::fs::create_dir_all(at).expect("mount point");
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|status| status.success());
        if !mounted {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must be able to mount a tmpfs (run the tests as root)"
            );
            eprintln!("\nNOTE: the full-disk test did NOT run: mounting a tmpfs needs root.\n");
            return None;
        }
        Some(SmallDisk {
            at: at.to_path_buf(),
        })
    }

    /// Fills the disk with one file, then gives `free` bytes of it back.
    fn fill_leaving(&self, free: u64) -> PathBuf {
        let filler = self.at.join("filler.bin");
        let mut file = std::fs::File::create(&filler).expect("filler");
        let block = vec![0xA5_u8; 64 * 1024];
        let mut written = 0_u64;
        while file.write_all(&block).is_ok() {
            written += block.len() as u64;
        }
        // A partial block may have gone in before the error.
        let _ = file.flush();
        file.set_len(written.saturating_sub(free))
            .expect("filler shortened");
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.at).status();
    }
}

fn ebok(app: &TestApp, args: &[&str]) -> Output {
    common::ebok_command(app, args)
        .output()
        .expect("ebok starts")
}

fn said(output: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn a_full_invoices_disk_stops_the_run_cleanly_and_a_rerun_finishes_it(app: TestApp) {
    let Some(disk) = SmallDisk::mount(&app.config.paths.invoices_dir, "64m") else {
        return;
    };
    let customers = CUSTOMERS.to_string();
    let seeded = ebok(&app, &["demo", "--customers", &customers, "--seed-only"]);
    assert!(seeded.status.success(), "{}", said(&seeded));
    let filler = disk.fill_leaving(LEFT_FREE);

    let period = ebok::app::clock::today()
        .with_day(1)
        .and_then(|d| d.checked_add_months(Months::new(1)))
        .expect("next month")
        .format("%Y-%m")
        .to_string();
    let run = ["billing", "run", "--period", &period, "--chunk-size", "4"];
    let stopped = ebok(&app, &run);
    assert!(
        !stopped.status.success(),
        "the run cannot finish on a full disk"
    );
    assert!(
        said(&stopped).contains("No space left on device"),
        "the operator is told why: {}",
        said(&stopped)
    );
    let first_day = format!("{period}-01");
    let billed_sql = format!(
        "SELECT customer_id FROM invoices WHERE kind = 'invoice' AND period_start >= '{first_day}'"
    );
    let billed_before = count(&mut app.conn(), &billed_sql);
    assert!(
        billed_before < i64::from(CUSTOMERS),
        "stopped part-way: {billed_before} billed"
    );
    // A little room, so `ebok` can start at all (it checks that it may write to the directory).
    std::fs::OpenOptions::new()
        .write(true)
        .open(&filler)
        .and_then(|file| {
            let len = file.metadata()?.len();
            file.set_len(len.saturating_sub(1024 * 1024))
        })
        .expect("a little room");
    // Every invoice kept has its PDF, and no number was burned.
    let verify = ebok(&app, &["verify"]);
    assert!(
        verify.status.success(),
        "after the full disk: {}",
        said(&verify)
    );
    assert_eq!(
        count(
            &mut app.conn(),
            &format!(
                "SELECT id FROM invoices WHERE pdf_path IS NULL AND period_start >= '{first_day}'"
            ),
        ),
        0,
        "no invoice without its PDF"
    );

    // Staff see what happened and what to do, in their language.
    let run_id = count(&mut app.conn(), "SELECT id FROM billing_runs");
    assert_eq!(run_id, 1);
    let staff = staff_client(&app, ADMIN_LOGIN, ADMIN_PASSWORD);
    let page = staff
        .get("/staff/rozliczenia/1")
        .dispatch()
        .into_string()
        .unwrap_or_default();
    assert!(
        page.contains("zabrakło miejsca na dysku z fakturami"),
        "the staff page says the disk is full: {page}"
    );

    // Room made: the same run for the period finishes the rest, each customer once.
    std::fs::remove_file(filler).expect("room made");
    let finished = ebok(&app, &run);
    assert!(finished.status.success(), "{}", said(&finished));
    let billed = count(&mut app.conn(), &billed_sql);
    let distinct = count(
        &mut app.conn(),
        &format!("SELECT DISTINCT customer_id FROM ({billed_sql}) AS b"),
    );
    assert!(billed >= i64::from(CUSTOMERS), "everyone billed: {billed}");
    assert_eq!(billed, distinct, "no customer billed twice");
    let verify = ebok(&app, &["verify"]);
    assert!(verify.status.success(), "at the end: {}", said(&verify));
    drop(disk);
}

backend_tests!(a_full_invoices_disk_stops_the_run_cleanly_and_a_rerun_finishes_it);
