//! Both migration folders must build the same tables: same columns, same types, same
//! nullability, same named indexes. Needs PostgreSQL (CI provides it).

mod common;

use std::collections::BTreeSet;

use common::TestApp;
use diesel::RunQueryDsl;
use diesel::sql_types::{BigInt, Text};

#[derive(diesel::QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(diesel::QueryableByName)]
struct SqliteColumn {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    r#type: String,
    #[diesel(sql_type = BigInt)]
    notnull: i64,
    #[diesel(sql_type = BigInt)]
    pk: i64,
}

#[derive(diesel::QueryableByName)]
struct PgColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Text)]
    is_nullable: String,
}

/// (table, column, type family, nullable)
type Shape = BTreeSet<(String, String, &'static str, bool)>;

fn family(sql_type: &str) -> &'static str {
    match sql_type.to_ascii_lowercase().as_str() {
        "integer" | "bigint" => "integer",
        "text" => "text",
        "timestamp" | "timestamp without time zone" => "timestamp",
        "date" => "date",
        "boolean" => "boolean",
        other => panic!("unexpected column type {other}: use the portable types only"),
    }
}

fn sqlite_shape(app: &TestApp) -> (Shape, BTreeSet<String>) {
    let mut conn = app.conn();
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '__diesel_schema_migrations'",
    )
    .load(&mut *conn)
    .unwrap();
    let mut shape = Shape::new();
    for table in tables {
        let columns: Vec<SqliteColumn> = diesel::sql_query(format!(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info('{}')",
            table.name
        ))
        .load(&mut *conn)
        .unwrap();
        for column in columns {
            let nullable = column.notnull == 0 && column.pk == 0;
            shape.insert((
                table.name.clone(),
                column.name,
                family(&column.r#type),
                nullable,
            ));
        }
    }
    let indexes: Vec<Name> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'",
    )
    .load(&mut *conn)
    .unwrap();
    (shape, indexes.into_iter().map(|i| i.name).collect())
}

fn postgres_shape(app: &TestApp) -> (Shape, BTreeSet<String>) {
    let mut conn = app.conn();
    let columns: Vec<PgColumn> = diesel::sql_query(
        "SELECT table_name::text AS table_name, column_name::text AS column_name, \
         data_type::text AS data_type, is_nullable::text AS is_nullable \
         FROM information_schema.columns WHERE table_schema = 'public' \
         AND table_name <> '__diesel_schema_migrations'",
    )
    .load(&mut *conn)
    .unwrap();
    let shape = columns
        .into_iter()
        .map(|c| {
            (
                c.table_name,
                c.column_name,
                family(&c.data_type),
                c.is_nullable == "YES",
            )
        })
        .collect();
    // Primary keys and UNIQUE constraints get generated names that differ by backend.
    let indexes: Vec<Name> = diesel::sql_query(
        "SELECT indexname::text AS name FROM pg_indexes WHERE schemaname = 'public' \
         AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key'",
    )
    .load(&mut *conn)
    .unwrap();
    (shape, indexes.into_iter().map(|i| i.name).collect())
}

#[test]
fn sqlite_and_postgres_migrations_build_the_same_tables() {
    let Some(postgres) = TestApp::postgres() else {
        return;
    };
    let sqlite = TestApp::sqlite();
    let (sqlite_columns, sqlite_indexes) = sqlite_shape(&sqlite);
    let (postgres_columns, postgres_indexes) = postgres_shape(&postgres);
    assert!(
        sqlite_columns.len() > 200,
        "the core schema is there: {} columns",
        sqlite_columns.len()
    );
    let only_sqlite: Vec<_> = sqlite_columns.difference(&postgres_columns).collect();
    let only_postgres: Vec<_> = postgres_columns.difference(&sqlite_columns).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "only in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_postgres:#?}"
    );
    // PostgreSQL only: a trigram index for staff search inside names (SQLite has none).
    let postgres_indexes: BTreeSet<String> = postgres_indexes
        .into_iter()
        .filter(|name| !POSTGRES_ONLY_INDEXES.contains(&name.as_str()))
        .collect();
    assert_eq!(sqlite_indexes, postgres_indexes);
}

const POSTGRES_ONLY_INDEXES: &[&str] = &["customers_name_trigrams"];

#[derive(diesel::QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    line: String,
}

/// The staff name search's expression is the one PostgreSQL's trigram index was built on: a
/// search for a word inside a name is answered from the index, not by reading every customer
/// (6.8 s for a term that matched nobody at a million customers).
#[test]
fn postgres_answers_a_search_inside_names_from_the_trigram_index() {
    let Some(postgres) = TestApp::postgres() else {
        return;
    };
    let mut conn = postgres.conn();
    // An empty table is cheaper to scan than any index; the question is whether the planner
    // can use the index for this expression at all.
    diesel::sql_query("SET enable_seqscan = off")
        .execute(&mut conn)
        .unwrap();
    let query = format!(
        "EXPLAIN SELECT id FROM customers WHERE {} ILIKE '%Żółćwski%'",
        ebok::db::customers::search::NAMES_JOINED
    );
    let plan: Vec<PlanLine> = diesel::sql_query(query).load(&mut conn).unwrap();
    let plan: Vec<String> = plan.into_iter().map(|line| line.line).collect();
    assert!(
        plan.iter()
            .any(|line| line.contains("customers_name_trigrams")),
        "{plan:#?}"
    );
}
