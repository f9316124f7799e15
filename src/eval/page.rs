//! Wraps a labelled story in a realistic news page, to measure article-body extraction.
//!
//! `riskline eval --as-page` scores the extractor on each gold document twice over:
//! as the clean text the labellers read, and as the same story inside a web page
//! full of furniture. The gap between the two figures is what the HTML normaliser
//! loses (story text it drops) or invents (furniture it keeps).
//!
//! The furniture is hostile on purpose: the trending rail, the related-stories
//! list, the in-story "read more" links and the sponsored teaser carry **decoys**,
//! short headlines that would be events if read as story text ("Boeing halts
//! deliveries of its widebody jet", "Regulator fines Walmart over ..."), naming
//! listed companies of the built-in registry that the story itself never names.
//! [`Page::decoy_tickers`] lists them, so that an event on one of those tickers is
//! known to come from the furniture.
//!
//! Pages come in several [`Layout`]s, the way sites differ: semantic HTML5
//! (`<header>`, `<nav>`, `<article>`, `<aside>`, `<footer>`), a `div.story-body`
//! site with descriptive class names, a `<main>` page with related links between
//! the story's paragraphs, a page of anonymous `<div>`s with generated class
//! names, an old-style page whose story is one block of `<br>`-separated text, and
//! a paywalled page that shows only the lead paragraph and ships the story in a
//! JSON-LD `articleBody`. Everything is deterministic: the layout, the decoys and
//! their order follow from a hash of the document id.
//!
//! ```
//! use riskline::eval::page::wrap;
//! let page = wrap("doc-1", "Acme recalls heaters\n\nAcme said on Monday it would recall them.", Some("2024-03-05"), &[]);
//! assert!(page.html.contains("Acme said on Monday it would recall them."));
//! assert!(!page.decoy_tickers.is_empty());
//! ```

use std::fmt::Write as _;

use crate::extract::normalize::{normalize, Format};

/// How the page is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// HTML5 landmarks: `header`/`nav`, `main` > `article`, `aside`, `footer`.
    Semantic,
    /// `div`s with descriptive class names: `story-body`, `related-stories`, `most-read`.
    StoryBody,
    /// `<main>` without `<article>`; related links sit between the story's paragraphs.
    MainInline,
    /// Only `div`s, `span`s and `a`s, with generated class names that say nothing.
    BareDivs,
    /// An old page: the story is one `div` of text with `<br><br>` between paragraphs.
    BrText,
    /// A paywalled page: the lead paragraph is visible, the story is in JSON-LD `articleBody`.
    JsonLd,
}

impl Layout {
    /// Every layout, in the order documents rotate over them.
    pub const ALL: [Layout; 6] = [
        Layout::Semantic,
        Layout::StoryBody,
        Layout::MainInline,
        Layout::BareDivs,
        Layout::BrText,
        Layout::JsonLd,
    ];

    /// A short name for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Semantic => "semantic",
            Layout::StoryBody => "story-body",
            Layout::MainInline => "main-inline",
            Layout::BareDivs => "bare-divs",
            Layout::BrText => "br-text",
            Layout::JsonLd => "json-ld",
        }
    }
}

/// A generated page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The complete HTML document, from `<!DOCTYPE html>` to `</html>`.
    pub html: String,
    /// The layout the document id picked.
    pub layout: Layout,
    /// Tickers of the companies named by decoy headlines on this page.
    pub decoy_tickers: Vec<&'static str>,
}

/// Listed companies for decoys: the name a headline uses and the ticker it resolves to.
pub const DECOY_COMPANIES: &[(&str, &str)] = &[
    ("Apple", "AAPL"),
    ("Microsoft", "MSFT"),
    ("Amazon", "AMZN"),
    ("Tesla", "TSLA"),
    ("Boeing", "BA"),
    ("General Motors", "GM"),
    ("JPMorgan Chase", "JPM"),
    ("Walmart", "WMT"),
    ("Pfizer", "PFE"),
    ("Exxon Mobil", "XOM"),
    ("Netflix", "NFLX"),
    ("Uber", "UBER"),
    ("Delta Air Lines", "DAL"),
    ("Intel", "INTC"),
    ("Nvidia", "NVDA"),
    ("Starbucks", "SBUX"),
    ("Verizon", "VZ"),
    ("Wells Fargo", "WFC"),
    ("Goldman Sachs", "GS"),
    ("Coca-Cola", "KO"),
];

/// Decoy headlines; `{}` is the company. Each would be an event if read as story text.
const DECOY_TEMPLATES: &[&str] = &[
    "{} sued over hidden subscription fees",
    "{} halts online orders in three states",
    "Regulator fines {} over misleading ads",
    "{} faces class action over data breach",
    "Shareholders sue {} after profit warning",
    "{} suspends service after nationwide outage",
    "FTC sues {} over app store practices",
    "{} pauses production at its largest plant",
    "SEC charges {} over accounting lapses",
    "EU fines {} $400 million in antitrust case",
    "{} stops deliveries after safety probe",
    "Former workers sue {} over unpaid overtime",
];

/// Harmless teasers mixed in with the decoys, as real rails mix them.
const PLAIN_TEASERS: &[&str] = &[
    "Five charts that explain this week in markets",
    "What a stronger dollar means for your holiday trip",
    "Opinion: the quiet comeback of the savings account",
    "How to read a quarterly report in ten minutes",
    "The best-reviewed cafes in the city, ranked",
    "Watch: inside the busiest container port on the coast",
];

/// One-sentence summaries under teaser headlines; they name no company.
pub const STANDFIRSTS: &[&str] = &[
    "Analysts expect the dispute to drag on into next year.",
    "The move follows months of complaints from customers.",
    "Executives said the decision was taken with regret.",
    "Critics say the penalty is too small to matter.",
    "Lawyers for both sides declined to comment.",
    "The pause could last until the spring, people familiar said.",
];

const SECTIONS: &[&str] = &[
    "Home", "Markets", "Business", "Tech", "Politics", "Opinion", "Climate", "Video",
];

/// A small deterministic generator (SplitMix64) seeded by the document id.
struct Rng(u64);

impl Rng {
    fn new(seed: &str) -> Rng {
        // FNV-1a over the id.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in seed.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        Rng(h)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Escapes text for HTML content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// The story's paragraphs (split on blank lines), each a list of its lines.
fn paragraphs(text: &str) -> Vec<Vec<&str>> {
    let mut paras = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in text.lines() {
        let l = line.trim();
        if l.is_empty() {
            if !cur.is_empty() {
                paras.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(l);
        }
    }
    if !cur.is_empty() {
        paras.push(cur);
    }
    paras
}

/// One paragraph as HTML: its lines escaped and joined by `<br>`.
fn para_html(lines: &[&str]) -> String {
    lines
        .iter()
        .map(|l| esc(l))
        .collect::<Vec<_>>()
        .join("<br>\n")
}

/// The decoys of one page: headlines and the tickers they name.
struct Decoys {
    headlines: Vec<String>,
    tickers: Vec<&'static str>,
}

impl Decoys {
    fn pick(rng: &mut Rng, text: &str, avoid_tickers: &[&str], n: usize) -> Decoys {
        let lower = text.to_lowercase();
        let usable: Vec<(&str, &'static str)> = DECOY_COMPANIES
            .iter()
            .filter(|(name, ticker)| {
                let short = name.split_whitespace().next().unwrap_or(name);
                !lower.contains(&short.to_lowercase())
                    && !avoid_tickers.iter().any(|t| t.eq_ignore_ascii_case(ticker))
            })
            .copied()
            .collect();
        let mut headlines = Vec::new();
        let mut tickers = Vec::new();
        if usable.is_empty() {
            return Decoys { headlines, tickers };
        }
        let start = rng.below(usable.len());
        let tstart = rng.below(DECOY_TEMPLATES.len());
        for i in 0..n {
            let (name, ticker) = usable[(start + i) % usable.len()];
            let template = DECOY_TEMPLATES[(tstart + i * 5) % DECOY_TEMPLATES.len()];
            headlines.push(template.replace("{}", name));
            if !tickers.contains(&ticker) {
                tickers.push(ticker);
            }
        }
        Decoys { headlines, tickers }
    }
}

/// Wraps a story in a news page. `published` is the story's date as labelled
/// (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`); `avoid_tickers` are tickers the decoys
/// must not name (the labelled events' companies).
pub fn wrap(id: &str, text: &str, published: Option<&str>, avoid_tickers: &[&str]) -> Page {
    let mut rng = Rng::new(id);
    let layout = Layout::ALL[rng.below(Layout::ALL.len())];
    let decoys = Decoys::pick(&mut rng, text, avoid_tickers, 12);
    let mut paras = paragraphs(text);
    // The first line becomes the headline when the text normaliser would take it as one.
    let headline = normalize(text, Format::Text).title.filter(|t| {
        paras
            .first()
            .is_some_and(|p| p.len() == 1 && p[0] == t.trim())
    });
    if headline.is_some() && paras.len() > 1 {
        paras.remove(0);
    }
    let headline = headline.filter(|_| !paras.is_empty());
    let mut b = Builder {
        out: String::with_capacity(text.len() * 2 + 8_192),
        rng,
        decoys: decoys.headlines,
        next_decoy: 0,
    };
    b.page(layout, headline.as_deref(), published, &paras);
    Page {
        html: b.out,
        layout,
        decoy_tickers: decoys.tickers,
    }
}

struct Builder {
    out: String,
    rng: Rng,
    decoys: Vec<String>,
    next_decoy: usize,
}

impl Builder {
    /// The next teaser: mostly decoys, now and then a harmless one.
    fn teaser(&mut self) -> String {
        if self.rng.below(4) == 0 || self.decoys.is_empty() {
            return PLAIN_TEASERS[self.rng.below(PLAIN_TEASERS.len())].to_string();
        }
        let t = self.decoys[self.next_decoy % self.decoys.len()].clone();
        self.next_decoy += 1;
        t
    }

    fn decoy(&mut self) -> String {
        if self.decoys.is_empty() {
            return PLAIN_TEASERS[0].to_string();
        }
        let t = self.decoys[self.next_decoy % self.decoys.len()].clone();
        self.next_decoy += 1;
        t
    }

    fn slug(&mut self, text: &str) -> String {
        let s: String = text
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        format!(
            "/news/{}-{}",
            s.trim_matches('-'),
            self.rng.below(90_000) + 10_000
        )
    }

    fn w(&mut self, s: &str) {
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn head(&mut self, title: Option<&str>, published: Option<&str>, json_ld_body: Option<&str>) {
        self.w("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">");
        let site = "The Morning Ledger";
        match title {
            Some(t) => {
                let _ = writeln!(self.out, "<title>{} | {site}</title>", esc(t));
                let _ = writeln!(
                    self.out,
                    "<meta property=\"og:title\" content=\"{}\">",
                    esc(t)
                );
            }
            None => {
                let _ = writeln!(self.out, "<title>{site}</title>");
            }
        }
        let _ = writeln!(
            self.out,
            "<meta property=\"og:site_name\" content=\"{site}\">"
        );
        if let Some(p) = published {
            let stamp = if p.len() == 10 {
                format!("{p}T08:30:00Z")
            } else {
                p.to_string()
            };
            let _ = writeln!(
                self.out,
                "<meta property=\"article:published_time\" content=\"{}\">",
                esc(&stamp)
            );
        }
        self.w("<link rel=\"stylesheet\" href=\"/static/site.css\">");
        self.w("<script>window.dataLayer=window.dataLayer||[];function track(e){dataLayer.push(e)}</script>");
        if let Some(body) = json_ld_body {
            let ld = serde_json::json!({
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": title.unwrap_or(""),
                "datePublished": published.unwrap_or(""),
                "isAccessibleForFree": false,
                "articleBody": body,
            });
            let s = ld.to_string().replace("</", "<\\/");
            let _ = writeln!(
                self.out,
                "<script type=\"application/ld+json\">{s}</script>"
            );
        }
        self.w("</head>");
    }

    fn cookie_banner(&mut self, class: &str) {
        let _ = writeln!(
            self.out,
            "<div class=\"{class}\"><p>We use cookies and similar tools to run this site, measure traffic and show you relevant ads. You can change your choices at any time in Privacy settings.</p><a href=\"/privacy\">Learn more</a> <a href=\"#\">Accept all</a> <a href=\"#\">Reject</a></div>"
        );
    }

    fn nav_links(&mut self) -> String {
        SECTIONS
            .iter()
            .map(|s| format!("<li><a href=\"/{}\">{s}</a></li>", s.to_ascii_lowercase()))
            .collect()
    }

    fn teaser_items(&mut self, n: usize, numbered: bool) -> String {
        let mut s = String::new();
        for i in 0..n {
            let t = self.teaser();
            let href = self.slug(&t);
            if numbered {
                let _ = write!(
                    s,
                    "<li><span class=\"rank\">{}</span><a href=\"{href}\">{}</a></li>",
                    i + 1,
                    esc(&t)
                );
            } else {
                let _ = write!(s, "<li><a href=\"{href}\">{}</a></li>", esc(&t));
            }
        }
        s
    }

    /// A teaser card: headline link, a one-sentence summary, a timestamp.
    fn card(&mut self, class: &str) -> String {
        let t = self.teaser();
        let href = self.slug(&t);
        let standfirst = STANDFIRSTS[self.rng.below(STANDFIRSTS.len())];
        let hours = self.rng.below(22) + 1;
        format!(
            "<div class=\"{class}\"><a href=\"{href}\"><h3>{}</h3></a><p>{standfirst}</p><span>{hours}h ago</span></div>",
            esc(&t)
        )
    }

    fn newsletter(&mut self, class: &str) {
        let _ = writeln!(
            self.out,
            "<div class=\"{class}\"><h3>The Morning Briefing</h3><p>The day's business news, before the opening bell. Delivered free to your inbox every weekday.</p><form action=\"/subscribe\"><input type=\"email\" placeholder=\"Enter your email\"><button>Sign up</button></form></div>"
        );
    }

    fn share(&mut self, class: &str) {
        let _ = writeln!(
            self.out,
            "<div class=\"{class}\"><a href=\"#\">Facebook</a> <a href=\"#\">X</a> <a href=\"#\">LinkedIn</a> <a href=\"#\">Email</a> <a href=\"#\">Copy link</a></div>"
        );
    }

    fn ad(&mut self, class: &str) {
        let t = self.decoy();
        let href = self.slug(&t);
        let _ = writeln!(
            self.out,
            "<div class=\"{class}\"><span>Advertisement</span><div><a href=\"https://ads.example.net/c?u={href}\">Sponsored: {}</a><span>PartnerInsights</span></div></div>",
            esc(&t)
        );
    }

    fn footer_inner(&mut self) -> String {
        "<ul><li><a href=\"/about\">About us</a></li><li><a href=\"/contact\">Contact</a></li><li><a href=\"/careers\">Careers</a></li><li><a href=\"/terms\">Terms of use</a></li><li><a href=\"/privacy\">Privacy policy</a></li></ul><p>© 2025 The Morning Ledger. All rights reserved.</p>".to_string()
    }

    fn byline(&self) -> &'static str {
        "By Staff Reporter"
    }

    /// The story's paragraphs as `<p>`s, with `between` called after the given paragraph.
    fn story_ps(&mut self, paras: &[Vec<&str>], inline_after: Option<usize>, inline: &str) {
        for (i, p) in paras.iter().enumerate() {
            let _ = writeln!(self.out, "<p>{}</p>", para_html(p));
            if inline_after == Some(i) {
                self.w(inline);
            }
        }
    }

    /// Writes the whole page in `layout`. The layout methods get the headline as an
    /// `<h1>` (empty without a title) and `middle`, the paragraph after which an
    /// inline link goes (`None` for stories under three paragraphs).
    fn page(
        &mut self,
        layout: Layout,
        title: Option<&str>,
        published: Option<&str>,
        paras: &[Vec<&str>],
    ) {
        let h1 = title
            .map(|t| format!("<h1>{}</h1>", esc(t)))
            .unwrap_or_default();
        let middle = if paras.len() >= 3 {
            Some(paras.len() / 2 - 1)
        } else {
            None
        };
        match layout {
            Layout::Semantic => self.semantic(title, published, paras, &h1, middle),
            Layout::StoryBody => self.story_body(title, published, paras, &h1, middle),
            Layout::MainInline => self.main_inline(title, published, paras, &h1, middle),
            Layout::BareDivs => self.bare_divs(title, published, paras, &h1, middle),
            Layout::BrText => self.br_text(title, published, paras, &h1, middle),
            Layout::JsonLd => self.json_ld(title, published, paras, &h1, middle),
        }
        self.w("</body>\n</html>");
    }

    /// Writes a [`Layout::Semantic`] page up to `</body>`: HTML5 landmarks, a related link mid-story.
    fn semantic(
        &mut self,
        title: Option<&str>,
        published: Option<&str>,
        paras: &[Vec<&str>],
        h1: &str,
        middle: Option<usize>,
    ) {
        self.head(title, published, None);
        self.w("<body>");
        self.cookie_banner("cookie-banner");
        let nav = self.nav_links();
        let _ = writeln!(self.out, "<header class=\"site-header\"><a class=\"logo\" href=\"/\">The Morning Ledger</a><nav><ul>{nav}</ul></nav></header>");
        self.w("<main>");
        self.w("<article>");
        self.w(h1);
        let _ = writeln!(
            self.out,
            "<div class=\"meta\"><span>{}</span> <time datetime=\"{}\">{}</time></div>",
            self.byline(),
            published.unwrap_or(""),
            published.unwrap_or("")
        );
        self.share("share-bar");
        let inline = {
            let t = self.decoy();
            let href = self.slug(&t);
            format!(
                "<aside class=\"inline\"><h4>Related</h4><a href=\"{href}\">{}</a></aside>",
                esc(&t)
            )
        };
        self.story_ps(paras, middle, &inline);
        self.w("</article>");
        let items = self.teaser_items(5, true);
        let _ = writeln!(
            self.out,
            "<aside><h2>Most read</h2><ol>{items}</ol></aside>"
        );
        let cards: String = (0..4).map(|_| self.card("card")).collect();
        let _ = writeln!(
            self.out,
            "<section><h2>Related stories</h2>{cards}</section>"
        );
        self.ad("ad-slot");
        self.newsletter("newsletter");
        self.w("</main>");
        let f = self.footer_inner();
        let _ = writeln!(self.out, "<footer>{f}</footer>");
    }

    /// Writes a [`Layout::StoryBody`] page up to `</body>`: `div.story-body` among descriptive classes.
    fn story_body(
        &mut self,
        title: Option<&str>,
        published: Option<&str>,
        paras: &[Vec<&str>],
        h1: &str,
        _middle: Option<usize>,
    ) {
        self.head(title, published, None);
        self.w("<body>");
        let nav = self.nav_links();
        let _ = writeln!(
            self.out,
            "<div class=\"site-header\"><div class=\"menu\"><ul>{nav}</ul></div></div>"
        );
        let items = self.teaser_items(5, true);
        let _ = writeln!(
            self.out,
            "<div class=\"trending-bar\"><strong>Trending</strong><ul>{items}</ul></div>"
        );
        self.w("<div class=\"page-wrap\"><div class=\"col-main\">");
        self.w(h1);
        let _ = writeln!(self.out, "<div class=\"byline\">{}</div>", self.byline());
        self.w("<div class=\"story-body\">");
        self.story_ps(paras, None, "");
        self.w("</div>");
        self.share("share-tools");
        let items = self.teaser_items(4, false);
        let _ = writeln!(
            self.out,
            "<div class=\"related-stories\"><h3>More from Business</h3><ul>{items}</ul></div>"
        );
        self.w("</div><div class=\"col-side\">");
        self.ad("ad-container");
        let items = self.teaser_items(5, true);
        let _ = writeln!(
            self.out,
            "<div class=\"most-read\"><h3>Most read</h3><ol>{items}</ol></div>"
        );
        self.newsletter("newsletter-signup");
        self.w("</div></div>");
        self.cookie_banner("cookie-notice");
        let f = self.footer_inner();
        let _ = writeln!(self.out, "<div class=\"site-footer\">{f}</div>");
    }

    /// Writes a [`Layout::MainInline`] page up to `</body>`: "read more" links between paragraphs.
    fn main_inline(
        &mut self,
        title: Option<&str>,
        published: Option<&str>,
        paras: &[Vec<&str>],
        h1: &str,
        _middle: Option<usize>,
    ) {
        self.head(title, published, None);
        self.w("<body>");
        let nav = self.nav_links();
        let _ = writeln!(
            self.out,
            "<div class=\"top\"><ul class=\"sections\">{nav}</ul></div>"
        );
        self.w("<main>");
        self.w(h1);
        let first = {
            let t = self.decoy();
            let href = self.slug(&t);
            format!(
                "<p><strong>READ MORE:</strong> <a href=\"{href}\">{}</a></p>",
                esc(&t)
            )
        };
        let second = {
            let card = self.card("c-item");
            let items = self.teaser_items(3, false);
            format!("{card}\n<div class=\"inline-list\"><h4>You may also like</h4><ul>{items}</ul></div>")
        };
        let n = paras.len();
        for (i, p) in paras.iter().enumerate() {
            let _ = writeln!(self.out, "<p>{}</p>", para_html(p));
            if n >= 3 && i == 0 {
                self.w(&first);
            }
            if n >= 5 && i == n - 3 {
                self.w(&second);
            }
        }
        self.share("social-links");
        let items = self.teaser_items(6, false);
        let _ = writeln!(
            self.out,
            "<section><h2>Trending now</h2><ul>{items}</ul></section>"
        );
        self.w("</main>");
        self.newsletter("email-box");
        let f = self.footer_inner();
        let _ = writeln!(self.out, "<div class=\"bottom\">{f}</div>");
    }

    /// Writes a [`Layout::BareDivs`] page up to `</body>`: anonymous `div`s, generated class names.
    fn bare_divs(
        &mut self,
        title: Option<&str>,
        published: Option<&str>,
        paras: &[Vec<&str>],
        _h1: &str,
        middle: Option<usize>,
    ) {
        self.head(title, published, None);
        self.w("<body><div id=\"root\"><div class=\"x9f2\">");
        let nav: String = SECTIONS
            .iter()
            .map(|s| {
                format!(
                    "<a class=\"k1a\" href=\"/{}\">{s}</a>",
                    s.to_ascii_lowercase()
                )
            })
            .collect();
        let _ = writeln!(self.out, "<div class=\"q7c\">{nav}</div>");
        // A teaser strip: headline text outside the links, which only wrap pictures.
        let mut strip = String::new();
        for _ in 0..4 {
            let t = self.teaser();
            let href = self.slug(&t);
            let _ = write!(strip, "<div class=\"c3b\"><a href=\"{href}\"><img src=\"/i.jpg\" alt=\"\"></a><div class=\"c3t\">{}</div></div>", esc(&t));
        }
        let _ = writeln!(self.out, "<div class=\"r2d\">{strip}</div>");
        self.w("<div class=\"m4e\"><div class=\"m4h\">");
        if let Some(t) = title {
            let _ = writeln!(self.out, "<div class=\"h0z\">{}</div>", esc(t));
        }
        let _ = writeln!(self.out, "<div class=\"b8y\">{}</div>", self.byline());
        self.w("<div class=\"m4b\">");
        let inline = {
            let t = self.decoy();
            let href = self.slug(&t);
            format!(
                "<div class=\"v5v\"><a href=\"{href}\">{}</a></div>",
                esc(&t)
            )
        };
        self.story_ps(paras, middle, &inline);
        self.w("</div></div>");
        let mut cards = String::new();
        for _ in 0..5 {
            let t = self.teaser();
            let href = self.slug(&t);
            let _ = write!(
                cards,
                "<div class=\"p1k\"><a href=\"{href}\">{}</a></div>",
                esc(&t)
            );
        }
        let _ = writeln!(
            self.out,
            "<div class=\"z6w\"><div class=\"z6h\">Most Popular</div>{cards}</div>"
        );
        let cards: String = (0..4).map(|_| self.card("w3n")).collect();
        let _ = writeln!(self.out, "<div class=\"y2y\">{cards}</div>");
        let t = self.decoy();
        let href = self.slug(&t);
        let _ = writeln!(
            self.out,
            "<div class=\"u0u\"><div>Paid content</div><a href=\"{href}\">{}</a></div>",
            esc(&t)
        );
        self.w("</div>");
        let _ = writeln!(self.out, "<div class=\"f9f\"><a href=\"/about\">About</a> <a href=\"/terms\">Terms</a> <a href=\"/privacy\">Privacy</a><div>© 2025 The Morning Ledger</div></div>");
        self.w("</div></div>");
    }

    /// Writes a [`Layout::BrText`] page up to `</body>`: a table, the story one `<br><br>` block.
    fn br_text(
        &mut self,
        title: Option<&str>,
        published: Option<&str>,
        paras: &[Vec<&str>],
        _h1: &str,
        _middle: Option<usize>,
    ) {
        self.head(title, published, None);
        self.w("<body><table width=\"100%\"><tr><td>");
        let nav: String = SECTIONS
            .iter()
            .map(|s| format!("<a href=\"/{}\">{s}</a> | ", s.to_ascii_lowercase()))
            .collect();
        let _ = writeln!(self.out, "<div class=\"topnav\">{nav}</div>");
        self.w("</td></tr><tr><td valign=\"top\">");
        if let Some(t) = title {
            let _ = writeln!(self.out, "<h1>{}</h1>", esc(t));
        }
        self.w("<div class=\"text\">");
        let body = paras
            .iter()
            .map(|p| para_html(p))
            .collect::<Vec<_>>()
            .join("\n<br><br>\n");
        self.w(&body);
        self.w("</div>");
        self.w("</td><td valign=\"top\" width=\"200\">");
        let mut side = String::new();
        for _ in 0..6 {
            let t = self.teaser();
            let href = self.slug(&t);
            let _ = write!(side, "<a href=\"{href}\">{}</a><br>", esc(&t));
        }
        let _ = writeln!(self.out, "<div><b>Headlines</b><br>{side}</div>");
        self.ad("banner");
        self.w("</td></tr></table>");
        let _ = writeln!(self.out, "<div><a href=\"/about\">About</a> | <a href=\"/contact\">Contact</a><br>Copyright 2025 The Morning Ledger</div>");
    }

    /// Writes a [`Layout::JsonLd`] page up to `</body>`: lead paragraph only, story in JSON-LD.
    fn json_ld(
        &mut self,
        title: Option<&str>,
        published: Option<&str>,
        paras: &[Vec<&str>],
        h1: &str,
        _middle: Option<usize>,
    ) {
        let body = paras
            .iter()
            .map(|p| p.join("\n"))
            .collect::<Vec<_>>()
            .join("\n\n");
        self.head(title, published, Some(&body));
        self.w("<body>");
        let nav = self.nav_links();
        let _ = writeln!(self.out, "<header><nav><ul>{nav}</ul></nav></header>");
        self.w("<main><article>");
        self.w(h1);
        if let Some(first) = paras.first() {
            let _ = writeln!(
                self.out,
                "<div class=\"article-body\"><p>{}</p></div>",
                para_html(first)
            );
        }
        self.w("<div class=\"paywall\"><p>This article is for subscribers. Subscribe for full access to our reporting.</p><a href=\"/subscribe\">Subscribe now</a></div>");
        self.w("</article>");
        let items = self.teaser_items(6, false);
        let _ = writeln!(
            self.out,
            "<div class=\"recirc\"><h2>More stories</h2><ul>{items}</ul></div>"
        );
        self.w("</main>");
        let f = self.footer_inner();
        let _ = writeln!(self.out, "<footer>{f}</footer>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Extractor;

    const STORY: &str = "Acme recalls space heaters\n\nAcme Widgets said on Monday it would recall 10,000 space heaters.\n\nThe company said no one was hurt.\nOwners can return them to any store.\n\nShares were flat.";

    #[test]
    fn the_same_id_gives_the_same_page_and_ids_spread_over_layouts() {
        let a = wrap("doc-7", STORY, Some("2024-03-05"), &[]);
        let b = wrap("doc-7", STORY, Some("2024-03-05"), &[]);
        assert_eq!(a.html, b.html);
        let layouts: std::collections::HashSet<&str> = (0..60)
            .map(|i| wrap(&format!("d{i}"), STORY, None, &[]).layout.as_str())
            .collect();
        assert_eq!(layouts.len(), Layout::ALL.len());
    }

    #[test]
    fn the_story_is_on_the_page_escaped_with_its_line_breaks() {
        let page = wrap(
            "x",
            "Rates rise\n\nA & B <said> so.\nSecond line.",
            None,
            &[],
        );
        assert!(page
            .html
            .contains("A &amp; B &lt;said&gt; so.<br>\nSecond line."));
        assert!(page.html.contains("Rates rise"));
    }

    #[test]
    fn decoys_avoid_companies_of_the_story_and_the_given_tickers() {
        let text = "Apple and Microsoft were sued on Monday.";
        for i in 0..30 {
            let page = wrap(&format!("d{i}"), text, None, &["TSLA"]);
            assert!(!page.decoy_tickers.is_empty());
            for t in ["AAPL", "MSFT", "TSLA"] {
                assert!(!page.decoy_tickers.contains(&t), "{t} used as a decoy");
            }
        }
    }

    #[test]
    fn published_date_goes_into_the_page_metadata() {
        let page = wrap("x", STORY, Some("2024-03-05"), &[]);
        assert!(page
            .html
            .contains("property=\"article:published_time\" content=\"2024-03-05T08:30:00Z\""));
        assert!(page
            .html
            .contains("og:title\" content=\"Acme recalls space heaters\""));
    }

    #[test]
    fn the_json_ld_layout_ships_the_whole_story_and_shows_only_the_lead() {
        let id = (0..200)
            .map(|i| format!("j{i}"))
            .find(|id| wrap(id, STORY, None, &[]).layout == Layout::JsonLd)
            .expect("some id picks the JSON-LD layout");
        let page = wrap(&id, STORY, None, &[]);
        assert!(page.html.contains("\"articleBody\":\"Acme Widgets said"));
        assert!(page.html.contains("Shares were flat."));
        assert_eq!(page.html.matches("Shares were flat.").count(), 1);
    }

    #[test]
    fn decoy_companies_are_listed_and_every_decoy_reads_as_an_event() {
        let registry = crate::registry::builtin();
        for (name, ticker) in DECOY_COMPANIES {
            assert!(
                registry.iter().any(|r| r.ticker == *ticker),
                "{ticker} ({name}) is not in the built-in registry"
            );
        }
        // Read as a story, a decoy headline is an event on the decoy's company:
        // that is what makes it a decoy.
        let ex = Extractor::builtin();
        let mut events = 0;
        let mut total = 0;
        for (i, template) in DECOY_TEMPLATES.iter().enumerate() {
            let (name, ticker) = DECOY_COMPANIES[i % DECOY_COMPANIES.len()];
            let sentence = format!("{}, the newspaper reported.", template.replace("{}", name));
            let out = ex.extract(&sentence, Format::Text, None);
            total += 1;
            if out
                .events
                .iter()
                .any(|e| e.tickers.iter().any(|t| t.as_str() == ticker))
            {
                events += 1;
            }
        }
        assert!(
            events * 4 >= total * 3,
            "only {events}/{total} decoys read as events"
        );
    }
}
