//! Turning an uploaded file into text: UTF-8 (with or without BOM) or Windows-1250, which Polish
//! banks and Excel still write. Anything else is refused with a reason, never guessed.

use encoding_rs::WINDOWS_1250;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not text in UTF-8 or Windows-1250 (UTF-16 or a binary file?)")]
    NotText,
}

/// Which encoding the text was read in, for the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    Utf8,
    Windows1250,
}

pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), DecodeError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DecodeError::Empty);
    }
    // UTF-16 (Excel's "Unicode text") and binaries carry NUL bytes; no statement does.
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) || bytes.contains(&0) {
        return Err(DecodeError::NotText);
    }
    let without_bom = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let (text, encoding) = match std::str::from_utf8(without_bom) {
        Ok(text) => (text.to_owned(), Encoding::Utf8),
        Err(_) => {
            let (text, had_errors) = WINDOWS_1250.decode_without_bom_handling(without_bom);
            if had_errors {
                return Err(DecodeError::NotText);
            }
            (text.into_owned(), Encoding::Windows1250)
        }
    };
    // Control characters other than line breaks and tabs mean a binary file read as text.
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(DecodeError::NotText);
    }
    Ok((text, encoding))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            decode("Zażółć".as_bytes()).unwrap(),
            ("Zażółć".to_owned(), Encoding::Utf8)
        );
        assert_eq!(
            decode(b"\xEF\xBB\xBFabc").unwrap(),
            ("abc".to_owned(), Encoding::Utf8)
        );
    }

    #[test]
    fn windows_1250_polish_letters() {
        // "Łódź żółw" in Windows-1250.
        let bytes = b"\xA3\xF3d\x9F \xBF\xF3\xB3w";
        assert_eq!(
            decode(bytes).unwrap(),
            ("Łódź żółw".to_owned(), Encoding::Windows1250)
        );
    }

    #[test]
    fn empty_utf16_and_binary_are_refused() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b" \r\n"), Err(DecodeError::Empty));
        assert_eq!(decode(b"\xFF\xFEd\x00a\x00"), Err(DecodeError::NotText));
        assert_eq!(decode(b"PK\x03\x04\x14\x00"), Err(DecodeError::NotText));
        assert_eq!(decode(b"\x1b[31mred"), Err(DecodeError::NotText));
    }
}
