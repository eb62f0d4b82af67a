//! What identifies a subscriber's connection: a MAC address and a PPPoE login. IPv4 addresses
//! are `std::net::Ipv4Addr`.

use std::fmt;

/// A MAC address, stored as provisioning systems print it: lower-case, colon-separated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacAddress(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NetworkError {
    #[error("a MAC address has 12 hexadecimal digits")]
    Mac,
    #[error("a PPPoE login is 3–64 characters: letters, digits and . _ - @")]
    PppoeLogin,
    #[error("not an IPv4 address")]
    Ipv4,
}

impl MacAddress {
    /// Accepts the usual spellings: `02:AB:…`, `02-ab-…`, `02ab.cdef.0123`, `02abcdef0123`.
    pub fn parse(input: &str) -> Result<MacAddress, NetworkError> {
        let hex: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ':' | '-' | '.'))
            .collect();
        if hex.len() != 12 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(NetworkError::Mac);
        }
        let hex = hex.to_ascii_lowercase();
        let pairs: Vec<&str> = (0..6).map(|i| &hex[i * 2..i * 2 + 2]).collect();
        Ok(MacAddress(pairs.join(":")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MacAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A PPPoE user name as access servers accept it (RADIUS User-Name without spaces or quotes).
pub fn pppoe_login(input: &str) -> Result<String, NetworkError> {
    let login = input.trim();
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@');
    if !(3..=64).contains(&login.len()) || !login.chars().all(allowed) {
        return Err(NetworkError::PppoeLogin);
    }
    Ok(login.to_owned())
}

/// A single IPv4 host address in dotted form, normalised ("010.0.0.1" is refused, as routers do).
pub fn ipv4(input: &str) -> Result<String, NetworkError> {
    input
        .trim()
        .parse::<std::net::Ipv4Addr>()
        .map(|ip| ip.to_string())
        .map_err(|_| NetworkError::Ipv4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mac_addresses_in_every_usual_spelling_become_one_form() {
        for typed in [
            "02:AB:cd:00:11:22",
            "02-ab-cd-00-11-22",
            "02ab.cd00.1122",
            "02abcd001122",
        ] {
            assert_eq!(
                MacAddress::parse(typed).unwrap().as_str(),
                "02:ab:cd:00:11:22"
            );
        }
        assert_eq!(MacAddress::parse("02:ab:cd:00:11"), Err(NetworkError::Mac));
        assert_eq!(
            MacAddress::parse("02:ab:cd:00:11:zz"),
            Err(NetworkError::Mac)
        );
    }

    #[test]
    fn pppoe_logins_have_no_spaces() {
        assert!(pppoe_login("k000123@operator.pl").is_ok());
        assert_eq!(pppoe_login("jan kowalski"), Err(NetworkError::PppoeLogin));
        assert_eq!(pppoe_login("ab"), Err(NetworkError::PppoeLogin));
    }

    #[test]
    fn ipv4_addresses_are_checked() {
        assert_eq!(ipv4(" 10.1.2.3 ").unwrap(), "10.1.2.3");
        assert_eq!(ipv4("10.1.2"), Err(NetworkError::Ipv4));
        assert_eq!(ipv4("10.1.2.256"), Err(NetworkError::Ipv4));
    }
}
