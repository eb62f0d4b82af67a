//! The calendar entry (RFC 5545 iCalendar) mailed with a booking, a move or a cancellation, so
//! the subscriber's calendar shows the visit. One UID per visit; SEQUENCE rises with every
//! change, so a calendar replaces the entry instead of adding a second one.

use chrono::NaiveDateTime;

/// What the entry says.
#[derive(Debug, Clone)]
pub struct CalendarEntry<'a> {
    pub visit_id: i64,
    /// The portal's host, making the UID unique beyond this ISP (`visit-7@ebok.isp.pl`).
    pub host: &'a str,
    pub revision: i64,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub stamp: NaiveDateTime,
    pub summary: &'a str,
    pub location: &'a str,
    pub description: &'a str,
    pub organizer_name: &'a str,
    pub organizer_email: &'a str,
    pub cancelled: bool,
}

impl CalendarEntry<'_> {
    /// The `.ics` text: CRLF line ends, lines folded at 75 octets, times in UTC.
    pub fn to_ics(&self) -> String {
        let method = if self.cancelled { "CANCEL" } else { "REQUEST" };
        let status = if self.cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        };
        let lines = [
            "BEGIN:VCALENDAR".to_owned(),
            "VERSION:2.0".to_owned(),
            "PRODID:-//e-BOK//Technician visits//PL".to_owned(),
            "CALSCALE:GREGORIAN".to_owned(),
            format!("METHOD:{method}"),
            "BEGIN:VEVENT".to_owned(),
            format!("UID:visit-{}@{}", self.visit_id, self.host),
            format!("SEQUENCE:{}", self.revision),
            format!("DTSTAMP:{}", utc(self.stamp)),
            format!("DTSTART:{}", utc(self.starts_at)),
            format!("DTEND:{}", utc(self.ends_at)),
            format!("SUMMARY:{}", escape(self.summary)),
            format!("LOCATION:{}", escape(self.location)),
            format!("DESCRIPTION:{}", escape(self.description)),
            format!(
                "ORGANIZER;CN={}:mailto:{}",
                param(self.organizer_name),
                self.organizer_email
            ),
            format!("STATUS:{status}"),
            "END:VEVENT".to_owned(),
            "END:VCALENDAR".to_owned(),
        ];
        let mut text = String::new();
        for line in lines {
            text.push_str(&fold(&line));
        }
        text
    }
}

fn utc(at: NaiveDateTime) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// RFC 5545 §3.3.11: backslash, semicolon, comma and newline are escaped in TEXT.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value is quoted; it may hold no double quote and no control characters.
fn param(text: &str) -> String {
    let clean: String = text
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect();
    format!("\"{clean}\"")
}

/// RFC 5545 §3.1: lines longer than 75 octets continue on the next line after CRLF and a
/// space, never splitting a UTF-8 character (Polish letters are two octets).
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut used = 0;
    for c in line.chars() {
        let width = c.len_utf8();
        if used + width > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += width;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn entry(cancelled: bool) -> String {
        let day = NaiveDate::from_ymd_opt(2027, 3, 28).unwrap();
        CalendarEntry {
            visit_id: 7,
            host: "ebok.example.pl",
            revision: 2,
            starts_at: day.and_hms_opt(8, 0, 0).unwrap(),
            ends_at: day.and_hms_opt(9, 0, 0).unwrap(),
            stamp: day.and_hms_opt(1, 0, 0).unwrap(),
            summary: "Wizyta technika: wymiana routera",
            location: "ul. Śródmiejska 1, 62-800 Kalisz",
            description: "Kod do bramy; 1234\nPies, ale łagodny "
                .repeat(3)
                .as_str()
                .trim(),
            organizer_name: "Sieć \"Kalisz\"",
            organizer_email: "bok@example.pl",
            cancelled,
        }
        .to_ics()
    }

    #[test]
    fn lines_are_folded_escaped_and_in_utc() {
        let ics = entry(false);
        assert!(ics.contains("DTSTART:20270328T080000Z\r\n"));
        assert!(ics.contains("UID:visit-7@ebok.example.pl\r\n"));
        assert!(ics.contains("LOCATION:ul. Śródmiejska 1\\, 62-800 Kalisz\r\n"));
        assert!(ics.contains("Kod do bramy\\; 1234\\nPies\\,"));
        assert!(ics.contains("ORGANIZER;CN=\"Sieć Kalisz\":mailto:bok@example.pl"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn a_cancellation_says_so() {
        let ics = entry(true);
        assert!(ics.contains("METHOD:CANCEL\r\n") && ics.contains("STATUS:CANCELLED\r\n"));
    }
}
