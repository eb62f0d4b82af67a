//! Subscriber logins. Several accounts may belong to one customer, each with a role.

use crate::domain::AccountStatus;
use crate::domain::CustomerId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::accounts;

/// A row of `accounts`.
#[derive(Debug, Clone, Queryable)]
pub struct Account {
    pub id: i64,
    pub customer_id: CustomerId,
    pub login: String,
    pub login_key: String,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub status: AccountStatus,
    pub language: String,
    pub totp_secret: Option<String>,
    pub terms_version: Option<String>,
    pub created_at: NaiveDateTime,
    pub activated_at: Option<NaiveDateTime>,
    pub last_login_at: Option<NaiveDateTime>,
    pub totp_last_step: Option<i64>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = accounts, treat_none_as_default_value = false)]
pub struct NewAccount {
    pub customer_id: CustomerId,
    pub login: String,
    pub login_key: String,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub status: AccountStatus,
    pub language: String,
    pub totp_secret: Option<String>,
    pub terms_version: Option<String>,
    pub created_at: NaiveDateTime,
    pub activated_at: Option<NaiveDateTime>,
    pub last_login_at: Option<NaiveDateTime>,
    pub totp_last_step: Option<i64>,
}

pub fn insert(conn: &mut DbConn, account: &NewAccount) -> QueryResult<i64> {
    diesel::insert_into(accounts::table)
        .values(account)
        .returning(accounts::id)
        .get_result(conn)
}

pub fn insert_many(conn: &mut DbConn, rows: &[NewAccount]) -> QueryResult<usize> {
    Ok(insert_batches!(conn, accounts::table, rows))
}

/// Logins are unique case-insensitively: callers pass the lower-cased key.
pub fn find_by_login_key(conn: &mut DbConn, login_key: &str) -> QueryResult<Option<Account>> {
    accounts::table
        .filter(accounts::login_key.eq(login_key))
        .get_result(conn)
        .optional()
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Account>> {
    accounts::table.find(id).get_result(conn).optional()
}

/// Accounts registered with this e-mail (stored lower-cased); one address may serve several.
pub fn find_by_email(conn: &mut DbConn, email: &str) -> QueryResult<Vec<Account>> {
    accounts::table
        .filter(accounts::email.eq(email))
        .order(accounts::id)
        .load(conn)
}

/// The owner account of a customer, if anyone has registered one.
pub fn find_owner(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<Option<Account>> {
    accounts::table
        .filter(accounts::customer_id.eq(customer_id))
        .filter(accounts::role.eq("owner"))
        .get_result(conn)
        .optional()
}

pub fn activate(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        accounts::table
            .find(id)
            .filter(accounts::status.eq(AccountStatus::Pending)),
    )
    .set((
        accounts::status.eq(AccountStatus::Active),
        accounts::activated_at.eq(Some(now)),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

pub fn set_password_hash(conn: &mut DbConn, id: i64, password_hash: &str) -> QueryResult<()> {
    diesel::update(accounts::table.find(id))
        .set(accounts::password_hash.eq(password_hash))
        .execute(conn)
        .map(|_| ())
}

pub fn set_email(conn: &mut DbConn, id: i64, email: &str) -> QueryResult<()> {
    diesel::update(accounts::table.find(id))
        .set(accounts::email.eq(email))
        .execute(conn)
        .map(|_| ())
}

pub fn set_totp_secret(conn: &mut DbConn, id: i64, secret: Option<&str>) -> QueryResult<()> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::totp_secret.eq(secret),
            accounts::totp_last_step.eq(None::<i64>),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn record_login(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(accounts::table.find(id))
        .set(accounts::last_login_at.eq(Some(now)))
        .execute(conn)
        .map(|_| ())
}

/// Records `step` as the last TOTP step used; false when it (or a later one) was used already,
/// which is how a replayed code is refused even by two requests at once.
pub fn use_totp_step(conn: &mut DbConn, id: i64, step: i64) -> QueryResult<bool> {
    diesel::update(
        accounts::table.find(id).filter(
            accounts::totp_last_step
                .is_null()
                .or(accounts::totp_last_step.lt(step)),
        ),
    )
    .set(accounts::totp_last_step.eq(Some(step)))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// The language this login sees the portal in.
pub fn set_language(conn: &mut DbConn, account_id: i64, language: &str) -> QueryResult<usize> {
    diesel::update(accounts::table.find(account_id))
        .set(accounts::language.eq(language))
        .execute(conn)
}

/// Every login of a customer, the owner first.
pub fn of_customer(conn: &mut DbConn, customer_id: CustomerId) -> QueryResult<Vec<Account>> {
    let mut found: Vec<Account> = accounts::table
        .filter(accounts::customer_id.eq(customer_id))
        .order(accounts::created_at.asc())
        .load(conn)?;
    found.sort_by_key(|a| a.role != "owner");
    Ok(found)
}

/// Disables a contact's login (never the owner's); rows changed.
pub fn disable_contact(
    conn: &mut DbConn,
    customer_id: CustomerId,
    account_id: i64,
) -> QueryResult<usize> {
    diesel::update(
        accounts::table
            .filter(accounts::id.eq(account_id))
            .filter(accounts::customer_id.eq(customer_id))
            .filter(accounts::role.ne("owner"))
            .filter(accounts::status.ne(AccountStatus::Disabled)),
    )
    .set(accounts::status.eq(AccountStatus::Disabled))
    .execute(conn)
}

/// Accounts whose TOTP secret does not start with `sealed_prefix`: written before secrets were
/// sealed at rest.
pub fn unsealed_totp_secrets(
    conn: &mut DbConn,
    sealed_prefix: &str,
) -> QueryResult<Vec<(i64, String)>> {
    accounts::table
        .filter(accounts::totp_secret.is_not_null())
        .filter(accounts::totp_secret.not_like(format!("{sealed_prefix}%")))
        .select((accounts::id, accounts::totp_secret.assume_not_null()))
        .load(conn)
}

/// Replaces the stored TOTP secret text if it is still `before` (another instance may have
/// sealed it first); the replay guard (`totp_last_step`) stays.
pub fn replace_totp_secret(
    conn: &mut DbConn,
    id: i64,
    before: &str,
    after: &str,
) -> QueryResult<bool> {
    diesel::update(
        accounts::table
            .find(id)
            .filter(accounts::totp_secret.eq(before)),
    )
    .set(accounts::totp_secret.eq(after))
    .execute(conn)
    .map(|n| n == 1)
}
