//! The catalogue, the cart and orders: what staff may put on sale, what a subscriber may put in
//! the cart (quantities, domain names, transfer codes), the online fee, and an order's lines
//! and total, computed as the invoice will compute them so that what PayU charges is to the
//! grosz what the invoice says.

use rust_decimal::Decimal;

use crate::domain::Money;
use crate::domain::vat::{self, LineInput, PriceKind, VatError, VatRate};

/// The most of one thing one cart line may hold.
pub const MAX_QUANTITY: i32 = 99;
/// The highest price of one catalogue item (100 000 zł), so a typo cannot sell a fortune.
pub const MAX_PRICE: i64 = 10_000_000;
/// The highest online fee per item (100 zł).
pub const MAX_FEE: i64 = 10_000;
/// How many lines one cart may hold.
pub const MAX_CART_LINES: usize = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Service,
    TariffChange,
    PublicIp,
    Device,
    DomainRegistration,
    DomainTransfer,
}

impl ItemKind {
    pub const ALL: [ItemKind; 6] = [
        ItemKind::Service,
        ItemKind::TariffChange,
        ItemKind::PublicIp,
        ItemKind::Device,
        ItemKind::DomainRegistration,
        ItemKind::DomainTransfer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Service => "service",
            ItemKind::TariffChange => "tariff_change",
            ItemKind::PublicIp => "public_ip",
            ItemKind::Device => "device",
            ItemKind::DomainRegistration => "domain_registration",
            ItemKind::DomainTransfer => "domain_transfer",
        }
    }

    pub fn parse(text: &str) -> Option<ItemKind> {
        ItemKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// A domain item: the cart asks for the name (and, for a transfer, the auth code).
    pub fn is_domain(self) -> bool {
        matches!(
            self,
            ItemKind::DomainRegistration | ItemKind::DomainTransfer
        )
    }

    /// One of it per order line makes sense (a domain, a tariff change): the quantity stays 1.
    pub fn single(self) -> bool {
        matches!(
            self,
            ItemKind::DomainRegistration | ItemKind::DomainTransfer | ItemKind::TariffChange
        )
    }

    /// Whether a paid order of it needs people by default: an installation, a device to send,
    /// a domain at the registry. Staff may change it per item.
    pub fn needs_people_by_default(self) -> bool {
        matches!(
            self,
            ItemKind::Service
                | ItemKind::Device
                | ItemKind::DomainRegistration
                | ItemKind::DomainTransfer
        )
    }
}

/// A catalogue item as staff typed it.
#[derive(Debug, Clone, Default)]
pub struct ItemForm {
    pub kind: String,
    pub name: String,
    pub description: String,
    /// "gross" or "net": which of the two the price is.
    pub price_is: String,
    pub price: String,
    pub vat_rate: String,
    pub monthly_fee: String,
    pub tariff_id: Option<i64>,
    pub needs_people: bool,
    pub needs_installation: bool,
}

/// An item that passed every check (grosze).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: ItemKind,
    pub name: String,
    pub description: String,
    pub price_gross: i64,
    pub price_net: i64,
    pub vat_rate: VatRate,
    pub monthly_fee: i64,
    pub tariff_id: Option<i64>,
    pub needs_people: bool,
    pub needs_installation: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemProblem {
    BadKind,
    NameMissing,
    NameTooLong,
    DescriptionTooLong,
    BadPrice,
    BadVatRate,
    BadMonthlyFee,
    TariffMissing,
}

fn amount(text: &str, allow_zero: bool) -> Option<i64> {
    if allow_zero && text.trim().is_empty() {
        return Some(0);
    }
    Money::parse_pl(text)
        .ok()
        .map(Money::grosze)
        .filter(|g| (*g > 0 || (allow_zero && *g == 0)) && *g <= MAX_PRICE)
}

/// Net from gross and gross from net at a rate, half-up to the grosz (no VAT for zw/np).
pub fn net_and_gross(price: i64, price_is_gross: bool, rate: VatRate) -> (i64, i64) {
    let Some(percent) = rate.percent() else {
        return (price, price);
    };
    let factor = Decimal::ONE + percent / Decimal::from(100);
    let other = |value: Decimal| {
        value
            .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            .try_into()
            .unwrap_or(i64::MAX)
    };
    if price_is_gross {
        (other(Decimal::from(price) / factor), price)
    } else {
        (price, other(Decimal::from(price) * factor))
    }
}

/// Checks a catalogue item: a kind, a name, a price (gross or net) and a VAT rate; a tariff
/// change names its tariff.
pub fn check_item(form: &ItemForm) -> Result<Item, Vec<ItemProblem>> {
    let mut problems = Vec::new();
    let kind = ItemKind::parse(form.kind.trim());
    if kind.is_none() {
        problems.push(ItemProblem::BadKind);
    }
    let name = crate::domain::bank_statement::tidy(&form.name);
    if name.is_empty() {
        problems.push(ItemProblem::NameMissing);
    } else if name.chars().count() > 100 {
        problems.push(ItemProblem::NameTooLong);
    }
    let description = form.description.trim().to_owned();
    if description.chars().count() > 500 {
        problems.push(ItemProblem::DescriptionTooLong);
    }
    let price = amount(&form.price, false);
    if price.is_none() {
        problems.push(ItemProblem::BadPrice);
    }
    let rate = VatRate::parse(&form.vat_rate).ok();
    if rate.is_none() {
        problems.push(ItemProblem::BadVatRate);
    }
    let monthly_fee = amount(&form.monthly_fee, true);
    if monthly_fee.is_none() {
        problems.push(ItemProblem::BadMonthlyFee);
    }
    if kind == Some(ItemKind::TariffChange) && form.tariff_id.is_none() {
        problems.push(ItemProblem::TariffMissing);
    }
    match (kind, price, rate, monthly_fee, problems.is_empty()) {
        (Some(kind), Some(price), Some(rate), Some(monthly_fee), true) => {
            let (price_net, price_gross) = net_and_gross(price, form.price_is != "net", rate);
            if price_net <= 0 {
                return Err(vec![ItemProblem::BadPrice]);
            }
            Ok(Item {
                kind,
                name,
                description,
                price_gross,
                price_net,
                vat_rate: rate,
                monthly_fee,
                tariff_id: form.tariff_id.filter(|_| kind == ItemKind::TariffChange),
                needs_people: form.needs_people,
                needs_installation: form.needs_installation,
            })
        }
        _ => Err(problems),
    }
}

/// Why a quantity is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantityProblem {
    BelowOne,
    TooMany,
    NotANumber,
}

/// A quantity typed or sent by the +/− buttons: 1 to 99.
pub fn check_quantity(text: &str) -> Result<i32, QuantityProblem> {
    let value: i64 = text
        .trim()
        .parse()
        .map_err(|_| QuantityProblem::NotANumber)?;
    if value < 1 {
        Err(QuantityProblem::BelowOne)
    } else if value > i64::from(MAX_QUANTITY) {
        Err(QuantityProblem::TooMany)
    } else {
        Ok(value as i32)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DomainProblem {
    Missing,
    BadSyntax,
    AuthCodeMissing,
    AuthCodeBad,
}

/// A domain name as the registry takes it: lower case, labels of 1–63 letters, digits and
/// hyphens (not at either end), at least two labels, a top-level label of letters, 253
/// characters at most. Polish letters are refused: the portal does not register IDN names.
pub fn check_domain(input: &str) -> Result<String, DomainProblem> {
    let name = input
        .trim()
        .trim_end_matches('.')
        .trim_start_matches("www.")
        .to_ascii_lowercase();
    if name.is_empty() {
        return Err(DomainProblem::Missing);
    }
    if name.len() > 253 {
        return Err(DomainProblem::BadSyntax);
    }
    let labels: Vec<&str> = name.split('.').collect();
    if labels.len() < 2 {
        return Err(DomainProblem::BadSyntax);
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    if !labels.iter().all(|l| label_ok(l)) {
        return Err(DomainProblem::BadSyntax);
    }
    let top = labels[labels.len() - 1];
    if top.len() < 2 || !top.chars().all(|c| c.is_ascii_lowercase()) {
        return Err(DomainProblem::BadSyntax);
    }
    Ok(name)
}

/// A transfer's auth code (AuthInfo): 6–64 printable characters without spaces.
pub fn check_auth_code(input: &str) -> Result<String, DomainProblem> {
    let code = input.trim();
    if code.is_empty() {
        return Err(DomainProblem::AuthCodeMissing);
    }
    if !(6..=64).contains(&code.chars().count()) || !code.chars().all(|c| c.is_ascii_graphic()) {
        return Err(DomainProblem::AuthCodeBad);
    }
    Ok(code.to_owned())
}

/// One line of an order before it is written: `unit_price` after the order's price kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedLine {
    pub name: String,
    pub quantity: i32,
    pub unit_price: i64,
    pub rate: VatRate,
}

/// What an order's lines come to: each line's gross and the total, exactly as
/// `vat::compute` (the invoice's own computation) gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub line_gross: Vec<i64>,
    pub total_gross: i64,
}

pub fn totals(lines: &[PricedLine], method: PriceKind) -> Result<Totals, VatError> {
    let inputs: Vec<LineInput> = lines
        .iter()
        .map(|l| LineInput {
            name: l.name.clone(),
            quantity: Decimal::from(l.quantity),
            unit_price: Money::from_grosze(l.unit_price),
            rate: l.rate,
        })
        .collect();
    let computed = vat::compute(&inputs, method)?;
    Ok(Totals {
        line_gross: computed.lines.iter().map(|l| l.gross.grosze()).collect(),
        total_gross: computed.gross.grosze(),
    })
}

/// The online fee line: the ISP's fee (gross, 23 % VAT) for each item bought; none when the
/// fee is 0. Returned after the price kind: net for a company.
pub fn fee_line(fee_gross: i64, items: i32, method: PriceKind) -> Option<PricedLine> {
    if fee_gross <= 0 || items <= 0 {
        return None;
    }
    let unit_price = match method {
        PriceKind::Gross => fee_gross,
        PriceKind::Net => net_and_gross(fee_gross, true, VatRate::Standard23).0,
    };
    Some(PricedLine {
        name: "Opłata za obsługę płatności online".into(),
        quantity: items,
        unit_price,
        rate: VatRate::Standard23,
    })
}

crate::domain::words::stored_words!(
    /// Whether a paid order waits for people (`shop_orders.fulfilment`): an installation, a
    /// device to send.
    Fulfilment {
        /// Nothing to do by hand: it took effect when paid.
        None = "none",
        Waiting = "waiting",
        InProgress = "in_progress",
        Done = "done",
    }
);

crate::domain::words::stored_words!(
    /// A shop order's payment (`shop_orders.status`).
    ShopOrderStatus {
        Unpaid = "unpaid",
        Paid = "paid",
        /// Not paid in time, or cancelled at PayU.
        Cancelled = "cancelled",
    }
);

impl Fulfilment {
    /// The step staff may take from here: waiting → in progress → done.
    pub fn next(self) -> Option<Fulfilment> {
        match self {
            Fulfilment::Waiting => Some(Fulfilment::InProgress),
            Fulfilment::InProgress => Some(Fulfilment::Done),
            Fulfilment::None | Fulfilment::Done => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_names_are_checked_for_syntax() {
        assert_eq!(check_domain(" Moja-Firma.PL. "), Ok("moja-firma.pl".into()));
        assert_eq!(check_domain("www.sklep.com.pl"), Ok("sklep.com.pl".into()));
        for bad in [
            "",
            "localhost",
            "-zla.pl",
            "zla-.pl",
            "zła.pl",
            "a..pl",
            "a.p",
            "a.p1",
        ] {
            assert!(check_domain(bad).is_err(), "{bad}");
        }
        assert!(check_domain(&format!("{}.pl", "a".repeat(64))).is_err());
    }

    #[test]
    fn auth_codes_need_six_printable_characters() {
        assert_eq!(check_auth_code(""), Err(DomainProblem::AuthCodeMissing));
        assert_eq!(check_auth_code("abc"), Err(DomainProblem::AuthCodeBad));
        assert_eq!(check_auth_code("ab cd ef"), Err(DomainProblem::AuthCodeBad));
        assert_eq!(check_auth_code(" Xy7#kL9q "), Ok("Xy7#kL9q".into()));
    }

    #[test]
    fn quantities_are_one_to_ninety_nine() {
        assert_eq!(check_quantity("0"), Err(QuantityProblem::BelowOne));
        assert_eq!(check_quantity("-3"), Err(QuantityProblem::BelowOne));
        assert_eq!(check_quantity("100"), Err(QuantityProblem::TooMany));
        assert_eq!(
            check_quantity("99999999999999999999"),
            Err(QuantityProblem::NotANumber)
        );
        assert_eq!(check_quantity("x"), Err(QuantityProblem::NotANumber));
        assert_eq!(check_quantity(" 3 "), Ok(3));
    }

    #[test]
    fn prices_are_kept_gross_and_net() {
        assert_eq!(
            net_and_gross(12_300, true, VatRate::Standard23),
            (10_000, 12_300)
        );
        assert_eq!(
            net_and_gross(10_000, false, VatRate::Standard23),
            (10_000, 12_300)
        );
        assert_eq!(net_and_gross(9_999, true, VatRate::Exempt), (9_999, 9_999));
        let form = ItemForm {
            kind: "device".into(),
            name: "Router".into(),
            price_is: "net".into(),
            price: "100,00".into(),
            vat_rate: "23".into(),
            ..ItemForm::default()
        };
        let item = check_item(&form).unwrap();
        assert_eq!((item.price_net, item.price_gross), (10_000, 12_300));
        let bad = check_item(&ItemForm {
            kind: "tariff_change".into(),
            ..ItemForm::default()
        })
        .unwrap_err();
        assert!(bad.contains(&ItemProblem::TariffMissing));
        assert!(bad.contains(&ItemProblem::BadPrice));
    }

    #[test]
    fn the_total_is_the_invoices_and_the_fee_is_per_item() {
        let lines = vec![
            PricedLine {
                name: "Router".into(),
                quantity: 2,
                unit_price: 12_300,
                rate: VatRate::Standard23,
            },
            fee_line(100, 2, PriceKind::Gross).unwrap(),
        ];
        let t = totals(&lines, PriceKind::Gross).unwrap();
        assert_eq!(t.line_gross, vec![24_600, 200]);
        assert_eq!(t.total_gross, 24_800);
        assert_eq!(fee_line(0, 3, PriceKind::Gross), None);
        assert_eq!(fee_line(100, 1, PriceKind::Net).unwrap().unit_price, 81);
    }
}
