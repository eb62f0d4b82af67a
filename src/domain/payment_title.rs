//! Reading a transfer title the way a bookkeeper does: which invoice numbers and which customer
//! numbers a payer wrote into it. Only candidates; the database decides which exist.

/// Words after which payers write their customer number ("nr klienta 1234", "ID: 1234").
const CUSTOMER_KEYWORDS: &[&str] = &[
    "klient",
    "klienta",
    "kl",
    "abonent",
    "abonenta",
    "id",
    "identyfikator",
    "customer",
];
/// Filler between the keyword and the number ("klient nr 1234").
const FILLER: &[&str] = &["nr", "numer", "no", "number"];

/// Tokens that look like invoice numbers (`FV/2026/11/000123`), upper-cased, as payers type
/// them: with or without a space after the series ("FV 2026/11/000123"), in any case, with
/// punctuation around.
pub fn invoice_number_candidates(title: &str) -> Vec<String> {
    let upper = title.to_uppercase();
    let tokens: Vec<&str> = upper
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .map(|t| t.trim_matches(|c: char| ".:()[]\"'#".contains(c)))
        .filter(|t| !t.is_empty())
        .collect();
    let mut found = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if looks_numbered(token) {
            push_unique(&mut found, (*token).to_owned());
        }
        // "FV 2026/11/000123": a series code, then the rest of the number.
        if token.chars().all(|c| c.is_ascii_alphabetic())
            && token.len() <= 10
            && let Some(next) = tokens.get(i + 1)
            && looks_numbered(next)
        {
            let rest = next.trim_start_matches('/');
            push_unique(&mut found, format!("{token}/{rest}"));
        }
    }
    found
}

fn looks_numbered(token: &str) -> bool {
    token.contains('/') && token.chars().any(|c| c.is_ascii_digit()) && token.len() <= 40
}

fn push_unique(found: &mut Vec<String>, candidate: String) {
    if !found.contains(&candidate) {
        found.push(candidate);
    }
}

/// Customer numbers written after a keyword ("klient 1234", "nr klienta: 1234", "ID1234").
pub fn customer_number_candidates(title: &str) -> Vec<i64> {
    let lower = title.to_lowercase();
    let words: Vec<String> = split_words(&lower);
    let mut found = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if !CUSTOMER_KEYWORDS.contains(&word.as_str()) {
            continue;
        }
        let mut j = i + 1;
        while words.get(j).is_some_and(|w| FILLER.contains(&w.as_str())) {
            j += 1;
        }
        if let Some(number) = words.get(j).and_then(|w| parse_number(w))
            && !found.contains(&number)
        {
            found.push(number);
        }
    }
    found
}

/// Letters and digits as separate words, so "id1234" and "id:1234" both read as "id", "1234".
fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut digits = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            let is_digit = c.is_ascii_digit();
            if !current.is_empty() && is_digit != digits {
                words.push(std::mem::take(&mut current));
            }
            digits = is_digit;
            current.push(c);
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

fn parse_number(word: &str) -> Option<i64> {
    if word.is_empty() || word.len() > 12 || !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    word.parse().ok().filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invoice_numbers_are_found_however_they_are_typed() {
        assert_eq!(
            invoice_number_candidates("Opłata za fakturę FV/2026/11/000123."),
            vec!["FV/2026/11/000123"]
        );
        assert_eq!(
            invoice_number_candidates("fv 2026/11/000123 internet"),
            vec!["FV/2026/11/000123", "2026/11/000123"]
        );
        assert_eq!(
            invoice_number_candidates("FV/2026/10/000007, FV/2026/11/000008"),
            vec!["FV/2026/10/000007", "FV/2026/11/000008"]
        );
    }

    #[test]
    fn a_title_without_a_numbered_token_has_no_invoice_number() {
        assert!(invoice_number_candidates("Abonament listopad Łódź").is_empty());
        assert!(invoice_number_candidates("a/b").is_empty());
    }

    #[test]
    fn customer_numbers_follow_a_keyword() {
        assert_eq!(customer_number_candidates("Nr klienta: 1042"), vec![1042]);
        assert_eq!(
            customer_number_candidates("KLIENT NR 77 internet"),
            vec![77]
        );
        assert_eq!(customer_number_candidates("abonament id1042"), vec![1042]);
        assert_eq!(customer_number_candidates("Abonent 5, opłata"), vec![5]);
    }

    #[test]
    fn bare_numbers_and_amounts_are_not_customer_numbers() {
        assert!(customer_number_candidates("Opłata 100 zł za 11.2026").is_empty());
        assert!(customer_number_candidates("klient Kowalski").is_empty());
        assert!(customer_number_candidates("id 0").is_empty());
    }
}
