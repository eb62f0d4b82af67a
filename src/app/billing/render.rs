//! Rendering a chunk's PDFs on every core. Each thread renders and stores its share (temp file,
//! rename), one filesystem flush makes the chunk durable, and the database writer, which stays
//! single, records the hashes afterwards.

use crate::app::invoicing::{Invoicing, StoredPdf, invoice_view};
use crate::db::invoices::{Invoice, InvoiceLine};

use super::BillingError;

/// One invoice to render, as it stands in the database.
pub(super) struct Document {
    pub invoice: Invoice,
    pub lines: Vec<InvoiceLine>,
    pub customer_number: i64,
    /// KOD I, labelled "OFFLINE" (KSeF numbers the invoice after the run).
    pub verification: Option<crate::pdf::VerificationQr>,
    /// What KOD II signs, when the seller has a KSeF Offline certificate: signed here, on the
    /// rendering threads, since an RSA signature per invoice would slow the single writer.
    pub certificate: Option<(crate::ksef::environment::KsefEnvironment, String)>,
}

/// The stored PDFs, in the order of `documents`.
pub(super) fn render_and_store(
    invoicing: &Invoicing<'_>,
    documents: &[Document],
    threads: usize,
) -> Result<Vec<StoredPdf>, BillingError> {
    let per_thread = documents.len().div_ceil(threads.max(1)).max(1);
    let results: Vec<Result<Vec<StoredPdf>, BillingError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = documents
            .chunks(per_thread)
            .map(|share| scope.spawn(move || render_share(invoicing, share)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap_or(Err(BillingError::RendererPanicked)))
            .collect()
    });
    let mut stored = Vec::with_capacity(documents.len());
    for share in results {
        stored.extend(share?);
    }
    // Before the caller records any hash: the chunk's commit must find every file on disk.
    invoicing.store.flush()?;
    Ok(stored)
}

fn render_share(
    invoicing: &Invoicing<'_>,
    share: &[Document],
) -> Result<Vec<StoredPdf>, BillingError> {
    share
        .iter()
        .map(|document| {
            let mut view = invoice_view(
                &document.invoice,
                &document.lines,
                document.customer_number,
                None,
            )?;
            view.verification = document.verification.clone();
            view.certificate = document
                .certificate
                .as_ref()
                .and_then(|(environment, xml)| {
                    crate::app::ksef::certificate_code_for(
                        xml,
                        &document.invoice.seller_nip,
                        *environment,
                    )
                });
            let bytes = invoicing.renderer.render_invoice(&view);
            let number = document.invoice.number.as_deref().unwrap_or_default();
            Ok(invoicing
                .store
                .write_unflushed(document.invoice.issue_date, number, &bytes)?)
        })
        .collect()
}
