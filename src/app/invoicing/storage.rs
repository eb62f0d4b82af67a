//! Issued invoice PDFs on disk: `invoices/YYYY/MM/<number>.pdf`, written atomically (temp file,
//! fsync, rename) so a crash never leaves half a file under an invoice's name, and read back only
//! after the stored SHA-256 is checked.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone)]
pub struct PdfStore {
    root: PathBuf,
}

/// Where a PDF went and what it hashed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPdf {
    /// Relative to the store's root, so the root can move (e.g. onto shared storage).
    pub relative_path: String,
    pub sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
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

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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
            root: root.to_path_buf(),
        }
    }

    pub fn write(
        &self,
        issue_date: NaiveDate,
        number: &str,
        bytes: &[u8],
    ) -> Result<StoredPdf, StorageError> {
        let relative = format!(
            "{:04}/{:02}/{}",
            issue_date.year(),
            issue_date.month(),
            file_name(number)
        );
        let path = self.root.join(&relative);
        let failure = |source| StorageError::Write {
            path: path.display().to_string(),
            source,
        };
        let dir = path.parent().unwrap_or(&self.root);
        fs::create_dir_all(dir).map_err(failure)?;
        let temp = dir.join(format!(".{}.{}.tmp", file_name(number), std::process::id()));
        let written = (|| {
            let mut file = fs::File::create(&temp)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            fs::rename(&temp, &path)?;
            // The rename is durable only once the directory entry is.
            fs::File::open(dir)?.sync_all()
        })();
        if let Err(source) = written {
            let _ = fs::remove_file(&temp);
            return Err(failure(source));
        }
        Ok(StoredPdf {
            relative_path: relative,
            sha256: sha256_hex(bytes),
        })
    }

    /// The stored file, if it still matches the hash recorded at issue time.
    pub fn read_verified(
        &self,
        relative_path: &str,
        sha256: &str,
    ) -> Result<Vec<u8>, StorageError> {
        let path = self.root.join(relative_path);
        let bytes = fs::read(&path).map_err(|source| StorageError::Read {
            path: path.display().to_string(),
            source,
        })?;
        if sha256_hex(&bytes) != sha256 {
            return Err(StorageError::HashMismatch {
                path: path.display().to_string(),
            });
        }
        Ok(bytes)
    }

    pub fn absolute(&self, relative_path: &str) -> PathBuf {
        self.root.join(relative_path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
