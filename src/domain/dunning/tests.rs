use chrono::NaiveDate;

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const DUE: (i32, u32, u32) = (2026, 5, 20);

fn due() -> NaiveDate {
    date(DUE.0, DUE.1, DUE.2)
}

fn on(days_after_due: i64) -> NaiveDate {
    due() + Duration::days(days_after_due)
}

#[test]
fn nothing_happens_before_the_first_step() {
    assert_eq!(next_step(&default_plan(), due(), on(2), &[]), None);
}

#[test]
fn the_default_plan_walks_every_step_on_its_day() {
    let plan = default_plan();
    let mut done = Vec::new();
    let mut taken = Vec::new();
    for day in 0..60 {
        if let Some(next) = next_step(&plan, due(), on(day), &done) {
            assert!(next.skipped.is_empty(), "day {day}");
            done.push(next.step.kind);
            taken.push((day, next.step.kind));
        }
    }
    assert_eq!(
        taken,
        vec![
            (3, StepKind::Reminder),
            (14, StepKind::FormalDemand),
            (21, StepKind::WarningPage),
            (28, StepKind::Limitation),
            (45, StepKind::PreCourtDemand),
        ]
    );
}

#[test]
fn a_late_run_takes_the_latest_step_and_skips_the_stale_ones() {
    let next = next_step(&default_plan(), due(), on(22), &[StepKind::Reminder]).unwrap();
    assert_eq!(next.step.kind, StepKind::WarningPage);
    assert_eq!(next.skipped, vec![StepKind::FormalDemand]);
}

#[test]
fn a_step_already_done_is_not_taken_again() {
    let done = [StepKind::Reminder, StepKind::FormalDemand];
    assert_eq!(next_step(&default_plan(), due(), on(15), &done), None);
}

#[test]
fn inactive_steps_are_passed_over() {
    let mut plan = default_plan();
    plan[0].active = false;
    let next = next_step(&plan, due(), on(14), &[]).unwrap();
    assert_eq!(next.step.kind, StepKind::FormalDemand);
    assert!(next.skipped.is_empty());
}

#[test]
fn a_formal_demand_gives_seven_days_from_the_day_it_is_sent() {
    let plan = default_plan();
    assert_eq!(deadline_of(&plan, &plan[1], due(), on(15)), Some(on(22)));
    // A reminder's deadline is the day of the formal demand.
    assert_eq!(deadline_of(&plan, &plan[0], due(), on(3)), Some(on(14)));
}

#[test]
fn the_default_plan_is_valid() {
    assert_eq!(validate_plan(&default_plan(), 1000), Ok(()));
}

#[test]
fn steps_out_of_order_are_refused() {
    let mut plan = default_plan();
    plan[2].offset_days = 10;
    assert_eq!(
        validate_plan(&plan, 0),
        Err(PlanError::OutOfOrder(StepKind::WarningPage))
    );
}

#[test]
fn an_active_step_without_a_channel_is_refused() {
    let mut plan = default_plan();
    plan[0].by_email = false;
    plan[0].in_portal = false;
    assert_eq!(
        validate_plan(&plan, 0),
        Err(PlanError::NoChannel(StepKind::Reminder))
    );
}

#[test]
fn a_negative_minimum_debt_is_refused() {
    assert_eq!(
        validate_plan(&default_plan(), -1),
        Err(PlanError::NegativeMinimum)
    );
}

#[test]
fn limitation_blocks_and_the_warning_step_warns() {
    assert_eq!(StepKind::Reminder.endpoint_flag(), None);
    assert_eq!(
        StepKind::WarningPage.endpoint_flag(),
        Some(EndpointFlag::Warning)
    );
    assert_eq!(
        StepKind::Limitation.endpoint_flag(),
        Some(EndpointFlag::Block)
    );
}

#[test]
fn step_names_read_back() {
    for kind in StepKind::ALL {
        assert_eq!(StepKind::parse(kind.name()), Some(kind));
    }
}
