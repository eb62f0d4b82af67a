//! `/kontakty`: the account owner invites people with a role and revokes them;
//! `/zaproszenie/<token>`: an invited person creates their own login.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::App;
use crate::app::access::Area;
use crate::app::contacts::{self, AcceptError, ContactError};
use crate::i18n;
use crate::mail::Language;
use crate::web::client_ip::Client;
use crate::web::csrf::{CsrfForm, Protected, TokenOnly};
use crate::web::messages;
use crate::web::page::{Layout, LayoutDraft};
use crate::web::server_error;
use crate::web::session::{CustomerCookie, language};

pub fn routes() -> Vec<Route> {
    routes![
        list,
        invite,
        revoke_invitation,
        revoke_access,
        invitation_page,
        accept
    ]
}

type Answer = Either<Flash<Redirect>, (Status, Template)>;

/// The form that was sent back with its problem.
#[derive(Default)]
struct Sent<'a> {
    error: Option<String>,
    email: &'a str,
    role: &'a str,
}

async fn render_list(
    app: &App,
    cookie: &CustomerCookie,
    layout: LayoutDraft,
    sent: Sent<'_>,
) -> Result<Template, Status> {
    let (me, contacts) = app
        .customer(cookie)
        .needs(Area::Contacts)
        .run(|conn, cx| contacts::list(conn, &cx.me.account, cx.now))
        .await?;
    let Sent { error, email, role } = sent;
    Ok(Template::render(
        "customer/contacts",
        context! { layout: layout.signed_in(&me), contacts, error, email, role },
    ))
}

#[get("/kontakty")]
async fn list(
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let sent = Sent {
        role: "billing",
        ..Sent::default()
    };
    render_list(app, &cookie, layout, sent).await
}

#[derive(Debug, FromForm)]
pub struct InviteFields {
    #[field(default = String::new())]
    email: String,
    #[field(default = String::new())]
    role: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for InviteFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/kontakty", data = "<form>")]
async fn invite(
    form: Protected<InviteFields>,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Answer, Status> {
    let (email, role) = (form.email.clone(), form.role.clone());
    let (me, result) = app
        .customer(&cookie)
        .needs(Area::Contacts)
        .attempt(move |conn, cx| {
            // The invitation is written in the owner's language.
            let language = Language::from_code(language(cx.me).code());
            contacts::invite(
                conn,
                &cx.me.account,
                &email,
                &role,
                language,
                cx.mail(),
                &cx.actor(),
                cx.now,
            )
        })
        .await?;
    let lang = language(&me);
    let message = match result {
        Ok(()) => {
            return Ok(Either::Left(Flash::success(
                Redirect::to("/kontakty"),
                i18n::text_with(
                    lang,
                    "contacts-invited",
                    &[("email", form.email.trim().into())],
                ),
            )));
        }
        Err(ContactError::EmailFormat) => "contacts-error-email",
        Err(ContactError::Role) => "contacts-error-role",
        Err(ContactError::AlreadyInvited) => "contacts-error-already",
        Err(ContactError::TooManyInvitations) => "contacts-error-too-many",
        Err(ContactError::NotOwner) => return Err(Status::Forbidden),
        Err(error) => return Err(server_error(&error)),
    };
    let sent = Sent {
        error: Some(i18n::text(lang, message)),
        email: &form.email,
        role: &form.role,
    };
    let page = render_list(app, &cookie, layout, sent).await?;
    Ok(Either::Right((Status::UnprocessableEntity, page)))
}

/// Revoking an invitation or a person's access answers the same way.
fn after_revoking(
    me: &crate::app::sessions::CustomerSession,
    result: Result<(), ContactError>,
    done: &str,
) -> Result<Flash<Redirect>, Status> {
    match result {
        Ok(()) => Ok(Flash::success(
            Redirect::to("/kontakty"),
            i18n::text(language(me), done),
        )),
        Err(ContactError::NotFound) => Err(Status::NotFound),
        Err(ContactError::NotOwner) => Err(Status::Forbidden),
        Err(error) => Err(server_error(&error)),
    }
}

#[post("/kontakty/zaproszenia/<id>/odwolaj", data = "<_form>")]
async fn revoke_invitation(
    id: i64,
    _form: Protected<TokenOnly>,
    app: &State<App>,
    cookie: CustomerCookie,
) -> Result<Flash<Redirect>, Status> {
    let (me, result) = app
        .customer(&cookie)
        .needs(Area::Contacts)
        .attempt(move |conn, cx| {
            contacts::revoke_invitation(conn, &cx.me.account, id, &cx.actor(), cx.now)
        })
        .await?;
    after_revoking(&me, result, "contacts-invitation-revoked")
}

#[post("/kontakty/<id>/odwolaj", data = "<_form>")]
async fn revoke_access(
    id: i64,
    _form: Protected<TokenOnly>,
    app: &State<App>,
    cookie: CustomerCookie,
) -> Result<Flash<Redirect>, Status> {
    let (me, result) = app
        .customer(&cookie)
        .needs(Area::Contacts)
        .attempt(move |conn, cx| {
            contacts::revoke_access(conn, &cx.me.account, id, &cx.actor(), cx.now)
        })
        .await?;
    after_revoking(&me, result, "contacts-access-revoked")
}

async fn render_invitation(
    app: &App,
    client: &Client,
    layout: Layout,
    token: &str,
    typed: (&str, Vec<String>),
) -> Result<Template, Status> {
    let token_owned = token.to_owned();
    let (_, invitation) = app
        .visitor(&client.0)
        .run(move |conn, cx| contacts::find_invitation(conn, &token_owned, cx.now))
        .await?;
    let (login, errors) = typed;
    Ok(Template::render(
        "customer/invitation",
        context! { layout, invitation, token, login, errors, min_length: crate::app::passwords::MIN_LENGTH },
    ))
}

/// The link from the invitation mail: a form, since mail scanners open links.
#[get("/zaproszenie/<token>")]
async fn invitation_page(
    token: &str,
    app: &State<App>,
    client: Client,
    layout: Layout,
) -> Result<Template, Status> {
    render_invitation(app, &client, layout, token, ("", Vec::new())).await
}

#[derive(Debug, FromForm)]
pub struct AcceptFields {
    #[field(default = String::new())]
    login: String,
    #[field(default = String::new())]
    password: String,
    #[field(default = String::new())]
    password_repeated: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for AcceptFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/zaproszenie/<token>", data = "<form>")]
async fn accept(
    token: &str,
    form: Protected<AcceptFields>,
    app: &State<App>,
    client: Client,
    layout: Layout,
) -> Result<Answer, Status> {
    let lang = layout.lang;
    let login = form.login.trim().to_owned();
    let problem = contacts::check_new_login(&login, &form.password, &form.password_repeated).err();
    let result = match problem {
        Some(error) => Err(error),
        None => {
            let password = form.password.clone();
            let (token, login) = (token.to_owned(), login.clone());
            // Hashed before the turn for a connection is taken: a hash is tens of milliseconds
            // that no other request should wait for.
            let hash = app.hash_password(password).await?;
            app.visitor(&client.0)
                .attempt(move |conn, cx| {
                    contacts::accept(conn, &token, &login, &hash, &cx.actor(), cx.now)
                })
                .await?
                .1
                .map(|_| ())
        }
    };
    let errors = match result {
        Ok(()) => {
            return Ok(Either::Left(Flash::success(
                Redirect::to("/logowanie"),
                i18n::text(lang, "contacts-registered"),
            )));
        }
        Err(AcceptError::InvalidLink) => return Err(Status::NotFound),
        Err(AcceptError::LoginFormat) => vec![i18n::text(lang, "contacts-error-login")],
        Err(AcceptError::LoginTaken) => vec![i18n::text(lang, "contacts-error-login-taken")],
        Err(AcceptError::Password(problems)) => problems
            .into_iter()
            .map(|problem| messages::password_problem(lang, problem))
            .collect(),
        Err(error) => return Err(server_error(&error)),
    };
    let page = render_invitation(app, &client, layout, token, (&login, errors)).await?;
    Ok(Either::Right((Status::UnprocessableEntity, page)))
}
