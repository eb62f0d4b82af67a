use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // Translations are compiled into the binary (fluent-templates static_loader!), so edits to
    // them must rebuild the crate.
    println!("cargo:rerun-if-changed=assets/locales");
    println!("cargo:rerun-if-changed=migrations");
    write_offline_migrations();
}

/// The marker a migration that cannot run while e-BOK serves carries in the leading comment of
/// its `up.sql`, followed by why: `-- ebok:offline: <reason>`.
const OFFLINE_MARKER: &str = "-- ebok:offline:";

/// `OFFLINE_MIGRATIONS` for `db::offline_migrations`: (directory name, reason) of every
/// migration marked offline. Both backends' twins must agree, or the build stops here.
fn write_offline_migrations() {
    let postgres = marked_offline(Path::new("migrations/postgres"));
    let sqlite = marked_offline(Path::new("migrations/sqlite"));
    let names = |marked: &BTreeMap<String, String>| marked.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(&postgres),
        names(&sqlite),
        "migrations marked `{OFFLINE_MARKER}` differ between migrations/postgres and migrations/sqlite"
    );
    let mut code = String::from("pub const OFFLINE_MIGRATIONS: &[(&str, &str)] = &[\n");
    for (name, reason) in &postgres {
        writeln!(code, "    ({name:?}, {reason:?}),").unwrap();
    }
    code.push_str("];\n");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("offline_migrations.rs"), code)
        .expect("write offline_migrations.rs");
}

fn marked_offline(dir: &Path) -> BTreeMap<String, String> {
    let mut marked = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return marked;
    };
    for entry in entries.flatten() {
        let Ok(sql) = std::fs::read_to_string(entry.path().join("up.sql")) else {
            continue;
        };
        let reason = sql
            .lines()
            .take_while(|line| line.starts_with("--"))
            .find_map(|line| line.strip_prefix(OFFLINE_MARKER));
        if let Some(reason) = reason {
            let name = entry.file_name().to_string_lossy().into_owned();
            marked.insert(name, reason.trim().to_owned());
        }
    }
    marked
}
