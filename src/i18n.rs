//! Translations. Messages live in Fluent files, `assets/locales/<lang>/<area>.ftl`, compiled into
//! the binary; Polish is the default and the fallback for anything missing in English. Fluent's
//! CLDR plural rules give Polish its three forms ("1 usługa, 2 usługi, 5 usług").
//!
//! Templates call `{{ t(key="…", lang=layout.lang, count=n) }}`; Rust code calls [`text`] and
//! [`text_with`] for flash messages, errors and mail subjects.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{LazyLock, PoisonError, RwLock};

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use serde::Serialize;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./assets/locales",
        fallback_language: "pl",
        // Unicode isolation marks would end up in HTML, mail subjects and PDFs.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language the portal speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "pl")]
    Pl = 0,
    #[serde(rename = "en")]
    En = 1,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Pl, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Pl => "pl",
            Lang::En => "en",
        }
    }

    /// Accepts a bare code or a tag with a region ("en-GB").
    pub fn parse(value: &str) -> Option<Lang> {
        let primary = value.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "pl" => Some(Lang::Pl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The first language we speak in an `Accept-Language` header, by the client's weights.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut ranked: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let lang = Lang::parse(pieces.next()?)?;
                let weight = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                (weight > 0.0).then_some((weight, lang))
            })
            .collect();
        // Stable sort keeps the header's order among equal weights.
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.first().map(|(_, lang)| *lang)
    }

    fn identifier(self) -> LanguageIdentifier {
        match self {
            Lang::Pl => langid!("pl"),
            Lang::En => langid!("en"),
        }
    }
}

/// A value for a Fluent placeable: text, or a number (numbers choose plural forms).
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Number(i64),
}

impl From<&str> for Arg {
    fn from(value: &str) -> Arg {
        Arg::Text(value.to_owned())
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Arg {
        Arg::Text(value)
    }
}

impl From<&String> for Arg {
    fn from(value: &String) -> Arg {
        Arg::Text(value.clone())
    }
}

impl From<i64> for Arg {
    fn from(value: i64) -> Arg {
        Arg::Number(value)
    }
}

impl From<usize> for Arg {
    fn from(value: usize) -> Arg {
        Arg::Number(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

/// The message `key` in `lang`, Polish when English lacks it, and the key itself when neither has
/// it (the locale tests make sure that never ships).
pub fn text(lang: Lang, key: &str) -> String {
    lookup(lang, key, None).unwrap_or_else(|| key.to_owned())
}

/// Like [`text`], with placeables: `text_with(lang, "tickets-count", &[("count", n.into())])`.
pub fn text_with(lang: Lang, key: &str, args: &[(&str, Arg)]) -> String {
    let args = fluent_args(args.iter().map(|(k, v)| (*k, v.clone())));
    lookup(lang, key, Some(&args)).unwrap_or_else(|| key.to_owned())
}

fn fluent_args(
    args: impl Iterator<Item = (impl Into<String>, Arg)>,
) -> HashMap<Cow<'static, str>, FluentValue<'static>> {
    args.map(|(key, value)| {
        let value = match value {
            Arg::Text(text) => FluentValue::from(text),
            Arg::Number(number) => FluentValue::from(number),
        };
        (Cow::Owned(key.into()), value)
    })
    .collect()
}

fn lookup(
    lang: Lang,
    key: &str,
    args: Option<&HashMap<Cow<'static, str>, FluentValue<'static>>>,
) -> Option<String> {
    match args {
        Some(args) if !args.is_empty() => {
            LOCALES.try_lookup_complete(&lang.identifier(), key, Some(args))
        }
        _ => plain_message(lang, key),
    }
}

/// Messages without placeables never change (they are compiled in), and a page asks for dozens
/// of them: each is formatted by Fluent once and then read from this table.
fn plain_message(lang: Lang, key: &str) -> Option<String> {
    type Formatted = RwLock<HashMap<String, String>>;
    static FORMATTED: LazyLock<[Formatted; 2]> = LazyLock::new(Default::default);
    let table = &FORMATTED[lang as usize];
    if let Some(message) = table
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .get(key)
    {
        return Some(message.clone());
    }
    let message = LOCALES.try_lookup_complete(&lang.identifier(), key, None)?;
    // Only messages that exist are kept, so the table cannot grow past the Fluent files.
    table
        .write()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(key.to_owned(), message.clone());
    Some(message)
}

/// A message without placeables as the `t` function gives it (English falls back to Polish), for
/// writing it into templates ahead of time; `None` when no language has it.
pub fn plain_text(lang: Lang, key: &str) -> Option<String> {
    LOCALES.try_lookup_complete(&lang.identifier(), key, None)
}

/// Whether `lang` itself (not the fallback) has `key`; for the completeness tests. A message
/// that needs placeables still counts (formatting it without them reports missing variables).
pub fn has_own_message(lang: Lang, key: &str) -> bool {
    // fluent-templates does not export its LookupError type; its "no such message" and "no such
    // language" errors are told apart from formatting errors by their text.
    match LOCALES.lookup_single_language::<&str>(&lang.identifier(), key, None) {
        Ok(_) => true,
        Err(error) => {
            let error = error.to_string();
            !(error.starts_with("Couldn't retrieve message") || error.starts_with("Language ID"))
        }
    }
}

/// The Tera function `t(key=…, lang=…, …args)`. An unknown key is an error, so a typo fails the
/// page (and its test) instead of showing a key to a customer.
pub struct TeraFunction;

impl tera::Function for TeraFunction {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let key = args
            .get("key")
            .and_then(tera::Value::as_str)
            .ok_or_else(|| tera::Error::msg("t(): missing key"))?;
        let lang = args
            .get("lang")
            .and_then(tera::Value::as_str)
            .and_then(Lang::parse)
            .unwrap_or_default();
        let placeables = args
            .iter()
            .filter(|(name, _)| !matches!(name.as_str(), "key" | "lang" | "__tera_one_off"))
            .map(|(name, value)| {
                let value = match value {
                    tera::Value::Number(n) => match n.as_i64() {
                        Some(n) => Arg::Number(n),
                        None => Arg::Text(n.to_string()),
                    },
                    tera::Value::String(s) => Arg::Text(s.clone()),
                    tera::Value::Bool(b) => Arg::Text(b.to_string()),
                    tera::Value::Null => Arg::Text(String::new()),
                    other => Arg::Text(other.to_string()),
                };
                // Fluent variables are kebab-case by convention; templates use snake_case names.
                let name = if name.contains('_') {
                    name.replace('_', "-")
                } else {
                    name.clone()
                };
                (name, value)
            });
        let args = fluent_args(placeables);
        lookup(lang, key, Some(&args))
            .map(tera::Value::String)
            .ok_or_else(|| tera::Error::msg(format!("t(): no message {key:?}")))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_language_we_speak() {
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,pl;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("de-DE,de;q=0.9,pl;q=0.7,en;q=0.5"),
            Some(Lang::Pl)
        );
        assert_eq!(Lang::from_accept_language("fr, de"), None);
        assert_eq!(Lang::from_accept_language("en;q=0, pl"), Some(Lang::Pl));
        assert_eq!(Lang::from_accept_language(""), None);
    }

    #[test]
    fn polish_plurals_have_three_forms() {
        let services = |n: i64| text_with(Lang::Pl, "count-services", &[("count", n.into())]);
        assert_eq!(services(1), "1 usługa");
        assert_eq!(services(2), "2 usługi");
        assert_eq!(services(5), "5 usług");
        assert_eq!(services(12), "12 usług");
        assert_eq!(services(22), "22 usługi");
        let services_en = |n: i64| text_with(Lang::En, "count-services", &[("count", n.into())]);
        assert_eq!(services_en(1), "1 service");
        assert_eq!(services_en(5), "5 services");
    }

    #[test]
    fn missing_english_falls_back_to_polish_and_unknown_keys_show_the_key() {
        assert_eq!(text(Lang::Pl, "no-such-key"), "no-such-key");
        assert!(has_own_message(Lang::Pl, "nav-dashboard"));
    }

    /// Every message exists in both languages: English is complete, and nothing is only English.
    #[test]
    fn both_languages_have_the_same_messages() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/locales");
        let ids = |lang: &str| -> std::collections::BTreeSet<String> {
            let mut ids = std::collections::BTreeSet::new();
            for entry in std::fs::read_dir(root.join(lang)).unwrap() {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
                for line in text.lines() {
                    if let Some((id, _)) = line.split_once(" =")
                        && !id.is_empty()
                        && id
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                        && !line.starts_with(' ')
                    {
                        ids.insert(id.to_owned());
                    }
                }
            }
            ids
        };
        let (pl, en) = (ids("pl"), ids("en"));
        let only_pl: Vec<_> = pl.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&pl).collect();
        assert!(only_pl.is_empty(), "missing in English: {only_pl:?}");
        assert!(only_en.is_empty(), "missing in Polish: {only_en:?}");
        for id in &pl {
            assert!(has_own_message(Lang::Pl, id), "{id} does not parse in pl");
            assert!(has_own_message(Lang::En, id), "{id} does not parse in en");
        }
    }
}
