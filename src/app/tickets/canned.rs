//! Canned responses: ready answers staff manage and insert into replies.

use chrono::NaiveDateTime;
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::db::canned_responses::{CannedResponse, NewCannedResponse};
use crate::db::{self, DbConn};
use crate::domain::tickets::BODY_MAX_CHARS;

#[derive(Debug, Clone, Default)]
pub struct CannedForm {
    pub title: String,
    pub body: String,
    pub active: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum CannedError {
    #[error("the title is empty or longer than 100 characters")]
    Title,
    #[error("the text is empty or too long")]
    Body,
    #[error("no such canned response")]
    NotFound,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

fn checked(form: &CannedForm) -> Result<(String, String), CannedError> {
    let title = form.title.trim();
    if title.is_empty() || title.chars().count() > 100 {
        return Err(CannedError::Title);
    }
    let body = form.body.trim().replace("\r\n", "\n");
    if body.is_empty() || body.chars().count() > BODY_MAX_CHARS {
        return Err(CannedError::Body);
    }
    Ok((title.to_owned(), body))
}

pub fn list(conn: &mut DbConn, active_only: bool) -> diesel::QueryResult<Vec<CannedResponse>> {
    db::canned_responses::list(conn, active_only)
}

/// The text to put into the reply box, if the response exists and is in use.
pub fn body_of(conn: &mut DbConn, id: i64) -> diesel::QueryResult<Option<String>> {
    Ok(db::canned_responses::find(conn, id)?
        .filter(|r| r.active)
        .map(|r| r.body))
}

pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    form: &CannedForm,
    now: NaiveDateTime,
) -> Result<i64, CannedError> {
    let (title, body) = checked(form)?;
    db::write_transaction(conn, |conn| {
        let id = db::canned_responses::insert(
            conn,
            &NewCannedResponse {
                title: title.clone(),
                body,
                active: form.active,
                created_by_staff_id: actor.staff_id,
                created_at: now,
                updated_at: now,
            },
        )?;
        audit::record(
            conn,
            actor,
            "canned_response_created",
            json!({ "canned_response": id, "title": title }),
            now,
        )?;
        Ok(id)
    })
}

pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    form: &CannedForm,
    now: NaiveDateTime,
) -> Result<(), CannedError> {
    let (title, body) = checked(form)?;
    db::write_transaction(conn, |conn| {
        let before = db::canned_responses::find(conn, id)?.ok_or(CannedError::NotFound)?;
        db::canned_responses::update(conn, id, &title, &body, form.active, now)?;
        audit::record(
            conn,
            actor,
            "canned_response_changed",
            json!({
                "canned_response": id,
                "before": { "title": before.title, "active": before.active },
                "after": { "title": title, "active": form.active },
            }),
            now,
        )?;
        Ok(())
    })
}
