//! Rendering a chunk's PDFs on every core. Each thread makes its share's FA(3) documents (the
//! XML and its hash, which KOD I on the PDF links to), renders and stores the PDFs (temp file,
//! rename); one filesystem flush makes the chunk durable, and the database writer, which stays
//! single, records the documents and hashes afterwards. The demo seeder's bulk history uses it
//! too, with a store that keeps no files under `--no-pdfs` (then only the FA(3) documents).

use chrono::NaiveDateTime;

use crate::app::invoicing::{Invoicing, StoredPdf, invoice_view};
use crate::db::invoices::{Invoice, InvoiceLine};
use crate::db::ksef::KsefDocument;
use crate::ksef::environment::KsefEnvironment;

use super::BillingError;

/// One invoice to render, as it stands in the database.
pub(crate) struct Document {
    pub invoice: Invoice,
    pub lines: Vec<InvoiceLine>,
    pub customer_number: i64,
    /// Its FA(3) document is made with it, unless a benchmark measures the run without.
    pub fa3: Option<Fa3Setting>,
}

/// What making the run's FA(3) documents needs besides the invoice.
#[derive(Clone, Copy)]
pub(crate) struct Fa3Setting {
    pub consumers_to_ksef: bool,
    pub environment: KsefEnvironment,
    pub now: NaiveDateTime,
}

/// An invoice's stored PDF (none when the store keeps no files) and, when made, its FA(3)
/// document for the writer to insert.
pub(crate) struct Rendered {
    pub pdf: Option<StoredPdf>,
    pub ksef: Option<KsefDocument>,
}

/// The rendered invoices, in the order of `documents`, durable on disk.
pub(crate) fn render_and_store(
    invoicing: &Invoicing<'_>,
    documents: &[Document],
    threads: usize,
) -> Result<Vec<Rendered>, BillingError> {
    let rendered = render_unflushed(invoicing, documents, threads)?;
    // Before the caller records any hash: the commit must find every file on disk.
    invoicing.store.flush()?;
    Ok(rendered)
}

/// The rendered invoices, in the order of `documents`; their files reach the disk with the
/// store's next flush, which must come before any of them is recorded.
pub(crate) fn render_unflushed(
    invoicing: &Invoicing<'_>,
    documents: &[Document],
    threads: usize,
) -> Result<Vec<Rendered>, BillingError> {
    let per_thread = documents.len().div_ceil(threads.max(1)).max(1);
    let results: Vec<Result<Vec<Rendered>, BillingError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = documents
            .chunks(per_thread)
            .map(|share| scope.spawn(move || render_share(invoicing, share)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap_or(Err(BillingError::RendererPanicked)))
            .collect()
    });
    let mut rendered = Vec::with_capacity(documents.len());
    for share in results {
        rendered.extend(share?);
    }
    Ok(rendered)
}

fn render_share(
    invoicing: &Invoicing<'_>,
    share: &[Document],
) -> Result<Vec<Rendered>, BillingError> {
    share
        .iter()
        .map(|document| {
            let invoice = &document.invoice;
            let ksef = document.fa3.map(|fa3| {
                crate::app::ksef::document_of_new_invoice(
                    invoice,
                    &document.lines,
                    document.customer_number,
                    fa3.consumers_to_ksef,
                    fa3.now,
                )
            });
            if !invoicing.store.keeps_files() {
                return Ok(Rendered { pdf: None, ksef });
            }
            let mut view = invoice_view(invoice, &document.lines, document.customer_number, None)?;
            if let (Some(ksef), Some(fa3), false) = (
                &ksef,
                document.fa3,
                crate::app::ksef::benchmark_without_kod1(),
            ) {
                // KOD I labelled "OFFLINE": KSeF numbers the invoice after the run.
                view.verification = crate::app::ksef::code_for(
                    ksef,
                    &invoice.seller_nip,
                    invoice.issue_date,
                    fa3.environment,
                    false,
                );
                // KOD II when the seller has a KSeF Offline certificate: an RSA signature per
                // invoice, which is why the documents are made here and not by the writer.
                view.certificate = crate::app::ksef::certificate_input(ksef).and_then(|xml| {
                    crate::app::ksef::certificate_code_for(
                        &xml,
                        &invoice.seller_nip,
                        fa3.environment,
                    )
                });
            }
            let bytes = invoicing.renderer.render_invoice(&view);
            let number = invoice.number.as_deref().unwrap_or_default();
            let pdf = invoicing
                .store
                .write_unflushed(invoice.issue_date, number, &bytes)?;
            Ok(Rendered {
                pdf: Some(pdf),
                ksef,
            })
        })
        .collect()
}
