//! Company mentions: one Aho-Corasick automaton over every alias of the registry, explicit
//! tickers ("(NYSE: GM)", "Nasdaq: TSLA", "$TSLA"), and a context check for names that are
//! also common words ("Target", "Delta", "Apple", "Ford").
//!
//! The automaton is ASCII case-insensitive and leftmost-longest; a case check follows:
//! short all-capital aliases ("GM", "IBM") must match exactly, other aliases must keep
//! their capital letters, and ambiguous ones need company context: a corporate suffix, a
//! ticker, a company word nearby ("shares", "said", "sued", "retailer"), a list of other
//! companies, or another unambiguous mention of the same company in the document.
//!
//! Names written by hand follow the curated list `AMBIGUOUS`; names derived by rule
//! from SEC's legal names are scored by how common their words are
//! ([`crate::registry::words`]), and the most common words, people's and places' names
//! need strong evidence (`evidence.rs`) or the company named firmly elsewhere in the text
//! (`docs/registry.md`).
//!
//! ```
//! use riskline::registry::CompanyRecord;
//! use riskline::extract::companies::CompanyIndex;
//! let gm = CompanyRecord::new("GM".into(), "General Motors Co", Some(1467858), None);
//! let index = CompanyIndex::new(&[gm]);
//! let text = "General Motors said it would halt output.";
//! let seg = riskline::extract::text::Segmented::new(text);
//! let found = index.find(&seg);
//! assert_eq!(index.company(found[0].company).ticker, "GM");
//! ```

use crate::extract::span;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};
use regex::Regex;

use super::lexicon::{GIVEN_NAMES, PERSON_TITLES};
use super::text::{Segmented, TokKind};
use crate::domain::Ticker;
use crate::registry::words::{self, Ambiguity};
use crate::registry::{AliasKind, CompanyRecord};

mod evidence;

/// What the extractor keeps of a registry record.
#[derive(Debug, Clone)]
pub struct Company {
    /// The registry ticker.
    pub ticker: Ticker,
    /// The registry's full name ("JPMorgan Chase & Co.").
    pub name: String,
    /// The SEC Central Index Key, when the registry has it.
    pub cik: Option<i64>,
    /// Class nouns that can refer to the company ("bank", "airline", "automaker").
    pub classes: Vec<&'static str>,
    /// A short display name ("JPMorgan Chase" for "JPMorgan Chase & Co.").
    pub short: String,
}

/// How an alias must be written to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CaseRule {
    /// Exactly as in the registry ("GM", "AT&T").
    Exact,
    /// Capital letters of the alias must be capitals in the text (or the text is all caps).
    Capitalised,
    /// Also a common word (the curated list [`AMBIGUOUS`]): capitalised and with
    /// company context, or the company named otherwise in the document.
    Ambiguous,
    /// A derived name that is one less common word ("Carnival", "Liquidity"): as
    /// [`CaseRule::Ambiguous`], and not glued to another capitalised word nor followed
    /// by "-based".
    Word,
    /// A derived name that is one of the most common words ("Interface", "Lion") or a
    /// name of a person or place ("Oppenheimer"): only with strong evidence ([`evidence::strong`]) or the company named
    /// in full or by ticker elsewhere in the document.
    Common,
}

#[derive(Debug, Clone)]
struct Pattern {
    company: usize,
    kind: AliasKind,
    rule: CaseRule,
    /// Bit `k` set when word `k` of the alias starts with a capital letter, which the
    /// text must then have too.
    capitals: u64,
}

/// Which words of an alias start with a capital letter (see [`Pattern::capitals`]).
fn capitals(alias: &str) -> u64 {
    alias
        .split(' ')
        .take(64)
        .enumerate()
        .filter(|(_, w)| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .fold(0, |mask, (k, _)| mask | 1 << k)
}

/// How a mention was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// One of the registry's names or aliases for the company, of the given kind.
    Alias(AliasKind),
    /// An explicit ticker: "(NYSE: GM)", "Nasdaq: AAPL" or "$TSLA".
    Ticker,
    /// A referring phrase ("the company", "it", "we") resolved to a company.
    Reference,
    /// An unlisted business named as owned by a listed one ("Alphabet-owned Zeta",
    /// "Zeta, a unit of Alphabet"): the span is the business, the company its owner.
    Owned,
}

/// A company mentioned in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// Byte offset of the mention's first character in the text.
    pub start: usize,
    /// Byte offset just past the mention's last character.
    pub end: usize,
    /// The company's index in the [`CompanyIndex`] (see [`CompanyIndex::company`]).
    pub company: usize,
    /// How the mention was found.
    pub via: Via,
}

/// The company side of the registry, ready for matching. Built once, shared freely.
#[derive(Debug)]
pub struct CompanyIndex {
    companies: Vec<Company>,
    patterns: Vec<Pattern>,
    ac: Option<AhoCorasick>,
    by_ticker: HashMap<String, usize>,
    by_cik: HashMap<i64, usize>,
    by_name: HashMap<String, usize>,
}

/// Single words that are company names and also ordinary words or other names.
const AMBIGUOUS: &[&str] = &[
    "target",
    "block",
    "gap",
    "visa",
    "apple",
    "meta",
    "match",
    "ford",
    "shell",
    "chase",
    "delta",
    "united",
    "american",
    "southwest",
    "alphabet",
    "oracle",
    "amazon",
    "intuit",
    "square",
    "general",
    "progressive",
    "discover",
    "ball",
    "state",
    "street",
    "mosaic",
    "regions",
    "citizens",
    "public",
    "host",
    "equity",
    "global",
    "first",
    "national",
    "eagle",
    "insight",
    "compass",
    "pool",
    "waters",
    "align",
    "principal",
    "lincoln",
    "travelers",
    "hartford",
    "marathon",
    "baker",
    "express",
    "best",
    "dollar",
    "energy",
    "edison",
    "duke",
    "southern",
    "dominion",
    "constellation",
    "republic",
    "waste",
    "alliance",
    "trust",
    "capital",
    "fidelity",
    "liberty",
    "nationwide",
    "mercury",
    "jacobs",
    "booking",
    "carnival",
    "royal",
    "crown",
    "castle",
    "simon",
    "boston",
    "applied",
    "analog",
    "zebra",
    "dover",
    "emerson",
    "parker",
    "cooper",
    "quest",
    "universal",
    "campbell",
    "church",
    "tapestry",
    "home",
    "ross",
    "tree",
    "snap",
    "zoom",
    "unity",
    "circle",
    "ally",
    "union",
    "pacific",
    "northern",
    "canadian",
    "jet",
    "blue",
    "spirit",
    "frontier",
    "alaska",
    "sun",
    "plug",
    "power",
    "fox",
    "news",
    "charter",
    "dish",
    "mobile",
    "sprint",
    "arm",
    "elastic",
    "check",
    "point",
    "rocket",
    "better",
    "chime",
    "toast",
    "ring",
    "nest",
    "max",
    "prime",
    "threads",
    "messenger",
    "cruise",
    "ram",
    "dodge",
    "chrome",
    "anywhere",
    "real",
    "live",
    "nation",
    "wendy",
    "domino",
    "hess",
    "devon",
    "apache",
    "valero",
    "total",
    "lowe",
    "kohl",
    "macy",
    "hilton",
    "marriott",
    "corning",
    "moody",
    "hershey",
    "kellogg",
    "heinz",
    "graham",
    "dick",
];

/// Capitalised words that show a preceding ambiguous name belongs to something else
/// ("United States", "Amazon River", "Ford Foundation").
const NOT_COMPANY_NEXT: &[&str] = &[
    "states",
    "kingdom",
    "nations",
    "arab",
    "emirates",
    "river",
    "rainforest",
    "basin",
    "way",
    "road",
    "street",
    "avenue",
    "foundation",
    "university",
    "college",
    "school",
    "center",
    "centre",
    "park",
    "county",
    "city",
    "state",
    "islands",
    "island",
    "ocean",
    "sea",
    "valley",
    "museum",
    "hospital",
    "church",
    "square",
    "bridge",
    "tower",
    "auto",
    "workers",
    "union",
    "party",
    "republic",
    "federation",
    "house",
    "senate",
    "court",
    "district",
    "circuit",
    "sachs",
    "stanley",
    // Another organisation of the same first name ("Fortis Advisors").
    "advisors",
    "advisers",
    "associates",
    "partners",
    "ventures",
    "institute",
    "council",
    "committee",
    "commission",
    "association",
    "society",
    "fund",
    "funds",
];

/// Words near an ambiguous name that show it is a company.
const COMPANY_CUES_AFTER: &[&str] = &[
    "inc",
    "corp",
    "corporation",
    "co",
    "company",
    "ltd",
    "plc",
    "llc",
    "group",
    "holdings",
    "shares",
    "stock",
    "stocks",
    "said",
    "says",
    "announced",
    "reported",
    "sued",
    "filed",
    "agreed",
    "halted",
    "stopped",
    "suspended",
    "recalled",
    "launched",
    "paid",
    "pays",
    "will",
    "would",
    "has",
    "had",
    "is",
    "was",
    "declined",
    "denied",
    "confirmed",
    "settled",
    "faces",
    "faced",
    "ceo",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "executive",
    "executives",
    "chief",
    "cancelled",
    "canceled",
    "grounded",
    "closed",
    "plans",
    "planned",
    "began",
    "started",
    "cut",
    "raised",
    "expects",
    "stores",
    "customers",
    "employees",
    "investors",
    "earnings",
    "revenue",
    "profit",
    "unit",
    "subsidiary",
    "rival",
    "rivals",
    "board",
    "lawyers",
    "attorneys",
    "website",
    "app",
    "also",
    "became",
    "kicked",
    "followed",
    // What a company does in legal and regulatory news.
    "appealed",
    "appeals",
    "appealing",
    "challenged",
    "challenges",
    "contested",
    "contests",
    "disputed",
    "disputes",
    "sues",
    "settles",
    "agrees",
    "admitted",
    "acknowledged",
    "received",
    "reached",
    "paused",
    "shut",
    "pulled",
    "removed",
    "told",
    "sought",
    "warned",
];

const COMPANY_CUES_BEFORE: &[&str] = &[
    "retailer",
    "airline",
    "carrier",
    "company",
    "rival",
    "giant",
    "firm",
    "bank",
    "chipmaker",
    "automaker",
    "carmaker",
    "maker",
    "group",
    "conglomerate",
    "against",
    "sued",
    "by",
    "from",
    "with",
    "and",
    "including",
    "like",
    "rivals",
    "competitor",
    "competitors",
    "peers",
];

/// A short name people write: the legal name without corporate suffixes.
fn short_name(rec: &CompanyRecord) -> String {
    crate::registry::base_name(&rec.name)
        .or_else(|| {
            rec.aliases
                .iter()
                .find(|a| a.kind == AliasKind::LegalName && a.text != rec.name)
                .map(|a| a.text.clone())
        })
        .unwrap_or_else(|| rec.name.clone())
}

/// How an alias must be written and backed. Names written by hand (a registry's
/// `short:`, `brand:` ... aliases) follow the curated list [`AMBIGUOUS`]; names derived
/// by rule from a legal name are scored by how common their words are
/// ([`crate::registry::words::ambiguity`]).
fn case_rule(alias: &str, kind: AliasKind) -> CaseRule {
    let rule = curated_case_rule(alias);
    if kind != AliasKind::LegalName || rule == CaseRule::Ambiguous {
        return rule;
    }
    let first = alias.split_whitespace().next().unwrap_or("");
    let single = !alias.trim().contains(' ');
    if single && GIVEN_NAMES.contains(first.to_lowercase().as_str()) {
        return CaseRule::Common;
    }
    match (words::ambiguity(alias), rule) {
        // A person's or a place's name says as much as a common word.
        (Ambiguity::CommonWord | Ambiguity::Name, _) => CaseRule::Common,
        (Ambiguity::Word, _) => CaseRule::Word,
        (Ambiguity::Phrase | Ambiguity::Distinct, rule) => rule,
    }
}

fn curated_case_rule(alias: &str) -> CaseRule {
    let letters: Vec<char> = alias.chars().filter(|c| c.is_alphabetic()).collect();
    let all_upper = !letters.is_empty() && letters.iter().all(|c| c.is_uppercase());
    if all_upper && alias.chars().count() <= 5 {
        return CaseRule::Exact;
    }
    let single_word = !alias.contains(' ');
    let low = alias.to_ascii_lowercase();
    let bare = low.trim_end_matches("'s").trim_end_matches("’s");
    if single_word && AMBIGUOUS.contains(&bare) {
        return CaseRule::Ambiguous;
    }
    if alias.chars().count() <= 3 {
        return CaseRule::Exact;
    }
    CaseRule::Capitalised
}

/// Words that an alias must not be on its own, whatever the registry says.
fn useless_alias(alias: &str) -> bool {
    let low = alias.to_ascii_lowercase();
    let letters = low.chars().filter(|c| c.is_alphanumeric()).count();
    letters < 2
        || matches!(
            low.as_str(),
            "the"
                | "inc"
                | "corp"
                | "company"
                | "group"
                | "holdings"
                | "trust"
                | "fund"
                | "bank"
                | "american"
                | "international"
                | "national"
                | "first"
                | "new"
                | "one"
                | "all"
                | "us"
                | "it"
                | "we"
                | "on"
                | "in"
                | "at"
                | "by"
                | "an"
                | "or"
                | "be"
                | "go"
                | "so"
                | "do"
                | "no"
                | "a"
                | "i"
                | "and"
                | "for"
                | "are"
                | "can"
                | "now"
                | "out"
                | "key"
                | "well"
                | "real"
                | "good"
                | "big"
                | "live"
                | "life"
                | "care"
                | "data"
                | "energy"
                | "health"
                | "capital"
                | "financial"
                | "partners"
                | "industries"
                | "technologies"
                | "systems"
                | "solutions"
                | "services"
                | "resources"
                | "properties"
                | "brands"
                | "global"
                | "united"
                | "general"
                | "federal"
                | "state"
                | "public"
                | "street"
                | "target"
                | "visa"
                | "the company"
        ) && !matches!(low.as_str(), "target" | "visa" | "united" | "general")
}

/// Industry words that refer to a company of that industry, by ticker.
const CLASSES_BY_TICKER: &[(&str, &[&str])] = &[
    ("JPM", &["bank", "lender", "firm"]),
    ("BAC", &["bank", "lender"]),
    ("C", &["bank", "lender"]),
    ("WFC", &["bank", "lender"]),
    ("GS", &["bank", "firm"]),
    ("MS", &["bank", "firm"]),
    ("COF", &["bank", "lender"]),
    ("USB", &["bank", "lender"]),
    ("HOOD", &["brokerage", "broker", "app", "platform"]),
    ("SCHW", &["brokerage", "broker", "bank"]),
    ("V", &["network", "payments company", "card network"]),
    ("MA", &["network", "payments company", "card network"]),
    ("AXP", &["card issuer", "lender"]),
    ("PYPL", &["payments company"]),
    ("GM", &["automaker", "carmaker", "manufacturer"]),
    ("F", &["automaker", "carmaker", "manufacturer"]),
    (
        "TSLA",
        &[
            "automaker",
            "carmaker",
            "electric-vehicle maker",
            "manufacturer",
        ],
    ),
    ("STLA", &["automaker", "carmaker"]),
    ("TM", &["automaker", "carmaker"]),
    ("HMC", &["automaker", "carmaker"]),
    ("RIVN", &["automaker", "carmaker"]),
    ("BA", &["planemaker", "manufacturer", "aerospace company"]),
    ("DAL", &["airline", "carrier"]),
    ("UAL", &["airline", "carrier"]),
    ("AAL", &["airline", "carrier"]),
    ("LUV", &["airline", "carrier"]),
    ("ALK", &["airline", "carrier"]),
    ("JBLU", &["airline", "carrier"]),
    ("INTC", &["chipmaker", "semiconductor giant"]),
    ("NVDA", &["chipmaker", "semiconductor giant"]),
    ("AMD", &["chipmaker"]),
    ("QCOM", &["chipmaker"]),
    ("AVGO", &["chipmaker"]),
    ("MU", &["chipmaker"]),
    ("TSM", &["chipmaker"]),
    ("AAPL", &["iphone maker", "tech giant", "technology giant"]),
    ("GOOGL", &["search giant", "tech giant", "technology giant"]),
    (
        "META",
        &[
            "social media giant",
            "social network",
            "social media group",
            "tech giant",
        ],
    ),
    (
        "MSFT",
        &[
            "software maker",
            "software company",
            "tech giant",
            "technology giant",
        ],
    ),
    (
        "AMZN",
        &[
            "online retailer",
            "retailer",
            "e-commerce giant",
            "tech giant",
        ],
    ),
    ("WMT", &["retailer"]),
    ("TGT", &["retailer"]),
    ("COST", &["retailer"]),
    ("HD", &["retailer"]),
    ("LOW", &["retailer"]),
    ("KR", &["grocer", "retailer"]),
    ("GME", &["retailer", "video-game retailer"]),
    ("NFLX", &["streamer", "streaming service"]),
    ("DIS", &["entertainment company"]),
    ("T", &["carrier", "telecom company", "wireless carrier"]),
    ("VZ", &["carrier", "telecom company", "wireless carrier"]),
    ("TMUS", &["carrier", "wireless carrier"]),
    ("UNP", &["railroad"]),
    ("NSC", &["railroad"]),
    ("CSX", &["railroad"]),
    ("XOM", &["oil giant", "oil major", "oil company"]),
    ("CVX", &["oil giant", "oil major", "oil company"]),
    (
        "JNJ",
        &["health-care company", "healthcare company", "drugmaker"],
    ),
    ("PFE", &["drugmaker"]),
    ("MRK", &["drugmaker"]),
    ("ABBV", &["drugmaker"]),
    ("LLY", &["drugmaker"]),
    ("BMY", &["drugmaker"]),
    ("ABT", &["health-care company", "manufacturer"]),
    (
        "MMM",
        &["conglomerate", "industrial conglomerate", "manufacturer"],
    ),
    ("GE", &["conglomerate"]),
    (
        "MCD",
        &[
            "chain",
            "fast-food chain",
            "restaurant chain",
            "burger chain",
        ],
    ),
    ("SBUX", &["chain", "coffee chain"]),
    ("CMG", &["chain", "restaurant chain"]),
    ("UBER", &["ride-hailing company", "platform"]),
    ("LYFT", &["ride-hailing company", "platform"]),
    (
        "CRWD",
        &["cybersecurity company", "security firm", "security company"],
    ),
    ("PTON", &["fitness company"]),
    ("PHG", &["health technology group", "manufacturer"]),
    ("IBM", &["tech company"]),
    ("KO", &["beverage company", "soft-drink maker"]),
];

/// Class nouns taken from words of the legal name.
fn classes_from_name(name: &str) -> Vec<&'static str> {
    let low = name.to_ascii_lowercase();
    let mut out = Vec::new();
    if low.contains("bank") || low.contains("bancorp") || low.contains("financial") {
        out.extend(["bank", "lender"]);
    }
    if low.contains("airlines") || low.contains("air lines") || low.contains("airways") {
        out.extend(["airline", "carrier"]);
    }
    if low.contains("motor") {
        out.extend(["automaker", "carmaker"]);
    }
    if low.contains("pharma") || low.contains("therapeutics") {
        out.push("drugmaker");
    }
    if low.contains("railroad") || low.contains("railway") {
        out.push("railroad");
    }
    if low.contains("semiconductor") {
        out.push("chipmaker");
    }
    out
}

static EXPLICIT_TICKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:\(\s*|(?-u:\b))(?:NYSE(?:\s+American|\s+Arca)?|NASDAQ|Nasdaq|NasdaqGS|NasdaqGM|Cboe|OTC|OTCQX|TSX|LSE)\s*:\s*([A-Z]{1,5}(?:[.\-][A-Z])?)(?-u:\b)|(?:^|[\s(])\$([A-Z]{1,5}(?:\.[A-Z])?)(?-u:\b)",
    )
    .expect("explicit ticker regex compiles")
});

/// Whether "$SYMBOL" is a cashtag, not a variable of a shell or template ("$PATH",
/// "$PR-NUMBER", "$RCS$"): not followed by a symbol character, and not a common
/// English word or abbreviation in capitals.
fn cashtag_ok(text: &str, symbol: &str, end: usize) -> bool {
    let next = span::from(text, end).chars().next();
    if next.is_some_and(|c| "-$/=_{}[]:".contains(c)) {
        return false;
    }
    let word = words::level(symbol).is_some_and(|l| l <= 40);
    !(symbol.len() >= 2 && (word || words::is_abbreviation(symbol)))
}

impl CompanyIndex {
    /// Builds the index and its automaton over all aliases of all records.
    pub fn new(records: &[CompanyRecord]) -> CompanyIndex {
        let mut companies = Vec::with_capacity(records.len());
        let mut by_ticker = HashMap::new();
        let mut by_cik = HashMap::new();
        let mut by_name = HashMap::new();
        let mut texts: Vec<String> = Vec::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for rec in records {
            // A record built in code may carry anything; the registry's readers refuse
            // malformed tickers with a reason before this point.
            let Ok(ticker) = Ticker::parse(&rec.ticker) else {
                continue;
            };
            let idx = companies.len();
            let mut classes: Vec<&'static str> = CLASSES_BY_TICKER
                .iter()
                .find(|(t, _)| *t == rec.ticker)
                .map(|(_, c)| c.to_vec())
                .unwrap_or_default();
            for c in classes_from_name(&rec.name) {
                if !classes.contains(&c) {
                    classes.push(c);
                }
            }
            companies.push(Company {
                ticker,
                name: rec.name.clone(),
                cik: rec.cik,
                classes,
                short: short_name(rec),
            });
            by_ticker.entry(rec.ticker.clone()).or_insert(idx);
            for t in &rec.former_tickers {
                by_ticker.entry(t.clone()).or_insert(idx);
            }
            if let Some(cik) = rec.cik {
                by_cik.entry(cik).or_insert(idx);
            }
            for alias in &rec.aliases {
                let text = alias.text.trim();
                by_name.entry(text.to_ascii_lowercase()).or_insert(idx);
                if useless_alias(text) {
                    continue;
                }
                let key = text.to_ascii_lowercase();
                // The first record that declares an alias keeps it; a later declared
                // (non-derived) alias does not override an earlier one.
                if seen.contains_key(&key) {
                    continue;
                }
                seen.insert(key, patterns.len());
                texts.push(text.to_string());
                patterns.push(Pattern {
                    company: idx,
                    kind: alias.kind,
                    rule: case_rule(text, alias.kind),
                    capitals: capitals(text),
                });
            }
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Both)
            .build(&texts)
            .ok();
        CompanyIndex {
            companies,
            patterns,
            ac,
            by_ticker,
            by_cik,
            by_name,
        }
    }

    /// The company at an index returned in a mention.
    pub fn company(&self, idx: usize) -> &Company {
        &self.companies[idx]
    }

    /// Number of companies.
    pub fn len(&self) -> usize {
        self.companies.len()
    }

    /// True when the registry is empty.
    pub fn is_empty(&self) -> bool {
        self.companies.is_empty()
    }

    /// The company with this ticker (current or former).
    pub fn by_ticker(&self, ticker: &str) -> Option<usize> {
        self.by_ticker.get(&ticker.to_ascii_uppercase()).copied()
    }

    /// The company with this CIK.
    pub fn by_cik(&self, cik: i64) -> Option<usize> {
        self.by_cik.get(&cik).copied()
    }

    /// The company whose legal name or alias is exactly this (ignoring case and suffixes).
    pub fn by_name(&self, name: &str) -> Option<usize> {
        let low = name.trim().to_ascii_lowercase();
        if let Some(&i) = self.by_name.get(&low) {
            return Some(i);
        }
        crate::registry::base_name(name)
            .and_then(|b| self.by_name.get(&b.to_ascii_lowercase()).copied())
    }

    /// How many aliases the bare automaton finds in a text, with no boundary, case or
    /// context check: the baseline `riskline bench extract` compares extraction with.
    pub fn bare_scan(&self, text: &str) -> usize {
        self.ac.as_ref().map_or(0, |ac| ac.find_iter(text).count())
    }

    /// Finds the company mentions of a segmented text, in text order.
    pub fn find(&self, seg: &Segmented<'_>) -> Vec<Mention> {
        let text = seg.text;
        let mut raw: Vec<(Mention, CaseRule)> = Vec::new();
        if let Some(ac) = &self.ac {
            let mut at = 0;
            while at < text.len() {
                let Some(m) = ac.find(Input::new(text).range(at..)) else {
                    break;
                };
                let mut cand = Some(m);
                let mut accepted = None;
                // When the longest alias fails the checks, try shorter ones at the same start.
                while let Some(c) = cand {
                    let p = &self.patterns[c.pattern().as_usize()];
                    if self.boundary_ok(text, c.start(), c.end())
                        && case_ok(text, c.start(), c.end(), p)
                    {
                        accepted = Some((c, p));
                        break;
                    }
                    if c.end() <= c.start() + 1 {
                        break;
                    }
                    cand = ac.find(
                        Input::new(text)
                            .range(c.start()..c.end() - 1)
                            .anchored(Anchored::Yes),
                    );
                }
                match accepted {
                    Some((c, p)) => {
                        raw.push((
                            Mention {
                                start: c.start(),
                                end: c.end(),
                                company: p.company,
                                via: Via::Alias(p.kind),
                            },
                            p.rule,
                        ));
                        at = c.end();
                    }
                    None => {
                        at = m.start()
                            + span::from(text, m.start())
                                .chars()
                                .next()
                                .map_or(1, char::len_utf8);
                    }
                }
            }
        }
        drop_person_names(text, &mut raw);
        raw.retain(|(m, _)| !time_zone(text, m.start, m.end));
        // Explicit tickers.
        let mut tickers = Vec::new();
        for cap in EXPLICIT_TICKER.captures_iter(text) {
            let Some(g) = cap.get(1).or_else(|| cap.get(2)) else {
                continue;
            };
            if cap.get(2).is_some() && !cashtag_ok(text, g.as_str(), g.end()) {
                continue;
            }
            let norm = g.as_str().replace('.', "-");
            if let Some(idx) = self.by_ticker(&norm) {
                tickers.push(Mention {
                    start: g.start(),
                    end: g.end(),
                    company: idx,
                    via: Via::Ticker,
                });
            }
        }
        let mut out = self.decide(seg, &raw, &tickers);
        for t in tickers {
            if !out.iter().any(|m| m.start <= t.start && t.end <= m.end) {
                out.push(t);
            }
        }
        let owned = owned_businesses(text, &out);
        out.extend(owned);
        out.sort_by_key(|m| (m.start, m.end));
        out
    }

    /// Which alias mentions stand: unambiguous ones unless glued into a longer name;
    /// ambiguous ones (see [`CaseRule`]) by their evidence, local first, then from the
    /// rest of the document.
    fn decide(
        &self,
        seg: &Segmented<'_>,
        raw: &[(Mention, CaseRule)],
        tickers: &[Mention],
    ) -> Vec<Mention> {
        // Companies named by a ticker or an unambiguous name ("firm"), and also by an
        // ambiguous name with company context ("confirmed").
        let mut firm: HashSet<usize> = tickers.iter().map(|m| m.company).collect();
        let mut keep: Vec<Option<bool>> = Vec::with_capacity(raw.len());
        for (m, rule) in raw {
            let ticker = self.companies[m.company].ticker.as_str();
            let k = match rule {
                CaseRule::Exact | CaseRule::Capitalised => {
                    // A one-word name derived by rule is not a company's after another
                    // capitalised word ("Robinhood Crypto").
                    let derived = m.via == Via::Alias(AliasKind::LegalName);
                    let found = span::clip(seg.text, m.start, m.end);
                    let derived_word = derived && !found.contains(' ');
                    // A derived name of ordinary words glued to another capitalised
                    // word is part of another name ("National Research Initiatives").
                    let phrase_glued = derived
                        && words::ambiguity(found) == Ambiguity::Phrase
                        && evidence::against(seg, m);
                    Some(!phrase_glued && !self.part_of_longer_name(seg, m, derived_word))
                }
                CaseRule::Ambiguous if evidence::strong(seg, m, ticker) => Some(true),
                CaseRule::Ambiguous => None,
                CaseRule::Word | CaseRule::Common
                    if evidence::against(seg, m) || self.part_of_longer_name(seg, m, true) =>
                {
                    Some(false)
                }
                CaseRule::Word | CaseRule::Common if evidence::strong(seg, m, ticker) => Some(true),
                CaseRule::Word | CaseRule::Common => None,
            };
            if k == Some(true) {
                firm.insert(m.company);
            }
            keep.push(k);
        }
        let raw = &short_forms(seg.text, raw, &mut keep, &mut firm);
        shadow(seg.text, raw, &mut keep);
        let mut confirmed = firm.clone();
        for _ in 0..2 {
            let known: Vec<(usize, usize)> = raw
                .iter()
                .zip(&keep)
                .filter(|(_, k)| **k == Some(true))
                .map(|((m, _), _)| (m.start, m.end))
                .chain(tickers.iter().map(|m| (m.start, m.end)))
                .collect();
            for (i, (m, rule)) in raw.iter().enumerate() {
                if keep[i].is_some() || *rule == CaseRule::Common {
                    continue;
                }
                if self.part_of_longer_name(seg, m, true) {
                    keep[i] = Some(false);
                    continue;
                }
                // A derived word at the start of a sentence or in a headline has its
                // capital for free: context words there do not make it a name.
                if *rule == CaseRule::Word && capital_for_free(seg, m) {
                    continue;
                }
                if self.local_company_context(seg, m, &known) {
                    keep[i] = Some(true);
                    confirmed.insert(m.company);
                }
            }
        }
        let mut out: Vec<Mention> = Vec::new();
        for (i, (m, rule)) in raw.iter().enumerate() {
            let ok = match keep[i] {
                Some(k) => k,
                // The most common words need the company named firmly elsewhere.
                None if *rule == CaseRule::Common => {
                    firm.contains(&m.company)
                        && !preceded_by_the(seg, m)
                        && !self.part_of_longer_name(seg, m, true)
                }
                None => confirmed.contains(&m.company) && !preceded_by_the(seg, m),
            };
            if ok {
                out.push(*m);
            }
        }
        out
    }

    fn boundary_ok(&self, text: &str, start: usize, end: usize) -> bool {
        let before = span::upto(text, start).chars().next_back();
        let after = span::from(text, end).chars().next();
        let before_ok = !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '@');
        // "JPMorgan's" and "JPMorgan’s" are fine; "Metals" is not "Meta".
        // "Amazon-owned Zeta" names Amazon as an owner.
        let rest = span::from(text, end);
        let owner = rest.starts_with("-owned") || rest.starts_with("-controlled");
        let hyphen_word = after == Some('-')
            && !owner
            && span::from(text, end + 1)
                .chars()
                .next()
                .is_some_and(|c| c.is_lowercase());
        let after_ok = !(after.is_some_and(|c| c.is_alphanumeric() || c == '_') || hyphen_word);
        before_ok && after_ok
    }

    /// True when the mention is glued to capitalised words that make it another name:
    /// "Harrison Ford", "Amazon River", "United States".
    fn part_of_longer_name(&self, seg: &Segmented<'_>, m: &Mention, ambiguous: bool) -> bool {
        let ti = seg.token_at(m.start);
        let te = seg.token_at(m.end);
        let next_cap = te < seg.tokens.len()
            && seg.tokens[te].kind == TokKind::Word
            && seg.tokens[te].start == m.end + 1
            && seg.tok(te).chars().next().is_some_and(|c| c.is_uppercase());
        if next_cap && NOT_COMPANY_NEXT.contains(&seg.low(te)) {
            return true;
        }
        if !ambiguous {
            return false;
        }
        // A capitalised word right before, within the sentence, that is not a sentence
        // start: a first name or another proper name ("Harrison Ford", "Nikki Haley").
        if ti > 0 {
            let p = ti - 1;
            let sent_start = seg
                .sentence_at(m.start)
                .map(|s| seg.sentences[s].tok_start)
                .unwrap_or(0);
            if p > sent_start
                && seg.tokens[p].kind == TokKind::Word
                && seg.tokens[p].end + 1 == m.start
                && seg.tok(p).chars().next().is_some_and(|c| c.is_uppercase())
                && !COMPANY_CUES_BEFORE.contains(&seg.low(p))
                && !matches!(seg.low(p), "the" | "and" | "as" | "of" | "at" | "on" | "in")
            {
                return true;
            }
        }
        false
    }

    /// Company context next to an ambiguous name.
    fn local_company_context(
        &self,
        seg: &Segmented<'_>,
        m: &Mention,
        known: &[(usize, usize)],
    ) -> bool {
        let text = seg.text;
        let first = span::from(text, m.start).chars().next();
        if !first.is_some_and(|c| c.is_uppercase()) {
            return false;
        }
        let ti = seg.token_at(m.start);
        let te = seg.token_at(m.end);
        let sent = seg.sentence_at(m.start);
        let (s_start, s_end) = sent
            .map(|s| (seg.sentences[s].tok_start, seg.sentences[s].tok_end))
            .unwrap_or((0, seg.tokens.len()));
        // Words after (skipping a possessive).
        let mut j = te;
        if j < s_end && seg.tokens[j].kind == TokKind::Possessive {
            j += 1;
            if j < s_end && matches!(seg.low(j), "shares" | "stock" | "chief" | "ceo" | "board") {
                return true;
            }
        }
        if j < s_end {
            let w = seg.low(j);
            if COMPANY_CUES_AFTER.contains(&w) {
                return true;
            }
            // "Target on Tuesday said", "Delta last week sued".
            if matches!(w, "on" | "last" | "this" | "late" | "earlier") {
                let window =
                    (j + 1..(j + 4).min(s_end)).any(|k| COMPANY_CUES_AFTER.contains(&seg.low(k)));
                if window {
                    return true;
                }
            }
        }
        // An owner: "a unit of Amazon", "owned by Amazon", "Amazon-owned".
        if ti >= s_start + 2 {
            let (p2, p1) = (seg.low(ti - 2), seg.low(ti - 1));
            let owner = matches!(
                (p2, p1),
                (
                    "unit" | "subsidiary" | "division" | "affiliate" | "arm",
                    "of"
                ) | ("owned" | "controlled" | "acquired", "by")
            );
            if owner {
                return true;
            }
        }
        let rest = span::from(text, m.end);
        if rest.starts_with("-owned") || rest.starts_with("-controlled") {
            return true;
        }
        // Words before: "retailer Target", "against Delta", "Amazon, eBay and Target",
        // and the object of an event verb ("fined Meta", "suspended Cruise's permits").
        if ti > s_start {
            let p = seg.low(ti - 1);
            if crate::extract::triggers::is_trigger_word(p).is_some()
                && p.ends_with("ed")
                && !matches!(p, "closed" | "removed" | "found")
            {
                return true;
            }
            if COMPANY_CUES_BEFORE.contains(&p) || p == "," {
                // "and"/"," only count next to another company mention.
                if matches!(
                    p,
                    "and" | "," | "with" | "by" | "from" | "including" | "like"
                ) {
                    return known.iter().any(|&(s, e)| {
                        (e <= m.start && in_one_list(text, e, m.start))
                            || (s >= m.end && in_one_list(text, m.end, s))
                    });
                }
                return true;
            }
        }
        // "Visa and its clients": a company with its own clients or units.
        if j + 1 < s_end && matches!(seg.low(j), "and" | "or") && matches!(seg.low(j + 1), "its") {
            return true;
        }
        // Followed by "and"/"," then, in the same list, a known company.
        if j < s_end && matches!(seg.low(j), "and" | ",") {
            return known
                .iter()
                .any(|&(s, _)| s >= m.end && in_one_list(text, m.end, s));
        }
        false
    }
}

/// A capitalised name of one to four words ("Zeta Robotics", "Acme Foods & Co").
const BUSINESS_NAME: &str = r"[A-Z][\w&.'’-]*(?:\s(?:&\s)?[A-Z][\w&.'’-]*){0,3}";

/// "Zeta, a unit of " / "Zeta, a wholly owned subsidiary of " / "Zeta, owned by "
/// right before the owner's name.
static OWNED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<name>{BUSINESS_NAME}),\s(?:(?:a|an|the)\s)?(?:(?:wholly|majority)[-\s]owned\s)?(?:unit|subsidiary|division|arm|affiliate|owned\sby|part\sof)\s(?:of\s)?$"
    ))
    .expect("ownership regex compiles")
});

/// "-owned Zeta" / " unit Zeta" / " subsidiary Zeta" right after the owner's name.
static OWNED_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:-owned|-controlled|’s\sunit|'s\sunit|’s\ssubsidiary|'s\ssubsidiary|\sunit|\ssubsidiary)\s(?P<name>{BUSINESS_NAME})"
    ))
    .expect("ownership regex compiles")
});

/// Unlisted businesses that ownership phrases tie to a listed owner: each becomes a
/// mention of the owner over the business's name, so that an act against the business
/// ("suspended Alphabet-owned Zeta's permits") is an act against the owner. Names that
/// are already mentions of a company keep their own.
fn owned_businesses(text: &str, found: &[Mention]) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    let taken = |start: usize, end: usize| {
        found
            .iter()
            .any(|m| m.start < end && start < m.end && m.via != Via::Reference)
    };
    for m in found
        .iter()
        .filter(|m| matches!(m.via, Via::Alias(_) | Via::Ticker))
    {
        let window_start = span::floor(text, m.start.saturating_sub(120));
        let before = span::clip(text, window_start, m.start);
        // Literal gates first: the regexes run only where an ownership word is.
        let owner_word = before.ends_with(" of ") || before.ends_with(" by ");
        if let Some(name) = owner_word
            .then(|| OWNED_BEFORE.captures(before))
            .flatten()
            .and_then(|c| c.name("name"))
        {
            let start = window_start + name.start();
            let end = start + bare_name(name.as_str()).len();
            if !taken(start, end) {
                out.push(Mention {
                    start,
                    end,
                    company: m.company,
                    via: Via::Owned,
                });
            }
        }
        let window_end = span::ceil(text, (m.end + 120).min(text.len()));
        let after = span::clip(text, m.end, window_end);
        let owned_word = [
            "-owned ",
            "-controlled ",
            "’s unit ",
            "'s unit ",
            "’s subsidiary ",
            "'s subsidiary ",
            " unit ",
            " subsidiary ",
        ]
        .iter()
        .any(|w| after.starts_with(w));
        if let Some(name) = owned_word
            .then(|| OWNED_AFTER.captures(after))
            .flatten()
            .and_then(|c| c.name("name"))
        {
            let start = m.end + name.start();
            let end = start + bare_name(name.as_str()).len();
            if !taken(start, end) {
                out.push(Mention {
                    start,
                    end,
                    company: m.company,
                    via: Via::Owned,
                });
            }
        }
    }
    out
}

/// Between two names of one list: commas, "and"/"or", and other capitalised names
/// only ("Delta, United and American Airlines"), at most 80 bytes.
static LIST_GAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:,?\s(?:and|or)\s|,\s)(?:[A-Z][\w&.'’-]*(?:\s[A-Z][\w&.'’-]*){0,3}(?:,?\s(?:and|or)\s|,\s))*$")
        .expect("list regex compiles")
});

/// Whether `text[from..to]` only separates two names of one list.
fn in_one_list(text: &str, from: usize, to: usize) -> bool {
    to >= from && to - from <= 80 && LIST_GAP.is_match(span::clip(text, from, to))
}

/// A name without a possessive or a final full stop: "Zeta's" -> "Zeta".
fn bare_name(name: &str) -> &str {
    let mut n = name;
    loop {
        let cut = ["'s", "’s", "'", "’", "."]
            .iter()
            .find_map(|suffix| n.strip_suffix(suffix));
        match cut {
            Some(rest) => n = rest,
            None => return n,
        }
    }
}

/// Whether the name found at `start` is a person's surname: right after a capitalised
/// given name ("Greg Abbott"), an initial ("Henry J. Ford" has "J."), or a title
/// ("Gov. Abbott", "Judge Ford").
fn names_a_person(text: &str, start: usize) -> bool {
    let before = span::upto(text, start);
    let Some(rest) = before.strip_suffix(' ') else {
        return false;
    };
    let word_start = rest
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_alphabetic() || *c == '.'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = span::from(rest, word_start);
    if !word.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    let bare = word.trim_end_matches('.');
    if word.ends_with('.') && bare.chars().count() == 1 {
        return true;
    }
    let lower = bare.to_lowercase();
    PERSON_TITLES.contains(lower.as_str())
        || !word.ends_with('.') && GIVEN_NAMES.contains(lower.as_str())
}

/// Time zones that are also tickers or names ("ET" is Energy Transfer's symbol).
const TIME_ZONES: &[&str] = &[
    "ET", "EST", "EDT", "PT", "PST", "PDT", "CT", "CST", "CDT", "MT", "MST", "MDT", "GMT", "UTC",
    "BST", "CET", "CEST", "JST", "IST", "AEST", "HKT",
];

/// A time zone after a clock time ("9:30 a.m. ET", "at 10:00 GMT", "noon ET"), or
/// in parentheses after one ("3 p.m. (ET)"): no company.
fn time_zone(text: &str, start: usize, end: usize) -> bool {
    if !TIME_ZONES.contains(&span::clip(text, start, end)) {
        return false;
    }
    let before = span::upto(text, start)
        .trim_end()
        .trim_end_matches('(')
        .trim_end();
    let low = before.to_ascii_lowercase();
    low.ends_with("a.m.")
        || low.ends_with("p.m.")
        || low.ends_with(" am")
        || low.ends_with(" pm")
        || low.ends_with("noon")
        || low.ends_with("midnight")
        || {
            // "10:00", "9:30"
            let tail: Vec<char> = before.chars().rev().take(5).collect();
            tail.len() >= 4
                && tail[0].is_ascii_digit()
                && tail[1].is_ascii_digit()
                && tail[2] == ':'
                && tail[3].is_ascii_digit()
        }
}

/// Drops names of companies that name people here: the mention after a given name or
/// title, and the same name alone elsewhere in the document ("Abbott said ...") unless
/// the company is also named another way (a longer name, a ticker): "Henry Ford" does
/// not stop "Ford Motor ... Ford" from being the company.
fn drop_person_names(text: &str, raw: &mut Vec<(Mention, CaseRule)>) {
    let person: Vec<bool> = raw
        .iter()
        .map(|(m, _)| names_a_person(text, m.start))
        .collect();
    if !person.contains(&true) {
        return;
    }
    let found = |m: &Mention| span::clip(text, m.start, m.end);
    let surnames: HashSet<&str> = raw
        .iter()
        .zip(&person)
        .filter(|(_, p)| **p)
        .map(|((m, _), _)| found(m))
        .collect();
    let named_otherwise: HashSet<usize> = raw
        .iter()
        .filter(|(m, _)| !surnames.contains(found(m)))
        .map(|(m, _)| m.company)
        .collect();
    let mut i = 0;
    raw.retain(|(m, _)| {
        let keep =
            !person[i] && (!surnames.contains(found(m)) || named_otherwise.contains(&m.company));
        i += 1;
        keep
    });
}

/// The mentions with a one-word name that is the first word of another company's name
/// written in full in the document, moved to that company: after "Rogers
/// Communications Inc." a later "Rogers" is that company, not another Rogers.
fn short_forms(
    text: &str,
    raw: &[(Mention, CaseRule)],
    keep: &mut [Option<bool>],
    firm: &mut HashSet<usize>,
) -> Vec<(Mention, CaseRule)> {
    let mut first_words: HashMap<&str, Option<usize>> = HashMap::new();
    for ((m, _), k) in raw.iter().zip(keep.iter()) {
        let found = span::clip(text, m.start, m.end);
        if let (Some(true), Some((first, _))) = (k, found.split_once(' ')) {
            let entry = first_words.entry(first).or_insert(Some(m.company));
            if *entry != Some(m.company) {
                // Two companies start so: the word decides for neither.
                *entry = None;
            }
        }
    }
    let mut out = raw.to_vec();
    for (i, (m, rule)) in out.iter_mut().enumerate() {
        let found = bare_name(span::clip(text, m.start, m.end));
        let Some(Some(owner)) = first_words.get(found) else {
            continue;
        };
        if *owner != m.company && !found.contains(' ') && keep[i] != Some(false) {
            m.company = *owner;
            *rule = CaseRule::Capitalised;
            keep[i] = Some(true);
            firm.insert(*owner);
        }
    }
    out
}

/// A name seen glued into a longer one ("Fortis" in "Fortis Advisors LLC") stands,
/// elsewhere in the same document, for that longer name ("(Fortis)") unless its own
/// company is named firmly another way or the mention has evidence of its own.
fn shadow(text: &str, raw: &[(Mention, CaseRule)], keep: &mut [Option<bool>]) {
    let shadowed: HashSet<&str> = raw
        .iter()
        .zip(keep.iter())
        .filter(|((_, rule), k)| **k == Some(false) && *rule != CaseRule::Exact)
        .map(|((m, _), _)| span::clip(text, m.start, m.end))
        .collect();
    if shadowed.is_empty() {
        return;
    }
    let named_otherwise: HashSet<usize> = raw
        .iter()
        .zip(keep.iter())
        .filter(|((m, _), k)| {
            **k == Some(true) && !shadowed.contains(span::clip(text, m.start, m.end))
        })
        .map(|((m, _), _)| m.company)
        .collect();
    for ((m, rule), k) in raw.iter().zip(keep.iter_mut()) {
        let found = span::clip(text, m.start, m.end);
        // Evidence of its own: a rare or common word kept for a suffix, a ticker ...
        let own_evidence = *k == Some(true) && matches!(rule, CaseRule::Word | CaseRule::Common);
        if *k != Some(false)
            && *rule != CaseRule::Exact
            && shadowed.contains(found)
            && !named_otherwise.contains(&m.company)
            && !own_evidence
        {
            *k = Some(false);
        }
    }
}

/// Whether the mention starts its sentence or stands in a headline, where a capital
/// letter says nothing.
fn capital_for_free(seg: &Segmented<'_>, m: &Mention) -> bool {
    seg.sentence_at(m.start).is_some_and(|s| {
        let sent = &seg.sentences[s];
        sent.headline || seg.token_at(m.start) == sent.tok_start
    })
}

fn preceded_by_the(seg: &Segmented<'_>, m: &Mention) -> bool {
    let ti = seg.token_at(m.start);
    ti > 0 && seg.low(ti - 1) == "the" && {
        let te = seg.token_at(m.end);
        !(te < seg.tokens.len()
            && seg.tokens[te].kind == TokKind::Word
            && seg.tok(te).chars().next().is_some_and(|c| c.is_uppercase()))
    }
}

fn case_ok(text: &str, start: usize, end: usize, pattern: &Pattern) -> bool {
    let found = span::clip(text, start, end);
    match pattern.rule {
        // Same letters as registered, capitals included: the text has no lower-case
        // letter where the all-capital alias has capitals.
        CaseRule::Exact => found.chars().all(|c| !c.is_lowercase()),
        // Every word the alias capitalises is capitalised in the text ("Bank of
        // America", not "bank of America"); connectors the alias writes in lower case
        // may be either.
        _ => found.split(' ').take(64).enumerate().all(|(k, w)| {
            pattern.capitals & (1 << k) == 0
                || !w
                    .chars()
                    .find(|c| c.is_alphabetic())
                    .is_some_and(char::is_lowercase)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::parse;

    fn index() -> CompanyIndex {
        let csv = "ticker,name,cik,exchange,aliases,former_tickers\n\
GM,General Motors Co,1467858,NYSE,short:GM;subsidiary:Cruise,\n\
TGT,Target Corp,27419,NYSE,short:Target,\n\
F,Ford Motor Co,37996,NYSE,short:Ford,\n\
DAL,\"Delta Air Lines, Inc.\",27904,NYSE,short:Delta,\n\
UAL,\"United Airlines Holdings, Inc.\",100517,Nasdaq,short:United Airlines;short:United,\n\
JPM,JPMorgan Chase & Co.,19617,NYSE,short:JPMorgan;short:Chase,\n\
AMZN,\"Amazon.com, Inc.\",1018724,Nasdaq,short:Amazon;subsidiary:Amazon Web Services;subsidiary:AWS,\n";
        CompanyIndex::new(&parse("t.csv", csv).unwrap())
    }

    fn tickers(text: &str) -> Vec<String> {
        let idx = index();
        let seg = Segmented::new(text);
        idx.find(&seg)
            .iter()
            .map(|m| idx.company(m.company).ticker.to_string())
            .collect()
    }

    #[test]
    fn subsidiaries_possessives_and_short_caps_names() {
        assert_eq!(
            tickers("Cruise’s permits and JPMorgan's suit; GM said so."),
            vec!["GM", "JPM", "GM"]
        );
        assert_eq!(
            tickers("gm is not a name, nor is Gm."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_time_zone_after_a_clock_time_is_no_company() {
        let csv = "ticker,name,cik,exchange,aliases,former_tickers\n\
ET,Energy Transfer LP,1276187,NYSE,short:ET,\n";
        let idx = CompanyIndex::new(&parse("t.csv", csv).unwrap());
        let found = |text: &str| idx.find(&Segmented::new(text)).len();
        assert_eq!(found("Service failed at 9:30 a.m. ET on Monday."), 0);
        assert_eq!(found("It returned by 14:00 ET and again at noon (ET)."), 0);
        assert_eq!(found("Shares of ET rose after the pipeline deal."), 1);
    }

    #[test]
    fn longest_alias_wins_and_maps_to_parent() {
        assert_eq!(tickers("Amazon Web Services was sued."), vec!["AMZN"]);
    }

    #[test]
    fn ambiguous_names_need_company_context() {
        assert!(tickers("The target is growing and we chase it.").is_empty());
        assert_eq!(
            tickers("Target said on Tuesday it would stop selling it."),
            vec!["TGT"]
        );
        assert!(tickers("Actor Harrison Ford spoke.").is_empty());
        assert_eq!(
            tickers("Ford Motor Co. halted output. Ford said it was fine."),
            vec!["F", "F"]
        );
        assert!(tickers("He flew over the United States to the Amazon.").is_empty());
        assert_eq!(
            tickers("Delta Air Lines and United raised fees; United said so."),
            vec!["DAL", "UAL", "UAL"]
        );
    }

    #[test]
    fn a_company_name_after_a_given_name_or_title_is_a_person() {
        let csv = "ticker,name,cik,exchange,aliases,former_tickers\n\
ABT,Abbott Laboratories,1800,NYSE,short:Abbott,\n\
F,Ford Motor Co,37996,NYSE,short:Ford,\n";
        let idx = CompanyIndex::new(&parse("t.csv", csv).unwrap());
        let found = |text: &str| -> Vec<String> {
            let seg = Segmented::new(text);
            idx.find(&seg)
                .iter()
                .map(|m| idx.company(m.company).ticker.to_string())
                .collect()
        };
        // A governor and a judge share names with listed companies.
        assert!(
            found("State attorney Greg Abbott sued a vitamin seller. Abbott said so.").is_empty()
        );
        assert!(found("Gov. Abbott signed it, and Judge Ford agreed.").is_empty());
        assert!(found("The suit was heard by Mary J. Ford in Detroit.").is_empty());
        // The person does not hide the company when the company is named too.
        assert_eq!(
            found("Henry Ford spoke for Ford Motor Co. on Monday. Ford shares rose."),
            vec!["F", "F"]
        );
        assert_eq!(found("Abbott recalled its formula."), vec!["ABT"]);
        // A headline's verbs are no given names.
        assert_eq!(found("Subscribers Sue Abbott Over Prices"), vec!["ABT"]);
    }

    #[test]
    fn a_business_owned_by_a_listed_company_stands_for_its_owner() {
        let idx = index();
        let owned = |text: &str| -> Vec<(String, String)> {
            let seg = Segmented::new(text);
            idx.find(&seg)
                .iter()
                .filter(|m| m.via == Via::Owned)
                .map(|m| {
                    (
                        span::clip(text, m.start, m.end).to_string(),
                        idx.company(m.company).ticker.to_string(),
                    )
                })
                .collect()
        };
        let zeta = vec![("Zeta Robotics".to_string(), "AMZN".to_string())];
        assert_eq!(
            owned("Officials suspended Amazon-owned Zeta Robotics' permits."),
            zeta
        );
        assert_eq!(
            owned("They sued Zeta Robotics, a wholly owned subsidiary of Amazon, today."),
            zeta
        );
        assert_eq!(
            owned("They sued Zeta Robotics, owned by Amazon, today."),
            zeta
        );
        assert_eq!(
            owned("They fined Amazon unit Zeta Robotics on Monday."),
            zeta
        );
        // A listed company keeps its own name; words that are no name give nothing.
        assert!(owned("Amazon-owned Target stores closed.").is_empty());
        assert!(owned("They sued a unit of Amazon today.").is_empty());
    }

    #[test]
    fn ambiguous_names_in_a_list_with_a_known_company_are_companies() {
        let idx = index();
        let found = |text: &str| -> Vec<String> {
            let seg = Segmented::new(text);
            let mut t: Vec<String> = idx
                .find(&seg)
                .iter()
                .map(|m| idx.company(m.company).ticker.to_string())
                .collect();
            t.sort();
            t
        };
        assert_eq!(
            found("Carriers including Delta, United and Amazon Web Services were hit."),
            vec!["AMZN", "DAL", "UAL"]
        );
        // A list of other words does not make the name a company.
        assert!(found("The delta, the river and the plain.").is_empty());
        assert!(found("Delta, a region, and others met Amazon Web Services staff.").len() == 1);
    }

    /// An index over companies as SEC lists them, names derived by rule.
    fn sec_index() -> CompanyIndex {
        let entry = |cik: i64, name: &str, ticker: &str| crate::registry::sec::SecEntry {
            cik: Some(cik),
            name: name.into(),
            ticker: ticker.into(),
            exchange: Some("Nasdaq".into()),
        };
        CompanyIndex::new(&crate::registry::sec::records(&[
            entry(1, "INTERFACE INC", "TILE"),
            entry(2, "Match Group, Inc.", "MTCH"),
            entry(3, "OPPENHEIMER HOLDINGS INC", "OPY"),
            entry(4, "Sylvamo Corp", "SLVM"),
            entry(5, "ROGERS CORP", "ROG"),
            entry(6, "ROGERS COMMUNICATIONS INC", "RCI"),
            entry(7, "Fortis Inc.", "FTS"),
            entry(8, "POOL CORP", "POOL"),
            entry(9, "NATIONAL RESEARCH CORP", "NRC"),
            entry(10, "Lion Group Holding Ltd", "LGHL"),
        ]))
    }

    fn sec_tickers(text: &str) -> Vec<String> {
        let idx = sec_index();
        let seg = Segmented::new(text);
        idx.find(&seg)
            .iter()
            .map(|m| idx.company(m.company).ticker.to_string())
            .collect()
    }

    #[test]
    fn a_common_word_name_needs_a_suffix_a_ticker_or_stock_words() {
        assert_eq!(
            sec_tickers("Interface Inc. will close its plant."),
            ["TILE"]
        );
        assert_eq!(
            sec_tickers("Carpet tiles from Interface (TILE) sold well."),
            ["TILE"]
        );
        assert_eq!(
            sec_tickers("Traders sold shares of Match on Friday."),
            ["MTCH"]
        );
        assert_eq!(sec_tickers("Match shares slid after the report."), ["MTCH"]);
        // The ordinary words, even capitalised at the start of a sentence.
        assert!(sec_tickers("The interface was redesigned.").is_empty());
        assert!(sec_tickers("Interface design matters to users.").is_empty());
        assert!(sec_tickers("The final match drew a big crowd.").is_empty());
        assert!(sec_tickers("Match the colours before painting.").is_empty());
        assert!(sec_tickers("Pool water was warm. The Lion sleeps tonight.").is_empty());
    }

    #[test]
    fn a_multiword_name_is_a_company_where_a_one_word_name_is_not() {
        assert_eq!(sec_tickers("Match Group said it would appeal."), ["MTCH"]);
        assert!(sec_tickers("A match group formed in the park.").is_empty());
        // Ordinary words glued to another capitalised word name something else.
        assert!(sec_tickers("He led the National Research Initiatives office.").is_empty());
    }

    #[test]
    fn the_company_named_in_full_makes_its_short_name_count_later() {
        assert_eq!(
            sec_tickers("Interface Inc. said it will cut jobs. Interface expects savings."),
            ["TILE", "TILE"]
        );
        // Without the full name, the same sentence says nothing of the company.
        assert!(sec_tickers("Interface expects savings.").is_empty());
    }

    #[test]
    fn a_rarer_word_at_a_sentence_start_needs_more_than_a_verb() {
        let entry = |cik: i64, name: &str, ticker: &str| crate::registry::sec::SecEntry {
            cik: Some(cik),
            name: name.into(),
            ticker: ticker.into(),
            exchange: None,
        };
        let idx = CompanyIndex::new(&crate::registry::sec::records(&[entry(
            1,
            "CONDUIT CORP",
            "CDT",
        )]));
        let found = |text: &str| -> Vec<String> {
            let seg = Segmented::new(text);
            idx.find(&seg)
                .iter()
                .map(|m| idx.company(m.company).ticker.to_string())
                .collect()
        };
        assert!(found("Conduit is what the cables run through.").is_empty());
        assert!(found("Conduit Fees Rise").is_empty());
        assert_eq!(found("Regulators said Conduit was sued."), ["CDT"]);
        assert_eq!(found("Conduit shares fell."), ["CDT"]);
    }

    #[test]
    fn a_distinct_name_needs_no_evidence_but_a_place_is_not_a_company() {
        assert_eq!(sec_tickers("Regulators fined Sylvamo on Monday."), ["SLVM"]);
        assert_eq!(sec_tickers("Memphis-based Sylvamo cut output."), ["SLVM"]);
        assert!(sec_tickers("Sylvamo-based clubs met.").is_empty());
    }

    #[test]
    fn a_surname_name_needs_company_context_and_a_person_is_not_one() {
        assert_eq!(
            sec_tickers("The orders fined Oppenheimer & Co. Inc. and Oppenheimer agreed."),
            ["OPY", "OPY"]
        );
        assert!(sec_tickers("A film about J. Robert Oppenheimer opened.").is_empty());
        assert!(sec_tickers("Oppenheimer was a physicist.").is_empty());
    }

    #[test]
    fn a_short_name_follows_the_company_named_in_full_before_it() {
        // "Rogers" after "Rogers Communications" is that company, not Rogers Corp.
        assert_eq!(
            sec_tickers("Rogers Communications Inc. owns it. Rogers expects a loss."),
            ["RCI", "RCI"]
        );
        // "Fortis" inside another firm's name, and its defined term, are not Fortis Inc.
        assert!(sec_tickers("Fortis Advisors LLC (Fortis) sued the buyer.").is_empty());
        assert_eq!(sec_tickers("Fortis Inc. raised its dividend."), ["FTS"]);
    }

    /// Mentions found with the built-in registry (every SEC-listed company).
    fn builtin_tickers(text: &str) -> Vec<String> {
        let idx = crate::extract::Extractor::builtin().companies();
        let seg = Segmented::new(text);
        idx.find(&seg)
            .iter()
            .map(|m| idx.company(m.company).ticker.to_string())
            .collect()
    }

    #[test]
    fn with_every_listed_company_ordinary_words_stay_words() {
        assert!(builtin_tickers(
            "The target of the block vote was a gap in the pool rules; a match was struck, \
             and the global post office stood on solid ground with genuine insight."
        )
        .is_empty());
        assert!(builtin_tickers(
            "Pool Safety Tips For Summer. First, check the water. United we stand."
        )
        .is_empty());
        assert_eq!(
            builtin_tickers("Target said on Tuesday it would stop selling the kettles."),
            ["TGT"]
        );
        assert_eq!(
            builtin_tickers("Mannatech was sued by the state."),
            ["MTEX"]
        );
        assert_eq!(
            builtin_tickers("Regulators fined KBR Inc on Monday."),
            ["KBR"]
        );
    }

    #[test]
    fn shell_variables_are_no_cashtags() {
        assert!(builtin_tickers("Add the folder to $PATH and run it.").is_empty());
        assert_eq!(builtin_tickers("Traders bought $TSLA today."), ["TSLA"]);
    }

    #[test]
    fn explicit_tickers_are_mentions() {
        assert_eq!(
            tickers("Shares of the carmaker (NYSE: GM) fell; $TGT rose; NYSE:JPM too."),
            vec!["GM", "TGT", "JPM"]
        );
    }
}
