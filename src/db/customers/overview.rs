//! One customer's standing read in one statement: the customer, their contracts with the
//! tariff, issued invoices with what is paid of them, services, domains, payments that count,
//! top-up credit that lapsed, refunds, and tickets.
//!
//! The dashboard is the most visited page. On PostgreSQL a round trip costs more than the
//! index lookup it carries (measured: a `SELECT 1` route serves a third of what it serves on
//! SQLite), so the eight reads travel as one `UNION ALL` of the same shape and are sorted out
//! here. The statement is a Diesel query type with a static id, so both backends keep it
//! prepared; the SQL is portable (every `NULL` is cast, as PostgreSQL resolves a union's column
//! types pair by pair).
//!
//! Each row is tagged with its `kind`; the other columns are slots whose meaning depends on it:
//!
//! | kind       | text_1       | text_2      | text_3       | text_4     | status | day_1       | day_2     | amount_1        | amount_2 | link         | flag       | moment     |
//! |------------|--------------|-------------|--------------|------------|--------|-------------|-----------|-----------------|----------|--------------|------------|------------|
//! | `customer` | company name | first name  | last name    | NRB        |        |             |           | customer number |          |              |            |            |
//! | `contract` | number       | tariff name | install city | after term | ✓      | ends on     | signed on | monthly fee     |          |              |            |            |
//! | `invoice`  | number       |             |              |            |        | issue date  | due date  | gross           | paid     | corrects id  |            |            |
//! | `service`  | name         |             |              |            | ✓      | expires on  |           |                 |          |              | auto-renew |            |
//! | `domain`   | name         |             |              |            | ✓      | expires on  |           |                 |          |              | auto-renew |            |
//! | `payment`  |              |             |              |            |        | received on |           | amount          |          |              |            |            |
//! | `lapsed`   |              |             |              |            |        | expires on  |           | expired amount  |          |              |            |            |
//! | `refund`   |              |             |              |            |        |             |           | refunded amount |          | correction id|            |            |
//! | `ticket`   | subject      |             |              |            | ✓      |             |           |                 |          |              |            | updated at |

use crate::domain::ContractId;
use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use crate::domain::tickets::TicketStatus;
use crate::domain::{ContractStatus, DomainStatus, ServiceStatus, StoredWord};
use std::cmp::Reverse;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::backend::Backend;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::result::Error::DeserializationError;
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, Bool, Date, Nullable, Text, Timestamp};

use crate::db::DbConn;
use crate::db::invoices::InvoiceBalance;

/// Who the customer is, as the dashboard greets them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerHeading {
    pub company_name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub customer_number: i64,
    /// The customer's own account number for transfers, as stored (26 digits).
    pub nrb: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractFacts {
    pub id: ContractId,
    pub number: String,
    pub tariff: String,
    pub install_city: String,
    /// What happens when a fixed term ends: `indefinite` or `ends`.
    pub after_term: String,
    pub status: ContractStatus,
    pub ends_on: Option<NaiveDate>,
    pub signed_on: NaiveDate,
    pub monthly_fee: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceFacts {
    pub id: i64,
    pub name: String,
    pub status: ServiceStatus,
    pub expires_on: Option<NaiveDate>,
    pub auto_renew: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainFacts {
    pub id: i64,
    pub name: String,
    pub status: DomainStatus,
    pub expires_on: NaiveDate,
    pub auto_renew: bool,
}

/// A payment that counts (not reversed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentFacts {
    pub id: i64,
    pub received_on: NaiveDate,
    pub amount: i64,
    /// What of it paid interest notes (the rest went to invoices or is credit).
    pub on_notes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketFacts {
    pub id: i64,
    pub subject: String,
    pub status: TicketStatus,
    pub updated_at: NaiveDateTime,
}

/// Everything read, each list in the order the portal shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerOverview {
    /// `None` when there is no such customer.
    pub customer: Option<CustomerHeading>,
    /// Newest signed first.
    pub contracts: Vec<ContractFacts>,
    /// Issued invoices by id.
    pub balances: Vec<InvoiceBalance>,
    /// Active first, then by name.
    pub services: Vec<ServiceFacts>,
    /// Expiring first.
    pub domains: Vec<DomainFacts>,
    /// Newest first.
    pub payments: Vec<PaymentFacts>,
    /// Most recently changed first.
    pub tickets: Vec<TicketFacts>,
    /// Grosze of top-up credit that lapsed unused (no longer the customer's credit).
    pub lapsed_credit: i64,
    /// Grosze refunded to the customer on corrections (no longer their credit).
    pub refunded: i64,
}

/// The overview of `customer_id`, and only theirs: every branch of the statement is filtered by
/// the same bound id.
pub fn of_customer(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<CustomerOverview> {
    let query = OverviewQuery { customer_id };
    let rows: Vec<OverviewRow> = concrete!(conn, |c| query.load(c))?;
    let mut overview = CustomerOverview::default();
    for row in rows {
        row.file_into(&mut overview)?;
    }
    overview
        .contracts
        .sort_by_key(|c| Reverse((c.signed_on, c.id)));
    overview.balances.sort_by_key(|b| b.id);
    overview.services.sort_by(|a, b| {
        (a.status != ServiceStatus::Active, &a.name, a.id).cmp(&(
            b.status != ServiceStatus::Active,
            &b.name,
            b.id,
        ))
    });
    overview
        .domains
        .sort_by(|a, b| (a.expires_on, &a.name).cmp(&(b.expires_on, &b.name)));
    overview
        .payments
        .sort_by_key(|p| Reverse((p.received_on, p.id)));
    overview
        .tickets
        .sort_by_key(|t| Reverse((t.updated_at, t.id)));
    Ok(overview)
}

/// The branches of the statement, each up to the bound customer id and after it.
const BRANCHES: [(&str, &str); 9] = [
    (
        "SELECT 'customer', c.id, c.company_name, c.first_name, c.last_name, c.nrb, \
         CAST(NULL AS TEXT), CAST(NULL AS DATE), CAST(NULL AS DATE), c.customer_number, \
         CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BOOLEAN), \
         CAST(NULL AS TIMESTAMP) \
         FROM customers c WHERE c.id = ",
        "",
    ),
    (
        "SELECT 'contract', k.id, k.number, t.name, k.install_city, k.after_term, k.status, \
         k.ends_on, k.signed_on, k.monthly_fee, \
         CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BOOLEAN), \
         CAST(NULL AS TIMESTAMP) \
         FROM contracts k INNER JOIN tariffs t ON t.id = k.tariff_id WHERE k.customer_id = ",
        "",
    ),
    (
        // What is paid of an invoice is summed per invoice; `SUM(bigint)` is NUMERIC on
        // PostgreSQL, hence the cast back.
        "SELECT 'invoice', i.id, i.number, CAST(NULL AS TEXT), CAST(NULL AS TEXT), \
         CAST(NULL AS TEXT), CAST(NULL AS TEXT), i.issue_date, i.due_date, i.total_gross, \
         (SELECT CAST(COALESCE(SUM(a.amount), 0) AS BIGINT) FROM payment_allocations a \
          WHERE a.invoice_id = i.id), \
         i.corrects_invoice_id, CAST(NULL AS BOOLEAN), CAST(NULL AS TIMESTAMP) \
         FROM invoices i WHERE i.customer_id = ",
        " AND i.status = 'issued'",
    ),
    (
        "SELECT 'service', s.id, s.name, CAST(NULL AS TEXT), CAST(NULL AS TEXT), \
         CAST(NULL AS TEXT), s.status, s.expires_on, CAST(NULL AS DATE), CAST(NULL AS BIGINT), \
         CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), s.auto_renew, CAST(NULL AS TIMESTAMP) \
         FROM services s WHERE s.customer_id = ",
        "",
    ),
    (
        "SELECT 'domain', d.id, d.name, CAST(NULL AS TEXT), CAST(NULL AS TEXT), \
         CAST(NULL AS TEXT), d.status, d.expires_on, CAST(NULL AS DATE), CAST(NULL AS BIGINT), \
         CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), d.auto_renew, CAST(NULL AS TIMESTAMP) \
         FROM domains d WHERE d.customer_id = ",
        "",
    ),
    (
        // What a payment gave to interest notes is not credit (see `PaymentFacts::on_notes`).
        "SELECT 'payment', p.id, CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT), \
         CAST(NULL AS TEXT), CAST(NULL AS TEXT), p.received_on, CAST(NULL AS DATE), p.amount, \
         (SELECT CAST(COALESCE(SUM(n.amount), 0) AS BIGINT) FROM interest_note_allocations n \
          WHERE n.payment_id = p.id), CAST(NULL AS BIGINT), CAST(NULL AS BOOLEAN), \
         CAST(NULL AS TIMESTAMP) \
         FROM payments p WHERE p.customer_id = ",
        " AND p.reversed_at IS NULL",
    ),
    (
        "SELECT 'lapsed', e.payment_id, CAST(NULL AS TEXT), CAST(NULL AS TEXT), \
         CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT), e.expires_on, \
         CAST(NULL AS DATE), e.expired_amount, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), \
         CAST(NULL AS BOOLEAN), CAST(NULL AS TIMESTAMP) \
         FROM expiring_credits e WHERE e.customer_id = ",
        " AND e.expired_amount IS NOT NULL",
    ),
    (
        "SELECT 'refund', r.id, CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT), \
         CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS DATE), CAST(NULL AS DATE), \
         r.amount, CAST(NULL AS BIGINT), r.correction_id, CAST(NULL AS BOOLEAN), \
         CAST(NULL AS TIMESTAMP) \
         FROM correction_refunds r WHERE r.customer_id = ",
        "",
    ),
    (
        "SELECT 'ticket', t.id, t.subject, CAST(NULL AS TEXT), CAST(NULL AS TEXT), \
         CAST(NULL AS TEXT), t.status, CAST(NULL AS DATE), CAST(NULL AS DATE), \
         CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), \
         CAST(NULL AS BOOLEAN), t.updated_at \
         FROM tickets t WHERE t.customer_id = ",
        "",
    ),
];

/// The statement as a Diesel query. A plain `sql_query` would be re-parsed and re-planned by
/// PostgreSQL on every call (Diesel never caches it); a type with a static query id is prepared
/// once per connection.
#[derive(Debug, Clone, Copy, QueryId)]
struct OverviewQuery {
    customer_id: CustomerId,
}

type OverviewSqlType = (
    Text,
    BigInt,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Date>,
    Nullable<Date>,
    Nullable<BigInt>,
    Nullable<BigInt>,
    Nullable<BigInt>,
    Nullable<Bool>,
    Nullable<Timestamp>,
);

impl Query for OverviewQuery {
    type SqlType = OverviewSqlType;
}

impl<Conn> RunQueryDsl<Conn> for OverviewQuery {}

impl<DB> QueryFragment<DB> for OverviewQuery
where
    DB: Backend,
    i64: ToSql<BigInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        for (index, (head, tail)) in BRANCHES.iter().enumerate() {
            if index > 0 {
                out.push_sql(" UNION ALL ");
            }
            out.push_sql(head);
            out.push_bind_param::<BigInt, _>(&self.customer_id)?;
            out.push_sql(tail);
        }
        Ok(())
    }
}

/// One row of the statement; see the table at the top for what each slot holds.
#[derive(Debug, Queryable)]
struct OverviewRow {
    kind: String,
    id: i64,
    text_1: Option<String>,
    text_2: Option<String>,
    text_3: Option<String>,
    text_4: Option<String>,
    status: Option<String>,
    day_1: Option<NaiveDate>,
    day_2: Option<NaiveDate>,
    amount_1: Option<i64>,
    amount_2: Option<i64>,
    link: Option<i64>,
    flag: Option<bool>,
    moment: Option<NaiveDateTime>,
}

/// A slot the table says is filled, or an error naming it (a NOT NULL column read as NULL
/// would mean the statement and this file disagree).
fn filled<T>(slot: Option<T>, what: &'static str) -> QueryResult<T> {
    slot.ok_or_else(|| DeserializationError(format!("customer overview: no {what}").into()))
}

/// A filled slot holding one of `T`'s stored words.
fn word<T: StoredWord>(slot: Option<String>, what: &'static str) -> QueryResult<T> {
    let stored = filled(slot, what)?;
    T::parse(&stored).ok_or_else(|| {
        DeserializationError(format!("customer overview: {what} {stored:?} is not known").into())
    })
}

impl OverviewRow {
    fn file_into(self, overview: &mut CustomerOverview) -> QueryResult<()> {
        let id = self.id;
        match self.kind.as_str() {
            "customer" => {
                overview.customer = Some(CustomerHeading {
                    company_name: self.text_1,
                    first_name: self.text_2,
                    last_name: self.text_3,
                    nrb: filled(self.text_4, "customer NRB")?,
                    customer_number: filled(self.amount_1, "customer number")?,
                })
            }
            "contract" => overview.contracts.push(ContractFacts {
                id: ContractId(id),
                number: filled(self.text_1, "contract number")?,
                tariff: filled(self.text_2, "tariff name")?,
                install_city: filled(self.text_3, "installation city")?,
                after_term: filled(self.text_4, "contract's after-term")?,
                status: word(self.status, "contract status")?,
                ends_on: self.day_1,
                signed_on: filled(self.day_2, "contract signing date")?,
                monthly_fee: filled(self.amount_1, "monthly fee")?,
            }),
            "invoice" => overview.balances.push(InvoiceBalance {
                id: InvoiceId(id),
                number: self.text_1,
                issue_date: filled(self.day_1, "issue date")?,
                due_date: filled(self.day_2, "due date")?,
                gross: filled(self.amount_1, "invoice gross")?,
                paid: filled(self.amount_2, "paid amount")?,
                corrects: self.link.map(InvoiceId),
            }),
            "service" => overview.services.push(ServiceFacts {
                id,
                name: filled(self.text_1, "service name")?,
                status: word(self.status, "service status")?,
                expires_on: self.day_1,
                auto_renew: filled(self.flag, "service auto-renew")?,
            }),
            "domain" => overview.domains.push(DomainFacts {
                id,
                name: filled(self.text_1, "domain name")?,
                status: word(self.status, "domain status")?,
                expires_on: filled(self.day_1, "domain expiry")?,
                auto_renew: filled(self.flag, "domain auto-renew")?,
            }),
            "payment" => overview.payments.push(PaymentFacts {
                id,
                received_on: filled(self.day_1, "payment date")?,
                amount: filled(self.amount_1, "payment amount")?,
                on_notes: self.amount_2.unwrap_or(0),
            }),
            "lapsed" => overview.lapsed_credit += filled(self.amount_1, "lapsed amount")?,
            "refund" => overview.refunded += filled(self.amount_1, "refunded amount")?,
            "ticket" => overview.tickets.push(TicketFacts {
                id,
                subject: filled(self.text_1, "ticket subject")?,
                status: word(self.status, "ticket status")?,
                updated_at: filled(self.moment, "ticket change time")?,
            }),
            other => {
                return Err(DeserializationError(
                    format!("customer overview: unknown row kind {other}").into(),
                ));
            }
        }
        Ok(())
    }
}
