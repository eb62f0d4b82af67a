//! The mailing list (marketing mail). A customer is on it while their marketing consent is in
//! force (given on /dane, with time, IP and text version). Staff write a message; it goes only
//! to those on the list, each copy with its own leave link: a one-time token (only its SHA-256
//! is stored) in the footer and in the `List-Unsubscribe` header, so the mail client's
//! one-click button (RFC 8058) and the link both take the customer off without signing in.

use chrono::{Duration, NaiveDateTime};
use serde_json::json;

use crate::app::audit::{self, Actor};
use crate::app::crypto;
use crate::app::mail_queue::{self, Outgoing, QueueError};
use crate::app::profile::MARKETING_TEXT_VERSION;
use crate::db::consents::NewConsent;
use crate::db::mailing_list::{self, CONSENT_KIND};
use crate::db::{self, DbConn};
use crate::mail::{Language, MailKind};

/// How long a leave link works. Long: people open old newsletters, and withdrawing consent
/// must stay easy (RODO art. 7 ust. 3); after that /dane still does it.
const LINK_VALID_DAYS: i64 = 365;
const SUBJECT_MAX: usize = 150;
const BODY_MAX: usize = 20_000;

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct MarketingForm {
    pub subject: String,
    pub body: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MailingListError {
    /// Field name and the message key (staff.ftl) that says what is wrong.
    #[error("the form has problems")]
    Invalid(Vec<(&'static str, &'static str)>),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Mail(#[from] QueueError),
}

/// How many customers are on the list now (the staff form says before sending).
pub fn subscriber_count(conn: &mut DbConn) -> diesel::QueryResult<usize> {
    Ok(mailing_list::subscriber_ids(conn)?.len())
}

fn check(form: &MarketingForm) -> Result<(String, String), MailingListError> {
    let subject = form
        .subject
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let body = form.body.trim().replace("\r\n", "\n");
    let mut errors = Vec::new();
    if subject.is_empty() || subject.chars().count() > SUBJECT_MAX {
        errors.push(("subject", "mailing-error-subject"));
    }
    if body.is_empty() || body.chars().count() > BODY_MAX {
        errors.push(("body", "mailing-error-body"));
    }
    if errors.is_empty() {
        Ok((subject, body))
    } else {
        Err(MailingListError::Invalid(errors))
    }
}

/// Queues the message for everyone on the list, in the caller's transaction; how many.
pub fn send(
    conn: &mut DbConn,
    outgoing: &Outgoing<'_>,
    form: &MarketingForm,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<usize, MailingListError> {
    let (subject, body) = check(form)?;
    let ids = mailing_list::subscriber_ids(conn)?;
    let expires_at = now + Duration::days(LINK_VALID_DAYS);
    let mut sent = 0;
    // In chunks: the id list goes into an IN (...) and SQLite limits its parameters.
    for chunk in ids.chunks(500) {
        for customer in mailing_list::customers_by_ids(conn, chunk)? {
            let token = crypto::random_token();
            mailing_list::insert_token(
                conn,
                customer.id,
                &crypto::token_hash(&token),
                now,
                expires_at,
            )?;
            let link = outgoing.link(&format!("/lista/wypisz/{token}"));
            let mut context = outgoing.context();
            context.insert("subject", &subject);
            context.insert("body", &body);
            context.insert("unsubscribe_link", &link);
            let id = mail_queue::queue(
                conn,
                outgoing.templates,
                MailKind::Marketing,
                &customer.email,
                Language::from_code(&customer.language),
                &context,
                now,
            )?;
            db::outbox::set_list_unsubscribe(conn, id, &link)?;
            sent += 1;
        }
    }
    audit::record(
        conn,
        actor,
        "mailing_sent",
        json!({ "subject": subject, "recipients": sent }),
        now,
    )?;
    Ok(sent)
}

/// Whether a leave link can still be used (the page shows its button, or says it cannot).
pub fn link_usable(
    conn: &mut DbConn,
    token: &str,
    now: NaiveDateTime,
) -> diesel::QueryResult<bool> {
    mailing_list::token_usable(conn, &crypto::token_hash(token), now)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leave {
    /// Taken off the list (or was off already: the token still worked once).
    Left,
    /// Unknown, used or expired: nothing changed.
    Unusable,
}

/// Takes the token's customer off the list, in the caller's transaction: the token is used up
/// and a withdrawal is recorded like one made on /dane (time, IP, text version), audited.
pub fn leave(
    conn: &mut DbConn,
    token: &str,
    ip: Option<String>,
    now: NaiveDateTime,
) -> diesel::QueryResult<Leave> {
    let Some(customer_id) = mailing_list::use_token(conn, &crypto::token_hash(token), now)? else {
        return Ok(Leave::Unusable);
    };
    if db::consents::has_granted(conn, customer_id, CONSENT_KIND)? {
        let text_version = db::consents::current(conn, customer_id, CONSENT_KIND)?
            .map(|c| c.text_version)
            .unwrap_or_else(|| MARKETING_TEXT_VERSION.to_owned());
        db::consents::record(
            conn,
            &NewConsent {
                customer_id,
                kind: CONSENT_KIND.to_owned(),
                granted: false,
                text_version: text_version.clone(),
                account_id: None,
                ip: ip.clone(),
                at: now,
            },
        )?;
        audit::record(
            conn,
            &Actor {
                customer_id: Some(customer_id),
                ..Actor::anonymous(ip)
            },
            "consent_withdrawn",
            json!({ "kind": CONSENT_KIND, "text_version": text_version, "via": "unsubscribe_link" }),
            now,
        )?;
    }
    Ok(Leave::Left)
}
