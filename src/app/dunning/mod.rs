//! The dunning job: for each customer who owes past a due date, the step of the plan each
//! unpaid invoice has reached (`domain::dunning`), with statutory interest so far
//! (`domain::interest`) on what `app::receivables` says is owed.
//!
//! Each step of each invoice is taken once, however many instances run and whatever crashed:
//! one transaction re-reads what the invoice owes, records the step (a UNIQUE index on invoice
//! and step: the claim), queues its mail in the outbox and flags the endpoints. A paid invoice is
//! never dunned, and a recorded step's mail is never lost, because the outbox is written in
//! that same transaction; its PDF is rendered from the recorded figures when it is opened.

mod documents;
pub mod letters;
mod settings;

pub use documents::{CustomerDunning, OverdueInvoice, StepDocument, document_of, of_customer};
pub use settings::{
    PauseView, PlanForm, RateForm, SettingsError, Setup, StaffView, StepInput, pause, save_plan,
    save_rate, setup, staff_view, unpause,
};

use crate::domain::CustomerId;
use crate::domain::CustomerKind;
use crate::domain::InvoiceId;
use std::collections::HashSet;

use crate::app::mail_queue::{self, Outgoing, QueueError};
use crate::app::receivables;
use crate::db::customers::Customer;
use crate::db::dunning::NewStep;
use crate::db::{self, DbConn};
use crate::domain::Money;
use crate::domain::dunning::{NextStep, PlanStep, StepKind, StepStatus, deadline_of, next_step};
use crate::domain::interest::{InterestError, InterestKind, RateTable, statutory_interest};
use crate::domain::receivables::InvoiceDebt;
use crate::mail::{Language, MailKind};
use chrono::{Duration, NaiveDate, NaiveDateTime};

/// One step the run takes (or, dry, would take).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub customer_id: CustomerId,
    pub customer_number: i64,
    pub customer_name: String,
    pub invoice_id: InvoiceId,
    pub invoice_number: String,
    pub due_date: NaiveDate,
    pub step: PlanStep,
    pub skipped: Vec<StepKind>,
    pub outstanding: Money,
    pub interest: Money,
    pub interest_kind: InterestKind,
    pub deadline: Option<NaiveDate>,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Taken (or, dry, to be taken), by customer number.
    pub planned: Vec<Planned>,
    pub customers_checked: usize,
    pub paused: usize,
    /// Skipped: a complaint (an open billing ticket) is in progress.
    pub complaints: usize,
    pub below_minimum: usize,
    /// Paid between reading and recording: not dunned.
    pub paid_meanwhile: usize,
    /// Taken by another instance first.
    pub taken_elsewhere: usize,
    /// Invoices left alone, with why (a day with no known interest rate).
    pub problems: Vec<String>,
}

impl crate::app::service::QueuesMail for RunReport {
    /// Every step taken queues its letter's mail (or portal notice) in the same transaction.
    fn queued_mail(&self) -> bool {
        !self.planned.is_empty()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DunningError {
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Mail(#[from] QueueError),
}

/// The person or company as letters address them.
pub fn customer_name(customer: &Customer) -> String {
    match &customer.company_name {
        Some(company) if customer.kind == CustomerKind::Company => company.clone(),
        _ => [
            customer.first_name.as_deref(),
            customer.last_name.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" "),
    }
}

/// Businesses owe the commercial rate: a company, or a person trading under a NIP.
pub fn interest_kind_of(customer: &Customer) -> InterestKind {
    if customer.kind == CustomerKind::Company || customer.nip.is_some() {
        InterestKind::Commercial
    } else {
        InterestKind::Consumer
    }
}

/// Runs the plan for `today`. With `dry_run` nothing is written: the report lists who would get
/// what.
pub fn run(
    conn: &mut DbConn,
    outgoing: &Outgoing<'_>,
    today: NaiveDate,
    now: NaiveDateTime,
    dry_run: bool,
) -> Result<RunReport, DunningError> {
    let setup = setup(conn)?;
    let mut report = RunReport::default();
    let Some(first_offset) = setup
        .plan
        .iter()
        .filter(|s| s.active)
        .map(|s| s.offset_days)
        .min()
    else {
        return Ok(report);
    };
    let paused: HashSet<CustomerId> = db::dunning::paused_customer_ids(conn)?
        .into_iter()
        .collect();
    let complaints: HashSet<CustomerId> = db::dunning::customers_with_open_complaints(conn)?
        .into_iter()
        .collect();
    let candidates = db::dunning::candidate_customers(conn, today - Duration::days(first_offset))?;
    for customer_id in candidates {
        report.customers_checked += 1;
        if paused.contains(&customer_id) {
            report.paused += 1;
            continue;
        }
        if complaints.contains(&customer_id) {
            report.complaints += 1;
            continue;
        }
        let plans = match plan_customer(conn, &setup, customer_id, today)? {
            CustomerPlan::BelowMinimum => {
                report.below_minimum += 1;
                continue;
            }
            CustomerPlan::Steps(plans, problems) => {
                report.problems.extend(problems);
                plans
            }
        };
        for planned in plans {
            if dry_run {
                report.planned.push(planned);
                continue;
            }
            match take_step(conn, outgoing, &setup, &planned, today, now) {
                Ok(Taken::Done) => report.planned.push(planned),
                Ok(Taken::PaidMeanwhile) => report.paid_meanwhile += 1,
                Ok(Taken::PausedMeanwhile) => report.paused += 1,
                Ok(Taken::ComplaintMeanwhile) => report.complaints += 1,
                Err(DunningError::Database(error)) if db::is_unique_violation(&error) => {
                    report.taken_elsewhere += 1;
                }
                Err(error) => return Err(error),
            }
        }
    }
    Ok(report)
}

enum CustomerPlan {
    BelowMinimum,
    Steps(Vec<Planned>, Vec<String>),
}

fn plan_customer(
    conn: &mut DbConn,
    setup: &Setup,
    customer_id: CustomerId,
    today: NaiveDate,
) -> Result<CustomerPlan, DunningError> {
    let money = receivables::of_customer(conn, customer_id, today)?;
    if money.standing.overdue == 0 || money.standing.overdue < setup.minimum_debt {
        return Ok(CustomerPlan::BelowMinimum);
    }
    let Some(customer) = db::customers::find(conn, customer_id)? else {
        return Ok(CustomerPlan::Steps(Vec::new(), Vec::new()));
    };
    let steps = db::dunning::steps_of_customer(conn, customer_id)?;
    let numbers = db::dunning::invoice_numbers_of_customer(conn, customer_id)?;
    let kind = interest_kind_of(&customer);
    let mut plans = Vec::new();
    let mut problems = Vec::new();
    for debt in money.open() {
        if debt.due_date >= today {
            continue;
        }
        let done: Vec<StepKind> = steps
            .iter()
            .filter(|s| s.invoice_id == debt.invoice_id)
            .filter_map(|s| StepKind::parse(&s.step))
            .collect();
        let Some(NextStep { step, skipped }) = next_step(&setup.plan, debt.due_date, today, &done)
        else {
            continue;
        };
        let number = numbers
            .iter()
            .find(|(id, _)| *id == debt.invoice_id)
            .and_then(|(_, number)| number.clone())
            .unwrap_or_default();
        let interest = match interest_on(debt, today, kind, &setup.rates) {
            Ok(interest) => interest,
            Err(error) => {
                problems.push(format!(
                    "klient {} faktura {number}: {error}",
                    customer.customer_number
                ));
                continue;
            }
        };
        plans.push(Planned {
            customer_id,
            customer_number: customer.customer_number,
            customer_name: customer_name(&customer),
            invoice_id: debt.invoice_id,
            invoice_number: number,
            due_date: debt.due_date,
            step,
            skipped,
            outstanding: Money::from_grosze(debt.outstanding()),
            interest,
            interest_kind: kind,
            deadline: deadline_of(&setup.plan, &step, debt.due_date, today),
        });
    }
    Ok(CustomerPlan::Steps(plans, problems))
}

/// Interest so far on what the invoice still owes.
pub fn interest_on(
    debt: &InvoiceDebt,
    until: NaiveDate,
    kind: InterestKind,
    rates: &RateTable,
) -> Result<Money, InterestError> {
    statutory_interest(
        Money::from_grosze(debt.outstanding()),
        debt.due_date,
        until,
        kind,
        rates,
    )
    .map(|interest| interest.total)
}

enum Taken {
    Done,
    PaidMeanwhile,
    PausedMeanwhile,
    ComplaintMeanwhile,
}

fn take_step(
    conn: &mut DbConn,
    outgoing: &Outgoing<'_>,
    setup: &Setup,
    planned: &Planned,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<Taken, DunningError> {
    db::write_transaction(conn, |conn| {
        // Re-read inside the transaction that records the step: a payment booked since the
        // plan was made wins.
        let money = receivables::of_customer(conn, planned.customer_id, today)?;
        let still_owed = money
            .debt_of(planned.invoice_id)
            .is_some_and(|debt| !debt.is_settled());
        if !still_owed {
            return Ok(Taken::PaidMeanwhile);
        }
        if db::dunning::pause_of(conn, planned.customer_id)?.is_some() {
            return Ok(Taken::PausedMeanwhile);
        }
        if db::dunning::has_open_complaint(conn, planned.customer_id)? {
            return Ok(Taken::ComplaintMeanwhile);
        }
        for kind in &planned.skipped {
            db::dunning::insert_step(
                conn,
                &new_step(planned, *kind, StepStatus::Skipped, today, now),
            )?;
        }
        let mut step = new_step(planned, planned.step.kind, StepStatus::Sent, today, now);
        step.deadline = planned.deadline;
        step.by_email = planned.step.by_email;
        step.in_portal = planned.step.in_portal;
        step.by_letter = planned.step.by_letter;
        let step_id = db::dunning::insert_step(conn, &step)?;
        if let Some(flag) = planned.step.kind.endpoint_flag() {
            db::dunning::flag_endpoints(
                conn,
                planned.customer_id,
                planned.invoice_id,
                flag.name(),
                now,
            )?;
        }
        if planned.step.by_email {
            queue_mail(conn, outgoing, setup, planned, step_id, today, now)?;
        }
        Ok(Taken::Done)
    })
}

fn new_step(
    planned: &Planned,
    kind: StepKind,
    status: StepStatus,
    today: NaiveDate,
    now: NaiveDateTime,
) -> NewStep {
    NewStep {
        invoice_id: planned.invoice_id,
        customer_id: planned.customer_id,
        step: kind.name().into(),
        status,
        taken_on: today,
        outstanding: planned.outstanding.grosze(),
        interest: planned.interest.grosze(),
        interest_kind: planned.interest_kind,
        deadline: None,
        by_email: false,
        in_portal: false,
        by_letter: false,
        created_at: now,
    }
}

fn queue_mail(
    conn: &mut DbConn,
    outgoing: &Outgoing<'_>,
    setup: &Setup,
    planned: &Planned,
    step_id: i64,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<(), DunningError> {
    let Some(customer) = db::customers::find(conn, planned.customer_id)? else {
        return Ok(());
    };
    // The friendly reminder is a notification the subscriber may turn off ("przypomnienia o
    // płatnościach" on /dane); demands and notices of limitation are not.
    if planned.step.kind == StepKind::Reminder && !customer.notify_reminders {
        return Ok(());
    }
    let mut context = outgoing.context();
    context.insert("step", planned.step.kind.name());
    context.insert("customer_name", &planned.customer_name);
    context.insert("invoice_number", &planned.invoice_number);
    context.insert("due_date", &planned.due_date.format("%d.%m.%Y").to_string());
    context.insert("outstanding", &planned.outstanding.to_string());
    context.insert("interest", &planned.interest.to_string());
    context.insert(
        "total",
        &(planned.outstanding + planned.interest).to_string(),
    );
    context.insert("today", &today.format("%d.%m.%Y").to_string());
    context.insert(
        "deadline",
        &planned.deadline.map(|d| d.format("%d.%m.%Y").to_string()),
    );
    let next = crate::domain::dunning::step_after(&setup.plan, planned.step.kind);
    context.insert("next_step", &next.map(|s| s.kind.name()));
    context.insert(
        "link",
        &outgoing.link(&format!("/saldo/monity/{step_id}.pdf")),
    );
    context.insert("pay_link", &outgoing.link("/saldo"));
    mail_queue::queue(
        conn,
        outgoing.templates,
        MailKind::Dunning,
        &customer.email,
        Language::from_code(&customer.language),
        &context,
        now,
    )?;
    Ok(())
}

/// The flagged endpoints for the network side, as `format` (`ip-list` or `ipset`).
pub fn network_export(conn: &mut DbConn, format: ExportFormat) -> diesel::QueryResult<String> {
    use crate::domain::dunning::EndpointFlag;
    use crate::domain::network_export::{FlaggedAddress, ip_list, ipset_restore};
    let endpoints: Vec<FlaggedAddress> = db::dunning::flagged_endpoints(conn)?
        .into_iter()
        .filter_map(|e| {
            Some(FlaggedAddress {
                flag: EndpointFlag::parse(&e.flag)?,
                ipv4: e.ipv4,
                ipv6_prefix: e.ipv6_prefix,
            })
        })
        .collect();
    Ok(match format {
        ExportFormat::IpList => ip_list(&endpoints, None),
        ExportFormat::Ipset => ipset_restore(&endpoints),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    IpList,
    Ipset,
}
