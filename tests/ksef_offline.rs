//! KOD II ("CERTYFIKAT"): with the seller's KSeF Offline certificate stored (its key sealed),
//! an offline invoice's PDF carries, under KOD I, a link signed with that certificate's key
//! (RSASSA-PSS SHA-256) over the stored XML's hash; the link is decoded from the rendered PDF
//! and its signature verified with the certificate's public key — for one invoice and for a
//! billing run, on every backend. Without a certificate there is no KOD II; a certificate of
//! the wrong kind, or a key that is not its own, is refused with a sentence.
//!
//! The certificate in use is held per process (`app::ksef::offline`): nextest runs each test
//! in its own process, `cargo test` runs this binary's tests on threads of one, so every test
//! here holds `the_process_certificate()` while it installs or reads it.

mod common;
#[path = "billing/dataset.rs"]
mod dataset;

use ebok::domain::CustomerId;
use ebok::domain::InvoiceId;
use ebok::domain::KsefState;
use std::path::PathBuf;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Datelike;
use common::TestApp;
use common::documents::{pdf_text, qr_codes_in, render_first_page};
use diesel::prelude::*;
use ebok::app::audit::Actor;
use ebok::app::billing::{self, Source};
use ebok::app::crypto::SecretBox;
use ebok::app::invoicing::{self, Invoicing, IssueRequest, Issued, LineRequest, PdfStore};
use ebok::app::{clock, ksef};
use ebok::db::ksef::KsefSettingsRow;
use ebok::db::schema::invoices;
use ebok::domain::subscription_periods::InvoicedBy;
use ebok::domain::{Money, VatRate};
use ebok::jobs::ksef::{BatchPolicy, KsefTarget};
use ebok::ksef::client::KsefClient;
use ebok::ksef::offline::{LinkError, OfflineCertificateError, verify_link};
use ebok::pdf::PdfRenderer;
use ebok::sim::ksef::{
    KsefSim, SimOptions, issue_offline_certificate, issue_offline_certificate_ecdsa,
};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

backend_tests!(
    kod_ii_under_kod_i_is_signed_with_the_offline_certificate_over_the_stored_xml,
    the_billing_run_prints_kod_ii_on_every_invoice,
    only_an_offline_certificate_with_its_own_key_is_stored,
    an_ecdsa_p256_offline_certificate_signs_kod_ii_as_r_and_s,
    an_invoice_printed_with_kod_ii_goes_to_ksef_in_offline_mode,
    offline_and_online_invoices_go_in_separate_batch_sessions,
);

const SELLER_NIP: &str = "6182007145";

/// One test at a time installs and reads the process's Offline certificate; a test that
/// failed while holding it leaves nothing the next one relies on (each installs its own).
fn the_process_certificate() -> std::sync::MutexGuard<'static, ()> {
    static CERTIFICATE: std::sync::Mutex<()> = std::sync::Mutex::new(());
    CERTIFICATE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn line(name: &str, price: i64) -> LineRequest {
    LineRequest {
        name: name.into(),
        unit: "usł.".into(),
        quantity: Decimal::ONE,
        unit_price: Money::from_grosze(price),
        rate: VatRate::Standard23,
        service_id: None,
        subscription: None,
    }
}

fn customer_id(app: &TestApp, number: i64) -> CustomerId {
    ebok::db::customers::find_by_number(&mut app.conn(), number)
        .unwrap()
        .unwrap()
        .id
}

fn issue(app: &TestApp, customer_id: CustomerId) -> Issued {
    let renderer = PdfRenderer::shared().unwrap();
    let store = PdfStore::new(&app.config.paths.invoices_dir);
    let today = clock::today();
    invoicing::issue_invoice(
        &mut app.conn(),
        &Invoicing {
            renderer: &renderer,
            store: &store,
            outgoing: None,
        },
        &IssueRequest {
            customer_id,
            contract_id: None,
            series_code: "FV".into(),
            issue_date: today,
            sale_date: None,
            period: Some((today.with_day(1).unwrap(), today)),
            payment_days: 14,
            lines: vec![line("Internet 600/60", 7_999)],
            annex_15_goods: false,
            invoiced_by: InvoicedBy::Manual,
            actor: Actor::default(),
        },
        clock::now(),
    )
    .unwrap()
}

/// The seller sends to the local KSeF server: KOD I and KOD II point at the test host.
fn local_settings(app: &TestApp) {
    ebok::db::ksef::save_settings(
        &mut app.conn(),
        &KsefSettingsRow {
            id: 1,
            environment: "local".into(),
            token_ciphertext: None,
            send_consumer_invoices: true,
            updated_at: clock::now(),
        },
    )
    .unwrap();
}

fn xml_of(app: &TestApp, invoice_id: InvoiceId) -> String {
    ebok::db::ksef::find(&mut app.conn(), invoice_id)
        .unwrap()
        .unwrap()
        .xml
        .expect("stored at issue")
}

fn issue_time_pdf(app: &TestApp, invoice_id: InvoiceId) -> Vec<u8> {
    let (path, sha): (Option<String>, Option<String>) = invoices::table
        .find(invoice_id)
        .select((invoices::pdf_path, invoices::pdf_sha256))
        .first(&mut *app.conn())
        .unwrap();
    PdfStore::new(&app.config.paths.invoices_dir)
        .read_verified(&path.unwrap(), &sha.unwrap())
        .unwrap()
}

/// The QR codes on page 1 at a resolution that resolves KOD II's small modules, or `None`
/// where poppler is not installed.
fn codes_on_page_one(pdf: &[u8], name: &str) -> Option<Vec<String>> {
    let png = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}.png"));
    render_first_page(pdf, &png, 400).then(|| qr_codes_in(&png))
}

fn hash_of(xml: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(xml.as_bytes()))
}

/// Stores a certificate the local KSeF server issued; returns its PEM and serial.
fn store_demo_certificate(app: &TestApp) -> (String, String) {
    store_certificate(app, issue_offline_certificate(SELLER_NIP).unwrap())
}

fn store_certificate(
    app: &TestApp,
    issued: ebok::sim::ksef::IssuedOfflineCertificate,
) -> (String, String) {
    let stored = ksef::offline::store(
        &mut app.conn(),
        &app.config.security.secrets,
        issued.certificate_pem.as_bytes(),
        &issued.key_pem,
        &Actor::default(),
        clock::now(),
    )
    .unwrap();
    (issued.certificate_pem, stored.serial().to_owned())
}

/// Asserts that `codes` hold a KOD II for `xml` signed by `certificate`; returns it.
fn kod_ii_among(codes: &[String], certificate: &str, serial: &str, xml: &str) -> String {
    let prefix = format!(
        "https://qr-test.ksef.mf.gov.pl/certificate/Nip/{SELLER_NIP}/{SELLER_NIP}/{serial}/{}/",
        hash_of(xml)
    );
    let link = codes
        .iter()
        .find(|code| code.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no KOD II {prefix}… among {codes:?}"))
        .clone();
    assert_eq!(
        verify_link(&link, certificate.as_bytes()),
        Ok(hash_of(xml)),
        "the signature verifies with the certificate's public key"
    );
    link
}

fn kod_ii_under_kod_i_is_signed_with_the_offline_certificate_over_the_stored_xml(app: TestApp) {
    let _certificate = the_process_certificate();
    let app = app.with_demo(0);
    local_settings(&app);
    let jan = customer_id(&app, 1);
    ksef::offline::install(None);

    // No certificate: KOD I only.
    let plain = issue(&app, jan);
    let pdf = issue_time_pdf(&app, plain.invoice_id);
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains("OFFLINE"), "{text}");
        assert!(!text.contains("CERTYFIKAT"), "{text}");
    }
    if let Some(codes) = codes_on_page_one(&pdf, &format!("no-kod-ii-{}", app.backend.name())) {
        assert!(
            codes.iter().all(|code| !code.contains("/certificate/")),
            "{codes:?}"
        );
    }

    let (certificate, serial) = store_demo_certificate(&app);
    let row = ebok::db::ksef::offline_certificate(&mut app.conn())
        .unwrap()
        .expect("stored");
    assert!(
        SecretBox::is_sealed(&row.key_ciphertext),
        "the key is sealed"
    );
    assert!(!row.key_ciphertext.contains("PRIVATE KEY"));
    assert_eq!(row.serial, serial);
    assert_eq!(serial.len(), 16, "KSeF serials are 16 hex digits: {serial}");

    let signed = issue(&app, jan);
    let xml = xml_of(&app, signed.invoice_id);
    let pdf = issue_time_pdf(&app, signed.invoice_id);
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains("CERTYFIKAT"), "{text}");
        assert!(text.contains("OFFLINE"), "{text}");
    }
    if let Some(codes) = codes_on_page_one(&pdf, &format!("kod-ii-{}", app.backend.name())) {
        let link = kod_ii_among(&codes, &certificate, &serial, &xml);
        assert!(
            codes.iter().any(|code| code
                .starts_with("https://qr-test.ksef.mf.gov.pl/invoice/6182007145/")
                && code.ends_with(&hash_of(&xml))),
            "KOD I beside it: {codes:?}"
        );
        // A forged link (another invoice's hash under the same signature) does not verify.
        let forged = link.replace(&hash_of(&xml), &hash_of("<Faktura/>"));
        assert_eq!(
            verify_link(&forged, certificate.as_bytes()),
            Err(LinkError::Signature)
        );
        // Nor does the genuine link with another certificate.
        let other = issue_offline_certificate(SELLER_NIP).unwrap();
        assert!(verify_link(&link, other.certificate_pem.as_bytes()).is_err());
    }

    // A new process opens the stored certificate with the encryption key…
    ksef::offline::install(None);
    let reopened = ksef::offline::install_stored(&mut app.conn(), &app.config.security.secrets)
        .unwrap()
        .expect("stored");
    assert_eq!(reopened.serial(), serial);
    assert!(ksef::offline::current().is_some());
    // …and says why not with another key, printing no KOD II.
    ksef::offline::install(None);
    let wrong = SecretBox::new(&[3; 32]).unwrap();
    let error = ksef::offline::install_stored(&mut app.conn(), &wrong).unwrap_err();
    assert!(error.to_string().contains("EBOK_ENCRYPTION_KEY"), "{error}");
    assert!(ksef::offline::current().is_none());
    let unsigned = issue(&app, jan);
    if let Some(text) = pdf_text(&issue_time_pdf(&app, unsigned.invoice_id)) {
        assert!(!text.contains("CERTYFIKAT"), "{text}");
    }
}

fn the_billing_run_prints_kod_ii_on_every_invoice(app: TestApp) {
    let _certificate = the_process_certificate();
    let app = app.with_demo(0);
    local_settings(&app);
    dataset::suspend_existing(&mut app.conn());
    let customers: Vec<CustomerId> = {
        let conn = &mut *app.conn();
        vec![
            dataset::add_customer(conn, 101, false, &[dataset::ServiceSpec::internet(7_999)]),
            dataset::add_customer(conn, 108, true, &[dataset::ServiceSpec::internet(7_999)]),
        ]
    };
    let (certificate, serial) = store_demo_certificate(&app);
    let renderer = PdfRenderer::shared().unwrap();
    let store = PdfStore::new(&app.config.paths.invoices_dir);
    let invoicing = Invoicing {
        renderer: renderer.as_ref(),
        store: &store,
        outgoing: None,
    };
    let mut conn = app.conn();
    let actor = Actor::default();
    let started = billing::start_run(
        &mut conn,
        &app.config.database.url,
        "2026-12",
        clock::today(),
        Source::Cli,
        &actor,
        clock::now(),
    )
    .unwrap();
    billing::execute_run(&mut conn, &invoicing, started, &actor, 2, &|_| {}).unwrap();
    drop(conn);
    for customer in customers {
        let id: InvoiceId = invoices::table
            .filter(invoices::customer_id.eq(customer))
            .select(invoices::id)
            .first(&mut *app.conn())
            .unwrap();
        let xml = xml_of(&app, id);
        let pdf = issue_time_pdf(&app, id);
        if let Some(text) = pdf_text(&pdf) {
            assert!(text.contains("CERTYFIKAT"), "{text}");
        }
        if let Some(codes) = codes_on_page_one(
            &pdf,
            &format!("run-kod-ii-{customer}-{}", app.backend.name()),
        ) {
            kod_ii_among(&codes, &certificate, &serial, &xml);
        }
    }
}

fn only_an_offline_certificate_with_its_own_key_is_stored(app: TestApp) {
    let _certificate = the_process_certificate();
    let app = app.with_demo(0);
    ksef::offline::install(None);
    let first = issue_offline_certificate(SELLER_NIP).unwrap();
    let second = issue_offline_certificate(SELLER_NIP).unwrap();
    let store = |certificate: &[u8], key: &str| {
        ksef::offline::store(
            &mut app.conn(),
            &app.config.security.secrets,
            certificate,
            key,
            &Actor::default(),
            clock::now(),
        )
    };
    let mismatch = store(first.certificate_pem.as_bytes(), &second.key_pem).unwrap_err();
    assert!(
        matches!(
            mismatch,
            ksef::offline::StoreError::Certificate(OfflineCertificateError::Mismatch)
        ),
        "{mismatch}"
    );
    let garbage = store(b"not a certificate", &first.key_pem).unwrap_err();
    assert!(garbage.to_string().contains("certificate"), "{garbage}");
    let no_key = store(first.certificate_pem.as_bytes(), "not a key").unwrap_err();
    assert!(no_key.to_string().contains("RSA"), "{no_key}");
    // A certificate without key usage Non-Repudiation (here the local server's own encryption
    // certificate) is not of type Offline and cannot sign KOD II.
    let ministry = ebok::sim::ksef::spawn(ebok::sim::ksef::SimOptions {
        token: "t".into(),
        schema: None,
        port: 0,
    })
    .unwrap();
    let url = format!("{}/security/public-key-certificates", ministry.base_url);
    let certificates: Vec<serde_json::Value> = rocket::tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(async { reqwest::get(url).await.unwrap().json().await })
        .unwrap();
    let der = base64::engine::general_purpose::STANDARD
        .decode(certificates[0]["certificate"].as_str().unwrap())
        .unwrap();
    let not_offline = ebok::ksef::offline::OfflineCertificate::new(&der, &first.key_pem)
        .err()
        .unwrap();
    assert_eq!(
        not_offline,
        OfflineCertificateError::NotOffline,
        "{not_offline}"
    );
    assert!(not_offline.to_string().contains("Authentication"));
    assert!(
        ebok::db::ksef::offline_certificate(&mut app.conn())
            .unwrap()
            .is_none(),
        "nothing refused was stored"
    );
    assert!(ksef::offline::current().is_none());
    store(first.certificate_pem.as_bytes(), &first.key_pem).unwrap();
    assert!(ksef::offline::current().is_some());
}

fn an_ecdsa_p256_offline_certificate_signs_kod_ii_as_r_and_s(app: TestApp) {
    let _certificate = the_process_certificate();
    let app = app.with_demo(0);
    local_settings(&app);
    ksef::offline::install(None);
    let issued = issue_offline_certificate_ecdsa(SELLER_NIP).unwrap();
    // Its key is not the RSA one: a mix-up of key and certificate is refused as for RSA.
    let rsa = issue_offline_certificate(SELLER_NIP).unwrap();
    let mixed = ksef::offline::store(
        &mut app.conn(),
        &app.config.security.secrets,
        issued.certificate_pem.as_bytes(),
        &rsa.key_pem,
        &Actor::default(),
        clock::now(),
    )
    .unwrap_err();
    assert!(
        matches!(
            mixed,
            ksef::offline::StoreError::Certificate(OfflineCertificateError::Mismatch)
        ),
        "{mixed}"
    );
    let (certificate, serial) = store_certificate(&app, issued);
    let jan = customer_id(&app, 1);
    let signed = issue(&app, jan);
    let xml = xml_of(&app, signed.invoice_id);
    let pdf = issue_time_pdf(&app, signed.invoice_id);
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains("CERTYFIKAT"), "{text}");
    }
    if let Some(codes) = codes_on_page_one(&pdf, &format!("kod-ii-ec-{}", app.backend.name())) {
        let link = kod_ii_among(&codes, &certificate, &serial, &xml);
        // IEEE P1363: r and s, 32 bytes each, not DER.
        let signature = URL_SAFE_NO_PAD
            .decode(link.rsplit('/').next().unwrap())
            .unwrap();
        assert_eq!(signature.len(), 64, "{link}");
        let forged = link.replace(&hash_of(&xml), &hash_of("<Faktura/>"));
        assert_eq!(
            verify_link(&forged, certificate.as_bytes()),
            Err(LinkError::Signature)
        );
    }
}

const TOKEN: &str = "20260101-EC-0123456789-ABCDEF0123-FF|nip-6182007145|e-BOK-test";

fn local_ksef() -> KsefSim {
    let schema = ebok::ksef::schema::SchemaDir::new(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/ksef-fa3"),
    )
    .unwrap();
    ebok::sim::ksef::spawn(SimOptions {
        token: TOKEN.into(),
        schema: Some(schema),
        port: 0,
    })
    .unwrap()
}

fn target(app: &TestApp, server: &KsefSim, batch: BatchPolicy) -> KsefTarget {
    KsefTarget {
        client: KsefClient::new(&server.base_url, std::time::Duration::from_secs(10)).unwrap(),
        token: TOKEN.into(),
        environment: "local".into(),
        invoices: PdfStore::new(&app.config.paths.invoices_dir),
        batch,
    }
}

/// Sends until every document is decided; returns each invoice's UPO.
fn drain(app: &TestApp, target: &KsefTarget, ids: &[InvoiceId]) -> Vec<String> {
    let runtime = rocket::tokio::runtime::Runtime::new().unwrap();
    for _ in 0..6 {
        let report = runtime
            .block_on(ebok::jobs::ksef::send_due(&app.pool, target, clock::now()))
            .unwrap();
        assert!(report.problem.is_none(), "{:?}", report.problem);
        let decided = ids.iter().all(|id| {
            ebok::db::ksef::find(&mut app.conn(), *id)
                .unwrap()
                .is_some_and(|d| d.state == KsefState::Accepted)
        });
        if decided {
            break;
        }
    }
    ids.iter()
        .map(|id| {
            let document = ebok::db::ksef::find(&mut app.conn(), *id).unwrap().unwrap();
            assert_eq!(document.state, KsefState::Accepted, "{document:?}");
            document.upo.expect("a UPO")
        })
        .collect()
}

fn mode_in(upo: &str) -> &str {
    let start = upo.find("<TrybWysylki>").expect("TrybWysylki in the UPO") + 13;
    let end = upo[start..].find('<').unwrap() + start;
    &upo[start..end]
}

/// Two invoices: one issued before the certificate was stored (KOD I only, online mode), one
/// after (KOD II printed, offline mode).
fn one_online_one_offline(app: &TestApp) -> (InvoiceId, InvoiceId) {
    ksef::offline::install(None);
    let jan = customer_id(app, 1);
    let online = issue(app, jan).invoice_id;
    store_demo_certificate(app);
    let offline = issue(app, jan).invoice_id;
    let mode = |id| {
        ebok::db::ksef::find(&mut app.conn(), id)
            .unwrap()
            .unwrap()
            .offline_mode
    };
    assert!(!mode(online));
    assert!(mode(offline));
    (online, offline)
}

fn an_invoice_printed_with_kod_ii_goes_to_ksef_in_offline_mode(app: TestApp) {
    let _certificate = the_process_certificate();
    let app = app.with_demo(0);
    local_settings(&app);
    let (online, offline) = one_online_one_offline(&app);
    let server = local_ksef();
    let upos = drain(
        &app,
        &target(&app, &server, BatchPolicy::ONLINE_ONLY),
        &[online, offline],
    );
    assert_eq!(mode_in(&upos[0]), "Online");
    assert_eq!(mode_in(&upos[1]), "Offline");
    // The certificate being removed later does not change what was printed and said.
    ksef::offline::install(None);
    assert!(
        ebok::db::ksef::find(&mut app.conn(), offline)
            .unwrap()
            .unwrap()
            .offline_mode
    );
}

fn offline_and_online_invoices_go_in_separate_batch_sessions(app: TestApp) {
    let _certificate = the_process_certificate();
    let app = app.with_demo(0);
    local_settings(&app);
    let (online, offline) = one_online_one_offline(&app);
    let server = local_ksef();
    let batch = BatchPolicy {
        threshold: 2,
        ..BatchPolicy::default()
    };
    let upos = drain(&app, &target(&app, &server, batch), &[online, offline]);
    assert_eq!(mode_in(&upos[0]), "Online");
    assert_eq!(mode_in(&upos[1]), "Offline");
    let sessions: Vec<String> = [online, offline]
        .iter()
        .map(|id| {
            ebok::db::ksef::find(&mut app.conn(), *id)
                .unwrap()
                .unwrap()
                .session_reference
                .unwrap()
        })
        .collect();
    assert_ne!(sessions[0], sessions[1], "one batch session per mode");
    assert!(sessions.iter().all(|s| s.contains("-SB-")), "{sessions:?}");
}
