//! HTML normalisation: own fixtures, then the real news pages of the shared data set.

use std::path::PathBuf;

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

fn shared_page(dir: &std::path::Path, name: &str) -> String {
    let bytes = std::fs::read(dir.join("data/html").join(name)).expect("shared page is readable");
    String::from_utf8_lossy(&bytes).into_owned()
}

fn section<'a>(doc: &'a Normalized, name: &str) -> Option<&'a str> {
    doc.sections
        .iter()
        .find(|s| s.name == name)
        .map(|s| &doc.text[s.start..s.end])
}

#[test]
fn the_article_is_kept_and_page_chrome_is_dropped() {
    let doc = normalize(&fixture("news_article.html"), Format::Auto);
    assert_eq!(doc.format, Format::Html);
    let t = &doc.text;
    for kept in [
        "Harborline Air on Tuesday grounded all 42 of its regional turboprops after the aviation regulator ordered immediate inspections",
        "rebooked on partner carriers at no charge.",
        "Shares of the company fell 6% in early trading. Analysts said the grounding could last two weeks",
        "\u{201c}Safety comes first,\u{201d} chief executive Lena Ortiz told reporters at the company\u{2019}s hangar in Portland.",
    ] {
        assert!(t.contains(kept), "missing {kept:?} in {t}");
    }
    for dropped in [
        "SCRIPT TEXT",
        "STYLE TEXT",
        "trackPage",
        "We use cookies",
        "Accept all",
        "Markets",
        "Technology",
        "Subscribe to our weekly news digest",
        "Join now",
        "Invalid Email Address",
        "Thanks for Subscribing",
        "HIDDEN ARIA TEXT",
        "NOSCRIPT TEXT",
        "TEMPLATE TEXT",
        "SVG TEXT",
        "Share on social",
        "Read more",
        "reader comment",
        "Related stories",
        "Regulator widens engine probe",
        "All rights reserved",
        "Privacy Policy",
        "Dana Whitfield",
    ] {
        assert!(!t.contains(dropped), "kept {dropped:?} in {t}");
    }
}

#[test]
fn paragraphs_are_separated_by_blank_lines_and_spaces_collapse() {
    let doc = normalize(&fixture("news_article.html"), Format::Html);
    assert!(doc.text.contains("at no charge.\n\nShares of the company"));
    assert!(!doc.text.contains("  "), "double space in {:?}", doc.text);
    assert!(!doc.text.contains('\u{a0}'));
}

#[test]
fn title_and_date_come_from_the_page_metadata() {
    let doc = normalize(&fixture("news_article.html"), Format::Auto);
    assert_eq!(
        doc.title.as_deref(),
        Some("Harborline Air grounds its regional fleet after inspection order")
    );
    // article:published_time wins over the JSON-LD date.
    assert_eq!(
        doc.published_at,
        chrono::NaiveDate::from_ymd_opt(2024, 3, 5)
    );
    assert_eq!(
        section(&doc, "headline"),
        Some("Harborline Air grounds its regional fleet after inspection order")
    );
    let body = section(&doc, "body").expect("body section");
    assert!(body.starts_with("Harborline Air on Tuesday"));
    assert!(doc.text.starts_with("Harborline Air grounds"));
    assert_eq!(doc.text.matches("grounds its regional fleet").count(), 1);
}

#[test]
fn without_article_markup_the_densest_paragraph_cluster_wins() {
    let doc = normalize(&fixture("news_div_soup.html"), Format::Auto);
    let t = &doc.text;
    assert!(
        t.contains("Brightwater Foods is recalling 12,000 jars"),
        "{t}"
    );
    assert!(t.contains("return it to the store for a full refund."));
    // The paragraph in the sibling container belongs to the same article.
    assert!(
        t.contains("paused production on one line at its plant in Macon"),
        "{t}"
    );
    for dropped in [
        "Ten snacks",
        "grocery prices",
        "Reader one",
        "Reader two",
        "newsletter",
        "Copyright",
        "Home",
    ] {
        assert!(!t.contains(dropped), "kept {dropped:?} in {t}");
    }
    assert_eq!(
        doc.title.as_deref(),
        Some("Brightwater Foods recalls peanut butter")
    );
    assert_eq!(
        doc.published_at,
        chrono::NaiveDate::from_ymd_opt(2023, 8, 17)
    );
}

#[test]
fn inline_xbrl_filings_keep_every_paragraph_and_read_the_filer() {
    let doc = normalize(&fixture("inline_xbrl_10q.html"), Format::Auto);
    assert_eq!(doc.format, Format::Html);
    assert!(!doc.text.contains("HIDDEN REFERENCE TEXT"));
    assert!(doc.text.contains("FORM 10-Q"));
    let filer = doc.filer.as_ref().expect("filer from dei facts");
    assert_eq!(filer.name, "Northwind Freight Corp");
    assert_eq!(filer.cik, Some(9_999_999));
    assert_eq!(filer.form_type.as_deref(), Some("10-Q"));
    let legal = section(&doc, "legal_proceedings").expect("legal proceedings");
    assert!(
        legal.starts_with("Item 1. Legal Proceedings\n\nOn May 2, 2024"),
        "{legal:?}"
    );
    assert!(
        legal.ends_with("on June 20, 2024."),
        "page residue kept: {legal:?}"
    );
    let risk = section(&doc, "risk_factors").expect("risk factors");
    assert!(risk.contains("no material changes"));
}

#[test]
fn real_news_pages_keep_their_article_text() {
    let Some(dir) = shared_dir() else { return };
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "247wallst.com1.html",
            &["The DJIA stock posting the largest daily gain ahead of the close Monday was The Home Depot Inc. (NYSE: HD)"],
            &["googletag", "function("],
        ),
        (
            "bloomberg.com1.html",
            &["Kevin Yearout has added about 80 jobs to his Albuquerque, New Mexico, contracting company"],
            &["function(", "{\""],
        ),
        (
            "businessweek.com1.html",
            &["Matiullah Matie asks as he steers his white Toyota Corolla"],
            &["function("],
        ),
        (
            "foxbusiness.com1.html",
            &["No matter how much traffic your site gets, what really matters is conversions."],
            &["function("],
        ),
        (
            "foxbusiness.com2.html",
            &["If a Scrooge client is scaring the dickens out of you"],
            &["function("],
        ),
        (
            "businessinsider.com2.html",
            &["Morningstar's Karin Anderson suggests that Russia's problems reflect the larger risks"],
            &["function("],
        ),
        (
            "cnn_001.html",
            &[
                "Justice Samuel Alito is the tip of the spear for conservatives challenging the Biden administration",
                "Prelogar, it turned out, won that vote, too.",
            ],
            &["function(", "window.", "Sign in", "@font-face", "Source: CNN"],
        ),
    ];
    for (name, kept, dropped) in cases {
        let doc = normalize(&shared_page(&dir, name), Format::Auto);
        assert_eq!(doc.format, Format::Html, "{name}");
        for k in *kept {
            assert!(doc.text.contains(k), "{name}: missing {k:?}");
        }
        for d in *dropped {
            assert!(!doc.text.contains(d), "{name}: kept {d:?}");
        }
        assert!(doc.title.is_some(), "{name}: no title");
        assert!(doc.published_at.is_some(), "{name}: no date");
        // The article, not the whole page: far smaller than the markup.
        assert!(doc.text.len() * 3 < shared_page(&dir, name).len(), "{name}");
    }
}

#[test]
fn the_cnn_page_has_its_headline_and_date() {
    let Some(dir) = shared_dir() else { return };
    let doc = normalize(&shared_page(&dir, "cnn_001.html"), Format::Auto);
    let title = doc.title.expect("title");
    assert!(title.contains("nonstop sparring match"), "{title}");
    assert!(!title.contains("| CNN"), "{title}");
    assert_eq!(
        doc.published_at,
        chrono::NaiveDate::from_ymd_opt(2023, 11, 6)
    );
}

#[test]
fn news_about_a_filing_is_still_treated_as_a_news_page() {
    let raw = r#"<html><head><title>Acme discloses probe</title></head><body>
        <nav><a href="/">Home</a><a href="/markets">Markets</a></nav>
        <div class="story"><p>Acme Corp said in its Form 10-K filed with the Securities and Exchange Commission on Friday that the Justice Department had opened an investigation into its billing.</p>
        <p>The company said it was cooperating with investigators and could not predict the outcome of the inquiry.</p></div>
        <div class="newsletter">Sign up for our newsletter</div></body></html>"#;
    let doc = normalize(raw, Format::Auto);
    assert!(doc
        .text
        .contains("the Justice Department had opened an investigation"));
    assert!(!doc.text.contains("Markets"), "{}", doc.text);
    assert!(!doc.text.contains("newsletter"), "{}", doc.text);
    assert_eq!(section(&doc, "headline"), Some("Acme discloses probe"));
}
