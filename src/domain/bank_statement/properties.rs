//! Properties every parser keeps, whatever a file holds: no input makes one panic, and an
//! amount written the way banks write it reads back as the same amount.

use proptest::prelude::*;

use super::{csv, elixir, mt940, parse_amount};
use crate::domain::Money;

/// Text made of what statement files are made of, so the parsers get past their first checks.
fn statement_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        ":20:",
        ":25:/PL",
        ":28C:",
        ":60F:C261104PLN",
        ":61:",
        "261105",
        "1105",
        "C",
        "D",
        "RC",
        "N240",
        "NONREF",
        "//",
        ":86:",
        "~20",
        "~21",
        "~32",
        "~38",
        "^20",
        "ID IPH:",
        ":62F:",
        ":34F:PLND",
        "EUR",
        "PLN",
        "300,",
        "12,5",
        ",",
        ";",
        "\"",
        "\"\"",
        "\r\n",
        "\n",
        "-}",
        "{1:F01}{4:",
        "\u{1}",
        "\u{3}",
        "\u{1a}",
        "˙",
        "Zażółć",
        "1.234,56",
        "2026-11-05",
        "05.11.2026",
        "110,20261105,",
        "12000",
        "#Data operacji;#Kwota;#Opis operacji",
        "data;kwota;tytuł;",
        "61109010140000071200000042",
        " ",
        "ą",
        "\u{feff}",
        "9",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|p| p.concat())
}

/// An amount as the banks write it, with the grosze it means.
fn written_amount() -> impl Strategy<Value = (String, i64)> {
    (0i64..100_000_000_000, 0usize..5, any::<bool>()).prop_map(|(grosze, style, negative)| {
        let money = Money::from_grosze(grosze);
        let (zl, gr) = (grosze / 100, grosze % 100);
        let grouped = |mark: &str| {
            let digits = zl.to_string();
            let mut out = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    out.push_str(mark);
                }
                out.push(c);
            }
            out
        };
        let text = match style {
            0 => money.format_amount(),
            // SWIFT: no thousands marks, and "300," for whole zloty.
            1 if gr == 0 => format!("{zl},"),
            1 => format!("{zl},{gr:02}"),
            2 => format!("{},{gr:02}", grouped(".")),
            3 => format!("{}.{gr:02}", grouped(",")),
            _ => format!("{},{gr:02} PLN", grouped("\u{a0}")),
        };
        if negative && grosze > 0 {
            (format!("-{text}"), -grosze)
        } else {
            (text, grosze)
        }
    })
}

proptest! {
    #[test]
    fn no_input_makes_a_parser_panic(text in statement_like(), noise in ".{0,200}") {
        for input in [text.as_str(), noise.as_str(), &format!("{text}{noise}")] {
            let _ = mt940::parse(input);
            let _ = csv::parse(input);
            let _ = elixir::parse(input);
            let _ = parse_amount(input);
        }
    }

    #[test]
    fn an_amount_survives_being_written_and_read((text, grosze) in written_amount()) {
        prop_assert_eq!(parse_amount(&text), Some(Money::from_grosze(grosze)), "{}", text);
    }

    #[test]
    fn an_mt940_amount_survives_the_statement(grosze in 1i64..100_000_000_000) {
        let (zl, gr) = (grosze / 100, grosze % 100);
        let amount = if gr == 0 { format!("{zl},") } else { format!("{zl},{gr:02}") };
        let text = format!(":20:X\n:25:/PL61109010140000071219812874\n:60F:C261104PLN0,\n:61:261105C{amount}N240NONREF//R1\n:86:240~20abonament\n");
        let statement = mt940::parse(&text).expect("a well-formed statement");
        prop_assert_eq!(statement.lines[0].amount, Money::from_grosze(grosze));
    }

    #[test]
    fn a_csv_amount_survives_the_file(grosze in 1i64..100_000_000_000) {
        let amount = Money::from_grosze(grosze).format_amount();
        let text = format!("data;kwota;tytuł;\n2026-11-05;\"{amount}\";abonament;\n");
        let statement = csv::parse(&text).expect("a well-formed file");
        prop_assert_eq!(statement.lines[0].amount, Money::from_grosze(grosze));
    }
}
