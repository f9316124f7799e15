//! Document normalisation: raw document + format -> clean text, sections and metadata.
//!
//! This is the first stage of the extraction pipeline. Every later stage works
//! on byte spans of [`Normalized::text`], so the rules below decide what the
//! extractor can ever see.
//!
//! # Formats
//!
//! [`Format::detect`] resolves [`Format::Auto`]:
//!
//! - **EDGAR** full-submission files: an `<SEC-DOCUMENT>`, `<SEC-HEADER>` or
//!   `<IMS-HEADER>` block, a `-----BEGIN PRIVACY-ENHANCED MESSAGE-----` envelope,
//!   or a `<DOCUMENT>` followed by a `<TYPE>` line.
//! - **HTML**: a doctype, an `<html>` or `<body>` tag near the start, or several
//!   common HTML tags.
//! - **Text**: anything else.
//!
//! # Plain text
//!
//! The text is returned byte for byte, so offsets map onto the original. The
//! first non-empty line becomes the title when it reads like a headline (short,
//! not ending in a full stop); the sections are `headline` and `body`, plus the
//! filing sections described below when the text contains filing headings.
//!
//! # HTML
//!
//! Only text a reader would see is kept. Dropped, with their whole subtree:
//!
//! - non-content elements: `head`, `script`, `style`, `noscript`, `template`,
//!   `svg`, `math`, `canvas`, `iframe`, `object`, media and form controls;
//! - page chrome: `nav`, `header`, `footer`, `aside`, `form`, `dialog`, and
//!   elements whose ARIA role is navigation, banner, contentinfo, complementary,
//!   search or dialog;
//! - hidden elements (`hidden` attribute, `display:none` or `visibility:hidden`
//!   inline style, `aria-hidden="true"`) and the inline-XBRL `ix:header`, which
//!   holds machine-readable facts that are not part of the filing's prose.
//!
//! Block elements end a paragraph (paragraphs are separated by a blank line),
//! `<br>` and table rows end a line, table cells are separated by a tab, and runs
//! of white space inside text collapse to one space (except inside `<pre>`).
//! Inside a table cell a block only ends a line: filings lay out a heading and
//! its title in neighbouring cells ("Item 5.02." | "Departure of Directors").
//! Entities are decoded by the HTML parser; non-breaking and other Unicode
//! spaces become plain spaces and zero-width characters are removed, so that
//! later patterns such as `Item 3.` match however the page spelled its spaces.
//!
//! News pages (anything that is not a filing) get more steps, because a news
//! page's furniture is full of other stories' headlines ("X sued over Y", "X
//! halts Z") that would read as events:
//!
//! 1. **Article selection.** The rendered subtree is the element marked
//!    `itemprop="articleBody"`, else the `<article>` holding most text, else the
//!    element around the densest cluster of paragraph text (each paragraph adds
//!    its non-link text to its parent and half of it to its grandparent; text
//!    written straight into a `div` or table cell between `<br>`s votes the
//!    same way; the best-scoring element wins, together with sibling containers
//!    that score at least a fifth as much, since some sites split one story over
//!    several boxes), else the whole body. Furniture (below) does not vote. The
//!    title is prepended as the first paragraph, because headlines often state
//!    the event itself.
//! 2. **Furniture removal**, inside the chosen subtree too, for elements that
//!    hold less than half of the article's text:
//!    - elements whose class or id names a known kind of page furniture
//!      (cookie and consent banners, newsletter and subscription boxes, share
//!      bars, related, recommended, trending, most-read, more-from, read-next,
//!      recirculation and teaser rails, promotions, sponsored and Outbrain or
//!      Taboola style widgets, comments, bylines, embedded video players);
//!    - **teaser lists**, whatever they are called: an element with at least
//!      three items (children with text), three in four of them linking
//!      somewhere and either a short line that does not end like a sentence or
//!      mostly link text, together holding four fifths of its text. Menus,
//!      "most read" rails and related-link lists are built this way; story
//!      paragraphs end in full stops and carry few links;
//!    - **teaser cards** standing alone (a `div`, `li`, `section`, `aside`,
//!      `figure` or `article` of at most a few lines whose text opens with a
//!      link that makes up a quarter of it or more), as sites put between a
//!      story's paragraphs.
//! 3. **Paragraph filter.** Paragraphs that are mostly link text or read like
//!    furniture ("Sign up for our newsletter", "Read more", copyright lines),
//!    furniture headings standing alone ("You may also like", "Top stories",
//!    "Advertisement") and bylines ("By" and names, no sentence) are dropped.
//!    Two `<br>`s in a row end a paragraph.
//! 4. **JSON-LD body.** When the page's JSON-LD carries an `articleBody` and
//!    the visible story holds less than three fifths of its text (a paywall or
//!    a script-rendered page shows only the lead), the story is taken from the
//!    `articleBody` (blank lines separate paragraphs; markup in it is stripped).
//!
//! Filings rendered as HTML (inline XBRL, or pages whose opening text has the
//! Commission's name, its Washington 20549 address and a form name, and that
//! carry no Open Graph, `article:` or Twitter card metadata, which only web
//! pages have) skip these steps: every visible paragraph of a filing can
//! matter.
//!
//! Metadata: the title comes from `og:title`, else `<title>`, else the first
//! `<h1>` (a trailing " | Site name" is cut when an `<h1>` or the remaining text
//! shows it is not part of the headline); the publication date from
//! `article:published_time`, JSON-LD `datePublished`, `itemprop=datePublished`,
//! `<time datetime>` or a `pubdate`/`date` meta tag. For inline-XBRL filings
//! the filer comes from the `dei:EntityRegistrantName`,
//! `dei:EntityCentralIndexKey` and `dei:DocumentType` facts.
//!
//! Documents nested so deeply that building the HTML tree would cost more than
//! linear time (hundreds of open elements, or dozens of open formatting
//! elements such as `<font>`) are rendered by a tag-stripping pass instead: it
//! drops comments, `head`, scripts, styles and other raw-text elements, turns
//! block tags into breaks and decodes entities, and takes the title from
//! `<title>`, but cannot see hidden elements or select an article.
//!
//! # EDGAR full submissions
//!
//! The `<SEC-HEADER>` gives the filer (company conformed name, central index
//! key, conformed submission type, filed-as-of date, which is also
//! `published_at`). The submission is split into its `<DOCUMENT>`s; kept are
//! the primary document (the one whose `<TYPE>` equals the submission type,
//! else the first) and press-release exhibits (`EX-99`, `EX-99.x`), in that
//! order, separated by blank lines. Graphics, uuencoded attachments, PDF, ZIP,
//! spreadsheets, XBRL schemas and linkbases, XML and JSON are dropped: they
//! carry no prose. HTML inside `<TEXT>` is rendered as above (as a filing);
//! plain-text documents lose their SGML page and table markers (`<PAGE>`,
//! `<S>`, `<C>` ...), typewriter rule lines and trailing spaces.
//!
//! # Sections
//!
//! See [`sections`]: `headline` and `body` for articles and plain text;
//! `legal_proceedings`, `risk_factors`, `notes_contingencies`, `8-K item N.NN`
//! and `exhibit 99.N` for filings. Every section is a byte range of
//! [`Normalized::text`] that starts and ends on a char boundary.
//!
//! # Example
//!
//! ```
//! use riskline::extract::normalize::{normalize, Format};
//!
//! let doc = normalize("<p>Acme halts <b>all</b> flights</p><script>x()</script>", Format::Auto);
//! assert_eq!(doc.format, Format::Html);
//! assert!(doc.text.contains("Acme halts all flights"));
//! assert!(!doc.text.contains("x()"));
//! ```

mod edgar;
mod html;
pub mod sections;
mod text;

use std::fmt;
use std::str::FromStr;

/// The format of a raw document.
///
/// `Auto` asks [`normalize`] to decide with [`Format::detect`]; a
/// [`Normalized`] always carries the resolved format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Detect the format from the content.
    #[default]
    Auto,
    /// Plain text, kept byte for byte.
    Text,
    /// An HTML page or an HTML filing document.
    Html,
    /// An SEC EDGAR full-submission text file.
    Edgar,
}

/// The error of [`Format::from_str`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFormatError {
    value: String,
}

impl fmt::Display for ParseFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown document format {:?}: expected one of auto, text, html, edgar",
            self.value
        )
    }
}

impl std::error::Error for ParseFormatError {}

impl FromStr for Format {
    type Err = ParseFormatError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Format::Auto),
            "text" => Ok(Format::Text),
            "html" => Ok(Format::Html),
            "edgar" => Ok(Format::Edgar),
            _ => Err(ParseFormatError {
                value: s.to_string(),
            }),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Format {
    /// The lowercase name of the format, as accepted by [`Format::from_str`].
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Text => "text",
            Format::Html => "html",
            Format::Edgar => "edgar",
        }
    }

    /// Detects the format of a raw document: `Edgar`, `Html` or `Text`, never `Auto`.
    ///
    /// Looks only at markers (see the module documentation), so it runs in time
    /// linear in the input and mostly inspects the first few kilobytes.
    ///
    /// ```
    /// use riskline::extract::normalize::Format;
    /// assert_eq!(Format::detect("<!DOCTYPE html><p>hi</p>"), Format::Html);
    /// assert_eq!(Format::detect("<SEC-DOCUMENT>0001.txt : 20240101\n"), Format::Edgar);
    /// assert_eq!(Format::detect("Acme sued by rival"), Format::Text);
    /// ```
    pub fn detect(raw: &str) -> Format {
        if edgar::looks_like_edgar(raw) {
            Format::Edgar
        } else if html::looks_like_html(raw) {
            Format::Html
        } else {
            Format::Text
        }
    }
}

/// The filer of an SEC filing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Filer {
    /// The company's conformed (or registrant) name.
    pub name: String,
    /// The central index key.
    pub cik: Option<i64>,
    /// The form, e.g. `8-K`, `10-Q`.
    pub form_type: Option<String>,
    /// The date the filing was filed.
    pub filed_on: Option<chrono::NaiveDate>,
}

/// A named part of a normalised document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Section {
    /// e.g. `headline`, `body`, `legal_proceedings`, `8-K item 8.01`, `exhibit 99.1`.
    pub name: String,
    /// Byte offset of the first byte in [`Normalized::text`], on a char boundary.
    pub start: usize,
    /// Byte offset one past the last byte, on a char boundary; `start <= end <= text.len()`.
    pub end: usize,
}

/// A normalised document: the text later stages annotate, plus metadata.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Normalized {
    /// The clean text; all offsets of the pipeline refer to it.
    pub text: String,
    /// The resolved format (never [`Format::Auto`]).
    pub format: Format,
    /// The headline or title, when the document has one.
    pub title: Option<String>,
    /// The publication (or filing) date, when the document states it.
    pub published_at: Option<chrono::NaiveDate>,
    /// The filer, for SEC filings.
    pub filer: Option<Filer>,
    /// Named byte ranges of `text`, in no particular order.
    pub sections: Vec<Section>,
}

/// Normalises a raw document into clean text, sections and metadata.
///
/// Never panics and runs in time linear in the input; see the module
/// documentation for what is kept and dropped for each format.
///
/// ```
/// use riskline::extract::normalize::{normalize, Format};
/// let doc = normalize("Acme recalls 10,000 heaters\n\nAcme said on Monday ...", Format::Text);
/// assert_eq!(doc.title.as_deref(), Some("Acme recalls 10,000 heaters"));
/// assert!(doc.sections.iter().any(|s| s.name == "headline"));
/// ```
pub fn normalize(raw: &str, format: Format) -> Normalized {
    let format = match format {
        Format::Auto => Format::detect(raw),
        other => other,
    };
    let mut doc = match format {
        Format::Edgar => edgar::normalize_edgar(raw),
        Format::Html => html::normalize_html(raw),
        Format::Text | Format::Auto => text::normalize_text(raw),
    };
    doc.format = format;
    sections::sanitize(&doc.text, &mut doc.sections);
    doc
}

/// What a filing's address says of its filer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilerHint {
    /// The central index key of an EDGAR archive path (`/Archives/edgar/data/320193/...`).
    Cik(i64),
    /// The ticker that starts an EDGAR primary document's file name (`aapl-20240928.htm`,
    /// `ba-10-q-2025-07-29.html`), lower case as written.
    Ticker(String),
}

/// Reads the filer of a filing from where it came from: an EDGAR archive path names
/// the filer's CIK, and EDGAR names a filing's primary document after the filer's
/// ticker followed by the period date or the form (`msft-20240630.htm`,
/// `ko-10-q-2025-07-24.html`). Anything else gives nothing.
///
/// ```
/// use riskline::extract::normalize::{filer_hint, FilerHint};
/// assert_eq!(filer_hint("https://www.sec.gov/Archives/edgar/data/320193/x/a.htm"), Some(FilerHint::Cik(320193)));
/// assert_eq!(filer_hint("files/acme-20240630.htm"), Some(FilerHint::Ticker("acme".into())));
/// assert_eq!(filer_hint("https://news.example/acme-wins-award.html"), None);
/// ```
pub fn filer_hint(address: &str) -> Option<FilerHint> {
    let address = address.split_whitespace().next().unwrap_or("");
    let lower = address.to_ascii_lowercase();
    if let Some((_, rest)) = lower.split_once("/edgar/data/") {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Some(cik) = digits.parse::<i64>().ok().filter(|c| *c > 0) {
            return Some(FilerHint::Cik(cik));
        }
    }
    let path = lower.split(['?', '#']).next().unwrap_or("");
    let file = path.rsplit(['/', ':']).next().unwrap_or("");
    let (ticker, rest) = file.split_once('-')?;
    let ticker_ok =
        (1..=6).contains(&ticker.len()) && ticker.chars().all(|c| c.is_ascii_lowercase());
    let period = rest.len() >= 8 && rest.chars().take(8).all(|c| c.is_ascii_digit());
    const FORMS: [&str; 14] = [
        "10-k", "10-q", "8-k", "20-f", "40-f", "6-k", "10k", "10q", "8k", "20f", "40f", "6k",
        "def14a", "s-1",
    ];
    let form = FORMS.iter().any(|f| {
        rest.strip_prefix(f)
            .is_some_and(|after| after.is_empty() || after.starts_with(['-', '_', '.']))
    });
    (ticker_ok && (period || form)).then(|| FilerHint::Ticker(ticker.to_string()))
}

#[cfg(test)]
mod filer_hint_tests {
    use super::{filer_hint, FilerHint};

    #[test]
    fn edgar_archive_paths_name_the_cik() {
        assert_eq!(
            filer_hint("https://www.sec.gov/Archives/edgar/data/0000789019/000095017024087843/msft-20240630.htm"),
            Some(FilerHint::Cik(789019))
        );
    }

    #[test]
    fn primary_document_names_start_with_the_ticker() {
        let t = |s: &str| Some(FilerHint::Ticker(s.to_string()));
        assert_eq!(filer_hint("msft-20240630.htm"), t("msft"));
        assert_eq!(
            filer_hint("repo:fixtures/html/ko/10q/ko-10-q-2025-07-24.html (Note 9)"),
            t("ko")
        );
        assert_eq!(filer_hint("C:/filings/XOM-10K-2024.htm"), t("xom"));
    }

    #[test]
    fn other_addresses_say_nothing() {
        for a in [
            "https://news.example.com/2024/05/acme-recalls-heaters.html",
            "https://news.example.com/business-20240101.html?x=1",
            "report-2024.pdf",
            "",
            "-20240101.htm",
            "0001213900-25-032135.txt",
        ] {
            assert_eq!(filer_hint(a), None, "{a}");
        }
    }
}
