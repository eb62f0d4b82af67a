//! "Moje dane": what a subscriber may change at once (phone, correspondence address, language,
//! notification preferences, consents) and what goes to the ISP for approval first (name, PESEL,
//! NIP, legal address). Consent changes keep their history: when, from which IP, which text.

use crate::domain::ChangeRequestStatus;
use crate::domain::CustomerId;
use crate::domain::CustomerKind;
use chrono::NaiveDateTime;
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::app::crypto;
use crate::db::change_requests::{NewProfileChangeRequest, ProfileChangeRequest};
use crate::db::consents::{Consent, NewConsent};
use crate::db::customers::Customer;
use crate::db::{self, DbConn};
use crate::domain::{Nip, Pesel};

/// The consent texts in force; a new wording gets a new version, and each recorded consent names
/// the version the subscriber saw.
pub const EINVOICE_TEXT_VERSION: &str = "e-faktura-2026-01";
pub const MARKETING_TEXT_VERSION: &str = "lista-mailingowa-2026-12";

#[derive(Debug, Clone, serde::Serialize)]
pub struct ConsentState {
    pub granted: bool,
    pub since: Option<NaiveDateTime>,
    pub text_version: String,
}

/// The customer's data as the profile page shows it (never the PESEL hash).
#[derive(Debug, Clone, serde::Serialize)]
pub struct CustomerData {
    pub customer_number: i64,
    pub kind: CustomerKind,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company_name: Option<String>,
    pub pesel_last4: Option<String>,
    pub nip: Option<String>,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub correspondence_address_line: Option<String>,
    pub correspondence_postal_code: Option<String>,
    pub correspondence_city: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub language: String,
    pub notify_invoices: bool,
    pub notify_reminders: bool,
    pub notify_outages: bool,
    pub notify_tickets: bool,
}

impl From<Customer> for CustomerData {
    fn from(c: Customer) -> CustomerData {
        CustomerData {
            customer_number: c.customer_number,
            kind: c.kind,
            first_name: c.first_name,
            last_name: c.last_name,
            company_name: c.company_name,
            pesel_last4: c.pesel_last4,
            nip: c.nip,
            address_line: c.address_line,
            postal_code: c.postal_code,
            city: c.city,
            correspondence_address_line: c.correspondence_address_line,
            correspondence_postal_code: c.correspondence_postal_code,
            correspondence_city: c.correspondence_city,
            email: c.email,
            phone: c.phone,
            language: c.language,
            notify_invoices: c.notify_invoices,
            notify_reminders: c.notify_reminders,
            notify_outages: c.notify_outages,
            notify_tickets: c.notify_tickets,
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Profile {
    pub customer: CustomerData,
    pub pending: Vec<ProfileChangeRequest>,
    pub einvoice: ConsentState,
    pub marketing: ConsentState,
}

fn consent_state(current: Option<Consent>, version: &str) -> ConsentState {
    match current {
        Some(c) => ConsentState {
            granted: c.granted,
            since: Some(c.at),
            text_version: c.text_version,
        },
        None => ConsentState {
            granted: false,
            since: None,
            text_version: version.to_owned(),
        },
    }
}

/// The profile page: the customer's data and their discount applications.
pub fn page(
    conn: &mut DbConn,
    customer_id: CustomerId,
    today: chrono::NaiveDate,
) -> diesel::QueryResult<(Option<Profile>, Vec<crate::app::discounts::OwnApplication>)> {
    Ok((
        load(conn, customer_id)?,
        crate::app::discounts::of_customer(conn, customer_id, today)?,
    ))
}

pub fn load(conn: &mut DbConn, customer_id: CustomerId) -> diesel::QueryResult<Option<Profile>> {
    let Some(customer) = db::customers::find(conn, customer_id)? else {
        return Ok(None);
    };
    Ok(Some(Profile {
        pending: db::change_requests::pending_of_customer(conn, customer_id)?,
        einvoice: consent_state(
            db::consents::current(conn, customer_id, "einvoice")?,
            EINVOICE_TEXT_VERSION,
        ),
        marketing: consent_state(
            db::consents::current(conn, customer_id, "marketing")?,
            MARKETING_TEXT_VERSION,
        ),
        customer: customer.into(),
    }))
}

/// A field and the message key (in `profile.ftl`) that says what is wrong with it.
pub type FieldErrors = Vec<(&'static str, &'static str)>;

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// "62-800": two digits, a hyphen, three digits.
fn valid_postal_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 6
        && b[2] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_digit())
}

/// 9 to 15 digits, optionally with a leading + and spaces or hyphens between groups.
fn valid_phone(phone: &str) -> bool {
    let rest = phone.strip_prefix('+').unwrap_or(phone);
    let digits = rest.chars().filter(char::is_ascii_digit).count();
    rest.chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
        && (9..=15).contains(&digits)
}

fn clean(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Debug, Clone, Default)]
pub struct ContactInput {
    pub phone: String,
    pub correspondence_address_line: String,
    pub correspondence_postal_code: String,
    pub correspondence_city: String,
}

/// Phone and correspondence address apply at once (an empty address means "same as legal").
pub fn update_contact(
    conn: &mut DbConn,
    customer_id: CustomerId,
    input: &ContactInput,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), ProfileError> {
    let phone = clean(&input.phone);
    let (line, postal, city) = (
        clean(&input.correspondence_address_line),
        input.correspondence_postal_code.trim().to_owned(),
        clean(&input.correspondence_city),
    );
    let mut errors = FieldErrors::new();
    if !phone.is_empty() && !valid_phone(&phone) {
        errors.push(("phone", "profile-error-phone"));
    }
    let any_address = !(line.is_empty() && postal.is_empty() && city.is_empty());
    if any_address {
        if line.is_empty() || line.chars().count() > 120 {
            errors.push(("correspondence_address_line", "profile-error-address-line"));
        }
        if !valid_postal_code(&postal) {
            errors.push(("correspondence_postal_code", "profile-error-postal-code"));
        }
        if city.is_empty() || city.chars().count() > 60 {
            errors.push(("correspondence_city", "profile-error-city"));
        }
    }
    if !errors.is_empty() {
        return Err(ProfileError::Invalid(errors));
    }
    db::write_transaction(conn, |conn| {
        db::customers::update_contact(
            conn,
            customer_id,
            (!phone.is_empty()).then_some(phone.as_str()),
            any_address.then_some((line.as_str(), postal.as_str(), city.as_str())),
            now,
        )?;
        audit::record(
            conn,
            actor,
            "profile_contact_changed",
            json!({ "phone": !phone.is_empty(), "correspondence_address": any_address }),
            now,
        )?;
        Ok(())
    })
}

/// What a subscriber asks the ISP to change.
#[derive(Debug, Clone)]
pub enum ChangeRequest {
    Name {
        first_name: String,
        last_name: String,
    },
    CompanyName(String),
    Pesel(String),
    Nip(String),
    Address {
        address_line: String,
        postal_code: String,
        city: String,
    },
}

/// Files a change for staff approval, replacing an earlier pending request for the same field.
/// The PESEL is stored only as its keyed hash and last four digits, as on the customer.
pub fn request_change(
    conn: &mut DbConn,
    customer_id: CustomerId,
    account_id: i64,
    request: ChangeRequest,
    pesel_key: &[u8],
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<i64, ProfileError> {
    let (field, requested) = match request {
        ChangeRequest::Name {
            first_name,
            last_name,
        } => {
            let (first, last) = (clean(&first_name), clean(&last_name));
            let mut errors = FieldErrors::new();
            if first.is_empty() || first.chars().count() > 60 {
                errors.push(("first_name", "profile-error-first-name"));
            }
            if last.is_empty() || last.chars().count() > 80 {
                errors.push(("last_name", "profile-error-last-name"));
            }
            if !errors.is_empty() {
                return Err(ProfileError::Invalid(errors));
            }
            ("name", json!({ "first_name": first, "last_name": last }))
        }
        ChangeRequest::CompanyName(name) => {
            let name = clean(&name);
            if name.is_empty() || name.chars().count() > 200 {
                return Err(ProfileError::Invalid(vec![(
                    "company_name",
                    "profile-error-company-name",
                )]));
            }
            ("name", json!({ "company_name": name }))
        }
        ChangeRequest::Pesel(pesel) => {
            let pesel = Pesel::parse(&pesel)
                .map_err(|_| ProfileError::Invalid(vec![("pesel", "profile-error-pesel")]))?;
            let digits = pesel.as_str();
            (
                "pesel",
                json!({
                    "pesel_hash": crypto::pesel_hash(pesel_key, &pesel),
                    "pesel_last4": &digits[digits.len() - 4..],
                }),
            )
        }
        ChangeRequest::Nip(nip) => {
            let nip = Nip::parse(&nip)
                .map_err(|_| ProfileError::Invalid(vec![("nip", "profile-error-nip")]))?;
            ("nip", json!({ "nip": nip.as_str() }))
        }
        ChangeRequest::Address {
            address_line,
            postal_code,
            city,
        } => {
            let (line, postal, city) = (
                clean(&address_line),
                postal_code.trim().to_owned(),
                clean(&city),
            );
            let mut errors = FieldErrors::new();
            if line.is_empty() || line.chars().count() > 120 {
                errors.push(("address_line", "profile-error-address-line"));
            }
            if !valid_postal_code(&postal) {
                errors.push(("postal_code", "profile-error-postal-code"));
            }
            if city.is_empty() || city.chars().count() > 60 {
                errors.push(("city", "profile-error-city"));
            }
            if !errors.is_empty() {
                return Err(ProfileError::Invalid(errors));
            }
            (
                "address",
                json!({ "address_line": line, "postal_code": postal, "city": city }),
            )
        }
    };
    db::write_transaction(conn, |conn| {
        db::change_requests::withdraw_field(conn, customer_id, field, now)?;
        let id = db::change_requests::insert(
            conn,
            &NewProfileChangeRequest {
                customer_id,
                account_id: Some(account_id),
                field: field.to_owned(),
                requested: requested.to_string(),
                status: ChangeRequestStatus::Pending,
                ip: actor.ip.clone(),
                requested_at: now,
            },
        )?;
        audit::record(
            conn,
            actor,
            "profile_change_requested",
            json!({ "request_id": id, "field": field }),
            now,
        )?;
        Ok(id)
    })
}

/// Withdraws one of the customer's own pending requests; `false` for anything else.
pub fn withdraw_request(
    conn: &mut DbConn,
    customer_id: CustomerId,
    request_id: i64,
    actor: &Actor,
    now: NaiveDateTime,
) -> diesel::QueryResult<bool> {
    db::write_transaction(conn, |conn| {
        let changed = db::change_requests::withdraw(conn, customer_id, request_id, now)?;
        if changed == 1 {
            audit::record(
                conn,
                actor,
                "profile_change_withdrawn",
                json!({ "request_id": request_id }),
                now,
            )?;
        }
        Ok(changed == 1)
    })
}

/// The subscriber's language, for the account (pages, security mail) and the customer (invoice
/// and notice mail) at once, so they never speak different languages.
pub fn set_language(
    conn: &mut DbConn,
    customer_id: CustomerId,
    account_id: i64,
    language: crate::i18n::Lang,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    db::write_transaction(conn, |conn| {
        db::customers::set_language(conn, customer_id, language.code(), now)?;
        db::accounts::set_language(conn, account_id, language.code())?;
        Ok(())
    })
}

#[derive(Debug, Clone, Copy)]
pub struct Preferences {
    pub language: crate::i18n::Lang,
    pub notify_invoices: bool,
    pub notify_reminders: bool,
    pub notify_outages: bool,
    pub notify_tickets: bool,
    pub einvoice: bool,
    pub marketing: bool,
}

/// Language, notifications and consents in one save. A consent row is written only when the
/// answer changes, so the history shows real decisions; withdrawing is one unticked box.
pub fn save_preferences(
    conn: &mut DbConn,
    customer_id: CustomerId,
    account_id: i64,
    preferences: Preferences,
    actor: &Actor,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    db::write_transaction(conn, |conn| {
        let language = preferences.language.code();
        set_language(conn, customer_id, account_id, preferences.language, now)?;
        db::customers::set_notifications(
            conn,
            customer_id,
            [
                preferences.notify_invoices,
                preferences.notify_reminders,
                preferences.notify_outages,
                preferences.notify_tickets,
            ],
            now,
        )?;
        for (kind, granted, version) in [
            ("einvoice", preferences.einvoice, EINVOICE_TEXT_VERSION),
            ("marketing", preferences.marketing, MARKETING_TEXT_VERSION),
        ] {
            let current = db::consents::current(conn, customer_id, kind)?;
            if current.as_ref().map(|c| c.granted).unwrap_or(false) == granted {
                continue;
            }
            db::consents::record(
                conn,
                &NewConsent {
                    customer_id,
                    kind: kind.to_owned(),
                    granted,
                    text_version: version.to_owned(),
                    account_id: Some(account_id),
                    ip: actor.ip.clone(),
                    at: now,
                },
            )?;
            audit::record(
                conn,
                actor,
                if granted {
                    "consent_granted"
                } else {
                    "consent_withdrawn"
                },
                json!({ "kind": kind, "text_version": version }),
                now,
            )?;
        }
        audit::record(
            conn,
            actor,
            "preferences_changed",
            json!({
                "language": language,
                "notify": [preferences.notify_invoices, preferences.notify_reminders,
                           preferences.notify_outages, preferences.notify_tickets],
            }),
            now,
        )?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postal_codes_and_phones() {
        assert!(valid_postal_code("62-800"));
        assert!(!valid_postal_code("62800"));
        assert!(!valid_postal_code("6a-800"));
        assert!(valid_phone("+48 601 234 567"));
        assert!(valid_phone("601-234-567"));
        assert!(!valid_phone("12345"));
        assert!(!valid_phone("601 234 567 <script>"));
    }
}
