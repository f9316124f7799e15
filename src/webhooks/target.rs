//! Where a delivery may go: refusing server-side request forgery.
//!
//! A subscription's URL is checked when it is made ([`check_url`]) and again at
//! every attempt, on the addresses its host resolves to then ([`resolver`]): a
//! name that resolved to a public address yesterday and to `127.0.0.1` today
//! (DNS rebinding) is refused at the connection. Loopback, private, link-local,
//! shared (CGNAT), unspecified, multicast and documentation ranges are refused
//! unless the settings allow private targets (a receiver on the same host, as
//! in tests).

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};

/// Whether an address is one a webhook may not reach by default.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => private_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => private_v4(v4),
            None => private_v6(v6),
        },
    }
}

fn private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        // Shared address space (RFC 6598) and benchmarking (RFC 2544).
        || (a == 100 && (64..128).contains(&b))
        || (a == 198 && (18..20).contains(&b))
        || a >= 240
}

fn private_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        // Unique local fc00::/7 and link-local fe80::/10.
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        // Documentation 2001:db8::/32.
        || (first == 0x2001 && ip.segments()[1] == 0x0db8)
}

/// The host and port of an http(s) URL, or why it is not one a webhook takes.
pub fn host_port(url: &str) -> Result<(String, u16), String> {
    let (rest, default_port) = if let Some(rest) = url.strip_prefix("https://") {
        (rest, 443)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (rest, 80)
    } else {
        return Err("must start with http:// or https://".to_string());
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err("must not carry a user name or password".to_string());
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6
            .split_once(']')
            .ok_or_else(|| "has an unclosed `[` in its host".to_string())?;
        (host.to_string(), after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host.to_string(), Some(port)),
            None => (authority.to_string(), None),
        }
    };
    if host.is_empty() {
        return Err("has no host".to_string());
    }
    let port = match port {
        None => default_port,
        Some(p) => p
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| format!("has an invalid port `{p}`"))?,
    };
    Ok((host.to_ascii_lowercase(), port))
}

/// Why a subscription URL is refused, or `Ok`: an http(s) URL whose host, if
/// it is an address or resolves now, is not private (unless `allow_private`).
/// A name that does not resolve yet is accepted; every attempt checks again.
pub fn check_url(url: &str, allow_private: bool) -> Result<(), String> {
    if url.len() > 2000 {
        return Err("is longer than 2000 characters".to_string());
    }
    let (host, port) = host_port(url)?;
    if allow_private {
        return Ok(());
    }
    if host == "localhost" || host.ends_with(".localhost") {
        return Err("points at this host (loopback); private targets are not allowed".into());
    }
    let addrs: Vec<SocketAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => (host.as_str(), port)
            .to_socket_addrs()
            .map(Iterator::collect)
            .unwrap_or_default(),
    };
    match addrs.iter().find(|a| is_private(a.ip())) {
        Some(addr) => Err(format!(
            "resolves to {}, a loopback or private address; private targets are not allowed",
            addr.ip()
        )),
        None => Ok(()),
    }
}

/// A resolver for the HTTP client that drops private addresses unless
/// `allow_private`, and fails when none is left.
pub fn resolver(
    allow_private: bool,
) -> impl Fn(&str) -> io::Result<Vec<SocketAddr>> + Send + Sync + 'static {
    move |netloc: &str| {
        let all: Vec<SocketAddr> = netloc.to_socket_addrs()?.collect();
        let kept: Vec<SocketAddr> = all
            .iter()
            .copied()
            .filter(|a| allow_private || !is_private(a.ip()))
            .collect();
        if kept.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!("{netloc} resolves to loopback or private addresses only; refused"),
            ));
        }
        Ok(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_private_and_link_local_targets_are_refused() {
        for url in [
            "http://127.0.0.1:9000/hook",
            "http://10.1.2.3/",
            "https://192.168.0.10/x",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]:8080/",
            "http://[fd00::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://localhost:3000/",
            "http://0.0.0.0/",
            "http://100.64.0.1/",
        ] {
            assert!(check_url(url, false).is_err(), "{url}");
            assert!(check_url(url, true).is_ok(), "{url}");
        }
        assert!(check_url("https://93.184.215.14/hook", false).is_ok());
    }

    #[test]
    fn urls_must_be_http_with_a_host_and_no_credentials() {
        assert!(check_url("ftp://example.com/", true).is_err());
        assert!(check_url("https://user:pw@example.com/", true).is_err());
        assert!(check_url("https:///path", true).is_err());
        assert!(check_url("https://example.com:99999/", true).is_err());
        assert_eq!(
            host_port("https://Example.com:8443/a?b").unwrap(),
            ("example.com".to_string(), 8443)
        );
        assert_eq!(host_port("http://[::1]/").unwrap(), ("::1".to_string(), 80));
    }
}
