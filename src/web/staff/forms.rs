//! Shared by the staff panel's forms: messages under fields, and the guard of a page whose path
//! already takes two parameters.

use std::collections::HashMap;

use rocket::request::{FromRequest, Outcome, Request};

use crate::app::staff::FieldErrors;
use crate::i18n::{Lang, text};
use crate::web::page::LayoutDraft;
use crate::web::session::StaffCookie;

/// Messages per field, with an (empty) entry for every field the form has, so templates can
/// write `errors.email` without tripping over a missing key.
pub fn field_messages(
    lang: Lang,
    errors: Option<&FieldErrors>,
    fields: &[&str],
) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = fields
        .iter()
        .map(|f| ((*f).to_owned(), Vec::new()))
        .collect();
    if let Some(errors) = errors {
        for (field, key) in &errors.0 {
            out.entry(field.clone()).or_default().push(text(lang, key));
        }
    }
    out
}

/// Messages for the rows of a line table (`lines[3].quantity` → row 3, `quantity`).
pub fn line_messages(
    lang: Lang,
    errors: Option<&FieldErrors>,
    rows: usize,
) -> Vec<HashMap<String, Vec<String>>> {
    const CELLS: [&str; 5] = ["name", "unit", "quantity", "unit_price", "vat_rate"];
    let mut out: Vec<HashMap<String, Vec<String>>> = (0..rows)
        .map(|_| {
            CELLS
                .iter()
                .map(|c| ((*c).to_owned(), Vec::new()))
                .collect()
        })
        .collect();
    if let Some(errors) = errors {
        for (field, key) in &errors.0 {
            let Some(rest) = field.strip_prefix("lines[") else {
                continue;
            };
            let Some((index, cell)) = rest.split_once("].") else {
                continue;
            };
            if let Some(cells) = index.parse::<usize>().ok().and_then(|i| out.get_mut(i)) {
                cells
                    .entry(cell.to_owned())
                    .or_default()
                    .push(text(lang, key));
            }
        }
    }
    out
}

/// A staff page's session cookie with its layout draft, as one guard: for the handlers whose
/// path has two ids, so they keep to five parameters.
pub struct StaffPage {
    pub cookie: StaffCookie,
    pub layout: LayoutDraft,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for StaffPage {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        let cookie = match request.guard::<StaffCookie>().await {
            Outcome::Success(cookie) => cookie,
            Outcome::Forward(status) => return Outcome::Forward(status),
            Outcome::Error((status, _)) => return Outcome::Error((status, ())),
        };
        let layout = match request.guard::<LayoutDraft>().await {
            Outcome::Success(layout) => layout,
            Outcome::Forward(status) => return Outcome::Forward(status),
            Outcome::Error((_, never)) => match never {},
        };
        Outcome::Success(StaffPage { cookie, layout })
    }
}
