//! Callback URLs must not reach into the server's own network unless configuration allows it.

use crate::{AppError, Result};
use std::net::IpAddr;

fn forbidden(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1])
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || v6.to_ipv4_mapped().is_some_and(|v4| forbidden(IpAddr::V4(v4)))
        }
    }
}

/// Checks a callback URL: http(s), a host, and (unless allowed) no loopback, private or
/// link-local address among what the host resolves to.
pub async fn check_target(url: &str, allow_private: bool) -> Result<()> {
    let parsed = reqwest::Url::parse(url.trim()).map_err(|e| AppError::invalid("url", format!("not a URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(AppError::invalid("url", "must be http or https"));
    }
    let host = parsed.host_str().ok_or_else(|| AppError::invalid("url", "has no host"))?;
    if allow_private {
        return Ok(());
    }
    let port = parsed.port_or_known_default().unwrap_or(80);
    let addrs = tokio::net::lookup_host((host.trim_matches(['[', ']']), port))
        .await
        .map_err(|e| AppError::invalid("url", format!("cannot resolve {host}: {e}")))?;
    for addr in addrs {
        if forbidden(addr.ip()) {
            return Err(AppError::invalid(
                "url",
                format!("{host} resolves to a loopback, private or link-local address"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refuses_internal_targets() {
        for url in [
            "http://127.0.0.1/x",
            "http://10.0.0.1/",
            "http://192.168.1.1/",
            "http://169.254.169.254/",
            "http://[::1]/",
            "http://localhost/",
        ] {
            assert!(check_target(url, false).await.is_err(), "{url}");
            assert!(check_target(url, true).await.is_ok(), "{url} allowed by configuration");
        }
        assert!(check_target("ftp://example.com/", true).await.is_err());
        assert!(check_target("not a url", true).await.is_err());
    }
}
