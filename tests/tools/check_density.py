#!/usr/bin/python3
"""check_density.py OUT.h5 - density images against the trajectory.

The run must write every vesicle in each frame (output.sample = all) and a
density image with some of the frames.  For every image, the frame of the
same step is histogrammed here from its positions (nm) and states with the
grid in /density's attributes (voxels half-open, [lo, lo + h)); each state's
image must equal that histogram voxel for voxel, so in particular it sums to
the number of vesicles of that state inside the grid.  The device bins the
positions in um and the file holds them in nm (float32), so a vesicle
within 1e-5 of a voxel of a voxel face may fall on either side: each such
vesicle may account for a difference of 2 (one voxel less, one more), and
their number is printed.  Prints one line per
image; exits 1 on any difference.
"""
import sys

import h5py
import numpy as np

STATES = ['inactive', 'free', 'bound', 'internalized', 'absorbed', 'exited', 'cleared']

def main():
    f = h5py.File(sys.argv[1], 'r')
    d = f['density']
    lo, h = np.array(d.attrs['lower']), np.array(d.attrs['voxel'])
    pos = f['particles/vesicles/position']
    steps = list(pos['step'][:])
    state = f['particles/vesicles/state/value']
    names = [n for n in STATES if n in d]
    bad, checked = 0, 0
    for k, step in enumerate(d[names[0]]['step'][:]):
        frame = steps.index(step)
        x, st = pos['value'][frame].astype(np.float64), state[frame]
        for name in names:
            img = d[name]['value'][k]
            nz, ny, nx = img.shape
            # the device bins um in float: take the same voxel from nm
            u = (x - lo) / h
            inside = np.all((u >= 0) & (u < [nx, ny, nz]), axis=1) & (st == STATES.index(name))
            ijk = np.minimum(np.floor(u[inside]).astype(int), [nx - 1, ny - 1, nz - 1])
            want = np.zeros((nz, ny, nx), dtype=np.int64)
            np.add.at(want, (ijk[:, 2], ijk[:, 1], ijk[:, 0]), 1)
            diff = int(np.abs(want - img).sum())
            mine = st == STATES.index(name)
            frac = np.abs(u[mine] - np.round(u[mine]))
            edge = int(np.any(frac < 1e-5, axis=1).sum())
            checked += 1
            print('image %d (step %d) %s: %d vesicles in the grid, image sums to %d, %d '
                  'voxel counts differ (%d vesicles on a voxel face)' %
                  (k, step, name, int(inside.sum()), int(img.sum()), diff, edge))
            if diff > 2 * edge or abs(int(img.sum()) - int(inside.sum())) > edge:
                bad += 1
    print('%d images checked, %d differ' % (checked, bad))
    return 1 if bad or checked == 0 else 0

if __name__ == '__main__':
    sys.exit(main())
