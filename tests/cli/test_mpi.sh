#!/bin/bash
# test_mpi.sh EXOBD SOURCE_DIR - the MPI build (EXOBD_MPI) end to end, with
# mpirun on however many cores there are (oversubscribed: 3 ranks on 2):
#   - a binding capillary (three populations, one infused, events, receptor
#     depletion with extra updates and held steps, uptake, cargo) on 1, 2
#     and 3 ranks (3: uneven parts, a boundary inside a population): bitwise
#     the same trajectories, observables and sorted events, the same XDMF;
#     depletion on 2 ranks steps in where and as often as on 1;
#   - a tissue with cells that bind, and density images, on 1 and 2 ranks;
#   - a checkpoint taken on 2 ranks resumed on 1, one taken on 1 resumed on
#     2, and one taken on 3 resumed on 2: each equal to the uninterrupted run;
#   - a rank whose device does not exist, or an output folder that does not
#     exist, stops the job with one clear message and exit 2, and a rank whose
#     device fails mid-run stops every rank with its message and exit 1: no
#     hang (each run has a time limit).
# Skips (77) without mpirun, an OpenCL device or h5py.
. "$(dirname "$0")/cli_setup.sh" "$@"
CMP="$PY $SRC/tests/tools/compare_runs.py"
command -v mpirun >/dev/null || { echo "skip: no mpirun"; exit 77; }

# Open MPI as root (CI), more ranks than cores, in a container: ranks yield
# the core while they wait, one PoCL thread each.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_mpi_yield_when_idle=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
export POCL_MAX_PTHREAD_COUNT=1
# mpi NP ARGS...: exobd on NP ranks, at most 240 s (a hang is a failure).
mpi() {
    local np=$1
    shift
    timeout 240 mpirun --oversubscribe -np "$np" -x POCL_MAX_PTHREAD_COUNT \
        -x EXOBD_CACHE_DIR "$EXOBD" "$@"
}
# same_xdmf A.h5 B.h5: the sidecars equal but for the file names they hold.
same_xdmf() {
    sed "s/${1%.h5}\.h5/X.h5/g" "${1%.h5}.xdmf" >a.xdmf.txt
    sed "s/${2%.h5}\.h5/X.h5/g" "${2%.h5}.xdmf" >b.xdmf.txt
    cmp -s a.xdmf.txt b.xdmf.txt
}
updates() { sed -n 's/.*and \([0-9]*\) times between.*; \([0-9]*\) steps held.*/\1 \2/p' "$1"; }

binding_capillary mpi_test 11 1200 100 "$THREE_POPULATIONS" > s.cfg
OPT=(--steps-per-launch 100)

# ---- 1, 2 and 3 ranks ------------------------------------------------------
for np in 1 2 3; do
    mpi "$np" run s.cfg -o r$np.h5 "${OPT[@]}" 2>r$np.log || bad "capillary on $np ranks (exit $?)"
done
grep -q "20004 vesicles over 3 MPI ranks" r3.log && ok "3 ranks split the run" ||
    bad "3 ranks: no split reported"
# 20004 / 3 = 6668: the boundaries move to 64 vesicles from a population's
# start (6656 in a, 12004 + 21 x 64 = 13348 in c), so rank 1 holds the end
# of a, all of b and the start of c.
grep -q "rank 1: vesicles 6656..13347 (6692)" r3.log &&
    grep -q "rank 2: vesicles 13348..20003 (6656)" r3.log && ok "3 ranks: uneven parts, aligned" ||
    bad "3 ranks: unexpected parts: $(grep 'rank [12]: vesicles' r3.log)"
grep -q "particle-steps/s in its launches" r2.log && ok "ranks report their speed" ||
    bad "no per-rank speed in the log"
for np in 2 3; do
    $CMP r1.h5 r$np.h5 | sed 's/^/  /'
    [ "${PIPESTATUS[0]}" -eq 0 ] && ok "$np ranks: trajectories, observables, events equal 1 rank's" ||
        bad "$np ranks differ from 1"
    same_xdmf r1.h5 r$np.h5 && ok "$np ranks: the same XDMF" || bad "$np ranks: XDMF differs"
done
# ParaView reads the per-frame views (/xdmf/frames/<k>): they must show the
# rows every rank wrote.
$PY - r3.h5 <<'PYEOF' && ok "3 ranks: every frame's views show the frame" || bad "3 ranks: frame views"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1])
v = f["particles/vesicles"]
sys.exit(0 if all(np.array_equal(f["xdmf/frames/%06d/%s" % (k, n)][()], v[n]["value"][k])
                  for k in range(v["position/value"].shape[0])
                  for n in ("position", "state", "bonds")) else 1)
PYEOF
u1=$(updates r1.log)
u2=$(updates r2.log)
[ -n "$u1" ] && [ "${u1%% *}" -gt 0 ] && [ "$u1" = "$u2" ] &&
    ok "depletion: $u1 (extra updates, held steps) on 1 and on 2 ranks" ||
    bad "depletion: '$u1' on 1 rank, '$u2' on 2"

# ---- cells that bind, a tissue beside the vessel, density images ----------
EPR=(--set 'simulation.duration="0.005 s"' --set output.every=250 --steps-per-launch 50
     --set 'output.density={ every = 1; bins = [8, 8, 8]; }' --quiet)
mpi 1 run "$SRC/scenarios/tumor_epr.cfg" -o e1.h5 "${EPR[@]}" || bad "tumor_epr on 1 rank"
mpi 2 run "$SRC/scenarios/tumor_epr.cfg" -o e2.h5 "${EPR[@]}" || bad "tumor_epr on 2 ranks"
$CMP e1.h5 e2.h5 | sed 's/^/  /'
[ "${PIPESTATUS[0]}" -eq 0 ] && ok "tumor_epr (cells, tissue, density): 2 ranks equal 1" ||
    bad "tumor_epr: 2 ranks differ from 1"
$PY -c "import h5py,sys; f=h5py.File('e2.h5'); sys.exit(0 if 'density' in f and
        f['density/free/value'][-1].sum() > 0 else 1)" && ok "density images written" ||
    bad "no density images on 2 ranks"

# ---- checkpoints across rank counts -----------------------------------------
wait_for() { for _ in $(seq 2400); do [ -e "$1" ] && return 0; sleep 0.05; done; return 1; }
# stop_at_checkpoint NP OUT: run on NP ranks (0: without mpirun) until the
# first checkpoint, then SIGTERM to each rank (not to mpirun, which would
# kill them): they agree to stop and leave the checkpoint.
stop_at_checkpoint() {
    local np=$1 out=$2
    if [ "$np" = 0 ]; then
        "$EXOBD" run s.cfg -o "$out.h5" --steps-per-launch 7 --checkpoint-steps 350 --quiet &
    else
        mpi "$np" run s.cfg -o "$out.h5" --steps-per-launch 7 --checkpoint-steps 350 --quiet &
    fi
    local pid=$!
    wait_for "$out.ckpt" || bad "$out: no checkpoint appeared"
    pkill -TERM -f "^$EXOBD run s.cfg -o $out.h5"
    wait $pid
    local rc=$?
    [ $rc -eq 143 ] && [ -e "$out.ckpt" ] && ok "$out: stopped with a checkpoint (exit 143)" ||
        bad "$out: exit $rc after SIGTERM"
}
resumed() { # NP OUT: resume OUT.ckpt on NP ranks (0: without mpirun), compare
    local np=$1 out=$2
    if [ "$np" = 0 ]; then
        "$EXOBD" run s.cfg --resume "$out.ckpt" --quiet || bad "$out: resume without MPI"
    else
        mpi "$np" run s.cfg --resume "$out.ckpt" --quiet || bad "$out: resume on $np ranks"
    fi
    $CMP r1.h5 "$out.h5" | sed 's/^/  /'
    [ "${PIPESTATUS[0]}" -eq 0 ] && [ ! -e "$out.ckpt" ] &&
        ok "$out: resumed on ${np/#0/1 (no MPI)} rank(s), equal to the uninterrupted run" ||
        bad "$out: resumed run differs from the uninterrupted one"
}
stop_at_checkpoint 2 c21
resumed 0 c21
stop_at_checkpoint 0 c12
resumed 2 c12
stop_at_checkpoint 3 c32
resumed 2 c32

# ---- a rank that fails ------------------------------------------------------
# Rank 1 asks for a device that does not exist: one message, exit 2.
mpi 2 run s.cfg -o bad.h5 --device cpu,no-such-device "${OPT[@]}" 2>bad.log
rc=$?
[ $rc -eq 2 ] && grep -q "rank 1 of 2: --device 'no-such-device' matches no OpenCL device" bad.log &&
    [ "$(grep -c 'error:' bad.log)" -eq 1 ] && [ ! -e bad.h5 ] &&
    ok "a rank without its device: one message, exit 2, no file" ||
    { bad "bad device on rank 1: exit $rc"; sed 's/^/  /' bad.log; }
# An output folder that does not exist: found by rank 0, which creates the
# file; one message, exit 2 on every rank.
mpi 2 run s.cfg -o no/such/folder/x.h5 "${OPT[@]}" --quiet 2>nodir.log
rc=$?
[ $rc -eq 2 ] && grep -q "cannot create output file no/such/folder/x.h5" nodir.log &&
    [ "$(grep -c 'error:' nodir.log)" -eq 1 ] &&
    ok "an output folder that does not exist: one message, exit 2" ||
    { bad "missing output folder on 2 ranks: exit $rc"; sed 's/^/  /' nodir.log; }
# Rank 1's device fails in its 20th launch (EXOBD_FAULT_LAUNCH): every rank
# stops, with rank 1's message.
cat >fault.sh <<'SH'
#!/bin/sh
[ "$OMPI_COMM_WORLD_RANK" = 1 ] && export EXOBD_FAULT_LAUNCH=20
exec "$@"
SH
chmod +x fault.sh
timeout 240 mpirun --oversubscribe -np 2 -x POCL_MAX_PTHREAD_COUNT -x EXOBD_CACHE_DIR \
    ./fault.sh "$EXOBD" run s.cfg -o lost.h5 "${OPT[@]}" --quiet 2>lost.log
rc=$?
[ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q "rank 1 of 2: .*CL_OUT_OF_RESOURCES" lost.log &&
    grep -q "stopping every rank" lost.log &&
    ok "a device lost on rank 1 mid-run stops every rank (exit $rc)" ||
    { bad "device lost on rank 1: exit $rc"; sed 's/^/  /' lost.log | head -20; }

[ $fails -eq 0 ] && echo "all MPI checks passed" || echo "$fails failed"
[ $fails -eq 0 ]
