//! Ticket attachments on disk: checked by content before anything is written, stored under
//! `<attachments_dir>/YYYY/MM/<random>` (a random name, so nothing the sender typed reaches the
//! file system), written atomically, and read back only when the recorded SHA-256 still matches.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use super::TicketError;
use crate::app::crypto;
use crate::domain::tickets::{
    AttachmentKind, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, stored_file_name,
};

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

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
    root: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum AttachmentStoreError {
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} does not match its recorded hash")]
    HashMismatch { path: String },
}

impl AttachmentStore {
    pub fn new(root: &Path) -> AttachmentStore {
        AttachmentStore {
            root: root.to_path_buf(),
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
        let path = self.root.join(&relative);
        let failure = |source| AttachmentStoreError::Write {
            path: path.display().to_string(),
            source,
        };
        let dir = path.parent().unwrap_or(&self.root);
        fs::create_dir_all(dir).map_err(failure)?;
        let temp = path.with_extension("tmp");
        let written = (|| {
            let mut out = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temp)?;
            out.write_all(&file.bytes)?;
            out.sync_all()?;
            fs::rename(&temp, &path)?;
            // The rename is durable only once the directory entry is.
            fs::File::open(dir)?.sync_all()
        })();
        if let Err(source) = written {
            let _ = fs::remove_file(&temp);
            return Err(failure(source));
        }
        Ok(StoredFile {
            kind: file.kind,
            file_name: file.file_name.clone(),
            size: file.bytes.len() as i64,
            sha256: sha256_hex(&file.bytes),
            relative_path: relative,
        })
    }

    /// Best effort: removes files whose rows were never committed.
    pub fn discard(&self, files: &[StoredFile]) {
        for file in files {
            if let Err(error) = fs::remove_file(self.root.join(&file.relative_path)) {
                tracing::warn!(%error, path = %file.relative_path, "could not remove an orphaned attachment");
            }
        }
    }

    pub fn read_verified(
        &self,
        relative_path: &str,
        sha256: &str,
    ) -> Result<Vec<u8>, AttachmentStoreError> {
        let path = self.root.join(relative_path);
        let bytes = fs::read(&path).map_err(|source| AttachmentStoreError::Read {
            path: path.display().to_string(),
            source,
        })?;
        if sha256_hex(&bytes) != sha256 {
            return Err(AttachmentStoreError::HashMismatch {
                path: path.display().to_string(),
            });
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
