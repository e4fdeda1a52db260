#!/usr/bin/env bash
# Memcheck small full runs of exobd's host code: check the tumour scenario,
# run it (events, depletion, checkpoints) to its end, stop another run with
# SIGTERM and resume it, summarise; check and run the tissue scenario with
# uptake by cells and density images, and the leaky tumour capillary.  Fails on any memory error or definite
# leak.
#
# usage: tools/valgrind.sh [BUILD_DIR] [DEVICE]
#   DEVICE defaults to cpu-reference (the C reference stepper: all host code,
#   no OpenCL); give "cpu" to run on PoCL too (minutes: LLVM builds the
#   kernels under valgrind), with tools/valgrind-opencl.supp for the OpenCL
#   stack's own allocations.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
device="${2:-cpu-reference}"
exobd="$build/exobd"
if ! command -v valgrind >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null
  else
    echo "valgrind: not installed (apt-get install valgrind)" >&2
    exit 1
  fi
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/exobd_valgrind.XXXXXX")
trap 'rm -rf "$work"' EXIT
vg=(valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite
    --suppressions="$root/tools/valgrind-opencl.supp" --num-callers=30)
scenario="$root/scenarios/tumor_vessel_targeting.cfg"
sets=(--set 'vesicles.[0].count=500' --set 'simulation.duration="2 ms"'
      --set output.every=50 --set output.sample=500)
echo "valgrind: exobd check"
"${vg[@]}" "$exobd" check "$scenario" "${sets[@]}" >/dev/null
echo "valgrind: exobd run on $device (checkpoints every 50 steps)"
"${vg[@]}" "$exobd" run "$scenario" "${sets[@]}" -o "$work/t.h5" --device "$device" \
    --checkpoint-steps 50 --quiet
echo "valgrind: exobd run stopped by SIGTERM, then resumed"
long=(--set 'vesicles.[0].count=500' --set 'simulation.duration="10 ms"'
      --set output.every=50 --set output.sample=500)
rc=0
timeout --preserve-status -s TERM 4 "${vg[@]}" "$exobd" run "$scenario" "${long[@]}" -o "$work/r.h5" \
    --device "$device" --quiet 2>"$work/stop.txt" || rc=$?
if [ $rc -ne 143 ]; then
  echo "valgrind: the stopped run exited $rc, expected 143:"; cat "$work/stop.txt"; exit 1
fi
"${vg[@]}" "$exobd" run "$scenario" "${long[@]}" --resume "$work/r.ckpt" --device "$device" \
    --quiet
echo "valgrind: exobd check and run of a tissue with uptake and density images"
tissue="$root/scenarios/tissue_ecs.cfg"
tsets=(--set 'vesicles.[0].count=500' --set simulation.steps=60 --set output.every=10
       --set output.sample=500
       --set 'surfaces=({name="eat";behaviour="absorb";})'
       --set 'geometry.tissue.cell_types.[0].surface="eat"'
       --set 'output.density={bins=[8,8,8];every=2;}')
"${vg[@]}" "$exobd" check "$tissue" "${tsets[@]}" >/dev/null
"${vg[@]}" "$exobd" run "$tissue" "${tsets[@]}" -o "$work/c.h5" --device "$device" \
    --checkpoint-steps 20 --quiet
# check, a short run and the summary of scenario $1, shortened to $2
# vesicles and $3 steps, writing $work/$4.h5 (and its CSV).
check_run_summarise() {
    local sets=(--set "vesicles.[0].count=$2" --set "simulation.steps=$3" --set output.every=20
                --set output.sample=500 --set output.observables_every=20)
    "${vg[@]}" "$exobd" check "$1" "${sets[@]}" >/dev/null
    "${vg[@]}" "$exobd" run "$1" "${sets[@]}" -o "$work/$4.h5" --device "$device" --quiet
    "${vg[@]}" "$exobd" summary "$work/$4.h5" --csv "$work/$4.csv" >/dev/null
}
echo "valgrind: a tumour capillary's leaky wall: check, run, summary"
check_run_summarise "$root/scenarios/tumor_epr.cfg" 500 60 e
echo "valgrind: a sweep: check, a short run and its summary per combination"
check_run_summarise "$root/scenarios/design_sweep.cfg" 20 40 s
echo "valgrind: exobd summary"
"${vg[@]}" "$exobd" summary "$work/t.h5" >/dev/null
echo "valgrind: clean"
