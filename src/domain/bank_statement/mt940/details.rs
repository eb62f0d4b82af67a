//! The `:86:` fields of one transaction: structured (ZBP subfields) or free text.

use super::super::tidy;
use crate::domain::Nrb;

/// What PKO BP pads empty subfields with, as read in Windows-1250/ISO-8859-2, and as read by a
/// tool that took the file for Latin-1 before it reached us.
const FILLERS: [char; 2] = ['\u{2d9}', '\u{ff}'];

/// What the `:86:` fields of one transaction say.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Details {
    pub title: String,
    pub payer_name: Option<String>,
    pub payer_account: Option<String>,
    pub virtual_account: Option<String>,
}

/// Reads title, payer and accounts from the `:86:` values of one transaction, structured or not.
pub(super) fn describe(values: &[&str]) -> Details {
    let mut title = String::new();
    let mut free: Vec<String> = Vec::new();
    let mut name_27 = String::new();
    let mut name_32 = String::new();
    let mut iban: Option<String> = None;
    let mut account: Option<String> = None;
    let mut all_text = String::new();
    for value in values {
        // Subfields may wrap onto the next line anywhere; the line breaks carry no meaning.
        let joined: String = value.split('\n').collect::<Vec<_>>().concat();
        let Some(separator) = subfield_separator(&joined) else {
            let text: String = joined.chars().filter(|c| !FILLERS.contains(c)).collect();
            all_text.push_str(&text);
            free.push(text);
            continue;
        };
        for part in joined.split(separator).skip(1) {
            let (Some(code), Some(text)) = (part.get(..2), part.get(2..)) else {
                continue;
            };
            let text: String = text.chars().filter(|c| !FILLERS.contains(c)).collect();
            all_text.push_str(&text);
            match code {
                // Pieces of one title cut at a fixed width: joined as they are.
                "20" | "21" | "22" | "23" | "24" | "25" => title.push_str(&text),
                "27" | "28" => name_27.push_str(&text),
                "32" | "33" => name_32.push_str(&text),
                "38" => iban = Some(text.trim().to_owned()),
                "31" => account = Some(text.trim().to_owned()),
                _ => {}
            }
        }
    }
    for text in free {
        title.push(' ');
        title.push_str(&text);
    }
    let name = if name_32.trim().is_empty() {
        name_27
    } else {
        name_32
    };
    Details {
        title: tidy(&title),
        payer_name: Some(tidy(&name)).filter(|n| !n.is_empty()),
        payer_account: iban.or(account).filter(|a| !a.is_empty()),
        virtual_account: iph_account(&all_text),
    }
}

/// The subfield mark of a structured `:86:`: the first character after the (up to three
/// digit) transaction code, when two digits follow it.
fn subfield_separator(text: &str) -> Option<char> {
    let code_len = text.chars().take_while(char::is_ascii_digit).count();
    if code_len > 3 {
        return None;
    }
    let mut rest = text[code_len..].chars();
    let separator = rest.next().filter(|c| matches!(c, '~' | '^' | '?' | '<'))?;
    let code: String = rest.take(2).collect();
    (code.len() == 2 && code.bytes().all(|b| b.is_ascii_digit())).then_some(separator)
}

/// mBank's "ID IPH: <individual account>", when it is a valid account number.
fn iph_account(text: &str) -> Option<String> {
    const MARK: &str = "ID IPH:";
    // Compared byte-wise, so a multi-byte letter before the mark cannot shift an index.
    let at = text
        .char_indices()
        .find(|(i, _)| {
            text.get(*i..*i + MARK.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(MARK))
        })?
        .0;
    let after = text[at + MARK.len()..].trim_start();
    let after = after.strip_prefix("PL").unwrap_or(after);
    let digits: String = after
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ' ')
        .filter(char::is_ascii_digit)
        .take(26)
        .collect();
    Nrb::parse(&digits).ok().map(|n| n.as_str().to_owned())
}
