//! Creating and editing customers from the staff panel, with the checks registration uses
//! (PESEL and NIP checksums, a deliverable e-mail address). A new customer gets the next customer
//! number and the individual bank account built from the seller's account prefix.

use crate::domain::CustomerId;
use chrono::NaiveDateTime;
use serde_json::json;

use super::{FieldErrors, optional};
use crate::app::audit::{self, Actor};
use crate::app::crypto;
use crate::app::registration::{normalise_email, valid_email};
use crate::db::customers::records::{self as customer_records, CustomerChanges};
use crate::db::customers::{Customer, NewCustomer};
use crate::db::{self, DbConn};
use crate::domain::{CustomerKind, Nip, Nrb, Pesel, StoredWord, contact};

/// The customer form as typed.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CustomerForm {
    pub kind: String,
    pub first_name: String,
    pub last_name: String,
    pub company_name: String,
    /// Empty on edit: the stored PESEL stays.
    pub pesel: String,
    pub nip: String,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub correspondence_address_line: String,
    pub correspondence_postal_code: String,
    pub correspondence_city: String,
    pub email: String,
    pub phone: String,
    pub language: String,
}

impl CustomerForm {
    /// The form filled with what is stored (PESEL is never shown, only its last digits).
    pub fn from_customer(c: &Customer) -> CustomerForm {
        CustomerForm {
            kind: c.kind.to_string(),
            first_name: c.first_name.clone().unwrap_or_default(),
            last_name: c.last_name.clone().unwrap_or_default(),
            company_name: c.company_name.clone().unwrap_or_default(),
            pesel: String::new(),
            nip: c.nip.clone().unwrap_or_default(),
            address_line: c.address_line.clone(),
            postal_code: c.postal_code.clone(),
            city: c.city.clone(),
            correspondence_address_line: c.correspondence_address_line.clone().unwrap_or_default(),
            correspondence_postal_code: c.correspondence_postal_code.clone().unwrap_or_default(),
            correspondence_city: c.correspondence_city.clone().unwrap_or_default(),
            email: c.email.clone(),
            phone: c.phone.clone().unwrap_or_default(),
            language: c.language.clone(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("the form has problems")]
    Fields(FieldErrors),
    #[error("no such customer")]
    NotFound,
    #[error("the seller's account prefix cannot make an account number: {0}")]
    AccountPrefix(crate::domain::NrbError),
    #[error("the seller (ISP) is not set up")]
    NoSeller,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// The checked form: what goes into the row, and the PESEL if one was typed.
struct Checked {
    changes: CustomerChanges,
    pesel: Option<Pesel>,
}

fn check(
    form: &CustomerForm,
    pesel_required: bool,
    now: NaiveDateTime,
) -> Result<Checked, FieldErrors> {
    let mut errors = FieldErrors::default();
    let kind = CustomerKind::parse(&form.kind).unwrap_or_else(|| {
        errors.add("kind", "staff-error-kind");
        CustomerKind::Person
    });
    let is_company = kind == CustomerKind::Company;
    let first_name = optional(&form.first_name);
    let last_name = optional(&form.last_name);
    let company_name = optional(&form.company_name);
    if !is_company {
        if first_name.is_none() {
            errors.add("first_name", "staff-error-required");
        }
        if last_name.is_none() {
            errors.add("last_name", "staff-error-required");
        }
    } else if company_name.is_none() {
        errors.add("company_name", "staff-error-required");
    }
    let pesel = match optional(&form.pesel) {
        Some(typed) if !is_company => match Pesel::parse(&typed) {
            Ok(pesel) => Some(pesel),
            Err(_) => {
                errors.add("pesel", "staff-error-pesel");
                None
            }
        },
        None if !is_company && pesel_required => {
            errors.add("pesel", "staff-error-pesel");
            None
        }
        _ => None,
    };
    let nip = match optional(&form.nip) {
        Some(typed) => match Nip::parse(&typed) {
            Ok(nip) => Some(nip.as_str().to_owned()),
            Err(_) => {
                errors.add("nip", "staff-error-nip");
                None
            }
        },
        None if is_company => {
            errors.add("nip", "staff-error-nip");
            None
        }
        None => None,
    };
    let address_line = optional(&form.address_line);
    if address_line.is_none() {
        errors.add("address_line", "staff-error-required");
    }
    let city = optional(&form.city);
    if city.is_none() {
        errors.add("city", "staff-error-required");
    }
    let postal_code = contact::postal_code(&form.postal_code);
    if postal_code.is_none() {
        errors.add("postal_code", "staff-error-postal-code");
    }
    let correspondence = (
        optional(&form.correspondence_address_line),
        optional(&form.correspondence_postal_code),
        optional(&form.correspondence_city),
    );
    let correspondence = match correspondence {
        (None, None, None) => (None, None, None),
        (Some(line), Some(code), Some(city)) => match contact::postal_code(&code) {
            Some(code) => (Some(line), Some(code), Some(city)),
            None => {
                errors.add("correspondence_postal_code", "staff-error-postal-code");
                (None, None, None)
            }
        },
        _ => {
            errors.add("correspondence_address_line", "staff-error-correspondence");
            (None, None, None)
        }
    };
    let email = normalise_email(&form.email);
    if !valid_email(&email) {
        errors.add("email", "staff-error-email");
    }
    let phone = match optional(&form.phone) {
        Some(typed) => match contact::phone(&typed) {
            Some(phone) => Some(phone),
            None => {
                errors.add("phone", "staff-error-phone");
                None
            }
        },
        None => None,
    };
    let language = match form.language.as_str() {
        "pl" | "en" => form.language.clone(),
        "" => "pl".to_owned(),
        _ => {
            errors.add("language", "staff-error-language");
            "pl".to_owned()
        }
    };
    errors.into_result(Checked {
        changes: CustomerChanges {
            kind,
            first_name,
            last_name,
            company_name: if is_company { company_name } else { None },
            nip,
            address_line: address_line.unwrap_or_default(),
            postal_code: postal_code.unwrap_or_default(),
            city: city.unwrap_or_default(),
            correspondence_address_line: correspondence.0,
            correspondence_postal_code: correspondence.1,
            correspondence_city: correspondence.2,
            email,
            phone,
            language,
            updated_at: now,
        },
        pesel: if is_company { None } else { pesel },
    })
}

/// A PESEL belongs to one customer: a second record for the same person is refused.
fn pesel_hash_free(
    conn: &mut DbConn,
    pesel_key: &[u8],
    pesel: &Pesel,
    except: Option<CustomerId>,
) -> Result<String, RecordError> {
    let hash = crypto::pesel_hash(pesel_key, pesel);
    if customer_records::other_with_pesel(conn, &hash, except)?.is_some() {
        let mut errors = FieldErrors::default();
        errors.add("pesel", "staff-error-pesel-taken");
        return Err(RecordError::Fields(errors));
    }
    Ok(hash)
}

/// The edit form filled from the stored customer, with the last four digits of the PESEL (the
/// only part of it ever shown); None for an unknown id.
pub fn edit_form(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> diesel::QueryResult<Option<(CustomerForm, Option<String>)>> {
    Ok(db::customers::find(conn, customer_id)?
        .map(|customer| (CustomerForm::from_customer(&customer), customer.pesel_last4)))
}

pub fn create(
    conn: &mut DbConn,
    pesel_key: &[u8],
    form: &CustomerForm,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<CustomerId, RecordError> {
    let checked = check(form, true, now).map_err(RecordError::Fields)?;
    db::write_transaction(conn, |conn| {
        let seller = db::seller::find(conn)?.ok_or(RecordError::NoSeller)?;
        let pesel = match &checked.pesel {
            Some(pesel) => Some((pesel_hash_free(conn, pesel_key, pesel, None)?, pesel)),
            None => None,
        };
        // Inside the write transaction (BEGIN IMMEDIATE on SQLite; the UNIQUE constraint on
        // PostgreSQL turns a race into an error rather than a shared number).
        let number = db::customers::max_customer_number(conn)? + 1;
        let nrb = Nrb::for_customer(&seller.account_prefix, number as u64)
            .map_err(RecordError::AccountPrefix)?;
        let c = &checked.changes;
        let id = db::customers::insert(
            conn,
            &NewCustomer {
                customer_number: number,
                kind: c.kind,
                first_name: c.first_name.clone(),
                last_name: c.last_name.clone(),
                company_name: c.company_name.clone(),
                pesel_hash: pesel.as_ref().map(|(hash, _)| hash.clone()),
                pesel_last4: pesel.as_ref().map(|(_, p)| p.last_four().to_owned()),
                nip: c.nip.clone(),
                address_line: c.address_line.clone(),
                postal_code: c.postal_code.clone(),
                city: c.city.clone(),
                country_code: "PL".into(),
                correspondence_address_line: c.correspondence_address_line.clone(),
                correspondence_postal_code: c.correspondence_postal_code.clone(),
                correspondence_city: c.correspondence_city.clone(),
                email: c.email.clone(),
                phone: c.phone.clone(),
                language: c.language.clone(),
                nrb: nrb.as_str().to_owned(),
                created_at: now,
                updated_at: now,
            },
        )?;
        audit::record(
            conn,
            &actor.for_customer(id),
            "customer_created",
            json!({ "customer_number": number, "after": snapshot(c, pesel.as_ref().map(|(_, p)| p.last_four())) }),
            now,
        )?;
        Ok(id)
    })
}

pub fn update(
    conn: &mut DbConn,
    pesel_key: &[u8],
    id: CustomerId,
    form: &CustomerForm,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), RecordError> {
    let checked = check(form, false, now).map_err(RecordError::Fields)?;
    db::write_transaction(conn, |conn| {
        let before = db::customers::find(conn, id)?.ok_or(RecordError::NotFound)?;
        if checked.changes.kind == CustomerKind::Person
            && before.pesel_hash.is_none()
            && checked.pesel.is_none()
        {
            let mut errors = FieldErrors::default();
            errors.add("pesel", "staff-error-pesel");
            return Err(RecordError::Fields(errors));
        }
        let new_pesel = match &checked.pesel {
            Some(pesel) => Some((pesel_hash_free(conn, pesel_key, pesel, Some(id))?, pesel)),
            None => None,
        };
        customer_records::update(conn, id, &checked.changes)?;
        if let Some((hash, pesel)) = &new_pesel {
            customer_records::set_pesel(conn, id, hash, pesel.last_four())?;
        }
        let before_form = CustomerForm::from_customer(&before);
        audit::record(
            conn,
            &actor.for_customer(id),
            "customer_changed",
            json!({
                "before": snapshot_form(&before_form, before.pesel_last4.as_deref()),
                "after": snapshot(&checked.changes, new_pesel.as_ref().map(|(_, p)| p.last_four()).or(before.pesel_last4.as_deref())),
            }),
            now,
        )?;
        Ok(())
    })
}

/// What the audit trail keeps of a customer: everything but the PESEL (its last digits only).
fn snapshot(c: &CustomerChanges, pesel_last4: Option<&str>) -> serde_json::Value {
    json!({
        "kind": c.kind, "first_name": c.first_name, "last_name": c.last_name,
        "company_name": c.company_name, "nip": c.nip, "pesel_last4": pesel_last4,
        "address": [c.address_line, c.postal_code, c.city],
        "correspondence": [c.correspondence_address_line, c.correspondence_postal_code, c.correspondence_city],
        "email": c.email, "phone": c.phone, "language": c.language,
    })
}

fn snapshot_form(c: &CustomerForm, pesel_last4: Option<&str>) -> serde_json::Value {
    json!({
        "kind": c.kind, "first_name": optional(&c.first_name), "last_name": optional(&c.last_name),
        "company_name": optional(&c.company_name), "nip": optional(&c.nip), "pesel_last4": pesel_last4,
        "address": [c.address_line, c.postal_code, c.city],
        "correspondence": [optional(&c.correspondence_address_line), optional(&c.correspondence_postal_code), optional(&c.correspondence_city)],
        "email": c.email, "phone": optional(&c.phone), "language": c.language,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> CustomerForm {
        CustomerForm {
            kind: "person".into(),
            first_name: "Jan".into(),
            last_name: "Kowalski".into(),
            pesel: "80061512359".into(),
            address_line: "ul. Polna 1".into(),
            postal_code: "00-950".into(),
            city: "Warszawa".into(),
            email: "Jan@Example.com".into(),
            phone: "512345678".into(),
            language: "pl".into(),
            ..CustomerForm::default()
        }
    }

    #[test]
    fn a_valid_person_is_normalised() {
        let checked = check(&person(), true, NaiveDateTime::default()).unwrap();
        assert_eq!(checked.changes.email, "jan@example.com");
        assert_eq!(checked.changes.phone.as_deref(), Some("+48 512 345 678"));
        assert!(checked.pesel.is_some());
    }

    #[test]
    fn a_bad_pesel_nip_and_postal_code_each_get_their_field_message() {
        let form = CustomerForm {
            pesel: "80061512358".into(),
            postal_code: "00950".into(),
            nip: "1234567890".into(),
            ..person()
        };
        let errors = check(&form, true, NaiveDateTime::default()).err().unwrap();
        assert_eq!(errors.get("pesel"), Some("staff-error-pesel"));
        assert_eq!(errors.get("nip"), Some("staff-error-nip"));
        assert_eq!(errors.get("postal_code"), Some("staff-error-postal-code"));
    }

    #[test]
    fn a_company_needs_its_name_and_nip() {
        let form = CustomerForm {
            kind: "company".into(),
            ..person()
        };
        let errors = check(&form, true, NaiveDateTime::default()).err().unwrap();
        assert_eq!(errors.get("company_name"), Some("staff-error-required"));
        assert_eq!(errors.get("nip"), Some("staff-error-nip"));
        assert_eq!(errors.get("pesel"), None);
    }
}
