//! The flagged endpoints in the formats an ISP's routers and firewalls read: a plain list of
//! addresses, and an `ipset restore` file with one set per flag (IPv4 addresses, IPv6 prefixes).

use std::fmt::Write;
use std::net::Ipv4Addr;

use super::dunning::EndpointFlag;

/// One flagged endpoint's addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlaggedAddress {
    pub flag: EndpointFlag,
    pub ipv4: Option<String>,
    pub ipv6_prefix: Option<String>,
}

/// Set names: `<prefix>-warning`, `<prefix>-block` and their `6` twins.
pub const SET_PREFIX: &str = "ebok";

fn valid_ipv4(address: &str) -> Option<Ipv4Addr> {
    address.trim().parse().ok()
}

/// One address or prefix a line, IPv4 first, sorted and without duplicates; `only` narrows to
/// one flag. Addresses that do not parse are left out rather than handed to a router.
pub fn ip_list(endpoints: &[FlaggedAddress], only: Option<EndpointFlag>) -> String {
    let chosen = || {
        endpoints
            .iter()
            .filter(move |e| only.is_none_or(|flag| e.flag == flag))
    };
    let mut v4: Vec<Ipv4Addr> = chosen()
        .filter_map(|e| e.ipv4.as_deref().and_then(valid_ipv4))
        .collect();
    v4.sort();
    v4.dedup();
    let mut v6: Vec<String> = chosen()
        .filter_map(|e| e.ipv6_prefix.as_deref().map(str::trim).map(str::to_owned))
        .filter(|p| p.contains(':'))
        .collect();
    v6.sort();
    v6.dedup();
    let mut out = String::new();
    for address in v4 {
        let _ = writeln!(out, "{address}");
    }
    for prefix in v6 {
        let _ = writeln!(out, "{prefix}");
    }
    out
}

/// An `ipset restore` file: the sets are created if missing and flushed, so loading it again
/// replaces yesterday's list (a lifted flag disappears).
pub fn ipset_restore(endpoints: &[FlaggedAddress]) -> String {
    let mut out = String::new();
    for flag in [EndpointFlag::Warning, EndpointFlag::Block] {
        let name = format!("{SET_PREFIX}-{}", flag.name());
        let _ = writeln!(out, "create {name} hash:ip family inet -exist");
        let _ = writeln!(out, "create {name}6 hash:net family inet6 -exist");
        let _ = writeln!(out, "flush {name}");
        let _ = writeln!(out, "flush {name}6");
        for line in ip_list(endpoints, Some(flag)).lines() {
            let set = if line.contains(':') {
                format!("{name}6")
            } else {
                name.clone()
            };
            let _ = writeln!(out, "add {set} {line} -exist");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flagged(flag: EndpointFlag, ipv4: &str, ipv6: Option<&str>) -> FlaggedAddress {
        FlaggedAddress {
            flag,
            ipv4: Some(ipv4.into()),
            ipv6_prefix: ipv6.map(str::to_owned),
        }
    }

    #[test]
    fn the_ip_list_is_sorted_unique_and_skips_what_does_not_parse() {
        let endpoints = [
            flagged(EndpointFlag::Block, "100.64.0.10", None),
            flagged(EndpointFlag::Warning, "100.64.0.9", Some("2001:db8:1::/56")),
            flagged(EndpointFlag::Block, "100.64.0.10", None),
            flagged(EndpointFlag::Block, "not an address", None),
        ];
        assert_eq!(
            ip_list(&endpoints, None),
            "100.64.0.9\n100.64.0.10\n2001:db8:1::/56\n"
        );
        assert_eq!(
            ip_list(&endpoints, Some(EndpointFlag::Block)),
            "100.64.0.10\n"
        );
    }

    #[test]
    fn the_ipset_file_creates_flushes_and_fills_one_set_per_flag() {
        let endpoints = [
            flagged(EndpointFlag::Block, "100.64.0.10", Some("2001:db8:2::/56")),
            flagged(EndpointFlag::Warning, "100.64.0.9", None),
        ];
        assert_eq!(
            ipset_restore(&endpoints),
            "create ebok-warning hash:ip family inet -exist\n\
             create ebok-warning6 hash:net family inet6 -exist\n\
             flush ebok-warning\n\
             flush ebok-warning6\n\
             add ebok-warning 100.64.0.9 -exist\n\
             create ebok-block hash:ip family inet -exist\n\
             create ebok-block6 hash:net family inet6 -exist\n\
             flush ebok-block\n\
             flush ebok-block6\n\
             add ebok-block 100.64.0.10 -exist\n\
             add ebok-block6 2001:db8:2::/56 -exist\n"
        );
    }
}
