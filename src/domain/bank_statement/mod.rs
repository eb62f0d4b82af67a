//! Bank statements as the ISP's bank sends them: MT940 (SWIFT, with the Polish banks' structured
//! `:86:`) and a documented CSV layout. Both become the same [`StatementLine`]s; what they mean
//! (which customer, duplicate or not) is decided in `app::bank_import`.

pub mod csv;
pub mod mt940;

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
    /// The bank's own reference of the transaction, when it gives one.
    pub bank_reference: Option<String>,
}

impl StatementLine {
    pub fn is_credit(&self) -> bool {
        self.amount > Money::zero()
    }
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
    #[error("line {line}: the date \"{value}\" is not a date")]
    BadDate { line: usize, value: String },
    #[error("line {line}: the amount \"{value}\" is not an amount")]
    BadAmount { line: usize, value: String },
    #[error("line {line}: the field {field} is missing")]
    MissingField { line: usize, field: &'static str },
    #[error("line {line}: the statement is in {currency}, only PLN can be booked")]
    Currency { line: usize, currency: String },
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

/// An amount with a decimal comma or point, spaces as thousands separators ("1 234,56",
/// "-50.00", "+120,00").
pub fn parse_amount(text: &str) -> Option<Money> {
    let cleaned: String = text
        .trim()
        .trim_start_matches('+')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if cleaned.is_empty() {
        return None;
    }
    Money::parse_pl(&cleaned).ok()
}

/// Collapses runs of whitespace, so titles compare and display the same however they wrapped.
pub fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

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
}
