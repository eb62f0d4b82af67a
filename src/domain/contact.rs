//! Contact details as the ISP keeps them: Polish phone numbers in one printed form, postal codes.

/// A phone number in the form the portal stores and prints: "+48 512 345 678" for Polish numbers
/// (nine digits, with or without +48/0048), or "+<digits>" for foreign ones.
pub fn phone(input: &str) -> Option<String> {
    let trimmed = input.trim();
    let plus = trimmed.starts_with('+');
    let digits: String = trimmed.chars().filter(|c| c.is_ascii_digit()).collect();
    let allowed = trimmed
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '+'));
    if !allowed {
        return None;
    }
    let national = match digits.len() {
        9 if !plus => Some(digits.as_str()),
        11 if digits.starts_with("48") => Some(&digits[2..]),
        13 if digits.starts_with("0048") => Some(&digits[4..]),
        _ => None,
    };
    match national {
        Some(n) => Some(format!("+48 {} {} {}", &n[..3], &n[3..6], &n[6..])),
        None if plus && (8..=15).contains(&digits.len()) => Some(format!("+{digits}")),
        None => None,
    }
}

/// A Polish postal code, "00-950".
pub fn postal_code(input: &str) -> Option<String> {
    let code = input.trim();
    let bytes = code.as_bytes();
    let ok = bytes.len() == 6
        && bytes[2] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 2 || b.is_ascii_digit());
    ok.then(|| code.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polish_numbers_get_one_printed_form() {
        for typed in [
            "512345678",
            "512 345 678",
            "+48 512-345-678",
            "0048512345678",
        ] {
            assert_eq!(phone(typed).as_deref(), Some("+48 512 345 678"), "{typed}");
        }
        assert_eq!(phone("+49 30 1234567").as_deref(), Some("+49301234567"));
        assert_eq!(phone("12345"), None);
        assert_eq!(phone("512 345 67x"), None);
    }

    #[test]
    fn postal_codes_are_two_digits_dash_three() {
        assert_eq!(postal_code(" 00-950 ").as_deref(), Some("00-950"));
        assert_eq!(postal_code("00950"), None);
        assert_eq!(postal_code("0a-950"), None);
    }
}
