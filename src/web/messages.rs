//! What the user reads when something needs correcting: sentences (from the `messages` Fluent
//! area) for the problems the use cases report.

use chrono::NaiveDateTime;

use crate::app::passwords::{MIN_LENGTH, PasswordProblem};
use crate::app::registration::FieldProblem;
use crate::app::throttle::RetryAfter;
use crate::i18n::{self, Lang};

pub fn password_problem(lang: Lang, problem: PasswordProblem) -> String {
    let key = match problem {
        PasswordProblem::TooShort => {
            return i18n::text_with(
                lang,
                "messages-password-too-short",
                &[("min-length", MIN_LENGTH.into())],
            );
        }
        PasswordProblem::TooLong => "messages-password-too-long",
        PasswordProblem::SameAsLogin => "messages-password-same-as-login",
        PasswordProblem::TooCommon => "messages-password-too-common",
        PasswordProblem::Mismatch => "messages-password-mismatch",
    };
    i18n::text(lang, key)
}

/// The form field a problem belongs to, and what to say there.
pub fn field_problem(lang: Lang, problem: FieldProblem) -> (&'static str, String) {
    let (field, key) = match problem {
        FieldProblem::Password(problem) => {
            let field = if problem == PasswordProblem::Mismatch {
                "password_repeated"
            } else {
                "password"
            };
            return (field, password_problem(lang, problem));
        }
        FieldProblem::LoginFormat => ("login", "messages-login-format"),
        FieldProblem::LoginTaken => ("login", "messages-login-taken"),
        FieldProblem::EmailFormat => ("email", "messages-email-format"),
        FieldProblem::PeselFormat => ("pesel", "messages-pesel-format"),
        FieldProblem::ContractNumberFormat => {
            ("contract_number", "messages-contract-number-format")
        }
        FieldProblem::TermsNotAccepted => ("accepts_terms", "messages-terms-not-accepted"),
    };
    (field, i18n::text(lang, key))
}

/// "Spróbuj ponownie po 14:05" in Polish time (with the date when it is not today).
pub fn retry_after(lang: Lang, retry: RetryAfter, now: NaiveDateTime) -> String {
    let local = |at: NaiveDateTime| at.and_utc().with_timezone(&chrono_tz::Europe::Warsaw);
    let until = local(retry.0);
    let time = if until.date_naive() == local(now).date_naive() {
        until.format("%H:%M").to_string()
    } else {
        match lang {
            Lang::Pl => until.format("%d.%m.%Y %H:%M").to_string(),
            Lang::En => until.format("%-d %b %Y %H:%M").to_string(),
        }
    };
    i18n::text_with(lang, "messages-retry-after", &[("time", time.into())])
}

/// A sentence about too many attempts (`key` has a `$retry` placeable) with when to try again.
pub fn throttled(lang: Lang, key: &str, retry: RetryAfter, now: NaiveDateTime) -> String {
    i18n::text_with(
        lang,
        key,
        &[("retry", retry_after(lang, retry, now).into())],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ten_o_clock() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 21)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap()
    }

    #[test]
    fn retry_time_is_polish_local_time() {
        let now = ten_o_clock();
        let retry = RetryAfter(now + chrono::Duration::minutes(2));
        assert_eq!(
            retry_after(Lang::Pl, retry, now),
            "Spróbuj ponownie po 11:02."
        );
        assert_eq!(retry_after(Lang::En, retry, now), "Try again after 11:02.");
    }

    #[test]
    fn retry_on_another_day_shows_the_date_in_the_pages_language() {
        let now = ten_o_clock();
        let retry = RetryAfter(now + chrono::Duration::days(1));
        assert_eq!(
            retry_after(Lang::Pl, retry, now),
            "Spróbuj ponownie po 22.11.2026 11:00."
        );
        assert_eq!(
            retry_after(Lang::En, retry, now),
            "Try again after 22 Nov 2026 11:00."
        );
    }

    #[test]
    fn problems_are_told_in_both_languages() {
        assert_eq!(
            password_problem(Lang::Pl, PasswordProblem::TooShort),
            format!("Hasło musi mieć co najmniej {MIN_LENGTH} znaków.")
        );
        assert_eq!(
            password_problem(Lang::En, PasswordProblem::TooShort),
            format!("The password must have at least {MIN_LENGTH} characters.")
        );
        let (field, message) =
            field_problem(Lang::En, FieldProblem::Password(PasswordProblem::Mismatch));
        assert_eq!(field, "password_repeated");
        assert_eq!(message, "The repeated password differs from the first one.");
        let (field, message) = field_problem(Lang::Pl, FieldProblem::LoginTaken);
        assert_eq!(field, "login");
        assert_eq!(message, "Ten login jest już zajęty. Wybierz inny.");
    }
}
