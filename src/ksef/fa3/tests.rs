use crate::domain::PriceKind;
use std::path::PathBuf;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::*;
use crate::domain::issued_invoice::CorrectedInvoice;
use crate::domain::vat::{self, LineInput};
use crate::domain::{Nip, Nrb};
use crate::ksef::schema::SchemaDir;

/// `../shared/ksef-fa3` beside the repository, or `EBOK_KSEF_SCHEMA_DIR`.
pub(crate) fn schema() -> SchemaDir {
    let dir = std::env::var_os("EBOK_KSEF_SCHEMA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/ksef-fa3"));
    SchemaDir::new(dir).expect("the FA(3) schema folder is where the tests expect it")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid test date")
}

fn party(name: &str, nip: Option<&str>) -> InvoiceParty {
    InvoiceParty {
        name: name.into(),
        nip: nip.map(|n| Nip::parse(n).expect("a valid test NIP")),
        address_line: "ul. Światłowodowa 1".into(),
        postal_code: "00-001".into(),
        city: "Warszawa".into(),
    }
}

/// Lines on one side, with amounts computed as issuing computes them.
fn lines(
    side: LineSide,
    method: PriceKind,
    spec: &[(&str, &str, i64, VatRate)],
) -> Vec<IssuedLine> {
    let inputs: Vec<LineInput> = spec
        .iter()
        .map(|(name, quantity, price, rate)| LineInput {
            name: (*name).into(),
            quantity: quantity.parse().expect("a test quantity"),
            unit_price: Money::from_grosze(*price),
            rate: *rate,
        })
        .collect();
    let totals = vat::compute(&inputs, method).expect("valid test lines");
    inputs
        .into_iter()
        .zip(totals.lines)
        .map(|(input, amounts)| IssuedLine {
            side,
            name: input.name,
            unit: "mies.".into(),
            quantity: input.quantity,
            unit_price: input.unit_price,
            rate: input.rate,
            net: amounts.net,
            vat: amounts.vat,
            gross: amounts.gross,
        })
        .collect()
}

fn invoice(buyer_nip: Option<&str>, lines: Vec<IssuedLine>) -> IssuedInvoice {
    let method = PriceKind::for_buyer(buyer_nip.is_some());
    let mut invoice = IssuedInvoice {
        number: "FV/2026/05/000123".into(),
        kind: IssuedKind::Invoice,
        issue_date: day(2026, 5, 1),
        issued_at: day(2026, 5, 1).and_hms_opt(6, 0, 0).expect("a valid time"),
        sale_date: None,
        period: Some((day(2026, 5, 1), day(2026, 5, 31))),
        due_date: day(2026, 5, 15),
        seller: party("Przykładowy Operator Sp. z o.o.", Some("6182007145")),
        buyer: party(
            if buyer_nip.is_some() {
                "Firma Testowa Sp. z o.o."
            } else {
                "Jan Kowalski"
            },
            buyer_nip,
        ),
        customer_number: 1234,
        bank_account: Nrb::parse("53 1020 1026 7777 0000 0000 1234").expect("a valid test NRB"),
        method,
        split_payment: false,
        lines,
        total_net: Money::zero(),
        total_vat: Money::zero(),
        total_gross: Money::zero(),
    };
    // A correction's lines are totalled once it is made a correction (see `correction`).
    if invoice.lines_on(LineSide::Line).next().is_some() {
        fix_totals(&mut invoice);
    }
    invoice
}

/// Stores the totals the issuing path would have stored.
fn fix_totals(invoice: &mut IssuedInvoice) {
    let totals = invoice.computed_totals().expect("valid test lines");
    invoice.total_net = totals.net;
    invoice.total_vat = totals.vat;
    invoice.total_gross = totals.gross;
}

fn consumer_invoice() -> IssuedInvoice {
    invoice(
        None,
        lines(
            LineSide::Line,
            PriceKind::Gross,
            &[
                (
                    "Abonament: internet 600 Mb/s",
                    "1",
                    7999,
                    VatRate::Standard23,
                ),
                ("Dzierżawa routera Wi-Fi", "1", 999, VatRate::Standard23),
            ],
        ),
    )
}

fn business_invoice() -> IssuedInvoice {
    invoice(
        Some("5265877635"),
        lines(
            LineSide::Line,
            PriceKind::Net,
            &[
                ("Internet biznes 1 Gb/s", "1", 39900, VatRate::Standard23),
                ("Publiczne adresy IPv4", "4", 1250, VatRate::Standard23),
                ("Usługa gastronomiczna", "2.5", 1999, VatRate::Reduced8),
                ("Dostęp do internetu na statku", "1", 5000, VatRate::Zero),
                (
                    "Usługa dla podatnika z UE",
                    "1",
                    10000,
                    VatRate::NotTaxableEu,
                ),
            ],
        ),
    )
}

fn correction(original_ksef_number: Option<&str>) -> IssuedInvoice {
    let mut lines_before = lines(
        LineSide::Before,
        PriceKind::Net,
        &[(
            "Abonament: internet biznes 500 Mb/s",
            "1",
            20000,
            VatRate::Standard23,
        )],
    );
    lines_before.extend(lines(
        LineSide::After,
        PriceKind::Net,
        &[(
            "Abonament: internet biznes 500 Mb/s",
            "1",
            18000,
            VatRate::Standard23,
        )],
    ));
    let mut invoice = invoice(Some("5265877635"), lines_before);
    invoice.number = "FK/2026/05/000007".into();
    invoice.issue_date = day(2026, 5, 12);
    invoice.kind = IssuedKind::Correction {
        corrected: CorrectedInvoice {
            number: "FV/2026/05/000456".into(),
            issue_date: day(2026, 5, 2),
            ksef_number: original_ksef_number.map(str::to_owned),
        },
        reason: "Obniżka abonamentu za przerwę w świadczeniu usługi".into(),
    };
    fix_totals(&mut invoice);
    invoice
}

fn built(invoice: &IssuedInvoice) -> (String, Fa3Summary) {
    let text = build(invoice).expect("the invoice makes an FA(3) document");
    schema()
        .validate(text.as_bytes())
        .expect("the document is valid FA(3)");
    let summary = read_summary(&text).expect("the document reads back");
    (text, summary)
}

#[test]
fn a_consumer_invoice_is_valid_fa3_with_brakid_and_the_billing_period() {
    let invoice = consumer_invoice();
    let (xml, summary) = built(&invoice);
    assert!(xml.contains("<BrakID>1</BrakID>"));
    assert!(xml.contains("<P_6_Od>2026-05-01</P_6_Od>"));
    assert!(xml.contains("<P_9B>79.99</P_9B>"), "gross unit prices");
    assert!(xml.contains("<NrRB>53102010267777000000001234</NrRB>"));
    assert_eq!(summary.buyer_nip, None);
    assert_eq!(summary.kind, "VAT");
    // pl-invoicing §1.3: 79,99 + 9,99 gross at 23 % is 89,98 (VAT 16,83, net 73,15).
    assert_eq!(
        summary.per_rate,
        vec![
            ("P_13_1".to_owned(), Money::from_grosze(7315)),
            ("P_14_1".to_owned(), Money::from_grosze(1683)),
        ]
    );
    assert_eq!(summary.total, invoice.total_gross);
    assert_eq!(summary.total, Money::from_grosze(8998));
}

#[test]
fn a_business_invoice_states_every_rate_in_its_own_field_to_the_grosz() {
    let invoice = business_invoice();
    let (xml, summary) = built(&invoice);
    assert!(xml.contains("<NIP>5265877635</NIP>"));
    assert!(xml.contains("<P_9A>12.50</P_9A>"), "net unit prices");
    assert!(xml.contains("<P_8B>2.5</P_8B>"));
    assert!(xml.contains("<P_18>1</P_18>"), "np II is reverse charge");
    let totals = invoice.stated_totals().expect("consistent");
    let fields: Vec<&str> = summary.per_rate.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        ["P_13_1", "P_14_1", "P_13_2", "P_14_2", "P_13_6_1", "P_13_9"]
    );
    let net_sum: Money = summary
        .per_rate
        .iter()
        .filter(|(f, _)| f.starts_with("P_13"))
        .map(|(_, m)| *m)
        .sum();
    let vat_sum: Money = summary
        .per_rate
        .iter()
        .filter(|(f, _)| f.starts_with("P_14"))
        .map(|(_, m)| *m)
        .sum();
    assert_eq!(net_sum, invoice.total_net);
    assert_eq!(vat_sum, invoice.total_vat);
    assert_eq!(summary.total, invoice.total_gross);
    assert_eq!(summary.total, totals.gross);
}

#[test]
fn a_correction_is_kor_with_the_difference_and_the_corrected_invoices_ksef_number() {
    let invoice = correction(Some("5265877635-20250826-0100001AF629-AF"));
    let (xml, summary) = built(&invoice);
    assert_eq!(summary.kind, "KOR");
    assert_eq!(
        summary.corrected_ksef_number.as_deref(),
        Some("5265877635-20250826-0100001AF629-AF")
    );
    assert!(xml.contains("<StanPrzed>1</StanPrzed>"));
    assert!(xml.contains("<NrFaKorygowanej>FV/2026/05/000456</NrFaKorygowanej>"));
    // 200,00 → 180,00 net at 23 %: −20,00 net, −4,60 VAT, −24,60 in total.
    assert_eq!(
        summary.per_rate,
        vec![
            ("P_13_1".to_owned(), Money::from_grosze(-2000)),
            ("P_14_1".to_owned(), Money::from_grosze(-460)),
        ]
    );
    assert_eq!(summary.total, Money::from_grosze(-2460));
    assert_eq!(summary.total, invoice.total_gross);
    assert!(!xml.contains("<Platnosc>"), "nothing to pay on a reduction");
}

#[test]
fn a_correction_of_an_invoice_outside_ksef_says_so() {
    let (xml, summary) = built(&correction(None));
    assert!(xml.contains("<NrKSeFN>1</NrKSeFN>"));
    assert_eq!(summary.corrected_ksef_number, None);
}

#[test]
fn split_payment_and_text_needing_escapes_are_written_correctly() {
    let mut invoice = business_invoice();
    invoice.split_payment = true;
    invoice.buyer.name = "Kowalski & Syn <Sp. j.>".into();
    let (xml, _) = built(&invoice);
    assert!(xml.contains("<P_18A>1</P_18A>"));
    assert!(xml.contains("Kowalski &amp; Syn &lt;Sp. j.&gt;"));
}

#[test]
fn the_document_is_utf8_without_bom_with_only_the_xml_declaration() {
    let text = build(&consumer_invoice()).expect("builds");
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert!(!text.starts_with('\u{feff}'));
    assert_eq!(text.matches("<?").count(), 1);
    assert!(text.contains("Dzierżawa"));
}

#[test]
fn building_twice_gives_the_same_bytes() {
    let invoice = business_invoice();
    assert_eq!(build(&invoice).ok(), build(&invoice).ok());
}

#[test]
fn stored_totals_that_differ_from_the_lines_are_refused() {
    let mut invoice = consumer_invoice();
    invoice.total_gross += Money::from_grosze(1);
    assert!(matches!(
        build(&invoice),
        Err(Fa3Error::Amounts(IssuedInvoiceError::TotalsDisagree(_)))
    ));
}

#[test]
fn an_exempt_line_is_refused_because_the_basis_is_not_stored() {
    let invoice = invoice(
        None,
        lines(
            LineSide::Line,
            PriceKind::Gross,
            &[("Usługa zwolniona", "1", 1000, VatRate::Exempt)],
        ),
    );
    assert_eq!(build(&invoice), Err(Fa3Error::ExemptWithoutBasis));
}

#[test]
fn a_seller_without_nip_or_a_too_long_name_gets_a_clear_error() {
    let mut invoice = consumer_invoice();
    invoice.buyer.name = "x".repeat(513);
    assert_eq!(
        build(&invoice),
        Err(Fa3Error::TooLong {
            field: "Nazwa",
            limit: 512
        })
    );
    invoice.seller.nip = None;
    assert_eq!(build(&invoice), Err(Fa3Error::SellerWithoutNip));
}

#[test]
fn the_validation_harness_accepts_the_ministrys_sample_and_the_examples_and_rejects_a_broken_copy()
{
    let schema = schema();
    let read = |name: &str| std::fs::read(schema.path().join(name)).expect("the sample exists");
    for name in [
        "sample-invoice-ksef-pdf-generator.xml",
        "examples/example-isp-b2c-gross-okresfa.xml",
        "examples/example-isp-b2b-korekta.xml",
    ] {
        schema
            .validate(&read(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let broken = String::from_utf8(read("examples/example-isp-b2b-korekta.xml"))
        .expect("UTF-8")
        .replace("<P_12>23</P_12>", "<P_12>22.5</P_12>");
    assert!(matches!(
        schema.validate(broken.as_bytes()),
        Err(crate::ksef::schema::SchemaError::Invalid(_))
    ));
}

#[test]
fn amounts_read_back_to_the_grosz() {
    for (text, grosze) in [
        ("0.5", 50),
        ("-24.60", -2460),
        ("1234", 123400),
        ("0.01", 1),
    ] {
        assert_eq!(
            read::parse_amount("P_15", text),
            Ok(Money::from_grosze(grosze))
        );
    }
    for bad in ["", "1.234", "1,00", "abc", "-"] {
        assert!(read::parse_amount("P_15", bad).is_err(), "{bad}");
    }
}

#[test]
fn quantities_keep_their_decimals_without_trailing_zeros() {
    assert_eq!(quantity(Decimal::new(2500, 3)), "2.5");
    assert_eq!(quantity(Decimal::ONE), "1");
}
