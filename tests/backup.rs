//! `ebok backup`, `ebok restore` and `ebok verify` as an operator runs them: a backup taken
//! while a billing run issues invoices restores elsewhere and verifies clean; a quiet backup
//! restores to the same data, row for row and byte for byte; and every bad case (a damaged
//! backup, a target that is not empty, a directory that cannot be written) ends in one clear
//! sentence with nothing half-done.

mod common;

use ebok::domain::CustomerId;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{PostgresDatabase, TestApp};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use ebok::app::audit::Actor;
use ebok::app::clock;
use ebok::app::tickets::customer::{self, NewTicketForm};
use ebok::app::tickets::{AttachmentStore, Upload};
use ebok::db::schema::customers;
use ebok::db::{self, Backend, DatabaseUrl, DbConn};

backend_tests!(
    a_backup_taken_during_a_billing_run_restores_elsewhere_and_verifies,
    bad_backups_and_targets_are_refused_in_one_sentence,
);

/// Where a restored copy lives: its own data dir and its own database.
struct Place {
    dir: tempfile::TempDir,
    url: String,
    _postgres: Option<PostgresDatabase>,
}

impl Place {
    fn new(backend: Backend) -> Place {
        let dir = tempfile::tempdir().unwrap();
        let (url, postgres) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}", dir.path().join("ebok.sqlite3").display()),
                None,
            ),
            Backend::Postgres => {
                let admin = common::postgres_admin_url().expect("PostgreSQL for tests");
                let database = PostgresDatabase::create(&admin);
                (database.url.clone(), Some(database))
            }
        };
        Place {
            dir,
            url,
            _postgres: postgres,
        }
    }

    fn of(app: &TestApp) -> (PathBuf, String) {
        (
            app.data_dir().to_path_buf(),
            app.config.database.url.to_string(),
        )
    }

    fn conn(&self) -> DbConn {
        db::connect(&DatabaseUrl::parse(&self.url).unwrap()).unwrap()
    }
}

/// Runs `ebok` against a data dir and database, as an operator would.
fn ebok(data_dir: &Path, url: &str, args: &[&str]) -> (bool, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ebok"));
    command.current_dir(data_dir).args(args);
    for (key, _) in
        std::env::vars().filter(|(k, _)| k.starts_with("EBOK_") || k.starts_with("ROCKET_"))
    {
        command.env_remove(key);
    }
    command
        .env("EBOK_DATA_DIR", data_dir)
        .env("EBOK_INVOICES_DIR", data_dir.join("invoices"))
        .env("EBOK_DATABASE_URL", url);
    let output = command.output().expect("ebok runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// A demo ISP with a ticket attachment, so every kind of stored file is in the backup.
fn seeded(app: TestApp) -> TestApp {
    app.seed_demo(6);
    let customer_id: CustomerId = customers::table
        .order(customers::id)
        .select(customers::id)
        .first(&mut *app.conn())
        .unwrap();
    customer::open(
        &mut app.conn(),
        &AttachmentStore::new(&app.config.paths.attachments_dir),
        &Actor::anonymous(None),
        customer_id,
        &NewTicketForm {
            category: "other".into(),
            service_id: None,
            subject: "Umowa".into(),
            body: "W załączniku podpisana umowa.".into(),
        },
        vec![Upload {
            file_name: "umowa.pdf".into(),
            bytes: b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec(),
        }],
        clock::now(),
    )
    .unwrap();
    app
}

#[derive(QueryableByName, Debug, PartialEq)]
struct InvoiceFacts {
    #[diesel(sql_type = Nullable<Text>)]
    number: Option<String>,
    #[diesel(sql_type = BigInt)]
    total_gross: i64,
    #[diesel(sql_type = Nullable<Text>)]
    pdf_path: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pdf_sha256: Option<String>,
}

fn invoices(conn: &mut DbConn) -> Vec<InvoiceFacts> {
    diesel::sql_query("SELECT number, total_gross, pdf_path, pdf_sha256 FROM invoices ORDER BY id")
        .load(conn)
        .unwrap()
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Every table of ours with its row count, sorted by name.
fn table_counts(conn: &mut DbConn) -> Vec<(String, i64)> {
    let names: Vec<Name> = match conn.backend() {
        Backend::Sqlite => diesel::sql_query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             ORDER BY name",
        ),
        Backend::Postgres => diesel::sql_query(
            "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables \
             WHERE table_schema = 'public' ORDER BY table_name",
        ),
    }
    .load(conn)
    .unwrap();
    names
        .into_iter()
        .map(|Name { name }| {
            let Count { n } = diesel::sql_query(format!(
                "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM \"{name}\""
            ))
            .get_result(conn)
            .unwrap();
            (name, n)
        })
        .collect()
}

fn files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if !entry.file_name().to_string_lossy().starts_with('.') {
                let relative = path.strip_prefix(root).unwrap().display().to_string();
                found.push((relative, std::fs::read(&path).unwrap()));
            }
        }
    }
    found.sort();
    found
}

fn a_backup_taken_during_a_billing_run_restores_elsewhere_and_verifies(app: TestApp) {
    let app = seeded(app);
    let (data_dir, url) = Place::of(&app);
    let backups = tempfile::tempdir().unwrap();
    let during = backups.path().join("during-run");
    let quiet = backups.path().join("quiet");

    // Under load: next month's billing run issues and stores invoices while the backup runs.
    let run = {
        let (data_dir, url) = (data_dir.clone(), url.clone());
        std::thread::spawn(move || {
            ebok(
                &data_dir,
                &url,
                &["billing", "run", "--period", &next_month()],
            )
        })
    };
    let (ok, said) = ebok(&data_dir, &url, &["backup", during.to_str().unwrap()]);
    assert!(ok, "backup during the run: {said}");
    let (ran, run_said) = run.join().unwrap();
    assert!(
        ran,
        "the billing run finished beside the backup: {run_said}"
    );
    assert!(said.contains("Backup written"), "{said}");
    assert!(during.join("manifest.json").is_file());
    assert!(
        during.join("keys/pesel_key").is_file(),
        "the embedded default's keys are in it"
    );

    // The backup under load restores into an empty place and every document checks out.
    let elsewhere = Place::new(app.backend);
    let (ok, said) = ebok(
        elsewhere.dir.path(),
        &elsewhere.url,
        &["restore", during.to_str().unwrap()],
    );
    assert!(ok, "restore: {said}");
    let (ok, said) = ebok(elsewhere.dir.path(), &elsewhere.url, &["verify"]);
    assert!(
        ok,
        "verify after restoring the backup taken under load: {said}"
    );
    assert!(said.contains("Everything matches."), "{said}");
    assert!(said.contains("Ticket attachments checked:  1"), "{said}");

    // A quiet backup restores to the same data: every table's rows, every invoice, every file.
    let (ok, said) = ebok(&data_dir, &url, &["backup", quiet.to_str().unwrap()]);
    assert!(ok, "quiet backup: {said}");
    let copy = Place::new(app.backend);
    let (ok, said) = ebok(
        copy.dir.path(),
        &copy.url,
        &["restore", quiet.to_str().unwrap()],
    );
    assert!(ok, "restore: {said}");
    let (ok, said) = ebok(copy.dir.path(), &copy.url, &["verify"]);
    assert!(ok, "verify: {said}");

    let mut original = db::connect(&app.config.database.url).unwrap();
    let mut restored = copy.conn();
    let source_invoices = invoices(&mut original);
    assert!(
        source_invoices.len() > 6,
        "the demo and the run issued invoices: {}",
        source_invoices.len()
    );
    assert_eq!(invoices(&mut restored), source_invoices);
    assert_eq!(table_counts(&mut restored), table_counts(&mut original));
    assert_eq!(
        files(&copy.dir.path().join("invoices")),
        files(&data_dir.join("invoices"))
    );
    assert_eq!(
        files(&copy.dir.path().join("attachments")),
        files(&app.config.paths.attachments_dir)
    );
    for key in ["secret_key", "pesel_key", "encryption_key"] {
        assert_eq!(
            std::fs::read(copy.dir.path().join(key)).unwrap(),
            std::fs::read(data_dir.join(key)).unwrap(),
            "{key} restored"
        );
    }
    // The restored portal starts on what was restored: the subscriber can still sign in.
    let config = ebok::config::Config::for_data_dir(
        copy.dir.path(),
        Some(DatabaseUrl::parse(&copy.url).unwrap()),
    )
    .unwrap();
    let pool = db::open(&config.database.url, 2).unwrap();
    let portal =
        rocket::local::blocking::Client::tracked(ebok::build_rocket(config, pool).unwrap())
            .unwrap();
    assert_eq!(
        common::log_in(&portal, "demo", "Demo-ebok-2026").status(),
        rocket::http::Status::SeeOther,
        "the demo subscriber signs in on the restored copy"
    );
}

fn bad_backups_and_targets_are_refused_in_one_sentence(app: TestApp) {
    let app = seeded(app);
    let (data_dir, url) = Place::of(&app);
    let backups = tempfile::tempdir().unwrap();
    let good = backups.path().join("good");
    let (ok, said) = ebok(&data_dir, &url, &["backup", good.to_str().unwrap()]);
    assert!(ok, "{said}");

    // A backup never overwrites one.
    let (ok, said) = ebok(&data_dir, &url, &["backup", good.to_str().unwrap()]);
    assert!(!ok);
    assert!(said.contains("already exists"), "{said}");

    // A place that cannot be written (here: below a file): one sentence, no half backup left.
    let blocker = backups.path().join("a-file");
    std::fs::write(&blocker, b"not a directory").unwrap();
    let (ok, said) = ebok(
        &data_dir,
        &url,
        &["backup", blocker.join("b").to_str().unwrap()],
    );
    assert!(!ok);
    assert!(said.starts_with("ebok: cannot create"), "{said}");
    let leftovers: Vec<_> = std::fs::read_dir(backups.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Restoring over the live data is refused without --force, naming what is not empty.
    let (ok, said) = ebok(&data_dir, &url, &["restore", good.to_str().unwrap()]);
    assert!(!ok);
    assert!(said.contains("is not empty"), "{said}");
    assert!(said.contains("--force"), "{said}");

    // A damaged file is named, and nothing is restored.
    let damaged = backups.path().join("damaged");
    copy_dir(&good, &damaged);
    let invoice = first_file(&damaged.join("invoices"));
    let mut bytes = std::fs::read(&invoice).unwrap();
    bytes[20] ^= 0x01;
    std::fs::write(&invoice, bytes).unwrap();
    let target = Place::new(app.backend);
    let (ok, said) = ebok(
        target.dir.path(),
        &target.url,
        &["restore", damaged.to_str().unwrap()],
    );
    assert!(!ok);
    let relative = invoice
        .strip_prefix(&damaged)
        .unwrap()
        .display()
        .to_string();
    assert!(
        said.contains(&format!("the backup is damaged: {relative} does not match")),
        "{said}"
    );
    assert!(
        files(&target.dir.path().join("invoices")).is_empty(),
        "nothing restored"
    );
    assert!(
        !target.dir.path().join("pesel_key").exists(),
        "no keys written"
    );

    // A backup that never finished has no manifest and is no backup.
    let unfinished = backups.path().join("unfinished");
    copy_dir(&good, &unfinished);
    std::fs::remove_file(unfinished.join("manifest.json")).unwrap();
    let (ok, said) = ebok(
        target.dir.path(),
        &target.url,
        &["restore", unfinished.to_str().unwrap()],
    );
    assert!(!ok);
    assert!(said.contains("is not a complete e-BOK backup"), "{said}");

    // Verify finds a stored PDF that changed after it was issued.
    let stored = first_file(&data_dir.join("invoices"));
    let mut bytes = std::fs::read(&stored).unwrap();
    bytes[30] ^= 0x01;
    std::fs::write(&stored, bytes).unwrap();
    let (ok, said) = ebok(&data_dir, &url, &["verify"]);
    assert!(!ok);
    assert!(
        said.contains("does not match its recorded SHA-256"),
        "{said}"
    );
    assert!(said.contains("ebok: verify found 1 problems"), "{said}");
}

fn next_month() -> String {
    use chrono::Datelike;
    let today = clock::today();
    let (year, month) = if today.month() == 12 {
        (today.year() + 1, 1)
    } else {
        (today.year(), today.month() + 1)
    };
    format!("{year:04}-{month:02}")
}

fn copy_dir(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .unwrap();
    assert!(status.success());
}

fn first_file(root: &Path) -> PathBuf {
    let (relative, _) = files(root).into_iter().next().expect("a stored file");
    root.join(relative)
}
