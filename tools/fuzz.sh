#!/usr/bin/env bash
# Fuzz the scenario loader and the unit parser with libFuzzer (clang, with
# ASan/UBSan): first replay every input in fuzz/regressions/ (inputs that
# once crashed; they must now load or be refused cleanly), then fuzz each
# target for SECONDS (default 30) from a seed corpus (scenarios/ and
# fuzz/seeds/).  Exits nonzero on any crash; a crashing input is left in
# build-fuzz/ as crash-<target>-*: add it to fuzz/regressions/<target>/.
#
# usage: tools/fuzz.sh [SECONDS] [BUILD_DIR]
# FUZZ_SEED (default 1) seeds libFuzzer's mutations, so a CI run repeats
# the same inputs as far as the time allows; set it to vary them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-30}"
build="${2:-$root/build-fuzz}"

if ! command -v clang >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "fuzz: installing clang (libFuzzer)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang >/dev/null
  else
    echo "fuzz: clang not found; install it: apt-get install clang" >&2
    exit 1
  fi
fi
"$root/tools/install-deps.sh" >/dev/null
cmake -S "$root/fuzz" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null

# libconfig's own leak on one error path (fuzz/lsan.supp says which).
export LSAN_OPTIONS="suppressions=$root/fuzz/lsan.supp:print_suppressions=0"
status=0
for target in scenario units; do
  exe="$build/fuzz_$target"
  regressions=("$root"/fuzz/regressions/$target/*)
  if [ -e "${regressions[0]}" ]; then
    echo "fuzz_$target: replaying ${#regressions[@]} regression inputs"
    "$exe" -runs=1 "${regressions[@]}" >"$build/replay-$target.log" 2>&1 ||
      { echo "fuzz_$target: a regression input fails:"; tail -30 "$build/replay-$target.log"; status=1; }
  fi
  corpus="$build/corpus-$target"
  mkdir -p "$corpus"
  seeds="$root/fuzz/seeds/$target"
  [ "$target" = scenario ] && seeds="$root/scenarios"
  dict=()
  [ -f "$root/fuzz/$target.dict" ] && dict=(-dict="$root/fuzz/$target.dict")
  echo "fuzz_$target: fuzzing for $seconds s"
  if "$exe" "$corpus" "$seeds" "${dict[@]}" -max_total_time="$seconds" -seed="${FUZZ_SEED:-1}" -max_len=16384 \
       -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$build/crash-$target-" >"$build/fuzz-$target.log" 2>&1; then
    grep -E "^stat::number_of_executed_units|^stat::peak_rss" "$build/fuzz-$target.log" |
      sed "s/^/fuzz_$target: /"
  else
    echo "fuzz_$target: crash found:"
    tail -40 "$build/fuzz-$target.log"
    status=1
  fi
done
exit $status
