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

fn lines(text: &str) -> Vec<StatementLine> {
    parse(text).unwrap().lines
}

#[test]
fn a_polish_statement_reads_into_lines() {
    let lines = lines(STATEMENT);
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
    assert_eq!(credit.customer_reference, None);
    assert_eq!(
        credit.account_to.as_deref(),
        Some("61109010140000071200000042")
    );
    let debit = &lines[1];
    assert_eq!(debit.amount, Money::from_grosze(-1550));
    assert!(!debit.is_credit());
    assert_eq!(debit.title, "Prowizja za prowadzenie rachunku");
    // Issue 15, point 5: the payer's reference is not the bank's.
    assert_eq!(debit.bank_reference, None);
    assert_eq!(debit.customer_reference.as_deref(), Some("REF-77"));
    assert_eq!(
        debit.account_to.as_deref(),
        Some("61109010140000071219812874")
    );
}

#[test]
fn reversal_marks_turn_the_direction_around() {
    let text = ":25:/PL61109010140000071219812874\n:61:261105RC10,00NTRFX\n:86:zwrot\n:61:261105RD7,00NTRFY\n:86:zwrot\n";
    let lines = lines(text);
    assert_eq!(lines[0].amount, Money::from_grosze(-1000));
    assert_eq!(lines[1].amount, Money::from_grosze(700));
}

#[test]
fn other_subfield_separators_are_understood() {
    for separator in ['^', '?', '<'] {
        let text = format!(
            ":61:261105C10,00NTRFNONREF\n:86:020{separator}20Abonament{separator}21 listopad{separator}27Anna Nowak\n"
        );
        let line = &lines(&text)[0];
        assert_eq!(line.title, "Abonament listopad", "{separator}");
        assert_eq!(line.payer_name.as_deref(), Some("Anna Nowak"));
        assert_eq!(line.bank_reference, None);
    }
}

/// Issue 15, point 1: SOH, `{1:}{2:}{4:` blocks, `-}` ETX and SUB around several statements,
/// one of them in EUR: the PLN ones are read, the EUR one reported.
#[test]
fn a_swift_envelope_with_several_statements_keeps_pln_and_reports_the_rest() {
    let text = "\u{1}{1:F01BREXPLPWAMBK0000000000}{2:O9401200261105BREXPLPWAMBK00000000002611051200N}{4:\r\n\
:20:MT940/1\r\n:25:/PL61109010140000071219812874\r\n:28C:1/1\r\n:60F:C261104PLN100,00\r\n\
:61:261105C50,00N240NONREF//A1\r\n:86:240~20Abonament\r\n:62F:C261105PLN150,00\r\n-}\u{3}\
\u{1}{1:F01BREXPLPWAMBK0000000000}{2:O9401200261105BREXPLPWAMBK00000000002611051200N}{4:\r\n\
:20:MT940/2\r\n:25:/PL27114020040000300201355387\r\n:28C:1/1\r\n:60F:C261104EUR10,00\r\n\
:61:261105C5,00N240NONREF//E1\r\n:86:240~20EUR transfer\r\n\
:61:261105C6,00N240NONREF//E2\r\n:86:240~20EUR transfer\r\n:62F:C261105EUR21,00\r\n-}\u{3}\
\u{1}{4:\r\n:20:MT940/3\r\n:25:/PL61109010140000071219812874\r\n:60F:C261105PLN150,00\r\n\
:61:261106C20,00N240NONREF//A2\r\n:86:240~20Abonament grudzien\r\n:62F:C261106PLN170,00\r\n-}\u{3}\u{1a}";
    let statement = parse(text).unwrap();
    let references: Vec<_> = statement
        .lines
        .iter()
        .map(|l| l.bank_reference.as_deref().unwrap())
        .collect();
    assert_eq!(references, ["A1", "A2"]);
    assert_eq!(
        statement.skipped,
        vec![SkippedAccount {
            account: "/PL27114020040000300201355387".into(),
            currency: "EUR".into(),
            line: 10,
            transactions: 2,
        }]
    );
    // Only foreign accounts: said plainly instead of an empty preview.
    let only_usd = ":20:X\n:25:/PL27114020040000300201355387\n:60F:C261104USD1,00\n:61:261105C1,00N240NONREF\n:86:x\n";
    assert_eq!(
        parse(only_usd),
        Err(StatementError::NoPlnAccount {
            currencies: "USD".into()
        })
    );
}

/// Issue 15, point 2.
#[test]
fn an_amount_without_decimals_is_whole_zloty() {
    let line = &lines(":61:261105C300,N240NONREF\n:86:abonament\n")[0];
    assert_eq!(line.amount, Money::from_grosze(30_000));
}

/// Issue 15, point 3: PKO BP's 0xFF fillers (read as `˙`) and a number split across ~20/~21.
#[test]
fn fillers_are_dropped_and_split_subfields_joined() {
    let text = ":61:261105C100,00N240NONREF\n:86:240~00VE02~20FV/2026/11/0000~2102˙˙˙˙˙˙˙˙~22˙˙˙˙˙˙˙˙˙˙~23˙˙˙˙~32JAN ~33KOWALSKI\n";
    let line = &lines(text)[0];
    assert_eq!(line.title, "FV/2026/11/000002");
    assert_eq!(line.payer_name.as_deref(), Some("JAN KOWALSKI"));
}

/// Issue 15, point 4: ~32/~33 names, a second :86: line, mBank's ID IPH.
#[test]
fn payer_second_details_line_and_mbank_individual_account() {
    let text = ":25:/PL61109010140000071219812874\n:60F:C261104PLN0,00\n\
:61:261105C10,00N240NONREF//R1\n:86:240~20Abonament~27ANNA~28 NOWAK~32ANNA NOWAK~33 SP. J.\n\
:61:261105C11,00N240NONREF//R2\n:86:240~20Abonament listopad~32PIOTR ZIELINSKI\n:86:FV/2026/11/000007\n\
:61:261105C12,00N240NONREF//R3\n:86:PRZELEW ZEWNETRZNY PRZYCHODZACY ID IPH: 61 1090 1014 0000 0712 0000 0042 ABONAMENT\n\
:62F:C261105PLN33,00\n:86:Informacja o rachunku, nie o operacji\n";
    let lines = lines(text);
    assert_eq!(lines[0].payer_name.as_deref(), Some("ANNA NOWAK SP. J."));
    assert_eq!(lines[1].title, "Abonament listopad FV/2026/11/000007");
    assert_eq!(lines[1].payer_name.as_deref(), Some("PIOTR ZIELINSKI"));
    assert_eq!(
        lines[2].account_to.as_deref(),
        Some("61109010140000071200000042")
    );
    assert_eq!(
        lines[1].account_to.as_deref(),
        Some("61109010140000071219812874")
    );
}

#[test]
fn an_interim_mt942_report_reads_the_same_way() {
    let text = ":20:MT942/1\n:25:/PL61109010140000071219812874\n:28C:1/1\n:34F:PLND0,\n:13D:2611051200+0100\n\
:61:261105C45,50N240NONREF//I1\n:86:240~20Abonament~32JAN KOWALSKI\n:90C:1PLN45,50\n";
    let line = &lines(text)[0];
    assert_eq!(line.amount, Money::from_grosze(4_550));
    assert_eq!(line.payer_name.as_deref(), Some("JAN KOWALSKI"));
    let eur = text.replace("PLND0,", "EURD0,");
    assert!(matches!(
        parse(&eur),
        Err(StatementError::NoPlnAccount { .. })
    ));
}

#[test]
fn broken_files_say_what_is_wrong() {
    assert_eq!(parse("  \n"), Err(StatementError::Empty));
    assert_eq!(parse("\u{1}\u{3}\n"), Err(StatementError::Empty));
    assert_eq!(parse("data;kwota\n1;2\n"), Err(StatementError::NotMt940));
    assert_eq!(
        parse(":20:X\n:25:/PL61109010140000071219812874\n:60F:C261104PLN0,00\n"),
        Err(StatementError::NoTransactions)
    );
    assert_eq!(
        parse(":61:261341C10,00NTRFX\n"),
        Err(StatementError::BadDate {
            line: 1,
            column: None,
            value: "261341".into()
        })
    );
    for amount in [",00", "10", ""] {
        assert_eq!(
            parse(&format!(":61:261105C{amount}NTRFX\n")),
            Err(StatementError::BadAmount {
                line: 1,
                column: None,
                value: amount.into()
            }),
            "{amount}"
        );
    }
    assert_eq!(
        parse(":61:261105Z10,00NTRFX\n"),
        Err(StatementError::BadEntry { line: 1 })
    );
}
