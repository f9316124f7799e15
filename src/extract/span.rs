//! Slicing text by byte offsets without ever landing inside a character.
//!
//! The extractor works on byte spans (from regexes, the tokenizer, the alias
//! automaton). A span computed by arithmetic ("80 bytes back", "one past the
//! dash") can fall inside a multi-byte character such as an en dash or a curly
//! quote, and `&text[a..b]` would then panic. Every slice in [`crate::extract`]
//! goes through these functions instead (the module denies `clippy::string_slice`):
//! an end inside a character moves outwards to the character's edge, and offsets
//! past the end are clamped, so a slice is always valid and never empty by
//! accident.
//!
//! ```
//! use riskline::extract::span::{clip, from, upto};
//! let t = "a\u{2013}b"; // the dash is bytes 1..4
//! assert_eq!(clip(t, 2, 3), "\u{2013}");
//! assert_eq!(from(t, 2), "\u{2013}b");
//! assert_eq!(upto(t, 2), "a\u{2013}");
//! assert_eq!(clip(t, 3, 99), "\u{2013}b");
//! assert_eq!(clip(t, 4, 1), "");
//! ```

/// The largest character boundary at or before `i` (clamped to the text).
pub fn floor(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest character boundary at or after `i` (clamped to the text).
pub fn ceil(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// `text[start..end]`, widened to character boundaries; empty when `start >= end`.
pub fn clip(text: &str, start: usize, end: usize) -> &str {
    let (s, e) = (floor(text, start), ceil(text, end));
    if s >= e {
        return "";
    }
    text.get(s..e).unwrap_or_default()
}

/// `text[start..]`, from the character that holds byte `start`.
pub fn from(text: &str, start: usize) -> &str {
    clip(text, start, text.len())
}

/// `text[..end]`, through the character that holds byte `end - 1`.
pub fn upto(text: &str, end: usize) -> &str {
    clip(text, 0, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_offset_pair_gives_a_valid_slice() {
        let text = "é–“x\u{301}y ملف 😀";
        for a in 0..=text.len() + 2 {
            for b in 0..=text.len() + 2 {
                let s = clip(text, a, b);
                // The slice is part of the text and covers the asked bytes.
                assert!(text.contains(s));
                if a < b && a < text.len() {
                    assert!(!s.is_empty());
                }
            }
        }
    }

    #[test]
    fn boundaries_move_outwards() {
        let text = "x\u{2014}y";
        assert_eq!((floor(text, 2), ceil(text, 2)), (1, 4));
        assert_eq!((floor(text, 9), ceil(text, 9)), (5, 5));
    }
}
