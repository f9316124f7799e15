#!/usr/bin/env bash
# Builds fixtures/registry/common-words.txt.gz, the list of how common English words
# are, which the company registry reads to score how ambiguous a company's name is
# ("Target", "Interface", "Match" are ordinary words; "Mannatech" is not).
#
# Source: SCOWL (Spell Checker Oriented Word Lists, Kevin Atkinson), as packaged by
# Debian (`apt-get install scowl`). SCOWL sorts words into size levels by how common
# they are (level 10: the most common English words; 20, 35, 40, 50: ever rarer).
# Kept: lowercase words of levels 10 to 60, and capitalised names (places, given
# names, surnames) and abbreviations ("SOS") of levels up to 50; letters only, each
# at its lowest level. Format: one
# line per level, `LEVEL<TAB>word word ...`, words sorted. SCOWL's copyright and
# permission notices (SCOWL's own and those of its sources) are copied beside it, to
# fixtures/registry/common-words.NOTICE, as they require.
#
#   scripts/common-words.sh            # writes fixtures/registry/common-words.txt.gz
set -euo pipefail
cd "$(dirname "$0")/.."
dir=/usr/share/dict/scowl
if [ ! -d "$dir" ]; then
  echo "missing $dir: run 'apt-get install scowl' first" >&2
  exit 1
fi
out=fixtures/registry/common-words.txt.gz
{
  for f in "$dir"/english-words.* "$dir"/american-words.*; do
    level=${f##*.}
    if [ "$level" -le 60 ]; then sed "s/^/$level\t/" "$f"; fi
  done
  for f in "$dir"/english-upper.* "$dir"/english-proper-names.* \
           "$dir"/american-upper.* "$dir"/american-proper-names.* \
           "$dir"/english-abbreviations.* "$dir"/american-abbreviations.*; do
    level=${f##*.}
    if [ "$level" -le 50 ]; then sed "s/^/$level\t/" "$f"; fi
  done
} | iconv -f latin1 -t utf-8 \
  | LC_ALL=C grep -E $'^[0-9]+\t[A-Za-z]+$' \
  | LC_ALL=C sort -t$'\t' -k2,2 -k1,1n \
  | awk -F'\t' '!seen[$2]++ { words[$1] = words[$1] (words[$1] == "" ? "" : " ") $2 }
      END { for (l in words) print l "\t" words[l] }' \
  | LC_ALL=C sort -n \
  | gzip -9n > "$out"
cp /usr/share/doc/scowl/copyright fixtures/registry/common-words.NOTICE
echo "wrote $out ($(stat -c %s "$out") bytes, $(zcat "$out" | tr ' \t' '\n\n' | grep -c '[A-Za-z]') words)"
