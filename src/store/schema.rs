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
        retracted_at -> Nullable<Timestamp>,
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
        team -> Text,
    }
}

diesel::table! {
    /// Named sets of companies of a team, with the filters of their timeline.
    watchlists (id) {
        id -> BigInt,
        team -> Text,
        name -> Text,
        kinds -> Text,
        actions -> Text,
        min_confidence -> Nullable<Double>,
        feed_token_hash -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// The companies of each watchlist.
    watchlist_companies (watchlist_id, company_id) {
        watchlist_id -> BigInt,
        company_id -> BigInt,
    }
}

diesel::table! {
    /// The changes feed: what changed, in the order readers take it (`txid`, `id`).
    changes (id) {
        id -> BigInt,
        txid -> BigInt,
        kind -> Text,
        event_id -> Nullable<BigInt>,
        company_id -> Nullable<BigInt>,
        actor -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    /// Webhook subscriptions of watchlists.
    webhooks (id) {
        id -> BigInt,
        watchlist_id -> BigInt,
        url -> Text,
        secret -> Text,
        change_kinds -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// The outbox of webhook deliveries.
    deliveries (id) {
        id -> BigInt,
        webhook_id -> BigInt,
        change_id -> BigInt,
        idempotency_key -> Text,
        payload -> Text,
        state -> Text,
        attempts -> BigInt,
        next_attempt_at -> Timestamp,
        retry_from -> Timestamp,
        leased_until -> Nullable<Timestamp>,
        last_status -> Nullable<BigInt>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Where the webhook dispatcher stands in the changes feed (one row).
    dispatch_cursor (id) {
        id -> BigInt,
        txid -> BigInt,
        change_id -> BigInt,
    }
}

diesel::table! {
    /// Live sources `riskline watch` polls, with their polling state and lease.
    sources (id) {
        id -> BigInt,
        name -> Text,
        kind -> Text,
        url -> Nullable<Text>,
        cik -> Nullable<BigInt>,
        ticker -> Nullable<Text>,
        forms -> Text,
        fetch_pages -> Bool,
        interval_secs -> BigInt,
        enabled -> Bool,
        etag -> Nullable<Text>,
        last_modified -> Nullable<Text>,
        next_due_at -> Timestamp,
        last_polled_at -> Nullable<Timestamp>,
        last_success_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        consecutive_failures -> BigInt,
        polls -> BigInt,
        not_modified -> BigInt,
        requests -> BigInt,
        bytes_fetched -> BigInt,
        items_new -> BigInt,
        items_known -> BigInt,
        items_failed -> BigInt,
        errors -> BigInt,
        lease_owner -> Nullable<Text>,
        lease_expires_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Every item a source handed over, once, with the document it became.
    source_items (id) {
        id -> BigInt,
        source_id -> BigInt,
        item_key -> Text,
        url -> Nullable<Text>,
        content_hash -> Nullable<Text>,
        document_id -> Nullable<BigInt>,
        status -> Text,
        error -> Nullable<Text>,
        seen_at -> Timestamp,
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
diesel::joinable!(source_items -> sources (source_id));
diesel::joinable!(watchlist_companies -> watchlists (watchlist_id));
diesel::joinable!(watchlist_companies -> companies (company_id));
diesel::joinable!(webhooks -> watchlists (watchlist_id));
diesel::joinable!(deliveries -> webhooks (webhook_id));

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
    sources,
    source_items,
    watchlists,
    watchlist_companies,
    changes,
    webhooks,
    deliveries,
    dispatch_cursor,
);
