//! The Debian packaging as an operator gets it (`packaging/`, `[package.metadata.deb]`): the
//! maintainer script makes the production keys once and never overwrites them, the shipped
//! `/etc/ebok/ebok.toml` with those keys starts e-BOK in production mode, and the systemd unit
//! passes `systemd-analyze verify` with a hardening exposure of at most 2 of 10.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Runs the package's postinst below `root` (EBOK_PACKAGE_ROOT: files only, no users).
fn postinst(root: &Path) {
    let output = Command::new("sh")
        .arg(repo("packaging/debian/postinst"))
        .arg("configure")
        .env("EBOK_PACKAGE_ROOT", root)
        .output()
        .expect("sh runs");
    assert!(
        output.status.success(),
        "postinst: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn env_file(root: &Path) -> HashMap<String, String> {
    std::fs::read_to_string(root.join("etc/ebok/ebok.env"))
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with('#') && line.contains('='))
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect()
}

#[test]
fn the_package_makes_production_keys_once_and_its_configuration_starts_ebok() {
    let root = tempfile::tempdir().unwrap();
    postinst(root.path());
    let keys = env_file(root.path());
    assert_eq!(
        keys.keys()
            .map(String::as_str)
            .collect::<std::collections::BTreeSet<_>>(),
        ["EBOK_ENCRYPTION_KEY", "EBOK_PESEL_KEY", "ROCKET_SECRET_KEY"].into()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &str| {
            std::fs::metadata(root.path().join(p))
                .unwrap()
                .permissions()
                .mode()
                & 0o777
        };
        assert_eq!(
            mode("etc/ebok/ebok.env"),
            0o640,
            "keys readable by root and the ebok group"
        );
        assert_eq!(mode("var/lib/ebok"), 0o750);
        assert_eq!(mode("var/lib/ebok/invoices"), 0o750);
    }

    // Upgrades and reinstalls run postinst again: the keys in use are never replaced.
    postinst(root.path());
    assert_eq!(env_file(root.path()), keys, "the keys are kept");

    // The shipped configuration, with those keys, runs e-BOK in production mode (which refuses
    // to start without them). Paths are moved into the scratch root.
    let var = root.path().join("var/lib/ebok");
    let mut command = Command::new(env!("CARGO_BIN_EXE_ebok"));
    for (key, _) in
        std::env::vars().filter(|(k, _)| k.starts_with("EBOK_") || k.starts_with("ROCKET_"))
    {
        command.env_remove(key);
    }
    let output = command
        .current_dir(&var)
        .arg("migrate")
        .env("ROCKET_CONFIG", repo("packaging/ebok.toml"))
        .env("ROCKET_PROFILE", "release")
        .envs(&keys)
        .env(
            "EBOK_DATABASE_URL",
            format!("sqlite://{}", var.join("ebok.sqlite3").display()),
        )
        .env("EBOK_DATA_DIR", &var)
        .env("EBOK_INVOICES_DIR", var.join("invoices"))
        .env("EBOK_ATTACHMENTS_DIR", var.join("attachments"))
        .env("EBOK_TEMPLATES_DIR", repo("templates"))
        .env("EBOK_ASSETS_DIR", repo("assets"))
        .output()
        .expect("ebok runs");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "ebok migrate with the package's configuration: {said}"
    );
    assert!(said.contains("is up to date"), "{said}");
    assert!(
        !var.join("pesel_key").exists(),
        "production never writes keys into the data dir"
    );

    // Without the keys production refuses to start, naming the setting.
    let mut bare = Command::new(env!("CARGO_BIN_EXE_ebok"));
    for (key, _) in
        std::env::vars().filter(|(k, _)| k.starts_with("EBOK_") || k.starts_with("ROCKET_"))
    {
        bare.env_remove(key);
    }
    let refused = bare
        .current_dir(&var)
        .arg("migrate")
        .env("ROCKET_CONFIG", repo("packaging/ebok.toml"))
        .env("EBOK_DATA_DIR", &var)
        .env("EBOK_INVOICES_DIR", var.join("invoices"))
        .env("EBOK_ATTACHMENTS_DIR", var.join("attachments"))
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("production needs a fixed key"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}

#[test]
fn the_systemd_unit_verifies_and_is_hardened() {
    if Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI installs systemd for systemd-analyze"
        );
        eprintln!("skipped: systemd-analyze is not installed");
        return;
    }
    // The unit as installed, with ExecStart pointing at the binary under test.
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("ebok.service");
    let text = std::fs::read_to_string(repo("packaging/ebok.service"))
        .unwrap()
        .replace("/usr/bin/ebok", env!("CARGO_BIN_EXE_ebok"));
    std::fs::write(&unit, text).unwrap();

    let verify = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&unit)
        .output()
        .unwrap();
    assert!(
        verify.status.success() && verify.stderr.is_empty(),
        "systemd-analyze verify: {}",
        String::from_utf8_lossy(&verify.stderr)
    );

    let security = Command::new("systemd-analyze")
        .args(["security", "--offline=true", "--no-pager"])
        .arg(&unit)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&security.stdout);
    let exposure: f64 = report
        .lines()
        .find_map(|line| {
            line.split("Overall exposure level for ebok.service:")
                .nth(1)
        })
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|value| value.parse().ok())
        .unwrap_or_else(|| panic!("no exposure level in: {report}"));
    assert!(exposure <= 2.0, "exposure {exposure} of 10:\n{report}");
}
