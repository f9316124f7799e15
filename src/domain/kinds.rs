//! The closed vocabularies of an event: its kind, where it stands, who takes part and
//! how, how precisely its date is known, and how a company's name is written.

use super::value::text_enum;

text_enum! {
    /// The kind of an event.
    EventKind ("event kind") {
        /// A case in a court: filed, settled, dismissed, ruled on, appealed.
        Lawsuit => "lawsuit",
        /// An agency's own administrative act: ban, permit suspension, fine, consent
        /// order, recall, investigation.
        RegulatoryAction => "regulatory_action",
        /// A company halts one of its own products, services or operations.
        ServiceHalt => "service_halt",
    }
}

text_enum! {
    /// Where an event (or the thread of its steps) stands.
    Status ("event status") {
        /// Made public: the status of a regulator's act or a halt as first reported.
        Announced => "announced",
        /// A suit or complaint filed, not yet decided.
        Filed => "filed",
        /// Waiting on a decision (set by analysts; the extractor does not emit it).
        Pending => "pending",
        /// Under way (set by analysts; the extractor does not emit it).
        Ongoing => "ongoing",
        /// A court ruled: verdict, judgment, injunction.
        Ruled => "ruled",
        /// Settled by agreement.
        Settled => "settled",
        /// Dismissed by the court.
        Dismissed => "dismissed",
        /// A ruling appealed.
        Appealed => "appealed",
        /// Dropped by whoever brought it.
        Withdrawn => "withdrawn",
        /// Over, without a more precise word (set by analysts; ends a story in the risk rules).
        Resolved => "resolved",
        /// A ban or suspension lifted.
        Lifted => "lifted",
        /// A halted service back.
        Resumed => "resumed",
        /// An investigation closed.
        Closed => "closed",
    }
}

text_enum! {
    /// The part a company or another party plays in an event.
    Role ("company role") {
        /// Sued, or charged in court.
        Defendant => "defendant",
        /// Suing.
        Plaintiff => "plaintiff",
        /// The object of a regulator's act.
        Regulated => "regulated",
        /// The company halting its own service.
        Operator => "operator",
        /// Hurt by the event without being its object (customers of a halted vendor).
        Affected => "affected",
        /// Named, in no stated role (entered by an analyst).
        Party => "party",
    }
}

text_enum! {
    /// How much of a date is known; ordered coarse to fine (a year is less than a day).
    DatePrecision ("date precision") {
        /// Only the year is known; the date is January 1 of it.
        Year => "year",
        /// The year and month are known; the date is the first of the month.
        Month => "month",
        /// The exact day is known.
        Day => "day",
    }
}

text_enum! {
    /// How a name of a company is written: the kind of an alias.
    AliasKind ("alias kind") {
        /// The registered name, e.g. "General Motors Company".
        LegalName => "legal_name",
        /// The name in everyday use, e.g. "General Motors".
        ShortName => "short_name",
        /// A brand or product name that designates the company.
        Brand => "brand",
        /// The name of a subsidiary that is not listed on its own.
        Subsidiary => "subsidiary",
        /// A name the company had before.
        FormerName => "former_name",
        /// A ticker the company traded under before; found by ticker look-ups.
        FormerTicker => "former_ticker",
    }
}

impl EventKind {
    /// The role of the company an event of this kind is about when nothing else is
    /// said: the defendant of a suit, the regulated company, the halting operator.
    pub fn subject_role(self) -> Role {
        match self {
            EventKind::Lawsuit => Role::Defendant,
            EventKind::RegulatoryAction => Role::Regulated,
            EventKind::ServiceHalt => Role::Operator,
        }
    }
}

impl AliasKind {
    /// Reads the stored names and the short prefixes of the registry's CSV format
    /// (`legal`, `short`, `sub`, `former`), in any case.
    pub fn parse(s: &str) -> Option<AliasKind> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "legal" | "legal_name" => AliasKind::LegalName,
            "short" | "short_name" => AliasKind::ShortName,
            "brand" => AliasKind::Brand,
            "subsidiary" | "sub" => AliasKind::Subsidiary,
            "former" | "former_name" => AliasKind::FormerName,
            "former_ticker" => AliasKind::FormerTicker,
            _ => return None,
        })
    }
}

impl DatePrecision {
    /// The date written to this precision: `2026-01-23`, `2026-01` or `2026`.
    pub fn format(self, date: chrono::NaiveDate) -> String {
        match self {
            DatePrecision::Day => date.format("%Y-%m-%d").to_string(),
            DatePrecision::Month => date.format("%Y-%m").to_string(),
            DatePrecision::Year => date.format("%Y").to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_back_from_their_text_and_others_are_named() {
        for kind in EventKind::ALL {
            assert_eq!(kind.as_str().parse::<EventKind>().unwrap(), *kind);
        }
        let err = "lawsuits".parse::<EventKind>().unwrap_err();
        assert_eq!(err.what, "event kind");
        assert!(err
            .to_string()
            .contains("lawsuit, regulatory_action, service_halt"));
        assert_eq!(
            serde_json::to_string(&Role::Regulated).unwrap(),
            "\"regulated\""
        );
    }

    #[test]
    fn a_date_is_written_no_more_precisely_than_known() {
        let d = chrono::NaiveDate::from_ymd_opt(2021, 10, 7).unwrap();
        assert_eq!(DatePrecision::Day.format(d), "2021-10-07");
        assert_eq!(DatePrecision::Month.format(d), "2021-10");
        assert_eq!(DatePrecision::Year.format(d), "2021");
    }
}
