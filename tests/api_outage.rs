//! A database that goes away: `/healthz` answers 503, reads answer 5xx with no
//! internal text, and `/ping` still answers.

mod api_support;
mod common;

use api_support::{day, seed_company, seed_event, Seed, TestServer};
use diesel::prelude::*;

#[test]
fn when_the_database_is_gone_health_is_503_and_errors_carry_no_internal_text() {
    let Some(db) = common::TestDb::postgres() else {
        return;
    };
    let server = TestServer::start(db, |server| {
        seed_company(server, "GM", "General Motors Company");
        seed_event(server, &Seed::lawsuit("GM", Some(day(2025, 1, 1))));
    });
    assert_eq!(server.get("/healthz", None).status, 200);
    assert_eq!(
        server
            .get("/api/v1/companies/GM/timeline", Some(&server.reader))
            .status,
        200
    );

    // Drop the database under the running server.
    let name = server
        .db
        .url
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let admin_url = common::with_database(&common::test_server_url(), "postgres");
    let mut admin = diesel::PgConnection::establish(&admin_url).expect("admin connection");
    diesel::sql_query(format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
        .execute(&mut admin)
        .expect("drop");

    let health = server.get("/healthz", None);
    assert_eq!(health.status, 503, "{}", health.body);
    assert_eq!(health.json()["database"], "unavailable");

    for path in [
        "/api/v1/companies/GM/timeline",
        "/api/v1/events/1",
        "/api/v1/tags",
    ] {
        let resp = server.get(path, Some(&server.reader));
        assert!(resp.status >= 500, "{path}: {} {}", resp.status, resp.body);
        let problem = resp.assert_problem(resp.status, None);
        let detail = problem["detail"].as_str().unwrap();
        assert!(
            detail == "the database is unavailable" || detail == "internal error",
            "{path}: internal text leaked: {detail}"
        );
    }
    assert_eq!(server.get("/ping", None).status, 200);
}
