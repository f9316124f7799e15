//! Which words and phrases can be triggers.
//!
//! Single words come from `lexicon/triggers.tsv` (word -> family, action, lemma, verb or
//! noun); fixed phrases from `lexicon/trigger_phrases.tsv`, tried first. Phrases whose
//! reading needs a look around the word ("took ... to court", "issued a decision") are
//! read here in code, after the fixed ones.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::{next_words, Entry, Family, Near};
use crate::extract::lexicon::{rows, FnvBuild};
use crate::extract::types::Kind;

const WORDS_FILE: &str = "triggers.tsv";
const WORDS: &str = include_str!("../lexicon/triggers.tsv");
const PHRASES_FILE: &str = "trigger_phrases.tsv";
const PHRASES: &str = include_str!("../lexicon/trigger_phrases.tsv");

/// What the lexicon says of a word: family, action, lemma, verb.
type Sense = (Family, &'static str, &'static str, bool);

/// A fixed phrase: the words after the first (each a set of alternatives) and its sense.
struct Phrase {
    rest: Vec<Vec<&'static str>>,
    sense: Sense,
}

fn family(name: &str) -> Option<Family> {
    use Family::*;
    Some(match name {
        "Sue" => Sue,
        "SuitNoun" => SuitNoun,
        "Appeal" => Appeal,
        "Ruling" => Ruling,
        "Dismiss" => Dismiss,
        "Settle" => Settle,
        "Fine" => Fine,
        "Order" => Order,
        "Ban" => Ban,
        "Permit" => Permit,
        "Recall" => Recall,
        "Investigation" => Investigation,
        "Halt" => Halt,
        "Lift" => Lift,
        "Resume" => Resume,
        _ => return None,
    })
}

/// The sense columns (family, action, lemma, verb|noun) of a table row.
fn sense(file: &str, n: usize, f: &[&'static str]) -> Result<Sense, String> {
    let fam = family(f[0]).ok_or_else(|| format!("{file}:{n}: unknown family {:?}", f[0]))?;
    let verb = match f[3] {
        "verb" => true,
        "noun" => false,
        other => return Err(format!("{file}:{n}: expected verb or noun, got {other:?}")),
    };
    // The action column must be a word of the domain's one vocabulary of actions.
    if crate::domain::Action::read(f[1]).is_err() {
        return Err(format!(
            "{file}:{n}: {:?} is not an action of the domain",
            f[1]
        ));
    }
    Ok((fam, f[1], f[2], verb))
}

fn parse_words() -> Result<HashMap<&'static str, Sense, FnvBuild>, String> {
    let mut out = HashMap::with_hasher(FnvBuild::default());
    for (n, f) in rows(WORDS_FILE, WORDS, 5)? {
        if f[0].contains(' ') {
            return Err(format!(
                "{WORDS_FILE}:{n}: a word holds a space: {:?}",
                f[0]
            ));
        }
        if out.insert(f[0], sense(WORDS_FILE, n, &f[1..])?).is_some() {
            return Err(format!("{WORDS_FILE}:{n}: duplicate word {:?}", f[0]));
        }
    }
    Ok(out)
}

/// Fixed phrases by their first word, each list in file order.
fn parse_phrases() -> Result<HashMap<&'static str, Vec<Phrase>, FnvBuild>, String> {
    let mut out: HashMap<&'static str, Vec<Phrase>, FnvBuild> =
        HashMap::with_hasher(FnvBuild::default());
    for (n, f) in rows(PHRASES_FILE, PHRASES, 5)? {
        let places: Vec<Vec<&'static str>> = f[0]
            .split(' ')
            .map(|p| p.split('|').collect::<Vec<_>>())
            .collect();
        if places.len() > 3 || places.iter().flatten().any(|w| w.is_empty()) {
            return Err(format!("{PHRASES_FILE}:{n}: bad pattern {:?}", f[0]));
        }
        let sense = sense(PHRASES_FILE, n, &f[1..])?;
        for first in &places[0] {
            out.entry(*first).or_default().push(Phrase {
                rest: places[1..].to_vec(),
                sense,
            });
        }
    }
    Ok(out)
}

static WORD_TABLE: LazyLock<HashMap<&'static str, Sense, FnvBuild>> =
    LazyLock::new(|| parse_words().unwrap_or_else(|e| panic!("bad lexicon: {e}")));

static PHRASE_TABLE: LazyLock<HashMap<&'static str, Vec<Phrase>, FnvBuild>> =
    LazyLock::new(|| parse_phrases().unwrap_or_else(|e| panic!("bad lexicon: {e}")));

/// Parses both trigger tables (for the lexicon test).
pub fn check_tables() -> Result<(), String> {
    let words = parse_words()?;
    let phrases = parse_phrases()?;
    if words.is_empty() || phrases.is_empty() {
        return Err("an empty trigger table".into());
    }
    Ok(())
}

pub(crate) fn fam_kind(f: Family) -> Option<Kind> {
    match f {
        Family::Sue | Family::SuitNoun | Family::Appeal | Family::Dismiss => Some(Kind::Lawsuit),
        Family::Ruling
        | Family::Settle
        | Family::Order
        | Family::Ban
        | Family::Fine
        | Family::Lift => None,
        Family::Permit | Family::Recall | Family::Investigation => Some(Kind::RegulatoryAction),
        Family::Halt | Family::Resume => Some(Kind::ServiceHalt),
    }
}

fn lex(word: &str) -> Option<Sense> {
    WORD_TABLE.get(word).copied()
}

/// The lexicon entry of a single word, if it can be a trigger.
pub fn is_trigger_word(word: &str) -> Option<&'static str> {
    lex(word).map(|(_, _, lemma, _)| lemma)
}

/// The single-word trigger at token `k` whose lowercased text is `w`.
pub fn word_trigger(w: &str, k: usize) -> Option<Entry> {
    let (family, action, lemma, verb) = lex(w)?;
    Some(Entry {
        family,
        action,
        lemma,
        verb,
        end: k + 1,
    })
}

fn entry((family, action, lemma, verb): Sense, end: usize) -> Entry {
    Entry {
        family,
        action,
        lemma,
        verb,
        end,
    }
}

/// A multi-word trigger starting at the word: a fixed phrase first, then the phrases
/// read from their context.
pub fn phrase_trigger(n: &Near<'_>) -> Option<Entry> {
    if let Some(list) = PHRASE_TABLE.get(n.w) {
        let follows = [n.n0, n.n1];
        let hit = list.iter().find(|p| {
            p.rest
                .iter()
                .zip(follows)
                .all(|(alts, word)| alts.contains(&word))
        });
        if let Some(p) = hit {
            return Some(entry(p.sense, n.k + 1 + p.rest.len()));
        }
    }
    context_phrase(n)
}

/// Phrases read from the words around them, in the order they are tried.
fn context_phrase(n: &Near<'_>) -> Option<Entry> {
    let Near {
        seg,
        k,
        tok_start,
        tok_end,
        w,
        n0,
        n1,
        prev,
        ..
    } = *n;
    let hit: Sense = match w {
        "blocked" | "barred" | "restricted" | "prevented"
            if matches!(n0, "its" | "their")
                && matches!(n1, "users" | "customers" | "clients" | "members") =>
        {
            (Family::Halt, "suspension", "block customers", true)
        }
        // "took Coinbase to court", "has taken the airline to court".
        "took" | "take" | "takes" | "taking" | "taken"
            if {
                let w6 = next_words(seg, k + 1, tok_end, 8);
                w6.windows(2).any(|p| p == ["to", "court"])
            } =>
        {
            (Family::Sue, "filed", "take to court", true)
        }
        // "the agency sought to block Acme's acquisition of Globex": antitrust enforcers
        // block deals by suing.
        "sought" | "seeks" | "seeking" | "moved" | "moves" | "moving"
            if n0 == "to"
                && n1 == "block"
                && next_words(seg, k + 1, tok_end, 12).iter().any(|x| {
                    matches!(
                        *x,
                        "merger" | "acquisition" | "deal" | "takeover" | "purchase" | "buyout"
                    )
                }) =>
        {
            (Family::Sue, "filed", "sue to block", true)
        }
        // "filed the case in October 2020", "brought an action against".
        "filed" | "brought" | "commenced" | "instituted"
            if matches!(n0, "the" | "a" | "an" | "its" | "their" | "this" | "suit")
                && matches!(
                    n1,
                    "case" | "action" | "complaint" | "proceeding" | "proceedings"
                )
                || matches!(n0, "case" | "action" | "proceedings") =>
        {
            (Family::Sue, "filed", "file a case", true)
        }
        // "received requests from the SEC for documents".
        "request" | "requests"
            if prev == "received" || {
                let w6 = next_words(seg, k + 1, tok_end, 8);
                w6.windows(2).any(|p| {
                    p[0] == "for"
                        && matches!(p[1], "documents" | "records" | "information" | "data")
                }) && matches!(
                    seg.low(k.saturating_sub(1).max(tok_start)),
                    "received" | "receive" | "receives"
                )
            } =>
        {
            (
                Family::Investigation,
                "investigation",
                "request for information",
                false,
            )
        }
        // "to resolve the consolidated class action", "resolved the inquiry".
        "resolve" | "resolved" | "resolves" | "resolving"
            if next_words(seg, k + 1, tok_end, 6).iter().any(|x| {
                matches!(
                    *x,
                    "action"
                        | "actions"
                        | "lawsuit"
                        | "lawsuits"
                        | "suit"
                        | "litigation"
                        | "claims"
                        | "case"
                        | "cases"
                        | "inquiry"
                        | "investigation"
                        | "charges"
                        | "allegations"
                        | "enforcement"
                )
            }) =>
        {
            (Family::Settle, "settled", "resolve", true)
        }
        // "closed its investigation", "ended the probe without action": the inquiry is
        // over. Tried before "closed" as a halt.
        "closed" | "closes" | "close" | "ended" | "ends" | "concluded" | "concludes"
        | "terminated" | "dropped" | "drops"
            if next_words(seg, k + 1, tok_end, 4).iter().any(|x| {
                matches!(
                    *x,
                    "investigation" | "investigations" | "probe" | "probes" | "inquiry"
                )
            }) =>
        {
            (Family::Lift, "closed", "close inquiry", true)
        }
        // "returned the 737 MAX to service", "to passenger service", "return to the
        // skies": a halt ends.
        "returned" | "returns" | "return" | "returning"
            if next_words(seg, k + 1, tok_end, 11).windows(2).any(|p| {
                p[0] == "to"
                    && matches!(
                        p[1],
                        "service" | "passenger" | "commercial" | "the" | "flying"
                    )
            }) && next_words(seg, k + 1, tok_end, 12)
                .iter()
                .any(|x| matches!(*x, "service" | "skies" | "flying" | "air")) =>
        {
            (Family::Resume, "resumption", "return to service", true)
        }
        // "put the watches back on sale", "brought the plant back online".
        "back"
            if matches!(
                (n0, n1),
                ("on", "sale" | "sales" | "shelves") | ("in", "service")
            ) || n0 == "online" =>
        {
            (Family::Resume, "resumption", "back on sale", true)
        }
        // "took its systems offline": a halt of its own service.
        "took" | "take" | "takes" | "taking" | "taken"
            if next_words(seg, k + 1, tok_end, 6).contains(&"offline") =>
        {
            (Family::Halt, "shutdown", "take offline", true)
        }
        // "issued a decision against Amazon", "the decision against Apple".
        "decision"
            if n0 == "against"
                || matches!(prev, "issued" | "adopted")
                || k >= tok_start + 2
                    && matches!(seg.low(k - 2), "issued" | "adopted")
                    && matches!(prev, "a" | "its" | "the") =>
        {
            (Family::Order, "order", "decision", false)
        }
        _ => return None,
    };
    Some(entry(hit, k + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_map_to_their_family_and_lemma() {
        assert_eq!(lex("sued"), Some((Family::Sue, "filed", "sue", true)));
        assert_eq!(
            lex("penalty"),
            Some((Family::Fine, "fine", "penalty", false))
        );
        assert_eq!(
            lex("outage"),
            Some((Family::Halt, "outage", "outage", false))
        );
        assert_eq!(lex("weather"), None);
        assert_eq!(is_trigger_word("recalled"), Some("recall"));
    }

    #[test]
    fn a_table_row_whose_action_is_no_domain_action_is_refused() {
        assert!(sense("t.tsv", 1, &["Fine", "fine", "fine", "verb"]).is_ok());
        let err = sense("t.tsv", 2, &["Fine", "tickle", "fine", "verb"]).unwrap_err();
        assert!(err.contains("t.tsv:2") && err.contains("tickle"), "{err}");
    }

    #[test]
    fn the_family_fixes_the_kind_or_leaves_it_open() {
        assert_eq!(fam_kind(Family::Sue), Some(Kind::Lawsuit));
        assert_eq!(fam_kind(Family::Recall), Some(Kind::RegulatoryAction));
        assert_eq!(fam_kind(Family::Order), None);
    }
}
