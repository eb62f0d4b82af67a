//! Reading back what an FA(3) document states: who issued it, its number, date and amounts. The
//! local KSeF server needs this for KSeF numbers and duplicates, the tests to check that the XML
//! states the invoice's amounts to the grosz.

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::Event;

use crate::domain::Money;

/// The parts of an FA(3) invoice that KSeF keys on, and its amounts in grosze.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fa3Summary {
    /// `Naglowek/KodFormularza/@kodSystemowy`, e.g. "FA (3)".
    pub system_code: String,
    /// `Podmiot1/DaneIdentyfikacyjne/NIP`.
    pub seller_nip: String,
    /// `Podmiot2/DaneIdentyfikacyjne/NIP`; `None` with `BrakID`.
    pub buyer_nip: Option<String>,
    /// `Fa/RodzajFaktury`: VAT, KOR, …
    pub kind: String,
    /// `Fa/P_2`.
    pub number: String,
    /// `Fa/P_1`, as written (YYYY-MM-DD).
    pub issue_date: String,
    /// `Fa/DaneFaKorygowanej/NrKSeFFaKorygowanej`.
    pub corrected_ksef_number: Option<String>,
    /// (`P_13_x` or `P_14_x`, amount), in document order.
    pub per_rate: Vec<(String, Money)>,
    /// `Fa/P_15`.
    pub total: Money,
    /// `FaWiersz` count.
    pub lines: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("not well-formed XML: {0}")]
    Xml(String),
    #[error("not an FA invoice: the root element is {0}")]
    NotAnInvoice(String),
    #[error("{0} is missing")]
    Missing(&'static str),
    #[error("{field} is not an amount: {value}")]
    Amount { field: String, value: String },
}

/// Reads the summary of an FA(3) document (namespace prefixes are ignored).
pub fn read_summary(xml: &str) -> Result<Fa3Summary, ReadError> {
    let mut reader = Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut summary = Fa3Summary::default();
    let mut total = None;
    loop {
        match reader
            .read_event()
            .map_err(|e| ReadError::Xml(e.to_string()))?
        {
            Event::Start(start) => {
                let name = local(start.name().as_ref());
                if path.is_empty() && name != "Faktura" {
                    return Err(ReadError::NotAnInvoice(name));
                }
                if name == "KodFormularza" {
                    for attribute in start.attributes().flatten() {
                        if attribute.key.local_name().as_ref() == "kodSystemowy" {
                            summary.system_code = attribute
                                .normalized_value(XmlVersion::Implicit1_0)
                                .map_err(|e| ReadError::Xml(e.to_string()))?
                                .into_owned();
                        }
                    }
                }
                if name == "FaWiersz" {
                    summary.lines += 1;
                }
                path.push(name);
                text.clear();
            }
            Event::Empty(start) if path.is_empty() => {
                return Err(ReadError::NotAnInvoice(local(start.name().as_ref())));
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let escaped = format!("&{};", r.xml10_content());
                let resolved = quick_xml::escape::unescape(&escaped)
                    .map_err(|e| ReadError::Xml(e.to_string()))?;
                text.push_str(&resolved);
            }
            Event::End(_) => {
                let joined = path.join("/");
                let value = text.trim().to_owned();
                match joined.as_str() {
                    "Faktura/Podmiot1/DaneIdentyfikacyjne/NIP" => summary.seller_nip = value,
                    "Faktura/Podmiot2/DaneIdentyfikacyjne/NIP" => summary.buyer_nip = Some(value),
                    "Faktura/Fa/RodzajFaktury" => summary.kind = value,
                    "Faktura/Fa/P_2" => summary.number = value,
                    "Faktura/Fa/P_1" => summary.issue_date = value,
                    "Faktura/Fa/DaneFaKorygowanej/NrKSeFFaKorygowanej" => {
                        summary.corrected_ksef_number = Some(value)
                    }
                    "Faktura/Fa/P_15" => total = Some(parse_amount("P_15", &value)?),
                    _ => {
                        if let Some(field) = joined.strip_prefix("Faktura/Fa/")
                            && (field.starts_with("P_13_") || field.starts_with("P_14_"))
                        {
                            let amount = parse_amount(field, &value)?;
                            summary.per_rate.push((field.to_owned(), amount));
                        }
                    }
                }
                path.pop();
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    summary.total = total.ok_or(ReadError::Missing("P_15"))?;
    if summary.seller_nip.is_empty() {
        return Err(ReadError::Missing("Podmiot1/NIP"));
    }
    if summary.number.is_empty() {
        return Err(ReadError::Missing("P_2"));
    }
    Ok(summary)
}

fn local(name: &str) -> String {
    name.rsplit_once(':')
        .map_or(name, |(_, local)| local)
        .to_owned()
}

/// "-12.34" → -1234 grosze; at most two decimals, as `TKwotowy`.
pub(crate) fn parse_amount(field: &str, value: &str) -> Result<Money, ReadError> {
    let bad = || ReadError::Amount {
        field: field.to_owned(),
        value: value.to_owned(),
    };
    let (negative, digits) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty()
        || fraction.len() > 2
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let cents: i64 = format!("{fraction:0<2}").parse().map_err(|_| bad())?;
    let grosze = whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(cents))
        .ok_or_else(bad)?;
    Ok(Money::from_grosze(if negative { -grosze } else { grosze }))
}
