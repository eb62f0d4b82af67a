//! KSeF's encryption (`sesja-interaktywna.md`, `uwierzytelnianie.md`): the KSeF token and each
//! session's AES key are RSA-OAEP (SHA-256, MGF1-SHA-256) encrypted to the Ministry's
//! certificates; invoices are AES-256-CBC with PKCS#7 padding under that key, the IV sent beside
//! the ciphertext, not prefixed to it (as the Ministry's own C# client does).

use aes::Aes256;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use rand::RngCore;
use rsa::pkcs8::{DecodePublicKey, EncodePublicKey};
use rsa::{Oaep, RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;
use x509_cert::der::{Decode, Encode};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("the KSeF certificate cannot be read: {0}")]
    Certificate(String),
    #[error("RSA encryption failed: {0}")]
    Rsa(String),
    #[error("the data cannot be decrypted")]
    Decrypt,
    #[error("not Base64: {0}")]
    Base64(String),
}

pub fn sha256_base64(bytes: &[u8]) -> String {
    STANDARD.encode(Sha256::digest(bytes))
}

pub fn base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

pub fn from_base64(text: &str) -> Result<Vec<u8>, CryptoError> {
    STANDARD
        .decode(text.trim())
        .map_err(|e| CryptoError::Base64(e.to_string()))
}

/// A Ministry certificate's RSA key and its `publicKeyId` (Base64 SHA-256 of the key's SPKI).
#[derive(Debug, Clone)]
pub struct MinistryKey {
    pub public_key: RsaPublicKey,
    pub public_key_id: String,
}

impl MinistryKey {
    /// From the certificate as `/security/public-key-certificates` gives it (DER, Base64).
    pub fn from_certificate_base64(certificate: &str) -> Result<MinistryKey, CryptoError> {
        let der = from_base64(certificate)?;
        let certificate =
            Certificate::from_der(&der).map_err(|e| CryptoError::Certificate(e.to_string()))?;
        let spki = certificate
            .tbs_certificate
            .subject_public_key_info
            .to_der()
            .map_err(|e| CryptoError::Certificate(e.to_string()))?;
        let public_key = RsaPublicKey::from_public_key_der(&spki)
            .map_err(|e| CryptoError::Certificate(e.to_string()))?;
        Ok(MinistryKey {
            public_key,
            public_key_id: sha256_base64(&spki),
        })
    }

    pub fn encrypt(&self, plain: &[u8]) -> Result<Vec<u8>, CryptoError> {
        self.public_key
            .encrypt(&mut rand::thread_rng(), Oaep::new::<Sha256>(), plain)
            .map_err(|e| CryptoError::Rsa(e.to_string()))
    }
}

/// `publicKeyId` of a key: Base64 SHA-256 of its SubjectPublicKeyInfo DER.
pub fn public_key_id(key: &RsaPublicKey) -> Result<String, CryptoError> {
    let spki = key
        .to_public_key_der()
        .map_err(|e| CryptoError::Certificate(e.to_string()))?;
    Ok(sha256_base64(spki.as_bytes()))
}

/// What `/auth/ksef-token` carries: Base64 of RSA-OAEP("{token}|{timestampMs}").
pub fn encrypt_token(
    key: &MinistryKey,
    token: &str,
    timestamp_ms: i64,
) -> Result<String, CryptoError> {
    Ok(base64(
        &key.encrypt(format!("{token}|{timestamp_ms}").as_bytes())?,
    ))
}

/// One online session's AES-256 key and IV.
#[derive(Clone)]
pub struct SessionKey {
    key: [u8; 32],
    iv: [u8; 16],
}

impl std::fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionKey(…)")
    }
}

impl SessionKey {
    pub fn random() -> SessionKey {
        let mut key = [0_u8; 32];
        let mut iv = [0_u8; 16];
        rand::thread_rng().fill_bytes(&mut key);
        rand::thread_rng().fill_bytes(&mut iv);
        SessionKey { key, iv }
    }

    /// The key as the server receives it: RSA-decrypted bytes and the IV from Base64.
    pub fn from_parts(key: &[u8], iv: &[u8]) -> Result<SessionKey, CryptoError> {
        Ok(SessionKey {
            key: key.try_into().map_err(|_| CryptoError::Decrypt)?,
            iv: iv.try_into().map_err(|_| CryptoError::Decrypt)?,
        })
    }

    pub fn iv_base64(&self) -> String {
        base64(&self.iv)
    }

    /// The key for `/sessions/online`: RSA-OAEP to the symmetric-key certificate, Base64.
    pub fn encrypted_for(&self, ministry: &MinistryKey) -> Result<String, CryptoError> {
        Ok(base64(&ministry.encrypt(&self.key)?))
    }

    pub fn encrypt(&self, plain: &[u8]) -> Vec<u8> {
        cbc::Encryptor::<Aes256>::new(&self.key.into(), &self.iv.into())
            .encrypt_padded_vec_mut::<Pkcs7>(plain)
    }

    pub fn decrypt(&self, cipher: &[u8]) -> Result<Vec<u8>, CryptoError> {
        cbc::Decryptor::<Aes256>::new(&self.key.into(), &self.iv.into())
            .decrypt_padded_vec_mut::<Pkcs7>(cipher)
            .map_err(|_| CryptoError::Decrypt)
    }
}

/// The server's side of RSA-OAEP (the local KSeF server).
pub fn rsa_decrypt(key: &RsaPrivateKey, cipher: &[u8]) -> Result<Vec<u8>, CryptoError> {
    key.decrypt(Oaep::new::<Sha256>(), cipher)
        .map_err(|_| CryptoError::Decrypt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invoice_encrypted_with_a_session_key_decrypts_to_the_same_bytes() {
        let key = SessionKey::random();
        let plain = "<Faktura>zażółć</Faktura>".as_bytes();
        let cipher = key.encrypt(plain);
        assert_eq!(cipher.len() % 16, 0);
        assert_ne!(&cipher[..plain.len().min(cipher.len())], plain);
        assert_eq!(key.decrypt(&cipher).unwrap(), plain);
        assert_ne!(
            SessionKey::random().decrypt(&cipher).ok().as_deref(),
            Some(plain)
        );
    }
}
