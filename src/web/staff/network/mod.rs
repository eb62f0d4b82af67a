//! Contracts, services and endpoints on the customer card:
//! `/staff/klienci/<customer>/umowy|uslugi|punkty[/<id>]`, one file per resource. The three
//! are edited alike (a form for a new one, a form for a saved one, save, the form again with its
//! problems), so those pages are written once here over `app::staff::network_records`'
//! `NetworkRecord`, and each resource names its template and fields.

mod contracts;
mod endpoints;
mod services;

use crate::domain::CustomerId;
use crate::web::views::{Template, context};
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route};

use super::forms::field_messages;
use crate::app::App;
use crate::app::staff::FieldErrors;
use crate::app::staff::network_records::{self, Editor, NetworkRecord, NetworkRecordError, Preset};
use crate::app::staff_roles::Permission;
use crate::i18n::text;
use crate::web::page::{Layout, LayoutDraft};
use crate::web::server_error;
use crate::web::session::StaffCookie;

pub fn routes() -> Vec<Route> {
    let mut routes = contracts::routes();
    routes.extend(services::routes());
    routes.extend(endpoints::routes());
    routes
}

/// How a resource's form page looks.
trait RecordPage: NetworkRecord {
    const TEMPLATE: &'static str;
    const FIELDS: &'static [&'static str];
}

type Saved = Either<Flash<Redirect>, (Status, Template)>;

fn render<R: RecordPage>(
    layout: Layout,
    record_id: Option<i64>,
    editor: Editor<R::Form>,
    errors: Option<&FieldErrors>,
) -> Template {
    let errors = field_messages(layout.lang, errors, R::FIELDS);
    let Editor { form, choices } = editor;
    Template::render(
        R::TEMPLATE,
        context! { layout, choices, record_id, form, errors },
    )
}

/// The form of the customer's record `id`, or of a new one (`id` empty; an endpoint may come
/// with the service it is for).
async fn editor<R: RecordPage>(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    (customer_id, id): (CustomerId, Option<i64>),
    service_id: Option<i64>,
) -> Result<Template, Status> {
    let (me, editor) = app
        .staff(cookie)
        .needs(Permission::EditCustomers)
        .run(move |conn, cx| {
            let preset = Preset {
                today: cx.today,
                service_id,
            };
            network_records::editor::<R>(conn, customer_id, id, preset)
        })
        .await?;
    let editor = editor.ok_or(Status::NotFound)?;
    Ok(render::<R>(layout.staff(&me), id, editor, None))
}

/// Saves the typed record: back to the card, the form again with messages, or 404.
async fn save<R: RecordPage>(
    app: &App,
    cookie: &StaffCookie,
    layout: LayoutDraft,
    (customer_id, id): (CustomerId, Option<i64>),
    form: R::Form,
) -> Result<Saved, Status> {
    let (me, result) = app
        .staff(cookie)
        .needs(Permission::EditCustomers)
        .attempt(move |conn, cx| {
            let by = (&cx.actor(), cx.now);
            network_records::save::<R>(conn, cx.secrets(), (customer_id, id), &form, by)
        })
        .await?;
    let layout = layout.staff(&me);
    match result {
        Ok(Ok(_)) => Ok(Either::Left(Flash::success(
            Redirect::to(format!("/staff/klienci/{customer_id}")),
            text(layout.lang, "staff-record-saved"),
        ))),
        Ok(Err((errors, editor))) => {
            let editor = editor.ok_or(Status::NotFound)?;
            Ok(Either::Right((
                Status::UnprocessableEntity,
                render::<R>(layout, id, editor, Some(&errors)),
            )))
        }
        Err(NetworkRecordError::NotFound) => Err(Status::NotFound),
        Err(error) => Err(server_error(&error)),
    }
}
