//! File uploads and downloads for tickets: Rocket's data limits raised to what the ticket forms
//! need, uploaded files read into memory for the use case, and stored files served as downloads
//! that a browser can never render in the portal's origin.

use rocket::data::{ByteUnit, Limits, ToByteUnit};
use rocket::figment::Figment;
use rocket::fs::TempFile;
use rocket::http::{ContentType, Header};
use rocket::tokio::io::AsyncReadExt;

use crate::app::tickets::{AttachmentFile, Upload};

/// Raises (never lowers) the limits the ticket forms need: five files of 5 MiB plus text in one
/// multipart form. A single file is let through up to the whole form's size so that "too large"
/// is the use case's clear message, not Rocket's bare 413; only a form over the total limit gets
/// the 413 page (which explains it and links back).
pub fn with_upload_limits(figment: Figment) -> Figment {
    let limits: Limits = figment.extract_inner("limits").unwrap_or_default();
    let at_least = |limits: Limits, name: &str, minimum: ByteUnit| {
        let current = limits.get(name).unwrap_or(ByteUnit::from(0));
        if current >= minimum {
            limits
        } else {
            limits.limit(name.to_owned(), minimum)
        }
    };
    let limits = at_least(limits, "data-form", 30.mebibytes());
    let limits = at_least(limits, "file", 30.mebibytes());
    // A long reply typed in Polish is three bytes per letter once URL-encoded.
    let limits = at_least(limits, "form", 256.kibibytes());
    figment.merge(("limits", limits))
}

/// The bytes and the name the browser sent; Rocket's guess of the type is ignored on purpose.
pub async fn read_uploads(files: &[TempFile<'_>]) -> std::io::Result<Vec<Upload>> {
    let mut uploads = Vec::with_capacity(files.len());
    for file in files {
        if file.len() == 0 {
            continue;
        }
        let mut bytes = Vec::with_capacity(usize::try_from(file.len()).unwrap_or(0));
        file.open().await?.read_to_end(&mut bytes).await?;
        let file_name = file
            .raw_name()
            .map(|name| name.dangerous_unsafe_unsanitized_raw().as_str().to_owned())
            .unwrap_or_default();
        uploads.push(Upload { file_name, bytes });
    }
    Ok(uploads)
}

/// An attachment as a download: `Content-Disposition: attachment` with an ASCII name and the
/// real one in RFC 5987 form, the stored type, and `nosniff` (the security headers add it too;
/// here it is part of the contract of this response).
#[derive(rocket::Responder)]
pub struct AttachmentDownload {
    body: Vec<u8>,
    content_type: ContentType,
    disposition: Header<'static>,
    nosniff: Header<'static>,
    cache: Header<'static>,
}

impl AttachmentDownload {
    pub fn new(file: AttachmentFile) -> AttachmentDownload {
        let content_type =
            ContentType::parse_flexible(&file.content_type).unwrap_or(ContentType::Binary);
        let ascii: String = file
            .file_name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let encoded: String = file
            .file_name
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        AttachmentDownload {
            body: file.bytes,
            content_type,
            disposition: Header::new(
                "Content-Disposition",
                format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
            ),
            nosniff: Header::new("X-Content-Type-Options", "nosniff"),
            cache: Header::new("Cache-Control", "private, no-store"),
        }
    }
}
