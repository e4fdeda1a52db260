#!/usr/bin/env pvpython
"""Open an exobd OUT.density.xdmf in ParaView and check what it loads.

Usage: pvpython check_paraview_density.py OUT.density.xdmf IMAGES NX NY NZ STATE...
Checks, for Xdmf3ReaderS (ParaView's default for .xdmf) and XDMFReader: the
number of time steps, a structured grid of NX x NY x NZ cells (and
(NX+1)(NY+1)(NZ+1) points), a cell array per STATE, and that the last
image's array sums to /density/<STATE>/value[-1] of the HDF5 file (read with
h5py when pvpython can import it).  Exit 0 on success, 1 on a mismatch.
"""
import sys

from paraview.vtk.numpy_interface import dataset_adapter as dsa

from pv_readers import last_step

path, images = sys.argv[1], int(sys.argv[2])
nx, ny, nz = (int(v) for v in sys.argv[3:6])
states = sys.argv[6:]
expected = {}
try:
    import h5py
    with h5py.File(path[: -len(".density.xdmf")] + ".h5", "r") as f:
        for s in states:
            expected[s] = int(f["density"][s]["value"][-1].sum())
except Exception as e:  # h5py is optional inside pvpython
    print("note: no h5py comparison:", e)

problems = []
for name in ("Xdmf3ReaderS", "XDMFReader"):
    times, d = last_step(name, path)
    arrays = [d.GetCellData().GetArrayName(i) for i in range(d.GetCellData().GetNumberOfArrays())]
    print(f"{name}: {d.GetClassName()}, {len(times)} times, {d.GetNumberOfCells()} cells, "
          f"{d.GetNumberOfPoints()} points, cell arrays {arrays}, bounds {d.GetBounds()}")
    if len(times) != images:
        problems.append(f"{name}: {len(times)} time steps, expected {images}")
    if d.GetNumberOfCells() != nx * ny * nz or d.GetNumberOfPoints() != (nx + 1) * (ny + 1) * (nz + 1):
        problems.append(f"{name}: {d.GetNumberOfCells()} cells, expected {nx * ny * nz}")
    for s in states:
        if s not in arrays:
            problems.append(f"{name}: cell array {s} missing")
        elif s in expected:
            got = int(dsa.WrapDataObject(d).CellData[s].sum())
            print(f"{name}: {s} sums to {got} (file: {expected[s]})")
            if got != expected[s]:
                problems.append(f"{name}: {s} sums to {got}, the file to {expected[s]}")

for p in problems:
    print("FAIL:", p)
print("ok" if not problems else f"{len(problems)} problems")
sys.exit(1 if problems else 0)
