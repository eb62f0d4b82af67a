//! MT940 ("customer statement message", SWIFT) as Polish banks write it.
//!
//! A transaction is a `:61:` line (value date, C/D mark, amount, type, references, and on the
//! next line the supplementary details) followed by `:86:`. Polish banks structure `:86:` as a
//! three-digit transaction code and subfields introduced by `~` (some banks use `^` or `?`):
//! `~20`..`~25` the transfer title, `~27`/`~28` the counterparty's name, `~38` the
//! counterparty's IBAN (`~31` its account when there is no IBAN). An unstructured `:86:` is
//! taken whole as the title.
//!
//! The account the money was sent to is the `:25:` account, unless the bank names the payer's
//! individual (virtual) account in the `:61:` supplementary details, as banks do for mass
//! payment identification ("identyfikacja masowa").

use chrono::{Datelike, NaiveDate};

use super::{StatementError, StatementLine, parse_amount, tidy};
use crate::domain::Nrb;

/// One tag with its value (continuation lines included) and the line it started on.
struct Field<'a> {
    tag: &'a str,
    line: usize,
    value: String,
}

pub fn parse(text: &str) -> Result<Vec<StatementLine>, StatementError> {
    if text.trim().is_empty() {
        return Err(StatementError::Empty);
    }
    let fields = fields(text);
    if !fields.iter().any(|f| f.tag == "61") {
        let looks_like_mt940 = fields.iter().any(|f| matches!(f.tag, "20" | "25" | "60F"));
        return Err(if looks_like_mt940 {
            StatementError::NoTransactions
        } else {
            StatementError::NotMt940
        });
    }
    let mut account: Option<String> = None;
    let mut lines: Vec<StatementLine> = Vec::new();
    for field in &fields {
        match field.tag {
            "25" => account = account_digits(&field.value),
            "60F" | "60M" | "62F" | "62M" => check_currency(field)?,
            "61" => lines.push(entry(field, account.as_deref())?),
            "86" => {
                if let Some(last) = lines.last_mut().filter(|l| l.title.is_empty()) {
                    describe(last, &field.value);
                }
            }
            _ => {}
        }
    }
    Ok(lines)
}

/// Splits the file into tags. A line starting `:XX:` or `:XXa:` opens a tag; others continue it.
/// SWIFT envelope lines (`{1:…}`, `{4:`, `-}`) are skipped.
fn fields(text: &str) -> Vec<Field<'_>> {
    let mut fields: Vec<Field<'_>> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches(['\r', '\u{feff}']);
        let line = line.trim_start_matches('\u{feff}');
        if line.starts_with('{') || line.trim() == "-}" || line.trim() == "-" {
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

fn account_digits(value: &str) -> Option<String> {
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    (digits.len() == 26).then_some(digits)
}

/// `:60F:C261031PLN1234,56`: the currency follows the mark and the date.
fn check_currency(field: &Field<'_>) -> Result<(), StatementError> {
    let value = field.value.trim();
    let currency: String = value.chars().skip(7).take(3).collect();
    if currency.len() == 3 && currency != "PLN" && currency.chars().all(|c| c.is_ascii_uppercase())
    {
        return Err(StatementError::Currency {
            line: field.line,
            currency,
        });
    }
    Ok(())
}

/// `:61:YYMMDD[MMDD]{C|D|RC|RD}[funds code]amount{N|F}xxx reference[//bank reference]`
/// and, on the next line, the supplementary details.
fn entry(field: &Field<'_>, account: Option<&str>) -> Result<StatementLine, StatementError> {
    let bad = || StatementError::BadEntry { line: field.line };
    let (first, details) = match field.value.split_once('\n') {
        Some((first, details)) => (first.trim(), Some(details.trim())),
        None => (field.value.trim(), None),
    };
    let date_text = first.get(..6).ok_or_else(bad)?;
    let booked_on = yymmdd(date_text).ok_or_else(|| StatementError::BadDate {
        line: field.line,
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
    let amount = parse_amount(amount_text)
        .filter(|a| a.grosze() > 0)
        .ok_or_else(|| StatementError::BadAmount {
            line: field.line,
            value: amount_text.to_owned(),
        })?;
    // Transaction type: N or F and three characters, then the references.
    let references = after_funds[amount_len..].get(4..).unwrap_or("");
    let (customer_ref, bank_ref) = match references.split_once("//") {
        Some((customer, bank)) => (customer.trim(), bank.trim()),
        None => (references.trim(), ""),
    };
    let bank_reference = [bank_ref, customer_ref]
        .into_iter()
        .find(|r| !r.is_empty() && !r.eq_ignore_ascii_case("NONREF"))
        .map(str::to_owned);
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
        bank_reference,
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

/// Fills title, payer and payer account from a `:86:` value.
fn describe(line: &mut StatementLine, value: &str) {
    // Subfields may wrap onto the next line anywhere; the line breaks carry no meaning.
    let joined: String = value.split('\n').collect::<Vec<_>>().concat();
    let separator = joined
        .chars()
        .find(|c| !c.is_ascii_digit())
        .filter(|c| matches!(c, '~' | '^' | '?'));
    let Some(separator) = separator else {
        line.title = tidy(&joined);
        return;
    };
    let mut title = String::new();
    let mut name = String::new();
    let mut iban: Option<String> = None;
    let mut account: Option<String> = None;
    for part in joined.split(separator).skip(1) {
        let (Some(code), Some(text)) = (part.get(..2), part.get(2..)) else {
            continue;
        };
        match code {
            "20" | "21" | "22" | "23" | "24" | "25" => title.push_str(text),
            "27" | "28" => name.push_str(text),
            "38" => iban = Some(text.trim().to_owned()),
            "31" => account = Some(text.trim().to_owned()),
            _ => {}
        }
    }
    line.title = tidy(&title);
    line.payer_name = Some(tidy(&name)).filter(|n| !n.is_empty());
    line.payer_account = iban.or(account).filter(|a| !a.is_empty());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Money;

    const STATEMENT: &str = ":20:ST261105\r\n\
:25:/PL61109010140000071219812874\r\n\
:28C:00215/001\r\n\
:60F:C261104PLN10000,00\r\n\
:61:2611051105CN120,00N240NONREF//BR26309001\r\n\
61 1090 1014 0000 0712 0000 0042\r\n\
:86:240~00VE02~20Opłata za internet FV/20~2126/11/000123 Zażółć gęśl~22ą jaźń~27JAN KOWALSKI~29UL. ŁĄKOWA 5~38PL27114020040000300201355387\r\n\
:61:261105DN15,50NTRFREF-77\r\n\
:86:Prowizja za prowadzenie rachunku\r\n\
:62F:C261105PLN10104,50\r\n\
-\r\n";

    #[test]
    fn a_polish_statement_reads_into_lines() {
        let lines = parse(STATEMENT).unwrap();
        assert_eq!(lines.len(), 2);
        let credit = &lines[0];
        assert_eq!(credit.line_no, 5);
        assert_eq!(
            credit.booked_on,
            NaiveDate::from_ymd_opt(2026, 11, 5).unwrap()
        );
        assert_eq!(credit.amount, Money::from_grosze(12_000));
        assert_eq!(
            credit.title,
            "Opłata za internet FV/2026/11/000123 Zażółć gęślą jaźń"
        );
        assert_eq!(credit.payer_name.as_deref(), Some("JAN KOWALSKI"));
        assert_eq!(
            credit.payer_account.as_deref(),
            Some("PL27114020040000300201355387")
        );
        assert_eq!(credit.bank_reference.as_deref(), Some("BR26309001"));
        assert_eq!(
            credit.account_to.as_deref(),
            Some("61109010140000071200000042")
        );
        let debit = &lines[1];
        assert_eq!(debit.amount, Money::from_grosze(-1550));
        assert!(!debit.is_credit());
        assert_eq!(debit.title, "Prowizja za prowadzenie rachunku");
        assert_eq!(debit.bank_reference.as_deref(), Some("REF-77"));
        assert_eq!(
            debit.account_to.as_deref(),
            Some("61109010140000071219812874")
        );
    }

    #[test]
    fn reversal_marks_turn_the_direction_around() {
        let text = ":25:/PL61109010140000071219812874\n:61:261105RC10,00NTRFX\n:86:zwrot\n:61:261105RD7,00NTRFY\n:86:zwrot\n";
        let lines = parse(text).unwrap();
        assert_eq!(lines[0].amount, Money::from_grosze(-1000));
        assert_eq!(lines[1].amount, Money::from_grosze(700));
    }

    #[test]
    fn other_subfield_separators_are_understood() {
        let text = ":61:261105C10,00NTRFNONREF\n:86:020^20Abonament^21 listopad^27Anna Nowak\n";
        let line = &parse(text).unwrap()[0];
        assert_eq!(line.title, "Abonament listopad");
        assert_eq!(line.payer_name.as_deref(), Some("Anna Nowak"));
        assert_eq!(line.bank_reference, None);
    }

    #[test]
    fn broken_files_say_what_is_wrong() {
        assert_eq!(parse("  \n"), Err(StatementError::Empty));
        assert_eq!(parse("data;kwota\n1;2\n"), Err(StatementError::NotMt940));
        assert_eq!(
            parse(":20:X\n:25:/PL61109010140000071219812874\n:60F:C261104PLN0,00\n"),
            Err(StatementError::NoTransactions)
        );
        assert_eq!(
            parse(":61:261341C10,00NTRFX\n"),
            Err(StatementError::BadDate {
                line: 1,
                value: "261341".into()
            })
        );
        assert_eq!(
            parse(":61:261105CX,00NTRFX\n"),
            Err(StatementError::BadAmount {
                line: 1,
                value: ",00".into()
            })
        );
        assert_eq!(
            parse(":61:261105Z10,00NTRFX\n"),
            Err(StatementError::BadEntry { line: 1 })
        );
        assert_eq!(
            parse(":60F:C261104EUR10,00\n:61:261105C10,00NTRFX\n"),
            Err(StatementError::Currency {
                line: 1,
                currency: "EUR".into()
            })
        );
    }
}
