//! Referring phrases resolved to companies: "the company", "the bank", "the automaker",
//! "the iPhone maker", "It" at the start of a sentence, and in filings "we", "our", "the
//! Company" (the filer).
//!
//! Resolution prefers, among the companies named in the previous sentences of the same
//! paragraph (then the document), one whose class fits the noun (a bank for "the bank",
//! by a small ticker table or by words of the legal name); for "the company" and "it", the
//! subject (first named company) of the nearest earlier sentence that names one.

use super::companies::{CompanyIndex, Mention, Via};
use super::text::{Segmented, TokKind};

/// Nouns after "the" that refer to a company, with the class they require ("" = any).
const CLASS_NOUNS: &[(&str, &str)] = &[
    ("company", ""),
    ("firm", ""),
    ("group", ""),
    ("business", ""),
    ("corporation", ""),
    ("conglomerate", "conglomerate"),
    ("bank", "bank"),
    ("lender", "lender"),
    ("brokerage", "brokerage"),
    ("automaker", "automaker"),
    ("carmaker", "carmaker"),
    ("airline", "airline"),
    ("carrier", "carrier"),
    ("retailer", "retailer"),
    ("chipmaker", "chipmaker"),
    ("planemaker", "planemaker"),
    ("drugmaker", "drugmaker"),
    ("railroad", "railroad"),
    ("chain", "chain"),
    ("streamer", "streamer"),
    ("network", "network"),
    ("platform", "platform"),
    ("app", "app"),
];

/// Two-word descriptions ("the social network", "the search giant").
const CLASS_PHRASES: &[&str] = &[
    "iphone maker",
    "social network",
    "social media giant",
    "social media group",
    "search giant",
    "tech giant",
    "technology giant",
    "online retailer",
    "e-commerce giant",
    "software maker",
    "software company",
    "oil giant",
    "oil major",
    "health-care company",
    "healthcare company",
    "semiconductor giant",
    "cybersecurity company",
    "security firm",
    "security company",
    "ride-hailing company",
    "fitness company",
    "health technology group",
    "industrial conglomerate",
    "video-game retailer",
    "fast-food chain",
    "burger chain",
    "restaurant chain",
    "wireless carrier",
    "card network",
    "payments company",
    "electric-vehicle maker",
];

/// A resolved referring phrase.
#[derive(Debug, Clone, Copy)]
pub struct Reference {
    /// The referring phrase's span and the company it was resolved to.
    pub mention: Mention,
    /// True for "it"/"its", which only count when nothing named is near.
    pub weak: bool,
}

fn is_filing_like(seg: &Segmented<'_>) -> bool {
    let t = seg.text;
    t.contains("the Company")
        || t.contains("Form 10-")
        || t.contains("Item 1.")
        || t.contains("ITEM 1.")
        || t.contains("Legal Proceedings")
        || t.contains("LEGAL PROCEEDINGS")
        || t.contains("Registrant")
}

/// The company named most often (ties: the earliest), used for "we" in a filing without a
/// known filer.
pub fn dominant(named: &[Mention]) -> Option<usize> {
    let mut counts: Vec<(usize, usize, usize)> = Vec::new(); // company, count, first
    for (i, m) in named.iter().enumerate() {
        match counts.iter_mut().find(|c| c.0 == m.company) {
            Some(c) => c.1 += 1,
            None => counts.push((m.company, 1, i)),
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
        .map(|c| c.0)
}

/// Resolves referring phrases against the named mentions.
pub fn resolve(
    seg: &Segmented<'_>,
    index: &CompanyIndex,
    named: &[Mention],
    filer: Option<usize>,
) -> Vec<Reference> {
    let mut out = Vec::new();
    let filing = filer.is_some() || is_filing_like(seg);
    let self_company = filer.or_else(|| if filing { dominant(named) } else { None });
    let n = seg.tokens.len();
    for (si, sent) in seg.sentences.iter().enumerate() {
        let mut k = sent.tok_start;
        // The sentence opens with "The company" or "It" right after a sentence about an
        // unlisted name: its pronouns are that name's too.
        let opens_with_ref = matches!(seg.low(sent.tok_start), "it" | "the")
            && sent.tok_start + 1 < sent.tok_end
            && (seg.low(sent.tok_start) == "it"
                || CLASS_NOUNS
                    .iter()
                    .any(|(w, _)| *w == seg.low(sent.tok_start + 1)));
        let after_unlisted = opens_with_ref
            && si > 0
            && unlisted_subject(
                seg,
                |at| {
                    // Named mentions are sorted and disjoint: the last one starting
                    // at or before `at` is the only one that can cover it.
                    let i = named.partition_point(|m| m.start <= at);
                    i > 0 && at < named[i - 1].end
                },
                si - 1,
            )
            && named.partition_point(|m| m.start < sent.start)
                == named.partition_point(|m| m.start < sent.end);
        while k < sent.tok_end {
            let low = seg.low(k);
            // Skip tokens inside a named mention.
            let pos = seg.tokens[k].start;
            // Named mentions are sorted: find the last one starting at or before `pos`.
            let i = named.partition_point(|m| m.start <= pos);
            if i > 0 && pos < named[i - 1].end {
                k += 1;
                continue;
            }
            // Filer's self-references.
            if filing {
                if let Some(c) = self_company {
                    // "the Company" (capitalised: the defined term of a filing) is the
                    // filer even after other companies are named; read at "the", before
                    // the class nouns below take "the company" as the last one named.
                    let defined_term =
                        low == "the" && k + 1 < sent.tok_end && seg.tok(k + 1) == "Company";
                    if matches!(low, "we" | "our" | "us") || defined_term {
                        let last = if defined_term { k + 1 } else { k };
                        out.push(Reference {
                            mention: Mention {
                                start: pos,
                                end: seg.tokens[last].end,
                                company: c,
                                via: Via::Reference,
                            },
                            weak: false,
                        });
                        k = last + 1;
                        continue;
                    }
                }
            }
            if low == "the" && k + 1 < sent.tok_end {
                // "the iPhone maker", "the social network".
                let two = if k + 2 < n.min(sent.tok_end) {
                    format!("{} {}", seg.low(k + 1), seg.low(k + 2))
                } else {
                    String::new()
                };
                let mut class: Option<(&str, usize)> = None;
                if CLASS_PHRASES.contains(&two.as_str()) {
                    class = Some((
                        CLASS_PHRASES
                            .iter()
                            .find(|p| **p == two)
                            .copied()
                            .unwrap_or(""),
                        k + 3,
                    ));
                } else if let Some((_, c)) = CLASS_NOUNS.iter().find(|(w, _)| *w == seg.low(k + 1))
                {
                    // Not "the company's shares"? That is fine too: still the company.
                    class = Some((c, k + 2));
                } else if k + 2 < sent.tok_end {
                    // "the Dallas-based carrier", "the online brokerage".
                    if let Some((_, c)) = CLASS_NOUNS.iter().find(|(w, _)| *w == seg.low(k + 2)) {
                        if seg.tokens[k + 1].kind == TokKind::Word {
                            class = Some((c, k + 3));
                        }
                    }
                }
                if let Some((class, end_tok)) = class {
                    // "the Company" handled above; "the company" in prose. Opening a
                    // sentence after one about an unlisted name ("Foxconn is one of
                    // Apple's suppliers. The company halted ..."), it is that name.
                    if k == sent.tok_start && after_unlisted {
                        k = end_tok;
                        continue;
                    }
                    if let Some(c) = antecedent(seg, index, named, si, pos, class) {
                        out.push(Reference {
                            mention: Mention {
                                start: pos,
                                end: seg.tokens[end_tok - 1].end,
                                company: c,
                                via: Via::Reference,
                            },
                            weak: false,
                        });
                    }
                    k = end_tok;
                    continue;
                }
            }
            // "IT" in capitals is information technology, not the pronoun.
            if matches!(low, "it" | "its")
                && !after_unlisted
                && !matches!(seg.tok(k), "IT" | "ITS")
                && !unlisted_company_before(seg, named, sent.tok_start, k)
                && !(low == "it"
                    && k + 1 < n
                    && seg.low(k + 1) == "is"
                    && k + 2 < n
                    && matches!(seg.low(k + 2), "unclear" | "not" | "likely" | "possible"))
            {
                if let Some(c) = antecedent(seg, index, named, si, pos, "") {
                    out.push(Reference {
                        mention: Mention {
                            start: pos,
                            end: seg.tokens[k].end,
                            company: c,
                            via: Via::Reference,
                        },
                        weak: true,
                    });
                }
            }
            k += 1;
        }
    }
    out
}

/// Corporate suffixes that make a capitalised name a company's.
const CORPORATE_SUFFIXES: &[&str] = &[
    "Inc", "Corp", "Co", "Ltd", "LLC", "plc", "PLC", "AG", "SE", "NV", "SA", "Holdings",
];

/// Whether, before token `k` of its sentence, a company that is not in the registry is
/// named ("Interface Inc. said it is closing ..."), with no listed company named after
/// it: "it" then refers to that company, never to a listed one named earlier.
fn unlisted_company_before(seg: &Segmented<'_>, named: &[Mention], start: usize, k: usize) -> bool {
    let capitalised = |j: usize| {
        seg.tokens[j].kind == TokKind::Word
            && seg.tok(j).chars().next().is_some_and(char::is_uppercase)
    };
    // "Initech Inc.", or a name described as a company: "Initech, a paper company".
    let described = |j: usize| {
        capitalised(j)
            && j + 2 < k
            && seg.tok(j + 1) == ","
            && matches!(seg.low(j + 2), "a" | "an")
            && (j + 3..(j + 9).min(k)).any(|x| CLASS_NOUNS.iter().any(|(w, _)| *w == seg.low(x)))
    };
    let Some(suffix) = (start..k).rev().find(|&j| {
        j > start && CORPORATE_SUFFIXES.contains(&seg.tok(j)) && capitalised(j - 1) || described(j)
    }) else {
        return false;
    };
    let at = seg.tokens[suffix].start;
    let inside_named = named.iter().any(|m| m.start <= at && at < m.end);
    let named_after = named
        .iter()
        .any(|m| m.start > at && m.start < seg.tokens[k].start);
    !inside_named && !named_after
}

/// Whether sentence `si` opens with a capitalised name that is no listed company, as
/// its subject ("Foxconn is one of Apple's largest suppliers.").
pub(crate) fn unlisted_subject(
    seg: &Segmented<'_>,
    covered: impl Fn(usize) -> bool,
    si: usize,
) -> bool {
    let sent = seg.sentences[si];
    let first = sent.tok_start;
    if first + 1 >= sent.tok_end || seg.tokens[first].kind != TokKind::Word {
        return false;
    }
    let tok = seg.tok(first);
    let at = seg.tokens[first].start;
    let capitalised = tok.chars().next().is_some_and(char::is_uppercase);
    let common = matches!(
        seg.low(first),
        "the"
            | "a"
            | "an"
            | "in"
            | "on"
            | "at"
            | "it"
            | "its"
            | "this"
            | "that"
            | "but"
            | "and"
            | "shares"
            | "analysts"
            | "investors"
            | "officials"
            | "regulators"
            | "he"
            | "she"
            | "they"
            | "we"
            | "after"
            | "as"
            | "while"
            | "when"
    );
    let named_there = covered(at);
    let verb = matches!(
        seg.low(first + 1),
        "is" | "was" | "has" | "had" | "said" | "says" | "makes" | "made" | "supplies" | "builds"
    );
    capitalised && !common && !named_there && verb
}

/// The company a referring phrase at `pos` in sentence `si` points to.
fn antecedent(
    seg: &Segmented<'_>,
    index: &CompanyIndex,
    named: &[Mention],
    si: usize,
    pos: usize,
    class: &str,
) -> Option<usize> {
    let fits = |c: usize| {
        class.is_empty()
            || index
                .company(c)
                .classes
                .iter()
                .any(|k| *k == class || k.ends_with(class))
    };
    // Same sentence, before the phrase: for a class noun the nearest that fits; for a
    // pronoun the subject (the first company named in the sentence).
    let sent = seg.sentences[si];
    // Mentions are sorted by start: work on the slice that can precede the phrase.
    let named = &named[..named.partition_point(|m| m.start < pos)];
    let in_range = |a: usize, b: usize| {
        let lo = named.partition_point(|m| m.start < a);
        let hi = named.partition_point(|m| m.start < b);
        &named[lo..hi]
    };
    let mut same = in_range(sent.start, pos)
        .iter()
        .filter(|m| m.start >= sent.start && m.end <= pos && fits(m.company));
    let found = if class.is_empty() {
        same.next()
    } else {
        same.next_back()
    };
    if let Some(m) = found {
        return Some(m.company);
    }
    // Earlier sentences: the subject (first fitting mention) of the nearest one.
    let para = sent.paragraph;
    for back in (0..si).rev() {
        let s = seg.sentences[back];
        if si - back > 6 || (para.saturating_sub(s.paragraph) > 1 && class.is_empty()) {
            break;
        }
        if let Some(m) = in_range(s.start, s.end)
            .iter()
            .find(|m| m.end <= s.end && fits(m.company))
        {
            return Some(m.company);
        }
    }
    if !class.is_empty() {
        // A class noun may point further back: the most recent fitting mention.
        return named
            .iter()
            .rev()
            .find(|m| m.end <= pos && fits(m.company))
            .map(|m| m.company);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::CompanyRecord;

    fn refs(text: &str) -> Vec<String> {
        let idx =
            CompanyIndex::new(&[CompanyRecord::new("GLBX".into(), "Globex Corp", None, None)]);
        let seg = Segmented::new(text);
        let named = idx.find(&seg);
        resolve(&seg, &idx, &named, None)
            .iter()
            .map(|r| idx.company(r.mention.company).ticker.to_string())
            .collect()
    }

    #[test]
    fn the_company_of_a_filing_is_the_filer_even_after_another_company() {
        let idx = CompanyIndex::new(&[
            CompanyRecord::new("GLBX".into(), "Globex Corp", None, None),
            CompanyRecord::new("INIT".into(), "Initech Inc", None, None),
        ]);
        let text =
            "Legal Proceedings\n\nInitech Inc. sued the Company in May. We dispute the claims.";
        let seg = Segmented::new(text);
        let named = idx.find(&seg);
        let filer = idx.by_ticker("GLBX");
        let got: Vec<(String, &str)> = resolve(&seg, &idx, &named, filer)
            .iter()
            .map(|r| {
                let m = r.mention;
                (
                    idx.company(m.company).ticker.to_string(),
                    &text[m.start..m.end],
                )
            })
            .collect();
        assert!(
            got.contains(&("GLBX".to_string(), "the Company")),
            "{got:?}"
        );
        assert!(got.contains(&("GLBX".to_string(), "We")), "{got:?}");
        assert!(!got.iter().any(|(t, _)| t == "INIT"), "{got:?}");
    }

    #[test]
    fn the_company_after_a_sentence_about_an_unlisted_name_is_that_name() {
        let r = refs("Initech is one of Globex Corp's suppliers. The company halted work.");
        // "The company" is Initech, which is no listed company: no reference.
        assert_eq!(r, Vec::<String>::new());
        assert_eq!(
            refs("Globex Corp is a maker of parts. The company halted work."),
            vec!["GLBX"]
        );
    }

    #[test]
    fn it_in_capitals_is_not_the_pronoun() {
        assert!(refs("Globex Corp cut jobs. A global IT outage hit banks.").is_empty());
        assert_eq!(
            refs("Globex Corp cut jobs. Its IT staff left."),
            vec!["GLBX"]
        );
    }

    #[test]
    fn it_after_an_unlisted_company_is_not_a_listed_one() {
        assert!(refs("Globex Corp cut jobs. Initech Inc. said it is closing a plant.").is_empty());
        assert!(refs(
            "Globex Corp cut jobs. Initech, a paper company spun off from Globex Corp, said it is closing a plant."
        )
        .len()
            <= 1);
        assert!(refs(
            "Globex Corp cut jobs. Initech, a paper company, said it is closing a plant."
        )
        .is_empty());
        assert_eq!(
            refs("Globex Corp cut jobs. It is closing a plant."),
            vec!["GLBX"]
        );
        assert_eq!(
            refs("Initech Inc. sued Globex Corp, and it is closing a plant."),
            vec!["GLBX"]
        );
    }
}
