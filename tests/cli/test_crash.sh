#!/bin/bash
# test_crash.sh EXOBD SOURCE_DIR - a process killed in the middle of a flush
# of its output file (docs/reliability.md, host/exo_h5_driver.h).
#
# EXOBD_FAULT_FLUSH=F:W makes exobd kill itself (SIGKILL) in its F-th flush
# before the (W+1)-th of the writes that flush holds back.  The test kills
# two flushes (one adds a frame group to a full symbol-table node of
# /xdmf/frames, one does not) at every third of their writes, with
# different offsets, and checks that each file opens and that every dataset
# in it is a prefix of the uninterrupted run's: no row of fill values, no
# link to a block the file lacks.  With the held writes applied in HDF5's own
# (address) order instead, cuts of both flushes left a last frame of fill
# values (position, state, bonds), the failure test_resume once caught at a
# random kill in CI.
# Skips (77) without an OpenCL device or without h5py.
. "$(dirname "$0")/cli_setup.sh" "$@"

binding_capillary crash_test 7 300 20 '{ count = 500; radius = "50 nm";
    ligands = { type = "L"; count = 200; }; start = { region = "cap"; };
    cargo = { amount = 1.0; }; }' > s.cfg

"$EXOBD" run s.cfg -o straight.h5 --quiet || { echo "FAIL: the straight run"; exit 1; }
ok "straight run"

# Kill flush $1 at writes $2, $2 + 3, ... until a run outlives the flush.
cut_flush() {
    local flush=$1 w=$2 rc files=()
    while :; do
        EXOBD_FAULT_FLUSH=$flush:$w "$EXOBD" run s.cfg -o "k${flush}_$w.h5" --quiet 2>/dev/null
        rc=$?
        [ $rc -eq 0 ] && break
        if [ $rc -ne 137 ]; then
            bad "flush $flush, write $w: exit $rc, not killed"
            break
        fi
        files+=("k${flush}_$w.h5")
        w=$((w + 3))
    done
    if [ ${#files[@]} -lt 20 ]; then
        bad "flush $flush: only ${#files[@]} cuts (the hook did not fire, or the flush is small)"
        return
    fi
    if out=$($PY "$SRC/tests/tools/compare_runs.py" straight.h5 "${files[@]}" --prefix-of 2>&1)
    then
        ok "flush $flush: killed at ${#files[@]} of its writes, every file a prefix of the run"
    else
        bad "flush $flush: $(echo "$out" | grep -B1 DIFFERENT | head -6)"
    fi
}
cut_flush 9 0
cut_flush 10 1

[ $fails -eq 0 ] || { echo "test_crash: $fails failed"; exit 1; }
echo "test_crash: all passed"
