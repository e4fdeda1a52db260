#!/bin/bash
# test_compartments.sh EXOBD SOURCE_DIR - a tissue beside a vessel, end to
# end: a capillary with a leaky stretch and a barrier stretch (receptor
# binding, transcytosis) through a tissue of cells that take vesicles up
# and of cells that bind them (receptors, internalization), with clearance
# from the blood and an open tissue face.
#   - conservation across compartments and states at every observable row,
#     the tissue's observables against the frames, crossings that alternate
#     and end where the vesicles are (tests/tools/check_compartments.py);
#   - exobd summary reports the crossings per region and route, and they
#     add up to what the events hold;
#   - the C reference gives the same counts;
#   - scenarios/tumor_epr.cfg and bbb_transcytosis.cfg, shortened, show the
#     contrast their summaries are for.
# Skips (77) without an OpenCL device or without h5py.
. "$(dirname "$0")/cli_setup.sh" "$@"

cat > c.cfg <<'CFG'
name = "compartments"; seed = 9;
simulation = { dt = "20 us"; steps = 3000; };
medium = { clearance = { rate = "2 /s"; }; };
surfaces = (
  { name = "gaps"; behaviour = "leaky"; pores = { radius = "400 nm"; density = "0.5 /um^2"; }; },
  { name = "bbb"; behaviour = "bind"; receptors = ( { type = "R"; density = "300 /um^2"; } );
    transcytosis = { rate = "50 /s"; }; },
  { name = "eat"; behaviour = "absorb"; },
  { name = "grip"; behaviour = "bind"; receptors = ( { type = "R"; density = "1000 /um^2"; } );
    internalization = { rate = "100 /s"; }; } );
binding = ( { ligand = "L"; receptor = "R"; k_on = "1 um^2/s"; k_off = "1 /s"; bond_length = "10 nm"; } );
vesicles = ( { count = 4000; radius = "50 nm"; ligands = { type = "L"; count = 100; };
               start = { region = "cap"; kind = "uniform"; }; } );
geometry = {
  box = { lower = [-4.0, -4.0, 0.0]; upper = [4.0, 4.0, 12.0];
          faces = ["reflect", "reflect", "open", "reflect", "periodic", "periodic"]; };
  vessels = ( { name = "cap"; radius = "1.5 um"; length = "12 um"; origin = [0.0, 0.0, 0.0];
                axis = "z"; ends = "periodic"; flow = { mean_velocity = "100 um/s"; };
                regions = ( { name = "leak"; from = "0 um"; to = "6 um"; wall = "gaps"; },
                            { name = "barrier"; from = "6 um"; to = "12 um"; wall = "bbb"; } ); } );
  tissue = { placement = "fixed";
             cell_types = ( { name = "tumour"; radius = "0.8 um"; surface = "eat"; },
                            { name = "holder"; radius = "0.8 um"; surface = "grip"; } );
             cells = ( { type = "tumour"; centre = [2.6, 0.0, 3.0]; },
                       { type = "tumour"; centre = [0.0, 2.6, 9.0]; },
                       { type = "tumour"; centre = [-2.6, -1.0, 2.0]; },
                       { type = "holder"; centre = [2.6, -1.2, 4.5]; },
                       { type = "holder"; centre = [-1.5, 2.6, 5.0]; } ); };
};
output = { file = "c.h5"; every = 300; observables_every = 300; sample = 4000;
           fields = ["position", "state"]; events = true; };
CFG
"$EXOBD" run c.cfg --quiet || { echo "FAIL: the run"; exit 1; }
out=$($PY "$SRC/tests/tools/check_compartments.py" c.h5 1.5 z leak:0:6,barrier:6:12 2>&1)
[ $? -eq 0 ] && ok "$(echo "$out" | sed 's/^ok: //' | tr '\n' ';')" || bad "conservation: $out"

held=$($PY -c "
import h5py
o = h5py.File('c.h5', 'r')['observables']
n = o['holder_cells_internalized']['value'][()]
# cargo 1 that does not leak: the cells' dose is the vesicles they took in
same = (o['holder_cells_dose']['value'][()] == n).all() and o['dose']['value'][-1] >= n[-1]
print(o['holder_cells_bound']['value'][-1] + n[-1] if same else -1)")
[ "${held:-0}" -gt 0 ] &&
    ok "binding cells in the tissue hold $held vesicles (bound or internalized); holder_cells_dose = holder_cells_internalized" ||
    bad "binding cells: held $held (-1: holder_cells_dose differs from the internalized)"

sum=$("$EXOBD" summary c.h5 2>&1)
echo "$sum" | sed -n '/compartments:/,/taken up/p'
want=$($PY - <<'PY'
import h5py, numpy as np
c = h5py.File('c.h5', 'r')['events/crossing']
reg, route = c['region'][()], c['route'][()]
for g, name in ((0, 'leak'), (1, 'barrier')):
    m = reg == g
    print(name, *(int(np.sum(m & (route == k))) for k in (1, 2, 3)))
PY
)
while read -r name o b t; do
    echo "$sum" | grep -Eq "^  $name +$o +$b +$t +$((o - b + t)) " &&
        ok "summary: $name: $o out, $b back, $t transcytosis" ||
        bad "summary row for $name does not show $o $b $t"
done <<< "$want"
echo "$want" | awk '$1 == "leak" && $2 > 0 { ok = 1 } $1 == "barrier" && $4 > 0 && $2 == 0 { tc = 1 }
                    END { exit !(ok && tc) }' &&
    ok "pores cross only at the leaky stretch, transcytosis only at the barrier" ||
    bad "routes by region: $want"

"$EXOBD" run c.cfg --quiet --device cpu-reference -o r.h5 || bad "the cpu-reference run"
out=$($PY - <<'PY'
import h5py, numpy as np
a, b = h5py.File('c.h5', 'r')['observables'], h5py.File('r.h5', 'r')['observables']
names = ('free', 'bound', 'absorbed', 'cleared', 'exited', 'tissue_free', 'tumour_taken_up',
         'holder_cells_bound', 'holder_cells_internalized')
far = [n for n in names if np.max(np.abs(a[n]['value'][()] - b[n]['value'][()])) > 4]
print('close' if not far else 'apart: ' + ' '.join(far))
PY
)
[ "$out" = close ] && ok "device and cpu-reference observables agree (within 4 vesicles)" ||
    bad "device vs reference: $out"
# The scenarios, shortened: accumulation beside the tumour's leaky stretch
# and none through its continuous normal stretch; at the blood-brain
# barrier no paracellular crossing, only transcytosis (its rate raised so a
# short run sees it).
"$EXOBD" run "$SRC/scenarios/tumor_epr.cfg" --quiet -o epr.h5 --set 'vesicles.[0].count=5000' \
    --set simulation.steps=5000 --set output.sample=1000 || bad "tumor_epr run"
epr=$("$EXOBD" summary epr.h5 2>&1)
echo "$epr" | sed -n '/compartments:/,/taken up/p'
echo "$epr" | grep -Eq '^  normal +0 +0 +0 +0 ' &&
    echo "$epr" | grep -Eq '^  tumour +[1-9][0-9]* +[0-9]+ +0 +[1-9]' &&
    ok "tumor_epr: vesicles cross into the tumour, none through the normal stretch" ||
    bad "tumor_epr summary shows no contrast"
"$EXOBD" run "$SRC/scenarios/bbb_transcytosis.cfg" --quiet -o bbb.h5 \
    --set 'vesicles.[0].count=5000' --set simulation.steps=4000 --set output.sample=1000 \
    --set 'surfaces.[0].transcytosis.rate="5 /s"' || bad "bbb_transcytosis run"
bbb=$("$EXOBD" summary bbb.h5 2>&1)
echo "$bbb" | sed -n '/compartments:/,/holds/p'
echo "$bbb" | grep -Eq '^  \(outside regions\) +0 +0 +[1-9][0-9]* +[1-9]' &&
    ok "bbb_transcytosis: no paracellular crossing, vesicles cross by transcytosis" ||
    bad "bbb_transcytosis summary: $bbb"
[ "$fails" -eq 0 ] || exit 1
