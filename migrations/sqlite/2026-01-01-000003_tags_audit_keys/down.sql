DROP TABLE api_keys;
DROP TABLE audit_log;
DROP TABLE event_tags;
DROP TABLE tags;
