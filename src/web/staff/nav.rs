//! What the staff navigation offers a role: one place, read by `templates/staff/_nav.html.tera`
//! on the panel's start page and in the layout header.

use serde::Serialize;

use crate::app::staff_roles::{Permission, role_allows};

#[derive(Debug, Clone, Copy, Serialize)]
pub struct StaffNav {
    pub customers: bool,
    pub new_customer: bool,
    pub profile_changes: bool,
    pub paper_invoices: bool,
    pub ksef: bool,
    pub billing_run: bool,
    pub discounts: bool,
    pub payments: bool,
    pub dunning: bool,
    pub tickets: bool,
    pub visits: bool,
    pub news: bool,
    pub series: bool,
    pub seller: bool,
    pub audit_log: bool,
    pub api_tokens: bool,
}

impl StaffNav {
    pub fn for_role(role: &str) -> StaffNav {
        let may = |p| role_allows(role, p);
        StaffNav {
            customers: may(Permission::ViewCustomers),
            new_customer: may(Permission::EditCustomers),
            profile_changes: may(Permission::EditCustomers),
            paper_invoices: may(Permission::IssueInvoices),
            ksef: may(Permission::IssueInvoices),
            billing_run: may(Permission::IssueInvoices),
            discounts: may(Permission::IssueInvoices),
            payments: may(Permission::ManagePayments),
            dunning: may(Permission::ManagePayments),
            tickets: may(Permission::HandleTickets),
            visits: may(Permission::ScheduleVisits),
            news: may(Permission::PublishNews),
            series: may(Permission::ConfigureInvoicing),
            seller: may(Permission::ConfigureInvoicing),
            audit_log: may(Permission::ReadAuditLog),
            api_tokens: may(Permission::ManageApiTokens),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_sees_only_what_it_may_do() {
        let support = StaffNav::for_role("support");
        assert!(support.customers && support.tickets && support.news);
        assert!(!support.paper_invoices && !support.payments && !support.seller);
        let billing = StaffNav::for_role("billing");
        assert!(billing.paper_invoices && billing.payments && billing.billing_run);
        assert!(!billing.series && !billing.seller && !billing.news && !billing.api_tokens);
        assert!(!support.api_tokens);
        let admin = StaffNav::for_role("admin");
        assert!(admin.series && admin.seller && admin.news && admin.payments && admin.api_tokens);
    }
}
