//! Numbering series, set up by an admin: a template such as `FV/{YYYY}/{MM}/{N:06}` and when the
//! counter starts again. A template is checked so numbers can never repeat across periods, and
//! it is fixed once the series has numbered an invoice (start a new series instead).

use chrono::NaiveDateTime;
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::app::clock;
use crate::db::invoices::{InvoiceSeries, NewInvoiceSeries};
use crate::db::{self, DbConn};
use crate::domain::numbering::{NumberTemplate, NumberingError, ResetPeriod};

#[derive(Debug, Clone, Default)]
pub struct SeriesForm {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub template: String,
    pub reset_period: String,
    pub active: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SeriesError {
    #[error("the code must be 1–10 capital letters or digits")]
    Code,
    #[error("the code is taken")]
    CodeTaken,
    #[error("the name is empty")]
    Name,
    #[error("unknown kind")]
    Kind,
    #[error("template: {0}")]
    Template(#[from] NumberingError),
    #[error("the series has numbered invoices; its template and reset cannot change")]
    InUse,
    #[error("no such series")]
    NotFound,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SeriesRow {
    pub series: InvoiceSeries,
    pub in_use: bool,
    /// What the next number would look like today (with counter 1).
    pub example: String,
}

pub fn list(conn: &mut DbConn) -> diesel::QueryResult<Vec<SeriesRow>> {
    let today = clock::today();
    db::invoices::all_series(conn)?
        .into_iter()
        .map(|series| {
            let example = NumberTemplate::parse(&series.template)
                .map(|t| t.render(today, 1))
                .unwrap_or_default();
            Ok(SeriesRow {
                in_use: db::invoices::series_in_use(conn, series.id)?,
                example,
                series,
            })
        })
        .collect()
}

fn checked(form: &SeriesForm) -> Result<(String, ResetPeriod), SeriesError> {
    if form.name.trim().is_empty() {
        return Err(SeriesError::Name);
    }
    let template = NumberTemplate::parse(form.template.trim())?;
    let reset = ResetPeriod::parse(form.reset_period.trim())?;
    template.check_fits(reset)?;
    Ok((template.as_str().to_owned(), reset))
}

pub fn create(
    conn: &mut DbConn,
    form: &SeriesForm,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<i64, SeriesError> {
    let code = form.code.trim().to_uppercase();
    if code.is_empty() || code.len() > 10 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(SeriesError::Code);
    }
    if !matches!(form.kind.as_str(), "invoice" | "correction") {
        return Err(SeriesError::Kind);
    }
    let (template, reset) = checked(form)?;
    db::write_transaction(conn, |conn| {
        if db::invoices::find_series_by_code(conn, &code)?.is_some() {
            return Err(SeriesError::CodeTaken);
        }
        let id = db::invoices::insert_series(
            conn,
            &NewInvoiceSeries {
                code: code.clone(),
                name: form.name.trim().to_owned(),
                kind: form.kind.clone(),
                template: template.clone(),
                reset_period: reset.as_str().to_owned(),
                active: form.active,
                created_at: now,
            },
        )?;
        audit::record(
            conn,
            actor,
            "series_created",
            json!({ "series": id, "code": code, "template": template }),
            now,
        )?;
        Ok(id)
    })
}

pub fn update(
    conn: &mut DbConn,
    id: i64,
    form: &SeriesForm,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), SeriesError> {
    let (template, reset) = checked(form)?;
    db::write_transaction(conn, |conn| {
        let series = db::invoices::find_series(conn, id)?.ok_or(SeriesError::NotFound)?;
        let numbering_changes =
            series.template != template || series.reset_period != reset.as_str();
        if numbering_changes && db::invoices::series_in_use(conn, id)? {
            return Err(SeriesError::InUse);
        }
        db::invoices::update_series(
            conn,
            id,
            form.name.trim(),
            &template,
            reset.as_str(),
            form.active,
        )?;
        audit::record(
            conn,
            actor,
            "series_changed",
            json!({
                "series": id,
                "before": { "name": series.name, "template": series.template, "reset": series.reset_period, "active": series.active },
                "after": { "name": form.name.trim(), "template": template, "reset": reset.as_str(), "active": form.active },
            }),
            now,
        )?;
        Ok(())
    })
}
