//! KOD II, the issuer-certificate code an offline invoice carries beside KOD I (art. 106gb ust.
//! 5; pl-invoicing §3.6; ksef-docs `kody-qr.md`, `certyfikaty-KSeF.md`).
//!
//! The link is `https://qr…/certificate/Nip/{context NIP}/{seller NIP}/{certificate serial}/
//! {SHA-256 of the XML, Base64URL}/{signature, Base64URL}`. The signature is over the same link
//! without `https://` and without the signature: whoever lacks the private key of the seller's
//! KSeF certificate of type **Offline** cannot make a link KSeF will confirm. An Authentication
//! certificate must not be used (KSeF refuses it), so one is refused here when configured.
//!
//! Both algorithms the Ministry allows are supported, chosen by the certificate's key:
//! RSASSA-PSS (SHA-256, MGF1-SHA-256, 32-byte salt, RSA ≥ 2048) and ECDSA P-256 with SHA-256,
//! whose signature goes into the link as IEEE P1363 `r||s` (64 bytes), the form `kody-qr.md`
//! recommends, not DER. Any other key (another curve, DSA, Ed25519) is refused with a sentence.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::signature::{RandomizedSigner, SignatureEncoding, Signer, Verifier};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;
use x509_cert::der::{Decode, DecodePem, Encode};
use x509_cert::ext::pkix::{KeyUsage, KeyUsages};

use super::environment::KsefEnvironment;

/// What the label under KOD II says.
pub const CERTIFICATE_LABEL: &str = "CERTYFIKAT";
/// PSS salt length the Ministry asks for.
const SALT_LEN: usize = 32;
const MIN_RSA_BITS: usize = 2048;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OfflineCertificateError {
    #[error("the certificate cannot be read (PEM or DER X.509 expected): {0}")]
    Certificate(String),
    #[error(
        "the private key cannot be read: an unencrypted RSA or ECDSA P-256 key in PEM (PKCS#8, PKCS#1 or SEC1) is expected"
    )]
    Key,
    #[error(
        "the certificate's key is neither RSA nor ECDSA P-256, the two KSeF allows for KOD II: request the Offline certificate with one of them"
    )]
    UnsupportedKey,
    #[error("the RSA key has {0} bits; KSeF requires at least 2048")]
    TooShort(usize),
    #[error("the private key does not belong to the certificate")]
    Mismatch,
    #[error(
        "this is not a KSeF Offline certificate (key usage Non-Repudiation missing); an Authentication certificate cannot sign KOD II"
    )]
    NotOffline,
}

/// The seller's KSeF Offline certificate with its private key, ready to sign KOD II links.
#[derive(Clone)]
pub struct OfflineCertificate {
    certificate_der: Vec<u8>,
    serial: String,
    key: PrivateKey,
    not_after: chrono::DateTime<chrono::Utc>,
}

/// The private key of an Offline certificate, of one of the two kinds KSeF allows.
#[derive(Clone)]
enum PrivateKey {
    Rsa(RsaPrivateKey),
    /// The key as RustCrypto reads and compares it, and the same key in *ring*, which signs:
    /// a billing run signs once per invoice, and ring's assembly field arithmetic takes a
    /// fraction of the CPU `p256` does (the signature was a sixth of the run's rendering CPU).
    /// ring's nonce is random where `p256`'s is derived from the message (RFC 6979): the link
    /// differs each time it is made, as the salted RSA-PSS one always did; each verifies.
    EcdsaP256(p256::ecdsa::SigningKey, Arc<ring::signature::EcdsaKeyPair>),
}

/// A certificate's public key, of one of the two kinds KSeF allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    Rsa(RsaPublicKey),
    EcdsaP256(p256::ecdsa::VerifyingKey),
}

impl PrivateKey {
    fn public(&self) -> PublicKey {
        match self {
            PrivateKey::Rsa(key) => PublicKey::Rsa(RsaPublicKey::from(key)),
            PrivateKey::EcdsaP256(key, _) => PublicKey::EcdsaP256(*key.verifying_key()),
        }
    }

    /// The signature as it goes into the link: PSS bytes, or ECDSA as P1363 `r||s`.
    fn sign(&self, message: &[u8]) -> Vec<u8> {
        match self {
            PrivateKey::Rsa(key) => {
                let signer =
                    rsa::pss::SigningKey::<Sha256>::new_with_salt_len(key.clone(), SALT_LEN);
                signer
                    .sign_with_rng(&mut rand::thread_rng(), message)
                    .to_vec()
            }
            PrivateKey::EcdsaP256(key, pair) => pair
                .sign(&ring::rand::SystemRandom::new(), message)
                .map(|signature| signature.as_ref().to_vec())
                // Only when the system's random source fails: the deterministic signature.
                .unwrap_or_else(|_| {
                    let signature: p256::ecdsa::Signature = key.sign(message);
                    signature.to_bytes().to_vec()
                }),
        }
    }
}

impl PublicKey {
    fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            PublicKey::Rsa(key) => rsa::pss::Signature::try_from(signature).is_ok_and(|s| {
                rsa::pss::VerifyingKey::<Sha256>::new_with_salt_len(key.clone(), SALT_LEN)
                    .verify(message, &s)
                    .is_ok()
            }),
            PublicKey::EcdsaP256(key) => p256::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|s| key.verify(message, &s).is_ok()),
        }
    }
}

impl std::fmt::Debug for OfflineCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OfflineCertificate")
            .field("serial", &self.serial)
            .field("not_after", &self.not_after)
            .finish_non_exhaustive()
    }
}

fn upper_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// A certificate from PEM text or DER bytes.
pub fn parse_certificate(bytes: &[u8]) -> Result<Certificate, OfflineCertificateError> {
    let pem = std::str::from_utf8(bytes)
        .ok()
        .filter(|text| text.contains("-----BEGIN CERTIFICATE-----"));
    match pem {
        Some(text) => Certificate::from_pem(text.trim()),
        None => Certificate::from_der(bytes),
    }
    .map_err(|e| OfflineCertificateError::Certificate(e.to_string()))
}

/// The certificate's public key: RSA or ECDSA P-256.
pub fn public_key(certificate: &Certificate) -> Result<PublicKey, OfflineCertificateError> {
    let spki = certificate
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(|e| OfflineCertificateError::Certificate(e.to_string()))?;
    if let Ok(key) = RsaPublicKey::from_public_key_der(&spki) {
        return Ok(PublicKey::Rsa(key));
    }
    p256::ecdsa::VerifyingKey::from_public_key_der(&spki)
        .map(PublicKey::EcdsaP256)
        .map_err(|_| OfflineCertificateError::UnsupportedKey)
}

/// The serial as KSeF prints it in KOD II: upper-case hex, without the sign byte DER adds.
pub fn serial_of(certificate: &Certificate) -> String {
    let bytes = certificate.tbs_certificate.serial_number.as_bytes();
    let trimmed = match bytes {
        [0, rest @ ..] if !rest.is_empty() => rest,
        other => other,
    };
    upper_hex(trimmed)
}

/// KSeF Offline certificates carry key usage Non-Repudiation (40); Authentication ones Digital
/// Signature (80) only (`certyfikaty-KSeF.md`).
fn is_offline(certificate: &Certificate) -> bool {
    let Some(extensions) = &certificate.tbs_certificate.extensions else {
        return false;
    };
    extensions
        .iter()
        .filter(|e| e.extn_id == <KeyUsage as x509_cert::der::oid::AssociatedOid>::OID)
        .filter_map(|e| KeyUsage::from_der(e.extn_value.as_bytes()).ok())
        .any(|usage| usage.0.contains(KeyUsages::NonRepudiation))
}

fn parse_key(pem: &str) -> Result<PrivateKey, OfflineCertificateError> {
    let pem = pem.trim();
    if let Ok(key) =
        RsaPrivateKey::from_pkcs8_pem(pem).or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
    {
        return Ok(PrivateKey::Rsa(key));
    }
    let key: p256::ecdsa::SigningKey = p256::SecretKey::from_pkcs8_pem(pem)
        .or_else(|_| p256::SecretKey::from_sec1_pem(pem))
        .map_err(|_| OfflineCertificateError::Key)?
        .into();
    let pair = ring::signature::EcdsaKeyPair::from_private_key_and_public_key(
        &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        &key.to_bytes(),
        key.verifying_key().to_encoded_point(false).as_bytes(),
        &ring::rand::SystemRandom::new(),
    )
    .map_err(|_| OfflineCertificateError::Key)?;
    Ok(PrivateKey::EcdsaP256(key, Arc::new(pair)))
}

impl OfflineCertificate {
    /// The certificate (PEM or DER) and its private key (PEM), checked: RSA ≥ 2048 bits or
    /// ECDSA P-256, type Offline, and the key is the certificate's.
    pub fn new(certificate: &[u8], key_pem: &str) -> Result<Self, OfflineCertificateError> {
        let parsed = parse_certificate(certificate)?;
        let public = public_key(&parsed)?;
        if let PublicKey::Rsa(rsa_key) = &public {
            let bits = rsa_key.size() * 8;
            if bits < MIN_RSA_BITS {
                return Err(OfflineCertificateError::TooShort(bits));
            }
        }
        if !is_offline(&parsed) {
            return Err(OfflineCertificateError::NotOffline);
        }
        let key = parse_key(key_pem)?;
        if key.public() != public {
            return Err(OfflineCertificateError::Mismatch);
        }
        let not_after = parsed
            .tbs_certificate
            .validity
            .not_after
            .to_system_time()
            .into();
        Ok(OfflineCertificate {
            certificate_der: parsed
                .to_der()
                .map_err(|e| OfflineCertificateError::Certificate(e.to_string()))?,
            serial: serial_of(&parsed),
            key,
            not_after,
        })
    }

    pub fn serial(&self) -> &str {
        &self.serial
    }

    pub fn not_after(&self) -> chrono::DateTime<chrono::Utc> {
        self.not_after
    }

    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate_der
    }

    /// KOD II for the invoice whose stored XML is `xml`, the seller's NIP as the context (the
    /// seller sends its own invoices).
    pub fn verification_url(
        &self,
        environment: KsefEnvironment,
        seller_nip: &str,
        xml: &[u8],
    ) -> String {
        let signed = signed_part(environment, seller_nip, &self.serial, xml);
        let signature = self.key.sign(signed.as_bytes());
        format!("https://{signed}/{}", URL_SAFE_NO_PAD.encode(signature))
    }
}

/// What is signed: the link without `https://` and without the signature (no trailing `/`).
fn signed_part(environment: KsefEnvironment, seller_nip: &str, serial: &str, xml: &[u8]) -> String {
    let host = environment
        .qr_base()
        .trim_start_matches("https://")
        .trim_end_matches('/');
    format!(
        "{host}/certificate/Nip/{seller_nip}/{seller_nip}/{serial}/{}",
        URL_SAFE_NO_PAD.encode(Sha256::digest(xml))
    )
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("not a KOD II link")]
    Shape,
    #[error("the link names another certificate serial")]
    Serial,
    #[error("the signature is not Base64URL or does not verify")]
    Signature,
}

/// Checks a KOD II link as KSeF does: the signature over the link's path verifies with the
/// public key of `certificate` (DER or PEM), whose serial the link names. Returns the invoice
/// hash (Base64URL) the link carries.
pub fn verify_link(link: &str, certificate: &[u8]) -> Result<String, LinkError> {
    let certificate = parse_certificate(certificate).map_err(|_| LinkError::Shape)?;
    let public = public_key(&certificate).map_err(|_| LinkError::Shape)?;
    let rest = link.strip_prefix("https://").ok_or(LinkError::Shape)?;
    let (signed, signature) = rest.rsplit_once('/').ok_or(LinkError::Shape)?;
    let parts: Vec<&str> = signed.split('/').collect();
    let [_host, "certificate", _kind, _context, _nip, serial, hash] = parts.as_slice() else {
        return Err(LinkError::Shape);
    };
    if *serial != serial_of(&certificate) {
        return Err(LinkError::Serial);
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| LinkError::Signature)?;
    if !public.verifies(signed.as_bytes(), &bytes) {
        return Err(LinkError::Signature);
    }
    Ok((*hash).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_signed_is_the_link_without_scheme_and_signature() {
        // The Ministry's worked example (`kody-qr.md`): the same shape for the test host.
        let signed = signed_part(
            KsefEnvironment::Test,
            "1111111111",
            "01F20A5D352AE590",
            b"x",
        );
        assert!(
            signed.starts_with(
                "qr-test.ksef.mf.gov.pl/certificate/Nip/1111111111/1111111111/01F20A5D352AE590/"
            ),
            "{signed}"
        );
        assert!(!signed.ends_with('/'));
        assert!(!signed.contains('='));
    }
}
