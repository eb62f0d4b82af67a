//! The local KSeF server's stand-in for `POST /certificates/enrollments`: a KSeF certificate
//! of type Offline (key usage with Non-Repudiation, RSA 2048) for a seller's NIP, with its private
//! key, so `ebok demo` and the tests print KOD II. Self-signed: nothing outside this machine
//! trusts it, which is right for a demo.

use std::time::Duration;

use rand::Rng;
use rand::rngs::OsRng;
use rsa::pkcs8::EncodePrivateKey;
use rsa::{RsaPrivateKey, RsaPublicKey};
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::der::EncodePem;
use x509_cert::der::pem::LineEnding;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::time::Validity;

/// A demo Offline certificate and its key, both PEM.
pub struct IssuedOfflineCertificate {
    pub certificate_pem: String,
    pub key_pem: String,
}

/// Issues an Offline certificate for `nip` with an RSA 2048 key, valid for two years, with a
/// random 8-byte serial (KSeF's serials are 16 hex digits).
pub fn issue_offline_certificate(nip: &str) -> Result<IssuedOfflineCertificate, String> {
    let key = RsaPrivateKey::new(&mut OsRng, 2048).map_err(|e| e.to_string())?;
    let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key.clone());
    let spki =
        SubjectPublicKeyInfoOwned::from_key(RsaPublicKey::from(&key)).map_err(|e| e.to_string())?;
    let certificate_pem = certificate_pem::<_, rsa::pkcs1v15::Signature>(nip, spki, &signer)?;
    Ok(IssuedOfflineCertificate {
        certificate_pem,
        key_pem: key
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| e.to_string())?
            .to_string(),
    })
}

/// The same with an ECDSA P-256 key, the Ministry's other algorithm for KOD II.
pub fn issue_offline_certificate_ecdsa(nip: &str) -> Result<IssuedOfflineCertificate, String> {
    use p256::pkcs8::EncodePrivateKey as _;
    let key = p256::ecdsa::SigningKey::random(&mut OsRng);
    let spki =
        SubjectPublicKeyInfoOwned::from_key(*key.verifying_key()).map_err(|e| e.to_string())?;
    let certificate_pem = certificate_pem::<_, p256::ecdsa::DerSignature>(nip, spki, &key)?;
    Ok(IssuedOfflineCertificate {
        certificate_pem,
        key_pem: key
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| e.to_string())?
            .to_string(),
    })
}

/// A self-signed leaf certificate for `spki`, signed by `signer` (the same key).
fn certificate_pem<S, Signature>(
    nip: &str,
    spki: SubjectPublicKeyInfoOwned,
    signer: &S,
) -> Result<String, String>
where
    S: rsa::signature::Keypair + x509_cert::spki::DynSignatureAlgorithmIdentifier,
    S: rsa::signature::Signer<Signature>,
    S::VerifyingKey: x509_cert::spki::EncodePublicKey,
    Signature: x509_cert::spki::SignatureBitStringEncoding,
{
    let subject: Name = format!("CN=e-BOK demo Offline {nip},O=e-BOK,C=PL")
        .parse()
        .map_err(|e: x509_cert::der::Error| e.to_string())?;
    let validity =
        Validity::from_now(Duration::from_secs(2 * 365 * 24 * 3600)).map_err(|e| e.to_string())?;
    // First byte below 0x80 keeps the serial positive without a sign byte.
    let mut serial = [0_u8; 8];
    OsRng.fill(&mut serial);
    serial[0] = serial[0].clamp(1, 0x7f);
    // A leaf certificate's key usage is Digital Signature and Non-Repudiation; the latter is
    // what marks a KSeF certificate as of type Offline.
    let builder = CertificateBuilder::new(
        Profile::Leaf {
            issuer: subject.clone(),
            enable_key_agreement: false,
            enable_key_encipherment: false,
        },
        SerialNumber::new(&serial).map_err(|e| e.to_string())?,
        validity,
        subject,
        spki,
        signer,
    )
    .map_err(|e| e.to_string())?;
    let certificate = builder.build::<Signature>().map_err(|e| e.to_string())?;
    certificate
        .to_pem(LineEnding::LF)
        .map_err(|e| e.to_string())
}
