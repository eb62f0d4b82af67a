//! KSeF 2.0 JSON bodies, with the API's field names (`open-api.json`; reference
//! `ksef-payu-api.md` §D). Shared by the client and the local test server, so both speak exactly
//! the same shapes.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChallengeResponse {
    pub challenge: String,
    pub timestamp: String,
    pub timestamp_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_ip: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ContextIdentifier {
    /// "Nip", "InternalId", "NipVatUe", "PeppolId".
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KsefTokenRequest {
    pub challenge: String,
    pub context_identifier: ContextIdentifier,
    /// Base64 of RSA-OAEP-SHA256("{token}|{timestampMs}").
    pub encrypted_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenInfo {
    pub token: String,
    pub valid_until: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthInitResponse {
    pub reference_number: String,
    pub authentication_token: TokenInfo,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusInfo {
    pub code: i64,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthStatusResponse {
    pub status: StatusInfo,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RedeemResponse {
    pub access_token: TokenInfo,
    pub refresh_token: TokenInfo,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefreshResponse {
    pub access_token: TokenInfo,
}

/// One entry of `GET /security/public-key-certificates`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicKeyCertificate {
    /// DER, standard Base64.
    pub certificate: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key_id: Option<String>,
    pub valid_from: String,
    pub valid_to: String,
    /// "KsefTokenEncryption", "SymmetricKeyEncryption".
    pub usage: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FormCode {
    pub system_code: String,
    pub schema_version: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Encryption {
    pub encrypted_symmetric_key: String,
    pub initialization_vector: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenOnlineSessionRequest {
    pub form_code: FormCode,
    pub encryption: Encryption,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenOnlineSessionResponse {
    pub reference_number: String,
    pub valid_until: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendInvoiceRequest {
    /// SHA-256 of the plain XML, standard Base64.
    pub invoice_hash: String,
    pub invoice_size: u64,
    pub encrypted_invoice_hash: String,
    pub encrypted_invoice_size: u64,
    pub encrypted_invoice_content: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline_mode: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash_of_corrected_invoice: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendInvoiceResponse {
    pub reference_number: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpoPage {
    pub reference_number: String,
    pub download_url: String,
    pub download_url_expiration_date: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpoPages {
    pub pages: Vec<UpoPage>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionStatusResponse {
    pub status: StatusInfo,
    pub date_created: String,
    pub date_updated: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upo: Option<UpoPages>,
    #[serde(default)]
    pub invoice_count: i64,
    #[serde(default)]
    pub successful_invoice_count: i64,
    #[serde(default)]
    pub failed_invoice_count: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInvoiceStatus {
    pub ordinal_number: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ksef_number: Option<String>,
    pub reference_number: String,
    pub invoice_hash: String,
    /// When KSeF assigned the number: the legal moment of receipt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acquisition_date: Option<String>,
    pub invoicing_date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upo_download_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upo_download_url_expiration_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoicing_mode: Option<String>,
    pub status: StatusInfo,
}

/// One encrypted part of a batch package, as declared when the batch session is opened.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchFilePart {
    pub ordinal_number: i64,
    /// Size and SHA-256 (standard Base64) of the part as encrypted.
    pub file_size: u64,
    pub file_hash: String,
}

/// The package: a ZIP of invoice XMLs (size and hash of the plain ZIP), split into parts
/// before encryption (`sesja-wsadowa.md`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchFile {
    pub file_size: u64,
    pub file_hash: String,
    /// "Zip" (also "TarGz" since 2.6.0); KSeF assumes ZIP without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compression_type: Option<String>,
    pub file_parts: Vec<BatchFilePart>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenBatchSessionRequest {
    pub form_code: FormCode,
    pub batch_file: BatchFile,
    pub encryption: Encryption,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline_mode: Option<bool>,
}

/// Where and how to upload one part: exactly as told, without a Bearer token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartUploadRequest {
    pub ordinal_number: i64,
    pub method: String,
    pub url: String,
    #[serde(default)]
    pub headers: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenBatchSessionResponse {
    pub reference_number: String,
    pub part_upload_requests: Vec<PartUploadRequest>,
}

/// `GET /sessions/{ref}/invoices`: one page of a session's invoices.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInvoicesResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continuation_token: Option<String>,
    pub invoices: Vec<SessionInvoiceStatus>,
}

/// Session status codes (`sesja-sprawdzenie-stanu-i-pobranie-upo.md`).
pub mod session_status {
    pub const OPEN: i64 = 100;
    /// Batch: the package is being processed.
    pub const PROCESSING: i64 = 150;
    pub const CLOSED: i64 = 170;
    pub const DONE: i64 = 200;
    /// No invoices were sent in the session.
    pub const NO_INVOICES: i64 = 440;
    /// None of the session's invoices was valid (each one's status says why).
    pub const NO_VALID_INVOICES: i64 = 445;
}

/// The legacy error body of a 400 (`ExceptionResponse`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExceptionResponse {
    pub exception: ExceptionInfo,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExceptionInfo {
    pub exception_detail_list: Vec<ExceptionDetail>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_number: Option<String>,
    #[serde(default)]
    pub service_code: String,
    #[serde(default)]
    pub timestamp: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExceptionDetail {
    pub exception_code: i64,
    pub exception_description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Vec<String>>,
}

/// Usages of the Ministry's certificates.
pub const USAGE_TOKEN: &str = "KsefTokenEncryption";
pub const USAGE_SYMMETRIC_KEY: &str = "SymmetricKeyEncryption";

/// Invoice status codes (`faktury/sesje/...`), as named in the reference.
pub mod invoice_status {
    pub const ACCEPTED: i64 = 100;
    pub const PROCESSING: i64 = 150;
    pub const SUCCESS: i64 = 200;
    pub const DUPLICATE: i64 = 440;
    /// Cancelled by the system: try again.
    pub const CANCELLED_RETRY: i64 = 550;
}
