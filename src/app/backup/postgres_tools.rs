//! PostgreSQL's own tools for a consistent dump while the portal serves (`pg_dump` takes a
//! snapshot) and for loading it back. They must be installed beside e-BOK, in the server's
//! major version or newer (Debian: `postgresql-client`).

use std::path::Path;
use std::process::Command;

use super::BackupError;

pub fn dump(url: &str, archive: &Path) -> Result<(), BackupError> {
    run(
        "pg_dump",
        Command::new("pg_dump")
            .arg("--format=custom")
            .arg("--no-owner")
            .arg("--no-privileges")
            .arg(format!("--file={}", archive.display()))
            .arg(format!("--dbname={url}")),
    )
}

/// Loads an archive into an empty database in one transaction: all of it or nothing.
pub fn restore(url: &str, archive: &Path) -> Result<(), BackupError> {
    run(
        "pg_restore",
        Command::new("pg_restore")
            .arg("--no-owner")
            .arg("--no-privileges")
            .arg("--exit-on-error")
            .arg("--single-transaction")
            .arg(format!("--dbname={url}"))
            .arg(archive),
    )
}

fn run(tool: &str, command: &mut Command) -> Result<(), BackupError> {
    let output = command.output().map_err(|e| {
        BackupError::Tool(if e.kind() == std::io::ErrorKind::NotFound {
            format!(
                "{tool} is not installed; install PostgreSQL's client tools in the server's \
                 version (Debian: apt install postgresql-client)"
            )
        } else {
            format!("cannot run {tool}: {e}")
        })
    })?;
    if output.status.success() {
        return Ok(());
    }
    let said = String::from_utf8_lossy(&output.stderr);
    let first_line = said
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("");
    Err(BackupError::Tool(format!(
        "{tool} failed: {}",
        first_line.trim()
    )))
}
