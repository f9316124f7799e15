//! EDGAR full submissions and raw HTML filings: own fixture, then the shared sample files.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use riskline::extract::normalize::{normalize, Format, Normalized};

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/normalize")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The shared data directory, or `None` (after saying so) when this checkout has none.
fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared"));
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: ../shared not found");
        None
    }
}

fn shared_filing(dir: &Path, name: &str) -> Normalized {
    let bytes =
        std::fs::read(dir.join("data/edgar").join(name)).expect("shared filing is readable");
    normalize(&String::from_utf8_lossy(&bytes), Format::Auto)
}

fn section<'a>(doc: &'a Normalized, name: &str) -> Option<&'a str> {
    doc.sections
        .iter()
        .find(|s| s.name == name)
        .map(|s| &doc.text[s.start..s.end])
}

#[test]
fn a_submission_keeps_the_primary_document_and_press_release_only() {
    let doc = normalize(&fixture("submission_8k.txt"), Format::Auto);
    assert_eq!(doc.format, Format::Edgar);
    let t = &doc.text;
    assert!(
        t.starts_with("UNITED STATES\nSECURITIES AND EXCHANGE COMMISSION"),
        "{t}"
    );
    assert!(t.contains(
        "a group of shippers filed a putative class action against Northwind Freight Corp"
    ));
    assert!(t.contains("Northwind Freight Corp today said it will contest the lawsuit"));
    for dropped in [
        "HIDDEN XBRL CONTEXT",
        "0009999999",
        "begin 644",
        "M_]C",
        "SCHEMA TEXT",
        "CREDIT AGREEMENT",
        "<TYPE>",
        "ACCESSION",
        "<?xml",
    ] {
        assert!(!t.contains(dropped), "kept {dropped:?}");
    }
}

#[test]
fn the_sec_header_gives_filer_and_date() {
    let doc = normalize(&fixture("submission_8k.txt"), Format::Auto);
    let filer = doc.filer.expect("filer");
    assert_eq!(filer.name, "NORTHWIND FREIGHT CORP");
    assert_eq!(filer.cik, Some(9_999_999));
    assert_eq!(filer.form_type.as_deref(), Some("8-K"));
    assert_eq!(filer.filed_on, NaiveDate::from_ymd_opt(2024, 6, 11));
    assert_eq!(doc.published_at, NaiveDate::from_ymd_opt(2024, 6, 11));
}

#[test]
fn eight_k_items_and_exhibits_are_sections() {
    let doc = normalize(&fixture("submission_8k.txt"), Format::Edgar);
    let item = section(&doc, "8-K item 8.01").expect("item 8.01");
    assert!(item.starts_with("Item 8.01\tOther Events."), "{item:?}");
    assert!(item.ends_with("defend itself vigorously."), "{item:?}");
    let exhibits = section(&doc, "8-K item 9.01").expect("item 9.01");
    assert!(
        exhibits.ends_with("Press release dated June 10, 2024"),
        "{exhibits:?}"
    );
    let press = section(&doc, "exhibit 99.1").expect("exhibit");
    assert!(press.starts_with("Exhibit 99.1\n\nNorthwind Freight responds"));
    assert!(press.ends_with("filed by shippers last Friday."));
}

#[test]
fn edgar_format_on_a_bare_html_filing_still_renders_it() {
    let doc = normalize(&fixture("inline_xbrl_10q.html"), Format::Edgar);
    assert_eq!(doc.format, Format::Edgar);
    assert!(doc.text.contains("agreed to pay $3.5 million"));
    assert!(!doc.text.contains("HIDDEN REFERENCE TEXT"));
    assert_eq!(
        doc.filer.map(|f| f.name).as_deref(),
        Some("Northwind Freight Corp")
    );
}

#[test]
fn shared_sgml_submissions_parse() {
    let Some(dir) = shared_dir() else { return };

    let doc = shared_filing(&dir, "0000943374-24-000509.txt");
    assert_eq!(doc.format, Format::Edgar);
    let filer = doc.filer.clone().expect("filer");
    assert_eq!(filer.name, "1895 Bancorp of Wisconsin, Inc. /MD/");
    assert_eq!(filer.cik, Some(1_847_360));
    assert_eq!(filer.form_type.as_deref(), Some("8-K"));
    assert_eq!(doc.published_at, NaiveDate::from_ymd_opt(2024, 12, 27));
    let item = section(&doc, "8-K item 5.02").expect("item 5.02");
    assert!(item.contains("extended the terms of the employment agreements"));
    for junk in [
        "begin 644",
        "Financial_Report",
        "xbrli:",
        "DSPFiXBRLHidden",
        "<div",
    ] {
        assert!(!doc.text.contains(junk), "kept {junk:?}");
    }

    let doc = shared_filing(&dir, "0001213900-25-032135.txt");
    assert_eq!(doc.filer.as_ref().and_then(|f| f.cik), Some(1_173_313));
    let press = section(&doc, "exhibit 99.1").expect("press release exhibit");
    assert!(
        press.contains("ABVC BioPharma Announces 2024 Financial Results"),
        "{press:?}"
    );
    let item = section(&doc, "8-K item 4.02").expect("item 4.02");
    assert!(item.starts_with("Item 4.02 Non-Reliance on Previously Issued Financial Statements"));
    let reference = section(&doc, "8-K item 7.01").expect("item 7.01");
    assert!(
        reference.contains("is incorporated herein by reference"),
        "{reference:?}"
    );
    assert!(!doc.text.contains("begin 644"));
}

#[test]
fn the_1998_submission_with_a_pem_envelope_parses() {
    let Some(dir) = shared_dir() else { return };
    let doc = shared_filing(&dir, "0001011438-98-000429.txt");
    assert_eq!(doc.format, Format::Edgar);
    let filer = doc.filer.clone().expect("filer");
    assert_eq!(filer.name, "AAMES CAPITAL CORP");
    assert_eq!(filer.cik, Some(913_951));
    assert_eq!(doc.published_at, NaiveDate::from_ymd_opt(1998, 12, 31));
    assert!(doc.text.contains("AAMES CAPITAL CORPORATION"));
    assert!(!doc.text.contains("MIC-Info"));
    assert!(!doc.text.contains("<PAGE>"));
    let item = section(&doc, "8-K item 7").expect("pre-2004 item number");
    assert!(item.starts_with("Item 7. FINANCIAL STATEMENTS"));
}

#[test]
fn raw_html_filings_render_as_html() {
    let Some(dir) = shared_dir() else { return };
    let doc = shared_filing(&dir, "0001437749-16-028287.html");
    assert_eq!(doc.format, Format::Html);
    let item = section(&doc, "8-K item 2.02").expect("item 2.02");
    assert!(
        item.contains("Sophiris Bio Inc. issued a press release announcing its financial results")
    );

    let doc = shared_filing(&dir, "0000887919-21-000012.html");
    assert_eq!(doc.filer.as_ref().and_then(|f| f.cik), Some(887_919));
    assert!(section(&doc, "8-K item 8.01").is_some());
}

#[test]
fn the_exxon_10q_gives_its_legal_proceedings_and_contingencies_note() {
    let Some(dir) = shared_dir() else { return };
    let doc = shared_filing(&dir, "xom-10-q-2025-08-04.html");
    assert_eq!(doc.format, Format::Html);
    let filer = doc.filer.clone().expect("filer from dei facts");
    assert_eq!(filer.name, "Exxon Mobil Corporation");
    assert_eq!(filer.cik, Some(34_088));
    assert_eq!(filer.form_type.as_deref(), Some("10-Q"));
    let legal = section(&doc, "legal_proceedings").expect("legal proceedings");
    assert!(
        legal.starts_with(
            "ITEM 1. LEGAL PROCEEDINGS\n\nExxonMobil has elected to use a $1 million threshold"
        ),
        "{legal:?}"
    );
    assert!(legal.contains("assessing a $14.25 million penalty against ExxonMobil"));
    assert!(
        legal.ends_with("for further information on legal proceedings."),
        "{legal:?}"
    );
    let note = section(&doc, "notes_contingencies").expect("contingencies note");
    assert!(
        note.starts_with("Note 3. Litigation and Other Contingencies"),
        "{note:?}"
    );
    // The hidden inline-XBRL header (contexts, units) is gone.
    assert!(!doc.text.contains("xbrli:"));
    assert!(!doc.text.contains("iso4217:USD"));
}
