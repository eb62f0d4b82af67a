//! Validating FA(3) documents against the Ministry's XSD with `xmllint` (Debian `libxml2-utils`),
//! offline: the schema imports its base types by absolute URL, which the folder's `catalog.xml`
//! maps to local copies. Used by the tests and by the local KSeF server, as KSeF itself does
//! (an invalid invoice is status 430).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The main schema file in the schema folder.
pub const FA3_XSD: &str = "schemat_FA(3)_v1-0E.xsd";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    #[error("the document does not match the FA(3) schema: {0}")]
    Invalid(String),
    #[error("xmllint could not be run ({0}); install libxml2-utils")]
    NoValidator(String),
    #[error("the FA(3) schema is not in {0}")]
    NoSchema(String),
}

/// A folder holding `schemat_FA(3)_v1-0E.xsd`, `bazowe/` and `catalog.xml`.
#[derive(Debug, Clone)]
pub struct SchemaDir(PathBuf);

impl SchemaDir {
    pub fn new(path: impl Into<PathBuf>) -> Result<SchemaDir, SchemaError> {
        let path: PathBuf = path.into();
        if !path.join(FA3_XSD).is_file() || !path.join("catalog.xml").is_file() {
            return Err(SchemaError::NoSchema(path.display().to_string()));
        }
        Ok(SchemaDir(path))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Validates `xml` (read from standard input, so nothing touches the disk).
    pub fn validate(&self, xml: &[u8]) -> Result<(), SchemaError> {
        let mut child = Command::new("xmllint")
            .args(["--noout", "--nonet", "--catalogs", "--schema"])
            .arg(self.0.join(FA3_XSD))
            .arg("-")
            .env("XML_CATALOG_FILES", self.0.join("catalog.xml"))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| SchemaError::NoValidator(e.to_string()))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(xml)
                .map_err(|e| SchemaError::NoValidator(e.to_string()))?;
        }
        let output = child
            .wait_with_output()
            .map_err(|e| SchemaError::NoValidator(e.to_string()))?;
        if output.status.success() {
            Ok(())
        } else {
            let message = String::from_utf8_lossy(&output.stderr);
            // The last line only says "- fails to validate"; the ones before name the element.
            let detail: Vec<&str> = message
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.ends_with("fails to validate"))
                .take(3)
                .collect();
            Err(SchemaError::Invalid(if detail.is_empty() {
                message.trim().to_owned()
            } else {
                detail.join("; ")
            }))
        }
    }
}
