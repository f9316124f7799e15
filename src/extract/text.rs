//! Segmentation: paragraphs, sentences and word tokens, all as byte spans of the text.
//!
//! Sentences end at `.`, `!` or `?` followed by space and a capital, a digit or a quote,
//! except after abbreviations ("Inc.", "U.S.", "v.", "No. 5", "Jan. 10"). A line break ends a
//! sentence unless the next line visibly continues it (it starts in lower case, or the
//! line ends with a comma or a hyphen), so a headline without final punctuation is its own
//! sentence. A blank line ends a paragraph.
//!
//! ```
//! use riskline::extract::text::Segmented;
//! let s = Segmented::new("Apple Inc. sued Google on Jan. 5.\nIt won.");
//! assert_eq!(s.sentences.len(), 2);
//! ```

use crate::extract::span;

/// The class of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    /// Letters, digits and hyphens, starting with a letter.
    Word,
    /// Starts with a digit: "2,031,220", "1.5", "2024", "F-150" is a word.
    Number,
    /// The possessive clitic "'s" / "’s" (or a bare "'" after a plural).
    Possessive,
    /// Any other single character that is not white space.
    Punct,
}

/// A token: a byte span of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the token's first character in the segmented text.
    pub start: usize,
    /// Byte offset just past the token's last character.
    pub end: usize,
    /// What the token is made of.
    pub kind: TokKind,
}

/// A sentence: byte span, its tokens (a range into `Segmented::tokens`) and paragraph number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Byte offset of the sentence's first character (surrounding white space trimmed).
    pub start: usize,
    /// Byte offset just past the sentence's last character.
    pub end: usize,
    /// Index in `Segmented::tokens` of the sentence's first token.
    pub tok_start: usize,
    /// Index in `Segmented::tokens` just past the sentence's last token.
    pub tok_end: usize,
    /// The paragraph, counted from 0; a blank line (two line breaks) starts the next.
    pub paragraph: usize,
    /// True when the sentence is a line of its own without final punctuation (a title).
    pub headline: bool,
}

/// A text split into tokens and sentences; `lower` is the ASCII-lowercased text with the
/// same byte offsets.
#[derive(Debug, Clone)]
pub struct Segmented<'a> {
    /// The text segmented; every offset here is a byte offset into it.
    pub text: &'a str,
    /// `text` with ASCII letters lowercased (same length, same offsets).
    pub lower: String,
    /// Every token of the text, in order.
    pub tokens: Vec<Token>,
    /// Every sentence of the text, in order.
    pub sentences: Vec<Sentence>,
}

/// Abbreviations after which a period does not end a sentence (lower case, no period).
const ABBREVIATIONS: &[&str] = &[
    "inc", "corp", "co", "ltd", "llc", "plc", "bhd", "cos", "bros", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu",
    "thur", "thurs", "fri", "sat", "sun", "v", "vs", "no", "nos", "mr", "mrs", "ms", "dr", "st",
    "gov", "sen", "rep", "gen", "lt", "col", "jr", "sr", "prof", "hon", "atty", "dept", "est",
    "approx", "fig", "etc", "calif", "mass", "fla", "ill", "ind", "wash", "penn", "conn", "mich",
    "minn", "ariz", "colo", "tenn", "okla", "ore", "nev", "del", "md", "va", "ga", "ala", "ky",
    "la", "mo", "wis", "wyo", "vt", "neb", "kan", "miss", "cf", "al", "ave", "blvd", "para", "sec",
    "art", "ch", "cl", "pp", "vol", "op", "cert", "supp", "cir", "ct", "app", "dist",
];

/// Words that usually start a new sentence; after "Inc." or "U.S." they show that the
/// period was also a full stop.
const SENTENCE_STARTERS: &[&str] = &[
    "the",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "in",
    "on",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "but",
    "and",
    "shares",
    "according",
    "last",
    "earlier",
    "separately",
    "meanwhile",
    "however",
    "also",
    "as",
    "after",
    "before",
    "under",
    "when",
    "while",
    "his",
    "her",
    "their",
    "our",
    "there",
    "if",
    "since",
    "for",
    "at",
    "by",
    "some",
    "other",
    "both",
    "one",
    "no",
    "analysts",
    "regulators",
    "officials",
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Splits text into tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5);
    let bytes = text.as_bytes();
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c.is_whitespace() {
            continue;
        }
        if is_word_char(c) {
            let numeric = c.is_ascii_digit();
            let mut end = i + c.len_utf8();
            // Continue over word chars and over internal joiners followed by a word char.
            while let Some(&(j, d)) = iter.peek() {
                if is_word_char(d) {
                    end = j + d.len_utf8();
                    iter.next();
                    continue;
                }
                let joiner = match d {
                    '-' | '&' => true,
                    '.' | ',' if numeric => true,
                    '.' => {
                        // "U.S", "e.g": a single letter before the period and a letter after.
                        let word = span::clip(text, i, j);
                        word.chars().count() == 1 || word.contains('.')
                    }
                    _ => false,
                };
                if !joiner {
                    break;
                }
                let after = j + d.len_utf8();
                let next = span::from(text, after).chars().next();
                match next {
                    Some(n) if is_word_char(n) && (!numeric || d != ',' || n.is_ascii_digit()) => {
                        if numeric && (d == '.' || d == ',') && !n.is_ascii_digit() {
                            break;
                        }
                        iter.next();
                        end = after;
                    }
                    _ => break,
                }
            }
            out.push(Token {
                start: i,
                end,
                kind: if numeric {
                    TokKind::Number
                } else {
                    TokKind::Word
                },
            });
            continue;
        }
        if is_apostrophe(c) {
            // Possessive clitic: "'s" after a word, or a bare apostrophe after a plural "s".
            let after = i + c.len_utf8();
            let prev_is_word = out
                .last()
                .is_some_and(|t: &Token| t.end == i && t.kind != TokKind::Punct);
            if prev_is_word {
                let next = span::from(text, after).chars().next();
                let next2 = span::from(text, after).chars().nth(1);
                if matches!(next, Some('s') | Some('S'))
                    && !next2.is_some_and(|n| n.is_alphanumeric())
                {
                    iter.next();
                    out.push(Token {
                        start: i,
                        end: after + 1,
                        kind: TokKind::Possessive,
                    });
                    continue;
                }
                if i > 0
                    && (bytes[i - 1] == b's' || bytes[i - 1] == b'S')
                    && !next.is_some_and(|n| n.is_alphanumeric())
                {
                    out.push(Token {
                        start: i,
                        end: after,
                        kind: TokKind::Possessive,
                    });
                    continue;
                }
            }
        }
        out.push(Token {
            start: i,
            end: i + c.len_utf8(),
            kind: TokKind::Punct,
        });
    }
    out
}

fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | '’' | '”' | ')' | ']')
}

fn is_opening(c: char) -> bool {
    matches!(c, '"' | '\'' | '‘' | '“' | '(' | '[')
}

impl<'a> Segmented<'a> {
    /// Segments a text.
    pub fn new(text: &'a str) -> Segmented<'a> {
        let lower = text.to_ascii_lowercase();
        let tokens = tokenize(text);
        let sentences = split_sentences(text, &lower, &tokens);
        Segmented {
            text,
            lower,
            tokens,
            sentences,
        }
    }

    /// The text of a token.
    pub fn tok(&self, i: usize) -> &'a str {
        let t = self.tokens[i];
        span::clip(self.text, t.start, t.end)
    }

    /// The lowercased text of a token.
    pub fn low(&self, i: usize) -> &str {
        let t = self.tokens[i];
        span::clip(&self.lower, t.start, t.end)
    }

    /// The index of the sentence that contains byte offset `pos`.
    pub fn sentence_at(&self, pos: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.end <= pos);
        (i < self.sentences.len() && self.sentences[i].start <= pos).then_some(i)
    }

    /// The index of the first token that starts at or after `pos`.
    pub fn token_at(&self, pos: usize) -> usize {
        self.tokens.partition_point(|t| t.start < pos)
    }
}

fn split_sentences(text: &str, lower: &str, tokens: &[Token]) -> Vec<Sentence> {
    // Candidate boundaries as byte offsets where a new sentence starts; paragraph starts
    // are marked separately.
    let mut starts: Vec<(usize, bool)> = Vec::new(); // (offset, new paragraph)
    let n = tokens.len();
    let mut k = 0;
    while k < n {
        let t = tokens[k];
        let c = span::from(text, t.start).chars().next().unwrap_or(' ');
        if t.kind == TokKind::Punct && matches!(c, '.' | '!' | '?') {
            // Skip closing quotes/brackets directly after.
            let mut j = k + 1;
            let mut end = t.end;
            while j < n
                && tokens[j].kind == TokKind::Punct
                && tokens[j].start == end
                && (is_closing(
                    span::from(text, tokens[j].start)
                        .chars()
                        .next()
                        .unwrap_or(' '),
                ) || matches!(
                    span::from(text, tokens[j].start).chars().next(),
                    Some('.' | '!' | '?')
                ))
            {
                end = tokens[j].end;
                j += 1;
            }
            if j < n && tokens[j].start > end && period_ends_sentence(text, lower, tokens, k, j) {
                starts.push((tokens[j].start, false));
            }
            k = j;
            continue;
        }
        k += 1;
    }
    // Line breaks.
    let bytes = text.as_bytes();
    let mut line_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b != b'\n' {
            continue;
        }
        let line = span::clip(text, line_start, i).trim_end();
        let rest = span::from(text, i + 1);
        let next_trim = rest.trim_start_matches([' ', '\t', '\r']);
        let blank_follows = next_trim.starts_with('\n') || line.trim().is_empty();
        let next_start = i + 1 + (rest.len() - rest.trim_start().len());
        line_start = i + 1;
        if next_start >= text.len() {
            continue;
        }
        let next_char = span::from(text, next_start).chars().next().unwrap_or(' ');
        let last_char = line.chars().last().unwrap_or('.');
        let continues = next_char.is_lowercase()
            || matches!(last_char, ',' | '-' | '(' | '&' | '/')
            || line.ends_with(" and")
            || line.ends_with(" of")
            || line.ends_with(" the");
        if blank_follows {
            starts.push((next_start, true));
        } else if !continues {
            starts.push((next_start, false));
        }
    }
    starts.sort();
    starts.dedup_by(|b, a| {
        if a.0 == b.0 {
            a.1 |= b.1;
            true
        } else {
            false
        }
    });

    let mut out = Vec::new();
    let mut paragraph = 0;
    let mut cur = 0usize;
    let mut bounds: Vec<(usize, bool)> = starts;
    bounds.push((text.len(), false));
    for (next, new_para) in bounds {
        let seg = span::clip(text, cur, next);
        let lead = seg.len() - seg.trim_start().len();
        let s = cur + lead;
        let e = cur + seg.trim_end().len();
        if e > s {
            let tok_start = tokens.partition_point(|t| t.start < s);
            let tok_end = tokens.partition_point(|t| t.start < e);
            let last = span::clip(text, s, e).chars().last().unwrap_or('.');
            let headline = !matches!(last, '.' | '!' | '?' | '"' | '”' | ':' | ';' | ')') || {
                let line_end = span::from(text, e).starts_with('\n') || e == text.len();
                line_end
                    && !span::clip(text, s, e).contains(". ")
                    && is_title_case(span::clip(text, s, e))
            };
            out.push(Sentence {
                start: s,
                end: e,
                tok_start,
                tok_end,
                paragraph,
                headline,
            });
        }
        if new_para && !out.is_empty() {
            paragraph += 1;
        }
        cur = next;
    }
    // Re-number paragraphs so that a paragraph break is attached to the sentence after it.
    let mut fixed = Vec::with_capacity(out.len());
    let mut para = 0;
    let mut prev_end = 0;
    for mut s in out {
        let gap = span::clip(text, prev_end, s.start);
        if prev_end > 0 && gap.matches('\n').count() >= 2 {
            para += 1;
        }
        s.paragraph = para;
        prev_end = s.end;
        fixed.push(s);
    }
    fixed
}

fn is_title_case(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() < 2 {
        return false;
    }
    let caps = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(|c| c.is_uppercase()))
        .count();
    caps * 10 >= words.len() * 6
}

/// Decides whether the punctuation token `k` ends a sentence; `j` is the next token.
fn period_ends_sentence(text: &str, lower: &str, tokens: &[Token], k: usize, j: usize) -> bool {
    let p = span::clip(text, tokens[k].start, tokens[k].end);
    let next = tokens[j];
    let next_text = span::clip(text, next.start, next.end);
    let next_char = next_text.chars().next().unwrap_or(' ');
    let starts_ok = next_char.is_uppercase() || next_char.is_ascii_digit() || is_opening(next_char);
    if !starts_ok {
        return false;
    }
    if p != "." {
        return true;
    }
    // The period directly follows a word: check abbreviations.
    if k == 0 || tokens[k - 1].end != tokens[k].start {
        return true;
    }
    let prev = tokens[k - 1];
    let prev_low = span::clip(lower, prev.start, prev.end);
    let next_low = span::clip(lower, next.start, next.end);
    let starter = SENTENCE_STARTERS.contains(&next_low);
    if prev_low.contains('.') {
        // "U.S.", "N.A.", "e.g.": only a sentence end before a clear sentence starter.
        return starter;
    }
    if prev.kind == TokKind::Word && prev_low.chars().count() == 1 {
        // An initial ("John F. Kennedy").
        return false;
    }
    if ABBREVIATIONS.contains(&prev_low) {
        if matches!(
            prev_low,
            "no" | "nos" | "v" | "vs" | "mr" | "mrs" | "ms" | "dr" | "st"
        ) {
            return false;
        }
        if next_char.is_ascii_digit() {
            return false;
        }
        return starter;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(text: &str) -> Vec<&str> {
        let s = Segmented::new(text);
        s.sentences.iter().map(|x| &text[x.start..x.end]).collect()
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let t = "Acme Corp. agreed to pay $1.5 billion to the U.S. government on Jan. 5. The deal closed.";
        assert_eq!(
            sents(t),
            vec![
                "Acme Corp. agreed to pay $1.5 billion to the U.S. government on Jan. 5.",
                "The deal closed."
            ]
        );
    }

    #[test]
    fn company_suffix_before_a_sentence_starter_ends_the_sentence() {
        let t = "The suit names Widget Inc. The company said nothing.";
        assert_eq!(sents(t).len(), 2);
        let t = "Smith v. Jones Co. was decided in case No. 12. It was appealed.";
        assert_eq!(
            sents(t),
            vec![
                "Smith v. Jones Co. was decided in case No. 12.",
                "It was appealed."
            ]
        );
    }

    #[test]
    fn headlines_and_quotes() {
        let t = "Big Bank Sued Over Fees\n\nA customer sued the bank. \"We will fight,\" it said. Done!";
        let s = Segmented::new(t);
        let texts: Vec<&str> = s.sentences.iter().map(|x| &t[x.start..x.end]).collect();
        assert_eq!(
            texts,
            vec![
                "Big Bank Sued Over Fees",
                "A customer sued the bank.",
                "\"We will fight,\" it said.",
                "Done!"
            ]
        );
        assert!(s.sentences[0].headline);
        assert!(!s.sentences[1].headline);
        assert_eq!(s.sentences[0].paragraph, 0);
        assert_eq!(s.sentences[1].paragraph, 1);
    }

    #[test]
    fn wrapped_lines_continue_the_sentence() {
        let t = "The regulator fined the company\nfor late filings. Next one.";
        assert_eq!(
            sents(t),
            vec![
                "The regulator fined the company\nfor late filings.",
                "Next one."
            ]
        );
    }

    #[test]
    fn tokens_keep_possessives_numbers_and_abbreviations() {
        let t = "JPMorgan’s $1,234.5 U.S. AT&T cease-and-desist F-150 users' data";
        let s = Segmented::new(t);
        let toks: Vec<&str> = (0..s.tokens.len()).map(|i| s.tok(i)).collect();
        assert_eq!(
            toks,
            vec![
                "JPMorgan",
                "’s",
                "$",
                "1,234.5",
                "U.S",
                ".",
                "AT&T",
                "cease-and-desist",
                "F-150",
                "users",
                "'",
                "data"
            ]
        );
        assert_eq!(s.tokens[1].kind, TokKind::Possessive);
        assert_eq!(s.tokens[10].kind, TokKind::Possessive);
    }
}
