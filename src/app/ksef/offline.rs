//! The seller's KSeF Offline certificate: stored once (the certificate as PEM, its private key
//! sealed under `EBOK_ENCRYPTION_KEY` like the KSeF token), opened when a process starts, and
//! held for the process so that every place that renders an issue-time PDF — one invoice, a
//! correction, a billing chunk — prints KOD II ("CERTYFIKAT") under KOD I without each of them
//! carrying the secrets. Without a certificate, or with an expired one, no KOD II is printed.

use std::sync::{Arc, RwLock};

use chrono::NaiveDateTime;
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::app::crypto::{SecretBox, SecretKind};
use crate::db::ksef::OfflineCertificateRow;
use crate::db::{self, DbConn};
use crate::ksef::environment::KsefEnvironment;
use crate::ksef::offline::{CERTIFICATE_LABEL, OfflineCertificate, OfflineCertificateError};
use crate::pdf::VerificationQr;

static CURRENT: RwLock<Option<Arc<OfflineCertificate>>> = RwLock::new(None);

/// Makes `certificate` the one this process signs KOD II with (`None`: no KOD II).
pub fn install(certificate: Option<OfflineCertificate>) {
    let mut current = CURRENT
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    *current = certificate.map(Arc::new);
}

/// The certificate this process signs with, while it is valid.
pub fn current() -> Option<Arc<OfflineCertificate>> {
    let current = CURRENT
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone()?;
    if current.not_after() <= chrono::Utc::now() {
        tracing::warn!(
            serial = current.serial(),
            "the KSeF Offline certificate has expired: no KOD II until a new one is stored"
        );
        return None;
    }
    Some(current)
}

/// KOD II for an invoice whose stored XML is `xml`, when a certificate is installed.
pub(crate) fn certificate_code(
    environment: KsefEnvironment,
    seller_nip: &str,
    xml: &[u8],
) -> Option<VerificationQr> {
    let certificate = current()?;
    Some(VerificationQr {
        url: certificate.verification_url(environment, seller_nip, xml),
        label: CERTIFICATE_LABEL.to_owned(),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Certificate(#[from] OfflineCertificateError),
    #[error("the certificate has already expired")]
    Expired,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Checks and stores the Offline certificate (the key sealed), audited by its serial, and
/// installs it for this process. Returns it.
pub fn store(
    conn: &mut DbConn,
    secrets: &SecretBox,
    certificate: &[u8],
    key_pem: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<OfflineCertificate, StoreError> {
    let checked = OfflineCertificate::new(certificate, key_pem)?;
    if checked.not_after() <= chrono::Utc::now() {
        return Err(StoreError::Expired);
    }
    let pem = pem_of(&checked);
    db::write_transaction(conn, |conn| {
        db::ksef::save_offline_certificate(
            conn,
            &OfflineCertificateRow {
                id: 1,
                certificate_pem: pem.clone(),
                serial: checked.serial().to_owned(),
                key_ciphertext: secrets.seal(SecretKind::KsefOfflineKey, key_pem.trim()),
                valid_to: checked.not_after().naive_utc(),
                updated_at: now,
            },
        )?;
        audit::record(
            conn,
            actor,
            "ksef_offline_certificate_stored",
            json!({ "serial": checked.serial(), "valid_to": checked.not_after().to_rfc3339() }),
            now,
        )?;
        Ok::<_, diesel::result::Error>(())
    })?;
    install(Some(checked.clone()));
    Ok(checked)
}

fn pem_of(certificate: &OfflineCertificate) -> String {
    use base64::Engine;
    let body = base64::engine::general_purpose::STANDARD.encode(certificate.certificate_der());
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|chunk| std::str::from_utf8(chunk).unwrap_or_default())
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(
        "the stored KSeF Offline key cannot be opened (EBOK_ENCRYPTION_KEY changed?): store the certificate again"
    )]
    Sealed,
    #[error("the stored KSeF Offline certificate: {0}")]
    Certificate(#[from] OfflineCertificateError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Opens the stored certificate and installs it for this process; `Ok(None)`: none stored.
pub fn install_stored(
    conn: &mut DbConn,
    secrets: &SecretBox,
) -> Result<Option<OfflineCertificate>, LoadError> {
    let Some(row) = db::ksef::offline_certificate(conn)? else {
        install(None);
        return Ok(None);
    };
    let key = secrets
        .open(SecretKind::KsefOfflineKey, &row.key_ciphertext)
        .map_err(|_| LoadError::Sealed)?;
    let certificate = OfflineCertificate::new(row.certificate_pem.as_bytes(), &key)?;
    install(Some(certificate.clone()));
    Ok(Some(certificate))
}

/// `ebok demo`: an Offline certificate issued by the local KSeF server for the seller, unless
/// one is stored already; installed either way.
pub fn ensure_demo(
    conn: &mut DbConn,
    secrets: &SecretBox,
    now: NaiveDateTime,
) -> anyhow::Result<Option<OfflineCertificate>> {
    if db::ksef::offline_certificate(conn)?.is_none() {
        let nip = db::seller::find(conn)?
            .map(|seller| seller.nip)
            .unwrap_or_else(|| crate::app::demo::DEMO_SELLER_NIP.into());
        // ECDSA P-256 rather than RSA: KSeF issues both, and at a billing run's scale the RSA
        // signature of every invoice's KOD II was the run's largest cost (README, KSeF).
        let issued = crate::sim::ksef::issue_offline_certificate_ecdsa(&nip)
            .map_err(|e| anyhow::anyhow!("the local KSeF server's Offline certificate: {e}"))?;
        store(
            conn,
            secrets,
            issued.certificate_pem.as_bytes(),
            &issued.key_pem,
            &Actor::default(),
            now,
        )?;
    }
    Ok(install_stored(conn, secrets)?)
}
