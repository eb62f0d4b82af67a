//! MT940 ("customer statement message") and MT942 (interim report) as Polish banks write them.
//!
//! A file holds one or more statements, each opened by `:20:`, naming its account in `:25:` and
//! its currency in the opening balance `:60F:` (MT942: the floor limit `:34F:`). Banks that send
//! SWIFT messages wrap each statement in an envelope: SOH (0x01), `{1:…}{2:…}{4:` header blocks,
//! and `-}` with ETX (0x03) at the end, sometimes a DOS end-of-file SUB (0x1A); these carry no
//! data and are dropped. Only PLN statements are read; the others are reported as skipped.
//!
//! A transaction is a `:61:` line (value date, C/D mark, amount, type, the payer's reference,
//! `//` and the bank's reference, and on the next line the supplementary details) followed by
//! one or more `:86:` fields. The ZBP (Polish Bank Association) variant structures `:86:` as a
//! three-digit transaction code and subfields introduced by `~` (some banks use `^`, `?` or `<`):
//! `~20`–`~25` the title, cut into pieces of fixed width (so a number may be split across
//! them), `~27`/`~28` or `~32`/`~33` the counterparty's name, `~38` its IBAN (`~31` its account).
//! PKO BP fills the unused title subfields with 0xFF bytes (`˙` in Windows-1250 and
//! ISO-8859-2), which are not text. An unstructured `:86:` is taken whole as the title.
//!
//! The account the money was sent to is the `:25:` account, unless the bank names the payer's
//! individual (virtual) account: in the `:61:` supplementary details ("identyfikacja masowa"),
//! or, at mBank, as "ID IPH: …" inside `:86:` ("Identyfikacja Płatności Hurtowych").

mod details;

use chrono::{Datelike, NaiveDate};

use super::{SkippedAccount, Statement, StatementError, StatementLine, parse_amount};
use crate::domain::Nrb;
use details::describe;

/// SOH, ETX and SUB: the SWIFT envelope and the DOS end of file.
const ENVELOPE: [char; 3] = ['\u{1}', '\u{3}', '\u{1a}'];

/// One tag with its value (continuation lines included) and the line it started on.
struct Field<'a> {
    tag: &'a str,
    line: usize,
    value: String,
}

/// One statement of the file (one account).
#[derive(Default)]
struct Block<'a> {
    line: usize,
    account: Option<String>,
    currency: Option<String>,
    entries: Vec<Entry<'a>>,
}

/// A `:61:` field with the `:86:` values that follow it.
struct Entry<'a> {
    field: &'a Field<'a>,
    details: Vec<&'a str>,
}

pub fn parse(text: &str) -> Result<Statement, StatementError> {
    if text
        .trim_matches(|c: char| c.is_whitespace() || ENVELOPE.contains(&c))
        .is_empty()
    {
        return Err(StatementError::Empty);
    }
    let fields = fields(text);
    if !fields.iter().any(|f| f.tag == "61") {
        let looks_like_mt940 = fields
            .iter()
            .any(|f| matches!(f.tag, "20" | "25" | "60F" | "34F"));
        return Err(if looks_like_mt940 {
            StatementError::NoTransactions
        } else {
            StatementError::NotMt940
        });
    }
    let mut statement = Statement {
        lines: Vec::new(),
        skipped: Vec::new(),
        layout: None,
    };
    let mut pln_seen = false;
    for block in blocks(&fields) {
        match block.currency.as_deref() {
            None | Some("PLN") => {
                pln_seen = true;
                let account = block.account.as_deref().and_then(polish_account);
                for entry in &block.entries {
                    statement
                        .lines
                        .push(transaction(entry, account.as_deref())?);
                }
            }
            Some(currency) => statement.skipped.push(SkippedAccount {
                account: block.account.clone().unwrap_or_default(),
                currency: currency.to_owned(),
                line: block.line,
                transactions: block.entries.len(),
            }),
        }
    }
    if !pln_seen {
        let mut currencies: Vec<&str> = statement
            .skipped
            .iter()
            .map(|s| s.currency.as_str())
            .collect();
        currencies.dedup();
        return Err(StatementError::NoPlnAccount {
            currencies: currencies.join(", "),
        });
    }
    Ok(statement)
}

/// Splits the file into tags. A line starting `:XX:` or `:XXa:` opens a tag; others continue it.
/// The SWIFT envelope (control bytes, `{1:…}` blocks, `-}`) is dropped.
fn fields(text: &str) -> Vec<Field<'_>> {
    let mut fields: Vec<Field<'_>> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw
            .trim_end_matches(['\r', '\u{feff}'])
            .trim_start_matches('\u{feff}')
            .trim_matches(ENVELOPE);
        // "{1:F01BREXPLPWAMBK…}{2:O940…}{4:" and sometimes the first tag on the same line.
        // A message may end and the next begin on one line: "-}<ETX><SOH>{1:…}{4:".
        let line = if line.starts_with('{') || line.contains("{1:") {
            match line.rfind("{4:") {
                Some(at) => &line[at + 3..],
                None => continue,
            }
        } else {
            line
        };
        if matches!(line.trim(), "" | "-" | "-}" | "}") {
            continue;
        }
        if let Some((tag, value)) = tag_of(line) {
            fields.push(Field {
                tag,
                line: index + 1,
                value: value.to_owned(),
            });
        } else if let Some(last) = fields.last_mut() {
            last.value.push('\n');
            last.value.push_str(line);
        }
    }
    fields
}

fn tag_of(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix(':')?;
    let end = rest.find(':')?;
    let tag = &rest[..end];
    let bytes = tag.as_bytes();
    // "61", "86", or two digits and a letter ("60F", "28C").
    let valid = match bytes {
        [a, b] => a.is_ascii_digit() && b.is_ascii_digit(),
        [a, b, c] => a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_alphabetic(),
        _ => false,
    };
    valid.then(|| (tag, &rest[end + 1..]))
}

/// Groups the fields into statements: each `:20:` opens one. A `:86:` belongs to the `:61:`
/// right before it (banks may write two); one after the closing balance is about the statement.
fn blocks<'a>(fields: &'a [Field<'a>]) -> Vec<Block<'a>> {
    let mut blocks: Vec<Block<'a>> = Vec::new();
    let mut in_transaction = false;
    for field in fields {
        if field.tag == "20" || blocks.is_empty() {
            blocks.push(Block {
                line: field.line,
                ..Block::default()
            });
        }
        let Some(block) = blocks.last_mut() else {
            continue;
        };
        match field.tag {
            "25" => block.account = Some(field.value.trim().to_owned()),
            // `C261104PLN1234,56`: the currency follows the mark and the date.
            "60F" | "60M" | "62F" | "62M" if block.currency.is_none() => {
                block.currency = currency_at(&field.value, 7);
            }
            // MT942's floor limit `PLND0,` comes first and names the currency.
            "34F" if block.currency.is_none() => block.currency = currency_at(&field.value, 0),
            "61" => block.entries.push(Entry {
                field,
                details: Vec::new(),
            }),
            "86" if in_transaction => {
                if let Some(entry) = block.entries.last_mut() {
                    entry.details.push(&field.value);
                }
            }
            _ => {}
        }
        in_transaction = matches!(field.tag, "61" | "86") && (field.tag == "61" || in_transaction);
    }
    blocks
}

fn currency_at(value: &str, at: usize) -> Option<String> {
    let currency: String = value.trim().chars().skip(at).take(3).collect();
    (currency.len() == 3 && currency.chars().all(|c| c.is_ascii_uppercase())).then_some(currency)
}

/// The 26 digits of a Polish account ("/PL61…", "PL61 1090…"); None for a foreign one.
fn polish_account(value: &str) -> Option<String> {
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    (digits.len() == 26).then_some(digits)
}

fn transaction(entry: &Entry<'_>, account: Option<&str>) -> Result<StatementLine, StatementError> {
    let mut line = entry_line(entry.field, account)?;
    let details = describe(&entry.details);
    line.title = details.title;
    line.payer_name = details.payer_name;
    line.payer_account = details.payer_account;
    if let Some(virtual_account) = details.virtual_account
        && line.account_to.as_deref() == account
    {
        line.account_to = Some(virtual_account);
    }
    Ok(line)
}

/// `:61:YYMMDD[MMDD]{C|D|RC|RD}[funds code]amount{N|F}xxx reference[//bank reference]`
/// and, on the next line, the supplementary details.
fn entry_line(field: &Field<'_>, account: Option<&str>) -> Result<StatementLine, StatementError> {
    let bad = || StatementError::BadEntry { line: field.line };
    let (first, details) = match field.value.split_once('\n') {
        Some((first, details)) => (first.trim(), Some(details.trim())),
        None => (field.value.trim(), None),
    };
    let date_text = first.get(..6).ok_or_else(bad)?;
    let booked_on = yymmdd(date_text).ok_or_else(|| StatementError::BadDate {
        line: field.line,
        column: None,
        value: date_text.to_owned(),
    })?;
    let mut rest = &first[6..];
    // An optional entry date (MMDD) before the mark.
    if rest.len() >= 4 && rest.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        rest = &rest[4..];
    }
    // RC/RD reverse a credit/debit: money goes the other way.
    let (credit, after_mark) = if let Some(r) = rest.strip_prefix("RC") {
        (false, r)
    } else if let Some(r) = rest.strip_prefix("RD") {
        (true, r)
    } else if let Some(r) = rest.strip_prefix('C') {
        (true, r)
    } else if let Some(r) = rest.strip_prefix('D') {
        (false, r)
    } else {
        return Err(bad());
    };
    // The optional funds code is a letter; the amount starts with a digit.
    let after_funds = after_mark
        .strip_prefix(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(after_mark);
    let amount_len = after_funds
        .find(|c: char| !(c.is_ascii_digit() || c == ','))
        .unwrap_or(after_funds.len());
    let amount_text = &after_funds[..amount_len];
    // SWIFT amounts always have the comma, and "300," means 300,00.
    let amount = Some(amount_text)
        .filter(|t| t.contains(','))
        .and_then(parse_amount)
        .filter(|a| a.grosze() > 0)
        .ok_or_else(|| StatementError::BadAmount {
            line: field.line,
            column: None,
            value: amount_text.to_owned(),
        })?;
    // Transaction type: N or F and three characters, then the references.
    let references = after_funds[amount_len..].get(4..).unwrap_or("");
    let (customer_ref, bank_ref) = match references.split_once("//") {
        Some((customer, bank)) => (customer.trim(), bank.trim()),
        None => (references.trim(), ""),
    };
    let reference =
        |r: &str| Some(r.to_owned()).filter(|r| !r.is_empty() && !r.eq_ignore_ascii_case("NONREF"));
    let virtual_account = details.and_then(|d| {
        let digits: String = d.chars().filter(|c| !c.is_whitespace()).collect();
        let digits = digits.strip_prefix("PL").unwrap_or(&digits);
        Nrb::parse(digits).ok().map(|n| n.as_str().to_owned())
    });
    Ok(StatementLine {
        line_no: field.line,
        booked_on,
        amount: if credit { amount } else { -amount },
        title: String::new(),
        payer_name: None,
        payer_account: None,
        account_to: virtual_account.or_else(|| account.map(str::to_owned)),
        bank_reference: reference(bank_ref),
        customer_reference: reference(customer_ref),
    })
}

fn yymmdd(text: &str) -> Option<NaiveDate> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = text[..2].parse().ok()?;
    let month: u32 = text[2..4].parse().ok()?;
    let day: u32 = text[4..6].parse().ok()?;
    // SWIFT years have two digits; statements are about this century.
    let date = NaiveDate::from_ymd_opt(2000 + year, month, day)?;
    (date.year() >= 2000).then_some(date)
}

#[cfg(test)]
mod tests;
