//! What each subscriber login may see. The owner (who registered with the contract) may do
//! everything and manage contacts; invited contacts get full access, billing (invoices, balance,
//! payments) or technical (contracts, services, domains, tickets) access.

use serde::Serialize;

/// Parts of the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Invoices,
    Services,
    Tickets,
    Profile,
    Contacts,
}

/// The role stored in `accounts.role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactRole {
    Owner,
    Full,
    Billing,
    Technical,
}

impl ContactRole {
    /// Unknown values get the narrowest rights.
    pub fn parse(value: &str) -> Option<ContactRole> {
        match value {
            "owner" => Some(ContactRole::Owner),
            "full" => Some(ContactRole::Full),
            "billing" => Some(ContactRole::Billing),
            "technical" => Some(ContactRole::Technical),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ContactRole::Owner => "owner",
            ContactRole::Full => "full",
            ContactRole::Billing => "billing",
            ContactRole::Technical => "technical",
        }
    }

    pub fn may(self, area: Area) -> bool {
        match self {
            ContactRole::Owner => true,
            ContactRole::Full => area != Area::Contacts,
            ContactRole::Billing => area == Area::Invoices,
            ContactRole::Technical => matches!(area, Area::Services | Area::Tickets),
        }
    }
}

/// Whether a stored role allows `area`.
pub fn may(role: &str, area: Area) -> bool {
    ContactRole::parse(role).is_some_and(|role| role.may(area))
}

/// The areas as flags, for templates (navigation, dashboard sections).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct AccessFlags {
    pub invoices: bool,
    pub services: bool,
    pub tickets: bool,
    pub profile: bool,
    pub contacts: bool,
}

pub fn flags(role: &str) -> AccessFlags {
    AccessFlags {
        invoices: may(role, Area::Invoices),
        services: may(role, Area::Services),
        tickets: may(role, Area::Tickets),
        profile: may(role, Area::Profile),
        contacts: may(role, Area::Contacts),
    }
}

/// Billing contacts hear about money, technical contacts about services; owners about both.
pub fn sees_notice(flags: &AccessFlags, notice: &crate::domain::notices::Notice) -> bool {
    use crate::domain::notices::Notice;
    match notice {
        Notice::InvoiceOverdue { .. } | Notice::LowBalance { .. } => flags.invoices,
        Notice::ServiceExpiring { .. }
        | Notice::DomainExpiring { .. }
        | Notice::ContractEnding { .. } => flags.services,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_see_only_their_areas() {
        assert!(may("owner", Area::Contacts));
        assert!(!may("full", Area::Contacts));
        assert!(may("full", Area::Invoices) && may("full", Area::Profile));
        assert!(may("billing", Area::Invoices));
        assert!(!may("billing", Area::Services) && !may("billing", Area::Tickets));
        assert!(may("technical", Area::Services) && may("technical", Area::Tickets));
        assert!(!may("technical", Area::Invoices) && !may("technical", Area::Profile));
        assert!(!may("root", Area::Invoices));
    }
}
