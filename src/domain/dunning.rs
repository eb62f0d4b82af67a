//! The dunning plan: what happens to an unpaid invoice how many days after its due date, and
//! which step an invoice has reached. Reminders and demands carry no fee: flat reminder fees
//! charged to consumers were held abusive (SA Warszawa VI ACa 695/10), so the plan has no fee to
//! configure at all.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

crate::domain::words::stored_words!(
    /// What became of a step taken for an invoice (`dunning_steps.status`).
    StepStatus {
        /// Sent to the subscriber (mail, portal, letter as the plan says).
        Sent = "sent",
        /// Passed over: a later step was due at once, so only that one was sent.
        Skipped = "skipped",
    }
);

/// A step of the plan, in the order they happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// A friendly reminder.
    Reminder,
    /// "Wezwanie do zapłaty": a formal demand with a new deadline.
    FormalDemand,
    /// The subscriber's connection shows a warning page.
    WarningPage,
    /// Service is limited (the endpoints are flagged for blocking).
    Limitation,
    /// "Ostateczne przedsądowe wezwanie do zapłaty": the final demand before court.
    PreCourtDemand,
}

impl StepKind {
    pub const ALL: [StepKind; 5] = [
        StepKind::Reminder,
        StepKind::FormalDemand,
        StepKind::WarningPage,
        StepKind::Limitation,
        StepKind::PreCourtDemand,
    ];

    pub fn name(self) -> &'static str {
        match self {
            StepKind::Reminder => "reminder",
            StepKind::FormalDemand => "formal_demand",
            StepKind::WarningPage => "warning_page",
            StepKind::Limitation => "limitation",
            StepKind::PreCourtDemand => "pre_court_demand",
        }
    }

    pub fn parse(name: &str) -> Option<StepKind> {
        StepKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The flag this step puts on the customer's endpoints for the network side.
    pub fn endpoint_flag(self) -> Option<EndpointFlag> {
        match self {
            StepKind::WarningPage => Some(EndpointFlag::Warning),
            StepKind::Limitation | StepKind::PreCourtDemand => Some(EndpointFlag::Block),
            StepKind::Reminder | StepKind::FormalDemand => None,
        }
    }
}

/// What the network side does with a flagged endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EndpointFlag {
    /// Redirect web traffic to the "you have overdue invoices" page.
    Warning,
    /// Limit the service.
    Block,
}

impl EndpointFlag {
    pub fn name(self) -> &'static str {
        match self {
            EndpointFlag::Warning => "warning",
            EndpointFlag::Block => "block",
        }
    }

    pub fn parse(name: &str) -> Option<EndpointFlag> {
        [EndpointFlag::Warning, EndpointFlag::Block]
            .into_iter()
            .find(|f| f.name() == name)
    }
}

/// One step as billing staff configured it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PlanStep {
    pub kind: StepKind,
    /// Days after the due date.
    pub offset_days: i64,
    /// A new deadline this many days after the step (a formal demand's 7 days).
    pub deadline_days: Option<i64>,
    pub by_email: bool,
    pub in_portal: bool,
    pub by_letter: bool,
    pub active: bool,
}

/// The default plan of the issue: a reminder 3 days after the due date, a formal demand after
/// 14 with 7 days to pay, the warning page after 21, limitation after 28, the pre-court demand
/// after 45.
pub fn default_plan() -> Vec<PlanStep> {
    let step = |kind, offset_days, deadline_days, by_letter| PlanStep {
        kind,
        offset_days,
        deadline_days,
        by_email: true,
        in_portal: true,
        by_letter,
        active: true,
    };
    vec![
        step(StepKind::Reminder, 3, None, false),
        step(StepKind::FormalDemand, 14, Some(7), false),
        step(StepKind::WarningPage, 21, None, false),
        step(StepKind::Limitation, 28, None, false),
        step(StepKind::PreCourtDemand, 45, Some(7), true),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("a step must come 1 to 365 days after the due date")]
    OffsetOutOfRange(StepKind),
    #[error("each step must come later than the one before it")]
    OutOfOrder(StepKind),
    #[error("a new deadline must be 1 to 60 days")]
    DeadlineOutOfRange(StepKind),
    #[error("an active step needs at least one channel")]
    NoChannel(StepKind),
    #[error("the minimum debt cannot be negative")]
    NegativeMinimum,
}

/// Checks a plan before it is stored: active steps come in the order of their kinds, each later
/// than the one before.
pub fn validate_plan(steps: &[PlanStep], minimum_debt: i64) -> Result<(), PlanError> {
    if minimum_debt < 0 {
        return Err(PlanError::NegativeMinimum);
    }
    let mut ordered = steps.to_vec();
    ordered.sort_by_key(|s| s.kind);
    let mut last: Option<i64> = None;
    for step in ordered.iter().filter(|s| s.active) {
        if !(1..=365).contains(&step.offset_days) {
            return Err(PlanError::OffsetOutOfRange(step.kind));
        }
        if step.deadline_days.is_some_and(|d| !(1..=60).contains(&d)) {
            return Err(PlanError::DeadlineOutOfRange(step.kind));
        }
        if !(step.by_email || step.in_portal || step.by_letter) {
            return Err(PlanError::NoChannel(step.kind));
        }
        if last.is_some_and(|previous| step.offset_days <= previous) {
            return Err(PlanError::OutOfOrder(step.kind));
        }
        last = Some(step.offset_days);
    }
    Ok(())
}

/// What the job does for one invoice on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextStep {
    pub step: PlanStep,
    /// Earlier steps whose day passed while nothing ran (a job stopped for days, a pause
    /// lifted): recorded as skipped so a stale reminder never follows a demand.
    pub skipped: Vec<StepKind>,
}

/// The step an invoice due on `due_date` should get on `today`, given the steps it has had
/// (`done`, sent or skipped). Only the latest step whose day has come is taken, and nothing is
/// taken once a later step was done.
pub fn next_step(
    plan: &[PlanStep],
    due_date: NaiveDate,
    today: NaiveDate,
    done: &[StepKind],
) -> Option<NextStep> {
    let mut active: Vec<&PlanStep> = plan.iter().filter(|s| s.active).collect();
    active.sort_by_key(|s| s.kind);
    let reached = active
        .iter()
        .rev()
        .find(|s| due_date + Duration::days(s.offset_days) <= today)?;
    if done.iter().any(|kind| *kind >= reached.kind) {
        return None;
    }
    let skipped = active
        .iter()
        .filter(|s| s.kind < reached.kind && !done.contains(&s.kind))
        .map(|s| s.kind)
        .collect();
    Some(NextStep {
        step: **reached,
        skipped,
    })
}

/// The active step after `kind`, for "what happens next" on the subscriber's pages.
pub fn step_after(plan: &[PlanStep], kind: StepKind) -> Option<PlanStep> {
    plan.iter()
        .filter(|s| s.active && s.kind > kind)
        .min_by_key(|s| s.kind)
        .copied()
}

/// The day a step taken on `taken_on` for an invoice due on `due_date` expects payment by:
/// its own new deadline, else the day of the next step.
pub fn deadline_of(
    plan: &[PlanStep],
    step: &PlanStep,
    due_date: NaiveDate,
    taken_on: NaiveDate,
) -> Option<NaiveDate> {
    match step.deadline_days {
        Some(days) => Some(taken_on + Duration::days(days)),
        None => step_after(plan, step.kind).map(|next| due_date + Duration::days(next.offset_days)),
    }
}

#[cfg(test)]
mod tests;
