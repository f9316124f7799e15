#!/usr/bin/env bash
# Fuzzes every parser and the extractor for a given time (tests/fuzz.rs).
#
#   scripts/fuzz.sh [SECONDS] [SEED]
#
# Each of the three fuzz targets runs for SECONDS (default 600) in a release
# build, from SEED (default: the current time, so each run explores new inputs).
# It prints the executions per target; a panic fails the run and leaves the
# input under target/fuzz-crashes/ with the seed that made it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
seed="${2:-$(date +%s)}"
echo "fuzzing each target for ${seconds}s from seed ${seed}"
FUZZ_SECONDS="$seconds" FUZZ_SEED="$seed" \
    cargo test --release --test fuzz -- --nocapture --test-threads 3 2>&1 |
    grep -E "^fuzz |panicked|test result"
