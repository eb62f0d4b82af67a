//! What the layout needs on every page: the ISP, the CSRF token for the forms on it (logout
//! included), a flash message, and who is signed in.

use rocket::request::{FlashMessage, FromRequest, Outcome, Request};
use serde::Serialize;

use super::Site;
use super::csrf::page_token;
use super::session::{CurrentCustomer, CurrentStaff};
use crate::app::site::SiteInfo;
use crate::i18n::Lang;

#[derive(Debug, Clone, Serialize)]
pub struct Flash {
    pub kind: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SignedIn {
    pub login: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Layout {
    pub site: SiteInfo,
    pub csrf_token: String,
    pub flash: Option<Flash>,
    pub customer: Option<SignedIn>,
    pub staff: Option<SignedIn>,
    /// The page's language ("pl" / "en"), for `t(…, lang=layout.lang)` and the filters.
    pub lang: Lang,
    /// This page's path and query, so the language switch can come back to it.
    pub path: String,
}

impl Layout {
    /// For error pages, which cannot run guards.
    pub fn bare(site: SiteInfo) -> Layout {
        Layout {
            site,
            csrf_token: String::new(),
            flash: None,
            customer: None,
            staff: None,
            lang: Lang::default(),
            path: "/".to_owned(),
        }
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Layout {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let site = request
            .rocket()
            .state::<Site>()
            .map(|s| s.0.as_ref().clone())
            .unwrap_or_default();
        let flash = request
            .guard::<Option<FlashMessage<'_>>>()
            .await
            .succeeded()
            .flatten()
            .map(|f| Flash {
                kind: f.kind().to_owned(),
                message: f.message().to_owned(),
            });
        let customer = request
            .guard::<CurrentCustomer>()
            .await
            .succeeded()
            .map(|c| SignedIn {
                login: c.account.login,
            });
        let staff = if request.uri().path().starts_with("/staff") {
            request
                .guard::<CurrentStaff>()
                .await
                .succeeded()
                .map(|s| SignedIn {
                    login: s.staff.login,
                })
        } else {
            None
        };
        let csrf_token = page_token(request);
        let lang = match request.guard::<Lang>().await {
            Outcome::Success(lang) => lang,
            _ => Lang::default(),
        };
        Outcome::Success(Layout {
            site,
            csrf_token,
            flash,
            customer,
            staff,
            lang,
            path: request.uri().to_string(),
        })
    }
}
