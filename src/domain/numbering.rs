//! Invoice numbers: series templates such as "FV/{YYYY}/{MM}/{N:06}", and the period keys the
//! per-series counters reset on (pl-invoicing §1.7, DESIGN.md "Invoices").
//!
//! The statute (art. 106e ust. 1 pkt 2) asks for a sequential number that identifies the invoice
//! uniquely; no format is prescribed. The counter row is keyed by (series, [`period_key`]), so a
//! template must show enough of the date to keep numbers of different periods apart
//! ([`NumberTemplate::check_fits`]).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize, Serializer};

/// Widest zero padding of `{N:0W}`: 12 digits outlast any ISP, and keep numbers readable.
const MAX_COUNTER_WIDTH: usize = 12;

/// When a series' counter starts again from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResetPeriod {
    Monthly,
    Yearly,
    Never,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberingError {
    #[error("unknown reset period {0:?} (expected monthly, yearly or never)")]
    UnknownResetPeriod(String),
    #[error("number template must contain the counter {{N}}")]
    MissingCounter,
    #[error("number template may contain the counter {{N}} only once")]
    MoreThanOneCounter,
    #[error("unknown token {{{0}}} in number template (known: YYYY, YY, MM, N, N:06)")]
    UnknownToken(String),
    #[error("counter width in {{{0}}} must be written 0 and a width of 1 to 12, e.g. {{N:06}}")]
    BadCounterWidth(String),
    #[error("'{{' without a closing '}}' in number template")]
    UnclosedBrace,
    #[error("'}}' without an opening '{{' in number template")]
    StrayClosingBrace,
    #[error("number template may not contain control characters")]
    ControlCharacter,
    #[error("a series reset monthly needs {{MM}} in its template, or numbers would repeat")]
    MissingMonth,
    #[error("a series reset monthly or yearly needs {{YYYY}} or {{YY}}, or numbers would repeat")]
    MissingYear,
}

impl ResetPeriod {
    pub fn parse(input: &str) -> Result<ResetPeriod, NumberingError> {
        match input.trim().to_ascii_lowercase().as_str() {
            "monthly" => Ok(ResetPeriod::Monthly),
            "yearly" => Ok(ResetPeriod::Yearly),
            "never" => Ok(ResetPeriod::Never),
            _ => Err(NumberingError::UnknownResetPeriod(input.to_owned())),
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            ResetPeriod::Monthly => "monthly",
            ResetPeriod::Yearly => "yearly",
            ResetPeriod::Never => "never",
        }
    }
}

impl fmt::Display for ResetPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ResetPeriod {
    type Err = NumberingError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ResetPeriod::parse(s)
    }
}

/// The counter period an invoice issued on `issue_date` belongs to: "2026-11" (monthly), "2026"
/// (yearly) or "all" (never reset). Stored with the counter row, so the format must not change.
pub fn period_key(issue_date: NaiveDate, reset: ResetPeriod) -> String {
    match reset {
        ResetPeriod::Monthly => format!("{:04}-{:02}", issue_date.year(), issue_date.month()),
        ResetPeriod::Yearly => format!("{:04}", issue_date.year()),
        ResetPeriod::Never => "all".to_owned(),
    }
}

/// A parsed numbering template. Tokens: `{YYYY}` year, `{YY}` year in two digits, `{MM}` month in
/// two digits, `{N}` the counter, `{N:0W}` the counter zero-padded to W digits (1–12). Everything
/// else is literal text; there is no escape for braces, which invoice numbers never need.
///
/// A counter longer than its padding is printed in full ("{N:03}" with 1234 → "1234"), never
/// cut, so numbers stay unique.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct NumberTemplate {
    source: String,
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Year,
    YearTwoDigits,
    Month,
    Counter { width: usize },
}

impl NumberTemplate {
    pub fn parse(template: &str) -> Result<NumberTemplate, NumberingError> {
        if template.chars().any(char::is_control) {
            return Err(NumberingError::ControlCharacter);
        }
        let mut parts = Vec::new();
        let mut rest = template;
        while !rest.is_empty() {
            let literal_end = rest.find(['{', '}']).unwrap_or(rest.len());
            if literal_end > 0 {
                parts.push(Part::Literal(rest[..literal_end].to_owned()));
            }
            rest = &rest[literal_end..];
            if rest.starts_with('}') {
                return Err(NumberingError::StrayClosingBrace);
            }
            if let Some(after_open) = rest.strip_prefix('{') {
                let close = after_open.find('}').ok_or(NumberingError::UnclosedBrace)?;
                parts.push(parse_token(&after_open[..close])?);
                rest = &after_open[close + 1..];
            }
        }
        match parts
            .iter()
            .filter(|p| matches!(p, Part::Counter { .. }))
            .count()
        {
            0 => Err(NumberingError::MissingCounter),
            1 => Ok(NumberTemplate {
                source: template.to_owned(),
                parts,
            }),
            _ => Err(NumberingError::MoreThanOneCounter),
        }
    }

    /// Checks that numbers cannot repeat across periods of `reset`: a monthly series must show the
    /// year and the month, a yearly one the year. (`{YY}` repeats after a century; accepted.)
    pub fn check_fits(&self, reset: ResetPeriod) -> Result<(), NumberingError> {
        let has = |wanted: fn(&Part) -> bool| self.parts.iter().any(wanted);
        let has_year = has(|p| matches!(p, Part::Year | Part::YearTwoDigits));
        let has_month = has(|p| matches!(p, Part::Month));
        match reset {
            ResetPeriod::Never => Ok(()),
            ResetPeriod::Yearly | ResetPeriod::Monthly if !has_year => {
                Err(NumberingError::MissingYear)
            }
            ResetPeriod::Monthly if !has_month => Err(NumberingError::MissingMonth),
            ResetPeriod::Yearly | ResetPeriod::Monthly => Ok(()),
        }
    }

    /// The invoice number for counter value `seq` in the period of `issue_date`.
    pub fn render(&self, issue_date: NaiveDate, seq: u64) -> String {
        let mut out = String::with_capacity(self.source.len() + 8);
        for part in &self.parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Year => out.push_str(&format!("{:04}", issue_date.year())),
                Part::YearTwoDigits => {
                    out.push_str(&format!("{:02}", issue_date.year().rem_euclid(100)));
                }
                Part::Month => out.push_str(&format!("{:02}", issue_date.month())),
                Part::Counter { width } => out.push_str(&format!("{seq:0width$}")),
            }
        }
        out
    }

    /// The template as written, e.g. for the settings form and the database.
    pub fn as_str(&self) -> &str {
        &self.source
    }
}

fn parse_token(token: &str) -> Result<Part, NumberingError> {
    match token {
        "YYYY" => Ok(Part::Year),
        "YY" => Ok(Part::YearTwoDigits),
        "MM" => Ok(Part::Month),
        "N" => Ok(Part::Counter { width: 1 }),
        _ => match token.strip_prefix("N:") {
            Some(spec) => parse_counter_width(spec)
                .map(|width| Part::Counter { width })
                .ok_or_else(|| NumberingError::BadCounterWidth(token.to_owned())),
            None => Err(NumberingError::UnknownToken(token.to_owned())),
        },
    }
}

/// "06" → 6. The leading 0 is required, as in Rust's `{:06}`: "{N:6}" would read as space padding.
fn parse_counter_width(spec: &str) -> Option<usize> {
    let digits = spec.strip_prefix('0')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let width: usize = digits.parse().ok()?;
    (1..=MAX_COUNTER_WIDTH).contains(&width).then_some(width)
}

impl fmt::Display for NumberTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl FromStr for NumberTemplate {
    type Err = NumberingError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NumberTemplate::parse(s)
    }
}

impl Serialize for NumberTemplate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.source)
    }
}

impl TryFrom<String> for NumberTemplate {
    type Error = NumberingError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        NumberTemplate::parse(&value)
    }
}

#[cfg(test)]
mod tests;
