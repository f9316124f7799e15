//! Containment: a bug in the extractor costs one document, never a batch or a server.
//!
//! [`contain`] runs a closure and turns a panic inside it into an [`InternalError`]
//! that names where the extractor failed and what went wrong, in one line a person
//! can read and report. While a closure runs contained, the process's panic hook
//! stays quiet for that thread (no "thread panicked" message and no backtrace on
//! stderr); panics elsewhere are reported as before.
//!
//! ```
//! use riskline::extract::guard::contain;
//! assert_eq!(contain(|| 2 + 2).unwrap(), 4);
//! let err = contain(|| -> u32 { panic!("index out of range") }).unwrap_err();
//! assert!(err.to_string().contains("index out of range"));
//! ```

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

/// The longest panic message kept (messages may quote the document).
const MESSAGE_LIMIT: usize = 160;

/// What went wrong inside the extractor, in words a person can report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("internal error in the extractor at {location}: {message} (this is a bug in riskline; please report it with the document)")]
pub struct InternalError {
    /// `file:line` of the failure in riskline's source.
    pub location: String,
    /// The failure's message, cut to a readable length.
    pub message: String,
}

thread_local! {
    /// Whether this thread runs a contained closure now.
    static QUIET: Cell<bool> = const { Cell::new(false) };
    /// The last contained panic of this thread: (location, message).
    static CAUGHT: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

/// Installs (once per process) a panic hook that records panics of contained
/// closures instead of printing them, and defers to the previous hook otherwise.
fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                let location = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()))
                    .unwrap_or_else(|| "an unknown place".to_string());
                let payload = info.payload();
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "no message".to_string());
                CAUGHT.with(|c| *c.borrow_mut() = Some((location, message)));
            } else {
                previous(info);
            }
        }));
    });
}

/// Cuts `message` to [`MESSAGE_LIMIT`] characters on a character boundary.
fn shorten(message: &str) -> String {
    let one_line = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= MESSAGE_LIMIT {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(MESSAGE_LIMIT).collect();
    cut.push_str("...");
    cut
}

/// Runs `f`; a panic inside it becomes an [`InternalError`] for this call only.
pub fn contain<T>(f: impl FnOnce() -> T) -> Result<T, InternalError> {
    install_hook();
    let was_quiet = QUIET.with(|q| q.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was_quiet));
    result.map_err(|_| {
        let (location, message) = CAUGHT
            .with(|c| c.borrow_mut().take())
            .unwrap_or_else(|| ("an unknown place".to_string(), "no message".to_string()));
        InternalError {
            location,
            message: shorten(&message),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_with_its_place_and_message() {
        let err = contain(|| {
            let v: Vec<u8> = Vec::new();
            let i = v.len() + 3;
            v.get(i).copied().expect("the third byte was missing")
        })
        .unwrap_err();
        assert!(err.location.contains("guard.rs"), "{err:?}");
        assert_eq!(err.message, "the third byte was missing");
    }

    #[test]
    fn long_messages_are_cut_on_a_character_boundary() {
        let long = "é".repeat(500);
        let err = contain(|| -> () { panic!("{long}") }).unwrap_err();
        assert!(err.message.ends_with("..."));
        assert_eq!(err.message.chars().count(), MESSAGE_LIMIT + 3);
    }

    #[test]
    fn containment_nests_and_restores_the_hook_state() {
        let inner = contain(|| contain(|| -> () { panic!("inner") }).unwrap_err());
        assert_eq!(inner.unwrap().message, "inner");
        assert!(!QUIET.with(Cell::get));
    }
}
