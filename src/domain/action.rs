//! One taxonomy of actions: every step an event can stand for, its family, its stage in
//! the life of a case, an action or an outage, and the rules that say when two actions
//! are the same act. The extractor emits [`Action`]s, ingest matches on them, the store
//! keeps their text and the risk summary ([`super::risk`]) reads their stages.

use super::kinds::{EventKind, Status};
use super::value::{text_enum, UnknownValue};

text_enum! {
    /// What happened, as one word. Some words serve several kinds ("suspension" is a
    /// regulator's act on a permit or a company's pause of its own service).
    Action ("action") {
        // Lawsuits.
        /// A suit or complaint filed.
        Filed => "filed",
        /// A ruling appealed.
        Appealed => "appealed",
        /// A court ruled: verdict, judgment, injunction, order.
        Ruled => "ruled",
        /// A higher court reversed, vacated or overturned the ruling below (an appeal
        /// decided for the appellant): the case goes on.
        Reversed => "reversed",
        /// A suit dismissed by the court.
        Dismissed => "dismissed",
        /// A suit, or an enforcement action, settled.
        Settled => "settled",
        /// A suit dropped by its plaintiff.
        Withdrawn => "withdrawn",
        // Regulatory actions.
        /// A product, activity or company banned.
        Ban => "ban",
        /// A permit, licence or activity suspended (or a service paused by its operator).
        Suspension => "suspension",
        /// A permit or licence revoked.
        Revocation => "revocation",
        /// A money penalty.
        Fine => "fine",
        /// An agency's order, such as a cease-and-desist order.
        Order => "order",
        /// An order the company agreed to.
        ConsentOrder => "consent order",
        /// A product recall.
        Recall => "recall",
        /// An investigation opened.
        Investigation => "investigation",
        /// An agency's complaint or charges.
        Complaint => "complaint",
        // Service halts.
        /// A company halts a product, service or operation.
        Halt => "halt",
        /// A service, site or operation shut down.
        Shutdown => "shutdown",
        /// A service unavailable by failure.
        Outage => "outage",
        /// A company leaves a market or a line of business.
        Exit => "exit",
        // Ends of a story.
        /// A ban or suspension lifted, a licence reinstated, an order vacated.
        Lifted => "lifted",
        /// A halted service back.
        Resumption => "resumption",
        /// An investigation closed.
        Closed => "closed",
    }
}

/// Which acts count as one when two reports word them differently ("fined" and
/// "penalty" are one fine; a fine and a recall are two acts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionFamily {
    /// Steps of a court case.
    Litigation,
    /// Bans and prohibitions.
    Ban,
    /// Suspensions and revocations of a permit or licence.
    Suspension,
    /// Money penalties.
    Fine,
    /// Orders, consent orders, cease-and-desist orders.
    Order,
    /// Product recalls.
    Recall,
    /// Investigations opened.
    Investigation,
    /// An agency's complaint or charges.
    Complaint,
    /// A company's own halt, shutdown, outage or exit.
    Halt,
    /// The end of a ban, a halt or an investigation.
    Ending,
}

/// Where an event stands in the life of a case, an action or an outage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// A lawsuit filed.
    Opened,
    /// A regulator acts: ban, suspension, fine, order, recall, investigation.
    Imposed,
    /// A company halts a service.
    Halted,
    /// A court rules (verdict, judgment, injunction).
    Ruled,
    /// A ruling is appealed.
    Appealed,
    /// A ruling reversed on appeal: the case is alive again.
    Reversed,
    /// A case or an action settled.
    Settled,
    /// A suit dismissed.
    Dismissed,
    /// A suit withdrawn by its plaintiff.
    Withdrawn,
    /// A ban or suspension lifted, a permit restored.
    Lifted,
    /// An investigation closed.
    Closed,
    /// A halted service resumed.
    Resumed,
}

impl Action {
    /// Reads an action as people write it: the words of [`Action::ALL`], `_` for a space
    /// ("consent_order"), and the common other forms of each ("penalty", "settlement",
    /// "verdict", "lift", "resumed", ...).
    ///
    /// ```
    /// use riskline::domain::Action;
    /// assert_eq!(Action::read("Penalty"), Ok(Action::Fine));
    /// assert_eq!(Action::read("consent_order"), Ok(Action::ConsentOrder));
    /// assert!(Action::read("frobnicate").is_err());
    /// ```
    pub fn read(word: &str) -> Result<Action, UnknownValue> {
        let lower = word.trim().to_ascii_lowercase().replace('_', " ");
        if let Ok(action) = lower.parse::<Action>() {
            return Ok(action);
        }
        let action = match lower.as_str() {
            "sued" | "lawsuit" | "suit" | "class action" => Action::Filed,
            "appeal" => Action::Appealed,
            "reversal" | "remanded" => Action::Reversed,
            "verdict" | "judgment" | "judgement" | "ruling" | "injunction" => Action::Ruled,
            "dismissal" => Action::Dismissed,
            "settlement" => Action::Settled,
            "dropped" => Action::Withdrawn,
            "prohibition" | "bar" | "barred" | "banned" => Action::Ban,
            "suspended" | "pause" | "paused" => Action::Suspension,
            "revoked" => Action::Revocation,
            "penalty" | "fined" | "sanction" | "disgorgement" => Action::Fine,
            "consent decree" | "cease and desist" | "cease-and-desist" => Action::ConsentOrder,
            "recalled" => Action::Recall,
            "probe" | "inquiry" | "subpoena" | "examination" => Action::Investigation,
            "charges" | "charged" | "enforcement action" => Action::Complaint,
            "halted" | "grounding" | "stoppage" => Action::Halt,
            "closure" => Action::Shutdown,
            "lift" | "reinstatement" | "reinstated" | "vacated" | "overturned" | "rescinded" => {
                Action::Lifted
            }
            "resumed" | "restored" | "reopened" | "restart" => Action::Resumption,
            "ended" | "concluded" => Action::Closed,
            _ => return lower.parse::<Action>(),
        };
        Ok(action)
    }

    /// Reads an action stored before actions were checked: a word [`Action::read`]
    /// does not know stands for the opening act of its kind (a suit filed, an order,
    /// a halt), so that old rows still match and thread.
    pub fn read_stored(kind: EventKind, word: &str) -> Action {
        Action::read(word).unwrap_or(match kind {
            EventKind::Lawsuit => Action::Filed,
            EventKind::RegulatoryAction => Action::Order,
            EventKind::ServiceHalt => Action::Halt,
        })
    }

    /// The family of this action for an event of `kind`.
    pub fn family(self, kind: EventKind) -> ActionFamily {
        use Action::*;
        match (kind, self) {
            (_, Lifted | Resumption | Closed) => ActionFamily::Ending,
            (EventKind::Lawsuit, _) => ActionFamily::Litigation,
            (EventKind::ServiceHalt, _) => ActionFamily::Halt,
            (EventKind::RegulatoryAction, action) => match action {
                Ban => ActionFamily::Ban,
                Suspension | Revocation | Halt | Shutdown | Outage | Exit => {
                    ActionFamily::Suspension
                }
                Fine => ActionFamily::Fine,
                Order | ConsentOrder | Ruled => ActionFamily::Order,
                Recall => ActionFamily::Recall,
                Investigation => ActionFamily::Investigation,
                Complaint | Filed | Appealed | Dismissed | Settled | Withdrawn => {
                    ActionFamily::Complaint
                }
                // An agency's order overturned ends it.
                Lifted | Resumption | Closed | Reversed => ActionFamily::Ending,
            },
        }
    }

    /// Whether two actions of one regulator's text may be one act: the same family, or
    /// both money and orders. One order of one agency can also fine, bar and order at
    /// once ("fined the bank and barred it from ..."), so with `same_authority` any two
    /// sanctions (neither an investigation nor a recall) are one act.
    ///
    /// Across documents the stricter [`Action::family`] applies: a fine and an order
    /// reported on different days are two acts unless the reports say more.
    pub fn same_act_in_one_text(self, other: Action, same_authority: bool) -> bool {
        // A ban and its lifting, a halt and its resumption, are two steps of one story.
        if self.is_ending() != other.is_ending() {
            return false;
        }
        let group = |a: Action| match a {
            Action::Fine | Action::Order | Action::ConsentOrder => 0,
            Action::Investigation => 1,
            Action::Recall => 2,
            _ => 3,
        };
        let sanction = |a: Action| !matches!(a, Action::Investigation | Action::Recall);
        group(self) == group(other) || same_authority && sanction(self) && sanction(other)
    }

    /// Whether this action ends what an earlier step began: a ban or a suspension
    /// lifted, a halted service resumed, an investigation closed. Such a step is never
    /// the opening of a story of its own.
    ///
    /// ```
    /// use riskline::domain::Action;
    /// assert!(Action::Resumption.is_ending());
    /// assert!(!Action::Halt.is_ending());
    /// ```
    pub fn is_ending(self) -> bool {
        matches!(self, Action::Lifted | Action::Resumption | Action::Closed)
    }

    /// The stage an event of `kind` with this action stands for, if the action is a
    /// later step than the opening one.
    fn later_stage(self, kind: EventKind) -> Option<Stage> {
        use Action::*;
        match kind {
            EventKind::Lawsuit => match self {
                Settled => Some(Stage::Settled),
                Dismissed => Some(Stage::Dismissed),
                Withdrawn => Some(Stage::Withdrawn),
                Appealed => Some(Stage::Appealed),
                Ruled => Some(Stage::Ruled),
                Reversed => Some(Stage::Reversed),
                _ => None,
            },
            EventKind::RegulatoryAction => match self {
                Settled => Some(Stage::Settled),
                Lifted | Reversed => Some(Stage::Lifted),
                Closed => Some(Stage::Closed),
                _ => None,
            },
            EventKind::ServiceHalt => matches!(self, Resumption | Lifted).then_some(Stage::Resumed),
        }
    }
}

impl Status {
    /// The stage an event of `kind` in this status stands for, if later than opening.
    fn later_stage(self, kind: EventKind) -> Option<Stage> {
        match (kind, self) {
            (EventKind::Lawsuit, Status::Settled) => Some(Stage::Settled),
            (EventKind::Lawsuit, Status::Dismissed) => Some(Stage::Dismissed),
            (EventKind::Lawsuit, Status::Withdrawn) => Some(Stage::Withdrawn),
            (EventKind::Lawsuit, Status::Appealed) => Some(Stage::Appealed),
            (EventKind::Lawsuit, Status::Ruled) => Some(Stage::Ruled),
            (EventKind::RegulatoryAction, Status::Settled) => Some(Stage::Settled),
            (EventKind::RegulatoryAction, Status::Lifted) => Some(Stage::Lifted),
            (EventKind::RegulatoryAction, Status::Closed) => Some(Stage::Closed),
            (EventKind::ServiceHalt, Status::Resumed) => Some(Stage::Resumed),
            _ => None,
        }
    }
}

impl Stage {
    /// The step an event stands for: from its action, else from its status, else the
    /// opening step of its kind.
    ///
    /// ```
    /// use riskline::domain::{Action, EventKind, Stage, Status};
    /// assert_eq!(Stage::of(EventKind::Lawsuit, Action::Filed, Some(Status::Filed)), Stage::Opened);
    /// assert_eq!(Stage::of(EventKind::Lawsuit, Action::Filed, Some(Status::Dismissed)), Stage::Dismissed);
    /// assert_eq!(Stage::of(EventKind::ServiceHalt, Action::Resumption, None), Stage::Resumed);
    /// ```
    pub fn of(kind: EventKind, action: Action, status: Option<Status>) -> Stage {
        action
            .later_stage(kind)
            .or_else(|| status.and_then(|s| s.later_stage(kind)))
            .unwrap_or(match kind {
                EventKind::Lawsuit => Stage::Opened,
                EventKind::RegulatoryAction => Stage::Imposed,
                EventKind::ServiceHalt => Stage::Halted,
            })
    }

    /// Whether this step starts a thread.
    pub fn is_opening(self) -> bool {
        matches!(self, Stage::Opened | Stage::Imposed | Stage::Halted)
    }

    /// Whether this step ends a thread (nothing continues from it). A ruling does
    /// not: it may be appealed.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Stage::Settled
                | Stage::Dismissed
                | Stage::Withdrawn
                | Stage::Lifted
                | Stage::Closed
                | Stage::Resumed
        )
    }

    /// The order of steps on the same day: openings, then rulings, appeals, their
    /// decisions, ends.
    pub fn order(self) -> u8 {
        match self {
            Stage::Opened | Stage::Imposed | Stage::Halted => 0,
            Stage::Ruled => 1,
            Stage::Appealed => 2,
            Stage::Reversed => 3,
            _ => 4,
        }
    }

    /// The status this step gives an event whose extraction named none.
    pub fn status(self, kind: EventKind) -> Status {
        match self {
            Stage::Opened => Status::Filed,
            Stage::Imposed | Stage::Halted => match kind {
                EventKind::Lawsuit => Status::Filed,
                _ => Status::Announced,
            },
            Stage::Ruled => Status::Ruled,
            Stage::Appealed => Status::Appealed,
            // A reversal is a ruling; its action says it revived the case.
            Stage::Reversed => Status::Ruled,
            Stage::Settled => Status::Settled,
            Stage::Dismissed => Status::Dismissed,
            Stage::Withdrawn => Status::Withdrawn,
            Stage::Lifted => Status::Lifted,
            Stage::Closed => Status::Closed,
            Stage::Resumed => Status::Resumed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_reads_back_from_its_word() {
        for action in Action::ALL {
            assert_eq!(Action::read(action.as_str()), Ok(*action));
        }
        let err = Action::read("levitate").unwrap_err();
        assert!(err
            .to_string()
            .contains("\"levitate\" is not a valid action"));
    }

    #[test]
    fn a_fine_and_an_order_are_one_act_in_one_text_but_two_families() {
        let reg = EventKind::RegulatoryAction;
        assert_ne!(Action::Fine.family(reg), Action::Order.family(reg));
        assert!(Action::Fine.same_act_in_one_text(Action::Order, false));
        assert!(!Action::Fine.same_act_in_one_text(Action::Ban, false));
        assert!(Action::Fine.same_act_in_one_text(Action::Ban, true));
        assert!(!Action::Fine.same_act_in_one_text(Action::Recall, true));
        assert_eq!(
            Action::read("penalty").unwrap().family(reg),
            ActionFamily::Fine
        );
        assert_eq!(Action::Revocation.family(reg), ActionFamily::Suspension);
    }

    #[test]
    fn later_steps_come_from_the_action_before_the_status() {
        use EventKind::*;
        assert_eq!(
            Stage::of(Lawsuit, Action::Settled, Some(Status::Filed)),
            Stage::Settled
        );
        assert_eq!(
            Stage::of(RegulatoryAction, Action::Fine, Some(Status::Settled)),
            Stage::Settled
        );
        assert_eq!(
            Stage::of(RegulatoryAction, Action::Ban, Some(Status::Announced)),
            Stage::Imposed
        );
        assert_eq!(
            Stage::of(RegulatoryAction, Action::Lifted, None),
            Stage::Lifted
        );
        assert_eq!(
            Stage::of(ServiceHalt, Action::Suspension, None),
            Stage::Halted
        );
        assert!(Stage::Resumed.is_terminal() && !Stage::Ruled.is_terminal());
        assert_eq!(Stage::Imposed.status(RegulatoryAction), Status::Announced);
    }
}
