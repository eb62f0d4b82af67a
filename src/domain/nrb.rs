//! NRB, the Polish bank account number (26 digits; IBAN = "PL" + NRB).
//!
//! Layout: `KK` check digits + 8-digit sort code ("numer rozliczeniowy") + 16-digit account part.
//! Check digits follow ISO 7064 MOD 97-10 as for any IBAN (PN-F-01102, ISO 13616).

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

/// "PL" with letters as numbers (P = 25, L = 21), moved behind the BBAN for the mod-97 check.
const COUNTRY_DIGITS: &str = "2521";

/// Weights for the sort code's own check digit (its 8th digit), over its first seven digits.
const SORT_CODE_WEIGHTS: [u32; 7] = [3, 9, 7, 1, 3, 9, 7];

const BBAN_LEN: usize = 24;

/// A bank account number with valid check digits. Always 26 ASCII digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct Nrb(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NrbError {
    #[error("account number must have exactly 26 digits")]
    WrongLength,
    #[error("account number may contain digits and spaces only")]
    NotDigits,
    #[error("account number check digits do not match")]
    BadChecksum,
    #[error(
        "account prefix must be an 8-digit sort code with a valid check digit, followed by at most 12 more digits"
    )]
    BadPrefix,
    #[error("customer number does not fit in the individual account number")]
    CustomerNumberTooLarge,
}

impl Nrb {
    /// Parses an account number as people paste it: "61 1090 1014 0000 0712 1981 2874",
    /// "PL61109010140000071219812874".
    pub fn parse(input: &str) -> Result<Nrb, NrbError> {
        let s = input.trim();
        let s = match s.get(..2) {
            Some(prefix) if prefix.eq_ignore_ascii_case("PL") => &s[2..],
            _ => s,
        };
        // Any whitespace, not just U+0020: numbers copied from bank web pages carry U+00A0.
        let digits: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NrbError::NotDigits);
        }
        if digits.len() != 26 {
            return Err(NrbError::WrongLength);
        }
        let (check, bban) = digits.split_at(2);
        if mod97(&[bban, COUNTRY_DIGITS, check]) != 1 {
            return Err(NrbError::BadChecksum);
        }
        Ok(Nrb(digits))
    }

    /// Computes the check digits for a 24-digit BBAN (sort code + account part).
    pub fn from_bban(bban: &str) -> Result<Nrb, NrbError> {
        if !bban.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NrbError::NotDigits);
        }
        if bban.len() != BBAN_LEN {
            return Err(NrbError::WrongLength);
        }
        let check = 98 - mod97(&[bban, COUNTRY_DIGITS, "00"]);
        Ok(Nrb(format!("{check:02}{bban}")))
    }

    /// The individual ("virtual") account of one customer, for mass payment identification:
    /// `account_prefix` is the ISP's fixed part agreed with the bank (8-digit sort code followed by
    /// the bank-assigned client prefix, 8..=20 digits in all), and the customer number is
    /// zero-padded into the remaining positions of the BBAN.
    ///
    /// The sort code's own check digit is verified too: a typo in the configured prefix would
    /// otherwise yield thousands of mod-97-valid numbers that no bank routes.
    pub fn for_customer(account_prefix: &str, customer_number: u64) -> Result<Nrb, NrbError> {
        let prefix_ok = (8..=20).contains(&account_prefix.len())
            && account_prefix.bytes().all(|b| b.is_ascii_digit())
            && sort_code_is_valid(&account_prefix[..8]);
        if !prefix_ok {
            return Err(NrbError::BadPrefix);
        }
        let width = BBAN_LEN - account_prefix.len();
        let customer = format!("{customer_number:0width$}");
        if customer.len() > width {
            return Err(NrbError::CustomerNumberTooLarge);
        }
        Nrb::from_bban(&format!("{account_prefix}{customer}"))
    }

    /// The 26 digits, no spaces and no country code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The written form "53 1020 1026 7777 0000 0000 1234": check digits, then groups of four.
    pub fn formatted(&self) -> String {
        let (check, bban) = self.0.split_at(2);
        let mut out = String::with_capacity(32);
        out.push_str(check);
        for group in bban.as_bytes().chunks(4) {
            out.push(' ');
            out.extend(group.iter().map(|b| char::from(*b)));
        }
        out
    }

    /// The electronic IBAN form "PL53102010267777000000001234".
    pub fn iban(&self) -> String {
        format!("PL{}", self.0)
    }
}

impl fmt::Display for Nrb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.formatted())
    }
}

impl Serialize for Nrb {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl TryFrom<String> for Nrb {
    type Error = NrbError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Nrb::parse(&value)
    }
}

/// The remainder mod 97 of the concatenated ASCII-digit parts, one digit at a time so that a
/// 30-digit number never needs more than a `u32`.
fn mod97(parts: &[&str]) -> u32 {
    parts
        .iter()
        .flat_map(|part| part.bytes())
        .fold(0, |rest, b| (rest * 10 + u32::from(b - b'0')) % 97)
}

fn sort_code_is_valid(sort_code: &str) -> bool {
    let digits: Vec<u32> = sort_code.bytes().map(|b| u32::from(b - b'0')).collect();
    let sum: u32 = digits
        .iter()
        .zip(SORT_CODE_WEIGHTS)
        .map(|(d, w)| d * w)
        .sum();
    (10 - sum % 10) % 10 == digits[7]
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORKED_EXAMPLE: &str = "61109010140000071219812874";

    fn nrb(s: &str) -> Nrb {
        Nrb::parse(s).expect("test account number is valid")
    }

    #[test]
    fn worked_example_pl61_validates_in_every_written_form() {
        for written in [
            "PL61 1090 1014 0000 0712 1981 2874",
            "pl61109010140000071219812874",
            "61 1090 1014 0000 0712 1981 2874",
            "  61109010140000071219812874\t",
            "61\u{a0}1090\u{a0}1014\u{a0}0000\u{a0}0712\u{a0}1981\u{a0}2874",
        ] {
            assert_eq!(nrb(written).as_str(), WORKED_EXAMPLE, "{written}");
        }
    }

    #[test]
    fn worked_example_check_digits_are_computed_from_the_bban() {
        let computed = Nrb::from_bban("109010140000071219812874").expect("24 digits");
        assert_eq!(computed.as_str(), WORKED_EXAMPLE);
    }

    #[test]
    fn individual_account_for_customer_1234_matches_the_worked_example() {
        let account = Nrb::for_customer("102010267777", 1234).expect("valid prefix");
        assert_eq!(account.as_str(), "53102010267777000000001234");
        assert_eq!(account.formatted(), "53 1020 1026 7777 0000 0000 1234");
        assert_eq!(account.iban(), "PL53102010267777000000001234");
        assert_eq!(Nrb::parse(account.as_str()), Ok(account));
    }

    #[test]
    fn individual_accounts_are_valid_for_every_prefix_length() {
        let prefix = "10201026123456789012";
        for len in 8..=20 {
            let account = Nrb::for_customer(&prefix[..len], 42).expect("prefix is valid");
            assert!(account.as_str().ends_with("42"));
            assert_eq!(&account.as_str()[2..2 + len], &prefix[..len]);
            assert_eq!(Nrb::parse(&account.formatted()), Ok(account));
        }
    }

    #[test]
    fn customer_number_filling_every_free_position_fits() {
        let full = Nrb::for_customer("102010267777", 999_999_999_999).expect("12 digits fit");
        assert_eq!(&full.as_str()[2..], "102010267777999999999999");
        let zero = Nrb::for_customer("102010267777", 0).expect("0 fits");
        assert_eq!(&zero.as_str()[2..], "102010267777000000000000");
    }

    #[test]
    fn customer_number_longer_than_the_free_positions_is_too_large() {
        assert_eq!(
            Nrb::for_customer("102010267777", 1_000_000_000_000),
            Err(NrbError::CustomerNumberTooLarge)
        );
        assert_eq!(
            Nrb::for_customer("10201026123456789012", 10_000),
            Err(NrbError::CustomerNumberTooLarge)
        );
        assert!(Nrb::for_customer("10201026", u64::MAX).is_err());
    }

    #[test]
    fn prefix_shorter_than_a_sort_code_or_longer_than_20_is_bad() {
        assert_eq!(Nrb::for_customer("1020102", 1), Err(NrbError::BadPrefix));
        assert_eq!(
            Nrb::for_customer("102010261234567890123", 1),
            Err(NrbError::BadPrefix)
        );
        assert_eq!(Nrb::for_customer("", 1), Err(NrbError::BadPrefix));
    }

    #[test]
    fn prefix_with_non_digits_is_bad() {
        assert_eq!(
            Nrb::for_customer("1020 1026 7777", 1),
            Err(NrbError::BadPrefix)
        );
        assert_eq!(
            Nrb::for_customer("PL102010267777", 1),
            Err(NrbError::BadPrefix)
        );
        assert_eq!(Nrb::for_customer("10201026ąę", 1), Err(NrbError::BadPrefix));
    }

    #[test]
    fn prefix_whose_sort_code_check_digit_is_wrong_is_bad() {
        assert_eq!(
            Nrb::for_customer("102010277777", 1),
            Err(NrbError::BadPrefix)
        );
        for sort_code in ["10901014", "10201026", "11402004"] {
            assert!(Nrb::for_customer(sort_code, 1).is_ok(), "{sort_code}");
        }
    }

    #[test]
    fn every_single_digit_corruption_is_detected() {
        for pos in 0..26 {
            for d in b'0'..=b'9' {
                let mut bytes = WORKED_EXAMPLE.as_bytes().to_vec();
                if bytes[pos] == d {
                    continue;
                }
                bytes[pos] = d;
                let typo = String::from_utf8(bytes).expect("ASCII digits");
                assert_eq!(Nrb::parse(&typo), Err(NrbError::BadChecksum), "{typo}");
            }
        }
    }

    #[test]
    fn swapped_adjacent_digits_are_detected() {
        assert_eq!(
            Nrb::parse("61109010140000071219818274"),
            Err(NrbError::BadChecksum)
        );
    }

    #[test]
    fn wrong_length_is_reported_after_separators_are_removed() {
        assert_eq!(
            Nrb::parse("61 1090 1014 0000 0712 1981 287"),
            Err(NrbError::WrongLength)
        );
        assert_eq!(
            Nrb::parse("PL611090101400000712198128740"),
            Err(NrbError::WrongLength)
        );
        assert_eq!(Nrb::parse(""), Err(NrbError::WrongLength));
        assert_eq!(
            Nrb::from_bban("10901014000007121981287"),
            Err(NrbError::WrongLength)
        );
    }

    #[test]
    fn dashes_letters_and_foreign_country_codes_are_not_digits() {
        assert_eq!(
            Nrb::parse("61-1090-1014-0000-0712-1981-2874"),
            Err(NrbError::NotDigits)
        );
        assert_eq!(
            Nrb::parse("DE61109010140000071219812874"),
            Err(NrbError::NotDigits)
        );
        assert_eq!(
            Nrb::from_bban("10901014000007121981287X"),
            Err(NrbError::NotDigits)
        );
    }

    #[test]
    fn check_digits_below_ten_are_zero_padded() {
        let low = (0..100_000u64)
            .filter_map(|n| Nrb::for_customer("10201026", n).ok())
            .find(|nrb| nrb.as_str().starts_with('0'))
            .expect("about one in ten numbers has check digits below 10");
        assert_eq!(low.as_str().len(), 26);
        assert_eq!(Nrb::parse(low.as_str()), Ok(low));
    }

    #[test]
    fn display_is_the_grouped_form() {
        assert_eq!(
            nrb(WORKED_EXAMPLE).to_string(),
            "61 1090 1014 0000 0712 1981 2874"
        );
    }

    #[test]
    fn serializes_as_the_26_digit_string_and_deserializing_validates() {
        let json = serde_json::to_string(&nrb("PL61 1090 1014 0000 0712 1981 2874"));
        assert_eq!(json.expect("serialize"), format!("\"{WORKED_EXAMPLE}\""));
        let back: Nrb = serde_json::from_str(&format!("\"{WORKED_EXAMPLE}\"")).expect("valid");
        assert_eq!(back.as_str(), WORKED_EXAMPLE);
        assert!(serde_json::from_str::<Nrb>("\"62109010140000071219812874\"").is_err());
    }
}
