#!/usr/bin/env bash
# Checks that the project's C++ follows .clang-format (the generated grammar and third-party code
# excepted). To fix: scripts/format.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mapfile -t files < <(find bench cli domain query store tests util web/server -path '*/node_modules' -prune -o \( -name '*.cc' -o -name '*.h' \) -print | sort)
if ! clang-format-14 --dry-run --Werror "${files[@]}" 2>/tmp/lodestone-format-check.$$; then
  grep -E "^[^ ].*(warning|error):" /tmp/lodestone-format-check.$$ | cut -d: -f1 | sort -u | sed 's/^/not formatted: /'
  rm -f /tmp/lodestone-format-check.$$
  echo "format_check: run scripts/format to format them" >&2
  exit 1
fi
rm -f /tmp/lodestone-format-check.$$
echo "format_check: ${#files[@]} files follow .clang-format"
