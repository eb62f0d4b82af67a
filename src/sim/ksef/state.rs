//! What the local KSeF server remembers: its keys, challenges, logins, sessions, invoices and
//! the faults it was told to show, and the invoice pipeline (decrypt, check, validate, number).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, SecondsFormat, Utc};
use rand::Rng;
use rsa::RsaPrivateKey;
use serde_json::{Map, Value, json};

use crate::ksef::crypto::{self, SessionKey, rsa_decrypt, sha256_base64};
use crate::ksef::fa3::read_summary;
use crate::ksef::number::{ksef_number, reference_number};
use crate::ksef::schema::SchemaDir;
use crate::ksef::wire::{OpenBatchSessionRequest, SendInvoiceRequest, StatusInfo};

/// Faults the server shows when told to (tests and `ebok ksef-sim`).
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Every answer waits this long first.
    pub delay: Duration,
    /// Every request gets 503, as when KSeF is down.
    pub down: bool,
    /// Every invoice sent is refused with this status code and text (e.g. 450, semantic error).
    pub reject: Option<(i64, String)>,
    /// Invoices stay "processing" (150) for ever: KSeF takes them and never decides.
    pub silent: bool,
    /// Every request gets 429 with `Retry-After` of this many seconds (KSeF's rate limits).
    pub throttled: Option<u64>,
}

pub(super) struct Challenge {
    pub timestamp_ms: i64,
    pub issued: Instant,
}

pub(super) struct Login {
    pub nip: String,
    pub authentication_token: String,
    pub code: i64,
    pub redeemed: bool,
}

pub(super) struct Session {
    pub nip: String,
    pub key: SessionKey,
    pub created: String,
    pub updated: String,
    pub closed: bool,
    pub invoices: Vec<String>,
    /// A batch session's package as uploaded so far.
    pub batch: Option<BatchUpload>,
    /// Why KSeF could not process a batch package (405: its parts or hashes are wrong).
    pub failure: Option<StatusInfo>,
    /// A closed batch session whose package is still being processed.
    pub processing: bool,
}

/// What a batch session was opened with, and the parts uploaded to its addresses.
pub(super) struct BatchUpload {
    pub file: crate::ksef::wire::BatchFile,
    /// Encrypted parts by ordinal number − 1.
    pub parts: Vec<Option<Vec<u8>>>,
    /// The signature of the session's pre-signed upload addresses.
    pub signature: String,
    pub offline: Option<bool>,
}

/// A closed batch session's package, taken out of the server's state for processing.
pub(super) struct ClosedBatch {
    pub key: SessionKey,
    pub file: crate::ksef::wire::BatchFile,
    pub parts: Vec<Option<Vec<u8>>>,
    pub offline: Option<bool>,
}

/// Why an upload to a pre-signed address was refused.
pub(super) enum UploadRefusal {
    /// Unknown session or part, or a wrong signature: 403, as the Ministry's storage.
    Forbidden,
    Refused(Refusal),
}

pub(super) struct SimInvoice {
    pub session: String,
    pub ordinal: i64,
    pub hash: String,
    pub number: Option<String>,
    pub ksef_number: Option<String>,
    pub received: Instant,
    pub invoicing_date: String,
    pub acquisition_date: Option<String>,
    pub status: StatusInfo,
    pub upo: Option<String>,
    /// Sent with `offlineMode: true`: KSeF reports `invoicingMode` "Offline".
    pub offline: bool,
}

pub(super) struct Inner {
    pub token_key: RsaPrivateKey,
    pub symmetric_key: RsaPrivateKey,
    pub challenges: HashMap<String, Challenge>,
    pub logins: HashMap<String, Login>,
    /// access token → (NIP, valid until)
    pub access: HashMap<String, (String, Instant)>,
    /// refresh token → NIP
    pub refresh: HashMap<String, String>,
    pub sessions: HashMap<String, Session>,
    pub invoices: HashMap<String, SimInvoice>,
    /// (seller NIP, kind, number) → (KSeF number, session): KSeF's duplicate key.
    pub numbered: HashMap<(String, String, String), (String, String)>,
    pub next_technical: u64,
    pub faults: Faults,
}

/// How long an invoice shows "processing" before its verdict.
pub(super) const PROCESSING: Duration = Duration::from_millis(30);
/// Access tokens live "kilkanaście minut".
pub(super) const ACCESS_TTL: Duration = Duration::from_secs(15 * 60);
const CHALLENGE_TTL: Duration = Duration::from_secs(10 * 60);

pub(super) fn now_text() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// KSeF's calendar day is Poland's: between midnight in Warsaw and midnight UTC an invoice
/// issued "today" in Poland would otherwise be dated after the day KSeF receives it.
pub(super) fn today() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Warsaw)
        .date_naive()
}

pub(super) fn random_token() -> String {
    let mut bytes = [0_u8; 32];
    rand::thread_rng().fill(&mut bytes);
    crypto::base64(&bytes)
        .replace(['+', '/'], "x")
        .trim_end_matches('=')
        .to_owned()
}

pub(super) fn new_reference(kind: &str) -> String {
    reference_number(today(), kind, rand::thread_rng().r#gen())
}

pub(super) fn status(code: i64, description: &str) -> StatusInfo {
    StatusInfo {
        code,
        description: description.to_owned(),
        details: None,
        extensions: None,
    }
}

/// A synchronous refusal of a request: (exception code, description).
pub(super) type Refusal = (i64, String);

impl Inner {
    pub fn new_challenge(&mut self) -> (String, i64) {
        let challenge = new_reference("CR");
        let timestamp_ms = Utc::now().timestamp_millis();
        self.challenges.insert(
            challenge.clone(),
            Challenge {
                timestamp_ms,
                issued: Instant::now(),
            },
        );
        (challenge, timestamp_ms)
    }

    /// `/auth/ksef-token`: the challenge is used up; the token must decrypt to
    /// "{token}|{timestampMs}" of that challenge.
    pub fn start_login(
        &mut self,
        challenge: &str,
        nip: &str,
        encrypted_token: &str,
        accepted_token: &str,
    ) -> Result<(String, String), Refusal> {
        let known = self
            .challenges
            .remove(challenge)
            .filter(|c| c.issued.elapsed() < CHALLENGE_TTL)
            .ok_or((21111, "Nieprawidłowe wyzwanie autoryzacyjne.".to_owned()))?;
        let plain = crypto::from_base64(encrypted_token)
            .ok()
            .and_then(|cipher| rsa_decrypt(&self.token_key, &cipher).ok())
            .ok_or((
                21470,
                "Nie można odszyfrować tokena (nieznany lub wycofany klucz).".to_owned(),
            ))?;
        let expected = format!("{accepted_token}|{}", known.timestamp_ms);
        let code = if plain == expected.as_bytes() {
            200
        } else {
            400
        };
        let reference = new_reference("AU");
        let authentication_token = random_token();
        self.logins.insert(
            reference.clone(),
            Login {
                nip: nip.to_owned(),
                authentication_token: authentication_token.clone(),
                code,
                redeemed: false,
            },
        );
        Ok((reference, authentication_token))
    }

    pub fn access_nip(&self, token: &str) -> Option<String> {
        self.access
            .get(token)
            .filter(|(_, until)| *until > Instant::now())
            .map(|(nip, _)| nip.clone())
    }

    pub fn issue_access(&mut self, nip: &str) -> String {
        let token = random_token();
        self.access
            .insert(token.clone(), (nip.to_owned(), Instant::now() + ACCESS_TTL));
        token
    }

    pub fn open_session(
        &mut self,
        nip: &str,
        encrypted_key: &str,
        iv: &str,
    ) -> Result<String, Refusal> {
        let key = crypto::from_base64(encrypted_key)
            .ok()
            .and_then(|cipher| rsa_decrypt(&self.symmetric_key, &cipher).ok())
            .zip(crypto::from_base64(iv).ok())
            .and_then(|(key, iv)| SessionKey::from_parts(&key, &iv).ok())
            .ok_or((
                21405,
                "Błąd walidacji: nie można odszyfrować klucza symetrycznego.".to_owned(),
            ))?;
        let reference = new_reference("SO");
        self.sessions.insert(
            reference.clone(),
            Session {
                nip: nip.to_owned(),
                key,
                created: now_text(),
                updated: now_text(),
                closed: false,
                invoices: Vec::new(),
                batch: None,
                failure: None,
                processing: false,
            },
        );
        Ok(reference)
    }

    /// `POST /sessions/batch`: a session whose invoices come as a package of parts, uploaded
    /// to pre-signed addresses. Returns the reference and the addresses' signature.
    pub fn open_batch(
        &mut self,
        nip: &str,
        request: &OpenBatchSessionRequest,
    ) -> Result<(String, String), Refusal> {
        let parts = &request.batch_file.file_parts;
        let numbered_in_order = parts
            .iter()
            .enumerate()
            .all(|(index, part)| part.ordinal_number == index as i64 + 1);
        if parts.is_empty() || parts.len() > crate::ksef::batch::MAX_PARTS || !numbered_in_order {
            return Err((
                21405,
                "Błąd walidacji: części paczki muszą być numerowane od 1, najwyżej 50.".to_owned(),
            ));
        }
        let online = self.open_session(
            nip,
            &request.encryption.encrypted_symmetric_key,
            &request.encryption.initialization_vector,
        )?;
        let mut session = self.sessions.remove(&online).ok_or((
            21173,
            "Brak sesji o podanym numerze referencyjnym.".to_owned(),
        ))?;
        let signature = random_token();
        session.batch = Some(BatchUpload {
            file: request.batch_file.clone(),
            parts: vec![None; parts.len()],
            signature: signature.clone(),
            offline: request.offline_mode,
        });
        let reference = new_reference("SB");
        self.sessions.insert(reference.clone(), session);
        Ok((reference, signature))
    }

    /// `PUT` of one encrypted part: it must be the size and hash declared for it.
    pub fn receive_part(
        &mut self,
        reference: &str,
        ordinal: i64,
        signature: &str,
        bytes: Vec<u8>,
    ) -> Result<(), UploadRefusal> {
        let session = self
            .sessions
            .get_mut(reference)
            .filter(|s| !s.closed)
            .ok_or(UploadRefusal::Forbidden)?;
        let batch = session
            .batch
            .as_mut()
            .filter(|b| b.signature == signature)
            .ok_or(UploadRefusal::Forbidden)?;
        let index = usize::try_from(ordinal - 1).map_err(|_| UploadRefusal::Forbidden)?;
        let declared = batch
            .file
            .file_parts
            .get(index)
            .ok_or(UploadRefusal::Forbidden)?;
        if bytes.len() as u64 != declared.file_size {
            return Err(UploadRefusal::Refused((
                21402,
                format!("Nieprawidłowy rozmiar części {ordinal} paczki."),
            )));
        }
        if sha256_base64(&bytes) != declared.file_hash {
            return Err(UploadRefusal::Refused((
                21403,
                format!("Nieprawidłowy skrót części {ordinal} paczki."),
            )));
        }
        batch.parts[index] = Some(bytes);
        session.updated = now_text();
        Ok(())
    }

    /// `POST /sessions/batch/{ref}/close`: the session is closed and its package handed over for
    /// processing (`process_batch`, after the answer, as KSeF does: 150 until it is done).
    pub fn close_batch(&mut self, reference: &str, nip: &str) -> Result<ClosedBatch, Refusal> {
        let session = self
            .sessions
            .get_mut(reference)
            .filter(|s| s.nip == nip && s.batch.is_some())
            .ok_or((
                21173,
                "Brak sesji o podanym numerze referencyjnym.".to_owned(),
            ))?;
        if session.closed {
            return Err((
                21180,
                "Status sesji nie pozwala na wykonanie operacji.".to_owned(),
            ));
        }
        session.closed = true;
        session.processing = true;
        session.updated = now_text();
        let batch = session.batch.as_mut().ok_or((
            21173,
            "Brak sesji o podanym numerze referencyjnym.".to_owned(),
        ))?;
        Ok(ClosedBatch {
            key: session.key.clone(),
            file: batch.file.clone(),
            parts: std::mem::take(&mut batch.parts),
            offline: batch.offline,
        })
    }

    /// `POST /sessions/online/{ref}/invoices`: the synchronous checks, then the verdict, which
    /// the status shows after [`PROCESSING`].
    pub fn receive_invoice(
        &mut self,
        session_reference: &str,
        nip: &str,
        request: &SendInvoiceRequest,
        schema: Option<&SchemaDir>,
    ) -> Result<String, Refusal> {
        let session = self
            .sessions
            .get(session_reference)
            .filter(|s| s.nip == nip)
            .ok_or((
                21173,
                "Brak sesji o podanym numerze referencyjnym.".to_owned(),
            ))?;
        if session.closed || session.batch.is_some() {
            return Err((
                21180,
                "Status sesji nie pozwala na wysyłkę faktur.".to_owned(),
            ));
        }
        let cipher = crypto::from_base64(&request.encrypted_invoice_content)
            .map_err(|e| (21405, format!("Błąd walidacji danych wejściowych: {e}")))?;
        if cipher.len() as u64 != request.encrypted_invoice_size {
            return Err((21402, "Nieprawidłowy rozmiar pliku.".to_owned()));
        }
        if sha256_base64(&cipher) != request.encrypted_invoice_hash {
            return Err((21403, "Nieprawidłowy skrót pliku.".to_owned()));
        }
        let plain = session.key.decrypt(&cipher);
        let verdict = match &plain {
            Err(_) => status(435, "Błąd odszyfrowania pliku."),
            Ok(plain) => {
                if plain.len() as u64 != request.invoice_size {
                    return Err((21402, "Nieprawidłowy rozmiar pliku.".to_owned()));
                }
                if sha256_base64(plain) != request.invoice_hash {
                    return Err((21403, "Nieprawidłowy skrót pliku.".to_owned()));
                }
                status(100, "Faktura przyjęta do przetwarzania")
            }
        };
        let ordinal = session.invoices.len() as i64 + 1;
        let reference = new_reference("EE");
        let mut invoice = SimInvoice {
            session: session_reference.to_owned(),
            ordinal,
            hash: request.invoice_hash.clone(),
            number: None,
            ksef_number: None,
            received: Instant::now(),
            invoicing_date: now_text(),
            acquisition_date: None,
            status: verdict,
            upo: None,
            offline: request.offline_mode == Some(true),
        };
        if let Ok(plain) = plain {
            self.decide(&mut invoice, nip, &plain, schema, request.offline_mode);
        }
        if let Some(session) = self.sessions.get_mut(session_reference) {
            session.invoices.push(reference.clone());
            session.updated = now_text();
        }
        self.invoices.insert(reference.clone(), invoice);
        Ok(reference)
    }

    /// KSeF's checks on the decrypted file (`weryfikacja-faktury.md`), in its order.
    fn decide(
        &mut self,
        invoice: &mut SimInvoice,
        nip: &str,
        plain: &[u8],
        schema: Option<&SchemaDir>,
        offline: Option<bool>,
    ) {
        let checked = check_file(plain, schema);
        self.decide_checked(invoice, nip, checked, offline);
    }

    /// The checks that need the server's state (context, faults, duplicates), and the number.
    pub(super) fn decide_checked(
        &mut self,
        invoice: &mut SimInvoice,
        nip: &str,
        checked: Result<crate::ksef::fa3::Fa3Summary, StatusInfo>,
        offline: Option<bool>,
    ) {
        let refuse = |code: i64, text: &str, detail: Option<String>| StatusInfo {
            code,
            description: text.to_owned(),
            details: detail.map(|d| vec![d]),
            extensions: None,
        };
        let summary = match checked {
            Ok(summary) => summary,
            Err(refusal) => {
                invoice.status = refusal;
                return;
            }
        };
        invoice.number = Some(summary.number.clone());
        if summary.seller_nip != nip {
            invoice.status = refuse(
                410,
                "Brak uprawnień do wystawienia faktury w imieniu podmiotu.",
                Some(format!(
                    "NIP sprzedawcy {} różni się od kontekstu {nip}.",
                    summary.seller_nip
                )),
            );
            return;
        }
        if NaiveDate::parse_from_str(&summary.issue_date, "%Y-%m-%d").is_ok_and(|d| d > today()) {
            invoice.status = refuse(
                450,
                "Błąd weryfikacji semantyki dokumentu faktury.",
                Some("Data wystawienia (P_1) jest późniejsza niż data przyjęcia.".into()),
            );
            return;
        }
        if let Some((code, text)) = &self.faults.reject {
            invoice.status = refuse(*code, text, None);
            return;
        }
        let key = (nip.to_owned(), summary.kind.clone(), summary.number.clone());
        if let Some((original, session)) = self.numbered.get(&key) {
            let mut extensions = Map::new();
            extensions.insert(
                "originalSessionReferenceNumber".into(),
                Value::String(session.clone()),
            );
            extensions.insert("originalKsefNumber".into(), Value::String(original.clone()));
            invoice.status = StatusInfo {
                code: 440,
                description: "Duplikat faktury.".into(),
                details: Some(vec![format!(
                    "Faktura o numerze {} została już przyjęta.",
                    summary.number
                )]),
                extensions: Some(extensions),
            };
            return;
        }
        self.next_technical += 1;
        let technical = (self.next_technical << 16) | u64::from(rand::thread_rng().r#gen::<u16>());
        let number = ksef_number(nip, today(), technical);
        self.numbered
            .insert(key, (number.clone(), invoice.session.clone()));
        invoice.acquisition_date = Some(now_text());
        invoice.upo = Some(super::upo::invoice_upo(
            &invoice.session,
            nip,
            &number,
            &summary,
            &invoice.hash,
            offline == Some(true),
        ));
        invoice.ksef_number = Some(number);
        invoice.status = status(200, "Sukces");
    }

    /// The status an invoice shows now: "processing" until [`PROCESSING`] has passed (for ever
    /// when silent), then its verdict.
    pub fn shown_status(&self, invoice: &SimInvoice) -> StatusInfo {
        if invoice.status.code == 100
            || self.faults.silent
            || invoice.received.elapsed() < PROCESSING
        {
            return status(150, "Trwa przetwarzanie");
        }
        invoice.status.clone()
    }

    /// A session's invoices from `offset`, at most `page` of them.
    pub fn session_invoices(
        &self,
        reference: &str,
        offset: usize,
        page: usize,
    ) -> Option<(Vec<(&String, &SimInvoice)>, usize)> {
        let session = self.sessions.get(reference)?;
        let found: Vec<(&String, &SimInvoice)> = session
            .invoices
            .iter()
            .skip(offset)
            .take(page)
            .filter_map(|r| Some((r, self.invoices.get(r)?)))
            .collect();
        Some((found, session.invoices.len()))
    }

    pub fn session_json(&self, reference: &str) -> Option<Value> {
        let session = self.sessions.get(reference)?;
        if session.processing {
            return Some(json!({
                "status": status(150, "Trwa przetwarzanie paczki"),
                "dateCreated": session.created,
                "dateUpdated": session.updated,
                "invoiceCount": session.invoices.len(),
                "successfulInvoiceCount": 0,
                "failedInvoiceCount": 0,
            }));
        }
        if let Some(failure) = &session.failure {
            return Some(json!({
                "status": failure,
                "dateCreated": session.created,
                "dateUpdated": session.updated,
                "invoiceCount": 0,
                "successfulInvoiceCount": 0,
                "failedInvoiceCount": 0,
            }));
        }
        let decided: Vec<StatusInfo> = session
            .invoices
            .iter()
            .filter_map(|r| self.invoices.get(r))
            .map(|i| self.shown_status(i))
            .collect();
        let ok = decided.iter().filter(|s| s.code == 200).count() as i64;
        let failed = decided.iter().filter(|s| s.code >= 400).count() as i64;
        let undecided = decided.iter().any(|s| s.code < 200);
        let code = match (session.closed, decided.is_empty(), ok) {
            (false, _, _) => 100,
            // A batch package is processed after closing: 150 until every invoice is decided.
            (true, _, _) if session.batch.is_some() && undecided => 150,
            (true, true, _) => 440,
            (true, false, 0) if failed > 0 => 445,
            (true, false, _) if ok + failed < decided.len() as i64 => 170,
            (true, false, _) => 200,
        };
        let description = match code {
            100 => "Sesja otwarta",
            150 => "Trwa przetwarzanie paczki",
            170 => "Sesja zamknięta",
            200 => "Sesja przetworzona pomyślnie",
            440 => "Sesja anulowana: nie przesłano faktur",
            _ => "Sesja nie zawiera poprawnych faktur",
        };
        Some(json!({
            "status": status(code, description),
            "dateCreated": session.created,
            "dateUpdated": session.updated,
            "invoiceCount": decided.len(),
            "successfulInvoiceCount": ok,
            "failedInvoiceCount": failed,
        }))
    }
}

/// The package of a batch session as KSeF rebuilds it: every part present, each decrypted,
/// joined, the size and hash of the whole as declared, and a ZIP that opens.
fn unpack(batch: &ClosedBatch) -> Result<Vec<(String, Vec<u8>)>, String> {
    let key = &batch.key;
    let mut zipped = Vec::new();
    for (index, part) in batch.parts.iter().enumerate() {
        let part = part
            .as_ref()
            .ok_or_else(|| format!("Nie przesłano części {} paczki.", index + 1))?;
        let plain = key
            .decrypt(part)
            .map_err(|_| format!("Nie można odszyfrować części {} paczki.", index + 1))?;
        zipped.extend(plain);
    }
    if zipped.len() as u64 != batch.file.file_size || sha256_base64(&zipped) != batch.file.file_hash
    {
        return Err("Rozmiar lub skrót paczki różni się od zadeklarowanego.".into());
    }
    crate::ksef::batch::unzip(&zipped)
        .map_err(|e| format!("Paczka nie jest poprawnym archiwum ZIP: {e}"))
}

/// KSeF's checks of the file itself (UTF-8, no BOM or processing instructions, the XSD, the
/// fields read): they need nothing of the server's state, so a batch runs them outside the lock.
pub(super) fn check_file(
    plain: &[u8],
    schema: Option<&SchemaDir>,
) -> Result<crate::ksef::fa3::Fa3Summary, StatusInfo> {
    let refuse = |code: i64, text: &str, detail: Option<String>| StatusInfo {
        code,
        description: text.to_owned(),
        details: detail.map(|d| vec![d]),
        extensions: None,
    };
    let Ok(text) = std::str::from_utf8(plain) else {
        return Err(refuse(
            430,
            "Błąd weryfikacji pliku faktury.",
            Some("Plik nie jest w UTF-8.".into()),
        ));
    };
    if text.starts_with('\u{feff}') || text.matches("<?").count() > 1 {
        return Err(refuse(
            430,
            "Błąd weryfikacji pliku faktury.",
            Some("Znacznik BOM lub instrukcje przetwarzania są niedozwolone.".into()),
        ));
    }
    if let Some(schema) = schema
        && let Err(error) = schema.validate(plain)
    {
        return Err(refuse(
            430,
            "Błąd weryfikacji semantyki dokumentu faktury.",
            Some(error.to_string()),
        ));
    }
    read_summary(text).map_err(|error| {
        refuse(
            430,
            "Błąd weryfikacji pliku faktury.",
            Some(error.to_string()),
        )
    })
}

/// KSeF's processing of a closed batch package: the parts decrypted, joined and checked against
/// the declared size and hash, the ZIP opened, and each invoice in it checked like one sent
/// online (the file checks outside the lock, the numbering under it). A package that fails a
/// check fails the session (405) and no invoice of it is taken.
pub(super) fn process_batch(
    shared: &super::SimState,
    reference: &str,
    nip: &str,
    batch: ClosedBatch,
) {
    let files = match unpack(&batch) {
        Ok(files) => files,
        Err(detail) => {
            if let Some(session) = shared.lock().sessions.get_mut(reference) {
                session.failure = Some(StatusInfo {
                    code: 405,
                    description: "Błąd weryfikacji poprawności dostarczonych elementów paczki."
                        .into(),
                    details: Some(vec![detail]),
                    extensions: None,
                });
                session.processing = false;
            }
            return;
        }
    };
    for (ordinal, (_, plain)) in files.into_iter().enumerate() {
        let checked = check_file(&plain, shared.schema.as_ref());
        let mut inner = shared.lock();
        let invoice_reference = new_reference("EE");
        let mut invoice = SimInvoice {
            session: reference.to_owned(),
            ordinal: ordinal as i64 + 1,
            hash: sha256_base64(&plain),
            number: None,
            ksef_number: None,
            received: Instant::now(),
            invoicing_date: now_text(),
            acquisition_date: None,
            status: status(150, "Trwa przetwarzanie"),
            upo: None,
            offline: batch.offline == Some(true),
        };
        inner.decide_checked(&mut invoice, nip, checked, batch.offline);
        if let Some(session) = inner.sessions.get_mut(reference) {
            session.invoices.push(invoice_reference.clone());
        }
        inner.invoices.insert(invoice_reference, invoice);
    }
    if let Some(session) = shared.lock().sessions.get_mut(reference) {
        session.processing = false;
        session.updated = now_text();
    }
}
