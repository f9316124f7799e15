//! What the mention stages found in one document, read by the later stages: the
//! segmented text, company mentions (named and referring), authorities, amounts, dates,
//! and what the document is (a filing, its risk sections).

use chrono::NaiveDate;

use super::authorities::Authority;
use super::companies::{CompanyIndex, Mention};
use super::dates::{Precision, ResolvedDate};
use super::money::Amount;
use super::text::Segmented;

/// Everything the earlier stages found in one document.
pub struct DocView<'a, 'b> {
    /// The normalised text, split into tokens and sentences.
    pub seg: &'b Segmented<'a>,
    /// The company registry's index, for names and tickers.
    pub index: &'b CompanyIndex,
    /// Named mentions and resolved references (references flagged weak or not), in order.
    pub mentions: &'b [(Mention, bool)],
    /// Courts and agencies named in the text, in order.
    pub authorities: &'b [Authority],
    /// Money amounts found in the text, in order.
    pub amounts: &'b [Amount],
    /// Dates found in the text, resolved against the publication date, in order.
    pub dates: &'b [ResolvedDate],
    /// The document's publication date, when its source gives one.
    pub published: Option<NaiveDate>,
    /// How much of `published` the document's source states.
    pub published_precision: Precision,
    /// Byte ranges where no events are read (risk factors).
    pub skip: &'b [(usize, usize)],
    /// The text reads like a filing (dates are needed; no default to publication).
    pub filing: bool,
    /// The first mention of the company named most often (fallback for acts of courts
    /// and agencies that name no company).
    pub dominant: Option<Mention>,
}

/// The longest company mention looked back for when asking what covers a word.
const MAX_MENTION_BYTES: usize = 512;

impl DocView<'_, '_> {
    /// Whether `pos` lies where no events are read (risk factors).
    pub fn in_skip(&self, pos: usize) -> bool {
        self.skip.iter().any(|&(a, b)| a <= pos && pos < b)
    }

    /// Mentions (named and strong references first) whose start is within [a, b).
    pub fn mentions_in(&self, a: usize, b: usize, weak_ok: bool) -> Vec<Mention> {
        let lo = self.mentions.partition_point(|(m, _)| m.start < a);
        let hi = self.mentions.partition_point(|(m, _)| m.start < b);
        self.mentions[lo..hi]
            .iter()
            .filter(|(m, weak)| m.end <= b && (weak_ok || !weak))
            .map(|(m, _)| *m)
            .collect()
    }

    /// Whether a mention covers the bytes `start..end`. Mentions are sorted by start
    /// and are names, so only those starting shortly before can cover it: a binary
    /// search, not a scan of the document's mentions.
    pub fn covered(&self, start: usize, end: usize) -> bool {
        let hi = self.mentions.partition_point(|(m, _)| m.start <= start);
        self.mentions[..hi]
            .iter()
            .rev()
            .take_while(|(m, _)| m.start + MAX_MENTION_BYTES >= start)
            .any(|(m, _)| m.start <= start && end <= m.end)
    }

    /// Whether `m` is among the mentions as a weak reference.
    pub fn is_weak(&self, m: &Mention) -> bool {
        let lo = self.mentions.partition_point(|(x, _)| x.start < m.start);
        self.mentions[lo..]
            .iter()
            .take_while(|(x, _)| x.start == m.start)
            .any(|(x, w)| x == m && *w)
    }
}
