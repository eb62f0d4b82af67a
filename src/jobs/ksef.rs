//! The KSeF sender: claims queued invoices, sends them in one online session, records what KSeF
//! says (KSeF number and UPO, or its refusal with code and text), and puts them back with a
//! growing delay while KSeF is unavailable. Safe with several instances: documents are claimed
//! by a conditional update, and a claim left by a crashed sender is taken over after its lease.
//! Sending such an invoice again is harmless: KSeF answers "duplicate" (440) with the number it
//! gave the first time, which is then recorded as the invoice's number.

use std::time::Duration;

use chrono::NaiveDateTime;

use crate::app::invoicing::PdfStore;
use crate::app::{clock, ksef as app_ksef};
use crate::db::ksef::{KsefDocument, KsefSession};
use crate::db::{self, DbConn, Pool};
use crate::ksef::client::{KsefClient, KsefError, Login};
use crate::ksef::wire::invoice_status;

/// Invoices per online session (KSeF allows 10 000).
const BATCH: i64 = 500;
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
    let (claimed, nip) = with_db(pool, move |conn| {
        app_ksef::prepare_pending(conn, now)?;
        Ok((
            app_ksef::claim_due(conn, now, BATCH)?,
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
    if !claimed.is_empty() {
        sent = send_batch(pool, target, &login.0, &login.1, claimed, &mut report, now).await?;
    }
    let mut undecided: Vec<(i64, String, String)> = awaiting
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
    let ids: Vec<(i64, i64)> = claimed.iter().map(|d| (d.invoice_id, d.attempts)).collect();
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
) -> Result<Vec<(i64, String, String)>, String> {
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
            .send_invoice(login, &session, xml.as_bytes())
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
                tracing::warn!(session = %reference, invoice = document.invoice_id, %error, "KSeF send failed; will retry");
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
    undecided: Vec<(i64, String, String)>,
    report: &mut SendReport,
) -> Result<Vec<(i64, String, String)>, String> {
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
                left.push((id, session, invoice))
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
                    db::ksef::record_accepted(
                        conn,
                        id,
                        &number,
                        acquired,
                        upo.as_deref(),
                        clock::now(),
                    )
                })
                .await?;
                report.accepted += 1;
            }
            (invoice_status::SUCCESS, None) => {
                // A success without a number is not a success: ask again later.
                tracing::warn!(%session, invoice = %invoice, "KSeF reported success without a KSeF number");
                left.push((id, session, invoice));
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
    }
    Ok(left)
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
        if self.current.as_ref().is_none_or(|(had, _)| *had != wanted) {
            let client = KsefClient::new(&wanted.base_url, Duration::from_secs(30))
                .map_err(|e| e.to_string())?;
            let target = KsefTarget {
                client,
                token: wanted.token.clone(),
                environment: wanted.environment.as_str().to_owned(),
                invoices: self.invoices.clone(),
            };
            self.current = Some((wanted, target));
        }
        let Some((_, target)) = &self.current else {
            return Err("no KSeF target".into());
        };
        send_due(pool, target, now).await
    }
}
