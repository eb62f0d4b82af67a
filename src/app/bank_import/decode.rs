//! Turning an uploaded file into text: UTF-8 (with or without BOM), Windows-1250 (what Polish
//! banks and Excel mostly write) or ISO-8859-2 (some banks' older exports). Anything else is
//! refused with a reason, never guessed. Staff may name the encoding when detection is wrong.
//!
//! Windows-1250 and ISO-8859-2 agree on most Polish letters but not on six: Ą Ś Ź ą ś ź are
//! 0xA5 0x8C 0x8F 0xB9 0x9C 0x9F in Windows-1250 and 0xA1 0xA6 0xAC 0xB1 0xB6 0xBC in ISO-8859-2.
//! Bytes 0x80–0x9F are control codes in ISO-8859-2, so a file using them is Windows-1250; one
//! using only the ISO-8859-2 positions of those letters is ISO-8859-2.

use encoding_rs::{ISO_8859_2, WINDOWS_1250};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not text in UTF-8, Windows-1250 or ISO-8859-2 (UTF-16 or a binary file?)")]
    NotText,
}

/// Which encoding the text was read in, for the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    Utf8,
    Windows1250,
    #[serde(rename = "iso8859_2")]
    Iso8859_2,
}

impl Encoding {
    pub fn parse(text: &str) -> Option<Encoding> {
        match text
            .trim()
            .to_ascii_lowercase()
            .replace(['-', '_'], "")
            .as_str()
        {
            "utf8" => Some(Encoding::Utf8),
            "windows1250" | "cp1250" => Some(Encoding::Windows1250),
            "iso88592" | "latin2" => Some(Encoding::Iso8859_2),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf8",
            Encoding::Windows1250 => "windows1250",
            Encoding::Iso8859_2 => "iso8859_2",
        }
    }
}

/// SOH, ETX and SUB: the SWIFT envelope around MT940 messages and the DOS end-of-file mark.
/// They frame a statement and are no sign of a binary file.
const FRAMING: [u8; 3] = [0x01, 0x03, 0x1A];

/// Reads the bytes as text in `forced` or, when None, in the encoding recognised.
pub fn decode(bytes: &[u8], forced: Option<Encoding>) -> Result<(String, Encoding), DecodeError> {
    if bytes
        .iter()
        .all(|b| b.is_ascii_whitespace() || FRAMING.contains(b))
    {
        return Err(DecodeError::Empty);
    }
    // UTF-16 (Excel's "Unicode text") and binaries carry NUL bytes; no statement does.
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) || bytes.contains(&0) {
        return Err(DecodeError::NotText);
    }
    let without_bom = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let encoding = forced.unwrap_or_else(|| match std::str::from_utf8(without_bom) {
        Ok(_) => Encoding::Utf8,
        Err(_) => single_byte_encoding(without_bom),
    });
    let text = match encoding {
        Encoding::Utf8 => std::str::from_utf8(without_bom)
            .map_err(|_| DecodeError::NotText)?
            .to_owned(),
        Encoding::Windows1250 | Encoding::Iso8859_2 => {
            let codec = if encoding == Encoding::Windows1250 {
                WINDOWS_1250
            } else {
                ISO_8859_2
            };
            let (text, had_errors) = codec.decode_without_bom_handling(without_bom);
            if had_errors {
                return Err(DecodeError::NotText);
            }
            text.into_owned()
        }
    };
    // Control characters other than line breaks, tabs and the framing mean a binary file.
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{1}' | '\u{3}' | '\u{1a}'))
    {
        return Err(DecodeError::NotText);
    }
    Ok((text, encoding))
}

/// Windows-1250 unless the file writes Polish letters only where ISO-8859-2 has them.
fn single_byte_encoding(bytes: &[u8]) -> Encoding {
    const ONLY_1250: [u8; 6] = [0xA5, 0x8C, 0x8F, 0xB9, 0x9C, 0x9F];
    const ONLY_8859_2: [u8; 6] = [0xA1, 0xA6, 0xAC, 0xB1, 0xB6, 0xBC];
    if bytes.iter().any(|b| (0x80..=0x9F).contains(b)) {
        return Encoding::Windows1250;
    }
    let count = |set: &[u8]| bytes.iter().filter(|b| set.contains(b)).count();
    if count(&ONLY_8859_2) > count(&ONLY_1250) {
        Encoding::Iso8859_2
    } else {
        Encoding::Windows1250
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            decode("Zażółć".as_bytes(), None).unwrap(),
            ("Zażółć".to_owned(), Encoding::Utf8)
        );
        assert_eq!(
            decode(b"\xEF\xBB\xBFabc", None).unwrap(),
            ("abc".to_owned(), Encoding::Utf8)
        );
    }

    #[test]
    fn windows_1250_polish_letters() {
        // "Łódź żółw Świątek" in Windows-1250.
        let bytes = b"\xA3\xF3d\x9F \xBF\xF3\xB3w \x8Cwi\xB9tek";
        assert_eq!(
            decode(bytes, None).unwrap(),
            ("Łódź żółw Świątek".to_owned(), Encoding::Windows1250)
        );
    }

    /// Issue 15, point 6.
    #[test]
    fn iso_8859_2_is_told_from_windows_1250() {
        // "Ąś Źródło Świątek" in ISO-8859-2: read as Windows-1250 it would be "ˇ¶ ¬ródło ¦wi±tek".
        let bytes = b"\xA1\xB6 \xACr\xF3d\xB3o \xA6wi\xB1tek";
        assert_eq!(
            decode(bytes, None).unwrap(),
            ("Ąś Źródło Świątek".to_owned(), Encoding::Iso8859_2)
        );
        // Staff may say otherwise.
        assert_eq!(
            decode(bytes, Some(Encoding::Windows1250)).unwrap().1,
            Encoding::Windows1250
        );
        assert_eq!(Encoding::parse("ISO-8859-2"), Some(Encoding::Iso8859_2));
    }

    /// Issue 15, point 1: the SWIFT envelope is no binary file.
    #[test]
    fn the_swift_envelope_is_text() {
        let (text, _) = decode(b"\x01{4:\r\n:20:X\r\n-}\x03\x1A", None).unwrap();
        assert!(text.contains(":20:X"));
        assert_eq!(decode(b"\x01\x03\x1A", None), Err(DecodeError::Empty));
    }

    #[test]
    fn empty_utf16_and_binary_are_refused() {
        assert_eq!(decode(b"", None), Err(DecodeError::Empty));
        assert_eq!(decode(b" \r\n", None), Err(DecodeError::Empty));
        assert_eq!(
            decode(b"\xFF\xFEd\x00a\x00", None),
            Err(DecodeError::NotText)
        );
        assert_eq!(
            decode(b"PK\x03\x04\x14\x00", None),
            Err(DecodeError::NotText)
        );
        assert_eq!(decode(b"\x1b[31mred", None), Err(DecodeError::NotText));
        assert_eq!(
            decode("Zażółć".as_bytes(), Some(Encoding::Utf8)).unwrap().1,
            Encoding::Utf8
        );
        assert_eq!(
            decode(b"\xA3\xF3d\x9F", Some(Encoding::Utf8)),
            Err(DecodeError::NotText)
        );
    }
}
