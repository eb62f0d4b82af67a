//! The client's address: the socket peer, or `X-Real-IP` when the peer is one of our trusted
//! reverse proxies. Anyone can send the header; only a proxy we know may be believed (the same
//! holds for `X-Forwarded-Proto`, see `security_headers`).

use std::net::IpAddr;

use rocket::request::{FromRequest, Outcome, Request};

use crate::config::Config;

#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

/// True when the socket peer is one of `EBOK_TRUSTED_PROXIES`, so its forwarding headers
/// (`X-Real-IP`, `X-Forwarded-Proto`) may be believed.
pub fn from_trusted_proxy(request: &Request<'_>) -> bool {
    let Some(peer) = request.remote().map(|address| address.ip()) else {
        return false;
    };
    request.rocket().state::<Config>().is_some_and(|config| {
        config
            .web
            .trusted_proxies
            .iter()
            .any(|net| net.contains(&peer))
    })
}

pub fn client_ip(request: &Request<'_>) -> Option<IpAddr> {
    let peer = request.remote().map(|address| address.ip())?;
    if from_trusted_proxy(request)
        && let Some(header) = request.headers().get_one("X-Real-IP")
    {
        let header = header.trim();
        // Some proxies send "address:port"; take the address either way.
        let forwarded = header
            .parse::<IpAddr>()
            .ok()
            .or_else(|| header.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()));
        if let Some(forwarded) = forwarded {
            return Some(forwarded);
        }
    }
    Some(peer)
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ClientIp {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(ClientIp(client_ip(request)))
    }
}

/// Address and browser, as recorded with sessions and in the audit trail.
pub struct Client(pub crate::app::sessions::ClientInfo);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Client {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(Client(crate::web::session::client_info(request)))
    }
}
