//! The recurring-charge job, once: opens the periods due today and charges them
//! (`app::recurring::charge`). Safe with several instances: a period's charge is unique per
//! contract and period, and each attempt is claimed by a conditional update.

use chrono::{NaiveDate, NaiveDateTime};

use crate::app::online_payments::Gateway;
use crate::app::recurring::RecurringError;
use crate::app::recurring::charge::{ChargeContext, PassReport, run_pass};
use crate::db::Pool;

pub async fn run_once(
    pool: &Pool,
    gateway: &Gateway,
    ctx: &ChargeContext,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<PassReport, RecurringError> {
    run_pass(pool, gateway, ctx, today, now).await
}
