//! Shared set-up for integration tests: the real Rocket app on a fresh, migrated database.
//!
//! Every test written with [`backend_tests!`] runs once on SQLite (a temp file) and once on
//! PostgreSQL (a fresh database), as `sqlite::name` and `postgres::name`. PostgreSQL is the one
//! `EBOK_TEST_POSTGRES_URL` names or, when it is unset, the machine's own at
//! `postgres://postgres@127.0.0.1:5432/postgres` if it answers. When neither is there the
//! postgres variants cannot run: each test binary then says so on the terminal, past the test
//! harness's output capture, so a newcomer reading `cargo test` sees it (a skipped test still
//! reports "ok"). Under CI (`CI` set) a missing PostgreSQL fails the postgres variants instead.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use diesel::RunQueryDsl;
use ebok::app::demo::{self, DemoOptions};
use ebok::config::Config;
use ebok::db::{self, Backend, DatabaseUrl, Pool, PooledConn};
use rocket::http::{ContentType, Header};
use rocket::local::blocking::{Client, LocalResponse};
use tempfile::TempDir;

pub mod bank;
pub mod cluster;
pub mod documents;
pub mod payu;
pub mod serve;
pub mod smtp;

pub const POSTGRES_URL_VAR: &str = "EBOK_TEST_POSTGRES_URL";

/// The PostgreSQL a developer machine usually has (trust authentication on loopback).
pub const LOCAL_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The PostgreSQL server tests create their databases on: `EBOK_TEST_POSTGRES_URL`, else the
/// local default when it accepts a connection. `None` (after telling the terminal once) when
/// there is none; in CI that is a failure, since the suite must run on both backends there.
pub fn postgres_admin_url() -> Option<String> {
    static FOUND: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let found = FOUND.get_or_init(|| match std::env::var(POSTGRES_URL_VAR) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => local_postgres_answers().then(|| LOCAL_POSTGRES_URL.to_owned()),
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{POSTGRES_URL_VAR} must be set in CI: the suite runs on PostgreSQL too"
        );
        say_postgres_tests_did_not_run();
    }
    found.clone()
}

fn local_postgres_answers() -> bool {
    use diesel::Connection;
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], 5432));
    std::net::TcpStream::connect_timeout(&address, std::time::Duration::from_millis(300)).is_ok()
        && diesel::PgConnection::establish(LOCAL_POSTGRES_URL).is_ok()
}

/// Written to the process's stderr handle, not through `eprintln!`: the test harness captures
/// the macros' output of passing tests, and this line is for the person reading the summary.
fn say_postgres_tests_did_not_run() {
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr().lock(),
            "\nNOTE: the postgres::… tests of this binary report \"ok\" but did NOT run: \
             {POSTGRES_URL_VAR} is not set and no PostgreSQL answers at {LOCAL_POSTGRES_URL}.\n"
        );
    });
}

/// Declares tests that take a `TestApp` and runs each on every available backend.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    super::$name($crate::common::TestApp::sqlite());
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $name() {
                    if let Some(app) = $crate::common::TestApp::postgres() {
                        super::$name(app);
                    }
                }
            )*
        }
    };
}

/// The app under test. Fields drop in order: the client (and the pool it holds) before the
/// PostgreSQL database they point at.
pub struct TestApp {
    pub client: Client,
    pub config: Config,
    pub pool: Pool,
    pub backend: Backend,
    postgres: Option<PostgresDatabase>,
    dir: TempDir,
}

impl TestApp {
    pub fn sqlite() -> TestApp {
        TestApp::start(None)
    }

    /// `None` when no PostgreSQL is there and we are not in CI.
    pub fn postgres() -> Option<TestApp> {
        postgres_admin_url().map(|url| TestApp::start(Some(PostgresDatabase::create(&url))))
    }

    /// On a fresh database of the PostgreSQL server at `admin_url` (a test's own cluster, not
    /// the suite's).
    pub fn postgres_on(admin_url: &str) -> TestApp {
        TestApp::start(Some(PostgresDatabase::create(admin_url)))
    }

    fn start(postgres: Option<PostgresDatabase>) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = postgres
            .as_ref()
            .map(|pg| DatabaseUrl::parse(&pg.url).expect("postgres url"));
        let mut config = Config::for_data_dir(dir.path(), url).expect("test config");
        // Tests deliver the outbox themselves (`deliver_mail`), so nothing races them.
        config.mail.run_sender = false;
        let pool = db::open(&config.database.url, 10).expect("open test database");
        let backend = config.database.url.backend();
        let client = new_client(&config, &pool);
        TestApp {
            client,
            config,
            pool,
            backend,
            postgres,
            dir,
        }
    }

    /// The app after seeding the demo ISP with a few generated customers. The Rocket instance is
    /// rebuilt so what it loads at start (the ISP's name) comes from the seeded data.
    pub fn with_demo(self, generated_customers: u32) -> TestApp {
        self.seed_demo(generated_customers);
        let client = new_client(&self.config, &self.pool);
        TestApp { client, ..self }
    }

    /// The app with changed settings (SMTP server, registration rule …).
    pub fn with_config(mut self, change: impl FnOnce(&mut Config)) -> TestApp {
        change(&mut self.config);
        let client = new_client(&self.config, &self.pool);
        TestApp { client, ..self }
    }

    /// A second browser: same app and database, its own cookies.
    pub fn another_browser(&self) -> Client {
        new_client(&self.config, &self.pool)
    }

    /// Runs the outbox sender once, as if at `now` (pass a later time to skip retry backoff).
    pub fn deliver_mail_at(
        &self,
        now: chrono::NaiveDateTime,
    ) -> ebok::jobs::outbox::DeliveryReport {
        let from = self.config.mail.from.parse().expect("mail from");
        let runtime = rocket::tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        // lettre's SMTP pool lives and dies inside the runtime.
        runtime
            .block_on(async {
                let mailer = ebok::mail::Mailer::from_config(&self.config.mail).expect("mailer");
                ebok::jobs::outbox::deliver_due(&self.pool, &mailer, &from, now).await
            })
            .expect("outbox delivery")
    }

    pub fn deliver_mail(&self) -> ebok::jobs::outbox::DeliveryReport {
        self.deliver_mail_at(ebok::app::clock::now())
    }

    pub fn seed_demo(&self, generated_customers: u32) -> demo::DemoSummary {
        demo::seed(
            &mut self.conn(),
            &self.config,
            &DemoOptions::quiet(generated_customers),
        )
        .expect("demo seed")
    }

    /// `ebok verify` on the app's database and folders: every stored file and FA(3) document
    /// against its hash, every series without a gap.
    pub fn verify(&self) -> ebok::app::backup::VerifyReport {
        let places = ebok::config::StoragePlaces {
            environment: ebok::config::Environment::Development,
            database_url: self.config.database.url.clone(),
            data_dir: self.data_dir().to_path_buf(),
            invoices_dir: self.config.paths.invoices_dir.clone(),
            attachments_dir: self.config.paths.attachments_dir.clone(),
        };
        ebok::app::backup::verify(&mut self.conn(), &places).expect("verify runs")
    }

    pub fn conn(&self) -> PooledConn {
        self.pool.get().expect("database connection")
    }

    pub fn get(&self, path: &str) -> LocalResponse<'_> {
        self.client.get(path.to_owned()).dispatch()
    }

    pub fn post_form(&self, path: &str, body: &str) -> LocalResponse<'_> {
        self.client
            .post(path.to_owned())
            .header(ContentType::Form)
            .header(Header::new("Origin", "http://127.0.0.1:8000"))
            .body(body)
            .dispatch()
    }

    pub fn data_dir(&self) -> &std::path::Path {
        self.dir.path()
    }
}

fn new_client(config: &Config, pool: &Pool) -> Client {
    Client::tracked(ebok::build_rocket(config.clone(), pool.clone()).expect("valid app"))
        .expect("valid rocket")
}

/// The CSRF token the page at `path` carries in its forms (its cookie lands in the client).
pub fn csrf_token(client: &Client, path: &str) -> String {
    let html = client
        .get(path.to_owned())
        .dispatch()
        .into_string()
        .unwrap_or_default();
    let document = scraper::Html::parse_document(&html);
    let selector = scraper::Selector::parse("input[name=csrf_token]").expect("selector");
    document
        .select(&selector)
        .next()
        .and_then(|input| input.value().attr("value"))
        .unwrap_or_else(|| panic!("no CSRF token on {path}"))
        .to_owned()
}

/// `application/x-www-form-urlencoded` body from pairs.
pub fn form(fields: &[(&str, &str)]) -> String {
    fn encode(text: &str) -> String {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                b' ' => "+".to_owned(),
                other => format!("%{other:02X}"),
            })
            .collect()
    }
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// POSTs a form from the portal's own origin, with the page's CSRF token added.
pub fn post<'c>(
    client: &'c Client,
    form_page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> rocket::local::blocking::LocalResponse<'c> {
    let token = csrf_token(client, form_page);
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    all.push(("csrf_token", &token));
    client
        .post(action.to_owned())
        .header(ContentType::Form)
        .header(Header::new("Origin", "http://127.0.0.1:8000"))
        .body(form(&all))
        .dispatch()
}

/// Logs in through the real form; returns the response (a redirect on success).
pub fn log_in<'c>(
    client: &'c Client,
    identifier: &str,
    password: &str,
) -> rocket::local::blocking::LocalResponse<'c> {
    post(
        client,
        "/logowanie",
        "/logowanie",
        &[("identifier", identifier), ("password", password)],
    )
}

/// Counts rows with a plain SQL query (both backends return BIGINT for COUNT(*) cast).
pub fn count(conn: &mut PooledConn, sql: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM ({sql}) AS counted"
    ))
    .get_result::<Count>(&mut **conn)
    .expect("count query")
    .n
}

/// A database of its own for one test, dropped afterwards.
pub struct PostgresDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl PostgresDatabase {
    pub fn create(admin_url: &str) -> PostgresDatabase {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "ebok_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            rand_suffix()
        );
        let (base, query) = match admin_url.split_once('?') {
            Some((base, query)) => (base, format!("?{query}")),
            None => (admin_url, String::new()),
        };
        let server = base
            .rsplit_once('/')
            .map(|(server, _db)| server)
            .unwrap_or(base);
        let url = format!("{server}/{name}{query}");
        let mut admin = admin_connection(admin_url);
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
        PostgresDatabase {
            admin_url: admin_url.to_owned(),
            name,
            url,
        }
    }
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        let mut admin = admin_connection(&self.admin_url);
        let _ = diesel::sql_query(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut admin);
    }
}

fn admin_connection(url: &str) -> diesel::PgConnection {
    use diesel::Connection;
    diesel::PgConnection::establish(url)
        .unwrap_or_else(|e| panic!("{POSTGRES_URL_VAR}: cannot connect: {e}"))
}

fn rand_suffix() -> u32 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0)
        % 100_000
}

/// The visible text of an HTML page, entities decoded and whitespace collapsed, so assertions
/// read like what a person sees (Tera escapes `/` as `&#x2F;`, for one).
pub fn page_text(html: &str) -> String {
    let document = scraper::Html::parse_document(html);
    let text: Vec<&str> = document.root_element().text().collect();
    text.join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The boundary of the multipart bodies tests send.
pub const BOUNDARY: &str = "ebokTestBoundaryx7Qz";

/// A file part: (field, file name, claimed content type, bytes).
pub type FilePart<'a> = (&'a str, &'a str, &'a str, Vec<u8>);

/// A `multipart/form-data` body: the text fields in order, then the files, with [`BOUNDARY`].
pub fn multipart_body(fields: &[(&str, &str)], files: &[FilePart<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, file_name, content_type, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// One BIGINT value (`... AS v`) from a plain SQL query.
pub fn scalar_i64(app: &TestApp, sql: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        v: i64,
    }
    diesel::sql_query(sql)
        .get_result::<Row>(&mut *app.conn())
        .expect("scalar query")
        .v
}

/// Turns two-step login on through the security page (signed in as `demo`); returns the key the
/// page showed and the code that turned it on.
pub fn turn_on_two_factor(app: &TestApp) -> (String, String) {
    let setup = app
        .get("/bezpieczenstwo/2fa")
        .into_string()
        .unwrap_or_default();
    let document = scraper::Html::parse_document(&setup);
    let secret: String = document
        .select(&scraper::Selector::parse("code.secret").expect("selector"))
        .next()
        .expect("the key is shown for manual entry")
        .text()
        .collect();
    let code = ebok::app::two_factor::current_code(
        &secret,
        ebok::app::demo::DEMO_LOGIN,
        ebok::app::clock::now(),
    )
    .expect("code");
    let response = post(
        &app.client,
        "/bezpieczenstwo/2fa",
        "/bezpieczenstwo/2fa/wlacz",
        &[
            ("code", &code),
            ("current_password", ebok::app::demo::DEMO_PASSWORD),
        ],
    );
    assert_eq!(response.status(), rocket::http::Status::Ok);
    (secret, code)
}

/// `ebok <args>` as an operator runs it against this test's database and directories (nothing
/// of the caller's own `EBOK_*` environment), with its output captured.
pub fn ebok_command(app: &TestApp, args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_ebok"));
    for (key, _) in std::env::vars().filter(|(key, _)| key.starts_with("EBOK_")) {
        command.env_remove(key);
    }
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .env("EBOK_DATA_DIR", app.data_dir())
        .env("EBOK_DATABASE_URL", app.config.database.url.to_string())
        .env("EBOK_INVOICES_DIR", &app.config.paths.invoices_dir)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    command
}

/// A browser signed in to the staff panel.
pub fn staff_client(app: &TestApp, login: &str, password: &str) -> Client {
    let staff = app.another_browser();
    let fields = [("login", login), ("password", password)];
    let status = post(&staff, "/staff/login", "/staff/login", &fields).status();
    assert_eq!(
        status,
        rocket::http::Status::SeeOther,
        "staff login {login}"
    );
    staff
}
