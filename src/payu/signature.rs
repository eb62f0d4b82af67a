//! The `OpenPayU-Signature` header on PayU's notifications:
//! `sender=checkout;signature=<hex>;algorithm=MD5;content=DOCUMENT`, where the signature is
//! `hex(HASH(raw body ‖ second key))` (openpayu_php `Util::verifySignature`). The raw body is
//! hashed as received: re-serialised JSON would not match.

use md5::Digest as _;
use sha2::Digest as _;
use subtle::ConstantTimeEq;

/// The hash PayU names in `algorithm=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Md5,
    Sha256,
}

impl Algorithm {
    fn parse(name: &str) -> Option<Algorithm> {
        match name.trim().to_ascii_uppercase().as_str() {
            "MD5" => Some(Algorithm::Md5),
            "SHA-256" | "SHA256" => Some(Algorithm::Sha256),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Sha256 => "SHA-256",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the notification carries no OpenPayU-Signature header")]
    Missing,
    #[error("the OpenPayU-Signature header cannot be read")]
    Unreadable,
    #[error("the OpenPayU-Signature header names a hash we do not accept")]
    UnknownAlgorithm,
    #[error("the notification's signature does not match its body")]
    Mismatch,
}

/// The parts of the header that matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHeader {
    pub signature: String,
    pub algorithm: Algorithm,
}

/// Reads `key=value;key=value`; the order of the parts is not fixed.
pub fn parse_header(header: &str) -> Result<SignatureHeader, SignatureError> {
    let mut signature = None;
    let mut algorithm = None;
    for part in header.split(';') {
        let Some((key, value)) = part.split_once('=') else {
            continue;
        };
        match key.trim().to_ascii_lowercase().as_str() {
            "signature" => signature = Some(value.trim().to_ascii_lowercase()),
            "algorithm" => {
                algorithm = Some(Algorithm::parse(value).ok_or(SignatureError::UnknownAlgorithm)?)
            }
            _ => {}
        }
    }
    match (signature, algorithm) {
        (Some(signature), Some(algorithm)) if !signature.is_empty() => Ok(SignatureHeader {
            signature,
            algorithm,
        }),
        // openpayu_php takes a header without `algorithm=` as MD5, the POS's "second key (MD5)".
        (Some(signature), None) if !signature.is_empty() => Ok(SignatureHeader {
            signature,
            algorithm: Algorithm::Md5,
        }),
        _ => Err(SignatureError::Unreadable),
    }
}

/// `hex(HASH(body ‖ second key))`.
pub fn sign(body: &[u8], second_key: &str, algorithm: Algorithm) -> String {
    let mut message = Vec::with_capacity(body.len() + second_key.len());
    message.extend_from_slice(body);
    message.extend_from_slice(second_key.as_bytes());
    let digest: Vec<u8> = match algorithm {
        Algorithm::Md5 => md5::Md5::digest(&message).to_vec(),
        Algorithm::Sha256 => sha2::Sha256::digest(&message).to_vec(),
    };
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The header value PayU would send for `body`.
pub fn header_for(body: &[u8], second_key: &str, algorithm: Algorithm) -> String {
    format!(
        "sender=checkout;signature={};algorithm={};content=DOCUMENT",
        sign(body, second_key, algorithm),
        algorithm.name()
    )
}

/// Checks a notification: the header (`None` when absent) against the raw body and the POS's
/// second key. Compared in constant time, so a forger learns nothing from how long it took.
pub fn verify(
    body: &[u8],
    header: Option<&str>,
    second_key: &str,
) -> Result<Algorithm, SignatureError> {
    let header = parse_header(header.ok_or(SignatureError::Missing)?)?;
    let expected = sign(body, second_key, header.algorithm);
    if expected
        .as_bytes()
        .ct_eq(header.signature.as_bytes())
        .into()
    {
        Ok(header.algorithm)
    } else {
        Err(SignatureError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "b6ca15b0d1020e8094d9b5f8d163db54";

    #[test]
    fn md5_of_body_and_key_is_the_signature() {
        // The header PayU would send verifies; the digests themselves are checked against
        // published test vectors below.
        let body = br#"{}"#;
        let expected = sign(body, KEY, Algorithm::Md5);
        assert_eq!(expected.len(), 32);
        let header = format!("sender=checkout;signature={expected};algorithm=MD5;content=DOCUMENT");
        assert_eq!(verify(body, Some(&header), KEY), Ok(Algorithm::Md5));
    }

    #[test]
    fn known_md5_vector_matches() {
        // md5("abc") = 900150983cd24fb0d6963f7d28e17f72: body "a", key "bc".
        assert_eq!(
            sign(b"a", "bc", Algorithm::Md5),
            "900150983cd24fb0d6963f7d28e17f72"
        );
        // sha256("abc")
        assert_eq!(
            sign(b"ab", "c", Algorithm::Sha256),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn sha256_headers_verify_and_parts_may_come_in_any_order() {
        let body = br#"{"order":{"status":"COMPLETED"}}"#;
        let signature = sign(body, KEY, Algorithm::Sha256);
        let header =
            format!("algorithm=SHA-256;content=DOCUMENT;signature={signature};sender=checkout");
        assert_eq!(verify(body, Some(&header), KEY), Ok(Algorithm::Sha256));
    }

    #[test]
    fn a_changed_body_a_wrong_key_or_no_header_is_refused() {
        let body = br#"{"order":{"totalAmount":"1000"}}"#;
        let header = header_for(body, KEY, Algorithm::Md5);
        assert_eq!(
            verify(br#"{"order":{"totalAmount":"9000"}}"#, Some(&header), KEY),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(body, Some(&header), "another-key"),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(verify(body, None, KEY), Err(SignatureError::Missing));
        assert_eq!(
            verify(body, Some("sender=checkout"), KEY),
            Err(SignatureError::Unreadable)
        );
        assert_eq!(
            verify(body, Some("signature=ab;algorithm=CRC32"), KEY),
            Err(SignatureError::UnknownAlgorithm)
        );
    }
}
