//! PESEL, the Polish personal identification number (`RRMMDDZZZZK`).
//!
//! Personal data: the type deliberately has no `Display` and no `Serialize`, and its `Debug`
//! shows only the last four digits, so a PESEL cannot reach a log line or a template by accident.
//! Code that really needs the digits (storing, comparing at registration) calls `as_str()`.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// Weights for digits 1–10; the 11th digit is the check digit (ustawa o ewidencji ludności, art. 15).
const WEIGHTS: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];

/// The century is encoded in the month: month + offset, one offset per century.
const CENTURY_OFFSETS: [(i32, u32); 5] =
    [(1800, 80), (1900, 0), (2000, 20), (2100, 40), (2200, 60)];

/// A checksum-valid PESEL whose birth date exists. Always 11 ASCII digits.
#[derive(Clone, PartialEq, Eq)]
pub struct Pesel(String);

/// Why a typed PESEL was rejected. Carries no digits, for the same privacy reason as `Debug`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PeselError {
    #[error("PESEL must have exactly 11 digits")]
    WrongLength,
    #[error("PESEL may contain digits only")]
    NotDigits,
    #[error("PESEL check digit does not match")]
    BadChecksum,
    #[error("PESEL encodes a birth date that does not exist")]
    BadDate,
}

impl Pesel {
    /// Parses a PESEL typed by a person; surrounding whitespace is ignored.
    pub fn parse(input: &str) -> Result<Pesel, PeselError> {
        let s = input.trim();
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PeselError::NotDigits);
        }
        if s.len() != 11 {
            return Err(PeselError::WrongLength);
        }
        let digits = digit_values(s);
        if check_digit(&digits[..10]) != digits[10] {
            return Err(PeselError::BadChecksum);
        }
        decode_birth_date(&digits).ok_or(PeselError::BadDate)?;
        Ok(Pesel(s.to_owned()))
    }

    /// Builds a valid PESEL for demo data: `serial` (0..=9999) fills digits 7–10 and the check
    /// digit is computed. `None` when the serial has more than four digits or the year is outside
    /// the 1800–2299 range that PESEL can encode.
    pub fn from_birth_date_and_serial(birth: NaiveDate, serial: u16) -> Option<Pesel> {
        if serial > 9999 {
            return None;
        }
        let &(century, offset) = CENTURY_OFFSETS
            .iter()
            .find(|(century, _)| (*century..*century + 100).contains(&birth.year()))?;
        let first_ten = format!(
            "{:02}{:02}{:02}{:04}",
            birth.year() - century,
            birth.month() + offset,
            birth.day(),
            serial
        );
        let check = check_digit(&digit_values(&first_ten));
        // Going through `parse` keeps one validation path: whatever it accepts is a `Pesel`.
        Pesel::parse(&format!("{first_ten}{check}")).ok()
    }

    pub fn birth_date(&self) -> NaiveDate {
        decode_birth_date(&digit_values(&self.0))
            .expect("every Pesel passed parse, which rejects numbers whose date does not decode")
    }

    /// The 10th digit encodes sex: even for women, odd for men.
    pub fn is_female(&self) -> bool {
        self.0.as_bytes()[9].is_multiple_of(2)
    }

    /// The last four digits, safe to show as a hint ("PESEL ending in 0134").
    pub fn last_four(&self) -> &str {
        &self.0[7..]
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Pesel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pesel(*******{})", self.last_four())
    }
}

/// Numeric values of an all-ASCII-digit string.
fn digit_values(s: &str) -> Vec<u32> {
    s.bytes().map(|b| u32::from(b - b'0')).collect()
}

/// `K = (10 − (Σ wᵢ·dᵢ mod 10)) mod 10` over the first ten digits.
fn check_digit(first_ten: &[u32]) -> u32 {
    let sum: u32 = first_ten.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    (10 - sum % 10) % 10
}

fn decode_birth_date(digits: &[u32]) -> Option<NaiveDate> {
    let yy = digits[0] * 10 + digits[1];
    let encoded_month = digits[2] * 10 + digits[3];
    let day = digits[4] * 10 + digits[5];
    CENTURY_OFFSETS.iter().find_map(|&(century, offset)| {
        let month = encoded_month
            .checked_sub(offset)
            .filter(|m| (1..=12).contains(m))?;
        // yy < 100, so the cast cannot truncate; from_ymd_opt rejects 31 April and 29 Feb 1900.
        NaiveDate::from_ymd_opt(century + yy as i32, month, day)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test dates are real dates")
    }

    /// Appends the correct check digit, so a test can reach the date check.
    fn with_check_digit(first_ten: &str) -> String {
        format!("{first_ten}{}", check_digit(&digit_values(first_ten)))
    }

    fn encode(birth: NaiveDate) -> String {
        Pesel::from_birth_date_and_serial(birth, 1234)
            .expect("date is within 1800–2299")
            .as_str()
            .to_owned()
    }

    #[test]
    fn worked_example_1944_male_is_valid() {
        let p = Pesel::parse("44051401359").expect("worked example from pl-invoicing §5.1");
        assert_eq!(p.birth_date(), date(1944, 5, 14));
        assert!(!p.is_female());
        assert_eq!(p.last_four(), "1359");
        assert_eq!(p.as_str(), "44051401359");
    }

    #[test]
    fn pesel_born_in_february_2003_has_month_offset_20() {
        let p = Pesel::parse("03221202349").expect("worked example from pl-invoicing §5.1");
        assert_eq!(p.birth_date(), date(2003, 2, 12));
        assert!(p.is_female());
    }

    #[test]
    fn surrounding_whitespace_is_ignored() {
        assert_eq!(
            Pesel::parse("  44051401359\n").map(|p| p.as_str().to_owned()),
            Ok("44051401359".to_owned())
        );
    }

    #[test]
    fn too_short_or_too_long_is_wrong_length() {
        assert_eq!(Pesel::parse("4405140135"), Err(PeselError::WrongLength));
        assert_eq!(Pesel::parse("440514013590"), Err(PeselError::WrongLength));
        assert_eq!(Pesel::parse(""), Err(PeselError::WrongLength));
    }

    #[test]
    fn letters_or_inner_spaces_are_not_digits() {
        assert_eq!(Pesel::parse("4405140135X"), Err(PeselError::NotDigits));
        assert_eq!(Pesel::parse("440514 01359"), Err(PeselError::NotDigits));
        assert_eq!(Pesel::parse("４4051401359"), Err(PeselError::NotDigits));
    }

    #[test]
    fn any_single_changed_digit_fails_the_checksum() {
        let valid = "44051401359";
        for pos in 0..11 {
            for d in b'0'..=b'9' {
                let mut bytes = valid.as_bytes().to_vec();
                if bytes[pos] == d {
                    continue;
                }
                bytes[pos] = d;
                let typo = String::from_utf8(bytes).expect("ASCII digits");
                assert!(Pesel::parse(&typo).is_err(), "{typo} should be rejected");
            }
        }
        assert_eq!(Pesel::parse("44051401358"), Err(PeselError::BadChecksum));
    }

    #[test]
    fn thirty_first_of_april_is_a_bad_date() {
        assert_eq!(
            Pesel::parse(&with_check_digit("8504310123")),
            Err(PeselError::BadDate)
        );
    }

    #[test]
    fn month_outside_every_century_range_is_a_bad_date() {
        for month in [
            "00", "13", "20", "33", "40", "53", "60", "73", "80", "93", "99",
        ] {
            let pesel = with_check_digit(&format!("85{month}010123"));
            assert_eq!(
                Pesel::parse(&pesel),
                Err(PeselError::BadDate),
                "month {month}"
            );
        }
    }

    #[test]
    fn day_zero_is_a_bad_date() {
        assert_eq!(
            Pesel::parse(&with_check_digit("8501000123")),
            Err(PeselError::BadDate)
        );
    }

    #[test]
    fn february_29_exists_in_2000_because_it_is_a_leap_year() {
        let p = Pesel::parse(&with_check_digit("0022290123")).expect("29 Feb 2000 exists");
        assert_eq!(p.birth_date(), date(2000, 2, 29));
    }

    #[test]
    fn february_29_1900_is_a_bad_date_because_1900_is_not_a_leap_year() {
        assert_eq!(
            Pesel::parse(&with_check_digit("0002290123")),
            Err(PeselError::BadDate)
        );
    }

    #[test]
    fn february_29_in_an_ordinary_year_is_a_bad_date() {
        assert_eq!(
            Pesel::parse(&with_check_digit("2322290123")),
            Err(PeselError::BadDate)
        );
        assert!(Pesel::parse(&with_check_digit("2422290123")).is_ok());
    }

    #[test]
    fn century_boundaries_use_the_right_month_offset() {
        assert_eq!(&encode(date(1800, 1, 1))[..6], "008101");
        assert_eq!(&encode(date(1899, 12, 31))[..6], "999231");
        assert_eq!(&encode(date(1900, 1, 1))[..6], "000101");
        assert_eq!(&encode(date(1999, 12, 31))[..6], "991231");
        assert_eq!(&encode(date(2000, 1, 1))[..6], "002101");
        assert_eq!(&encode(date(2099, 12, 31))[..6], "993231");
        assert_eq!(&encode(date(2100, 1, 1))[..6], "004101");
        assert_eq!(&encode(date(2200, 1, 1))[..6], "006101");
        assert_eq!(&encode(date(2299, 12, 31))[..6], "997231");
    }

    #[test]
    fn century_boundary_dates_decode_back_to_the_same_date() {
        for d in [
            date(1899, 12, 31),
            date(1900, 1, 1),
            date(1999, 12, 31),
            date(2000, 1, 1),
            date(2100, 1, 1),
            date(2200, 1, 1),
        ] {
            let p = Pesel::parse(&encode(d)).expect("generated PESEL parses");
            assert_eq!(p.birth_date(), d);
        }
    }

    #[test]
    fn years_outside_1800_to_2299_cannot_be_encoded() {
        assert_eq!(
            Pesel::from_birth_date_and_serial(date(1799, 12, 31), 0),
            None
        );
        assert_eq!(Pesel::from_birth_date_and_serial(date(2300, 1, 1), 0), None);
    }

    #[test]
    fn serial_above_9999_cannot_be_encoded() {
        assert_eq!(
            Pesel::from_birth_date_and_serial(date(1990, 1, 1), 10_000),
            None
        );
        assert!(Pesel::from_birth_date_and_serial(date(1990, 1, 1), 9999).is_some());
    }

    #[test]
    fn serial_fills_digits_seven_to_ten_and_sets_sex() {
        let p = Pesel::from_birth_date_and_serial(date(1944, 5, 14), 135).expect("valid input");
        assert_eq!(p.as_str(), "44051401359");
        let woman = Pesel::from_birth_date_and_serial(date(1944, 5, 14), 134).expect("valid");
        assert!(woman.is_female());
    }

    #[test]
    fn every_day_from_1800_to_2299_round_trips_through_parse() {
        let mut day = date(1800, 1, 1);
        let mut serial: u16 = 0;
        while day <= date(2299, 12, 31) {
            let p = Pesel::from_birth_date_and_serial(day, serial).expect("date in range");
            let parsed = Pesel::parse(p.as_str()).expect("generated PESEL parses");
            assert_eq!(parsed.birth_date(), day);
            assert_eq!(parsed.is_female(), serial.is_multiple_of(2));
            assert_eq!(parsed.last_four()[..3], format!("{serial:04}")[1..]);
            serial = (serial + 7) % 10_000;
            day = day.succ_opt().expect("2299 is far from NaiveDate::MAX");
        }
    }

    #[test]
    fn debug_masks_all_but_the_last_four_digits() {
        let p = Pesel::parse("44051401359").expect("valid");
        assert_eq!(format!("{p:?}"), "Pesel(*******1359)");
        assert!(!format!("{:?}", Some(&p)).contains("440514"));
    }

    #[test]
    fn errors_do_not_echo_the_input() {
        let message = Pesel::parse("44051401358").unwrap_err().to_string();
        assert!(!message.contains("4405"));
    }
}
