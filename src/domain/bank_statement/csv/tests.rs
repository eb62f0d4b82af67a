use super::*;
use crate::domain::Money;
use chrono::NaiveDate;

fn lines(text: &str) -> Vec<StatementLine> {
    parse(text).unwrap().lines
}

#[test]
fn the_documented_order_without_a_header() {
    let lines = lines(
        "2026-11-05;120,00;Abonament FV/2026/11/000001;Zofia Żak;61 1090 1014 0000 0712 0000 0042;R1\n\
         05.11.2026;-10.50;Opłata;;;\n",
    );
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
    let lines = lines("Kwota;Data;Tytuł\n\"1 000,00\";2026-11-06;\"Wpłata; \"\"listopad\"\"\"\n");
    assert_eq!(lines[0].amount, Money::from_grosze(100_000));
    assert_eq!(
        lines[0].booked_on,
        NaiveDate::from_ymd_opt(2026, 11, 6).unwrap()
    );
    assert_eq!(lines[0].title, "Wpłata; \"listopad\"");
    assert_eq!(lines[0].line_no, 2);
}

/// Issue 15, point 7: a header ending in `;`, "1.234,56", a quoted title with a line break.
#[test]
fn what_spreadsheets_write_is_accepted() {
    let lines = lines(
        "data;kwota;tytuł;nadawca;\n\
         2026-11-05;1.234,56;\"Abonament\r\nFV/2026/11/000001\";Jan Kowalski;\n\
         2026-11-06;20,00;Dopłata;;\n",
    );
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].amount, Money::from_grosze(123_456));
    assert_eq!(lines[0].title, "Abonament FV/2026/11/000001");
    assert_eq!(lines[0].payer_name.as_deref(), Some("Jan Kowalski"));
    assert_eq!(lines[1].line_no, 4, "the record after a two-line title");
}

#[test]
fn broken_files_say_where_and_why() {
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
            column: Some(2),
            value: "abc".into()
        })
    );
    assert_eq!(
        parse("tytuł;data;kwota\nx;2026-11-05;1,00\n\"two\nlines\";2026-13-05;1,00\n"),
        Err(StatementError::BadDate {
            line: 3,
            column: Some(2),
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
    assert_eq!(
        parse("2026-11-05;1,00;\"never closed\n2026-11-06;2,00;x\n"),
        Err(StatementError::UnclosedQuote { line: 1, column: 3 })
    );
}

#[test]
fn a_bank_export_with_notes_before_the_header_and_a_summary_after() {
    let text = "#Klient;\n#JAN KOWALSKI;\n\n#Za okres:;\n2026-11-01;2026-11-30;\n\n\
#Data księgowania;#Data operacji;#Opis operacji;#Tytuł;#Nadawca/Odbiorca;#Numer konta;#Kwota;#Saldo po operacji;\n\
2026-11-05;2026-11-05;PRZELEW ZEWNĘTRZNY PRZYCHODZĄCY;\"FV/2026/11/000003\";\"ANNA NOWAK  UL. POLNA 1\";'27114020040000300201355387';120,00 PLN;1 120,00 PLN;\n\
2026-11-06;2026-11-06;PRZELEW WALUTOWY;\"invoice\";\"ACME\";'';10,00 EUR;;\n\
\n#Saldo końcowe;1 120,00 PLN;\n";
    let statement = parse(text).unwrap();
    assert_eq!(statement.layout, Some("mBank"));
    assert_eq!(statement.lines.len(), 1, "{statement:?}");
    assert_eq!(
        statement.skipped,
        vec![SkippedAccount {
            account: String::new(),
            currency: "EUR".into(),
            line: 9,
            transactions: 1
        }]
    );
    let line = &statement.lines[0];
    assert_eq!(line.line_no, 8);
    assert_eq!(line.amount, Money::from_grosze(12_000));
    assert_eq!(line.title, "FV/2026/11/000003");
    assert_eq!(
        line.payer_account.as_deref(),
        Some("27114020040000300201355387")
    );
}
