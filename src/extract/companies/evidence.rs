//! Evidence that a name which is also an ordinary word names the company here.
//!
//! With every SEC-listed company in the registry, many names are ordinary words
//! ("Interface", "Match", "Lion", "City") or names of people and places ("Rogers",
//! "Oppenheimer"). Each mention of such a name is decided on its own, from what stands
//! around it; capital letters alone never suffice (a sentence or a headline starts
//! with one). The rules, each tested below in its own words:
//!
//! - **legal suffix**: "Interface Inc.", "Oppenheimer & Co.", "Lion Group, Ltd." name
//!   a company;
//! - **ticker**: the company's own ticker in parentheses after the name, with or
//!   without an exchange ("Interface (Nasdaq: TILE)", "Interface (TILE)");
//! - **stock words**: "shares of Interface", "Interface shares", "Interface's stock";
//! - **apposition**: "Sylvamo, a paper company", "Interface, the carpet maker";
//! - **class noun before**: "carpet maker Interface", "regional lender Ameris";
//! - **against**: a place ("Memphis-based", "Coppell-based": the name is the place) or
//!   another name glued to it ("City Council", "Highway Traffic Safety", "Fortis
//!   Advisors") show the word is not the company.
//!
//! The document-level rule (the company named in full or by its ticker elsewhere in
//! the same text) is applied by the caller, [`super::CompanyIndex::find`].

use super::super::text::{Segmented, TokKind};
use super::Mention;
use crate::extract::span;

/// Legal suffixes that, right after a name, make it a company's.
const LEGAL_SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "cos",
    "companies",
    "ltd",
    "limited",
    "plc",
    "llc",
    "lp",
    "l.p",
    "ag",
    "sa",
    "s.a",
    "nv",
    "n.v",
    "se",
    "asa",
    "group",
    "holdings",
    "holding",
    "bancorp",
    "bancshares",
];

/// Nouns that say what a company is, in an apposition or right before its name.
const CLASS_NOUNS: &[&str] = &[
    "company",
    "companies",
    "firm",
    "maker",
    "manufacturer",
    "producer",
    "retailer",
    "chain",
    "operator",
    "provider",
    "supplier",
    "developer",
    "seller",
    "distributor",
    "bank",
    "lender",
    "bancorp",
    "insurer",
    "brokerage",
    "broker",
    "reit",
    "airline",
    "railroad",
    "utility",
    "conglomerate",
    "miner",
    "drugmaker",
    "automaker",
    "carmaker",
    "chipmaker",
    "biotech",
    "startup",
    "group",
    "subsidiary",
    "giant",
    "rival",
    "contractor",
    "subcontractor",
    "franchisor",
    "restaurant",
    "owner",
    "parent",
    "partnership",
    "trust",
    "fund",
];

/// Words right after a name that make it a listed company's.
const STOCK_WORDS: &[&str] = &["shares", "stock", "stockholders", "shareholders"];

/// Whether the token at `i`, before `end`, is one of `words` (lowercase, a final dot
/// ignored).
fn word_is(seg: &Segmented<'_>, i: usize, end: usize, words: &[&str]) -> bool {
    i < end && words.contains(&seg.low(i).trim_end_matches('.'))
}

/// The token range of the sentence holding `pos`.
fn sentence_tokens(seg: &Segmented<'_>, pos: usize) -> (usize, usize) {
    seg.sentence_at(pos)
        .map(|s| (seg.sentences[s].tok_start, seg.sentences[s].tok_end))
        .unwrap_or((0, seg.tokens.len()))
}

/// Strong local evidence that the mention names a company: a legal suffix, its own
/// ticker in parentheses, stock words, an apposition or a class noun before it.
pub fn strong(seg: &Segmented<'_>, m: &Mention, ticker: &str) -> bool {
    let (s_start, s_end) = sentence_tokens(seg, m.start);
    let te = seg.token_at(m.end);
    let ti = seg.token_at(m.start);
    // After: skip "," and "&" ("Oppenheimer & Co.", "Lion Group, Ltd.").
    let mut j = te;
    while j < s_end && matches!(seg.tok(j), "," | "&") {
        j += 1;
    }
    if word_is(seg, j, s_end, LEGAL_SUFFIXES) {
        return true;
    }
    if own_ticker_after(seg.text, m.end, ticker) {
        return true;
    }
    // "Interface shares", "Interface's stock".
    let mut k = te;
    if k < s_end && seg.tokens[k].kind == TokKind::Possessive {
        k += 1;
    }
    if word_is(seg, k, s_end, STOCK_WORDS) {
        return true;
    }
    // "shares of Interface", "stock of Interface".
    if ti >= s_start + 2
        && seg.low(ti - 1) == "of"
        && matches!(
            seg.low(ti - 2),
            "shares" | "stock" | "stockholders" | "shareholders"
        )
    {
        return true;
    }
    apposition(seg, te, s_end) || class_noun_before(seg, ti, s_start)
}

/// "(TILE)", "(Nasdaq: TILE)", "(NYSE:TILE)" right after the name, with the company's
/// own ticker.
fn own_ticker_after(text: &str, end: usize, ticker: &str) -> bool {
    let rest = span::from(text, end);
    let rest = rest.trim_start_matches([',', ' ']);
    let Some(inner) = rest.strip_prefix('(') else {
        return false;
    };
    let Some(close) = inner.find(')') else {
        return false;
    };
    if close > 30 {
        return false;
    }
    let inside = span::upto(inner, close);
    let symbol = inside.rsplit([':', ' ']).next().unwrap_or("").trim();
    !symbol.is_empty()
        && symbol.replace('.', "-").eq_ignore_ascii_case(ticker)
        && symbol.chars().all(|c| !c.is_lowercase())
}

/// "Sylvamo, a Memphis-based paper company", "Interface, the carpet maker,": a comma,
/// an article, then a class noun within six words, before the next comma.
fn apposition(seg: &Segmented<'_>, te: usize, s_end: usize) -> bool {
    if !(te + 1 < s_end && seg.tok(te) == ",") {
        return false;
    }
    if !matches!(seg.low(te + 1), "a" | "an" | "the" | "one") {
        return false;
    }
    (te + 2..(te + 9).min(s_end))
        .take_while(|&k| !matches!(seg.tok(k), "," | ";" | "(" | ")"))
        .any(|k| CLASS_NOUNS.contains(&seg.low(k)))
}

/// "carpet maker Interface", "the lender Ameris": a class noun right before the name.
fn class_noun_before(seg: &Segmented<'_>, ti: usize, s_start: usize) -> bool {
    ti > s_start
        && seg.tokens[ti - 1].kind == TokKind::Word
        && seg.tok(ti - 1).chars().all(|c| !c.is_uppercase())
        && CLASS_NOUNS.contains(&seg.low(ti - 1))
}

/// Evidence against: the name is a place ("Memphis-based"), or glued to another
/// capitalised word that makes a longer name ("City Council", "Fortis Advisors",
/// "Highway Traffic Safety Administration"). A legal suffix is no such word.
pub fn against(seg: &Segmented<'_>, m: &Mention) -> bool {
    let rest = span::from(seg.text, m.end);
    if rest.starts_with("-based") || rest.starts_with("-area") || rest.starts_with("-born") {
        return true;
    }
    let te = seg.token_at(m.end);
    let (_, s_end) = sentence_tokens(seg, m.start);
    te < s_end
        && seg.tokens[te].kind == TokKind::Word
        && seg.tokens[te].start == m.end + 1
        && span::from(seg.text, m.end).starts_with(' ')
        && seg.tok(te).chars().next().is_some_and(char::is_uppercase)
        && !word_is(seg, te, s_end, LEGAL_SUFFIXES)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The evidence for the first occurrence of `name` in `text`.
    fn judge(text: &str, name: &str, ticker: &str) -> (bool, bool) {
        let seg = Segmented::new(text);
        let start = text.find(name).expect("name in text");
        let m = Mention {
            start,
            end: start + name.len(),
            company: 0,
            via: super::super::Via::Alias(crate::registry::AliasKind::LegalName),
        };
        (strong(&seg, &m, ticker), against(&seg, &m))
    }

    #[test]
    fn a_legal_suffix_after_the_name_is_evidence() {
        assert_eq!(
            judge("Interface Inc. will close a plant.", "Interface", "TILE"),
            (true, false)
        );
        assert_eq!(
            judge(
                "They fined Oppenheimer & Co. on Monday.",
                "Oppenheimer",
                "OPY"
            ),
            (true, false)
        );
        assert_eq!(
            judge("A new interface for users shipped.", "interface", "TILE"),
            (false, false)
        );
    }

    #[test]
    fn the_companys_own_ticker_in_parentheses_is_evidence() {
        assert!(
            judge(
                "Shares of carpet tiles: Interface (Nasdaq: TILE) fell.",
                "Interface",
                "TILE"
            )
            .0
        );
        assert!(judge("Interface (TILE) fell.", "Interface", "TILE").0);
        // Another symbol in parentheses says nothing about this company.
        assert!(!judge("Interface (API) docs moved.", "Interface", "TILE").0);
    }

    #[test]
    fn stock_words_apposition_and_class_nouns_are_evidence() {
        assert!(judge("Match shares slid after the report.", "Match", "MTCH").0);
        assert!(judge("Investors sold shares of Match on Friday.", "Match", "MTCH").0);
        assert!(
            judge(
                "Sylvamo, a paper company from Tennessee, said so.",
                "Sylvamo",
                "SLVM"
            )
            .0
        );
        assert!(
            judge(
                "Regulators fined carpet maker Interface last week.",
                "Interface",
                "TILE"
            )
            .0
        );
        // A match in the ordinary sense.
        assert!(!judge("The match ended in a draw, a fair result.", "match", "MTCH").0);
        assert!(!judge("Match the colours, a simple task.", "Match", "MTCH").0);
    }

    #[test]
    fn places_and_longer_names_are_evidence_against() {
        assert!(judge("A Lion-based group met.", "Lion", "LGHL").1);
        assert!(judge("The City Council voted.", "City", "CHCO").1);
        assert!(judge("Fortis Advisors filed the claim.", "Fortis", "FTS").1);
        assert!(!judge("Fortis Inc. filed the claim.", "Fortis", "FTS").1);
        assert!(!judge("Lion said it would appeal.", "Lion", "LGHL").1);
    }
}
