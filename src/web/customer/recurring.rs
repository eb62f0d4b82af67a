//! `/konto/platnosci-automatyczne`: automatic card payments. The subscriber adds a card (typed at
//! PayU's form, which sends back a single-use token; a FIRST order with 3-D Secure turns it into
//! a card e-BOK can charge), turns automatic payment on for a contract (accepting the terms,
//! stored as a consent), chooses or removes cards, sees the periods and charges, and cancels
//! (in force to the end of the period then running, the page says the date).

use crate::domain::ContractId;
use crate::domain::recurring::CardStatus;
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::content::RawHtml;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use crate::app::access::Area;
use crate::app::recurring::mandates::{self, CancelledBy, EnableRequest};
use crate::app::recurring::{PAGE, RecurringError, cards};
use crate::app::{App, clock};
use crate::i18n::{self, Lang};
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::{CustomerCookie, language};
use crate::web::views::{Template, context};

pub fn routes() -> Vec<Route> {
    routes![
        page,
        new_card,
        add_card,
        card_back,
        card_back_from_another_site,
        remove_card,
        enable,
        choose_card,
        cancel
    ]
}

#[derive(Debug, FromForm)]
pub struct Plain {
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for Plain {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[derive(Debug, FromForm)]
pub struct TokenFields {
    #[field(default = String::new())]
    csrf_token: String,
    #[field(default = String::new())]
    token: String,
}

impl CsrfForm for TokenFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[derive(Debug, FromForm)]
pub struct EnableFields {
    #[field(default = String::new())]
    csrf_token: String,
    #[field(default = ContractId(0))]
    contract_id: ContractId,
    #[field(default = 0)]
    card_id: i64,
    #[field(default = false)]
    terms: bool,
}

impl CsrfForm for EnableFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[derive(Debug, FromForm)]
pub struct CardFields {
    #[field(default = String::new())]
    csrf_token: String,
    #[field(default = 0)]
    card_id: i64,
}

impl CsrfForm for CardFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

type Answer = Result<Flash<Redirect>, Status>;

fn back(lang: Lang, ok: bool, key: &str) -> Answer {
    let redirect = Redirect::to(PAGE);
    let text = i18n::text(lang, key);
    Ok(if ok {
        Flash::success(redirect, text)
    } else {
        Flash::error(redirect, text)
    })
}

/// The message for a refusal; None for what is a server fault.
fn refusal_key(error: &RecurringError) -> Option<&'static str> {
    Some(match error {
        RecurringError::NoContract => "recurring-no-contract",
        RecurringError::NoCard | RecurringError::CardNotActive => "recurring-no-card",
        RecurringError::NoMandate | RecurringError::AlreadyEnded => "recurring-no-mandate",
        RecurringError::TermsNotAccepted => "recurring-terms-needed",
        RecurringError::AlreadyOn => "recurring-already-on",
        RecurringError::CardInUse => "recurring-card-in-use",
        RecurringError::BadToken => "recurring-bad-token",
        RecurringError::PayuOff => "online-pay-off",
        RecurringError::Payu(_) => "recurring-payu-refused",
        _ => return None,
    })
}

fn answer(lang: Lang, result: Result<&'static str, RecurringError>) -> Answer {
    match result {
        Ok(key) => back(lang, true, key),
        Err(error) => match refusal_key(&error) {
            Some(key) => back(lang, false, key),
            None => Err(server_error(&error)),
        },
    }
}

#[get("/konto/platnosci-automatyczne")]
async fn page(
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, page) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .run(|conn, cx| mandates::overview(conn, cx.customer_id(), cx.today))
        .await?;
    let card_form = app.gateway().map(|_| format!("{PAGE}/nowa-karta"));
    Ok(Template::render(
        "customer/recurring",
        context! { layout: layout.signed_in(&me), page, card_form },
    ))
}

/// Adding a card: PayU's Secure Form, which gives a single-use token posted to `add_card`; or,
/// with `?token=` (a card form that sends the subscriber back), the confirmation of that token.
#[get("/konto/platnosci-automatyczne/nowa-karta?<token>")]
async fn new_card(
    token: Option<String>,
    app: &State<App>,
    cookie: CustomerCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let me = app.customer(&cookie).needs(Area::Invoices).resume().await?;
    let secure_form = match (&token, app.gateway()) {
        (None, Some(gateway)) => Some(cards::secure_form(gateway)),
        _ => None,
    };
    let token = token.filter(|t| cards::is_single_use_token(t));
    Ok(Template::render(
        "customer/recurring_card",
        context! { layout: layout.signed_in(&me), token, secure_form },
    ))
}

#[post("/konto/platnosci-automatyczne/nowa-karta", data = "<form>")]
async fn add_card(
    form: Protected<TokenFields>,
    app: &State<App>,
    cookie: CustomerCookie,
) -> Result<Result<Redirect, Flash<Redirect>>, Status> {
    let me = app.customer(&cookie).needs(Area::Invoices).resume().await?;
    let lang = language(&me);
    let Some(gateway) = app.gateway() else {
        return back(lang, false, "online-pay-off").map(Err);
    };
    let ip = cookie
        .client
        .ip
        .clone()
        .unwrap_or_else(|| "127.0.0.1".to_owned());
    match cards::start_registration(
        app.pool(),
        gateway,
        me.account.customer_id,
        me.account.id,
        form.token.trim(),
        &ip,
        clock::now(),
    )
    .await
    {
        Ok((_, Some(redirect))) => Ok(Ok(Redirect::to(redirect))),
        Ok((card, None)) => Ok(Ok(Redirect::to(format!("{PAGE}/karta/{card}")))),
        Err(error) => answer(lang, Err(error)).map(Err),
    }
}

/// Where PayU sends the subscriber back after 3-D Secure: asks PayU how it went.
#[get("/konto/platnosci-automatyczne/karta/<id>")]
async fn card_back(id: i64, app: &State<App>, cookie: CustomerCookie) -> Answer {
    let me = app.customer(&cookie).needs(Area::Invoices).resume().await?;
    let lang = language(&me);
    let Some(gateway) = app.gateway() else {
        return back(lang, false, "online-pay-off");
    };
    let card = cards::finish_registration(
        app.pool(),
        gateway,
        me.account.customer_id,
        id,
        clock::now(),
    )
    .await;
    match card {
        Ok(card) if card.status == CardStatus::Active => back(lang, true, "recurring-card-added"),
        Ok(card) if card.status == CardStatus::Pending => {
            back(lang, true, "recurring-card-pending")
        }
        Ok(_) => back(lang, false, "recurring-card-failed"),
        Err(RecurringError::NoCard) => Err(Status::NotFound),
        Err(RecurringError::Payu(_)) => back(lang, true, "recurring-card-pending"),
        Err(error) => answer(lang, Err(error)),
    }
}

/// The same page reached from PayU without the (SameSite=Strict) session cookie: a page of ours
/// that reloads itself makes a same-site request that carries it (as `/platnosci-online`).
#[get("/konto/platnosci-automatyczne/karta/<id>?<powrot>", rank = 2)]
fn card_back_from_another_site(
    id: i64,
    powrot: Option<u8>,
) -> rocket::Either<RawHtml<String>, Redirect> {
    if powrot.is_some() {
        return rocket::Either::Right(Redirect::to("/logowanie"));
    }
    let again = format!("{PAGE}/karta/{id}?powrot=1");
    rocket::Either::Left(RawHtml(format!(
        "<!doctype html><html lang=\"pl\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"refresh\" content=\"0; url={again}\">\
         <title>e-BOK</title></head><body>\
         <p><a href=\"{again}\">Wróć do e-BOK (Back to e-BOK)</a></p></body></html>"
    )))
}

#[post("/konto/platnosci-automatyczne/karta/<id>/usun", data = "<_form>")]
async fn remove_card(
    id: i64,
    _form: Protected<Plain>,
    app: &State<App>,
    cookie: CustomerCookie,
) -> Answer {
    let me = app.customer(&cookie).needs(Area::Invoices).resume().await?;
    let lang = language(&me);
    let result = cards::remove(
        app.pool(),
        app.gateway(),
        me.account.customer_id,
        id,
        clock::now(),
    )
    .await
    .map(|()| "recurring-card-removed");
    answer(lang, result)
}

#[post("/konto/platnosci-automatyczne/wlacz", data = "<form>")]
async fn enable(form: Protected<EnableFields>, app: &State<App>, cookie: CustomerCookie) -> Answer {
    let (contract_id, card_id, terms) = (form.contract_id, form.card_id, form.terms);
    let (me, result) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .attempt(move |conn, cx| {
            mandates::enable(
                conn,
                &EnableRequest {
                    customer_id: cx.customer_id(),
                    account_id: cx.me.account.id,
                    contract_id,
                    card_id,
                    terms_accepted: terms,
                    ip: cx.client.ip.clone(),
                    today: cx.today,
                    now: cx.now,
                },
            )
        })
        .await?;
    answer(language(&me), result.map(|_| "recurring-enabled"))
}

#[post("/konto/platnosci-automatyczne/<mandate>/karta", data = "<form>")]
async fn choose_card(
    mandate: i64,
    form: Protected<CardFields>,
    app: &State<App>,
    cookie: CustomerCookie,
) -> Answer {
    let card_id = form.card_id;
    let (me, result) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .attempt(move |conn, cx| {
            mandates::choose_card(conn, cx.customer_id(), mandate, card_id, cx.now)
        })
        .await?;
    answer(language(&me), result.map(|()| "recurring-card-chosen"))
}

#[post("/konto/platnosci-automatyczne/<mandate>/anuluj", data = "<_form>")]
async fn cancel(
    mandate: i64,
    _form: Protected<Plain>,
    app: &State<App>,
    cookie: CustomerCookie,
) -> Answer {
    let (me, result) = app
        .customer(&cookie)
        .needs(Area::Invoices)
        .attempt(move |conn, cx| {
            let outgoing = cx.mail();
            mandates::cancel(
                conn,
                Some(&outgoing),
                Some(cx.customer_id()),
                mandate,
                &CancelledBy::Subscriber {
                    account_id: cx.me.account.id,
                    ip: cx.client.ip.clone(),
                },
                cx.today,
                cx.now,
            )
        })
        .await?;
    let lang = language(&me);
    match result {
        Ok(ends_on) => Ok(Flash::success(
            Redirect::to(PAGE),
            i18n::text_with(
                lang,
                "recurring-cancelled",
                &[("date", crate::app::recurring::pl_date(ends_on).into())],
            ),
        )),
        Err(error) => answer(lang, Err(error)),
    }
}
