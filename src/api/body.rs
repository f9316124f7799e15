//! Request bodies: read up to [`BODY_LIMIT`](super::BODY_LIMIT), parsed as JSON
//! with the path of the field at fault in every error.

use actix_web::http::header;
use actix_web::web::{Bytes, BytesMut, Payload};
use actix_web::HttpRequest;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use super::error::{Invalid, WriteError};

/// Reads the whole body, refusing more than `limit` bytes (`413`), announced or sent.
pub async fn read(
    req: &HttpRequest,
    mut payload: Payload,
    limit: usize,
) -> Result<Bytes, WriteError> {
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|n| n > limit) {
        return Err(WriteError::TooLarge(limit));
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| Invalid {
            field: "body".to_string(),
            detail: format!("the request body could not be read: {e}"),
        })?;
        if body.len() + chunk.len() > limit {
            return Err(WriteError::TooLarge(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Parses a JSON body into `T`; an error names the field (`companies[0].role`)
/// or `body` when the JSON itself is malformed.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Invalid> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Invalid {
            field: "body".to_string(),
            detail: "the request body is empty (expected a JSON object)".to_string(),
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
                    "the request body is not valid JSON of the expected shape: {inner}"
                ),
            }
        } else {
            Invalid::body(&path, inner)
        }
    })?;
    deserializer.end().map_err(|e| Invalid {
        field: "body".to_string(),
        detail: format!("the request body is not valid JSON: {e}"),
    })?;
    Ok(value)
}
