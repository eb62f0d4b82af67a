//! The KSeF 2.0 client: login with a KSeF token, online sessions, sending encrypted invoices,
//! their status and UPO. Each call is one attempt; the sender decides about retries from the
//! error's kind ([`KsefError::is_retryable`]).

use std::time::Duration;

use reqwest::{Response, StatusCode};
use serde::de::DeserializeOwned;

use super::batch::{BatchPackage, PackageError};
use super::crypto::{self, CryptoError, MinistryKey, SessionKey, sha256_base64};
use super::fa3;
use super::wire::{
    AuthInitResponse, AuthStatusResponse, ChallengeResponse, ContextIdentifier, Encryption,
    ExceptionResponse, FormCode, KsefTokenRequest, OpenBatchSessionRequest,
    OpenBatchSessionResponse, OpenOnlineSessionRequest, OpenOnlineSessionResponse,
    PartUploadRequest, PublicKeyCertificate, RedeemResponse, SendInvoiceRequest,
    SendInvoiceResponse, SessionInvoiceStatus, SessionInvoicesResponse, SessionStatusResponse,
    USAGE_SYMMETRIC_KEY, USAGE_TOKEN,
};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KsefError {
    /// Not reached, timed out, or 5xx: try again later.
    #[error("KSeF is unavailable: {0}")]
    Unavailable(String),
    /// 429: too many requests; KSeF says how long to wait (`Retry-After`, seconds).
    #[error("KSeF limits requests (429): try again in {} s", retry_after.as_secs())]
    Throttled { retry_after: Duration },
    /// KSeF refused the request (a 400 with its exception code and Polish text).
    #[error("KSeF refused ({code}): {text}")]
    Refused { code: i64, text: String },
    /// The token is wrong, expired or withdrawn, or the access token ran out.
    #[error("KSeF did not accept the login: {0}")]
    Unauthorized(String),
    /// An answer that is not what the API promises; never taken as success.
    #[error("KSeF answered something unexpected: {0}")]
    Malformed(String),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Package(#[from] PackageError),
}

impl KsefError {
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            KsefError::Unavailable(_) | KsefError::Malformed(_) | KsefError::Throttled { .. }
        )
    }

    /// How long KSeF asked to be left alone, when it did (429 with `Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            KsefError::Throttled { retry_after } => Some(*retry_after),
            _ => None,
        }
    }
}

/// `Retry-After` in seconds (KSeF's form); an HTTP date or nothing counts as a minute, the
/// shortest window of KSeF's limits (ksef-docs `limity/limity-api.md`).
fn retry_after(headers: &reqwest::header::HeaderMap) -> Duration {
    headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(Duration::from_secs(60), Duration::from_secs)
}

/// Tokens after a login.
#[derive(Debug, Clone)]
pub struct Login {
    pub access_token: String,
    pub refresh_token: String,
}

/// An open online session and the AES key its invoices are encrypted with.
#[derive(Debug, Clone)]
pub struct OnlineSession {
    pub reference_number: String,
    key: SessionKey,
}

/// An open batch session: its key (to package the invoices with) and where each part goes.
#[derive(Debug, Clone)]
pub struct BatchSession {
    pub reference_number: String,
    pub uploads: Vec<PartUploadRequest>,
}

fn form_code() -> FormCode {
    FormCode {
        system_code: fa3::SYSTEM_CODE.into(),
        schema_version: fa3::SCHEMA_VERSION.into(),
        value: fa3::FORM_VALUE.into(),
    }
}

#[derive(Debug, Clone)]
pub struct KsefClient {
    http: reqwest::Client,
    base_url: String,
    /// How long to wait between polls of a login's status.
    poll_every: Duration,
}

impl KsefClient {
    /// `base_url` as `https://api-test.ksef.mf.gov.pl/v2` (no trailing slash needed).
    pub fn new(base_url: &str, timeout: Duration) -> Result<KsefClient, KsefError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .user_agent("e-BOK")
            .build()
            .map_err(|e| KsefError::Unavailable(e.to_string()))?;
        Ok(KsefClient {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            poll_every: Duration::from_millis(200),
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Turns a response into its JSON body or the error it stands for.
    async fn read<T: DeserializeOwned>(
        response: Result<Response, reqwest::Error>,
    ) -> Result<T, KsefError> {
        let text = Self::body(response).await?;
        serde_json::from_str(&text)
            .map_err(|e| KsefError::Malformed(format!("{e}: {}", excerpt(&text))))
    }

    async fn body(response: Result<Response, reqwest::Error>) -> Result<String, KsefError> {
        let response = response.map_err(|e| KsefError::Unavailable(e.to_string()))?;
        let status = response.status();
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Err(KsefError::Throttled {
                retry_after: retry_after(response.headers()),
            });
        }
        let text = response
            .text()
            .await
            .map_err(|e| KsefError::Unavailable(e.to_string()))?;
        if status.is_success() {
            return Ok(text);
        }
        Err(match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                KsefError::Unauthorized(excerpt(&text))
            }
            StatusCode::BAD_REQUEST => match serde_json::from_str::<ExceptionResponse>(&text) {
                Ok(body) => {
                    let first = body.exception.exception_detail_list.into_iter().next();
                    KsefError::Refused {
                        code: first.as_ref().map_or(0, |d| d.exception_code),
                        text: first.map_or_else(
                            || excerpt(&text),
                            |d| {
                                let mut text = d.exception_description;
                                for detail in d.details.unwrap_or_default() {
                                    text.push(' ');
                                    text.push_str(&detail);
                                }
                                text
                            },
                        ),
                    }
                }
                Err(_) => KsefError::Malformed(format!("400: {}", excerpt(&text))),
            },
            s if s.is_server_error() => KsefError::Unavailable(format!("{s}: {}", excerpt(&text))),
            s => KsefError::Malformed(format!("{s}: {}", excerpt(&text))),
        })
    }

    /// The Ministry's keys for tokens and for session keys.
    pub async fn keys(&self) -> Result<(MinistryKey, MinistryKey), KsefError> {
        let certificates: Vec<PublicKeyCertificate> = Self::read(
            self.http
                .get(self.url("/security/public-key-certificates"))
                .send()
                .await,
        )
        .await?;
        let pick = |usage: &str| -> Result<MinistryKey, KsefError> {
            let found = certificates
                .iter()
                .find(|c| c.usage.iter().any(|u| u == usage))
                .ok_or_else(|| KsefError::Malformed(format!("no certificate for {usage}")))?;
            Ok(MinistryKey::from_certificate_base64(&found.certificate)?)
        };
        Ok((pick(USAGE_TOKEN)?, pick(USAGE_SYMMETRIC_KEY)?))
    }

    /// Logs in for the seller `nip` with a KSeF token: challenge, the token encrypted with the
    /// challenge's timestamp, status polling, then redeeming the access and refresh tokens.
    pub async fn login(
        &self,
        nip: &str,
        token: &str,
        token_key: &MinistryKey,
    ) -> Result<Login, KsefError> {
        let challenge: ChallengeResponse =
            Self::read(self.http.post(self.url("/auth/challenge")).send().await).await?;
        let request = KsefTokenRequest {
            challenge: challenge.challenge,
            context_identifier: ContextIdentifier {
                kind: "Nip".into(),
                value: nip.to_owned(),
            },
            encrypted_token: crypto::encrypt_token(token_key, token, challenge.timestamp_ms)?,
            public_key_id: Some(token_key.public_key_id.clone()),
        };
        let started: AuthInitResponse = Self::read(
            self.http
                .post(self.url("/auth/ksef-token"))
                .json(&request)
                .send()
                .await,
        )
        .await?;
        let bearer = started.authentication_token.token;
        for _ in 0..50 {
            let status: AuthStatusResponse = Self::read(
                self.http
                    .get(self.url(&format!("/auth/{}", started.reference_number)))
                    .bearer_auth(&bearer)
                    .send()
                    .await,
            )
            .await?;
            match status.status.code {
                100 => tokio::time::sleep(self.poll_every).await,
                200 => {
                    let tokens: RedeemResponse = Self::read(
                        self.http
                            .post(self.url("/auth/token/redeem"))
                            .bearer_auth(&bearer)
                            .send()
                            .await,
                    )
                    .await?;
                    return Ok(Login {
                        access_token: tokens.access_token.token,
                        refresh_token: tokens.refresh_token.token,
                    });
                }
                _ => {
                    let mut text = status.status.description;
                    for detail in status.status.details.unwrap_or_default() {
                        text.push(' ');
                        text.push_str(&detail);
                    }
                    return Err(KsefError::Unauthorized(text));
                }
            }
        }
        Err(KsefError::Unavailable(
            "the login is still in progress".into(),
        ))
    }

    /// Opens an online session for FA(3) invoices with a fresh AES key.
    pub async fn open_session(
        &self,
        login: &Login,
        key_for_keys: &MinistryKey,
    ) -> Result<OnlineSession, KsefError> {
        let key = SessionKey::random();
        let request = OpenOnlineSessionRequest {
            form_code: form_code(),
            encryption: Encryption {
                encrypted_symmetric_key: key.encrypted_for(key_for_keys)?,
                initialization_vector: key.iv_base64(),
                public_key_id: Some(key_for_keys.public_key_id.clone()),
            },
        };
        let opened: OpenOnlineSessionResponse = Self::read(
            self.http
                .post(self.url("/sessions/online"))
                .bearer_auth(&login.access_token)
                .json(&request)
                .send()
                .await,
        )
        .await?;
        Ok(OnlineSession {
            reference_number: opened.reference_number,
            key,
        })
    }

    /// Sends one invoice's exact bytes; returns KSeF's reference number of the invoice.
    /// `offline`: the invoice was issued in offline mode (its PDF carries KOD II).
    pub async fn send_invoice(
        &self,
        login: &Login,
        session: &OnlineSession,
        xml: &[u8],
        offline: bool,
    ) -> Result<String, KsefError> {
        let encrypted = session.key.encrypt(xml);
        let request = SendInvoiceRequest {
            invoice_hash: sha256_base64(xml),
            invoice_size: xml.len() as u64,
            encrypted_invoice_hash: sha256_base64(&encrypted),
            encrypted_invoice_size: encrypted.len() as u64,
            encrypted_invoice_content: crypto::base64(&encrypted),
            offline_mode: Some(offline),
            hash_of_corrected_invoice: None,
        };
        let sent: SendInvoiceResponse = Self::read(
            self.http
                .post(self.url(&format!(
                    "/sessions/online/{}/invoices",
                    session.reference_number
                )))
                .bearer_auth(&login.access_token)
                .json(&request)
                .send()
                .await,
        )
        .await?;
        Ok(sent.reference_number)
    }

    pub async fn close_session(
        &self,
        login: &Login,
        session: &OnlineSession,
    ) -> Result<(), KsefError> {
        Self::body(
            self.http
                .post(self.url(&format!(
                    "/sessions/online/{}/close",
                    session.reference_number
                )))
                .bearer_auth(&login.access_token)
                .send()
                .await,
        )
        .await
        .map(|_| ())
    }

    /// Opens a batch session for `package`, made with `key` (`ksef::batch::package`).
    /// `offline`: its invoices were issued in offline mode (KSeF takes the mode per session).
    pub async fn open_batch(
        &self,
        login: &Login,
        key_for_keys: &MinistryKey,
        key: &SessionKey,
        package: &BatchPackage,
        offline: bool,
    ) -> Result<BatchSession, KsefError> {
        let request = OpenBatchSessionRequest {
            form_code: form_code(),
            batch_file: package.file.clone(),
            encryption: Encryption {
                encrypted_symmetric_key: key.encrypted_for(key_for_keys)?,
                initialization_vector: key.iv_base64(),
                public_key_id: Some(key_for_keys.public_key_id.clone()),
            },
            offline_mode: Some(offline),
        };
        let opened: OpenBatchSessionResponse = Self::read(
            self.http
                .post(self.url("/sessions/batch"))
                .bearer_auth(&login.access_token)
                .json(&request)
                .send()
                .await,
        )
        .await?;
        if opened.part_upload_requests.len() != package.parts.len() {
            return Err(KsefError::Malformed(format!(
                "{} upload addresses for {} parts",
                opened.part_upload_requests.len(),
                package.parts.len()
            )));
        }
        Ok(BatchSession {
            reference_number: opened.reference_number,
            uploads: opened.part_upload_requests,
        })
    }

    /// Uploads one encrypted part exactly as KSeF said: its method, address and headers, and
    /// no Bearer token.
    pub async fn upload_part(
        &self,
        upload: &PartUploadRequest,
        part: Vec<u8>,
    ) -> Result<(), KsefError> {
        let method = reqwest::Method::from_bytes(upload.method.as_bytes())
            .map_err(|_| KsefError::Malformed(format!("upload method {}", upload.method)))?;
        let mut request = self.http.request(method, &upload.url).body(part);
        for (name, value) in &upload.headers {
            request = request.header(name, value);
        }
        Self::body(request.send().await).await.map(|_| ())
    }

    /// Uploads every part of `package` to `session`'s addresses, by ordinal number.
    pub async fn upload_parts(
        &self,
        session: &BatchSession,
        package: &BatchPackage,
    ) -> Result<(), KsefError> {
        for upload in &session.uploads {
            let part = usize::try_from(upload.ordinal_number - 1)
                .ok()
                .and_then(|index| package.parts.get(index))
                .ok_or_else(|| {
                    KsefError::Malformed(format!("no part {}", upload.ordinal_number))
                })?;
            self.upload_part(upload, part.clone()).await?;
        }
        Ok(())
    }

    /// Closing a batch session starts KSeF's processing of the package.
    pub async fn close_batch(&self, login: &Login, reference: &str) -> Result<(), KsefError> {
        Self::body(
            self.http
                .post(self.url(&format!("/sessions/batch/{reference}/close")))
                .bearer_auth(&login.access_token)
                .send()
                .await,
        )
        .await
        .map(|_| ())
    }

    pub async fn session_status(
        &self,
        login: &Login,
        reference: &str,
    ) -> Result<SessionStatusResponse, KsefError> {
        Self::read(
            self.http
                .get(self.url(&format!("/sessions/{reference}")))
                .bearer_auth(&login.access_token)
                .send()
                .await,
        )
        .await
    }

    /// Every invoice of a session, page by page (`x-continuation-token`).
    pub async fn session_invoices(
        &self,
        login: &Login,
        reference: &str,
    ) -> Result<Vec<SessionInvoiceStatus>, KsefError> {
        let mut invoices = Vec::new();
        let mut continuation: Option<String> = None;
        loop {
            let mut request = self
                .http
                .get(self.url(&format!("/sessions/{reference}/invoices?pageSize=1000")))
                .bearer_auth(&login.access_token);
            if let Some(token) = &continuation {
                request = request.header("x-continuation-token", token);
            }
            let page: SessionInvoicesResponse = Self::read(request.send().await).await?;
            invoices.extend(page.invoices);
            match page.continuation_token.filter(|t| !t.is_empty()) {
                Some(token) if continuation.as_ref() != Some(&token) => continuation = Some(token),
                _ => return Ok(invoices),
            }
        }
    }

    pub async fn invoice_status(
        &self,
        login: &Login,
        session_reference: &str,
        invoice_reference: &str,
    ) -> Result<SessionInvoiceStatus, KsefError> {
        Self::read(
            self.http
                .get(self.url(&format!(
                    "/sessions/{session_reference}/invoices/{invoice_reference}"
                )))
                .bearer_auth(&login.access_token)
                .send()
                .await,
        )
        .await
    }

    /// A pre-signed download (the UPO): no Bearer; the content is checked against the
    /// `x-ms-meta-hash` header when KSeF gives one.
    pub async fn download(&self, url: &str) -> Result<String, KsefError> {
        let response = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| KsefError::Unavailable(e.to_string()))?;
        let hash = response
            .headers()
            .get("x-ms-meta-hash")
            .and_then(|h| h.to_str().ok())
            .map(str::to_owned);
        let text = Self::body(Ok(response)).await?;
        if hash.is_some_and(|h| h != sha256_base64(text.as_bytes())) {
            return Err(KsefError::Malformed(
                "the UPO does not match its hash".into(),
            ));
        }
        Ok(text)
    }
}

fn excerpt(text: &str) -> String {
    text.chars().take(300).collect()
}
