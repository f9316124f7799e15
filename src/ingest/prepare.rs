//! From a raw document to what the writer stores: the content hash, the
//! extraction, and each extracted event resolved against the registry and
//! checked against what the schema accepts.

use chrono::SubsecRound;
use sha2::{Digest, Sha256};

use super::index::PartyEntry;
use super::matching::{party_key, sorted_set, Profile, Stage};
use super::published::{published_line, Stated};
use super::registry::Registry;
use super::source::{at_midnight, RawDocument};
use crate::domain::{Confidence, Jurisdiction, Money};
use crate::extract::{self, Format};
use crate::store::models::{
    DatePrecision, DocumentFormat, EventKind, NewDocument, Role, SourceKind, Status,
};

/// Defaults for documents that do not state their own.
#[derive(Debug, Clone, Copy, Default)]
pub struct Defaults {
    pub source: Option<SourceKind>,
    pub published_at: Option<crate::extract::dates::Published>,
}

/// A document ready to be written with its events.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedDoc {
    pub name: String,
    pub input_bytes: u64,
    pub document: NewDocument,
    pub reports: Vec<Report>,
}

/// The evidence of a report: one span of the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub start: i64,
    pub end: i64,
    pub snippet: String,
    pub rule: String,
}

/// One extracted event, resolved against the registry.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub profile: Profile,
    pub status: Status,
    /// `(company id, role)`, each once.
    pub companies: Vec<(i64, Role)>,
    pub parties: Vec<PartyEntry>,
    pub jurisdiction: Option<Jurisdiction>,
    pub money: Option<Money>,
    pub confidence: Confidence,
    pub summary: String,
    pub evidence: Span,
    pub fingerprint: String,
}

/// The sha256 of content, lower-case hex.
pub fn content_hash(content: &str) -> String {
    hex::encode(Sha256::digest(content.as_bytes()))
}

/// The source kind of a document that states none.
pub fn default_source(container: DocumentFormat) -> SourceKind {
    match container {
        DocumentFormat::Text | DocumentFormat::Jsonl => SourceKind::News,
        DocumentFormat::Html => SourceKind::PressRelease,
        DocumentFormat::Edgar => SourceKind::Filing,
        DocumentFormat::Rss | DocumentFormat::Atom => SourceKind::Feed,
    }
}

/// The first line of a plain-text document, when short enough to be a headline.
fn headline(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    (line.chars().count() <= 300).then(|| line.to_string())
}

fn clean(value: Option<&str>) -> Option<String> {
    value
        .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|v| !v.is_empty())
}

/// Extracts the events of a document and resolves them for the writer; `hash` is
/// its [`content_hash`] when the caller has it already. A bug of the extractor on
/// this document is contained and returned as its error (see [`extract::guard`]).
pub fn prepare(
    raw: RawDocument,
    hash: Option<String>,
    registry: &Registry,
    defaults: Defaults,
) -> Result<PreparedDoc, extract::guard::InternalError> {
    // What the document states of its date comes first, then the caller's default.
    let stated = raw.published_at.or_else(|| match raw.format {
        Format::Text => published_line(&raw.content),
        _ => None,
    });
    let stated_date = stated.map(Stated::published).or(defaults.published_at);
    let extraction = registry.extractor.try_extract_from(
        &raw.content,
        raw.format,
        stated_date,
        raw.url.as_deref().or(raw.origin.as_deref()),
    )?;
    let hash = hash.unwrap_or_else(|| content_hash(&raw.content));
    Ok(prepare_extraction(
        raw, hash, extraction, stated, registry, defaults,
    ))
}

/// The rest of [`prepare`], once the extractor has run.
pub fn prepare_extraction(
    raw: RawDocument,
    hash: String,
    extraction: extract::Extraction,
    stated: Option<Stated>,
    registry: &Registry,
    defaults: Defaults,
) -> PreparedDoc {
    let normalized = extraction.document;
    let container = match raw.container {
        DocumentFormat::Text | DocumentFormat::Html | DocumentFormat::Edgar => {
            match normalized.format {
                Format::Html => DocumentFormat::Html,
                Format::Edgar => DocumentFormat::Edgar,
                Format::Text | Format::Auto => DocumentFormat::Text,
            }
        }
        other => other,
    };
    let filer = normalized.filer.as_ref();
    let published = stated
        .or(defaults.published_at.map(Stated::from))
        .or(normalized
            .published_at
            .map(|d| Stated::exact(at_midnight(d))))
        .or(filer
            .and_then(|f| f.filed_on)
            .map(|d| Stated::exact(at_midnight(d))));
    let published_at = published.map(|p| p.at.trunc_subsecs(6));
    let published_precision = published.and_then(Stated::stored_precision);
    let title = raw
        .title
        .or_else(|| clean(normalized.title.as_deref()))
        .or_else(|| match container {
            DocumentFormat::Text => headline(&normalized.text),
            _ => None,
        });
    let source = raw
        .source
        .or(defaults.source)
        .unwrap_or_else(|| default_source(container));
    let reports = extraction
        .events
        .iter()
        .filter_map(|event| report(event, &normalized.text, registry))
        .collect();
    let document = NewDocument {
        source_kind: source.as_str().to_string(),
        format: container.as_str().to_string(),
        url: raw.url,
        title,
        published_at,
        published_precision,
        content_hash: hash,
        byte_len: i64::try_from(raw.content.len()).unwrap_or(i64::MAX),
        filer_cik: filer.and_then(|f| f.cik),
        form_type: filer.and_then(|f| f.form_type.clone()),
        text: normalized.text,
        ingested_at: crate::store::now(),
    };
    PreparedDoc {
        name: raw.name,
        input_bytes: raw.input_bytes,
        document,
        reports,
    }
}

/// The evidence span of an event: the first one the extractor gave (offsets
/// checked against the text), with the rules of all of them.
fn evidence(event: &extract::Event, text: &str) -> Span {
    let mut rules: Vec<&str> = Vec::new();
    for e in &event.evidence {
        if !e.rule.is_empty() && !rules.contains(&e.rule.as_str()) {
            rules.push(&e.rule);
        }
    }
    let rule = if rules.is_empty() {
        "unspecified".to_string()
    } else {
        rules.join(" + ")
    };
    let first = event
        .evidence
        .iter()
        .filter(|e| e.start <= e.end && e.end <= text.len())
        .min_by_key(|e| (e.start, e.end));
    match first {
        Some(e) => {
            let snippet = if e.text.trim().is_empty() {
                text.get(e.start..e.end).unwrap_or_default().to_string()
            } else {
                e.text.clone()
            };
            Span {
                start: i64::try_from(e.start).unwrap_or(0),
                end: i64::try_from(e.end).unwrap_or(0),
                snippet,
                rule,
            }
        }
        None => Span {
            start: 0,
            end: 0,
            snippet: event.summary.clone(),
            rule,
        },
    }
}

/// An extracted event resolved against the registry, or `None` when its kind is
/// not one the database stores.
fn report(event: &extract::Event, text: &str, registry: &Registry) -> Option<Report> {
    let kind = event.kind;
    let action = event.action;
    let stage = Stage::of(kind, action, event.status);
    let status = event.status.unwrap_or_else(|| stage.status(kind));

    let mut companies: Vec<(i64, Role)> = Vec::new();
    for company in &event.companies {
        let Some(id) = registry.company_id(company.ticker.as_str()) else {
            continue;
        };
        let role = company.role;
        if !companies.contains(&(id, role)) {
            companies.push((id, role));
        }
    }
    for ticker in &event.tickers {
        if let Some(id) = registry.company_id(ticker.as_str()) {
            if !companies.iter().any(|(c, _)| *c == id) {
                companies.push((id, Role::Party));
            }
        }
    }
    let parties: Vec<PartyEntry> = event
        .parties
        .iter()
        .filter_map(|p| {
            clean(Some(&p.name)).map(|name| PartyEntry {
                name,
                role: p.role.as_str().to_string(),
            })
        })
        .collect();
    let date = event.date;
    let authority = clean(event.authority.as_deref());
    let amount_usd = event.amount_usd.filter(|a| *a >= 0);
    let profile = Profile {
        kind,
        stage,
        action,
        date,
        authority,
        amount_usd,
        companies: sorted_set(companies.iter().map(|(id, _)| *id)),
        parties: sorted_set(parties.iter().map(|p| party_key(&p.name))),
        plaintiffs: sorted_set(
            parties
                .iter()
                .filter(|p| p.role == "plaintiff")
                .map(|p| party_key(&p.name)),
        ),
    };
    let subjects: Vec<String> = if profile.companies.is_empty() {
        profile.parties.clone()
    } else {
        profile
            .companies
            .iter()
            .map(|&c| registry.ticker(c))
            .collect()
    };
    let fingerprint = fingerprint(&profile, &subjects);
    let summary = clean(Some(&event.summary)).unwrap_or_else(|| {
        format!(
            "{} {} {}",
            subjects.join(", "),
            kind.as_str(),
            profile.action
        )
    });
    Some(Report {
        evidence: evidence(event, text),
        status,
        companies,
        parties,
        jurisdiction: event.jurisdiction.clone(),
        money: event.money,
        confidence: event.confidence,
        summary,
        fingerprint,
        profile,
    })
}

/// A digest of what identifies an event (kind, step, family of action, subjects,
/// authority, date): a fine and a recall of one company on one day stay apart.
/// Reports of events without a listed company merge only on an equal fingerprint.
fn fingerprint(profile: &Profile, subjects: &[String]) -> String {
    let date = match profile.date {
        Some(d) => match d.precision {
            DatePrecision::Day => d.date.format("%Y-%m-%d").to_string(),
            DatePrecision::Month => d.date.format("%Y-%m").to_string(),
            DatePrecision::Year => d.date.format("%Y").to_string(),
        },
        None => String::new(),
    };
    let authority = profile
        .authority
        .as_deref()
        .map(party_key)
        .unwrap_or_default();
    // Lawsuits and halts are told apart by their step; regulatory actions by family.
    let family = match profile.kind {
        EventKind::RegulatoryAction => format!("{:?}", profile.action.family(profile.kind)),
        _ => String::new(),
    };
    let key = format!(
        "{}|{:?}|{}|{}|{}|{}",
        profile.kind.as_str(),
        profile.stage,
        family,
        subjects.join(","),
        authority,
        date
    );
    content_hash(&key)
}
