//! KOD I on the invoice's PDF, and the KSeF-numbered visualisation.
//!
//! The PDF is rendered and stored (with its hash) at issue time, before KSeF has numbered the
//! invoice, and an issued document never changes. So the issue-time file carries KOD I labelled
//! "OFFLINE" (pl-invoicing §3.6: the label for an invoice without a KSeF number yet) and stays
//! as it is, hash and all. When KSeF accepts the invoice, its visualisation is rendered ONCE
//! more from the same stored rows, with the KSeF number under KOD I, and stored as a separate
//! file with its own hash (`ksef_documents.numbered_pdf_*`); subscribers are served that one
//! from then on. It is never rendered again: the record is written only while it is empty.
//! Both files carry the same KOD I link, since the link hashes the stored XML, not the PDF.

use crate::app::invoicing::view::Original;
use crate::app::invoicing::{PdfStore, StorageError, ViewError, invoice_view};
use crate::db::invoices::Invoice;
use crate::db::ksef::KsefDocument;
use crate::db::{self, DbConn};
use crate::domain::InvoiceId;
use crate::domain::receivables::CorrectionEffect;
use crate::ksef::environment::KsefEnvironment;
use crate::ksef::qr::{OFFLINE_LABEL, invoice_verification_url};
use crate::pdf::{PdfRenderer, VerificationQr};

/// KOD I of an invoice from its document: `None` when the invoice does not go to KSeF (kept
/// local, or its XML could not be made) or has no XML yet (a correction waiting for its
/// original's number). `numbered`: labelled with the KSeF number when it has one; otherwise
/// "OFFLINE", as at issue time.
pub(crate) fn code_for(
    document: &KsefDocument,
    seller_nip: &str,
    issue_date: chrono::NaiveDate,
    environment: KsefEnvironment,
    numbered: bool,
) -> Option<VerificationQr> {
    if document.state.is_never_sent() {
        return None;
    }
    let xml = document.xml.as_ref()?;
    let label = match (&document.ksef_number, numbered) {
        (Some(number), true) => number.clone(),
        _ => OFFLINE_LABEL.to_owned(),
    };
    Some(VerificationQr {
        url: invoice_verification_url(environment, seller_nip, issue_date, xml.as_bytes()),
        label,
    })
}

/// The XML KOD II signs the hash of, for the issue-time PDF: that of an invoice issued in
/// offline mode (it goes to KSeF and the seller had an Offline certificate, `super::offline`). The signing itself is
/// left to whoever renders, so a billing chunk signs on its rendering threads.
pub(crate) fn certificate_input(document: &KsefDocument) -> Option<String> {
    // Only a document issued in offline mode: KSeF is told so when it is sent.
    if !document.offline_mode || document.state.is_never_sent() {
        return None;
    }
    super::offline::current()?;
    document.xml.clone()
}

/// KOD II for the issue-time PDF of an invoice whose XML is `xml` (see `certificate_input`).
pub(crate) fn certificate_code_for(
    xml: &str,
    seller_nip: &str,
    environment: KsefEnvironment,
) -> Option<VerificationQr> {
    super::offline::certificate_code(environment, seller_nip, xml.as_bytes())
}

/// KOD II as the issue-time PDF of `invoice` prints it, under KOD I: only with an Offline
/// certificate stored, and never on the KSeF-numbered visualisation (an invoice KSeF has
/// numbered is no longer offline).
pub fn issue_time_certificate_code(
    conn: &mut DbConn,
    invoice: &Invoice,
) -> diesel::QueryResult<Option<VerificationQr>> {
    let Some(document) = db::ksef::find(conn, invoice.id)? else {
        return Ok(None);
    };
    let Some(xml) = certificate_input(&document) else {
        return Ok(None);
    };
    let environment = super::settings::environment(conn)?;
    Ok(certificate_code_for(&xml, &invoice.seller_nip, environment))
}

/// KOD I as the issue-time PDF of `invoice` prints it ("OFFLINE" under it).
pub fn issue_time_code(
    conn: &mut DbConn,
    invoice: &Invoice,
) -> diesel::QueryResult<Option<VerificationQr>> {
    let Some(document) = db::ksef::find(conn, invoice.id)? else {
        return Ok(None);
    };
    let environment = super::settings::environment(conn)?;
    Ok(code_for(
        &document,
        &invoice.seller_nip,
        invoice.issue_date,
        environment,
        false,
    ))
}

/// What a correction printed about the customer's money when it was issued, from its amount,
/// the credit recorded then (`None`: not recorded, so it cannot be printed again) and the
/// refund the staff chose on it (0 when none).
fn correction_effect(
    total_gross: i64,
    credit: Option<i64>,
    refund: i64,
) -> Option<CorrectionEffect> {
    Some(match total_gross {
        0 => CorrectionEffect::Nothing,
        gross if gross > 0 => CorrectionEffect::ToPay { amount: gross },
        gross => {
            let credit = credit?;
            CorrectionEffect::Lowers {
                reduces: -gross - credit - refund,
                credit,
                refund,
            }
        }
    })
}

/// Records, for the numbered visualisation, what a correction's issue-time PDF states.
pub(crate) fn record_correction_effect(
    conn: &mut DbConn,
    invoice_id: InvoiceId,
    effect: CorrectionEffect,
) -> diesel::QueryResult<()> {
    let credit = match effect {
        CorrectionEffect::Lowers { credit, .. } => credit,
        CorrectionEffect::ToPay { .. } | CorrectionEffect::Nothing => 0,
    };
    db::ksef::record_correction_credit(conn, invoice_id, credit).map(|_| ())
}

#[derive(Debug, thiserror::Error)]
pub enum VisualisationError {
    #[error("invoice {0}: {1}")]
    Unreadable(InvoiceId, String),
    #[error(transparent)]
    View(#[from] ViewError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Renders the KSeF-numbered visualisation of up to `limit` accepted invoices that have none
/// yet; returns how many it stored. One that cannot be rendered is logged and left (its
/// subscriber keeps the issue-time file) rather than stopping the others.
pub fn render_numbered(
    conn: &mut DbConn,
    renderer: &PdfRenderer,
    store: &PdfStore,
    limit: i64,
) -> diesel::QueryResult<usize> {
    let mut stored = 0;
    for document in db::ksef::accepted_without_numbered_pdf(conn, limit)? {
        match render_one(conn, renderer, store, &document) {
            Ok(true) => stored += 1,
            Ok(false) => {}
            Err(VisualisationError::Database(error)) => return Err(error),
            Err(error) => {
                tracing::warn!(invoice = document.invoice_id.0, %error, "KSeF-numbered invoice PDF not made");
            }
        }
    }
    Ok(stored)
}

fn render_one(
    conn: &mut DbConn,
    renderer: &PdfRenderer,
    store: &PdfStore,
    document: &KsefDocument,
) -> Result<bool, VisualisationError> {
    let id = document.invoice_id;
    let unreadable = |what: &str| VisualisationError::Unreadable(id, what.to_owned());
    let invoice = db::invoices::find(conn, id)?.ok_or_else(|| unreadable("gone"))?;
    let lines = db::invoices::lines_of(conn, id)?;
    let customer_number = db::customers::find(conn, invoice.customer_id)?
        .map(|c| c.customer_number)
        .ok_or_else(|| unreadable("its customer is gone"))?;
    let corrected = match invoice.corrects_invoice_id {
        Some(original_id) => {
            Some(db::invoices::find(conn, original_id)?.ok_or_else(|| unreadable("no original"))?)
        }
        None => None,
    };
    let refund = match &corrected {
        Some(_) => db::refunds::of_correction(conn, id)?,
        None => None,
    };
    let effect = match &corrected {
        Some(_) => Some(
            correction_effect(
                invoice.total_gross,
                document.correction_credit,
                refund.as_ref().map_or(0, |r| r.amount),
            )
            .ok_or_else(|| unreadable("the correction's effect was not recorded"))?,
        ),
        None => None,
    };
    // The environment that numbered it: KOD I points where the invoice can be verified.
    let environment = match &document.session_reference {
        Some(reference) => db::ksef::find_session(conn, reference)?
            .and_then(|s| KsefEnvironment::parse(&s.environment)),
        None => None,
    };
    let environment = match environment {
        Some(environment) => environment,
        None => super::settings::environment(conn)?,
    };
    let mut view = invoice_view(
        &invoice,
        &lines,
        customer_number,
        corrected.as_ref().zip(effect).map(|(o, effect)| Original {
            number: o.number.as_deref().unwrap_or(""),
            issue_date: o.issue_date,
            effect,
            refund_account: refund.map(|r| r.account),
        }),
    )?;
    view.verification = code_for(
        document,
        &invoice.seller_nip,
        invoice.issue_date,
        environment,
        true,
    );
    let bytes = renderer.render_invoice(&view);
    let number = invoice.number.clone().unwrap_or_default();
    let file = store.write(invoice.issue_date, &format!("{number}-KSeF"), &bytes)?;
    Ok(db::ksef::attach_numbered_pdf(
        conn,
        id,
        &file.relative_path,
        &file.sha256,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_correction_prints_again_what_it_printed_about_money() {
        assert_eq!(
            correction_effect(0, None, 0),
            Some(CorrectionEffect::Nothing)
        );
        assert_eq!(
            correction_effect(1_000, None, 0),
            Some(CorrectionEffect::ToPay { amount: 1_000 })
        );
        assert_eq!(
            correction_effect(-1_000, Some(300), 0),
            Some(CorrectionEffect::Lowers {
                reduces: 700,
                credit: 300,
                refund: 0
            })
        );
        assert_eq!(
            correction_effect(-1_000, Some(0), 400),
            Some(CorrectionEffect::Lowers {
                reduces: 600,
                credit: 0,
                refund: 400
            })
        );
        assert_eq!(correction_effect(-1_000, None, 0), None);
    }
}
