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
        Announced => "announced",
        Filed => "filed",
        Pending => "pending",
        Ongoing => "ongoing",
        Ruled => "ruled",
        Settled => "settled",
        Dismissed => "dismissed",
        Appealed => "appealed",
        Withdrawn => "withdrawn",
        Resolved => "resolved",
        Lifted => "lifted",
        Resumed => "resumed",
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
        Year => "year",
        Month => "month",
        Day => "day",
    }
}

text_enum! {
    /// How a name of a company is written: the kind of an alias.
    AliasKind ("alias kind") {
        LegalName => "legal_name",
        ShortName => "short_name",
        Brand => "brand",
        Subsidiary => "subsidiary",
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
