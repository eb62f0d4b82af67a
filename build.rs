fn main() {
    // Translations are compiled into the binary (fluent-templates static_loader!), so edits to
    // them must rebuild the crate.
    println!("cargo:rerun-if-changed=assets/locales");
}
