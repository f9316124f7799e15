ALTER TABLE events DROP COLUMN thread_reason;
DROP TABLE company_history;
