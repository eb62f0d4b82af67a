//! Ticket attachments on disk: checked by content before anything is written, stored under
//! `<attachments_dir>/YYYY/MM/<random>` (a random name, so nothing the sender typed reaches the
//! file system) by the file store (`app::file_store`: written atomically, read back only when
//! the recorded SHA-256 still matches).

use std::path::Path;

use chrono::{Datelike, NaiveDate};

use super::TicketError;
use crate::app::crypto;
pub use crate::app::file_store::FileStoreError as AttachmentStoreError;
use crate::app::file_store::{Durability, FileStore};
use crate::domain::tickets::{
    AttachmentKind, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, stored_file_name,
};

/// A file as it arrived: the name the browser sent and the bytes. The browser's Content-Type is
/// deliberately not here: it is the sender's claim, not a fact.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// An upload that passed the checks, with its detected kind and the name it will be offered under.
#[derive(Debug, Clone)]
pub struct CheckedUpload {
    pub kind: AttachmentKind,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// A file written to the store, for the attachment row.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub kind: AttachmentKind,
    pub file_name: String,
    pub size: i64,
    pub sha256: String,
    pub relative_path: String,
}

/// Empty file inputs (nothing chosen) are dropped; the rest must be at most five PDFs, JPEGs or
/// PNGs of at most 5 MiB each. The first problem is reported with the file's name.
pub fn check(uploads: Vec<Upload>) -> Result<Vec<CheckedUpload>, TicketError> {
    let uploads: Vec<Upload> = uploads
        .into_iter()
        .filter(|u| !u.bytes.is_empty())
        .collect();
    if uploads.len() > MAX_ATTACHMENTS {
        return Err(TicketError::TooManyFiles);
    }
    uploads
        .into_iter()
        .map(|upload| {
            let shown = display_name(&upload.file_name);
            if upload.bytes.len() > MAX_ATTACHMENT_BYTES {
                return Err(TicketError::FileTooLarge(shown));
            }
            let kind = AttachmentKind::detect(&upload.bytes).ok_or(TicketError::FileType(shown))?;
            Ok(CheckedUpload {
                kind,
                file_name: stored_file_name(&upload.file_name, kind),
                bytes: upload.bytes,
            })
        })
        .collect()
}

/// The sender's name for error messages: the last path part, shortened.
fn display_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let short: String = last.chars().filter(|c| !c.is_control()).take(80).collect();
    if short.is_empty() {
        "bez nazwy".into()
    } else {
        short
    }
}

#[derive(Debug, Clone)]
pub struct AttachmentStore {
    files: FileStore,
}

impl AttachmentStore {
    pub fn new(root: &Path) -> AttachmentStore {
        AttachmentStore {
            files: FileStore::new(root),
        }
    }

    /// Writes every file or none: on the first failure the ones already written are removed.
    pub fn write_all(
        &self,
        files: &[CheckedUpload],
        today: NaiveDate,
    ) -> Result<Vec<StoredFile>, AttachmentStoreError> {
        let mut stored = Vec::with_capacity(files.len());
        for file in files {
            match self.write(file, today) {
                Ok(one) => stored.push(one),
                Err(error) => {
                    self.discard(&stored);
                    return Err(error);
                }
            }
        }
        Ok(stored)
    }

    fn write(
        &self,
        file: &CheckedUpload,
        today: NaiveDate,
    ) -> Result<StoredFile, AttachmentStoreError> {
        let relative = format!(
            "{:04}/{:02}/{}",
            today.year(),
            today.month(),
            crypto::random_token()
        );
        let sha256 = self.files.put(&relative, &file.bytes, Durability::Now)?;
        Ok(StoredFile {
            kind: file.kind,
            file_name: file.file_name.clone(),
            size: file.bytes.len() as i64,
            sha256,
            relative_path: relative,
        })
    }

    /// Best effort: removes files whose rows were never committed.
    pub fn discard(&self, files: &[StoredFile]) {
        for file in files {
            if let Err(error) = self.files.remove(&file.relative_path) {
                tracing::warn!(%error, path = %file.relative_path, "could not remove an orphaned attachment");
            }
        }
    }

    pub fn read_verified(
        &self,
        relative_path: &str,
        sha256: &str,
    ) -> Result<Vec<u8>, AttachmentStoreError> {
        self.files.read_verified(relative_path, sha256)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn upload(name: &str, bytes: &[u8]) -> Upload {
        Upload {
            file_name: name.into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn empty_inputs_are_ignored_and_six_files_refused() {
        let pdf = b"%PDF-1.4 x";
        assert!(check(vec![upload("", b""); 6]).unwrap().is_empty());
        assert!(matches!(
            check(vec![upload("a.pdf", pdf); 6]),
            Err(TicketError::TooManyFiles)
        ));
        assert_eq!(check(vec![upload("a.pdf", pdf); 5]).unwrap().len(), 5);
    }

    #[test]
    fn a_text_file_called_pdf_is_refused_with_its_name() {
        match check(vec![upload("faktura.pdf", b"hello")]) {
            Err(TicketError::FileType(name)) => assert_eq!(name, "faktura.pdf"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn files_are_written_under_year_and_month_and_verified() {
        let dir = tempfile::tempdir().unwrap();
        let store = AttachmentStore::new(dir.path());
        let checked = check(vec![upload("skan.pdf", b"%PDF-1.4 hello")]).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let stored = store.write_all(&checked, today).unwrap();
        assert!(stored[0].relative_path.starts_with("2026/11/"));
        assert_eq!(
            store
                .read_verified(&stored[0].relative_path, &stored[0].sha256)
                .unwrap(),
            b"%PDF-1.4 hello"
        );
        fs::write(dir.path().join(&stored[0].relative_path), b"%PDF-evil").unwrap();
        assert!(
            store
                .read_verified(&stored[0].relative_path, &stored[0].sha256)
                .is_err()
        );
    }
}
