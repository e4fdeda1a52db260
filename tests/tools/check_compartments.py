#!/usr/bin/env python3
"""check_compartments.py OUT.h5 RADIUS_UM AXIS REGIONS - conservation across
the lumen and tissue compartments of a run with a tissue beside a vessel.

  - every observable row: the vesicles per state add up to the vesicles;
  - every frame (all vesicles written): tissue_free and <region>_tissue_free
    equal the free vesicles outside the vessel (r > R), in all and beside
    each region, and the free ones inside are free - tissue_free;
  - the vesicles taken up by cells (<type>_taken_up) are the absorbed ones
    outside the vessel, and those cells hold (<type>_cells_bound,
    <type>_cells_internalized) the bound and internalized ones there;
  - /events/crossing: each vesicle's crossings alternate lumen -> tissue
    (pore_out, transcytosis) and tissue -> lumen (pore_in), starting in the
    lumen, and the side they leave it on is the side it is on at the end.

REGIONS is name:from:to,... (um along the axis from the inlet at 0).
Prints one line per check; exits 1 on the first failure.
"""
import sys

import h5py
import numpy as np

STATES = ["inactive", "free", "bound", "internalized", "absorbed", "exited", "cleared"]


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def main():
    path, R, axis = sys.argv[1], float(sys.argv[2]), "xyz".index(sys.argv[3])
    regions = [(n, float(a), float(b)) for n, a, b in
               (r.split(":") for r in sys.argv[4].split(",") if r)]
    f = h5py.File(path, "r")
    obs = f["observables"]
    n = f["particles/vesicles/position/value"].shape[1]
    total = sum(obs[s]["value"][()] for s in STATES)
    if not np.all(total == n):
        fail("states do not add up to %d at rows %s" % (n, np.nonzero(total != n)[0][:5]))
    print("ok: the states add up to %d vesicles in all %d observable rows" % (n, len(total)))

    pos = f["particles/vesicles/position/value"][()] / 1000.0  # um
    state = f["particles/vesicles/state/value"][()]
    fsteps = f["particles/vesicles/position/step"][()]
    osteps = obs["free"]["step"][()]
    across = [a for a in range(3) if a != axis]
    taken = [k for k in obs.keys() if k.endswith("_taken_up")]
    checked = 0
    for j, step in enumerate(fsteps):
        rows = np.nonzero(osteps == step)[0]
        if len(rows) == 0:
            continue
        row = rows[0]
        r = np.hypot(pos[j, :, across[0]], pos[j, :, across[1]])
        out = r > R
        free = state[j] == 1
        if obs["tissue_free"]["value"][row] != np.sum(free & out):
            fail("step %d: tissue_free %d, frame %d" % (step, obs["tissue_free"]["value"][row],
                                                         np.sum(free & out)))
        for name, a, b in regions:
            s = pos[j, :, axis]
            want = np.sum(free & out & (s >= a) & (s < b))
            got = obs[name + "_tissue_free"]["value"][row]
            if got != want:
                fail("step %d: %s_tissue_free %d, frame %d" % (step, name, got, want))
        if taken:
            got = sum(obs[k]["value"][row] for k in taken)
            want = np.sum((state[j] == 4) & out)
            if got != want:
                fail("step %d: taken up by cells %d, absorbed outside the vessel %d"
                     % (step, got, want))
        for suffix, code in (("_cells_bound", 2), ("_cells_internalized", 3)):
            held = [k for k in obs.keys() if k.endswith(suffix)]
            if held:
                got = sum(obs[k]["value"][row] for k in held)
                want = np.sum((state[j] == code) & out)
                if got != want:
                    fail("step %d: %s on cells %d, in the tissue %d" % (step, suffix[7:], got,
                                                                         want))
        checked += 1
    if checked == 0:
        fail("no frame at an observable step")
    print("ok: tissue_free, the regions' tissue_free and what the cells take up and hold "
          "equal the frames "
          "at %d frames" % checked)

    c = f["events/crossing"]
    ids, route, steps = c["id"][()], c["route"][()], c["step"][()]
    order = np.lexsort((steps, ids))
    side = np.zeros(n, dtype=int)
    for k in order:
        i, rt = ids[k], route[k]
        if rt in (1, 3):
            if side[i] != 0:
                fail("vesicle %d crosses out of the lumen from the tissue (step %d)" % (i, steps[k]))
            side[i] = 1
        elif rt == 2:
            if side[i] != 1:
                fail("vesicle %d crosses into the lumen from the lumen (step %d)" % (i, steps[k]))
            side[i] = 0
        else:
            fail("crossing of vesicle %d with route %d" % (i, rt))
    r = np.hypot(pos[-1, :, across[0]], pos[-1, :, across[1]])
    if not np.array_equal(side == 1, r > R):
        bad = np.nonzero((side == 1) != (r > R))[0]
        fail("%d vesicles end on another side than their crossings say (e.g. %d)"
             % (len(bad), bad[0]))
    print("ok: %d crossings (%d pore out, %d pore back, %d transcytosis) alternate and end "
          "where the vesicles are" % (len(route), np.sum(route == 1), np.sum(route == 2),
                                      np.sum(route == 3)))


if __name__ == "__main__":
    main()
