//! The diesel schema, one for both backends.
//!
//! Written by hand to match `migrations/sqlite` and `migrations/postgres`, which
//! create the same tables with the same column types: ids are `BigInt`
//! (`INTEGER PRIMARY KEY` on SQLite, `BIGINT GENERATED ALWAYS AS IDENTITY` on
//! PostgreSQL), timestamps are `Timestamp` holding UTC. The migration test loads
//! every table through these definitions on both databases, so a drift between
//! this file and the SQL fails there.
//!
//! One difference the schema cannot hide: in a descending sort, NULLs come last on
//! SQLite and first on PostgreSQL. Queries ordering by a nullable column
//! (`occurred_on`) must say where NULLs go.

diesel::table! {
    /// Listed companies; `ticker` is today's ticker, upper case, unique.
    companies (id) {
        id -> BigInt,
        ticker -> Text,
        name -> Text,
        cik -> Nullable<BigInt>,
        exchange -> Nullable<Text>,
        parent_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Names that designate a company, including its former tickers.
    company_aliases (id) {
        id -> BigInt,
        company_id -> BigInt,
        alias -> Text,
        alias_norm -> Text,
        kind -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// A company's history: periods it was listed, owned, named, ticketed, on an exchange.
    company_history (id) {
        id -> BigInt,
        company_id -> BigInt,
        field -> Text,
        value -> Text,
        valid_from -> Nullable<Date>,
        valid_to -> Nullable<Date>,
        source -> Text,
        note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Ingested documents; `content_hash` is unique.
    documents (id) {
        id -> BigInt,
        source_kind -> Text,
        format -> Text,
        url -> Nullable<Text>,
        title -> Nullable<Text>,
        published_at -> Nullable<Timestamp>,
        content_hash -> Text,
        byte_len -> BigInt,
        text -> Text,
        filer_cik -> Nullable<BigInt>,
        form_type -> Nullable<Text>,
        ingested_at -> Timestamp,
        published_precision -> Nullable<Text>,
    }
}

diesel::table! {
    /// Lawsuits, regulatory actions and service halts.
    events (id) {
        id -> BigInt,
        kind -> Text,
        action -> Text,
        status -> Nullable<Text>,
        occurred_on -> Nullable<Date>,
        date_precision -> Nullable<Text>,
        amount -> Nullable<Double>,
        currency -> Nullable<Text>,
        amount_usd -> Nullable<BigInt>,
        authority -> Nullable<Text>,
        jurisdiction -> Nullable<Text>,
        parties -> Text,
        summary -> Text,
        confidence -> Double,
        review_state -> Text,
        review_note -> Nullable<Text>,
        corrected_fields -> Text,
        origin -> Text,
        fingerprint -> Text,
        thread_id -> Nullable<BigInt>,
        thread_status -> Nullable<Text>,
        document_count -> BigInt,
        thread_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Which companies an event involves, and how; carries the timeline index.
    event_companies (id) {
        id -> BigInt,
        event_id -> BigInt,
        company_id -> BigInt,
        role -> Text,
        occurred_on -> Nullable<Date>,
    }
}

diesel::table! {
    /// Evidence: the span of a document that reports an event.
    event_mentions (id) {
        id -> BigInt,
        event_id -> BigInt,
        document_id -> BigInt,
        start_offset -> BigInt,
        end_offset -> BigInt,
        snippet -> Text,
        rule -> Text,
        merge_reason -> Nullable<Text>,
        merge_score -> Nullable<Double>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Analysts' tags.
    tags (id) {
        id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Each event's list item as JSON, one row per company, in timeline order
    /// (derived from the other tables; see `store::items`).
    timeline_items (company_id, sort_day, event_id) {
        company_id -> BigInt,
        sort_day -> BigInt,
        event_id -> BigInt,
        kind -> Text,
        action -> Text,
        review_state -> Text,
        confidence -> Double,
        item -> Text,
    }
}

diesel::table! {
    /// Events whose `timeline_items` must be rebuilt (filled by triggers).
    stale_items (event_id) {
        event_id -> BigInt,
    }
}

diesel::table! {
    /// Tags on events.
    event_tags (event_id, tag_id) {
        event_id -> BigInt,
        tag_id -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Who changed what, with the state before and after (JSON).
    audit_log (id) {
        id -> BigInt,
        event_id -> Nullable<BigInt>,
        entity -> Text,
        action -> Text,
        actor -> Text,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    /// API keys, stored as hashes, each with a role.
    api_keys (id) {
        id -> BigInt,
        name -> Text,
        role -> Text,
        key_hash -> Text,
        prefix -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(company_aliases -> companies (company_id));
diesel::joinable!(company_history -> companies (company_id));
diesel::joinable!(event_companies -> companies (company_id));
diesel::joinable!(event_companies -> events (event_id));
diesel::joinable!(event_mentions -> documents (document_id));
diesel::joinable!(event_mentions -> events (event_id));
diesel::joinable!(event_tags -> events (event_id));
diesel::joinable!(event_tags -> tags (tag_id));

diesel::allow_tables_to_appear_in_same_query!(
    companies,
    company_aliases,
    company_history,
    documents,
    events,
    event_companies,
    event_mentions,
    tags,
    event_tags,
    audit_log,
    api_keys,
    timeline_items,
    stale_items,
);
