//! Notices by e-mail. Renewal and expiry notices (a service or domain that expires, a contract
//! that ends) go to subscribers who want reminders ("przypomnienia" on /dane), once per notice;
//! outage and maintenance notices go, once, to the customers of the notice's area who want
//! outage mail. Overdue invoices are the dunning job's (its reminder honours the same switch).
//!
//! Each mail is queued in the transaction that records its claim (`notice_mails` for a notice,
//! `outage_mailings` for a news item; UNIQUE keys), so several instances or a re-run after a
//! crash never mail anything twice, and nothing claimed is ever left unmailed.

use crate::domain::CustomerId;
use crate::domain::CustomerKind;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::app::mail_queue::{self, Outgoing, QueueError};
use crate::app::notices;
use crate::config::NoticeConfig;
use crate::db::customers::Customer;
use crate::db::news::NewsItem;
use crate::db::notice_mails::{self, Horizon, NewNoticeMail};
use crate::db::{self, DbConn};
use crate::domain::notices::Notice;
use crate::mail::{Language, MailKind};

#[derive(Debug, thiserror::Error)]
pub enum NoticeMailError {
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Mail(#[from] QueueError),
    #[error(transparent)]
    Discount(#[from] crate::app::discounts::DiscountError),
}

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeMailReport {
    /// Renewal mails queued (each may list several notices).
    pub renewal_mails: usize,
    /// Notices those mails carried.
    pub notices: usize,
    /// Outage notices mailed, and to how many customers in all.
    pub outages: usize,
    pub outage_recipients: usize,
    /// Claimed by another instance first: nothing done here.
    pub taken_elsewhere: usize,
    /// Discounts by eligibility whose end was announced (`app::discounts::announce_endings`).
    pub discount_endings: usize,
}

impl crate::app::service::QueuesMail for NoticeMailReport {
    fn queued_mail(&self) -> bool {
        self.queued_any()
    }
}

impl NoticeMailReport {
    pub fn queued_any(&self) -> bool {
        self.renewal_mails + self.outage_recipients + self.discount_endings > 0
    }
}

/// A notice as the mail lists it, and its claim key.
#[derive(Debug, Clone, Serialize)]
struct MailedNotice {
    kind: &'static str,
    #[serde(skip)]
    subject_id: i64,
    #[serde(skip)]
    ends: NaiveDate,
    name: String,
    ends_on: String,
    days_left: i64,
    renews: bool,
}

/// The notices that are mailed; overdue invoices and a low balance are not (the first are
/// dunning's, the second has no end date to mail once against).
fn mailable(notice: &Notice) -> Option<MailedNotice> {
    let (kind, subject_id, name, ends, days_left, renews) = match notice {
        Notice::ServiceExpiring {
            service_id,
            name,
            expires_on,
            days_left,
            auto_renew,
        } => (
            "service_expiring",
            *service_id,
            name,
            *expires_on,
            *days_left,
            *auto_renew,
        ),
        Notice::DomainExpiring {
            domain_id,
            name,
            expires_on,
            days_left,
            auto_renew,
        } => (
            "domain_expiring",
            *domain_id,
            name,
            *expires_on,
            *days_left,
            *auto_renew,
        ),
        Notice::ContractEnding {
            contract_id,
            number,
            ends_on,
            days_left,
            continues,
        } => (
            "contract_ending",
            contract_id.0,
            number,
            *ends_on,
            *days_left,
            *continues,
        ),
        Notice::InvoiceOverdue { .. } | Notice::LowBalance { .. } => return None,
    };
    Some(MailedNotice {
        kind,
        subject_id,
        ends,
        name: name.clone(),
        ends_on: ends.format("%d.%m.%Y").to_string(),
        days_left,
        renews,
    })
}

/// One pass: renewal notices of `today`, outage notices published by `now`, and the ends of
/// discounts by eligibility within 14 days.
pub fn run(
    conn: &mut DbConn,
    outgoing: &Outgoing<'_>,
    config: &NoticeConfig,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<NoticeMailReport, NoticeMailError> {
    let mut report = NoticeMailReport::default();
    mail_renewals(conn, outgoing, config, today, now, &mut report)?;
    mail_outages(conn, outgoing, now, &mut report)?;
    report.discount_endings = crate::app::discounts::announce_endings(conn, outgoing, today, now)?;
    Ok(report)
}

/// Renewal and expiry notices not mailed before, one message per customer and pass.
pub fn mail_renewals(
    conn: &mut DbConn,
    outgoing: &Outgoing<'_>,
    config: &NoticeConfig,
    today: NaiveDate,
    now: NaiveDateTime,
    report: &mut NoticeMailReport,
) -> Result<(), NoticeMailError> {
    let horizon = Horizon {
        today,
        services_until: today + Duration::days(config.service_days),
        domains_until: today + Duration::days(config.domain_days),
        contracts_until: today + Duration::days(config.contract_days),
    };
    for customer_id in notice_mails::renewal_candidates(conn, horizon)? {
        match mail_customer(conn, outgoing, config, customer_id, today, now) {
            Ok(0) => {}
            Ok(count) => {
                report.renewal_mails += 1;
                report.notices += count;
            }
            Err(NoticeMailError::Database(error)) if db::is_unique_violation(&error) => {
                report.taken_elsewhere += 1;
            }
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

/// The customer's new notices in one message; how many it carries (0: nothing new, or the
/// customer turned reminders off meanwhile).
fn mail_customer(
    conn: &mut DbConn,
    outgoing: &Outgoing<'_>,
    config: &NoticeConfig,
    customer_id: CustomerId,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<usize, NoticeMailError> {
    db::write_transaction(conn, |conn| {
        let Some(customer) = db::customers::find(conn, customer_id)? else {
            return Ok(0);
        };
        if !customer.notify_reminders {
            return Ok(0);
        }
        let mailed = notice_mails::mailed_to(conn, customer_id)?;
        let fresh: Vec<MailedNotice> = notices::for_customer(conn, customer_id, today, config)?
            .iter()
            .filter_map(mailable)
            .filter(|n| {
                !mailed.iter().any(|(kind, id, ends)| {
                    kind == n.kind && *id == n.subject_id && *ends == n.ends
                })
            })
            .collect();
        if fresh.is_empty() {
            return Ok(0);
        }
        for notice in &fresh {
            notice_mails::record(
                conn,
                &NewNoticeMail {
                    customer_id,
                    kind: notice.kind.into(),
                    subject_id: notice.subject_id,
                    ends_on: notice.ends,
                    mailed_at: now,
                },
            )?;
        }
        let mut context = outgoing.context();
        context.insert("customer_name", &greeting_name(&customer));
        context.insert("notices", &fresh);
        context.insert("link", &outgoing.link("/"));
        mail_queue::queue(
            conn,
            outgoing.templates,
            MailKind::RenewalNotice,
            &customer.email,
            Language::from_code(&customer.language),
            &context,
            now,
        )?;
        Ok(fresh.len())
    })
}

/// A person by name; a company is greeted without one.
fn greeting_name(customer: &Customer) -> Option<String> {
    if customer.kind == CustomerKind::Company {
        return None;
    }
    let name = [
        customer.first_name.as_deref(),
        customer.last_name.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    (!name.is_empty()).then_some(name)
}

/// Every outage or maintenance notice published and not mailed yet, to its area's customers.
pub fn mail_outages(
    conn: &mut DbConn,
    outgoing: &Outgoing<'_>,
    now: NaiveDateTime,
    report: &mut NoticeMailReport,
) -> Result<(), NoticeMailError> {
    for item in notice_mails::unmailed_outages(conn, now)? {
        match mail_outage(conn, outgoing, &item, now) {
            Ok(recipients) => {
                report.outages += 1;
                report.outage_recipients += recipients;
            }
            Err(NoticeMailError::Database(error)) if db::is_unique_violation(&error) => {
                report.taken_elsewhere += 1;
            }
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

fn mail_outage(
    conn: &mut DbConn,
    outgoing: &Outgoing<'_>,
    item: &NewsItem,
    now: NaiveDateTime,
) -> Result<usize, NoticeMailError> {
    db::write_transaction(conn, |conn| {
        let recipients = notice_mails::outage_recipients(conn, item.area.as_deref())?;
        // The claim first: a second instance stops here, before rendering anything.
        notice_mails::claim_outage(conn, item.id, recipients.len() as i64, now)?;
        let local = |at: Option<NaiveDateTime>| {
            at.map(|at| {
                at.and_utc()
                    .with_timezone(&chrono_tz::Europe::Warsaw)
                    .format("%d.%m.%Y %H:%M")
                    .to_string()
            })
        };
        let mut context = outgoing.context();
        context.insert("news_kind", &item.kind);
        context.insert("title", &item.title);
        context.insert("body", &item.body);
        context.insert("starts_at", &local(item.starts_at));
        context.insert("ends_at", &local(item.ends_at));
        context.insert("link", &outgoing.link("/wiadomosci"));
        for customer in &recipients {
            mail_queue::queue(
                conn,
                outgoing.templates,
                MailKind::OutageNotice,
                &customer.email,
                Language::from_code(&customer.language),
                &context,
                now,
            )?;
        }
        Ok(recipients.len())
    })
}
