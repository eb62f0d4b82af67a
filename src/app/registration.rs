//! Registration of a subscriber account: identity is proven with the contract number, the
//! holder's PESEL and the e-mail the ISP recorded on the contract; then an activation link goes
//! out by mail, and following it activates the account.
//!
//! Every identity mismatch (unknown contract, wrong PESEL, wrong e-mail, inactive contract) gets
//! the same answer after the same work, so the form cannot be used to probe which contracts or
//! PESELs exist. Facts about the contract (already registered, login taken) are told only after
//! identity is proven.

use crate::domain::{AccountStatus, ContractStatus};
use std::net::IpAddr;

use chrono::{Duration, NaiveDateTime};
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::app::mail_queue::{self, Outgoing, QueueError};
use crate::app::passwords::{self, PasswordProblem};
use crate::app::throttle::{self, Limit, RetryAfter};
use crate::app::{crypto, sessions};
use crate::db::accounts::NewAccount;
use crate::db::tokens::NewOneTimeToken;
use crate::db::{self, DbConn};
use crate::domain::{ContractNumber, Pesel};
use crate::mail::{Language, MailKind};

pub const ACTIVATION_VALIDITY: Duration = Duration::hours(48);
/// The terms a subscriber accepts by registering; recorded on the account.
pub const TERMS_VERSION: &str = "regulamin-2026-01";
const ACTIVATION: &str = "activation";

/// The form as typed.
#[derive(Debug, Clone, Default)]
pub struct RegistrationForm {
    pub login: String,
    pub password: String,
    pub password_repeated: String,
    pub email: String,
    pub pesel: String,
    pub contract_number: String,
    pub accepts_terms: bool,
}

/// A field the user has to correct; says nothing about what is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldProblem {
    LoginFormat,
    LoginTaken,
    Password(PasswordProblem),
    EmailFormat,
    PeselFormat,
    ContractNumberFormat,
    TermsNotAccepted,
}

#[derive(Debug, thiserror::Error)]
pub enum RegistrationError {
    #[error("some fields need correcting")]
    Fields(Vec<FieldProblem>),
    /// One answer for every mismatch of contract number, PESEL and e-mail.
    #[error("identity not confirmed")]
    IdentityNotConfirmed,
    #[error("the contract already has an account")]
    AlreadyRegistered,
    #[error("registration is allowed only from the subscriber's own connection")]
    NotFromOwnConnection,
    #[error("too many attempts")]
    Throttled(RetryAfter),
    #[error("password hashing failed: {0}")]
    Hash(#[from] crypto::HashError),
    #[error(transparent)]
    Mail(#[from] QueueError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Site rules the operator set.
#[derive(Debug, Clone, Copy)]
pub struct RegistrationRules {
    pub from_own_connection_only: bool,
}

/// Checks the form's shape; nothing here depends on stored data.
pub fn check_fields(form: &RegistrationForm) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    if !valid_login(&form.login) {
        problems.push(FieldProblem::LoginFormat);
    }
    problems.extend(
        passwords::problems(&form.password, &form.password_repeated, &form.login)
            .into_iter()
            .map(FieldProblem::Password),
    );
    if !valid_email(&form.email) {
        problems.push(FieldProblem::EmailFormat);
    }
    if Pesel::parse(&form.pesel).is_err() {
        problems.push(FieldProblem::PeselFormat);
    }
    if ContractNumber::parse(&form.contract_number).is_err() {
        problems.push(FieldProblem::ContractNumberFormat);
    }
    if !form.accepts_terms {
        problems.push(FieldProblem::TermsNotAccepted);
    }
    problems
}

/// 3–32 letters, digits, dots, underscores or hyphens.
pub fn valid_login(login: &str) -> bool {
    let login = login.trim();
    (3..=32).contains(&login.len())
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// A pragmatic check (one @, a dot in the domain, no spaces); the activation mail proves the rest.
pub fn valid_email(email: &str) -> bool {
    let email = email.trim();
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= 254
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
        && email.parse::<lettre::message::Mailbox>().is_ok()
}

pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The pending account and the mail with its activation link, written together.
pub struct Registered {
    pub account_id: i64,
}

/// Registers a pending account. `password_hash` is computed by the caller before this runs, for
/// every attempt, so a mismatch costs the same time as a match.
#[allow(clippy::too_many_arguments)]
pub fn register(
    conn: &mut DbConn,
    form: &RegistrationForm,
    password_hash: &str,
    pesel_key: &[u8],
    rules: RegistrationRules,
    client_ip: Option<IpAddr>,
    outgoing: Outgoing<'_>,
    now: NaiveDateTime,
) -> Result<Registered, RegistrationError> {
    let ip_text = client_ip.map(|ip| ip.to_string());
    let ip_subject = throttle::ip_subject(client_ip);
    if let Err(retry) = throttle::check(conn, Limit::RegistrationsPerIp, &ip_subject, now)? {
        return Err(RegistrationError::Throttled(retry));
    }
    let problems = check_fields(form);
    if !problems.is_empty() {
        return Err(RegistrationError::Fields(problems));
    }
    // check_fields proved both parse.
    let (Ok(pesel), Ok(number)) = (
        Pesel::parse(&form.pesel),
        ContractNumber::parse(&form.contract_number),
    ) else {
        return Err(RegistrationError::IdentityNotConfirmed);
    };
    // Counted per typed number whether or not such a contract exists, so the limit itself
    // tells nothing.
    if let Err(retry) =
        throttle::check(conn, Limit::IdentityProofsPerContract, number.as_str(), now)?
    {
        return Err(RegistrationError::Throttled(retry));
    }
    throttle::hit(conn, Limit::RegistrationsPerIp, &ip_subject, now)?;
    throttle::hit(conn, Limit::IdentityProofsPerContract, number.as_str(), now)?;
    let email = normalise_email(&form.email);
    let typed_pesel_hash = crypto::pesel_hash(pesel_key, &pesel);
    let holder = db::contracts::find_with_holder(conn, number.as_str())?;
    let identity_confirmed = match &holder {
        Some((contract, customer)) => {
            // Evaluate every comparison (no short-circuit) so each mismatch costs the same.
            let active = contract.status == ContractStatus::Active;
            let pesel_matches = customer.pesel_hash.as_deref() == Some(typed_pesel_hash.as_str());
            let email_matches = normalise_email(&customer.email) == email;
            active & pesel_matches & email_matches
        }
        None => {
            let _ = typed_pesel_hash == crypto::pesel_hash(pesel_key, &pesel);
            false
        }
    };
    let Some((contract, customer)) = holder.filter(|_| identity_confirmed) else {
        audit::record(
            conn,
            &Actor::anonymous(ip_text.clone()),
            "registration_identity_mismatch",
            json!({ "contract_number": number.as_str() }),
            now,
        )?;
        return Err(RegistrationError::IdentityNotConfirmed);
    };
    if rules.from_own_connection_only {
        let own = db::services::ipv4_addresses_of_contract(conn, contract.id)?;
        let from_own = client_ip.is_some_and(|ip| {
            own.iter()
                .any(|assigned| assigned.parse::<IpAddr>().ok() == Some(ip))
        });
        if !from_own {
            return Err(RegistrationError::NotFromOwnConnection);
        }
    }
    let login = form.login.trim().to_owned();
    let login_key = login.to_lowercase();
    let language = Language::from_code(&customer.language);
    let written = db::write_transaction(conn, |conn| -> Result<Registered, RegistrationError> {
        if db::accounts::find_owner(conn, customer.id)?.is_some() {
            return Err(RegistrationError::AlreadyRegistered);
        }
        if db::accounts::find_by_login_key(conn, &login_key)?.is_some() {
            return Err(RegistrationError::Fields(vec![FieldProblem::LoginTaken]));
        }
        let account_id = db::accounts::insert(
            conn,
            &NewAccount {
                customer_id: customer.id,
                login: login.clone(),
                login_key: login_key.clone(),
                email: email.clone(),
                password_hash: password_hash.to_owned(),
                role: "owner".into(),
                status: AccountStatus::Pending,
                language: language.code().into(),
                totp_secret: None,
                terms_version: Some(TERMS_VERSION.into()),
                created_at: now,
                activated_at: None,
                last_login_at: None,
                totp_last_step: None,
            },
        )?;
        send_activation_link(conn, account_id, &login, &email, language, outgoing, now)?;
        audit::record(
            conn,
            &Actor::account(account_id, customer.id, ip_text.clone()),
            "registration",
            json!({ "contract_number": contract.number, "terms_version": TERMS_VERSION }),
            now,
        )?;
        Ok(Registered { account_id })
    });
    match written {
        // Two registrations raced: the unique indexes kept one; tell the other which rule it hit.
        Err(RegistrationError::Database(error)) if db::is_unique_violation(&error) => {
            if db::accounts::find_owner(conn, customer.id)?.is_some() {
                Err(RegistrationError::AlreadyRegistered)
            } else {
                Err(RegistrationError::Fields(vec![FieldProblem::LoginTaken]))
            }
        }
        other => other,
    }
}

fn send_activation_link(
    conn: &mut DbConn,
    account_id: i64,
    login: &str,
    email: &str,
    language: Language,
    outgoing: Outgoing<'_>,
    now: NaiveDateTime,
) -> Result<(), RegistrationError> {
    db::tokens::retire_for_account(conn, account_id, ACTIVATION, now)?;
    let token = crypto::random_token();
    db::tokens::insert(
        conn,
        &NewOneTimeToken {
            purpose: ACTIVATION.into(),
            token_hash: crypto::token_hash(&token),
            account_id: Some(account_id),
            staff_user_id: None,
            customer_id: None,
            payload: None,
            expires_at: now + ACTIVATION_VALIDITY,
            used_at: None,
            created_at: now,
        },
    )?;
    let mut context = outgoing.context();
    context.insert("login", login);
    context.insert("link", &outgoing.link(&format!("/aktywacja/{token}")));
    context.insert("valid_hours", &ACTIVATION_VALIDITY.num_hours());
    mail_queue::queue(
        conn,
        outgoing.templates,
        MailKind::Activation,
        email,
        language,
        &context,
        now,
    )?;
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum ActivationError {
    #[error("the link is invalid, used or expired")]
    InvalidLink,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Whether an activation link can still be used (the GET shows a button; only the POST acts,
/// because mail scanners open links).
pub fn activation_link_is_usable(
    conn: &mut DbConn,
    token: &str,
    now: NaiveDateTime,
) -> diesel::QueryResult<bool> {
    Ok(db::tokens::find_usable(conn, ACTIVATION, &crypto::token_hash(token), now)?.is_some())
}

/// Activates the account and signs it in.
pub fn activate(
    conn: &mut DbConn,
    token: &str,
    client: &sessions::ClientInfo,
    now: NaiveDateTime,
) -> Result<sessions::StartedSession, ActivationError> {
    db::write_transaction(conn, |conn| {
        let stored = db::tokens::find_usable(conn, ACTIVATION, &crypto::token_hash(token), now)?
            .ok_or(ActivationError::InvalidLink)?;
        let account_id = stored.account_id.ok_or(ActivationError::InvalidLink)?;
        if !db::tokens::consume(conn, stored.id, now)? {
            return Err(ActivationError::InvalidLink);
        }
        let account = db::accounts::find(conn, account_id)?.ok_or(ActivationError::InvalidLink)?;
        if !db::accounts::activate(conn, account_id, now)? {
            return Err(ActivationError::InvalidLink);
        }
        db::accounts::record_login(conn, account_id, now)?;
        let session = sessions::start(conn, sessions::Principal::Account(account_id), client, now)?;
        let actor = Actor::account(account_id, account.customer_id, client.ip.clone());
        audit::record(conn, &actor, "activation", json!({}), now)?;
        audit::record(
            conn,
            &actor,
            "login_success",
            json!({ "user_agent": client.user_agent, "via": "activation" }),
            now,
        )?;
        Ok(session)
    })
}

/// Sends a fresh activation link to a pending account named by login or e-mail. The caller
/// answers the same whether or not such an account exists.
pub fn resend_activation(
    conn: &mut DbConn,
    identifier: &str,
    client_ip: Option<IpAddr>,
    outgoing: Outgoing<'_>,
    now: NaiveDateTime,
) -> Result<(), RegistrationError> {
    let ip_subject = client_ip
        .map(|ip| ip.to_string())
        .unwrap_or_else(|| "unknown".into());
    if let Err(retry) = throttle::check(conn, Limit::MailRequestsPerIp, &ip_subject, now)? {
        return Err(RegistrationError::Throttled(retry));
    }
    throttle::hit(conn, Limit::MailRequestsPerIp, &ip_subject, now)?;
    let identifier = identifier.trim().to_lowercase();
    let candidates = if identifier.contains('@') {
        db::accounts::find_by_email(conn, &identifier)?
    } else {
        db::accounts::find_by_login_key(conn, &identifier)?
            .into_iter()
            .collect()
    };
    for account in candidates
        .into_iter()
        .filter(|a| a.status == AccountStatus::Pending)
    {
        let subject = account.id.to_string();
        if throttle::check(conn, Limit::ActivationResendsPerAccount, &subject, now)?.is_err() {
            continue;
        }
        throttle::hit(conn, Limit::ActivationResendsPerAccount, &subject, now)?;
        let language = Language::from_code(&account.language);
        send_activation_link(
            conn,
            account.id,
            &account.login,
            &account.email,
            language,
            outgoing,
            now,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid_form() -> RegistrationForm {
        RegistrationForm {
            login: "anna.nowak".into(),
            password: "Lipowa-15-ostrow".into(),
            password_repeated: "Lipowa-15-ostrow".into(),
            email: "anna.nowak@example.com".into(),
            pesel: "90041213424".into(),
            contract_number: "UM/2025/00002".into(),
            accepts_terms: true,
        }
    }

    #[test]
    fn a_well_formed_form_has_no_field_problems() {
        assert!(check_fields(&valid_form()).is_empty());
    }

    #[test]
    fn each_malformed_field_is_named() {
        let form = RegistrationForm {
            login: "a b".into(),
            email: "nie-email".into(),
            pesel: "90041213425".into(),
            contract_number: "??".into(),
            accepts_terms: false,
            ..valid_form()
        };
        let problems = check_fields(&form);
        for expected in [
            FieldProblem::LoginFormat,
            FieldProblem::EmailFormat,
            FieldProblem::PeselFormat,
            FieldProblem::ContractNumberFormat,
            FieldProblem::TermsNotAccepted,
        ] {
            assert!(problems.contains(&expected), "{expected:?} in {problems:?}");
        }
    }

    #[test]
    fn logins_allow_letters_digits_dot_underscore_hyphen() {
        assert!(valid_login("jan.kowalski_2-a"));
        assert!(!valid_login("jk"));
        assert!(!valid_login("jan kowalski"));
        assert!(!valid_login("żaneta"));
        assert!(!valid_login(&"a".repeat(33)));
    }

    #[test]
    fn emails_are_checked_loosely_and_compared_lower_cased() {
        assert!(valid_email("Anna.Nowak@Example.com"));
        assert!(!valid_email("anna@localhost"));
        assert!(!valid_email("anna nowak@example.com"));
        assert_eq!(
            normalise_email("  Anna.Nowak@Example.COM "),
            "anna.nowak@example.com"
        );
    }
}
