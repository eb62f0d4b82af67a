//! Top-up packages ("doładowania"): what staff may define, what a bought package credits, when
//! its credit lapses, and in which order lapsing credit is spent.
//!
//! VAT: an ISP's top-up is a prepayment for telecom services. For those the tax point is the
//! invoice (art. 19a ust. 5 pkt 4 ustawy o VAT), and art. 19a ust. 8 (tax on receipt of an
//! advance) applies "z zastrzeżeniem ust. 5 pkt 4", so receiving the money creates no VAT and
//! needs no advance invoice ("faktura zaliczkowa"). The credit pays later invoices, which carry
//! the VAT of what they sell; that is also how a multi-purpose voucher (art. 8b) is taxed. A
//! package therefore has no VAT rate of its own.

use chrono::{Duration, NaiveDate};

use crate::domain::Money;

/// The longest validity staff may give a package (ten years).
pub const MAX_VALIDITY_DAYS: i32 = 3660;
/// The highest price or value of one package (100 000 zł), so a typo cannot sell a fortune.
pub const MAX_AMOUNT: i64 = 10_000_000;

/// A package as staff typed it.
#[derive(Debug, Clone, Default)]
pub struct PackageForm {
    pub name: String,
    pub price: String,
    pub value: String,
    pub validity_days: String,
}

/// A package that passed every check (grosze).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub name: String,
    pub price: i64,
    pub value: i64,
    pub validity_days: i32,
}

/// One message per field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PackageProblem {
    NameMissing,
    NameTooLong,
    BadPrice,
    BadValue,
    ValueBelowPrice,
    BadValidity,
}

fn amount(text: &str) -> Option<i64> {
    Money::parse_pl(text)
        .ok()
        .map(Money::grosze)
        .filter(|g| *g > 0 && *g <= MAX_AMOUNT)
}

/// Checks a package form: a name, a price and a value in złoty (the value never below the
/// price: a package that credits less than it costs is not a top-up), 1–3660 days.
pub fn check_package(form: &PackageForm) -> Result<Package, Vec<PackageProblem>> {
    let mut problems = Vec::new();
    let name = crate::domain::bank_statement::tidy(&form.name);
    if name.is_empty() {
        problems.push(PackageProblem::NameMissing);
    } else if name.chars().count() > 100 {
        problems.push(PackageProblem::NameTooLong);
    }
    let price = amount(&form.price);
    if price.is_none() {
        problems.push(PackageProblem::BadPrice);
    }
    let value = amount(&form.value);
    match (price, value) {
        (_, None) => problems.push(PackageProblem::BadValue),
        (Some(price), Some(value)) if value < price => {
            problems.push(PackageProblem::ValueBelowPrice)
        }
        _ => {}
    }
    let validity_days = form
        .validity_days
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|d| (1..=MAX_VALIDITY_DAYS).contains(d));
    if validity_days.is_none() {
        problems.push(PackageProblem::BadValidity);
    }
    match (price, value, validity_days, problems.is_empty()) {
        (Some(price), Some(value), Some(validity_days), true) => Ok(Package {
            name,
            price,
            value,
            validity_days,
        }),
        _ => Err(problems),
    }
}

/// What a paid package puts in the ledger: the cash received, and the bonus the ISP adds
/// (value − price, zero when the package gives no more than it costs).
pub fn split(price: i64, value: i64) -> (i64, i64) {
    (price, (value - price).max(0))
}

/// The last day the credit of a package paid on `paid_on` can be spent: `validity_days` after
/// the payment, so a package valid for 30 days bought on 1 March is usable through 31 March.
pub fn expires_on(paid_on: NaiveDate, validity_days: i32) -> NaiveDate {
    paid_on + Duration::days(i64::from(validity_days))
}

/// Whether credit usable through `expires_on` has lapsed on `today`.
pub fn lapsed(expires_on: NaiveDate, today: NaiveDate) -> bool {
    today > expires_on
}

/// One payment's money as the credit rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreditSource {
    pub payment_id: i64,
    pub received_on: NaiveDate,
    /// When it lapses; `None` for money that never does (transfers, overpayments).
    pub expires_on: Option<NaiveDate>,
}

/// The order in which the customer's money is spent on invoices: credit that lapses first,
/// the one lapsing soonest first (so the subscriber loses as little as possible), then money
/// that never lapses, the oldest payment first as before.
pub fn spending_order(sources: &mut [CreditSource]) {
    sources.sort_by_key(|s| match s.expires_on {
        Some(day) => (0, day, s.received_on, s.payment_id),
        None => (1, s.received_on, s.received_on, s.payment_id),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn form(name: &str, price: &str, value: &str, days: &str) -> PackageForm {
        PackageForm {
            name: name.into(),
            price: price.into(),
            value: value.into(),
            validity_days: days.into(),
        }
    }

    #[test]
    fn a_package_in_zloty_becomes_grosze() {
        assert_eq!(
            check_package(&form(" Pakiet  180 ", "181,00", "234", "180")),
            Ok(Package {
                name: "Pakiet 180".into(),
                price: 18_100,
                value: 23_400,
                validity_days: 180
            })
        );
    }

    #[test]
    fn every_bad_field_is_named() {
        assert_eq!(
            check_package(&form("", "0", "abc", "0")),
            Err(vec![
                PackageProblem::NameMissing,
                PackageProblem::BadPrice,
                PackageProblem::BadValue,
                PackageProblem::BadValidity
            ])
        );
        assert_eq!(
            check_package(&form("x", "100", "99,99", "3661")),
            Err(vec![
                PackageProblem::ValueBelowPrice,
                PackageProblem::BadValidity
            ])
        );
        assert_eq!(
            check_package(&form("x", "-5", "100001", "30")),
            Err(vec![PackageProblem::BadPrice, PackageProblem::BadValue])
        );
        assert_eq!(
            check_package(&form(&"x".repeat(101), "1", "1", "1")),
            Err(vec![PackageProblem::NameTooLong])
        );
    }

    #[test]
    fn the_bonus_is_value_minus_price() {
        assert_eq!(split(18_100, 23_400), (18_100, 5_300));
        assert_eq!(split(5_000, 5_000), (5_000, 0));
    }

    #[test]
    fn credit_is_usable_on_its_last_day_and_lapsed_the_day_after() {
        let last = expires_on(day(1), 30);
        assert_eq!(last, day(31));
        assert!(!lapsed(last, day(31)));
        assert!(lapsed(last, NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()));
    }

    #[test]
    fn lapsing_credit_is_spent_soonest_first_then_money_that_never_lapses() {
        let mut sources = vec![
            CreditSource {
                payment_id: 1,
                received_on: day(1),
                expires_on: None,
            },
            CreditSource {
                payment_id: 2,
                received_on: day(2),
                expires_on: Some(day(30)),
            },
            CreditSource {
                payment_id: 3,
                received_on: day(5),
                expires_on: Some(day(20)),
            },
            CreditSource {
                payment_id: 4,
                received_on: day(3),
                expires_on: None,
            },
        ];
        spending_order(&mut sources);
        let ids: Vec<i64> = sources.iter().map(|s| s.payment_id).collect();
        assert_eq!(ids, vec![3, 2, 1, 4]);
    }
}
