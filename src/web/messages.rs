//! What the user reads when something needs correcting: Polish sentences for the problems the
//! use cases report.

use chrono::NaiveDateTime;

use crate::app::passwords::{MIN_LENGTH, PasswordProblem};
use crate::app::registration::FieldProblem;
use crate::app::throttle::RetryAfter;

pub fn password_problem(problem: PasswordProblem) -> String {
    match problem {
        PasswordProblem::TooShort => format!("Hasło musi mieć co najmniej {MIN_LENGTH} znaków."),
        PasswordProblem::TooLong => "Hasło jest zbyt długie (najwyżej 256 znaków).".into(),
        PasswordProblem::SameAsLogin => "Hasło nie może zawierać loginu.".into(),
        PasswordProblem::TooCommon => {
            "To hasło jest zbyt popularne i łatwe do odgadnięcia. Wybierz inne.".into()
        }
        PasswordProblem::Mismatch => "Powtórzone hasło różni się od pierwszego.".into(),
    }
}

/// The form field a problem belongs to, and what to say there.
pub fn field_problem(problem: FieldProblem) -> (&'static str, String) {
    match problem {
        FieldProblem::LoginFormat => (
            "login",
            "Login musi mieć od 3 do 32 znaków: litery bez polskich znaków, cyfry, kropka, podkreślenie lub myślnik.".into(),
        ),
        FieldProblem::LoginTaken => ("login", "Ten login jest już zajęty. Wybierz inny.".into()),
        FieldProblem::Password(PasswordProblem::Mismatch) => ("password_repeated", password_problem(PasswordProblem::Mismatch)),
        FieldProblem::Password(problem) => ("password", password_problem(problem)),
        FieldProblem::EmailFormat => ("email", "Wpisz poprawny adres e-mail, np. jan.kowalski@example.com.".into()),
        FieldProblem::PeselFormat => (
            "pesel",
            "Numer PESEL jest niepoprawny: sprawdź, czy ma 11 cyfr i czy nie ma w nim literówki.".into(),
        ),
        FieldProblem::ContractNumberFormat => (
            "contract_number",
            "Wpisz numer umowy tak, jak jest na umowie, np. UM/2025/00002.".into(),
        ),
        FieldProblem::TermsNotAccepted => ("accepts_terms", "Aby założyć konto, zaakceptuj regulamin e-BOK.".into()),
    }
}

/// "Spróbuj ponownie po 14:05" in Polish time (with the date when it is not today).
pub fn retry_after(retry: RetryAfter, now: NaiveDateTime) -> String {
    let local = |at: NaiveDateTime| at.and_utc().with_timezone(&chrono_tz::Europe::Warsaw);
    let until = local(retry.0);
    if until.date_naive() == local(now).date_naive() {
        format!("Spróbuj ponownie po {}.", until.format("%H:%M"))
    } else {
        format!("Spróbuj ponownie po {}.", until.format("%d.%m.%Y %H:%M"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_time_is_polish_local_time() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 21)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        let retry = RetryAfter(now + chrono::Duration::minutes(2));
        assert_eq!(retry_after(retry, now), "Spróbuj ponownie po 11:02.");
    }
}
