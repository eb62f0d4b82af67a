//! KOD I, the invoice verification code every KSeF invoice carries outside KSeF (art. 106gb
//! ust. 5; pl-invoicing §3.6; ksef-docs `kody-qr.md`).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::environment::KsefEnvironment;

/// What the label under KOD I says while KSeF has not numbered the invoice.
pub const OFFLINE_LABEL: &str = "OFFLINE";

/// `https://qr…/invoice/{seller NIP}/{issue date DD-MM-RRRR}/{SHA-256 of the XML, Base64URL}`.
/// `xml` must be exactly the bytes sent to KSeF: any other serialisation breaks the link.
/// For a correction the date is the correction's own issue date (§ 9 ust. 1 pkt 1 lit. b).
pub fn invoice_verification_url(
    environment: KsefEnvironment,
    seller_nip: &str,
    issue_date: NaiveDate,
    xml: &[u8],
) -> String {
    format!(
        "{}/invoice/{}/{}/{}",
        environment.qr_base(),
        seller_nip,
        issue_date.format("%d-%m-%Y"),
        URL_SAFE_NO_PAD.encode(Sha256::digest(xml))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worked_example_of_the_reference_gives_the_same_link() {
        let xml = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/ksef-fa3/examples/example-isp-b2c-gross-okresfa.xml"),
        )
        .expect("the shared FA(3) examples are beside the repository");
        assert_eq!(
            invoice_verification_url(
                KsefEnvironment::Production,
                "1111111111",
                NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
                &xml
            ),
            "https://qr.ksef.mf.gov.pl/invoice/1111111111/01-05-2026/XaBscU8ryyaTiOD4c9p0SYjooVRlEJ4MDKv8f9WjbCM"
        );
    }

    #[test]
    fn each_environment_has_its_verification_host() {
        let date = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        let url = invoice_verification_url(KsefEnvironment::Test, "1111111111", date, b"x");
        assert!(url.starts_with("https://qr-test.ksef.mf.gov.pl/invoice/1111111111/01-02-2026/"));
        assert!(!url.ends_with('='), "no padding");
        let demo = invoice_verification_url(KsefEnvironment::Demo, "1111111111", date, b"x");
        assert!(demo.starts_with("https://qr-demo.ksef.mf.gov.pl/"));
    }
}
