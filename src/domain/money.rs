//! Amounts in Polish złoty, held as whole grosze (1 zł = 100 gr).
//!
//! Integer grosze, not `Decimal`, because every amount on an invoice, a payment or a balance is
//! already rounded to the grosz; `Decimal` is only for intermediate results (VAT, interest), which
//! come back through [`Money::from_decimal_half_up`].

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// Characters that may group thousands in typed or pasted amounts: a space, and the no-break
/// spaces that spreadsheets and web pages put there.
const GROUP_SEPARATORS: [char; 3] = [' ', '\u{a0}', '\u{202f}'];

/// An amount in grosze. Serialises as the bare integer of grosze.
///
/// The arithmetic operators use plain `i64` arithmetic: they panic on overflow in debug builds and
/// wrap in release. That is accepted because `i64` grosze cover ±92 quadrillion złoty, far beyond
/// any ISP ledger; where the operands come from outside (a bank statement, an import), use
/// [`Money::checked_add`] and [`Money::checked_sub`].
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("amount is too large")]
    OutOfRange,
    #[error("amount may have at most 2 decimal places")]
    TooManyDecimals,
    #[error("not an amount")]
    Invalid,
}

impl Money {
    pub const fn from_grosze(grosze: i64) -> Money {
        Money(grosze)
    }

    pub const fn zero() -> Money {
        Money(0)
    }

    pub const fn grosze(self) -> i64 {
        self.0
    }

    /// The amount in złoty with scale 2 (`12.00`, not `12`).
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// Rounds a computed amount to the grosz.
    pub fn from_decimal_half_up(amount: Decimal) -> Result<Money, MoneyError> {
        // art. 106e ust. 11: half-up to the grosz, i.e. 0.005 → 0.01 and −0.005 → −0.01
        // (away from zero, so corrections mirror the invoices they correct).
        let rounded = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        rounded
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|grosze| grosze.to_i64())
            .map(Money)
            .ok_or(MoneyError::OutOfRange)
    }

    /// Parses an amount as Polish people and documents write it: "1234,56", "1 234,56",
    /// "1234.56", "1 234,56 zł", "12", "-5,5". Thousands groups, when used, must be complete
    /// ("1 234", not "12 34"), so a stray space cannot silently change the amount.
    pub fn parse_pl(input: &str) -> Result<Money, MoneyError> {
        let s = strip_currency(input.trim()).trim_end();
        let (negative, s) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (whole, fraction) = match s.find([',', '.']) {
            Some(i) => (&s[..i], Some(&s[i + 1..])),
            None => (s, None),
        };
        let zloty = parse_grouped_digits(whole)?;
        let grosze = match fraction {
            Some(fraction) => parse_fraction(fraction)?,
            None => 0,
        };
        let total = zloty
            .checked_mul(100)
            .and_then(|g| g.checked_add(grosze))
            .ok_or(MoneyError::OutOfRange)?;
        Ok(Money(if negative { -total } else { total }))
    }

    pub fn checked_add(self, rhs: Money) -> Option<Money> {
        self.0.checked_add(rhs.0).map(Money)
    }

    pub fn checked_sub(self, rhs: Money) -> Option<Money> {
        self.0.checked_sub(rhs.0).map(Money)
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Like `i64::abs`: overflows only for `i64::MIN` grosze, which no real amount reaches.
    pub fn abs(self) -> Money {
        Money(self.0.abs())
    }

    /// The amount without currency, Polish style: "1 234,56", "-0,05".
    pub fn format_amount(self) -> String {
        self.grouped(' ', ',')
    }

    /// English style with the currency code first: "PLN 1,234.56", "PLN -0.05".
    pub fn to_english(self) -> String {
        format!("PLN {}", self.grouped(',', '.'))
    }

    fn grouped(self, thousands: char, decimal: char) -> String {
        // unsigned_abs so that even i64::MIN formats instead of overflowing.
        let abs = self.0.unsigned_abs();
        let zloty = (abs / 100).to_string();
        let mut out = String::with_capacity(zloty.len() * 4 / 3 + 4);
        if self.0 < 0 {
            out.push('-');
        }
        for (i, digit) in zloty.chars().enumerate() {
            if i > 0 && (zloty.len() - i).is_multiple_of(3) {
                out.push(thousands);
            }
            out.push(digit);
        }
        out.push(decimal);
        out.push_str(&format!("{:02}", abs % 100));
        out
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} zł", self.format_amount())
    }
}

impl Add for Money {
    type Output = Money;

    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl Sub for Money {
    type Output = Money;

    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Neg for Money {
    type Output = Money;

    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::zero(), Add::add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

/// Drops a trailing currency: "zł" as printed, "zl" as typed without Polish letters, or "PLN".
fn strip_currency(s: &str) -> &str {
    ["zł", "Zł", "ZŁ", "zl", "Zl", "ZL", "PLN", "pln"]
        .iter()
        .find_map(|suffix| s.strip_suffix(suffix))
        .unwrap_or(s)
}

/// Whole złoty: plain digits, or digits grouped by three after a first group of one to three.
fn parse_grouped_digits(s: &str) -> Result<i64, MoneyError> {
    let groups: Vec<&str> = s.split(GROUP_SEPARATORS).collect();
    let well_formed = groups.iter().enumerate().all(|(i, group)| {
        let len_ok = match (i, groups.len()) {
            (_, 1) => !group.is_empty(),
            (0, _) => (1..=3).contains(&group.len()),
            _ => group.len() == 3,
        };
        len_ok && group.bytes().all(|b| b.is_ascii_digit())
    });
    if !well_formed {
        return Err(MoneyError::Invalid);
    }
    groups
        .iter()
        .flat_map(|group| group.bytes())
        .try_fold(0i64, |acc, b| {
            acc.checked_mul(10)?.checked_add(i64::from(b - b'0'))
        })
        .ok_or(MoneyError::OutOfRange)
}

/// The part after the decimal separator, as grosze: "5" → 50, "05" → 5.
fn parse_fraction(s: &str) -> Result<i64, MoneyError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(MoneyError::Invalid);
    }
    match s.as_bytes() {
        [d] => Ok(i64::from(d - b'0') * 10),
        [d1, d2] => Ok(i64::from(d1 - b'0') * 10 + i64::from(d2 - b'0')),
        _ => Err(MoneyError::TooManyDecimals),
    }
}

#[cfg(test)]
mod tests;
