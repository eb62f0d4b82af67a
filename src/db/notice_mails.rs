//! Notices mailed once: renewal and expiry notices keyed by customer, kind, the thing and its
//! end date, and outage notices keyed by the news item. The UNIQUE keys are the claims.

use crate::domain::CustomerId;
use crate::domain::{ContractStatus, DomainStatus, NewsKind, ServiceStatus};
use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::customers::Customer;
use super::news::NewsItem;
use super::schema::{contracts, customers, domains, news, notice_mails, outage_mailings, services};

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = notice_mails)]
pub struct NewNoticeMail {
    pub customer_id: CustomerId,
    pub kind: String,
    pub subject_id: i64,
    pub ends_on: NaiveDate,
    pub mailed_at: NaiveDateTime,
}

/// How far ahead each kind of thing is looked at (the notice windows' last days).
#[derive(Debug, Clone, Copy)]
pub struct Horizon {
    pub today: NaiveDate,
    pub services_until: NaiveDate,
    pub domains_until: NaiveDate,
    pub contracts_until: NaiveDate,
}

/// Customers who want reminders and have an active service, domain or contract ending inside
/// its window: the only ones the notice job loads.
pub fn renewal_candidates(conn: &mut DbConn, horizon: Horizon) -> QueryResult<Vec<CustomerId>> {
    let wanting = customers::table
        .filter(customers::notify_reminders.eq(true))
        .select(customers::id);
    let mut found: BTreeSet<CustomerId> = BTreeSet::new();
    found.extend(
        services::table
            .filter(services::status.eq(ServiceStatus::Active))
            .filter(services::expires_on.between(horizon.today, horizon.services_until))
            .filter(services::customer_id.eq_any(wanting))
            .select(services::customer_id)
            .load::<CustomerId>(conn)?,
    );
    found.extend(
        domains::table
            .filter(domains::status.eq(DomainStatus::Active))
            .filter(domains::expires_on.between(horizon.today, horizon.domains_until))
            .filter(domains::customer_id.eq_any(wanting))
            .select(domains::customer_id)
            .load::<CustomerId>(conn)?,
    );
    found.extend(
        contracts::table
            .filter(contracts::status.eq(ContractStatus::Active))
            .filter(contracts::ends_on.between(horizon.today, horizon.contracts_until))
            .filter(contracts::customer_id.eq_any(wanting))
            .select(contracts::customer_id)
            .load::<CustomerId>(conn)?,
    );
    Ok(found.into_iter().collect())
}

/// (kind, thing, end date) of every notice already mailed to the customer.
pub fn mailed_to(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> QueryResult<Vec<(String, i64, NaiveDate)>> {
    notice_mails::table
        .filter(notice_mails::customer_id.eq(customer_id))
        .select((
            notice_mails::kind,
            notice_mails::subject_id,
            notice_mails::ends_on,
        ))
        .load(conn)
}

/// Fails with a unique violation when the notice was mailed already (by another instance).
pub fn record(conn: &mut DbConn, mail: &NewNoticeMail) -> QueryResult<()> {
    diesel::insert_into(notice_mails::table)
        .values(mail)
        .execute(conn)
        .map(|_| ())
}

/// Outage and maintenance notices published by `now`, not retired, not over, and not mailed.
pub fn unmailed_outages(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<Vec<NewsItem>> {
    news::table
        .filter(news::kind.eq_any(NewsKind::NOTICES))
        .filter(news::retired_at.is_null())
        .filter(news::published_at.le(now))
        .filter(news::ends_at.is_null().or(news::ends_at.gt(now)))
        .filter(diesel::dsl::not(news::id.eq_any(
            outage_mailings::table.select(outage_mailings::news_id),
        )))
        .order(news::id)
        .load(conn)
}

/// Fails with a unique violation when another instance mailed the notice first.
pub fn claim_outage(
    conn: &mut DbConn,
    news_id: i64,
    recipients: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(outage_mailings::table)
        .values((
            outage_mailings::news_id.eq(news_id),
            outage_mailings::recipients.eq(recipients),
            outage_mailings::mailed_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Customers who want outage mail and have an active contract installed in `area` (anywhere
/// when the notice is for everyone), in customer order.
pub fn outage_recipients(conn: &mut DbConn, area: Option<&str>) -> QueryResult<Vec<Customer>> {
    let wanting = customers::table
        .filter(customers::notify_outages.eq(true))
        .order(customers::id)
        .select(customers::all_columns);
    let active = contracts::table.filter(contracts::status.eq(ContractStatus::Active));
    match area {
        Some(area) => wanting
            .filter(
                customers::id.eq_any(
                    active
                        .filter(contracts::install_city.eq(area))
                        .select(contracts::customer_id),
                ),
            )
            .load(conn),
        None => wanting
            .filter(customers::id.eq_any(active.select(contracts::customer_id)))
            .load(conn),
    }
}
