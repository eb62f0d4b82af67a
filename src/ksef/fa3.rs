//! The FA(3) structured invoice (schema `schemat_FA(3)_v1-0E.xsd`, namespace below) written from
//! an [`IssuedInvoice`].
//!
//! Every element comes from what the invoice stores (pl-invoicing §3.3, §1.8). The bytes are made
//! once, at issue time, and stored with their SHA-256: KSeF's `invoiceHash` and the KOD I link
//! are both over exactly these bytes, so they are never written again from the invoice.

mod read;

use chrono::NaiveDate;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use rust_decimal::Decimal;

pub use read::{Fa3Summary, ReadError, read_summary};

use crate::domain::Money;
use crate::domain::issued_invoice::{
    InvoiceParty, IssuedInvoice, IssuedInvoiceError, IssuedKind, IssuedLine, LineSide,
};
use crate::domain::vat::{PriceKind, VatRate};

pub const NAMESPACE: &str = "http://crd.gov.pl/wzor/2025/06/25/13775/";
/// What the online session declares as its `formCode`.
pub const SYSTEM_CODE: &str = "FA (3)";
pub const SCHEMA_VERSION: &str = "1-0E";
pub const FORM_VALUE: &str = "FA";
/// FA(3) `SystemInfo`: the program that wrote the invoice.
const SYSTEM_INFO: &str = "e-BOK";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Fa3Error {
    #[error(transparent)]
    Amounts(#[from] IssuedInvoiceError),
    #[error("the seller has no valid NIP; KSeF takes invoices only under the seller's NIP")]
    SellerWithoutNip,
    /// FA(3) `Zwolnienie` then needs `P_19A`/`P_19B`/`P_19C`, which the invoice does not store.
    #[error(
        "an exempt (zw) line needs the legal basis of the exemption, which the invoice does not state"
    )]
    ExemptWithoutBasis,
    #[error("{field} is longer than FA(3) allows ({limit} characters)")]
    TooLong { field: &'static str, limit: usize },
    #[error("{field} is empty; FA(3) requires it")]
    Empty { field: &'static str },
    #[error("could not write the XML: {0}")]
    Write(String),
}

impl From<std::io::Error> for Fa3Error {
    fn from(error: std::io::Error) -> Self {
        Fa3Error::Write(error.to_string())
    }
}

/// The FA(3) XML of an issued invoice: UTF-8 without BOM, no processing instructions besides the
/// declaration, elements in schema order.
pub fn build(invoice: &IssuedInvoice) -> Result<String, Fa3Error> {
    let totals = invoice.stated_totals()?;
    let seller_nip = invoice
        .seller
        .nip
        .as_ref()
        .ok_or(Fa3Error::SellerWithoutNip)?;
    if invoice.lines.iter().any(|l| l.rate == VatRate::Exempt) {
        return Err(Fa3Error::ExemptWithoutBasis);
    }
    let mut x = Xml::new();
    x.decl()?;
    x.open_with("Faktura", &[("xmlns", NAMESPACE)])?;

    x.open("Naglowek")?;
    x.open_with(
        "KodFormularza",
        &[
            ("kodSystemowy", SYSTEM_CODE),
            ("wersjaSchemy", SCHEMA_VERSION),
        ],
    )?;
    x.text(FORM_VALUE)?;
    x.close("KodFormularza")?;
    x.leaf("WariantFormularza", "3")?;
    x.leaf(
        "DataWytworzeniaFa",
        &invoice.issued_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    )?;
    x.leaf("SystemInfo", SYSTEM_INFO)?;
    x.close("Naglowek")?;

    x.open("Podmiot1")?;
    x.open("DaneIdentyfikacyjne")?;
    x.leaf("NIP", seller_nip.as_str())?;
    x.limited("Nazwa", &invoice.seller.name, 512)?;
    x.close("DaneIdentyfikacyjne")?;
    address(&mut x, &invoice.seller)?;
    x.close("Podmiot1")?;

    x.open("Podmiot2")?;
    x.open("DaneIdentyfikacyjne")?;
    match &invoice.buyer.nip {
        Some(nip) => x.leaf("NIP", nip.as_str())?,
        // A consumer has no tax identifier (pl-invoicing §3.2).
        None => x.leaf("BrakID", "1")?,
    }
    x.limited("Nazwa", &invoice.buyer.name, 512)?;
    x.close("DaneIdentyfikacyjne")?;
    address(&mut x, &invoice.buyer)?;
    x.leaf("NrKlienta", &invoice.customer_number.to_string())?;
    // Not a local-government unit (JST) nor a VAT group member (GV): both are mandatory.
    x.leaf("JST", "2")?;
    x.leaf("GV", "2")?;
    x.close("Podmiot2")?;

    x.open("Fa")?;
    x.leaf("KodWaluty", "PLN")?;
    x.leaf("P_1", &date(invoice.issue_date))?;
    x.limited("P_1M", &invoice.seller.city, 256)?;
    x.limited("P_2", &invoice.number, 256)?;
    match (invoice.period, invoice.sale_date) {
        // art. 19a ust. 5 pkt 4: periodic telecom services state their settlement period.
        (Some((from, to)), _) => {
            x.open("OkresFa")?;
            x.leaf("P_6_Od", &date(from))?;
            x.leaf("P_6_Do", &date(to))?;
            x.close("OkresFa")?;
        }
        (None, Some(sale)) if sale != invoice.issue_date => x.leaf("P_6", &date(sale))?,
        _ => {}
    }
    for summary in &totals.per_rate {
        let (net_field, vat_field) = rate_fields(summary.rate);
        x.leaf(net_field, &amount(summary.net))?;
        if let Some(vat_field) = vat_field {
            x.leaf(vat_field, &amount(summary.vat))?;
        }
    }
    x.leaf("P_15", &amount(totals.gross))?;
    annotations(&mut x, invoice)?;
    match &invoice.kind {
        IssuedKind::Invoice => x.leaf("RodzajFaktury", "VAT")?,
        IssuedKind::Correction { corrected, reason } => {
            x.leaf("RodzajFaktury", "KOR")?;
            if !reason.trim().is_empty() {
                x.limited("PrzyczynaKorekty", reason.trim(), 256)?;
            }
            // TypKorekty (when the correction takes effect) is not stored; it is optional.
            x.open("DaneFaKorygowanej")?;
            x.leaf("DataWystFaKorygowanej", &date(corrected.issue_date))?;
            x.limited("NrFaKorygowanej", &corrected.number, 256)?;
            match &corrected.ksef_number {
                Some(number) => {
                    x.leaf("NrKSeF", "1")?;
                    x.leaf("NrKSeFFaKorygowanej", number)?;
                }
                None => x.leaf("NrKSeFN", "1")?,
            }
            x.close("DaneFaKorygowanej")?;
        }
    }
    let sides: &[LineSide] = if invoice.is_correction() {
        &[LineSide::Before, LineSide::After]
    } else {
        &[LineSide::Line]
    };
    let mut position = 0_usize;
    for side in sides {
        for line in invoice.lines_on(*side) {
            position += 1;
            line_element(&mut x, position, line, invoice.method)?;
        }
    }
    if totals.gross > Money::zero() {
        payment(&mut x, invoice)?;
    }
    x.close("Fa")?;
    x.close("Faktura")?;
    x.finish()
}

/// The KSeF per-rate fields: net (`P_13_x`) and, where VAT is charged, VAT (`P_14_x`).
fn rate_fields(rate: VatRate) -> (&'static str, Option<&'static str>) {
    match rate {
        VatRate::Standard23 => ("P_13_1", Some("P_14_1")),
        VatRate::Reduced8 => ("P_13_2", Some("P_14_2")),
        VatRate::Reduced5 => ("P_13_3", Some("P_14_3")),
        VatRate::Zero => ("P_13_6_1", None),
        VatRate::Exempt => ("P_13_7", None),
        VatRate::NotTaxableAbroad => ("P_13_8", None),
        VatRate::NotTaxableEu => ("P_13_9", None),
    }
}

fn annotations(x: &mut Xml, invoice: &IssuedInvoice) -> Result<(), Fa3Error> {
    x.open("Adnotacje")?;
    x.leaf("P_16", "2")?; // no cash accounting
    x.leaf("P_17", "2")?; // not self-billed
    // np II services (art. 100 ust. 1 pkt 4) are taxed by the buyer: "odwrotne obciążenie".
    let reverse_charge = invoice
        .lines
        .iter()
        .any(|l| l.rate == VatRate::NotTaxableEu);
    x.leaf("P_18", if reverse_charge { "1" } else { "2" })?;
    x.leaf("P_18A", if invoice.split_payment { "1" } else { "2" })?;
    x.open("Zwolnienie")?;
    x.leaf("P_19N", "1")?;
    x.close("Zwolnienie")?;
    x.open("NoweSrodkiTransportu")?;
    x.leaf("P_22N", "1")?;
    x.close("NoweSrodkiTransportu")?;
    x.leaf("P_23", "2")?; // not a simplified triangular procedure
    x.open("PMarzy")?;
    x.leaf("P_PMarzyN", "1")?;
    x.close("PMarzy")?;
    x.close("Adnotacje")
}

fn line_element(
    x: &mut Xml,
    position: usize,
    line: &IssuedLine,
    method: PriceKind,
) -> Result<(), Fa3Error> {
    x.open("FaWiersz")?;
    x.leaf("NrWierszaFa", &position.to_string())?;
    x.limited("P_7", &line.name, 512)?;
    x.limited("P_8A", &line.unit, 256)?;
    x.leaf("P_8B", &quantity(line.quantity))?;
    match method {
        PriceKind::Net => {
            x.leaf("P_9A", &amount(line.unit_price))?;
            x.leaf("P_11", &amount(line.net))?;
        }
        // art. 106e ust. 7–8: under the gross method the invoice states gross prices and values.
        PriceKind::Gross => {
            x.leaf("P_9B", &amount(line.unit_price))?;
            x.leaf("P_11A", &amount(line.gross))?;
        }
    }
    x.leaf("P_12", line.rate.code())?;
    if line.side == LineSide::Before {
        x.leaf("StanPrzed", "1")?;
    }
    x.close("FaWiersz")
}

fn payment(x: &mut Xml, invoice: &IssuedInvoice) -> Result<(), Fa3Error> {
    x.open("Platnosc")?;
    x.open("TerminPlatnosci")?;
    x.leaf("Termin", &date(invoice.due_date))?;
    x.close("TerminPlatnosci")?;
    x.leaf("FormaPlatnosci", "6")?; // bank transfer
    x.open("RachunekBankowy")?;
    x.leaf("NrRB", invoice.bank_account.as_str())?;
    x.leaf(
        "OpisRachunku",
        &format!(
            "Indywidualny rachunek do wpłat klienta {}",
            invoice.customer_number
        ),
    )?;
    x.close("RachunekBankowy")?;
    x.close("Platnosc")
}

fn address(x: &mut Xml, party: &InvoiceParty) -> Result<(), Fa3Error> {
    x.open("Adres")?;
    x.leaf("KodKraju", "PL")?;
    x.limited("AdresL1", &party.address_line, 512)?;
    x.limited(
        "AdresL2",
        &format!("{} {}", party.postal_code.trim(), party.city.trim()),
        512,
    )?;
    x.close("Adres")
}

fn date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// FA(3) `TKwotowy`: `-?([1-9]\d{0,15}|0)(\.\d{1,2})?`, from grosze, never through floats.
pub fn amount(money: Money) -> String {
    let grosze = money.grosze();
    let sign = if grosze < 0 { "-" } else { "" };
    let abs = grosze.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// FA(3) `TIlosci`: up to 6 decimals, no trailing zeros.
fn quantity(quantity: Decimal) -> String {
    quantity.normalize().to_string()
}

/// A thin layer over quick-xml's writer: every element written in one place, every text escaped.
struct Xml {
    writer: Writer<Vec<u8>>,
}

impl Xml {
    fn new() -> Self {
        Xml {
            writer: Writer::new_with_indent(Vec::with_capacity(4096), b' ', 2),
        }
    }

    fn decl(&mut self) -> Result<(), Fa3Error> {
        Ok(self
            .writer
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?)
    }

    fn open(&mut self, name: &str) -> Result<(), Fa3Error> {
        Ok(self
            .writer
            .write_event(Event::Start(BytesStart::new(name)))?)
    }

    fn open_with(&mut self, name: &str, attributes: &[(&str, &str)]) -> Result<(), Fa3Error> {
        let start = BytesStart::new(name).with_attributes(attributes.iter().copied());
        Ok(self.writer.write_event(Event::Start(start))?)
    }

    fn text(&mut self, text: &str) -> Result<(), Fa3Error> {
        Ok(self.writer.write_event(Event::Text(BytesText::new(text)))?)
    }

    fn close(&mut self, name: &str) -> Result<(), Fa3Error> {
        Ok(self.writer.write_event(Event::End(BytesEnd::new(name)))?)
    }

    fn leaf(&mut self, name: &str, text: &str) -> Result<(), Fa3Error> {
        self.writer
            .create_element(name)
            .write_text_content(BytesText::new(text))?;
        Ok(())
    }

    /// A text element whose schema type has a length limit (`TZnakowy`: 256, `TZnakowy512`).
    fn limited(&mut self, name: &'static str, text: &str, limit: usize) -> Result<(), Fa3Error> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Fa3Error::Empty { field: name });
        }
        if text.chars().count() > limit {
            return Err(Fa3Error::TooLong { field: name, limit });
        }
        self.leaf(name, text)
    }

    fn finish(self) -> Result<String, Fa3Error> {
        let mut bytes = self.writer.into_inner();
        bytes.push(b'\n');
        // Only `&str` went in, so this holds; the error is kept rather than assumed away.
        String::from_utf8(bytes).map_err(|e| Fa3Error::Write(e.to_string()))
    }
}

#[cfg(test)]
mod tests;
