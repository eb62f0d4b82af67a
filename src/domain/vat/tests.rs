use crate::domain::PriceKind;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::*;

fn zl(s: &str) -> Money {
    Money::parse_pl(s).expect("test amount is valid")
}

fn line(quantity: Decimal, unit_price: &str, rate: VatRate) -> LineInput {
    LineInput {
        name: "Internet 300 Mb/s".to_owned(),
        quantity,
        unit_price: zl(unit_price),
        rate,
    }
}

fn rate_row(totals: &InvoiceTotals, rate: VatRate) -> &RateSummary {
    totals
        .per_rate
        .iter()
        .find(|r| r.rate == rate)
        .expect("rate is on the invoice")
}

/// (net, VAT, gross) of one rate.
fn row(totals: &InvoiceTotals, rate: VatRate) -> [Money; 3] {
    let r = rate_row(totals, rate);
    [r.net, r.vat, r.gross]
}

/// (net, VAT, gross) of the whole invoice.
fn sums(totals: &InvoiceTotals) -> [Money; 3] {
    [totals.net, totals.vat, totals.gross]
}

fn zls(net: &str, vat: &str, gross: &str) -> [Money; 3] {
    [zl(net), zl(vat), zl(gross)]
}

// --- rate codes ---

#[test]
fn every_rate_parses_back_from_its_own_code() {
    for rate in VatRate::ALL {
        assert_eq!(VatRate::parse(rate.code()), Ok(rate));
    }
}

#[test]
fn short_and_legacy_codes_are_accepted() {
    assert_eq!(VatRate::parse("0"), Ok(VatRate::Zero));
    assert_eq!(VatRate::parse("np"), Ok(VatRate::NotTaxableAbroad));
    assert_eq!(VatRate::parse(" ZW "), Ok(VatRate::Exempt));
    assert_eq!(VatRate::parse("np  II"), Ok(VatRate::NotTaxableEu));
    assert_eq!(VatRate::parse("0 kr"), Ok(VatRate::Zero));
}

#[test]
fn unknown_codes_are_rejected_with_the_input() {
    for code in ["22", "7", "23%", "0 WDT", "oo", "", "np III"] {
        assert_eq!(
            VatRate::parse(code),
            Err(VatError::UnknownRate(code.to_owned())),
            "{code:?}"
        );
    }
}

#[test]
fn only_taxed_rates_have_a_percentage() {
    assert_eq!(VatRate::Standard23.percent(), Some(dec!(23)));
    assert_eq!(VatRate::Zero.percent(), Some(Decimal::ZERO));
    assert_eq!(VatRate::Exempt.percent(), None);
    assert_eq!(VatRate::NotTaxableEu.percent(), None);
}

#[test]
fn labels_are_as_printed_on_polish_invoices() {
    let labels: Vec<&str> = VatRate::ALL.iter().map(|r| r.label_pl()).collect();
    assert_eq!(labels, ["23%", "8%", "5%", "0%", "zw", "np.", "np."]);
}

#[test]
fn rate_serialises_as_its_fa3_code_and_back() {
    let json = serde_json::to_string(&VatRate::NotTaxableAbroad).expect("serialises");
    assert_eq!(json, r#""np I""#);
    let back: VatRate = serde_json::from_str(r#""0 KR""#).expect("deserialises");
    assert_eq!(back, VatRate::Zero);
    assert!(serde_json::from_str::<VatRate>(r#""22""#).is_err());
}

#[test]
fn buyers_with_nip_get_the_net_method_and_consumers_the_gross_method() {
    assert_eq!(PriceKind::for_buyer(true), PriceKind::Net);
    assert_eq!(PriceKind::for_buyer(false), PriceKind::Gross);
}

// --- worked examples (pl-invoicing §1.3) ---

#[test]
fn gross_method_keeps_the_advertised_price_79_99_plus_9_99() {
    let lines = [
        line(dec!(1), "79,99", VatRate::Standard23),
        line(dec!(1), "9,99", VatRate::Standard23),
    ];
    let totals = compute(&lines, PriceKind::Gross).expect("computes");
    assert_eq!(
        row(&totals, VatRate::Standard23),
        zls("73,15", "16,83", "89,98")
    );
    assert_eq!(sums(&totals), zls("73,15", "16,83", "89,98"));
    assert_eq!(totals.lines[0].gross, zl("79,99"));
    assert_eq!(totals.lines[1].gross, zl("9,99"));
}

#[test]
fn net_method_on_the_same_nets_computes_vat_on_the_net_sum() {
    // The §1.3 trap: nets 65,03 + 8,12 taxed per rate give 16,82 and 89,97, not the price list's
    // 89,98; correct for net-priced B2B invoices, which is why consumers get the gross method.
    let lines = [
        line(dec!(1), "65,03", VatRate::Standard23),
        line(dec!(1), "8,12", VatRate::Standard23),
    ];
    let totals = compute(&lines, PriceKind::Net).expect("computes");
    assert_eq!(sums(&totals), zls("73,15", "16,82", "89,97"));
}

#[test]
fn mixed_23_8_and_exempt_invoice_sums_per_rate_in_fa3_order() {
    let lines = [
        line(dec!(1), "100,00", VatRate::Exempt),
        line(dec!(1), "59,99", VatRate::Standard23),
        line(dec!(2), "10,01", VatRate::Reduced8),
        line(dec!(3), "0,33", VatRate::Standard23),
    ];
    let totals = compute(&lines, PriceKind::Net).expect("computes");
    let rates: Vec<VatRate> = totals.per_rate.iter().map(|r| r.rate).collect();
    assert_eq!(
        rates,
        [VatRate::Standard23, VatRate::Reduced8, VatRate::Exempt]
    );
    // 59,99 + 0,99 = 60,98 net; × 23 % = 14,0254 → 14,03.
    assert_eq!(
        row(&totals, VatRate::Standard23),
        zls("60,98", "14,03", "75,01")
    );
    // 20,02 × 8 % = 1,6016 → 1,60.
    assert_eq!(
        row(&totals, VatRate::Reduced8),
        zls("20,02", "1,60", "21,62")
    );
    assert_eq!(row(&totals, VatRate::Exempt), zls("100,00", "0", "100,00"));
    assert_eq!(sums(&totals), zls("181,00", "15,63", "196,63"));
}

#[test]
fn mixed_invoice_by_the_gross_method_extracts_vat_per_rate() {
    let lines = [
        line(dec!(1), "79,99", VatRate::Standard23),
        line(dec!(1), "10,80", VatRate::Reduced8),
        line(dec!(1), "50,00", VatRate::Exempt),
    ];
    let totals = compute(&lines, PriceKind::Gross).expect("computes");
    // 79,99 × 23/123 = 14,9574 → 14,96; 10,80 × 8/108 = 0,80.
    assert_eq!(
        row(&totals, VatRate::Standard23),
        zls("65,03", "14,96", "79,99")
    );
    assert_eq!(
        row(&totals, VatRate::Reduced8),
        zls("10,00", "0,80", "10,80")
    );
    assert_eq!(row(&totals, VatRate::Exempt), zls("50,00", "0", "50,00"));
    assert_eq!(sums(&totals), zls("125,03", "15,76", "140,79"));
}

#[test]
fn half_a_month_of_service_rounds_the_line_half_up() {
    // 0,5 × 79,99 = 39,995 → 40,00 (art. 106e ust. 11), then 40,00 × 23/123 = 7,4797 → 7,48.
    let totals = compute(
        &[line(dec!(0.5), "79,99", VatRate::Standard23)],
        PriceKind::Gross,
    )
    .expect("computes");
    assert_eq!(totals.lines[0].gross, zl("40,00"));
    assert_eq!(sums(&totals), zls("32,52", "7,48", "40,00"));
}

#[test]
fn gross_method_vat_comes_from_the_rate_sum_not_from_the_line_vats() {
    // Each 0,02 line holds 0,0037 VAT, rounded to 0,00 per line; the 0,06 sum holds 0,0112 → 0,01.
    let lines = vec![line(dec!(1), "0,02", VatRate::Standard23); 3];
    let totals = compute(&lines, PriceKind::Gross).expect("computes");
    assert!(totals.lines.iter().all(|l| l.vat == Money::zero()));
    assert_eq!(sums(&totals), zls("0,05", "0,01", "0,06"));
}

#[test]
fn zero_rate_and_not_taxable_lines_carry_no_vat() {
    for rate in [
        VatRate::Zero,
        VatRate::NotTaxableAbroad,
        VatRate::NotTaxableEu,
    ] {
        for method in [PriceKind::Net, PriceKind::Gross] {
            let totals = compute(&[line(dec!(1), "49,99", rate)], method).expect("computes");
            assert_eq!(sums(&totals), zls("49,99", "0", "49,99"));
        }
    }
}

#[test]
fn free_line_and_discount_line_are_accepted() {
    let lines = [
        line(dec!(1), "0", VatRate::Standard23),
        line(dec!(1), "79,99", VatRate::Standard23),
        line(dec!(1), "-10,00", VatRate::Standard23),
    ];
    let totals = compute(&lines, PriceKind::Gross).expect("computes");
    assert_eq!(
        totals.lines[0],
        LineAmounts {
            net: zl("0"),
            vat: zl("0"),
            gross: zl("0")
        }
    );
    assert_eq!(totals.lines[2].gross, zl("-10,00"));
    assert_eq!(totals.gross, zl("69,99"));
}

// --- rejected input ---

#[test]
fn an_invoice_without_lines_is_rejected() {
    assert_eq!(compute(&[], PriceKind::Gross), Err(VatError::NoLines));
}

#[test]
fn zero_or_negative_quantity_is_rejected_with_its_line_number() {
    for quantity in [dec!(0), dec!(-1)] {
        let lines = [
            line(dec!(1), "10,00", VatRate::Standard23),
            line(quantity, "10,00", VatRate::Standard23),
        ];
        assert_eq!(
            compute(&lines, PriceKind::Net),
            Err(VatError::NonPositiveQuantity { line: 2 })
        );
    }
}

#[test]
fn quantity_finer_than_fa3_allows_is_rejected_but_trailing_zeros_are_fine() {
    let too_fine = [line(dec!(0.0000001), "10,00", VatRate::Standard23)];
    assert_eq!(
        compute(&too_fine, PriceKind::Net),
        Err(VatError::QuantityTooPrecise { line: 1 })
    );
    let padded = [line(dec!(1.50000000), "10,00", VatRate::Standard23)];
    assert!(compute(&padded, PriceKind::Net).is_ok());
}

#[test]
fn amounts_beyond_money_range_are_an_error_not_a_panic() {
    let huge = LineInput {
        unit_price: Money::from_grosze(i64::MAX),
        ..line(dec!(1000), "1", VatRate::Standard23)
    };
    assert_eq!(compute(&[huge], PriceKind::Net), Err(VatError::OutOfRange));
    let two_halves = LineInput {
        unit_price: Money::from_grosze(i64::MAX / 2 + 1),
        ..line(dec!(1), "1", VatRate::Exempt)
    };
    assert_eq!(
        compute(&[two_halves.clone(), two_halves], PriceKind::Gross),
        Err(VatError::OutOfRange)
    );
}

// --- corrections ---

#[test]
fn correction_gives_negative_per_rate_differences_for_an_outage_credit() {
    // research/ksef-fa3/example-isp-b2b-korekta.xml: 200,00 → 180,00 net at 23 %.
    let before = compute(
        &[line(dec!(1), "200,00", VatRate::Standard23)],
        PriceKind::Net,
    )
    .expect("computes");
    let after = compute(
        &[line(dec!(1), "180,00", VatRate::Standard23)],
        PriceKind::Net,
    )
    .expect("computes");
    let diff = correction_difference(&before, &after);
    assert!(diff.lines.is_empty());
    assert_eq!(
        row(&diff, VatRate::Standard23),
        zls("-20,00", "-4,60", "-24,60")
    );
    assert_eq!(sums(&diff), zls("-20,00", "-4,60", "-24,60"));
}

#[test]
fn correction_covers_rates_present_on_only_one_side() {
    let before =
        compute(&[line(dec!(1), "10,00", VatRate::Exempt)], PriceKind::Net).expect("computes");
    let after = compute(
        &[line(dec!(1), "10,00", VatRate::Standard23)],
        PriceKind::Net,
    )
    .expect("computes");
    let diff = correction_difference(&before, &after);
    let rates: Vec<VatRate> = diff.per_rate.iter().map(|r| r.rate).collect();
    assert_eq!(rates, [VatRate::Standard23, VatRate::Exempt]);
    assert_eq!(rate_row(&diff, VatRate::Exempt).gross, zl("-10,00"));
    assert_eq!(rate_row(&diff, VatRate::Standard23).gross, zl("12,30"));
    assert_eq!(diff.gross, zl("2,30"));
}

// --- properties ---

fn any_rate() -> impl Strategy<Value = VatRate> {
    proptest::sample::select(VatRate::ALL.to_vec())
}

fn any_method() -> impl Strategy<Value = PriceKind> {
    prop_oneof![Just(PriceKind::Net), Just(PriceKind::Gross)]
}

/// Quantities from 0,001 to 1 000 000 and unit prices from −10 000 zł (discounts) to 100 000 zł.
fn any_line() -> impl Strategy<Value = LineInput> {
    (
        1i64..=1_000_000,
        0u32..=3,
        -1_000_000i64..=10_000_000,
        any_rate(),
    )
        .prop_map(|(mantissa, scale, grosze, rate)| LineInput {
            name: "line".to_owned(),
            quantity: Decimal::new(mantissa, scale),
            unit_price: Money::from_grosze(grosze),
            rate,
        })
}

fn any_lines() -> impl Strategy<Value = Vec<LineInput>> {
    proptest::collection::vec(any_line(), 1..12)
}

/// Half a grosz, in złoty.
const HALF_GROSZ: Decimal = dec!(0.005);

proptest! {
    #[test]
    fn totals_always_add_up(lines in any_lines(), method in any_method()) {
        let t = compute(&lines, method).expect("computes");
        prop_assert_eq!(t.lines.len(), lines.len());
        for l in &t.lines {
            prop_assert_eq!(l.net + l.vat, l.gross);
        }
        for r in &t.per_rate {
            prop_assert_eq!(r.net + r.vat, r.gross);
        }
        prop_assert_eq!(t.net + t.vat, t.gross);
        prop_assert_eq!(t.per_rate.iter().map(|r| r.net).sum::<Money>(), t.net);
        prop_assert_eq!(t.per_rate.iter().map(|r| r.vat).sum::<Money>(), t.vat);
        prop_assert_eq!(t.per_rate.iter().map(|r| r.gross).sum::<Money>(), t.gross);
    }

    #[test]
    fn per_rate_summary_has_one_entry_per_used_rate_in_fa3_order(
        lines in any_lines(),
        method in any_method(),
    ) {
        let t = compute(&lines, method).expect("computes");
        let mut used: Vec<VatRate> = lines.iter().map(|l| l.rate).collect();
        used.sort();
        used.dedup();
        let listed: Vec<VatRate> = t.per_rate.iter().map(|r| r.rate).collect();
        prop_assert_eq!(listed, used);
    }

    #[test]
    fn gross_method_total_is_the_sum_of_line_grosses(lines in any_lines()) {
        let t = compute(&lines, PriceKind::Gross).expect("computes");
        prop_assert_eq!(t.lines.iter().map(|l| l.gross).sum::<Money>(), t.gross);
    }

    #[test]
    fn net_method_net_is_the_sum_of_line_nets(lines in any_lines()) {
        let t = compute(&lines, PriceKind::Net).expect("computes");
        prop_assert_eq!(t.lines.iter().map(|l| l.net).sum::<Money>(), t.net);
    }

    #[test]
    fn vat_per_rate_is_within_half_a_grosz_of_the_exact_vat(
        lines in any_lines(),
        method in any_method(),
    ) {
        let t = compute(&lines, method).expect("computes");
        for r in &t.per_rate {
            let exact = match (r.rate.percent(), method) {
                (None, _) => Decimal::ZERO,
                (Some(p), PriceKind::Net) => r.net.to_decimal() * p / dec!(100),
                (Some(p), PriceKind::Gross) => r.gross.to_decimal() * p / (dec!(100) + p),
            };
            prop_assert!((r.vat.to_decimal() - exact).abs() <= HALF_GROSZ, "{:?}", r);
        }
    }

    #[test]
    fn total_vat_is_within_rounding_bounds_of_the_unrounded_lines(
        lines in any_lines(),
        method in any_method(),
    ) {
        let t = compute(&lines, method).expect("computes");
        let exact: Decimal = lines
            .iter()
            .map(|l| {
                let value = l.quantity * l.unit_price.to_decimal();
                match (l.rate.percent(), method) {
                    (None, _) => Decimal::ZERO,
                    (Some(p), PriceKind::Net) => value * p / dec!(100),
                    (Some(p), PriceKind::Gross) => value * p / (dec!(100) + p),
                }
            })
            .sum();
        // Half a grosz from each line's rounding (scaled by the rate, below 1) and from each
        // rate's VAT rounding.
        let bound = HALF_GROSZ * Decimal::from(t.lines.len() + t.per_rate.len());
        prop_assert!((t.vat.to_decimal() - exact).abs() <= bound);
    }

    #[test]
    fn correction_added_to_the_original_gives_the_corrected_invoice(
        before_lines in any_lines(),
        after_lines in any_lines(),
        method in any_method(),
    ) {
        let before = compute(&before_lines, method).expect("computes");
        let after = compute(&after_lines, method).expect("computes");
        let diff = correction_difference(&before, &after);
        prop_assert_eq!(before.gross + diff.gross, after.gross);
        prop_assert_eq!(before.net + diff.net, after.net);
        prop_assert_eq!(before.vat + diff.vat, after.vat);
        for d in &diff.per_rate {
            let old = before.per_rate.iter().find(|r| r.rate == d.rate);
            let new = after.per_rate.iter().find(|r| r.rate == d.rate);
            let gross = |r: Option<&RateSummary>| r.map_or(Money::zero(), |r| r.gross);
            let vat = |r: Option<&RateSummary>| r.map_or(Money::zero(), |r| r.vat);
            prop_assert_eq!(gross(old) + d.gross, gross(new));
            prop_assert_eq!(vat(old) + d.vat, vat(new));
            prop_assert_eq!(d.net + d.vat, d.gross);
        }
    }

    #[test]
    fn correcting_an_invoice_to_itself_changes_nothing(lines in any_lines(), method in any_method()) {
        let t = compute(&lines, method).expect("computes");
        let diff = correction_difference(&t, &t);
        prop_assert_eq!(diff.per_rate.len(), t.per_rate.len());
        prop_assert!(diff.per_rate.iter().all(|r| r.gross == Money::zero() && r.vat == Money::zero()));
        prop_assert_eq!((diff.net, diff.vat, diff.gross), (Money::zero(), Money::zero(), Money::zero()));
    }
}
