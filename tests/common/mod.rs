//! Shared set-up for integration tests: the real Rocket app on a fresh, migrated database.
//!
//! Every test written with [`backend_tests!`] runs once on SQLite (a temp file) and once on
//! PostgreSQL (a fresh database) when `EBOK_TEST_POSTGRES_URL` is set, as `sqlite::name` and
//! `postgres::name`, so the test output shows which backends ran. Under CI (`CI` set) a missing
//! PostgreSQL URL fails the postgres variants instead of skipping them.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use diesel::RunQueryDsl;
use ebok::app::demo::{self, DemoOptions};
use ebok::config::Config;
use ebok::db::{self, Backend, DatabaseUrl, Pool, PooledConn};
use rocket::http::{ContentType, Header};
use rocket::local::blocking::{Client, LocalResponse};
use tempfile::TempDir;

pub const POSTGRES_URL_VAR: &str = "EBOK_TEST_POSTGRES_URL";

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

    /// `None` when no PostgreSQL is configured and we are not in CI.
    pub fn postgres() -> Option<TestApp> {
        match std::env::var(POSTGRES_URL_VAR) {
            Ok(url) if !url.trim().is_empty() => {
                Some(TestApp::start(Some(PostgresDatabase::create(&url))))
            }
            _ if std::env::var_os("CI").is_some() => {
                panic!("{POSTGRES_URL_VAR} must be set in CI: the suite runs on PostgreSQL too")
            }
            _ => {
                eprintln!("skipped on PostgreSQL: {POSTGRES_URL_VAR} is not set");
                None
            }
        }
    }

    fn start(postgres: Option<PostgresDatabase>) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = postgres
            .as_ref()
            .map(|pg| DatabaseUrl::parse(&pg.url).expect("postgres url"));
        let config = Config::for_data_dir(dir.path(), url).expect("test config");
        let pool = db::open(&config.database.url, 4).expect("open test database");
        let backend = config.database.url.backend();
        let client = Client::tracked(ebok::build_rocket(config.clone(), pool.clone()))
            .expect("valid rocket");
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
        let client = Client::tracked(ebok::build_rocket(self.config.clone(), self.pool.clone()))
            .expect("valid rocket");
        TestApp { client, ..self }
    }

    pub fn seed_demo(&self, generated_customers: u32) -> demo::DemoSummary {
        demo::seed(
            &mut self.conn(),
            &self.config,
            &DemoOptions::quiet(generated_customers),
        )
        .expect("demo seed")
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
struct PostgresDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl PostgresDatabase {
    fn create(admin_url: &str) -> PostgresDatabase {
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
