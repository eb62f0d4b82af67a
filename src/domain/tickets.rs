//! Support tickets: statuses, categories, the number people quote on the phone, the reopening
//! window, and what an attachment may be. Pure rules, no I/O.

use chrono::{Duration, NaiveDateTime};

use super::words::stored_words;

stored_words!(
    /// Where a ticket stands (`tickets.status`).
    TicketStatus {
        /// Opened by the subscriber, nobody from the ISP has looked yet.
        New = "new",
        /// Being worked on (or the subscriber wrote again).
        Open = "open",
        /// Staff asked the subscriber for something.
        WaitingCustomer = "waiting_customer",
        /// Staff answered; the ball is with the subscriber.
        Answered = "answered",
        Closed = "closed",
    }
);

stored_words!(
    /// What a ticket is about, as the subscriber chose it (`tickets.category`).
    TicketCategory {
        /// Technical fault ("awaria").
        Fault = "fault",
        Billing = "billing",
        /// Contract change.
        Contract = "contract",
        Other = "other",
    }
);

/// The number shown everywhere and quoted in mail subjects: `#000123`. Derived from the row id,
/// so it never changes and needs no counter of its own.
pub fn ticket_number(id: i64) -> String {
    format!("#{id:06}")
}

/// A closed ticket may be reopened by the subscriber for this long; after that a new ticket is
/// the honest way (the old one is history).
pub const REOPEN_WINDOW_DAYS: i64 = 14;

pub fn may_reopen(closed_at: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    closed_at.is_some_and(|closed| now - closed <= Duration::days(REOPEN_WINDOW_DAYS))
}

pub const SUBJECT_MAX_CHARS: usize = 200;
pub const BODY_MAX_CHARS: usize = 10_000;

/// At most this many files per message.
pub const MAX_ATTACHMENTS: usize = 5;
/// 5 MiB per file: a phone photo of a router or a scanned page fits, a video does not.
pub const MAX_ATTACHMENT_BYTES: usize = 5 * 1024 * 1024;

/// The only kinds of file a ticket accepts, recognised by their first bytes. The name and the
/// browser's Content-Type are what the sender claims; the bytes are what we would serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentKind {
    Pdf,
    Jpeg,
    Png,
}

impl AttachmentKind {
    /// By content: `%PDF-`, the JPEG SOI marker with the next marker's 0xFF, the PNG signature.
    pub fn detect(bytes: &[u8]) -> Option<AttachmentKind> {
        if bytes.starts_with(b"%PDF-") {
            Some(AttachmentKind::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(AttachmentKind::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(AttachmentKind::Png)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            AttachmentKind::Pdf => "application/pdf",
            AttachmentKind::Jpeg => "image/jpeg",
            AttachmentKind::Png => "image/png",
        }
    }

    pub fn from_content_type(value: &str) -> Option<AttachmentKind> {
        [
            AttachmentKind::Pdf,
            AttachmentKind::Jpeg,
            AttachmentKind::Png,
        ]
        .into_iter()
        .find(|kind| kind.content_type() == value)
    }

    pub fn extension(self) -> &'static str {
        match self {
            AttachmentKind::Pdf => "pdf",
            AttachmentKind::Jpeg => "jpg",
            AttachmentKind::Png => "png",
        }
    }
}

/// The name a file is stored and offered under: the last path part of what the browser sent,
/// letters (Polish ones too), digits, spaces, `-`, `_` and `.` only, at most 100 characters,
/// with the extension of the detected kind. So a PNG sent as `skan.pdf` is kept as `skan.png`:
/// whoever downloads it gets what it really is.
pub fn stored_file_name(raw: &str, kind: AttachmentKind) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = match last.rsplit_once('.') {
        Some((stem, _extension)) => stem,
        None => last,
    };
    let cleaned: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | ' ' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let cleaned = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let stem: String = if cleaned.is_empty() {
        "zalacznik".to_owned()
    } else {
        cleaned.chars().take(95).collect()
    };
    format!("{stem}.{}", kind.extension())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, day)
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap()
    }

    #[test]
    fn numbers_are_zero_padded_ids() {
        assert_eq!(ticket_number(123), "#000123");
        assert_eq!(ticket_number(1_234_567), "#1234567");
    }

    #[test]
    fn reopening_is_allowed_for_fourteen_days_after_closing() {
        assert!(may_reopen(Some(at(1, 10)), at(15, 10)));
        assert!(!may_reopen(Some(at(1, 10)), at(15, 11)));
        assert!(!may_reopen(None, at(1, 10)));
    }

    #[test]
    fn kinds_are_recognised_by_content_only() {
        assert_eq!(
            AttachmentKind::detect(b"%PDF-1.7\n..."),
            Some(AttachmentKind::Pdf)
        );
        assert_eq!(
            AttachmentKind::detect(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some(AttachmentKind::Jpeg)
        );
        assert_eq!(
            AttachmentKind::detect(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(AttachmentKind::Png)
        );
        assert_eq!(
            AttachmentKind::detect(b"just text, called faktura.pdf"),
            None
        );
        assert_eq!(AttachmentKind::detect(b"<html><script>"), None);
        assert_eq!(AttachmentKind::detect(b""), None);
    }

    #[test]
    fn stored_names_lose_paths_and_odd_characters_and_get_the_real_extension() {
        assert_eq!(
            stored_file_name("C:\\Users\\jan\\Zdjęcie routera.PDF", AttachmentKind::Png),
            "Zdjęcie routera.png"
        );
        assert_eq!(
            stored_file_name("../../etc/passwd", AttachmentKind::Pdf),
            "passwd.pdf"
        );
        assert_eq!(
            stored_file_name("a\"b<c>.jpg", AttachmentKind::Jpeg),
            "a_b_c_.jpg"
        );
        assert_eq!(stored_file_name("", AttachmentKind::Pdf), "zalacznik.pdf");
        assert_eq!(
            stored_file_name("...", AttachmentKind::Pdf),
            "zalacznik.pdf"
        );
        let long = "x".repeat(300);
        assert_eq!(
            stored_file_name(&long, AttachmentKind::Pdf).chars().count(),
            99
        );
    }

    #[test]
    fn statuses_and_categories_round_trip() {
        use crate::domain::StoredWord;
        for &status in TicketStatus::ALL {
            assert_eq!(TicketStatus::parse(status.as_str()), Some(status));
        }
        for &category in TicketCategory::ALL {
            assert_eq!(TicketCategory::parse(category.as_str()), Some(category));
        }
        assert_eq!(TicketStatus::parse("deleted"), None);
    }
}
