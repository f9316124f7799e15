//! Reviews through the real binary, on both backends: confirming an event that is
//! already confirmed, with the same note, changes nothing and adds no audit entry; a new
//! note or a real correction does.

mod common;

use common::{on_both_backends, Served, TestDb};
use serde_json::{json, Value};

/// An analyst key, after ingesting a small story of one lawsuit (kept in the folder returned).
fn setup(db: &TestDb) -> (String, tempfile::TempDir) {
    db.run_ok(&["migrate"]);
    let created = db.run_ok(&["keys", "create", "--name", "reviewer", "--role", "analyst"]);
    let key = created
        .lines()
        .next()
        .unwrap()
        .strip_prefix("key: ")
        .unwrap()
        .to_string();
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("story.txt");
    std::fs::write(
        &story,
        "Retailer faces suit\nPublished: 2025-02-11\n\n\
         A group of franchisees sued Walmart on Monday in a federal court in Arkansas.\n",
    )
    .unwrap();
    db.run_ok(&["ingest", story.to_str().unwrap()]);
    (key, dir)
}

fn history(served: &Served, key: &str, id: i64) -> Vec<Value> {
    let (status, page) = served.call("GET", &format!("/api/v1/events/{id}/history"), key, None);
    assert_eq!(status, 200, "{page}");
    page["items"].as_array().unwrap().clone()
}

#[test]
fn confirming_twice_with_the_same_note_adds_one_audit_entry() {
    on_both_backends(|db| {
        let (key, dir) = setup(db);
        let served = Served::start(db, &[], &[], std::process::Stdio::null());
        let (status, events) = served.call("GET", "/api/v1/events", &key, None);
        assert_eq!(status, 200, "{events}");
        let id = events["items"][0]["id"].as_i64().expect("one stored event");
        let path = format!("/api/v1/events/{id}");
        let confirm = json!({"review_state": "confirmed", "review_note": "read the complaint"});

        let (status, first) = served.call("PATCH", &path, &key, Some(&confirm));
        assert_eq!(status, 200, "{first}");
        assert_eq!(history(&served, &key, id).len(), 1);
        let (status, second) = served.call("PATCH", &path, &key, Some(&confirm));
        assert_eq!(status, 200, "{second}");
        assert_eq!(second["review_state"], "confirmed");
        assert_eq!(second["review_note"], "read the complaint");
        assert_eq!(
            history(&served, &key, id).len(),
            1,
            "{}: the same review again is no new entry",
            db.backend
        );
        assert_eq!(
            first["updated_at"], second["updated_at"],
            "nothing was written"
        );

        // A different note is a change, and so is the first lock of a field.
        let noted = json!({"review_state": "confirmed", "review_note": "and the docket"});
        assert_eq!(served.call("PATCH", &path, &key, Some(&noted)).0, 200);
        assert_eq!(history(&served, &key, id).len(), 2);
        let court =
            json!({"authority": "U.S. District Court for the Western District of Arkansas"});
        assert_eq!(served.call("PATCH", &path, &key, Some(&court)).0, 200);
        let entries = history(&served, &key, id);
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[2]["action"], "correct");
        // The same correction again: the field is locked with that value already.
        assert_eq!(served.call("PATCH", &path, &key, Some(&court)).0, 200);
        assert_eq!(history(&served, &key, id).len(), 3, "{}", db.backend);
        served.stop();
        drop(dir);
    });
}
