//! Companies as they were on a day: the names, tickers and exchanges a company had, the
//! periods its own shares traded, and the companies that owned it, each for a period.
//!
//! A mention of a company is linked to the listed company it stood for on the
//! document's day ([`History::owner_on`]): itself while its shares traded, else the
//! company that owned it then (a subsidiary before its spin-off, a company after its
//! acquisition), else itself (a company gone private or failed is kept, not moved).
//!
//! The built-in table is `fixtures/registry/history.tsv` (documented in
//! `docs/registry.md`), one period a line:
//!
//! ```text
//! ticker  field    value                 from        to          note
//! PM      parent   MO                                2008-03-28  spun off by Altria
//! ATVI    listed                                     2023-10-13  acquired by Microsoft
//! ATVI    parent   MSFT                  2023-10-13
//! META    ticker   FB                    2012-05-18  2022-06-09
//! ```
//!
//! `ticker` is the company's key: today's ticker, or its last one for a company no
//! longer listed. `field` is `listed` (value empty), `parent` (value: the owner's
//! key), `ticker`, `name` or `exchange`. `from` is inclusive, `to` exclusive, either
//! may be empty (open); a month (`2018-10`) stands for its first day.
//!
//! ```
//! use chrono::NaiveDate;
//! let history = riskline::registry::history::builtin();
//! let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
//! assert_eq!(history.owner_on("PM", day("2001-06-01")), "MO");
//! assert_eq!(history.owner_on("ATVI", day("2023-02-01")), "ATVI");
//! assert_eq!(history.owner_on("ATVI", day("2024-02-01")), "MSFT");
//! assert_eq!(history.ticker_on("META", day("2020-01-02")).as_deref(), Some("FB"));
//! ```

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::NaiveDate;

use super::{normalize_ticker, RegistryError};

/// The built-in table, as shipped.
pub const BUILTIN_TSV: &str = include_str!("../../fixtures/registry/history.tsv");

/// What a period of a company's history says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The company's own shares traded.
    Listed,
    /// Another company owned it (`value`: the owner's key).
    Parent,
    /// It traded under this ticker.
    Ticker,
    /// It carried this name.
    Name,
    /// Its shares traded on this exchange.
    Exchange,
}

impl Field {
    /// The field as written in the table and stored (`company_history.field`).
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Listed => "listed",
            Field::Parent => "parent",
            Field::Ticker => "ticker",
            Field::Name => "name",
            Field::Exchange => "exchange",
        }
    }

    /// Reads a field word; `None` for any other word.
    pub fn parse(word: &str) -> Option<Field> {
        Some(match word.trim() {
            "listed" => Field::Listed,
            "parent" => Field::Parent,
            "ticker" => Field::Ticker,
            "name" => Field::Name,
            "exchange" => Field::Exchange,
            _ => return None,
        })
    }
}

/// One period of one company's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// The company's key: today's ticker, or its last one.
    pub company: String,
    /// What the period says.
    pub field: Field,
    /// The name, ticker, exchange or owner's key; empty for [`Field::Listed`].
    pub value: String,
    /// First day, inclusive; `None` when open.
    pub from: Option<NaiveDate>,
    /// Day it ended, exclusive; `None` when it still holds.
    pub to: Option<NaiveDate>,
    /// A short note on the fact (`acquired by Microsoft`).
    pub note: Option<String>,
}

impl Period {
    /// Whether the period holds on `day`.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from.map_or(true, |f| f <= day) && self.to.map_or(true, |t| day < t)
    }
}

/// Every company's periods, by key.
#[derive(Debug, Clone, Default)]
pub struct History {
    by_company: HashMap<String, Vec<Period>>,
}

/// A day of the table: `YYYY-MM-DD`, or `YYYY-MM` for the first of the month.
fn table_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d"))
        .ok()
}

/// Parses the table format above; `path` names the file in errors.
pub fn parse(path: &str, content: &str) -> Result<Vec<Period>, RegistryError> {
    let mut out = Vec::new();
    for (n, line) in content.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |message: String| RegistryError::Entry {
            path: path.to_string(),
            entry: (n + 1).to_string(),
            message,
        };
        let cells: Vec<&str> = line.split('\t').collect();
        if cells.len() < 5 {
            return Err(err(format!(
                "expected ticker, field, value, from, to (tab-separated), got {} cells",
                cells.len()
            )));
        }
        let company = normalize_ticker(cells[0])
            .ok_or_else(|| err(format!("{:?} is no ticker", cells[0])))?;
        let field = Field::parse(cells[1])
            .ok_or_else(|| err(format!("{:?} is no field of a company's history", cells[1])))?;
        let day = |text: &str| -> Result<Option<NaiveDate>, RegistryError> {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            table_day(text)
                .map(Some)
                .ok_or_else(|| err(format!("{text:?} is no date (YYYY-MM-DD or YYYY-MM)")))
        };
        let (from, to) = (day(cells[3])?, day(cells[4])?);
        if let (Some(f), Some(t)) = (from, to) {
            if f >= t {
                return Err(err(format!("the period ends ({t}) before it starts ({f})")));
            }
        }
        let value = cells[2].trim();
        let value = match field {
            Field::Listed => String::new(),
            Field::Parent | Field::Ticker => {
                normalize_ticker(value).ok_or_else(|| err(format!("{value:?} is no ticker")))?
            }
            Field::Name | Field::Exchange if value.is_empty() => {
                return Err(err(format!("a {} needs a value", field.as_str())))
            }
            Field::Name | Field::Exchange => value.to_string(),
        };
        let note = cells
            .get(5)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        out.push(Period {
            company,
            field,
            value,
            from,
            to,
            note,
        });
    }
    Ok(out)
}

/// The built-in history, parsed once (a test checks the file parses).
pub fn builtin() -> &'static History {
    static HISTORY: LazyLock<History> = LazyLock::new(|| {
        History::new(parse("fixtures/registry/history.tsv", BUILTIN_TSV).unwrap_or_default())
    });
    &HISTORY
}

impl History {
    /// The history of these periods.
    pub fn new(periods: Vec<Period>) -> History {
        let mut history = History::default();
        history.extend(periods);
        history
    }

    /// Adds periods (an import of more companies' histories).
    pub fn extend(&mut self, periods: impl IntoIterator<Item = Period>) {
        for p in periods {
            self.by_company
                .entry(p.company.clone())
                .or_default()
                .push(p);
        }
    }

    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        self.by_company.is_empty()
    }

    /// Every period of a company, in the order given.
    pub fn periods(&self, company: &str) -> &[Period] {
        self.by_company.get(company).map_or(&[], Vec::as_slice)
    }

    /// Every period, company by company.
    pub fn all(&self) -> impl Iterator<Item = &Period> {
        self.by_company.values().flatten()
    }

    fn holds(&self, company: &str, field: Field, day: NaiveDate) -> Option<&Period> {
        self.periods(company)
            .iter()
            .find(|p| p.field == field && p.contains(day))
    }

    /// Whether the company's own shares traded on `day`: when no period says when
    /// they traded, they did whenever it was not owned by another company.
    pub fn listed_on(&self, company: &str, day: NaiveDate) -> bool {
        let mut listings = self
            .periods(company)
            .iter()
            .filter(|p| p.field == Field::Listed)
            .peekable();
        if listings.peek().is_none() {
            return self.holds(company, Field::Parent, day).is_none();
        }
        listings.any(|p| p.contains(day))
    }

    /// The listed company a mention of `company` stands for on `day`: itself while its
    /// shares traded; else its owner then, followed up the chain (Tosco -> Phillips
    /// Petroleum -> ConocoPhillips); else itself.
    pub fn owner_on(&self, company: &str, day: NaiveDate) -> String {
        let mut current = company.to_string();
        // Chains are short; the bound guards against a cycle in an imported table.
        for _ in 0..8 {
            if self.listed_on(&current, day) {
                return current;
            }
            match self.holds(&current, Field::Parent, day) {
                Some(p) => current = p.value.clone(),
                None => return current,
            }
        }
        current
    }

    /// The ticker the company traded under on `day`: a former ticker of the period,
    /// else its key while listed; `None` when it was not listed that day.
    pub fn ticker_on(&self, company: &str, day: NaiveDate) -> Option<String> {
        if let Some(p) = self.holds(company, Field::Ticker, day) {
            return Some(p.value.clone());
        }
        self.listed_on(company, day).then(|| company.to_string())
    }

    /// The name the company carried on `day`, when the history says.
    pub fn name_on(&self, company: &str, day: NaiveDate) -> Option<&str> {
        self.holds(company, Field::Name, day)
            .map(|p| p.value.as_str())
    }

    /// The company whose former ticker `ticker` was, with the period: `FB` -> `META`.
    pub fn former_ticker(&self, ticker: &str) -> Option<&Period> {
        self.all()
            .find(|p| p.field == Field::Ticker && p.value == ticker && p.company != ticker)
    }
}

/// A company as SEC's submissions file of it says (`CIK0000320193.json` from
/// `data.sec.gov/submissions/`): its CIK, name, tickers, exchanges and former names
/// with the periods SEC's records carried them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submissions {
    /// SEC Central Index Key.
    pub cik: i64,
    /// The name SEC holds today.
    pub name: String,
    /// Today's tickers, the main listing first; empty for a company no longer listed.
    pub tickers: Vec<String>,
    /// The exchanges of those tickers, in the same order.
    pub exchanges: Vec<String>,
    /// Former names, each with the period SEC's records carried it.
    pub former_names: Vec<(String, Option<NaiveDate>, Option<NaiveDate>)>,
}

#[derive(serde::Deserialize)]
struct RawSubmissions {
    cik: serde_json::Value,
    name: String,
    #[serde(default)]
    tickers: Vec<Option<String>>,
    #[serde(default)]
    exchanges: Vec<Option<String>>,
    #[serde(default, rename = "formerNames")]
    former_names: Vec<RawFormerName>,
}

#[derive(serde::Deserialize)]
struct RawFormerName {
    name: String,
    from: Option<String>,
    to: Option<String>,
}

/// The day of an SEC timestamp (`2007-01-10T00:00:00.000Z`).
fn sec_day(text: Option<&str>) -> Option<NaiveDate> {
    let text = text?;
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

/// Parses one SEC submissions file; `path` names it in errors.
///
/// ```
/// let json = r#"{"cik": "1326801", "name": "Meta Platforms, Inc.", "tickers": ["META"],
///   "exchanges": ["Nasdaq"], "formerNames": [{"name": "FACEBOOK INC",
///   "from": "2005-11-10T00:00:00.000Z", "to": "2021-10-28T00:00:00.000Z"}]}"#;
/// let s = riskline::registry::history::parse_submissions("CIK0001326801.json", json).unwrap();
/// assert_eq!(s.cik, 1326801);
/// assert_eq!(s.former_names[0].0, "FACEBOOK INC");
/// ```
pub fn parse_submissions(path: &str, json: &str) -> Result<Submissions, RegistryError> {
    let err = |message: String| RegistryError::Entry {
        path: path.to_string(),
        entry: "submissions".to_string(),
        message,
    };
    let raw: RawSubmissions =
        serde_json::from_str(json).map_err(|e| err(format!("not SEC submissions JSON: {e}")))?;
    let cik = match &raw.cik {
        serde_json::Value::String(s) => s.trim().parse::<i64>().ok(),
        serde_json::Value::Number(n) => n.as_i64(),
        _ => None,
    }
    .filter(|c| *c > 0)
    .ok_or_else(|| err(format!("cik {} is no CIK", raw.cik)))?;
    if raw.name.trim().is_empty() {
        return Err(err("the company has no name".to_string()));
    }
    let tickers = raw
        .tickers
        .iter()
        .flatten()
        .filter_map(|t| normalize_ticker(t))
        .collect();
    let exchanges = raw
        .exchanges
        .into_iter()
        .map(|e| e.unwrap_or_default())
        .collect();
    let former_names = raw
        .former_names
        .into_iter()
        .filter(|f| !f.name.trim().is_empty())
        .map(|f| {
            (
                f.name.trim().to_string(),
                sec_day(f.from.as_deref()),
                sec_day(f.to.as_deref()),
            )
        })
        .collect();
    Ok(Submissions {
        cik,
        name: raw.name.trim().to_string(),
        tickers,
        exchanges,
        former_names,
    })
}

impl Submissions {
    /// The periods of the company's names under the key `company`: each former name
    /// for its period, today's name from the end of the last one.
    pub fn name_periods(&self, company: &str) -> Vec<Period> {
        let mut out: Vec<Period> = self
            .former_names
            .iter()
            .filter(|(_, from, to)| !matches!((from, to), (Some(f), Some(t)) if f >= t))
            .map(|(name, from, to)| Period {
                company: company.to_string(),
                field: Field::Name,
                value: super::recase(name),
                from: *from,
                to: *to,
                note: Some("former name in SEC's records".to_string()),
            })
            .collect();
        let since = self.former_names.iter().filter_map(|(_, _, to)| *to).max();
        out.push(Period {
            company: company.to_string(),
            field: Field::Name,
            value: super::recase(&self.name),
            from: since,
            to: None,
            note: None,
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        table_day(s).unwrap()
    }

    #[test]
    fn the_shipped_table_parses_and_names_known_companies() {
        let periods = parse("history.tsv", BUILTIN_TSV).unwrap();
        assert!(periods.len() >= 20, "{}", periods.len());
        let tickers: std::collections::HashSet<&str> = crate::registry::builtin()
            .iter()
            .map(|r| r.ticker.as_str())
            .collect();
        for p in &periods {
            assert!(
                tickers.contains(p.company.as_str()),
                "{} is not in the registry",
                p.company
            );
            if p.field == Field::Parent {
                assert!(
                    tickers.contains(p.value.as_str()),
                    "{} is not in the registry",
                    p.value
                );
            }
        }
    }

    #[test]
    fn owners_follow_spin_offs_acquisitions_and_chains() {
        let h = builtin();
        assert_eq!(h.owner_on("PM", day("2001-05-01")), "MO");
        assert_eq!(h.owner_on("PM", day("2012-05-01")), "PM");
        assert_eq!(h.owner_on("ATVI", day("2023-02-15")), "ATVI");
        assert_eq!(h.owner_on("ATVI", day("2023-10-13")), "MSFT");
        assert_eq!(h.owner_on("TOS", day("2000-03-01")), "TOS");
        assert_eq!(h.owner_on("TOS", day("2005-03-01")), "COP");
        assert_eq!(h.owner_on("LCC", day("2014-01-02")), "AAL");
        // Gone private or failed: kept as itself.
        assert_eq!(h.owner_on("TWTR", day("2023-06-01")), "TWTR");
        assert!(!h.listed_on("TWTR", day("2023-06-01")));
        assert_eq!(h.owner_on("JPM", day("2001-01-01")), "JPM");
    }

    #[test]
    fn former_tickers_and_names_hold_for_their_period() {
        let h = builtin();
        assert_eq!(
            h.ticker_on("META", day("2021-12-01")).as_deref(),
            Some("FB")
        );
        assert_eq!(
            h.ticker_on("META", day("2022-06-09")).as_deref(),
            Some("META")
        );
        assert_eq!(h.name_on("META", day("2020-01-01")), Some("Facebook, Inc."));
        assert_eq!(
            h.former_ticker("FB").map(|p| p.company.as_str()),
            Some("META")
        );
        assert_eq!(
            h.ticker_on("FRCB", day("2022-01-03")).as_deref(),
            Some("FRC")
        );
    }

    #[test]
    fn a_bad_line_is_refused_with_its_number() {
        let err = parse(
            "h.tsv",
            "MO\tname\tAltria\t2003-01-27\t\nMO\tcolour\tred\t\t\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("h.tsv: entry 2"), "{err}");
        let err = parse("h.tsv", "MO\tlisted\t\t2003-01-27\t2001-01-01\n").unwrap_err();
        assert!(err.to_string().contains("before it starts"), "{err}");
    }
}
