//! The `ebok` binary as an operator meets it: help, migrate, and bad configuration that must end
//! in one clear sentence naming the setting, never a panic or a backtrace.

use std::path::Path;
use std::process::{Command, Output};

fn ebok(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ebok"));
    // A directory without Rocket.toml, so only the defaults and the variables given here apply.
    command
        .current_dir(dir)
        .args(args)
        .env("RUST_BACKTRACE", "1");
    for (key, _) in
        std::env::vars().filter(|(key, _)| key.starts_with("EBOK_") || key.starts_with("ROCKET_"))
    {
        command.env_remove(key);
    }
    command.env("EBOK_DATA_DIR", dir.join("data"));
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("ebok runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_one_clear_sentence(output: &Output, setting: &str) {
    let message = stderr(output);
    assert_eq!(output.status.code(), Some(2), "exit code 2: {message}");
    assert!(
        message.starts_with(&format!("ebok: {setting}")),
        "names {setting}: {message}"
    );
    assert_eq!(message.trim_end().lines().count(), 1, "one line: {message}");
    assert!(
        !message.contains("panicked") && !message.contains("backtrace"),
        "{message}"
    );
}

#[test]
fn help_explains_every_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let output = ebok(dir.path(), &["--help"], &[]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for word in [
        "serve",
        "migrate",
        "demo",
        "EBOK_DATABASE_URL",
        "EBOK_DATA_DIR",
        "ROCKET_PORT",
    ] {
        assert!(help.contains(word), "help mentions {word}: {help}");
    }
    let demo_help = ebok(dir.path(), &["demo", "--help"], &[]);
    assert!(String::from_utf8_lossy(&demo_help.stdout).contains("--customers"));
}

#[test]
fn migrate_creates_the_embedded_database_in_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let output = ebok(dir.path(), &["migrate"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(dir.path().join("data/ebok.sqlite3").is_file());
    assert!(dir.path().join("data/secret_key").is_file());
    let again = ebok(dir.path(), &["migrate"], &[]);
    assert!(again.status.success());
}

#[test]
fn demo_seed_only_prints_the_fixed_logins() {
    let dir = tempfile::tempdir().unwrap();
    let output = ebok(
        dir.path(),
        &["demo", "--customers", "3", "--seed-only"],
        &[],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let banner = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "demo / Demo-ebok-2026",
        "admin / Admin-ebok-2026",
        "UM/2025/00002",
        "90041213424",
        "anna.nowak@example.com",
    ] {
        assert!(
            banner.contains(expected),
            "banner shows {expected}: {banner}"
        );
    }
}

#[test]
fn unknown_database_scheme_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let output = ebok(
        dir.path(),
        &["migrate"],
        &[("EBOK_DATABASE_URL", "mysql://root@localhost/ebok")],
    );
    assert_one_clear_sentence(&output, "EBOK_DATABASE_URL");
    assert!(stderr(&output).contains("mysql"));
    assert_eq!(
        stderr(&output).matches("unknown scheme").count(),
        1,
        "said once: {}",
        stderr(&output)
    );
}

#[test]
fn unreachable_postgres_is_named_without_its_password() {
    let dir = tempfile::tempdir().unwrap();
    let output = ebok(
        dir.path(),
        &["migrate"],
        &[(
            "EBOK_DATABASE_URL",
            "postgres://ebok:tajne@127.0.0.1:9/ebok",
        )],
    );
    assert_one_clear_sentence(&output, "EBOK_DATABASE_URL");
    assert!(!stderr(&output).contains("tajne"), "{}", stderr(&output));
}

#[test]
fn unwritable_data_dir_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-directory");
    std::fs::write(&file, b"x").unwrap();
    let data_dir = file.join("data");
    let output = ebok(
        dir.path(),
        &["migrate"],
        &[("EBOK_DATA_DIR", data_dir.to_str().unwrap())],
    );
    assert_one_clear_sentence(&output, "EBOK_DATA_DIR");
}

#[test]
fn production_without_a_secret_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let output = ebok(dir.path(), &["migrate"], &[("EBOK_ENV", "production")]);
    assert_one_clear_sentence(&output, "ROCKET_SECRET_KEY");
}

#[test]
fn unknown_environment_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let output = ebok(dir.path(), &["migrate"], &[("EBOK_ENV", "staging")]);
    assert_one_clear_sentence(&output, "EBOK_ENV");
}

#[test]
fn a_short_metrics_token_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let output = ebok(
        dir.path(),
        &["migrate"],
        &[("EBOK_METRICS_TOKEN", "guessable")],
    );
    assert_one_clear_sentence(&output, "EBOK_METRICS_TOKEN");
}

#[test]
fn a_half_configured_payu_is_named_and_the_local_payu_server_has_its_faults() {
    let dir = tempfile::tempdir().unwrap();
    let output = ebok(dir.path(), &["migrate"], &[("EBOK_PAYU_POS_ID", "300746")]);
    assert_one_clear_sentence(&output, "EBOK_PAYU_CLIENT_SECRET");
    let help = ebok(dir.path(), &["payu", "sim", "--help"], &[]);
    let help = String::from_utf8_lossy(&help.stdout);
    for flag in ["--port", "--duplicate", "--reorder", "--down", "--silent"] {
        assert!(
            help.contains(flag),
            "payu sim --help mentions {flag}: {help}"
        );
    }
}
