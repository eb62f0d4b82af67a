//! Issuing invoices and corrective invoices.
//!
//! Everything happens in one write transaction: the number is taken from the counter row, the
//! invoice and its lines are written, the PDF is rendered from what was written and stored, and
//! the e-mail (for customers with e-invoice consent) is queued. A failure anywhere rolls the
//! number back, so the series stays gapless.

use crate::domain::ContractId;
use crate::domain::CustomerId;
use crate::domain::CustomerKind;
use crate::domain::Delivery;
use crate::domain::InvoiceId;
use crate::domain::InvoiceKind;
use crate::domain::InvoiceStatus;
use crate::domain::MailStatus;
use crate::domain::{PayuRefundState, RefundStatus};
use chrono::{Days, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde_json::json;

use super::storage::{PdfStore, StorageError};
use super::view::{Original, ViewError, invoice_view};
use crate::app::audit::{self, Actor};
use crate::app::mail_queue::{Outgoing, QueueError};
use crate::app::receivables::Receivables;
use crate::db::customers::Customer;
use crate::db::invoices::{Invoice, NewInvoice, NewInvoiceLine};
use crate::db::outbox::NewOutboxMessage;
use crate::db::refunds::{NewPayuRefund, NewRefund};
use crate::db::seller::Seller;
use crate::db::{self, DbConn};
use crate::domain::billing::BillingPeriod;
use crate::domain::numbering::{NumberTemplate, NumberingError, ResetPeriod, period_key};
use crate::domain::receivables::{CorrectionEffect, Overpaid};
use crate::domain::subscription_periods::InvoicedBy;
use crate::domain::vat::{self, InvoiceTotals, LineInput, PriceKind, VatError, VatRate};
use crate::domain::{Money, Nip, Nrb};
use crate::pdf::PdfRenderer;

/// What issuing needs besides the database: the renderer, where PDFs go, and mail set-up for
/// e-invoices (None: every invoice goes on paper, e.g. in a batch without mail).
pub struct Invoicing<'a> {
    pub renderer: &'a PdfRenderer,
    pub store: &'a PdfStore,
    pub outgoing: Option<Outgoing<'a>>,
}

#[derive(Debug, Clone)]
pub struct LineRequest {
    pub name: String,
    pub unit: String,
    pub quantity: Decimal,
    /// Gross for consumers, net for businesses (see `PriceKind::for_buyer`).
    pub unit_price: Money,
    pub rate: VatRate,
    pub service_id: Option<i64>,
    /// Set on the line that bills `service_id`'s subscription fee for this period: the period is
    /// then recorded as invoiced (`domain::subscription_periods`), and refused when it already is.
    pub subscription: Option<BillingPeriod>,
}

#[derive(Debug, Clone)]
pub struct IssueRequest {
    pub customer_id: CustomerId,
    pub contract_id: Option<ContractId>,
    pub series_code: String,
    pub issue_date: NaiveDate,
    pub sale_date: Option<NaiveDate>,
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub payment_days: u64,
    pub lines: Vec<LineRequest>,
    /// Goods from załącznik 15 on the invoice (phones, laptops): with a business buyer and more
    /// than 15 000 zł due, the split-payment note is required (art. 106e ust. 1 pkt 18a).
    pub annex_15_goods: bool,
    /// Which path issues it, recorded with the subscriptions it bills.
    pub invoiced_by: InvoicedBy,
    pub actor: Actor,
}

#[derive(Debug, Clone)]
pub struct CorrectionRequest {
    pub original_id: InvoiceId,
    pub series_code: String,
    pub issue_date: NaiveDate,
    pub reason: String,
    /// The lines as they should have been.
    pub lines: Vec<LineRequest>,
    pub payment_days: u64,
    pub actor: Actor,
    /// What becomes of the part the customer had already paid, when the correction lowers
    /// an invoice: credit, or a refund to `refund_account`.
    pub overpaid: Overpaid,
    /// The customer's account (26 digits) for a refund; needed when one is chosen.
    pub refund_account: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Issued {
    pub invoice_id: InvoiceId,
    pub number: String,
    pub total_gross: Money,
    pub delivery: Delivery,
}

#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error("the seller (ISP) is not set up")]
    NoSeller,
    #[error("there is no such customer")]
    NoCustomer,
    #[error("the customer has no address; an invoice must name the buyer's address")]
    NoAddress,
    #[error("the company's NIP is missing or invalid")]
    InvalidNip,
    #[error("there is no numbering series \"{0}\"")]
    NoSeries(String),
    #[error("the numbering series is misconfigured: {0}")]
    Numbering(#[from] NumberingError),
    #[error("the lines do not make a valid invoice: {0}")]
    Lines(#[from] VatError),
    #[error("there is no such invoice to correct")]
    NoOriginal,
    #[error("a correction needs a reason")]
    NoReason,
    #[error("the correction changes nothing")]
    NothingChanges,
    #[error("a refund needs the customer's valid account number")]
    NoRefundAccount,
    #[error("the subscription for {period} is invoiced already ({number})")]
    AlreadyInvoiced { period: String, number: String },
    #[error(transparent)]
    View(#[from] ViewError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Mail(#[from] QueueError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// The buyer as the invoice names them; checks what the law needs.
pub(crate) struct Buyer {
    pub(crate) name: String,
    pub(crate) nip: Option<String>,
    pub(crate) address_line: String,
    pub(crate) postal_code: String,
    pub(crate) city: String,
}

pub(crate) fn buyer_of(customer: &Customer) -> Result<Buyer, IssueError> {
    if [
        &customer.address_line,
        &customer.postal_code,
        &customer.city,
    ]
    .iter()
    .any(|part| part.trim().is_empty())
    {
        return Err(IssueError::NoAddress);
    }
    let (name, nip) = if invoiced_with_nip(customer) {
        let nip = customer
            .nip
            .as_deref()
            .and_then(|nip| Nip::parse(nip).ok())
            .ok_or(IssueError::InvalidNip)?;
        (
            customer.company_name.clone().unwrap_or_default(),
            Some(nip.as_str().to_owned()),
        )
    } else {
        let name = format!(
            "{} {}",
            customer.first_name.as_deref().unwrap_or(""),
            customer.last_name.as_deref().unwrap_or("")
        );
        (name.trim().to_owned(), None)
    };
    if name.is_empty() {
        return Err(IssueError::NoCustomer);
    }
    Ok(Buyer {
        name,
        nip,
        address_line: customer.address_line.clone(),
        postal_code: customer.postal_code.clone(),
        city: customer.city.clone(),
    })
}

pub(crate) fn inputs(lines: &[LineRequest]) -> Vec<LineInput> {
    lines
        .iter()
        .map(|l| LineInput {
            name: l.name.clone(),
            quantity: l.quantity,
            unit_price: l.unit_price,
            rate: l.rate,
        })
        .collect()
}

/// An active series, its template and when its numbers start again.
fn numbering_of(
    conn: &mut DbConn,
    series_code: &str,
) -> Result<(i64, NumberTemplate, ResetPeriod), IssueError> {
    let series = db::invoices::find_series_by_code(conn, series_code)?
        .filter(|s| s.active)
        .ok_or_else(|| IssueError::NoSeries(series_code.to_owned()))?;
    let template = NumberTemplate::parse(&series.template)?;
    let reset = ResetPeriod::parse(&series.reset_period)?;
    template.check_fits(reset)?;
    Ok((series.id, template, reset))
}

/// The next number of a series for an issue date, taken inside the caller's transaction.
fn next_number(
    conn: &mut DbConn,
    series_code: &str,
    issue_date: NaiveDate,
) -> Result<(i64, String, i64, String), IssueError> {
    let (series_id, template, reset) = numbering_of(conn, series_code)?;
    let key = period_key(issue_date, reset);
    let seq = db::invoices::next_seq(conn, series_id, &key)?;
    Ok((
        series_id,
        key,
        seq,
        template.render(issue_date, seq.max(0) as u64),
    ))
}

/// Numbers for invoices issued in this order on these dates, as many [`next_number`] calls in
/// a row would give them, with one counter update per period key: for bulk loads that write
/// the invoices themselves inside the caller's transaction (which holds the counter rows until
/// it commits, so the series stays gapless).
pub(crate) fn reserve_numbers(
    conn: &mut DbConn,
    series_code: &str,
    issue_dates: &[NaiveDate],
) -> Result<Vec<(i64, String, i64, String)>, IssueError> {
    let (series_id, template, reset) = numbering_of(conn, series_code)?;
    let keys: Vec<String> = issue_dates.iter().map(|d| period_key(*d, reset)).collect();
    let mut wanted: std::collections::BTreeMap<&str, i64> = std::collections::BTreeMap::new();
    for key in &keys {
        *wanted.entry(key.as_str()).or_default() += 1;
    }
    // In key order, so two bulk writers lock the counter rows in the same order.
    let mut next: std::collections::BTreeMap<&str, i64> = std::collections::BTreeMap::new();
    for (key, count) in wanted {
        next.insert(key, db::billing::reserve_seqs(conn, series_id, key, count)?);
    }
    Ok(issue_dates
        .iter()
        .zip(&keys)
        .map(|(date, key)| {
            let seq = next.get(key.as_str()).copied().unwrap_or_default();
            next.insert(key.as_str(), seq + 1);
            (
                series_id,
                key.clone(),
                seq,
                template.render(*date, seq.max(0) as u64),
            )
        })
        .collect())
}

pub(crate) fn line_rows(
    invoice_id: InvoiceId,
    lines: &[LineRequest],
    totals: &InvoiceTotals,
    method: PriceKind,
    side: &str,
    first_position: i32,
) -> Vec<NewInvoiceLine> {
    lines
        .iter()
        .zip(&totals.lines)
        .enumerate()
        .map(|(index, (line, amounts))| NewInvoiceLine {
            invoice_id,
            position: first_position + index as i32,
            name: line.name.clone(),
            unit: line.unit.clone(),
            quantity: line.quantity.normalize().to_string(),
            unit_price: line.unit_price.grosze(),
            price_kind: if method == PriceKind::Net {
                "net"
            } else {
                "gross"
            }
            .into(),
            net: amounts.net.grosze(),
            vat_rate: line.rate.code().into(),
            vat: amounts.vat.grosze(),
            gross: amounts.gross.grosze(),
            service_id: line.service_id,
            side: side.into(),
        })
        .collect()
}

pub(crate) struct Header<'a> {
    pub(crate) seller: &'a Seller,
    pub(crate) customer: &'a Customer,
    pub(crate) buyer: &'a Buyer,
    pub(crate) contract_id: Option<ContractId>,
    pub(crate) kind: InvoiceKind,
    pub(crate) corrects: Option<(InvoiceId, String)>,
    pub(crate) series: (i64, String, i64, String),
    pub(crate) issue_date: NaiveDate,
    pub(crate) sale_date: Option<NaiveDate>,
    pub(crate) period: Option<(NaiveDate, NaiveDate)>,
    pub(crate) payment_days: u64,
    pub(crate) totals: (Money, Money, Money),
    pub(crate) method: PriceKind,
    pub(crate) split_payment: bool,
    pub(crate) delivery: Delivery,
    pub(crate) now: NaiveDateTime,
}

pub(crate) fn new_invoice(h: Header<'_>) -> NewInvoice {
    let (series_id, period_key, seq, number) = h.series;
    NewInvoice {
        customer_id: h.customer.id,
        contract_id: h.contract_id,
        kind: h.kind,
        status: InvoiceStatus::Issued,
        series_id: Some(series_id),
        period_key: Some(period_key),
        seq: Some(seq),
        number: Some(number),
        corrects_invoice_id: h.corrects.as_ref().map(|(id, _)| *id),
        correction_reason: h.corrects.map(|(_, reason)| reason),
        issue_date: h.issue_date,
        sale_date: h.sale_date,
        period_start: h.period.map(|p| p.0),
        period_end: h.period.map(|p| p.1),
        due_date: h.issue_date + Days::new(h.payment_days),
        payment_method: "transfer".into(),
        seller_name: h.seller.name.clone(),
        seller_nip: h.seller.nip.clone(),
        seller_address_line: h.seller.address_line.clone(),
        seller_postal_code: h.seller.postal_code.clone(),
        seller_city: h.seller.city.clone(),
        buyer_name: h.buyer.name.clone(),
        buyer_nip: h.buyer.nip.clone(),
        buyer_address_line: h.buyer.address_line.clone(),
        buyer_postal_code: h.buyer.postal_code.clone(),
        buyer_city: h.buyer.city.clone(),
        bank_account: h.customer.nrb.clone(),
        total_net: h.totals.0.grosze(),
        total_vat: h.totals.1.grosze(),
        total_gross: h.totals.2.grosze(),
        split_payment: h.split_payment,
        delivery: h.delivery,
        pdf_path: None,
        pdf_sha256: None,
        created_at: h.now,
        issued_at: Some(h.now),
        price_kind: h.method,
        delivered_at: None,
    }
}

/// Renders the stored invoice, writes the file, records its hash, and sends or marks it.
fn finish(
    conn: &mut DbConn,
    ctx: &Invoicing<'_>,
    invoice_id: InvoiceId,
    customer: &Customer,
    email: Option<&str>,
    effect: CorrectionEffect,
    now: NaiveDateTime,
) -> Result<Invoice, IssueError> {
    let invoice = db::invoices::find(conn, invoice_id)?.ok_or(IssueError::NoOriginal)?;
    let lines = db::invoices::lines_of(conn, invoice_id)?;
    let original = match invoice.corrects_invoice_id {
        Some(id) => db::invoices::find(conn, id)?,
        None => None,
    };
    // The FA(3) document first: it is made from the same stored rows, once.
    crate::app::ksef::prepare_document(conn, invoice_id, now)?;
    if original.is_some() {
        crate::app::ksef::record_correction_effect(conn, invoice_id, effect)?;
    }
    if !ctx.store.keeps_files() {
        // `ebok demo --no-pdfs`: the invoice is recorded without a document (and mailed to
        // nobody: the demo's customers are fictional).
        return Ok(invoice);
    }
    let refund_account = match original {
        Some(_) => db::refunds::of_correction(conn, invoice_id)?.map(|r| r.account),
        None => None,
    };
    let mut view = invoice_view(
        &invoice,
        &lines,
        customer.customer_number,
        original.as_ref().map(|o| Original {
            number: o.number.as_deref().unwrap_or(""),
            issue_date: o.issue_date,
            effect,
            refund_account: refund_account.clone(),
        }),
    )?;
    // KOD I labelled "OFFLINE": KSeF numbers the invoice later (see app::ksef::visualisation).
    view.verification = crate::app::ksef::issue_time_code(conn, &invoice)?;
    // KOD II "CERTYFIKAT" under it when the seller has a KSeF Offline certificate.
    view.certificate = crate::app::ksef::issue_time_certificate_code(conn, &invoice)?;
    let bytes = ctx.renderer.render_invoice(&view);
    let number = invoice.number.clone().unwrap_or_default();
    let stored = ctx.store.write(invoice.issue_date, &number, &bytes)?;
    db::invoices::attach_pdf(conn, invoice_id, &stored.relative_path, &stored.sha256)?;
    if let (Some(address), Some(outgoing)) = (email, ctx.outgoing) {
        queue_invoice_mail(
            conn,
            outgoing,
            &invoice,
            address,
            &ctx.store.absolute(&stored.relative_path),
            effect,
            now,
        )?;
    }
    Ok(invoice)
}

/// Queues the mail of one issued invoice (see [`invoice_mail`]).
fn queue_invoice_mail(
    conn: &mut DbConn,
    outgoing: Outgoing<'_>,
    invoice: &Invoice,
    address: &str,
    pdf: &std::path::Path,
    effect: CorrectionEffect,
    now: NaiveDateTime,
) -> Result<(), IssueError> {
    db::outbox::enqueue(
        conn,
        &invoice_mail(outgoing, invoice, address, pdf, effect, now),
    )?;
    Ok(())
}

/// The e-mail that carries an issued invoice's PDF to the customer, ready for the outbox (the
/// billing run queues a chunk's together).
pub(crate) fn invoice_mail(
    outgoing: Outgoing<'_>,
    invoice: &Invoice,
    address: &str,
    pdf: &std::path::Path,
    effect: CorrectionEffect,
    now: NaiveDateTime,
) -> NewOutboxMessage {
    let number = invoice.number.clone().unwrap_or_default();
    let total = Money::from_grosze(invoice.total_gross);
    let due = invoice.due_date.format("%d.%m.%Y");
    let kind = if invoice.kind == InvoiceKind::Correction {
        "Faktura korygująca"
    } else {
        "Faktura"
    };
    // The mail says what the document means for the customer's money, as its PDF does.
    let what = match effect {
        CorrectionEffect::Lowers {
            reduces,
            credit,
            refund,
        } => {
            let mut what = format!("{kind} nr {number} na kwotę {total}.");
            if reduces > 0 {
                what.push_str(&format!(
                    " Zmniejsza kwotę do zapłaty o {}.",
                    Money::from_grosze(reduces)
                ));
            }
            if credit > 0 {
                what.push_str(&format!(
                    " Nadpłata {} zostanie zaliczona na poczet należności.",
                    Money::from_grosze(credit)
                ));
            }
            if refund > 0 {
                what.push_str(&format!(
                    " Nadpłata {} zostanie zwrócona na Twój rachunek bankowy.",
                    Money::from_grosze(refund)
                ));
            }
            what
        }
        CorrectionEffect::ToPay { .. } | CorrectionEffect::Nothing => {
            format!("{kind} nr {number} na kwotę {total}, termin płatności {due}.")
        }
    };
    let text = format!(
        "Dzień dobry,\n\nw załączniku przesyłamy: {what}\n\
         Wszystkie faktury znajdziesz też w e-BOK: {}/faktury\n\n{}\n",
        outgoing.public_url, outgoing.isp_name
    );
    NewOutboxMessage {
        kind: "invoice".into(),
        recipient: address.into(),
        subject: format!("{kind} nr {number} — {}", outgoing.isp_name),
        body_text: text,
        body_html: None,
        attachment_path: Some(pdf.to_string_lossy().into_owned()),
        status: MailStatus::Pending,
        attempts: 0,
        next_attempt_at: now,
        locked_until: None,
        last_error: None,
        created_at: now,
        sent_at: None,
    }
}

/// Where an invoice goes: e-mail with consent (art. 106n), paper otherwise.
fn delivery_for(
    conn: &mut DbConn,
    customer: &Customer,
    mail_possible: bool,
) -> diesel::QueryResult<(Delivery, Option<String>)> {
    if mail_possible && db::consents::has_granted(conn, customer.id, "einvoice")? {
        Ok((Delivery::Email, Some(customer.email.clone())))
    } else {
        Ok((Delivery::Paper, None))
    }
}

const SPLIT_PAYMENT_THRESHOLD: Money = Money::from_grosze(1_500_000);

/// A company is invoiced under its NIP; anyone else as a consumer.
pub fn invoiced_with_nip(customer: &Customer) -> bool {
    customer.kind == CustomerKind::Company
}

/// How this customer's invoice prices are stated and its VAT computed: net for a company,
/// gross for a consumer (see `PriceKind::for_buyer`).
pub fn price_kind_of(customer: &Customer) -> PriceKind {
    PriceKind::for_buyer(invoiced_with_nip(customer))
}

pub fn issue_invoice(
    conn: &mut DbConn,
    ctx: &Invoicing<'_>,
    request: &IssueRequest,
    now: NaiveDateTime,
) -> Result<Issued, IssueError> {
    db::write_transaction(conn, |conn| {
        let seller = db::seller::find(conn)?.ok_or(IssueError::NoSeller)?;
        let customer =
            db::customers::find(conn, request.customer_id)?.ok_or(IssueError::NoCustomer)?;
        let buyer = buyer_of(&customer)?;
        let method = PriceKind::for_buyer(buyer.nip.is_some());
        let totals = vat::compute(&inputs(&request.lines), method)?;
        let series = next_number(conn, &request.series_code, request.issue_date)?;
        let number = series.3.clone();
        let (delivery, email) = delivery_for(conn, &customer, ctx.outgoing.is_some())?;
        let split_payment =
            buyer.nip.is_some() && request.annex_15_goods && totals.gross > SPLIT_PAYMENT_THRESHOLD;
        let invoice_id = db::invoices::insert(
            conn,
            &new_invoice(Header {
                seller: &seller,
                customer: &customer,
                buyer: &buyer,
                contract_id: request.contract_id,
                kind: InvoiceKind::Invoice,
                corrects: None,
                series,
                issue_date: request.issue_date,
                sale_date: request.sale_date,
                period: request.period,
                payment_days: request.payment_days,
                totals: (totals.net, totals.vat, totals.gross),
                method,
                split_payment,
                delivery,
                now,
            }),
        )?;
        for line in line_rows(invoice_id, &request.lines, &totals, method, "line", 1) {
            db::invoices::insert_line(conn, &line)?;
        }
        super::subscriptions::record(
            conn,
            invoice_id,
            &super::subscriptions::billed_by(&request.lines),
            request.invoiced_by,
            now,
        )?;
        // Credit from earlier overpayments pays the new invoice at once, in this transaction.
        crate::app::payments::settle(conn, customer.id, now)?;
        finish(
            conn,
            ctx,
            invoice_id,
            &customer,
            email.as_deref(),
            CorrectionEffect::Nothing,
            now,
        )?;
        audit::record(
            conn,
            &request.actor,
            "invoice_issued",
            json!({ "invoice": invoice_id, "number": number, "gross": totals.gross.grosze() }),
            now,
        )?;
        Ok(Issued {
            invoice_id,
            number,
            total_gross: totals.gross,
            delivery,
        })
    })
}

/// The invoice a correction chain starts from (the document itself when it corrects nothing).
pub(crate) fn first_of_chain(
    conn: &mut DbConn,
    document: &Invoice,
) -> diesel::QueryResult<InvoiceId> {
    let mut current = document.clone();
    // A correction always refers to an older document, so the walk ends; the bound is a guard.
    for _ in 0..1000 {
        match current.corrects_invoice_id {
            Some(id) => match db::invoices::find(conn, id)? {
                Some(previous) => current = previous,
                None => break,
            },
            None => break,
        }
    }
    Ok(current.id)
}

/// A corrective invoice ("faktura korygująca", art. 106j): the original's lines as they were and
/// as they should be, the difference as its amounts. The original stays as issued; a correction
/// of a correction starts from the previous correction's "after" lines.
pub fn issue_correction(
    conn: &mut DbConn,
    ctx: &Invoicing<'_>,
    request: &CorrectionRequest,
    now: NaiveDateTime,
) -> Result<Issued, IssueError> {
    // A refund goes to a real account: checked before anything is numbered.
    let refund_to = match request.overpaid {
        Overpaid::Credit => None,
        Overpaid::Refund => Some(RefundTo::Account(
            request
                .refund_account
                .as_deref()
                .and_then(|a| Nrb::parse(a).ok())
                .ok_or(IssueError::NoRefundAccount)?,
        )),
    };
    correct(conn, ctx, request, refund_to, now)
}

/// A paid shop order's money goes back the way it came: through PayU.
#[derive(Debug, Clone)]
pub struct PayuRefundTarget {
    /// The shop order refunded; none for a recurring card charge.
    pub shop_order_id: Option<i64>,
    pub payu_order_id: String,
    /// What PayU shows the payer.
    pub description: String,
}

/// Where the overpaid part of a lowered, paid invoice goes when it is refunded.
enum RefundTo {
    Account(Nrb),
    Payu(PayuRefundTarget),
}

/// A correction whose overpaid part is refunded through PayU (`request.overpaid` is taken as a
/// refund, `refund_account` is not used); the PayU refund is recorded `to_send` in the same
/// transaction and handed to PayU after commit (`app::online_payments::refunds::send_due`).
pub fn issue_correction_refunded_through_payu(
    conn: &mut DbConn,
    ctx: &Invoicing<'_>,
    request: &CorrectionRequest,
    payu: PayuRefundTarget,
    now: NaiveDateTime,
) -> Result<Issued, IssueError> {
    let request = CorrectionRequest {
        overpaid: Overpaid::Refund,
        ..request.clone()
    };
    correct(conn, ctx, &request, Some(RefundTo::Payu(payu)), now)
}

fn correct(
    conn: &mut DbConn,
    ctx: &Invoicing<'_>,
    request: &CorrectionRequest,
    refund_to: Option<RefundTo>,
    now: NaiveDateTime,
) -> Result<Issued, IssueError> {
    if request.reason.trim().is_empty() {
        return Err(IssueError::NoReason);
    }
    db::write_transaction(conn, |conn| {
        let original = db::invoices::find(conn, request.original_id)?
            .filter(|i| i.status == InvoiceStatus::Issued)
            .ok_or(IssueError::NoOriginal)?;
        let seller = db::seller::find(conn)?.ok_or(IssueError::NoSeller)?;
        let customer =
            db::customers::find(conn, original.customer_id)?.ok_or(IssueError::NoCustomer)?;
        let buyer = Buyer {
            name: original.buyer_name.clone(),
            nip: original.buyer_nip.clone(),
            address_line: original.buyer_address_line.clone(),
            postal_code: original.buyer_postal_code.clone(),
            city: original.buyer_city.clone(),
        };
        let method = original.price_kind;
        let before_side = if original.kind == InvoiceKind::Correction {
            "after"
        } else {
            "line"
        };
        let before_lines: Vec<LineRequest> = db::invoices::lines_of(conn, original.id)?
            .into_iter()
            .filter(|l| l.side == before_side)
            .map(|l| -> Result<LineRequest, IssueError> {
                Ok(LineRequest {
                    name: l.name,
                    unit: l.unit,
                    quantity: l.quantity.parse().map_err(|_| VatError::NoLines)?,
                    unit_price: Money::from_grosze(l.unit_price),
                    rate: VatRate::parse(&l.vat_rate)?,
                    service_id: l.service_id,
                    subscription: None,
                })
            })
            .collect::<Result<_, _>>()?;
        // A corrected line keeps its service only when the original billed that service: the
        // form carries it back, and it decides which subscription periods the correction frees.
        let billed_services: Vec<i64> = before_lines.iter().filter_map(|l| l.service_id).collect();
        let after_lines: Vec<LineRequest> = request
            .lines
            .iter()
            .map(|line| LineRequest {
                service_id: line.service_id.filter(|s| billed_services.contains(s)),
                subscription: None,
                ..line.clone()
            })
            .collect();
        let before = vat::compute(&inputs(&before_lines), method)?;
        let after = vat::compute(&inputs(&after_lines), method)?;
        let difference = vat::correction_difference(&before, &after);
        let unchanged = before_lines.len() == request.lines.len()
            && before_lines.iter().zip(&request.lines).all(|(a, b)| {
                a.name == b.name
                    && a.quantity == b.quantity
                    && a.unit_price == b.unit_price
                    && a.rate == b.rate
            });
        if unchanged {
            return Err(IssueError::NothingChanges);
        }
        let series = next_number(conn, &request.series_code, request.issue_date)?;
        let number = series.3.clone();
        let (delivery, email) = delivery_for(conn, &customer, ctx.outgoing.is_some())?;
        let invoice_id = db::invoices::insert(
            conn,
            &new_invoice(Header {
                seller: &seller,
                customer: &customer,
                buyer: &buyer,
                contract_id: original.contract_id,
                kind: InvoiceKind::Correction,
                corrects: Some((original.id, request.reason.trim().to_owned())),
                series,
                issue_date: request.issue_date,
                sale_date: original.sale_date,
                period: original.period_start.zip(original.period_end),
                payment_days: request.payment_days,
                totals: (difference.net, difference.vat, difference.gross),
                method,
                split_payment: original.split_payment,
                delivery,
                now,
            }),
        )?;
        let before_rows = line_rows(invoice_id, &before_lines, &before, method, "before", 1);
        let after_rows = line_rows(
            invoice_id,
            &after_lines,
            &after,
            method,
            "after",
            before_rows.len() as i32 + 1,
        );
        for line in before_rows.iter().chain(&after_rows) {
            db::invoices::insert_line(conn, line)?;
        }
        let root_id = first_of_chain(conn, &original)?;
        let after_amounts: Vec<(Option<i64>, i64)> = after_rows
            .iter()
            .map(|line| (line.service_id, line.gross))
            .collect();
        super::subscriptions::release_cancelled(conn, root_id, invoice_id, &after_amounts, now)?;
        // What the correction means for the customer's money, from the invoice's debt as it
        // stood before it: printed on the correction instead of a bare "to refund".
        let before: Vec<_> = db::invoices::balances_of_customer(conn, customer.id)?
            .into_iter()
            .filter(|b| b.id != invoice_id)
            .collect();
        let effect = Receivables::from_balances(&before, 0, request.issue_date)
            .debt_of(root_id)
            .map_or(CorrectionEffect::Nothing, |debt| {
                CorrectionEffect::of(debt, difference.gross.grosze(), request.overpaid)
            });
        // A refund takes the overpaid money out of the ledger in this transaction, before the
        // payments are laid out again, so it never pays the customer's other invoices.
        if let (refund @ 1.., Some(to)) = (effect.refund(), &refund_to) {
            let account = match to {
                RefundTo::Account(account) => account.as_str().to_owned(),
                RefundTo::Payu(_) => String::new(),
            };
            let refund_id = db::refunds::insert(
                conn,
                &NewRefund {
                    customer_id: customer.id,
                    correction_id: invoice_id,
                    amount: refund,
                    account,
                    status: RefundStatus::Pending,
                    created_at: now,
                    created_by_staff_id: request.actor.staff_id,
                },
            )?;
            if let RefundTo::Payu(payu) = to {
                db::refunds::insert_payu(
                    conn,
                    &NewPayuRefund {
                        correction_refund_id: refund_id,
                        shop_order_id: payu.shop_order_id,
                        payu_order_id: payu.payu_order_id.clone(),
                        amount: refund,
                        description: payu.description.clone(),
                        state: PayuRefundState::ToSend,
                        created_at: now,
                        updated_at: now,
                    },
                )?;
            }
        }
        // A correction that raises what is due is paid from credit like any invoice; one that
        // lowers a paid invoice turns the excess into credit for the customer's other invoices
        // (or, refunded, takes it out).
        crate::app::payments::settle(conn, customer.id, now)?;
        finish(
            conn,
            ctx,
            invoice_id,
            &customer,
            email.as_deref(),
            effect,
            now,
        )?;
        audit::record(
            conn,
            &request.actor,
            "correction_issued",
            json!({ "invoice": invoice_id, "number": number, "corrects": original.id, "gross": difference.gross.grosze(), "refund": effect.refund() }),
            now,
        )?;
        Ok(Issued {
            invoice_id,
            number,
            total_gross: difference.gross,
            delivery,
        })
    })
}
