//! `/dane`: the subscriber's data, preferences and consents. Contact data applies at once;
//! name, PESEL, NIP and legal address go to the ISP's approval queue and show as pending.

use std::collections::HashMap;

use crate::app::access::Area;
use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::App;
use crate::app::profile::{self, ChangeRequest, ContactInput, Preferences, ProfileError};
use crate::i18n::{self, Lang};
use crate::web::csrf::{CsrfForm, Protected, TokenOnly};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::{CustomerCookie, language};

pub fn routes() -> Vec<Route> {
    routes![
        page,
        save_contact,
        request_change,
        withdraw_request,
        save_preferences
    ]
}

type Answer = Either<Flash<Redirect>, (Status, Template)>;

/// Field name → translated message, for the form that was sent.
fn translate(
    lang: Lang,
    errors: Vec<(&'static str, &'static str)>,
) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (field, key) in errors {
        out.entry(field.to_owned())
            .or_default()
            .push(i18n::text(lang, key));
    }
    out
}

/// The form that was sent: a message per field, and what was typed.
#[derive(Default)]
struct Sent {
    errors: HashMap<String, Vec<String>>,
    values: HashMap<String, String>,
}

async fn render(
    app: &App,
    cookie: &CustomerCookie,
    layout: LayoutDraft,
    sent: Sent,
) -> Result<Template, Status> {
    let (me, profile) = app
        .customer(cookie)
        .needs(Area::Profile)
        .run(|conn, cx| profile::page(conn, cx.customer_id(), cx.today))
        .await?;
    let (profile, discounts) = profile;
    let profile = profile.ok_or(Status::NotFound)?;
    let Sent { errors, values } = sent;
    Ok(Template::render(
        "customer/profile",
        context! {
            layout: layout.signed_in(&me),
            profile,
            discounts,
            errors,
            values,
            einvoice_version: profile::EINVOICE_TEXT_VERSION,
            marketing_version: profile::MARKETING_TEXT_VERSION,
        },
    ))
}

#[get("/dane")]
async fn page(
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    render(app, &cookie, layout, Sent::default()).await
}

#[derive(Debug, FromForm)]
pub struct ContactFields {
    #[field(default = String::new())]
    phone: String,
    #[field(default = String::new())]
    correspondence_address_line: String,
    #[field(default = String::new())]
    correspondence_postal_code: String,
    #[field(default = String::new())]
    correspondence_city: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for ContactFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/dane/kontakt", data = "<form>")]
async fn save_contact(
    form: Protected<ContactFields>,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Answer, Status> {
    let input = ContactInput {
        phone: form.phone.clone(),
        correspondence_address_line: form.correspondence_address_line.clone(),
        correspondence_postal_code: form.correspondence_postal_code.clone(),
        correspondence_city: form.correspondence_city.clone(),
    };
    let sent = input.clone();
    let (me, result) = app
        .customer(&cookie)
        .needs(Area::Profile)
        .attempt(move |conn, cx| {
            profile::update_contact(conn, cx.customer_id(), &input, &cx.actor(), cx.now)
        })
        .await?;
    let lang = language(&me);
    match result {
        Ok(()) => Ok(Either::Left(Flash::success(
            Redirect::to("/dane"),
            i18n::text(lang, "profile-contact-saved"),
        ))),
        Err(ProfileError::Invalid(errors)) => {
            let values = HashMap::from([
                ("phone".to_owned(), sent.phone),
                (
                    "correspondence_address_line".to_owned(),
                    sent.correspondence_address_line,
                ),
                (
                    "correspondence_postal_code".to_owned(),
                    sent.correspondence_postal_code,
                ),
                ("correspondence_city".to_owned(), sent.correspondence_city),
            ]);
            let sent = Sent {
                errors: translate(lang, errors),
                values,
            };
            let page = render(app, &cookie, layout, sent).await?;
            Ok(Either::Right((Status::UnprocessableEntity, page)))
        }
        Err(error) => Err(server_error(&error)),
    }
}

#[derive(Debug, FromForm)]
pub struct ChangeFields {
    #[field(default = String::new())]
    field: String,
    #[field(default = String::new())]
    first_name: String,
    #[field(default = String::new())]
    last_name: String,
    #[field(default = String::new())]
    company_name: String,
    #[field(default = String::new())]
    pesel: String,
    #[field(default = String::new())]
    nip: String,
    #[field(default = String::new())]
    address_line: String,
    #[field(default = String::new())]
    postal_code: String,
    #[field(default = String::new())]
    city: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for ChangeFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/dane/wniosek", data = "<form>")]
async fn request_change(
    form: Protected<ChangeFields>,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Answer, Status> {
    let request = match form.field.as_str() {
        "name" => ChangeRequest::Name {
            first_name: form.first_name.clone(),
            last_name: form.last_name.clone(),
        },
        "company_name" => ChangeRequest::CompanyName(form.company_name.clone()),
        "pesel" => ChangeRequest::Pesel(form.pesel.clone()),
        "nip" => ChangeRequest::Nip(form.nip.clone()),
        "address" => ChangeRequest::Address {
            address_line: form.address_line.clone(),
            postal_code: form.postal_code.clone(),
            city: form.city.clone(),
        },
        // Checked after the area, so a login that may not ask learns "forbidden" first.
        _ => {
            app.customer(&cookie).needs(Area::Profile).resume().await?;
            return Err(Status::UnprocessableEntity);
        }
    };
    let (me, result) = app
        .customer(&cookie)
        .needs(Area::Profile)
        .attempt(move |conn, cx| {
            profile::request_change(
                conn,
                cx.customer_id(),
                cx.me.account.id,
                request,
                &cx.config().security.pesel_key,
                &cx.actor(),
                cx.now,
            )
        })
        .await?;
    let lang = language(&me);
    match result {
        Ok(_) => Ok(Either::Left(Flash::success(
            Redirect::to("/dane"),
            i18n::text(lang, "profile-change-requested"),
        ))),
        Err(ProfileError::Invalid(errors)) => {
            // The PESEL is never echoed back into the page.
            let values = HashMap::from([
                ("first_name".to_owned(), form.first_name.clone()),
                ("last_name".to_owned(), form.last_name.clone()),
                ("company_name".to_owned(), form.company_name.clone()),
                ("nip".to_owned(), form.nip.clone()),
                ("address_line".to_owned(), form.address_line.clone()),
                ("postal_code".to_owned(), form.postal_code.clone()),
                ("city".to_owned(), form.city.clone()),
            ]);
            let sent = Sent {
                errors: translate(lang, errors),
                values,
            };
            let page = render(app, &cookie, layout, sent).await?;
            Ok(Either::Right((Status::UnprocessableEntity, page)))
        }
        Err(error) => Err(server_error(&error)),
    }
}

#[post("/dane/wniosek/<id>/wycofaj", data = "<_form>")]
async fn withdraw_request(
    id: i64,
    _form: Protected<TokenOnly>,
    app: &State<App>,
    cookie: CustomerCookie,
) -> Result<Flash<Redirect>, Status> {
    let (me, withdrawn) = app
        .customer(&cookie)
        .needs(Area::Profile)
        .run(move |conn, cx| {
            profile::withdraw_request(conn, cx.customer_id(), id, &cx.actor(), cx.now)
        })
        .await?;
    if !withdrawn {
        return Err(Status::NotFound);
    }
    Ok(Flash::success(
        Redirect::to("/dane"),
        i18n::text(language(&me), "profile-change-withdrawn"),
    ))
}

#[derive(Debug, FromForm)]
pub struct PreferenceFields {
    #[field(default = String::new())]
    language: String,
    #[field(default = false)]
    notify_invoices: bool,
    #[field(default = false)]
    notify_reminders: bool,
    #[field(default = false)]
    notify_outages: bool,
    #[field(default = false)]
    notify_tickets: bool,
    #[field(default = false)]
    einvoice: bool,
    #[field(default = false)]
    marketing: bool,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for PreferenceFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/dane/ustawienia", data = "<form>")]
async fn save_preferences(
    form: Protected<PreferenceFields>,
    app: &State<App>,
    cookie: CustomerCookie,
) -> Result<Flash<Redirect>, Status> {
    let language = Lang::parse(&form.language).ok_or(Status::UnprocessableEntity)?;
    let preferences = Preferences {
        language,
        notify_invoices: form.notify_invoices,
        notify_reminders: form.notify_reminders,
        notify_outages: form.notify_outages,
        notify_tickets: form.notify_tickets,
        einvoice: form.einvoice,
        marketing: form.marketing,
    };
    app.customer(&cookie)
        .needs(Area::Profile)
        .run(move |conn, cx| {
            let (customer_id, account_id) = (cx.customer_id(), cx.me.account.id);
            profile::save_preferences(
                conn,
                customer_id,
                account_id,
                preferences,
                &cx.actor(),
                cx.now,
            )
        })
        .await?;
    // Said in the language just chosen.
    Ok(Flash::success(
        Redirect::to("/dane"),
        i18n::text(language, "profile-preferences-saved"),
    ))
}
