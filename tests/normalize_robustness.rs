//! `normalize` never panics, and every section it returns is a valid range of its text.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use riskline::extract::normalize::{normalize, Format, Normalized};

const FORMATS: [Format; 4] = [Format::Auto, Format::Text, Format::Html, Format::Edgar];

fn assert_valid(doc: &Normalized, input: &str) {
    assert_ne!(
        doc.format,
        Format::Auto,
        "format left unresolved for {input:?}"
    );
    for s in &doc.sections {
        assert!(
            s.start <= s.end && s.end <= doc.text.len(),
            "{s:?} outside text of {input:?}"
        );
        assert!(
            doc.text.is_char_boundary(s.start),
            "{s:?} start off a char boundary in {input:?}"
        );
        assert!(
            doc.text.is_char_boundary(s.end),
            "{s:?} end off a char boundary in {input:?}"
        );
    }
}

fn check_all_formats(input: &str) {
    for f in FORMATS {
        let doc = normalize(input, f);
        assert_valid(&doc, input);
        if f == Format::Text {
            assert_eq!(doc.text, input);
        }
    }
}

#[test]
fn odd_inputs_do_not_panic() {
    let cases = [
        "", " ", "\n\n\n", "\0\0\0", "\u{feff}", "<", ">", "<<<>>>", "</", "<!", "<!--", "<!-- x", "<?xml",
        "<html", "<html><body", "<script>", "<script>var a = '</scr' + 'ipt>';", "<style>p{}", "<p", "<p>unclosed",
        "</p></div></body></html>", "<div hidden", "<a href='x", "&", "&#", "&#x;", "&#99999999999;", "&#xD800;",
        "&amp", "<DOCUMENT>", "<DOCUMENT><TYPE>", "<DOCUMENT>\n<TYPE>8-K\n<TEXT>", "</TEXT></DOCUMENT>",
        "<SEC-HEADER>", "<SEC-HEADER>\nFILED AS OF DATE: 99999999\nCENTRAL INDEX KEY: 99999999999999999999999",
        "-----BEGIN PRIVACY-ENHANCED MESSAGE-----", "<SEC-DOCUMENT>\n<DOCUMENT>\n<TYPE>EX-99\n<TEXT>\nbegin 644 x\n",
        "Item", "Item 3.", "Item 3. Legal Proceedings", "ITEM 1A.\n", "Item 8.01\n\nSIGNATURES", "Note 1. Litigation\n",
        "Item 3. Legal Proceedings é\u{301}\n\n\u{1f600} sued \u{1f600}\n\nItem 4. Mine", "PART II\nPART IV\nPART I",
        "<table><tr><td>Item 3.</td><td>Legal Proceedings</td></tr></table><p>\u{1f600}\u{1f600}</p>",
        "<svg><foreignObject><p>x</p></foreignObject></svg>", "<math><mi>x</mi></math>", "<template><p>x",
        "<ix:header><ix:nonNumeric name=\"dei:EntityCentralIndexKey\">abc</ix:nonNumeric>",
        "<meta property=\"article:published_time\" content=\"2024-13-45\"><p>x</p><p>y</p><p>z</p><br><b>w</b>",
        "<frameset><frame src=x></frameset>", "<plaintext><p>not a tag", "<pre>\n\n  a\n\tb\n</pre>",
        "\u{fffd}\u{fffd}<\u{fffd}>\u{fffd}", "\r\r\r\n\r", "Title\u{2028}line",
    ];
    for c in cases {
        check_all_formats(c);
    }
}

#[test]
fn binary_junk_does_not_panic() {
    let mut rng = StdRng::seed_from_u64(7);
    for len in [1usize, 7, 100, 4_000] {
        for _ in 0..20 {
            let bytes: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
            check_all_formats(&String::from_utf8_lossy(&bytes));
        }
    }
}

/// Fragments that exercise every branch: markup, entities, EDGAR markers,
/// filing headings, multi-byte characters next to them, and line breaks.
const FRAGMENTS: &[&str] = &[
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<br>",
    "<table>",
    "<tr>",
    "<td>",
    "</td>",
    "<li>",
    "<h1>",
    "</h1>",
    "<title>",
    "</title>",
    "<script>",
    "</script>",
    "<style>",
    "<!--",
    "-->",
    "<article>",
    "</article>",
    "<nav>",
    "<div class=\"cookie\">",
    "<div hidden>",
    "<span style=\"display:none\">",
    "</span>",
    "<a href=x>",
    "</a>",
    "<ix:header>",
    "</ix:header>",
    "<pre>",
    "</pre>",
    "<meta property=\"og:title\" content=\"T\">",
    "<time datetime=\"2024-02-30\">",
    "&amp;",
    "&nbsp;",
    "&#x1F600;",
    "&#0;",
    "&",
    "<",
    ">",
    "<DOCUMENT>",
    "</DOCUMENT>",
    "<TYPE>8-K",
    "<TYPE>EX-99.1",
    "<TEXT>",
    "</TEXT>",
    "<SEC-HEADER>",
    "</SEC-HEADER>",
    "FILED AS OF DATE:\t20240101",
    "COMPANY CONFORMED NAME:\tAcme",
    "CONFORMED SUBMISSION TYPE:\t8-K",
    "begin 644 x.jpg",
    "Item 3. Legal Proceedings",
    "ITEM 1A. RISK FACTORS",
    "Item 8.01 Other Events",
    "Item 2.02 of this",
    "PART II",
    "SIGNATURES",
    "Note 4. Commitments and Contingencies",
    "Litigation",
    "Table of Contents",
    "12",
    "The company was sued in federal court over its products and services.",
    "é",
    "\u{301}",
    "\u{1f600}",
    "\u{a0}",
    "\u{200b}",
    "\u{feff}",
    "中文",
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\r\n",
    ".",
    ":",
    "-",
    "\u{2014}",
];

#[test]
fn random_documents_give_valid_sections_in_every_format() {
    let mut rng = StdRng::seed_from_u64(20_240_611);
    for _ in 0..400 {
        let n = rng.gen_range(0..120);
        let doc: String = (0..n)
            .map(|_| FRAGMENTS[rng.gen_range(0..FRAGMENTS.len())])
            .collect();
        check_all_formats(&doc);
    }
}

#[test]
fn pathological_nesting_and_huge_inputs_finish() {
    let cases = [
        "<div>".repeat(100_000) + "deep text",
        "<b>".repeat(20_000) + "bold text",
        (0..5_000)
            .map(|i| format!("<font id={i}>x"))
            .collect::<String>(),
        "<table><tr><td>".repeat(5_000),
        "<a href=x>link ".repeat(20_000),
        "<p>paragraph text ".repeat(50_000),
        "Item 1.01 Entry\n".repeat(20_000),
        "Litigation\n".repeat(50_000),
        "<DOCUMENT>\n<TYPE>EX-99.1\n<TEXT>\nshort\n".repeat(5_000),
        "<".repeat(200_000),
        "&#".repeat(200_000),
    ];
    for c in &cases {
        check_all_formats(c);
    }
    let deep = normalize(&cases[0], Format::Html);
    assert_eq!(deep.text, "deep text");
}
