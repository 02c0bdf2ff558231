#!/usr/bin/env bash
# Runs a libFuzzer target (docs/fuzzing.md).
#
#   run.sh replay BINARY DIR...                  run every input in the DIRs once (missing DIRs are skipped);
#                                                fails on the first crash, sanitizer report or broken invariant
#   run.sh fuzz BINARY SECONDS DICT CORPUS [REGRESSIONS] [WORK]
#                                                fuzz for SECONDS starting from CORPUS (never written to) and
#                                                REGRESSIONS, with the dictionary DICT ("" for none); new inputs
#                                                go to WORK/corpus (a scratch directory when WORK is not given),
#                                                crashes to WORK/crashes. Prints libFuzzer's last status line.
set -euo pipefail
mode=$1 binary=$2
shift 2
# Leaks are reported (a leak is a crash); a statement's time limit is 250 ms, so 10 s per input is a hang.
common=(-rss_limit_mb=4096 -timeout=10 -print_final_stats=1)

case "$mode" in
  replay)
    files=()
    for dir in "$@"; do
      [[ -d $dir ]] || continue
      while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$dir" -type f -print0 | sort -z)
    done
    if [[ ${#files[@]} -eq 0 ]]; then
      echo "run.sh: no inputs to replay in $*" >&2
      exit 1
    fi
    log=$(mktemp)
    trap 'rm -f "$log"' EXIT
    # One process for all inputs; on failure libFuzzer names the input that failed.
    if ! "$binary" "${common[@]}" "${files[@]}" >"$log" 2>&1; then
      tail -n 60 "$log"
      echo "run.sh: $(basename "$binary") failed on a committed input (see above)" >&2
      exit 1
    fi
    echo "run.sh: $(basename "$binary") replayed ${#files[@]} inputs"
    ;;
  fuzz)
    seconds=$1 dict=$2 corpus=$3 regressions=${4:-} work=${5:-}
    if [[ -z $work ]]; then
      work=$(mktemp -d)
      trap 'rm -rf "$work"' EXIT
    fi
    mkdir -p "$work/corpus" "$work/crashes"
    args=("${common[@]}" -max_total_time="$seconds" -artifact_prefix="$work/crashes/")
    [[ -n $dict ]] && args+=(-dict="$dict")
    dirs=("$work/corpus" "$corpus")
    [[ -n $regressions && -d $regressions ]] && dirs+=("$regressions")
    log="$work/fuzz.log"
    status=0
    "$binary" "${args[@]}" "${dirs[@]}" >"$log" 2>&1 || status=$?
    grep -E "^#[0-9]+ *(DONE|pulse|NEW|REDUCE)" "$log" | tail -n 1 || true
    grep -E "^stat::" "$log" || true
    if [[ $status -ne 0 ]]; then
      grep -A30 -E "ERROR: |runtime error|fuzz invariant broken|==[0-9]+==" "$log" | head -n 60
      echo "run.sh: $(basename "$binary") found a crash; the input is in $work/crashes/" >&2
      exit 1
    fi
    ;;
  *)
    echo "run.sh: unknown mode '$mode' (expected replay or fuzz)" >&2
    exit 2
    ;;
esac
