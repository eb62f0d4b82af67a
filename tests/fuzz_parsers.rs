//! Hostile input for every parser a user or a bank reaches (issue 24, part 6): proptest-driven
//! fuzzing with a bounded number of cases in CI (proptest's 256 per property) and as many as
//! wanted on demand (`PROPTEST_CASES=100000 cargo test --test fuzz_parsers`). Each parser gets
//! arbitrary text or bytes (no panic, an error or a value), and where a format has a checksum
//! the property is stronger: what we generate as valid parses back to itself, and a single
//! changed digit is always refused. (The bank statement parsers have their own properties in
//! `domain::bank_statement::properties`; here they are reached through the import's reader, as
//! an upload, bytes first.)

use chrono::NaiveDate;
use ebok::app::bank_import::{self, Upload};
use ebok::domain::billing::BillingPeriod;
use ebok::domain::network::MacAddress;
use ebok::domain::tickets::AttachmentKind;
use ebok::domain::{ContractNumber, Money, Nip, Nrb, NumberTemplate, Pesel};
use proptest::prelude::*;

/// Text built from what people type into these fields, plus anything at all.
fn typed_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,64}",
        "[0-9 -]{0,32}",
        "(PL|pl|Pl)?[0-9 \u{a0}-]{0,40}",
        "[0-9]{1,3}([ .][0-9]{3}){0,4}([,.][0-9]{0,4})?( zł| PLN)?",
        "\\{[A-Za-z:0-9]{0,6}\\}?[A-Z/]{0,6}",
    ]
}

/// Replaces the digit at `position` (among the digits of `text`) by another digit.
fn change_one_digit(text: &str, position: usize, by: u8) -> String {
    let digits: Vec<usize> = text
        .char_indices()
        .filter(|(_, c)| c.is_ascii_digit())
        .map(|(i, _)| i)
        .collect();
    let at = digits[position % digits.len()];
    let old = text.as_bytes()[at] - b'0';
    let new = (old + 1 + by % 9) % 10;
    let mut bytes = text.as_bytes().to_vec();
    bytes[at] = b'0' + new;
    String::from_utf8(bytes).unwrap()
}

proptest! {
    #[test]
    fn typed_identifiers_never_panic(text in typed_text()) {
        let _ = Pesel::parse(&text);
        let _ = Nip::parse(&text);
        let _ = Nrb::parse(&text);
        let _ = ContractNumber::parse(&text);
        let _ = Money::parse_pl(&text);
        let _ = MacAddress::parse(&text);
        let _ = BillingPeriod::parse(&text);
        if let Ok(template) = NumberTemplate::parse(&text) {
            let date = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
            let number = template.render(date, 42);
            prop_assert!(number.contains("42"), "{} → {}", text, number);
        }
    }

    #[test]
    fn a_valid_pesel_reads_back_and_one_changed_digit_is_refused(
        days in 0_i64..(500 * 365),
        serial in 0_u16..=9999,
        position in 0_usize..11,
        by in 0_u8..9,
    ) {
        let birth = NaiveDate::from_ymd_opt(1800, 1, 1).unwrap() + chrono::Duration::days(days);
        let pesel = Pesel::from_birth_date_and_serial(birth, serial).unwrap();
        let read = Pesel::parse(&format!("  {}\t", pesel.as_str())).unwrap();
        prop_assert_eq!(read.birth_date(), birth);
        let changed = change_one_digit(pesel.as_str(), position, by);
        prop_assert!(Pesel::parse(&changed).is_err(), "{} accepted", changed);
    }

    #[test]
    fn a_valid_nip_reads_back_in_every_written_form_and_one_changed_digit_is_refused(
        first_nine in "[1-9][0-9]{8}",
        position in 0_usize..10,
        by in 0_u8..9,
    ) {
        let Some(nip) = Nip::from_first_nine(&first_nine) else {
            return Ok(());
        };
        for written in [
            nip.as_str().to_owned(),
            nip.formatted(),
            format!("PL{}", nip.as_str()),
            format!(" pl {} ", nip.formatted()),
        ] {
            let read = Nip::parse(&written).unwrap();
            prop_assert_eq!(read.as_str(), nip.as_str());
        }
        let changed = change_one_digit(nip.as_str(), position, by);
        prop_assert!(Nip::parse(&changed).is_err(), "{} accepted", changed);
    }

    #[test]
    fn a_valid_account_number_reads_back_and_one_changed_digit_is_refused(
        bban in "[0-9]{24}",
        position in 0_usize..26,
        by in 0_u8..9,
    ) {
        let nrb = Nrb::from_bban(&bban).unwrap();
        for written in [nrb.formatted(), nrb.iban(), format!("PL {}", nrb.formatted().replace(' ', "\u{a0}"))] {
            let read = Nrb::parse(&written).unwrap();
            prop_assert_eq!(read.as_str(), nrb.as_str());
        }
        let changed = change_one_digit(nrb.as_str(), position, by);
        prop_assert!(Nrb::parse(&changed).is_err(), "{} accepted", changed);
    }

    #[test]
    fn a_contract_number_is_read_the_same_way_twice(text in "[A-Za-z0-9/._ -]{0,40}") {
        if let Ok(number) = ContractNumber::parse(&text) {
            let again = ContractNumber::parse(number.as_str()).unwrap();
            prop_assert_eq!(again.as_str(), number.as_str());
        }
    }

    #[test]
    fn an_amount_as_printed_reads_back_to_the_grosz(grosze in -100_000_000_000_i64..100_000_000_000) {
        let money = Money::from_grosze(grosze);
        prop_assert_eq!(Money::parse_pl(&money.format_amount()).unwrap(), money);
        prop_assert_eq!(Money::parse_pl(&money.to_string()).unwrap(), money);
    }

    #[test]
    fn uploaded_bytes_never_make_the_type_check_panic(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let _ = AttachmentKind::detect(&bytes);
        let mut pdf = b"%PDF-".to_vec();
        pdf.extend(&bytes);
        prop_assert!(AttachmentKind::detect(&pdf).is_some());
    }

    #[test]
    fn a_bank_statement_upload_of_any_bytes_is_read_or_refused(
        bytes in prop::collection::vec(any::<u8>(), 0..512),
        prefix in prop::sample::select(vec![
            &b""[..], b":20:", b"{1:F01", b"\xEF\xBB\xBFData;", b"110,20261105,", b"\"Data operacji\";",
        ]),
    ) {
        let mut file = prefix.to_vec();
        file.extend(&bytes);
        let _ = bank_import::read(&Upload {
            file_name: "wyciag.txt",
            bytes: &file,
            format: None,
            encoding: None,
        });
    }

    #[test]
    fn an_fa3_document_of_any_text_is_read_or_refused(
        text in ".{0,200}",
        wrapped in any::<bool>(),
    ) {
        let xml = if wrapped {
            format!("<Faktura xmlns=\"http://crd.gov.pl/wzor/2025/06/25/13775/\"><Fa><P_1>{text}</P_1><P_2>{text}</P_2><P_15>{text}</P_15></Fa></Faktura>")
        } else {
            text
        };
        let _ = ebok::ksef::fa3::read_summary(&xml);
    }

    #[test]
    fn a_payu_signature_header_of_any_text_is_checked_or_refused(
        header in "(sender=checkout;)?(signature=[0-9a-f]{0,64};)?(algorithm=(MD5|SHA-256|SHA256|xx);)?.{0,40}",
        body in ".{0,100}",
    ) {
        let _ = ebok::payu::signature::parse_header(&header);
        prop_assert!(ebok::payu::signature::verify(body.as_bytes(), Some(&header), "second-key").is_err());
    }
}
