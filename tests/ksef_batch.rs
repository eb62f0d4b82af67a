//! KSeF batch sessions: above the threshold the sender zips the claimed invoices' exact XML,
//! splits the ZIP into parts, encrypts each, opens a batch session with every hash, uploads the
//! parts to the pre-signed addresses, closes it, and records each invoice from the session's
//! list; the local KSeF server really decrypts, joins, checks the hashes, unzips and validates.
//! A part whose hash is not the declared one is refused and the package fails (405) with no
//! invoice taken. Below the threshold the same invoices go online. Every backend.

mod common;

use ebok::domain::InvoiceId;
use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Duration;

use chrono::Datelike;
use common::TestApp;
use diesel::prelude::*;
use ebok::app::audit::Actor;
use ebok::app::clock;
use ebok::app::invoicing::{self, Invoicing, IssueRequest, LineRequest, PdfStore};
use ebok::db::schema::{ksef_documents, ksef_sessions};
use ebok::domain::subscription_periods::InvoicedBy;
use ebok::domain::{Money, VatRate};
use ebok::jobs::ksef::{BatchPolicy, KsefTarget, SendReport, send_due};
use ebok::ksef::batch;
use ebok::ksef::client::{KsefClient, KsefError};
use ebok::ksef::crypto::SessionKey;
use ebok::ksef::schema::SchemaDir;
use ebok::pdf::PdfRenderer;
use ebok::sim::ksef::{KsefSim, SimOptions};
use rust_decimal::Decimal;

backend_tests!(
    many_invoices_go_in_one_batch_session_split_into_parts_and_each_is_numbered_once,
    below_the_threshold_the_invoices_go_online,
    a_part_with_a_wrong_hash_is_refused_and_the_package_takes_no_invoice,
);

const TOKEN: &str = "ebok-batch-test-token";
const SELLER_NIP: &str = "6182007145";

fn schema() -> SchemaDir {
    SchemaDir::new(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/ksef-fa3")).unwrap()
}

fn local_ksef() -> KsefSim {
    ebok::sim::ksef::spawn(SimOptions {
        token: TOKEN.into(),
        schema: Some(schema()),
        port: 0,
    })
    .unwrap()
}

fn target(app: &TestApp, server: &KsefSim, batch: BatchPolicy) -> KsefTarget {
    KsefTarget {
        client: KsefClient::new(&server.base_url, Duration::from_secs(30)).unwrap(),
        token: TOKEN.into(),
        environment: "local".into(),
        invoices: PdfStore::new(&app.config.paths.invoices_dir),
        batch,
    }
}

/// `count` invoices for the demo's first subscriber.
fn issue_many(app: &TestApp, count: usize) -> Vec<InvoiceId> {
    let customer_id = ebok::db::customers::find_by_number(&mut app.conn(), 1)
        .unwrap()
        .unwrap()
        .id;
    let renderer = PdfRenderer::shared().unwrap();
    let store = PdfStore::new(&app.config.paths.invoices_dir);
    let today = clock::today();
    (0..count)
        .map(|n| {
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
                    lines: vec![LineRequest {
                        name: format!("Internet 600/60, usługa {n}"),
                        unit: "usł.".into(),
                        quantity: Decimal::ONE,
                        unit_price: Money::from_grosze(5_000 + n as i64),
                        rate: VatRate::Standard23,
                        service_id: None,
                        subscription: None,
                    }],
                    annex_15_goods: false,
                    invoiced_by: InvoicedBy::Manual,
                    actor: Actor::default(),
                },
                clock::now(),
            )
            .unwrap()
            .invoice_id
        })
        .collect()
}

fn drain(app: &TestApp, target: &KsefTarget) -> SendReport {
    let runtime = rocket::tokio::runtime::Runtime::new().unwrap();
    let mut total = SendReport::default();
    for _ in 0..5 {
        let report = runtime
            .block_on(send_due(&app.pool, target, clock::now()))
            .unwrap();
        assert!(report.problem.is_none(), "{report:?}");
        total.sent += report.sent;
        total.accepted += report.accepted;
        total.rejected += report.rejected;
        total.waiting = report.waiting;
        if report.sent == 0 && report.waiting == 0 {
            break;
        }
    }
    total
}

/// (state, KSeF number, session) of each invoice.
fn outcomes(app: &TestApp, ids: &[InvoiceId]) -> Vec<(String, Option<String>, Option<String>)> {
    ids.iter()
        .map(|id| {
            ksef_documents::table
                .find(*id)
                .select((
                    ksef_documents::state,
                    ksef_documents::ksef_number,
                    ksef_documents::session_reference,
                ))
                .first(&mut *app.conn())
                .unwrap()
        })
        .collect()
}

/// Invoices waiting for KSeF (the demo's own and the test's).
fn queued(app: &TestApp) -> usize {
    ksef_documents::table
        .filter(ksef_documents::state.eq("queued"))
        .count()
        .get_result::<i64>(&mut *app.conn())
        .unwrap() as usize
}

fn sessions(app: &TestApp) -> Vec<String> {
    ksef_sessions::table
        .select(ksef_sessions::reference_number)
        .load(&mut *app.conn())
        .unwrap()
}

fn many_invoices_go_in_one_batch_session_split_into_parts_and_each_is_numbered_once(app: TestApp) {
    let app = app.with_demo(0);
    let server = local_ksef();
    let ids = issue_many(&app, 12);
    let waiting = queued(&app);
    assert!(waiting >= 12);
    // Small parts, so the package really is split (KSeF's parts are up to 100 MB).
    let policy = BatchPolicy {
        threshold: 10,
        part_size: 4 * 1024,
    };
    let report = drain(&app, &target(&app, &server, policy));
    assert_eq!(report.sent, waiting, "{report:?}");
    assert_eq!(report.accepted, waiting, "{report:?}");
    assert_eq!(report.rejected, 0, "{report:?}");
    let outcomes = outcomes(&app, &ids);
    let numbers: HashSet<String> = outcomes.iter().filter_map(|o| o.1.clone()).collect();
    assert_eq!(
        numbers.len(),
        12,
        "twelve distinct KSeF numbers: {outcomes:?}"
    );
    assert!(outcomes.iter().all(|o| o.0 == "accepted"), "{outcomes:?}");
    let sessions = sessions(&app);
    assert_eq!(sessions.len(), 1, "one batch session: {sessions:?}");
    assert!(sessions[0].contains("-SB-"), "{}", sessions[0]);
    assert!(
        outcomes
            .iter()
            .all(|o| o.2.as_deref() == Some(sessions[0].as_str())),
        "{outcomes:?}"
    );
    assert_eq!(server.accepted_count(), waiting);
    // Each accepted invoice has its UPO.
    let upos: Vec<Option<String>> = ksef_documents::table
        .filter(ksef_documents::invoice_id.eq_any(&ids))
        .select(ksef_documents::upo)
        .load(&mut *app.conn())
        .unwrap();
    assert!(upos.iter().all(Option::is_some));
}

fn below_the_threshold_the_invoices_go_online(app: TestApp) {
    let app = app.with_demo(0);
    let server = local_ksef();
    let ids = issue_many(&app, 3);
    let waiting = queued(&app);
    assert!(waiting < BatchPolicy::default().threshold);
    let report = drain(&app, &target(&app, &server, BatchPolicy::default()));
    assert_eq!(report.accepted, waiting, "{report:?}");
    let sessions = sessions(&app);
    assert_eq!(sessions.len(), 1);
    assert!(sessions[0].contains("-SO-"), "online: {}", sessions[0]);
    assert!(outcomes(&app, &ids).iter().all(|o| o.0 == "accepted"));
}

fn a_part_with_a_wrong_hash_is_refused_and_the_package_takes_no_invoice(app: TestApp) {
    let app = app.with_demo(0);
    let server = local_ksef();
    let ids = issue_many(&app, 3);
    let xmls: Vec<String> = ids
        .iter()
        .map(|id| {
            ebok::db::ksef::find(&mut app.conn(), *id)
                .unwrap()
                .unwrap()
                .xml
                .unwrap()
        })
        .collect();
    let files: Vec<(String, &[u8])> = xmls
        .iter()
        .enumerate()
        .map(|(n, xml)| (format!("{n}.xml"), xml.as_bytes()))
        .collect();
    let runtime = rocket::tokio::runtime::Runtime::new().unwrap();
    let client = KsefClient::new(&server.base_url, Duration::from_secs(30)).unwrap();
    runtime.block_on(async {
        let (token_key, session_key_key) = client.keys().await.unwrap();
        let login = client.login(SELLER_NIP, TOKEN, &token_key).await.unwrap();
        let key = SessionKey::random();
        let package = batch::package(&files, &key, 1024).unwrap();
        assert!(package.parts.len() >= 2, "{}", package.parts.len());
        let session = client
            .open_batch(&login, &session_key_key, &key, &package, false)
            .await
            .unwrap();
        // Part 1 altered on the way: its hash is not the declared one.
        let mut altered = package.parts[0].clone();
        altered[0] ^= 0xff;
        let refused = client
            .upload_part(&session.uploads[0], altered)
            .await
            .unwrap_err();
        assert!(
            matches!(refused, KsefError::Refused { code: 21403, .. }),
            "{refused:?}"
        );
        for (upload, part) in session.uploads.iter().zip(&package.parts).skip(1) {
            client.upload_part(upload, part.clone()).await.unwrap();
        }
        // Without the signature of the pre-signed address: 403.
        let mut unsigned = session.uploads[0].clone();
        unsigned.url = unsigned.url.replace("sig=", "sig=x");
        assert!(matches!(
            client
                .upload_part(&unsigned, package.parts[0].clone())
                .await,
            Err(KsefError::Unauthorized(_))
        ));
        client
            .close_batch(&login, &session.reference_number)
            .await
            .unwrap();
        // KSeF processes the package after closing.
        let mut status = None;
        for _ in 0..100 {
            let now = client
                .session_status(&login, &session.reference_number)
                .await
                .unwrap();
            if now.status.code != 150 {
                status = Some(now);
                break;
            }
            rocket::tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let status = status.expect("processed");
        assert_eq!(status.status.code, 405, "{status:?}");
        assert!(
            status
                .status
                .details
                .iter()
                .flatten()
                .any(|d| d.contains("części 1")),
            "{status:?}"
        );
        let invoices = client
            .session_invoices(&login, &session.reference_number)
            .await
            .unwrap();
        assert!(invoices.is_empty(), "{invoices:?}");
    });
    assert_eq!(server.accepted_count(), 0, "nothing of the package taken");

    // The sender's own package of the same invoices goes through whole.
    let policy = BatchPolicy {
        threshold: 2,
        part_size: 1024,
    };
    let waiting = queued(&app);
    let report = drain(&app, &target(&app, &server, policy));
    assert_eq!(report.accepted, waiting, "{report:?}");
    assert_eq!(server.accepted_count(), waiting);
    assert!(outcomes(&app, &ids).iter().all(|o| o.0 == "accepted"));
}
