//! RSS 2.0 (and RSS 1.0) and Atom feeds: each item or entry is a document with
//! its link, title and date.

use chrono::NaiveDateTime;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::published::parse_timestamp;
use crate::extract::Format;
use crate::store::models::DocumentFormat;

/// The items of a feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    /// `Rss` or `Atom`.
    pub kind: DocumentFormat,
    /// The items or entries that could be read, in feed order.
    pub entries: Vec<Entry>,
    /// Why the item after the last entry could not be read, when the feed is cut
    /// or broken inside it (a truncated download, an unterminated CDATA section):
    /// the entries before it are kept, and that item is reported as failed.
    pub cut: Option<String>,
}

/// One item (RSS) or entry (Atom).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    /// Title, whitespace collapsed; `None` when absent or blank.
    pub title: Option<String>,
    /// The item's address: RSS `<link>` text, or the `href` of the Atom `<link>` to the entry itself; `None` when absent.
    pub link: Option<String>,
    /// The fullest text given: `content:encoded` or `content`, else `description` or `summary`.
    pub body: Option<String>,
    /// `pubDate`, `published` or `issued`, else `updated` or `modified`, in UTC; `None` when absent or unreadable.
    pub published_at: Option<NaiveDateTime>,
    /// The item's identity: RSS `<guid>` or Atom `<id>`; `None` when absent.
    pub id: Option<String>,
}

/// Which field of an entry an element fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Link,
    Summary,
    Content,
    Published,
    Updated,
    Id,
}

fn field_of(local: &[u8], qualified: &[u8]) -> Option<Field> {
    Some(match local {
        b"title" => Field::Title,
        b"link" => Field::Link,
        b"description" | b"summary" => Field::Summary,
        b"content" | b"encoded" => Field::Content,
        b"pubDate" | b"published" | b"issued" => Field::Published,
        b"date" if qualified.starts_with(b"dc:") => Field::Published,
        b"updated" | b"modified" => Field::Updated,
        b"guid" | b"id" => Field::Id,
        _ => return None,
    })
}

/// An entry being read, with the text of each field seen so far.
#[derive(Debug, Default)]
struct Partial {
    title: String,
    link: String,
    summary: String,
    content: String,
    published: String,
    updated: String,
    id: String,
}

impl Partial {
    fn slot(&mut self, field: Field) -> &mut String {
        match field {
            Field::Title => &mut self.title,
            Field::Link => &mut self.link,
            Field::Summary => &mut self.summary,
            Field::Content => &mut self.content,
            Field::Published => &mut self.published,
            Field::Updated => &mut self.updated,
            Field::Id => &mut self.id,
        }
    }

    fn finish(self) -> Entry {
        let some = |s: String| {
            let s = s.trim().to_string();
            (!s.is_empty()).then_some(s)
        };
        let date = some(self.published)
            .or(some(self.updated))
            .and_then(|d| parse_timestamp(&d));
        Entry {
            title: some(self.title).map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")),
            link: some(self.link),
            body: some(self.content).or(some(self.summary)),
            published_at: date,
            id: some(self.id),
        }
    }
}

/// The `href` of an Atom `<link>` that points to the entry itself (no `rel`, or
/// `rel="alternate"`).
fn atom_href(element: &BytesStart<'_>) -> Option<String> {
    let mut href = None;
    let mut alternate = true;
    for attr in element.attributes().flatten() {
        let value = attr.unescape_value().ok()?.into_owned();
        match attr.key.local_name().as_ref() {
            b"href" => href = Some(value),
            b"rel" => alternate = value == "alternate",
            _ => {}
        }
    }
    href.filter(|_| alternate)
}

/// Parses a feed; the error says why it is not one.
pub fn parse(xml: &str) -> Result<Feed, String> {
    let mut reader = Reader::from_str(xml);
    let mut kind = None;
    let mut entries = Vec::new();
    // The entry being read, and the depth of its element.
    let mut current: Option<(Partial, usize)> = None;
    // The field being read, and the depth of its element.
    let mut field: Option<(Field, usize)> = None;
    let mut depth = 0usize;
    let mut cut = None;
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let reason = format!(
                    "malformed feed XML at byte {}: {e}",
                    reader.error_position()
                );
                // Inside the feed, the entries read so far stand; the broken
                // item is reported on its own.
                if kind.is_none() {
                    return Err(reason);
                }
                cut = Some(reason);
                break;
            }
        };
        match event {
            Event::Start(element) => {
                depth += 1;
                let local = element.local_name();
                let local = local.as_ref();
                if kind.is_none() {
                    kind = Some(match local {
                        b"rss" | b"RDF" => DocumentFormat::Rss,
                        b"feed" => DocumentFormat::Atom,
                        other => {
                            return Err(format!(
                                "not an RSS or Atom feed (the root element is <{}>)",
                                String::from_utf8_lossy(other)
                            ))
                        }
                    });
                    continue;
                }
                match &mut current {
                    None if local == b"item" || local == b"entry" => {
                        current = Some((Partial::default(), depth));
                    }
                    Some((partial, entry_depth))
                        if field.is_none() && depth == *entry_depth + 1 =>
                    {
                        if let Some(f) = field_of(local, element.name().as_ref()) {
                            if f == Field::Link {
                                if let Some(href) = atom_href(&element) {
                                    partial.link = href;
                                }
                            }
                            field = Some((f, depth));
                        }
                    }
                    _ => {}
                }
            }
            Event::Empty(element) => {
                if let Some((partial, entry_depth)) = &mut current {
                    if depth == *entry_depth && element.local_name().as_ref() == b"link" {
                        if let Some(href) = atom_href(&element) {
                            partial.link = href;
                        }
                    }
                }
            }
            Event::End(_) => {
                if field.is_some_and(|(_, d)| d == depth) {
                    field = None;
                }
                if current.as_ref().is_some_and(|(_, d)| *d == depth) {
                    if let Some((partial, _)) = current.take() {
                        entries.push(partial.finish());
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(text) => {
                if let (Some((partial, _)), Some((f, _))) = (&mut current, field) {
                    let text = match text.unescape() {
                        Ok(text) => text.into_owned(),
                        // HTML entities unknown to XML (&nbsp;) in a description.
                        Err(_) => String::from_utf8_lossy(text.as_ref()).into_owned(),
                    };
                    partial.slot(f).push_str(&text);
                }
            }
            Event::CData(data) => {
                if let (Some((partial, _)), Some((f, _))) = (&mut current, field) {
                    partial
                        .slot(f)
                        .push_str(&String::from_utf8_lossy(&data.into_inner()));
                }
            }
            Event::Eof => {
                if current.is_some() {
                    cut = Some(format!(
                        "the feed ends inside item {} (truncated?)",
                        entries.len() + 1
                    ));
                }
                break;
            }
            _ => {}
        }
    }
    let kind = kind.ok_or_else(|| "not an RSS or Atom feed (no root element)".to_string())?;
    Ok(Feed { kind, entries, cut })
}

/// Whether a feed body is HTML rather than plain text.
fn is_html(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    ["<p", "<br", "<div", "<a ", "</", "<ul", "<li", "<span"]
        .iter()
        .any(|tag| lower.contains(tag))
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The document of an entry: its title as headline, then its body; HTML when the
/// body is HTML. `None` when the entry has neither.
pub fn as_document(entry: &Entry) -> Option<(String, Format)> {
    match (&entry.title, &entry.body) {
        (None, None) => None,
        (Some(title), None) => Some((title.clone(), Format::Text)),
        (title, Some(body)) if is_html(body) => {
            let title = title.as_deref().map(escape_html).unwrap_or_default();
            Some((
                format!(
                    "<html><head><title>{title}</title></head><body><h1>{title}</h1>\n{body}\n</body></html>"
                ),
                Format::Html,
            ))
        }
        (Some(title), Some(body)) => Some((format!("{title}\n\n{body}"), Format::Text)),
        (None, Some(body)) => Some((body.clone(), Format::Text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_items_carry_title_link_date_and_text() {
        let xml = r#"<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Wire</title><link>https://wire.example</link>
<item><title>Acme sued</title><link>https://wire.example/1</link><guid isPermaLink="false">wire-1</guid>
<pubDate>Fri, 23 Jan 2026 14:05:00 +0000</pubDate>
<description>Acme was sued &amp; more.</description></item>
<item><title>Beta halts</title><link>https://wire.example/2</link>
<description><![CDATA[<p>Beta halted its service.</p>]]></description></item>
</channel></rss>"#;
        let feed = parse(xml).unwrap();
        assert_eq!(feed.kind, DocumentFormat::Rss);
        assert_eq!(feed.entries.len(), 2);
        let first = &feed.entries[0];
        assert_eq!(first.id.as_deref(), Some("wire-1"));
        assert_eq!(first.title.as_deref(), Some("Acme sued"));
        assert_eq!(first.link.as_deref(), Some("https://wire.example/1"));
        assert_eq!(first.body.as_deref(), Some("Acme was sued & more."));
        assert_eq!(
            first.published_at.map(|t| t.to_string()).as_deref(),
            Some("2026-01-23 14:05:00")
        );
        let (text, format) = as_document(first).unwrap();
        assert_eq!(
            (text.as_str(), format),
            ("Acme sued\n\nAcme was sued & more.", Format::Text)
        );
        let (html, format) = as_document(&feed.entries[1]).unwrap();
        assert_eq!(format, Format::Html);
        assert!(
            html.contains("<h1>Beta halts</h1>") && html.contains("<p>Beta halted"),
            "{html}"
        );
    }

    #[test]
    fn atom_entries_use_the_alternate_link_and_published_date() {
        let xml = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>Regulator</title>
<link href="https://reg.example/"/>
<entry><title type="text">Order against Gamma</title>
<link rel="self" href="https://reg.example/self/1"/>
<link rel="alternate" href="https://reg.example/1"/>
<updated>2026-02-03T10:00:00Z</updated><published>2026-02-02T09:00:00-05:00</published>
<summary>short</summary><content type="html">&lt;p&gt;The agency ordered Gamma.&lt;/p&gt;</content></entry>
</feed>"#;
        let feed = parse(xml).unwrap();
        assert_eq!(feed.kind, DocumentFormat::Atom);
        let entry = &feed.entries[0];
        assert_eq!(entry.link.as_deref(), Some("https://reg.example/1"));
        assert_eq!(
            entry.published_at.map(|t| t.to_string()).as_deref(),
            Some("2026-02-02 14:00:00")
        );
        assert_eq!(
            entry.body.as_deref(),
            Some("<p>The agency ordered Gamma.</p>")
        );
    }

    #[test]
    fn other_xml_and_broken_xml_are_refused_with_a_reason() {
        assert!(parse("<html><body/></html>")
            .unwrap_err()
            .contains("root element is <html>"));
        // Broken before the root element: not a feed at all.
        assert!(parse("<?xml version=\"1.0\"?><rss <")
            .unwrap_err()
            .starts_with("malformed feed XML"));
        // Broken inside the feed: the broken item is reported as cut.
        let feed = parse("<rss><channel><item><title>x</item></rss>").unwrap();
        assert!(feed.entries.is_empty());
        assert!(feed
            .cut
            .as_deref()
            .is_some_and(|c| c.starts_with("malformed feed XML")));
    }
}
