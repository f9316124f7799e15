//! Plain-text normalisation and the `Format` type.

use std::path::PathBuf;

use riskline::extract::normalize::{normalize, Format, Normalized};

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/normalize")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn section<'a>(doc: &'a Normalized, name: &str) -> Option<&'a str> {
    doc.sections
        .iter()
        .find(|s| s.name == name)
        .map(|s| &doc.text[s.start..s.end])
}

#[test]
fn plain_text_is_kept_byte_for_byte() {
    let raw = "  Acme Corp sues Widget Inc over patents\r\n\r\nAcme said on Monday\u{a0}it had filed suit.\t\n\n";
    let doc = normalize(raw, Format::Auto);
    assert_eq!(doc.format, Format::Text);
    assert_eq!(doc.text, raw);
    assert_eq!(
        doc.title.as_deref(),
        Some("Acme Corp sues Widget Inc over patents")
    );
    assert_eq!(
        section(&doc, "headline"),
        Some("Acme Corp sues Widget Inc over patents")
    );
    assert_eq!(
        section(&doc, "body"),
        Some("Acme said on Monday\u{a0}it had filed suit.")
    );
}

#[test]
fn a_first_line_that_is_a_sentence_is_not_a_title() {
    let doc = normalize(
        "Acme said on Monday it had filed suit.\nMore text.",
        Format::Text,
    );
    assert_eq!(doc.title, None);
    assert!(section(&doc, "headline").is_none());
    assert_eq!(section(&doc, "body"), Some(doc.text.as_str()));
}

#[test]
fn filing_text_gets_its_sections_and_skips_the_table_of_contents() {
    let doc = normalize(&fixture("annual_report_excerpt.txt"), Format::Auto);
    assert_eq!(doc.format, Format::Text);
    let legal = section(&doc, "legal_proceedings").expect("legal proceedings");
    assert!(
        legal.starts_with("Item 3. Legal Proceedings\n\nIn March 2023"),
        "{legal:?}"
    );
    assert!(legal.ends_with("see Note 12."), "{legal:?}");
    let risk = section(&doc, "risk_factors").expect("risk factors");
    assert!(risk.starts_with("Item 1A. Risk Factors\n\nOur business"));
    assert!(risk.ends_with("customers and regulators."));
    let note = section(&doc, "notes_contingencies").expect("contingencies note");
    assert!(
        note.starts_with("Note 12. Commitments and Contingencies"),
        "{note:?}"
    );
    assert!(note.ends_with("no amount for this matter."), "{note:?}");
}

#[test]
fn a_filing_excerpt_starting_at_its_heading_is_a_section() {
    let raw = "ITEM 1. LEGAL PROCEEDINGS\n\nOn June 3, the Company was sued by a former supplier in state court.";
    let doc = normalize(raw, Format::Text);
    assert_eq!(section(&doc, "legal_proceedings"), Some(raw));
}

#[test]
fn formats_parse_print_and_reject_unknown_names() {
    for (name, f) in [
        ("auto", Format::Auto),
        ("text", Format::Text),
        ("html", Format::Html),
        ("edgar", Format::Edgar),
    ] {
        assert_eq!(name.parse::<Format>(), Ok(f));
        assert_eq!(f.as_str(), name);
        assert_eq!(
            serde_json::to_string(&f).expect("serialises"),
            format!("\"{name}\"")
        );
        assert_eq!(
            serde_json::from_str::<Format>(&format!("\"{name}\"")).expect("deserialises"),
            f
        );
    }
    assert_eq!("HTML".parse::<Format>(), Ok(Format::Html));
    assert_eq!(Format::default(), Format::Auto);
    let err = "pdf"
        .parse::<Format>()
        .expect_err("pdf is not a format")
        .to_string();
    assert!(err.contains("\"pdf\""), "{err}");
    for allowed in ["auto", "text", "html", "edgar"] {
        assert!(err.contains(allowed), "{err}");
    }
}

#[test]
fn detection_recognises_each_format() {
    assert_eq!(
        Format::detect("<!DOCTYPE html>\n<html><body>x</body></html>"),
        Format::Html
    );
    assert_eq!(Format::detect("\u{feff}  <html lang=en>"), Format::Html);
    assert_eq!(
        Format::detect("<div><p>One</p><p>Two</p><br><span>3</span></div>"),
        Format::Html
    );
    assert_eq!(
        Format::detect("<SEC-DOCUMENT>0001.txt : 19990101\n<SEC-HEADER>"),
        Format::Edgar
    );
    assert_eq!(
        Format::detect("-----BEGIN PRIVACY-ENHANCED MESSAGE-----\nProc-Type: 2001,MIC-CLEAR\n"),
        Format::Edgar
    );
    assert_eq!(
        Format::detect("junk\n<DOCUMENT>\n<TYPE>8-K\n<TEXT>\nhello"),
        Format::Edgar
    );
    assert_eq!(
        Format::detect("Revenue rose 5% (a < b) and costs > 3"),
        Format::Text
    );
    assert_eq!(Format::detect(""), Format::Text);
    assert_eq!(Format::detect("The <b> tag is bold."), Format::Text);
    assert_eq!(
        Format::detect("<p>Acme halts <b>all</b> flights</p>"),
        Format::Html
    );
}

#[test]
fn normalized_documents_serialise_to_json() {
    let doc = normalize(
        "Acme recalls heaters\n\nAcme recalled 10,000 heaters.",
        Format::Auto,
    );
    let v = serde_json::to_value(&doc).expect("serialises");
    assert_eq!(v["format"], "text");
    assert_eq!(v["title"], "Acme recalls heaters");
    assert_eq!(v["sections"][0]["name"], "headline");
}
