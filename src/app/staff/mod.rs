//! Use cases of the staff panel: finding customers and keeping their records, deciding the
//! profile changes subscribers ask for, one-off and corrective invoices, charges queued for the
//! billing run, the seller's data, and news, outage notices and the offer banner.

pub mod announcements;
pub mod audit_log;
pub mod change_requests;
pub mod customer_card;
pub mod customer_records;
pub mod customer_search;
pub mod manual_invoices;
pub mod network_records;
pub mod pending_charges;
pub mod seller_settings;

use std::collections::BTreeMap;

/// Problems with a submitted form: field name → message key (`staff-error-…` in
/// `assets/locales/*/staff.ftl`), so the form comes back with a message under each field.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FieldErrors(pub BTreeMap<String, &'static str>);

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<String>, key: &'static str) {
        self.0.entry(field.into()).or_insert(key);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0.get(field).copied()
    }

    /// `Ok(value)` when nothing was wrong.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

/// A trimmed text field, `None` when left empty.
pub(crate) fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}
