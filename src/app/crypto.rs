//! Hashing of secrets: passwords (argon2id), PESEL numbers (keyed HMAC) and one-time tokens;
//! and sealing of the secrets the portal must read back (TOTP keys, PPPoE passwords).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

use super::password_threads;
use crate::domain::Pesel;

/// OWASP's argon2id profile (m=19 MiB, t=2, p=1), fixed here so a library default change cannot
/// weaken it silently.
fn argon2() -> Argon2<'static> {
    // The parameters are constants within argon2's documented limits.
    let params = Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) with a fresh random salt. Hashed on a
/// password hashing thread (`password_threads`), below the pages' priority.
pub fn hash_password(password: &str) -> Result<String, HashError> {
    let password = password.to_owned();
    password_threads::run(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| HashError(e.to_string()))
    })
}

/// False for a wrong password and for a stored hash that cannot be parsed. Verified on a
/// password hashing thread, as `hash_password`.
pub fn verify_password(password: &str, stored: &str) -> bool {
    let (password, stored) = (password.to_owned(), stored.to_owned());
    password_threads::run(move || match PasswordHash::new(&stored) {
        Ok(parsed) => argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    })
}

/// HMAC-SHA256 of the PESEL under the server's key, hex. The key makes the 11-digit space
/// (small enough to enumerate) useless to someone holding only the database.
pub fn pesel_hash(key: &[u8], pesel: &Pesel) -> String {
    // HMAC accepts keys of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(pesel.as_str().as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// 32 random bytes, URL-safe base64: what goes into a link or a cookie.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a token: its SHA-256, hex.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// What a sealed secret is, bound into its ciphertext (associated data): a TOTP key copied into
/// the PPPoE column does not open there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    TotpKey,
    PppoePassword,
    /// The seller's KSeF token (`ksef_settings.token_ciphertext`).
    KsefToken,
    /// The private key of the seller's KSeF Offline certificate
    /// (`ksef_offline_certificate.key_ciphertext`), PEM.
    KsefOfflineKey,
    /// A domain's AuthInfo code for a transfer ordered in the shop (`cart_items`,
    /// `shop_order_lines`), until staff finish the order.
    DomainAuthCode,
}

impl SecretKind {
    fn label(self) -> &'static [u8] {
        match self {
            SecretKind::TotpKey => b"ebok totp_secret",
            SecretKind::PppoePassword => b"ebok pppoe_password",
            SecretKind::KsefToken => b"ebok ksef_token",
            SecretKind::KsefOfflineKey => b"ebok ksef_offline_key",
            SecretKind::DomainAuthCode => b"ebok domain_auth_code",
        }
    }
}

/// Marks a sealed value; plaintext written before sealing existed has no such prefix (TOTP keys
/// are base32 and the demo's PPPoE passwords alphanumeric, so neither contains a colon).
pub const SEALED_PREFIX: &str = "enc1:";
const NONCE_LEN: usize = 12;

#[derive(Debug, thiserror::Error)]
#[error("a sealed secret cannot be opened: wrong EBOK_ENCRYPTION_KEY or damaged value")]
pub struct OpenError;

/// AES-256-GCM under `EBOK_ENCRYPTION_KEY` for secrets kept in the database that the portal
/// must read back: stored as `enc1:` + base64(random 96-bit nonce ‖ ciphertext ‖ tag). Someone
/// holding only a database dump learns nothing from them.
#[derive(Clone)]
pub struct SecretBox(aes_gcm::Aes256Gcm);

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox { .. }")
    }
}

impl SecretBox {
    /// `None` unless the key is 32 bytes (the configuration checks that at start).
    pub fn new(key: &[u8]) -> Option<SecretBox> {
        use aes_gcm::KeyInit;
        aes_gcm::Aes256Gcm::new_from_slice(key).ok().map(SecretBox)
    }

    pub fn seal(&self, kind: SecretKind, secret: &str) -> String {
        use aes_gcm::aead::{Aead, Payload};
        let mut nonce = [0u8; NONCE_LEN];
        OsRng.fill_bytes(&mut nonce);
        let payload = Payload {
            msg: secret.as_bytes(),
            aad: kind.label(),
        };
        // AES-GCM refuses only messages over 64 GiB; these are a few dozen bytes.
        let sealed = self
            .0
            .encrypt(aes_gcm::Nonce::from_slice(&nonce), payload)
            .expect("AES-GCM seals any message under 64 GiB");
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        format!("{SEALED_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
    }

    pub fn open(&self, kind: SecretKind, stored: &str) -> Result<String, OpenError> {
        use aes_gcm::aead::{Aead, Payload};
        let encoded = stored.strip_prefix(SEALED_PREFIX).ok_or(OpenError)?;
        let bytes = URL_SAFE_NO_PAD.decode(encoded).map_err(|_| OpenError)?;
        if bytes.len() < NONCE_LEN {
            return Err(OpenError);
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let payload = Payload {
            msg: sealed,
            aad: kind.label(),
        };
        let plain = self
            .0
            .decrypt(aes_gcm::Nonce::from_slice(nonce), payload)
            .map_err(|_| OpenError)?;
        String::from_utf8(plain).map_err(|_| OpenError)
    }

    /// True for a value written by `seal`; false for plaintext from before sealing existed.
    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(SEALED_PREFIX)
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_is_argon2id_with_the_owasp_parameters_and_verifies() {
        let hash = hash_password("Demo-ebok-2026").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password("Demo-ebok-2026", &hash));
        assert!(!verify_password("demo-ebok-2026", &hash));
        assert!(!verify_password("Demo-ebok-2026", "not a phc string"));
    }

    #[test]
    fn pesel_hash_depends_on_the_key() {
        let pesel = Pesel::parse("44051401359").unwrap();
        let a = pesel_hash(b"key-one-key-one-key-one-key-one!", &pesel);
        let b = pesel_hash(b"key-two-key-two-key-two-key-two!", &pesel);
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(a, pesel_hash(b"key-one-key-one-key-one-key-one!", &pesel));
    }

    #[test]
    fn sealed_secrets_open_only_with_their_key_and_kind() {
        let key = SecretBox::new(&[7u8; 32]).unwrap();
        let sealed = key.seal(SecretKind::TotpKey, "JBSWY3DPEHPK3PXP");
        assert!(SecretBox::is_sealed(&sealed));
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_ne!(sealed, key.seal(SecretKind::TotpKey, "JBSWY3DPEHPK3PXP"));
        assert_eq!(
            key.open(SecretKind::TotpKey, &sealed).unwrap(),
            "JBSWY3DPEHPK3PXP"
        );
        assert!(key.open(SecretKind::PppoePassword, &sealed).is_err());
        let other = SecretBox::new(&[8u8; 32]).unwrap();
        assert!(other.open(SecretKind::TotpKey, &sealed).is_err());
        assert!(key.open(SecretKind::TotpKey, "JBSWY3DPEHPK3PXP").is_err());
        assert!(key.open(SecretKind::TotpKey, "enc1:AAAA").is_err());
        assert!(SecretBox::new(&[1u8; 16]).is_none());
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let token = random_token();
        assert_eq!(token.len(), 43);
        assert_ne!(token, random_token());
        assert_eq!(token_hash(&token).len(), 64);
        assert_ne!(token_hash(&token), token);
    }
}
