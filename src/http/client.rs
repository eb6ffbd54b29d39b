//! Who the client is: the connection's address, or — when the connection comes from a
//! trusted reverse proxy (`KLANTSPIEGEL_TRUSTED_PROXIES`) — the client its `X-Forwarded-For`
//! names. Every per-address limit counts by this address.
//!
//! Each proxy appends the address it received the request from, so the header is read from
//! the right: hops that are trusted proxies are skipped, and the first one that is not is the
//! client. Anything left of it was written by the client itself and is never believed. A hop
//! that is not an address ends the walk at the last address known.

use std::net::IpAddr;

use actix_web::HttpRequest;

use crate::config::{canonical, Cidr};

/// The client of a request, as the per-address limits count it (None on a Unix socket).
pub fn client_ip(req: &HttpRequest) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    let trusted = req
        .app_data::<actix_web::web::Data<super::AppState>>()
        .map(|s| s.settings.trusted_proxies.as_slice())
        .unwrap_or_default();
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok());
    resolve(peer, trusted, forwarded)
}

/// [`client_ip`] from its parts: the peer, the trusted networks, and every `X-Forwarded-For`
/// header in the order received.
pub fn resolve<'a>(
    peer: IpAddr,
    trusted: &[Cidr],
    forwarded: impl Iterator<Item = &'a str>,
) -> Option<IpAddr> {
    let peer = canonical(peer);
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    if !is_trusted(peer) {
        return Some(peer);
    }
    let hops: Vec<&str> = forwarded.flat_map(|h| h.split(',')).collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            break;
        };
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    Some(client)
}

/// One hop: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`, `[2001:db8::1]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim().trim_matches('"');
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Ok(sa) = hop.parse::<std::net::SocketAddr>() {
        return Some(canonical(sa.ip()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let proxies = [
            Cidr::parse("10.0.0.0/8").unwrap(),
            Cidr::parse("::1").unwrap(),
        ];
        let r = |peer: &str, xff: &[&str]| resolve(ip(peer), &proxies, xff.iter().copied());
        // No trusted proxy in front: the header is ignored.
        assert_eq!(
            r("198.51.100.9", &["203.0.113.5"]),
            Some(ip("198.51.100.9"))
        );
        // One proxy: the address it saw.
        assert_eq!(r("10.0.0.2", &["203.0.113.5"]), Some(ip("203.0.113.5")));
        // A client that forges the header only adds hops on the left.
        assert_eq!(
            r("10.0.0.2", &["1.2.3.4, 203.0.113.5"]),
            Some(ip("203.0.113.5"))
        );
        // Two proxies, two headers, ports and brackets.
        assert_eq!(
            r("10.0.0.2", &["[2001:db8::7]:4711", "10.1.1.1:80"]),
            Some(ip("2001:db8::7"))
        );
        // Mapped IPv4 and a trusted IPv6 peer.
        assert_eq!(r("::1", &["::ffff:203.0.113.5"]), Some(ip("203.0.113.5")));
        // Only proxies, or no header: the left-most known proxy.
        assert_eq!(r("10.0.0.2", &["10.0.0.3"]), Some(ip("10.0.0.3")));
        assert_eq!(r("10.0.0.2", &[]), Some(ip("10.0.0.2")));
        // Garbage ends the walk at the last address known.
        assert_eq!(
            r("10.0.0.2", &["203.0.113.5, unknown"]),
            Some(ip("10.0.0.2"))
        );
    }

    #[test]
    fn networks_contain_their_addresses() {
        let n = Cidr::parse("192.168.0.0/16").unwrap();
        assert!(n.contains(ip("192.168.255.1")));
        assert!(!n.contains(ip("192.169.0.1")));
        assert!(n.contains(ip("::ffff:192.168.1.1")));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert!(Cidr::parse("2001:db8::/32")
            .unwrap()
            .contains(ip("2001:db8:1::1")));
        assert!(Cidr::parse("10.0.0.0/33").is_err());
        assert!(Cidr::parse("proxy.local").is_err());
    }
}
