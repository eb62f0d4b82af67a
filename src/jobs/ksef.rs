//! The KSeF sender: claims queued invoices, sends them in one online session, records what KSeF
//! says (KSeF number and UPO, or its refusal with code and text), and puts them back with a
//! growing delay while KSeF is unavailable. Safe with several instances: documents are claimed
//! by a conditional update, and a claim left by a crashed sender is taken over after its lease.
//! Sending such an invoice again is harmless: KSeF answers "duplicate" (440) with the number it
//! gave the first time, which is then recorded as the invoice's number.

use crate::domain::InvoiceId;
use std::collections::HashMap;
use std::time::Duration;

use chrono::NaiveDateTime;

use crate::app::invoicing::PdfStore;
use crate::app::{clock, ksef as app_ksef};
use crate::db::ksef::{KsefDocument, KsefSession};
use crate::db::{self, DbConn, Pool};
use crate::ksef::client::{KsefClient, KsefError, Login};
use crate::ksef::crypto::{SessionKey, sha256_base64};
use crate::ksef::wire::{SessionInvoiceStatus, invoice_status, session_status};

/// Invoices per online session (KSeF allows 10 000).
const BATCH: i64 = 500;
/// Invoices claimed per pass when batch sessions are on: one batch session takes them all.
const BATCH_SESSION_CLAIM: i64 = 5_000;
/// How long one run waits for KSeF to process a batch package (rounds of `VERDICT_PAUSE`):
/// four minutes, within the claims' lease.
const BATCH_PROCESSING_ROUNDS: usize = 2_400;

/// When the claimed invoices go in one batch session instead of an online session (MF
/// recommends batch sessions for periodic billing), and how the package is split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchPolicy {
    /// This many claimed invoices or more go in a batch session; 0: never.
    pub threshold: usize,
    /// Bytes of ZIP per part before encryption (KSeF takes at most 100 MB).
    pub part_size: usize,
}

impl Default for BatchPolicy {
    fn default() -> Self {
        BatchPolicy {
            threshold: 100,
            part_size: crate::ksef::batch::MAX_PART_SIZE,
        }
    }
}

impl BatchPolicy {
    /// Never a batch session.
    pub const ONLINE_ONLY: BatchPolicy = BatchPolicy {
        threshold: 0,
        part_size: crate::ksef::batch::MAX_PART_SIZE,
    };

    /// `EBOK_KSEF_BATCH_THRESHOLD` (0: online sessions only), else the default.
    pub fn from_env() -> Result<BatchPolicy, String> {
        match std::env::var("EBOK_KSEF_BATCH_THRESHOLD") {
            Ok(text) if !text.trim().is_empty() => {
                let threshold = text.trim().parse::<usize>().map_err(|_| {
                    format!("EBOK_KSEF_BATCH_THRESHOLD must be a whole number, not {text:?}")
                })?;
                Ok(BatchPolicy {
                    threshold,
                    ..BatchPolicy::default()
                })
            }
            _ => Ok(BatchPolicy::default()),
        }
    }

    fn claim_limit(&self) -> i64 {
        if self.threshold > 0 {
            BATCH_SESSION_CLAIM
        } else {
            BATCH
        }
    }

    fn wants_batch(&self, claimed: usize) -> bool {
        self.threshold > 0 && claimed >= self.threshold
    }
}
/// How long one run waits for KSeF's verdicts on what it sent.
const VERDICT_ROUNDS: usize = 50;
const VERDICT_PAUSE: Duration = Duration::from_millis(100);

/// Where and as whom to send.
pub struct KsefTarget {
    pub client: KsefClient,
    /// The KSeF token (plain; stored encrypted by the caller).
    pub token: String,
    /// Recorded with each session ("local", "test", "demo", "production").
    pub environment: String,
    /// Where invoice PDFs are: an accepted invoice's KSeF-numbered visualisation goes there.
    pub invoices: PdfStore,
    /// When to send in a batch session.
    pub batch: BatchPolicy,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SendReport {
    pub sent: usize,
    pub accepted: usize,
    pub rejected: usize,
    pub will_retry: usize,
    /// Sent, but KSeF has not decided yet; asked again on the next run.
    pub waiting: usize,
    /// Why the run stopped early (KSeF down, login refused), if it did.
    pub problem: Option<String>,
    /// Accepted invoices whose visualisation was rendered with their KSeF number.
    pub numbered_pdfs: usize,
}

async fn with_db<T: Send + 'static>(
    pool: &Pool,
    work: impl FnOnce(&mut DbConn) -> diesel::QueryResult<T> + Send + 'static,
) -> Result<T, String> {
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        work(&mut conn).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}

/// Sends everything due at `now` and asks for the verdicts; one pass (the server's worker and
/// `ebok ksef send` call it again while work is left).
pub async fn send_due(
    pool: &Pool,
    target: &KsefTarget,
    now: NaiveDateTime,
) -> Result<SendReport, String> {
    let mut report = SendReport::default();
    let limit = target.batch.claim_limit();
    let (claimed, nip) = with_db(pool, move |conn| {
        app_ksef::prepare_pending(conn, now)?;
        Ok((
            app_ksef::claim_due(conn, now, limit)?,
            app_ksef::seller_nip(conn)?,
        ))
    })
    .await?;
    let awaiting = with_db(pool, |conn| db::ksef::awaiting_verdict(conn, BATCH)).await?;
    if claimed.is_empty() && awaiting.is_empty() {
        report.numbered_pdfs = render_numbered(pool, &target.invoices).await?;
        return Ok(report);
    }
    let Some(nip) = nip else {
        release(
            pool,
            &claimed,
            ("the seller is not set up", None),
            now,
            &mut report,
        )
        .await?;
        report.problem = Some("the seller (ISP) is not set up".into());
        return Ok(report);
    };
    let login = match login(target, &nip).await {
        Ok(login) => login,
        Err(error) => {
            let cause = (error.to_string(), error.retry_after());
            release(pool, &claimed, (&cause.0, cause.1), now, &mut report).await?;
            report.problem = Some(error.to_string());
            return Ok(report);
        }
    };
    let mut sent = Vec::new();
    if target.batch.wants_batch(claimed.len()) {
        // KSeF takes offline mode per batch session: one session per mode.
        let (offline, online): (Vec<_>, Vec<_>) = claimed.into_iter().partition(|d| d.offline_mode);
        for group in [online, offline] {
            if group.is_empty() {
                continue;
            }
            if let Some(problem) = report.problem.clone() {
                // The first session failed: the second waits for the next pass.
                release(pool, &group, (problem.as_str(), None), now, &mut report).await?;
                continue;
            }
            let found =
                send_batch_session(pool, target, &login.0, &login.1, group, &mut report, now)
                    .await?;
            sent.extend(found);
        }
    } else if !claimed.is_empty() {
        sent = send_batch(pool, target, &login.0, &login.1, claimed, &mut report, now).await?;
    }
    let mut undecided: Vec<(InvoiceId, String, String)> = awaiting
        .into_iter()
        .filter_map(|d| Some((d.invoice_id, d.session_reference?, d.invoice_reference?)))
        .chain(sent)
        .collect();
    for round in 0..VERDICT_ROUNDS {
        undecided = collect_verdicts(pool, target, &login.0, undecided, &mut report).await?;
        if undecided.is_empty() || report.problem.is_some() {
            break;
        }
        if round + 1 < VERDICT_ROUNDS {
            tokio::time::sleep(VERDICT_PAUSE).await;
        }
    }
    report.waiting = undecided.len();
    report.numbered_pdfs = render_numbered(pool, &target.invoices).await?;
    Ok(report)
}

/// The KSeF-numbered visualisations of the invoices KSeF accepted (also those a crashed run
/// left without one).
async fn render_numbered(pool: &Pool, store: &PdfStore) -> Result<usize, String> {
    let renderer = crate::pdf::PdfRenderer::shared()?;
    let store = store.clone();
    with_db(pool, move |conn| {
        let mut made = 0;
        loop {
            let now = app_ksef::render_numbered(conn, &renderer, &store, BATCH)?;
            made += now;
            if now == 0 {
                return Ok(made);
            }
        }
    })
    .await
}

/// The keys and a login, or why not.
async fn login(
    target: &KsefTarget,
    nip: &str,
) -> Result<(Login, crate::ksef::crypto::MinistryKey), KsefError> {
    let (token_key, session_key) = target.client.keys().await?;
    let login = target.client.login(nip, &target.token, &token_key).await?;
    Ok((login, session_key))
}

/// Puts claimed documents back for a later try: `(why, not before)`, where KSeF's
/// `Retry-After` (429) pushes the next try past the usual backoff when it asks for longer.
async fn release(
    pool: &Pool,
    claimed: &[KsefDocument],
    (error, retry_after): (&str, Option<Duration>),
    now: NaiveDateTime,
    report: &mut SendReport,
) -> Result<(), String> {
    let ids: Vec<(InvoiceId, i64)> = claimed.iter().map(|d| (d.invoice_id, d.attempts)).collect();
    let error = error.to_owned();
    let wait = retry_after
        .and_then(|d| chrono::Duration::from_std(d).ok())
        .unwrap_or_else(chrono::Duration::zero);
    report.will_retry += ids.len();
    with_db(pool, move |conn| {
        for (id, attempts) in ids {
            let base = clock::now().max(now);
            let at = app_ksef::next_attempt(attempts, base).max(base + wait);
            db::ksef::release_for_retry(conn, id, at, &error, now)?;
        }
        Ok(())
    })
    .await
}

/// Opens a session, sends the claimed documents and closes it. Returns (invoice id, session,
/// KSeF invoice reference) of each one KSeF took.
async fn send_batch(
    pool: &Pool,
    target: &KsefTarget,
    login: &Login,
    key: &crate::ksef::crypto::MinistryKey,
    claimed: Vec<KsefDocument>,
    report: &mut SendReport,
    now: NaiveDateTime,
) -> Result<Vec<(InvoiceId, String, String)>, String> {
    let session = match target.client.open_session(login, key).await {
        Ok(session) => session,
        Err(error) => {
            let cause = (error.to_string(), error.retry_after());
            release(pool, &claimed, (&cause.0, cause.1), now, report).await?;
            report.problem = Some(error.to_string());
            return Ok(Vec::new());
        }
    };
    let reference = session.reference_number.clone();
    let row = KsefSession {
        reference_number: reference.clone(),
        environment: target.environment.clone(),
        opened_at: clock::now(),
        closed_at: None,
        invoices_sent: 0,
        status_code: None,
        status_text: None,
        upo: None,
    };
    with_db(pool, move |conn| db::ksef::insert_session(conn, &row)).await?;
    let mut sent = Vec::new();
    let mut rest = claimed.into_iter();
    while let Some(document) = rest.next() {
        let xml = document.xml.clone().unwrap_or_default();
        match target
            .client
            .send_invoice(login, &session, xml.as_bytes(), document.offline_mode)
            .await
        {
            Ok(invoice_reference) => {
                let (id, session_ref, invoice_ref) = (
                    document.invoice_id,
                    reference.clone(),
                    invoice_reference.clone(),
                );
                with_db(pool, move |conn| {
                    db::ksef::record_sent(conn, id, &session_ref, &invoice_ref, clock::now())?;
                    db::ksef::count_sent_in_session(conn, &session_ref)
                })
                .await?;
                report.sent += 1;
                sent.push((document.invoice_id, reference.clone(), invoice_reference));
            }
            // Refusals of the file itself (size, hash, validation) are the invoice's; session
            // errors (21173, 21180) are not, and it goes back to the queue.
            Err(KsefError::Refused { code, text }) if !matches!(code, 21155 | 21173 | 21180) => {
                let id = document.invoice_id;
                with_db(pool, move |conn| {
                    db::ksef::record_rejected(conn, id, code, &text, clock::now())
                })
                .await?;
                report.rejected += 1;
            }
            Err(error) => {
                tracing::warn!(session = %reference, invoice = document.invoice_id.0, %error, "KSeF send failed; will retry");
                let mut left = vec![document];
                left.extend(rest);
                let cause = (error.to_string(), error.retry_after());
                release(pool, &left, (&cause.0, cause.1), now, report).await?;
                report.problem = Some(error.to_string());
                break;
            }
        }
    }
    // Closing starts the session UPO; a failure here loses nothing (the invoices are sent).
    let closed = target.client.close_session(login, &session).await;
    let status = closed.as_ref().err().map(|e| (0_i64, e.to_string()));
    with_db(pool, move |conn| {
        db::ksef::close_session(
            conn,
            &reference,
            clock::now(),
            status.as_ref().map(|(c, t)| (*c, t.as_str())),
            None,
        )
    })
    .await?;
    Ok(sent)
}

/// Asks for each undecided invoice's status and records the decided ones; returns the rest.
async fn collect_verdicts(
    pool: &Pool,
    target: &KsefTarget,
    login: &Login,
    undecided: Vec<(InvoiceId, String, String)>,
    report: &mut SendReport,
) -> Result<Vec<(InvoiceId, String, String)>, String> {
    let mut left = Vec::new();
    for (id, session, invoice) in undecided {
        let status = match target
            .client
            .invoice_status(login, &session, &invoice)
            .await
        {
            Ok(status) => status,
            Err(error) => {
                tracing::warn!(%session, invoice = %invoice, %error, "KSeF invoice status not read; will ask again");
                report.problem = Some(error.to_string());
                left.push((id, session, invoice));
                continue;
            }
        };
        if let Some(still) =
            apply_status(pool, target, (id, session, invoice), &status, report).await?
        {
            left.push(still);
        }
    }
    Ok(left)
}

/// Records what KSeF says of one sent invoice; returns it back when KSeF has not decided.
async fn apply_status(
    pool: &Pool,
    target: &KsefTarget,
    (id, session, invoice): (InvoiceId, String, String),
    status: &SessionInvoiceStatus,
    report: &mut SendReport,
) -> Result<Option<(InvoiceId, String, String)>, String> {
    let code = status.status.code;
    let duplicate_of = (code == invoice_status::DUPLICATE)
        .then(|| {
            status
                .status
                .extensions
                .as_ref()?
                .get("originalKsefNumber")?
                .as_str()
                .map(str::to_owned)
        })
        .flatten();
    let number = if code == invoice_status::SUCCESS {
        status.ksef_number.clone()
    } else {
        duplicate_of
    };
    match (code, number) {
        (invoice_status::ACCEPTED | invoice_status::PROCESSING, _) => {
            return Ok(Some((id, session, invoice)));
        }
        (invoice_status::SUCCESS | invoice_status::DUPLICATE, Some(number)) => {
            let upo = match &status.upo_download_url {
                Some(url) => target.client.download(url).await.ok(),
                None => None,
            };
            let acquired = status
                .acquisition_date
                .as_deref()
                .and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
                .map_or_else(clock::now, |d| d.naive_utc());
            with_db(pool, move |conn| {
                db::ksef::record_accepted(conn, id, &number, acquired, upo.as_deref(), clock::now())
            })
            .await?;
            report.accepted += 1;
        }
        (invoice_status::SUCCESS, None) => {
            // A success without a number is not a success: ask again later.
            tracing::warn!(%session, invoice = %invoice, "KSeF reported success without a KSeF number");
            return Ok(Some((id, session, invoice)));
        }
        (invoice_status::CANCELLED_RETRY, _) => {
            let text = status.status.description.clone();
            with_db(pool, move |conn| {
                let now = clock::now();
                db::ksef::release_for_retry(conn, id, now, &text, now)
            })
            .await?;
            report.will_retry += 1;
        }
        (code, _) => {
            let mut text = status.status.description.clone();
            for detail in status.status.details.clone().unwrap_or_default() {
                text.push_str(" — ");
                text.push_str(&detail);
            }
            with_db(pool, move |conn| {
                db::ksef::record_rejected(conn, id, code, &text, clock::now())
            })
            .await?;
            report.rejected += 1;
        }
    }
    Ok(None)
}

/// Sends the claimed documents in one batch session: their XML zipped, split into parts and
/// encrypted, the session opened with every part's hash, the parts uploaded, the session
/// closed; then KSeF's processing is waited for and each invoice of the session's list is
/// recorded as sent (found by the hash of its XML) and decided where KSeF has decided.
/// Returns the sent invoices KSeF has not decided yet. Whatever KSeF did not take goes back
/// to the queue; a crash before recording leaves the claims to expire, and the resend is
/// answered "duplicate" with the number of the first (no second number).
async fn send_batch_session(
    pool: &Pool,
    target: &KsefTarget,
    login: &Login,
    key: &crate::ksef::crypto::MinistryKey,
    claimed: Vec<KsefDocument>,
    report: &mut SendReport,
    now: NaiveDateTime,
) -> Result<Vec<(InvoiceId, String, String)>, String> {
    let session_key = SessionKey::random();
    // The caller gives one mode per session.
    let offline_mode = claimed.first().is_some_and(|d| d.offline_mode);
    let names: Vec<String> = claimed
        .iter()
        .map(|d| format!("{}.xml", d.invoice_id))
        .collect();
    let files: Vec<(String, &[u8])> = claimed
        .iter()
        .zip(&names)
        .map(|(d, name)| {
            (
                name.clone(),
                d.xml.as_deref().unwrap_or_default().as_bytes(),
            )
        })
        .collect();
    let by_hash: HashMap<String, InvoiceId> = claimed
        .iter()
        .map(|d| {
            let xml = d.xml.as_deref().unwrap_or_default().as_bytes();
            (sha256_base64(xml), d.invoice_id)
        })
        .collect();
    let opened = async {
        let package = crate::ksef::batch::package(&files, &session_key, target.batch.part_size)?;
        let session = target
            .client
            .open_batch(login, key, &session_key, &package, offline_mode)
            .await?;
        Ok::<_, KsefError>((package, session))
    }
    .await;
    let (package, session) = match opened {
        Ok(opened) => opened,
        Err(error) => {
            let cause = (error.to_string(), error.retry_after());
            release(pool, &claimed, (&cause.0, cause.1), now, report).await?;
            report.problem = Some(error.to_string());
            return Ok(Vec::new());
        }
    };
    let reference = session.reference_number.clone();
    let row = KsefSession {
        reference_number: reference.clone(),
        environment: target.environment.clone(),
        opened_at: clock::now(),
        closed_at: None,
        invoices_sent: 0,
        status_code: None,
        status_text: None,
        upo: None,
    };
    with_db(pool, move |conn| db::ksef::insert_session(conn, &row)).await?;
    let uploaded = async {
        target.client.upload_parts(&session, &package).await?;
        drop(package);
        target.client.close_batch(login, &reference).await?;
        // KSeF processes the package after closing: wait until it has.
        for _ in 0..BATCH_PROCESSING_ROUNDS {
            let status = target.client.session_status(login, &reference).await?;
            if !matches!(
                status.status.code,
                session_status::OPEN | session_status::PROCESSING | session_status::CLOSED
            ) {
                return Ok(status.status);
            }
            tokio::time::sleep(VERDICT_PAUSE).await;
        }
        Ok::<_, KsefError>(crate::ksef::wire::StatusInfo {
            code: session_status::PROCESSING,
            description: "still processing".into(),
            details: None,
            extensions: None,
        })
    }
    .await;
    match uploaded {
        // 440 (no invoices) and 445 (no valid invoices, e.g. all of them duplicates of what a
        // killed sender had sent) are verdicts on the invoices, read from the session's list.
        Ok(status)
            if status.code < 400
                || matches!(
                    status.code,
                    session_status::NO_INVOICES | session_status::NO_VALID_INVOICES
                ) => {}
        Ok(failed) => {
            // The package itself was refused (e.g. 405: a part or hash KSeF could not verify).
            let mut text = failed.description.clone();
            for detail in failed.details.clone().unwrap_or_default() {
                text.push_str(" — ");
                text.push_str(&detail);
            }
            tracing::warn!(session = %reference, code = failed.code, %text, "KSeF refused the batch package; will retry");
            release(pool, &claimed, (&text, None), now, report).await?;
            report.problem = Some(format!(
                "KSeF refused the batch package ({}): {text}",
                failed.code
            ));
            close_record(pool, &reference, Some((failed.code, text))).await?;
            return Ok(Vec::new());
        }
        Err(error) => {
            tracing::warn!(session = %reference, %error, "KSeF batch session failed; will retry");
            let cause = (error.to_string(), error.retry_after());
            release(pool, &claimed, (&cause.0, cause.1), now, report).await?;
            report.problem = Some(error.to_string());
            close_record(pool, &reference, Some((0, error.to_string()))).await?;
            return Ok(Vec::new());
        }
    }
    let listed = match target.client.session_invoices(login, &reference).await {
        Ok(listed) => listed,
        Err(error) => {
            // Taken but not listed: the claims expire and the resend finds the first numbers.
            tracing::warn!(session = %reference, %error, "KSeF batch session's invoices not listed; reconciled later");
            report.problem = Some(error.to_string());
            return Ok(Vec::new());
        }
    };
    let mut taken: Vec<(InvoiceId, String, SessionInvoiceStatus)> = Vec::new();
    for invoice in listed {
        match by_hash.get(&invoice.invoice_hash) {
            Some(id) => taken.push((*id, invoice.reference_number.clone(), invoice)),
            None => {
                tracing::warn!(session = %reference, hash = %invoice.invoice_hash, "KSeF listed an invoice this batch did not send")
            }
        }
    }
    let recorded: Vec<(InvoiceId, String)> = taken
        .iter()
        .map(|(id, invoice_reference, _)| (*id, invoice_reference.clone()))
        .collect();
    let session_ref = reference.clone();
    with_db(pool, move |conn| {
        db::write_transaction(conn, |conn| {
            for (id, invoice_reference) in &recorded {
                db::ksef::record_sent(conn, *id, &session_ref, invoice_reference, clock::now())?;
            }
            db::ksef::count_sent_in_session(conn, &session_ref)
        })
    })
    .await?;
    report.sent += taken.len();
    let listed_ids: std::collections::HashSet<InvoiceId> =
        taken.iter().map(|(id, _, _)| *id).collect();
    let missing: Vec<KsefDocument> = claimed
        .into_iter()
        .filter(|d| !listed_ids.contains(&d.invoice_id))
        .collect();
    if !missing.is_empty() {
        release(
            pool,
            &missing,
            ("KSeF did not list the invoice in the batch session", None),
            now,
            report,
        )
        .await?;
    }
    let mut undecided = Vec::new();
    for (id, invoice_reference, status) in taken {
        if let Some(still) = apply_status(
            pool,
            target,
            (id, reference.clone(), invoice_reference),
            &status,
            report,
        )
        .await?
        {
            undecided.push(still);
        }
    }
    close_record(pool, &reference, None).await?;
    Ok(undecided)
}

/// Records a session as closed, with KSeF's refusal when there was one.
async fn close_record(
    pool: &Pool,
    reference: &str,
    failure: Option<(i64, String)>,
) -> Result<(), String> {
    let reference = reference.to_owned();
    with_db(pool, move |conn| {
        db::ksef::close_session(
            conn,
            &reference,
            clock::now(),
            failure.as_ref().map(|(c, t)| (*c, t.as_str())),
            None,
        )
    })
    .await
}

/// The sender as the server's worker and `ebok ksef send` run it: where to send is read afresh
/// each pass (`EBOK_KSEF_*` when set, else the seller's settings in the panel), so a new
/// environment or token takes effect without a restart; the client is kept while it stays.
pub struct Sender {
    pub secrets: crate::app::crypto::SecretBox,
    pub env: Option<app_ksef::settings::EnvSettings>,
    /// The address of a local KSeF server this process runs (`ebok demo`).
    pub local_url: Option<String>,
    pub invoices: PdfStore,
    /// When to send in a batch session (`EBOK_KSEF_BATCH_THRESHOLD`).
    pub batch: BatchPolicy,
    current: Option<(app_ksef::settings::SendTarget, KsefTarget)>,
}

impl Sender {
    pub fn new(
        secrets: crate::app::crypto::SecretBox,
        env: Option<app_ksef::settings::EnvSettings>,
        local_url: Option<String>,
        invoices: PdfStore,
    ) -> Sender {
        Sender {
            secrets,
            env,
            local_url,
            invoices,
            batch: BatchPolicy::from_env().unwrap_or_else(|problem| {
                tracing::error!(%problem, "batch sessions at their default threshold");
                BatchPolicy::default()
            }),
            current: None,
        }
    }

    /// One pass of [`send_due`] to wherever the settings say now. Not configured: nothing is
    /// sent and the report's problem says what is missing (the queue is kept).
    pub async fn pass(&mut self, pool: &Pool, now: NaiveDateTime) -> Result<SendReport, String> {
        let (secrets, env, local_url) = (
            self.secrets.clone(),
            self.env.clone(),
            self.local_url.clone(),
        );
        let resolved = with_db(pool, move |conn| {
            app_ksef::settings::send_target(conn, &secrets, env.as_ref(), local_url.as_deref())
        })
        .await?;
        let wanted = match resolved {
            Ok(wanted) => wanted,
            Err(problem) => {
                self.current = None;
                return Ok(SendReport {
                    problem: Some(problem.to_string()),
                    ..SendReport::default()
                });
            }
        };
        let stale = self
            .current
            .as_ref()
            .is_none_or(|(had, target)| *had != wanted || target.batch != self.batch);
        if stale {
            let client = KsefClient::new(&wanted.base_url, Duration::from_secs(30))
                .map_err(|e| e.to_string())?;
            let target = KsefTarget {
                client,
                token: wanted.token.clone(),
                environment: wanted.environment.as_str().to_owned(),
                invoices: self.invoices.clone(),
                batch: self.batch,
            };
            self.current = Some((wanted, target));
        }
        let Some((_, target)) = &self.current else {
            return Err("no KSeF target".into());
        };
        send_due(pool, target, now).await
    }
}
