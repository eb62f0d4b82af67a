//! Bank statements as Polish banks write them, one parser per family: MT940 and MT942 (SWIFT,
//! with the ZBP `~` subfields in `:86:`), the banks' own CSV exports (PKO BP, mBank, ING Bank
//! Śląski, Santander, Pekao, Millennium, and the portal's documented layout) and Elixir-0. All
//! become the same [`StatementLine`]s; what they mean (which customer, duplicate or not) is
//! decided in `app::bank_import`.

pub mod csv;
mod csv_layouts;
pub mod elixir;
pub mod mt940;
mod records;

use chrono::NaiveDate;

use crate::domain::Money;

/// One booked transaction of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementLine {
    /// Where the transaction starts in the file (1-based), for messages and the preview.
    pub line_no: usize,
    pub booked_on: NaiveDate,
    /// Positive for money received (credit), negative for money paid out (debit).
    pub amount: Money,
    pub title: String,
    pub payer_name: Option<String>,
    pub payer_account: Option<String>,
    /// The account the money was sent to: a customer's individual NRB when the bank reports it.
    pub account_to: Option<String>,
    /// The bank's own reference of the transaction, when it gives one. Unique per transaction.
    pub bank_reference: Option<String>,
    /// The reference the payer gave (`:61:` before `//`). Payers repeat it, so it never makes
    /// a transaction unique on its own.
    pub customer_reference: Option<String>,
}

impl StatementLine {
    pub fn is_credit(&self) -> bool {
        self.amount > Money::zero()
    }
}

/// An account (or currency) of the file that was not read, reported instead of refusing the
/// whole file: only PLN is booked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SkippedAccount {
    /// The account number as the file gives it (empty when the file names none).
    pub account: String,
    pub currency: String,
    /// The line its statement (or first skipped row) starts on.
    pub line: usize,
    pub transactions: usize,
}

/// What a file holds: the PLN transactions to book, what was skipped, and which layout it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub lines: Vec<StatementLine>,
    pub skipped: Vec<SkippedAccount>,
    /// The bank layout recognised, for the preview ("mBank", "PKO BP", …); None for the
    /// formats that are the same at every bank.
    pub layout: Option<&'static str>,
}

/// What is wrong with a file, precisely enough to tell the person who uploaded it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatementError {
    #[error("the file is empty")]
    Empty,
    #[error("the file contains no transactions")]
    NoTransactions,
    #[error("this is not an MT940 statement (no :61: lines)")]
    NotMt940,
    #[error("this is not an Elixir-0 file (no line starts with a payment type and a date)")]
    NotElixir,
    #[error("line {line}{}: the date \"{value}\" is not a date", at_column(*column))]
    BadDate {
        line: usize,
        column: Option<usize>,
        value: String,
    },
    #[error("line {line}{}: the amount \"{value}\" is not an amount", at_column(*column))]
    BadAmount {
        line: usize,
        column: Option<usize>,
        value: String,
    },
    #[error("line {line}: the field {field} is missing")]
    MissingField { line: usize, field: &'static str },
    #[error("the file has no account in PLN (skipped: {currencies}); only PLN can be booked")]
    NoPlnAccount { currencies: String },
    #[error("line {line}: the :61: line cannot be read")]
    BadEntry { line: usize },
    #[error("the CSV header names an unknown column \"{0}\"")]
    UnknownColumn(String),
    #[error("line {line}: expected {expected} columns separated by ';', found {found}")]
    ColumnCount {
        line: usize,
        expected: usize,
        found: usize,
    },
    #[error("line {line}, column {column}: a quote opened here is never closed")]
    UnclosedQuote { line: usize, column: usize },
}

fn at_column(column: Option<usize>) -> String {
    column.map(|c| format!(", column {c}")).unwrap_or_default()
}

/// Dates as Polish banks and spreadsheets write them: 2026-11-05, 05.11.2026, 05-11-2026,
/// 05/11/2026, 20261105.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    [
        "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y", "%Y%m%d", "%Y.%m.%d",
    ]
    .iter()
    .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
}

/// An amount as banks and spreadsheets write it: a decimal comma or point, spaces (also
/// non-breaking) or the other mark as thousands separators, a sign, a trailing "PLN":
/// "1 234,56", "1.234,56", "-50.00", "+120,5", "300," (SWIFT: no decimals means ,00).
pub fn parse_amount(text: &str) -> Option<Money> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\'' && *c != '\u{202f}')
        .collect();
    let cleaned = ["PLN", "pln", "zł", "zl"]
        .iter()
        .find_map(|suffix| cleaned.strip_suffix(suffix))
        .unwrap_or(&cleaned);
    let (negative, unsigned) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.strip_prefix('+').unwrap_or(cleaned)),
    };
    let (whole, fraction) = split_decimal(unsigned)?;
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if fraction.len() > 2 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sign = if negative { "-" } else { "" };
    Money::parse_pl(&format!("{sign}{whole},{fraction:0<2}")).ok()
}

/// Whole part (thousands marks removed) and decimals of an unsigned amount. With both marks
/// present the last one is the decimal mark; one mark alone is the decimal mark unless it
/// repeats ("1.234.567"), and then it groups thousands.
fn split_decimal(text: &str) -> Option<(String, &str)> {
    let last_comma = text.rfind(',');
    let last_point = text.rfind('.');
    let (decimal, thousands) = match (last_comma, last_point) {
        (Some(c), Some(p)) if c > p => (Some(c), Some('.')),
        (Some(_), Some(p)) => (Some(p), Some(',')),
        (Some(c), None) if text.matches(',').count() == 1 => (Some(c), None),
        (None, Some(p)) if text.matches('.').count() == 1 => (Some(p), None),
        (Some(_), None) => (None, Some(',')),
        (None, Some(_)) => (None, Some('.')),
        (None, None) => (None, None),
    };
    let (whole, fraction) = match decimal {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (text, ""),
    };
    let whole = match thousands {
        Some(mark) => {
            let groups: Vec<&str> = whole.split(mark).collect();
            let grouped = groups.iter().enumerate().all(|(i, g)| match i {
                0 => (1..=3).contains(&g.len()),
                _ => g.len() == 3,
            });
            if !grouped {
                return None;
            }
            groups.concat()
        }
        None => whole.to_owned(),
    };
    Some((whole, fraction))
}

/// Collapses runs of whitespace, so titles compare and display the same however they wrapped.
pub fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Only the digits of an account number as banks print it ("PL61 1090 …", "/PL61…",
/// "'61 1090…'"): 26 digits for a Polish one, None when it has no digits at all.
pub fn account_digits(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    (!digits.is_empty()).then_some(digits)
}

#[cfg(test)]
mod properties;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_usual_polish_forms() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 5).unwrap();
        for text in [
            "2026-11-05",
            "05.11.2026",
            "05-11-2026",
            "05/11/2026",
            "20261105",
        ] {
            assert_eq!(parse_date(text), Some(day), "{text}");
        }
        assert_eq!(parse_date("31.02.2026"), None);
        assert_eq!(parse_date("wczoraj"), None);
    }

    #[test]
    fn amounts_with_comma_point_sign_and_spaces() {
        assert_eq!(parse_amount("1 234,56"), Some(Money::from_grosze(123_456)));
        assert_eq!(parse_amount("-50.00"), Some(Money::from_grosze(-5000)));
        assert_eq!(parse_amount("+120,5"), Some(Money::from_grosze(12_050)));
        assert_eq!(parse_amount("abc"), None);
        assert_eq!(parse_amount(""), None);
    }

    #[test]
    fn amounts_as_banks_export_them() {
        // Issue 15, point 2: SWIFT writes 300,00 as "300,".
        assert_eq!(parse_amount("300,"), Some(Money::from_grosze(30_000)));
        // Point 7: thousands marked with a point, decimals with a comma (and the reverse).
        assert_eq!(parse_amount("1.234,56"), Some(Money::from_grosze(123_456)));
        assert_eq!(parse_amount("1,234.56"), Some(Money::from_grosze(123_456)));
        assert_eq!(
            parse_amount("1.234.567"),
            Some(Money::from_grosze(123_456_700))
        );
        assert_eq!(
            parse_amount("-1\u{a0}234,56 PLN"),
            Some(Money::from_grosze(-123_456))
        );
        assert_eq!(parse_amount("12.34,56"), None);
        // One comma is a decimal comma, and three decimals are not an amount.
        assert_eq!(parse_amount("1,234"), None);
        assert_eq!(parse_amount("1,2345"), None);
        assert_eq!(parse_amount("-"), None);
        assert_eq!(parse_amount(","), None);
    }
}
