#!/usr/bin/env bash
# Throughput and latency of the web server under wrk: GET /api/timeline (the page's first request) and
# POST /api/query (a join over the seed), each with 64 connections on loopback, on a fresh seeded database.
# A measurement, not a test. Needs wrk (scripts/install-deps --bench).
#
#   bench/web/run.sh [LODESTONE_BINARY]        env: DURATION (default 10s), CONNECTIONS (64), WRK_THREADS (2),
#                                              SERVER_THREADS (worker threads of serve, default: its own),
#                                              IMPORTS=1: a client imports 20 new actors at a time through
#                                              POST /api/import for as long as wrk runs (counted at the end)
#
# Prints one line per endpoint and writes them to bench/out/web.txt.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$(realpath "${1:-$root/build/cli/lodestone}")
duration=${DURATION:-10s}
conns=${CONNECTIONS:-64}
wthreads=${WRK_THREADS:-2}
export BENCH_QUERY_BODY=${BENCH_QUERY_BODY:-'{"query": "MATCH (a:Actor)-[:IMPOSED]->(c:Control) RETURN a.name, c.name ORDER BY c.name LIMIT 20", "params": {}}'}
command -v wrk >/dev/null || { echo "bench/web: wrk is missing (scripts/install-deps --bench)"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lodestone-bench-web.XXXXXX")
pid=""
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

"$bin" --db "$tmp/db" init >/dev/null
args=(--db "$tmp/db" serve --bind 127.0.0.1 --port 0 --max-connections 512)
echo bench >"$tmp/token"
[[ ${IMPORTS:-0} == 1 ]] && args+=(--token-file "$tmp/token")
[[ -n ${SERVER_THREADS:-} ]] && args+=(--threads "$SERVER_THREADS")
"$bin" "${args[@]}" >"$tmp/serve.log" 2>&1 &
pid=$!
url=""
for _ in $(seq 1 100); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$tmp/serve.log" | head -1 || true)
  [[ -n $url ]] && break
  sleep 0.1
done
[[ -n $url ]] || { cat "$tmp/serve.log"; exit 1; }

# One request of each first: they must succeed, or the figures mean nothing.
curl -fsS "$url/api/timeline" -o /dev/null
curl -fsS -H 'Content-Type: application/json' --data "$BENCH_QUERY_BODY" "$url/api/query" -o /dev/null

summary() {  # name, wrk output
  local rps p50 p99 errs
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$2")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$2")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$2")
  errs=$(awk '/Non-2xx or 3xx responses:/ {print $5} /Socket errors:/ {print "socket errors: " $0}' <<<"$2")
  printf '%-28s %10s req/s   p50 %8s   p99 %8s   (%s connections, %s, %s)%s\n' "$1" "$rps" "$p50" "$p99" "$conns" "$duration" \
    "$(nproc) cores" "${errs:+   non-2xx: $errs}"
}

# IMPORTS=1: writes beside the load, one import after another; each response's status is kept.
importer=""
if [[ ${IMPORTS:-0} == 1 ]]; then
  (
    for ((b = 0; ; b++)); do
      {
        echo '{"node": "source/bench", "labels": ["Source"], "props": {"title": "The web benchmark", "source_kind": "article", "published": "2026-12-06"}}'
        awk -v b="$b" 'BEGIN { for (i = 0; i < 20; i++)
          printf "{\"node\": \"actor/bench-%d-%d\", \"labels\": [\"Actor\"], \"props\": {\"name\": \"Bench %d %d\", \"actor_kind\": \"country\"}, \"sources\": [\"source/bench\"]}\n", b, i, b, i }'
      } >"$tmp/import.jsonl"
      curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/x-ndjson' -H 'Authorization: Bearer bench' \
        --data-binary @"$tmp/import.jsonl" "$url/api/import" >>"$tmp/imports.txt" || echo 000 >>"$tmp/imports.txt"
    done
  ) &
  importer=$!
fi

out=$(wrk -t"$wthreads" -c"$conns" -d"$duration" --latency "$url/api/timeline")
line1=$(summary "GET /api/timeline" "$out")
out=$(wrk -t"$wthreads" -c"$conns" -d"$duration" --latency -s "$here/query.lua" "$url/api/query")
line2=$(summary "POST /api/query" "$out")
line3=""
if [[ -n $importer ]]; then
  kill "$importer" 2>/dev/null || true
  wait "$importer" 2>/dev/null || true
  line3="POST /api/import beside them: $(grep -c '^200$' "$tmp/imports.txt" || true) imports answered 200, $(grep -vc '^200$' "$tmp/imports.txt" || true) otherwise"
fi
mkdir -p "$root/bench/out"
printf '%s\n%s\n%s\n' "$line1" "$line2" "$line3" | sed '/^$/d' | tee "$root/bench/out/web.txt"
