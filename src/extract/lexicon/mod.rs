//! Word lists as data: one file per lexicon next to this module, compiled in with
//! `include_str!` and parsed once on first use.
//!
//! Three shapes of file, all UTF-8, one entry a line; blank lines and lines starting with
//! `#` are skipped:
//!
//! - **words** (`*.txt` read by [`WordSet`]): one lowercase token a line, no spaces and no
//!   quotes; looked up whole.
//! - **phrases** (`*.phrases` read by [`PhraseList`]): one `"quoted"` string a line,
//!   kept in file order; the quotes make leading and trailing spaces visible, and the
//!   spaces count (`" per share"` must follow the amount directly).
//! - **tables** (`*.tsv`, read by their own module through [`rows`]): tab-separated
//!   columns, a fixed number per file.
//!
//! A malformed line (a space in a word, a missing quote, a wrong column count, a
//! duplicate) is an error; the unit test below parses every file, so it cannot ship.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

/// FNV-1a: the words are short and trusted, and this is cheaper than SipHash in the
/// token loops.
#[derive(Default)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// The hasher of every lexicon map and set.
pub type FnvBuild = BuildHasherDefault<Fnv>;

/// The entry lines of a lexicon file, with their 1-based line numbers.
fn lines(src: &'static str) -> impl Iterator<Item = (usize, &'static str)> {
    src.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
}

/// A set of single words.
#[derive(Debug)]
pub struct WordSet(HashSet<&'static str, FnvBuild>);

impl WordSet {
    /// Parses a words file; `name` is for error messages.
    pub fn parse(name: &str, src: &'static str) -> Result<WordSet, String> {
        let mut set = HashSet::with_hasher(FnvBuild::default());
        for (n, l) in lines(src) {
            if l.chars().any(|c| c.is_whitespace() || c == '"') {
                return Err(format!(
                    "{name}:{n}: a word holds a space or a quote: {l:?}"
                ));
            }
            if !set.insert(l) {
                return Err(format!("{name}:{n}: duplicate word {l:?}"));
            }
        }
        Ok(WordSet(set))
    }

    fn load(name: &str, src: &'static str) -> WordSet {
        WordSet::parse(name, src).unwrap_or_else(|e| panic!("bad lexicon: {e}"))
    }

    /// Whether `w` is in the set.
    #[inline]
    pub fn contains(&self, w: &str) -> bool {
        self.0.contains(w)
    }
}

/// An ordered list of phrases (spaces significant).
#[derive(Debug)]
pub struct PhraseList(Vec<&'static str>);

impl PhraseList {
    /// Parses a phrases file; `name` is for error messages.
    pub fn parse(name: &str, src: &'static str) -> Result<PhraseList, String> {
        let mut out: Vec<&'static str> = Vec::new();
        for (n, l) in lines(src) {
            let inner = l
                .strip_prefix('"')
                .and_then(|r| r.strip_suffix('"'))
                .filter(|r| !r.is_empty() && !r.contains('"'))
                .ok_or_else(|| format!("{name}:{n}: not one \"quoted\" phrase: {l:?}"))?;
            if out.contains(&inner) {
                return Err(format!("{name}:{n}: duplicate phrase {l:?}"));
            }
            out.push(inner);
        }
        Ok(PhraseList(out))
    }

    fn load(name: &str, src: &'static str) -> PhraseList {
        PhraseList::parse(name, src).unwrap_or_else(|e| panic!("bad lexicon: {e}"))
    }

    /// The phrases in file order.
    pub fn iter(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().copied()
    }

    /// Whether `text` contains any of the phrases.
    pub fn any_in(&self, text: &str) -> bool {
        self.0.iter().any(|p| text.contains(p))
    }
}

/// The rows of a table file: each line split at tabs into exactly `columns` non-empty
/// fields, with its line number.
pub fn rows(
    name: &str,
    src: &'static str,
    columns: usize,
) -> Result<Vec<(usize, Vec<&'static str>)>, String> {
    let mut out = Vec::new();
    for (n, l) in lines(src) {
        let fields: Vec<&'static str> = l.split('\t').collect();
        if fields.len() != columns || fields.iter().any(|f| f.trim().is_empty() || f.trim() != *f) {
            return Err(format!(
                "{name}:{n}: expected {columns} tab-separated fields: {l:?}"
            ));
        }
        out.push((n, fields));
    }
    Ok(out)
}

macro_rules! lexicons {
    ($( $(#[$doc:meta])* $shape:ident $name:ident = $file:literal; )*) => {
        $(
            $(#[$doc])*
            pub static $name: LazyLock<lexicons!(@ty $shape)> =
                LazyLock::new(|| <lexicons!(@ty $shape)>::load($file, include_str!($file)));
        )*
        /// Every words and phrases file: (file, shape, text), for the parsing test.
        #[cfg(test)]
        pub(crate) const SOURCES: &[(&str, &str, &str)] =
            &[$( ($file, stringify!($shape), include_str!($file)) ),*];
    };
    (@ty words) => { WordSet };
    (@ty phrases) => { PhraseList };
}

lexicons! {
    // Triggers and their senses.
    /// Objects after "suspended / halted / paused / stopped" that make it a service halt.
    words HALT_OBJECTS = "halt_objects.txt";
    /// Objects that make a "halt" something else: stock trading, dividends, buybacks, jobs.
    words NOT_HALT_OBJECTS = "not_halt_objects.txt";
    /// Objects of "suspended" / "pulled" that make it an act on a permit.
    words PERMIT_OBJECTS = "permit_objects.txt";
    /// Objects of "settle" that make it an accounting settlement.
    words ACCOUNTING_SETTLEMENT = "accounting_settlement.txt";
    /// Words after a halt word that make it a workplace arrangement, not a service.
    words WORKPLACE = "workplace.txt";
    /// Nouns of what stops a plant or a service without being its operator.
    words HALT_CAUSES = "halt_causes.txt";

    // Mentions.
    /// Given names: one right before a company's name makes the pair a person.
    words GIVEN_NAMES = "given_names.txt";
    /// Titles and forms of address ("judge", "gov"): the same before a company's name.
    words PERSON_TITLES = "person_titles.txt";

    // Modality.
    /// Words that make what follows a possibility, a plan, a threat or a condition.
    words HEDGES = "hedges.txt";
    /// Words that negate what follows in the clause.
    words NEGATIONS = "negations.txt";
    /// Adverbs of frequency: what follows is a habit, not one event.
    words HABITUAL = "habitual.txt";
    /// Verbs that make a sanction after them a prospect ("faces a fine").
    words PROSPECTS = "prospects.txt";
    /// Words that end the scope of modality when scanning back from a trigger.
    words SCOPE_BREAKS = "scope_breaks.txt";
    /// Phrases that mark an unconfirmed report ("people familiar with the matter").
    phrases UNCONFIRMED = "unconfirmed.phrases";
    /// Phrases that call a report false.
    phrases REFUTED = "refuted.phrases";
    /// Verbs that deny a report.
    words DENIALS = "denials.txt";
    /// Words that make a halt one someone is told to make.
    words DIRECTIVES = "directives.txt";

    // Arguments.
    /// Words between a subject and its verb that keep the subject link.
    words TRANSPARENT = "transparent.txt";
    /// Plural nouns for people or firms in general: a passive trigger about them is generic.
    words PEOPLE_NOUNS = "people_nouns.txt";
    /// Prepositions before an object of a trigger.
    words OBJECT_PREPS = "object_preps.txt";
    /// Verbs of contesting a penalty or an order: their subject is its target.
    words CONTESTING = "contesting.txt";
    /// Words after a company name that keep it a name, not a modifier of a noun.
    words NOT_MODIFIER = "not_modifier.txt";
    /// Verbs before a suit noun that make it a real suit ("filed a lawsuit").
    words SUIT_VERBS_BEFORE = "suit_verbs_before.txt";
    /// Words after a suit noun that make it a real suit ("the suit seeks").
    words SUIT_WORDS_AFTER = "suit_words_after.txt";
    /// Procedural steps read after a court's verb: a transfer, an extension.
    words PROCEDURAL_STEPS = "procedural_steps.txt";
    /// Nouns that make a settlement a legal one.
    words LEGAL_MATTERS = "legal_matters.txt";
    /// Words before a plural suit noun that make it generic ("various pending lawsuits").
    words GENERIC_SUITS = "generic_suits.txt";
    /// Words before a trigger that introduce a new event ("another suit").
    words FRESH = "fresh.txt";
    /// Titles dropped from a party's name.
    phrases TITLES = "titles.phrases";

    // Amounts.
    /// Text right after an amount that makes it no event's amount (" per share").
    phrases AMOUNT_BAD_AFTER = "amount_bad_after.phrases";
    /// Text right before an amount that makes it no event's amount ("valued at").
    phrases AMOUNT_BAD_BEFORE = "amount_bad_before.phrases";
    /// Qualifiers kept before an amount in the summary ("at least").
    phrases AMOUNT_QUALIFIERS = "amount_qualifiers.phrases";

    // Dates.
    /// Verbs that bring an action about, in a relative clause after its noun.
    phrases EVENT_VERBS = "event_verbs.phrases";
    /// Verbs that bring a noun trigger's act about ("filed", "proposes"): in the
    /// present perfect or the present, news of the day.
    words BRINGING_VERBS = "bringing_verbs.txt";
    /// Reporting verbs before a date that dates the whole report (" said ").
    phrases REPORTING = "reporting.phrases";
    /// What may stand before a date that opens a sentence ("on", "in or about").
    phrases DATE_OPENERS = "date_openers.phrases";

    // Status and merge.
    /// Phrases of a company agreeing to an enforcement action.
    phrases AGREED = "agreed.phrases";
    /// Names of regulators that impose money penalties by consent.
    phrases CONSENT_REGULATORS = "consent_regulators.phrases";
    /// Parts of authority names that are descriptions, not names of one agency.
    phrases GENERIC_AUTHORITY = "generic_authority.phrases";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lexicon_parses() {
        for (file, shape, src) in SOURCES {
            let r = match *shape {
                "words" => WordSet::parse(file, src).map(|s| s.0.len()),
                "phrases" => PhraseList::parse(file, src).map(|p| p.0.len()),
                other => panic!("unknown shape {other}"),
            };
            match r {
                Ok(n) => assert!(n > 0, "{file} is empty"),
                Err(e) => panic!("{e}"),
            }
        }
        crate::extract::triggers::lexicon::check_tables().unwrap();
    }

    #[test]
    fn malformed_lines_are_caught() {
        assert!(WordSet::parse("t", "one\ntwo words\n").is_err());
        assert!(WordSet::parse("t", "one\none\n").is_err());
        assert!(WordSet::parse("t", "# note\n\none\n").is_ok());
        assert!(PhraseList::parse("t", "\" per share\"\nno quotes\n").is_err());
        assert!(PhraseList::parse("t", "\"\"\n").is_err());
        let p = PhraseList::parse("t", "\" a share\"\n\"deal\"\n").unwrap();
        assert_eq!(p.iter().collect::<Vec<_>>(), vec![" a share", "deal"]);
        assert!(rows("t", "a\tb\tc\n", 3).is_ok());
        assert!(rows("t", "a\tb\n", 3).is_err());
        assert!(rows("t", "a\t\tc\n", 3).is_err());
    }

    #[test]
    fn lookups_read_the_files() {
        assert!(HEDGES.contains("could"));
        assert!(!HEDGES.contains("sued"));
        assert!(TRANSPARENT.contains("reportedly"));
        assert!(AMOUNT_BAD_AFTER.iter().any(|p| p == " per share"));
        assert!(UNCONFIRMED.any_in("said people familiar with the matter"));
    }
}
