#!/usr/bin/env bash
# test_paraview: a run's .xdmf opens in real ParaView (pvpython from Debian's
# paraview package): all three XDMF readers load every frame with N points,
# N Polyvertex cells, the point arrays, and positions equal to the HDF5 file.
# Skips (77) where ParaView is not installed.
# Usage: test_paraview.sh EXOBD SOURCE_DIR
set -u
exobd="$1"; src="$2"
if ! command -v pvpython >/dev/null 2>&1; then
  echo "skipping: pvpython not found (apt-get install paraview)"
  exit 77
fi
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
"$exobd" run "$src/scenarios/free_diffusion.cfg" --quiet -o "$dir/run.h5" \
  --set vesicles.[0].count=3000 --set simulation.steps=20 --set output.every=10 \
  --set output.sample=1500 || { echo "FAIL: exobd run failed"; exit 1; }
timeout 300 pvpython "$src/tests/tools/check_paraview.py" "$dir/run.xdmf" 1500 3 || exit 1
# A capillary: its walls (.vessels.vtk) load beside the trajectory; one
# region splits the wall into 3 bands of 48 quadrilaterals.
"$exobd" run "$src/scenarios/capillary_flow.cfg" --quiet -o "$dir/cap.h5" \
  --set vesicles.[0].count=3000 --set simulation.steps=20 --set output.every=10 \
  --set output.sample=1000 || { echo "FAIL: exobd run capillary_flow failed"; exit 1; }
timeout 300 pvpython "$src/tests/tools/check_paraview.py" "$dir/cap.xdmf" 1000 3 \
  "$dir/cap.vessels.vtk" 144 || exit 1
# Targeting: the bond counts load as a point array.
"$exobd" run "$src/scenarios/tumor_vessel_targeting.cfg" --quiet -o "$dir/tum.h5" \
  --set vesicles.[0].count=3000 --set simulation.steps=20 --set output.every=10 \
  --set output.sample=1000 || { echo "FAIL: exobd run tumor_vessel_targeting failed"; exit 1; }
EXO_EXPECT_ARRAYS=bonds timeout 300 pvpython "$src/tests/tools/check_paraview.py" \
  "$dir/tum.xdmf" 1000 3 "$dir/tum.vessels.vtk" 144 || exit 1
# A tissue: its cells (.cells.vtk, 64 spheres of 120 triangles) load beside
# the trajectory.
"$exobd" run "$src/scenarios/tissue_ecs.cfg" --quiet -o "$dir/ecs.h5" \
  --set vesicles.[0].count=3000 --set simulation.steps=20 --set output.every=10 \
  --set output.sample=1000 || { echo "FAIL: exobd run tissue_ecs failed"; exit 1; }
EXO_GEOMETRY_ARRAYS=cell,cell_type timeout 300 pvpython "$src/tests/tools/check_paraview.py" \
  "$dir/ecs.xdmf" 1000 3 "$dir/ecs.cells.vtk" 7680 || exit 1
# Density images: OUT.density.xdmf loads as a 3D grid of voxels with one
# cell array per state, summing to the counts in the file.
"$exobd" run "$src/scenarios/tissue_ecs.cfg" --quiet -o "$dir/den.h5" \
  --set vesicles.[0].count=3000 --set simulation.steps=20 --set output.every=10 \
  --set 'output.density={bins=[13,11,10];states=["free"];}' ||
  { echo "FAIL: exobd run with density images failed"; exit 1; }
timeout 300 pvpython "$src/tests/tools/check_paraview_density.py" "$dir/den.density.xdmf" \
  3 13 11 10 free
