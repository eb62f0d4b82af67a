//! Which language a page is in: the signed-in subscriber's setting, else the language they picked
//! before signing in (a cookie), else the browser's `Accept-Language`, else Polish.

use rocket::form::FromForm;
use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::Redirect;
use rocket::{Route, State, post, routes};

use crate::app::App;
use crate::app::service::Refusal;
use crate::i18n::Lang;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::session::{CurrentCustomer, CustomerCookie};

const LANG_COOKIE: &str = "ebok_lang";

pub fn routes() -> Vec<Route> {
    routes![switch]
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Lang {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        struct Cached(Lang);
        let lang = request
            .local_cache_async(async {
                let signed_in = if request.uri().path().starts_with("/staff") {
                    None
                } else {
                    request
                        .guard::<CurrentCustomer>()
                        .await
                        .succeeded()
                        .and_then(|c| Lang::parse(&c.account.language))
                };
                Cached(signed_in.unwrap_or_else(|| visitor_language(request)))
            })
            .await;
        Outcome::Success(lang.0)
    }
}

/// The language for someone not signed in (or where the account cannot be looked up, as on
/// error pages): the `ebok_lang` cookie, else `Accept-Language`, else Polish. No database.
pub fn visitor_language(request: &Request<'_>) -> Lang {
    request
        .cookies()
        .get(LANG_COOKIE)
        .and_then(|c| Lang::parse(c.value()))
        .or_else(|| {
            request
                .headers()
                .get_one("Accept-Language")
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

#[derive(Debug, FromForm)]
pub struct SwitchFields {
    #[field(default = String::new())]
    lang: String,
    /// Where to go back to; only a local path is followed.
    #[field(default = String::new())]
    back: String,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for SwitchFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// Only paths on this site: "/faktury?rok=2026", never "//evil.example" or "https://…"; and
/// only what parses as a URI path with query, since a redirect to "/a b" or "/ä" cannot be
/// written into a `Location` header (the footer echoes the request URI, which a browser may
/// have sent with raw UTF-8 in its query).
fn local_path(back: &str) -> &str {
    let safe = back.starts_with('/')
        && !back.starts_with("//")
        && !back.starts_with("/\\")
        && !back.chars().any(|c| c.is_control())
        && rocket::http::uri::Origin::parse(back).is_ok()
        && rocket::http::uri::Reference::parse(back).is_ok();
    if safe { back } else { "/" }
}

/// The language switch in every page's footer. Remembered in a cookie, and for a signed-in
/// subscriber also on the account and the customer, so mails and the next login use it too.
#[post("/jezyk", data = "<form>")]
async fn switch(
    form: Protected<SwitchFields>,
    app: &State<App>,
    cookie: Option<CustomerCookie>,
    cookies: &CookieJar<'_>,
) -> Result<Redirect, Status> {
    let back = local_path(&form.back).to_owned();
    let Some(lang) = Lang::parse(&form.lang) else {
        return Ok(Redirect::to(back));
    };
    cookies.add(
        Cookie::build((LANG_COOKIE, lang.code()))
            .path("/")
            .same_site(SameSite::Lax)
            .http_only(true)
            .max_age(rocket::time::Duration::days(365)),
    );
    if let Some(cookie) = cookie {
        // The same setting as "Moje dane".
        let saved = app
            .customer(&cookie)
            .run(move |conn, cx| {
                let (customer_id, account_id) = (cx.customer_id(), cx.me.account.id);
                crate::app::profile::set_language(conn, customer_id, account_id, lang, cx.now)
            })
            .await;
        match saved {
            // A visitor whose session has ended keeps the cookie only.
            Ok(_) | Err(Refusal::SignedOut) => {}
            Err(refusal) => return Err(refusal.into()),
        }
    }
    Ok(Redirect::to(back))
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_followed_back() {
        assert_eq!(local_path("/faktury?rok=2026"), "/faktury?rok=2026");
        assert_eq!(local_path("//evil.example/x"), "/");
        assert_eq!(local_path("/\\evil.example"), "/");
        assert_eq!(local_path("https://evil.example"), "/");
        assert_eq!(local_path(""), "/");
    }

    #[test]
    fn paths_that_are_not_valid_uris_go_back_home() {
        for back in [
            "/a b",
            "/ä",
            "/{x}",
            "/wiadomosci?q=ą",
            "/x\"y",
            "/<script>",
        ] {
            assert_eq!(local_path(back), "/", "{back}");
        }
        assert_eq!(local_path("/wiadomosci?q=%C4%85"), "/wiadomosci?q=%C4%85");
    }
}
