//! KSeF numbers and reference numbers (pl-invoicing §3.5; reference §D.1).

use chrono::NaiveDate;

/// CRC-8, polynomial 0x07, initial value 0 (`faktury/numer-ksef.md`).
fn crc8(bytes: &[u8]) -> u8 {
    let mut crc = 0_u8;
    for byte in bytes {
        crc ^= byte;
        for _ in 0..8 {
            crc = if crc & 0x80 != 0 {
                (crc << 1) ^ 0x07
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// `NIP-YYYYMMDD-<12 hex digits>-CC`: the seller's NIP, the day KSeF took the invoice, 12 technical
/// hex digits, and the CRC-8 of the first 32 characters as two uppercase hex digits.
pub fn ksef_number(nip: &str, day: NaiveDate, technical: u64) -> String {
    let head = format!(
        "{nip}-{}-{:012X}",
        day.format("%Y%m%d"),
        technical & 0xFFFF_FFFF_FFFF
    );
    format!("{head}-{:02X}", crc8(head.as_bytes()))
}

/// Whether `number` has the KSeF number's form and a matching check sum.
pub fn is_ksef_number(number: &str) -> bool {
    let bytes = number.as_bytes();
    if bytes.len() != 35 {
        return false;
    }
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    let hex = |range: std::ops::Range<usize>| {
        bytes[range]
            .iter()
            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(b))
    };
    digits(0..10)
        && bytes[10] == b'-'
        && digits(11..19)
        && bytes[19] == b'-'
        && hex(20..32)
        && bytes[32] == b'-'
        && hex(33..35)
        && number[33..35] == format!("{:02X}", crc8(&bytes[..32]))
}

/// A 36-character reference number `YYYYMMDD-<2>-<10>-<10>-<2 check>`, `kind` being the
/// two letters of its type (CR challenge, AU authentication, SO online session, EE invoice,
/// EU UPO).
pub fn reference_number(day: NaiveDate, kind: &str, random: u128) -> String {
    let hex = format!("{:022X}", random & ((1_u128 << 88) - 1));
    format!(
        "{}-{kind}-{}-{}-{}",
        day.format("%Y%m%d"),
        &hex[..10],
        &hex[10..20],
        &hex[20..22]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ministrys_example_number_has_the_check_sum_it_shows() {
        assert!(is_ksef_number("5265877635-20250826-0100001AF629-AF"));
        assert!(!is_ksef_number("5265877635-20250826-0100001AF629-AE"));
        assert!(!is_ksef_number("5265877635-20250826-0100001AF629"));
    }

    #[test]
    fn numbers_made_here_are_valid_and_carry_nip_and_day() {
        let day = NaiveDate::from_ymd_opt(2025, 8, 26).expect("a date");
        assert_eq!(
            ksef_number("5265877635", day, 0x0100001AF629),
            "5265877635-20250826-0100001AF629-AF"
        );
        for technical in [0, 1, 0xFFFF_FFFF_FFFF, u64::MAX] {
            assert!(is_ksef_number(&ksef_number("6182007145", day, technical)));
        }
    }

    #[test]
    fn reference_numbers_have_36_characters_and_their_type() {
        let day = NaiveDate::from_ymd_opt(2026, 5, 14).expect("a date");
        let reference = reference_number(day, "SO", u128::MAX);
        assert_eq!(reference.len(), 36);
        assert!(reference.starts_with("20260514-SO-"));
    }
}
