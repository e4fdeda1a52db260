#!/bin/bash
# test_resume.sh EXOBD SOURCE_DIR - checkpoints, interruption and crashes
# (docs/reliability.md), end to end on the OpenCL device:
#   - a run stopped by SIGTERM exits 143 with a checkpoint and a readable,
#     "incomplete" file; resumed, its file is bitwise the run done straight
#     (trajectory, observables, events), and the checkpoint is gone;
#   - a second signal ends a run at once, its file still readable;
#   - kill -9 at seeded random moments: each file opens and holds the first
#     frames, observables and events of the straight run, and its XDMF names
#     no frame the file lacks;
#   - a checkpoint from another scenario, a damaged one and a missing one are
#     refused with exit 2;
#   - the device out of memory, the device lost mid-run (injected:
#     EXOBD_FAULT_ALLOC, EXOBD_FAULT_LAUNCH) and a full disk (a file-size
#     limit) fail with exit 1, the output readable up to its last frame, the
#     checkpoint before the failure whole (resumed to the straight run).
# Skips (77) without an OpenCL device or without h5py.
. "$(dirname "$0")/cli_setup.sh" "$@"
CMP="$PY $SRC/tests/tools/compare_runs.py"

# A binding capillary: events, receptor depletion (with extra updates and
# held steps), uptake and cargo, so every kind of accumulated state must
# survive the checkpoint.  About 4 s on two cores.
binding_capillary resume_test 7 3000 100 '{ count = 20000; radius = "50 nm";
    ligands = { type = "L"; count = 200; }; start = { region = "cap"; };
    cargo = { amount = 1.0; }; }' > s.cfg

"$EXOBD" run s.cfg -o straight.h5 --quiet || { echo "FAIL: the straight run"; exit 1; }
ok "straight run"

# Wait (up to 60 s) for a file to appear.
wait_for() { for _ in $(seq 1200); do [ -e "$1" ] && return 0; sleep 0.05; done; return 1; }

# ---- SIGTERM, then resume ---------------------------------------------------
"$EXOBD" run s.cfg -o b.h5 --steps-per-launch 7 --checkpoint-steps 700 2>b.log &
pid=$!
wait_for b.ckpt || bad "no periodic checkpoint appeared"
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 143 ] && ok "SIGTERM: exit 143" || bad "SIGTERM: exit $rc, expected 143"
grep -q "resume with: exobd run s.cfg --resume b.ckpt" b.log && ok "SIGTERM: says how to resume" ||
    bad "SIGTERM: no resume command in: $(tr '\r' '\n' < b.log | grep -v '^step')"
$CMP straight.h5 b.h5 --prefix-of | sed 's/^/  /'
[ "${PIPESTATUS[0]}" -eq 0 ] && ok "stopped file: readable, a prefix of the straight run" ||
    bad "stopped file differs from the straight run"
$PY -c "import h5py,sys; sys.exit(h5py.File('b.h5','r')['h5md'].attrs['exobd_status'] != 'incomplete')" &&
    ok "stopped file: status incomplete" || bad "stopped file: status not incomplete"
"$EXOBD" run s.cfg --resume b.ckpt --quiet
rc=$?
[ $rc -eq 0 ] && ok "resume: exit 0" || bad "resume: exit $rc"
$CMP straight.h5 b.h5 | sed 's/^/  /'
[ "${PIPESTATUS[0]}" -eq 0 ] && ok "resumed file: bitwise the straight run" ||
    bad "resumed file differs from the straight run"
cmp -s <(sed 's/straight\.h5/X/g' straight.xdmf) <(sed 's/b\.h5/X/g' b.xdmf) &&
    ok "resumed XDMF: the straight run's" || bad "resumed XDMF differs"
[ ! -e b.ckpt ] && ok "completed run removed its checkpoint" || bad "b.ckpt left behind"

# ---- a second signal ends the run at once ----------------------------------
"$EXOBD" run s.cfg -o c.h5 --quiet --checkpoint-steps 700 2>c.log &
pid=$!
wait_for c.ckpt
kill -TERM $pid; kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 143 ] && ok "two signals: exit 143" || bad "two signals: exit $rc"
$CMP straight.h5 c.h5 --prefix-of >/dev/null && ok "two signals: file readable, a prefix" ||
    bad "two signals: file unreadable or wrong"

# ---- kill -9 at seeded random moments --------------------------------------
RANDOM=2026
for k in 1 2 3 4; do
    delay=$((k - 1)).$(printf '%02d' $((RANDOM % 100)))
    "$EXOBD" run s.cfg -o k$k.h5 --quiet &
    pid=$!
    sleep "$delay"
    kill -KILL $pid 2>/dev/null
    wait $pid 2>/dev/null
    if [ ! -e k$k.h5 ]; then
        ok "kill -9 after $delay s: before the file was created"
        continue
    fi
    out=$($CMP straight.h5 k$k.h5 --prefix-of 2>&1)
    if [ $? -eq 0 ]; then
        ok "kill -9 after $delay s: $(echo "$out" | head -1)"
    else
        bad "kill -9 after $delay s: $out"
    fi
done

# ---- refused checkpoints ---------------------------------------------------
"$EXOBD" run s.cfg -o d.h5 --quiet --checkpoint-steps 700 &
pid=$!
wait_for d.ckpt; kill -TERM $pid; wait $pid
cp d.ckpt d2.ckpt
"$EXOBD" run s.cfg --seed 8 --resume d.ckpt --quiet 2>e.txt
rc=$?
[ $rc -eq 2 ] && grep -q "written for another scenario" e.txt && ok "other scenario: exit 2" ||
    bad "other scenario: exit $rc, $(cat e.txt)"
head -c 1000 d2.ckpt > d3.ckpt
"$EXOBD" run s.cfg --resume d3.ckpt --quiet 2>e.txt
rc=$?
[ $rc -eq 2 ] && grep -q "damaged or truncated" e.txt && ok "truncated checkpoint: exit 2" ||
    bad "truncated checkpoint: exit $rc, $(cat e.txt)"
"$EXOBD" run s.cfg --resume nothing.ckpt --quiet 2>e.txt
rc=$?
[ $rc -eq 2 ] && grep -q "nothing.ckpt" e.txt && ok "missing checkpoint: exit 2" ||
    bad "missing checkpoint: exit $rc, $(cat e.txt)"

# ---- the device fails: out of memory at start, lost mid-run ----------------
EXOBD_FAULT_ALLOC=3 "$EXOBD" run s.cfg -o h.h5 --quiet 2>e.txt
rc=$?
[ $rc -eq 1 ] && grep -q "CL_MEM_OBJECT_ALLOCATION_FAILURE.*out of memory" e.txt && [ ! -e h.h5 ] &&
    ok "device out of memory: exit 1, no output file" || bad "device out of memory: exit $rc, $(cat e.txt)"
EXOBD_FAULT_LAUNCH=800 "$EXOBD" run s.cfg -o g.h5 --checkpoint-steps 700 --quiet 2>e.txt
rc=$?
[ $rc -eq 1 ] && grep -q "CL_OUT_OF_RESOURCES.*was lost.*--resume" e.txt &&
    ok "device lost: exit 1: $(cut -c1-100 e.txt | head -1)..." || bad "device lost: exit $rc, $(cat e.txt)"
out=$($CMP straight.h5 g.h5 --prefix-of 2>&1) && ok "device lost: $(echo "$out" | head -1)" ||
    bad "device lost: the file is not readable: $out"
"$EXOBD" run s.cfg --resume g.ckpt --quiet 2>e.txt
rc=$?
out=$($CMP straight.h5 g.h5 2>&1)
[ $rc -eq 0 ] && [ $? -eq 0 ] && ok "device lost: resumed from the checkpoint before it, bitwise the straight run" ||
    bad "device lost: resume exit $rc: $out $(cat e.txt)"

# ---- a full disk: a file-size limit of 6 MB (the full file is ~9 MB) -------
(ulimit -f 6144; "$EXOBD" run s.cfg -o f.h5 --quiet 2>e.txt)
rc=$?
[ $rc -eq 1 ] && grep -q "no room for frame .* in f.h5" e.txt &&
    ok "file-size limit: exit 1: $(head -1 e.txt | cut -c8-150)..." ||
    bad "file-size limit: exit $rc, $(cat e.txt)"
out=$($CMP straight.h5 f.h5 --prefix-of 2>&1) && ok "file-size limit: $(echo "$out" | head -1)" ||
    bad "file-size limit: the file is not readable: $out"

[ $fails -eq 0 ] && echo "test_resume: all passed" || echo "test_resume: $fails failed"
exit $((fails > 0))
