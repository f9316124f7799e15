//! Signatures of deliveries: HMAC-SHA256 (RFC 2104) over the timestamp and the
//! body, sent as `Riskline-Signature: t=TIMESTAMP,v1=HEX`.
//!
//! The signed text is the timestamp (seconds since 1970, UTC), a `.`, and the
//! body's bytes as sent. A receiver recomputes it with the subscription's
//! secret, compares in constant time, and refuses timestamps more than a few
//! minutes old (a replayed capture). HMAC is a few lines over `sha2`, checked
//! against the test vectors of RFC 4231.
//!
//! ```
//! use riskline::webhooks::sign::{signature_header, verify};
//! let header = signature_header("whsec_0123456789abcdef", 1_767_225_600, br#"{"a":1}"#);
//! assert!(verify("whsec_0123456789abcdef", &header, br#"{"a":1}"#).is_some());
//! assert!(verify("another-secret-of-16", &header, br#"{"a":1}"#).is_none());
//! ```

use sha2::{Digest, Sha256};

/// The name of the signature header.
pub const HEADER: &str = "Riskline-Signature";

const BLOCK: usize = 64;

/// HMAC-SHA256 of `message` under `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

/// The value of [`HEADER`] for `body` sent at `timestamp` (seconds since 1970).
pub fn signature_header(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut signed = format!("{timestamp}.").into_bytes();
    signed.extend_from_slice(body);
    format!(
        "t={timestamp},v1={}",
        hex::encode(hmac_sha256(secret.as_bytes(), &signed))
    )
}

/// Checks a [`HEADER`] value against `body`; returns its timestamp when the
/// signature is right (the caller judges its age).
pub fn verify(secret: &str, header: &str, body: &[u8]) -> Option<i64> {
    let mut timestamp = None;
    let mut given = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", v)) => given = hex::decode(v).ok(),
            _ => {}
        }
    }
    let (timestamp, given) = (timestamp?, given?);
    let mut signed = format!("{timestamp}.").into_bytes();
    signed.extend_from_slice(body);
    let expected = hmac_sha256(secret.as_bytes(), &signed);
    // Constant time: every byte is compared.
    let same = given.len() == expected.len()
        && given
            .iter()
            .zip(expected.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    same.then_some(timestamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_the_test_vectors_of_rfc_4231() {
        // Test case 2.
        assert_eq!(
            hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: a key longer than a block is hashed first.
        assert_eq!(
            hex::encode(hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn a_changed_body_or_timestamp_fails_verification() {
        let header = signature_header("s3cret-s3cret-s3cret", 100, b"body");
        assert_eq!(verify("s3cret-s3cret-s3cret", &header, b"body"), Some(100));
        assert_eq!(verify("s3cret-s3cret-s3cret", &header, b"bodY"), None);
        let moved = header.replace("t=100", "t=101");
        assert_eq!(verify("s3cret-s3cret-s3cret", &moved, b"body"), None);
    }
}
