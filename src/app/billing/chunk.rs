//! Writing one chunk of the run in one write transaction: numbers for every planned invoice at
//! once, the PDFs (rendered on every core, a part at a time beside the writing of the part
//! before, and flushed to disk before the commit that records their hashes), the rows, the
//! e-mails for consenting customers, the idempotency keys and the run's
//! counters. A crash anywhere before the commit leaves nothing of the chunk but PDF files under
//! numbers the re-run hands out again and rewrites; after it, every invoice has its PDF.

use crate::domain::CustomerId;
use crate::domain::Delivery;
use crate::domain::InvoiceId;
use crate::domain::InvoiceKind;
use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};

use super::plan::{self, InvoicePlan, Outcome};
use super::render::{self, Document};
use super::{BillingError, RunTotals};
use crate::app::invoicing::{
    Header, Invoicing, invoice_mail, line_rows, new_invoice, subscriptions_billed_by,
};
use crate::db::billing::BilledPeriod;
use crate::db::customers::Customer;
use crate::db::invoices::{Invoice, InvoiceLine, NewInvoice, NewInvoiceLine};
use crate::db::seller::Seller;
use crate::db::subscription_periods::NewSubscriptionPeriod;
use crate::db::{self, DbConn};
use crate::domain::billing::BillingPeriod;
use crate::domain::numbering::{NumberTemplate, ResetPeriod, period_key};
use crate::domain::receivables::CorrectionEffect;
use crate::domain::subscription_periods::InvoicedBy;

/// What every chunk of a run shares.
pub(super) struct RunEnv<'a> {
    pub run_id: i64,
    pub period: BillingPeriod,
    pub issue_date: NaiveDate,
    pub payment_days: u64,
    pub series_id: i64,
    pub template: NumberTemplate,
    pub reset: ResetPeriod,
    pub seller: Seller,
    pub invoicing: &'a Invoicing<'a>,
    pub threads: usize,
}

/// Bills `customers` and returns the run's totals after them.
pub(super) fn bill_chunk(
    conn: &mut DbConn,
    env: &RunEnv<'_>,
    customers: Vec<Customer>,
    before: &RunTotals,
    now: NaiveDateTime,
) -> Result<RunTotals, BillingError> {
    let started = Instant::now();
    let (mut totals, waiting) = db::write_transaction(conn, |conn| {
        let mut totals = before.clone();
        totals.customers_done += customers.len() as i64;
        let data = plan::load(conn, &customers, env.period)?;
        let mut plans = Vec::new();
        for customer in customers {
            match plan::plan_customer(
                env.period,
                customer,
                &data,
                env.invoicing.outgoing.is_some(),
            ) {
                Outcome::Invoice(plan) => plans.push(*plan),
                Outcome::Skip(reason) => totals.skip(reason),
            }
        }
        let times = if plans.is_empty() {
            PdfTimes::default()
        } else {
            write_invoices(conn, env, &plans, &data.billed, &mut totals, now)?
        };
        totals.pdf += times.rendering;
        totals.db += started.elapsed().saturating_sub(times.waiting);
        db::billing::record_progress(conn, env.run_id, &totals.counters(), now)?;
        Ok::<_, BillingError>((totals, times.waiting))
    })?;
    // The commit is database time too; the record catches up with the next chunk or the end.
    totals.db = before.db + started.elapsed().saturating_sub(waiting);
    Ok(totals)
}

/// How a chunk's PDFs took their time: the rendering threads' (which run beside the database
/// writes), and the writer's waiting for them.
#[derive(Default)]
struct PdfTimes {
    rendering: Duration,
    waiting: Duration,
}

/// Invoices per part of a chunk: the writer stores one part while the next is rendered.
const RENDERED_PER_PART: usize = 100;

/// Numbers, rows, PDFs and mail for the planned invoices.
///
/// The PDFs and FA(3) documents are made before the rows are written: neither shows the
/// invoice's database id, so each invoice row goes in once, with its PDF's path and hash. (An
/// UPDATE of every fresh row after its insert wrote each invoice and its index entries twice.)
/// They are made a part at a time on their own threads while this one writes the part before,
/// so the chunk's database work runs beside its rendering instead of after it; the files are
/// flushed once, after the last part and before the commit.
fn write_invoices(
    conn: &mut DbConn,
    env: &RunEnv<'_>,
    plans: &[InvoicePlan],
    data_billed: &std::collections::HashSet<CustomerId>,
    totals: &mut RunTotals,
    now: NaiveDateTime,
) -> Result<PdfTimes, BillingError> {
    let key = period_key(env.issue_date, env.reset);
    let first = db::billing::reserve_seqs(conn, env.series_id, &key, plans.len() as i64)?;
    let rows: Vec<NewInvoice> = plans
        .iter()
        .enumerate()
        .map(|(index, plan)| {
            let seq = first + index as i64;
            let number = env.template.render(env.issue_date, seq.max(0) as u64);
            new_invoice(Header {
                seller: &env.seller,
                customer: &plan.customer,
                buyer: &plan.buyer,
                contract_id: plan.contract_id,
                kind: InvoiceKind::Invoice,
                corrects: None,
                series: (env.series_id, key.clone(), seq, number),
                issue_date: env.issue_date,
                sale_date: None,
                period: Some(plan.covers),
                payment_days: env.payment_days,
                totals: (plan.totals.net, plan.totals.vat, plan.totals.gross),
                method: plan.method,
                // Services are not załącznik 15 goods: no split-payment note.
                split_payment: false,
                delivery: if plan.by_email {
                    Delivery::Email
                } else {
                    Delivery::Paper
                },
                now,
            })
        })
        .collect();
    // Every issuing path makes the FA(3) document in the issuing transaction; the run makes a
    // chunk's from the rows in hand on the rendering threads and inserts them together.
    let fa3 = (!crate::app::ksef::benchmark_without_fa3())
        .then(|| -> Result<_, BillingError> {
            Ok(render::Fa3Setting {
                consumers_to_ksef: crate::app::ksef::consumers_to_ksef(conn)?,
                environment: crate::app::ksef::settings::environment(conn)?,
                now,
            })
        })
        .transpose()?;
    let lines: Vec<Vec<NewInvoiceLine>> = plans
        .iter()
        .map(|plan| line_rows(UNSTORED, &plan.lines, &plan.totals, plan.method, "line", 1))
        .collect();
    let documents: Vec<Document> = plans
        .iter()
        .zip(&rows)
        .zip(&lines)
        .map(|((plan, row), lines)| Document {
            lines: lines.iter().map(stored_line).collect(),
            invoice: stored_invoice(UNSTORED, row.clone()),
            customer_number: plan.customer.customer_number,
            fa3,
        })
        .collect();
    let mut times = PdfTimes::default();
    std::thread::scope(|scope| -> Result<(), BillingError> {
        let (parts, rendered_parts) = std::sync::mpsc::sync_channel(1);
        let documents = &documents;
        let rendering = scope.spawn(move || {
            let mut busy = Duration::ZERO;
            for part in documents.chunks(RENDERED_PER_PART) {
                let started = Instant::now();
                let rendered = render::render_unflushed(env.invoicing, part, env.threads);
                busy += started.elapsed();
                let failed = rendered.is_err();
                // The writer has given up (its error ends the chunk): stop rendering.
                if parts.send(rendered).is_err() || failed {
                    break;
                }
            }
            busy
        });
        let written = (|| {
            let parts = plans
                .chunks(RENDERED_PER_PART)
                .zip(rows.chunks(RENDERED_PER_PART))
                .zip(lines.chunks(RENDERED_PER_PART))
                .zip(documents.chunks(RENDERED_PER_PART));
            for (((plans, rows), lines), documents) in parts {
                let waiting = Instant::now();
                let rendered = rendered_parts
                    .recv()
                    .map_err(|_| BillingError::RendererPanicked)??;
                times.waiting += waiting.elapsed();
                let part = Part {
                    plans,
                    rows,
                    lines,
                    documents,
                };
                write_part(conn, env, part, rendered, data_billed, totals, now)?;
            }
            Ok(())
        })();
        // The rendering thread stops at its next part once the receiver is gone.
        drop(rendered_parts);
        times.rendering = rendering
            .join()
            .map_err(|_| BillingError::RendererPanicked)?;
        written
    })?;
    // Before the commit records any hash: it must find every file on disk.
    env.invoicing.store.flush()?;
    // Credit from earlier overpayments settles the new invoices at once, as when an invoice is
    // issued one by one.
    let customer_ids: Vec<CustomerId> = plans.iter().map(|plan| plan.customer.id).collect();
    let mut with_credit: Vec<CustomerId> =
        db::payments::customers_with_credit(conn, &customer_ids)?
            .into_iter()
            .collect();
    with_credit.sort_unstable();
    for customer in with_credit {
        crate::app::payments::settle(conn, customer, now)?;
    }
    Ok(times)
}

/// One part of a chunk, its slices of the chunk's plans, rows, lines and rendered documents.
struct Part<'a> {
    plans: &'a [InvoicePlan],
    rows: &'a [NewInvoice],
    lines: &'a [Vec<NewInvoiceLine>],
    documents: &'a [Document],
}

/// Writes one part's invoices, with their PDFs' paths and hashes, and everything that names
/// them: lines, the billed periods, subscription periods, charges, FA(3) documents and mails.
fn write_part(
    conn: &mut DbConn,
    env: &RunEnv<'_>,
    part: Part<'_>,
    mut rendered: Vec<render::Rendered>,
    data_billed: &std::collections::HashSet<CustomerId>,
    totals: &mut RunTotals,
    now: NaiveDateTime,
) -> Result<(), BillingError> {
    let mut rows = part.rows.to_vec();
    for (row, rendered) in rows.iter_mut().zip(&rendered) {
        // The run's store keeps its files, so every invoice has one.
        let Some(pdf) = &rendered.pdf else {
            return Err(BillingError::Invoice("rendered without its PDF".into()));
        };
        row.pdf_path = Some(pdf.relative_path.clone());
        row.pdf_sha256 = Some(pdf.sha256.clone());
    }
    let ids: HashMap<String, InvoiceId> = db::billing::insert_invoices(conn, &rows)?
        .into_iter()
        .filter_map(|(id, number)| number.map(|n| (n, id)))
        .collect();
    let mut lines: Vec<NewInvoiceLine> = Vec::new();
    let mut keys = Vec::with_capacity(part.plans.len());
    let mut facts: Vec<NewSubscriptionPeriod> = Vec::new();
    let mut ksef_documents = Vec::with_capacity(part.plans.len());
    let mut mails = Vec::new();
    for (((plan, document), rendered), plan_lines) in part
        .plans
        .iter()
        .zip(part.documents)
        .zip(&mut rendered)
        .zip(part.lines)
    {
        let number = document.invoice.number.clone().unwrap_or_default();
        let id = *ids.get(&number).ok_or(BillingError::Lost(number))?;
        lines.extend(plan_lines.iter().map(|line| NewInvoiceLine {
            invoice_id: id,
            ..line.clone()
        }));
        if let Some(mut ksef) = rendered.ksef.take() {
            ksef.invoice_id = id;
            ksef_documents.push(ksef);
        }
        facts.extend(subscriptions_billed_by(&plan.lines).into_iter().map(|s| {
            NewSubscriptionPeriod {
                service_id: s.service_id,
                contract_id: plan.contract_of(s.service_id),
                period: s.period.key(),
                invoice_id: id,
                source: InvoicedBy::BillingRun.as_str().into(),
                created_at: now,
                released_by_invoice_id: None,
                released_at: None,
            }
        }));
        for charge_id in &plan.charge_ids {
            if !db::billing::consume_charge(conn, *charge_id, id)? {
                return Err(BillingError::ChargeTaken(*charge_id));
            }
        }
        // A customer billed again (after a correction freed a period) keeps the first record.
        if !data_billed.contains(&plan.customer.id) {
            keys.push(BilledPeriod {
                customer_id: plan.customer.id,
                period: env.period.key(),
                invoice_id: id,
                run_id: env.run_id,
            });
        }
        if let (true, Some(outgoing), Some(pdf)) =
            (plan.by_email, env.invoicing.outgoing, &rendered.pdf)
        {
            mails.push(invoice_mail(
                outgoing,
                &document.invoice,
                &plan.customer.email,
                &env.invoicing.store.absolute(&pdf.relative_path),
                CorrectionEffect::Nothing,
                now,
            ));
        }
        totals.issued += 1;
        totals.total_gross += plan.totals.gross.grosze();
    }
    db::billing::insert_lines(conn, &lines)?;
    db::billing::insert_billed(conn, &keys)?;
    // The plan left out every subscription invoiced before; a concurrent issuer that recorded
    // one since fails this statement, and the chunk with it (a re-run then skips it).
    db::subscription_periods::record(conn, &facts)?;
    db::ksef::insert_many(conn, &ksef_documents)?;
    db::outbox::enqueue_many(conn, &mails)?;
    Ok(())
}

/// The id a document carries while it is rendered, before its row is inserted: ids start at 1
/// on both backends, and nothing rendered (the PDF, the FA(3) XML) shows it.
const UNSTORED: InvoiceId = InvoiceId(0);

/// The invoice as it now stands in the database, for rendering without reading it back.
pub(crate) fn stored_invoice(id: InvoiceId, row: NewInvoice) -> Invoice {
    Invoice {
        id,
        customer_id: row.customer_id,
        contract_id: row.contract_id,
        kind: row.kind,
        status: row.status,
        series_id: row.series_id,
        period_key: row.period_key,
        seq: row.seq,
        number: row.number,
        corrects_invoice_id: row.corrects_invoice_id,
        correction_reason: row.correction_reason,
        issue_date: row.issue_date,
        sale_date: row.sale_date,
        period_start: row.period_start,
        period_end: row.period_end,
        due_date: row.due_date,
        payment_method: row.payment_method,
        seller_name: row.seller_name,
        seller_nip: row.seller_nip,
        seller_address_line: row.seller_address_line,
        seller_postal_code: row.seller_postal_code,
        seller_city: row.seller_city,
        buyer_name: row.buyer_name,
        buyer_nip: row.buyer_nip,
        buyer_address_line: row.buyer_address_line,
        buyer_postal_code: row.buyer_postal_code,
        buyer_city: row.buyer_city,
        bank_account: row.bank_account,
        total_net: row.total_net,
        total_vat: row.total_vat,
        total_gross: row.total_gross,
        split_payment: row.split_payment,
        delivery: row.delivery,
        pdf_path: row.pdf_path,
        pdf_sha256: row.pdf_sha256,
        created_at: row.created_at,
        issued_at: row.issued_at,
        price_kind: row.price_kind,
        delivered_at: row.delivered_at,
    }
}

pub(crate) fn stored_line(row: &NewInvoiceLine) -> InvoiceLine {
    InvoiceLine {
        id: 0,
        invoice_id: row.invoice_id,
        position: row.position,
        name: row.name.clone(),
        unit: row.unit.clone(),
        quantity: row.quantity.clone(),
        unit_price: row.unit_price,
        price_kind: row.price_kind.clone(),
        net: row.net,
        vat_rate: row.vat_rate.clone(),
        vat: row.vat,
        gross: row.gross,
        service_id: row.service_id,
        side: row.side.clone(),
    }
}
