//! Plain text documents and small text helpers shared by the other formats.

use super::{sections, Format, Normalized};
use crate::extract::span;

/// Normalises plain text: the text is kept byte for byte.
pub(super) fn normalize_text(raw: &str) -> Normalized {
    let text = raw.to_string();
    let headline = sections::headline_line(&text);
    let title = headline
        .as_ref()
        .map(|r| span::clip(&text, r.start, r.end).to_string());
    let mut secs = Vec::new();
    let body_from = match &headline {
        Some(r) => {
            secs.push(super::Section {
                name: "headline".into(),
                start: r.start,
                end: r.end,
            });
            r.end
        }
        None => 0,
    };
    secs.extend(sections::body_section(&text, body_from));
    secs.extend(sections::filing_sections(&text, 0..text.len(), None));
    Normalized {
        text,
        format: Format::Text,
        title,
        published_at: None,
        filer: None,
        sections: secs,
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends on a char boundary.
pub(super) fn prefix(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    span::upto(s, end)
}

/// Maps a char of rendered text: Unicode spaces become a plain space, invisible
/// format characters (zero-width spaces and joiners, BOM, soft hyphen) disappear.
pub(super) fn clean_char(ch: char) -> Option<char> {
    match ch {
        '\u{00a0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200a}'
        | '\u{202f}'
        | '\u{205f}'
        | '\u{3000}' => Some(' '),
        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{00ad}' => None,
        '\0' => None,
        c => Some(c),
    }
}

/// Collapses runs of white space (including Unicode spaces) into single spaces and trims.
pub(super) fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for ch in s.chars().filter_map(clean_char) {
        if ch.is_whitespace() {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(ch);
        }
    }
    out
}

/// Decodes the HTML character references that matter for text: numeric ones
/// and the common named ones. Unknown references are left as written.
pub(super) fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(span::upto(rest, amp));
        let after = span::from(rest, amp + 1);
        let end = after
            .char_indices()
            .take(12)
            .find(|(_, c)| *c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|e| decode_reference(span::upto(after, e)).map(|c| (c, e)));
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = span::from(after, e + 1);
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

fn decode_reference(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse::<u32>().ok()?
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "mdash" => '\u{2014}',
        "ndash" => '\u{2013}',
        "lsquo" => '\u{2018}',
        "rsquo" => '\u{2019}',
        "ldquo" => '\u{201c}',
        "rdquo" => '\u{201d}',
        "hellip" => '\u{2026}',
        "copy" => '\u{a9}',
        "reg" => '\u{ae}',
        "trade" => '\u{2122}',
        "sect" => '\u{a7}',
        "para" => '\u{b6}',
        "bull" => '\u{2022}',
        "middot" => '\u{b7}',
        "euro" => '\u{20ac}',
        "pound" => '\u{a3}',
        "yen" => '\u{a5}',
        "cent" => '\u{a2}',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_never_splits_a_char() {
        assert_eq!(prefix("héllo", 2), "h");
        assert_eq!(prefix("héllo", 3), "hé");
        assert_eq!(prefix("abc", 10), "abc");
    }

    #[test]
    fn entities_decode_and_unknown_ones_stay() {
        assert_eq!(
            decode_entities("AT&amp;T &#8212; &#x41;&nbsp;&bogus; & x"),
            "AT&T \u{2014} A\u{a0}&bogus; & x"
        );
        assert_eq!(decode_entities("&#0; &#xFFFFFFFF;"), "&#0; &#xFFFFFFFF;");
    }

    #[test]
    fn white_space_collapses_including_unicode_spaces() {
        assert_eq!(
            collapse_ws("  Item\u{a0}3.\n\t Legal\u{200b} "),
            "Item 3. Legal"
        );
    }
}
