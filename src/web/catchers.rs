//! Friendly error pages instead of Rocket's defaults.

use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{Catcher, Request, catch, catchers};
use rocket_dyn_templates::{Template, context};

use super::Site;

pub fn catchers() -> Vec<Catcher> {
    catchers![unauthorized, not_found, server_error, any_error]
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
    let (title, message) = match status.code {
        400 | 422 => (
            "Nieprawidłowe żądanie",
            "Nie udało się odczytać przesłanych danych. Wróć i spróbuj ponownie.",
        ),
        403 => (
            "Brak dostępu",
            "Nie masz uprawnień do tej strony albo formularz wygasł. Odśwież stronę i spróbuj ponownie.",
        ),
        404 => (
            "Nie znaleziono strony",
            "Strona, której szukasz, nie istnieje lub została przeniesiona.",
        ),
        413 => (
            "Za duże pliki",
            "Przesłane dane są zbyt duże. Do zgłoszenia dołączysz najwyżej 5 plików PDF, JPEG lub PNG, każdy do 5 MB. Wróć do formularza i wybierz mniejsze pliki.",
        ),
        429 => ("Zbyt wiele prób", "Odczekaj chwilę i spróbuj ponownie."),
        500..=599 => (
            "Błąd serwera",
            "Coś poszło nie tak po naszej stronie. Spróbuj ponownie za chwilę; jeśli błąd się powtarza, skontaktuj się z biurem obsługi.",
        ),
        _ => ("Błąd", "Nie udało się wykonać żądania."),
    };
    Template::render(
        "errors/error",
        context! { layout: super::page::Layout::bare(site), code: status.code, title, message, back: form_page(request, status) },
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
