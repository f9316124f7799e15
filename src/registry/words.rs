//! How common the words of a company's name are in ordinary English, and from that how
//! ambiguous the name is: "Mannatech" names a company wherever it is written,
//! "Interface" or "Match" only where the text shows it is a company.
//!
//! The levels come from `fixtures/registry/common-words.txt.gz`, made by
//! `scripts/common-words.sh` from SCOWL's word lists, which sort words by how common
//! they are: level 10 holds the most common words of English, 20, 35, 40, 50, 55 and
//! 60 ever rarer ones; capitalised entries (up to level 50) are names of places and
//! people, all-capital ones abbreviations ("SOS", "ATM").
//!
//! ```
//! use riskline::registry::words::{ambiguity, Ambiguity};
//! assert_eq!(ambiguity("Interface"), Ambiguity::CommonWord);
//! assert_eq!(ambiguity("Mannatech"), Ambiguity::Distinct);
//! ```

use std::collections::HashMap;
use std::io::Read;
use std::sync::LazyLock;

/// The word list, gzip-compressed: one line per level, `LEVEL<TAB>word word ...`.
const WORDS_GZ: &[u8] = include_bytes!("../../fixtures/registry/common-words.txt.gz");

/// Lowercase words by level, capitalised names and abbreviations.
struct Words {
    levels: HashMap<String, u8>,
    names: HashMap<String, u8>,
    abbreviations: HashMap<String, u8>,
}

fn load() -> Words {
    let mut text = String::new();
    // The file is checked by a test; a broken built-in file leaves the list empty
    // (every name then counts as distinctive) rather than stopping the program.
    let _ = flate2::read::GzDecoder::new(WORDS_GZ).read_to_string(&mut text);
    let mut words = Words {
        levels: HashMap::with_capacity(90_000),
        names: HashMap::with_capacity(20_000),
        abbreviations: HashMap::with_capacity(2_000),
    };
    // Words and names the list lacks, from the exceptions file: `word<TAB>WORD<TAB>LEVEL`
    // and `name<TAB>NAME`.
    for line in super::names::EXCEPTIONS.lines() {
        match line.split('\t').collect::<Vec<_>>().as_slice() {
            ["word", w, level] => {
                if let Ok(level) = level.parse::<u8>() {
                    words.levels.insert(w.to_ascii_lowercase(), level);
                }
            }
            ["name", n] => {
                words.names.insert(n.to_ascii_lowercase(), 50);
            }
            _ => {}
        }
    }
    for line in text.lines() {
        let Some((level, list)) = line.split_once('\t') else {
            continue;
        };
        let Ok(level) = level.parse::<u8>() else {
            continue;
        };
        for w in list.split(' ') {
            let upper = w.chars().filter(char::is_ascii_uppercase).count();
            if upper == 0 {
                words.levels.entry(w.to_string()).or_insert(level);
            } else if upper == w.len() {
                words.abbreviations.entry(w.to_string()).or_insert(level);
            } else if upper == 1 && w.len() > 1 {
                // "Boston", "Abbott".
                words.names.entry(w.to_ascii_lowercase()).or_insert(level);
            }
        }
    }
    words
}

static WORDS: LazyLock<Words> = LazyLock::new(load);

/// The level of a lowercase English word (10 = among the most common, 60 = rare), or
/// `None` when the list does not hold it. Case is ignored.
pub fn level(word: &str) -> Option<u8> {
    WORDS.levels.get(&word.to_ascii_lowercase()).copied()
}

/// Whether the word is a name of a place or a person ("Boston", "Abbott"). Case is ignored.
pub fn is_proper_name(word: &str) -> bool {
    WORDS.names.contains_key(&word.to_ascii_lowercase())
}

/// Whether the word, in capitals, is a common abbreviation ("SOS", "ATM").
pub fn is_abbreviation(word: &str) -> bool {
    WORDS.abbreviations.contains_key(word)
}

/// Number of entries of the list (lowercase words, names, abbreviations): for reports
/// and tests.
pub fn size() -> (usize, usize, usize) {
    (
        WORDS.levels.len(),
        WORDS.names.len(),
        WORDS.abbreviations.len(),
    )
}

/// How ambiguous a name is when written in a text, from the words it is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ambiguity {
    /// No ordinary word or name reads like it ("Mannatech", "Sylvamo", "Regeneron"), or
    /// a phrase with at least one such word ("Ameris Bancorp").
    Distinct,
    /// Several words, each an ordinary word or a name ("Genuine Parts", "Western
    /// Alliance"): capitalised in running text, it is almost always a name.
    Phrase,
    /// One word that is a name of a place or person ("Oppenheimer", "Boston").
    Name,
    /// One ordinary but not very common word ("Visa", "Carnival", "Liquidity"), or a
    /// common abbreviation ("SOS").
    Word,
    /// One of the most common words ("Target", "Match", "Interface"), or a very short
    /// one ("Box", "On").
    CommonWord,
}

/// Words that join the words of a name and say nothing of it.
const CONNECTORS: &[&str] = &["of", "and", "&", "the", "de", "for", "in", "on", "at", "-"];

/// How ambiguous a name is, from how common its words are (see [`Ambiguity`]). A final
/// possessive is ignored ("Macy's" is read as "Macy").
pub fn ambiguity(name: &str) -> Ambiguity {
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || c == '-' || c == '/')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .map(|w| {
            w.strip_suffix("'s")
                .or_else(|| w.strip_suffix("’s"))
                .unwrap_or(w)
        })
        .filter(|w| !w.is_empty())
        .filter(|w| !CONNECTORS.contains(&w.to_ascii_lowercase().as_str()))
        .collect();
    match words.as_slice() {
        [] => Ambiguity::CommonWord,
        [w] => word_ambiguity(w),
        many => {
            let ordinary = many
                .iter()
                .all(|w| word_ambiguity(w) != Ambiguity::Distinct);
            if ordinary {
                Ambiguity::Phrase
            } else {
                Ambiguity::Distinct
            }
        }
    }
}

fn word_ambiguity(w: &str) -> Ambiguity {
    if w.chars().any(|c| !c.is_alphabetic()) {
        // "3M", "C3.ai": digits make a word a name.
        return Ambiguity::Distinct;
    }
    let letters = w.chars().count();
    let all_caps = w.chars().all(|c| c.is_uppercase());
    if all_caps && letters >= 2 && is_abbreviation(w) {
        return Ambiguity::Word;
    }
    if all_caps && letters >= 2 && level(w).is_none() {
        // "KBR": an acronym that is no word; a short one ("NI", "CTRL") is read as
        // something else as often as not.
        return if letters <= 4 {
            Ambiguity::Word
        } else {
            Ambiguity::Distinct
        };
    }
    if letters <= 3 {
        return Ambiguity::CommonWord;
    }
    match level(w) {
        Some(l) if l <= 20 => Ambiguity::CommonWord,
        Some(_) => Ambiguity::Word,
        None if is_proper_name(w) => Ambiguity::Name,
        None => Ambiguity::Distinct,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_list_loads_with_levels_and_names() {
        let (words, names, abbreviations) = size();
        assert!(words > 70_000, "only {words} words");
        assert!(names > 8_000, "only {names} names");
        assert!(abbreviations > 400, "only {abbreviations} abbreviations");
        assert!(is_abbreviation("SOS"));
        assert!(level("liquidity").is_some());
        assert_eq!(level("the"), Some(10));
        assert!(level("interface").is_some_and(|l| l <= 20));
        assert!(level("mannatech").is_none());
        assert!(is_proper_name("Boston"));
        assert!(!is_proper_name("interface"));
    }

    #[test]
    fn single_words_are_scored_by_how_common_they_are() {
        assert_eq!(ambiguity("Target"), Ambiguity::CommonWord);
        assert_eq!(ambiguity("Match"), Ambiguity::CommonWord);
        assert_eq!(ambiguity("Box"), Ambiguity::CommonWord);
        assert_eq!(ambiguity("Carnival"), Ambiguity::Word);
        assert_eq!(ambiguity("Liquidity"), Ambiguity::Word);
        assert_eq!(ambiguity("SOS"), Ambiguity::Word);
        assert_eq!(ambiguity("Oppenheimer"), Ambiguity::Name);
        assert_eq!(ambiguity("Sylvamo"), Ambiguity::Distinct);
        assert_eq!(ambiguity("KBR"), Ambiguity::Word);
        assert_eq!(ambiguity("AECOM"), Ambiguity::Distinct);
        assert_eq!(ambiguity("3M"), Ambiguity::Distinct);
        assert_eq!(ambiguity("Macy's"), Ambiguity::Name);
    }

    #[test]
    fn phrases_are_ordinary_only_when_every_word_is() {
        assert_eq!(ambiguity("Genuine Parts"), Ambiguity::Phrase);
        assert_eq!(ambiguity("Bank of the West"), Ambiguity::Phrase);
        assert_eq!(ambiguity("Ameris Bancorp"), Ambiguity::Distinct);
        assert_eq!(ambiguity("Match Group"), Ambiguity::Phrase);
    }
}
