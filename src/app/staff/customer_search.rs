//! One search box for staff: the term's shape says what it is (an e-mail, an IP address, an
//! invoice number …), and only the matching indexed lookup runs. Anything else is a name.

use crate::db::DbConn;
use crate::db::customers::search::{self as customer_search, CustomerHit};
use crate::domain::CustomerKind;
use crate::domain::network::{MacAddress, ipv4};
use crate::domain::{ContractNumber, Nip, contact};

/// What a search term was taken for; shown above the results so staff see why they match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchTerm {
    CustomerNumber(i64),
    Nip(String),
    Email(String),
    Phone {
        formatted: String,
        digits: String,
    },
    Ipv4(String),
    Mac(String),
    /// Has a slash: an invoice or a contract number (both are tried).
    DocumentNumber(String),
    /// A single word could be a PPPoE login as well as a name.
    Name(Vec<String>),
}

impl SearchTerm {
    pub fn classify(input: &str) -> Option<SearchTerm> {
        let q = input.trim();
        if q.is_empty() {
            return None;
        }
        if q.contains('@')
            && !q.contains(' ')
            && q.rsplit('@').next().is_some_and(|d| d.contains('.'))
            && !q.starts_with('@')
        {
            // "k000123@operator.pl" may be a PPPoE login too; `search` tries both.
            return Some(SearchTerm::Email(q.to_owned()));
        }
        if let Ok(ip) = ipv4(q) {
            return Some(SearchTerm::Ipv4(ip));
        }
        if (q.contains([':', '-', '.']) || q.len() == 12)
            && let Ok(mac) = MacAddress::parse(q)
            && !q.chars().all(|c| c.is_ascii_digit())
        {
            return Some(SearchTerm::Mac(mac.as_str().to_owned()));
        }
        if q.contains('/') {
            return Some(SearchTerm::DocumentNumber(q.to_uppercase()));
        }
        let digits: String = q.chars().filter(|c| c.is_ascii_digit()).collect();
        let only_number_chars = q
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')'));
        // `get`, not slicing: a term may start with a character wider than one byte.
        let only_nip_chars = q.len() > 2
            && q.get(..2)
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case("PL"))
            && q.get(2..).is_some_and(|rest| {
                rest.chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-'))
            });
        if (only_number_chars || only_nip_chars) && !digits.is_empty() {
            if digits.len() == 10
                && !q.starts_with('+')
                && let Ok(nip) = Nip::parse(q)
            {
                return Some(SearchTerm::Nip(nip.as_str().to_owned()));
            }
            if let Some(formatted) = contact::phone(q) {
                return Some(SearchTerm::Phone { formatted, digits });
            }
            if digits.len() <= 12
                && q.chars().all(|c| c.is_ascii_digit())
                && let Ok(number) = digits.parse()
            {
                return Some(SearchTerm::CustomerNumber(number));
            }
        }
        let words: Vec<String> = q
            .split_whitespace()
            .filter(|w| !w.is_empty())
            .take(4)
            .map(str::to_owned)
            .collect();
        Some(SearchTerm::Name(words))
    }

    /// A key for the "searched by" label (a Fluent message id suffix).
    pub fn kind(&self) -> &'static str {
        match self {
            SearchTerm::CustomerNumber(_) => "customer-number",
            SearchTerm::Nip(_) => "nip",
            SearchTerm::Email(_) => "email",
            SearchTerm::Phone { .. } => "phone",
            SearchTerm::Ipv4(_) => "ip",
            SearchTerm::Mac(_) => "mac",
            SearchTerm::DocumentNumber(_) => "document",
            SearchTerm::Name(_) => "name",
        }
    }
}

/// How many name matches a page shows; a longer list means the term is too vague.
pub const NAME_LIMIT: i64 = 50;

#[derive(Debug, Clone, serde::Serialize)]
pub struct SearchResults {
    pub kind: &'static str,
    pub hits: Vec<HitView>,
    /// The name list was cut at `NAME_LIMIT`.
    pub truncated: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct HitView {
    pub id: i64,
    pub customer_number: i64,
    pub display_name: String,
    pub is_company: bool,
    pub nip: Option<String>,
    pub city: String,
    pub email: String,
    pub phone: Option<String>,
}

impl From<CustomerHit> for HitView {
    fn from(hit: CustomerHit) -> HitView {
        let person = format!(
            "{} {}",
            hit.first_name.as_deref().unwrap_or(""),
            hit.last_name.as_deref().unwrap_or("")
        );
        let display_name = match hit.company_name {
            Some(company) if hit.kind == CustomerKind::Company => company,
            _ => person.trim().to_owned(),
        };
        HitView {
            id: hit.id,
            customer_number: hit.customer_number,
            display_name,
            is_company: hit.kind == CustomerKind::Company,
            nip: hit.nip,
            city: hit.city,
            email: hit.email,
            phone: hit.phone,
        }
    }
}

/// A word without LIKE wildcards (they are not search syntax here).
fn literal(word: &str) -> String {
    word.chars()
        .filter(|c| !matches!(c, '%' | '_' | '\\'))
        .collect()
}

/// The word as names are written: first letter capital ("kowal" → "Kowal").
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// LIKE patterns for one word. The backends fold the case of ASCII letters themselves (see
/// `db::customers::search::by_name`); SQLite does not fold "Ł" and "ł", so a word with Polish
/// letters is also tried lower-case, capitalised and upper-case.
fn like_variants(word: &str) -> Vec<String> {
    let word = literal(word);
    if word.is_ascii() {
        return vec![format!("%{word}%")];
    }
    let lower = word.to_lowercase();
    let mut variants = vec![
        format!("%{lower}%"),
        format!("%{}%", capitalised(&lower)),
        format!("%{}%", lower.to_uppercase()),
    ];
    variants.dedup();
    variants
}

/// Names: first as the start of a last name, read from the index (what staff usually type),
/// then anywhere in any name.
fn by_name(
    conn: &mut DbConn,
    words: &[String],
    limit: i64,
) -> diesel::QueryResult<Vec<CustomerHit>> {
    for (index, word) in words.iter().enumerate().take(2) {
        let prefix = capitalised(&literal(word));
        let others: Vec<Vec<String>> = words
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != index)
            .map(|(_, w)| like_variants(w))
            .collect();
        let hits = customer_search::by_last_name_prefix(conn, &prefix, &others, limit)?;
        if !hits.is_empty() {
            return Ok(hits);
        }
    }
    let all: Vec<Vec<String>> = words.iter().map(|w| like_variants(w)).collect();
    customer_search::by_name(conn, &all, limit)
}

pub fn search(conn: &mut DbConn, input: &str) -> diesel::QueryResult<Option<SearchResults>> {
    let Some(term) = SearchTerm::classify(input) else {
        return Ok(None);
    };
    let mut truncated = false;
    let hits = match &term {
        SearchTerm::CustomerNumber(n) => customer_search::by_customer_number(conn, *n)?,
        SearchTerm::Nip(nip) => customer_search::by_nip(conn, nip)?,
        SearchTerm::Email(email) => {
            let mut hits = customer_search::by_email(conn, email)?;
            if hits.is_empty() {
                hits = customer_search::by_pppoe_login(conn, email)?;
            }
            hits
        }
        SearchTerm::Phone { formatted, digits } => {
            customer_search::by_phone(conn, formatted, digits)?
        }
        SearchTerm::Ipv4(ip) => customer_search::by_ipv4(conn, ip)?,
        SearchTerm::Mac(mac) => customer_search::by_mac(conn, mac)?,
        SearchTerm::DocumentNumber(number) => {
            let mut hits = customer_search::by_invoice_number(conn, number)?;
            if let Ok(contract) = ContractNumber::parse(number) {
                hits.extend(customer_search::by_contract_number(
                    conn,
                    contract.as_str(),
                )?);
            }
            hits
        }
        SearchTerm::Name(words) => {
            let mut hits = Vec::new();
            if words.len() == 1 {
                hits = customer_search::by_pppoe_login(conn, &words[0])?;
                if hits.is_empty()
                    && let Ok(contract) = ContractNumber::parse(&words[0])
                {
                    hits = customer_search::by_contract_number(conn, contract.as_str())?;
                }
            }
            if hits.is_empty() {
                hits = by_name(conn, words, NAME_LIMIT + 1)?;
                truncated = hits.len() as i64 > NAME_LIMIT;
                hits.truncate(NAME_LIMIT as usize);
            }
            hits
        }
    };
    let mut seen = std::collections::HashSet::new();
    let hits = hits
        .into_iter()
        .filter(|h| seen.insert(h.id))
        .map(HitView::from)
        .collect();
    Ok(Some(SearchResults {
        kind: term.kind(),
        hits,
        truncated,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_term_starting_with_a_wide_character_is_a_name_not_a_panic() {
        // What a broken percent-encoding becomes once decoded (found by tests/route_walk.rs).
        assert!(SearchTerm::classify("\u{FFFD}\u{FFFD}").is_some());
        assert!(SearchTerm::classify("ąb12").is_some());
    }

    #[test]
    fn each_kind_of_term_is_recognised() {
        use SearchTerm::*;
        assert_eq!(SearchTerm::classify("  "), None);
        assert_eq!(SearchTerm::classify("1"), Some(CustomerNumber(1)));
        assert_eq!(
            SearchTerm::classify("526-000-12-46"),
            Some(Nip("5260001246".into()))
        );
        assert_eq!(
            SearchTerm::classify("jan@example.com"),
            Some(Email("jan@example.com".into()))
        );
        assert_eq!(
            SearchTerm::classify("512 345 678"),
            Some(Phone {
                formatted: "+48 512 345 678".into(),
                digits: "512345678".into()
            })
        );
        assert_eq!(
            SearchTerm::classify("10.64.0.2"),
            Some(Ipv4("10.64.0.2".into()))
        );
        assert_eq!(
            SearchTerm::classify("02:AB:cd:00:11:22"),
            Some(Mac("02:ab:cd:00:11:22".into()))
        );
        assert_eq!(
            SearchTerm::classify("fv/2026/11/000001"),
            Some(DocumentNumber("FV/2026/11/000001".into()))
        );
        assert_eq!(
            SearchTerm::classify("Jan Kowalski"),
            Some(Name(vec!["Jan".into(), "Kowalski".into()]))
        );
    }

    #[test]
    fn name_patterns_cover_polish_capitals_and_drop_wildcards() {
        assert_eq!(
            like_variants("łukasz%"),
            vec!["%łukasz%", "%Łukasz%", "%ŁUKASZ%"]
        );
        assert_eq!(like_variants("kowal_"), vec!["%kowal%"]);
        assert_eq!(capitalised("wiśniewska"), "Wiśniewska");
    }
}
