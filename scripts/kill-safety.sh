#!/usr/bin/env bash
# Kill safety of `riskline ingest`, measured.
#
# For each backend: one clean ingest of a corpus into a fresh database (twice, to
# check that a clean run is reproducible), then KILLS trials. A trial ingests the
# same corpus into a fresh database, kills the process with SIGKILL after a random
# delay within the clean run's duration, checks the database as the kill left it,
# runs the same ingest again to completion, and compares the result with the clean
# run: row counts and digests of documents, events, mentions, event-company links,
# timeline items and the company registry, each read as ordered rows of natural keys
# (content hashes, fingerprints, tickers) so that ids and clock times do not count.
#
#   scripts/kill-safety.sh                       # 20 kills on SQLite and on PostgreSQL
#   KILLS=3 scripts/kill-safety.sh               # a quick run (CI)
#   BACKENDS=sqlite SEED=42 BATCH=5 scripts/kill-safety.sh
#
# Settings (environment):
#   KILLS     kills per backend (20)
#   BATCH     --batch-documents of the ingest (10: many commits, many points to die between)
#   BACKENDS  "sqlite postgres"
#   PG_SERVER the PostgreSQL server (postgres://postgres@127.0.0.1:5432); one fresh
#             database per run, dropped afterwards. When it cannot be reached the
#             PostgreSQL half is skipped with a note, unless CI is set: then it fails.
#   SEED      seed of the kill points, to repeat a run (printed when not given)
#   EXTRA     more files or directories to ingest, space-separated
#   KEEP=1    keep the work directory (digests, ingest output) and print its path
#
# The corpus is the repository's fixtures (demo, ingest, normalize and extract test
# documents) plus, when they exist, ../shared/eval/**/*.jsonl and ../shared/data.
# Documents that ingest refuses are refused in the clean run as in every other: their
# number is compared too.
#
# Prints each kill (delay, documents committed when it landed, what the rerun
# found) and the differences per backend; exits 1 when there is any difference.
# Needs sqlite3 and psql. Results: docs/backup.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

KILLS=${KILLS:-20}
BATCH=${BATCH:-10}
BACKENDS=${BACKENDS:-sqlite postgres}
PG_SERVER=${PG_SERVER:-postgres://postgres@127.0.0.1:5432}
SEED=${SEED:-$(( $(date +%s) % 100000 ))}
EXTRA=${EXTRA:-}
KEEP=${KEEP:-}

for tool in sqlite3 psql; do
    command -v "$tool" >/dev/null || { echo "kill-safety: $tool is needed" >&2; exit 2; }
done

cargo build --release --quiet
BIN=$ROOT/target/release/riskline

WORK=$(mktemp -d "${TMPDIR:-/tmp}/riskline-kill-safety.XXXXXX")
PG_DATABASES=()
child=""
cleanup() {
    if [ -n "$child" ]; then kill -KILL "$child" 2>/dev/null || true; fi
    for db in "${PG_DATABASES[@]}"; do
        psql "$PG_SERVER/postgres" -qAtX -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
    done
    if [ -n "$KEEP" ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# ---- the corpus -------------------------------------------------------------
CORPUS=(fixtures/demo fixtures/ingest fixtures/normalize fixtures/extract)
if [ -d ../shared/eval ]; then
    while IFS= read -r file; do CORPUS+=("$file"); done \
        < <(find ../shared/eval -name '*.jsonl' | LC_ALL=C sort)
else
    echo "note: ../shared/eval not found; the corpus is the fixtures alone"
fi
if [ -d ../shared/data ]; then CORPUS+=(../shared/data); else echo "note: ../shared/data not found"; fi
# shellcheck disable=SC2206
if [ -n "$EXTRA" ]; then CORPUS+=($EXTRA); fi

# ---- the digest: ordered rows of natural keys, per table --------------------
# An event is known by its fingerprint and its first mention (document content hash
# and offset); ids (which PostgreSQL does not reuse after a rollback) and clock
# times (created_at, updated_at, ingested_at) are left out.
event_keys="ek AS (
    SELECT e.id, e.fingerprint || '@' || coalesce((
        SELECT d.content_hash || ':' || m.start_offset
        FROM event_mentions m JOIN documents d ON d.id = m.document_id
        WHERE m.event_id = e.id
        ORDER BY d.content_hash, m.start_offset LIMIT 1), '-') AS key
    FROM events e)"

# columns BACKEND URL TABLE ALIAS EXCLUDED: ALIAS.column for each column of TABLE but
# the EXCLUDED ones (space-separated), in table order: columns added later count too.
columns() {
    local sql="SELECT name FROM pragma_table_info('$3')"
    [ "$1" = postgres ] && sql="SELECT column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = '$3' ORDER BY ordinal_position"
    query "$1" "$2" "$sql" | while read -r column; do
        case " $5 " in *" $column "*) ;; *) printf '%s.%s\n' "$4" "$column" ;; esac
    done | paste -sd, -
}

# digest_sql BACKEND TABLE URL: the statement listing TABLE's rows.
digest_sql() {
    local text_digest item_clean item_document
    if [ "$1" = sqlite ]; then
        text_digest="hex(sha3(d.text))"
        item_clean="json_remove(ti.item, '\$.id', '\$.thread_id', '\$.created_at', '\$.updated_at', '\$.first_evidence.document_id')"
        item_document="json_extract(ti.item, '\$.first_evidence.document_id')"
    else
        text_digest="md5(d.text)"
        item_clean="((ti.item::jsonb - 'id' - 'thread_id' - 'created_at' - 'updated_at') #- '{first_evidence,document_id}')::text"
        item_document="(ti.item::jsonb #>> '{first_evidence,document_id}')::bigint"
    fi
    case $2 in
    counts) echo "SELECT 'documents', count(*) FROM documents
        UNION ALL SELECT 'events', count(*) FROM events
        UNION ALL SELECT 'mentions', count(*) FROM event_mentions
        UNION ALL SELECT 'links', count(*) FROM event_companies
        UNION ALL SELECT 'timeline_items', count(*) FROM timeline_items
        UNION ALL SELECT 'stale_items', count(*) FROM stale_items
        UNION ALL SELECT 'companies', count(*) FROM companies
        UNION ALL SELECT 'aliases', count(*) FROM company_aliases;" ;;
    documents) echo "SELECT d.content_hash, $(columns "$1" "$3" documents d 'id content_hash text ingested_at'),
            length(d.text), $text_digest
        FROM documents d ORDER BY 1;" ;;
    events) echo "WITH $event_keys
        SELECT ek.key, tk.key, $(columns "$1" "$3" events e 'id thread_id created_at updated_at')
        FROM events e JOIN ek ON ek.id = e.id LEFT JOIN ek tk ON tk.id = e.thread_id
        ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;" ;;
    mentions) echo "WITH $event_keys
        SELECT ek.key, d.content_hash, m.start_offset, m.end_offset, m.snippet, m.rule,
            m.merge_reason, m.merge_score
        FROM event_mentions m JOIN ek ON ek.id = m.event_id JOIN documents d ON d.id = m.document_id
        ORDER BY 1, 2, 3, 4, 5, 6, 7;" ;;
    links) echo "WITH $event_keys
        SELECT ek.key, c.ticker, ec.role, ec.occurred_on
        FROM event_companies ec JOIN ek ON ek.id = ec.event_id JOIN companies c ON c.id = ec.company_id
        ORDER BY 1, 2, 3, 4;" ;;
    timeline_items) echo "WITH $event_keys
        SELECT c.ticker, ti.sort_day, ek.key, ti.kind, ti.action, ti.review_state, ti.confidence,
            (SELECT content_hash FROM documents WHERE id = $item_document), $item_clean
        FROM timeline_items ti JOIN ek ON ek.id = ti.event_id JOIN companies c ON c.id = ti.company_id
        ORDER BY 1, 2, 3, 4, 5;" ;;
    registry) echo "SELECT c.ticker, c.name, c.cik, c.exchange, p.ticker, a.alias, a.alias_norm, a.kind
        FROM companies c LEFT JOIN companies p ON p.id = c.parent_id
        LEFT JOIN company_aliases a ON a.company_id = c.id
        ORDER BY 1, 6, 7, 8;" ;;
    # The database as a kill left it: rows that break the ingest's guarantees.
    broken) echo "SELECT 'events without a mention', count(*) FROM events e
            WHERE NOT EXISTS (SELECT 1 FROM event_mentions m WHERE m.event_id = e.id)
        UNION ALL SELECT 'events with a wrong document_count', count(*) FROM events e
            WHERE e.document_count <> (SELECT count(DISTINCT m.document_id) FROM event_mentions m WHERE m.event_id = e.id)
        UNION ALL SELECT 'links with another date than their event', count(*) FROM event_companies ec
            JOIN events e ON e.id = ec.event_id
            WHERE coalesce(ec.occurred_on, '1000-01-01') <> coalesce(e.occurred_on, '1000-01-01')
        UNION ALL SELECT 'events in a missing thread', count(*) FROM events e
            WHERE e.thread_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM events t WHERE t.id = e.thread_id)
        UNION ALL SELECT 'events without timeline items', count(*) FROM events e
            WHERE EXISTS (SELECT 1 FROM event_companies ec WHERE ec.event_id = e.id)
              AND NOT EXISTS (SELECT 1 FROM timeline_items ti WHERE ti.event_id = e.id)
        UNION ALL SELECT 'stale timeline items', count(*) FROM stale_items;" ;;
    esac
}
TABLES=(counts documents events mentions links timeline_items registry)

# query BACKEND URL SQL: rows as text, NULL spelled out.
query() {
    if [ "$1" = sqlite ]; then
        sqlite3 -batch -cmd '.nullvalue NULL' -cmd '.timeout 5000' "$2" "$3"
    else
        psql "$2" -qAtX -v ON_ERROR_STOP=1 -P null=NULL -c "$3"
    fi
}

# has_tables BACKEND URL: whether the migrations have created the documents table.
has_tables() {
    local sql="SELECT count(*) FROM information_schema.tables WHERE table_name = 'documents'"
    [ "$1" = sqlite ] && sql="SELECT count(*) FROM sqlite_master WHERE name = 'documents'"
    [ "$(query "$1" "$2" "$sql" 2>/dev/null || echo 0)" = 1 ]
}

# digest BACKEND URL DIR: one file per table in DIR.
digest() {
    mkdir -p "$3"
    for table in "${TABLES[@]}"; do
        query "$1" "$2" "$(digest_sql "$1" "$table" "$2")" > "$3/$table"
    done
}

# ---- databases ----------------------------------------------------------------
run_number=0
# fresh_db BACKEND: prints the URL of a new, empty (PostgreSQL: migrated) database.
fresh_db() {
    run_number=$((run_number + 1))
    if [ "$1" = sqlite ]; then
        mkdir -p "$WORK/sqlite"
        echo "$WORK/sqlite/run-$run_number.db"
    else
        local name="riskline_ks_$$_$run_number"
        psql "$PG_SERVER/postgres" -qAtX -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$name\"" >/dev/null
        PG_DATABASES+=("$name")
        DATABASE_URL="$PG_SERVER/$name" "$BIN" migrate >/dev/null
        echo "$PG_SERVER/$name"
    fi
}

drop_db() {
    if [ "$1" = sqlite ]; then
        rm -f "$2" "$2-wal" "$2-shm"
    else
        psql "$PG_SERVER/postgres" -qAtX -c "DROP DATABASE IF EXISTS \"${2##*/}\" WITH (FORCE)" >/dev/null
    fi
}

# ingest URL OUT: the ingest of the corpus; prints its exit status.
ingest() {
    local status=0
    DATABASE_URL="$1" "$BIN" ingest --json --batch-documents "$BATCH" "${CORPUS[@]}" \
        > "$2" 2> "$2.err" || status=$?
    echo "$status"
}

# summary_field FILE NAME: documents.NAME (new, known, failed) of an ingest's JSON summary.
summary_field() {
    grep -o '"documents":{[^}]*}' "$1" | grep -o "\"$2\":[0-9]*" | cut -d: -f2
}

now_ms() { date +%s%3N; }

RANDOM=$SEED
random_below() { # N: a random integer in [0, N)
    echo $(( (RANDOM * 32768 + RANDOM) % $1 ))
}

# ---- the runs ------------------------------------------------------------------
total_differences=0
echo "kill-safety: $KILLS kills per backend, batches of $BATCH documents, seed $SEED"
echo "corpus: ${CORPUS[*]}"

for backend in $BACKENDS; do
    if [ "$backend" = postgres ] && ! psql "$PG_SERVER/postgres" -qAtX -c 'SELECT 1' >/dev/null 2>&1; then
        if [ -n "${CI:-}" ]; then
            echo "kill-safety: PostgreSQL not reachable at $PG_SERVER, and CI is set" >&2
            exit 1
        fi
        echo "$backend: skipped, PostgreSQL not reachable at $PG_SERVER (set PG_SERVER)"
        continue
    fi
    dir="$WORK/$backend"
    mkdir -p "$dir"

    # The reference, twice: a kill is compared with a clean run only if clean runs agree.
    durations=()
    for clean in clean clean2; do
        url=$(fresh_db "$backend")
        started=$(now_ms)
        status=$(ingest "$url" "$dir/$clean.json")
        durations+=($(( $(now_ms) - started )))
        if [ "$status" -gt 1 ]; then
            echo "$backend: the clean ingest failed (exit $status):" >&2
            cat "$dir/$clean.json.err" >&2
            exit 1
        fi
        digest "$backend" "$url" "$dir/$clean"
        drop_db "$backend" "$url"
    done
    clean_status=$status
    # Kill points fall within the shorter of the two clean runs.
    duration=$(( durations[0] < durations[1] ? durations[0] : durations[1] ))
    clean_documents=$(sed -n 's/^documents|//p' "$dir/clean/counts")
    clean_events=$(sed -n 's/^events|//p' "$dir/clean/counts")
    clean_failed=$(summary_field "$dir/clean.json" failed)
    echo
    echo "$backend: clean runs ${durations[0]} and ${durations[1]} ms, $clean_documents documents," \
        "$clean_events events, $clean_failed documents refused (exit $clean_status)"
    if ! diff -rq "$dir/clean" "$dir/clean2" >/dev/null; then
        echo "$backend: two clean runs differ; the ingest is not reproducible:"
        diff -r "$dir/clean" "$dir/clean2" | head -20 || true
        total_differences=$((total_differences + 1))
    fi

    differences=0
    mid_run=0
    for kill in $(seq 1 "$KILLS"); do
        url=$(fresh_db "$backend")
        delay=$(random_below "$duration")
        DATABASE_URL="$url" "$BIN" ingest --json --batch-documents "$BATCH" "${CORPUS[@]}" \
            > "$dir/kill-$kill.json" 2>&1 &
        child=$!
        sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
        if kill -KILL "$child" 2>/dev/null; then
            landed="killed"
            mid_run=$((mid_run + 1))
        else
            landed="had finished"
        fi
        wait "$child" 2>/dev/null || true
        child=""

        # The database as the kill left it (the sqlite3 shell would create a missing file).
        if { [ "$backend" = postgres ] || [ -e "$url" ]; } && has_tables "$backend" "$url"; then
            at_kill=$(query "$backend" "$url" "SELECT count(*) FROM documents")
            broken=$(query "$backend" "$url" "$(digest_sql "$backend" broken "$url")" | awk -F'|' '$2 > 0')
        else
            at_kill="0 (no tables yet)"
            broken=""
        fi

        status=$(ingest "$url" "$dir/rerun-$kill.json")
        new=$(summary_field "$dir/rerun-$kill.json" new)
        known=$(summary_field "$dir/rerun-$kill.json" known)
        failed=$(summary_field "$dir/rerun-$kill.json" failed)
        digest "$backend" "$url" "$dir/run-$kill"
        differing=()
        for table in "${TABLES[@]}"; do
            cmp -s "$dir/clean/$table" "$dir/run-$kill/$table" || differing+=("$table")
        done
        [ "$status" = "$clean_status" ] || differing+=("exit status $status")
        [ "$failed" = "$clean_failed" ] || differing+=("$failed refused")
        [ -z "$broken" ] || differing+=("at the kill: ${broken//$'\n'/, }")
        verdict="same as the clean run"
        if [ "${#differing[@]}" -gt 0 ]; then
            verdict="DIFFERS: ${differing[*]}"
            differences=$((differences + 1))
        fi
        printf '  kill %2d at %5d ms (%s): %s documents committed; rerun %s new, %s known -> %s\n' \
            "$kill" "$delay" "$landed" "$at_kill" "$new" "$known" "$verdict"
        if [ "${#differing[@]}" -gt 0 ]; then
            for table in "${TABLES[@]}"; do
                if ! cmp -s "$dir/clean/$table" "$dir/run-$kill/$table"; then
                    echo "    $table (< clean, > after the kill):"
                    diff "$dir/clean/$table" "$dir/run-$kill/$table" | head -8 | sed 's/^/      /' | cut -c1-220 || true
                fi
            done
        fi
        drop_db "$backend" "$url"
    done
    echo "$backend: $KILLS kills ($mid_run during the run, $((KILLS - mid_run)) after it had finished)," \
        "$differences with differences"
    total_differences=$((total_differences + differences))
done

echo
echo "differences: $total_differences"
[ "$total_differences" -eq 0 ]
