#!/usr/bin/env bash
# The long crash test (docs/storage-format.md, "Crash test"): ROUNDS rounds (default 50) of kill -9 at a
# random moment, each during one kind of write, rotating:
#   import   `lodestone import FILE` of 3000 new actors (one transaction);
#   shell    `lodestone shell` running 400 CREATE statements read from a pipe, each printing its key;
#   server   `lodestone serve` taking POST /api/import of 50 new actors at a time from a client;
#   backup   `lodestone backup DIR` (the database is then also restored from the last finished backup).
# After each kill the database must open, every write that was acknowledged (an import or query that
# exited 0, a shell statement whose key was printed, a 200 from the server) must be there, and no import
# may be there in part. Usage: crash_rounds.sh LODESTONE_BINARY [ROUNDS] [PORT]
set -euo pipefail
bin=$1 rounds=${2:-50} port=${3:-18760}
work=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
db=$work/db
"$bin" --db "$db" init --no-seed >/dev/null
echo secret >"$work/token"
failures=0 kills=0 acked_total=0
declare -A killed_by=([import]=0 [shell]=0 [server]=0 [backup]=0) done_by=([import]=0 [shell]=0 [server]=0 [backup]=0)
committed_killed=0  # import rounds killed after the import had committed (while closing)
fail() { echo "crash_rounds: round $round ($kind): $*" >&2; failures=$((failures + 1)); }

# keys PREFIX: the keys of the actors whose key starts with PREFIX, one a line, sorted.
keys() {
  "$bin" --db "$db" query --format csv "MATCH (a:Actor) WHERE a.key STARTS WITH '$1' RETURN a.key AS k" |
    tail -n +2 | sort
}
# count PREFIX: how many actors' keys start with PREFIX.
count() {
  "$bin" --db "$db" query --format csv "MATCH (a:Actor) WHERE a.key STARTS WITH '$1' RETURN count(a) AS n" | tail -n 1
}
# actors N PREFIX: N actor records keyed PREFIX0..PREFIX(N-1), citing one source, as JSON Lines.
actors() {
  echo '{"node": "source/crash-test", "labels": ["Source"], "props": {"title": "The crash test", "source_kind": "article", "published": "2026-12-06"}}'
  awk -v n="$1" -v p="$2" 'BEGIN { for (i = 0; i < n; i++)
    printf "{\"node\": \"%s%d\", \"labels\": [\"Actor\"], \"props\": {\"name\": \"A %s%d\", \"actor_kind\": \"country\"}, \"sources\": [\"source/crash-test\"]}\n", p, i, p, i }'
}
# A random delay of 0 to $1 ms.
pause() { sleep "$(awk -v m="$1" -v r=$RANDOM 'BEGIN { printf "%.3f", (r % (m + 1)) / 1000 }')"; }
# The longest delay before the kill, per kind, in ms. A round whose write finished first shortens it by a
# third, so on a machine of any speed most kills land while the write runs.
declare -A span=([import]=1500 [shell]=1500 [server]=2000 [backup]=800)
# stop PID: SIGKILL it if it still runs; sets status to its exit status (137 when the kill ended it, the
# process's own status when it had already finished) and counts the kills.
stop() {
  kill -9 "$1" 2>/dev/null || true
  status=0
  wait "$1" 2>/dev/null || status=$?
  if ((status == 137)); then
    kills=$((kills + 1))
    killed_by[$kind]=$((${killed_by[$kind]} + 1))
  else
    done_by[$kind]=$((${done_by[$kind]} + 1))
    span[$kind]=$((${span[$kind]} * 2 / 3 + 1))
  fi
}

start=$(date +%s)
for ((round = 0; round < rounds; round++)); do
  kinds=(import shell server backup)
  kind=${kinds[round % 4]}
  case $kind in
    import)
      actors 3000 "actor/r$round-" >"$work/in.jsonl"
      "$bin" --db "$db" import "$work/in.jsonl" >/dev/null 2>&1 &
      pid=$!
      pause "${span[import]}"
      stop "$pid"
      acked=0
      if ((status == 0)); then acked=1; elif ((status != 137)); then fail "it failed (status $status) before it was killed"; fi
      n=$(count "actor/r$round-") || { fail "the database does not open"; continue; }
      if [[ $acked == 1 && $n != 3000 ]]; then fail "an acknowledged import has $n of 3000 actors"; fi
      if [[ $n != 0 && $n != 3000 ]]; then fail "an import is there in part ($n of 3000)"; fi
      if [[ $status == 137 && $n == 3000 ]]; then committed_killed=$((committed_killed + 1)); fi
      acked_total=$((acked_total + acked))
      ;;
    shell)
      for ((i = 0; i < 400; i++)); do
        echo "CREATE (a:Actor {key: 'actor/r$round-$i-', name: 'S $i'}) RETURN a.key AS ack;"
      done >"$work/in.cypher"
      "$bin" --db "$db" shell <"$work/in.cypher" >"$work/out" 2>&1 &
      pid=$!
      pause "${span[shell]}"
      stop "$pid"
      keys "actor/r$round-" >"$work/present" || { fail "the database does not open"; continue; }
      { grep -o "actor/r$round-[0-9]*-" "$work/out" || true; } | sort -u >"$work/acks"
      missing=$(comm -23 "$work/acks" "$work/present" | wc -l)
      ((missing == 0)) || fail "$missing acknowledged statements are missing, e.g. $(comm -23 "$work/acks" "$work/present" | head -n 1)"
      acked_total=$((acked_total + $(wc -l <"$work/acks")))
      ;;
    server)
      "$bin" --db "$db" serve --bind 127.0.0.1 --port "$port" --token-file "$work/token" >"$work/serve.log" 2>&1 &
      pid=$!
      for ((w = 0; w < 100; w++)); do
        if curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
        sleep 0.1
      done
      : >"$work/acked"
      (
        for ((b = 0; b < 1000; b++)); do
          actors 50 "actor/r$round-b$b-" >"$work/b.jsonl"
          code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/x-ndjson' \
            -H 'Authorization: Bearer secret' --data-binary @"$work/b.jsonl" "http://127.0.0.1:$port/api/import" || true)
          if [[ $code == 200 ]]; then echo "$b" >>"$work/acked"; fi
          if [[ $code == 000 ]]; then break; fi
        done
      ) &
      client=$!
      pause "${span[server]}"
      stop "$pid"
      ((status == 137)) || fail "the server exited by itself (status $status; its log: $(tail -n 1 "$work/serve.log"))"
      wait "$client" 2>/dev/null || true
      keys "actor/r$round-b" >"$work/present" || { fail "the database does not open"; continue; }
      # How many actors of each batch are there: "BATCH COUNT" lines.
      sed 's/^actor\/r[0-9]*-b\([0-9]*\)-.*/\1/' "$work/present" | sort -n | uniq -c | awk '{ print $2, $1 }' >"$work/batches"
      while read -r b n; do
        [[ $n == 50 ]] || fail "server import $b is there in part ($n of 50)"
      done <"$work/batches"
      while read -r b; do
        grep -q "^$b 50$" "$work/batches" || fail "acknowledged server import $b is missing"
        acked_total=$((acked_total + 1))
      done <"$work/acked"
      ;;
    backup)
      "$bin" --db "$db" backup "$work/backups" >/dev/null 2>&1 &
      pid=$!
      pause "${span[backup]}"
      stop "$pid"
      if ((status != 0 && status != 137)); then fail "it failed (status $status) before it was killed"; fi
      count "actor/" >/dev/null || fail "the database does not open"
      if ((status == 0)); then
        rm -rf "$work/restored"
        "$bin" --db "$work/restored" restore "$work/backups" >/dev/null 2>&1 || fail "the finished backup does not restore"
        acked_total=$((acked_total + 1))
      fi
      ;;
  esac
done
elapsed=$(($(date +%s) - start))
total=$(count "actor/")
echo "crash_rounds: $rounds rounds, $kills killed while running, $acked_total acknowledged writes checked, $total actors, ${elapsed} s, $failures failures"
for k in import shell server backup; do
  echo "crash_rounds:   $k: ${killed_by[$k]} killed, ${done_by[$k]} finished before the kill (delay now up to ${span[$k]} ms)"
done
echo "crash_rounds:   imports killed after committing: $committed_killed"
# A run that never killed a write or never saw one acknowledged proves nothing.
if ((kills < rounds / 2 || acked_total == 0)); then
  echo "crash_rounds: too few kills ($kills) or acknowledged writes ($acked_total) to mean anything" >&2
  failures=$((failures + 1))
fi
[[ $failures == 0 ]]
