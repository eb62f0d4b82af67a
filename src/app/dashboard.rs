//! The subscriber's dashboard ("Pulpit"): who they are, what they have, what they owe.

use chrono::{NaiveDate, NaiveDateTime};

use crate::app::news::{self, NewsView};
use crate::config::NoticeConfig;
use crate::db::news::OfferBanner;
use crate::db::payments::Payment;
use crate::db::{self, DbConn};
use crate::domain::notices::Notice;
use crate::domain::{Money, Nrb};

/// How many of each list the dashboard shows; the full lists are one click away.
const NOTICES_SHOWN: usize = 5;
const PAYMENTS_SHOWN: i64 = 3;
const NEWS_SHOWN: i64 = 3;

#[derive(Debug, Clone, serde::Serialize)]
pub struct InvoiceLink {
    pub id: i64,
    pub number: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ContractSummary {
    pub number: String,
    pub tariff: String,
    pub monthly_fee: i64,
    pub status: String,
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
    pub recent_payments: Vec<Payment>,
    pub news: Vec<NewsView>,
    pub offer: Option<OfferBanner>,
    /// For the "download the last invoice" shortcut.
    pub latest_invoice: Option<InvoiceLink>,
    /// For the "pay" shortcut: the unpaid invoice due first.
    pub first_unpaid_invoice_id: Option<i64>,
}

/// When the dashboard is looked at: the date decides notices, the time decides news.
#[derive(Debug, Clone, Copy)]
pub struct At {
    pub today: NaiveDate,
    pub now: NaiveDateTime,
}

/// Everything for the customer `customer_id`, and only for them.
pub fn load(
    conn: &mut DbConn,
    customer_id: i64,
    at: At,
    notice_config: &NoticeConfig,
) -> diesel::QueryResult<Option<Dashboard>> {
    let today = at.today;
    let Some(customer) = db::customers::find(conn, customer_id)? else {
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
    let outstanding: Vec<_> = db::invoices::balances_of_customer(conn, customer_id)?
        .into_iter()
        .filter(|(_, _, gross, paid)| gross > paid)
        .collect();
    let amount_due: Money = outstanding
        .iter()
        .map(|(_, _, gross, paid)| Money::from_grosze(gross - paid))
        .sum();
    let first_unpaid_invoice_id = outstanding
        .iter()
        .min_by_key(|(id, due, _, _)| (*due, *id))
        .map(|(id, _, _, _)| *id);
    let contract_rows = db::contracts::of_customer(conn, customer_id)?;
    let mut areas: Vec<String> = contract_rows
        .iter()
        .map(|(c, _)| c.install_city.clone())
        .collect();
    areas.dedup();
    let mut notices = crate::app::notices::for_customer(conn, customer_id, today, notice_config)?;
    let more_notices = notices.len() > NOTICES_SHOWN;
    notices.truncate(NOTICES_SHOWN);
    let contracts = contract_rows
        .into_iter()
        .map(|(contract, tariff)| ContractSummary {
            number: contract.number,
            tariff: tariff.name,
            monthly_fee: contract.monthly_fee,
            status: contract.status,
            ends_on: contract.ends_on,
        })
        .collect();
    Ok(Some(Dashboard {
        display_name,
        customer_number: customer.customer_number,
        bank_account: Nrb::parse(&customer.nrb)
            .map(|nrb| nrb.formatted())
            .unwrap_or(customer.nrb),
        active_services: db::services::count_active(conn, customer_id)?,
        domains: db::domains::count_of_customer(conn, customer_id)?,
        unpaid_invoices: outstanding.len() as i64,
        amount_due: amount_due.grosze(),
        overdue_invoices: outstanding
            .iter()
            .filter(|(_, due, _, _)| *due < today)
            .count() as i64,
        open_tickets: db::tickets::count_open(conn, customer_id)?,
        contracts,
        notices,
        more_notices,
        recent_payments: db::payments::recent_of_customer(conn, customer_id, PAYMENTS_SHOWN)?,
        news: news::for_customer_in(conn, customer_id, &areas, at.now, NEWS_SHOWN)?,
        offer: db::news::current_offer(conn, &areas, at.now)?,
        latest_invoice: db::invoices::latest_of_customer(conn, customer_id)?.map(|invoice| {
            InvoiceLink {
                id: invoice.id,
                number: invoice.number.unwrap_or_default(),
            }
        }),
        first_unpaid_invoice_id,
    }))
}
