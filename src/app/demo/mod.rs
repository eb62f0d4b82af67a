//! `ebok demo`: a demo ISP that looks real. A few parts are fixed so documentation and tests can
//! rely on them (the `demo` subscriber, the `admin` staff user, one contract waiting for
//! registration); everything else is generated deterministically from the customer number, in
//! chunks, so 100 000 customers seed in bounded memory and a second run only tops up.

mod bank_statement;
mod billing_extras;
mod billing_history;
mod discounts;
mod fixed;
mod generated;
mod interest_notes;
mod orders;
pub mod people;
pub mod recurring;
mod refunds;
mod rows;
mod staff_queue;
mod tickets;
mod top_ups;
mod traffic;
mod visits;

use crate::domain::ContractId;
use crate::domain::CustomerId;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;

use self::billing_history::{MonthlyCharge, Settlement};
use self::people::{Address, Person};
use crate::app::invoicing::{Invoicing, IssueError, PdfStore};
use crate::app::payments::PaymentError;
use crate::app::{clock, crypto};
use crate::config::{Config, SecurityConfig};
use crate::db::seller::Seller;
use crate::db::tariffs::Tariff;
use crate::db::{self, DbConn};
use crate::domain::{Money, Nip, Pesel, ServiceKind};
use crate::pdf::PdfRenderer;

pub use fixed::{
    ADMIN_LOGIN, ADMIN_PASSWORD, DEMO_CONTRACT, DEMO_LOGIN, DEMO_PASSWORD, UNREGISTERED_CONTRACT,
    UNREGISTERED_EMAIL, UNREGISTERED_PESEL,
};

/// Generated subscribers log in as `klient<customer number>` with this password (one shared hash:
/// hashing 100 000 passwords would take the seeding from minutes to hours).
pub const GENERATED_PASSWORD: &str = "Klient-ebok-2026";
/// Customer numbers 1..=FIXED_CUSTOMERS belong to the fixed demo customers.
const FIXED_CUSTOMERS: i64 = 2;
const CUSTOMERS_PER_TRANSACTION: i64 = 500;

#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// Generated customers wanted in total (beyond the fixed ones).
    pub customers: u32,
    pub show_progress: bool,
    /// Whether the generated customers' past invoices get their PDFs (`--no-pdfs`: not; a
    /// million customers' history would be ~100 GB of files). The fixed demo customers and
    /// everything issued later always get theirs.
    pub pdfs: bool,
}

impl DemoOptions {
    pub fn with_progress(customers: u32) -> DemoOptions {
        DemoOptions {
            customers,
            show_progress: true,
            pdfs: true,
        }
    }

    pub fn quiet(customers: u32) -> DemoOptions {
        DemoOptions {
            customers,
            show_progress: false,
            pdfs: true,
        }
    }

    /// The generated customers' past invoices without their PDFs (`ebok demo --no-pdfs`).
    pub fn without_pdfs(self) -> DemoOptions {
        DemoOptions {
            pdfs: false,
            ..self
        }
    }
}

#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub isp_name: String,
    pub seeded_fixed_now: bool,
    pub generated_now: i64,
    pub customers_total: i64,
    pub elapsed: Duration,
    /// A fresh API token with every scope (only its hash is stored).
    pub api_token: String,
    /// A generated subscriber with an unpaid interest note, when the demo has one.
    pub interest_note_login: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the demo data could not be written: {0}")]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Hash(#[from] crypto::HashError),
    #[error("a demo invoice could not be issued: {0}")]
    Invoice(#[from] IssueError),
    #[error("a demo payment could not be recorded: {0}")]
    Payment(#[from] PaymentError),
    #[error("the invoice fonts could not be prepared: {0}")]
    Pdf(String),
    #[error("a demo order could not be placed: {0}")]
    Orders(String),
    #[error("a demo bank statement could not be imported: {0}")]
    Import(#[from] crate::app::bank_import::ImportError),
    #[error("the demo invoices could not be written to disk: {0}")]
    Storage(#[from] crate::app::invoicing::StorageError),
    #[error("a demo interest note could not be issued: {0}")]
    Note(#[from] crate::app::interest_notes::NoteError),
    #[error("the demo history's documents could not be made: {0}")]
    Documents(#[from] crate::app::billing::BillingError),
}

/// The demo ISP's NIP.
pub const DEMO_SELLER_NIP: &str = "6182007145";

/// Seeds the fixed demo ISP unless present, then tops generated customers up to the number asked.
pub fn seed(
    conn: &mut DbConn,
    config: &Config,
    options: &DemoOptions,
) -> Result<DemoSummary, DemoError> {
    let started = Instant::now();
    let now = clock::now();
    let today = clock::today();
    let seeded_fixed_now = db::seller::find(conn)?.is_none();
    let renderer = PdfRenderer::shared().map_err(DemoError::Pdf)?;
    // Flushed once per transaction below, before it commits.
    let store = PdfStore::deferring(&config.paths.invoices_dir);
    // Demo invoices are not mailed: every customer in the demo is fictional.
    let invoicing = Invoicing {
        renderer: renderer.as_ref(),
        store: &store,
        outgoing: None,
    };
    if seeded_fixed_now {
        let hashes = fixed::FixedPasswordHashes::compute()?;
        db::write_transaction(conn, |conn| {
            fixed::seed(conn, &config.security, &hashes, &invoicing, now, today)?;
            store.flush()?;
            Ok::<_, DemoError>(())
        })?;
    }
    // Each part below is one transaction with its "seeded already?" check inside, so a seeding
    // killed at any point and started again ends as one uninterrupted seeding would
    // (tests/reliability_kill.rs).
    db::write_transaction(conn, |conn| bank_statement::seed(conn, today, now))?;
    // The generated customers' history, with or without its files.
    let history_store = if options.pdfs {
        store.clone()
    } else {
        PdfStore::discarding(&config.paths.invoices_dir)
    };
    let history = Invoicing {
        renderer: renderer.as_ref(),
        store: &history_store,
        outgoing: None,
    };
    let ctx = SeedContext::load(conn, &config.security, history, now, today)?;
    let already = (db::customers::max_customer_number(conn)? - FIXED_CUSTOMERS).max(0);
    let wanted = i64::from(options.customers);
    let progress = progress_bar(options, (wanted - already).max(0));
    // PostgreSQL plans reads from table statistics. A fresh database has none, and where
    // autovacuum is off or behind, per-customer reads become sequential scans that grow with the
    // tables (measured when each customer was seeded one by one: 12 customers/s at 85 000
    // customers, 67/s right after an ANALYZE). The chunks read little back, but the steps after
    // them read per customer, so the statistics are refreshed each time the customers doubled.
    let mut analyzed_at = already.max(250);
    let mut next = already + 1;
    while next <= wanted {
        let last = (next + CUSTOMERS_PER_TRANSACTION - 1).min(wanted);
        db::write_transaction(conn, |conn| {
            generated::seed_chunk(conn, &ctx, FIXED_CUSTOMERS + next..=FIXED_CUSTOMERS + last)
        })?;
        progress.inc((last - next + 1) as u64);
        if last >= 2 * analyzed_at {
            db::refresh_statistics(conn)?;
            analyzed_at = last;
        }
        next = last + 1;
    }
    progress.finish_and_clear();
    db::write_transaction(conn, |conn| -> Result<(), DemoError> {
        staff_queue::seed(conn, now)?;
        Ok(())
    })?;
    db::write_transaction(conn, |conn| -> Result<(), DemoError> {
        visits::seed(conn, now)?;
        Ok(())
    })?;
    db::write_transaction(conn, |conn| -> Result<(), DemoError> {
        top_ups::seed(conn, now)?;
        Ok(())
    })?;
    db::write_transaction(conn, |conn| -> Result<(), DemoError> {
        discounts::seed(conn, config, now, today)?;
        Ok(())
    })?;
    db::write_transaction(conn, |conn| -> Result<(), DemoError> {
        refunds::seed(conn, &invoicing, now)?;
        store.flush()?;
        Ok(())
    })?;
    let interest_note_login = db::write_transaction(conn, |conn| {
        let login = interest_notes::seed(conn, renderer.as_ref(), &store, today, now)?;
        store.flush()?;
        Ok::<_, DemoError>(login)
    })?;
    let invoicing = Invoicing {
        renderer: renderer.as_ref(),
        store: &store,
        outgoing: None,
    };
    db::write_transaction(conn, |conn| {
        orders::seed(conn, &config.security.secrets, &invoicing, today, now)?;
        store.flush()?;
        Ok::<_, DemoError>(())
    })?;
    db::write_transaction(conn, |conn| {
        traffic::seed(conn, now, config.traffic_raw_days)
    })?;
    db::write_transaction(conn, |conn| -> Result<(), DemoError> {
        recurring::seed(conn, today, now)?;
        Ok(())
    })?;
    let api_token =
        db::write_transaction(conn, |conn| crate::app::api::tokens::demo_token(conn, now))?;
    db::refresh_statistics(conn)?;
    Ok(DemoSummary {
        isp_name: ctx.seller.name.clone(),
        seeded_fixed_now,
        generated_now: (wanted - already).max(0),
        customers_total: db::customers::count(conn)?,
        elapsed: started.elapsed(),
        api_token,
        interest_note_login,
    })
}

fn progress_bar(options: &DemoOptions, length: i64) -> ProgressBar {
    if !options.show_progress || length == 0 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(length as u64);
    if let Ok(style) = ProgressStyle::with_template(
        "Seeding customers {bar:40} {pos}/{len} ({per_sec}, {eta} left)",
    ) {
        bar.set_style(style);
    }
    bar
}

impl DemoSummary {
    /// What `ebok demo` prints: where the portal is and how to log in.
    pub fn logins_banner(&self, portal_url: &str) -> String {
        let what = if self.seeded_fixed_now || self.generated_now > 0 {
            format!(
                "seeded {} customers in {:.1} s",
                self.generated_now
                    + if self.seeded_fixed_now {
                        FIXED_CUSTOMERS
                    } else {
                        0
                    },
                self.elapsed.as_secs_f64()
            )
        } else {
            "already seeded".to_owned()
        };
        format!(
            "\ne-BOK demo: {isp} ({total} customers; {what})\n\
             Portal:       {portal_url}\n\
             Subscriber:   {DEMO_LOGIN} / {DEMO_PASSWORD}\n\
             Staff admin:  {ADMIN_LOGIN} / {ADMIN_PASSWORD}   ({portal_url}/staff/login)\n\
             Try registration ({portal_url}/rejestracja) with the contract that has no account yet:\n  \
             contract number  {UNREGISTERED_CONTRACT}\n  \
             PESEL            {UNREGISTERED_PESEL}\n  \
             e-mail           {UNREGISTERED_EMAIL}\n\
             Generated subscribers: klient<customer number> / {GENERATED_PASSWORD} (e.g. klient3,\n  \
             who pays automatically by card: /konto/platnosci-automatyczne){note}\n\
             Mail: without EBOK_SMTP_URL it is written to data/mail/ and its links are printed here.\n\
             API token (every scope; a new one each run):\n  {token}\n  \
             curl -H 'Authorization: Bearer {token}' {portal_url}/api/v1/customers?limit=2\n  \
             reference: {portal_url}/api/v1/docs\n",
            isp = self.isp_name,
            note = match &self.interest_note_login {
                Some(login) => format!(
                    "\n  {login} has an unpaid interest note to pay online (/saldo, \"Zapłać online\")"
                ),
                None => String::new(),
            },
            token = self.api_token,
            total = self.customers_total,
        )
    }
}

/// What every generated customer needs and is read once per run.
struct SeedContext<'k> {
    keys: &'k SecurityConfig,
    seller: Seller,
    tariffs: Vec<Tariff>,
    invoicing: Invoicing<'k>,
    generated_password_hash: String,
    now: NaiveDateTime,
    today: NaiveDate,
}

impl<'k> SeedContext<'k> {
    fn load(
        conn: &mut DbConn,
        keys: &'k SecurityConfig,
        invoicing: Invoicing<'k>,
        now: NaiveDateTime,
        today: NaiveDate,
    ) -> Result<SeedContext<'k>, DemoError> {
        let seller = db::seller::find(conn)?.ok_or(diesel::result::Error::NotFound)?;
        Ok(SeedContext {
            keys,
            seller,
            tariffs: db::tariffs::list_active(conn)?,
            invoicing,
            generated_password_hash: crypto::hash_password(GENERATED_PASSWORD)?,
            now,
            today,
        })
    }
}

/// Who a seeded customer is and how they are connected.
struct CustomerSpec<'a> {
    number: i64,
    person: Person,
    company: Option<(String, Nip)>,
    address: Address,
    email: String,
    phone: Option<String>,
    account: Option<AccountSpec<'a>>,
    contract_number: String,
    tariff: &'a Tariff,
    signed_on: NaiveDate,
    term_months: Option<u32>,
    billing_day: u32,
    ipv4: String,
}

struct AccountSpec<'a> {
    login: String,
    password_hash: &'a str,
}

struct SeededCustomer {
    customer_id: CustomerId,
    contract_id: ContractId,
    internet_service_id: i64,
    display_name: String,
}

/// Inserts the customer, an active account if any, the contract and its internet service with
/// one endpoint: what every demo customer has.
fn insert_customer(
    conn: &mut DbConn,
    keys: &SecurityConfig,
    seller: &Seller,
    spec: &CustomerSpec<'_>,
    rng: &mut StdRng,
    now: NaiveDateTime,
) -> diesel::QueryResult<SeededCustomer> {
    let customer_id = db::customers::insert(conn, &rows::customer(keys, seller, spec, now)?)?;
    if let Some(account) = rows::account(customer_id, spec, now) {
        db::accounts::insert(conn, &account)?;
    }
    let contract_id = db::contracts::insert(conn, &rows::contract(customer_id, spec, now))?;
    let internet_service_id = db::services::insert(
        conn,
        &rows::internet_service(customer_id, contract_id, spec, now),
    )?;
    let secrets = rows::LineSecrets::draw(rng);
    db::services::insert_endpoint(
        conn,
        &rows::endpoint(keys, internet_service_id, spec, &secrets, now),
    )?;
    Ok(SeededCustomer {
        customer_id,
        contract_id,
        internet_service_id,
        display_name: rows::display_name(spec),
    })
}

/// An extra monthly or prepaid service (static IP, TV, hosting).
struct ExtraService<'a> {
    kind: ServiceKind,
    name: &'a str,
    monthly_fee: Money,
    expires_on: Option<NaiveDate>,
    renewal_price: Option<Money>,
}

impl ExtraService<'_> {
    /// What the service adds to each month's invoice.
    fn charge(&self, service_id: i64) -> MonthlyCharge {
        MonthlyCharge {
            name: self.name.into(),
            gross: self.monthly_fee,
            service_id: Some(service_id),
        }
    }
}

fn insert_extra_service(
    conn: &mut DbConn,
    seeded: &SeededCustomer,
    extra: &ExtraService<'_>,
    activated_on: NaiveDate,
    now: NaiveDateTime,
) -> diesel::QueryResult<MonthlyCharge> {
    let service_id = db::services::insert(
        conn,
        &rows::extra_service(
            seeded.customer_id,
            seeded.contract_id,
            extra,
            activated_on,
            now,
        ),
    )?;
    Ok(extra.charge(service_id))
}

/// Three months of invoices and payments through the real invoicing path.
#[allow(clippy::too_many_arguments)]
fn insert_billing_history(
    conn: &mut DbConn,
    invoicing: &Invoicing<'_>,
    spec: &CustomerSpec<'_>,
    seeded: &SeededCustomer,
    charges: &[MonthlyCharge],
    settlements: [Settlement; 3],
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<(), DemoError> {
    let history = billing_history::History {
        customer_id: seeded.customer_id,
        contract_id: seeded.contract_id,
        payer_name: &seeded.display_name,
        is_business: spec.company.is_some(),
        charges,
        billing_day: spec.billing_day,
        signed_on: spec.signed_on,
    };
    billing_history::issue(conn, invoicing, &history, settlements, today, now)
}

fn insert_domain(
    conn: &mut DbConn,
    customer_id: CustomerId,
    name: String,
    expires_on: NaiveDate,
    renewal_price: Money,
    now: NaiveDateTime,
) -> diesel::QueryResult<i64> {
    db::domains::insert(
        conn,
        &rows::domain(customer_id, name, expires_on, renewal_price, now),
    )
}

/// Subscribers sit behind carrier-grade NAT (100.64.0.0/10): a unique address per customer number.
fn cgnat_address(number: i64) -> String {
    let n = number as u32;
    format!(
        "100.{}.{}.{}",
        64 + ((n >> 16) & 63),
        (n >> 8) & 255,
        n & 255
    )
}

/// A PESEL the demo relies on; the constants are checked by a unit test.
fn fixed_pesel(digits: &str) -> Pesel {
    Pesel::parse(digits)
        .unwrap_or_else(|e| panic!("fixed demo PESEL {digits} must be valid: {e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cgnat_addresses_are_unique_and_inside_the_range() {
        let addresses: std::collections::HashSet<_> = (1..200_000).map(cgnat_address).collect();
        assert_eq!(addresses.len(), 199_999);
        assert_eq!(cgnat_address(1), "100.64.0.1");
        assert_eq!(cgnat_address(100_002), "100.65.134.162");
    }

    #[test]
    fn fixed_demo_identities_are_valid() {
        assert_eq!(fixed_pesel(UNREGISTERED_PESEL).last_four(), "3424");
        assert!(crate::domain::ContractNumber::parse(UNREGISTERED_CONTRACT).is_ok());
    }
}
