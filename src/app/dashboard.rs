//! The subscriber's dashboard ("Pulpit"): who they are, what they have, what they owe.

use crate::domain::ContractId;
use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use crate::domain::tickets::TicketStatus;
use crate::domain::{ContractStatus, NewsKind, ServiceStatus};
use chrono::{NaiveDate, NaiveDateTime};

use crate::app::access::{AccessFlags, sees_notice};
use crate::app::news;
use crate::app::news_board::NewsBoard;
use crate::app::{notices, receivables};
use crate::config::NoticeConfig;
use crate::db::DbConn;
use crate::db::customers::overview as customer_overview;
use crate::db::news::OfferBanner;
use crate::domain::Nrb;
use crate::domain::notices::Notice;

/// How many of each list the dashboard shows; the full lists are one click away.
const NOTICES_SHOWN: usize = 5;
const PAYMENTS_SHOWN: usize = 3;
const NEWS_SHOWN: usize = 3;
const TICKETS_SHOWN: usize = 3;

#[derive(Debug, Clone, serde::Serialize)]
pub struct InvoiceLink {
    pub id: InvoiceId,
    pub number: String,
}

/// What the dashboard shows of a payment, a ticket and a news item: the page is rendered
/// thousands of times a second, and every field serialized is work.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PaymentLine {
    pub received_on: NaiveDate,
    pub amount: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct TicketLink {
    pub id: i64,
    pub subject: String,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct NewsLink {
    pub id: i64,
    pub kind: NewsKind,
    pub title: String,
    pub needs_confirmation: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ContractSummary {
    pub id: ContractId,
    pub number: String,
    pub tariff: String,
    pub monthly_fee: i64,
    pub status: ContractStatus,
    pub ends_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Dashboard {
    pub display_name: String,
    pub customer_number: i64,
    /// The customer's own account number for transfers, grouped for reading.
    pub bank_account: String,
    pub active_services: i64,
    pub domains: i64,
    pub unpaid_invoices: i64,
    /// Grosze still due on issued invoices.
    pub amount_due: i64,
    pub overdue_invoices: i64,
    pub open_tickets: i64,
    pub contracts: Vec<ContractSummary>,
    pub notices: Vec<Notice>,
    /// More notices than shown.
    pub more_notices: bool,
    pub recent_payments: Vec<PaymentLine>,
    pub recent_tickets: Vec<TicketLink>,
    pub news: Vec<NewsLink>,
    pub offer: Option<OfferBanner>,
    /// For the "download the last invoice" shortcut.
    pub latest_invoice: Option<InvoiceLink>,
    /// For the "pay" shortcut: the unpaid invoice due first.
    pub first_unpaid_invoice_id: Option<InvoiceId>,
    /// What is overdue, since when, interest so far, the step's deadline and the connection's
    /// flag; read only for a customer with an overdue invoice, so the common page stays one
    /// statement.
    pub dunning: Option<crate::app::dunning::CustomerDunning>,
}

/// When the dashboard is looked at: the date decides notices, the time decides news.
#[derive(Debug, Clone, Copy)]
pub struct At {
    pub today: NaiveDate,
    pub now: NaiveDateTime,
}

/// Everything for the customer `customer_id`, and only for them. The most visited page, so its
/// rows come in one statement (`db::customers::overview`; tiles and notices share them); news and
/// the offer come from the in-memory board, and this customer's confirmations are read only when
/// an urgent item is shown.
pub fn load(
    conn: &mut DbConn,
    customer_id: CustomerId,
    at: At,
    notice_config: &NoticeConfig,
    access: &AccessFlags,
    news_board: &NewsBoard,
) -> diesel::QueryResult<Option<Dashboard>> {
    let today = at.today;
    let state = customer_overview::of_customer(conn, customer_id)?;
    let Some(customer) = &state.customer else {
        return Ok(None);
    };
    let display_name = match (
        &customer.company_name,
        &customer.first_name,
        &customer.last_name,
    ) {
        (Some(company), _, _) => company.clone(),
        (None, first, last) => format!(
            "{} {}",
            first.as_deref().unwrap_or(""),
            last.as_deref().unwrap_or("")
        )
        .trim()
        .to_owned(),
    };
    let board = news_board.current(conn, at.now)?;
    let mut areas: Vec<String> = state
        .contracts
        .iter()
        .map(|c| c.install_city.clone())
        .collect();
    areas.sort();
    areas.dedup();
    let mut notices = notices::from_state(&state, today, notice_config);
    notices.retain(|notice| sees_notice(access, notice));
    let more_notices = notices.len() > NOTICES_SHOWN;
    notices.truncate(NOTICES_SHOWN);
    let money = receivables::from_overview(&state, today);
    let open = money.open();
    // The shortcut offers the newest invoice, not a correction (which is never paid by itself).
    let latest_invoice = state
        .balances
        .iter()
        .filter(|b| b.corrects.is_none())
        .max_by_key(|b| (b.issue_date, b.id))
        .map(|b| InvoiceLink {
            id: b.id,
            number: b.number.clone().unwrap_or_default(),
        });
    let contracts = state
        .contracts
        .iter()
        .map(|contract| ContractSummary {
            id: contract.id,
            number: contract.number.clone(),
            tariff: contract.tariff.clone(),
            monthly_fee: contract.monthly_fee,
            status: contract.status,
            ends_on: contract.ends_on,
        })
        .collect();
    let overdue_invoices = open.iter().filter(|d| d.due_date < today).count() as i64;
    let dunning = if overdue_invoices > 0 {
        Some(crate::app::dunning::of_customer(conn, customer_id, today)?)
    } else {
        None
    };
    Ok(Some(Dashboard {
        dunning,
        display_name,
        customer_number: customer.customer_number,
        bank_account: Nrb::parse(&customer.nrb)
            .map(|nrb| nrb.formatted())
            .unwrap_or_else(|_| customer.nrb.clone()),
        active_services: state
            .services
            .iter()
            .filter(|s| s.status == ServiceStatus::Active)
            .count() as i64,
        domains: state.domains.len() as i64,
        unpaid_invoices: open.len() as i64,
        amount_due: money.standing.owed,
        overdue_invoices,
        open_tickets: state
            .tickets
            .iter()
            .filter(|t| t.status != TicketStatus::Closed)
            .count() as i64,
        contracts,
        notices,
        more_notices,
        first_unpaid_invoice_id: open.first().map(|d| d.invoice_id),
        recent_payments: state
            .payments
            .iter()
            .take(PAYMENTS_SHOWN)
            .map(|p| PaymentLine {
                received_on: p.received_on,
                amount: p.amount,
            })
            .collect(),
        recent_tickets: state
            .tickets
            .iter()
            .take(TICKETS_SHOWN)
            .map(|t| TicketLink {
                id: t.id,
                subject: t.subject.clone(),
                updated_at: t.updated_at,
            })
            .collect(),
        news: news::with_confirmations(
            conn,
            customer_id,
            board.news_for(&areas, at.now, NEWS_SHOWN),
        )?
        .into_iter()
        .map(|view| NewsLink {
            id: view.item.id,
            kind: view.item.kind,
            title: view.item.title,
            needs_confirmation: view.needs_confirmation,
        })
        .collect(),
        offer: board.offer_for(&areas, at.now),
        latest_invoice,
    }))
}
