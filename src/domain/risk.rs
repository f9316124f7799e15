//! The risk rules: which stories are still open. A story is a thread of steps (a suit
//! filed, then settled; a ban, then lifted); what counts is its first step (what kind
//! of story it is) and its latest step (where it stands). Pure functions, used by the
//! store's risk summary and documented in `docs/api.md`.

use super::action::Action;
use super::kinds::{EventKind, Status};
use super::value::text_enum;

/// The latest step of a thread as the rules read it: its action and where it stands
/// (the thread's status when one is set, else the step's own).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Latest {
    /// `None` for a stored action word that is none of [`Action::ALL`].
    pub action: Option<Action>,
    /// The thread's status when set, else the step's own; `None` when neither is known.
    pub status: Option<Status>,
}

text_enum! {
    /// Where a story (a thread of steps) stands on a day, as the risk summary counts
    /// it: still active, or ended by its latest step.
    ThreadState ("thread state") {
        /// Still running: a suit open, a ban or a halt in force, an inquiry open.
        Active => "active",
        /// A ban, a suspension or an order lifted, reinstated, vacated or overturned.
        Lifted => "lifted",
        /// A halted service back.
        Resumed => "resumed",
        /// A suit settled.
        Settled => "settled",
        /// A suit dismissed or withdrawn, an action dropped.
        Dismissed => "dismissed",
        /// Decided for good, closed without action, or resolved.
        Closed => "closed",
    }
}

/// Where a story of `kind` stands after its latest step: the status (an analyst's
/// correction or the thread's) speaks first, then the step's action.
///
/// A settled regulatory action is an agreed one (a consent order), still in force; a
/// ruling ends a suit unless it reversed the ruling below, which revives the case.
///
/// ```
/// use riskline::domain::{risk, Action, EventKind};
/// let lifted = risk::Latest { action: Some(Action::Lifted), status: None };
/// assert_eq!(risk::thread_state(EventKind::RegulatoryAction, lifted), risk::ThreadState::Lifted);
/// let reversal = risk::Latest { action: Some(Action::Reversed), status: None };
/// assert_eq!(risk::thread_state(EventKind::Lawsuit, reversal), risk::ThreadState::Active);
/// ```
pub fn thread_state(kind: EventKind, latest: Latest) -> ThreadState {
    let lawsuit = kind == EventKind::Lawsuit;
    let by_status = latest.status.and_then(|status| match status {
        Status::Lifted => Some(ThreadState::Lifted),
        Status::Resumed => Some(ThreadState::Resumed),
        Status::Dismissed | Status::Withdrawn => Some(ThreadState::Dismissed),
        Status::Closed | Status::Resolved => Some(ThreadState::Closed),
        Status::Settled if lawsuit => Some(ThreadState::Settled),
        Status::Ruled if lawsuit && latest.action != Some(Action::Reversed) => {
            Some(ThreadState::Closed)
        }
        _ => None,
    });
    if let Some(state) = by_status {
        return state;
    }
    match latest.action {
        Some(Action::Lifted) => ThreadState::Lifted,
        Some(Action::Resumption) if kind == EventKind::ServiceHalt => ThreadState::Resumed,
        Some(Action::Resumption) => ThreadState::Lifted,
        Some(Action::Reversed) if !lawsuit => ThreadState::Lifted,
        Some(Action::Closed) => ThreadState::Closed,
        Some(Action::Settled) if lawsuit => ThreadState::Settled,
        Some(Action::Dismissed | Action::Withdrawn) if lawsuit => ThreadState::Dismissed,
        Some(Action::Ruled) if lawsuit => ThreadState::Closed,
        _ => ThreadState::Active,
    }
}

/// A lawsuit is open until its latest step settles, dismisses, decides or withdraws it;
/// a reversal on appeal opens it again.
///
/// ```
/// use riskline::domain::{risk, Action, Status};
/// assert!(risk::lawsuit_open(risk::Latest { action: Some(Action::Filed), status: Some(Status::Filed) }));
/// assert!(!risk::lawsuit_open(risk::Latest { action: Some(Action::Settled), status: None }));
/// ```
pub fn lawsuit_open(latest: Latest) -> bool {
    thread_state(EventKind::Lawsuit, latest) == ThreadState::Active
}

/// Whether a regulatory story that began with `first` is a ban (a ban, a suspension
/// or a revocation of a permit or licence).
pub fn is_ban(first: Option<Action>) -> bool {
    matches!(
        first,
        Some(Action::Ban | Action::Suspension | Action::Revocation)
    )
}

/// Whether the latest step of a ban or a halt leaves it in force (not lifted,
/// resumed, closed ...).
pub fn still_in_force(latest: Latest) -> bool {
    thread_state(EventKind::RegulatoryAction, latest) == ThreadState::Active
}

/// A ban is active while no later step ended it.
pub fn ban_active(first: Option<Action>, latest: Latest) -> bool {
    is_ban(first) && still_in_force(latest)
}

/// A halt is active while no later step ended it.
pub fn halt_active(latest: Latest) -> bool {
    thread_state(EventKind::ServiceHalt, latest) == ThreadState::Active
}

/// Whether an event's amount is damages sought (a suit filed).
pub fn is_damages_sought(kind: EventKind, action: Option<Action>) -> bool {
    kind == EventKind::Lawsuit && action == Some(Action::Filed)
}

/// Whether an event's amount is a fine imposed.
pub fn is_fine(kind: EventKind, action: Option<Action>) -> bool {
    kind == EventKind::RegulatoryAction && action == Some(Action::Fine)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn latest(action: Action, status: Option<Status>) -> Latest {
        Latest {
            action: Some(action),
            status,
        }
    }

    #[test]
    fn a_suit_closes_by_its_latest_action_or_status() {
        assert!(lawsuit_open(latest(
            Action::Appealed,
            Some(Status::Appealed)
        )));
        assert!(!lawsuit_open(latest(
            Action::Filed,
            Some(Status::Dismissed)
        )));
        assert!(!lawsuit_open(latest(Action::Ruled, None)));
        assert!(lawsuit_open(Latest {
            action: None,
            status: None
        }));
    }

    #[test]
    fn a_ban_stays_active_until_lifted_and_a_fine_is_no_ban() {
        let ban = Some(Action::Ban);
        assert!(ban_active(
            ban,
            latest(Action::Ban, Some(Status::Announced))
        ));
        assert!(!ban_active(ban, latest(Action::Lifted, None)));
        assert!(!ban_active(ban, latest(Action::Ban, Some(Status::Lifted))));
        assert!(!ban_active(Some(Action::Fine), latest(Action::Fine, None)));
        assert!(ban_active(
            Some(Action::Revocation),
            latest(Action::Revocation, None)
        ));
    }

    #[test]
    fn a_halt_ends_when_service_resumes() {
        assert!(halt_active(latest(Action::Outage, None)));
        assert!(!halt_active(latest(Action::Resumption, None)));
        assert!(!halt_active(latest(Action::Halt, Some(Status::Resumed))));
    }

    #[test]
    fn a_reversal_on_appeal_reopens_a_dismissed_suit_and_an_affirmance_does_not() {
        assert!(!lawsuit_open(latest(Action::Dismissed, None)));
        assert!(lawsuit_open(latest(Action::Appealed, None)));
        assert!(lawsuit_open(latest(Action::Reversed, Some(Status::Ruled))));
        assert!(!lawsuit_open(latest(Action::Ruled, Some(Status::Ruled))));
        assert!(!lawsuit_open(latest(
            Action::Reversed,
            Some(Status::Settled)
        )));
    }

    #[test]
    fn an_agreed_ban_stays_in_force_and_a_closed_inquiry_is_closed() {
        let ban = Some(Action::Ban);
        assert!(ban_active(ban, latest(Action::Ban, Some(Status::Settled))));
        assert!(!ban_active(ban, latest(Action::Reversed, None)));
        assert_eq!(
            thread_state(
                EventKind::RegulatoryAction,
                latest(Action::Closed, Some(Status::Announced))
            ),
            ThreadState::Closed
        );
        assert_eq!(
            thread_state(EventKind::ServiceHalt, latest(Action::Resumption, None)),
            ThreadState::Resumed
        );
        assert_eq!(ThreadState::Resumed.as_str(), "resumed");
    }

    #[test]
    fn amounts_count_as_damages_or_fines_by_kind_and_action() {
        assert!(is_damages_sought(EventKind::Lawsuit, Some(Action::Filed)));
        assert!(!is_damages_sought(
            EventKind::Lawsuit,
            Some(Action::Settled)
        ));
        assert!(is_fine(EventKind::RegulatoryAction, Some(Action::Fine)));
        assert!(!is_fine(EventKind::Lawsuit, Some(Action::Fine)));
    }
}
