//! A local KSeF 2.0 test server: the subset of the API e-BOK uses, with the same paths, JSON
//! shapes, encryption and status codes (reference `ksef-payu-api.md` §D.7). It publishes its own
//! RSA certificates, checks the KSeF token sent with a challenge, decrypts every invoice with the
//! session's AES key, validates it against the FA(3) XSD, numbers it in the official format and
//! answers a UPO; duplicates get 440. Faults on demand: slow, down (503), reject, silent.
//!
//! Never chosen by a production configuration: `ebok demo` and the tests start it.

mod offline;
mod routes;
mod state;
mod upo;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rand::rngs::OsRng;
use rsa::{RsaPrivateKey, RsaPublicKey};
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::der::Encode;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::time::Validity;

pub use offline::{
    IssuedOfflineCertificate, issue_offline_certificate, issue_offline_certificate_ecdsa,
};
pub use state::Faults;
use state::Inner;

use crate::ksef::crypto;
use crate::ksef::schema::SchemaDir;
use crate::ksef::wire::{PublicKeyCertificate, USAGE_SYMMETRIC_KEY, USAGE_TOKEN};

/// How the server is started.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// The KSeF token it accepts (for any NIP as context).
    pub token: String,
    /// Where the FA(3) XSD is; without it invoices are not validated against the schema.
    pub schema: Option<SchemaDir>,
    /// 0: any free loopback port.
    pub port: u16,
}

/// What the routes share.
#[derive(Clone)]
pub struct SimState {
    inner: Arc<Mutex<Inner>>,
    certificates: Arc<Vec<PublicKeyCertificate>>,
    token: Arc<String>,
    schema: Option<SchemaDir>,
    base_url: Arc<String>,
}

impl SimState {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic in another request cannot leave the maps half-written in a way that matters
        // to a test server; keep serving.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A running server; stops when dropped.
pub struct KsefSim {
    pub base_url: String,
    state: SimState,
    server: super::server::Running,
}

impl KsefSim {
    /// Changes the faults from now on.
    pub fn set_faults(&self, faults: Faults) {
        self.state.lock().faults = faults;
    }

    pub fn faults(&self) -> Faults {
        self.state.lock().faults.clone()
    }

    /// How many invoices it has numbered (accepted) so far.
    pub fn accepted_count(&self) -> usize {
        self.state.lock().numbered.len()
    }

    /// How many invoice files it has received, duplicates and refusals included.
    pub fn received_count(&self) -> usize {
        self.state.lock().invoices.len()
    }

    /// Blocks the calling thread until the server has stopped.
    pub fn wait(self) {
        self.server.wait();
    }
}

fn certificate(key: &RsaPrivateKey, usage: &str) -> Result<PublicKeyCertificate, String> {
    let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key.clone());
    let public = RsaPublicKey::from(key);
    let spki = SubjectPublicKeyInfoOwned::from_key(public.clone()).map_err(|e| e.to_string())?;
    let subject: Name = format!("CN=KSeF lokalny {usage},O=e-BOK,C=PL")
        .parse()
        .map_err(|e: x509_cert::der::Error| e.to_string())?;
    let validity =
        Validity::from_now(Duration::from_secs(365 * 24 * 3600)).map_err(|e| e.to_string())?;
    let builder = CertificateBuilder::new(
        Profile::Root,
        SerialNumber::from(1_u32),
        validity,
        subject,
        spki,
        &signer,
    )
    .map_err(|e| e.to_string())?;
    let der = builder
        .build::<rsa::pkcs1v15::Signature>()
        .map_err(|e| e.to_string())?
        .to_der()
        .map_err(|e| e.to_string())?;
    let now = chrono::Utc::now();
    Ok(PublicKeyCertificate {
        certificate: crypto::base64(&der),
        public_key_id: Some(crypto::public_key_id(&public).map_err(|e| e.to_string())?),
        valid_from: now.to_rfc3339(),
        valid_to: (now + chrono::Duration::days(365)).to_rfc3339(),
        usage: vec![usage.to_owned()],
    })
}

/// Starts the server on 127.0.0.1 in its own thread and waits until it answers.
pub fn spawn(options: SimOptions) -> Result<KsefSim, String> {
    let token_key = RsaPrivateKey::new(&mut OsRng, 2048).map_err(|e| e.to_string())?;
    let symmetric_key = RsaPrivateKey::new(&mut OsRng, 2048).map_err(|e| e.to_string())?;
    let certificates = vec![
        certificate(&token_key, USAGE_TOKEN)?,
        certificate(&symmetric_key, USAGE_SYMMETRIC_KEY)?,
    ];
    let port = super::server::port(options.port)?;
    let base_url = format!("http://127.0.0.1:{port}/v2");
    let state = SimState {
        inner: Arc::new(Mutex::new(Inner {
            token_key,
            symmetric_key,
            challenges: Default::default(),
            logins: Default::default(),
            access: Default::default(),
            refresh: Default::default(),
            sessions: Default::default(),
            invoices: Default::default(),
            numbered: Default::default(),
            next_technical: 0,
            faults: Faults::default(),
        })),
        certificates: Arc::new(certificates),
        token: Arc::new(options.token),
        schema: options.schema,
        base_url: Arc::new(base_url.clone()),
    };
    let server = super::server::launch("KSeF", "ksef-sim", port, {
        let state = state.clone();
        move |rocket| routes::mount(rocket, state)
    })?;
    Ok(KsefSim {
        base_url,
        state,
        server,
    })
}
