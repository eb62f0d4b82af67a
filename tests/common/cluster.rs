//! A throw-away PostgreSQL cluster of a test's own, on a free loopback port, for faults the
//! suite's shared server must not suffer (restarts, stops). PostgreSQL's programs refuse to run
//! as root, so they run as `postgres` (`runuser`): the test needs root, as in CI.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::payu::free_port;

/// A throw-away PostgreSQL cluster on a free loopback port, stopped and removed when dropped.
pub struct Cluster {
    bin: PathBuf,
    port: u16,
    dir: tempfile::TempDir,
}

impl Cluster {
    /// `None` (after a visible note that `what` did not run) where PostgreSQL's programs cannot
    /// be run as `postgres`; under CI that fails.
    pub fn start(what: &str) -> Option<Cluster> {
        let bin = newest_postgres_bin();
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0");
        let Some(bin) = bin.filter(|_| root) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must run {what}: as root, with /usr/lib/postgresql/*/bin"
            );
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr().lock(),
                "\nNOTE: {what} did NOT run: it needs root and \
                 /usr/lib/postgresql/*/bin (initdb, pg_ctl).\n"
            );
            return None;
        };
        let dir = tempfile::tempdir().expect("cluster directory");
        let owned = Command::new("chown")
            .arg("postgres")
            .arg(dir.path())
            .status()
            .is_ok_and(|status| status.success());
        assert!(owned, "chown postgres {}", dir.path().display());
        let cluster = Cluster {
            bin,
            port: free_port(),
            dir,
        };
        let initdb = cluster
            .as_postgres("initdb")
            .args(["-U", "postgres", "--auth=trust", "--no-sync", "-D"])
            .arg(cluster.data())
            .output()
            .expect("initdb starts");
        assert!(
            initdb.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&initdb.stderr)
        );
        cluster.pg_ctl(&["start"]).unwrap_or_else(|e| panic!("{e}"));
        Some(cluster)
    }

    fn data(&self) -> &Path {
        self.dir.path()
    }

    pub fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// One of PostgreSQL's programs, run as `postgres` from a directory it may enter.
    fn as_postgres(&self, program: &str) -> Command {
        let mut command = Command::new("runuser");
        command
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join(program))
            .current_dir(std::env::temp_dir());
        command
    }

    /// `pg_ctl … ACTION`, waiting until it is done (for `start` and `restart`: until the
    /// server accepts connections).
    pub fn pg_ctl(&self, action: &[&str]) -> Result<(), String> {
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k {}",
            self.port,
            self.data().display()
        );
        let out = self
            .as_postgres("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .arg("-l")
            .arg(self.data().join("server.log"))
            .args(["-w", "-t", "60", "-o", &options])
            .args(action)
            .output()
            .map_err(|e| format!("pg_ctl {action:?}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "pg_ctl {action:?}: {}{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
                std::fs::read_to_string(self.data().join("server.log")).unwrap_or_default()
            ))
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.pg_ctl(&["stop", "-m", "immediate"]);
    }
}

fn newest_postgres_bin() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            (bin.join("initdb").exists() && bin.join("pg_ctl").exists()).then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}
