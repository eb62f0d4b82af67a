//! Renewal and expiry notices: which of a subscriber's things need action, and how urgently.
//! Pure: the caller loads the candidates, this decides.

use crate::domain::ContractId;
use crate::domain::InvoiceId;
use chrono::NaiveDate;
use serde::Serialize;

/// Days before expiry or end at which a notice appears, and the prepaid threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    pub service_days: i64,
    pub domain_days: i64,
    pub contract_days: i64,
    /// Grosze.
    pub low_balance: i64,
}

/// Something with an end date that may need a notice.
#[derive(Debug, Clone)]
pub struct Expiring {
    pub id: i64,
    pub name: String,
    pub ends_on: NaiveDate,
    /// Services and domains that renew themselves need no action; contracts that continue for
    /// an indefinite period after their term do not either, but the customer is still told.
    pub renews: bool,
}

#[derive(Debug, Clone)]
pub struct Overdue {
    pub invoice_id: InvoiceId,
    pub number: String,
    pub due_date: NaiveDate,
    /// Grosze still to pay.
    pub amount_due: i64,
}

/// What needs action, most urgent first within each kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Notice {
    InvoiceOverdue {
        invoice_id: InvoiceId,
        number: String,
        due_date: NaiveDate,
        amount_due: i64,
        days_late: i64,
    },
    ServiceExpiring {
        service_id: i64,
        name: String,
        expires_on: NaiveDate,
        days_left: i64,
        auto_renew: bool,
    },
    DomainExpiring {
        domain_id: i64,
        name: String,
        expires_on: NaiveDate,
        days_left: i64,
        auto_renew: bool,
    },
    ContractEnding {
        contract_id: ContractId,
        number: String,
        ends_on: NaiveDate,
        days_left: i64,
        continues: bool,
    },
    LowBalance {
        credit: i64,
        threshold: i64,
    },
}

/// Within `days` from `today`, today and the last day included; already past is not "expiring"
/// (an expired service shows as such on its own page).
fn days_left(today: NaiveDate, ends_on: NaiveDate, days: i64) -> Option<i64> {
    let left = (ends_on - today).num_days();
    (0..=days).contains(&left).then_some(left)
}

pub struct Candidates<'a> {
    pub overdue: &'a [Overdue],
    pub services: &'a [Expiring],
    pub domains: &'a [Expiring],
    pub contracts: &'a [Expiring],
    /// Prepaid credit (unallocated payments), grosze.
    pub credit: i64,
}

/// The notices for one customer on `today`. Overdue invoices come first: they can cut the
/// service off. A low prepaid balance only concerns customers who keep one (credit above zero);
/// a customer with no credit has the invoice reminders instead.
pub fn notices(today: NaiveDate, limits: Thresholds, candidates: &Candidates<'_>) -> Vec<Notice> {
    let mut out = Vec::new();
    let mut overdue: Vec<&Overdue> = candidates
        .overdue
        .iter()
        .filter(|o| o.due_date < today && o.amount_due > 0)
        .collect();
    overdue.sort_by_key(|o| o.due_date);
    out.extend(overdue.into_iter().map(|o| Notice::InvoiceOverdue {
        invoice_id: o.invoice_id,
        number: o.number.clone(),
        due_date: o.due_date,
        amount_due: o.amount_due,
        days_late: (today - o.due_date).num_days(),
    }));
    let soonest = |items: &[Expiring], days: i64| {
        let mut found: Vec<(i64, Expiring)> = items
            .iter()
            .filter_map(|item| {
                days_left(today, item.ends_on, days).map(|left| (left, item.clone()))
            })
            .collect();
        found.sort_by_key(|(left, item)| (*left, item.id));
        found
    };
    for (left, service) in soonest(candidates.services, limits.service_days) {
        out.push(Notice::ServiceExpiring {
            service_id: service.id,
            name: service.name,
            expires_on: service.ends_on,
            days_left: left,
            auto_renew: service.renews,
        });
    }
    for (left, domain) in soonest(candidates.domains, limits.domain_days) {
        out.push(Notice::DomainExpiring {
            domain_id: domain.id,
            name: domain.name,
            expires_on: domain.ends_on,
            days_left: left,
            auto_renew: domain.renews,
        });
    }
    for (left, contract) in soonest(candidates.contracts, limits.contract_days) {
        out.push(Notice::ContractEnding {
            contract_id: ContractId(contract.id),
            number: contract.name,
            ends_on: contract.ends_on,
            days_left: left,
            continues: contract.renews,
        });
    }
    if candidates.credit > 0 && candidates.credit < limits.low_balance {
        out.push(Notice::LowBalance {
            credit: candidates.credit,
            threshold: limits.low_balance,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Thresholds = Thresholds {
        service_days: 7,
        domain_days: 30,
        contract_days: 60,
        low_balance: 1500,
    };

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn item(id: i64, ends_on: &str) -> Expiring {
        Expiring {
            id,
            name: format!("item {id}"),
            ends_on: day(ends_on),
            renews: false,
        }
    }

    fn run(services: &[Expiring], domains: &[Expiring], contracts: &[Expiring]) -> Vec<Notice> {
        notices(
            day("2026-11-21"),
            LIMITS,
            &Candidates {
                overdue: &[],
                services,
                domains,
                contracts,
                credit: 0,
            },
        )
    }

    #[test]
    fn each_kind_has_its_own_window_with_both_ends_included() {
        let services = [
            item(1, "2026-11-21"),
            item(2, "2026-11-28"),
            item(3, "2026-11-29"),
            item(4, "2026-11-20"),
        ];
        let found = run(&services, &[], &[]);
        let ids: Vec<_> = found
            .iter()
            .map(|n| match n {
                Notice::ServiceExpiring {
                    service_id,
                    days_left,
                    ..
                } => (*service_id, *days_left),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(ids, vec![(1, 0), (2, 7)]);

        let domains = [item(5, "2026-12-21"), item(6, "2026-12-22")];
        assert_eq!(run(&[], &domains, &[]).len(), 1);
        let contracts = [item(7, "2027-01-20"), item(8, "2027-01-21")];
        assert_eq!(run(&[], &[], &contracts).len(), 1);
    }

    #[test]
    fn overdue_invoices_come_first_oldest_first() {
        let overdue = [
            Overdue {
                invoice_id: InvoiceId(2),
                number: "FV/2".into(),
                due_date: day("2026-11-10"),
                amount_due: 100,
            },
            Overdue {
                invoice_id: InvoiceId(1),
                number: "FV/1".into(),
                due_date: day("2026-10-10"),
                amount_due: 100,
            },
            Overdue {
                invoice_id: InvoiceId(3),
                number: "FV/3".into(),
                due_date: day("2026-11-21"),
                amount_due: 100,
            },
        ];
        let found = notices(
            day("2026-11-21"),
            LIMITS,
            &Candidates {
                overdue: &overdue,
                services: &[item(9, "2026-11-22")],
                domains: &[],
                contracts: &[],
                credit: 0,
            },
        );
        assert!(matches!(
            found[0],
            Notice::InvoiceOverdue {
                invoice_id: InvoiceId(1),
                days_late: 42,
                ..
            }
        ));
        assert!(matches!(
            found[1],
            Notice::InvoiceOverdue {
                invoice_id: InvoiceId(2),
                ..
            }
        ));
        // Due today is not overdue yet.
        assert!(matches!(found[2], Notice::ServiceExpiring { .. }));
        assert_eq!(found.len(), 3);
    }

    #[test]
    fn low_balance_only_for_customers_who_keep_credit() {
        let with_credit = |credit| {
            notices(
                day("2026-11-21"),
                LIMITS,
                &Candidates {
                    overdue: &[],
                    services: &[],
                    domains: &[],
                    contracts: &[],
                    credit,
                },
            )
        };
        assert!(with_credit(0).is_empty());
        assert_eq!(
            with_credit(1499),
            vec![Notice::LowBalance {
                credit: 1499,
                threshold: 1500
            }]
        );
        assert!(with_credit(1500).is_empty());
    }
}
