//! Links: only absolute `http` and `https` URLs are stored, and only those are
//! ever given out.
//!
//! A document's URL and a manual event's evidence URL are checked when they
//! come in ([`check_web_url`]). Everything that hands a URL on to a browser, a
//! feed reader or a spreadsheet (JSON answers, the Atom feed, iCalendar, CSV)
//! passes it through [`web_link`] as well, so that a URL stored before the check
//! existed, or by another way in, comes out as no link at all rather than as a
//! `javascript:` or `file:` one.
//!
//! ```
//! use riskline::api::links::{check_web_url, is_web_url};
//! assert!(is_web_url("https://www.sec.gov/litigation"));
//! assert!(!is_web_url("javascript:alert(1)"));
//! assert!(check_web_url("file:///etc/passwd").unwrap_err().contains("`file`"));
//! ```

use std::borrow::Cow;
use std::sync::LazyLock;

use memchr::memmem::FinderRev;

use serde_json::Value;

use super::dto::EventItem;
use super::error::shown;

/// The longest URL accepted, in bytes.
pub const MAX_URL_BYTES: usize = 2048;

/// The scheme of an absolute URL (`javascript` in `javascript:alert(1)`), if it has one.
fn scheme(text: &str) -> Option<&str> {
    let (scheme, _) = text.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

/// Why `text` is not an absolute http(s) URL with a host, in plain words; `Ok` if it is.
pub fn check_web_url(text: &str) -> Result<(), String> {
    if text.len() > MAX_URL_BYTES {
        return Err(format!(
            "must be a URL of at most {MAX_URL_BYTES} bytes (this one has {})",
            text.len()
        ));
    }
    let spaced = if text.is_ascii() {
        text.bytes().any(|b| b <= b' ' || b == 0x7f)
    } else {
        text.chars().any(|c| c.is_whitespace() || c.is_control())
    };
    if spaced {
        return Err("must be a URL without spaces or control characters".to_string());
    }
    let rest = match scheme(text) {
        Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => {
            &text[s.len() + 1..]
        }
        Some(s) => {
            return Err(format!(
                "the `{}` scheme is not accepted: only http and https URLs are stored",
                shown(&s.to_ascii_lowercase())
            ))
        }
        None => {
            return Err(format!(
                "`{}` is not an absolute URL (expected http://... or https://...)",
                shown(text)
            ))
        }
    };
    let host = rest
        .strip_prefix("//")
        .map(|r| r.split(['/', '?', '#']).next().unwrap_or(""))
        .unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or("");
    if host.is_empty() || host.starts_with(':') {
        return Err(format!(
            "`{}` has no host (expected http://HOST/... or https://HOST/...)",
            shown(text)
        ));
    }
    Ok(())
}

/// Whether `text` is an absolute http(s) URL with a host.
pub fn is_web_url(text: &str) -> bool {
    check_web_url(text).is_ok()
}

/// The URL if it may be given out as a link, `None` otherwise.
pub fn web_link(url: Option<String>) -> Option<String> {
    url.filter(|u| is_web_url(u))
}

/// An event item whose evidence link, if any, is a web URL.
pub fn clean_item(mut item: EventItem) -> EventItem {
    if let Some(evidence) = item.first_evidence.as_mut() {
        evidence.url = web_link(evidence.url.take());
    }
    item
}

/// A stored JSON list item (see `store::items`) with its evidence `url` set to
/// `null` if it is not a web URL. Items are written by the server's own
/// serializer from [`EventItem`], whose one `url` member is the last one
/// (`first_evidence.url`, near the end; a test below holds this), and a
/// `"url":"` with an unescaped quote can only be that key. So the common case
/// (the URL is fine) is a short vectorised scan from the end and no copy.
pub fn clean_stored_item(item: &str) -> Cow<'_, str> {
    const KEY: &str = "\"url\":\"";
    static FINDER: LazyLock<FinderRev<'static>> = LazyLock::new(|| FinderRev::new(KEY));
    let suspicious = FINDER.rfind(item.as_bytes()).is_some_and(|at| {
        let value = &item[at + KEY.len()..];
        let Some(end) = memchr::memchr(b'"', value.as_bytes()) else {
            return true;
        };
        let raw = &value[..end];
        if plainly_web(raw.as_bytes()) {
            false
        } else if raw.contains('\\') {
            // Escapes: decode the whole string value to judge it.
            let decoded = json_string_at(value);
            !decoded.is_some_and(|u| is_web_url(&u))
        } else {
            !is_web_url(raw)
        }
    });
    if !suspicious {
        return Cow::Borrowed(item);
    }
    match serde_json::from_str::<Value>(item) {
        Ok(mut value) => {
            drop_bad_urls(&mut value);
            Cow::Owned(value.to_string())
        }
        Err(_) => Cow::Borrowed("null"),
    }
}

/// A quick yes for the usual stored URL: `http(s)://`, a host starting with a
/// letter or digit, printable ASCII without `@` or escapes, within the length
/// limit. Whatever it accepts, [`check_web_url`] accepts; anything else is
/// left to it.
fn plainly_web(raw: &[u8]) -> bool {
    let rest = raw
        .strip_prefix(b"https://")
        .or_else(|| raw.strip_prefix(b"http://"));
    rest.is_some_and(|rest| {
        rest.first().is_some_and(u8::is_ascii_alphanumeric)
            && raw.len() <= MAX_URL_BYTES
            && rest
                .iter()
                .all(|b| b.is_ascii_graphic() && *b != b'@' && *b != b'\\')
    })
}

/// The JSON string whose text starts at `after_quote` (just past its opening quote).
fn json_string_at(after_quote: &str) -> Option<String> {
    let mut escaped = false;
    for (i, c) in after_quote.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => {
                return serde_json::from_str(&format!("\"{}\"", &after_quote[..i])).ok();
            }
            _ => {}
        }
    }
    None
}

/// Sets every `url` member that is not a web URL to `null`, at any depth.
fn drop_bad_urls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, member) in map.iter_mut() {
                if key == "url" {
                    if member.as_str().is_some_and(|u| !is_web_url(u)) {
                        *member = Value::Null;
                    }
                } else {
                    drop_bad_urls(member);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(drop_bad_urls),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_urls_with_a_host_pass() {
        for good in [
            "http://example.com",
            "https://example.com/a?b=c#d",
            "HTTPS://Example.com/",
            "https://user@example.com:8443/x",
            "http://[2001:db8::1]/",
        ] {
            assert_eq!(check_web_url(good), Ok(()), "{good}");
        }
        for (bad, why) in [
            ("javascript:alert(1)", "`javascript` scheme"),
            ("JavaScript://%0aalert(1)", "`javascript` scheme"),
            ("file:///etc/passwd", "`file` scheme"),
            ("data:text/html,<script>", "`data` scheme"),
            ("vbscript:msgbox", "`vbscript` scheme"),
            ("//example.com/x", "not an absolute URL"),
            ("example.com", "not an absolute URL"),
            ("http:/example.com", "no host"),
            ("https://", "no host"),
            ("https:///etc", "no host"),
            ("http://a b", "without spaces"),
            ("http://a\u{0}b", "without spaces"),
        ] {
            let err = check_web_url(bad).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
        let long = format!("https://example.com/{}", "a".repeat(3000));
        assert!(check_web_url(&long).unwrap_err().contains("at most 2048"));
    }

    #[test]
    fn an_event_item_has_one_url_member() {
        use crate::api::item::{FirstEvidenceDto, PartyDto};
        let item = EventItem {
            id: 1,
            kind: "lawsuit".into(),
            action: "filed".into(),
            status: None,
            thread_id: 1,
            thread_status: None,
            occurred_on: None,
            date_precision: None,
            companies: Vec::new(),
            parties: vec![PartyDto {
                name: "url".into(),
                role: None,
            }],
            authority: None,
            jurisdiction: None,
            amount: None,
            currency: None,
            amount_usd: None,
            summary: "s".into(),
            confidence: 0.5,
            review_state: "unreviewed".into(),
            origin: "manual".into(),
            tags: Vec::new(),
            document_count: 1,
            first_evidence: Some(FirstEvidenceDto {
                text: "t".into(),
                document_id: 1,
                title: None,
                url: Some("javascript:alert(1)".into()),
            }),
            created_at: "2026-01-01T00:00:00Z".into(),
            updated_at: "2026-01-01T00:00:00Z".into(),
        };
        let text = serde_json::to_string(&item).unwrap();
        let members = text.matches("\"url\":").count();
        assert_eq!(
            members, 1,
            "clean_stored_item checks the last `url` member only: {text}"
        );
        let cleaned: Value = serde_json::from_str(&clean_stored_item(&text)).unwrap();
        assert_eq!(cleaned["first_evidence"]["url"], Value::Null);
    }

    #[test]
    fn stored_items_lose_bad_urls_and_keep_good_ones_untouched() {
        let good = r#"{"id":1,"first_evidence":{"text":"x \"url\":\"javascript:1\"","url":"https://a.example/1"}}"#;
        assert!(matches!(clean_stored_item(good), Cow::Borrowed(_)));
        let bad =
            r#"{"id":2,"first_evidence":{"text":"t","url":"javascript:alert(1)","title":"T"}}"#;
        let cleaned: Value = serde_json::from_str(&clean_stored_item(bad)).unwrap();
        assert_eq!(cleaned["first_evidence"]["url"], Value::Null);
        assert_eq!(cleaned["first_evidence"]["title"], "T");
        let escaped = r#"{"first_evidence":{"url":"java\u0073cript:alert(1)"}}"#;
        let cleaned: Value = serde_json::from_str(&clean_stored_item(escaped)).unwrap();
        assert_eq!(cleaned["first_evidence"]["url"], Value::Null);
        for url in ["https://a.example/x?y=1", "http://1.2.3.4:80/", "https://x"] {
            assert!(plainly_web(url.as_bytes()) && is_web_url(url), "{url}");
        }
        for url in [
            "https://",
            "https:///x",
            "https://@x",
            "https://a@",
            "ftp://a",
            "https://a b",
        ] {
            assert!(!plainly_web(url.as_bytes()), "{url}");
        }
        let null = r#"{"first_evidence":{"url":null}}"#;
        assert!(matches!(clean_stored_item(null), Cow::Borrowed(_)));
    }
}
