//! The risk rules: which stories are still open. A story is a thread of steps (a suit
//! filed, then settled; a ban, then lifted); what counts is its first step (what kind
//! of story it is) and its latest step (where it stands). Pure functions, used by the
//! store's risk summary and documented in `docs/api.md`.

use super::action::Action;
use super::kinds::{EventKind, Status};

/// The latest step of a thread as the rules read it: its action and where it stands
/// (the thread's status when one is set, else the step's own).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Latest {
    /// `None` for a stored action word that is none of [`Action::ALL`].
    pub action: Option<Action>,
    /// The thread's status when set, else the step's own; `None` when neither is known.
    pub status: Option<Status>,
}

/// Statuses after which a lawsuit is no longer open.
const LAWSUIT_CLOSED: &[Status] = &[
    Status::Settled,
    Status::Dismissed,
    Status::Ruled,
    Status::Withdrawn,
    Status::Resolved,
    Status::Closed,
];

/// Statuses after which a ban or a halt has ended.
const ENDED: &[Status] = &[
    Status::Lifted,
    Status::Resumed,
    Status::Resolved,
    Status::Closed,
    Status::Withdrawn,
    Status::Dismissed,
];

fn status_in(latest: Latest, set: &[Status]) -> bool {
    latest.status.is_some_and(|s| set.contains(&s))
}

/// A lawsuit is open until its latest step settles, dismisses, decides or withdraws it.
///
/// ```
/// use riskline::domain::{risk, Action, Status};
/// assert!(risk::lawsuit_open(risk::Latest { action: Some(Action::Filed), status: Some(Status::Filed) }));
/// assert!(!risk::lawsuit_open(risk::Latest { action: Some(Action::Settled), status: None }));
/// ```
pub fn lawsuit_open(latest: Latest) -> bool {
    let closing = matches!(
        latest.action,
        Some(Action::Settled | Action::Dismissed | Action::Ruled | Action::Withdrawn)
    );
    !status_in(latest, LAWSUIT_CLOSED) && !closing
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
    let ending = matches!(latest.action, Some(Action::Lifted | Action::Resumption));
    !status_in(latest, ENDED) && !ending
}

/// A ban is active while no later step ended it.
pub fn ban_active(first: Option<Action>, latest: Latest) -> bool {
    is_ban(first) && still_in_force(latest)
}

/// A halt is active while no later step ended it.
pub fn halt_active(latest: Latest) -> bool {
    still_in_force(latest)
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
