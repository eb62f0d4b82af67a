//! The password policy, shown before a user fails it and checked on every new password.

/// What is wrong with a new password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    SameAsLogin,
    TooCommon,
    Mismatch,
}

pub const MIN_LENGTH: usize = 10;
/// argon2 takes any length, but a megabyte "password" is an attack on the CPU, not a password.
pub const MAX_LENGTH: usize = 256;

/// Passwords people choose first, in Polish and English; checked case-insensitively, and with
/// digits stripped from the end ("haslo12345" is "haslo").
const COMMON: &[&str] = &[
    "password",
    "haslo",
    "hasło",
    "qwerty",
    "qwertyuiop",
    "zaq12wsx",
    "1qaz2wsx",
    "1234567890",
    "0987654321",
    "1q2w3e4r5t",
    "asdfghjkl",
    "zxcvbnm",
    "polska",
    "internet",
    "kochanie",
    "monika",
    "marcin",
    "agnieszka",
    "mateusz",
    "zaqwsx",
    "abc123",
    "iloveyou",
    "admin",
    "welcome",
    "letmein",
    "dragon",
    "football",
    "superman",
    "michael",
    "abcdefghij",
    "lato",
    "zima",
    "wiosna",
    "jesien",
    "ebok",
    "e-bok",
    "abonent",
    "klient",
    "światłowód",
    "swiatlowod",
    "aaaaaaaaaa",
    "1111111111",
    "123123123",
    "12345678910",
    "password1",
    "qwerty123",
];

pub fn problems(password: &str, repeated: &str, login: &str) -> Vec<PasswordProblem> {
    let mut found = Vec::new();
    let length = password.chars().count();
    if length < MIN_LENGTH {
        found.push(PasswordProblem::TooShort);
    }
    if length > MAX_LENGTH {
        found.push(PasswordProblem::TooLong);
    }
    let lowered = password.to_lowercase();
    if !login.trim().is_empty() && lowered.contains(&login.trim().to_lowercase()) {
        found.push(PasswordProblem::SameAsLogin);
    }
    if is_common(&lowered) {
        found.push(PasswordProblem::TooCommon);
    }
    if password != repeated {
        found.push(PasswordProblem::Mismatch);
    }
    found
}

fn is_common(lowered: &str) -> bool {
    let stem = lowered.trim_end_matches(|c: char| c.is_ascii_digit() || c == '!');
    let same_character = lowered
        .chars()
        .collect::<std::collections::HashSet<_>>()
        .len()
        <= 2;
    let digits_only = lowered.chars().all(|c| c.is_ascii_digit());
    same_character
        || digits_only
        || COMMON.contains(&lowered)
        || (!stem.is_empty() && COMMON.contains(&stem))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_unusual_password_passes() {
        assert!(problems("Kwiatowa-7-zielona", "Kwiatowa-7-zielona", "jan").is_empty());
    }

    #[test]
    fn short_common_and_login_based_passwords_are_refused() {
        assert_eq!(
            problems("krótkie", "krótkie", "jan"),
            vec![PasswordProblem::TooShort]
        );
        assert!(problems("haslo12345", "haslo12345", "jan").contains(&PasswordProblem::TooCommon));
        assert!(problems("Qwerty123!", "Qwerty123!", "jan").contains(&PasswordProblem::TooCommon));
        assert!(problems("1231231231", "1231231231", "jan").contains(&PasswordProblem::TooCommon));
        assert!(
            problems("kowalski2026!", "kowalski2026!", "Kowalski")
                .contains(&PasswordProblem::SameAsLogin)
        );
    }

    #[test]
    fn the_repeated_password_must_match() {
        assert_eq!(
            problems("Kwiatowa-7-zielona", "Kwiatowa-7-zielon", "jan"),
            vec![PasswordProblem::Mismatch]
        );
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert!(
            problems("żółćżółćżó", "żółćżółćżó", "x")
                .iter()
                .all(|p| *p != PasswordProblem::TooShort)
        );
    }
}
