//! The payment QR code printed on invoices: the text payload of the Polish banks' "Standard 2D"
//! (ZBP "Rekomendacja … kodu dwuwymiarowego", 2013; pl-invoicing §4), which banking apps turn
//! into a prefilled domestic transfer. Drawing the code (error correction L, UTF-8) is `pdf/`'s job.
//!
//! Do not offer the code on split-payment (MPP) invoices, and encode the outstanding amount.

use super::money::Money;
use super::nip::Nip;
use super::nrb::Nrb;

/// The amount field has six digits of grosze.
const MAX_AMOUNT_GROSZE: i64 = 999_999;
const MAX_PAYEE_NAME_CHARS: usize = 20;
const MAX_TITLE_CHARS: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentQr {
    /// The payee's NIP; `None` for a payee without one ("Odbiorca typ 2").
    pub payee_nip: Option<Nip>,
    /// The customer's individual (virtual) account, so the payment matches without the title.
    pub account: Nrb,
    /// Zero means the payer types the amount in.
    pub amount: Money,
    /// Cut to 20 characters.
    pub payee_name: String,
    /// Cut to 32 characters; usually the invoice number.
    pub title: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PaymentQrError {
    /// Above 9 999,99 zł the six-digit field overflows; print the invoice without the code.
    #[error("amount above 9 999,99 zł does not fit the payment QR code")]
    AmountTooLarge,
    #[error("a payment QR code cannot carry a negative amount")]
    NegativeAmount,
}

impl PaymentQr {
    /// The nine `|`-separated fields: NIP (or empty), "PL", the 26-digit NRB, the amount as six
    /// digits of grosze, payee name, title, and three empty reserve fields. At most 104
    /// characters, within the recommendation's 160.
    pub fn payload(&self) -> Result<String, PaymentQrError> {
        if self.amount.is_negative() {
            return Err(PaymentQrError::NegativeAmount);
        }
        if self.amount.grosze() > MAX_AMOUNT_GROSZE {
            return Err(PaymentQrError::AmountTooLarge);
        }
        let fields = [
            self.payee_nip.as_ref().map_or("", Nip::as_str),
            "PL",
            self.account.as_str(),
            &format!("{:06}", self.amount.grosze()),
            &field_text(&self.payee_name, MAX_PAYEE_NAME_CHARS),
            &field_text(&self.title, MAX_TITLE_CHARS),
            "",
            "",
            "",
        ];
        Ok(fields.join("|"))
    }
}

/// Text fit for a field: no `|` (the separator), control characters as spaces, cut to `max_chars`
/// characters (not bytes: "Przykładowy Operator" is 20 characters but 21 bytes), trimmed.
fn field_text(text: &str, max_chars: usize) -> String {
    let cleaned: String = text
        .chars()
        .filter(|c| *c != '|')
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let cut: String = cleaned.trim().chars().take(max_chars).collect();
    cut.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nrb(s: &str) -> Nrb {
        Nrb::parse(s).expect("test account is valid")
    }

    fn nip(s: &str) -> Nip {
        Nip::parse(s).expect("test NIP is valid")
    }

    fn isp_example() -> PaymentQr {
        PaymentQr {
            payee_nip: Some(nip("1111111111")),
            account: nrb("53 1020 1026 7777 0000 0000 1234"),
            amount: Money::from_grosze(8998),
            payee_name: "Przykładowy Operator".to_owned(),
            title: "FV/2026/05/000123".to_owned(),
        }
    }

    #[test]
    fn isp_invoice_payload_matches_the_reference_example() {
        assert_eq!(
            isp_example().payload(),
            Ok(
                "1111111111|PL|53102010267777000000001234|008998|Przykładowy Operator|FV/2026/05/000123|||"
                    .to_owned()
            )
        );
    }

    #[test]
    fn payee_without_nip_leaves_the_first_field_empty_as_in_the_zbp_example() {
        let qr = PaymentQr {
            payee_nip: None,
            account: nrb("92124012340001567890123456"),
            amount: Money::from_grosze(1200),
            payee_name: "Odbiorca 1".to_owned(),
            title: "Przelew ekspress".to_owned(),
        };
        assert_eq!(
            qr.payload(),
            Ok("|PL|92124012340001567890123456|001200|Odbiorca 1|Przelew ekspress|||".to_owned())
        );
    }

    #[test]
    fn payee_with_nip_follows_the_zbp_example_layout() {
        // The recommendation's "1234567890" fails the NIP checksum, so a valid NIP stands in.
        assert!(Nip::parse("1234567890").is_err());
        let qr = PaymentQr {
            payee_nip: Some(nip("1234563218")),
            account: nrb("92124012340001567890123456"),
            amount: Money::from_grosze(1200),
            payee_name: "Odbiorca 1".to_owned(),
            title: "FV 1234/34/2012".to_owned(),
        };
        assert_eq!(
            qr.payload(),
            Ok(
                "1234563218|PL|92124012340001567890123456|001200|Odbiorca 1|FV 1234/34/2012|||"
                    .to_owned()
            )
        );
    }

    #[test]
    fn zero_amount_lets_the_payer_enter_it() {
        let qr = PaymentQr {
            amount: Money::zero(),
            ..isp_example()
        };
        assert!(qr.payload().expect("fits").contains("|000000|"));
    }

    #[test]
    fn largest_amount_that_fits_is_9_999_99_zl() {
        let qr = PaymentQr {
            amount: Money::from_grosze(999_999),
            ..isp_example()
        };
        assert!(qr.payload().expect("fits").contains("|999999|"));
    }

    #[test]
    fn amount_of_10_000_zl_or_more_is_too_large() {
        let qr = PaymentQr {
            amount: Money::from_grosze(1_000_000),
            ..isp_example()
        };
        assert_eq!(qr.payload(), Err(PaymentQrError::AmountTooLarge));
    }

    #[test]
    fn negative_amount_is_rejected() {
        let qr = PaymentQr {
            amount: Money::from_grosze(-1),
            ..isp_example()
        };
        assert_eq!(qr.payload(), Err(PaymentQrError::NegativeAmount));
    }

    #[test]
    fn long_name_and_title_are_cut_to_their_limits_in_characters() {
        let qr = PaymentQr {
            payee_name: "Światłowód Łódź Spółka z o.o.".to_owned(),
            title: "Faktura FV/2026/05/000123 za maj 2026".to_owned(),
            ..isp_example()
        };
        let payload = qr.payload().expect("fits");
        let fields: Vec<&str> = payload.split('|').collect();
        assert_eq!(fields[4], "Światłowód Łódź Spół");
        assert_eq!(fields[4].chars().count(), 20);
        assert_eq!(fields[5], "Faktura FV/2026/05/000123 za maj");
        assert_eq!(fields[5].chars().count(), 32);
    }

    #[test]
    fn separator_characters_in_text_are_removed_so_the_fields_stay_nine() {
        let qr = PaymentQr {
            payee_name: "Net|Com".to_owned(),
            title: "FV|1\n2".to_owned(),
            ..isp_example()
        };
        let payload = qr.payload().expect("fits");
        let fields: Vec<&str> = payload.split('|').collect();
        assert_eq!(fields.len(), 9);
        assert_eq!((fields[4], fields[5]), ("NetCom", "FV1 2"));
    }

    #[test]
    fn text_cut_at_a_space_leaves_no_trailing_space() {
        let qr = PaymentQr {
            payee_name: "Operator Sieci Miejsk Sp. z o.o.".to_owned(),
            ..isp_example()
        };
        let payload = qr.payload().expect("fits");
        assert_eq!(payload.split('|').nth(4), Some("Operator Sieci Miejs"));
        let qr = PaymentQr {
            payee_name: "Operator Sieci Miej Sp. z o.o.".to_owned(),
            ..isp_example()
        };
        let payload = qr.payload().expect("fits");
        assert_eq!(payload.split('|').nth(4), Some("Operator Sieci Miej"));
    }

    #[test]
    fn longest_possible_payload_stays_within_160_characters() {
        let qr = PaymentQr {
            amount: Money::from_grosze(999_999),
            payee_name: "ż".repeat(50),
            title: "ż".repeat(50),
            ..isp_example()
        };
        assert!(qr.payload().expect("fits").chars().count() <= 160);
    }
}
