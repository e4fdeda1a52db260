#!/bin/sh
# bench/run.sh - build and run exo_bench, record the run in bench/RESULTS.md.
#
# usage: bench/run.sh [BUILD_DIR] [-- exo_bench options...]
#   BUILD_DIR  CMake build directory (default: ../build relative to this
#              script, i.e. the repository's build/); configured if needed.
#   Anything after the build dir (or after --) goes to exo_bench, e.g.
#   bench/run.sh build -- --n 1e4,1e5 --repeats 5
#
# The newest run goes at the top of RESULTS.md; earlier runs are kept under
# "Previous runs".  RESULTS.md is left unchanged when the benchmark fails.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build="$root/build"
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
    build=$1
    shift
fi
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
mkdir -p "$build"
build=$(cd "$build" && pwd)
results="$here/RESULTS.md"

# ---- build -----------------------------------------------------------------
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build" --target exo_bench exobd -- -j2 >/dev/null
bench="$build/bench/exo_bench"
# The ceiling (bench/ceiling.c, built where OpenMP is found) runs in the
# same benchmark, so the ratios compare numbers measured together.
if cmake --build "$build" --target exo_ceiling -- -j2 >/dev/null 2>&1 &&
   [ -x "$build/bench/exo_ceiling" ]; then
    set -- --ceiling "$build/bench/exo_ceiling" "$@"
fi
# LAMMPS (Debian's lammps package) on the free workload, when installed.
if command -v lmp >/dev/null 2>&1 && command -v mpirun >/dev/null 2>&1; then
    set -- --lammps "$root/bench/lammps_free.in" "$@"
else
    echo "bench/run.sh: LAMMPS not installed (apt-get install lammps): no comparison" >&2
fi

# ---- the machine, before the run -------------------------------------------
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
busy=$(awk '{ print ($1 > 0.5) ? "yes" : "no" }' /proc/loadavg)
date_utc=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
cpu_model=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n1)
cpus=$(nproc 2>/dev/null || echo '?')
cores=$(lscpu 2>/dev/null | awk -F: '/^Core\(s\) per socket/ {c=$2} /^Socket\(s\)/ {s=$2}
        END { gsub(/ /,"",c); gsub(/ /,"",s); if (c != "" && s != "") print c*s; else print "?" }')
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
os=$( (. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}") || echo unknown)
kernel=$(uname -r)
cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt" | head -n1)
cc_version=$("${cc:-cc}" --version 2>/dev/null | head -n1 || echo unknown)
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" | head -n1)
pocl=$(dpkg-query -W pocl-opencl-icd 2>/dev/null | tr '\t' ' ' || true)
[ -n "$pocl" ] || pocl="pocl-opencl-icd not installed (dpkg)"
rev=$(git -C "$root" describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)
devices=$("$build/exobd" devices 2>&1 || true)

invocation="bench/run.sh"
[ "$build" = "$root/build" ] || invocation="$invocation $build"
[ $# -gt 0 ] && invocation="$invocation --"
cmd="$bench"
for a in "$@"; do
    cmd="$cmd $a"
    invocation="$invocation $a"
done

# ---- run ---------------------------------------------------------------------
# Busy CPU ticks of the whole machine (/proc/stat: user nice system irq
# softirq steal), to tell how much CPU other processes took during the run.
cpu_busy_ticks() {
    awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}
# CPU seconds used by this shell's finished children: POSIX `times`, run in
# this shell (in a $(...) subshell it would see no children), second line.
children_cpu_s() {
    times >"$table.times"
    awk 'NR == 2 { t = 0
        for (i = 1; i <= 2; i++) { split($i, a, "m"); sub("s", "", a[2]); t += a[1] * 60 + a[2] }
        printf "%.2f\n", t }' "$table.times"
}
table=$(mktemp)
trap 'rm -f "$table" "$table.new" "$table.times" "$table.own0" "$table.own1"' EXIT
echo "run.sh: $cmd" >&2
ticks0=$(cpu_busy_ticks)
children_cpu_s >"$table.own0"; own0=$(cat "$table.own0")
wall0=$(cut -d" " -f1 /proc/uptime)
"$bench" "$@" >"$table"
wall1=$(cut -d" " -f1 /proc/uptime)
children_cpu_s >"$table.own1"; own1=$(cat "$table.own1")
ticks1=$(cpu_busy_ticks)
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
others=$(awk -v t0="$ticks0" -v t1="$ticks1" -v o0="$own0" -v o1="$own1" \
             -v w0="$wall0" -v w1="$wall1" -v hz="$hz" -v n="$cpus" 'BEGIN {
    other = (t1 - t0) / hz - (o1 - o0); if (other < 0) other = 0
    avail = (w1 - w0) * n; if (avail <= 0) avail = 1
    printf "%.0f %.0f %.0f\n", other, avail, 100 * other / avail }')
other_s=${others%% *}
other_pct=${others##* }
avail_s=$(echo "$others" | cut -d' ' -f2)
[ "$other_pct" -gt 10 ] && busy=yes

# ---- RESULTS.md ----------------------------------------------------------------
{
    echo "# exobd benchmark results"
    echo
    echo "Written by bench/run.sh; newest run first.  What the numbers mean: bench/README.md."
    echo
    echo "## Run of $date_utc"
    echo
    echo "- machine: $cpu_model; $cpus logical CPUs ($cores cores); $mem memory"
    echo "- OS: $os (Linux $kernel)"
    echo "- compiler: $cc_version; build type ${build_type:-unset}"
    echo "- PoCL: $pocl"
    echo "- exobd revision: $rev"
    echo "- command: \`$invocation\`, which ran \`$cmd\`"
    echo "- load average (1, 5, 15 min): $load_start at start, $load_end at end"
    echo "- other processes used $other_s CPU-s of the $avail_s CPU-s the machine had"
    echo "  during the benchmark ($other_pct%)"
    if [ "$busy" = yes ]; then
        echo "- **measured while other jobs ran** (1-minute load average above 0.5 at"
        echo "  start, or other processes above 10% of the CPU during the run): expect"
        echo "  noisy, lower numbers than on an idle machine"
    fi
    echo
    echo "OpenCL devices (\`exobd devices\`):"
    echo
    echo '```'
    echo "$devices"
    echo '```'
    echo
    cat "$table"
    echo
    echo "## Previous runs"
    echo
    if [ -f "$results" ] && grep -q '^## Run of ' "$results"; then
        # The old newest run, demoted one heading level, then the older runs.
        awk '/^## Previous runs/ { exit }
             /^## Run of / { f = 1; print "#" $0; next }
             f { print }' "$results"
        awk 'f && (started || NF) { started = 1; print }
             /^## Previous runs/ { f = 1 }' "$results" | grep -v '^(none)$' || true
    else
        echo "(none)"
    fi
} >"$table.new"
mv "$table.new" "$results"
echo "run.sh: wrote $results" >&2
