-- Listed companies and the names that designate them.
CREATE TABLE companies (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticker TEXT NOT NULL UNIQUE CHECK (ticker <> '' AND ticker = upper(ticker)),
    name TEXT NOT NULL CHECK (name <> ''),
    cik BIGINT CHECK (cik > 0),
    exchange TEXT,
    -- A listed parent (a subsidiary listed on its own); deleting the parent keeps the child.
    parent_id BIGINT REFERENCES companies (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    updated_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX companies_cik ON companies (cik);
CREATE INDEX companies_parent_id ON companies (parent_id);

CREATE TABLE company_aliases (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    alias TEXT NOT NULL CHECK (alias <> ''),
    -- Lower-cased, whitespace-collapsed alias: what search and matching compare.
    alias_norm TEXT NOT NULL CHECK (alias_norm <> ''),
    kind TEXT NOT NULL CHECK (kind IN ('legal_name', 'short_name', 'brand', 'subsidiary', 'former_name', 'former_ticker')),
    created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    UNIQUE (company_id, alias_norm, kind)
);
CREATE INDEX company_aliases_alias_norm ON company_aliases (alias_norm);
