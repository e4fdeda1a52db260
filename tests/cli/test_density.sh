#!/bin/bash
# test_density.sh EXOBD SOURCE_DIR - density images (output.density), end to
# end on the OpenCL device and on cpu-reference:
#   - each image equals, voxel for voxel, the histogram of the frame's
#     positions and states (tests/tools/check_density.py): it sums to the
#     vesicles of that state in the grid; free and bound vesicles among
#     tissue cells, a grid smaller than the box, an image every 2nd frame;
#   - the device's images equal the C reference's;
#   - a run stopped by an injected device loss and resumed from its
#     checkpoint has the same images (and sidecar) as the run done straight;
#   - bad density settings exit 2 naming the setting.
# Skips (77) without an OpenCL device or without h5py.
. "$(dirname "$0")/cli_setup.sh" "$@"

# Vesicles among cells, adsorbed (bound) at the z- face, D = 1 um^2/s.
cat > d.cfg <<'CFG'
seed = 3;
simulation = { dt = "1 ms"; steps = 400; };
medium = { viscosity = 0.0045442; };
surfaces = ( { name = "sticky"; behaviour = "adsorb"; kappa = "5 um/s"; adsorbed = "bound"; } );
vesicles = ( { count = 20000; radius = "50 nm"; } );
geometry = { box = { lower = [0.0, 0.0, 0.0]; upper = [12.0, 12.0, 6.0];
                     faces = ["periodic", "periodic", "periodic", "periodic", "sticky", "reflect"]; };
             tissue = { placement = "simple_cubic"; spacing = "3 um";
                        cell_types = ( { name = "c"; radius = "1 um"; } ); }; };
output = { file = "d.h5"; every = 50; fields = ["position", "state", "image"];
           density = { every = 2; lower = [1.0, 0.0, 0.0]; upper = [11.0, 12.0, 5.0];
                       bins = [20, 24, 10]; states = ["free", "bound"]; }; };
CFG
"$EXOBD" run d.cfg --quiet || { echo "FAIL: the run"; exit 1; }
out=$($PY "$SRC/tests/tools/check_density.py" d.h5 2>&1)
[ $? -eq 0 ] && ok "images = histograms of the frames: $(echo "$out" | tail -1)" ||
    bad "images against frames: $out"
echo "$out" | grep -q 'bound: [1-9]' && ok "bound vesicles imaged: $(echo "$out" | grep bound | tail -1)" ||
    bad "no bound vesicle imaged: $out"
images=$(grep -c '<Grid Name="density_' d.density.xdmf)
[ "$images" -eq 5 ] && ok "5 images (frames 0, 2, 4, 6, 8) named in d.density.xdmf" ||
    bad "d.density.xdmf names $images images, expected 5"

"$EXOBD" run d.cfg --quiet --device cpu-reference -o r.h5 || bad "the cpu-reference run"
out=$($PY - <<'PY'
import h5py, numpy as np
a, b = h5py.File('d.h5', 'r'), h5py.File('r.h5', 'r')
same = all(np.array_equal(a['density'][n]['value'][()], b['density'][n]['value'][()])
           for n in ('free', 'bound'))
print('equal' if same else 'different')
PY
)
[ "$out" = equal ] && ok "device and cpu-reference images equal" || bad "device vs reference: $out"

EXOBD_FAULT_LAUNCH=28 "$EXOBD" run d.cfg -o g.h5 --checkpoint-steps 200 --quiet 2>e.txt
[ $? -eq 1 ] || bad "the injected device loss did not stop the run: $(cat e.txt)"
out=$($PY "$SRC/tests/tools/compare_runs.py" d.h5 g.h5 --prefix-of 2>&1) &&
    ok "stopped: $(echo "$out" | head -1)" || bad "the stopped run's file: $out"
"$EXOBD" run d.cfg --resume g.ckpt --quiet 2>e.txt || bad "resume: $(cat e.txt)"
out=$($PY "$SRC/tests/tools/compare_runs.py" d.h5 g.h5 2>&1) &&
    cmp -s d.density.xdmf <(sed 's/g\.h5:/d.h5:/' g.density.xdmf) &&
    ok "stopped and resumed: $(echo "$out" | tail -1), same density sidecar" ||
    bad "resumed run differs: $out"

# A run without events: summary says what the file holds instead.
"$EXOBD" run d.cfg -o ne.h5 --set output.events=false --set simulation.steps=20 --quiet &&
    "$EXOBD" summary ne.h5 >o.txt 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "no /events.*/observables" o.txt && ok "summary without events: exit 2, points to /observables" ||
    bad "summary without events: exit $rc, $(cat o.txt)"

# Bad input names the setting and exits 2.
for set in 'output.density={bins=[0,4,4];}' 'output.density={bins=[4,4];}' \
           'output.density={bins=[4,4,4];states=["inactive"];}' \
           'output.density={bins=[4,4,4];lower=[5.0,0.0,0.0];upper=[1.0,12.0,6.0];}' \
           'output.density={bins=[4096,4096,4096];}' 'output.density={every=2;}'; do
    "$EXOBD" check d.cfg --set "$set" >o.txt 2>&1
    rc=$?
    [ $rc -eq 2 ] && grep -q "output.density" o.txt && ok "refused ($set): $(head -1 o.txt | cut -c1-110)" ||
        bad "$set: exit $rc, $(cat o.txt)"
done

[ $fails -eq 0 ] && echo "test_density: all passed" || echo "test_density: $fails failed"
[ $fails -eq 0 ]
