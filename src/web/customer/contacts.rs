//! `/kontakty`: the account owner invites people with a role and revokes them;
//! `/zaproszenie/<token>`: an invited person creates their own login.

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use crate::app::access::Area;
use crate::app::audit::Actor;
use crate::app::contacts::{self, AcceptError, ContactError};
use crate::app::{clock, crypto};
use crate::i18n::{self, Lang};
use crate::mail::Language;
use crate::web::client_ip::ClientIp;
use crate::web::csrf::{CsrfForm, Protected, TokenOnly};
use crate::web::mailing::{Mailing, OutboxSignal, PasswordSlots};
use crate::web::messages;
use crate::web::page::Layout;
use crate::web::session::CurrentCustomer;
use crate::web::{Db, server_error};

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

fn actor(customer: &CurrentCustomer, ip: ClientIp) -> Actor {
    Actor::account(
        customer.account.id,
        customer.customer_id(),
        ip.0.map(|ip| ip.to_string()),
    )
}

async fn render_list(
    db: &Db,
    customer: &CurrentCustomer,
    layout: Layout,
    error: Option<String>,
    email: &str,
    role: &str,
) -> Result<Template, Status> {
    let me = customer.account.clone();
    let now = clock::now();
    let contacts = db.query(move |conn| contacts::list(conn, &me, now)).await?;
    Ok(Template::render(
        "customer/contacts",
        context! { layout, contacts, error, email, role },
    ))
}

#[get("/kontakty")]
async fn list(customer: CurrentCustomer, layout: Layout, db: Db) -> Result<Template, Status> {
    customer.require(Area::Contacts)?;
    render_list(&db, &customer, layout, None, "", "billing").await
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
#[allow(clippy::too_many_arguments)]
async fn invite(
    form: Protected<InviteFields>,
    customer: CurrentCustomer,
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
    mailing: &State<Mailing>,
    signal: &State<OutboxSignal>,
) -> Result<Answer, Status> {
    customer.require(Area::Contacts)?;
    let actor = actor(&customer, ip);
    let owner = customer.account.clone();
    let (email, role) = (form.email.clone(), form.role.clone());
    let mailing = mailing.inner().clone();
    let language = Language::from_code(lang.code());
    let now = clock::now();
    let result = db
        .run(move |conn| {
            contacts::invite(
                conn,
                &owner,
                &email,
                &role,
                language,
                mailing.outgoing(),
                &actor,
                now,
            )
        })
        .await
        .map_err(|e| server_error(&e))?;
    let message = match result {
        Ok(()) => {
            signal.wake();
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
    let page = render_list(
        &db,
        &customer,
        layout,
        Some(i18n::text(lang, message)),
        &form.email,
        &form.role,
    )
    .await?;
    Ok(Either::Right((Status::UnprocessableEntity, page)))
}

#[post("/kontakty/zaproszenia/<id>/odwolaj", data = "<_form>")]
async fn revoke_invitation(
    id: i64,
    _form: Protected<TokenOnly>,
    customer: CurrentCustomer,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Flash<Redirect>, Status> {
    customer.require(Area::Contacts)?;
    let actor = actor(&customer, ip);
    let owner = customer.account.clone();
    let now = clock::now();
    let result = db
        .run(move |conn| contacts::revoke_invitation(conn, &owner, id, &actor, now))
        .await
        .map_err(|e| server_error(&e))?;
    match result {
        Ok(()) => Ok(Flash::success(
            Redirect::to("/kontakty"),
            i18n::text(lang, "contacts-invitation-revoked"),
        )),
        Err(ContactError::NotFound) => Err(Status::NotFound),
        Err(ContactError::NotOwner) => Err(Status::Forbidden),
        Err(error) => Err(server_error(&error)),
    }
}

#[post("/kontakty/<id>/odwolaj", data = "<_form>")]
async fn revoke_access(
    id: i64,
    _form: Protected<TokenOnly>,
    customer: CurrentCustomer,
    lang: Lang,
    ip: ClientIp,
    db: Db,
) -> Result<Flash<Redirect>, Status> {
    customer.require(Area::Contacts)?;
    let actor = actor(&customer, ip);
    let owner = customer.account.clone();
    let now = clock::now();
    let result = db
        .run(move |conn| contacts::revoke_access(conn, &owner, id, &actor, now))
        .await
        .map_err(|e| server_error(&e))?;
    match result {
        Ok(()) => Ok(Flash::success(
            Redirect::to("/kontakty"),
            i18n::text(lang, "contacts-access-revoked"),
        )),
        Err(ContactError::NotFound) => Err(Status::NotFound),
        Err(ContactError::NotOwner) => Err(Status::Forbidden),
        Err(error) => Err(server_error(&error)),
    }
}

async fn render_invitation(
    db: &Db,
    layout: Layout,
    token: &str,
    login: &str,
    errors: Vec<String>,
) -> Result<Template, Status> {
    let token_owned = token.to_owned();
    let now = clock::now();
    let invitation = db
        .query(move |conn| contacts::find_invitation(conn, &token_owned, now))
        .await?;
    Ok(Template::render(
        "customer/invitation",
        context! { layout, invitation, token, login, errors, min_length: crate::app::passwords::MIN_LENGTH },
    ))
}

/// The link from the invitation mail: a form, since mail scanners open links.
#[get("/zaproszenie/<token>")]
async fn invitation_page(token: &str, layout: Layout, db: Db) -> Result<Template, Status> {
    render_invitation(&db, layout, token, "", Vec::new()).await
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
#[allow(clippy::too_many_arguments)]
async fn accept(
    token: &str,
    form: Protected<AcceptFields>,
    layout: Layout,
    lang: Lang,
    ip: ClientIp,
    db: Db,
    slots: &State<PasswordSlots>,
) -> Result<Answer, Status> {
    let login = form.login.trim().to_owned();
    let problem = contacts::check_new_login(&login, &form.password, &form.password_repeated).err();
    let result = match problem {
        Some(error) => Err(error),
        None => {
            let _permit = slots
                .0
                .acquire()
                .await
                .map_err(|_| Status::ServiceUnavailable)?;
            let password = form.password.clone();
            let hash =
                rocket::tokio::task::spawn_blocking(move || crypto::hash_password(&password))
                    .await
                    .map_err(|e| server_error(&e))?
                    .map_err(|e| server_error(&e))?;
            let (token, login) = (token.to_owned(), login.clone());
            let actor = Actor::anonymous(ip.0.map(|ip| ip.to_string()));
            let now = clock::now();
            db.run(move |conn| contacts::accept(conn, &token, &login, &hash, &actor, now))
                .await
                .map_err(|e| server_error(&e))?
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
    let page = render_invitation(&db, layout, token, &login, errors).await?;
    Ok(Either::Right((Status::UnprocessableEntity, page)))
}
