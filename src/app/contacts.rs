//! The account owner's contacts: people invited by e-mail with a role, who register through the
//! invitation link with their own login and see only what the role allows. The owner can revoke
//! an invitation or a contact's access at any time.

use crate::domain::AccountStatus;
use chrono::{Duration, NaiveDateTime};
use serde_json::json;

use crate::app::access::ContactRole;
use crate::app::audit::{self, Actor};
use crate::app::crypto;
use crate::app::mail_queue::{self, Outgoing, QueueError};
use crate::app::passwords::{self, PasswordProblem};
use crate::app::registration::{valid_email, valid_login};
use crate::db::accounts::{Account, NewAccount};
use crate::db::tokens::NewOneTimeToken;
use crate::db::{self, DbConn};
use crate::mail::{Language, MailKind};

const INVITE: &str = "invite";
pub const INVITATION_VALIDITY: Duration = Duration::days(7);
/// Enough for a family or a small firm; stops an owner's stolen session from mass-mailing.
const MAX_OPEN_INVITATIONS: usize = 10;

#[derive(Debug, Clone, serde::Serialize)]
pub struct ContactView {
    pub id: i64,
    pub login: String,
    pub email: String,
    pub role: String,
    pub status: AccountStatus,
    pub last_login_at: Option<NaiveDateTime>,
    pub is_you: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct InvitationView {
    pub id: i64,
    pub email: String,
    pub role: String,
    pub expires_at: NaiveDateTime,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Contacts {
    pub accounts: Vec<ContactView>,
    pub invitations: Vec<InvitationView>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct InvitationPayload {
    email: String,
    role: String,
    invited_by: i64,
}

fn payload_of(token: &db::tokens::OneTimeToken) -> Option<InvitationPayload> {
    serde_json::from_str(token.payload.as_deref()?).ok()
}

pub fn list(conn: &mut DbConn, me: &Account, now: NaiveDateTime) -> diesel::QueryResult<Contacts> {
    let accounts = db::accounts::of_customer(conn, me.customer_id)?
        .into_iter()
        .map(|a| ContactView {
            is_you: a.id == me.id,
            id: a.id,
            login: a.login,
            email: a.email,
            role: a.role,
            status: a.status,
            last_login_at: a.last_login_at,
        })
        .collect();
    let invitations = db::tokens::open_for_customer(conn, INVITE, me.customer_id, now)?
        .into_iter()
        .filter_map(|t| {
            let payload = payload_of(&t)?;
            Some(InvitationView {
                id: t.id,
                email: payload.email,
                role: payload.role,
                expires_at: t.expires_at,
            })
        })
        .collect();
    Ok(Contacts {
        accounts,
        invitations,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum ContactError {
    #[error("only the account owner manages contacts")]
    NotOwner,
    #[error("the e-mail address is not valid")]
    EmailFormat,
    #[error("unknown role")]
    Role,
    #[error("this address already has a login or an open invitation")]
    AlreadyInvited,
    #[error("too many open invitations")]
    TooManyInvitations,
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Mail(#[from] QueueError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Invites `email` with `role` (full, billing or technical) and mails the link.
#[allow(clippy::too_many_arguments)]
pub fn invite(
    conn: &mut DbConn,
    owner: &Account,
    email: &str,
    role: &str,
    language: Language,
    outgoing: Outgoing<'_>,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), ContactError> {
    if owner.role != "owner" {
        return Err(ContactError::NotOwner);
    }
    let email = email.trim().to_lowercase();
    if !valid_email(&email) {
        return Err(ContactError::EmailFormat);
    }
    let role = match ContactRole::parse(role) {
        Some(role @ (ContactRole::Full | ContactRole::Billing | ContactRole::Technical)) => role,
        _ => return Err(ContactError::Role),
    };
    db::write_transaction(conn, |conn| {
        let open = db::tokens::open_for_customer(conn, INVITE, owner.customer_id, now)?;
        if open.len() >= MAX_OPEN_INVITATIONS {
            return Err(ContactError::TooManyInvitations);
        }
        let invited = open.iter().filter_map(payload_of).any(|p| p.email == email);
        let has_login = db::accounts::of_customer(conn, owner.customer_id)?
            .iter()
            .any(|a| a.email.eq_ignore_ascii_case(&email) && a.status != AccountStatus::Disabled);
        if invited || has_login {
            return Err(ContactError::AlreadyInvited);
        }
        let token = crypto::random_token();
        let payload = InvitationPayload {
            email: email.clone(),
            role: role.as_str().to_owned(),
            invited_by: owner.id,
        };
        db::tokens::insert(
            conn,
            &NewOneTimeToken {
                purpose: INVITE.into(),
                token_hash: crypto::token_hash(&token),
                account_id: None,
                staff_user_id: None,
                customer_id: Some(owner.customer_id),
                payload: Some(json!(payload).to_string()),
                expires_at: now + INVITATION_VALIDITY,
                used_at: None,
                created_at: now,
            },
        )?;
        let mut context = outgoing.context();
        context.insert("inviter", &owner.login);
        context.insert("role", role.as_str());
        context.insert("link", &outgoing.link(&format!("/zaproszenie/{token}")));
        context.insert("valid_days", &INVITATION_VALIDITY.num_days());
        mail_queue::queue(
            conn,
            outgoing.templates,
            MailKind::Invitation,
            &email,
            language,
            &context,
            now,
        )?;
        audit::record(
            conn,
            actor,
            "contact_invited",
            json!({ "email": email, "role": role.as_str() }),
            now,
        )?;
        Ok(())
    })
}

/// Cancels an open invitation of the owner's customer.
pub fn revoke_invitation(
    conn: &mut DbConn,
    owner: &Account,
    invitation_id: i64,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), ContactError> {
    if owner.role != "owner" {
        return Err(ContactError::NotOwner);
    }
    db::write_transaction(conn, |conn| {
        let changed =
            db::tokens::retire_for_customer(conn, invitation_id, INVITE, owner.customer_id, now)?;
        if changed != 1 {
            return Err(ContactError::NotFound);
        }
        audit::record(
            conn,
            actor,
            "contact_invitation_revoked",
            json!({ "invitation_id": invitation_id }),
            now,
        )?;
        Ok(())
    })
}

/// Takes a contact's access away: the login is disabled and its sessions end at once.
pub fn revoke_access(
    conn: &mut DbConn,
    owner: &Account,
    account_id: i64,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), ContactError> {
    if owner.role != "owner" {
        return Err(ContactError::NotOwner);
    }
    db::write_transaction(conn, |conn| {
        if db::accounts::disable_contact(conn, owner.customer_id, account_id)? != 1 {
            return Err(ContactError::NotFound);
        }
        db::sessions::end_all_of_account(conn, account_id, None, now)?;
        audit::record(
            conn,
            actor,
            "contact_access_revoked",
            json!({ "account_id": account_id }),
            now,
        )?;
        Ok(())
    })
}

/// An open invitation as its link shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Invitation {
    pub email: String,
    pub role: String,
}

pub fn find_invitation(
    conn: &mut DbConn,
    token: &str,
    now: NaiveDateTime,
) -> diesel::QueryResult<Option<Invitation>> {
    Ok(
        db::tokens::find_usable(conn, INVITE, &crypto::token_hash(token), now)?
            .and_then(|t| payload_of(&t))
            .map(|p| Invitation {
                email: p.email,
                role: p.role,
            }),
    )
}

#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    #[error("the invitation is invalid, used or expired")]
    InvalidLink,
    #[error("the login format is wrong")]
    LoginFormat,
    #[error("the login is taken")]
    LoginTaken,
    #[error("the password does not meet the rules")]
    Password(Vec<PasswordProblem>),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Shape checks that need no database (the caller hashes the password only after them).
pub fn check_new_login(login: &str, password: &str, repeated: &str) -> Result<(), AcceptError> {
    if !valid_login(login) {
        return Err(AcceptError::LoginFormat);
    }
    let problems = passwords::problems(password, repeated, login);
    if !problems.is_empty() {
        return Err(AcceptError::Password(problems));
    }
    Ok(())
}

/// Creates the invited contact's login. The invitation proved the address, so the account is
/// active at once; the token is used in the same transaction, so a link works exactly once.
pub fn accept(
    conn: &mut DbConn,
    token: &str,
    login: &str,
    password_hash: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<i64, AcceptError> {
    db::write_transaction(conn, |conn| {
        let found = db::tokens::find_usable(conn, INVITE, &crypto::token_hash(token), now)?
            .ok_or(AcceptError::InvalidLink)?;
        let (Some(customer_id), Some(payload)) = (found.customer_id, payload_of(&found)) else {
            return Err(AcceptError::InvalidLink);
        };
        let login_key = login.to_lowercase();
        if db::accounts::find_by_login_key(conn, &login_key)?.is_some() {
            return Err(AcceptError::LoginTaken);
        }
        if !db::tokens::consume(conn, found.id, now)? {
            return Err(AcceptError::InvalidLink);
        }
        let language = db::customers::find(conn, customer_id)?
            .map(|c| c.language)
            .unwrap_or_else(|| "pl".to_owned());
        let account_id = db::accounts::insert(
            conn,
            &NewAccount {
                customer_id,
                login: login.to_owned(),
                login_key,
                email: payload.email.clone(),
                password_hash: password_hash.to_owned(),
                role: payload.role.clone(),
                status: AccountStatus::Active,
                language,
                totp_secret: None,
                terms_version: None,
                created_at: now,
                activated_at: Some(now),
                last_login_at: None,
                totp_last_step: None,
            },
        )?;
        audit::record(
            conn,
            &Actor {
                account_id: Some(account_id),
                customer_id: Some(customer_id),
                ..actor.clone()
            },
            "contact_registered",
            json!({ "role": payload.role, "invited_by": payload.invited_by }),
            now,
        )?;
        Ok(account_id)
    })
}
