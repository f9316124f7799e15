//! Stage 6: the arguments of a trigger that reports a fact, each read by its own finder:
//!
//! - [`roles`]: the companies and their roles (plaintiff, defendant, regulated,
//!   operator) from local patterns, the nearest company, or earlier sentences.
//! - [`parties`]: plaintiffs that are not listed companies ("filed by Epic Games").
//! - [`authority`]: the court or agency that acts, and its jurisdiction.
//! - [`kind`]: the kind of event (from the word or from its authority), its action and
//!   its status.
//! - [`amount`]: the event's amount, with what is not one (share prices, deal values).
//! - [`date`]: the event's date among the sentence's dates.
//!
//! Every finder reads a [`Ctx`]: one trigger in its sentence and clause.

pub mod amount;
pub mod authority;
pub mod date;
pub mod kind;
pub mod parties;
pub mod roles;

use super::text::{Segmented, Sentence};
use super::triggers::Trigger;
use super::view::DocView;

/// One trigger in its sentence: what the argument finders read.
#[derive(Clone, Copy)]
pub struct Ctx<'c> {
    /// What the earlier stages found in the document.
    pub view: &'c DocView<'c, 'c>,
    /// The segmented text (the same as `view.seg`).
    pub seg: &'c Segmented<'c>,
    /// The index of the sentence, and the sentence.
    pub si: usize,
    /// The sentence (a copy of `seg.sentences[si]`).
    pub sent: Sentence,
    /// The trigger whose arguments are read.
    pub trig: &'c Trigger,
    /// Every trigger of the sentence (the trigger among them).
    pub all: &'c [Trigger],
    /// The token range of the trigger's clause (between ";" or dashes).
    pub clause: (usize, usize),
    /// The byte offset where the trigger starts.
    pub trig_pos: usize,
}

impl<'c> Ctx<'c> {
    /// The trigger `trig` of sentence `si`, among the sentence's triggers `all`.
    pub fn new(
        view: &'c DocView<'c, 'c>,
        si: usize,
        trig: &'c Trigger,
        all: &'c [Trigger],
    ) -> Ctx<'c> {
        let seg = view.seg;
        let sent = seg.sentences[si];
        Ctx {
            view,
            seg,
            si,
            sent,
            trig,
            all,
            clause: clause_bounds(seg, sent.tok_start, sent.tok_end, trig.tok),
            trig_pos: seg.tokens[trig.tok].start,
        }
    }
}

/// The tokens around `t` up to a ";" or a dash, within the sentence's tokens.
pub fn clause_bounds(
    seg: &Segmented<'_>,
    s_start: usize,
    s_end: usize,
    t: usize,
) -> (usize, usize) {
    let is_break = |j: usize| matches!(seg.tok(j), ";" | "—" | "–");
    let mut a = t;
    while a > s_start && !is_break(a - 1) {
        a -= 1;
    }
    let mut b = t;
    while b < s_end && !is_break(b) {
        b += 1;
    }
    // "a motion by the companies — BP, Shell and Exxon — to dismiss": names between
    // dashes after a plural noun say who that noun is, in the same clause.
    while b < s_end && b > t && opens_apposition(seg, b) {
        let close = (b + 1..s_end).find(|&j| is_break(j)).unwrap_or(s_end);
        b = close;
        if b < s_end && seg.tok(b) != ";" {
            b += 1;
            while b < s_end && !is_break(b) {
                b += 1;
            }
        }
    }
    (a, b)
}

/// A dash after a plural common noun and before a capitalised word ("the companies —
/// BP ..."): an apposition listing who the noun is.
fn opens_apposition(seg: &Segmented<'_>, dash: usize) -> bool {
    if !matches!(seg.tok(dash), "—" | "–") || dash == 0 || dash + 1 >= seg.tokens.len() {
        return false;
    }
    let noun = seg.tok(dash - 1);
    let plural = noun.len() > 3
        && noun.ends_with('s')
        && !noun.ends_with("ss")
        && noun.chars().all(|c| c.is_ascii_lowercase());
    plural && seg.tok(dash + 1).starts_with(|c: char| c.is_uppercase())
}

#[cfg(test)]
pub(crate) mod testing {
    //! A one-document harness for the finders' unit tests: a small registry, the
    //! mention stages run as the extractor runs them.

    use super::super::authorities::{find_authorities, Authority};
    use super::super::companies::{CompanyIndex, Mention};
    use super::super::dates::{find_dates, resolve_all_at, Published, ResolvedDate};
    use super::super::money::{find_amounts, Amount};
    use super::super::text::Segmented;
    use super::super::triggers::{find_triggers, Trigger};
    use super::super::view::DocView;
    use super::Ctx;
    use crate::registry::CompanyRecord;

    /// The companies the tests name.
    pub fn index() -> CompanyIndex {
        // Their short names are declared, as a curated registry does: "Acme" is also an
        // English word, which a name derived by rule alone would need evidence for.
        let rec = |t: &str, n: &str, short: &str| {
            let mut r = CompanyRecord::new(t.into(), n, None, None);
            r.declare_alias(short, crate::registry::AliasKind::ShortName);
            r
        };
        CompanyIndex::new(&[
            rec("ACME", "Acme Corp", "Acme"),
            rec("GLOBX", "Globex Inc", "Globex"),
            rec("INIT", "Initech Inc", "Initech"),
        ])
    }

    /// The events the whole extractor finds in a text, over a registry of Acme Corp and
    /// Globex Inc only (Initech stays an unlisted name).
    pub fn extract_all(text: &str) -> Vec<crate::extract::Event> {
        let rec = |t: &str, n: &str| CompanyRecord::new(t.into(), n, None, None);
        let ex =
            crate::extract::Extractor::new(&[rec("ACME", "Acme Corp"), rec("GLOBX", "Globex Inc")]);
        ex.extract(text, crate::extract::Format::Text, None).events
    }

    /// Everything found in one text.
    pub struct Doc<'a> {
        pub seg: Segmented<'a>,
        pub mentions: Vec<(Mention, bool)>,
        pub authorities: Vec<Authority>,
        pub amounts: Vec<Amount>,
        pub dates: Vec<ResolvedDate>,
        pub triggers: Vec<Trigger>,
    }

    impl<'a> Doc<'a> {
        /// Runs the mention stages on `text`, published on 2024-03-15; triggers of the
        /// first sentence.
        pub fn new(text: &'a str, index: &CompanyIndex) -> Doc<'a> {
            let seg = Segmented::new(text);
            let mentions = index.find(&seg).into_iter().map(|m| (m, false)).collect();
            let published = chrono::NaiveDate::from_ymd_opt(2024, 3, 15).map(Published::day);
            let exprs = find_dates(text);
            let s = seg.sentences[0];
            let triggers = find_triggers(&seg, s.tok_start, s.tok_end);
            Doc {
                mentions,
                authorities: find_authorities(text),
                amounts: find_amounts(text),
                dates: resolve_all_at(text, &exprs, published),
                triggers,
                seg,
            }
        }

        /// The view of the document.
        pub fn view<'d>(&'d self, index: &'d CompanyIndex) -> DocView<'a, 'd> {
            DocView {
                seg: &self.seg,
                index,
                mentions: &self.mentions,
                authorities: &self.authorities,
                amounts: &self.amounts,
                dates: &self.dates,
                published: chrono::NaiveDate::from_ymd_opt(2024, 3, 15),
                published_precision: super::super::dates::Precision::Day,
                skip: &[],
                filing: false,
                dominant: None,
            }
        }
    }

    /// The context of the first trigger of the first sentence whose lemma is `lemma`.
    pub fn ctx<'c>(view: &'c DocView<'c, 'c>, doc: &'c Doc<'_>, lemma: &str) -> Ctx<'c> {
        let trig = doc
            .triggers
            .iter()
            .find(|t| t.lemma == lemma)
            .unwrap_or_else(|| panic!("no trigger {lemma}"));
        Ctx::new(view, 0, trig, &doc.triggers)
    }
}
