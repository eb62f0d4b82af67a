//! Strict headers on every response: no inline scripts, no framing, no MIME sniffing.

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::Header;
use rocket::{Request, Response};

pub struct SecurityHeaders {
    content_security_policy: String,
    /// The page embedding PayU's Secure Form also runs PayU's SDK, shows PayU's card frames
    /// and lets the SDK talk to PayU; every other page keeps the strict policy.
    card_form_policy: String,
}

/// The page with PayU's Secure Form (`web::customer::recurring`).
const CARD_FORM_PAGE: &str = "/konto/platnosci-automatyczne/nowa-karta";

/// Everything is served from our own origin; forms post only to us.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'{payments}; frame-ancestors 'none'";

/// Where PayU's payment pages live (its sandbox on `*.snd.payu.com`).
const PAYU_PAGES: &str = "https://*.payu.com";

impl SecurityHeaders {
    /// With online payments on, `form-action` also allows PayU's payment page: "Zapłać online"
    /// posts to us and we answer with a redirect there, and browsers hold a form's redirects
    /// to `form-action` too (Chromium refuses the navigation otherwise). `payu_url` is the
    /// configured PayU (the local test server's own origin in the demo and tests).
    pub fn new(payu_url: Option<&str>) -> SecurityHeaders {
        let origin = payu_url.and_then(origin_of);
        let payu = match &origin {
            Some(origin) if origin.ends_with(".payu.com") => format!(" {PAYU_PAGES}"),
            Some(origin) => format!(" {origin} {PAYU_PAGES}"),
            None => String::new(),
        };
        let content_security_policy = CONTENT_SECURITY_POLICY.replace("{payments}", &payu);
        let card_form_policy = if payu.is_empty() {
            content_security_policy.clone()
        } else {
            content_security_policy
                .replace("script-src 'self'", &format!("script-src 'self'{payu}"))
                .replace("connect-src 'self'", &format!("connect-src 'self'{payu}"))
                .replace("object-src", &format!("frame-src{payu}; object-src"))
        };
        SecurityHeaders {
            content_security_policy,
            card_form_policy,
        }
    }
}

/// `scheme://host[:port]` of a URL, or None when it is not one.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest
        .split(['/', '?', '#'])
        .next()
        .filter(|h| !h.is_empty())?;
    matches!(scheme, "http" | "https")
        .then(|| format!("{scheme}://{host}"))
        .filter(|o| !o.contains([' ', ';', ',', '\'']))
}

#[rocket::async_trait]
impl Fairing for SecurityHeaders {
    fn info(&self) -> Info {
        Info {
            name: "Security headers",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, request: &'r Request<'_>, response: &mut Response<'r>) {
        let policy = if request.uri().path() == CARD_FORM_PAGE {
            &self.card_form_policy
        } else {
            &self.content_security_policy
        };
        response.set_header(Header::new("Content-Security-Policy", policy.clone()));
        response.set_header(Header::new("X-Content-Type-Options", "nosniff"));
        response.set_header(Header::new("X-Frame-Options", "DENY"));
        response.set_header(Header::new("Referrer-Policy", "same-origin"));
        response.set_header(Header::new(
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=()",
        ));
        response.set_header(Header::new("Cross-Origin-Opener-Policy", "same-origin"));
        // Pages show personal data and one-time secrets (TOTP keys, recovery codes): never cache
        // them on shared computers. Static assets may be cached.
        if !request.uri().path().starts_with("/assets/") {
            response.set_header(Header::new("Cache-Control", "no-store"));
        }
        // HSTS only means something over TLS: Rocket's own, or one of our proxies saying so.
        // Anyone else's `X-Forwarded-Proto` is not believed: HSTS pinned on a plain-HTTP
        // deployment would lock its users out for a year.
        let behind_tls = request.rocket().config().tls_enabled()
            || (request.headers().get_one("X-Forwarded-Proto") == Some("https")
                && crate::web::client_ip::from_trusted_proxy(request));
        if behind_tls {
            response.set_header(Header::new(
                "Strict-Transport-Security",
                "max-age=31536000; includeSubDomains",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_post_only_to_us_unless_payu_is_on() {
        let off = SecurityHeaders::new(None).content_security_policy;
        assert!(off.contains("form-action 'self';"), "{off}");
        let sandbox = SecurityHeaders::new(Some("https://secure.snd.payu.com"));
        assert!(
            sandbox
                .content_security_policy
                .contains("form-action 'self' https://*.payu.com;")
        );
        let local = SecurityHeaders::new(Some("http://127.0.0.1:8200/")).content_security_policy;
        assert!(
            local.contains("form-action 'self' http://127.0.0.1:8200 https://*.payu.com;"),
            "{local}"
        );
        let odd = SecurityHeaders::new(Some("http://evil; script-src *")).content_security_policy;
        assert!(
            odd.contains("form-action 'self' https://*.payu.com;")
                || odd.contains("form-action 'self';"),
            "{odd}"
        );
        assert!(!odd.contains("script-src *"), "{odd}");
    }

    #[test]
    fn only_the_card_form_page_may_run_payus_sdk() {
        let headers = SecurityHeaders::new(Some("https://secure.payu.com"));
        assert!(
            headers
                .content_security_policy
                .contains("script-src 'self';"),
            "{}",
            headers.content_security_policy
        );
        let card = &headers.card_form_policy;
        assert!(
            card.contains("script-src 'self' https://*.payu.com;"),
            "{card}"
        );
        assert!(card.contains("frame-src https://*.payu.com;"), "{card}");
        assert!(
            card.contains("connect-src 'self' https://*.payu.com;"),
            "{card}"
        );
        assert!(card.contains("frame-ancestors 'none'"), "{card}");
        let off = SecurityHeaders::new(None);
        assert_eq!(off.card_form_policy, off.content_security_policy);
    }
}
