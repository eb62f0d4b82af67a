//! The seller (the ISP itself) as every new invoice names it. Issued invoices keep their
//! snapshot, so a change here affects only invoices issued afterwards. Each change is audited
//! with the values before and after.

use chrono::NaiveDateTime;
use serde_json::json;

use super::{FieldErrors, optional};
use crate::app::audit::{self, Actor};
use crate::app::registration::valid_email;
use crate::db::seller::{Seller, SellerChanges};
use crate::db::{self, DbConn};
use crate::domain::{Nip, Nrb, contact};

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SellerForm {
    pub name: String,
    pub short_name: String,
    pub nip: String,
    pub regon: String,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub email: String,
    pub phone: String,
    pub website: String,
    pub bank_name: String,
    pub bank_account: String,
    pub account_prefix: String,
}

impl SellerForm {
    pub fn from_seller(s: &Seller) -> SellerForm {
        SellerForm {
            name: s.name.clone(),
            short_name: s.short_name.clone(),
            nip: s.nip.clone(),
            regon: s.regon.clone().unwrap_or_default(),
            address_line: s.address_line.clone(),
            postal_code: s.postal_code.clone(),
            city: s.city.clone(),
            email: s.email.clone(),
            phone: s.phone.clone(),
            website: s.website.clone().unwrap_or_default(),
            bank_name: s.bank_name.clone(),
            bank_account: Nrb::parse(&s.bank_account)
                .map(|n| n.formatted())
                .unwrap_or_else(|_| s.bank_account.clone()),
            account_prefix: s.account_prefix.clone(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SellerError {
    #[error("the form has problems")]
    Fields(FieldErrors),
    #[error("the seller is not set up (run `ebok demo` or the installer)")]
    NotSetUp,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

pub fn load(conn: &mut DbConn) -> Result<SellerForm, SellerError> {
    db::seller::find(conn)?
        .map(|s| SellerForm::from_seller(&s))
        .ok_or(SellerError::NotSetUp)
}

fn check(
    form: &SellerForm,
    highest_customer: i64,
    now: NaiveDateTime,
) -> Result<SellerChanges, FieldErrors> {
    let mut errors = FieldErrors::default();
    for (field, value) in [
        ("name", &form.name),
        ("short_name", &form.short_name),
        ("address_line", &form.address_line),
        ("city", &form.city),
        ("bank_name", &form.bank_name),
        ("phone", &form.phone),
    ] {
        if optional(value).is_none() {
            errors.add(field, "staff-error-required");
        }
    }
    let nip = Nip::parse(&form.nip).map(|n| n.as_str().to_owned());
    if nip.is_err() {
        errors.add("nip", "staff-error-nip");
    }
    let regon = optional(&form.regon);
    if regon
        .as_ref()
        .is_some_and(|r| !(r.len() == 9 || r.len() == 14) || !r.bytes().all(|b| b.is_ascii_digit()))
    {
        errors.add("regon", "staff-error-regon");
    }
    let postal_code = contact::postal_code(&form.postal_code);
    if postal_code.is_none() {
        errors.add("postal_code", "staff-error-postal-code");
    }
    if !valid_email(&form.email) {
        errors.add("email", "staff-error-email");
    }
    let bank_account = Nrb::parse(&form.bank_account).map(|n| n.as_str().to_owned());
    if bank_account.is_err() {
        errors.add("bank_account", "staff-error-nrb");
    }
    let prefix = form.account_prefix.trim().to_owned();
    // The prefix must make a valid account for every customer there is (and the next ones).
    match Nrb::for_customer(&prefix, (highest_customer + 1).max(1) as u64) {
        Ok(_) => {}
        Err(crate::domain::NrbError::CustomerNumberTooLarge) => {
            errors.add("account_prefix", "staff-error-account-prefix-too-long")
        }
        Err(_) => errors.add("account_prefix", "staff-error-account-prefix"),
    }
    let (Ok(nip), Ok(bank_account), Some(postal_code)) = (nip, bank_account, postal_code) else {
        return Err(errors);
    };
    errors.into_result(SellerChanges {
        name: form.name.trim().to_owned(),
        short_name: form.short_name.trim().to_owned(),
        nip,
        regon,
        address_line: form.address_line.trim().to_owned(),
        postal_code,
        city: form.city.trim().to_owned(),
        email: form.email.trim().to_owned(),
        phone: form.phone.trim().to_owned(),
        website: optional(&form.website),
        bank_name: form.bank_name.trim().to_owned(),
        bank_account,
        account_prefix: prefix,
        updated_at: now,
    })
}

/// Saves the seller. Changing the account prefix does not renumber existing customers'
/// individual accounts (their payers keep using them); it applies to customers created later.
pub fn update(
    conn: &mut DbConn,
    form: &SellerForm,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), SellerError> {
    db::write_transaction(conn, |conn| {
        let before = db::seller::find(conn)?.ok_or(SellerError::NotSetUp)?;
        let highest = db::customers::max_customer_number(conn)?;
        let changes = check(form, highest, now).map_err(SellerError::Fields)?;
        db::seller::update(conn, before.id, &changes)?;
        let after = db::seller::find(conn)?.ok_or(SellerError::NotSetUp)?;
        audit::record(
            conn,
            actor,
            "seller_changed",
            json!({ "before": SellerForm::from_seller(&before), "after": SellerForm::from_seller(&after) }),
            now,
        )?;
        Ok(())
    })
}
