#!/bin/bash
# test_batching.sh EXOBD SOURCE_DIR - more vesicles than the device memory
# (--device-memory), end to end on the OpenCL device:
#   - a binding capillary (three populations of uneven sizes, one infused;
#     events, receptor depletion, uptake, cargo) and scenarios/tumor_epr.cfg
#     (cells that bind, lumen and tissue) run in batches give files bitwise
#     equal to the unbatched runs: trajectories, observables, events;
#   - a batched run stopped with a checkpoint resumes unbatched (and the
#     reverse) to the straight run;
#   - a cap too small for a batch, and a size that is not one, exit 2.
# Skips (77) without an OpenCL device or without h5py.
. "$(dirname "$0")/cli_setup.sh" "$@"
CMP="$PY $SRC/tests/tools/compare_runs.py"

binding_capillary batching_test 11 1500 100 "$THREE_POPULATIONS" > s.cfg

# 20004 vesicles at 32 bytes need 0.64 MB; the other buffers (events, two
# frames in flight, 1 MiB to spare) take 2.3 MB, so 2.8 MB leaves 0.47 MB for
# the vesicles: 2 batches of at most about 15000, a boundary inside a
# population.
"$EXOBD" run s.cfg -o straight.h5 --quiet || { echo "FAIL: the straight run"; exit 1; }
"$EXOBD" run s.cfg -o batched.h5 --device-memory 2.8MB 2>batched.log ||
    { echo "FAIL: the batched run"; cat batched.log; exit 1; }
grep -q "vesicles do not fit the device memory given by --device-memory: [2-9] batches" \
    batched.log && ok "capillary: runs in batches" ||
    bad "capillary: no batches reported in: $(tr '\r' '\n' < batched.log | grep -v '^step')"
$CMP straight.h5 batched.h5 | sed 's/^/  /'
[ "${PIPESTATUS[0]}" -eq 0 ] && ok "capillary: batched equals unbatched" ||
    bad "capillary: batched differs from unbatched"

# Tiny batches: about 1900 vesicles each, 11 of them.
"$EXOBD" run s.cfg -o tiny.h5 --set simulation.steps=200 --set output.every=50 \
    --quiet || bad "capillary: 200 steps unbatched"
"$EXOBD" run s.cfg -o tiny_b.h5 --set simulation.steps=200 --set output.every=50 \
    --device-memory 2.39MB 2>tiny.log || bad "capillary: 200 steps in tiny batches"
batches=$(sed -n 's/.*--device-memory: \([0-9]*\) batches.*/\1/p' tiny.log)
[ "${batches:-0}" -ge 10 ] && ok "capillary: $batches tiny batches" ||
    bad "capillary: expected at least 10 batches, got '${batches:-none}'"
$CMP tiny.h5 tiny_b.h5 | sed 's/^/  /'
[ "${PIPESTATUS[0]}" -eq 0 ] && ok "capillary: tiny batches equal unbatched" ||
    bad "capillary: tiny batches differ"

# Checkpoint batched, resume unbatched; and the reverse.
wait_for() { for _ in $(seq 1200); do [ -e "$1" ] && return 0; sleep 0.05; done; return 1; }
stop_at_checkpoint() { # OUT [options...]: run until the first checkpoint, then SIGTERM
    local out=$1
    shift
    "$EXOBD" run s.cfg -o "$out.h5" --steps-per-launch 7 --checkpoint-steps 500 --quiet "$@" &
    local pid=$!
    wait_for "$out.ckpt" || bad "$out: no checkpoint appeared"
    kill -TERM $pid
    wait $pid
}
stop_at_checkpoint r1 --device-memory 2.8MB
"$EXOBD" run s.cfg --resume r1.ckpt --quiet || bad "resume r1 unbatched"
$CMP straight.h5 r1.h5 | sed 's/^/  /'
[ "${PIPESTATUS[0]}" -eq 0 ] && ok "checkpoint batched, resumed unbatched: equal" ||
    bad "checkpoint batched, resumed unbatched: differs"
stop_at_checkpoint r2
"$EXOBD" run s.cfg --resume r2.ckpt --device-memory 2.8MB --quiet || bad "resume r2 batched"
$CMP straight.h5 r2.h5 | sed 's/^/  /'
[ "${PIPESTATUS[0]}" -eq 0 ] && ok "checkpoint unbatched, resumed batched: equal" ||
    bad "checkpoint unbatched, resumed batched: differs"

# Cells that bind, lumen and tissue, crossing events (10 ms of tumor_epr).
# Steps per launch fixed: the device-memory budget below leaves room for
# the bonds-formed table of 100 steps per launch, not of a tuned 400.
EPR=(--set 'simulation.duration="0.01 s"' --set output.every=250 --steps-per-launch 100 --quiet)
"$EXOBD" run "$SRC/scenarios/tumor_epr.cfg" -o epr.h5 "${EPR[@]}" || bad "epr unbatched"
"$EXOBD" run "$SRC/scenarios/tumor_epr.cfg" -o epr_b.h5 "${EPR[@]}" --device-memory 2MB ||
    bad "epr batched"
$CMP epr.h5 epr_b.h5 | sed 's/^/  /'
[ "${PIPESTATUS[0]}" -eq 0 ] && ok "tumor_epr: batched equals unbatched" ||
    bad "tumor_epr: batched differs from unbatched"

# Bad input.
"$EXOBD" run s.cfg -o small.h5 --device-memory 100kB >small.out 2>small.err
rc=$?
if [ $rc -eq 2 ] && grep -q "allow more device memory" small.err && [ ! -e small.h5 ]; then
    ok "a cap too small for a batch: exit 2, no output"
else
    bad "a cap too small: exit $rc, file $( [ -e small.h5 ] && echo written || echo absent ): $(cat small.err)"
fi
"$EXOBD" run s.cfg -o small.h5 --device-memory lots >small.out 2>small.err
rc=$?
[ $rc -eq 2 ] && grep -q "\-\-device-memory expects a size" small.err &&
    ok "--device-memory lots: exit 2" || bad "--device-memory lots: exit $rc: $(cat small.err)"

[ $fails -eq 0 ] && echo "all passed" || echo "$fails failed"
[ $fails -eq 0 ]
