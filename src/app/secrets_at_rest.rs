//! Seals what was stored in plain text before TOTP secrets and PPPoE passwords were sealed at
//! rest (`crypto::SecretBox`). Run at every start, before serving: a no-op once done, and safe
//! with several instances starting at once (each row changes only if still as it was read).

use crate::app::crypto::{SEALED_PREFIX, SecretBox, SecretKind};
use crate::db::{self, DbConn};

/// How many rows were sealed now.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sealed {
    pub totp_secrets: usize,
    pub pppoe_passwords: usize,
}

pub fn seal_plaintext(conn: &mut DbConn, secrets: &SecretBox) -> diesel::QueryResult<Sealed> {
    db::write_transaction(conn, |conn| {
        let mut sealed = Sealed::default();
        for (id, plain) in db::accounts::unsealed_totp_secrets(conn, SEALED_PREFIX)? {
            let after = secrets.seal(SecretKind::TotpKey, &plain);
            if db::accounts::replace_totp_secret(conn, id, &plain, &after)? {
                sealed.totp_secrets += 1;
            }
        }
        for (id, plain) in db::services::unsealed_pppoe_passwords(conn, SEALED_PREFIX)? {
            let after = secrets.seal(SecretKind::PppoePassword, &plain);
            if db::services::replace_pppoe_password(conn, id, &plain, &after)? {
                sealed.pppoe_passwords += 1;
            }
        }
        Ok(sealed)
    })
}
