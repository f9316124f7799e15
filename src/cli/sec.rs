//! Downloading SEC's list of tickers for `riskline companies import --from-sec`, the
//! way SEC asks automated clients to: a `User-Agent` that names who is asking and how to
//! reach them, one request, bounded in time and size.
//!
//! SEC's fair-access policy (<https://www.sec.gov/os/accessing-edgar-data>) asks every
//! client to declare itself as `Company Name contact@example.com` and to stay under ten
//! requests a second; requests without such a `User-Agent` are answered `403`. This
//! module refuses to ask without one.

use std::io::Read;
use std::time::Duration;

/// SEC's list of every ticker with its CIK, name and exchange.
pub const SEC_TICKERS_URL: &str = "https://www.sec.gov/files/company_tickers_exchange.json";

/// The most a download may hold (SEC's file is about 1 MB): a larger answer is refused.
pub const MAX_SEC_BYTES: u64 = 32 * 1024 * 1024;

/// The environment variable read for the `User-Agent`, as `--user-agent` documents.
pub const USER_AGENT_ENV: &str = "RISKLINE_SEC_USER_AGENT";

/// Why a download was refused or failed, each in words a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum SecError {
    /// No `User-Agent` was given, or one without a contact address.
    #[error(
        "{problem}. SEC asks every automated client to say who it is: give \
         --user-agent \"Your Company Name you@example.com\" (or set {USER_AGENT_ENV}), \
         a name and an e-mail address SEC can reach. Or download {SEC_TICKERS_URL} with a \
         browser and run `riskline companies import FILE`"
    )]
    UserAgent {
        /// What is wrong with the `User-Agent` given (or that none was).
        problem: String,
    },
    /// The server could not be reached: no network, no name resolution, refused.
    #[error(
        "cannot reach {host} ({detail}); check the network connection, or \
         download {url} elsewhere and run `riskline companies import FILE`"
    )]
    Offline {
        /// The host asked.
        host: String,
        /// The URL asked.
        url: String,
        /// The transport's own words.
        detail: String,
    },
    /// No answer, or an answer that stalled, within the time allowed.
    #[error(
        "{host} did not answer within {seconds} s ({detail}); try again later, or raise --timeout"
    )]
    Timeout {
        /// The host asked.
        host: String,
        /// The time allowed, in seconds.
        seconds: u64,
        /// The transport's own words.
        detail: String,
    },
    /// The server answered with an error status.
    #[error("{host} answered {status} to GET {url}{hint}")]
    Status {
        /// The host asked.
        host: String,
        /// The URL asked.
        url: String,
        /// The HTTP status.
        status: u16,
        /// What the status usually means here, with a leading separator; empty if nothing.
        hint: &'static str,
    },
    /// The answer is larger than [`MAX_SEC_BYTES`].
    #[error("the answer of {url} is larger than {max} MiB, more than SEC's list can be; refused", max = MAX_SEC_BYTES / (1024 * 1024))]
    TooLarge {
        /// The URL asked.
        url: String,
    },
    /// The answer is not UTF-8 text, or could not be read to its end.
    #[error("cannot read the answer of {url}: {detail}")]
    Body {
        /// The URL asked.
        url: String,
        /// What went wrong.
        detail: String,
    },
}

/// Checks a `User-Agent` given for SEC: printable, at most 200 characters, with a name
/// and an e-mail address. Returns it trimmed.
pub fn check_user_agent(given: Option<&str>) -> Result<String, SecError> {
    let refuse = |problem: &str| SecError::UserAgent {
        problem: problem.to_string(),
    };
    let text = given.map(str::trim).unwrap_or_default();
    if text.is_empty() {
        return Err(refuse("no User-Agent for SEC was given"));
    }
    if text.chars().count() > 200 || !text.chars().all(|c| c == ' ' || c.is_ascii_graphic()) {
        return Err(refuse(
            "the User-Agent must be at most 200 printable ASCII characters",
        ));
    }
    let has_address = text.split_whitespace().any(|word| {
        let word = word.trim_matches(|c: char| "<>()[],;\"'".contains(c));
        word.split_once('@').is_some_and(|(user, domain)| {
            !user.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
    });
    if !has_address {
        return Err(refuse(&format!(
            "the User-Agent {text:?} has no e-mail address to contact"
        )));
    }
    if text.split_whitespace().count() < 2 {
        return Err(refuse(&format!(
            "the User-Agent {text:?} has no name beside the e-mail address"
        )));
    }
    Ok(text.to_string())
}

/// Downloads `url` once with `user_agent`: connecting and each read may take `timeout`,
/// the whole download four times that. A gzip answer is unpacked (the size cap applies to
/// the unpacked text). Returns the body as text.
pub fn download(url: &str, user_agent: &str, timeout: Duration) -> Result<String, SecError> {
    let host = url::host_of(url);
    let agent = ureq::AgentBuilder::new()
        .user_agent(user_agent)
        .timeout_connect(timeout)
        .timeout_read(timeout)
        .timeout(timeout.saturating_mul(4))
        .redirects(3)
        .build();
    let response = match agent.get(url).set("Accept", "application/json").call() {
        Ok(response) => response,
        Err(ureq::Error::Status(status, _)) => {
            return Err(SecError::Status {
                host,
                url: url.to_string(),
                status,
                hint: status_hint(status),
            })
        }
        Err(ureq::Error::Transport(err)) => return Err(transport(&host, url, timeout, &err)),
    };
    let declared = response
        .header("Content-Length")
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_SEC_BYTES) {
        return Err(SecError::TooLarge {
            url: url.to_string(),
        });
    }
    let mut bytes = Vec::new();
    response
        .into_reader()
        .take(MAX_SEC_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| {
            if err.kind() == std::io::ErrorKind::TimedOut
                || err.kind() == std::io::ErrorKind::WouldBlock
            {
                SecError::Timeout {
                    host: host.clone(),
                    seconds: timeout.as_secs(),
                    detail: err.to_string(),
                }
            } else {
                SecError::Body {
                    url: url.to_string(),
                    detail: err.to_string(),
                }
            }
        })?;
    if bytes.len() as u64 > MAX_SEC_BYTES {
        return Err(SecError::TooLarge {
            url: url.to_string(),
        });
    }
    String::from_utf8(bytes).map_err(|_| SecError::Body {
        url: url.to_string(),
        detail: "it is not UTF-8 text".to_string(),
    })
}

/// What an error status of SEC usually means.
fn status_hint(status: u16) -> &'static str {
    match status {
        403 => {
            ": SEC refuses clients whose User-Agent does not name them with a contact \
             address, and clients over ten requests a second; check --user-agent, wait a \
             few minutes and try again"
        }
        404 => ": the file is not there (has SEC moved it?)",
        429 => ": too many requests; wait a few minutes and try again",
        500..=599 => ": a trouble on SEC's side; try again later",
        _ => "",
    }
}

/// A transport error in words: a timeout, or the server out of reach.
fn transport(host: &str, url: &str, timeout: Duration, err: &ureq::Transport) -> SecError {
    let detail = err.to_string();
    let timed_out = std::error::Error::source(err)
        .and_then(|source| source.downcast_ref::<std::io::Error>())
        .is_some_and(|io| {
            matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            )
        })
        || detail.contains("timed out");
    if timed_out {
        SecError::Timeout {
            host: host.to_string(),
            seconds: timeout.as_secs(),
            detail,
        }
    } else {
        SecError::Offline {
            host: host.to_string(),
            url: url.to_string(),
            detail,
        }
    }
}

/// The part of a URL needed for messages.
mod url {
    /// The host (and port) of an `http(s)://host[:port]/...` URL, or the URL itself.
    pub fn host_of(url: &str) -> String {
        url.split_once("://")
            .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(rest))
            .filter(|host| !host.is_empty())
            .unwrap_or(url)
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_agent_needs_a_name_and_an_address() {
        assert_eq!(
            check_user_agent(Some("  Acme Research ops@acme.example ")).unwrap(),
            "Acme Research ops@acme.example"
        );
        assert!(check_user_agent(Some("Acme <ops@acme.example>")).is_ok());
        for bad in [
            None,
            Some(""),
            Some("   "),
            Some("Acme Research"),
            Some("ops@acme.example"),
            Some("Acme ops@localhost"),
            Some("Acme ops@acme.example\r\nX-Evil: 1"),
        ] {
            let err = check_user_agent(bad).unwrap_err().to_string();
            assert!(
                err.contains("--user-agent") && err.contains(USER_AGENT_ENV),
                "{bad:?}: {err}"
            );
        }
    }

    #[test]
    fn hosts_are_named_in_messages() {
        assert_eq!(url::host_of(SEC_TICKERS_URL), "www.sec.gov");
        assert_eq!(url::host_of("http://127.0.0.1:9/x.json"), "127.0.0.1:9");
        assert_eq!(url::host_of("nonsense"), "nonsense");
    }
}
