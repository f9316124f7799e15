//! SEC's lists of listed companies and the compact file the built-in registry keeps of
//! them.
//!
//! SEC publishes `company_tickers.json` (`{"0": {"cik_str", "ticker", "title"}, ...}`)
//! and `company_tickers_exchange.json` (`{"fields": [...], "data": [[cik, name, ticker,
//! exchange], ...]}`), largest companies first. Both are facts: tickers, names, CIKs
//! and exchanges. [`to_compact`] writes them as a tab-separated file with only those
//! columns (`fixtures/registry/sec-companies.tsv`, written by `riskline companies
//! build-registry`); a further ticker of a company already listed (a second share
//! class, a preferred share, a warrant) leaves its name empty.
//!
//! ```
//! use riskline::registry::sec;
//! let json = r#"{"fields":["cik","name","ticker","exchange"],
//!   "data":[[1,"ACME CORP","ACME","NYSE"],[1,"ACME CORP","ACME-PA","NYSE"]]}"#;
//! let entries = sec::parse_json("t.json", json).unwrap();
//! let tsv = sec::to_compact(&entries, "t.json");
//! assert!(tsv.contains("ACME-PA\t1\tNYSE\t\n"));
//! assert_eq!(sec::parse_compact("t.tsv", &tsv).unwrap(), entries);
//! ```

use std::collections::HashSet;

use super::{entry_err, normalize_ticker, CompanyRecord, RegistryError};

/// One ticker of SEC's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecEntry {
    /// SEC Central Index Key, when given.
    pub cik: Option<i64>,
    /// The company's name as SEC writes it ("JPMORGAN CHASE & CO").
    pub name: String,
    /// The ticker, normalised (`BRK-B`).
    pub ticker: String,
    /// The exchange, when given (`NYSE`, `Nasdaq`, `OTC`, `CBOE`).
    pub exchange: Option<String>,
}

/// The header line of the compact file.
pub const COMPACT_HEADER: &str = "ticker\tcik\texchange\tname";

pub(super) fn parse_cik(
    path: &str,
    entry: &str,
    v: &serde_json::Value,
) -> Result<Option<i64>, RegistryError> {
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
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => {
            // One line, one space between words: names go into a tab-separated file.
            Ok(s.split_whitespace().collect::<Vec<_>>().join(" "))
        }
        Some(other) => Err(entry_err(
            path,
            entry,
            format!("{field} must be a non-empty string, found {other}"),
        )),
        None => Err(entry_err(path, entry, format!("{field} is missing"))),
    }
}

fn sec_entry(
    path: &str,
    entry: &str,
    cik: &serde_json::Value,
    name: Option<&serde_json::Value>,
    ticker: Option<&serde_json::Value>,
    exchange: Option<String>,
) -> Result<SecEntry, RegistryError> {
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
    Ok(SecEntry {
        cik,
        name,
        ticker,
        exchange,
    })
}

/// Parses either of SEC's JSON files into entries, in SEC's order (largest first).
pub fn parse_json(path: &str, content: &str) -> Result<Vec<SecEntry>, RegistryError> {
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
    let null = serde_json::Value::Null;
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
            out.push(sec_entry(
                path,
                &entry,
                row.get(ci).unwrap_or(&null),
                row.get(ni),
                row.get(ti),
                exchange,
            )?);
        }
    } else {
        // company_tickers.json: {"0": {"cik_str", "ticker", "title"}, ...}, in the
        // order of its keys' numbers (a JSON object's order is not kept).
        let mut items: Vec<(u64, &String, &serde_json::Value)> = obj
            .iter()
            .map(|(k, v)| (k.parse::<u64>().unwrap_or(u64::MAX), k, v))
            .collect();
        items.sort_by_key(|(n, _, _)| *n);
        for (_, key, item) in items {
            let entry = format!("\"{key}\"");
            let item = item
                .as_object()
                .ok_or_else(|| entry_err(path, &entry, "must be an object"))?;
            out.push(sec_entry(
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

/// Registry records of SEC entries: each company's first ticker (its main listing, as
/// SEC lists the largest first) carries the names derived from its legal name; its
/// further tickers (share classes, preferred shares, warrants) are records of their
/// own without names, so that an explicit ticker finds them but a name finds the main
/// listing. A repeated ticker is kept once.
pub fn records(entries: &[SecEntry]) -> Vec<CompanyRecord> {
    let mut seen_cik: HashSet<i64> = HashSet::new();
    let mut seen_ticker: HashSet<&str> = HashSet::new();
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        if !seen_ticker.insert(&e.ticker) {
            continue;
        }
        let main = e.cik.map_or(true, |c| seen_cik.insert(c));
        out.push(record(e, main));
    }
    out
}

/// The record of one entry; `named` says whether it carries the derived names.
pub fn record(e: &SecEntry, named: bool) -> CompanyRecord {
    let mut rec = CompanyRecord::new(e.ticker.clone(), &e.name, e.cik, e.exchange.clone());
    if named {
        // Initials that are also the ticker ("SF", "AP", "WWW") are more often
        // something else in a text; the curated registry declares those it wants.
        let ticker = rec.ticker.clone();
        rec.aliases
            .retain(|a| !(a.kind == super::AliasKind::ShortName && a.text == ticker));
    } else {
        rec.aliases.clear();
    }
    rec
}

/// The compact file of SEC entries: comment lines saying where it comes from, a
/// header, then `ticker<TAB>cik<TAB>exchange<TAB>name` in SEC's order; the name is left
/// empty on a further ticker of a company already listed.
pub fn to_compact(entries: &[SecEntry], source: &str) -> String {
    let companies: HashSet<i64> = entries.iter().filter_map(|e| e.cik).collect();
    let mut out = String::with_capacity(entries.len() * 40);
    out.push_str(
        "# Every company of SEC's list of listed companies: ticker, CIK, exchange, name (facts).\n",
    );
    out.push_str(&format!(
        "# Generated by `riskline companies build-registry` from {source}: {} tickers of {} companies.\n",
        entries.len(),
        companies.len()
    ));
    out.push_str(
        "# Do not edit: regenerate it (docs/registry.md). A further ticker of a company has no name.\n",
    );
    out.push_str(COMPACT_HEADER);
    out.push('\n');
    let mut seen: HashSet<i64> = HashSet::new();
    for e in entries {
        let first = e.cik.map_or(true, |c| seen.insert(c));
        let name = if first { e.name.as_str() } else { "" };
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            e.ticker,
            e.cik.map(|c| c.to_string()).unwrap_or_default(),
            e.exchange.as_deref().unwrap_or(""),
            name
        ));
    }
    out
}

/// Parses the compact file back into entries; an empty name is the name of the
/// company's earlier row with the same CIK.
pub fn parse_compact(path: &str, content: &str) -> Result<Vec<SecEntry>, RegistryError> {
    let mut names: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
    let mut out = Vec::new();
    let mut header = false;
    for (i, line) in content.lines().enumerate() {
        let entry = format!("line {}", i + 1);
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !header {
            if line != COMPACT_HEADER {
                return Err(entry_err(
                    path,
                    entry,
                    format!("header must be {COMPACT_HEADER:?}"),
                ));
            }
            header = true;
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [ticker, cik, exchange, name] = fields.as_slice() else {
            return Err(entry_err(path, entry, "must have 4 tab-separated fields"));
        };
        let ticker = normalize_ticker(ticker)
            .ok_or_else(|| entry_err(path, &entry, format!("ticker {ticker:?} is not valid")))?;
        let cik = parse_cik(path, &entry, &serde_json::Value::String((*cik).to_string()))?;
        let name = match (name.trim(), cik) {
            ("", Some(c)) => names.get(&c).cloned().ok_or_else(|| {
                entry_err(path, &entry, "empty name, and no earlier row of this CIK")
            })?,
            ("", None) => return Err(entry_err(path, entry, "name is empty")),
            (n, c) => {
                if let Some(c) = c {
                    names.entry(c).or_insert_with(|| n.to_string());
                }
                n.to_string()
            }
        };
        out.push(SecEntry {
            cik,
            name,
            ticker,
            exchange: Some(exchange.trim().to_string()).filter(|s| !s.is_empty()),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"{"fields":["cik","name","ticker","exchange"],"data":[
        [11,"ZEPHYRINE TOOLS INC /DE/","ZPHT","Nasdaq"],
        [12,"Quillon Bancorp, Inc.","QLBC","NYSE"],
        [11,"ZEPHYRINE TOOLS INC /DE/","ZPHT-PA","Nasdaq"],
        [13,"Marrowick Holdings Ltd","MRWK",null]]}"#;

    #[test]
    fn the_compact_file_round_trips_and_names_a_further_ticker_by_its_company() {
        let entries = parse_json("small.json", SMALL).unwrap();
        assert_eq!(entries.len(), 4);
        let tsv = to_compact(&entries, "small.json");
        assert!(tsv.contains("4 tickers of 3 companies"), "{tsv}");
        assert!(tsv.contains("\nZPHT-PA\t11\tNasdaq\t\n"), "{tsv}");
        assert!(
            tsv.contains("\nMRWK\t13\t\tMarrowick Holdings Ltd\n"),
            "{tsv}"
        );
        assert_eq!(parse_compact("small.tsv", &tsv).unwrap(), entries);
        let recs = records(&entries);
        assert!(recs[0].aliases.iter().any(|a| a.text == "Zephyrine Tools"));
        assert!(recs[1].aliases.iter().any(|a| a.text == "Quillon"));
        assert!(recs[2].aliases.is_empty());
    }

    #[test]
    fn a_malformed_compact_file_names_the_line() {
        let bad_header = "ticker,cik\nX\t1\tNYSE\tX Inc\n";
        let err = parse_compact("f.tsv", bad_header).unwrap_err().to_string();
        assert!(err.contains("line 1"), "{err}");
        let orphan = format!("{COMPACT_HEADER}\nX\t5\tNYSE\t\n");
        let err = parse_compact("f.tsv", &orphan).unwrap_err().to_string();
        assert!(
            err.contains("line 2") && err.contains("no earlier row"),
            "{err}"
        );
        let short = format!("{COMPACT_HEADER}\nX\t5\tNYSE\n");
        assert!(parse_compact("f.tsv", &short).is_err());
    }

    #[test]
    fn company_tickers_json_keeps_the_order_of_its_keys() {
        let json = r#"{"10":{"cik_str":3,"ticker":"CCC","title":"Ccc Corp"},
                       "2":{"cik_str":2,"ticker":"BBB","title":"Bbb Corp"},
                       "0":{"cik_str":1,"ticker":"AAA","title":"Aaa Corp"}}"#;
        let tickers: Vec<String> = parse_json("t.json", json)
            .unwrap()
            .into_iter()
            .map(|e| e.ticker)
            .collect();
        assert_eq!(tickers, ["AAA", "BBB", "CCC"]);
    }

    #[test]
    fn secs_own_file_builds_the_registry_that_is_built_in() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/data/sec/company_tickers_exchange.json");
        let Ok(content) = std::fs::read_to_string(&path) else {
            eprintln!(
                "skipped: {} is absent (SEC's list is read only where shared/ is)",
                path.display()
            );
            return;
        };
        let entries = parse_json("company_tickers_exchange.json", &content).unwrap();
        assert!(entries.len() >= 9_000, "only {} tickers", entries.len());
        let built_in = parse_compact("sec-companies.tsv", super::super::BUILTIN_SEC).unwrap();
        let compact = to_compact(&entries, "company_tickers_exchange.json");
        assert_eq!(
            parse_compact("regenerated", &compact).unwrap(),
            built_in,
            "fixtures/registry/sec-companies.tsv is not what build-registry makes of SEC's file"
        );
    }
}
