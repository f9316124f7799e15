//! From a legal name to the names people write: re-casing SEC's all-caps titles,
//! dropping legal suffixes, share classes and jurisdiction tags, "The", spelling out
//! abbreviations, "and" for "&", and the short name news uses ("Ameris" for Ameris
//! Bancorp). The rules are code; their exceptions are data
//! (`fixtures/registry/alias-exceptions.txt`, described in `docs/registry.md`).
//!
//! ```
//! use riskline::registry::names::{base_name, derive_aliases};
//! assert_eq!(base_name("CARNIVAL CORP & PLC").as_deref(), Some("Carnival"));
//! let names = derive_aliases("PROCTER & GAMBLE CO", "PG");
//! assert!(names.iter().any(|n| n == "Procter and Gamble"));
//! ```

use std::collections::HashSet;
use std::sync::LazyLock;

use super::words::{self, Ambiguity};

/// The exceptions file, compiled in.
pub const EXCEPTIONS: &str = include_str!("../../fixtures/registry/alias-exceptions.txt");

/// Legal suffixes (lowercase, dots as spaces) dropped from the end of a legal name.
const SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "companies",
    "cos",
    "ltd",
    "limited",
    "plc",
    "llc",
    "lp",
    "l p",
    "sa",
    "s a",
    "sab",
    "s a b",
    "de cv",
    "cv",
    "ag",
    "nv",
    "n v",
    "se",
    "ab",
    "publ",
    "asa",
    "as",
    "a s",
    "oyj",
    "spa",
    "s p a",
    "bv",
    "tbk",
    "pt",
    "kk",
    "holdings",
    "holding",
    "hldgs",
    "group",
    "grp",
    "the",
    "adr",
    "ads",
    "new",
];

/// Words SEC titles abbreviate, and what news writes for them.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("intl", "International"),
    ("int'l", "International"),
    ("finl", "Financial"),
    ("svcs", "Services"),
    ("mfg", "Manufacturing"),
    ("natl", "National"),
    ("amer", "American"),
    ("cmnty", "Community"),
    ("pptys", "Properties"),
    ("sys", "Systems"),
    ("mgmt", "Management"),
    ("inds", "Industries"),
    ("entmt", "Entertainment"),
    ("bk", "Bank"),
    ("tech", "Technology"),
    ("techs", "Technologies"),
    ("hldg", "Holding"),
];

/// The exceptions, parsed once.
struct Exceptions {
    upper: HashSet<String>,
    spellings: Vec<(String, String)>,
    denied: HashSet<String>,
    descriptors: HashSet<String>,
}

/// Parses the exceptions file; a malformed line is an error naming it.
fn parse_exceptions(src: &str) -> Result<Exceptions, String> {
    let mut ex = Exceptions {
        upper: HashSet::new(),
        spellings: Vec::new(),
        denied: HashSet::new(),
        descriptors: HashSet::new(),
    };
    for (i, line) in src.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["upper", w] => ex.upper.insert((*w).to_string()),
            ["spell", wrong, right] => {
                ex.spellings
                    .push(((*wrong).to_string(), (*right).to_string()));
                true
            }
            ["deny", name] => ex.denied.insert(name.to_ascii_lowercase()),
            ["descriptor", w] => ex.descriptors.insert(w.to_ascii_lowercase()),
            // Read by the word list (`words.rs`).
            ["word", _, level] if level.parse::<u8>().is_ok() => true,
            ["name", _] => true,
            _ => return Err(format!("line {}: {line:?} is not a known entry", i + 1)),
        };
    }
    Ok(ex)
}

static EXCEPTIONS_PARSED: LazyLock<Exceptions> = LazyLock::new(|| {
    // The file is checked by a test; a broken built-in file is a programming error.
    parse_exceptions(EXCEPTIONS).unwrap_or_else(|_| Exceptions {
        upper: HashSet::new(),
        spellings: Vec::new(),
        denied: HashSet::new(),
        descriptors: HashSet::new(),
    })
});

/// Removes what SEC appends to a title: jurisdiction and listing tags ("/DE/",
/// "\DE\", "/ADR", "/ MA", "/CAN/"), parenthesised notes ("(Cayman)", "(publ)"), a
/// trailing ", The"; spaces are collapsed.
pub fn clean(legal: &str) -> String {
    let mut s = legal.trim().replace('\\', "/");
    // Parenthesised notes.
    while let (Some(open), Some(close)) = (s.find('('), s.find(')')) {
        if close < open {
            break;
        }
        s.replace_range(open..=close, " ");
    }
    // Tags after a slash: "/DE/", "/NEW/", "/ADR", "/ MA", "CORP/", "SA/NV" (kept: NV is
    // a suffix the suffix rule drops).
    loop {
        let trimmed = s.trim_end().trim_end_matches('/').trim_end().to_string();
        let Some(slash) = trimmed.rfind('/') else {
            s = trimmed;
            break;
        };
        let tail = trimmed.get(slash + 1..).unwrap_or("").trim();
        let tag = tail.len() <= 5
            && !tail.is_empty()
            && tail.chars().all(|c| c.is_ascii_alphabetic() || c == '.');
        let keep = tail.eq_ignore_ascii_case("nv") || tail.eq_ignore_ascii_case("sa");
        if tag && !keep {
            s = trimmed.get(..slash).unwrap_or("").to_string();
        } else if tag {
            s = format!("{} {tail}", trimmed.get(..slash).unwrap_or(""));
            break;
        } else {
            s = trimmed;
            break;
        }
    }
    let mut s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    for tail in [", The", ", THE", " The", " THE"] {
        if let Some(rest) = s.strip_suffix(tail) {
            s = format!("The {}", rest.trim_end_matches(','));
        }
    }
    s
}

/// Whether an all-caps word keeps its capitals when the title is re-cased: listed
/// exceptions, words with "&" ("AT&T"), and short words or words without a vowel
/// that are no English word ("KBR", "AMC", "CSX").
fn stays_upper(bare: &str) -> bool {
    let ex = &EXCEPTIONS_PARSED;
    if ex.upper.contains(bare) || bare.contains('&') || bare.chars().count() <= 1 {
        return true;
    }
    if SUFFIXES.contains(&bare_lower(bare).as_str()) {
        return false;
    }
    if !bare.chars().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    let no_vowel = !bare.chars().any(|c| "AEIOU".contains(c));
    let short = bare.len() <= 3;
    (no_vowel || short) && words::level(bare).is_none() && !words::is_proper_name(bare)
}

/// Re-cases an all-caps SEC title ("JPMORGAN CHASE & CO" -> "JPMorgan Chase & Co").
/// Names that already mix cases are kept as written, spellings fixed.
pub fn recase(name: &str) -> String {
    let out = if name.chars().any(char::is_lowercase) {
        name.trim().to_string()
    } else {
        name.split_whitespace()
            .enumerate()
            .map(|(i, w)| {
                let bare = w.trim_matches(|c: char| c == ',' || c == '.');
                if i > 0 && matches!(bare, "OF" | "AND" | "THE" | "FOR" | "DE") {
                    w.to_ascii_lowercase()
                } else if stays_upper(bare) {
                    w.to_string()
                } else {
                    title_word(w)
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    respell(&out)
}

/// "MCKESSON" -> "McKesson", "O'REILLY" -> "O'Reilly", "COCA-COLA" -> "Coca-Cola".
fn title_word(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    let mut start = true;
    for c in w.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        // "O'Reilly", but "McDonald's".
        start = !c.is_alphanumeric() && (c != '\'' || out.chars().count() == 2);
    }
    if out.len() > 3 && out.starts_with("Mc") {
        let (head, tail) = out.split_at(2);
        let mut chars = tail.chars();
        if let Some(first) = chars.next() {
            return format!("{head}{}{}", first.to_uppercase(), chars.as_str());
        }
    }
    out
}

/// Fixes the spellings of the exceptions file, whole words only.
fn respell(name: &str) -> String {
    let spellings = &EXCEPTIONS_PARSED.spellings;
    name.split(' ')
        .map(|w| {
            let core = w.trim_end_matches([',', '.']);
            match spellings.iter().find(|(wrong, _)| wrong == core) {
                Some((_, right)) => format!("{right}{}", w.get(core.len()..).unwrap_or("")),
                None => w.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A word without surrounding punctuation, lowercase, inner dots as spaces ("N.V." ->
/// "n v").
fn bare_lower(word: &str) -> String {
    word.trim_matches(|c: char| matches!(c, ',' | '.' | '/' | '(' | ')' | ';'))
        .to_ascii_lowercase()
        .replace('.', " ")
        .trim()
        .to_string()
}

/// Drops one legal suffix, share class ("Class A") or dangling "&" from the end of
/// a list of words; false when there is none.
fn strip_one(words: &mut Vec<String>) -> bool {
    let n = words.len();
    if n >= 2 {
        let pair = format!(
            "{} {}",
            bare_lower(&words[n - 2]),
            bare_lower(&words[n - 1])
        );
        let class = matches!(
            bare_lower(&words[n - 2]).as_str(),
            "class" | "cl" | "series"
        ) && bare_lower(&words[n - 1]).len() == 1;
        if class || SUFFIXES.contains(&pair.as_str()) {
            words.truncate(n - 2);
            return true;
        }
    }
    let Some(last) = words.last() else {
        return false;
    };
    let bare = bare_lower(last);
    let drop = bare.is_empty()
        || matches!(bare.as_str(), "&" | "and" | "-")
        || SUFFIXES.contains(&bare.as_str());
    if drop {
        words.pop();
    }
    drop
}

/// Drops legal suffixes, share classes and a dangling "&" from the end of a list of
/// words, and a leading "The"; returns the names met on the way that end in a legal
/// suffix no more ("Match Group" on the way from "Match Group, Inc." to "Match").
fn strip_suffixes(words: &mut Vec<String>) -> Vec<String> {
    let mut steps = Vec::new();
    while words.len() > 1 && strip_one(words) {
        let step = words.join(" ");
        let step = step.trim_end_matches([',', ';', '&', ' ']);
        if !step.is_empty() {
            steps.push(step.to_string());
        }
    }
    if words.len() > 1 && words[0].eq_ignore_ascii_case("the") {
        words.remove(0);
    }
    if let Some(last) = words.last_mut() {
        let trimmed = last.trim_end_matches([',', ';']).to_string();
        *last = trimmed;
    }
    steps
}

/// The names between a legal name and its base name, each a legal suffix shorter
/// ("Goldman Sachs Group" for "Goldman Sachs Group Inc").
pub fn suffix_steps(legal: &str) -> Vec<String> {
    let mut words: Vec<String> = recase(&clean(legal))
        .split_whitespace()
        .map(str::to_string)
        .collect();
    strip_suffixes(&mut words)
}

/// The legal name without corporate suffixes, jurisdiction tags and punctuation tails,
/// in readable case: `"JPMORGAN CHASE & CO"` -> `"JPMorgan Chase"`, `"Apple Inc."` ->
/// `"Apple"`. Returns `None` when nothing distinctive is left.
pub fn base_name(legal: &str) -> Option<String> {
    let mut words: Vec<String> = recase(&clean(legal))
        .split_whitespace()
        .map(str::to_string)
        .collect();
    strip_suffixes(&mut words);
    let mut s = words.join(" ");
    while s.ends_with(',') || s.ends_with('.') && !s.ends_with("Co.") {
        s.pop();
    }
    let distinctive = s.chars().filter(|c| c.is_alphanumeric()).count() >= 2;
    distinctive.then_some(s)
}

/// The initials of a name's capitalised words, "of", "and" and "&" left out:
/// "Advanced Micro Devices" -> "AMD".
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter(|w| !matches!(*w, "of" | "and" | "&" | "the"))
        .filter_map(|w| w.chars().next())
        .filter(char::is_ascii_uppercase)
        .collect()
}

/// Abbreviations spelled out ("Marriott Intl" -> "Marriott International"), or `None`
/// when the name has none.
fn expand_abbreviations(name: &str) -> Option<String> {
    let mut changed = false;
    let out: Vec<String> = name
        .split(' ')
        .map(|w| {
            let bare = bare_lower(w);
            ABBREVIATIONS.iter().find(|(short, _)| *short == bare)
        })
        .zip(name.split(' '))
        .map(|(found, w)| match found {
            Some((_, full)) => {
                changed = true;
                (*full).to_string()
            }
            None => w.to_string(),
        })
        .collect();
    changed.then(|| out.join(" "))
}

/// The name news uses when it leaves out what the company does: "Ameris Bancorp" ->
/// "Ameris", "Vertex Pharmaceuticals" -> "Vertex" — only when what is left is
/// distinctive, so "Texas Instruments" or "First Financial" keep their full names.
fn news_name(base: &str) -> Option<String> {
    let descriptors = &EXCEPTIONS_PARSED.descriptors;
    let mut words: Vec<&str> = base.split(' ').collect();
    let mut dropped = false;
    while words.len() > 1
        && words
            .last()
            .is_some_and(|w| descriptors.contains(&bare_lower(w)))
    {
        words.pop();
        dropped = true;
    }
    while words.len() > 1 && words.last().is_some_and(|w| matches!(*w, "&" | "and")) {
        words.pop();
    }
    let rest = words.join(" ");
    let letters = rest.chars().filter(|c| c.is_alphabetic()).count();
    (dropped && letters >= 4 && words::ambiguity(&rest) == Ambiguity::Distinct).then_some(rest)
}

/// The names a company of this legal name and ticker is written as, most formal first:
/// the legal name as given, cleaned and re-cased, without suffixes (the base name),
/// with abbreviations spelled out, with "and" for "&", the news name (descriptor
/// dropped) and the initials when they are the ticker ("AMD"). Names of the exceptions
/// file's `deny` list and names of fewer than two letters are left out.
pub fn derive_aliases(legal: &str, ticker: &str) -> Vec<String> {
    derive(legal, ticker).0
}

/// [`derive_aliases`], and whether the initials of the name were added as its last
/// alias.
pub(super) fn derive(legal: &str, ticker: &str) -> (Vec<String>, bool) {
    let mut out: Vec<String> = Vec::new();
    let push = |name: String, out: &mut Vec<String>| {
        let name = name.trim().to_string();
        // A name needs letters: "111" or "1606" alone name nothing.
        let letters = if name.chars().any(char::is_alphabetic) {
            name.chars().filter(|c| c.is_alphanumeric()).count()
        } else {
            0
        };
        let denied = EXCEPTIONS_PARSED
            .denied
            .contains(&name.to_ascii_lowercase());
        if letters >= 2 && !denied && !out.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            out.push(name);
        }
    };
    push(legal.trim().to_string(), &mut out);
    let cleaned = recase(&clean(legal));
    push(cleaned, &mut out);
    for step in suffix_steps(legal) {
        push(step, &mut out);
    }
    let Some(base) = base_name(legal) else {
        return (out, false);
    };
    push(base.clone(), &mut out);
    let expanded = expand_abbreviations(&base);
    let full = expanded.clone().unwrap_or_else(|| base.clone());
    if let Some(e) = expanded {
        push(e, &mut out);
    }
    if full.contains(" & ") {
        push(full.replace(" & ", " and "), &mut out);
    }
    if let Some(short) = news_name(&full) {
        push(short, &mut out);
    }
    // News names a company by its initials when they are its ticker: "EA" for
    // Electronic Arts, "AMD" for Advanced Micro Devices.
    let by_initials = (2..=4).contains(&ticker.len())
        && initials(&full) == ticker
        && full.contains(' ')
        && !out.iter().any(|n| n == ticker);
    if by_initials {
        push(ticker.to_string(), &mut out);
    }
    (out, by_initials)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exceptions_file_parses() {
        let ex = parse_exceptions(EXCEPTIONS).unwrap();
        assert!(ex.upper.contains("AT&T"));
        assert!(ex.descriptors.contains("bancorp"));
        assert!(parse_exceptions("upper\tA\tB\n").is_err());
        assert!(parse_exceptions("sometimes\tX\n").is_err());
    }

    #[test]
    fn sec_titles_become_readable_base_names() {
        let cases = [
            ("JPMORGAN CHASE & CO", "JPMorgan Chase"),
            ("Apple Inc.", "Apple"),
            ("GENERAL MOTORS CO", "General Motors"),
            ("Meta Platforms, Inc.", "Meta Platforms"),
            ("Shell plc", "Shell"),
            ("Goldman Sachs Group Inc", "Goldman Sachs"),
            ("BERKSHIRE HATHAWAY INC /DE/", "Berkshire Hathaway"),
            ("KBR, INC.", "KBR"),
            ("MCKESSON CORP", "McKesson"),
            ("Anheuser-Busch InBev SA/NV", "Anheuser-Busch InBev"),
            ("VERTEX PHARMACEUTICALS INC / MA", "Vertex Pharmaceuticals"),
            ("WNS (HOLDINGS) LTD", "WNS"),
            ("Alphabet Inc. Class C", "Alphabet"),
            ("TRAVELERS COMPANIES, INC.", "Travelers"),
            ("Toyota Motor Corp/", "Toyota Motor"),
            ("AMERICA MOVIL SAB DE CV/", "America Movil"),
            ("Carnival Corp & plc", "Carnival"),
            ("OPPENHEIMER HOLDINGS INC", "Oppenheimer"),
            ("Kongsberg Gruppen ASA/ADR", "Kongsberg Gruppen"),
        ];
        for (legal, base) in cases {
            assert_eq!(base_name(legal).as_deref(), Some(base), "{legal}");
        }
    }

    #[test]
    fn recasing_keeps_acronyms_and_fixes_known_spellings() {
        assert_eq!(
            recase("AMC ENTERTAINMENT HOLDINGS"),
            "AMC Entertainment Holdings"
        );
        assert_eq!(recase("CSX CORP"), "CSX Corp");
        assert_eq!(recase("BOX INC"), "Box Inc");
        assert_eq!(recase("MOODYS CORP"), "Moody's Corp");
        assert_eq!(recase("O'REILLY AUTOMOTIVE"), "O'Reilly Automotive");
        assert_eq!(recase("Sylvamo Corp"), "Sylvamo Corp");
    }

    #[test]
    fn abbreviations_ampersands_and_news_names() {
        let names = derive_aliases("MARRIOTT INTL INC", "MAR");
        assert!(
            names.contains(&"Marriott International".to_string()),
            "{names:?}"
        );
        let names = derive_aliases("JOHNSON & JOHNSON", "JNJ");
        assert!(
            names.contains(&"Johnson and Johnson".to_string()),
            "{names:?}"
        );
        let names = derive_aliases("AMERIS BANCORP", "ABCB");
        assert!(names.contains(&"Ameris".to_string()), "{names:?}");
        // What is left must be distinctive: no place, no ordinary word.
        let names = derive_aliases("TEXAS INSTRUMENTS INC", "TXN");
        assert!(!names.contains(&"Texas".to_string()), "{names:?}");
        let names = derive_aliases("FIRST FINANCIAL BANKSHARES INC", "FFIN");
        assert!(
            !names.iter().any(|n| n == "First" || n == "First Financial"),
            "{names:?}"
        );
    }

    #[test]
    fn generic_names_are_denied_and_initials_need_the_ticker() {
        let names = derive_aliases("GLOBAL INDUSTRIAL CO", "GIC");
        assert!(!names.iter().any(|n| n == "Global"), "{names:?}");
        let names = derive_aliases("ADVANCED MICRO DEVICES INC", "AMD");
        assert!(names.contains(&"AMD".to_string()), "{names:?}");
        let names = derive_aliases("ELECTRONIC ARTS INC.", "EA");
        assert!(names.contains(&"EA".to_string()), "{names:?}");
        let names = derive_aliases("JOHNSON & JOHNSON", "JNJ");
        assert!(!names.contains(&"JNJ".to_string()), "{names:?}");
    }
}
