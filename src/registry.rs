#![cfg_attr(not(test), deny(clippy::string_slice))]
//! The company registry: listed companies, their tickers and the names people write.
//!
//! Records come from three sources in the same shape:
//! - the built-in registry (`fixtures/companies.csv`, compiled into the binary),
//! - SEC's `company_tickers.json` (`{"0": {"cik_str", "ticker", "title"}, ...}`),
//! - SEC's `company_tickers_exchange.json` (`{"fields": [...], "data": [[cik, name, ticker, exchange], ...]}`),
//! - the project's CSV format (`ticker,name,cik,exchange,aliases,former_tickers`).
//!
//! This module is pure: it parses and normalises, it never touches a database.
//! Both the extractor (`crate::extract`) and the store (`riskline companies import`)
//! build on it.
//!
//! ```
//! let records = riskline::registry::builtin();
//! assert!(records.iter().any(|r| r.ticker == "JPM"));
//! ```

use std::path::Path;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// The built-in registry, as shipped in the repository.
pub const BUILTIN_CSV: &str = include_str!("../fixtures/companies.csv");

/// One listed company and the names that designate it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyRecord {
    /// Today's US ticker, upper case (`BRK-B`).
    pub ticker: String,
    /// Legal name as registered (`JPMorgan Chase & Co.`).
    pub name: String,
    /// SEC Central Index Key, if known.
    pub cik: Option<i64>,
    /// Listing exchange (`NYSE`, `Nasdaq`, ...), if known.
    pub exchange: Option<String>,
    /// Names that designate the company, derived and declared, without duplicates.
    pub aliases: Vec<Alias>,
    /// Tickers the company traded under before.
    pub former_tickers: Vec<String>,
}

/// A name that designates a company.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Alias {
    /// The name as written, e.g. `Cruise`.
    pub text: String,
    /// How the name designates the company (legal name, brand, subsidiary, ...).
    pub kind: AliasKind,
}

pub use crate::domain::AliasKind;
use crate::domain::Ticker;

/// A registry file that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// Occurs when the file cannot be read from disk.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file, as given.
        path: String,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// Occurs when the content is neither SEC JSON nor the project's CSV.
    #[error("{path}: unrecognised registry format (expected SEC company_tickers JSON or CSV with header ticker,name,cik,exchange,aliases,former_tickers)")]
    UnknownFormat {
        /// The file, as given.
        path: String,
    },
    /// Occurs when one entry is malformed; `entry` names it (JSON key, or CSV line number).
    #[error("{path}: entry {entry}: {message}")]
    Entry {
        /// The file, as given.
        path: String,
        /// The JSON key or the CSV line number of the entry.
        entry: String,
        /// What is wrong with it.
        message: String,
    },
}

/// Parses a ticker (see [`Ticker::parse`]): upper case letters, digits and `-`, 1 to
/// 12 characters; class separators are normalised to a dash (`BRK.B` -> `BRK-B`).
pub fn normalize_ticker(raw: &str) -> Option<String> {
    Ticker::parse(raw).ok().map(String::from)
}

/// Corporate suffixes dropped when a legal name becomes an alias.
const SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "companies",
    "ltd",
    "limited",
    "plc",
    "llc",
    "lp",
    "l p",
    "sa",
    "s a",
    "ag",
    "nv",
    "n v",
    "se",
    "ab",
    "asa",
    "spa",
    "s p a",
    "bv",
    "holdings",
    "holding",
    "group",
    "hldgs",
    "de",
    "the",
    "cos",
    "class a",
    "class b",
    "class c",
    "adr",
    "ads",
    "new",
];

/// Words that keep their upper-case spelling when an all-caps SEC title is re-cased.
const KEEP_UPPER: &[&str] = &[
    "AT&T", "IBM", "HP", "USA", "US", "UPS", "CVS", "AES", "AMC", "BNY", "CBRE", "CME", "CSX",
    "DTE", "EOG", "EQT", "FMC", "NRG", "PPG", "PPL", "PG&E", "PTC", "RTX", "SBA", "TJX", "UDR",
    "WEC", "AMD", "NXP", "ASML", "SAP", "BP", "HSBC", "UBS", "ING", "NIO", "JD", "AB", "II", "III",
    "IV", "LLC", "LP", "ADR", "MSCI", "KLA", "ON", "GE", "3M",
];

/// Re-cases an all-caps SEC title ("JPMORGAN CHASE & CO" -> "Jpmorgan Chase & Co").
/// Names that already mix cases are kept as written.
pub fn recase(name: &str) -> String {
    if name.chars().any(|c| c.is_lowercase()) {
        return name.trim().to_string();
    }
    name.split_whitespace()
        .map(|w| {
            let bare = w.trim_matches(|c: char| c == ',' || c == '.');
            if KEEP_UPPER.contains(&bare) || bare.len() <= 1 {
                return w.to_string();
            }
            let mut out = String::with_capacity(w.len());
            let mut start = true;
            for c in w.chars() {
                if start {
                    out.extend(c.to_uppercase());
                } else {
                    out.extend(c.to_lowercase());
                }
                start = !c.is_alphanumeric() && c != '\'';
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Known spellings that simple re-casing gets wrong.
const SPELLINGS: &[(&str, &str)] = &[
    ("Jpmorgan", "JPMorgan"),
    ("Exxonmobil", "ExxonMobil"),
    ("Paypal", "PayPal"),
    ("Fedex", "FedEx"),
    ("Ebay", "eBay"),
    ("Iheartmedia", "iHeartMedia"),
    ("Blackrock", "BlackRock"),
    ("Mckesson", "McKesson"),
    ("Mcdonald's", "McDonald's"),
    ("Mcdonalds", "McDonald's"),
    ("Linkedin", "LinkedIn"),
    ("Youtube", "YouTube"),
    ("Doordash", "DoorDash"),
    ("Airbnb", "Airbnb"),
    ("Crowdstrike", "CrowdStrike"),
    ("Salesforce", "Salesforce"),
    ("Servicenow", "ServiceNow"),
    ("Gamestop", "GameStop"),
    ("Netapp", "NetApp"),
    ("Hubspot", "HubSpot"),
];

/// The legal name without corporate suffixes and punctuation tails, in readable case:
/// `"JPMORGAN CHASE & CO"` -> `"JPMorgan Chase"`, `"Apple Inc."` -> `"Apple"`.
/// Returns `None` when nothing distinctive is left.
pub fn base_name(legal: &str) -> Option<String> {
    let mut words: Vec<String> = recase(legal)
        .replace(" /DE/", " ")
        .replace("/DE", "")
        .replace("/NEW/", "")
        .split_whitespace()
        .map(|w| w.to_string())
        .collect();
    // Drop trailing suffix words ("Co.", "Inc", "Holdings", ",") and a trailing "&".
    while let Some(last) = words.last() {
        let bare = last
            .trim_matches(|c: char| c == ',' || c == '.' || c == '/' || c == '(' || c == ')')
            .to_ascii_lowercase()
            .replace('.', " ");
        let bare = bare.trim();
        if bare.is_empty() || bare == "&" || bare == "and" || SUFFIXES.contains(&bare) {
            words.pop();
            continue;
        }
        break;
    }
    if words.first().is_some_and(|w| w.eq_ignore_ascii_case("the")) && words.len() > 1 {
        words.remove(0);
    }
    let mut s = words.join(" ");
    while s.ends_with(',') || s.ends_with('.') && !s.ends_with("Co.") {
        s.pop();
    }
    for (wrong, right) in SPELLINGS {
        if s.contains(wrong) {
            s = s.replace(wrong, right);
        }
    }
    let distinctive = s.chars().filter(|c| c.is_alphanumeric()).count() >= 2;
    distinctive.then_some(s)
}

/// The initials of a name's capitalised words, "of", "and" and "&" left out:
/// "Advanced Micro Devices" -> "AMD".
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter(|w| !matches!(*w, "of" | "and" | "&" | "the"))
        .filter_map(|w| w.chars().next())
        .filter(char::is_ascii_uppercase)
        .collect()
}

impl CompanyRecord {
    /// A record with the legal name and its derived aliases.
    pub fn new(ticker: String, name: &str, cik: Option<i64>, exchange: Option<String>) -> Self {
        let mut rec = CompanyRecord {
            ticker,
            name: recase(name),
            cik,
            exchange,
            aliases: Vec::new(),
            former_tickers: Vec::new(),
        };
        rec.push_alias(name.trim(), AliasKind::LegalName);
        if let Some(base) = base_name(name) {
            rec.push_alias(&base, AliasKind::LegalName);
            // News names a company by its initials when they are its ticker: "EA" for
            // Electronic Arts, "AMD" for Advanced Micro Devices.
            if (2..=4).contains(&rec.ticker.len()) && initials(&base) == rec.ticker {
                let ticker = rec.ticker.clone();
                rec.push_alias(&ticker, AliasKind::ShortName);
            }
        }
        rec
    }

    /// Adds an alias unless the same text (ignoring case) is already there.
    pub fn push_alias(&mut self, text: &str, kind: AliasKind) {
        let text = text.trim();
        if text.is_empty()
            || self
                .aliases
                .iter()
                .any(|a| a.text.eq_ignore_ascii_case(text))
        {
            return;
        }
        self.aliases.push(Alias {
            text: text.to_string(),
            kind,
        });
    }
}

/// Parses registry content; the format is recognised from the content itself.
/// `path` is only used in error messages.
pub fn parse(path: &str, content: &str) -> Result<Vec<CompanyRecord>, RegistryError> {
    let trimmed = content.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        parse_sec_json(path, trimmed)
    } else if trimmed
        .lines()
        .next()
        .is_some_and(|l| l.trim().to_ascii_lowercase().starts_with("ticker,name"))
    {
        parse_csv(path, trimmed)
    } else {
        Err(RegistryError::UnknownFormat {
            path: path.to_string(),
        })
    }
}

/// Reads and parses a registry file.
pub fn load_file(path: &Path) -> Result<Vec<CompanyRecord>, RegistryError> {
    let shown = path.display().to_string();
    let content = std::fs::read_to_string(path).map_err(|source| RegistryError::Io {
        path: shown.clone(),
        source,
    })?;
    parse(&shown, &content)
}

/// The built-in registry, parsed once.
pub fn builtin() -> &'static [CompanyRecord] {
    static RECORDS: LazyLock<Vec<CompanyRecord>> = LazyLock::new(|| {
        // The file is checked by a test; a broken build-in file is a programming error.
        parse("fixtures/companies.csv", BUILTIN_CSV).unwrap_or_default()
    });
    &RECORDS
}

fn entry_err(path: &str, entry: impl Into<String>, message: impl Into<String>) -> RegistryError {
    RegistryError::Entry {
        path: path.to_string(),
        entry: entry.into(),
        message: message.into(),
    }
}

fn parse_cik(path: &str, entry: &str, v: &serde_json::Value) -> Result<Option<i64>, RegistryError> {
    match v {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::Number(n) => n
            .as_i64()
            .filter(|n| *n > 0)
            .map(Some)
            .ok_or_else(|| entry_err(path, entry, format!("cik {n} is not a positive integer"))),
        serde_json::Value::String(s) if s.trim().is_empty() => Ok(None),
        serde_json::Value::String(s) => s
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .map(Some)
            .ok_or_else(|| entry_err(path, entry, format!("cik {s:?} is not a positive integer"))),
        other => Err(entry_err(
            path,
            entry,
            format!("cik {other} is not a number"),
        )),
    }
}

fn json_str(
    path: &str,
    entry: &str,
    field: &str,
    v: Option<&serde_json::Value>,
) -> Result<String, RegistryError> {
    match v {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_string()),
        Some(other) => Err(entry_err(
            path,
            entry,
            format!("{field} must be a non-empty string, found {other}"),
        )),
        None => Err(entry_err(path, entry, format!("{field} is missing"))),
    }
}

fn sec_record(
    path: &str,
    entry: &str,
    cik: &serde_json::Value,
    name: Option<&serde_json::Value>,
    ticker: Option<&serde_json::Value>,
    exchange: Option<String>,
) -> Result<CompanyRecord, RegistryError> {
    let cik = parse_cik(path, entry, cik)?;
    let name = json_str(path, entry, "title", name)?;
    let raw_ticker = json_str(path, entry, "ticker", ticker)?;
    let ticker = normalize_ticker(&raw_ticker).ok_or_else(|| {
        entry_err(
            path,
            entry,
            format!("ticker {raw_ticker:?} is not a valid ticker"),
        )
    })?;
    Ok(CompanyRecord::new(ticker, &name, cik, exchange))
}

fn parse_sec_json(path: &str, content: &str) -> Result<Vec<CompanyRecord>, RegistryError> {
    let value: serde_json::Value = serde_json::from_str(content).map_err(|e| {
        entry_err(
            path,
            format!("line {}", e.line()),
            format!("invalid JSON: {e}"),
        )
    })?;
    let obj = value
        .as_object()
        .ok_or_else(|| RegistryError::UnknownFormat {
            path: path.to_string(),
        })?;
    let mut out = Vec::new();
    if let (Some(fields), Some(data)) = (obj.get("fields"), obj.get("data")) {
        // company_tickers_exchange.json: column order given by "fields".
        let fields: Vec<&str> = fields
            .as_array()
            .ok_or_else(|| entry_err(path, "fields", "must be an array"))?
            .iter()
            .map(|f| f.as_str().unwrap_or(""))
            .collect();
        let col = |name: &str| fields.iter().position(|f| *f == name);
        let (Some(ci), Some(ni), Some(ti)) = (col("cik"), col("name"), col("ticker")) else {
            return Err(entry_err(path, "fields", "must name cik, name and ticker"));
        };
        let ei = col("exchange");
        let rows = data
            .as_array()
            .ok_or_else(|| entry_err(path, "data", "must be an array"))?;
        for (i, row) in rows.iter().enumerate() {
            let entry = format!("data[{i}]");
            let row = row
                .as_array()
                .ok_or_else(|| entry_err(path, &entry, "must be an array"))?;
            let exchange = ei
                .and_then(|e| row.get(e))
                .and_then(|v| v.as_str())
                .map(str::to_string)
                .filter(|s| !s.is_empty());
            let null = serde_json::Value::Null;
            out.push(sec_record(
                path,
                &entry,
                row.get(ci).unwrap_or(&null),
                row.get(ni),
                row.get(ti),
                exchange,
            )?);
        }
    } else {
        // company_tickers.json: {"0": {"cik_str", "ticker", "title"}, ...}
        for (key, item) in obj {
            let entry = format!("\"{key}\"");
            let item = item
                .as_object()
                .ok_or_else(|| entry_err(path, &entry, "must be an object"))?;
            let null = serde_json::Value::Null;
            out.push(sec_record(
                path,
                &entry,
                item.get("cik_str").unwrap_or(&null),
                item.get("title"),
                item.get("ticker"),
                None,
            )?);
        }
    }
    Ok(out)
}

fn parse_csv(path: &str, content: &str) -> Result<Vec<CompanyRecord>, RegistryError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(content.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| entry_err(path, "line 1", format!("bad header: {e}")))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(ti), Some(ni)) = (col("ticker"), col("name")) else {
        return Err(entry_err(
            path,
            "line 1",
            "header must contain ticker and name",
        ));
    };
    let (ci, ei, ai, fi) = (
        col("cik"),
        col("exchange"),
        col("aliases"),
        col("former_tickers"),
    );
    let mut out = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let line = i + 2;
        let entry = format!("line {line}");
        let row = row.map_err(|e| entry_err(path, &entry, e.to_string()))?;
        let get = |idx: Option<usize>| idx.and_then(|i| row.get(i)).unwrap_or("").trim();
        let raw_ticker = get(Some(ti));
        let ticker = normalize_ticker(raw_ticker).ok_or_else(|| {
            entry_err(
                path,
                &entry,
                format!("ticker {raw_ticker:?} is not a valid ticker"),
            )
        })?;
        let name = get(Some(ni));
        if name.is_empty() {
            return Err(entry_err(path, &entry, "name is empty"));
        }
        let cik = parse_cik(
            path,
            &entry,
            &serde_json::Value::String(get(ci).to_string()),
        )?;
        let exchange = Some(get(ei).to_string()).filter(|s| !s.is_empty());
        let mut rec = CompanyRecord::new(ticker, name, cik, exchange);
        rec.name = name.to_string();
        for part in get(ai).split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (kind, text) = part.split_once(':').ok_or_else(|| {
                entry_err(
                    path,
                    &entry,
                    format!("alias {part:?} must be written kind:text"),
                )
            })?;
            let kind = AliasKind::parse(kind).ok_or_else(|| {
                entry_err(
                    path,
                    &entry,
                    format!(
                        "alias kind {kind:?} is not one of short, brand, subsidiary, former, legal"
                    ),
                )
            })?;
            rec.push_alias(text, kind);
        }
        for t in get(fi).split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let t = normalize_ticker(t).ok_or_else(|| {
                entry_err(
                    path,
                    &entry,
                    format!("former ticker {t:?} is not a valid ticker"),
                )
            })?;
            if !rec.former_tickers.contains(&t) {
                rec.former_tickers.push(t);
            }
        }
        out.push(rec);
    }
    Ok(out)
}

/// Merges records by ticker: later records add aliases and fill missing fields of earlier ones.
pub fn merge(base: &mut Vec<CompanyRecord>, extra: Vec<CompanyRecord>) {
    let mut index: std::collections::HashMap<String, usize> = base
        .iter()
        .enumerate()
        .map(|(i, r)| (r.ticker.clone(), i))
        .collect();
    for rec in extra {
        match index.get(&rec.ticker) {
            Some(&i) => {
                let have = &mut base[i];
                if have.cik.is_none() {
                    have.cik = rec.cik;
                }
                if have.exchange.is_none() {
                    have.exchange = rec.exchange;
                }
                for a in rec.aliases {
                    have.push_alias(&a.text, a.kind);
                }
                for t in rec.former_tickers {
                    if !have.former_tickers.contains(&t) {
                        have.former_tickers.push(t);
                    }
                }
            }
            None => {
                index.insert(rec.ticker.clone(), base.len());
                base.push(rec);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_that_are_the_ticker_become_an_alias() {
        let ea = CompanyRecord::new("EA".into(), "Electronic Arts Inc.", None, None);
        assert!(ea.aliases.iter().any(|a| a.text == "EA"));
        let amd = CompanyRecord::new("AMD".into(), "ADVANCED MICRO DEVICES INC", None, None);
        assert!(amd.aliases.iter().any(|a| a.text == "AMD"));
        let jnj = CompanyRecord::new("JNJ".into(), "Johnson & Johnson", None, None);
        assert!(!jnj.aliases.iter().any(|a| a.text == "JNJ"));
    }

    #[test]
    fn sec_titles_become_readable_aliases() {
        assert_eq!(
            base_name("JPMORGAN CHASE & CO").as_deref(),
            Some("JPMorgan Chase")
        );
        assert_eq!(base_name("Apple Inc.").as_deref(), Some("Apple"));
        assert_eq!(
            base_name("GENERAL MOTORS CO").as_deref(),
            Some("General Motors")
        );
        assert_eq!(
            base_name("Meta Platforms, Inc.").as_deref(),
            Some("Meta Platforms")
        );
        assert_eq!(
            base_name("EXXON MOBIL CORP").as_deref(),
            Some("Exxon Mobil")
        );
        assert_eq!(base_name("Shell plc").as_deref(), Some("Shell"));
        assert_eq!(
            base_name("Goldman Sachs Group Inc").as_deref(),
            Some("Goldman Sachs")
        );
        assert_eq!(
            base_name("BERKSHIRE HATHAWAY INC /DE/").as_deref(),
            Some("Berkshire Hathaway")
        );
    }

    #[test]
    fn the_builtin_registry_parses_and_covers_large_companies() {
        let recs = parse("fixtures/companies.csv", BUILTIN_CSV).unwrap();
        assert!(recs.len() > 500, "only {} companies", recs.len());
        let mut seen = std::collections::HashSet::new();
        for r in &recs {
            assert!(
                seen.insert(r.ticker.clone()),
                "duplicate ticker {}",
                r.ticker
            );
        }
        let gm = recs.iter().find(|r| r.ticker == "GM").unwrap();
        assert!(gm
            .aliases
            .iter()
            .any(|a| a.text == "Cruise" && a.kind == AliasKind::Subsidiary));
        let meta = recs.iter().find(|r| r.ticker == "META").unwrap();
        assert!(meta.former_tickers.contains(&"FB".to_string()));
    }

    #[test]
    fn tickers_are_normalised_or_refused() {
        assert_eq!(normalize_ticker(" brk.b ").as_deref(), Some("BRK-B"));
        assert_eq!(normalize_ticker("JPM").as_deref(), Some("JPM"));
        assert!(normalize_ticker("").is_none());
        assert!(normalize_ticker("J P M").is_none());
    }

    #[test]
    fn sec_exchange_json_parses_and_names_a_bad_entry() {
        let ok = r#"{"fields":["cik","name","ticker","exchange"],"data":[[19617,"JPMORGAN CHASE & CO","JPM","NYSE"]]}"#;
        let recs = parse("x.json", ok).unwrap();
        assert_eq!(recs[0].ticker, "JPM");
        assert_eq!(recs[0].cik, Some(19617));
        assert!(recs[0].aliases.iter().any(|a| a.text == "JPMorgan Chase"));
        let bad = r#"{"fields":["cik","name","ticker","exchange"],"data":[[1,"A","A","NYSE"],["x","B",null,"NYSE"]]}"#;
        let err = parse("x.json", bad).unwrap_err().to_string();
        assert!(err.contains("data[1]"), "{err}");
    }

    #[test]
    fn csv_aliases_need_a_known_kind() {
        let ok = "ticker,name,cik,exchange,aliases,former_tickers\nMETA,\"Meta Platforms, Inc.\",1326801,Nasdaq,short:Meta;former:Facebook;brand:Instagram,FB\n";
        let recs = parse("c.csv", ok).unwrap();
        assert_eq!(recs[0].former_tickers, vec!["FB"]);
        assert!(recs[0]
            .aliases
            .iter()
            .any(|a| a.text == "Facebook" && a.kind == AliasKind::FormerName));
        let bad = "ticker,name,cik,exchange,aliases,former_tickers\nX,Xco,,NYSE,nick:Ex,\n";
        let err = parse("c.csv", bad).unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("nick"), "{err}");
    }
}
