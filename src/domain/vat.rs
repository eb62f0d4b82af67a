//! VAT rates as FA(3) codes, and the invoice arithmetic: line amounts, the per-rate summary
//! (art. 106e ust. 1 pkt 13–14) and the total due (pkt 15).
//!
//! Every rounding is half-up to the grosz (art. 106e ust. 11), through
//! [`Money::from_decimal_half_up`]. Quantities and the intermediate products are `Decimal`.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, Serializer};

use super::money::Money;

/// FA(3) `TIlosci` allows at most 6 decimal places in a quantity (`P_8B`).
const QUANTITY_MAX_SCALE: u32 = 6;

/// A VAT rate, held and serialised as its FA(3) `P_12` code ("23", "0 KR", "zw", "np I"…).
///
/// The variants are declared in the order of the FA(3) per-rate fields (`P_13_1` 23 %, `P_13_2`
/// 8 %, `P_13_3` 5 %, `P_13_6_1` 0 % domestic, `P_13_7` exempt, `P_13_8` np I, `P_13_9` np II), and
/// `Ord` follows that order, so the per-rate summary prints 23 % first, as invoices do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(try_from = "String")]
pub enum VatRate {
    /// 23 %: internet access, telephony, router rental, installation (pl-invoicing §1.4).
    Standard23,
    Reduced8,
    Reduced5,
    /// 0 % on a domestic supply ("0 KR"), not intra-EU supply or export.
    Zero,
    /// Exempt ("zwolnione", "zw"); the invoice must then state the legal basis (`P_19`).
    Exempt,
    /// Outside Polish VAT: supplies abroad other than art. 100 ust. 1 pkt 4 services ("np I").
    NotTaxableAbroad,
    /// Outside Polish VAT: art. 100 ust. 1 pkt 4 services to EU taxpayers ("np II").
    NotTaxableEu,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VatError {
    #[error("unknown VAT rate {0:?}")]
    UnknownRate(String),
    #[error("an invoice needs at least one line")]
    NoLines,
    /// `line` is 1-based, as printed on the invoice (FA(3) `NrWierszaFa`).
    #[error("line {line}: quantity must be greater than zero")]
    NonPositiveQuantity { line: usize },
    #[error("line {line}: quantity may have at most 6 decimal places")]
    QuantityTooPrecise { line: usize },
    #[error("amount is too large")]
    OutOfRange,
    /// A defensive check failed: per-rate amounts, lines and the total disagree. Never expected;
    /// if it happens, nothing may be issued.
    #[error("invoice totals do not add up: {0}")]
    DoesNotAddUp(&'static str),
}

impl VatRate {
    pub const ALL: [VatRate; 7] = [
        VatRate::Standard23,
        VatRate::Reduced8,
        VatRate::Reduced5,
        VatRate::Zero,
        VatRate::Exempt,
        VatRate::NotTaxableAbroad,
        VatRate::NotTaxableEu,
    ];

    /// The FA(3) `P_12` code, also the database form.
    pub const fn code(self) -> &'static str {
        match self {
            VatRate::Standard23 => "23",
            VatRate::Reduced8 => "8",
            VatRate::Reduced5 => "5",
            VatRate::Zero => "0 KR",
            VatRate::Exempt => "zw",
            VatRate::NotTaxableAbroad => "np I",
            VatRate::NotTaxableEu => "np II",
        }
    }

    /// Parses an FA(3) code, ignoring case and surrounding space. Also accepts "0" for "0 KR" and
    /// the FA(2) code "np", which becomes "np I": FA(2) had one "np" code, and the services an ISP
    /// sells abroad are np I unless they are art. 100 ust. 1 pkt 4 services (then say "np II").
    pub fn parse(code: &str) -> Result<VatRate, VatError> {
        let normalised = code
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_lowercase();
        match normalised.as_str() {
            "23" => Ok(VatRate::Standard23),
            "8" => Ok(VatRate::Reduced8),
            "5" => Ok(VatRate::Reduced5),
            "0 kr" | "0" => Ok(VatRate::Zero),
            "zw" => Ok(VatRate::Exempt),
            "np i" | "np" => Ok(VatRate::NotTaxableAbroad),
            "np ii" => Ok(VatRate::NotTaxableEu),
            _ => Err(VatError::UnknownRate(code.to_owned())),
        }
    }

    /// The rate in percent, or `None` where no VAT is charged at all (zw, np). 0 % is `Some(0)`:
    /// a taxed supply at a zero rate, summed in its own FA(3) field.
    pub fn percent(self) -> Option<Decimal> {
        match self {
            VatRate::Standard23 => Some(Decimal::from(23)),
            VatRate::Reduced8 => Some(Decimal::from(8)),
            VatRate::Reduced5 => Some(Decimal::from(5)),
            VatRate::Zero => Some(Decimal::ZERO),
            VatRate::Exempt | VatRate::NotTaxableAbroad | VatRate::NotTaxableEu => None,
        }
    }

    /// The label printed in the rate column of a Polish invoice.
    pub const fn label_pl(self) -> &'static str {
        match self {
            VatRate::Standard23 => "23%",
            VatRate::Reduced8 => "8%",
            VatRate::Reduced5 => "5%",
            VatRate::Zero => "0%",
            VatRate::Exempt => "zw",
            VatRate::NotTaxableAbroad | VatRate::NotTaxableEu => "np.",
        }
    }

    /// The VAT in `amount`, half-up to the grosz; zero where no VAT is charged.
    fn vat_of(self, amount: Money, method: PriceKind) -> Result<Money, VatError> {
        let Some(percent) = self.percent() else {
            return Ok(Money::zero());
        };
        let divisor = match method {
            // VAT on a net amount: net × SP / 100.
            PriceKind::Net => Decimal::ONE_HUNDRED,
            // VAT contained in a gross amount: KP = WB × SP / (100 + SP) (art. 106e ust. 7–9).
            PriceKind::Gross => Decimal::ONE_HUNDRED + percent,
        };
        let vat = amount
            .to_decimal()
            .checked_mul(percent)
            .and_then(|x| x.checked_div(divisor))
            .ok_or(VatError::OutOfRange)?;
        Money::from_decimal_half_up(vat).map_err(|_| VatError::OutOfRange)
    }
}

impl fmt::Display for VatRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for VatRate {
    type Err = VatError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        VatRate::parse(s)
    }
}

impl Serialize for VatRate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl TryFrom<String> for VatRate {
    type Error = VatError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        VatRate::parse(&value)
    }
}

/// Whether unit prices are gross or net, which also fixes how VAT is computed. One method per
/// invoice (pl-invoicing §1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PriceKind {
    /// Net unit prices; VAT on the net sum per rate (art. 106e ust. 1 pkt 13–14).
    Net,
    /// Gross unit prices; VAT extracted from the gross sum per rate (art. 106e ust. 7–9).
    Gross,
}

impl PriceKind {
    /// Consumers get the gross method, so the total equals the advertised price; businesses (with
    /// a NIP) the net per-rate method (DESIGN.md "Invoices").
    pub const fn for_buyer(buyer_has_nip: bool) -> PriceKind {
        if buyer_has_nip {
            PriceKind::Net
        } else {
            PriceKind::Gross
        }
    }

    /// The line amount VAT is computed from: the net or the gross.
    fn base_of(self, amounts: &LineAmounts) -> Money {
        match self {
            PriceKind::Net => amounts.net,
            PriceKind::Gross => amounts.gross,
        }
    }
}

/// One invoice line as entered: `unit_price` is net or gross according to the [`PriceKind`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineInput {
    pub name: String,
    pub quantity: Decimal,
    pub unit_price: Money,
    pub rate: VatRate,
}

/// Amounts of one line. Under the gross method only `gross` enters the totals; `net` and `vat`
/// are for display (see [`compute`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineAmounts {
    pub net: Money,
    pub vat: Money,
    pub gross: Money,
}

/// The sums for one rate: FA(3) `P_13_x` (net) and `P_14_x` (VAT).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateSummary {
    pub rate: VatRate,
    pub net: Money,
    pub vat: Money,
    pub gross: Money,
}

/// A computed invoice: `lines` in input order, `per_rate` in [`VatRate`] order with one entry per
/// rate that occurs, and the totals (`gross` is the total due, FA(3) `P_15`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceTotals {
    pub lines: Vec<LineAmounts>,
    pub per_rate: Vec<RateSummary>,
    pub net: Money,
    pub vat: Money,
    pub gross: Money,
}

/// Computes line amounts, the per-rate summary and the totals.
///
/// Each line amount is `quantity × unit_price` rounded half-up to the grosz. Then, per rate:
/// - **Gross** (consumers): the line grosses are summed, VAT is extracted once from that sum,
///   `round(WB × SP / (100 + SP))`, and net = gross − VAT.
/// - **Net** (businesses): the line nets are summed, VAT = `round(net × SP / 100)`, and
///   gross = net + VAT.
///
/// The per-rate summary is authoritative; the totals are its sums. Line-level net and VAT are
/// rounded per line for display only, and need not add up to the per-rate figures: pl-invoicing
/// §1.3 computes VAT on the per-rate sum (default rule) or on the gross per-rate sum (gross
/// method). Its example 79,99 + 9,99 zł gross at 23 % must total 89,98 (VAT 16,83, net 73,15):
/// computing net per line first and VAT on the net sum would give 89,97, a grosz below the
/// advertised price.
///
/// Zero-price and negative-price lines (discounts) are accepted; a quantity must be positive.
/// Corrections are not computed here: compute the invoice after the change and take
/// [`correction_difference`].
pub fn compute(lines: &[LineInput], method: PriceKind) -> Result<InvoiceTotals, VatError> {
    if lines.is_empty() {
        return Err(VatError::NoLines);
    }
    let mut line_amounts = Vec::with_capacity(lines.len());
    // What VAT is computed from, per rate: the gross sum or the net sum, depending on the method.
    let mut base_per_rate: BTreeMap<VatRate, Money> = BTreeMap::new();
    for (index, line) in lines.iter().enumerate() {
        let amounts = line_amounts_of(index + 1, line, method)?;
        let base = base_per_rate.entry(line.rate).or_default();
        *base = base
            .checked_add(method.base_of(&amounts))
            .ok_or(VatError::OutOfRange)?;
        line_amounts.push(amounts);
    }
    let per_rate = base_per_rate
        .into_iter()
        .map(|(rate, base)| {
            let (net, vat, gross) = split(rate, base, method)?;
            Ok(RateSummary {
                rate,
                net,
                vat,
                gross,
            })
        })
        .collect::<Result<Vec<_>, VatError>>()?;
    let totals = InvoiceTotals {
        net: checked_sum(per_rate.iter().map(|r| r.net))?,
        vat: checked_sum(per_rate.iter().map(|r| r.vat))?,
        gross: checked_sum(per_rate.iter().map(|r| r.gross))?,
        lines: line_amounts,
        per_rate,
    };
    check_adds_up(&totals, method)?;
    Ok(totals)
}

/// What a corrective invoice states (art. 106j ust. 2 pkt 5): `after − before` per rate and in
/// total, negative where the amount falls. A rate present on only one side counts as zero on the
/// other; a rate whose amounts did not change stays in the list with zeros.
///
/// `lines` is empty: a correction shows the lines before (`StanPrzed`) and after, not line
/// differences, which mean nothing once lines are added or removed.
pub fn correction_difference(before: &InvoiceTotals, after: &InvoiceTotals) -> InvoiceTotals {
    let mut per_rate: BTreeMap<VatRate, RateSummary> = BTreeMap::new();
    let sides = [(before, true), (after, false)];
    for (side, subtract) in sides {
        for r in &side.per_rate {
            let diff = per_rate.entry(r.rate).or_insert(RateSummary {
                rate: r.rate,
                net: Money::zero(),
                vat: Money::zero(),
                gross: Money::zero(),
            });
            let sign = |m: Money| if subtract { -m } else { m };
            diff.net += sign(r.net);
            diff.vat += sign(r.vat);
            diff.gross += sign(r.gross);
        }
    }
    InvoiceTotals {
        lines: Vec::new(),
        per_rate: per_rate.into_values().collect(),
        net: after.net - before.net,
        vat: after.vat - before.vat,
        gross: after.gross - before.gross,
    }
}

fn line_amounts_of(
    line_number: usize,
    line: &LineInput,
    method: PriceKind,
) -> Result<LineAmounts, VatError> {
    if line.quantity <= Decimal::ZERO {
        return Err(VatError::NonPositiveQuantity { line: line_number });
    }
    if line.quantity.normalize().scale() > QUANTITY_MAX_SCALE {
        return Err(VatError::QuantityTooPrecise { line: line_number });
    }
    let value = line
        .quantity
        .checked_mul(line.unit_price.to_decimal())
        .ok_or(VatError::OutOfRange)?;
    let value = Money::from_decimal_half_up(value).map_err(|_| VatError::OutOfRange)?;
    let (net, vat, gross) = split(line.rate, value, method)?;
    Ok(LineAmounts { net, vat, gross })
}

/// Splits an amount (gross or net, as the method says) into (net, VAT, gross).
fn split(
    rate: VatRate,
    amount: Money,
    method: PriceKind,
) -> Result<(Money, Money, Money), VatError> {
    let vat = rate.vat_of(amount, method)?;
    let (net, gross) = match method {
        PriceKind::Gross => (amount.checked_sub(vat), Some(amount)),
        PriceKind::Net => (Some(amount), amount.checked_add(vat)),
    };
    match (net, gross) {
        (Some(net), Some(gross)) => Ok((net, vat, gross)),
        _ => Err(VatError::OutOfRange),
    }
}

fn checked_sum(mut amounts: impl Iterator<Item = Money>) -> Result<Money, VatError> {
    amounts.try_fold(Money::zero(), |acc, m| {
        acc.checked_add(m).ok_or(VatError::OutOfRange)
    })
}

/// DESIGN.md: totals per rate and the grand total are checked to add up before anything is
/// written. The line sums are computed independently of the per-rate path, so this is a real
/// cross-check, not a restatement.
fn check_adds_up(totals: &InvoiceTotals, method: PriceKind) -> Result<(), VatError> {
    let adds_up = |net: Money, vat: Money, gross: Money| net.checked_add(vat) == Some(gross);
    if !totals.lines.iter().all(|l| adds_up(l.net, l.vat, l.gross)) {
        return Err(VatError::DoesNotAddUp("line net + VAT ≠ gross"));
    }
    if !totals
        .per_rate
        .iter()
        .all(|r| adds_up(r.net, r.vat, r.gross))
    {
        return Err(VatError::DoesNotAddUp("per-rate net + VAT ≠ gross"));
    }
    if !adds_up(totals.net, totals.vat, totals.gross) {
        return Err(VatError::DoesNotAddUp("total net + VAT ≠ gross"));
    }
    let (lines_sum, total) = match method {
        PriceKind::Gross => (
            checked_sum(totals.lines.iter().map(|l| l.gross))?,
            totals.gross,
        ),
        PriceKind::Net => (checked_sum(totals.lines.iter().map(|l| l.net))?, totals.net),
    };
    if lines_sum != total {
        return Err(VatError::DoesNotAddUp("Σ lines ≠ Σ per-rate"));
    }
    if !totals.per_rate.windows(2).all(|w| w[0].rate < w[1].rate) {
        return Err(VatError::DoesNotAddUp(
            "per-rate summary is not one entry per rate",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
