-- A company's history: the periods its own shares traded, the companies that owned
-- it, and the names, tickers and exchanges it had, each for a period. valid_from is
-- inclusive, valid_to exclusive, NULL is open. A company no longer listed keeps its
-- row in companies (its last ticker) and says so here.
CREATE TABLE company_history (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    field TEXT NOT NULL CHECK (field IN ('listed', 'parent', 'ticker', 'name', 'exchange')),
    -- The name, ticker or exchange; the owner's ticker for 'parent'; '' for 'listed'.
    value TEXT NOT NULL,
    valid_from DATE,
    valid_to DATE,
    -- Where the period comes from: the built-in table, an import of SEC's submissions, an analyst.
    source TEXT NOT NULL CHECK (source IN ('builtin', 'sec', 'analyst')),
    note TEXT,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from < valid_to)
);
CREATE INDEX company_history_company_id ON company_history (company_id);
CREATE INDEX company_history_value ON company_history (field, value);

-- Why a step joined its thread (like event_mentions.merge_reason), or that a later
-- step stands alone because no earlier step of its story is on record.
ALTER TABLE events ADD COLUMN thread_reason TEXT;
