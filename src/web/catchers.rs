//! Friendly error pages instead of Rocket's defaults, in the visitor's language (cookie or
//! browser; a catcher cannot run the account guard).

use crate::web::views::{Template, context};
use rocket::http::Status;
use rocket::response::{Redirect, Responder, Response};
use rocket::{Catcher, Request, catch, catchers};

use super::Site;
use crate::i18n;

pub fn catchers() -> Vec<Catcher> {
    catchers![
        unauthorized,
        not_found,
        server_error,
        unavailable,
        any_error
    ]
}

/// A page that needs a session was asked for without one: to the right login page.
#[catch(401)]
fn unauthorized(request: &Request<'_>) -> Redirect {
    if request.uri().path().starts_with("/staff") {
        Redirect::to("/staff/login")
    } else {
        Redirect::to("/logowanie")
    }
}

#[catch(404)]
fn not_found(request: &Request<'_>) -> (Status, Template) {
    (Status::NotFound, error_page(request, Status::NotFound))
}

#[catch(500)]
fn server_error(request: &Request<'_>) -> (Status, Template) {
    (
        Status::InternalServerError,
        error_page(request, Status::InternalServerError),
    )
}

/// The database does not answer for a moment: say so, and when to try again.
#[catch(503)]
fn unavailable(request: &Request<'_>) -> RetryLater {
    RetryLater(error_page(request, Status::ServiceUnavailable))
}

/// A 503 page with `Retry-After`, so browsers' and proxies' retries wait for the outage.
struct RetryLater(Template);

impl<'r> Responder<'r, 'static> for RetryLater {
    fn respond_to(self, request: &'r Request<'_>) -> rocket::response::Result<'static> {
        Response::build_from(self.0.respond_to(request)?)
            .status(Status::ServiceUnavailable)
            .raw_header("Retry-After", "5")
            .ok()
    }
}

#[catch(default)]
fn any_error(status: Status, request: &Request<'_>) -> (Status, Template) {
    (status, error_page(request, status))
}

fn error_page(request: &Request<'_>, status: Status) -> Template {
    let site = request
        .rocket()
        .state::<Site>()
        .map(|site| site.0.as_ref().clone())
        .unwrap_or_default();
    let lang = super::lang::visitor_language(request);
    let (title, message) = match status.code {
        400 | 422 => ("errors-bad-request-title", "errors-bad-request"),
        403 => ("errors-forbidden-title", "errors-forbidden"),
        404 => ("errors-not-found-title", "errors-not-found"),
        413 => ("errors-too-large-title", "errors-too-large"),
        429 => ("errors-too-many-title", "errors-too-many"),
        503 => ("errors-unavailable-title", "errors-unavailable"),
        500..=599 => ("errors-server-title", "errors-server"),
        _ => ("errors-other-title", "errors-other"),
    };
    let (title, message) = (i18n::text(lang, title), i18n::text(lang, message));
    // A server error's page names the request, so the office can find its log line.
    let request_id = (status.code >= 500).then(|| super::request_id::of(request));
    Template::render(
        "errors/error",
        context! { layout: super::page::Layout::bare(site, lang), code: status.code, title, message, back: form_page(request, status), request_id },
    )
}

/// Where a refused upload came from, so the 413 page links back to the form instead of leaving
/// the subscriber stranded: `/zgloszenia/nowe` for a new ticket, the thread for a reply.
fn form_page(request: &Request<'_>, status: Status) -> Option<String> {
    if status != Status::PayloadTooLarge {
        return None;
    }
    let path = request.uri().path();
    let path = path.as_str();
    if path == "/zgloszenia/nowe" {
        return Some(path.to_owned());
    }
    let thread = path.strip_suffix("/odpowiedz")?;
    let id = thread.strip_prefix("/zgloszenia/")?;
    id.parse::<i64>().ok().map(|_| thread.to_owned())
}

/// The page for a past demo invoice seeded without its PDF (`ebok demo --no-pdfs`): the
/// invoice is there, its document was never stored.
pub(super) fn document_not_stored(layout: super::page::Layout) -> (Status, Template) {
    let lang = layout.lang;
    (
        Status::NotFound,
        Template::render(
            "errors/error",
            context! {
                layout,
                code: 404,
                title: i18n::text(lang, "invoices-pdf-not-stored-title"),
                message: i18n::text(lang, "invoices-pdf-not-stored"),
                back: Option::<String>::None,
                request_id: Option::<String>::None,
            },
        ),
    )
}
