//! NIP, the Polish tax identification number (10 digits).

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

/// Weights for digits 1–9; the 10th digit is `Σ wᵢ·dᵢ mod 11`, and a result of 10 is never issued.
const WEIGHTS: [u32; 9] = [6, 5, 7, 2, 3, 4, 5, 6, 7];

/// A checksum-valid NIP that the FA(3) schema also accepts. Always 10 ASCII digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct Nip(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NipError {
    #[error("NIP must have exactly 10 digits")]
    WrongLength,
    #[error("NIP may contain digits, spaces and dashes only")]
    NotDigits,
    #[error("NIP check digit does not match")]
    BadChecksum,
    /// FA(3) `TNIP` pattern `[1-9]…`: the tax-office code never starts with 0.
    #[error("NIP cannot start with 0")]
    LeadingZero,
    /// FA(3) `TNIP` pattern `[1-9]((\d[1-9])|([1-9]\d))…`: no tax-office code has the form x00,
    /// and KSeF would reject an invoice carrying such a NIP.
    #[error("NIP cannot have 0 as both its second and third digit")]
    ZeroSecondAndThirdDigit,
}

impl Nip {
    /// Parses a NIP as people write it: "1234563218", "123-456-32-18", "PL 123 456 32 18".
    pub fn parse(input: &str) -> Result<Nip, NipError> {
        let s = input.trim();
        // The EU VAT form "PL1234563218" is common on B2B invoices; the prefix is not part of NIP.
        let s = match s.get(..2) {
            Some(prefix) if prefix.eq_ignore_ascii_case("PL") => &s[2..],
            _ => s,
        };
        let digits: String = s
            .chars()
            .filter(|c| *c != '-' && !c.is_whitespace())
            .collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NipError::NotDigits);
        }
        if digits.len() != 10 {
            return Err(NipError::WrongLength);
        }
        check_tax_office_code(&digits)?;
        if check_digit(&digits[..9]) != Some(digits.as_bytes()[9] - b'0') {
            return Err(NipError::BadChecksum);
        }
        Ok(Nip(digits))
    }

    /// Builds a valid NIP for demo data by appending the check digit to nine digits.
    /// `None` when the input is not nine digits, when the check digit would be 10 (such numbers
    /// are never issued), or when FA(3) would reject the prefix.
    pub fn from_first_nine(first_nine: &str) -> Option<Nip> {
        if first_nine.len() != 9 || !first_nine.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let check = check_digit(first_nine)?;
        Nip::parse(&format!("{first_nine}{check}")).ok()
    }

    /// The ten digits, no separators: the form KSeF and the database expect.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The customary written form "123-456-32-18".
    pub fn formatted(&self) -> String {
        let d = &self.0;
        format!("{}-{}-{}-{}", &d[..3], &d[3..6], &d[6..8], &d[8..])
    }
}

impl fmt::Display for Nip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Nip {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl TryFrom<String> for Nip {
    type Error = NipError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Nip::parse(&value)
    }
}

fn check_tax_office_code(digits: &str) -> Result<(), NipError> {
    match digits.as_bytes() {
        [b'0', ..] => Err(NipError::LeadingZero),
        [_, b'0', b'0', ..] => Err(NipError::ZeroSecondAndThirdDigit),
        _ => Ok(()),
    }
}

/// Check digit for nine ASCII digits, or `None` when the sum mod 11 is 10.
fn check_digit(first_nine: &str) -> Option<u8> {
    let sum: u32 = first_nine
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    u8::try_from(sum % 11).ok().filter(|c| *c < 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nip(s: &str) -> Nip {
        Nip::parse(s).expect("test NIP is valid")
    }

    #[test]
    fn worked_example_1234563218_is_valid() {
        assert_eq!(nip("1234563218").as_str(), "1234563218");
    }

    #[test]
    fn ministry_test_nips_are_valid() {
        assert_eq!(nip("1111111111").as_str(), "1111111111");
        assert_eq!(nip("2222222222").as_str(), "2222222222");
    }

    #[test]
    fn dashes_spaces_and_pl_prefix_in_any_case_are_ignored() {
        for written in [
            "123-456-32-18",
            "123 456 32 18",
            " PL1234563218 ",
            "pl 123-456-32-18",
            "Pl123-45-63-218",
            "pL1234563218",
        ] {
            assert_eq!(nip(written).as_str(), "1234563218", "{written}");
        }
    }

    #[test]
    fn another_country_prefix_is_not_digits() {
        assert_eq!(Nip::parse("DE1234563218"), Err(NipError::NotDigits));
        assert_eq!(Nip::parse("123456321X"), Err(NipError::NotDigits));
        assert_eq!(Nip::parse("123.456.32.18"), Err(NipError::NotDigits));
    }

    #[test]
    fn nine_or_eleven_digits_is_wrong_length() {
        assert_eq!(Nip::parse("123456321"), Err(NipError::WrongLength));
        assert_eq!(Nip::parse("12345632188"), Err(NipError::WrongLength));
        assert_eq!(Nip::parse(""), Err(NipError::WrongLength));
        assert_eq!(Nip::parse("PL"), Err(NipError::WrongLength));
    }

    #[test]
    fn wrong_check_digit_is_bad_checksum() {
        assert_eq!(Nip::parse("1234563217"), Err(NipError::BadChecksum));
        assert_eq!(Nip::parse("1234563219"), Err(NipError::BadChecksum));
    }

    #[test]
    fn swapped_adjacent_digits_are_detected() {
        assert_eq!(Nip::parse("2134563218"), Err(NipError::BadChecksum));
    }

    #[test]
    fn number_whose_check_would_be_10_is_rejected_whatever_the_last_digit() {
        // 1·6 + 2·5 + 3·7 + 4·2 + 5·3 + 6·4 + 7·5 + 8·6 + 9·7 = 230; 230 mod 11 = 10.
        for last in 0..10 {
            let candidate = format!("123456789{last}");
            assert_eq!(
                Nip::parse(&candidate),
                Err(NipError::BadChecksum),
                "{candidate}"
            );
        }
        assert_eq!(Nip::from_first_nine("123456789"), None);
    }

    #[test]
    fn leading_zero_is_rejected_even_with_a_valid_checksum() {
        // 012345678: 0+5+14+6+12+20+30+42+56 = 185 → 185 mod 11 = 9.
        assert_eq!(Nip::parse("0123456789"), Err(NipError::LeadingZero));
    }

    #[test]
    fn x00_prefix_is_rejected_even_with_a_valid_checksum() {
        // 100000000: 6 → check 6.
        assert_eq!(
            Nip::parse("1000000006"),
            Err(NipError::ZeroSecondAndThirdDigit)
        );
        // 101000000: 6 + 7 = 13 → check 2; one non-zero digit in positions 2–3 is enough.
        assert_eq!(nip("1010000002").as_str(), "1010000002");
    }

    #[test]
    fn from_first_nine_appends_the_check_digit() {
        assert_eq!(Nip::from_first_nine("123456321"), Some(nip("1234563218")));
        assert_eq!(Nip::from_first_nine("111111111"), Some(nip("1111111111")));
    }

    #[test]
    fn from_first_nine_refuses_what_parse_would_refuse() {
        assert_eq!(Nip::from_first_nine("012345678"), None);
        assert_eq!(Nip::from_first_nine("100000000"), None);
        assert_eq!(Nip::from_first_nine("12345632"), None);
        assert_eq!(Nip::from_first_nine("12345632a"), None);
    }

    #[test]
    fn every_generated_nip_parses_back() {
        for n in (101_000_000u32..999_999_999).step_by(7_919_113) {
            if let Some(generated) = Nip::from_first_nine(&n.to_string()) {
                assert_eq!(Nip::parse(&generated.formatted()), Ok(generated));
            }
        }
    }

    #[test]
    fn formatted_groups_three_three_two_two() {
        assert_eq!(nip("1234563218").formatted(), "123-456-32-18");
    }

    #[test]
    fn display_shows_digits_only() {
        assert_eq!(nip("PL 123-456-32-18").to_string(), "1234563218");
    }

    #[test]
    fn serializes_as_the_digit_string() {
        let json = serde_json::to_string(&nip("123-456-32-18")).expect("serialize");
        assert_eq!(json, "\"1234563218\"");
    }

    #[test]
    fn deserializing_validates_and_normalises() {
        let parsed: Nip = serde_json::from_str("\"PL123-456-32-18\"").expect("valid NIP");
        assert_eq!(parsed.as_str(), "1234563218");
        assert!(serde_json::from_str::<Nip>("\"1234563217\"").is_err());
        assert!(serde_json::from_str::<Nip>("1234563218").is_err());
    }
}
