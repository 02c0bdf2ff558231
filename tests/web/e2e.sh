#!/usr/bin/env bash
# The page end to end against the real server: creates a seeded database in a scratch directory with
# `lodestone init`, starts `lodestone serve` on a free port with a token file, runs the page's browser
# tests (web/app/e2e, headless Debian Chromium) with LODESTONE_URL and LODESTONE_TOKEN, then stops the
# server with SIGTERM and checks that it exits 0 and that the database opens again.
#
#   tests/web/e2e.sh LODESTONE_BINARY WEB_APP_DIR ARTIFACTS_DIR
#
# Screenshots and metrics.json go to ARTIFACTS_DIR (gitignored). Registered with ctest as web_e2e.
set -euo pipefail
bin=$(realpath "$1")
app=$(realpath "$2")
artifacts=$3
mkdir -p "$artifacts"
artifacts=$(realpath "$artifacts")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lodestone-e2e.XXXXXX")
pid=""
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

if [[ ! -d $app/node_modules/playwright-core ]]; then
  echo "e2e: npm ci in $app"
  (cd "$app" && npm ci --no-audit --no-fund --loglevel=error)
fi

"$bin" --db "$tmp/db" init
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$tmp/token"
chmod 600 "$tmp/token"

"$bin" --db "$tmp/db" serve --bind 127.0.0.1 --port 0 --token-file "$tmp/token" >"$tmp/serve.log" 2>&1 &
pid=$!
url=""
for _ in $(seq 1 200); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$tmp/serve.log" | head -1 || true)
  [[ -n $url ]] && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/serve.log"; echo "e2e: the server exited"; exit 1; }
  sleep 0.1
done
[[ -n $url ]] || { cat "$tmp/serve.log"; echo "e2e: the server did not start"; exit 1; }
echo "e2e: lodestone serve at $url"

rc=0
(cd "$app" && LODESTONE_URL=$url LODESTONE_TOKEN=$(cat "$tmp/token") E2E_ARTIFACTS=$artifacts npm run --silent e2e) || rc=$?

kill -TERM "$pid"
src=0
wait "$pid" || src=$?
pid=""
cat "$tmp/serve.log"
if [[ $src -ne 0 ]]; then echo "e2e: lodestone serve exited $src after SIGTERM (expected 0)"; rc=1; fi
if ! "$bin" --db "$tmp/db" stats >/dev/null; then echo "e2e: the database does not reopen"; rc=1; fi
echo "e2e: screenshots in $artifacts"
exit $rc
