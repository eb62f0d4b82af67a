//! Strict headers on every response: no inline scripts, no framing, no MIME sniffing.

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::Header;
use rocket::{Request, Response};

pub struct SecurityHeaders;

/// Everything is served from our own origin; forms post only to us.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

#[rocket::async_trait]
impl Fairing for SecurityHeaders {
    fn info(&self) -> Info {
        Info {
            name: "Security headers",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, request: &'r Request<'_>, response: &mut Response<'r>) {
        response.set_header(Header::new(
            "Content-Security-Policy",
            CONTENT_SECURITY_POLICY,
        ));
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
