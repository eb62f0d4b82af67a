//! CSV statements: the banks' own history exports (recognised by their header line, see
//! `csv_layouts`) and the layout the portal documents for everything else.
//!
//! The documented layout: one transaction per record, `;`-separated, fields optionally in double
//! quotes (a quoted title may span lines). Columns, in this order when the file has no header:
//! `date;amount;title;payer;account_to;reference`
//! - `date`: 2026-11-05 or 05.11.2026; `amount`: decimal comma or point, thousands marked with
//!   spaces or the other mark ("1.234,56"), negative for money paid out; `title`: the transfer
//!   title; `payer`: who sent it; `account_to`: the account it was sent to (a customer's
//!   individual NRB); `reference`: the bank's transaction id.
//!
//! A first line naming the columns (English or Polish names below) may reorder them, leave the
//! optional ones out, or add `payer_account`. Only `date`, `amount` and `title` are required.
//! Empty header cells (a header ending in `;`) name no column.
//!
//! Bank exports start with a few lines about the account before the header, and may end with a
//! summary after a blank line; rows in another currency than PLN are reported as skipped.

use std::collections::BTreeMap;

use super::csv_layouts::{self, Column};
use super::records::{Record, records};
use super::{
    SkippedAccount, Statement, StatementError, StatementLine, account_digits, parse_amount,
    parse_date, tidy,
};

/// How far into a bank export its header line may be.
const HEADER_SEARCH: usize = 40;

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

pub fn parse(text: &str) -> Result<Statement, StatementError> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(StatementError::Empty);
    }
    // A bank export, with `;` or with `,`.
    for separator in [';', ','] {
        let Ok(rows) = records(text, separator) else {
            continue;
        };
        let found = rows
            .iter()
            .take(HEADER_SEARCH)
            .enumerate()
            .find_map(|(i, r)| csv_layouts::recognise(&r.cells).map(|found| (i, found)));
        if let Some((at, (layout, columns))) = found {
            let mut statement = table(&rows[at + 1..], &columns, true)?;
            statement.layout = Some(layout.name);
            return Ok(statement);
        }
    }
    documented(text)
}

/// The portal's documented layout.
fn documented(text: &str) -> Result<Statement, StatementError> {
    let rows: Vec<Record> = records(text, ';')?
        .into_iter()
        .filter(|r| !r.is_blank())
        .collect();
    let Some(first) = rows.first() else {
        return Err(StatementError::Empty);
    };
    let has_header = first
        .cells
        .first()
        .is_some_and(|cell| parse_date(cell).is_none() && column_named(cell).is_some());
    let columns: Vec<Option<Column>> = if has_header {
        first
            .cells
            .iter()
            .map(|name| {
                if name.trim().is_empty() {
                    return Ok(None);
                }
                column_named(name)
                    .map(Some)
                    .ok_or_else(|| StatementError::UnknownColumn(name.clone()))
            })
            .collect::<Result<_, _>>()?
    } else {
        DEFAULT_ORDER.iter().copied().map(Some).collect()
    };
    let required = [
        (Column::Date, "date"),
        (Column::Amount, "amount"),
        (Column::Title, "title"),
    ];
    for (column, field) in required {
        if !columns.contains(&Some(column)) {
            return Err(StatementError::MissingField {
                line: first.line,
                field,
            });
        }
    }
    let data = &rows[usize::from(has_header)..];
    if data.is_empty() {
        return Err(StatementError::NoTransactions);
    }
    let required = columns
        .iter()
        .rposition(|c| matches!(c, Some(Column::Date | Column::Amount | Column::Title)))
        .map_or(0, |i| i + 1);
    for row in data {
        // Trailing empty cells (a line ending in `;`) are no extra columns.
        let used = row
            .cells
            .iter()
            .rposition(|c| !c.trim().is_empty())
            .map_or(0, |i| i + 1);
        if row.cells.len() < required || used > columns.len() {
            return Err(StatementError::ColumnCount {
                line: row.line,
                expected: columns.iter().flatten().count(),
                found: row.cells.len(),
            });
        }
    }
    let positions: Vec<(Column, usize)> = columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.map(|c| (c, i)))
        .collect();
    table(data, &positions, false)
}

/// Reads the rows under a header. `bank`: a bank export, whose table ends at the first blank
/// line and whose `#` lines are notes.
fn table(
    rows: &[Record],
    columns: &[(Column, usize)],
    bank: bool,
) -> Result<Statement, StatementError> {
    let mut lines = Vec::new();
    let mut skipped: BTreeMap<String, SkippedAccount> = BTreeMap::new();
    for row in rows {
        if row.is_blank() {
            if bank && !lines.is_empty() {
                break;
            }
            continue;
        }
        if bank
            && row
                .cells
                .first()
                .is_some_and(|c| c.trim_start().starts_with('#'))
        {
            continue;
        }
        let Some(line) = read_row(row, columns, bank)? else {
            continue;
        };
        match line {
            Row::Booked(line) => lines.push(line),
            Row::OtherCurrency(currency) => {
                skipped
                    .entry(currency.clone())
                    .or_insert(SkippedAccount {
                        account: String::new(),
                        currency,
                        line: row.line,
                        transactions: 0,
                    })
                    .transactions += 1;
            }
        }
    }
    let skipped: Vec<SkippedAccount> = skipped.into_values().collect();
    if lines.is_empty() {
        return Err(if skipped.is_empty() {
            StatementError::NoTransactions
        } else {
            StatementError::NoPlnAccount {
                currencies: skipped
                    .iter()
                    .map(|s| s.currency.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        });
    }
    Ok(Statement {
        lines,
        skipped,
        layout: None,
    })
}

enum Row {
    Booked(StatementLine),
    OtherCurrency(String),
}

/// One row. In a bank export, None for a row with no amount: a note or summary line, or a
/// pending card hold (ING lists those with the amount in another column).
fn read_row(
    row: &Record,
    columns: &[(Column, usize)],
    bank: bool,
) -> Result<Option<Row>, StatementError> {
    let at = |wanted: Column| columns.iter().find(|(c, _)| *c == wanted).map(|(_, i)| *i);
    // (text, 1-based column) of a non-empty cell.
    let cell = |wanted: Column| -> Option<(&str, usize)> {
        let i = at(wanted)?;
        // mBank and ING put an apostrophe before numbers to keep spreadsheets from rounding.
        row.cells
            .get(i)
            .map(|s| s.trim().trim_matches('\''))
            .filter(|s| !s.is_empty())
            .map(|s| (s, i + 1))
    };
    let amount = cell(Column::Amount)
        .map(|found| (found, false))
        .or_else(|| cell(Column::Credit).map(|found| (found, false)))
        .or_else(|| cell(Column::Debit).map(|found| (found, true)));
    let Some(((amount_text, amount_column), debit_column)) = amount else {
        if bank {
            return Ok(None);
        }
        return Err(StatementError::BadAmount {
            line: row.line,
            column: at(Column::Amount).map(|i| i + 1),
            value: String::new(),
        });
    };
    let (date_text, date_column) = cell(Column::BookingDate)
        .or_else(|| cell(Column::Date))
        .ok_or(StatementError::MissingField {
            line: row.line,
            field: "date",
        })?;
    let booked_on = parse_date(date_text).ok_or_else(|| StatementError::BadDate {
        line: row.line,
        column: Some(date_column),
        value: date_text.to_owned(),
    })?;
    // mBank writes the currency after the amount: "120,00 PLN", "10,00 EUR".
    if let Some(currency) = currency_suffix(amount_text)
        && currency != "PLN"
    {
        return Ok(Some(Row::OtherCurrency(currency.to_owned())));
    }
    let amount = parse_amount(amount_text)
        .filter(|a| a.grosze() != 0)
        .map(|a| if debit_column { -a.abs() } else { a })
        .ok_or_else(|| StatementError::BadAmount {
            line: row.line,
            column: Some(amount_column),
            value: amount_text.to_owned(),
        })?;
    if let Some((currency, _)) = cell(Column::Currency)
        && !currency.eq_ignore_ascii_case("PLN")
    {
        return Ok(Some(Row::OtherCurrency(currency.to_uppercase())));
    }
    let mut found: BTreeMap<Column, String> = BTreeMap::new();
    let mut put = |column: Column, text: &str| {
        let slot = found.entry(column).or_default();
        if !slot.is_empty() {
            slot.push(' ');
        }
        slot.push_str(text);
    };
    for column in [
        Column::Title,
        Column::Payer,
        Column::PayerAccount,
        Column::AccountTo,
        Column::Reference,
    ] {
        if let Some((text, _)) = cell(column) {
            put(column, text);
        }
    }
    if let Some(first) = at(Column::Details) {
        for text in row.cells.iter().skip(first).map(|c| c.trim()) {
            match csv_layouts::detail_label(text) {
                Some((column, value)) if !value.is_empty() => put(column, value),
                Some(_) => {}
                None if !text.is_empty() => put(Column::Title, text),
                None => {}
            }
        }
    }
    let take = |column: Column| found.get(&column).cloned();
    let account = |column: Column| take(column).and_then(|a| account_digits(&a));
    Ok(Some(Row::Booked(StatementLine {
        line_no: row.line,
        booked_on,
        amount,
        title: tidy(&take(Column::Title).unwrap_or_default()),
        payer_name: take(Column::Payer).map(|p| tidy(&p)),
        payer_account: account(Column::PayerAccount),
        account_to: account(Column::AccountTo),
        bank_reference: take(Column::Reference),
        customer_reference: take(Column::CustomerReference),
    })))
}

fn currency_suffix(amount: &str) -> Option<&str> {
    let code = amount
        .trim_end()
        .get(amount.trim_end().len().checked_sub(3)?..)?;
    let before = amount.trim_end()[..amount.trim_end().len() - 3].trim_end();
    (code.bytes().all(|b| b.is_ascii_uppercase()) && before.ends_with(|c: char| c.is_ascii_digit()))
        .then_some(code)
}

#[cfg(test)]
mod tests;
