//! Writing one chunk of the run in one write transaction: numbers for every planned invoice at
//! once, the rows, the PDFs (rendered in parallel and stored before the commit that records
//! their hashes), the e-mails for consenting customers, the idempotency keys and the run's
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
    Header, Invoicing, IssueError, line_rows, new_invoice, queue_invoice_mail,
    subscriptions_billed_by,
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
    let (mut totals, pdf_time) = db::write_transaction(conn, |conn| {
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
        let pdf_time = if plans.is_empty() {
            Duration::ZERO
        } else {
            write_invoices(conn, env, &plans, &data.billed, &mut totals, now)?
        };
        totals.pdf += pdf_time;
        totals.db += started.elapsed().saturating_sub(pdf_time);
        db::billing::record_progress(conn, env.run_id, &totals.counters(), now)?;
        Ok::<_, BillingError>((totals, pdf_time))
    })?;
    // The commit is database time too; the record catches up with the next chunk or the end.
    totals.db = before.db + started.elapsed().saturating_sub(pdf_time);
    Ok(totals)
}

/// Numbers, rows, PDFs and mail for the planned invoices; returns the time spent on PDFs.
fn write_invoices(
    conn: &mut DbConn,
    env: &RunEnv<'_>,
    plans: &[InvoicePlan],
    data_billed: &std::collections::HashSet<CustomerId>,
    totals: &mut RunTotals,
    now: NaiveDateTime,
) -> Result<Duration, BillingError> {
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
    let ids: HashMap<String, InvoiceId> = db::billing::insert_invoices(conn, &rows)?
        .into_iter()
        .filter_map(|(id, number)| number.map(|n| (n, id)))
        .collect();
    let mut documents = Vec::with_capacity(plans.len());
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
    let mut all_lines: Vec<NewInvoiceLine> = Vec::new();
    let mut keys = Vec::with_capacity(plans.len());
    let mut facts: Vec<NewSubscriptionPeriod> = Vec::new();
    for (plan, row) in plans.iter().zip(rows) {
        let number = row.number.clone().unwrap_or_default();
        let id = *ids.get(&number).ok_or(BillingError::Lost(number))?;
        let lines = line_rows(id, &plan.lines, &plan.totals, plan.method, "line", 1);
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
        totals.issued += 1;
        totals.total_gross += plan.totals.gross.grosze();
        documents.push(Document {
            lines: lines.iter().map(stored_line).collect(),
            invoice: stored_invoice(id, row),
            customer_number: plan.customer.customer_number,
            fa3,
        });
        all_lines.extend(lines);
    }
    db::billing::insert_lines(conn, &all_lines)?;
    db::billing::insert_billed(conn, &keys)?;
    // The plan left out every subscription invoiced before; a concurrent issuer that recorded
    // one since fails this statement, and the chunk with it (a re-run then skips it).
    db::subscription_periods::record(conn, &facts)?;
    let customer_ids: Vec<CustomerId> = plans.iter().map(|plan| plan.customer.id).collect();
    let with_credit = db::payments::customers_with_credit(conn, &customer_ids)?;
    let pdf_started = Instant::now();
    let mut rendered = render::render_and_store(env.invoicing, &documents, env.threads)?;
    let pdf_time = pdf_started.elapsed();
    let ksef_documents: Vec<_> = rendered.iter_mut().filter_map(|r| r.ksef.take()).collect();
    db::ksef::insert_many(conn, &ksef_documents)?;
    for ((document, rendered), plan) in documents.iter().zip(&rendered).zip(plans) {
        // The run's store keeps its files, so every invoice has one.
        let Some(pdf) = &rendered.pdf else {
            return Err(BillingError::Invoice("rendered without its PDF".into()));
        };
        db::invoices::attach_pdf(conn, document.invoice.id, &pdf.relative_path, &pdf.sha256)?;
        if let (true, Some(outgoing)) = (plan.by_email, env.invoicing.outgoing) {
            queue_invoice_mail(
                conn,
                outgoing,
                &document.invoice,
                &plan.customer.email,
                &env.invoicing.store.absolute(&pdf.relative_path),
                CorrectionEffect::Nothing,
                now,
            )
            .map_err(|e| match e {
                IssueError::Mail(e) => BillingError::Mail(e),
                IssueError::Database(e) => BillingError::Database(e),
                other => BillingError::Invoice(other.to_string()),
            })?;
        }
        // Credit from earlier overpayments settles the new invoice at once, as when an invoice
        // is issued one by one.
        if with_credit.contains(&plan.customer.id) {
            crate::app::payments::settle(conn, plan.customer.id, now)?;
        }
    }
    Ok(pdf_time)
}

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
