//! The issued-invoice value built from the stored rows, and the FA(3) document made from it.

use crate::domain::InvoiceId;
use crate::domain::InvoiceStatus;
use crate::domain::KsefState;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

use crate::db::invoices::{Invoice, InvoiceLine};
use crate::db::ksef::KsefDocument;
use crate::db::{self, DbConn};
use crate::domain::issued_invoice::{
    CorrectedInvoice, InvoiceParty, IssuedInvoice, IssuedKind, IssuedLine, LineSide,
};
use crate::domain::vat::VatRate;
use crate::domain::{Money, Nip, Nrb};
use crate::ksef::fa3;

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("there is no issued invoice {0}")]
    NoInvoice(InvoiceId),
    #[error("invoice {number}: stored {what} cannot be read back ({detail})")]
    Unreadable {
        number: String,
        what: &'static str,
        detail: String,
    },
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// KSeF's form of a document hash (`Sha256HashBase64`): standard Base64 of the SHA-256.
pub fn xml_sha256_base64(bytes: &[u8]) -> String {
    STANDARD.encode(Sha256::digest(bytes))
}

fn unreadable(invoice: &Invoice, what: &'static str, detail: impl ToString) -> DocumentError {
    DocumentError::Unreadable {
        number: invoice.number.clone().unwrap_or_default(),
        what,
        detail: detail.to_string(),
    }
}

fn party(
    name: &str,
    nip: Option<&str>,
    address_line: &str,
    postal_code: &str,
    city: &str,
) -> Result<InvoiceParty, String> {
    Ok(InvoiceParty {
        name: name.to_owned(),
        nip: nip
            .map(|n| Nip::parse(n).map_err(|e| format!("NIP {n}: {e}")))
            .transpose()?,
        address_line: address_line.to_owned(),
        postal_code: postal_code.to_owned(),
        city: city.to_owned(),
    })
}

fn line(invoice: &Invoice, row: &InvoiceLine) -> Result<IssuedLine, DocumentError> {
    let side = match row.side.as_str() {
        "before" => LineSide::Before,
        "after" => LineSide::After,
        _ => LineSide::Line,
    };
    Ok(IssuedLine {
        side,
        name: row.name.clone(),
        unit: row.unit.clone(),
        quantity: row
            .quantity
            .parse()
            .map_err(|e| unreadable(invoice, "line quantity", e))?,
        unit_price: Money::from_grosze(row.unit_price),
        rate: VatRate::parse(&row.vat_rate).map_err(|e| unreadable(invoice, "VAT rate", e))?,
        net: Money::from_grosze(row.net),
        vat: Money::from_grosze(row.vat),
        gross: Money::from_grosze(row.gross),
    })
}

/// The issued invoice `invoice_id` as one value, from its row, its lines and, for a correction,
/// the corrected invoice (with its KSeF number when it has one).
pub fn issued_invoice(
    conn: &mut DbConn,
    invoice_id: InvoiceId,
) -> Result<IssuedInvoice, DocumentError> {
    let invoice = db::invoices::find(conn, invoice_id)?
        .filter(|i| i.status == InvoiceStatus::Issued)
        .ok_or(DocumentError::NoInvoice(invoice_id))?;
    let rows = db::invoices::lines_of(conn, invoice_id)?;
    let customer_number = db::customers::find(conn, invoice.customer_id)?
        .map(|c| c.customer_number)
        .ok_or_else(|| unreadable(&invoice, "customer", "the customer is gone"))?;
    let kind = match invoice.corrects_invoice_id {
        None => IssuedKind::Invoice,
        Some(original_id) => {
            let original = db::invoices::find(conn, original_id)?
                .ok_or_else(|| unreadable(&invoice, "corrected invoice", "not found"))?;
            let ksef_number = db::ksef::find(conn, original_id)?.and_then(|d| d.ksef_number);
            IssuedKind::Correction {
                corrected: CorrectedInvoice {
                    number: original.number.unwrap_or_default(),
                    issue_date: original.issue_date,
                    ksef_number,
                },
                reason: invoice.correction_reason.clone().unwrap_or_default(),
            }
        }
    };
    issued_from_rows(&invoice, &rows, customer_number, kind)
}

/// The issued invoice as one value from rows already in hand (the billing run has them).
pub(crate) fn issued_from_rows(
    invoice: &Invoice,
    rows: &[InvoiceLine],
    customer_number: i64,
    kind: IssuedKind,
) -> Result<IssuedInvoice, DocumentError> {
    let seller = party(
        &invoice.seller_name,
        Some(&invoice.seller_nip),
        &invoice.seller_address_line,
        &invoice.seller_postal_code,
        &invoice.seller_city,
    )
    // A seller NIP that does not parse leaves the seller without one; FA(3) then says why.
    .or_else(|_| {
        party(
            &invoice.seller_name,
            None,
            &invoice.seller_address_line,
            &invoice.seller_postal_code,
            &invoice.seller_city,
        )
    })
    .map_err(|e| unreadable(invoice, "seller", e))?;
    let buyer = party(
        &invoice.buyer_name,
        invoice.buyer_nip.as_deref(),
        &invoice.buyer_address_line,
        &invoice.buyer_postal_code,
        &invoice.buyer_city,
    )
    .map_err(|e| unreadable(invoice, "buyer", e))?;
    let lines = rows
        .iter()
        .map(|row| line(invoice, row))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(IssuedInvoice {
        number: invoice.number.clone().unwrap_or_default(),
        kind,
        issue_date: invoice.issue_date,
        issued_at: invoice.issued_at.unwrap_or(invoice.created_at),
        sale_date: invoice.sale_date,
        period: invoice.period_start.zip(invoice.period_end),
        due_date: invoice.due_date,
        seller,
        buyer,
        customer_number,
        bank_account: Nrb::parse(&invoice.bank_account)
            .map_err(|e| unreadable(invoice, "bank account", e))?,
        method: invoice.price_kind,
        split_payment: invoice.split_payment,
        lines,
        total_net: Money::from_grosze(invoice.total_net),
        total_vat: Money::from_grosze(invoice.total_vat),
        total_gross: Money::from_grosze(invoice.total_gross),
    })
}

fn new_document(invoice_id: InvoiceId, now: NaiveDateTime) -> KsefDocument {
    KsefDocument {
        invoice_id,
        xml: None,
        xml_sha256: None,
        state: KsefState::Queued,
        attempts: 0,
        next_attempt_at: now,
        locked_until: None,
        session_reference: None,
        invoice_reference: None,
        ksef_number: None,
        acquired_at: None,
        upo: None,
        error_code: None,
        error_text: None,
        created_at: now,
        updated_at: now,
        numbered_pdf_path: None,
        numbered_pdf_sha256: None,
        correction_credit: None,
        offline_mode: false,
    }
}

/// A document whose XML is made and which goes to KSeF is issued in offline mode when the
/// seller has a valid Offline certificate: its issue-time PDF then carries KOD II, so the
/// customer holds it before KSeF numbers it (art. 106nda), and KSeF must be told so.
fn mark_offline_mode(document: &mut KsefDocument) {
    document.offline_mode = document.xml.is_some()
        && document.state == KsefState::Queued
        && super::offline::current().is_some();
}

/// The document of a new invoice (not a correction) from rows in hand, for the billing run,
/// which inserts a chunk's documents together. Same rules as [`prepare_document`].
pub(crate) fn document_of_new_invoice(
    invoice: &Invoice,
    rows: &[InvoiceLine],
    customer_number: i64,
    consumers_to_ksef: bool,
    now: NaiveDateTime,
) -> KsefDocument {
    let mut document = new_document(invoice.id, now);
    let built = issued_from_rows(invoice, rows, customer_number, IssuedKind::Invoice)
        .map_err(|e| e.to_string())
        .and_then(|issued| {
            fa3::build(&issued)
                .map(|xml| (xml, issued.buyer.nip.is_none()))
                .map_err(|e| e.to_string())
        });
    match built {
        Ok((xml, consumer)) => {
            document.xml_sha256 = Some(xml_sha256_base64(xml.as_bytes()));
            document.xml = Some(xml);
            if consumer && !consumers_to_ksef {
                document.state = KsefState::Local;
            }
        }
        Err(error) => {
            document.state = KsefState::XmlFailed;
            document.error_text = Some(error);
        }
    }
    mark_offline_mode(&mut document);
    document
}

/// `EBOK_BENCH_WITHOUT_FA3=1`, for `benches/billing_run.py` only: the billing run leaves the
/// FA(3) XML to the KSeF sender (which makes it for invoices without a document) instead of
/// making it at issue, so the benchmark can measure what FA(3) generation adds. Its PDFs carry
/// no KOD I: never set it for a real run.
pub fn benchmark_without_fa3() -> bool {
    static WITHOUT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *WITHOUT.get_or_init(|| {
        benchmark_switch(
            "EBOK_BENCH_WITHOUT_FA3",
            "billing runs make no FA(3) XML and no KOD I",
        )
    })
}

/// `EBOK_BENCH_WITHOUT_KOD1=1`, for `benches/ksef_figures.py` only: the billing run makes and
/// stores every invoice's FA(3) XML as always but prints no KOD I (nor KOD II) on its PDF, so
/// the benchmark can tell the XML's cost from the verification code's. Never for a real run.
pub fn benchmark_without_kod1() -> bool {
    static WITHOUT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *WITHOUT.get_or_init(|| {
        benchmark_switch(
            "EBOK_BENCH_WITHOUT_KOD1",
            "billing runs print no KOD I on their PDFs",
        )
    })
}

fn benchmark_switch(variable: &str, effect: &str) -> bool {
    let on = std::env::var(variable).is_ok_and(|v| v.trim() == "1");
    if on {
        tracing::warn!("{variable}=1: {effect} (benchmark only)");
    }
    on
}

/// Whether consumer (B2C) invoices go to KSeF: the seller's setting, yes by default (one
/// pipeline; pl-invoicing §3.2 allows it).
pub(crate) fn consumers_to_ksef(conn: &mut DbConn) -> diesel::QueryResult<bool> {
    Ok(db::ksef::settings(conn)?.is_none_or(|s| s.send_consumer_invoices))
}

/// Makes and stores the FA(3) document of an issued invoice, once; call it in the issuing
/// transaction. An invoice whose XML cannot be made is still issued (the customer must not
/// wait): its document records why, for staff. A correction whose original is still on its way
/// to KSeF waits without XML: it must cite the original's KSeF number (art. 106j ust. 2 pkt 2a),
/// and the sender makes it once that number is known.
pub fn prepare_document(
    conn: &mut DbConn,
    invoice_id: InvoiceId,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    if db::ksef::find(conn, invoice_id)?.is_some() {
        return Ok(());
    }
    let mut document = new_document(invoice_id, now);
    match issued_invoice(conn, invoice_id) {
        Err(DocumentError::Database(e)) => return Err(e),
        Err(other) => {
            document.state = KsefState::XmlFailed;
            document.error_text = Some(other.to_string());
        }
        Ok(invoice) => {
            let original_pending = match &invoice.kind {
                IssuedKind::Correction { corrected, .. } if corrected.ksef_number.is_none() => {
                    original_on_its_way(conn, invoice_id)?
                }
                _ => false,
            };
            if !original_pending {
                match fa3::build(&invoice) {
                    Ok(xml) => {
                        document.xml_sha256 = Some(xml_sha256_base64(xml.as_bytes()));
                        document.xml = Some(xml);
                        if invoice.buyer.nip.is_none() && !consumers_to_ksef(conn)? {
                            document.state = KsefState::Local;
                        }
                    }
                    Err(error) => {
                        document.state = KsefState::XmlFailed;
                        document.error_text = Some(error.to_string());
                    }
                }
            }
        }
    }
    mark_offline_mode(&mut document);
    db::ksef::insert_if_absent(conn, &document)?;
    Ok(())
}

/// Whether the invoice that `correction_id` corrects is queued for KSeF or being sent.
pub(super) fn original_on_its_way(
    conn: &mut DbConn,
    correction_id: InvoiceId,
) -> diesel::QueryResult<bool> {
    let Some(original_id) =
        db::invoices::find(conn, correction_id)?.and_then(|i| i.corrects_invoice_id)
    else {
        return Ok(false);
    };
    Ok(db::ksef::find(conn, original_id)?.is_some_and(|d| {
        matches!(
            d.state,
            KsefState::Queued | KsefState::Sending | KsefState::Sent
        )
    }))
}
