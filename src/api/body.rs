//! Request bodies: read up to [`BODY_LIMIT`](super::BODY_LIMIT) within the
//! server's body timeout, parsed as JSON with the path of the field at fault in
//! every error, in plain words.
//!
//! ```
//! use riskline::api::body::plain_words;
//! assert_eq!(
//!     plain_words("invalid type: sequence, expected struct DocumentBody at line 1 column 0"),
//!     "invalid type: a list, expected a JSON object at line 1 column 0"
//! );
//! ```

use std::sync::LazyLock;
use std::time::Duration;

use actix_web::http::header;
use actix_web::web::{self, Bytes, BytesMut, Payload};
use actix_web::HttpRequest;
use futures_util::StreamExt;
use regex::{Captures, Regex};
use serde::de::DeserializeOwned;

use super::error::{shown, Invalid, WriteError};
use super::AppState;

/// How long a body may take when the server has no setting (in-process tests of handlers).
const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(20);

/// Reads the whole body, refusing more than `limit` bytes (`413`), announced or
/// sent, and a body still arriving after the server's body timeout (`408`,
/// and the connection is closed).
pub async fn read(req: &HttpRequest, payload: Payload, limit: usize) -> Result<Bytes, WriteError> {
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|n| n > limit) {
        return Err(WriteError::TooLarge(limit));
    }
    let timeout = req
        .app_data::<web::Data<AppState>>()
        .map_or(DEFAULT_BODY_TIMEOUT, |state| state.limits.body_timeout);
    match actix_web::rt::time::timeout(timeout, collect(payload, limit)).await {
        Ok(body) => body,
        Err(_) => Err(WriteError::BodyTimeout(timeout)),
    }
}

/// The body's bytes, at most `limit` of them.
async fn collect(mut payload: Payload, limit: usize) -> Result<Bytes, WriteError> {
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| Invalid {
            field: "body".to_string(),
            detail: format!("the request body could not be read ({e})"),
        })?;
        if body.len() + chunk.len() > limit {
            return Err(WriteError::TooLarge(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Parses a JSON object body into `T`; an error names the field
/// (`companies[0].role`), or `body` when the body is not a JSON object or the
/// JSON itself is malformed.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Invalid> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Invalid {
            field: "body".to_string(),
            detail: "the request body is empty (expected a JSON object)".to_string(),
        });
    }
    // Every body of the API is an object; serde would also read a struct from an
    // array, and say so in the words of Rust.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(Invalid {
            field: "body".to_string(),
            detail: "the request body is not a JSON object (expected a JSON object, `{...}`)"
                .to_string(),
        });
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let message = inner.to_string();
        if let Some(missing) = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
        {
            let field = if path == "." {
                missing.to_string()
            } else {
                format!("{path}.{missing}")
            };
            Invalid::body(&field, "is required")
        } else if inner.is_syntax() || inner.is_eof() || path == "." {
            Invalid {
                field: "body".to_string(),
                detail: format!(
                    "the request body is not valid JSON of the expected shape: {}",
                    plain_words(&message)
                ),
            }
        } else {
            Invalid::body(&path, plain_words(&message))
        }
    })?;
    deserializer.end().map_err(|e| Invalid {
        field: "body".to_string(),
        detail: format!(
            "the request body is not valid JSON: {}",
            plain_words(&e.to_string())
        ),
    })?;
    Ok(value)
}

/// A message of the JSON reader in the words of JSON rather than of Rust: the
/// names of the server's types and Rust's number types are replaced by what
/// they stand for, and a long quoted input is cut to a hundred characters
/// (quoted inputs are otherwise left as they are).
pub fn plain_words(message: &str) -> String {
    static QUOTED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#""(?:[^"\\]|\\.)*"|`[^`]*`"#).expect("valid pattern"));
    let mut out = String::with_capacity(message.len());
    let mut last = 0;
    for quoted in QUOTED.find_iter(message) {
        out.push_str(&plain_gap(&message[last..quoted.start()]));
        let text = quoted.as_str();
        let (open, inner, close) = (
            &text[..1],
            &text[1..text.len() - 1],
            &text[text.len() - 1..],
        );
        out.push_str(open);
        out.push_str(&shown(inner));
        out.push_str(close);
        last = quoted.end();
    }
    out.push_str(&plain_gap(&message[last..]));
    out
}

/// [`plain_words`] on text outside quotes.
fn plain_gap(text: &str) -> String {
    static UNEXPECTED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"invalid type: (sequence|map|floating point|unit value|newtype struct)\b")
            .expect("valid pattern")
    });
    static EXPECTED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"expected (?:(tuple struct|unit struct|newtype struct|struct variant|tuple variant|newtype variant|unit variant|struct|enum) [A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z0-9_]+)*(?: with \d+ elements?)?|(variant identifier|field identifier|[iu](?:8|16|32|64|128|size)|f(?:32|64)|a sequence|a map|option|unit value|unit))\b",
        )
        .expect("valid pattern")
    });
    let text = UNEXPECTED.replace_all(text, |c: &Captures| {
        let what = match &c[1] {
            "sequence" => "a list",
            "map" => "a JSON object",
            "floating point" => "number",
            "unit value" => "null",
            _ => "a value",
        };
        format!("invalid type: {what}")
    });
    EXPECTED
        .replace_all(&text, |c: &Captures| {
            let what = if let Some(kind) = c.get(1) {
                match kind.as_str() {
                    "struct" | "unit struct" | "struct variant" => "a JSON object",
                    "tuple struct" | "tuple variant" => "a list",
                    _ => "one of the accepted values",
                }
            } else {
                match &c[2] {
                    "field identifier" => "a field name",
                    "variant identifier" => "one of the accepted values",
                    "a sequence" => "a list",
                    "a map" => "a JSON object",
                    "option" => "a value or null",
                    "unit value" | "unit" => "null",
                    w if w.starts_with('f') => "a number",
                    _ => "a whole number",
                }
            };
            format!("expected {what}")
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_json_things_not_rust_types() {
        for (message, wanted) in [
            (
                "invalid length 3, expected struct JsonlLine with 8 elements",
                "invalid length 3, expected a JSON object",
            ),
            (
                "invalid type: map, expected enum Role",
                "invalid type: a JSON object, expected one of the accepted values",
            ),
            (
                "invalid value: integer `-1`, expected u64",
                "invalid value: integer `-1`, expected a whole number",
            ),
            (
                "invalid type: string \"x\", expected f64",
                "invalid type: string \"x\", expected a number",
            ),
            (
                "invalid type: floating point `1.5`, expected i64",
                "invalid type: number `1.5`, expected a whole number",
            ),
            (
                "invalid type: integer `5`, expected a string at line 1 column 10",
                "invalid type: integer `5`, expected a string at line 1 column 10",
            ),
        ] {
            assert_eq!(plain_words(message), wanted);
        }
    }

    #[test]
    fn quoted_inputs_are_kept_as_they_are() {
        assert_eq!(
            plain_words("invalid type: string \"expected u8 option\", expected i32"),
            "invalid type: string \"expected u8 option\", expected a whole number"
        );
    }

    #[test]
    fn long_quoted_inputs_are_cut() {
        let long = "y".repeat(5000);
        let message = format!("invalid type: string \"{long}\", expected i64");
        let plain = plain_words(&message);
        assert!(plain.len() < 200, "{plain}");
        assert!(plain.contains("…\""), "{plain}");
    }

    #[test]
    fn body_errors_name_the_field_in_plain_words() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Inner {
            n: u32,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            inner: Inner,
        }
        let err = parse::<Outer>(br#""just text""#).unwrap_err();
        assert_eq!(err.field, "body");
        assert!(!err.detail.contains("Outer"), "{}", err.detail);
        assert!(
            err.detail.contains("expected a JSON object"),
            "{}",
            err.detail
        );
        let err = parse::<Outer>(b"[1, 2]").unwrap_err();
        assert!(!err.detail.contains("Inner"), "{}", err.detail);
        let err = parse::<Outer>(br#"{"inner": "x"}"#).unwrap_err();
        assert_eq!(err.field, "inner");
        assert!(!err.detail.contains("Inner"), "{}", err.detail);
        assert!(
            err.detail.contains("expected a JSON object"),
            "{}",
            err.detail
        );
        let err = parse::<Outer>(br#"{"inner": {"n": "seven"}}"#).unwrap_err();
        assert_eq!(err.field, "inner.n");
        assert!(
            err.detail.contains("expected a whole number"),
            "{}",
            err.detail
        );
    }
}
