#!/bin/bash
# bench/mpi_scaling.sh - weak and strong scaling of the MPI build over ranks.
#
# usage: bench/mpi_scaling.sh [BUILD_DIR] [options]
#   BUILD_DIR            an MPI build (default: build-mpi beside this script's
#                        repository; configured with -DEXOBD_MPI=ON if needed)
#   --ranks LIST         rank counts (default 1,2)
#   --per-rank N         vesicles per rank in the weak-scaling runs, and per
#                        rank at the largest count in the strong ones (2e5)
#   --repeats R          runs of each point; the fastest counts (default 3)
#   --steps S            steps of each run (default 1000)
#   --threads T          OpenCL CPU threads per rank (POCL_MAX_PTHREAD_COUNT;
#                        default 1, so each rank of a CPU-only node takes one
#                        core; 0 leaves PoCL's choice)
#   --mpirun "CMD"       how to start ranks (default "mpirun --oversubscribe";
#                        on a cluster e.g. "srun --gpus-per-task=1")
#
# Two workloads, each run with exobd itself as users run it:
#   free       free diffusion in a periodic box (scenarios/free_diffusion.cfg),
#              no output: the stepping and the per-launch coordination;
#   targeting  the tumour-vessel targeting scenario (flow, binding, receptor
#              depletion, events), with its observables and events written to
#              a shared HDF5 file: gathers, sums and parallel output too.
# Weak scaling keeps the vesicles per rank fixed (ideal: particle-steps/s
# grows with the ranks); strong scaling keeps the run fixed (ideal: the same
# growth).  The rate is rank 0's: particle-steps of the whole run per second
# of its run loop.  Efficiency = rate(P) / (P x rate(1)), both measured in
# this run.  Prints a Markdown table; nothing passes or fails on a number.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build="$root/build-mpi"
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then
    build=$1
    shift
fi
ranks=1,2 per_rank=200000 repeats=3 steps=1000 threads=1 launcher="mpirun --oversubscribe"
while [ $# -gt 0 ]; do
    case "$1" in
    --ranks) ranks=$2; shift 2 ;;
    --per-rank) per_rank=$(printf '%.0f' "$2"); shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --mpirun) launcher=$2; shift 2 ;;
    *) echo "mpi_scaling.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEXOBD_MPI=ON >/dev/null
fi
cmake --build "$build" --target exobd -- -j"$(nproc)" >/dev/null
exobd="$build/exobd"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMPI_MCA_mpi_yield_when_idle=1
[ "$(id -u)" -eq 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
[ "$threads" -gt 0 ] && export POCL_MAX_PTHREAD_COUNT=$threads

# rate WORKLOAD NP N: the best particle-steps/s of `repeats` runs.
rate() {
    local workload=$1 np=$2 n=$3 best=0 args
    case "$workload" in
    free) args=("$root/scenarios/free_diffusion.cfg" -o "" --set "vesicles.[0].count=$n"
                --set simulation.steps="$steps") ;;
    targeting) args=("$root/scenarios/tumor_vessel_targeting.cfg" -o "$work/t.h5"
                     --set "vesicles.[0].count=$n" --set simulation.steps="$steps"
                     --set output.every=$((steps / 2)) --set output.sample=1000) ;;
    esac
    for _ in $(seq "$repeats"); do
        $launcher -np "$np" -x POCL_MAX_PTHREAD_COUNT "$exobd" run "${args[@]}" \
            --steps-per-launch 100 2>"$work/log" >/dev/null ||
            { echo "mpi_scaling.sh: $workload on $np ranks failed:" >&2; cat "$work/log" >&2; exit 1; }
        local r
        r=$(sed -n "s/.*step $steps\/$steps .* \([0-9.e+]*\) particle-steps\/s.*/\1/p" "$work/log" | tail -1)
        best=$(awk -v a="$best" -v b="$r" 'BEGIN { print (b > a ? b : a) }')
    done
    echo "$best"
}

IFS=, read -r -a counts <<<"$ranks"
largest=${counts[${#counts[@]}-1]}
echo "## Scaling over MPI ranks"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores;"
echo "ranks: $ranks, started by \`$launcher\`, OpenCL CPU threads per rank: ${threads/#0/PoCL\'s choice};"
echo "best of $repeats runs of $steps steps; exobd $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')."
echo
echo "| workload | scaling | ranks | vesicles | particle-steps/s | efficiency |"
echo "|---|---|---|---|---|---|"
for workload in free targeting; do
    for kind in weak strong; do
        base=""
        for np in "${counts[@]}"; do
            if [ "$kind" = weak ]; then n=$((per_rank * np)); else n=$((per_rank * largest)); fi
            r=$(rate "$workload" "$np" "$n")
            [ -z "$base" ] && base=$r
            eff=$(awk -v r="$r" -v b="$base" -v p="$np" 'BEGIN { printf "%.2f", r / (p * b) }')
            printf '| %s | %s | %s | %s | %.3g | %s |\n' "$workload" "$kind" "$np" "$n" "$r" "$eff"
        done
    done
done
