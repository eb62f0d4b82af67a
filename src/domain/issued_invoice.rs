//! An issued invoice as one read value: everything the invoice row and its lines store, typed.
//!
//! It is what documents are made from (the FA(3) XML today; the PDF and the handlers are meant to
//! move onto it). Built in `app` from the stored rows, never from live customer data: an issued
//! invoice is a snapshot and never changes.

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use super::vat::{self, InvoiceTotals, LineInput, PriceKind, VatError, VatRate};
use super::{Money, Nip, Nrb};

/// A party as the invoice names it (seller or buyer snapshot).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceParty {
    pub name: String,
    /// The buyer has none when a consumer; the seller always has one.
    pub nip: Option<Nip>,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
}

/// Which part of the invoice a line belongs to. A correction shows the corrected invoice's lines
/// as they were (`Before`, FA(3) `StanPrzed`) and as they should be (`After`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineSide {
    Line,
    Before,
    After,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedLine {
    pub side: LineSide,
    pub name: String,
    pub unit: String,
    pub quantity: Decimal,
    /// Net or gross, according to the invoice's `method`.
    pub unit_price: Money,
    pub rate: VatRate,
    pub net: Money,
    pub vat: Money,
    pub gross: Money,
}

/// The invoice a correction refers to (art. 106j ust. 2 pkt 2a–3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectedInvoice {
    pub number: String,
    pub issue_date: NaiveDate,
    /// Its KSeF number, or `None` when it was issued outside KSeF.
    pub ksef_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssuedKind {
    Invoice,
    /// "Faktura korygująca".
    Correction {
        corrected: CorrectedInvoice,
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedInvoice {
    pub number: String,
    pub kind: IssuedKind,
    pub issue_date: NaiveDate,
    /// When it was written (UTC); FA(3) `DataWytworzeniaFa`.
    pub issued_at: NaiveDateTime,
    pub sale_date: Option<NaiveDate>,
    /// The billing period of periodic services (FA(3) `OkresFa`).
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub due_date: NaiveDate,
    pub seller: InvoiceParty,
    pub buyer: InvoiceParty,
    pub customer_number: i64,
    /// The customer's individual account number, which the invoice asks to pay to.
    pub bank_account: Nrb,
    pub method: PriceKind,
    /// Stated "mechanizm podzielonej płatności" (art. 106e ust. 1 pkt 18a).
    pub split_payment: bool,
    pub lines: Vec<IssuedLine>,
    /// As stored on the row: for a correction, the difference (after − before).
    pub total_net: Money,
    pub total_vat: Money,
    pub total_gross: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IssuedInvoiceError {
    #[error(transparent)]
    Vat(#[from] VatError),
    #[error("the stored totals of invoice {0} differ from its lines")]
    TotalsDisagree(String),
}

impl IssuedInvoice {
    pub fn is_correction(&self) -> bool {
        matches!(self.kind, IssuedKind::Correction { .. })
    }

    pub fn lines_on(&self, side: LineSide) -> impl Iterator<Item = &IssuedLine> {
        self.lines.iter().filter(move |l| l.side == side)
    }

    /// The per-rate sums and totals its lines give by the rules that issued it: for a
    /// correction, after − before (art. 106j ust. 2 pkt 5).
    pub fn computed_totals(&self) -> Result<InvoiceTotals, VatError> {
        let compute = |side: LineSide| {
            let inputs: Vec<LineInput> = self
                .lines_on(side)
                .map(|l| LineInput {
                    name: l.name.clone(),
                    quantity: l.quantity,
                    unit_price: l.unit_price,
                    rate: l.rate,
                })
                .collect();
            vat::compute(&inputs, self.method)
        };
        if self.is_correction() {
            Ok(vat::correction_difference(
                &compute(LineSide::Before)?,
                &compute(LineSide::After)?,
            ))
        } else {
            compute(LineSide::Line)
        }
    }

    /// The per-rate sums the invoice states (FA(3) `P_13_x`/`P_14_x`, `P_15`): the computed
    /// totals, checked against the stored ones, since a document must never state other amounts
    /// than the invoice.
    pub fn stated_totals(&self) -> Result<InvoiceTotals, IssuedInvoiceError> {
        let totals = self.computed_totals()?;
        if (totals.net, totals.vat, totals.gross)
            != (self.total_net, self.total_vat, self.total_gross)
        {
            return Err(IssuedInvoiceError::TotalsDisagree(self.number.clone()));
        }
        Ok(totals)
    }
}
