#!/usr/bin/python3
"""compare_runs.py A.h5 B.h5... [--prefix-of] - compare the results of runs.

Without --prefix-of: every dataset under /particles, /observables, /events and
/density must be bitwise equal (same shape, same values), and both files complete.
With --prefix-of: B is a run cut short (stopped or killed): it must open, and
every time series in it must equal the first rows of A's (frames, observable
rows, events and density images alike); the XDMF sidecars of B must name only
frames (and density images) B holds.
Each B is compared with A in turn.  A B that does not open, or whose
objects cannot all be read, is a difference.
Prints one line per file compared; exits 1 on any difference.
"""
import re
import sys

import h5py
import numpy as np

def datasets(f):
    out = {}
    def visit(name, obj):
        if isinstance(obj, h5py.Dataset) and name.split('/')[0] in (
                'particles', 'observables', 'events', 'density'):
            out[name] = obj
    f.visititems(visit)
    return out

def sidecar_grids(h5_path, suffix, prefix):
    """The sidecar of h5_path with suffix, and how many grids named prefix* it
    names (0 if it is missing)."""
    path = re.sub(r'\.h5$', '', h5_path) + suffix
    try:
        return path, len(re.findall(r'<Grid Name="%s' % prefix, open(path).read()))
    except FileNotFoundError:
        return path, 0

def compare(a_path, b_path, prefix):
    a, b = h5py.File(a_path, 'r'), h5py.File(b_path, 'r')
    da, db = datasets(a), datasets(b)
    bad = []
    if set(da) != set(db):
        bad.append('datasets differ: %s' % sorted(set(da) ^ set(db)))
    frames = images = None
    for name in sorted(set(da) & set(db)):
        x, y = da[name][()], db[name][()]
        if prefix and x.ndim > 0 and da[name].maxshape[0] is None:
            # a time series or event column: B holds A's first rows
            if y.shape[0] > x.shape[0] or not np.array_equal(x[:y.shape[0]], y):
                bad.append('%s: not the first %d rows of the full run' % (name, y.shape[0]))
            if name == 'particles/vesicles/position/value':
                frames = y.shape[0]
            if name.startswith('density/') and name.endswith('/value'):
                images = y.shape[0]
        elif x.shape != y.shape or not np.array_equal(x, y):
            bad.append('%s differs (%s vs %s)' % (name, x.shape, y.shape))
    status_b = b['h5md'].attrs.get('exobd_status')
    if not prefix and status_b != 'complete':
        bad.append('%s is %s, not complete' % (b_path, status_b))
    if prefix and frames is not None:
        xdmf, named = sidecar_grids(b_path, '.xdmf', 'frame_')
        if named > frames:
            bad.append('%s names %d frames, the file holds %d' % (xdmf, named, frames))
        print('%s: %d frames, %d named in the sidecar, status %s' %
              (b_path, frames, named, status_b))
    if prefix and images is not None:
        dxdmf, named = sidecar_grids(b_path, '.density.xdmf', 'density_')
        if named > images:
            bad.append('%s names %d density images, the file holds %d' % (dxdmf, named, images))
    for line in bad:
        print('DIFFERENT:', line)
    print('%s vs %s: %d datasets, %s' % (a_path, b_path, len(da),
                                         'equal' if not bad else '%d differ' % len(bad)))
    return 1 if bad else 0

def main():
    args = [x for x in sys.argv[1:] if not x.startswith('--')]
    prefix = '--prefix-of' in sys.argv[1:]
    status = 0
    for b_path in args[1:]:
        try:
            status |= compare(args[0], b_path, prefix)
        except Exception as e:  # h5py raises OSError, RuntimeError, KeyError...
            print('DIFFERENT: %s cannot be read: %s: %s' % (b_path, type(e).__name__, e))
            status = 1
    return status

if __name__ == '__main__':
    sys.exit(main())
