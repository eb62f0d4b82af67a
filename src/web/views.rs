//! Pages: the Tera templates under `templates/` (all but `mail/`, which has its own), compiled
//! once per language.
//!
//! A page asks for dozens of plain messages (`{{ t(key="nav-services", lang=layout.lang) }}`, no
//! placeables) and the dashboard is rendered thousands of times a second. So each language gets
//! its own copy of the templates in which every such call is replaced by its message, escaped as
//! Tera would have escaped it; calls with placeables or a computed key stay calls. That is sound
//! because `lang` in a page template always means the page's language: `layout.lang`, or `lang`
//! set from it or handed down to a macro.
//!
//! Handlers return `Template::render(name, context! { layout, … })`; the page is rendered in the
//! context's `layout.lang` (Polish without a layout). The context is serialized once, straight
//! into Tera's.

use std::borrow::Cow;
use std::path::Path;

use rocket::http::ContentType;
use rocket::request::Request;
use rocket::response::{self, Responder};
use serde::Serialize;
use tera::Tera;

use crate::i18n::{self, Lang};

/// The page templates, one compiled set per language (indexed by `Lang as usize`).
pub struct Views {
    by_lang: [Tera; 2],
}

impl Views {
    /// Loads every `*.html.tera` under `dir` except `mail/`; `customer/dashboard.html.tera` is
    /// the page `customer/dashboard`.
    pub fn load(dir: &Path) -> Result<Views, String> {
        let mut sources = Vec::new();
        collect_sources(dir, dir, &mut sources)
            .map_err(|e| format!("templates in {}: {e}", dir.display()))?;
        let compile = |lang: Lang| {
            let mut tera = Tera::default();
            // Every page is HTML: escape everything written with {{ }}.
            tera.autoescape_on(vec![""]);
            super::filters::register(&mut tera);
            let baked = sources
                .iter()
                .map(|(name, source)| (name.as_str(), with_messages_written_in(source, lang)));
            tera.add_raw_templates(baked)
                .map_err(|e| format!("templates in {}: {}", dir.display(), error_chain(&e)))?;
            Ok::<Tera, String>(tera)
        };
        Ok(Views {
            by_lang: [compile(Lang::Pl)?, compile(Lang::En)?],
        })
    }

    pub fn render(&self, name: &str, context: &tera::Context) -> tera::Result<String> {
        let lang = context
            .get("layout")
            .and_then(|layout| layout.get("lang"))
            .and_then(tera::Value::as_str)
            .and_then(Lang::parse)
            .unwrap_or_default();
        self.by_lang[lang as usize].render(name, context)
    }
}

fn collect_sources(
    root: &Path,
    dir: &Path,
    into: &mut Vec<(String, String)>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            if path != root.join("mail") {
                collect_sources(root, &path, into)?;
            }
            continue;
        }
        let Ok(relative) = path.strip_prefix(root) else {
            continue;
        };
        // Names use '/' whatever the platform, as handlers spell them.
        let relative = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if let Some(name) = relative.strip_suffix(".html.tera") {
            into.push((name.to_owned(), std::fs::read_to_string(&path)?));
        }
    }
    Ok(())
}

/// `source` with each `{{ t(key="…", lang=layout.lang) }}` (or `lang=lang`, either quote) that
/// has a message in `lang` replaced by that message, HTML-escaped. Anything else is left alone,
/// so what is not understood here still renders through the `t` function.
pub fn with_messages_written_in(source: &str, lang: Lang) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(start) = rest.find("{{") {
        let Some(length) = rest[start..].find("}}") else {
            break;
        };
        let end = start + length + 2;
        out.push_str(&rest[..start]);
        let expression = &rest[start..end];
        match plain_message_key(&expression[2..expression.len() - 2])
            .and_then(|key| i18n::plain_text(lang, key))
            .filter(|text| !text.contains(['{', '}']))
        {
            Some(text) => out.push_str(&tera::escape_html(&text)),
            None => out.push_str(expression),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The key of `t(key="…", lang=layout.lang)` or `t(key='…', lang=lang)`, the inside of a `{{ }}`
/// with nothing else in it (no whitespace control, no filters, no other arguments).
fn plain_message_key(inside: &str) -> Option<&str> {
    if !inside.starts_with(' ') || !inside.ends_with(' ') {
        return None;
    }
    let arguments = inside.trim().strip_prefix("t(")?.strip_suffix(')')?;
    let (key, lang) = arguments.split_once(',')?;
    let key = key.trim().strip_prefix("key=")?;
    let key = key
        .strip_prefix('"')
        .and_then(|k| k.strip_suffix('"'))
        .or_else(|| key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')))?;
    let lang = lang.trim().strip_prefix("lang=")?;
    let is_page_language = lang == "layout.lang" || lang == "lang";
    let is_literal = !key.contains(['"', '\'', '~', ' ']);
    (is_page_language && is_literal).then_some(key)
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// What a page template is given: named values, serialized as they are inserted.
#[derive(Default)]
pub struct PageContext {
    context: tera::Context,
    error: Option<tera::Error>,
}

impl PageContext {
    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        if let Err(error) = self.context.try_insert(key, value) {
            self.error.get_or_insert(error);
        }
    }
}

/// A context nested in another (`typed: context! { … }`, the values a form is shown again with).
impl Serialize for PageContext {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Some(error) = &self.error {
            return Err(serde::ser::Error::custom(error));
        }
        self.context.clone().into_json().serialize(serializer)
    }
}

/// `context! { layout, page, login: &account.login }`: a [`PageContext`] with those names.
#[macro_export]
macro_rules! page_context {
    ($($key:ident $(: $value:expr)?),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut context = $crate::web::views::PageContext::default();
        $( context.insert(stringify!($key), &$crate::page_context!(@value $key $(: $value)?)); )*
        context
    }};
    (@value $key:ident) => { $key };
    (@value $key:ident : $value:expr) => { $value };
}
pub use crate::page_context as context;

/// A page to render: the template's name and its context.
pub struct Template {
    name: Cow<'static, str>,
    context: PageContext,
}

impl Template {
    pub fn render(name: impl Into<Cow<'static, str>>, context: PageContext) -> Template {
        Template {
            name: name.into(),
            context,
        }
    }
}

impl<'r> Responder<'r, 'static> for Template {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        let views = request
            .rocket()
            .state::<Views>()
            .ok_or_else(|| super::server_error(&"page templates are not loaded"))?;
        if let Some(error) = self.context.error {
            return Err(super::server_error(&format!(
                "context of {}: {}",
                self.name,
                error_chain(&error)
            )));
        }
        let html = views
            .render(&self.name, &self.context.context)
            .map_err(|error| {
                super::server_error(&format!("page {}: {}", self.name, error_chain(&error)))
            })?;
        (ContentType::HTML, html).respond_to(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_messages_are_written_in_for_each_language() {
        let source = r#"<a>{{ t(key="nav-dashboard", lang=layout.lang) }}</a><nav aria-label="{{ t(key='nav-main', lang=lang) }}">"#;
        assert_eq!(
            with_messages_written_in(source, Lang::Pl),
            r#"<a>Pulpit</a><nav aria-label="Nawigacja główna">"#
        );
        assert_eq!(
            with_messages_written_in(source, Lang::En),
            r#"<a>Dashboard</a><nav aria-label="Main navigation">"#
        );
    }

    #[test]
    fn calls_that_need_the_context_stay_calls() {
        for source in [
            r#"{{ t(key="dashboard-hello", lang=lang, name=page.display_name) }}"#,
            r#"{{ t(key="news-kind-" ~ item.kind, lang=lang) }}"#,
            r#"{{ t(key="nav-dashboard", lang=customer.lang) }}"#,
            r#"{{ t(key="nav-dashboard", lang=layout.lang) | upper }}"#,
            r#"{{- t(key="nav-dashboard", lang=layout.lang) }}"#,
            r#"{{ t(key="no-such-message", lang=layout.lang) }}"#,
            r#"{{ page.title }} {{ t(key="nav-dashboard", lang=layout.lang)"#,
        ] {
            assert_eq!(with_messages_written_in(source, Lang::Pl), source);
        }
    }

    /// Every plain call in the real templates, written in, reads exactly as `t` renders it.
    #[test]
    fn written_in_messages_read_as_the_template_function_renders_them() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut sources = Vec::new();
        collect_sources(&dir, &dir, &mut sources).unwrap();
        let mut tera = Tera::default();
        tera.autoescape_on(vec![""]);
        super::super::filters::register(&mut tera);
        let mut written_in = 0;
        for lang in Lang::ALL {
            let context = tera::Context::from_serialize(
                serde_json::json!({ "lang": lang, "layout": { "lang": lang } }),
            )
            .unwrap();
            for (name, source) in &sources {
                for (start, _) in source.match_indices("{{") {
                    let Some(length) = source[start..].find("}}") else {
                        continue;
                    };
                    let expression = &source[start..start + length + 2];
                    let baked = with_messages_written_in(expression, lang);
                    if baked != expression {
                        let rendered = tera.render_str(expression, &context).unwrap();
                        assert_eq!(baked, rendered, "{name}: {expression}");
                        written_in += 1;
                    }
                }
            }
        }
        assert!(written_in > 1000, "only {written_in} messages written in");
    }
}
