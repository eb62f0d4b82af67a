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
use rocket::{Either, Route, State, get, post, routes};

use crate::app::App;
use crate::app::bank_import::{
    self, AssignError, DecodeError, Encoding, Format, HeldOutcome, ImportError, Upload,
};
use crate::app::staff_roles::Permission;
use crate::domain::Money;
use crate::domain::bank_statement::StatementError;
use crate::i18n::{self, Arg, Lang};
use crate::web::csrf::{CsrfForm, Protected, TokenOnly};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::StaffCookie;

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
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<Redirect, (Status, Template)>, Status> {
    let lang = layout.lang();
    let refused = match previewed(&form, app, &cookie, lang).await? {
        Ok(batch_id) => {
            return Ok(Either::Left(Redirect::to(format!(
                "/staff/platnosci/import/{batch_id}"
            ))));
        }
        Err(message) => message,
    };
    Ok(Either::Right((
        Status::UnprocessableEntity,
        super::payments::overview_page(app, &cookie, layout, None, Some(refused)).await?,
    )))
}

/// Reads the uploaded file and makes its preview batch: the batch's id, or why the file was
/// refused in words the uploader can act on.
async fn previewed(
    form: &UploadFields<'_>,
    app: &App,
    cookie: &StaffCookie,
    lang: Lang,
) -> Result<Result<i64, String>, Status> {
    let Some(file) = form.file.as_ref() else {
        return Ok(Err(i18n::text(lang, "payments-error-no-file")));
    };
    if !file.is_complete() {
        return Ok(Err(i18n::text(lang, "payments-error-file-too-big")));
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
        return Ok(Err(i18n::text(lang, "payments-error-no-file")));
    }
    let format = Format::parse(&form.format);
    let encoding = Encoding::parse(&form.encoding);
    let (_, result) = app
        .staff(cookie)
        .needs(Permission::ManagePayments)
        .attempt(move |conn, cx| {
            let upload = Upload {
                file_name: &file_name,
                bytes: &bytes,
                format,
                encoding,
            };
            bank_import::preview(conn, &upload, &cx.actor(), cx.now)
        })
        .await?;
    match result {
        Ok(batch_id) => Ok(Ok(batch_id)),
        Err(ImportError::Database(e)) => Err(server_error(&e)),
        Err(error) => Ok(Err(import_message(lang, &error))),
    }
}

#[get("/staff/platnosci/import/<id>")]
async fn preview(
    id: i64,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, view) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .run(move |conn, _| bank_import::batch_view(conn, id))
        .await?;
    let view = view.ok_or(Status::NotFound)?;
    Ok(Template::render(
        "staff/payments_import",
        context! { layout: layout.staff(&me), view },
    ))
}

#[post("/staff/platnosci/import/<id>/zatwierdz", data = "<_form>")]
async fn commit(
    id: i64,
    _form: Protected<TokenOnly>,
    app: &State<App>,
    cookie: StaffCookie,
    lang: Lang,
) -> Result<Flash<Redirect>, Status> {
    let back = Redirect::to(format!("/staff/platnosci/import/{id}"));
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .attempt(move |conn, cx| bank_import::commit(conn, id, &cx.actor(), cx.now))
        .await?;
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
    app: &State<App>,
    cookie: StaffCookie,
    lang: Lang,
) -> Result<Flash<Redirect>, Status> {
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .attempt(move |conn, cx| bank_import::discard(conn, id, &cx.actor(), cx.now))
        .await?;
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
async fn queue(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, queue) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .run(|conn, _| bank_import::review_queue(conn))
        .await?;
    Ok(Template::render(
        "staff/payments_queue",
        context! {
            layout: layout.staff(&me),
            rows: queue.rows, total: queue.total, held: queue.held,
        },
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
    app: &State<App>,
    cookie: StaffCookie,
    lang: Lang,
) -> Result<Flash<Redirect>, Status> {
    let number = form.customer_number.clone();
    let back = Redirect::to("/staff/platnosci/do-przypisania");
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .attempt(move |conn, cx| bank_import::assign(conn, id, &number, &cx.actor(), cx.now))
        .await?;
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
    app: &State<App>,
    cookie: StaffCookie,
    lang: Lang,
) -> Result<Flash<Redirect>, Status> {
    let back = Redirect::to("/staff/platnosci/do-przypisania");
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .attempt(move |conn, cx| bank_import::book_held(conn, id, &cx.actor(), cx.now))
        .await?;
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
