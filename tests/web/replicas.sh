#!/usr/bin/env bash
# Read replicas behind a load balancer, on loopback: one primary `lodestone serve` taking imports through
# its API, two `lodestone serve --replica-of` on the same database, and HAProxy spreading reads across
# the replicas. Checks that every replica reaches the primary's last commit within BOUND_MS after each
# import (and reports the lag seen), that they follow a primary killed and started again, that a write
# sent to a replica is refused naming the primary, and that killing a replica (kill -9) while reads flow
# through HAProxy loses none of them.
#
#   tests/web/replicas.sh LODESTONE_BINARY HAPROXY [BOUND_MS]
#
# Registered with ctest as web_replicas. Ports 18141-18144; every process it starts is stopped on exit.
set -euo pipefail
bin=$(realpath "$1")
haproxy=$2
bound_ms=${3:-2000}
interval_ms=100
primary_port=18141 r1_port=18142 r2_port=18143 lb_port=18144

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lodestone-replicas.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "replicas: FAIL: $*" >&2; for f in "$tmp"/*.log; do echo "--- $f"; tail -20 "$f"; done >&2; exit 1; }
now_ms() { date +%s%3N; }

# Waits (at most 20 s) until URL answers 200.
wait_up() {
  local url=$1 deadline=$(( $(now_ms) + 20000 ))
  until curl -sf -o /dev/null "$url"; do
    (( $(now_ms) < deadline )) || fail "$url did not come up"
    sleep 0.05
  done
}

"$bin" --db "$tmp/db" init --no-dataset >/dev/null
echo "replicas-test-token" > "$tmp/token"
"$bin" --db "$tmp/db" serve --bind 127.0.0.1 --port $primary_port --token-file "$tmp/token" >"$tmp/primary.log" 2>&1 &
pids+=($!)
wait_up "http://127.0.0.1:$primary_port/healthz"
for port in $r1_port $r2_port; do
  "$bin" serve --replica-of "$tmp/db" --catch-up-interval $interval_ms --bind 127.0.0.1 --port $port >"$tmp/replica-$port.log" 2>&1 &
  pids+=($!)
done
r1_pid=${pids[1]}
wait_up "http://127.0.0.1:$r1_port/healthz"
wait_up "http://127.0.0.1:$r2_port/healthz"

cat > "$tmp/haproxy.cfg" <<CFG
global
  maxconn 256
defaults
  mode http
  timeout connect 1s
  timeout client 10s
  timeout server 10s
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response response-timeout
  timeout check 2s
frontend reads
  bind 127.0.0.1:$lb_port
  default_backend replicas
backend replicas
  balance roundrobin
  option httpchk GET /healthz
  server r1 127.0.0.1:$r1_port check inter 300ms fall 2 rise 1
  server r2 127.0.0.1:$r2_port check inter 300ms fall 2 rise 1
CFG
"$haproxy" -db -f "$tmp/haproxy.cfg" >"$tmp/haproxy.log" 2>&1 &
pids+=($!)
wait_up "http://127.0.0.1:$lb_port/healthz"

# 1. Each import reaches both replicas within the bound.
max_lag=0 sum_lag=0
for i in $(seq 1 10); do
  printf '{"node": "actor/replicated-%d", "labels": ["Actor"], "props": {"name": "Replicated %d", "actor_kind": "company"}, "sources": ["source/ref-general-background"]}\n' "$i" "$i" > "$tmp/rec.jsonl"
  reply=$(curl -sf -H 'Content-Type: application/x-ndjson' -H "Authorization: Bearer $(cat "$tmp/token")" \
    --data-binary @"$tmp/rec.jsonl" "http://127.0.0.1:$primary_port/api/import") || fail "import $i"
  t0=$(now_ms)
  rt=$(sed -n 's/.*"record_time":"\([^"]*\)".*/\1/p' <<<"$reply")
  [[ -n $rt ]] || fail "no record_time in $reply"
  for port in $r1_port $r2_port; do
    until curl -sf "http://127.0.0.1:$port/healthz" | grep -q "\"replica_last_record_time\":\"$rt\""; do
      (( $(now_ms) - t0 < bound_ms )) || fail "replica on $port did not reach $rt within $bound_ms ms"
      sleep 0.01
    done
    lag=$(( $(now_ms) - t0 ))
    (( lag > max_lag )) && max_lag=$lag
    sum_lag=$(( sum_lag + lag ))
  done
  # What each replica serves includes the import.
  for port in $r1_port $r2_port; do
    n=$(curl -sf -H 'Content-Type: application/json' \
      --data "{\"query\": \"MATCH (a:Actor) WHERE a.key = 'actor/replicated-$i' RETURN count(a) AS n\"}" \
      "http://127.0.0.1:$port/api/query") || fail "query on $port"
    grep -q '"rows":\[\[1\]\]' <<<"$n" || fail "replica on $port answered $n"
  done
done
echo "replicas: 10 imports reached both replicas; lag mean $(( sum_lag / 20 )) ms, largest ${max_lag} ms (catch-up interval ${interval_ms} ms, bound ${bound_ms} ms)"
health=$(curl -sf "http://127.0.0.1:$r2_port/healthz")
for field in replica_of replica_last_record_time caught_up_at lag_ms; do
  grep -q "\"$field\"" <<<"$health" || fail "/healthz of a replica lacks $field: $health"
done

# 1b. The primary killed with SIGKILL and started again: the replicas follow the new process.
primary_pid=${pids[0]}
{ kill -KILL "$primary_pid" && wait "$primary_pid"; } 2>/dev/null || true
"$bin" --db "$tmp/db" serve --bind 127.0.0.1 --port $primary_port --token-file "$tmp/token" >"$tmp/primary.log" 2>&1 &
pids+=($!)
wait_up "http://127.0.0.1:$primary_port/healthz"
printf '{"node": "actor/after-restart", "labels": ["Actor"], "props": {"name": "After restart", "actor_kind": "company"}, "sources": ["source/ref-general-background"]}\n' > "$tmp/rec.jsonl"
reply=$(curl -sf -H 'Content-Type: application/x-ndjson' -H "Authorization: Bearer $(cat "$tmp/token")" \
  --data-binary @"$tmp/rec.jsonl" "http://127.0.0.1:$primary_port/api/import") || fail "import after the restart"
rt=$(sed -n 's/.*"record_time":"\([^"]*\)".*/\1/p' <<<"$reply")
t0=$(now_ms)
for port in $r1_port $r2_port; do
  until curl -sf "http://127.0.0.1:$port/healthz" | grep -q "\"replica_last_record_time\":\"$rt\""; do
    (( $(now_ms) - t0 < bound_ms )) || fail "replica on $port did not follow the restarted primary to $rt"
    sleep 0.01
  done
done
echo "replicas: the primary killed with SIGKILL and restarted; both replicas followed it"

# 2. A write sent to a replica is refused, naming the primary.
code=$(curl -s -o "$tmp/refused.json" -w '%{http_code}' -H 'Content-Type: application/x-ndjson' \
  --data-binary @"$tmp/rec.jsonl" "http://127.0.0.1:$r1_port/api/import")
[[ $code == 403 ]] || fail "a write to a replica got $code"
grep -q "ReadReplica" "$tmp/refused.json" && grep -qF "$tmp/db" "$tmp/refused.json" || fail "refusal: $(cat "$tmp/refused.json")"

# 3. Reads through HAProxy while one replica is killed: none is lost.
reader() {
  for _ in $(seq 1 100); do
    curl -s -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:$lb_port/api/timeline?from=2025-01&to=2026-01&limit=20"
  done > "$1"
}
reader "$tmp/codes-a" & ra=$!
reader "$tmp/codes-b" & rb=$!
deadline=$(( $(now_ms) + 20000 ))
until [[ -s $tmp/codes-a && $(wc -l < "$tmp/codes-a") -ge 30 ]]; do
  (( $(now_ms) < deadline )) || fail "reads through HAProxy did not start"
  sleep 0.01
done
{ kill -KILL "$r1_pid" && wait "$r1_pid"; } 2>/dev/null || true
wait "$ra" "$rb"
total=$(cat "$tmp/codes-a" "$tmp/codes-b" | wc -l)
bad=$(cat "$tmp/codes-a" "$tmp/codes-b" | grep -vc '^200$' || true)
[[ $total == 200 && $bad == 0 ]] || fail "$bad of $total reads through HAProxy failed after a replica was killed: $(sort "$tmp/codes-a" "$tmp/codes-b" | uniq -c | tr '\n' ' ')"
echo "replicas: 200 reads through HAProxy, one replica killed with SIGKILL after 30: all answered 200"
