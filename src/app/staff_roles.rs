//! What each staff role may do. One table, so a new screen asks "may this role do X?" instead of
//! matching role names by hand.

/// A staff member's role as stored in `staff_users.role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    Admin,
    Billing,
    Support,
}

impl StaffRole {
    /// Unknown values (a hand-edited row) get no rights rather than a panic.
    pub fn parse(value: &str) -> Option<StaffRole> {
        match value {
            "admin" => Some(StaffRole::Admin),
            "billing" => Some(StaffRole::Billing),
            "support" => Some(StaffRole::Support),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Admin => "admin",
            StaffRole::Billing => "billing",
            StaffRole::Support => "support",
        }
    }
}

/// Things a staff member can be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Search customers and open the customer card.
    ViewCustomers,
    /// Create and edit customers, contracts, services and endpoints; decide profile changes.
    EditCustomers,
    /// Issue one-off and corrective invoices, run billing, print paper invoices.
    IssueInvoices,
    /// Record, import, assign and reverse payments.
    ManagePayments,
    /// Numbering series and seller data.
    ConfigureInvoicing,
    /// News, outage notices and the offer banner.
    PublishNews,
    /// Answer tickets, assign them, change their status.
    HandleTickets,
    /// Read staff-only notes on tickets.
    ReadInternalNotes,
    /// The staff-wide audit log (admins only: it shows every staff member's actions).
    ReadAuditLog,
    /// Technicians, kinds of visit, technicians' calendars; move, cancel and end visits, waive
    /// their fees.
    ScheduleVisits,
    /// JSON API tokens: make and revoke them (admins only: a token acts for the whole ISP).
    ManageApiTokens,
}

impl StaffRole {
    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            StaffRole::Admin => true,
            StaffRole::Billing => matches!(
                permission,
                ViewCustomers | EditCustomers | IssueInvoices | ManagePayments
            ),
            StaffRole::Support => matches!(
                permission,
                ViewCustomers
                    | EditCustomers
                    | PublishNews
                    | HandleTickets
                    | ReadInternalNotes
                    | ScheduleVisits
            ),
        }
    }
}

/// Whether a stored role string allows `permission`.
pub fn role_allows(role: &str, permission: Permission) -> bool {
    StaffRole::parse(role).is_some_and(|role| role.allows(permission))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_may_do_everything() {
        for permission in [
            Permission::ViewCustomers,
            Permission::EditCustomers,
            Permission::IssueInvoices,
            Permission::ManagePayments,
            Permission::ConfigureInvoicing,
            Permission::PublishNews,
            Permission::HandleTickets,
            Permission::ReadInternalNotes,
        ] {
            assert!(role_allows("admin", permission), "{permission:?}");
        }
    }

    #[test]
    fn support_cannot_issue_invoices_and_billing_cannot_configure_series() {
        assert!(!role_allows("support", Permission::IssueInvoices));
        assert!(!role_allows("support", Permission::ManagePayments));
        assert!(!role_allows("billing", Permission::ConfigureInvoicing));
        assert!(!role_allows("billing", Permission::ReadInternalNotes));
        assert!(role_allows("billing", Permission::IssueInvoices));
        assert!(role_allows("support", Permission::HandleTickets));
        assert!(role_allows("support", Permission::ScheduleVisits));
        assert!(!role_allows("billing", Permission::ScheduleVisits));
    }

    #[test]
    fn unknown_role_gets_nothing() {
        assert!(!role_allows("root", Permission::ViewCustomers));
    }
}
