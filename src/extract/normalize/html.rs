//! HTML to visible text: article selection, boilerplate removal, metadata.
//!
//! The rules are documented on the parent module. The work is done in a few
//! linear passes over the parsed tree: one for metadata (it must also see
//! hidden parts such as the inline-XBRL header, and reads JSON-LD), one that
//! measures every visible element (text, link text, links, how its text starts
//! and ends), one that scores paragraph clusters (news pages only), and one
//! that renders the chosen subtree. The teaser-list test looks at an element's
//! children only, so each element is looked at a bounded number of times.

use crate::extract::span;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use chrono::NaiveDate;
use ego_tree::{NodeId, NodeRef};
use regex::Regex;
use scraper::{Html, Node};

use super::{sections, text, Filer, Format, Normalized, Section};

/// Above this nesting depth the HTML tree builder would do quadratic work, so
/// the tag-stripping fallback renders the document instead.
const MAX_TREE_DEPTH: usize = 512;

/// Paragraphs shorter than this (in non-space chars) do not vote in the density score.
const MIN_PARAGRAPH_CHARS: usize = 25;

/// A teaser headline is at most this long (non-space chars).
const MAX_TEASER_CHARS: usize = 150;

/// A dropped-by-name element is kept anyway when it holds more than this share
/// of the text around it: some sites wrap a whole page in a `<form>` or name the
/// article container "content-with-sidebar".
const KEEP_SHARE: f64 = 0.5;

/// How a document is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// A news or press page: select the article, drop boilerplate.
    Page,
    /// An SEC filing document: keep every visible paragraph.
    Filing,
}

/// Facts of the `dei` (document and entity information) taxonomy in an inline-XBRL filing.
#[derive(Debug, Default, Clone)]
pub(super) struct DeiFacts {
    pub registrant_name: Option<String>,
    pub cik: Option<i64>,
    pub document_type: Option<String>,
}

impl DeiFacts {
    pub(super) fn filer(&self) -> Option<Filer> {
        let name = self.registrant_name.clone()?;
        Some(Filer {
            name,
            cik: self.cik,
            form_type: self.document_type.clone(),
            filed_on: None,
        })
    }
}

/// The result of rendering an HTML document.
#[derive(Debug, Default)]
pub(super) struct Rendered {
    pub text: String,
    pub title: Option<String>,
    pub published_at: Option<NaiveDate>,
    pub dei: DeiFacts,
    /// Byte range of the headline paragraph in `text` (news pages only).
    pub headline: Option<Range<usize>>,
    pub mode: Option<Mode>,
}

/// True when `raw` looks like HTML: a doctype or `<html>`/`<body>` near the
/// start, or common tags (two when the text opens with one, else four).
pub(super) fn looks_like_html(raw: &str) -> bool {
    static TAGS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)<(?:p|div|br|span|a|table|tr|td|li|ul|ol|h[1-6]|b|i|em|strong|img|font|section|article|meta|link|script|style|head|title)[\s>/]",
        )
        .expect("HTML tag pattern is valid")
    });
    let head = text::prefix(raw, 4096)
        .trim_start_matches('\u{feff}')
        .trim_start();
    let lower = head.to_ascii_lowercase();
    if lower.starts_with("<!doctype html")
        || lower.starts_with("<html")
        || lower.contains("<html")
        || lower.contains("<body")
    {
        return true;
    }
    // A fragment that opens with a tag needs less evidence than prose quoting one.
    let needed = if TAGS.find(head).is_some_and(|m| m.start() == 0) {
        2
    } else {
        4
    };
    TAGS.find_iter(text::prefix(raw, 65_536))
        .take(needed)
        .count()
        >= needed
}

/// Normalises an HTML document, deciding between a news page and a filing.
pub(super) fn normalize_html(raw: &str) -> Normalized {
    let rendered = render(raw, None);
    let mut sections = Vec::new();
    if let Some(h) = &rendered.headline {
        sections.push(Section {
            name: "headline".into(),
            start: h.start,
            end: h.end,
        });
    }
    if rendered.mode == Some(Mode::Filing) {
        sections.extend(sections::filing_sections(
            &rendered.text,
            0..rendered.text.len(),
            rendered.dei.document_type.as_deref(),
        ));
    } else {
        let body_start = rendered.headline.as_ref().map_or(0, |h| h.end);
        sections.extend(sections::body_section(&rendered.text, body_start));
        sections.extend(sections::filing_sections(
            &rendered.text,
            0..rendered.text.len(),
            None,
        ));
    }
    let filer = rendered.dei.filer();
    Normalized {
        text: rendered.text,
        format: Format::Html,
        title: rendered.title,
        published_at: rendered.published_at,
        filer,
        sections,
    }
}

/// Renders an HTML document; `mode` forces page or filing rules, `None` decides from the content.
pub(super) fn render(raw: &str, mode: Option<Mode>) -> Rendered {
    if nesting_depth_exceeds(raw, MAX_TREE_DEPTH) {
        let mode = mode.unwrap_or(Mode::Page);
        let blocks = strip_tags(raw);
        let title = title_tag_text(raw).map(|t| strip_site_name(&t));
        return Rendered {
            text: join_blocks(blocks.iter().map(|b| b.text.as_str())),
            title,
            mode: Some(mode),
            ..Rendered::default()
        };
    }
    let doc = Html::parse_document(raw);
    let root = doc.tree.root();

    let mut meta = MetaVisitor::default();
    walk(root, &mut meta);

    let mut measure = MeasureVisitor::default();
    walk(root, &mut measure);
    let stats = measure.stats;

    let mode = mode.unwrap_or_else(|| {
        // A page that describes itself to social networks is a web page, even
        // when it reproduces a filing's cover page.
        if meta.saw_ixbrl || (looks_like_filing_cover(&measure.opening) && !meta.saw_social_meta) {
            Mode::Filing
        } else {
            Mode::Page
        }
    });

    let roots = match mode {
        Mode::Filing => vec![root],
        Mode::Page => choose_article_roots(root, &stats),
    };
    let root_text = roots
        .iter()
        .map(|r| stats.get(&r.id()).map_or(0, |s| s.text))
        .sum();
    let mut renderer = RenderVisitor {
        writer: Writer::default(),
        stats: &stats,
        mode,
        root_text,
        root_ids: roots.iter().map(|r| r.id()).collect(),
        cell_depth: 0,
    };
    for r in &roots {
        walk(*r, &mut renderer);
        renderer.writer.para();
    }
    let blocks = renderer.writer.finish();

    let dei = meta.dei();
    let mut out = Rendered {
        published_at: meta.published_at(),
        mode: Some(mode),
        ..Rendered::default()
    };
    match mode {
        Mode::Filing => {
            out.title = match (&dei.registrant_name, &dei.document_type) {
                (Some(name), Some(form)) => Some(format!("{name} - Form {form}")),
                _ => meta.title_tag.clone().filter(|t| t.contains(' ')),
            };
            out.text = join_blocks(blocks.iter().map(|b| b.text.as_str()));
        }
        Mode::Page => {
            let title = meta.title();
            let mut kept: Vec<&str> = blocks
                .iter()
                .filter(|b| !is_boilerplate_block(b))
                .filter(|b| !title.as_deref().is_some_and(|t| same_text(&b.text, t)))
                .map(|b| b.text.as_str())
                .collect();
            // A paywalled or script-rendered page shows a teaser of the story and
            // ships all of it in its JSON-LD: take the whole story from there.
            let ld_blocks = meta.ld_body.as_deref().map(article_body_blocks);
            if let Some(ld) = &ld_blocks {
                let count = |t: &str| t.chars().filter(|c| !c.is_whitespace()).count();
                let visible: usize = kept.iter().map(|b| count(b)).sum();
                let shipped: usize = ld.iter().map(|b| count(b)).sum();
                if shipped >= 100 && visible * 5 < shipped * 3 {
                    kept = ld
                        .iter()
                        .map(String::as_str)
                        .filter(|b| !title.as_deref().is_some_and(|t| same_text(b, t)))
                        .collect();
                }
            }
            if let Some(t) = &title {
                out.headline = Some(0..t.len());
                out.text = join_blocks(std::iter::once(t.as_str()).chain(kept));
            } else {
                out.text = join_blocks(kept.into_iter());
            }
            out.title = title;
        }
    }
    out.dei = dei;
    out
}

fn same_text(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

fn join_blocks<'a>(blocks: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for b in blocks {
        let b = b.trim();
        if b.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(b);
    }
    out
}

// ---------------------------------------------------------------------------
// Tree walking

trait Visitor<'a> {
    /// Called when entering a node; returning false skips its subtree (and `leave`).
    fn enter(&mut self, node: NodeRef<'a, Node>) -> bool;
    fn leave(&mut self, _node: NodeRef<'a, Node>) {}
}

/// Depth-first walk with an explicit stack, so deep documents cannot overflow the call stack.
fn walk<'a>(root: NodeRef<'a, Node>, visitor: &mut impl Visitor<'a>) {
    enum Step<'a> {
        Enter(NodeRef<'a, Node>),
        Leave(NodeRef<'a, Node>),
    }
    let mut stack = vec![Step::Enter(root)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Enter(node) => {
                if !visitor.enter(node) {
                    continue;
                }
                stack.push(Step::Leave(node));
                let mut child = node.last_child();
                while let Some(c) = child {
                    stack.push(Step::Enter(c));
                    child = c.prev_sibling();
                }
            }
            Step::Leave(node) => visitor.leave(node),
        }
    }
}

/// An attribute value by (lowercase) name. Compares the parsed names directly:
/// `Element::attr` interns its argument on every call, which dominated the
/// profile of large pages.
fn attr<'a>(el: &'a scraper::node::Element, name: &str) -> Option<&'a str> {
    el.attrs().find(|(n, _)| *n == name).map(|(_, v)| v)
}

/// Elements never rendered, whatever their size: not content, or explicitly hidden.
fn is_hard_dropped(el: &scraper::node::Element) -> bool {
    let name = el.name();
    if matches!(
        name,
        "head"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "canvas"
            | "iframe"
            | "object"
            | "embed"
            | "video"
            | "audio"
            | "picture"
            | "img"
            | "map"
            | "button"
            | "select"
            | "option"
            | "textarea"
            | "input"
            | "dialog"
            | "ix:header"
            | "title"
            | "meta"
            | "link"
    ) {
        return true;
    }
    if attr(el, "hidden").is_some() {
        return true;
    }
    if attr(el, "aria-hidden").is_some_and(|v| v.trim().eq_ignore_ascii_case("true")) {
        return true;
    }
    if attr(el, "style").is_some_and(style_hides) {
        return true;
    }
    if let Some(role) = attr(el, "role") {
        let role = role.trim();
        if ["dialog", "alertdialog"]
            .iter()
            .any(|r| role.eq_ignore_ascii_case(r))
        {
            return true;
        }
    }
    false
}

/// True when an inline style hides the element (`display:none`, `visibility:hidden`).
fn style_hides(style: &str) -> bool {
    style.split(';').any(|decl| {
        let Some((prop, value)) = decl.split_once(':') else {
            return false;
        };
        let prop = prop.trim();
        let value = value.trim();
        (prop.eq_ignore_ascii_case("display") && starts_with_ignore_case(value, "none"))
            || (prop.eq_ignore_ascii_case("visibility") && starts_with_ignore_case(value, "hidden"))
    })
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Page chrome by element name or ARIA role; dropped unless it holds most of the text.
fn is_chrome(el: &scraper::node::Element) -> bool {
    if matches!(
        el.name(),
        "nav" | "header" | "footer" | "aside" | "form" | "menu"
    ) {
        return true;
    }
    attr(el, "role").is_some_and(|role| {
        let role = role.trim();
        [
            "navigation",
            "banner",
            "contentinfo",
            "complementary",
            "search",
            "menu",
            "menubar",
        ]
        .iter()
        .any(|r| role.eq_ignore_ascii_case(r))
    })
}

/// Page furniture named by class or id (news pages only).
fn is_furniture(el: &scraper::node::Element) -> bool {
    static FURNITURE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)cookie|consent|gdpr|newsletter|subscri|signup|sign-up|social|sharing|sharebar|share-|-share|related|recommend|promo|advert|sponsor|comments?(?-u:\b)|disqus|outbrain|taboola|popup|modal|breadcrumb|sidebar|paywall|trending|recirc|teaser|read-?next|more-?(?:from|stories|news|on)|most-?(?:popular|read|viewed|shared|commented)|also-?(?:like|read)|(?:^|[\s_-])(?:ad|ads|dfp|share|nav|navbar|menu|rail|tags|toolbar|byline|footer|masthead|sr-only|visually-hidden|screen-reader-text|hidden|video|popular|headlines)(?:$|[\s_-])",
        )
        .expect("furniture pattern is valid")
    });
    let class = attr(el, "class").unwrap_or("");
    let id = attr(el, "id").unwrap_or("");
    (!class.is_empty() && FURNITURE.is_match(class)) || (!id.is_empty() && FURNITURE.is_match(id))
}

/// True for a teaser card standing alone, as sites put them between a story's
/// paragraphs: a container (not a paragraph) of at most a few lines whose text
/// opens with a link that makes up a good part of it (a headline link, then a
/// one-line summary or a timestamp).
fn is_teaser_card(
    node: NodeRef<'_, Node>,
    el: &scraper::node::Element,
    stats: &HashMap<NodeId, NodeStats>,
) -> bool {
    if !matches!(
        el.name(),
        "div" | "li" | "section" | "aside" | "figure" | "article"
    ) {
        return false;
    }
    let Some(s) = stats.get(&node.id()) else {
        return false;
    };
    s.links >= 1
        && s.lead_link
        && s.text <= 2 * MAX_TEASER_CHARS
        && s.link * 4 >= s.text
        && s.link >= MIN_PARAGRAPH_CHARS / 2
}

/// True for a list of teasers: at least three items (element children with
/// text), three in four of them teaser-like, holding most of the element's
/// text. An item is teaser-like when it links somewhere (a headline link, or a
/// link around a picture) and is either a short line that does not end like a
/// sentence, or mostly link text. Story paragraphs end in full stops and carry
/// few links; rails of headlines ("Most read", "More from ...", "Related",
/// sponsored widgets) are made of exactly such items, whatever the markup is
/// called. Costs one look at each child.
fn is_teaser_list(node: NodeRef<'_, Node>, stats: &HashMap<NodeId, NodeStats>) -> bool {
    let Some(own) = stats.get(&node.id()) else {
        return false;
    };
    if own.links < 3 {
        return false;
    }
    let (mut items, mut teasers, mut teaser_text) = (0usize, 0usize, 0usize);
    for c in node.children() {
        let Some(s) = stats.get(&c.id()) else {
            continue;
        };
        if s.text == 0 || !matches!(c.value(), Node::Element(_)) {
            continue;
        }
        items += 1;
        let short_line = s.text <= MAX_TEASER_CHARS && !s.ends_sentence();
        let linky = s.text <= 2 * MAX_TEASER_CHARS && s.link * 2 >= s.text;
        if s.links >= 1 && (short_line || linky) {
            teasers += 1;
            teaser_text += s.text;
        }
    }
    items >= 3 && teasers * 4 >= items * 3 && teaser_text * 5 >= own.text * 4
}

// ---------------------------------------------------------------------------
// Metadata

#[derive(Default)]
struct MetaVisitor {
    og_title: Option<String>,
    title_tag: Option<String>,
    h1: Option<String>,
    /// (rank, date): lower rank wins.
    dates: Vec<(u8, NaiveDate)>,
    saw_ixbrl: bool,
    dei_name: Option<String>,
    dei_cik: Option<String>,
    dei_type: Option<String>,
    /// The longest JSON-LD `articleBody`.
    ld_body: Option<String>,
    /// An Open Graph, `article:` or Twitter card meta tag: the page is a web page.
    saw_social_meta: bool,
}

impl MetaVisitor {
    /// Reads a JSON-LD block: the publication date, and the longest `articleBody`.
    fn json_ld(&mut self, node: NodeRef<'_, Node>) {
        static LD_DATE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r#""datePublished"\s*:\s*"([^"]{4,40})""#)
                .expect("JSON-LD date pattern is valid")
        });
        for child in node.children() {
            let Node::Text(t) = child.value() else {
                continue;
            };
            if !self.dates.iter().any(|(r, _)| *r == 1) {
                if let Some(v) = LD_DATE.captures(t).and_then(|c| c.get(1)) {
                    let v = v.as_str().to_string();
                    self.add_date(1, &v);
                }
            }
            if t.contains("\"articleBody\"") {
                if let Ok(value) = serde_json::from_str::<serde_json::Value>(t) {
                    if let Some(body) = longest_article_body(&value) {
                        if !self.ld_body.as_ref().is_some_and(|b| b.len() >= body.len()) {
                            self.ld_body = Some(body.to_string());
                        }
                    }
                }
            }
        }
    }

    fn add_date(&mut self, rank: u8, value: &str) {
        if self.dates.iter().any(|(r, _)| *r == rank) {
            return;
        }
        if let Some(d) = parse_date(value) {
            self.dates.push((rank, d));
        }
    }

    fn published_at(&self) -> Option<NaiveDate> {
        self.dates.iter().min_by_key(|(r, _)| *r).map(|(_, d)| *d)
    }

    fn dei(&self) -> DeiFacts {
        DeiFacts {
            registrant_name: self.dei_name.clone().filter(|s| !s.is_empty()),
            cik: self
                .dei_cik
                .as_deref()
                .and_then(|s| s.trim().parse::<i64>().ok()),
            document_type: self.dei_type.clone().filter(|s| !s.is_empty()),
        }
    }

    /// The headline: `og:title`, else `<title>`, else the first `<h1>`, without a trailing site name.
    fn title(&self) -> Option<String> {
        let h1 = self
            .h1
            .as_deref()
            .filter(|h| h.chars().count() >= 10 && h.split_whitespace().count() >= 3);
        let candidate = self
            .og_title
            .as_deref()
            .or(self.title_tag.as_deref())
            .filter(|t| !t.is_empty());
        match (candidate, h1) {
            (Some(c), Some(h)) if c.to_lowercase().contains(&h.to_lowercase()) => {
                Some(h.to_string())
            }
            (Some(c), _) => Some(strip_site_name(c)),
            (None, Some(h)) => Some(h.to_string()),
            (None, None) => self.h1.clone().filter(|h| !h.is_empty()),
        }
    }
}

/// The longest string `articleBody` of a JSON-LD value (objects, arrays and
/// `@graph`s of them, a few levels deep).
fn longest_article_body(value: &serde_json::Value) -> Option<&str> {
    fn visit<'v>(v: &'v serde_json::Value, depth: usize, best: &mut Option<&'v str>) {
        if depth > 6 {
            return;
        }
        match v {
            serde_json::Value::Array(items) => {
                for item in items {
                    visit(item, depth + 1, best);
                }
            }
            serde_json::Value::Object(map) => {
                for (k, item) in map {
                    if let (true, Some(body)) = (k == "articleBody", item.as_str()) {
                        if !best.is_some_and(|b| b.len() >= body.len()) {
                            *best = Some(body);
                        }
                    } else if item.is_array() || item.is_object() {
                        visit(item, depth + 1, best);
                    }
                }
            }
            _ => {}
        }
    }
    let mut best = None;
    visit(value, 0, &mut best);
    best
}

/// The paragraphs of a JSON-LD `articleBody`: blank lines separate paragraphs
/// and single line breaks stay; a body that carries markup is stripped of it.
fn article_body_blocks(body: &str) -> Vec<String> {
    if body.contains('<') && looks_like_html(body) {
        return strip_tags(body).into_iter().map(|b| b.text).collect();
    }
    let mut out = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    for line in body.lines() {
        let l = text::collapse_ws(line);
        if l.is_empty() {
            if !cur.is_empty() {
                out.push(cur.join("\n"));
                cur.clear();
            }
        } else {
            cur.push(l);
        }
    }
    if !cur.is_empty() {
        out.push(cur.join("\n"));
    }
    out
}

/// Cuts a trailing " | Site" or " - Site" from a page title when the rest is clearly the headline.
fn strip_site_name(title: &str) -> String {
    let mut t = title.trim();
    for _ in 0..2 {
        let cut = [" | ", " - ", " – ", " — ", " :: ", " · "]
            .iter()
            .filter_map(|sep| t.rfind(sep).map(|i| (i, sep.len())))
            .max_by_key(|(i, _)| *i);
        let Some((i, len)) = cut else { break };
        let (head, tail) = (span::upto(t, i), span::from(t, i + len));
        let short_tail = tail.chars().count() <= 30 && tail.split_whitespace().count() <= 4;
        if short_tail && head.chars().count() >= 15 {
            t = head.trim();
        } else {
            break;
        }
    }
    t.to_string()
}

impl<'a> Visitor<'a> for MetaVisitor {
    fn enter(&mut self, node: NodeRef<'a, Node>) -> bool {
        let Node::Element(el) = node.value() else {
            return true;
        };
        let name = el.name();
        if name.starts_with("ix:") {
            self.saw_ixbrl = true;
        }
        match name {
            "meta" => {
                let key = attr(el, "property")
                    .or_else(|| attr(el, "name"))
                    .or_else(|| attr(el, "itemprop"))
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                let content = attr(el, "content").unwrap_or("");
                if ["og:", "article:", "twitter:"]
                    .iter()
                    .any(|p| key.starts_with(p))
                {
                    self.saw_social_meta = true;
                }
                match key.as_str() {
                    "og:title" | "twitter:title" if self.og_title.is_none() => {
                        let t = text::collapse_ws(content);
                        if !t.is_empty() {
                            self.og_title = Some(t);
                        }
                    }
                    "article:published_time" | "og:published_time" => self.add_date(0, content),
                    "datepublished" => self.add_date(2, content),
                    "pubdate" | "publishdate" | "publish-date" | "publish_date" | "date"
                    | "dc.date" | "dc.date.issued" | "dcterms.date" | "sailthru.date"
                    | "parsely-pub-date" | "article.published" => self.add_date(3, content),
                    _ => {}
                }
            }
            "title" if self.title_tag.is_none() => {
                let t = node_text(node);
                if !t.is_empty() {
                    self.title_tag = Some(t);
                }
            }
            "h1" if self.h1.is_none() => {
                let t = node_text(node);
                if !t.is_empty() {
                    self.h1 = Some(t);
                }
            }
            "time" => {
                let value = attr(el, "datetime").unwrap_or("");
                if attr(el, "pubdate").is_some() {
                    self.add_date(2, value);
                }
                self.add_date(4, value);
            }
            "script" => {
                if attr(el, "type").is_some_and(|t| t.to_ascii_lowercase().contains("ld+json")) {
                    self.json_ld(node);
                }
                return false;
            }
            "ix:nonnumeric" => {
                let slot = match attr(el, "name").map(str::trim) {
                    Some(n) if n.eq_ignore_ascii_case("dei:EntityRegistrantName") => {
                        &mut self.dei_name
                    }
                    Some(n) if n.eq_ignore_ascii_case("dei:EntityCentralIndexKey") => {
                        &mut self.dei_cik
                    }
                    Some(n) if n.eq_ignore_ascii_case("dei:DocumentType") => &mut self.dei_type,
                    _ => return true,
                };
                if slot.is_none() {
                    *slot = Some(node_text(node));
                }
            }
            "style" => return false,
            _ => {}
        }
        if attr(el, "itemprop").is_some_and(|p| p.trim().eq_ignore_ascii_case("datePublished"))
            && name != "meta"
        {
            let v = attr(el, "content")
                .or_else(|| attr(el, "datetime"))
                .unwrap_or("");
            self.add_date(2, v);
        }
        true
    }
}

/// The visible-ish text of one element (all descendant text), whitespace collapsed.
fn node_text(node: NodeRef<'_, Node>) -> String {
    let mut s = String::new();
    for d in node.descendants() {
        if let Node::Text(t) = d.value() {
            s.push_str(t);
            s.push(' ');
        }
        if s.len() > 2_000 {
            break;
        }
    }
    text::collapse_ws(&s)
}

/// Parses the date part of an ISO 8601 timestamp, a compact `YYYYMMDD` date, or a written date.
pub(super) fn parse_date(value: &str) -> Option<NaiveDate> {
    static ISO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(\d{4})-(\d{1,2})-(\d{1,2})").expect("ISO date pattern is valid")
    });
    static COMPACT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(\d{4})(\d{2})(\d{2})(?:\D|$)").expect("compact date pattern is valid")
    });
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    for re in [&*ISO, &*COMPACT] {
        if let Some(c) = re.captures(v) {
            let y = c.get(1)?.as_str().parse().ok()?;
            let m = c.get(2)?.as_str().parse().ok()?;
            let d = c.get(3)?.as_str().parse().ok()?;
            return NaiveDate::from_ymd_opt(y, m, d);
        }
    }
    let v = text::prefix(v, 64);
    for fmt in ["%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%m/%d/%Y"] {
        if let Ok((d, _)) = NaiveDate::parse_and_remainder(v, fmt) {
            return Some(d);
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Measuring

#[derive(Debug, Default, Clone, Copy)]
struct NodeStats {
    /// Non-space chars of visible text in the subtree.
    text: usize,
    /// Of which inside links.
    link: usize,
    /// Links (`<a href>`) in the subtree, with or without text.
    links: u32,
    /// The last non-space char of the subtree's text (`'\0'` when there is none).
    last: char,
    /// The subtree's text starts inside a link.
    lead_link: bool,
}

impl NodeStats {
    /// True when the text ends like a sentence (full stop, or a quote or bracket after one).
    fn ends_sentence(&self) -> bool {
        matches!(self.last, '.' | '!' | '"' | '\u{201d}' | ')' | ';')
    }
}

#[derive(Default)]
struct MeasureVisitor {
    stats: HashMap<NodeId, NodeStats>,
    acc: Vec<NodeStats>,
    /// Open `<a>` elements.
    link_depth: usize,
    /// The first few thousand chars of visible text, to recognise a filing cover page.
    opening: String,
}

const OPENING_CHARS: usize = 6_000;

impl<'a> Visitor<'a> for MeasureVisitor {
    fn enter(&mut self, node: NodeRef<'a, Node>) -> bool {
        match node.value() {
            Node::Text(t) => {
                let n = t.chars().filter(|c| !c.is_whitespace()).count();
                if let Some(top) = self.acc.last_mut() {
                    if top.text == 0 && n > 0 {
                        top.lead_link = self.link_depth > 0;
                    }
                    top.text += n;
                    if let Some(c) = t.chars().rev().find(|c| !c.is_whitespace()) {
                        top.last = c;
                    }
                }
                if self.opening.len() < OPENING_CHARS {
                    self.opening.push_str(text::prefix(t, OPENING_CHARS));
                    self.opening.push(' ');
                }
                false
            }
            Node::Element(el) => {
                if is_hard_dropped(el) {
                    return false;
                }
                if el.name() == "a" {
                    self.link_depth += 1;
                }
                self.acc.push(NodeStats::default());
                true
            }
            Node::Document | Node::Fragment => {
                self.acc.push(NodeStats::default());
                true
            }
            _ => false,
        }
    }

    fn leave(&mut self, node: NodeRef<'a, Node>) {
        let Some(mut own) = self.acc.pop() else {
            return;
        };
        if let Node::Element(el) = node.value() {
            if el.name() == "a" {
                self.link_depth = self.link_depth.saturating_sub(1);
                own.link = own.text;
                if attr(el, "href").is_some() {
                    own.links += 1;
                }
            }
        }
        self.stats.insert(node.id(), own);
        if let Some(parent) = self.acc.last_mut() {
            if parent.text == 0 && own.text > 0 {
                parent.lead_link = own.lead_link;
            }
            parent.text += own.text;
            parent.link += own.link;
            parent.links += own.links;
            if own.text > 0 {
                parent.last = own.last;
            }
        }
    }
}

/// True when the opening text reads like the cover page of an SEC filing: the
/// Commission's name and address and a form name.
fn looks_like_filing_cover(opening: &str) -> bool {
    static FORM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?-u:\b)form\s+(?:8-k|10-k|10-q|6-k|20-f|40-f|10-k405|10-ksb|10-qsb|s-1|s-4|def\s*14a|11-k|sd)(?-u:\b)")
            .expect("form pattern is valid")
    });
    static SEC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)securities\s+and\s+exchange\s+commission").expect("SEC pattern is valid")
    });
    // Every cover page carries the Commission's ZIP code; news about a filing does not.
    SEC.is_match(opening) && FORM.is_match(opening) && opening.contains("20549")
}

// ---------------------------------------------------------------------------
// Article selection

struct ScoreVisitor<'s> {
    stats: &'s HashMap<NodeId, NodeStats>,
    total_text: usize,
    scores: HashMap<NodeId, f64>,
    article_bodies: Vec<NodeId>,
    articles: Vec<NodeId>,
}

impl<'s> ScoreVisitor<'s> {
    fn text_of(&self, id: NodeId) -> usize {
        self.stats.get(&id).map_or(0, |s| s.text)
    }

    /// Text written straight into a block container, paragraphs separated by
    /// `<br>`s as older pages do, votes like a paragraph would.
    fn vote_for_loose_text(&mut self, node: NodeRef<'_, Node>, t: &str) {
        let Some(parent) = node.parent() else {
            return;
        };
        let Node::Element(el) = parent.value() else {
            return;
        };
        if !matches!(
            el.name(),
            "div" | "td" | "section" | "article" | "main" | "body" | "blockquote" | "center" | "dd"
        ) {
            return;
        }
        let n = t.chars().filter(|c| !c.is_whitespace()).count();
        if n < MIN_PARAGRAPH_CHARS {
            return;
        }
        *self.scores.entry(parent.id()).or_default() += n as f64;
        if let Some(grand) = parent.parent() {
            *self.scores.entry(grand.id()).or_default() += n as f64 / 2.0;
        }
    }
}

impl<'a> Visitor<'a> for ScoreVisitor<'_> {
    fn enter(&mut self, node: NodeRef<'a, Node>) -> bool {
        let el = match node.value() {
            Node::Element(el) => el,
            Node::Text(t) => {
                self.vote_for_loose_text(node, t);
                return false;
            }
            other => return matches!(other, Node::Document | Node::Fragment),
        };
        if is_hard_dropped(el) {
            return false;
        }
        let share = self.text_of(node.id()) as f64 / self.total_text.max(1) as f64;
        if (is_chrome(el) || is_furniture(el) || is_teaser_list(node, self.stats))
            && share < KEEP_SHARE
        {
            return false;
        }
        if attr(el, "itemprop").is_some_and(|p| p.split_whitespace().any(|w| w == "articleBody")) {
            self.article_bodies.push(node.id());
        }
        if el.name() == "article" {
            self.articles.push(node.id());
        }
        if matches!(el.name(), "p" | "pre") {
            let s = self.stats.get(&node.id()).copied().unwrap_or_default();
            if s.text >= MIN_PARAGRAPH_CHARS && s.text > s.link {
                let score = (s.text - s.link) as f64;
                if let Some(parent) = node.parent() {
                    *self.scores.entry(parent.id()).or_default() += score;
                    if let Some(grand) = parent.parent() {
                        *self.scores.entry(grand.id()).or_default() += score / 2.0;
                    }
                }
            }
        }
        true
    }
}

/// Picks the subtrees that hold the article (see the module documentation), in document order.
fn choose_article_roots<'a>(
    root: NodeRef<'a, Node>,
    stats: &HashMap<NodeId, NodeStats>,
) -> Vec<NodeRef<'a, Node>> {
    let total_text = stats.get(&root.id()).map_or(0, |s| s.text);
    let mut scorer = ScoreVisitor {
        stats,
        total_text,
        scores: HashMap::new(),
        article_bodies: Vec::new(),
        articles: Vec::new(),
    };
    walk(root, &mut scorer);
    let tree = root.tree();
    let text_of = |id: &NodeId| stats.get(id).map_or(0, |s| s.text);

    if let Some(best) = scorer.article_bodies.iter().max_by_key(|id| text_of(id)) {
        if text_of(best) >= 150 {
            if let Some(n) = tree.get(*best) {
                return vec![n];
            }
        }
    }
    let dense = scorer
        .scores
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(id, s)| (*id, *s));
    if let Some(best) = scorer.articles.iter().max_by_key(|id| text_of(id)) {
        let t = text_of(best) as f64;
        let dense_score = dense.map_or(0.0, |(_, s)| s);
        if t >= 250.0 && t >= 0.5 * dense_score {
            if let Some(n) = tree.get(*best) {
                return vec![n];
            }
        }
    }
    if let Some((id, score)) = dense {
        if score >= 150.0 {
            if let Some(n) = tree.get(id) {
                return with_dense_siblings(n, score, &scorer.scores, stats);
            }
        }
    }
    vec![root]
}

/// The densest element plus those of its siblings that continue the article: an
/// article split over several containers leaves each with part of the score.
fn with_dense_siblings<'a>(
    best: NodeRef<'a, Node>,
    best_score: f64,
    scores: &HashMap<NodeId, f64>,
    stats: &HashMap<NodeId, NodeStats>,
) -> Vec<NodeRef<'a, Node>> {
    let Some(parent) = best.parent() else {
        return vec![best];
    };
    let threshold = (0.2 * best_score).max(MIN_PARAGRAPH_CHARS as f64);
    parent
        .children()
        .filter(|c| {
            if c.id() == best.id() {
                return true;
            }
            let Node::Element(el) = c.value() else {
                return false;
            };
            if is_hard_dropped(el) || is_chrome(el) || is_furniture(el) {
                return false;
            }
            let score = scores.get(&c.id()).copied().unwrap_or(0.0);
            let s = stats.get(&c.id()).copied().unwrap_or_default();
            let prose = el.name() == "p" && s.text >= 80 && s.link * 4 < s.text;
            score >= threshold || prose
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Rendering

/// How strongly two pieces of text are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
enum Break {
    #[default]
    None,
    Space,
    Cell,
    Line,
    Para,
}

/// One paragraph of rendered text.
#[derive(Debug, Default)]
pub(super) struct Block {
    pub text: String,
    /// Non-space chars.
    pub chars: usize,
    /// Non-space chars inside links.
    pub link_chars: usize,
}

/// Accumulates text into paragraphs, collapsing white space and coalescing breaks.
#[derive(Default)]
pub(super) struct Writer {
    blocks: Vec<Block>,
    cur: Block,
    pending: Break,
    pre_depth: usize,
    link_depth: usize,
    /// A `<br>` came last, with nothing but white space after it.
    after_br: bool,
}

impl Writer {
    fn brk(&mut self, b: Break) {
        if b > self.pending {
            self.pending = b;
        }
    }

    pub(super) fn para(&mut self) {
        self.brk(Break::Para);
    }

    fn line(&mut self) {
        self.brk(Break::Line);
    }

    pub(super) fn text(&mut self, s: &str) {
        for ch in s.chars() {
            let Some(ch) = text::clean_char(ch) else {
                continue;
            };
            if self.pre_depth > 0 {
                match ch {
                    '\n' => {
                        self.brk(Break::Line);
                        continue;
                    }
                    '\r' => continue,
                    _ => {}
                }
            } else if ch.is_whitespace() {
                self.brk(Break::Space);
                continue;
            }
            self.flush_pending();
            self.after_br = false;
            self.cur.text.push(ch);
            if !ch.is_whitespace() {
                self.cur.chars += 1;
                if self.link_depth > 0 {
                    self.cur.link_chars += 1;
                }
            }
        }
    }

    fn flush_pending(&mut self) {
        if !self.cur.text.is_empty() {
            match self.pending {
                Break::Para => {
                    let done = std::mem::take(&mut self.cur);
                    self.push_block(done);
                }
                Break::Line => self.cur.text.push('\n'),
                Break::Cell => self.cur.text.push('\t'),
                Break::Space => self.cur.text.push(' '),
                Break::None => {}
            }
        }
        self.pending = Break::None;
    }

    fn push_block(&mut self, mut block: Block) {
        let trimmed = block.text.trim_end().len();
        block.text.truncate(trimmed);
        if block.chars > 0 {
            self.blocks.push(block);
        }
    }

    pub(super) fn finish(mut self) -> Vec<Block> {
        let last = std::mem::take(&mut self.cur);
        self.push_block(last);
        self.blocks
    }
}

/// What an element does to the text flow.
fn break_of(name: &str) -> Break {
    match name {
        "address" | "article" | "aside" | "blockquote" | "body" | "center" | "dd" | "details"
        | "dir" | "div" | "dl" | "dt" | "fieldset" | "figcaption" | "figure" | "footer"
        | "form" | "frameset" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "header" | "hgroup"
        | "hr" | "html" | "legend" | "li" | "listing" | "main" | "menu" | "nav" | "ol" | "p"
        | "plaintext" | "pre" | "section" | "summary" | "table" | "ul" | "caption" | "page"
        | "xmp" => Break::Para,
        "br" | "tr" => Break::Line,
        "td" | "th" => Break::Cell,
        _ => Break::None,
    }
}

struct RenderVisitor<'s> {
    writer: Writer,
    stats: &'s HashMap<NodeId, NodeStats>,
    mode: Mode,
    root_text: usize,
    root_ids: Vec<NodeId>,
    /// Inside a table cell, blocks end lines rather than paragraphs: filings lay
    /// out headings such as "Item 5.02." and their titles in adjacent cells.
    cell_depth: usize,
}

impl RenderVisitor<'_> {
    fn break_for(&self, name: &str) -> Break {
        match break_of(name) {
            Break::Para if self.cell_depth > 0 => Break::Line,
            b => b,
        }
    }
}

impl<'a> Visitor<'a> for RenderVisitor<'_> {
    fn enter(&mut self, node: NodeRef<'a, Node>) -> bool {
        match node.value() {
            Node::Text(t) => {
                self.writer.text(t);
                false
            }
            Node::Element(el) => {
                if is_hard_dropped(el) {
                    return false;
                }
                if !self.root_ids.contains(&node.id()) {
                    let text = self.stats.get(&node.id()).map_or(0, |s| s.text);
                    let small = (text as f64) < KEEP_SHARE * self.root_text.max(1) as f64;
                    let furniture = self.mode == Mode::Page
                        && (is_furniture(el)
                            || is_teaser_list(node, self.stats)
                            || is_teaser_card(node, el, self.stats));
                    if (is_chrome(el) || furniture) && small {
                        return false;
                    }
                }
                let name = el.name();
                if name == "br" && self.mode == Mode::Page && self.cell_depth == 0 {
                    // Two line breaks in a row end a paragraph.
                    if self.writer.after_br {
                        self.writer.para();
                    } else {
                        self.writer.line();
                    }
                    self.writer.after_br = true;
                    return true;
                }
                self.writer.brk(self.break_for(name));
                match name {
                    "pre" | "listing" | "plaintext" | "xmp" => self.writer.pre_depth += 1,
                    "a" => self.writer.link_depth += 1,
                    "td" | "th" => self.cell_depth += 1,
                    _ => {}
                }
                true
            }
            Node::Document | Node::Fragment => true,
            _ => false,
        }
    }

    fn leave(&mut self, node: NodeRef<'a, Node>) {
        if let Node::Element(el) = node.value() {
            let name = el.name();
            if matches!(name, "td" | "th") {
                self.cell_depth = self.cell_depth.saturating_sub(1);
            }
            match self.break_for(name) {
                Break::Para => self.writer.para(),
                Break::Line if name != "br" => self.writer.line(),
                _ => {}
            }
            match name {
                "pre" | "listing" | "plaintext" | "xmp" => {
                    self.writer.pre_depth = self.writer.pre_depth.saturating_sub(1)
                }
                "a" => self.writer.link_depth = self.writer.link_depth.saturating_sub(1),
                _ => {}
            }
        }
    }
}

/// True for paragraphs of page furniture: link lists, subscription prompts, copyright lines.
fn is_boilerplate_block(block: &Block) -> bool {
    static STARTS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(?:subscribe|sign up|sign-up|join now|log ?in(?-u:\b)|sign in(?-u:\b)|read more|read next|more from|related(?-u:\b)|share(?-u:\b)|share this|follow us|advertisement|click here|trending|most (?:read|popular)|recommended|sponsored|(?:view|show|read|post|leave|add) (?:a |all |the )?comments?|\d+ comments?$|invalid email|thanks? (?:you )?for (?:subscribing|signing up)|copyright|©|\(c\) \d{4})",
        )
        .expect("boilerplate start pattern is valid")
    });
    static ANYWHERE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)subscribe to our|sign up for (?:our|the)|newsletter|invalid email address|thanks? (?:you )?for subscribing|we use cookies|uses cookies|cookie (?:policy|settings|preferences)|accept (?:all )?cookies|by continuing to (?:use|browse)|all rights reserved|privacy policy|terms of (?:use|service)|enter your email|email address",
        )
        .expect("boilerplate phrase pattern is valid")
    });
    // Headings of furniture that stand alone as a paragraph.
    static HEADING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(?:you (?:may|might) (?:also )?like|more (?:stories|news|headlines|coverage|on this(?: story| topic)?)|(?:top|latest|popular|more|other|recent) (?:stories|news|headlines|videos)|(?:editor'?s|our) picks|don'?t miss|also read|also on [\w .]+|headlines|popular(?: now)?|just in|in case you missed it|paid (?:content|post)|partner content|from our partners|advertisement|ad)\s*:?$",
        )
        .expect("furniture heading pattern is valid")
    });
    let t = block.text.trim();
    let n = block.chars;
    if n == 0 {
        return true;
    }
    if n < 60 && HEADING.is_match(t) {
        return true;
    }
    // A byline: "By" and names, perhaps a date, no sentence.
    static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:By|BY|Written by|Reporting by)\s+\p{Lu}[^.!?]*$")
            .expect("byline pattern is valid")
    });
    if n < 80 && t.split_whitespace().count() <= 12 && BYLINE.is_match(t) {
        return true;
    }
    if n < 300 && block.link_chars * 10 >= n * 7 {
        return true;
    }
    if n < 200 && STARTS.is_match(t) {
        return true;
    }
    n < 300 && ANYWHERE.is_match(t)
}

// ---------------------------------------------------------------------------
// Fallback for pathological nesting

/// True when the open-tag nesting of `raw` (ignoring void and self-closing
/// elements and the ones HTML closes implicitly) exceeds `limit`, or when more
/// than `limit / 8` formatting elements (`b`, `font`, `a` ...) are open at once:
/// the tree builder re-checks every open formatting element for each new one.
fn nesting_depth_exceeds(raw: &str, limit: usize) -> bool {
    let bytes = raw.as_bytes();
    let formatting_limit = limit / 8;
    let mut depth: usize = 0;
    let mut formatting: usize = 0;
    let mut i = 0;
    while let Some(off) = memchr_lt(&bytes[i..]) {
        let start = i + off + 1;
        i = start;
        if bytes[start..].starts_with(b"!--") {
            i = find_bytes(&bytes[start..], b"-->").map_or(bytes.len(), |p| start + p + 3);
            continue;
        }
        let closing = bytes.get(start) == Some(&b'/');
        let name_start = if closing { start + 1 } else { start };
        let mut j = name_start;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b':') {
            j += 1;
        }
        if j == name_start {
            continue;
        }
        let name = &bytes[name_start..j];
        if !closing && is_raw_text_element(name) {
            // Script and style bodies are not markup: "i<n" in a loop is no tag.
            i = find_end_tag(bytes, j, name).unwrap_or(bytes.len());
            continue;
        }
        if is_void_or_implied(name) {
            continue;
        }
        let is_formatting = is_formatting_element(name);
        if closing {
            depth = depth.saturating_sub(1);
            if is_formatting {
                formatting = formatting.saturating_sub(1);
            }
        } else {
            // A self-closing tag ends with "/>" before the next '>'.
            let end = bytes[j..].iter().position(|&b| b == b'>').map(|p| j + p);
            if end.is_some_and(|e| e > 0 && bytes[e - 1] == b'/') {
                continue;
            }
            depth += 1;
            if is_formatting {
                formatting += 1;
            }
            if depth > limit || formatting > formatting_limit {
                return true;
            }
        }
    }
    false
}

fn is_raw_text_element(name: &[u8]) -> bool {
    const NAMES: &[&str] = &["script", "style", "textarea", "title", "xmp"];
    NAMES
        .iter()
        .any(|n| n.as_bytes().eq_ignore_ascii_case(name))
}

fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The position just past `</name` (any case) at or after `from`.
fn find_end_tag(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut pos = from;
    while let Some(p) = find_bytes(&bytes[pos..], b"</") {
        let at = pos + p + 2;
        let end = at + name.len();
        if bytes
            .get(at..end)
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
        {
            return Some(end);
        }
        pos = at;
    }
    None
}

fn is_formatting_element(name: &[u8]) -> bool {
    const NAMES: &[&str] = &[
        "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt",
        "u",
    ];
    NAMES
        .iter()
        .any(|n| n.as_bytes().eq_ignore_ascii_case(name))
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

fn is_void_or_implied(name: &[u8]) -> bool {
    const NAMES: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup",
        "tbody", "thead", "tfoot", "colgroup", "rb", "rt", "rp", "page",
    ];
    NAMES
        .iter()
        .any(|n| n.as_bytes().eq_ignore_ascii_case(name))
}

/// The text of the first `<title>` element, found without building a tree.
fn title_tag_text(raw: &str) -> Option<String> {
    let head = text::prefix(raw, 262_144);
    let lower = head.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + span::from(&lower, open).find('>')? + 1;
    let end = start + span::from(&lower, start).find("</title")?;
    let t = text::collapse_ws(&text::decode_entities(span::clip(head, start, end)));
    (!t.is_empty()).then_some(t)
}

/// Renders HTML without building a tree: tags become breaks, raw-text elements
/// and comments are skipped, entities are decoded. Linear in the input.
pub(super) fn strip_tags(raw: &str) -> Vec<Block> {
    let lower = raw.to_ascii_lowercase();
    let mut w = Writer::default();
    let mut i = 0;
    while i < raw.len() {
        let Some(off) = span::from(raw, i).find('<') else {
            w.text(&text::decode_entities(span::from(raw, i)));
            break;
        };
        let lt = i + off;
        if lt > i {
            w.text(&text::decode_entities(span::clip(raw, i, lt)));
        }
        if span::from(&lower, lt).starts_with("<!--") {
            i = span::from(&lower, lt + 4)
                .find("-->")
                .map_or(raw.len(), |p| lt + 4 + p + 3);
            continue;
        }
        let Some(gt) = span::from(raw, lt).find('>').map(|p| lt + p) else {
            // An unclosed '<' at the end: show it as text.
            w.text(span::from(raw, lt));
            break;
        };
        let tag = span::clip(&lower, lt + 1, gt);
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == ':')
            .collect();
        i = gt + 1;
        if name.is_empty() {
            if !tag.starts_with('!') && !tag.starts_with('?') {
                w.text(span::clip(raw, lt, gt + 1));
            }
            continue;
        }
        if !closing
            && matches!(
                name.as_str(),
                "script"
                    | "style"
                    | "textarea"
                    | "title"
                    | "xmp"
                    | "noscript"
                    | "template"
                    | "head"
            )
        {
            let end_tag = format!("</{name}");
            i = span::from(&lower, i)
                .find(&end_tag)
                .and_then(|p| span::from(&lower, i + p).find('>').map(|q| i + p + q + 1))
                .unwrap_or(raw.len());
            continue;
        }
        match break_of(&name) {
            Break::None => {}
            b => w.brk(b),
        }
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn style_hiding_is_recognised_in_any_spelling() {
        assert!(style_hides("display:none"));
        assert!(style_hides("color: red; DISPLAY : None !important"));
        assert!(style_hides("visibility:hidden"));
        assert!(!style_hides("display:block; font-weight: none"));
    }

    #[test]
    fn site_names_are_cut_from_titles() {
        assert_eq!(
            strip_site_name("Acme sues Widget Corp over patents | Daily News"),
            "Acme sues Widget Corp over patents"
        );
        assert_eq!(
            strip_site_name("Q&A - a long part - and more words here ok"),
            "Q&A - a long part - and more words here ok"
        );
    }

    #[test]
    fn dates_parse_from_common_spellings() {
        let d = NaiveDate::from_ymd_opt(2023, 11, 6);
        assert_eq!(parse_date("2023-11-06T13:00:15.055Z"), d);
        assert_eq!(parse_date("20231106"), d);
        assert_eq!(parse_date("November 6, 2023"), d);
        assert_eq!(parse_date("soon"), None);
    }

    #[test]
    fn deep_nesting_is_detected_without_counting_void_or_closed_tags() {
        let deep = "<div>".repeat(50);
        assert!(nesting_depth_exceeds(&deep, 40));
        assert!(nesting_depth_exceeds(&"<b>x".repeat(6), 40));
        assert!(!nesting_depth_exceeds(&"<b>x</b>".repeat(100), 40));
        let script = format!(
            "<script>{}</script><!-- {} --><p>x",
            "if (i<n) {}".repeat(100),
            "<div>".repeat(100)
        );
        assert!(!nesting_depth_exceeds(&script, 40));
        assert!(!nesting_depth_exceeds(&"<div></div>".repeat(100), 40));
        assert!(!nesting_depth_exceeds(&"<p>x<br><img/>".repeat(100), 40));
    }

    #[test]
    fn deeply_nested_pages_still_get_text_and_title() {
        let raw = format!(
            "<html><head><title>Acme halts output | News</title></head><body>{}<p>Acme halted output at its plant.</p></body></html>",
            "<div>".repeat(MAX_TREE_DEPTH + 10)
        );
        let r = render(&raw, None);
        assert_eq!(r.title.as_deref(), Some("Acme halts output"));
        assert_eq!(r.text, "Acme halted output at its plant.");
    }

    const STORY_P: &str = "<p>Harbor Mills said on Thursday it had closed its river terminal after a barge struck the loading pier, and that shipments would resume next week.</p><p>The company said no one was injured and that inspectors from the port authority were on site.</p><p>Grain traders said the closure would delay about forty cargoes bound for the coast.</p>";

    fn page_text(html: &str) -> String {
        render(html, None).text
    }

    #[test]
    fn teaser_lists_are_dropped_whatever_their_class_names() {
        let html = format!(
            "<html><body><div class='k2'>{STORY_P}<div class='q9'><div class='z'><a href='/a'>Corvid Air halts flights to the islands</a></div><div class='z'><a href='/b'>Regulator fines Pell Bank over fees</a></div><div class='z'><a href='/c'>Dunmore Foods sued over labels</a></div><div class='z'><a href='/d'>Five charts on the harvest</a></div></div></div></body></html>"
        );
        let t = page_text(&html);
        assert!(t.contains("shipments would resume next week."), "{t}");
        for gone in ["Corvid Air", "Pell Bank", "Dunmore Foods", "Five charts"] {
            assert!(!t.contains(gone), "kept {gone:?}: {t}");
        }
    }

    #[test]
    fn teaser_cards_with_the_link_around_the_picture_are_dropped() {
        // The headline text sits beside the link, so the block is not link text.
        let card = |h: &str| {
            format!(
                "<div class='c'><a href='/x'><img src='p.jpg'></a><div class='t'>{h}</div></div>"
            )
        };
        let html = format!(
            "<html><body><div class='s'>{}{}{}</div><div class='m'>{STORY_P}</div></body></html>",
            card("Corvid Air halts flights to the islands"),
            card("Pell Bank sued by former tellers"),
            card("Regulator fines Dunmore Foods")
        );
        let t = page_text(&html);
        assert!(t.contains("Grain traders said"), "{t}");
        assert!(
            !t.contains("Corvid") && !t.contains("Pell") && !t.contains("Dunmore"),
            "{t}"
        );
    }

    #[test]
    fn a_teaser_card_between_paragraphs_is_dropped() {
        let html = "<html><body><main><p>Harbor Mills said on Thursday it had closed its river terminal after a barge struck the loading pier.</p><div class='c'><a href='/x'><h3>Corvid Air halts flights to the islands</h3></a><p>Executives said the decision was taken with regret.</p><span>2h ago</span></div><p>The company said no one was injured and that inspectors from the port authority were on site.</p><div><a href='/p'>Pell Bank</a> was not part of the talks, the company said in a statement on Friday afternoon.</div></main></body></html>";
        let t = page_text(html);
        assert!(
            !t.contains("Corvid") && !t.contains("regret") && !t.contains("2h ago"),
            "{t}"
        );
        assert!(t.contains("inspectors from the port authority"), "{t}");
        // A paragraph that merely opens with a short link is not a card.
        assert!(t.contains("Pell Bank was not part of the talks"), "{t}");
    }

    #[test]
    fn paragraphs_with_a_few_links_are_not_teasers() {
        let html = "<html><body><div><p>Shares of <a href='/q/a'>Alder</a>, <a href='/q/b'>Birch</a> and <a href='/q/c'>Cedar</a> fell after the ruling.</p><p><a href='/q/a'>Alder</a> said it would appeal the decision to the higher court within weeks.</p><p>The judge said the contract was void because it was never signed by both parties.</p></div></body></html>";
        let t = page_text(html);
        assert!(
            t.contains("Shares of Alder, Birch and Cedar fell after the ruling."),
            "{t}"
        );
        assert!(t.contains("Alder said it would appeal"), "{t}");
    }

    #[test]
    fn rails_named_by_class_are_dropped() {
        for class in [
            "most-read",
            "recirc-module",
            "read-next",
            "more-from-section",
            "teaser-grid",
        ] {
            let html = format!(
                "<html><body><main>{STORY_P}<div class='{class}'><p>Corvid Air halts flights to the islands after the storm</p></div></main></body></html>"
            );
            let t = page_text(&html);
            assert!(!t.contains("Corvid"), "{class}: {t}");
            assert!(t.contains("Harbor Mills said"), "{class}: {t}");
        }
    }

    #[test]
    fn furniture_headings_standing_alone_are_dropped() {
        let html = format!(
            "<html><body><main>{STORY_P}<h3>You may also like</h3><h3>Top stories</h3><p>Popular</p></main></body></html>"
        );
        let t = page_text(&html);
        assert!(
            !t.contains("You may also like")
                && !t.contains("Top stories")
                && !t.contains("Popular"),
            "{t}"
        );
        assert!(t.contains("forty cargoes"), "{t}");
    }

    #[test]
    fn a_story_written_as_br_separated_text_is_found_and_split_into_paragraphs() {
        let html = "<html><body><table><tr><td><a href='/'>Home</a> | <a href='/m'>Markets</a></td></tr><tr><td><div>Harbor Mills said on Thursday it had closed its river terminal after a barge struck the pier.<br><br>The company said no one was injured and that inspectors were on site.<br>\n<br>Traders said the closure would delay about forty cargoes.</div></td><td><b>Headlines</b><br><a href='/1'>Corvid Air halts flights</a><br><a href='/2'>Pell Bank sued by tellers</a><br></td></tr></table></body></html>";
        let t = page_text(html);
        assert_eq!(
            t,
            "Harbor Mills said on Thursday it had closed its river terminal after a barge struck the pier.\n\nThe company said no one was injured and that inspectors were on site.\n\nTraders said the closure would delay about forty cargoes."
        );
    }

    #[test]
    fn a_thin_visible_body_is_replaced_by_the_json_ld_article_body() {
        let body = "Harbor Mills said on Thursday it had closed its river terminal.\\n\\nThe company said no one was injured and that inspectors from the port authority were on site.\\n\\nGrain traders said the closure would delay about forty cargoes bound for the coast.";
        let html = format!(
            "<html><head><title>Harbor Mills shuts terminal | Ledger</title><script type='application/ld+json'>{{\"@graph\":[{{\"@type\":\"NewsArticle\",\"articleBody\":\"{body}\"}}]}}</script></head><body><article><h1>Harbor Mills shuts terminal</h1><p>Harbor Mills said on Thursday it had closed its river terminal.</p><div class='paywall'>Subscribe to keep reading</div></article></body></html>"
        );
        let t = page_text(&html);
        assert!(
            t.starts_with("Harbor Mills shuts terminal\n\nHarbor Mills said on Thursday"),
            "{t}"
        );
        assert!(t.contains("\n\nGrain traders said the closure"), "{t}");
        assert!(!t.contains("Subscribe"), "{t}");
    }

    #[test]
    fn a_full_visible_body_wins_over_a_json_ld_summary() {
        let html = format!(
            "<html><head><script type='application/ld+json'>{{\"articleBody\":\"Short summary of the closure that is not the story.\"}}</script></head><body><article>{STORY_P}</article></body></html>"
        );
        let t = page_text(&html);
        assert!(
            t.contains("forty cargoes") && !t.contains("Short summary"),
            "{t}"
        );
    }

    #[test]
    fn a_web_page_reproducing_a_filing_cover_is_still_a_page() {
        let body = "<div class='n'><a href='/1'>Corvid Air halts flights to the islands</a></div><div class='n'><a href='/2'>Pell Bank sued by former tellers</a></div><div class='n'><a href='/3'>Regulator fines Dunmore Foods</a></div><div><p>SECURITIES AND EXCHANGE COMMISSION</p><p>Washington, D.C. 20549</p><p>FORM 8-K</p><p>On May 2, Harbor Mills entered into a settlement agreement with the port authority over the terminal closure.</p><p>The agreement resolves all claims of the authority against the company and its officers.</p></div>";
        let page = format!("<html><head><meta property='og:title' content='Harbor Mills 8-K'></head><body>{body}</body></html>");
        let r = render(&page, None);
        assert_eq!(r.mode, Some(Mode::Page));
        assert!(
            r.text.contains("settlement agreement") && !r.text.contains("Corvid"),
            "{}",
            r.text
        );
        let filing = format!("<html><body>{body}</body></html>");
        assert_eq!(render(&filing, None).mode, Some(Mode::Filing));
    }

    #[test]
    fn tag_stripping_drops_scripts_and_keeps_text() {
        let blocks =
            strip_tags("<p>One &amp; two</p><script>var x = '<p>';</script><div>three</div>");
        let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["One & two", "three"]);
    }
}
