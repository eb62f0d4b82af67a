//! What the layout needs on every page: the ISP, the CSRF token for the forms on it (logout
//! included), a flash message, and who is signed in.

use rocket::request::{FlashMessage, FromRequest, Outcome, Request};
use serde::Serialize;

use super::Site;
use super::csrf::page_token;
use super::lang::visitor_language;
use super::session::{CurrentCustomer, CurrentStaff};
use super::staff::nav::StaffNav;
use crate::app::sessions::{Account, CustomerSession, StaffSession};
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
    /// What this login's role opens (subscribers only; staff see everything their pages allow).
    pub access: Option<crate::app::access::AccessFlags>,
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
    /// What the signed-in staff member's role may open (the staff navigation).
    pub staff_nav: Option<StaffNav>,
}

impl Layout {
    /// For error pages, which cannot run guards.
    pub fn bare(site: SiteInfo, lang: Lang) -> Layout {
        Layout {
            site,
            csrf_token: String::new(),
            flash: None,
            customer: None,
            staff: None,
            lang,
            path: "/".to_owned(),
            staff_nav: None,
        }
    }
}

/// What every page's layout holds before anyone is signed in: the ISP, the CSRF token, the flash
/// message, the path, and the visitor's language.
async fn unsigned(request: &Request<'_>) -> Layout {
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
    Layout {
        site,
        csrf_token: page_token(request),
        flash,
        customer: None,
        staff: None,
        lang: visitor_language(request),
        path: request.uri().to_string(),
        staff_nav: None,
    }
}

fn signed_in_customer(account: &Account) -> SignedIn {
    SignedIn {
        access: Some(crate::app::access::flags(&account.role)),
        login: account.login.clone(),
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Layout {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let mut layout = unsigned(request).await;
        layout.customer = request
            .guard::<CurrentCustomer>()
            .await
            .succeeded()
            .map(|c| signed_in_customer(&c.account));
        let staff_user = if request.uri().path().starts_with("/staff") {
            request.guard::<CurrentStaff>().await.succeeded()
        } else {
            None
        };
        layout.staff_nav = staff_user
            .as_ref()
            .map(|s| StaffNav::for_role(&s.staff.role));
        layout.staff = staff_user.map(|s| SignedIn {
            login: s.staff.login,
            access: None,
        });
        layout.lang = match request.guard::<Lang>().await {
            Outcome::Success(lang) => lang,
            _ => Lang::default(),
        };
        Outcome::Success(layout)
    }
}

/// The layout of a signed-in page before the call that resumes the session has run: everything
/// but who is signed in (and so their language), which `signed_in` / `staff` add from the call's
/// answer. Taking it costs no database trip.
pub struct LayoutDraft(Layout);

impl LayoutDraft {
    /// The layout for this subscriber, in their language.
    pub fn signed_in(self, customer: &CustomerSession) -> Layout {
        let mut layout = self.0;
        layout.customer = Some(signed_in_customer(&customer.account));
        if let Some(lang) = Lang::parse(&customer.account.language) {
            layout.lang = lang;
        }
        layout
    }

    /// The layout for this staff member, with their navigation.
    pub fn staff(self, staff: &StaffSession) -> Layout {
        let mut layout = self.0;
        layout.staff_nav = Some(StaffNav::for_role(&staff.staff.role));
        layout.staff = Some(SignedIn {
            login: staff.staff.login.clone(),
            access: None,
        });
        layout
    }

    /// The visitor's language, for a page that answers before any call.
    pub fn lang(&self) -> Lang {
        self.0.lang
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for LayoutDraft {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(LayoutDraft(unsigned(request).await))
    }
}
