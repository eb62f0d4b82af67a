//! The CSV layout the portal documents for banks without MT940 (or for a spreadsheet made by
//! hand): one transaction per line, `;`-separated, fields optionally in double quotes.
//!
//! Columns, in this order when the file has no header:
//! `date;amount;title;payer;account_to;reference`
//! - `date`: 2026-11-05 or 05.11.2026; `amount`: decimal comma or point, negative for money
//!   paid out; `title`: the transfer title; `payer`: who sent it; `account_to`: the account it
//!   was sent to (a customer's individual NRB); `reference`: the bank's transaction id.
//!
//! A first line naming the columns (English or Polish names below) may reorder them, leave the
//! optional ones out, or add `payer_account`. Only `date`, `amount` and `title` are required.

use super::{StatementError, StatementLine, parse_amount, parse_date, tidy};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Date,
    Amount,
    Title,
    Payer,
    AccountTo,
    Reference,
    PayerAccount,
}

const DEFAULT_ORDER: [Column; 6] = [
    Column::Date,
    Column::Amount,
    Column::Title,
    Column::Payer,
    Column::AccountTo,
    Column::Reference,
];

fn column_named(name: &str) -> Option<Column> {
    let name = name.trim().to_lowercase().replace([' ', '-'], "_");
    Some(match name.as_str() {
        "date" | "data" | "data_ksiegowania" | "data_księgowania" => Column::Date,
        "amount" | "kwota" => Column::Amount,
        "title" | "tytul" | "tytuł" | "tytul_przelewu" | "tytuł_przelewu" => Column::Title,
        "payer" | "nadawca" | "zleceniodawca" | "platnik" | "płatnik" => Column::Payer,
        "account_to" | "rachunek" | "na_rachunek" | "rachunek_odbiorcy" => Column::AccountTo,
        "reference" | "referencja" | "id_transakcji" => Column::Reference,
        "payer_account" | "rachunek_nadawcy" | "rachunek_zleceniodawcy" => Column::PayerAccount,
        _ => return None,
    })
}

pub fn parse(text: &str) -> Result<Vec<StatementLine>, StatementError> {
    let text = text.trim_start_matches('\u{feff}');
    let rows: Vec<(usize, Vec<String>)> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| (i + 1, split(line)))
        .collect();
    let Some((_, first)) = rows.first() else {
        return Err(StatementError::Empty);
    };
    let has_header = first
        .first()
        .is_some_and(|cell| parse_date(cell).is_none() && column_named(cell).is_some());
    let columns: Vec<Column> = if has_header {
        first
            .iter()
            .map(|name| {
                column_named(name).ok_or_else(|| StatementError::UnknownColumn(name.clone()))
            })
            .collect::<Result<_, _>>()?
    } else {
        DEFAULT_ORDER.to_vec()
    };
    for required in [Column::Date, Column::Amount, Column::Title] {
        if !columns.contains(&required) {
            return Err(StatementError::MissingField {
                line: 1,
                field: name_of(required),
            });
        }
    }
    let data = &rows[usize::from(has_header)..];
    if data.is_empty() {
        return Err(StatementError::NoTransactions);
    }
    data.iter()
        .map(|(line, cells)| row(*line, cells, &columns))
        .collect()
}

fn name_of(column: Column) -> &'static str {
    match column {
        Column::Date => "date",
        Column::Amount => "amount",
        Column::Title => "title",
        Column::Payer => "payer",
        Column::AccountTo => "account_to",
        Column::Reference => "reference",
        Column::PayerAccount => "payer_account",
    }
}

fn row(line: usize, cells: &[String], columns: &[Column]) -> Result<StatementLine, StatementError> {
    let required = columns
        .iter()
        .rposition(|c| matches!(c, Column::Date | Column::Amount | Column::Title))
        .map_or(0, |i| i + 1);
    if cells.len() < required || cells.len() > columns.len() {
        return Err(StatementError::ColumnCount {
            line,
            expected: columns.len(),
            found: cells.len(),
        });
    }
    let cell = |wanted: Column| -> Option<&str> {
        columns
            .iter()
            .position(|c| *c == wanted)
            .and_then(|i| cells.get(i))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
    };
    let date_text = cell(Column::Date).ok_or(StatementError::MissingField {
        line,
        field: "date",
    })?;
    let booked_on = parse_date(date_text).ok_or_else(|| StatementError::BadDate {
        line,
        value: date_text.to_owned(),
    })?;
    let amount_text = cell(Column::Amount).unwrap_or("");
    let amount = parse_amount(amount_text)
        .filter(|a| a.grosze() != 0)
        .ok_or_else(|| StatementError::BadAmount {
            line,
            value: amount_text.to_owned(),
        })?;
    let digits = |text: &str| -> String { text.chars().filter(|c| !c.is_whitespace()).collect() };
    Ok(StatementLine {
        line_no: line,
        booked_on,
        amount,
        title: tidy(cell(Column::Title).unwrap_or("")),
        payer_name: cell(Column::Payer).map(tidy),
        payer_account: cell(Column::PayerAccount).map(digits),
        account_to: cell(Column::AccountTo).map(|a| {
            let a = digits(a);
            a.strip_prefix("PL").map(str::to_owned).unwrap_or(a)
        }),
        bank_reference: cell(Column::Reference).map(str::to_owned),
    })
}

/// Splits one line at `;`, honouring double quotes (`""` inside quotes is a quote), as
/// spreadsheets export it.
fn split(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = line.trim_end_matches('\r').chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if current.trim().is_empty() => {
                current.clear();
                quoted = true;
            }
            (';', false) => cells.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    cells.push(current);
    cells
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Money;
    use chrono::NaiveDate;

    #[test]
    fn the_documented_order_without_a_header() {
        let lines = parse(
            "2026-11-05;120,00;Abonament FV/2026/11/000001;Zofia Żak;61 1090 1014 0000 0712 0000 0042;R1\n\
             05.11.2026;-10.50;Opłata;;;\n",
        )
        .unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].amount, Money::from_grosze(12_000));
        assert_eq!(lines[0].payer_name.as_deref(), Some("Zofia Żak"));
        assert_eq!(
            lines[0].account_to.as_deref(),
            Some("61109010140000071200000042")
        );
        assert_eq!(lines[0].bank_reference.as_deref(), Some("R1"));
        assert_eq!(lines[1].amount, Money::from_grosze(-1050));
        assert_eq!(lines[1].payer_name, None);
        assert_eq!(lines[1].line_no, 2);
    }

    #[test]
    fn a_header_may_reorder_and_leave_out_columns() {
        let lines =
            parse("Kwota;Data;Tytuł\n\"1 000,00\";2026-11-06;\"Wpłata; \"\"listopad\"\"\"\n")
                .unwrap();
        assert_eq!(lines[0].amount, Money::from_grosze(100_000));
        assert_eq!(
            lines[0].booked_on,
            NaiveDate::from_ymd_opt(2026, 11, 6).unwrap()
        );
        assert_eq!(lines[0].title, "Wpłata; \"listopad\"");
        assert_eq!(lines[0].line_no, 2);
    }

    #[test]
    fn broken_files_say_what_is_wrong() {
        assert_eq!(parse("\n \n"), Err(StatementError::Empty));
        assert_eq!(
            parse("date;amount;title\n"),
            Err(StatementError::NoTransactions)
        );
        assert_eq!(
            parse("date;kwota;colour\n"),
            Err(StatementError::UnknownColumn("colour".into()))
        );
        assert_eq!(
            parse("data;kwota\n2026-11-05;1\n"),
            Err(StatementError::MissingField {
                line: 1,
                field: "title"
            })
        );
        assert_eq!(
            parse("2026-11-05;abc;x\n"),
            Err(StatementError::BadAmount {
                line: 1,
                value: "abc".into()
            })
        );
        assert_eq!(
            parse("2026-11-05;1,00;x\n2026-13-05;1,00;x\n"),
            Err(StatementError::BadDate {
                line: 2,
                value: "2026-13-05".into()
            })
        );
        assert_eq!(
            parse("2026-11-05;1,00\n"),
            Err(StatementError::ColumnCount {
                line: 1,
                expected: 6,
                found: 2
            })
        );
        assert_eq!(
            parse("garbage without separators\n"),
            Err(StatementError::ColumnCount {
                line: 1,
                expected: 6,
                found: 1
            })
        );
    }
}
