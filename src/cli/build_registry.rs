//! `riskline companies build-registry FILE`: regenerates the built-in registry's list
//! of SEC-listed companies from SEC's `company_tickers_exchange.json` (or
//! `company_tickers.json`). No database.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::registry::words::{self, Ambiguity};
use crate::registry::{self, sec, AliasKind};

/// Arguments of `riskline companies build-registry`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// SEC's company_tickers_exchange.json (or company_tickers.json), as downloaded.
    file: PathBuf,
    /// Where to write the compact list; the built-in registry compiles in
    /// fixtures/registry/sec-companies.tsv (rebuild riskline after writing it).
    #[arg(long, default_value = "fixtures/registry/sec-companies.tsv")]
    out: PathBuf,
}

/// Reads SEC's file, writes the compact list and prints what the registry will hold.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let shown = args.file.display().to_string();
    let content =
        std::fs::read_to_string(&args.file).with_context(|| format!("cannot read {shown}"))?;
    let entries = sec::parse_json(&shown, &content)?;
    if entries.is_empty() {
        anyhow::bail!("{shown}: no company in the file");
    }
    let source = args
        .file
        .file_name()
        .map_or(shown.clone(), |n| n.to_string_lossy().into_owned());
    let compact = sec::to_compact(&entries, &source);
    std::fs::write(&args.out, &compact)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    println!(
        "wrote {} ({} bytes): {} tickers",
        args.out.display(),
        compact.len(),
        entries.len()
    );
    report(&entries);
    println!("rebuild riskline to ship it (the built-in registry is compiled in)");
    Ok(ExitCode::SUCCESS)
}

/// Prints the registry the file makes, merged with the curated companies.
fn report(entries: &[sec::SecEntry]) {
    let curated =
        registry::parse("fixtures/companies.csv", registry::BUILTIN_CSV).unwrap_or_default();
    let curated_count = curated.len();
    let records = registry::combine(curated, entries);
    let named = records.iter().filter(|r| !r.aliases.is_empty()).count();
    let mut by_ambiguity: BTreeMap<Ambiguity, usize> = BTreeMap::new();
    let mut aliases = 0;
    for r in &records[curated_count..] {
        for a in r.aliases.iter().filter(|a| a.kind == AliasKind::LegalName) {
            aliases += 1;
            *by_ambiguity.entry(words::ambiguity(&a.text)).or_default() += 1;
        }
    }
    println!(
        "registry: {} tickers ({} curated, {} from SEC), {} with names",
        records.len(),
        curated_count,
        records.len() - curated_count,
        named
    );
    println!("names derived for SEC's companies: {aliases}");
    for (ambiguity, n) in by_ambiguity {
        println!("  {:<12} {n}", format!("{ambiguity:?}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_registry_writes_a_compact_list_that_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let json = dir.path().join("company_tickers_exchange.json");
        std::fs::write(
            &json,
            r#"{"fields":["cik","name","ticker","exchange"],"data":[
                [21,"OSPREY VALVE WORKS CORP","OSVW","NYSE"],
                [22,"Talmont Freight, Inc.","TLFR","Nasdaq"],
                [21,"OSPREY VALVE WORKS CORP","OSVW-PB","NYSE"]]}"#,
        )
        .unwrap();
        let out = dir.path().join("sec-companies.tsv");
        let code = run(Args {
            file: json.clone(),
            out: out.clone(),
        })
        .unwrap();
        assert_eq!(code, ExitCode::SUCCESS);
        let written = std::fs::read_to_string(&out).unwrap();
        let entries = sec::parse_compact("out", &written).unwrap();
        let tickers: Vec<&str> = entries.iter().map(|e| e.ticker.as_str()).collect();
        assert_eq!(tickers, ["OSVW", "TLFR", "OSVW-PB"]);
        assert_eq!(entries[2].name, "OSPREY VALVE WORKS CORP");
        // A file that is not SEC's is refused, and nothing is written.
        std::fs::write(&json, "ticker,name\nX,Y\n").unwrap();
        let other = dir.path().join("other.tsv");
        assert!(run(Args {
            file: json,
            out: other.clone()
        })
        .is_err());
        assert!(!other.exists());
    }
}
