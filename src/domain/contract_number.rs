//! The number of a subscriber's contract ("numer umowy"), as the ISP writes it.
//!
//! ISPs use their own schemes ("UM/2024/00123", "INT-00042", "12/2025"), so the rules only fix
//! what a person can type back reliably. Normalising (trim, ASCII upper case) matters because
//! registration compares the number the customer typed with the stored one.

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

const MIN_LEN: usize = 3;
const MAX_LEN: usize = 32;
const SEPARATORS: [char; 4] = ['/', '-', '.', '_'];

/// A normalised contract number: 3–32 characters of `A–Z 0–9 / - . _`, at least one digit,
/// starting and ending with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct ContractNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ContractNumberError {
    #[error("contract number is empty")]
    Empty,
    #[error("contract number must have 3 to 32 characters")]
    WrongLength,
    /// Also returned for a separator at the start or end ("/2024/1"): such a number is almost
    /// always a copy-paste slip, and accepting it would make "UM/1" and "UM/1/" different contracts.
    #[error("contract number may contain only letters A–Z, digits and / - . _ between them")]
    InvalidCharacter,
    #[error("contract number must contain at least one digit")]
    NoDigit,
}

impl ContractNumber {
    pub fn parse(input: &str) -> Result<ContractNumber, ContractNumberError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(ContractNumberError::Empty);
        }
        if !(MIN_LEN..=MAX_LEN).contains(&s.chars().count()) {
            return Err(ContractNumberError::WrongLength);
        }
        let normalised = s.to_ascii_uppercase();
        let allowed =
            |c: char| c.is_ascii_uppercase() || c.is_ascii_digit() || SEPARATORS.contains(&c);
        if !normalised.chars().all(allowed) {
            return Err(ContractNumberError::InvalidCharacter);
        }
        if normalised.starts_with(SEPARATORS) || normalised.ends_with(SEPARATORS) {
            return Err(ContractNumberError::InvalidCharacter);
        }
        if !normalised.bytes().any(|b| b.is_ascii_digit()) {
            return Err(ContractNumberError::NoDigit);
        }
        Ok(ContractNumber(normalised))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ContractNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for ContractNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl TryFrom<String> for ContractNumber {
    type Error = ContractNumberError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        ContractNumber::parse(&value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(s: &str) -> Result<String, ContractNumberError> {
        ContractNumber::parse(s).map(|n| n.as_str().to_owned())
    }

    #[test]
    fn typical_isp_numbers_are_accepted_unchanged() {
        for number in ["UM/2024/00123", "INT-00042", "12/2025", "A.1_B", "007"] {
            assert_eq!(parsed(number), Ok(number.to_owned()));
        }
    }

    #[test]
    fn typed_number_is_trimmed_and_upper_cased_so_it_matches_the_stored_one() {
        assert_eq!(parsed(" um/2024/00123 "), Ok("UM/2024/00123".to_owned()));
        assert_eq!(
            ContractNumber::parse("int-00042\n"),
            ContractNumber::parse("INT-00042")
        );
    }

    #[test]
    fn blank_input_is_empty() {
        assert_eq!(parsed(""), Err(ContractNumberError::Empty));
        assert_eq!(parsed("   \t"), Err(ContractNumberError::Empty));
    }

    #[test]
    fn length_must_be_between_3_and_32_after_trimming() {
        assert_eq!(parsed("12"), Err(ContractNumberError::WrongLength));
        assert_eq!(parsed("  12  "), Err(ContractNumberError::WrongLength));
        assert_eq!(parsed("123"), Ok("123".to_owned()));
        let longest = "1".repeat(32);
        assert_eq!(parsed(&longest), Ok(longest.clone()));
        assert_eq!(
            parsed(&"1".repeat(33)),
            Err(ContractNumberError::WrongLength)
        );
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        // 17 characters but 34 bytes: reported as what it is, an invalid character.
        assert_eq!(
            parsed(&"ł".repeat(17)),
            Err(ContractNumberError::InvalidCharacter)
        );
    }

    #[test]
    fn inner_spaces_polish_letters_and_other_punctuation_are_invalid() {
        for number in [
            "UM 2024/1",
            "UMÓW/2024/1",
            "UM\\2024",
            "UM#12",
            "UM/2024/1,5",
            "ｕｍ/12",
        ] {
            assert_eq!(
                parsed(number),
                Err(ContractNumberError::InvalidCharacter),
                "{number}"
            );
        }
    }

    #[test]
    fn leading_or_trailing_separator_is_invalid() {
        for number in ["/2024/1", "UM/2024/", "-42", "42.", "_42", "42_"] {
            assert_eq!(
                parsed(number),
                Err(ContractNumberError::InvalidCharacter),
                "{number}"
            );
        }
    }

    #[test]
    fn number_without_any_digit_is_rejected() {
        assert_eq!(parsed("UMOWA"), Err(ContractNumberError::NoDigit));
        assert_eq!(parsed("A-B"), Err(ContractNumberError::NoDigit));
    }

    #[test]
    fn display_and_serialize_give_the_normalised_form() {
        let number = ContractNumber::parse(" int-00042 ").expect("valid");
        assert_eq!(number.to_string(), "INT-00042");
        let json = serde_json::to_string(&number).expect("serialize");
        assert_eq!(json, "\"INT-00042\"");
    }

    #[test]
    fn deserializing_normalises_and_validates() {
        let number: ContractNumber = serde_json::from_str("\"um/1\"").expect("valid");
        assert_eq!(number.as_str(), "UM/1");
        assert!(serde_json::from_str::<ContractNumber>("\"UMOWA\"").is_err());
    }
}
