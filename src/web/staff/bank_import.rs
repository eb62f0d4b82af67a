//! `/staff/platnosci/import` and `/staff/platnosci/do-przypisania`: uploading a bank statement,
//! its preview, committing it, and the review queue of credits no customer was found for and of
//! credits held as possible duplicates.

use crate::web::views::{Template, context};
use rocket::data::Capped;
use rocket::form::FromForm;
use rocket::fs::TempFile;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::tokio::io::AsyncReadExt;
use rocket::{Either, Route, get, post, routes};

use crate::app::audit::Actor;
use crate::app::bank_import::{
    self, AssignError, DecodeError, Encoding, Format, HeldOutcome, ImportError, Upload,
};
use crate::app::clock;
use crate::app::staff_roles::Permission;
use crate::domain::Money;
use crate::domain::bank_statement::StatementError;
use crate::i18n::{self, Arg, Lang};
use crate::web::client_ip::ClientIp;
use crate::web::csrf::{CsrfForm, Protected, TokenOnly};
use crate::web::page::Layout;
use crate::web::session::CurrentStaff;
use crate::web::{Db, server_error};

pub fn routes() -> Vec<Route> {
    routes![upload, preview, commit, discard, queue, assign, book_held]
}

#[derive(FromForm)]
pub struct UploadFields<'r> {
    file: Option<Capped<TempFile<'r>>>,
    #[field(default = String::new())]
    format: String,
    #[field(default = String::new())]
    encoding: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for UploadFields<'_> {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// Every way a file can be wrong, in words the uploader can act on.
fn import_message(lang: Lang, error: &ImportError) -> String {
    let line = |n: usize| -> (&'static str, Arg) { ("line", n.into()) };
    match error {
        ImportError::Decode(DecodeError::Empty) | ImportError::Statement(StatementError::Empty) => {
            i18n::text(lang, "payments-error-empty")
        }
        ImportError::Decode(DecodeError::NotText) => i18n::text(lang, "payments-error-not-text"),
        ImportError::Statement(problem) => match problem {
            StatementError::Empty => i18n::text(lang, "payments-error-empty"),
            StatementError::NoTransactions => i18n::text(lang, "payments-error-no-transactions"),
            StatementError::NotMt940 => i18n::text(lang, "payments-error-not-mt940"),
            StatementError::NotElixir => i18n::text(lang, "payments-error-not-elixir"),
            StatementError::BadDate {
                line: n,
                column,
                value,
            } => at_column(lang, "payments-error-bad-date", *n, *column, value),
            StatementError::BadAmount {
                line: n,
                column,
                value,
            } => at_column(lang, "payments-error-bad-amount", *n, *column, value),
            StatementError::MissingField { line: n, field } => i18n::text_with(
                lang,
                "payments-error-missing-field",
                &[line(*n), ("field", (*field).into())],
            ),
            StatementError::NoPlnAccount { currencies } => i18n::text_with(
                lang,
                "payments-error-no-pln-account",
                &[("currencies", currencies.into())],
            ),
            StatementError::UnclosedQuote { line: n, column } => i18n::text_with(
                lang,
                "payments-error-unclosed-quote",
                &[line(*n), ("column", (*column).into())],
            ),
            StatementError::BadEntry { line: n } => {
                i18n::text_with(lang, "payments-error-bad-entry", &[line(*n)])
            }
            StatementError::UnknownColumn(column) => i18n::text_with(
                lang,
                "payments-error-unknown-column",
                &[("column", column.into())],
            ),
            StatementError::ColumnCount {
                line: n,
                expected,
                found,
            } => i18n::text_with(
                lang,
                "payments-error-column-count",
                &[
                    line(*n),
                    ("expected", (*expected).into()),
                    ("found", (*found).into()),
                ],
            ),
        },
        ImportError::TooLarge => i18n::text_with(
            lang,
            "payments-error-too-many-lines",
            &[("max", bank_import::MAX_LINES.into())],
        ),
        ImportError::NotInPreview => i18n::text(lang, "payments-error-not-in-preview"),
        ImportError::Conflict => i18n::text(lang, "payments-error-conflict"),
        ImportError::NotFound | ImportError::Payment(_) | ImportError::Database(_) => {
            i18n::text(lang, "payments-error-import-failed")
        }
    }
}

/// A cell that is not what its column needs: "line 3, column 2: … is not an amount".
fn at_column(lang: Lang, key: &str, line: usize, column: Option<usize>, value: &str) -> String {
    let mut args: Vec<(&str, Arg)> = vec![("line", line.into()), ("value", value.into())];
    let key = match column {
        Some(column) => {
            args.push(("column", column.into()));
            format!("{key}-column")
        }
        None => key.to_owned(),
    };
    i18n::text_with(lang, &key, &args)
}

#[post("/staff/platnosci/import", data = "<form>")]
async fn upload(
    form: Protected<UploadFields<'_>>,
    staff: CurrentStaff,
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Either<Redirect, (Status, Template)>, Status> {
    staff.require(Permission::ManagePayments)?;
    let refuse = |message: String| async {
        Ok::<_, Status>(Either::Right((
            Status::UnprocessableEntity,
            super::payments::overview_page(&db, layout, None, Some(message)).await?,
        )))
    };
    let Some(file) = form.0.file.as_ref() else {
        return refuse(i18n::text(lang, "payments-error-no-file")).await;
    };
    if !file.is_complete() {
        return refuse(i18n::text(lang, "payments-error-file-too-big")).await;
    }
    let file_name = file
        .raw_name()
        .map(|n| n.dangerous_unsafe_unsanitized_raw().as_str().to_owned())
        .unwrap_or_default();
    let mut bytes = Vec::new();
    let read = match file.open().await {
        Ok(mut reader) => reader.read_to_end(&mut bytes).await.map(|_| ()),
        Err(e) => Err(e),
    };
    if let Err(e) = read {
        tracing::warn!(%e, "uploaded statement could not be read");
        return refuse(i18n::text(lang, "payments-error-no-file")).await;
    }
    let format = Format::parse(&form.format);
    let encoding = Encoding::parse(&form.encoding);
    let actor = Actor::staff(staff.staff.id, ip.0.map(|ip| ip.to_string()));
    let now = clock::now();
    let result = db
        .run(move |conn| {
            bank_import::preview(
                conn,
                &Upload {
                    file_name: &file_name,
                    bytes: &bytes,
                    format,
                    encoding,
                },
                &actor,
                now,
            )
        })
        .await
        .map_err(|e| server_error(&e))?;
    match result {
        Ok(batch_id) => Ok(Either::Left(Redirect::to(format!(
            "/staff/platnosci/import/{batch_id}"
        )))),
        Err(ImportError::Database(e)) => Err(server_error(&e)),
        Err(error) => refuse(import_message(lang, &error)).await,
    }
}

#[get("/staff/platnosci/import/<id>")]
async fn preview(id: i64, staff: CurrentStaff, layout: Layout, db: Db) -> Result<Template, Status> {
    staff.require(Permission::ManagePayments)?;
    let view = db
        .query(move |conn| bank_import::batch_view(conn, id))
        .await?
        .ok_or(Status::NotFound)?;
    Ok(Template::render(
        "staff/payments_import",
        context! { layout, view },
    ))
}

#[post("/staff/platnosci/import/<id>/zatwierdz", data = "<_form>")]
async fn commit(
    id: i64,
    _form: Protected<TokenOnly>,
    staff: CurrentStaff,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Flash<Redirect>, Status> {
    staff.require(Permission::ManagePayments)?;
    let actor = Actor::staff(staff.staff.id, ip.0.map(|ip| ip.to_string()));
    let now = clock::now();
    let back = Redirect::to(format!("/staff/platnosci/import/{id}"));
    let result = db
        .run(move |conn| bank_import::commit(conn, id, &actor, now))
        .await
        .map_err(|e| server_error(&e))?;
    match result {
        Ok(summary) => Ok(Flash::success(
            back,
            i18n::text_with(
                lang,
                "payments-flash-committed",
                &[
                    ("booked", summary.booked.into()),
                    (
                        "amount",
                        Money::from_grosze(summary.booked_amount).to_string().into(),
                    ),
                    ("unmatched", summary.unmatched.into()),
                    ("held", summary.held.into()),
                    ("duplicates", summary.duplicates.into()),
                ],
            ),
        )),
        Err(ImportError::NotFound) => Err(Status::NotFound),
        Err(ImportError::Database(e)) => Err(server_error(&e)),
        Err(error) => Ok(Flash::error(back, import_message(lang, &error))),
    }
}

#[post("/staff/platnosci/import/<id>/odrzuc", data = "<_form>")]
async fn discard(
    id: i64,
    _form: Protected<TokenOnly>,
    staff: CurrentStaff,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Flash<Redirect>, Status> {
    staff.require(Permission::ManagePayments)?;
    let actor = Actor::staff(staff.staff.id, ip.0.map(|ip| ip.to_string()));
    let now = clock::now();
    let result = db
        .run(move |conn| bank_import::discard(conn, id, &actor, now))
        .await
        .map_err(|e| server_error(&e))?;
    match result {
        Ok(()) => Ok(Flash::success(
            Redirect::to("/staff/platnosci"),
            i18n::text(lang, "payments-flash-discarded"),
        )),
        Err(ImportError::NotFound) => Err(Status::NotFound),
        Err(ImportError::Database(e)) => Err(server_error(&e)),
        Err(error) => Ok(Flash::error(
            Redirect::to(format!("/staff/platnosci/import/{id}")),
            import_message(lang, &error),
        )),
    }
}

#[get("/staff/platnosci/do-przypisania")]
async fn queue(staff: CurrentStaff, layout: Layout, db: Db) -> Result<Template, Status> {
    staff.require(Permission::ManagePayments)?;
    let queue = db.query(bank_import::review_queue).await?;
    Ok(Template::render(
        "staff/payments_queue",
        context! { layout, rows: queue.rows, total: queue.total, held: queue.held },
    ))
}

#[derive(Debug, FromForm)]
pub struct AssignFields {
    #[field(default = String::new())]
    customer_number: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for AssignFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/staff/platnosci/do-przypisania/<id>", data = "<form>")]
async fn assign(
    id: i64,
    form: Protected<AssignFields>,
    staff: CurrentStaff,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Flash<Redirect>, Status> {
    staff.require(Permission::ManagePayments)?;
    let actor = Actor::staff(staff.staff.id, ip.0.map(|ip| ip.to_string()));
    let number = form.customer_number.clone();
    let now = clock::now();
    let back = Redirect::to("/staff/platnosci/do-przypisania");
    let result = db
        .run(move |conn| bank_import::assign(conn, id, &number, &actor, now))
        .await
        .map_err(|e| server_error(&e))?;
    match result {
        Ok(recorded) => Ok(Flash::success(
            back,
            i18n::text_with(
                lang,
                "payments-flash-assigned",
                &[("credit", recorded.credit_left.to_string().into())],
            ),
        )),
        Err(AssignError::UnknownCustomer) => Ok(Flash::error(
            back,
            i18n::text(lang, "payments-error-unknown-customer"),
        )),
        Err(AssignError::NotInQueue) => Ok(Flash::error(
            back,
            i18n::text(lang, "payments-error-not-in-queue"),
        )),
        Err(e) => Err(server_error(&e)),
    }
}

/// "Book anyway": a credit held as a possible duplicate is booked after all.
#[post("/staff/platnosci/do-przypisania/<id>/zaksieguj", data = "<_form>")]
async fn book_held(
    id: i64,
    _form: Protected<TokenOnly>,
    staff: CurrentStaff,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Flash<Redirect>, Status> {
    staff.require(Permission::ManagePayments)?;
    let actor = Actor::staff(staff.staff.id, ip.0.map(|ip| ip.to_string()));
    let now = clock::now();
    let back = Redirect::to("/staff/platnosci/do-przypisania");
    let result = db
        .run(move |conn| bank_import::book_held(conn, id, &actor, now))
        .await
        .map_err(|e| server_error(&e))?;
    match result {
        Ok(HeldOutcome::Booked(recorded)) => Ok(Flash::success(
            back,
            i18n::text_with(
                lang,
                "payments-flash-held-booked",
                &[("credit", recorded.credit_left.to_string().into())],
            ),
        )),
        Ok(HeldOutcome::Queued) => Ok(Flash::success(
            back,
            i18n::text(lang, "payments-flash-held-queued"),
        )),
        Err(AssignError::NotHeld) => Ok(Flash::error(
            back,
            i18n::text(lang, "payments-error-not-held"),
        )),
        Err(e) => Err(server_error(&e)),
    }
}
