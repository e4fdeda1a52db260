#!/usr/bin/env bash
# test_scenarios: every scenario in scenarios/ is valid (exobd check) and
# runs (a few steps with fewer vesicles), writing its output files.
# Usage: test_scenarios.sh EXOBD SOURCE_DIR
set -u
exobd="$1"; src="$2"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
passed=0; failed=0
for cfg in "$src"/scenarios/*.cfg; do
  name="$(basename "$cfg" .cfg)"
  if "$exobd" check "$cfg" >"$dir/$name.check" 2>&1; then
    passed=$((passed + 1)); echo "ok: exobd check $name"
  else
    failed=$((failed + 1)); echo "FAIL: exobd check $name"; cat "$dir/$name.check"
  fi
  if "$exobd" run "$cfg" --quiet -o "$dir/$name.h5" --set vesicles.[0].count=2000 \
       --set output.sample=500 --set simulation.steps=50 --set output.every=25 \
       >"$dir/$name.run" 2>&1 && [ -s "$dir/$name.h5" ] && [ -s "$dir/$name.xdmf" ]; then
    passed=$((passed + 1)); echo "ok: exobd run $name (shortened)"
  else
    failed=$((failed + 1)); echo "FAIL: exobd run $name"; cat "$dir/$name.run"
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
