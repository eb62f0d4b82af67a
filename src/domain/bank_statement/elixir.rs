//! Elixir-0, the format of KIR's domestic clearing, as banks export the transfers an account
//! received (for mass payment identification, or when MT940 is not offered): one payment per
//! record, fields separated by commas, text in double quotes, lines of a text field separated by
//! `|`. Every record is money received.
//!
//! Fields (1-based): 1 payment type (110 transfer, 120 ZUS, 210 direct debit…), 2 date
//! YYYYMMDD, 3 amount in grosze, 4 payer's bank sort code, 5 zero, 6 payer's account,
//! 7 the account credited (the customer's individual account), 8 payer's name and address,
//! 9 recipient's name and address, 10 zero, 11 recipient's bank sort code, 12 title,
//! 13–14 empty, 15 classification, 16 a reference. What banks put in field 16 differs (the
//! ordering customer's reference, or theirs), so it is kept as the payer's reference, which
//! never makes a transaction unique on its own.

use super::records::records;
use super::{Statement, StatementError, StatementLine, account_digits, parse_date, tidy};
use crate::domain::Money;

pub fn parse(text: &str) -> Result<Statement, StatementError> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(StatementError::Empty);
    }
    let mut lines = Vec::new();
    for record in records(text, ',')? {
        if record.is_blank() {
            continue;
        }
        let field = |n: usize| record.cells.get(n - 1).map(|c| c.trim()).unwrap_or("");
        let kind = field(1);
        if kind.len() != 3 || !kind.bytes().all(|b| b.is_ascii_digit()) {
            return Err(if lines.is_empty() {
                StatementError::NotElixir
            } else {
                StatementError::MissingField {
                    line: record.line,
                    field: "payment type",
                }
            });
        }
        let date = field(2);
        let booked_on = Some(date)
            .filter(|d| d.len() == 8)
            .and_then(parse_date)
            .ok_or_else(|| StatementError::BadDate {
                line: record.line,
                column: Some(2),
                value: date.to_owned(),
            })?;
        let amount = field(3);
        let grosze = Some(amount)
            .filter(|a| !a.is_empty() && a.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|a| a.parse::<i64>().ok())
            .filter(|g| *g > 0)
            .ok_or_else(|| StatementError::BadAmount {
                line: record.line,
                column: Some(3),
                value: amount.to_owned(),
            })?;
        // `|` separates the lines of a text field; the title's pieces are cut at 35 characters.
        let payer = field(8)
            .split('|')
            .next()
            .map(tidy)
            .filter(|p| !p.is_empty());
        let reference = Some(field(16).to_owned()).filter(|r| !r.is_empty());

        lines.push(StatementLine {
            line_no: record.line,
            booked_on,
            amount: Money::from_grosze(grosze),
            title: tidy(&field(12).replace('|', "")),
            payer_name: payer,
            payer_account: account_digits(field(6)),
            account_to: account_digits(field(7)),
            bank_reference: None,
            customer_reference: reference,
        });
    }
    if lines.is_empty() {
        return Err(StatementError::NoTransactions);
    }
    Ok(Statement {
        lines,
        skipped: Vec::new(),
        layout: None,
    })
}

/// Whether the text looks like Elixir-0: a first record of a payment type and a date.
pub fn looks_like(text: &str) -> bool {
    let start = text.trim_start_matches('\u{feff}').trim_start();
    let mut fields = start.splitn(3, ',');
    let kind = fields.next().unwrap_or("");
    let date = fields.next().unwrap_or("");
    kind.len() == 3
        && kind.bytes().all(|b| b.is_ascii_digit())
        && date.len() == 8
        && parse_date(date).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "110,20261105,12000,10901014,0,\"27114020040000300201355387\",\"61109010140000071200000042\",\"JAN KOWALSKI|UL. ŁĄKOWA 5|90-001 ŁÓDŹ\",\"DOSTAWCA INTERNETU SP. Z O.O.\",0,10901014,\"ABONAMENT FV/2026/11/0000|02||\",\"\",\"\",\"51\",\"ELX0001\"\r\n\
110,20261106,30000,10201026,0,\"58102010267777000000009001\",\"58102010267777000000009001\",\"ANNA ŻAK\",\"DOSTAWCA\",0,10201026,\"Wpłata\",\"\",\"\",\"51\",\"\"\r\n";

    #[test]
    fn received_transfers_read_into_credits() {
        assert!(looks_like(FILE));
        let lines = parse(FILE).unwrap().lines;
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].amount, Money::from_grosze(12_000));
        assert_eq!(lines[0].title, "ABONAMENT FV/2026/11/000002");
        assert_eq!(lines[0].payer_name.as_deref(), Some("JAN KOWALSKI"));
        assert_eq!(
            lines[0].account_to.as_deref(),
            Some("61109010140000071200000042")
        );
        assert_eq!(lines[0].customer_reference.as_deref(), Some("ELX0001"));
        assert_eq!(lines[0].bank_reference, None);
        assert_eq!(lines[1].customer_reference, None);
        assert_eq!(lines[1].line_no, 2);
    }

    #[test]
    fn broken_records_say_where() {
        assert!(!looks_like("date;amount\n"));
        assert_eq!(parse("date,amount\n"), Err(StatementError::NotElixir));
        assert_eq!(
            parse("110,20261105,12.00,1,0,\"\",\"\",\"X\"\n"),
            Err(StatementError::BadAmount {
                line: 1,
                column: Some(3),
                value: "12.00".into()
            })
        );
        assert_eq!(
            parse("110,20261341,1200\n"),
            Err(StatementError::BadDate {
                line: 1,
                column: Some(2),
                value: "20261341".into()
            })
        );
    }
}
