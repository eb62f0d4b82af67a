//! Issued invoice PDFs on disk: `invoices/YYYY/MM/<number>.pdf`, kept by the file store
//! (`app::file_store`: written atomically, read back only after the stored SHA-256 is checked).

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use crate::app::file_store::{Durability, FileStore};
pub use crate::app::file_store::{FileStoreError as StorageError, lower_hex, sha256_hex};

#[derive(Debug, Clone)]
pub struct PdfStore {
    files: FileStore,
    /// Every `write` waits for `flush` (see `deferring`).
    deferred: bool,
    /// Issuing through this store renders and keeps no file (see `discarding`).
    discarding: bool,
}

/// Where a PDF went and what it hashed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPdf {
    /// Relative to the store's root, so the root can move (e.g. onto shared storage).
    pub relative_path: String,
    pub sha256: String,
}

/// Invoice numbers contain slashes; file names cannot.
fn file_name(number: &str) -> String {
    let safe: String = number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.pdf")
}

impl PdfStore {
    pub fn new(root: &Path) -> PdfStore {
        PdfStore {
            files: FileStore::new(root),
            deferred: false,
            discarding: false,
        }
    }

    /// A store whose every `write` behaves as `write_unflushed`, for a bulk writer that calls
    /// `flush` before each commit (the demo seeder, which issues hundreds of thousands).
    pub fn deferring(root: &Path) -> PdfStore {
        PdfStore {
            files: FileStore::new(root),
            deferred: true,
            discarding: false,
        }
    }

    /// A store that keeps no files: invoices issued through it are recorded without a PDF
    /// (`invoices.pdf_path` stays empty) and none is rendered. Only for `ebok demo --no-pdfs`,
    /// whose past demo invoices would otherwise fill ~100 GB at a million customers; the pages
    /// of such an invoice say that its demo document is not stored.
    pub fn discarding(root: &Path) -> PdfStore {
        PdfStore {
            files: FileStore::new(root),
            deferred: true,
            discarding: true,
        }
    }

    /// Whether invoices issued through this store get their PDF rendered and stored.
    pub fn keeps_files(&self) -> bool {
        !self.discarding
    }

    /// Stores one PDF durably: temp file, fsync, rename, fsync of the directory. For an invoice
    /// issued on its own, recorded right after.
    pub fn write(
        &self,
        issue_date: NaiveDate,
        number: &str,
        bytes: &[u8],
    ) -> Result<StoredPdf, StorageError> {
        let durability = if self.deferred {
            Durability::AtFlush
        } else {
            Durability::Now
        };
        self.store(issue_date, number, bytes, durability)
    }

    /// Stores one PDF of a batch without waiting for the disk (written in place). The batch
    /// calls [`PdfStore::flush`] once before it records any of its files as stored: one
    /// filesystem sync instead of two per file, which is most of a billing run's time
    /// otherwise. A crash before the flush can leave an empty file under a number that was
    /// never committed; the re-run hands the number out again and rewrites it.
    pub fn write_unflushed(
        &self,
        issue_date: NaiveDate,
        number: &str,
        bytes: &[u8],
    ) -> Result<StoredPdf, StorageError> {
        self.store(issue_date, number, bytes, Durability::AtFlush)
    }

    /// Makes everything written with `write_unflushed` durable.
    pub fn flush(&self) -> Result<(), StorageError> {
        if self.discarding {
            return Ok(());
        }
        self.files.flush()
    }

    fn store(
        &self,
        issue_date: NaiveDate,
        number: &str,
        bytes: &[u8],
        durability: Durability,
    ) -> Result<StoredPdf, StorageError> {
        let relative = format!(
            "{:04}/{:02}/{}",
            issue_date.year(),
            issue_date.month(),
            file_name(number)
        );
        let sha256 = self.files.put(&relative, bytes, durability)?;
        Ok(StoredPdf {
            relative_path: relative,
            sha256,
        })
    }

    /// The stored file, if it still matches the hash recorded at issue time.
    pub fn read_verified(
        &self,
        relative_path: &str,
        sha256: &str,
    ) -> Result<Vec<u8>, StorageError> {
        self.files.read_verified(relative_path, sha256)
    }

    pub fn absolute(&self, relative_path: &str) -> PathBuf {
        self.files.absolute(relative_path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn pdfs_land_under_year_and_month_and_verify_by_hash() {
        let dir = tempfile::tempdir().unwrap();
        let store = PdfStore::new(dir.path());
        let date = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let stored = store
            .write(date, "FV/2026/11/000001", b"%PDF-1.7 test")
            .unwrap();
        assert_eq!(stored.relative_path, "2026/11/FV_2026_11_000001.pdf");
        assert_eq!(
            store
                .read_verified(&stored.relative_path, &stored.sha256)
                .unwrap(),
            b"%PDF-1.7 test"
        );
        fs::write(store.absolute(&stored.relative_path), b"tampered").unwrap();
        assert!(matches!(
            store.read_verified(&stored.relative_path, &stored.sha256),
            Err(StorageError::HashMismatch { .. })
        ));
        assert!(
            fs::read_dir(dir.path().join("2026/11")).unwrap().all(|e| !e
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp"))
        );
    }

    #[test]
    fn a_batch_written_unflushed_is_complete_after_one_flush() {
        let dir = tempfile::tempdir().unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let explicit = PdfStore::new(dir.path());
        let deferring = PdfStore::deferring(dir.path());
        let first = explicit
            .write_unflushed(date, "FV/2026/12/000001", b"%PDF one")
            .unwrap();
        let second = deferring
            .write(date, "FV/2026/12/000002", b"%PDF two")
            .unwrap();
        explicit.flush().unwrap();
        for (stored, bytes) in [(&first, &b"%PDF one"[..]), (&second, &b"%PDF two"[..])] {
            assert_eq!(
                explicit
                    .read_verified(&stored.relative_path, &stored.sha256)
                    .unwrap(),
                bytes
            );
        }
        let names: Vec<String> = fs::read_dir(dir.path().join("2026/12"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "no temporary files left: {names:?}");
    }
}
