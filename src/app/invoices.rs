//! What a subscriber sees of their invoices and payments: every read takes the customer id from
//! the session, so nobody reaches another customer's documents.

use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use crate::domain::InvoiceKind;
use crate::domain::InvoiceStatus;
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use crate::app::invoicing::PdfStore;
use crate::app::receivables::{self, Receivables};
use crate::db::invoices::{Invoice, InvoiceLine};
use crate::db::payments::Payment;
use crate::db::{self, DbConn};
use crate::domain::{Money, Nip, Nrb, PaymentQr, amount_in_words};

/// Where an invoice stands, from its payment allocations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    Unpaid,
    PartlyPaid,
    Overdue,
    Paid,
    /// A correction that lowers what was due, or an invoice corrected to nothing: nothing to
    /// pay.
    Credit,
    /// A correction that raises what is due: paid with the invoice it corrects, not by itself.
    Correction,
}

impl PaymentStatus {
    pub fn parse(text: &str) -> Option<PaymentStatus> {
        match text {
            "unpaid" => Some(PaymentStatus::Unpaid),
            "partly_paid" => Some(PaymentStatus::PartlyPaid),
            "overdue" => Some(PaymentStatus::Overdue),
            "paid" => Some(PaymentStatus::Paid),
            "credit" => Some(PaymentStatus::Credit),
            "correction" => Some(PaymentStatus::Correction),
            _ => None,
        }
    }

    fn of(gross: i64, paid: i64, due: NaiveDate, today: NaiveDate) -> PaymentStatus {
        if gross <= 0 {
            PaymentStatus::Credit
        } else if paid >= gross {
            PaymentStatus::Paid
        } else if due < today {
            PaymentStatus::Overdue
        } else if paid > 0 {
            PaymentStatus::PartlyPaid
        } else {
            PaymentStatus::Unpaid
        }
    }

    pub fn needs_payment(self) -> bool {
        matches!(
            self,
            PaymentStatus::Unpaid | PaymentStatus::PartlyPaid | PaymentStatus::Overdue
        )
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct InvoiceRow {
    pub id: InvoiceId,
    pub number: String,
    pub kind: InvoiceKind,
    pub issue_date: NaiveDate,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub due_date: NaiveDate,
    pub total_gross: i64,
    /// For an invoice: what it is for after its corrections (equal to `total_gross` when it
    /// has none). For a correction: its own amount.
    pub corrected_gross: i64,
    pub paid: i64,
    pub outstanding: i64,
    pub status: PaymentStatus,
    pub has_pdf: bool,
    /// Its way to KSeF as the subscriber sees it; `None` when it does not go to KSeF.
    pub ksef: Option<crate::app::ksef::SubscriberKsef>,
}

#[derive(Debug, Clone, Default)]
pub struct InvoiceFilter {
    pub year: Option<i32>,
    pub status: Option<PaymentStatus>,
}

fn rows(invoices: Vec<Invoice>, money: &Receivables, today: NaiveDate) -> Vec<InvoiceRow> {
    invoices
        .into_iter()
        .map(|invoice| {
            // What an invoice owes comes from `domain::receivables`: its corrections folded in.
            // A correction shows its own amount and is never paid by itself.
            let (corrected_gross, paid, outstanding, status) = match money
                .debt_of(invoice.id)
                .filter(|_| money.is_invoice(invoice.id))
            {
                Some(debt) => (
                    debt.corrected_gross(),
                    debt.allocated.min(debt.corrected_gross().max(0)),
                    debt.outstanding(),
                    PaymentStatus::of(debt.corrected_gross(), debt.allocated, debt.due_date, today),
                ),
                None => (
                    invoice.total_gross,
                    0,
                    0,
                    if invoice.total_gross > 0 {
                        PaymentStatus::Correction
                    } else {
                        PaymentStatus::Credit
                    },
                ),
            };
            InvoiceRow {
                id: invoice.id,
                number: invoice.number.unwrap_or_default(),
                kind: invoice.kind,
                issue_date: invoice.issue_date,
                period_start: invoice.period_start,
                period_end: invoice.period_end,
                due_date: invoice.due_date,
                total_gross: invoice.total_gross,
                corrected_gross,
                paid,
                outstanding,
                status,
                has_pdf: invoice.pdf_path.is_some(),
                ksef: None,
            }
        })
        .collect()
}

/// The rows of any customers' invoices, in the order given, with what each owes (for the API).
pub fn payment_rows(
    conn: &mut DbConn,
    invoices: Vec<Invoice>,
    today: NaiveDate,
) -> diesel::QueryResult<Vec<InvoiceRow>> {
    let mut money: HashMap<CustomerId, Receivables> = HashMap::new();
    let mut out = Vec::with_capacity(invoices.len());
    for invoice in invoices {
        let customer_id = invoice.customer_id;
        let of_customer = match money.entry(customer_id) {
            std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(receivables::of_customer(conn, customer_id, today)?)
            }
        };
        out.extend(rows(vec![invoice], of_customer, today));
    }
    crate::app::ksef::mark_rows(conn, &mut out)?;
    Ok(out)
}

/// All the customer's invoices: those still to pay first (earliest due first), then the rest,
/// newest first.
pub fn list(
    conn: &mut DbConn,
    customer_id: CustomerId,
    filter: &InvoiceFilter,
    today: NaiveDate,
) -> diesel::QueryResult<InvoiceList> {
    let money = receivables::of_customer(conn, customer_id, today)?;
    let all = rows(
        db::invoices::issued_of_customer(conn, customer_id)?,
        &money,
        today,
    );
    let mut years: Vec<i32> = all.iter().map(|r| r.issue_date.year()).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let mut shown: Vec<InvoiceRow> = all
        .into_iter()
        .filter(|r| filter.year.is_none_or(|y| r.issue_date.year() == y))
        .filter(|r| filter.status.is_none_or(|s| r.status == s))
        .collect();
    crate::app::ksef::mark_rows(conn, &mut shown)?;
    shown.sort_by(|a, b| {
        b.status
            .needs_payment()
            .cmp(&a.status.needs_payment())
            .then_with(|| {
                if a.status.needs_payment() {
                    a.due_date.cmp(&b.due_date)
                } else {
                    b.issue_date.cmp(&a.issue_date)
                }
            })
            .then_with(|| b.id.cmp(&a.id))
    });
    Ok(InvoiceList {
        invoices: shown,
        years,
        to_pay: money.standing.owed,
        credit: money.standing.credit,
    })
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct InvoiceList {
    pub invoices: Vec<InvoiceRow>,
    pub years: Vec<i32>,
    /// What the customer owes on all their invoices (whatever the filter shows).
    pub to_pay: i64,
    /// Paid and held by no invoice.
    pub credit: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct AllocatedPayment {
    pub received_on: NaiveDate,
    pub amount: i64,
    pub title: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct InvoiceDetail {
    pub row: InvoiceRow,
    pub invoice: InvoiceSummary,
    pub lines: Vec<InvoiceLineView>,
    pub payments: Vec<AllocatedPayment>,
    pub corrects: Option<(InvoiceId, String)>,
    pub amount_in_words: String,
}

/// The parts of the stored invoice a page shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InvoiceSummary {
    pub seller_name: String,
    pub buyer_name: String,
    pub buyer_address: String,
    pub buyer_nip: Option<String>,
    pub total_net: i64,
    pub total_vat: i64,
    pub total_gross: i64,
    pub bank_account: String,
    pub correction_reason: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct InvoiceLineView {
    pub position: i32,
    pub side: String,
    pub name: String,
    pub unit: String,
    pub quantity: String,
    pub unit_price: i64,
    pub net: i64,
    pub vat_rate: String,
    pub vat: i64,
    pub gross: i64,
}

fn line_view(line: InvoiceLine) -> InvoiceLineView {
    InvoiceLineView {
        position: line.position,
        side: line.side,
        name: line.name,
        unit: line.unit,
        quantity: line.quantity.replace('.', ","),
        unit_price: line.unit_price,
        net: line.net,
        vat_rate: crate::domain::VatRate::parse(&line.vat_rate)
            .map(|r| r.label_pl().to_owned())
            .unwrap_or(line.vat_rate),
        vat: line.vat,
        gross: line.gross,
    }
}

pub fn detail(
    conn: &mut DbConn,
    customer_id: CustomerId,
    invoice_id: InvoiceId,
    today: NaiveDate,
) -> diesel::QueryResult<Option<InvoiceDetail>> {
    let Some(invoice) = db::invoices::find_of_customer(conn, customer_id, invoice_id)?
        .filter(|i| i.status == InvoiceStatus::Issued)
    else {
        return Ok(None);
    };
    let allocations = db::payments::allocations_to_invoice(conn, customer_id, invoice_id)?;
    let money = receivables::of_customer(conn, customer_id, today)?;
    let corrects = match invoice.corrects_invoice_id {
        Some(id) => db::invoices::find_of_customer(conn, customer_id, id)?
            .map(|o| (o.id, o.number.unwrap_or_default())),
        None => None,
    };
    let summary = InvoiceSummary {
        seller_name: invoice.seller_name.clone(),
        buyer_name: invoice.buyer_name.clone(),
        buyer_address: format!(
            "{}, {} {}",
            invoice.buyer_address_line, invoice.buyer_postal_code, invoice.buyer_city
        ),
        buyer_nip: invoice.buyer_nip.as_deref().map(|n| {
            Nip::parse(n)
                .map(|n| n.formatted())
                .unwrap_or_else(|_| n.to_owned())
        }),
        total_net: invoice.total_net,
        total_vat: invoice.total_vat,
        total_gross: invoice.total_gross,
        bank_account: Nrb::parse(&invoice.bank_account)
            .map(|n| n.formatted())
            .unwrap_or_else(|_| invoice.bank_account.clone()),
        correction_reason: invoice.correction_reason.clone(),
    };
    let words = amount_in_words(Money::from_grosze(invoice.total_gross.abs()));
    let lines = db::invoices::lines_of(conn, invoice_id)?
        .into_iter()
        .map(line_view)
        .collect();
    let mut shown = rows(vec![invoice], &money, today);
    crate::app::ksef::mark_rows(conn, &mut shown)?;
    let Some(row) = shown.pop() else {
        return Ok(None);
    };
    Ok(Some(InvoiceDetail {
        row,
        invoice: summary,
        lines,
        payments: allocations
            .into_iter()
            .map(|(payment, amount)| AllocatedPayment {
                received_on: payment.received_on,
                amount,
                title: payment.title,
            })
            .collect(),
        corrects,
        amount_in_words: words,
    }))
}

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("the stored invoice file cannot be served: {0}")]
    Storage(String),
    /// A past demo invoice seeded with `ebok demo --no-pdfs`: recorded without its document.
    #[error("the demo invoice's document is not stored")]
    NotStored,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// The stored PDF of the customer's invoice, checked against its hash; never re-rendered.
pub fn pdf(
    conn: &mut DbConn,
    store: &PdfStore,
    customer_id: CustomerId,
    invoice_id: InvoiceId,
) -> Result<Option<(String, Vec<u8>)>, DocumentError> {
    let Some(invoice) = db::invoices::find_of_customer(conn, customer_id, invoice_id)? else {
        return Ok(None);
    };
    let Some(number) = invoice.number else {
        return Ok(None);
    };
    let (Some(path), Some(sha)) = (invoice.pdf_path, invoice.pdf_sha256) else {
        return Err(DocumentError::NotStored);
    };
    // Once KSeF has numbered the invoice, its visualisation with the number under KOD I is
    // the one to hand out (see app::ksef::visualisation); the issue-time file stays as issued.
    let (path, sha) = db::ksef::numbered_pdf(conn, invoice_id)?.unwrap_or((path, sha));
    let bytes = store
        .read_verified(&path, &sha)
        .map_err(|e| DocumentError::Storage(e.to_string()))?;
    Ok(Some((format!("{}.pdf", number.replace('/', "_")), bytes)))
}

/// What the PDF link of an invoice hands out.
pub enum Document {
    Pdf {
        name: String,
        bytes: Vec<u8>,
    },
    /// A past demo invoice seeded with `ebok demo --no-pdfs`: there is no file to hand out.
    NotStored,
}

/// The customer's invoice document: its stored PDF, or word that the demo did not store one.
pub fn document(
    conn: &mut DbConn,
    store: &PdfStore,
    customer_id: CustomerId,
    invoice_id: InvoiceId,
) -> Result<Option<Document>, DocumentError> {
    match pdf(conn, store, customer_id, invoice_id) {
        Ok(found) => Ok(found.map(|(name, bytes)| Document::Pdf { name, bytes })),
        Err(DocumentError::NotStored) => Ok(Some(Document::NotStored)),
        Err(other) => Err(other),
    }
}

/// Several PDFs as one ZIP; ids that are not the customer's are skipped.
pub fn pdf_zip(
    conn: &mut DbConn,
    store: &PdfStore,
    customer_id: CustomerId,
    invoice_ids: &[InvoiceId],
) -> Result<Option<Vec<u8>>, DocumentError> {
    use std::io::Write;
    let mut buffer = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buffer);
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut added = 0;
    for id in invoice_ids.iter().take(100) {
        let found = match pdf(conn, store, customer_id, *id) {
            // A demo invoice without its document is left out, as it has no checkbox.
            Err(DocumentError::NotStored) => None,
            other => other?,
        };
        if let Some((name, bytes)) = found {
            zip.start_file(name, options)
                .map_err(|e| DocumentError::Storage(e.to_string()))?;
            zip.write_all(&bytes)
                .map_err(|e| DocumentError::Storage(e.to_string()))?;
            added += 1;
        }
    }
    zip.finish()
        .map_err(|e| DocumentError::Storage(e.to_string()))?;
    Ok((added > 0).then(|| buffer.into_inner()))
}

/// How to pay an invoice by transfer, with the ZBP QR code for banking apps.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PaymentInstructions {
    pub invoice_id: InvoiceId,
    pub number: String,
    pub payee: String,
    pub account: String,
    pub title: String,
    pub amount: i64,
    pub qr_svg: Option<String>,
}

pub fn payment_instructions(
    conn: &mut DbConn,
    customer_id: CustomerId,
    invoice_id: InvoiceId,
    today: NaiveDate,
) -> diesel::QueryResult<Option<PaymentInstructions>> {
    let Some(detail) = detail(conn, customer_id, invoice_id, today)? else {
        return Ok(None);
    };
    let Some(invoice) = db::invoices::find_of_customer(conn, customer_id, invoice_id)? else {
        return Ok(None);
    };
    let account = Nrb::parse(&invoice.bank_account).ok();
    let amount = detail.row.outstanding;
    let qr_svg = account.as_ref().filter(|_| amount > 0).and_then(|account| {
        let payload = PaymentQr {
            payee_nip: Nip::parse(&invoice.seller_nip).ok(),
            account: account.clone(),
            amount: Money::from_grosze(amount),
            payee_name: invoice.seller_name.clone(),
            title: detail.row.number.clone(),
        }
        .payload()
        .ok()?;
        let code =
            qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::L)
                .ok()?;
        Some(
            code.render::<qrcode::render::svg::Color>()
                .min_dimensions(220, 220)
                .build(),
        )
    });
    Ok(Some(PaymentInstructions {
        invoice_id,
        number: detail.row.number.clone(),
        payee: invoice.seller_name,
        account: account
            .map(|a| a.formatted())
            .unwrap_or(invoice.bank_account),
        title: detail.row.number,
        amount,
        qr_svg,
    }))
}

/// One line of the ledger: an invoice (charge) or a payment (credit), with the running balance.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LedgerEntry {
    pub date: NaiveDate,
    /// Polish, for the statement PDF; pages build theirs from `kind` and `reference`.
    pub description: String,
    /// "invoice", "correction", "payment", "lapse" (top-up value that lapsed unused) or
    /// "refund" (overpaid money sent back on a correction).
    pub kind: &'static str,
    /// The invoice number, or the payment's transfer title.
    pub reference: Option<String>,
    pub invoice_id: Option<InvoiceId>,
    pub charge: i64,
    pub payment: i64,
    /// What the customer owes after this entry (negative: credit).
    pub balance: i64,
    /// "FV/2026/10/000001 (59,99 zł)", for the statement PDF.
    pub settles: Vec<String>,
    /// The same as data, for pages that format money in their own language.
    pub allocations: Vec<Allocation>,
}

/// The part of a payment allocated to one invoice.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Allocation {
    pub number: String,
    pub amount: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Ledger {
    pub entries: Vec<LedgerEntry>,
    /// Owed now (negative: overpaid, credit for the next invoice). Always `owed − credit`.
    pub balance: i64,
    /// What the invoices still owe (`domain::receivables`).
    pub owed: i64,
    pub credit: i64,
    pub opening_balance: i64,
}

/// `/saldo`: the ledger for the chosen dates and where the customer stands with dunning
/// (what is overdue, the interest so far, the current step and its deadline).
pub fn balance_page(
    conn: &mut DbConn,
    customer_id: CustomerId,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    today: NaiveDate,
) -> diesel::QueryResult<(Ledger, crate::app::dunning::CustomerDunning)> {
    let ledger = ledger(conn, customer_id, from, to)?;
    let dunning = crate::app::dunning::of_customer(conn, customer_id, today)?;
    Ok((ledger, dunning))
}

/// The ledger between two dates (inclusive), newest entries last, with the balance brought
/// forward from before `from`.
pub fn ledger(
    conn: &mut DbConn,
    customer_id: CustomerId,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> diesel::QueryResult<Ledger> {
    let invoices = db::invoices::issued_of_customer(conn, customer_id)?;
    let payments: Vec<Payment> = db::payments::of_customer(conn, customer_id)?;
    let mut settled: HashMap<i64, Vec<Allocation>> = HashMap::new();
    for (payment_id, number, amount) in db::payments::allocations_of_customer(conn, customer_id)? {
        settled.entry(payment_id).or_default().push(Allocation {
            number: number.unwrap_or_default(),
            amount,
        });
    }
    let mut events: Vec<(NaiveDate, u8, i64, LedgerEntry)> = Vec::new();
    for invoice in &invoices {
        let (kind, label) = if invoice.kind == InvoiceKind::Correction {
            ("correction", "Faktura korygująca")
        } else {
            ("invoice", "Faktura")
        };
        events.push((
            invoice.issue_date,
            0,
            invoice.id.0,
            LedgerEntry {
                date: invoice.issue_date,
                description: format!("{label} {}", invoice.number.clone().unwrap_or_default()),
                kind,
                reference: invoice.number.clone(),
                invoice_id: Some(invoice.id),
                charge: invoice.total_gross,
                payment: 0,
                balance: 0,
                settles: Vec::new(),
                allocations: Vec::new(),
            },
        ));
    }
    for payment in &payments {
        let allocations = settled.remove(&payment.id).unwrap_or_default();
        events.push((
            payment.received_on,
            1,
            payment.id,
            LedgerEntry {
                date: payment.received_on,
                description: format!(
                    "Wpłata{}",
                    payment
                        .title
                        .as_deref()
                        .map(|t| format!(": {t}"))
                        .unwrap_or_default()
                ),
                kind: "payment",
                reference: payment.title.clone(),
                invoice_id: None,
                charge: 0,
                payment: payment.amount,
                balance: 0,
                settles: allocations
                    .iter()
                    .map(|a| format!("{} ({})", a.number, Money::from_grosze(a.amount)))
                    .collect(),
                allocations,
            },
        ));
    }
    // Top-up value that lapsed unused: shown as its own entry the day after its last day, so
    // the balance says where the credit went.
    for lapsed in db::top_ups::expiring_of_customer(conn, customer_id)? {
        let Some(amount) = lapsed.expired_amount.filter(|a| *a > 0) else {
            continue;
        };
        let date = lapsed.expires_on.succ_opt().unwrap_or(lapsed.expires_on);
        events.push((
            date,
            2,
            lapsed.payment_id,
            LedgerEntry {
                date,
                description: "Wygaśnięcie niewykorzystanego doładowania".into(),
                kind: "lapse",
                reference: None,
                invoice_id: None,
                charge: amount,
                payment: 0,
                balance: 0,
                settles: Vec::new(),
                allocations: Vec::new(),
            },
        ));
    }
    // Overpaid money refunded on a correction: it leaves the customer's credit the day the
    // correction chose it.
    let numbers: HashMap<InvoiceId, String> = invoices
        .iter()
        .map(|i| (i.id, i.number.clone().unwrap_or_default()))
        .collect();
    for refund in db::refunds::of_customer(conn, customer_id)? {
        let date = refund.created_at.date();
        let correction = numbers
            .get(&refund.correction_id)
            .cloned()
            .unwrap_or_default();
        events.push((
            date,
            3,
            refund.id,
            LedgerEntry {
                date,
                description: format!("Zwrot nadpłaty na rachunek (korekta {correction})"),
                kind: "refund",
                reference: Some(correction),
                invoice_id: Some(refund.correction_id),
                charge: refund.amount,
                payment: 0,
                balance: 0,
                settles: Vec::new(),
                allocations: Vec::new(),
            },
        ));
    }
    events.sort_by_key(|(date, order, id, _)| (*date, *order, *id));
    let mut running = 0;
    let mut opening_balance = 0;
    let mut entries = Vec::new();
    for (date, _, _, mut entry) in events {
        running += entry.charge - entry.payment;
        entry.balance = running;
        if from.is_some_and(|f| date < f) {
            opening_balance = running;
            continue;
        }
        if to.is_some_and(|t| date > t) {
            continue;
        }
        entries.push(entry);
    }
    let money = receivables::of_customer(conn, customer_id, crate::app::clock::today())?;
    Ok(Ledger {
        entries,
        balance: running,
        owed: money.standing.owed,
        credit: money.standing.credit,
        opening_balance,
    })
}
