#!/usr/bin/env pvpython
"""Open an exobd .xdmf in ParaView's three XDMF readers and check what they load.

Usage: pvpython check_paraview.py OUT.xdmf N FRAMES [WALLS.vtk CELLS]
Checks, for Xdmf3ReaderS (ParaView's default for .xdmf), Xdmf3ReaderT and
XDMFReader: the number of time steps, N points and N cells (Polyvertex
connectivity) at the last time, the point arrays, and that the last frame's
first point equals /particles/vesicles/position/value[-1, 0] read with h5py
(when h5py is importable in pvpython).  With WALLS.vtk: the vessel walls
load with the legacy VTK reader, CELLS polygons and the cell arrays vessel
and region (EXO_GEOMETRY_ARRAYS, comma-separated, names others: "cell,cell_type"
for a tissue's .cells.vtk).  EXO_EXPECT_ARRAYS (comma-separated) names further point arrays
that must load.  Exit 0 on success, 1 on a mismatch.
"""
import os
import sys

from paraview import servermanager as sm
from paraview.simple import LegacyVTKReader
from paraview.vtk.numpy_interface import dataset_adapter as dsa

from pv_readers import last_step

path, n, frames = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
expected_first = None
try:
    import h5py
    with h5py.File(path[: -len(".xdmf")] + ".h5", "r") as f:
        expected_first = f["particles/vesicles/position/value"][-1, 0]
except Exception as e:  # h5py is optional inside pvpython
    print("note: no h5py comparison:", e)

problems = []
for name in ("Xdmf3ReaderS", "Xdmf3ReaderT", "XDMFReader"):
    times, d = last_step(name, path)
    arrays = [d.GetPointData().GetArrayName(i) for i in range(d.GetPointData().GetNumberOfArrays())]
    print(f"{name}: {len(times)} times, {d.GetNumberOfPoints()} points, "
          f"{d.GetNumberOfCells()} cells, arrays {arrays}")
    if len(times) != frames:
        problems.append(f"{name}: {len(times)} time steps, expected {frames}")
    if d.GetNumberOfPoints() != n or d.GetNumberOfCells() != n:
        problems.append(f"{name}: {d.GetNumberOfPoints()} points / {d.GetNumberOfCells()} cells, expected {n}")
    extra = [a for a in os.environ.get("EXO_EXPECT_ARRAYS", "").split(",") if a]
    for a in ["state", "radius", "id", "population"] + extra:
        if a not in arrays:
            problems.append(f"{name}: point array {a} missing")
    if expected_first is not None and n > 0:
        got = dsa.WrapDataObject(d).Points[0]
        if any(abs(float(g) - float(e)) > 1e-3 for g, e in zip(got, expected_first)):
            problems.append(f"{name}: first point {list(got)}, expected {list(expected_first)}")

if len(sys.argv) > 5:
    walls, cells = sys.argv[4], int(sys.argv[5])
    w = sm.Fetch(LegacyVTKReader(FileNames=[walls]))
    arrays = [w.GetCellData().GetArrayName(i) for i in range(w.GetCellData().GetNumberOfArrays())]
    print(f"LegacyVTKReader: {w.GetNumberOfCells()} cells, arrays {arrays}")
    if w.GetNumberOfCells() != cells:
        problems.append(f"walls: {w.GetNumberOfCells()} cells, expected {cells}")
    for a in os.environ.get("EXO_GEOMETRY_ARRAYS", "vessel,region").split(","):
        if a not in arrays:
            problems.append(f"geometry: cell array {a} missing")

for p in problems:
    print("FAIL:", p)
print("ok" if not problems else f"{len(problems)} problems")
sys.exit(1 if problems else 0)
