//! Hashing of secrets: passwords (argon2id), PESEL numbers (keyed HMAC) and one-time tokens.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

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

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// False for a wrong password and for a stored hash that cannot be parsed.
pub fn verify_password(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
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

fn hex(bytes: &[u8]) -> String {
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
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let token = random_token();
        assert_eq!(token.len(), 43);
        assert_ne!(token, random_token());
        assert_eq!(token_hash(&token).len(), 64);
        assert_ne!(token_hash(&token), token);
    }
}
