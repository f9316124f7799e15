//! SEC EDGAR full-submission files: SGML header, documents, exhibits.

use crate::extract::span;
use std::ops::Range;

use chrono::NaiveDate;

use super::html::{self, Mode};
use super::{sections, text, Filer, Format, Normalized, Section};

const ENVELOPE: &str = "-----BEGIN PRIVACY-ENHANCED MESSAGE-----";

/// True when `raw` is an EDGAR full-submission file (see the module documentation).
pub(super) fn looks_like_edgar(raw: &str) -> bool {
    let head = text::prefix(raw, 65_536)
        .trim_start_matches('\u{feff}')
        .trim_start();
    if [
        "<SEC-DOCUMENT>",
        "<SEC-HEADER>",
        "<IMS-DOCUMENT>",
        "<IMS-HEADER>",
        ENVELOPE,
    ]
    .iter()
    .any(|m| head.starts_with(m))
    {
        return true;
    }
    let mut rest = head;
    while let Some(i) = rest.find("<DOCUMENT>") {
        rest = span::from(rest, i + "<DOCUMENT>".len());
        if text::prefix(rest, 100).contains("<TYPE>") {
            return true;
        }
    }
    false
}

/// The fields of an SGML `<SEC-HEADER>` that riskline uses.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Header {
    pub company: Option<String>,
    pub cik: Option<i64>,
    pub form_type: Option<String>,
    pub filed_on: Option<NaiveDate>,
}

/// Reads `KEY: value` lines; the first occurrence of each key wins (the first
/// company block is the subject company or the filer).
pub(super) fn parse_header(header: &str) -> Header {
    let mut h = Header::default();
    for line in header.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match key.trim() {
            "COMPANY CONFORMED NAME" if h.company.is_none() => h.company = Some(value.to_string()),
            "CENTRAL INDEX KEY" if h.cik.is_none() => h.cik = value.parse().ok(),
            "CONFORMED SUBMISSION TYPE" if h.form_type.is_none() => {
                h.form_type = Some(value.to_string())
            }
            "FORM TYPE" if h.form_type.is_none() => h.form_type = Some(value.to_string()),
            "FILED AS OF DATE" if h.filed_on.is_none() => h.filed_on = html::parse_date(value),
            _ => {}
        }
    }
    h
}

/// One `<DOCUMENT>` of a submission.
#[derive(Debug, Default, Clone)]
pub(super) struct Document<'a> {
    pub doc_type: &'a str,
    pub sequence: Option<&'a str>,
    pub filename: Option<&'a str>,
    pub description: Option<&'a str>,
    /// The content of `<TEXT>`, or everything after the tag lines when `<TEXT>` is missing.
    pub body: &'a str,
}

/// Splits a submission into its documents. Linear: each search starts where the last ended.
pub(super) fn split_documents(raw: &str) -> Vec<Document<'_>> {
    let mut docs = Vec::new();
    let mut pos = 0;
    while let Some(i) = span::from(raw, pos).find("<DOCUMENT>") {
        let start = pos + i + "<DOCUMENT>".len();
        // A document missing its closing tag ends where the next one starts; the
        // closing tag is looked for only up to there, so the split stays linear.
        let next = span::from(raw, start)
            .find("<DOCUMENT>")
            .map_or(raw.len(), |j| start + j);
        let end = span::clip(raw, start, next)
            .find("</DOCUMENT>")
            .map_or(next, |j| start + j);
        docs.push(parse_document(span::clip(raw, start, end)));
        pos = end;
    }
    docs
}

fn parse_document(chunk: &str) -> Document<'_> {
    let mut doc = Document::default();
    let text_at = chunk.find("<TEXT>");
    let tags = span::upto(chunk, text_at.unwrap_or(chunk.len()).min(chunk.len()));
    let tag_value = |tag: &str| {
        tags.find(tag).map(|i| {
            let rest = span::from(tags, i + tag.len());
            let line_end = rest.find(['\n', '\r', '<']).unwrap_or(rest.len());
            span::upto(rest, line_end).trim()
        })
    };
    doc.doc_type = tag_value("<TYPE>").unwrap_or("");
    doc.sequence = tag_value("<SEQUENCE>");
    doc.filename = tag_value("<FILENAME>");
    doc.description = tag_value("<DESCRIPTION>");
    doc.body = match text_at {
        Some(i) => {
            let body = span::from(chunk, i + "<TEXT>".len());
            let close = body.rfind("</TEXT>").unwrap_or(body.len());
            span::upto(body, close)
        }
        None => {
            // Without <TEXT>, the content follows the last tag line.
            let last_tag_line = ["<TYPE>", "<SEQUENCE>", "<FILENAME>", "<DESCRIPTION>"]
                .iter()
                .filter_map(|t| chunk.find(t))
                .max()
                .map_or(0, |i| {
                    span::from(chunk, i)
                        .find('\n')
                        .map_or(chunk.len(), |j| i + j)
                });
            span::from(chunk, last_tag_line)
        }
    };
    doc
}

impl Document<'_> {
    /// True for press-release exhibits (`EX-99`, `EX-99.1`, ...).
    fn is_press_exhibit(&self) -> bool {
        let t = self.doc_type.to_ascii_uppercase();
        t == "EX-99" || t.starts_with("EX-99.")
    }

    /// True when the document carries prose that can be rendered: not a graphic,
    /// archive, PDF, spreadsheet, XBRL/XML/JSON file or uuencoded attachment.
    fn is_textual(&self) -> bool {
        let t = self.doc_type.to_ascii_uppercase();
        if matches!(
            t.as_str(),
            "GRAPHIC" | "ZIP" | "PDF" | "EXCEL" | "XML" | "JSON" | "XSD"
        ) || t.starts_with("EX-101")
        {
            return false;
        }
        if let Some(name) = self.filename {
            let name = name.to_ascii_lowercase();
            let binary = [
                ".jpg", ".jpeg", ".gif", ".png", ".pdf", ".zip", ".xlsx", ".xls", ".xml", ".xsd",
                ".js", ".css", ".json",
            ];
            if binary.iter().any(|ext| name.ends_with(ext)) {
                return false;
            }
        }
        let body = self.body.trim_start();
        !(body.starts_with("begin ") || body.starts_with("<PDF>"))
    }

    /// Renders the document to text; HTML is rendered with the filing rules.
    fn render(&self) -> (String, html::DeiFacts) {
        let body = strip_wrapper(self.body.trim(), "XBRL");
        if html::looks_like_html(body) {
            let r = html::render(body, Some(Mode::Filing));
            (r.text, r.dei)
        } else {
            (clean_plain_text(body), html::DeiFacts::default())
        }
    }

    /// The section name of an exhibit: `EX-99.1` -> `exhibit 99.1`.
    fn exhibit_name(&self) -> String {
        let t = self.doc_type.trim();
        let number = t.get(3..).unwrap_or(t);
        format!("exhibit {}", number.to_ascii_lowercase())
    }
}

/// Removes an enclosing `<TAG>` ... `</TAG>` pair if present.
fn strip_wrapper<'a>(body: &'a str, tag: &str) -> &'a str {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let Some(rest) = body.strip_prefix(open.as_str()) else {
        return body;
    };
    let rest = match rest.rfind(close.as_str()) {
        Some(i) => span::upto(rest, i),
        None => rest,
    };
    rest.trim()
}

/// Cleans a plain-text filing document: drops the SGML page and table markers
/// of old filings, rule lines, trailing spaces, and runs of more than one blank line.
fn clean_plain_text(body: &str) -> String {
    const MARKERS: &[&str] = &[
        "<PAGE>",
        "<TABLE>",
        "</TABLE>",
        "<CAPTION>",
        "</CAPTION>",
        "<S>",
        "<C>",
        "<FN>",
        "</FN>",
    ];
    let mut out = String::with_capacity(body.len());
    let mut blank_run = 0;
    for line in body.lines() {
        let mut line = line.trim_end().to_string();
        if line.contains('<') {
            for m in MARKERS {
                if line.contains(m) {
                    line = line.replace(m, &" ".repeat(m.len()));
                }
            }
        }
        let line: String = line.chars().filter_map(text::clean_char).collect();
        let line = line.trim_end();
        if line.trim().is_empty() || is_rule_line(line) {
            blank_run += 1;
            if blank_run > 1 || out.is_empty() {
                continue;
            }
            out.push('\n');
            continue;
        }
        blank_run = 0;
        out.push_str(line);
        out.push('\n');
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

/// True for typewriter rules ("-----", "=====", "- -----") that underline
/// headings in old text filings: they carry no words.
fn is_rule_line(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 3 && t.chars().all(|c| matches!(c, '-' | '=' | '_' | '*' | ' '))
}

/// Normalises an EDGAR full-submission file.
pub(super) fn normalize_edgar(raw: &str) -> Normalized {
    let header_text = header_block(raw);
    let header = parse_header(header_text);
    let docs = split_documents(raw);

    let mut parts: Vec<(Option<String>, String)> = Vec::new();
    let mut dei = html::DeiFacts::default();
    if docs.is_empty() {
        // Not a full submission after all: render whatever follows the header.
        let rest = raw
            .find("</SEC-HEADER>")
            .map_or(raw, |i| span::from(raw, i + "</SEC-HEADER>".len()));
        let rest = rest.trim();
        if html::looks_like_html(rest) {
            let r = html::render(rest, Some(Mode::Filing));
            dei = r.dei;
            parts.push((None, r.text));
        } else {
            parts.push((None, clean_plain_text(rest)));
        }
    } else {
        let form = header.form_type.as_deref().map(str::trim);
        let primary = form
            .and_then(|f| {
                docs.iter()
                    .position(|d| d.doc_type.trim().eq_ignore_ascii_case(f))
            })
            .unwrap_or(0);
        if let Some(doc) = docs.get(primary) {
            if doc.is_textual() {
                let (t, facts) = doc.render();
                dei = facts;
                parts.push((None, t));
            }
        }
        for (i, doc) in docs.iter().enumerate() {
            if i != primary && doc.is_press_exhibit() && doc.is_textual() {
                let (t, _) = doc.render();
                parts.push((Some(doc.exhibit_name()), t));
            }
        }
    }

    let mut text = String::new();
    let mut sections = Vec::new();
    let mut primary_range: Option<Range<usize>> = None;
    for (name, part) in parts {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let start = text.len();
        text.push_str(part);
        match name {
            Some(name) => sections.push(Section {
                name,
                start,
                end: text.len(),
            }),
            None => primary_range = Some(start..text.len()),
        }
    }
    if let Some(r) = primary_range {
        sections.extend(sections::filing_sections(
            &text,
            r,
            header.form_type.as_deref(),
        ));
    }

    let name = header
        .company
        .clone()
        .or_else(|| dei.registrant_name.clone());
    let filer = name.map(|name| Filer {
        name,
        cik: header.cik.or(dei.cik),
        form_type: header
            .form_type
            .clone()
            .or_else(|| dei.document_type.clone()),
        filed_on: header.filed_on,
    });
    let title = filer.as_ref().map(|f| match &f.form_type {
        Some(form) => format!("{} - Form {form}", f.name),
        None => f.name.clone(),
    });
    Normalized {
        text,
        format: Format::Edgar,
        title,
        published_at: header.filed_on,
        filer,
        sections,
    }
}

/// The SGML header: `<SEC-HEADER>`/`<IMS-HEADER>` content, else everything before the first document.
fn header_block(raw: &str) -> &str {
    for (open, close) in [
        ("<SEC-HEADER>", "</SEC-HEADER>"),
        ("<IMS-HEADER>", "</IMS-HEADER>"),
    ] {
        if let Some(i) = raw.find(open) {
            let rest = span::from(raw, i + open.len());
            let end = rest
                .find(close)
                .or_else(|| rest.find("<DOCUMENT>"))
                .unwrap_or(rest.len());
            return span::upto(rest, end);
        }
    }
    let end = raw.find("<DOCUMENT>").unwrap_or(raw.len());
    text::prefix(span::upto(raw, end), 65_536)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_fields_are_read_from_tabbed_lines() {
        let h = parse_header(
            "CONFORMED SUBMISSION TYPE:\t8-K\nFILED AS OF DATE:\t\t20241227\n\tCOMPANY DATA:\n\t\tCOMPANY CONFORMED NAME:\t\tAcme Corp\n\t\tCENTRAL INDEX KEY:\t\t\t0000012345\n\t\tCOMPANY CONFORMED NAME:\t\tOther\n",
        );
        assert_eq!(h.company.as_deref(), Some("Acme Corp"));
        assert_eq!(h.cik, Some(12345));
        assert_eq!(h.form_type.as_deref(), Some("8-K"));
        assert_eq!(h.filed_on, NaiveDate::from_ymd_opt(2024, 12, 27));
    }

    #[test]
    fn documents_split_even_without_closing_tags() {
        let raw = "<DOCUMENT>\n<TYPE>8-K\n<SEQUENCE>1\n<TEXT>\nmain\n</TEXT>\n</DOCUMENT>\n<DOCUMENT>\n<TYPE>EX-99.1\n<TEXT>\npress\n<DOCUMENT>\n<TYPE>GRAPHIC\n<FILENAME>a.jpg\n<TEXT>\nbegin 644 a.jpg\n";
        let docs = split_documents(raw);
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].doc_type, "8-K");
        assert_eq!(docs[0].sequence, Some("1"));
        assert_eq!(docs[0].body.trim(), "main");
        assert_eq!(docs[1].body.trim(), "press");
        assert!(docs[1].is_press_exhibit());
        assert!(!docs[2].is_textual());
        assert_eq!(docs[1].exhibit_name(), "exhibit 99.1");
    }

    #[test]
    fn plain_text_documents_lose_sgml_markers_and_extra_blank_lines() {
        let t =
            clean_plain_text("<PAGE>\n\n\n  Item 7.  Exhibits   \n  ---------------\n<TABLE>\n<S>   <C>\n  a    b\n- ----\n");
        assert_eq!(t, "  Item 7.  Exhibits\n\n  a    b");
    }
}
