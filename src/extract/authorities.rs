//! Authorities: courts, juries and judges; agencies and regulators (with their
//! jurisdiction); legislatures (whose proposals are never events). A small registry of
//! fixed names matched by one automaton, plus patterns for names built from a place
//! ("U.S. District Court for the Northern District of California", "California
//! regulators", "the Massachusetts attorney general").
//!
//! ```
//! use riskline::extract::authorities::{find_authorities, AuthClass};
//! let a = find_authorities("The FTC sued, and a federal judge ruled.");
//! assert_eq!(a[0].name, "Federal Trade Commission");
//! assert_eq!(a[1].class, AuthClass::Court);
//! ```

use crate::extract::span;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;

/// What kind of authority a mention is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthClass {
    /// A court, judge, jury or justices: its acts are lawsuit events.
    Court,
    /// A government agency or regulator: its own acts are regulatory actions; when it sues
    /// in court, the suit is a lawsuit.
    Agency,
    /// A legislature or lawmakers: proposals, never events.
    Legislature,
    /// A private body that sets rules (a sports federation, an exchange): never a regulator.
    Private,
}

/// An authority mentioned in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authority {
    /// Byte offset of the mention's first character in the text.
    pub start: usize,
    /// Byte offset just past the mention's last character.
    pub end: usize,
    /// The name as written (a leading "the" dropped for federal courts), or the
    /// registry's name for a known agency.
    pub name: String,
    /// What kind of body it is.
    pub class: AuthClass,
    /// `US`, `EU`, a state as `US-CA`, and so on; `None` when unknown.
    pub jurisdiction: Option<String>,
    /// A referring phrase ("the agency", "the court") rather than a name.
    pub generic: bool,
}

struct Entry {
    text: &'static str,
    name: &'static str,
    class: AuthClass,
    juris: Option<&'static str>,
    /// Must match exactly (acronyms).
    exact: bool,
}

const fn e(
    text: &'static str,
    name: &'static str,
    class: AuthClass,
    juris: Option<&'static str>,
    exact: bool,
) -> Entry {
    Entry {
        text,
        name,
        class,
        juris,
        exact,
    }
}

use AuthClass::{Agency as A, Court as C, Legislature as L, Private as P};

const US: Option<&str> = Some("US");
const EU: Option<&str> = Some("EU");

static ENTRIES: &[Entry] = &[
    e(
        "Securities and Exchange Commission",
        "Securities and Exchange Commission",
        A,
        US,
        false,
    ),
    e("SEC", "Securities and Exchange Commission", A, US, true),
    e(
        "Federal Trade Commission",
        "Federal Trade Commission",
        A,
        US,
        false,
    ),
    e("FTC", "Federal Trade Commission", A, US, true),
    e(
        "Department of Justice",
        "U.S. Department of Justice",
        A,
        US,
        false,
    ),
    e(
        "Justice Department",
        "U.S. Department of Justice",
        A,
        US,
        false,
    ),
    e("DOJ", "U.S. Department of Justice", A, US, true),
    e(
        "Antitrust Division",
        "U.S. Department of Justice Antitrust Division",
        A,
        US,
        false,
    ),
    e(
        "Federal Aviation Administration",
        "Federal Aviation Administration",
        A,
        US,
        false,
    ),
    e("FAA", "Federal Aviation Administration", A, US, true),
    e(
        "National Highway Traffic Safety Administration",
        "National Highway Traffic Safety Administration",
        A,
        US,
        false,
    ),
    e(
        "NHTSA",
        "National Highway Traffic Safety Administration",
        A,
        US,
        true,
    ),
    e(
        "Food and Drug Administration",
        "Food and Drug Administration",
        A,
        US,
        false,
    ),
    e("FDA", "Food and Drug Administration", A, US, true),
    e(
        "Consumer Financial Protection Bureau",
        "Consumer Financial Protection Bureau",
        A,
        US,
        false,
    ),
    e("CFPB", "Consumer Financial Protection Bureau", A, US, true),
    e(
        "Environmental Protection Agency",
        "Environmental Protection Agency",
        A,
        US,
        false,
    ),
    e("EPA", "Environmental Protection Agency", A, US, true),
    e(
        "Federal Communications Commission",
        "Federal Communications Commission",
        A,
        US,
        false,
    ),
    e("FCC", "Federal Communications Commission", A, US, true),
    e(
        "Office of the Comptroller of the Currency",
        "Office of the Comptroller of the Currency",
        A,
        US,
        false,
    ),
    e(
        "Comptroller of the Currency",
        "Office of the Comptroller of the Currency",
        A,
        US,
        false,
    ),
    e(
        "OCC",
        "Office of the Comptroller of the Currency",
        A,
        US,
        true,
    ),
    e("Federal Reserve Board", "Federal Reserve", A, US, false),
    e("Federal Reserve", "Federal Reserve", A, US, false),
    e("Fed", "Federal Reserve", A, US, true),
    e("FDIC", "Federal Deposit Insurance Corporation", A, US, true),
    e(
        "Department of Transportation",
        "U.S. Department of Transportation",
        A,
        US,
        false,
    ),
    e(
        "Transportation Department",
        "U.S. Department of Transportation",
        A,
        US,
        false,
    ),
    e("DOT", "U.S. Department of Transportation", A, US, true),
    e(
        "Consumer Product Safety Commission",
        "Consumer Product Safety Commission",
        A,
        US,
        false,
    ),
    e("CPSC", "Consumer Product Safety Commission", A, US, true),
    e(
        "International Trade Commission",
        "U.S. International Trade Commission",
        A,
        US,
        false,
    ),
    e("ITC", "U.S. International Trade Commission", A, US, true),
    e(
        "Federal Energy Regulatory Commission",
        "Federal Energy Regulatory Commission",
        A,
        US,
        false,
    ),
    e("FERC", "Federal Energy Regulatory Commission", A, US, true),
    e("NTSB", "National Transportation Safety Board", A, US, true),
    e(
        "National Transportation Safety Board",
        "National Transportation Safety Board",
        A,
        US,
        false,
    ),
    e(
        "OSHA",
        "Occupational Safety and Health Administration",
        A,
        US,
        true,
    ),
    e("FINRA", "FINRA", A, US, true),
    e("CFTC", "Commodity Futures Trading Commission", A, US, true),
    e(
        "Commodity Futures Trading Commission",
        "Commodity Futures Trading Commission",
        A,
        US,
        false,
    ),
    e("OFAC", "Office of Foreign Assets Control", A, US, true),
    e(
        "Treasury Department",
        "U.S. Treasury Department",
        A,
        US,
        false,
    ),
    e(
        "Commerce Department",
        "U.S. Commerce Department",
        A,
        US,
        false,
    ),
    e(
        "Department of Commerce",
        "U.S. Commerce Department",
        A,
        US,
        false,
    ),
    e(
        "Department of Labor",
        "U.S. Department of Labor",
        A,
        US,
        false,
    ),
    e("Labor Department", "U.S. Department of Labor", A, US, false),
    e("NLRB", "National Labor Relations Board", A, US, true),
    e(
        "National Labor Relations Board",
        "National Labor Relations Board",
        A,
        US,
        false,
    ),
    e(
        "Department of Education",
        "U.S. Department of Education",
        A,
        US,
        false,
    ),
    e(
        "Department of Health and Human Services",
        "U.S. Department of Health and Human Services",
        A,
        US,
        false,
    ),
    e(
        "Federal Motor Carrier Safety Administration",
        "Federal Motor Carrier Safety Administration",
        A,
        US,
        false,
    ),
    e(
        "Federal Railroad Administration",
        "Federal Railroad Administration",
        A,
        US,
        false,
    ),
    e(
        "Bureau of Competition",
        "Federal Trade Commission",
        A,
        US,
        false,
    ),
    e(
        "New York Department of Financial Services",
        "New York Department of Financial Services",
        A,
        Some("US-NY"),
        false,
    ),
    e(
        "NYDFS",
        "New York Department of Financial Services",
        A,
        Some("US-NY"),
        true,
    ),
    e(
        "California Public Utilities Commission",
        "California Public Utilities Commission",
        A,
        Some("US-CA"),
        false,
    ),
    e(
        "CPUC",
        "California Public Utilities Commission",
        A,
        Some("US-CA"),
        true,
    ),
    e(
        "California Department of Motor Vehicles",
        "California Department of Motor Vehicles",
        A,
        Some("US-CA"),
        false,
    ),
    e(
        "California DMV",
        "California Department of Motor Vehicles",
        A,
        Some("US-CA"),
        false,
    ),
    e("European Commission", "European Commission", A, EU, false),
    e("EU Commission", "European Commission", A, EU, false),
    e("Brussels", "European Commission", A, EU, false),
    // News writes "the EU fined ..." for the Commission's decisions.
    e("European Union", "European Commission", A, EU, false),
    e("EU", "European Commission", A, EU, true),
    e(
        "European Data Protection Board",
        "European Data Protection Board",
        A,
        EU,
        false,
    ),
    e(
        "Data Protection Commission",
        "Irish Data Protection Commission",
        A,
        Some("IE"),
        false,
    ),
    e(
        "DPC",
        "Irish Data Protection Commission",
        A,
        Some("IE"),
        true,
    ),
    e("CNIL", "CNIL", A, Some("FR"), true),
    e(
        "CNPD",
        "Luxembourg National Commission for Data Protection",
        A,
        Some("LU"),
        true,
    ),
    e(
        "National Commission for Data Protection",
        "Luxembourg National Commission for Data Protection",
        A,
        Some("LU"),
        false,
    ),
    e(
        "Italian Competition Authority",
        "Italian Competition Authority",
        A,
        Some("IT"),
        false,
    ),
    e("AGCM", "Italian Competition Authority", A, Some("IT"), true),
    e(
        "Competition and Markets Authority",
        "Competition and Markets Authority",
        A,
        Some("GB"),
        false,
    ),
    e(
        "CMA",
        "Competition and Markets Authority",
        A,
        Some("GB"),
        true,
    ),
    e(
        "Financial Conduct Authority",
        "Financial Conduct Authority",
        A,
        Some("GB"),
        false,
    ),
    e("FCA", "Financial Conduct Authority", A, Some("GB"), true),
    e("Ofcom", "Ofcom", A, Some("GB"), false),
    e(
        "Information Commissioner's Office",
        "Information Commissioner's Office",
        A,
        Some("GB"),
        false,
    ),
    e("Bundeskartellamt", "Bundeskartellamt", A, Some("DE"), false),
    e(
        "State Administration for Market Regulation",
        "State Administration for Market Regulation",
        A,
        Some("CN"),
        false,
    ),
    e(
        "SAMR",
        "State Administration for Market Regulation",
        A,
        Some("CN"),
        true,
    ),
    e(
        "Cyberspace Administration of China",
        "Cyberspace Administration of China",
        A,
        Some("CN"),
        false,
    ),
    e(
        "Korea Fair Trade Commission",
        "Korea Fair Trade Commission",
        A,
        Some("KR"),
        false,
    ),
    e(
        "Japan Fair Trade Commission",
        "Japan Fair Trade Commission",
        A,
        Some("JP"),
        false,
    ),
    e(
        "Competition Commission of India",
        "Competition Commission of India",
        A,
        Some("IN"),
        false,
    ),
    e(
        "ACCC",
        "Australian Competition and Consumer Commission",
        A,
        Some("AU"),
        true,
    ),
    e("Roskomnadzor", "Roskomnadzor", A, Some("RU"), false),
    e(
        "Supreme Court of the United States",
        "U.S. Supreme Court",
        C,
        US,
        false,
    ),
    e("U.S. Supreme Court", "U.S. Supreme Court", C, US, false),
    e("Supreme Court", "Supreme Court", C, US, false),
    e(
        "Court of Justice of the European Union",
        "Court of Justice of the European Union",
        C,
        EU,
        false,
    ),
    e(
        "European Court of Justice",
        "Court of Justice of the European Union",
        C,
        EU,
        false,
    ),
    e(
        "Court of Justice",
        "Court of Justice of the European Union",
        C,
        EU,
        false,
    ),
    e("General Court", "EU General Court", C, EU, false),
    e(
        "Federal Circuit",
        "U.S. Court of Appeals for the Federal Circuit",
        C,
        US,
        false,
    ),
    e(
        "Delaware Chancery Court",
        "Delaware Court of Chancery",
        C,
        Some("US-DE"),
        false,
    ),
    e(
        "Court of Chancery",
        "Delaware Court of Chancery",
        C,
        Some("US-DE"),
        false,
    ),
    e("High Court", "High Court", C, None, false),
    e(
        "Competition Appeal Tribunal",
        "Competition Appeal Tribunal",
        C,
        Some("GB"),
        false,
    ),
    e("Congress", "U.S. Congress", L, US, false),
    e("Senate", "U.S. Senate", L, US, false),
    e(
        "House of Representatives",
        "U.S. House of Representatives",
        L,
        US,
        false,
    ),
    e("European Parliament", "European Parliament", L, EU, false),
    e("World Athletics", "World Athletics", P, None, false),
    e("FIFA", "FIFA", P, None, true),
    e("NCAA", "NCAA", P, None, true),
    e(
        "New York Stock Exchange",
        "New York Stock Exchange",
        P,
        None,
        false,
    ),
    e("NYSE", "New York Stock Exchange", P, None, true),
];

/// US states: name, code.
pub const STATES: &[(&str, &str)] = &[
    ("Alabama", "AL"),
    ("Alaska", "AK"),
    ("Arizona", "AZ"),
    ("Arkansas", "AR"),
    ("California", "CA"),
    ("Colorado", "CO"),
    ("Connecticut", "CT"),
    ("Delaware", "DE"),
    ("Florida", "FL"),
    ("Georgia", "GA"),
    ("Hawaii", "HI"),
    ("Idaho", "ID"),
    ("Illinois", "IL"),
    ("Indiana", "IN"),
    ("Iowa", "IA"),
    ("Kansas", "KS"),
    ("Kentucky", "KY"),
    ("Louisiana", "LA"),
    ("Maine", "ME"),
    ("Maryland", "MD"),
    ("Massachusetts", "MA"),
    ("Michigan", "MI"),
    ("Minnesota", "MN"),
    ("Mississippi", "MS"),
    ("Missouri", "MO"),
    ("Montana", "MT"),
    ("Nebraska", "NE"),
    ("Nevada", "NV"),
    ("New Hampshire", "NH"),
    ("New Jersey", "NJ"),
    ("New Mexico", "NM"),
    ("New York", "NY"),
    ("North Carolina", "NC"),
    ("North Dakota", "ND"),
    ("Ohio", "OH"),
    ("Oklahoma", "OK"),
    ("Oregon", "OR"),
    ("Pennsylvania", "PA"),
    ("Rhode Island", "RI"),
    ("South Carolina", "SC"),
    ("South Dakota", "SD"),
    ("Tennessee", "TN"),
    ("Texas", "TX"),
    ("Utah", "UT"),
    ("Vermont", "VT"),
    ("Virginia", "VA"),
    ("Washington", "WA"),
    ("West Virginia", "WV"),
    ("Wisconsin", "WI"),
    ("Wyoming", "WY"),
    ("District of Columbia", "DC"),
];

/// Countries (and their adjectives) whose national authorities get an ISO code.
const COUNTRIES: &[(&str, &str)] = &[
    ("Ireland", "IE"),
    ("Irish", "IE"),
    ("Luxembourg", "LU"),
    ("Italy", "IT"),
    ("Italian", "IT"),
    ("France", "FR"),
    ("French", "FR"),
    ("Germany", "DE"),
    ("German", "DE"),
    ("Spain", "ES"),
    ("Spanish", "ES"),
    ("Netherlands", "NL"),
    ("Dutch", "NL"),
    ("Britain", "GB"),
    ("British", "GB"),
    ("U.K.", "GB"),
    ("UK", "GB"),
    ("China", "CN"),
    ("Chinese", "CN"),
    ("Japan", "JP"),
    ("Japanese", "JP"),
    ("South Korea", "KR"),
    ("Korean", "KR"),
    ("India", "IN"),
    ("Indian", "IN"),
    ("Russia", "RU"),
    ("Russian", "RU"),
    ("Canada", "CA"),
    ("Canadian", "CA"),
    ("Australia", "AU"),
    ("Australian", "AU"),
    ("Brazil", "BR"),
    ("Brazilian", "BR"),
    ("Turkey", "TR"),
    ("Turkish", "TR"),
    ("Norway", "NO"),
    ("Norwegian", "NO"),
    ("EU", "EU"),
    ("European", "EU"),
    ("Singapore", "SG"),
    ("Mexico", "MX"),
    ("Mexican", "MX"),
];

static AC: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(ENTRIES.iter().map(|e| e.text))
        .ok()
});

static STATE_ALT: LazyLock<String> =
    LazyLock::new(|| STATES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join("|"));

static COUNTRY_ALT: LazyLock<String> = LazyLock::new(|| {
    COUNTRIES
        .iter()
        .map(|(n, _)| regex::escape(n))
        .collect::<Vec<_>>()
        .join("|")
});

/// Courts named with a place, judges, juries, state attorneys general and regulators.
static PATTERNS: LazyLock<Regex> = LazyLock::new(|| {
    let states = STATE_ALT.as_str();
    let countries = COUNTRY_ALT.as_str();
    // A lazy DFA cache larger than the default: the alternation of place names
    // needs many states, and a cache that thrashes costs most of a large document.
    regex::RegexBuilder::new(&format!(
        r"(?x)
        (?P<district>(?:(?:the\s)?(?:United\sStates|U\.S\.)\s)?(?:District|Bankruptcy)\sCourt\sfor\sthe\s(?:(?:Northern|Southern|Eastern|Western|Middle|Central)\s)?District\sof\s(?P<dstate>{states}))
        | (?P<circuit>(?:(?:the\s)?(?:United\sStates|U\.S\.)\s)?Court\sof\sAppeals\sfor\sthe\s(?P<cname>\w+)\sCircuit|(?-u:\b)(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Eleventh|D\.C\.)\sCircuit(?-u:\b))
        | (?P<statecourt>(?-u:\b)(?:Superior|Circuit|District|Chancery|Supreme)\sCourt\s(?:of|for)\s[A-Z][\w.]*(?:\s[A-Z][\w.]*)*(?:\sCounty|\sCity)?(?:,\s(?P<scstate>{states}))?)
        | (?P<statecourt2>(?-u:\b)(?P<scstate2>{states})\s(?:state\s)?(?:Supreme\sCourt|appeals\scourt|appellate\scourt|court|jury|judge|Superior\sCourt))
        | (?P<stateag>(?-u:\b)(?P<agstate>{states})(?:'s|’s)?\s(?:state\s)?[Aa]ttorneys?\s[Gg]eneral|(?-u:\b)[Aa]ttorneys?\s[Gg]eneral\sof\s(?P<agstate2>{states})|(?-u:\b)(?:\d+|several|multiple|a\sgroup\sof|a\scoalition\sof)\s(?:other\s)?(?:state\s)?(?:and\sterritorial\s)?attorneys\sgeneral|(?-u:\b)state\sattorneys\sgeneral|(?-u:\b)[Aa]ttorney\s[Gg]eneral(?:'s|’s)?\s(?:office)?|(?-u:\b)(?:[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en|[Ee]leven|[Tt]welve|[Tt]wenty|[Tt]hirty|[Ff]orty|[Ff]ifty)(?:-[a-z]+)?\sstates(?:\sand\sthe\sDistrict\sof\sColumbia)?(?-u:\b)|(?-u:\b)\d{{1,2}}\sstates(?:\sand\sthe\sDistrict\sof\sColumbia)?(?-u:\b))
        | (?P<stateagency>(?-u:\b)(?P<sastate>{states})(?:'s|’s)?\s(?:state\s)?(?:regulators?|Department\sof\s[A-Z][a-z]+(?:\s(?:and\s)?[A-Z][a-z]+)*|[A-Z][a-z]+\s(?:Commission|Board|Agency|Department))|(?-u:\b)regulators\sin\s(?P<sastate2>{states}))
        | (?P<national>(?-u:\b)(?P<country>{countries})(?:'s|’s)?\s(?:[A-Z][\w-]*\s){{0,5}}(?:[Cc]ommission|[Aa]uthority|[Rr]egulator|[Rr]egulators|[Aa]dministration|[Mm]inistry|[Aa]gency|watchdog|[Oo]ffice)(?-u:\b)|(?-u:\b)(?P<country2>{countries})(?:'s|’s)?\s(?:national\s)?(?:data\sprotection|privacy|competition|antitrust|financial|banking|securities|consumer\sprotection|market)\s(?:authority|regulator|watchdog|agency|commission|supervisor)(?-u:\b))
        | (?P<fedcourt>(?-u:\b)(?:[Aa]|[Tt]he)\s(?:federal|U\.S\.|bankruptcy|district|trial|appeals|appellate|state\sappeals|state|county|Texas\sBankruptcy|lower)\s(?:court|judge|jury)(?-u:\b)|(?-u:\b)federal\scourt(?-u:\b)|(?-u:\b)(?:U\.S\.\s)?(?:District|Circuit|Bankruptcy|Magistrate)\sJudge\s[A-Z]\w+(?:\s[A-Z]\.)?(?:\s[A-Z]\w+)?|(?-u:\b)Judge\s[A-Z]\w+(?:\s[A-Z]\.)?(?:\s[A-Z]\w+)?|(?-u:\b)(?:[Aa]|[Tt]he)\s(?:federal\s)?jury(?-u:\b)|(?-u:\b)[Jj]urors(?-u:\b)|(?-u:\b)[Tt]he\sjustices(?-u:\b)|(?-u:\b)[Aa]ppeals\scourt(?-u:\b)|(?-u:\b)(?:[Tt]he|[Aa])\s(?:court|judge)(?-u:\b)|(?-u:\b)[Tt]he\spanel(?-u:\b)|(?-u:\b)(?:[Aa]|[Tt]he)\sthree-judge\spanel(?-u:\b)|(?-u:\b)[Tt]he\sCourt(?-u:\b))
        | (?P<genagency>(?-u:\b)(?:[Tt]he|[Aa])\s(?:agency|regulator|regulators|watchdog|department|Department|Bureau|bureau|Commission|commission|Division|authority|Authority|CPUC|FAA)(?-u:\b)|(?-u:\b)(?:federal|state|U\.S\.|bank|banking|safety|antitrust|privacy|California|European|aviation|transport|health|competition|tax)\s(?:regulators|officials|prosecutors|investigators|authorities)(?-u:\b)|(?-u:\b)[Tt]he\s(?:[a-z]+\s)?ministry(?-u:\b)|(?-u:\b)[Rr]egulators(?-u:\b)|(?-u:\b)[Pp]rosecutors(?-u:\b)|(?-u:\b)[Ff]ederal\s(?:safety\s|criminal\s|antitrust\s)?(?:probes?|investigations?|inquiry|inquiries)(?-u:\b))
        | (?P<legis>(?-u:\b)(?:[Ll]awmakers|[Ll]egislators|senators|Senators|congressional|legislation|bill|Senate|House|[Pp]arliament)(?-u:\b))
        "
    ))
    .dfa_size_limit(64 << 20)
    .size_limit(64 << 20)
    .build()
    .expect("authority patterns compile")
});

fn state_code(name: &str) -> Option<&'static str> {
    STATES.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

fn country_code(name: &str) -> Option<&'static str> {
    COUNTRIES.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

/// Finds authority mentions, in text order, without overlaps (names beat patterns).
pub fn find_authorities(text: &str) -> Vec<Authority> {
    let mut out: Vec<Authority> = Vec::new();
    // Fixed names are sorted and do not overlap; patterns may replace them when longer.
    let fixed = fixed_names(text);
    let mut removed = vec![false; fixed.len()];
    for cap in PATTERNS.captures_iter(text) {
        let Some(whole) = cap.get(0) else { continue };
        let (start, end) = (whole.start(), whole.end());
        let lo = fixed.partition_point(|a| a.end <= start);
        let hi = fixed.partition_point(|a| a.start < end);
        if lo < hi {
            // Extend a fixed name into a longer pattern ("U.S. Supreme Court" is fixed;
            // "Texas Bankruptcy Court" pattern) only when the pattern is longer.
            let longer = fixed[lo..hi]
                .iter()
                .all(|a| start <= a.start && a.end <= end && end - start > a.end - a.start);
            if !longer {
                continue;
            }
            for r in &mut removed[lo..hi] {
                *r = true;
            }
        }
        let Some((name, class, juris, generic)) = classify(&cap, whole.as_str()) else {
            continue;
        };
        out.push(Authority {
            start,
            end,
            name,
            class,
            jurisdiction: juris,
            generic,
        });
    }
    out.extend(
        fixed
            .into_iter()
            .zip(removed)
            .filter(|(_, r)| !r)
            .map(|(a, _)| a),
    );
    out.sort_by_key(|a| a.start);
    out
}

/// The registry's fixed names found in `text`, in order, with their case and
/// listing checks.
fn fixed_names(text: &str) -> Vec<Authority> {
    let mut out: Vec<Authority> = Vec::new();
    if let Some(ac) = AC.as_ref() {
        for m in ac.find_iter(text) {
            let entry = &ENTRIES[m.pattern().as_usize()];
            let found = span::clip(text, m.start(), m.end());
            let before = span::upto(text, m.start()).chars().next_back();
            let after = span::from(text, m.end()).chars().next();
            if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            if entry.exact && found != entry.text {
                continue;
            }
            // "(NYSE: GM)" names a listing, not an actor.
            if entry.class == AuthClass::Private
                && span::from(text, m.end()).trim_start().starts_with(':')
            {
                continue;
            }
            if !entry.exact && !found.chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            out.push(Authority {
                start: m.start(),
                end: m.end(),
                name: entry.name.to_string(),
                class: entry.class,
                jurisdiction: entry.juris.map(str::to_string),
                generic: false,
            });
        }
    }
    out
}

/// The name, class, jurisdiction and genericity of a pattern match `s`.
fn classify(
    cap: &regex::Captures<'_>,
    s: &str,
) -> Option<(String, AuthClass, Option<String>, bool)> {
    Some(
        if cap.name("district").is_some() || cap.name("circuit").is_some() {
            (
                s.trim_start_matches("the ").to_string(),
                AuthClass::Court,
                Some("US".to_string()),
                false,
            )
        } else if cap.name("statecourt").is_some() {
            let j = cap
                .name("scstate")
                .and_then(|m| state_code(m.as_str()))
                .map(|c| format!("US-{c}"));
            (s.to_string(), AuthClass::Court, j, false)
        } else if cap.name("statecourt2").is_some() {
            let j = cap
                .name("scstate2")
                .and_then(|m| state_code(m.as_str()))
                .map(|c| format!("US-{c}"));
            (s.to_string(), AuthClass::Court, j, false)
        } else if cap.name("stateag").is_some() {
            let st = cap.name("agstate").or_else(|| cap.name("agstate2"));
            match st.and_then(|m| state_code(m.as_str()).map(|c| (m.as_str(), c))) {
                Some((n, c)) => (
                    format!("{n} Attorney General"),
                    AuthClass::Agency,
                    Some(format!("US-{c}")),
                    false,
                ),
                None => {
                    let low = s.to_ascii_lowercase();
                    // "Forty-two states" acting together act through their attorneys general.
                    let plural = low.contains("attorneys") || low.contains("states");
                    let name = if plural {
                        "state attorneys general"
                    } else {
                        "attorney general"
                    };
                    (
                        name.to_string(),
                        AuthClass::Agency,
                        plural.then(|| "US".to_string()),
                        !plural,
                    )
                }
            }
        } else if cap.name("stateagency").is_some() {
            let st = cap.name("sastate").or_else(|| cap.name("sastate2"));
            let j = st
                .and_then(|m| state_code(m.as_str()))
                .map(|c| format!("US-{c}"));
            let name = if s.starts_with("regulators in ") {
                format!("{} regulators", st.map_or("", |m| m.as_str()))
            } else {
                s.replace("’s", "").replace("'s", "")
            };
            (name, AuthClass::Agency, j, false)
        } else if cap.name("national").is_some() {
            let c = cap.name("country").or_else(|| cap.name("country2"));
            let j = c.and_then(|m| country_code(m.as_str())).map(str::to_string);
            (s.to_string(), AuthClass::Agency, j, false)
        } else if cap.name("fedcourt").is_some() {
            let low = s.to_ascii_lowercase();
            let generic = low.starts_with("the ") && !low.contains("federal")
                || low == "jurors"
                || low.starts_with("a court");
            let j = if low.contains("federal")
                || low.contains("u.s.")
                || low.contains("district judge")
            {
                Some("US".to_string())
            } else {
                None
            };
            (s.to_string(), AuthClass::Court, j, generic)
        } else if cap.name("genagency").is_some() {
            let low = s.to_ascii_lowercase();
            let generic = low.starts_with("the ") || low.starts_with("a ");
            let j = low
                .contains("federal")
                .then(|| "US".to_string())
                .or_else(|| low.contains("u.s.").then(|| "US".to_string()));
            // "federal probes": the act names its actor, federal investigators.
            let inquiry = ["probe", "investigation", "inquir"]
                .iter()
                .any(|w| low.contains(w));
            let name = if inquiry {
                "federal investigators".to_string()
            } else {
                s.to_string()
            };
            (name, AuthClass::Agency, j, generic)
        } else if cap.name("legis").is_some() {
            (s.to_string(), AuthClass::Legislature, None, true)
        } else {
            return None;
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(t: &str) -> Vec<(String, AuthClass, Option<String>)> {
        find_authorities(t)
            .into_iter()
            .map(|a| (a.name, a.class, a.jurisdiction))
            .collect()
    }

    #[test]
    fn agencies_and_courts_with_jurisdictions() {
        let n = names("The CFPB and California regulators acted; the U.S. District Court for the Northern District of California ruled.");
        assert_eq!(n[0].0, "Consumer Financial Protection Bureau");
        assert_eq!(
            n[1],
            (
                "California regulators".to_string(),
                AuthClass::Agency,
                Some("US-CA".to_string())
            )
        );
        assert_eq!(n[2].1, AuthClass::Court);
        let n = names("a ban imposed by regulators in California");
        assert_eq!(n[0].2.as_deref(), Some("US-CA"));
        let n = names("Ireland's Data Protection Commission fined it; the Massachusetts attorney general sued.");
        assert_eq!(n[0].2.as_deref(), Some("IE"));
        assert_eq!(
            n[1],
            (
                "Massachusetts Attorney General".to_string(),
                AuthClass::Agency,
                Some("US-MA".to_string())
            )
        );
    }

    #[test]
    fn a_federal_probe_names_federal_investigators() {
        let n = names("The carmaker faces federal probes into its software.");
        assert_eq!(
            n[0],
            (
                "federal investigators".to_string(),
                AuthClass::Agency,
                Some("US".to_string())
            )
        );
    }

    #[test]
    fn regulators_and_prosecutors_open_a_sentence_too() {
        assert_eq!(names("Regulators fined the bank.")[0].1, AuthClass::Agency);
        // States acting together act through their attorneys general.
        let states = names("Forty-two states and the District of Columbia opened an inquiry.");
        assert_eq!(states[0].0, "state attorneys general");
        assert_eq!(
            names("Eight states sued the grocer.")[0].0,
            "state attorneys general"
        );
        assert!(names("The United States sued the grocer.")
            .iter()
            .all(|n| n.0 != "state attorneys general"));
        assert_eq!(
            names("Prosecutors charged the bank.")[0].1,
            AuthClass::Agency
        );
    }

    #[test]
    fn the_eu_as_an_actor_is_the_commission() {
        let n = names("The EU on Friday fined the carmaker; the European Union said so.");
        assert_eq!(n.len(), 2, "{n:?}");
        assert!(n
            .iter()
            .all(|a| a.0 == "European Commission" && a.2.as_deref() == Some("EU")));
        assert!(names("an eu citizen")
            .iter()
            .all(|a| a.0 != "European Commission"));
    }

    #[test]
    fn acronyms_are_case_sensitive() {
        assert!(
            names("the sec said").is_empty()
                || names("the sec said")[0].0 != "Securities and Exchange Commission"
        );
        assert_eq!(names("The Ninth Circuit ruled")[0].1, AuthClass::Court);
        assert_eq!(
            names("lawmakers propose to ban it")[0].1,
            AuthClass::Legislature
        );
    }
}
