//! Named sections of a normalised text.
//!
//! - `headline`: the first line, when it reads like a headline (plain text), or
//!   the title paragraph that opens a rendered news page.
//! - `body`: everything after the headline, trimmed.
//! - `legal_proceedings`: a 10-K "Item 3. Legal Proceedings" or 10-Q "Part II,
//!   Item 1. Legal Proceedings", from its heading to the next Item or Part
//!   heading or the signatures.
//! - `risk_factors`: "Item 1A. Risk Factors", bounded the same way.
//! - `8-K item N.NN`: each 8-K item, from its heading to the next item or the signatures.
//! - `notes_contingencies`: a financial-statement note headed "Commitments and
//!   Contingencies", "Contingencies", "Litigation ..." or "Legal Matters", to the
//!   next note heading.
//! - `exhibit 99.N`: press-release exhibits of an EDGAR submission (added by the
//!   EDGAR reader).
//!
//! A table of contents repeats the headings of a filing, so an occurrence only
//! counts when prose follows it before the next heading; when no occurrence has
//! prose (an excerpt that stops early), the last one is used.

use crate::extract::span;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::Section;

/// The byte range of the first non-empty line of `text` when it reads like a
/// headline: at most 200 chars and 30 words, containing a letter, not ending in
/// a full stop, and not the only line of a long paragraph.
pub(super) fn headline_line(text: &str) -> Option<Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim();
        if trimmed.is_empty() {
            offset += line.len();
            continue;
        }
        let lead = content.len() - content.trim_start().len();
        let start = offset + lead;
        let end = start + trimmed.len();
        let chars = trimmed.chars().count();
        let words = trimmed.split_whitespace().count();
        let headline = chars <= 200
            && words <= 30
            && trimmed.chars().any(char::is_alphabetic)
            && !trimmed.ends_with('.')
            && !trimmed.ends_with(',')
            && !trimmed.ends_with(':');
        return headline.then_some(start..end);
    }
    None
}

/// The `body` section: `text[from..]` without surrounding white space, if not empty.
pub(super) fn body_section(text: &str, from: usize) -> Option<Section> {
    let from = floor_boundary(text, from.min(text.len()));
    let rest = span::from(text, from);
    let start = from + (rest.len() - rest.trim_start().len());
    let end = from + rest.trim_end().len();
    (start < end).then(|| Section {
        name: "body".into(),
        start,
        end,
    })
}

/// Clamps sections to `text`, moves their ends onto char boundaries, and drops empty or duplicate ones.
pub(super) fn sanitize(text: &str, sections: &mut Vec<Section>) {
    for s in sections.iter_mut() {
        s.end = floor_boundary(text, s.end.min(text.len()));
        s.start = floor_boundary(text, s.start.min(s.end));
    }
    sections.retain(|s| s.start < s.end);
    let mut seen = std::collections::HashSet::new();
    sections.retain(|s| seen.insert((s.name.clone(), s.start, s.end)));
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum HeadingKind {
    /// "Item 3", "Item 1A", "Item 8.01" (number lowercased).
    Item(String),
    Part,
    Signatures,
}

#[derive(Debug, Clone)]
struct Heading {
    kind: HeadingKind,
    /// Start of the heading text (after leading white space).
    start: usize,
    /// The heading's title, from its own line or the next non-empty one.
    title: String,
    /// Where the section's prose starts (after the title line).
    body_start: usize,
}

static ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?mi)^[ \t]*(?:part[ \t]+(?:iv|i{1,3})(?-u:\b)[ \t]*[,.:\-\u{2013}\u{2014}]?[ \t]*)?(item[ \t]+(\d{1,2}(?:\.\d{2})?[a-c]?)(?-u:\b))[ \t]*[.:\-\u{2013}\u{2014}]?[ \t]*([^\n]*)$",
    )
    .expect("item heading pattern is valid")
});

static PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?mi)^[ \t]*(part[ \t]+(?:iv|i{1,3}))(?-u:\b)[ \t]*[,.:\-\u{2013}\u{2014}]?[ \t]*([^\n]{0,80})$")
        .expect("part heading pattern is valid")
});

static SIGNATURES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?mi)^[ \t]*(signatures?)[ \t]*\r?$").expect("signature pattern is valid")
});

/// The end of the line containing `pos` (position of its '\n', or the end of `text`).
fn line_end(text: &str, pos: usize) -> usize {
    span::from(text, pos)
        .find('\n')
        .map_or(text.len(), |i| pos + i)
}

/// Finds the headings of a filing inside `range`, sorted by position.
fn headings(text: &str, range: Range<usize>) -> Vec<Heading> {
    let hay = span::clip(text, range.start, range.end);
    let base = range.start;
    let mut out = Vec::new();
    for c in ITEM.captures_iter(hay) {
        let (Some(item), Some(num), Some(rest)) = (c.get(1), c.get(2), c.get(3)) else {
            continue;
        };
        let line_start = c.get(0).map_or(item.start(), |m| m.start());
        let lead =
            span::from(hay, line_start).len() - span::from(hay, line_start).trim_start().len();
        // "Item 2.02 of this report is incorporated ..." is a reference, not a heading.
        if rest.as_str().trim_start().starts_with(char::is_lowercase) {
            continue;
        }
        let mut title = rest.as_str().trim().to_string();
        let mut body_start = base + rest.end();
        if title.is_empty() || title.chars().all(|ch| !ch.is_alphabetic()) {
            // The title sits on the next non-empty line ("Item 5.02.\nDeparture of ...").
            if let Some((t, end)) = next_nonempty_line(hay, rest.end(), 400) {
                title = t.to_string();
                body_start = base + end;
            }
        }
        out.push(Heading {
            kind: HeadingKind::Item(num.as_str().to_ascii_lowercase()),
            start: base + line_start + lead,
            title,
            body_start,
        });
    }
    for c in PART.captures_iter(hay) {
        let (Some(part), Some(rest)) = (c.get(1), c.get(2)) else {
            continue;
        };
        // "Part II, Item 1." lines are already item headings.
        if rest.as_str().to_ascii_lowercase().contains("item") {
            continue;
        }
        out.push(Heading {
            kind: HeadingKind::Part,
            start: base + part.start(),
            title: rest.as_str().trim().to_string(),
            body_start: base + rest.end(),
        });
    }
    for c in SIGNATURES.captures_iter(hay) {
        if let Some(m) = c.get(1) {
            out.push(Heading {
                kind: HeadingKind::Signatures,
                start: base + m.start(),
                title: String::new(),
                body_start: base + line_end(hay, m.end()),
            });
        }
    }
    out.sort_by_key(|h| h.start);
    out
}

/// The next non-empty line after `from` (within `limit` bytes): its trimmed text and end.
fn next_nonempty_line(hay: &str, from: usize, limit: usize) -> Option<(&str, usize)> {
    let mut pos = from;
    let stop = (from + limit).min(hay.len());
    while pos < stop {
        let end = line_end(hay, pos);
        let line = span::clip(hay, pos, end).trim();
        if !line.is_empty() {
            return Some((line, end));
        }
        pos = end + 1;
    }
    None
}

/// True when `body` holds prose rather than table-of-contents residue (page numbers, empty cells).
fn has_prose(body: &str) -> bool {
    let words = body.split_whitespace().take(40);
    let alpha = words
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .take(4)
        .count();
    alpha >= 4 || {
        let t = body.trim().trim_end_matches('.').to_ascii_lowercase();
        t == "none" || t == "not applicable"
    }
}

/// True when `body` opens with a real sentence (a line of at least eight words
/// with a full stop) within its first 3,000 bytes: what a note's text looks like,
/// unlike a balance-sheet row that repeats the note's name.
fn opens_with_sentence(body: &str) -> bool {
    let head = super::text::prefix(body, 3_000);
    head.lines().any(|l| {
        l.split_whitespace().count() >= 8 && (l.contains(". ") || l.trim_end().ends_with('.'))
    })
}

/// Where the text of heading `i` stops: the next heading that starts after its title, or `end`.
fn stop_of(hs: &[Heading], i: usize, end: usize) -> usize {
    let Some(h) = hs.get(i) else { return end };
    let next = hs.partition_point(|n| n.start < h.body_start);
    hs.get(next).map_or(end, |n| n.start.min(end))
}

/// The section for heading `i`: from its start to the next boundary heading, trimmed.
fn span_to_next(text: &str, hs: &[Heading], i: usize, end: usize) -> Option<Range<usize>> {
    let h = hs.get(i)?;
    let stop = floor_boundary(text, stop_of(hs, i, end).max(h.start));
    let kept = trim_page_residue(span::clip(text, h.start, stop)).len();
    (kept > 0).then(|| h.start..h.start + kept)
}

/// Cuts trailing page-break residue (page numbers, "Table of Contents" links,
/// blank lines) off a section, which the rendering of paged filings leaves
/// before the next heading.
fn trim_page_residue(section: &str) -> &str {
    static RESIDUE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(?:page\s+)?(?:\d{1,4}|[ivxl]{1,6})(?:\s*/\s*table of contents)?$|^table of contents$|^-\s*\d{1,4}\s*-$|^\d{1,4}\s+of\s+\d{1,4}$",
        )
        .expect("page residue pattern is valid")
    });
    let mut s = section.trim_end();
    // A heading line itself is never cut, however short.
    let first_line_end = s.find('\n').unwrap_or(s.len());
    while s.len() > first_line_end {
        let cut = s.rfind('\n').map_or(0, |i| i + 1);
        if cut <= first_line_end || !RESIDUE.is_match(span::from(s, cut).trim()) {
            break;
        }
        s = span::upto(s, cut).trim_end();
    }
    s
}

/// The body text of heading `i` (between its title and the next heading).
fn body_of<'t>(text: &'t str, hs: &[Heading], i: usize, end: usize) -> &'t str {
    let Some(h) = hs.get(i) else { return "" };
    let from = floor_boundary(text, h.body_start.min(end));
    let stop = floor_boundary(text, stop_of(hs, i, end).max(from));
    span::clip(text, from, stop)
}

/// Picks among `candidates` (heading indexes in order) the first followed by prose, else the last.
fn pick(text: &str, hs: &[Heading], end: usize, candidates: &[usize]) -> Option<usize> {
    candidates
        .iter()
        .copied()
        .find(|&i| has_prose(body_of(text, hs, i, end)))
        .or_else(|| candidates.last().copied())
}

/// Finds the filing sections of `text` inside `range` (see the module documentation).
///
/// `form` is the submission type when known: in an `8-K` the whole-number item
/// headings of filings made before 2004 ("Item 5. Other Events") are 8-K items too.
pub(super) fn filing_sections(text: &str, range: Range<usize>, form: Option<&str>) -> Vec<Section> {
    let eight_k = form.is_some_and(|f| f.trim().to_ascii_uppercase().starts_with("8-K"));
    static LEGAL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)legal\s+proceedings").expect("pattern is valid"));
    static RISK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)risk\s+factors").expect("pattern is valid"));

    let range = floor_boundary(text, range.start.min(text.len()))
        ..floor_boundary(text, range.end.min(text.len()));
    if range.start >= range.end {
        return Vec::new();
    }
    let end = range.end;
    let hs = headings(text, range.clone());
    let mut out = Vec::new();

    let mut legal = Vec::new();
    let mut risk = Vec::new();
    // 8-K items (numbers like 1.01, 8.01) grouped by number, in order of first appearance.
    let mut items: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut item_slot: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, h) in hs.iter().enumerate() {
        let HeadingKind::Item(num) = &h.kind else {
            continue;
        };
        if LEGAL.is_match(&h.title) {
            legal.push(i);
        }
        if num == "1a" && RISK.is_match(&h.title) {
            risk.push(i);
        }
        if num.contains('.') || eight_k {
            let slot = *item_slot.entry(num.as_str()).or_insert_with(|| {
                items.push((num.as_str(), Vec::new()));
                items.len() - 1
            });
            if let Some((_, v)) = items.get_mut(slot) {
                v.push(i);
            }
        }
    }
    for (name, candidates) in [("legal_proceedings", &legal), ("risk_factors", &risk)] {
        if let Some(r) =
            pick(text, &hs, end, candidates).and_then(|i| span_to_next(text, &hs, i, end))
        {
            out.push(section(name, r));
        }
    }
    for (num, candidates) in &items {
        if let Some(r) =
            pick(text, &hs, end, candidates).and_then(|i| span_to_next(text, &hs, i, end))
        {
            out.push(section(&format!("8-K item {num}"), r));
        }
    }
    if let Some(r) = contingencies_note(text, range, &hs) {
        out.push(section("notes_contingencies", r));
    }
    out
}

fn section(name: &str, r: Range<usize>) -> Section {
    Section {
        name: name.to_string(),
        start: r.start,
        end: r.end,
    }
}

const MAX_NOTE_CANDIDATES: usize = 64;

/// The financial-statement note on contingencies or litigation, if one is headed as such.
fn contingencies_note(text: &str, range: Range<usize>, hs: &[Heading]) -> Option<Range<usize>> {
    static NOTE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?mi)^[ \t]*(?:note[ \t]+\d{1,2}[a-z]?[ \t]*[.:\-\u{2013}\u{2014}]?[ \t]*|\d{1,2}[a-z]?[ \t]*[.:)\-\u{2013}\u{2014}][ \t]*)?(?:commitments,?[ \t]+(?:and[ \t]+)?contingencies|contingencies(?:[ \t]+and[ \t]+commitments)?|litigation|legal[ \t]+matters)(?:[ \t]*(?:,|and|&)[ \t]*[a-z][a-z ,&]{0,50})?[ \t]*\r?$",
        )
        .expect("note heading pattern is valid")
    });
    static NEXT_NOTE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?m)^[ \t]*(?:(?i:note)[ \t]+\d{1,2}[A-Za-z]?(?-u:\b)|\d{1,2}[ \t]*\.[ \t]+[A-Z][A-Za-z,&'\u{2019} \-]{2,80}\r?$)",
        )
        .expect("next note pattern is valid")
    });
    let hay = span::clip(text, range.start, range.end);
    let base = range.start;
    let mut note_starts: Option<Vec<usize>> = None;
    // A real note heading is among the first few candidates; the cap keeps
    // pathological texts (thousands of "Litigation" lines) linear.
    for m in NOTE.find_iter(hay).take(MAX_NOTE_CANDIDATES) {
        let lead = m.as_str().len() - m.as_str().trim_start().len();
        let start = m.start() + lead;
        let body_from = m.end();
        // All later note headings are found once, on the first candidate.
        let starts = note_starts
            .get_or_insert_with(|| NEXT_NOTE.find_iter(hay).map(|n| n.start()).collect());
        let next_note = starts
            .get(starts.partition_point(|&s| s < body_from))
            .copied();
        let next_heading = hs
            .get(hs.partition_point(|h| h.start < base + body_from))
            .map(|h| h.start - base);
        let stop = [next_note, next_heading]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(hay.len());
        if !opens_with_sentence(span::clip(hay, body_from, stop)) {
            continue;
        }
        let kept = trim_page_residue(span::clip(hay, start, stop)).len();
        return Some(base + start..base + start + kept);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, String)> {
        filing_sections(text, 0..text.len(), None)
            .into_iter()
            .map(|s| (s.name, text[s.start..s.end].to_string()))
            .collect()
    }

    #[test]
    fn a_headline_is_short_and_has_no_full_stop() {
        let t = "\n  Acme sued over faulty heaters \nBody text.";
        let r = headline_line(t).unwrap();
        assert_eq!(&t[r], "Acme sued over faulty heaters");
        assert!(headline_line("This is a sentence.\nMore.").is_none());
        assert!(headline_line("   \n\n").is_none());
    }

    #[test]
    fn the_table_of_contents_occurrence_is_skipped() {
        let t = "PART I\nItem 1. Business\t3\nItem 3. Legal Proceedings\t25\nItem 4. Mine Safety Disclosures\t26\n\n\
                 Item 1. Business\n\nWe make widgets in many places around the world.\n\n\
                 Item 3. Legal Proceedings\n\nOn May 1, a customer sued the Company in federal court over widgets.\n\n\
                 Item 4. Mine Safety Disclosures\n\nNot applicable.\n";
        let s = names(t);
        let legal = s.iter().find(|(n, _)| n == "legal_proceedings").unwrap();
        assert!(
            legal.1.starts_with("Item 3. Legal Proceedings\n\nOn May 1"),
            "{legal:?}"
        );
        assert!(legal.1.ends_with("over widgets."));
    }

    #[test]
    fn eight_k_items_run_to_the_next_item_or_signatures() {
        let t = "Item 5.02.\nDeparture of Directors\n\nMr. X resigned as director of the company on Monday.\n\n\
                 Item 8.01 Other Events.\n\nThe company settled the lawsuit with its landlord.\n\nSIGNATURES\n\nBy: /s/ X\n";
        let s = names(t);
        let i502 = s.iter().find(|(n, _)| n == "8-K item 5.02").unwrap();
        assert!(i502.1.ends_with("on Monday."));
        let i801 = s.iter().find(|(n, _)| n == "8-K item 8.01").unwrap();
        assert!(i801.1.starts_with("Item 8.01 Other Events."));
        assert!(i801.1.ends_with("with its landlord."));
    }

    #[test]
    fn a_contingencies_note_needs_prose_not_a_balance_sheet_row() {
        let t = "Total liabilities\t100\nCommitments and contingencies\n\t\nEquity\t50\n\n\
                 Note 9. Commitments and Contingencies\n\nThe Company is a defendant in several lawsuits about its products and services.\n\n\
                 Note 10. Income Taxes\n\nTaxes were paid.";
        let s = names(t);
        let note = s.iter().find(|(n, _)| n == "notes_contingencies").unwrap();
        assert!(note.1.starts_with("Note 9. Commitments"));
        assert!(note.1.ends_with("products and services."));
    }

    #[test]
    fn sanitize_moves_ends_onto_char_boundaries() {
        let text = "héllo";
        let mut s = vec![
            Section {
                name: "a".into(),
                start: 2,
                end: 99,
            },
            Section {
                name: "b".into(),
                start: 3,
                end: 2,
            },
        ];
        sanitize(text, &mut s);
        assert_eq!(
            s,
            vec![Section {
                name: "a".into(),
                start: 1,
                end: 6
            }]
        );
    }
}
