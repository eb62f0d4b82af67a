//! The package of a KSeF batch session (`sesja-wsadowa.md`): the invoices' exact XML bytes in
//! one ZIP, the ZIP split into parts **before** encryption (≤ 100 MB each, ≤ 50 parts), each
//! part AES-256-CBC encrypted under the session key. The session is opened with the size and
//! SHA-256 of the plain ZIP and of every encrypted part; KSeF checks them all.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;

use super::crypto::{SessionKey, sha256_base64};
use super::wire::{BatchFile, BatchFilePart};

/// KSeF's limit on a part before encryption.
pub const MAX_PART_SIZE: usize = 100 * 1024 * 1024;
/// KSeF's limit on the number of parts.
pub const MAX_PARTS: usize = 50;
/// KSeF's limit on invoices per session.
pub const MAX_INVOICES: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PackageError {
    #[error("the ZIP cannot be written: {0}")]
    Zip(String),
    #[error("the package needs {0} parts; KSeF takes at most 50")]
    TooManyParts(usize),
    #[error("a batch session takes at most 10 000 invoices, not {0}")]
    TooManyInvoices(usize),
}

/// What is sent: the declaration for `POST /sessions/batch` and the encrypted parts in order.
#[derive(Debug, Clone)]
pub struct BatchPackage {
    pub file: BatchFile,
    pub parts: Vec<Vec<u8>>,
}

/// A ZIP holding `files` (name, exact bytes) as they are.
pub fn zip(files: &[(String, &[u8])]) -> Result<Vec<u8>, PackageError> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        writer
            .start_file(name.as_str(), options)
            .map_err(|e| PackageError::Zip(e.to_string()))?;
        writer
            .write_all(bytes)
            .map_err(|e| PackageError::Zip(e.to_string()))?;
    }
    Ok(writer
        .finish()
        .map_err(|e| PackageError::Zip(e.to_string()))?
        .into_inner())
}

/// The files of a ZIP (name, bytes), in the order stored; `Err` with a sentence when it is
/// not a ZIP one can read.
pub fn unzip(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut files = Vec::with_capacity(archive.len());
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).map_err(|e| e.to_string())?;
        if file.is_dir() {
            continue;
        }
        let mut content = Vec::with_capacity(usize::try_from(file.size()).unwrap_or(0));
        file.read_to_end(&mut content).map_err(|e| e.to_string())?;
        files.push((file.name().to_owned(), content));
    }
    Ok(files)
}

/// Zips `files`, splits the ZIP into parts of at most `part_size` bytes (capped at KSeF's
/// 100 MB), and encrypts each part with `key`.
pub fn package(
    files: &[(String, &[u8])],
    key: &SessionKey,
    part_size: usize,
) -> Result<BatchPackage, PackageError> {
    if files.len() > MAX_INVOICES {
        return Err(PackageError::TooManyInvoices(files.len()));
    }
    let zipped = zip(files)?;
    let part_size = part_size.clamp(1, MAX_PART_SIZE);
    let count = zipped.len().div_ceil(part_size).max(1);
    if count > MAX_PARTS {
        return Err(PackageError::TooManyParts(count));
    }
    let parts: Vec<Vec<u8>> = zipped.chunks(part_size).map(|p| key.encrypt(p)).collect();
    let file_parts = parts
        .iter()
        .enumerate()
        .map(|(index, part)| BatchFilePart {
            ordinal_number: index as i64 + 1,
            file_size: part.len() as u64,
            file_hash: sha256_base64(part),
        })
        .collect();
    Ok(BatchPackage {
        file: BatchFile {
            file_size: zipped.len() as u64,
            file_hash: sha256_base64(&zipped),
            compression_type: Some("Zip".into()),
            file_parts,
        },
        parts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_package_split_into_parts_decrypts_and_unzips_to_the_same_bytes() {
        let key = SessionKey::random();
        let xml_a = "<Faktura>a</Faktura>".repeat(200);
        let xml_b = "<Faktura>zażółć</Faktura>".repeat(150);
        let files = vec![
            ("1.xml".to_owned(), xml_a.as_bytes()),
            ("2.xml".to_owned(), xml_b.as_bytes()),
        ];
        let package = package(&files, &key, 64).unwrap();
        assert!(package.parts.len() > 1, "split into parts");
        assert_eq!(package.parts.len(), package.file.file_parts.len());
        let mut zipped = Vec::new();
        for (part, declared) in package.parts.iter().zip(&package.file.file_parts) {
            assert_eq!(declared.file_hash, sha256_base64(part));
            assert_eq!(declared.file_size, part.len() as u64);
            zipped.extend(key.decrypt(part).unwrap());
        }
        assert_eq!(package.file.file_hash, sha256_base64(&zipped));
        let files = unzip(&zipped).unwrap();
        assert_eq!(files[0], ("1.xml".into(), xml_a.into_bytes()));
        assert_eq!(files[1], ("2.xml".into(), xml_b.into_bytes()));
    }
}
